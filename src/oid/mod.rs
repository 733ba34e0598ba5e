//! Object identifiers and their names.
//!
//! OpenSSL prints a known OID by its long name and accepts short names, long
//! names and dotted OIDs as input. [`Objects`] reproduces that: the built-in
//! table is libcrypto's own (see `table.rs`), and a configuration file can add
//! names through `oid_section` or `oid_file`.

#[rustfmt::skip]
mod table;

use std::collections::HashMap;
use std::sync::OnceLock;

use der::asn1::ObjectIdentifier;

use crate::asn1::Oid;
use crate::error::{Error, Reason, Result};

/// OIDs the time-stamping code refers to by value.
pub mod known {
    use der::asn1::ObjectIdentifier as Oid;

    /// id-smime-ct-TSTInfo, the eContentType of a time-stamp token.
    pub const TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
    /// pkcs7-signedData.
    pub const SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
    /// pkcs7-data.
    pub const DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
    /// contentType attribute.
    pub const CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
    /// messageDigest attribute.
    pub const MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
    /// signingTime attribute.
    pub const SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
    /// id-smime-aa-signingCertificate (ESS, RFC 2634).
    pub const SIGNING_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.12");
    /// id-smime-aa-signingCertificateV2 (RFC 5035).
    pub const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
    /// id-kp-timeStamping.
    pub const KP_TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");
    /// anyExtendedKeyUsage.
    pub const ANY_EXTENDED_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37.0");
    /// rsaEncryption.
    pub const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    /// RSASSA-PSS.
    pub const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
    /// id-mgf1.
    pub const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
    /// id-ecPublicKey.
    pub const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    /// Ed25519.
    pub const ED25519: Oid = Oid::new_unwrap("1.3.101.112");
    /// secp256r1 (P-256).
    pub const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
    /// secp384r1 (P-384).
    pub const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
    /// secp521r1 (P-521).
    pub const SECP521R1: Oid = Oid::new_unwrap("1.3.132.0.35");
}

/// One named object: an OID with its short and long names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// The OID, of any length.
    pub oid: Oid,
    /// The short name, such as `SHA256` or `CN`.
    pub short_name: String,
    /// The long name, such as `sha256` or `commonName`.
    pub long_name: String,
}

struct Builtin {
    by_oid: HashMap<ObjectIdentifier, (&'static str, &'static str)>,
    by_short_name: HashMap<&'static str, ObjectIdentifier>,
    by_long_name: HashMap<&'static str, ObjectIdentifier>,
}

fn builtin() -> &'static Builtin {
    static BUILTIN: OnceLock<Builtin> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        let mut by_oid = HashMap::new();
        let mut by_short_name = HashMap::new();
        let mut by_long_name = HashMap::new();
        for (dotted, short_name, long_name) in table::OBJECTS {
            let Ok(oid) = ObjectIdentifier::new(dotted) else {
                continue;
            };
            by_oid.entry(oid).or_insert((*short_name, *long_name));
            by_short_name.entry(*short_name).or_insert(oid);
            by_long_name.entry(*long_name).or_insert(oid);
        }
        Builtin {
            by_oid,
            by_short_name,
            by_long_name,
        }
    })
}

/// The object table: libcrypto's built-in names plus names added at run time.
#[derive(Debug, Clone, Default)]
pub struct Objects {
    added: Vec<Object>,
}

impl Objects {
    /// A table with only the built-in names.
    pub fn new() -> Self {
        Objects::default()
    }

    /// Adds an object, as `OBJ_create` does.
    ///
    /// Fails when the OID already has a name, when either name is already
    /// taken, by a built-in object or by one added earlier, and when the OID
    /// text is not a dotted OID.
    pub fn create(&mut self, dotted: &str, short_name: &str, long_name: &str) -> Result<()> {
        let oid = Oid::parse_dotted(dotted).ok_or_else(|| {
            Error::new(
                Reason::UnknownObject,
                format!("invalid OID {dotted:?} for object {short_name:?}"),
            )
        })?;
        let named = oid
            .to_object_identifier()
            .is_some_and(|known| builtin().by_oid.contains_key(&known))
            || self.added.iter().any(|o| o.oid == oid);
        if named {
            return Err(Error::new(
                Reason::UnknownObject,
                format!("object {dotted} already has a name"),
            ));
        }
        if self.lookup_name(short_name).is_some() || self.lookup_name(long_name).is_some() {
            return Err(Error::new(
                Reason::UnknownObject,
                format!("object name {short_name:?} is already defined"),
            ));
        }
        self.added.push(Object {
            oid,
            short_name: short_name.to_owned(),
            long_name: long_name.to_owned(),
        });
        Ok(())
    }

    /// The objects added at run time, in the order they were added.
    pub fn added(&self) -> &[Object] {
        &self.added
    }

    fn lookup_name(&self, name: &str) -> Option<Oid> {
        let builtin = builtin();
        if let Some(oid) = builtin.by_short_name.get(name) {
            return Some(oid.into());
        }
        if let Some(object) = self.added.iter().find(|o| o.short_name == name) {
            return Some(object.oid.clone());
        }
        if let Some(oid) = builtin.by_long_name.get(name) {
            return Some(oid.into());
        }
        self.added
            .iter()
            .find(|o| o.long_name == name)
            .map(|o| o.oid.clone())
    }

    /// Resolves a short name, long name or dotted OID, as `OBJ_txt2obj(text, 0)`
    /// does, for OIDs that fit `ObjectIdentifier`.
    pub fn resolve(&self, text: &str) -> Option<ObjectIdentifier> {
        self.resolve_oid(text)?.to_object_identifier()
    }

    /// Resolves a short name, long name or dotted OID of any length, as
    /// `OBJ_txt2obj(text, 0)` does.
    pub fn resolve_oid(&self, text: &str) -> Option<Oid> {
        self.lookup_name(text).or_else(|| Oid::parse_dotted(text))
    }

    /// The text `OBJ_obj2txt(.., 0)` writes for an OID of any length: the long
    /// name when known, else the dotted form.
    pub fn text_oid(&self, oid: &Oid) -> String {
        if let Some(known) = oid.to_object_identifier()
            && let Some(name) = builtin().by_oid.get(&known)
        {
            return name.1.to_owned();
        }
        match self.added.iter().find(|o| o.oid == *oid) {
            Some(object) => object.long_name.clone(),
            None => oid.to_string(),
        }
    }

    /// Resolves `text` like [`Objects::resolve`], with an error that names the text.
    pub fn resolve_or_err(&self, text: &str) -> Result<ObjectIdentifier> {
        self.resolve(text).ok_or_else(|| {
            Error::new(
                Reason::UnknownObject,
                format!("cannot convert {text} to OID: not a known object name or dotted OID"),
            )
        })
    }

    /// The long name of a known OID, built-in names first.
    pub fn long_name(&self, oid: &ObjectIdentifier) -> Option<&str> {
        if let Some((_, long_name)) = builtin().by_oid.get(oid) {
            return Some(long_name);
        }
        self.added
            .iter()
            .find(|o| o.oid == *oid)
            .map(|o| o.long_name.as_str())
    }

    /// The short name of a known OID, built-in names first.
    pub fn short_name(&self, oid: &ObjectIdentifier) -> Option<&str> {
        if let Some((short_name, _)) = builtin().by_oid.get(oid) {
            return Some(short_name);
        }
        self.added
            .iter()
            .find(|o| o.oid == *oid)
            .map(|o| o.short_name.as_str())
    }

    /// The text `OBJ_obj2txt(.., 0)` writes: the long name when known, else the dotted form.
    pub fn text(&self, oid: &ObjectIdentifier) -> String {
        match self.long_name(oid) {
            Some(name) => name.to_owned(),
            None => oid.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_names_resolve() {
        let objects = Objects::new();
        let sha256 = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
        assert_eq!(objects.resolve("sha256"), Some(sha256));
        assert_eq!(objects.resolve("SHA256"), Some(sha256));
        assert_eq!(objects.text(&sha256), "sha256");
        assert_eq!(objects.short_name(&sha256), Some("SHA256"));
    }

    #[test]
    fn unknown_oid_prints_dotted() {
        let objects = Objects::new();
        let oid = objects.resolve("1.2.3.4.5.6").unwrap();
        assert_eq!(objects.text(&oid), "1.2.3.4.5.6");
    }

    #[test]
    fn created_names_resolve_and_print() {
        let mut objects = Objects::new();
        objects
            .create("1.2.3.4.1", "tsa_policy1", "tsa_policy1")
            .unwrap();
        let oid = objects.resolve("tsa_policy1").unwrap();
        assert_eq!(oid.to_string(), "1.2.3.4.1");
        assert_eq!(objects.text(&oid), "tsa_policy1");
    }

    #[test]
    fn create_rejects_taken_name() {
        let mut objects = Objects::new();
        assert!(objects.create("1.2.3.4", "sha256", "x").is_err());
        assert!(objects.create("not.an.oid", "y", "y").is_err());
    }

    #[test]
    fn resolve_rejects_garbage() {
        let objects = Objects::new();
        assert_eq!(objects.resolve("not_an_oid"), None);
        assert_eq!(objects.resolve(""), None);
        assert_eq!(objects.resolve("1"), None);
    }
}
