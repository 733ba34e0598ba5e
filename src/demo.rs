//! A ready-to-use demo TSA: a self-signed root, a TSA certificate with a
//! critical timeStamping extended key usage, their keys, a configuration file
//! and a serial file, written into one folder.
//!
//! The demo is for trying tsrs and for tests. Its keys are written unencrypted.

use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use der::asn1::{BitString, Int, Null, ObjectIdentifier, OctetString};
use der::{Encode, Sequence};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
};
use x509_cert::name::Name;
use x509_cert::time::{Time, Validity};

use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Result};
use crate::keys::{KeyKind, PrivateKey, Signer};
use crate::oid::known;

/// What to create.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The folder to write into; created if missing, and must not already hold a demo.
    pub dir: PathBuf,
    /// The key type for both the root and the TSA.
    pub key_kind: KeyKind,
    /// How long the TSA certificate is valid, in days (the root gets twice as long).
    pub days: u32,
}

impl DemoOptions {
    /// RSA keys and a one-year TSA certificate in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DemoOptions {
            dir: dir.into(),
            key_kind: KeyKind::Rsa,
            days: 365,
        }
    }
}

/// The files of a demo TSA.
#[derive(Debug, Clone)]
pub struct DemoTsa {
    /// The configuration file, with the TSA in section `tsa_config1`.
    pub config: PathBuf,
    /// The root certificate, for `-CAfile`.
    pub ca_cert: PathBuf,
    /// The TSA certificate.
    pub tsa_cert: PathBuf,
    /// The TSA key.
    pub tsa_key: PathBuf,
}

/// File names inside the demo folder.
const FILES: [&str; 6] = [
    "ca.key", "ca.pem", "tsa.key", "tsa.pem", "tsa.cnf", "serial",
];

/// Writes a demo TSA into `options.dir`.
pub fn create(options: &DemoOptions) -> Result<DemoTsa> {
    let dir = &options.dir;
    fs::create_dir_all(dir)
        .map_err(|e| Error::io("create folder", &dir.display().to_string(), &e))?;
    for name in FILES {
        if dir.join(name).exists() {
            return Err(Error::new(
                Reason::InvalidArgument,
                format!(
                    "{} already exists; choose an empty folder or remove the old demo",
                    dir.join(name).display()
                ),
            ));
        }
    }
    let dir = dir
        .canonicalize()
        .map_err(|e| Error::io("resolve", &dir.display().to_string(), &e))?;

    let now = SystemTime::now() - Duration::from_secs(3600);
    let day = Duration::from_secs(86_400);
    let tsa_days = u64::from(options.days.max(1));

    let ca_key = PrivateKey::generate(options.key_kind)?;
    let ca_name =
        Name::from_str("CN=tsrs Demo Root CA,O=tsrs demo").map_err(|e| Error::encode("name", e))?;
    let ca_spki = ca_key.public_key_info()?;
    let ca_key_id = key_id(&ca_spki)?;
    let ca_extensions = vec![
        extension(
            &BasicConstraints {
                ca: true,
                path_len_constraint: None,
            },
            true,
        )?,
        extension(&KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign), true)?,
        subject_key_id_extension(&ca_key_id)?,
    ];
    let ca_cert = build_certificate(CertificateFields {
        issuer: &ca_name,
        subject: &ca_name,
        subject_key: &ca_spki,
        not_before: now,
        not_after: now + day * (2 * tsa_days as u32),
        extensions: ca_extensions,
        signer: &ca_key,
    })?;

    let tsa_key = PrivateKey::generate(options.key_kind)?;
    let tsa_name =
        Name::from_str("CN=tsrs Demo TSA,O=tsrs demo").map_err(|e| Error::encode("name", e))?;
    let tsa_spki = tsa_key.public_key_info()?;
    let tsa_extensions = vec![
        extension(
            &BasicConstraints {
                ca: false,
                path_len_constraint: None,
            },
            true,
        )?,
        extension(
            &KeyUsage(KeyUsages::DigitalSignature | KeyUsages::NonRepudiation),
            true,
        )?,
        extension(&ExtendedKeyUsage(vec![known::KP_TIME_STAMPING]), true)?,
        subject_key_id_extension(&key_id(&tsa_spki)?)?,
        extension(
            &AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(ca_key_id).map_err(enc)?),
                authority_cert_issuer: None,
                authority_cert_serial_number: None,
            },
            false,
        )?,
    ];
    let tsa_cert = build_certificate(CertificateFields {
        issuer: &ca_name,
        subject: &tsa_name,
        subject_key: &tsa_spki,
        not_before: now,
        not_after: now + day * tsa_days as u32,
        extensions: tsa_extensions,
        signer: &ca_key,
    })?;

    write(&dir.join("ca.key"), ca_key.to_pkcs8_pem()?.as_bytes(), true)?;
    write(
        &dir.join("ca.pem"),
        pem("CERTIFICATE", &ca_cert)?.as_bytes(),
        false,
    )?;
    write(
        &dir.join("tsa.key"),
        tsa_key.to_pkcs8_pem()?.as_bytes(),
        true,
    )?;
    write(
        &dir.join("tsa.pem"),
        pem("CERTIFICATE", &tsa_cert)?.as_bytes(),
        false,
    )?;
    write(&dir.join("tsa.cnf"), config_text(&dir).as_bytes(), false)?;
    write(&dir.join("serial"), b"00\n", false)?;
    Ok(DemoTsa {
        config: dir.join("tsa.cnf"),
        ca_cert: dir.join("ca.pem"),
        tsa_cert: dir.join("tsa.pem"),
        tsa_key: dir.join("tsa.key"),
    })
}

/// The configuration: OpenSSL's usual `[tsa]` layout, with ESS v2 and SHA-256.
fn config_text(dir: &Path) -> String {
    format!(
        "# Demo TSA written by `tsrs demo`. Use it with
#   tsrs ts -reply -config 'DIR/tsa.cnf' -queryfile request.tsq -out response.tsr
# where DIR is {dir}
oid_section = demo_oids

[ demo_oids ]
tsa_policy1 = 1.2.3.4.1
tsa_policy2 = 1.2.3.4.5.6
tsa_policy3 = 1.2.3.4.5.7

[ tsa ]
default_tsa = tsa_config1

[ tsa_config1 ]
dir = {quoted}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = tsa_policy1
other_policies = tsa_policy2, tsa_policy3
digests = sha1, sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 3
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
",
        dir = dir.display(),
        quoted = quote_value(&dir.display().to_string()),
    )
}

/// Quotes a value for openssl.cnf: inside double quotes `#` and `$` lose
/// their meaning, and a backslash escapes `"` and itself.
fn quote_value(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

fn enc(err: der::Error) -> Error {
    Error::encode("demo certificate", err)
}

fn write(path: &Path, bytes: &[u8], secret: bool) -> Result<()> {
    let display = path.display().to_string();
    fs::write(path, bytes).map_err(|e| Error::io("write", &display, &e))?;
    if secret {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io("set permissions on", &display, &e))?;
    }
    Ok(())
}

fn pem(label: &str, der: &[u8]) -> Result<String> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
        .map_err(|e| Error::new(Reason::Pem, format!("cannot encode {label} as PEM: {e}")))
}

/// The SHA-1 of the public key bits (RFC 5280 section 4.2.1.2, method 1).
fn key_id(spki: &SubjectPublicKeyInfoOwned) -> Result<Vec<u8>> {
    let bits = spki.subject_public_key.raw_bytes();
    Ok(DigestAlgorithm::Sha1.digest(bits))
}

fn extension<T: Encode + const_oid::AssociatedOid>(value: &T, critical: bool) -> Result<Extension> {
    Ok(Extension {
        extn_id: T::OID,
        critical,
        extn_value: OctetString::new(value.to_der().map_err(enc)?).map_err(enc)?,
    })
}

fn subject_key_id_extension(id: &[u8]) -> Result<Extension> {
    let value = OctetString::new(id.to_vec()).map_err(enc)?;
    Ok(Extension {
        extn_id: ObjectIdentifier::new_unwrap("2.5.29.14"),
        critical: false,
        extn_value: OctetString::new(value.to_der().map_err(enc)?).map_err(enc)?,
    })
}

/// RFC 5280 section 4.1 TBSCertificate, version 3 with extensions.
#[derive(Sequence)]
struct TbsCertificate {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    version: u8,
    serial_number: Int,
    signature: AlgorithmIdentifierOwned,
    issuer: Name,
    validity: Validity,
    subject: Name,
    subject_public_key_info: SubjectPublicKeyInfoOwned,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT")]
    extensions: Vec<Extension>,
}

/// RFC 5280 section 4.1 Certificate.
#[derive(Sequence)]
struct Certificate {
    tbs_certificate: TbsCertificate,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

struct CertificateFields<'a> {
    issuer: &'a Name,
    subject: &'a Name,
    subject_key: &'a SubjectPublicKeyInfoOwned,
    not_before: SystemTime,
    not_after: SystemTime,
    extensions: Vec<Extension>,
    signer: &'a PrivateKey,
}

/// The X.509 signature algorithm for SHA-256 with the signer's key type.
fn certificate_signature_algorithm(kind: KeyKind) -> Result<AlgorithmIdentifierOwned> {
    let (oid, null) = match kind {
        KeyKind::Rsa => ("1.2.840.113549.1.1.11", true),
        KeyKind::EcP256 | KeyKind::EcP384 | KeyKind::EcP521 => ("1.2.840.10045.4.3.2", false),
        KeyKind::Ed25519 => ("1.3.101.112", false),
        other => {
            return Err(Error::new(
                Reason::UnsupportedAlgorithm,
                format!("the demo cannot sign certificates with {other:?} keys"),
            ));
        }
    };
    Ok(AlgorithmIdentifierOwned {
        oid: ObjectIdentifier::new_unwrap(oid),
        parameters: null.then(|| Null.into()),
    })
}

fn build_certificate(fields: CertificateFields<'_>) -> Result<Vec<u8>> {
    let mut serial = [0u8; 16];
    getrandom::fill(&mut serial)
        .map_err(|e| Error::new(Reason::Io, format!("cannot draw a serial number: {e}")))?;
    serial[0] &= 0x7F;
    serial[0] |= 0x01;
    let algorithm = certificate_signature_algorithm(fields.signer.kind())?;
    let time = |t: SystemTime| Time::try_from(t).map_err(enc);
    let tbs = TbsCertificate {
        version: 2,
        serial_number: Int::new(&serial).map_err(enc)?,
        signature: algorithm.clone(),
        issuer: fields.issuer.clone(),
        validity: Validity::new(time(fields.not_before)?, time(fields.not_after)?),
        subject: fields.subject.clone(),
        subject_public_key_info: fields.subject_key.clone(),
        extensions: fields.extensions,
    };
    let tbs_der = tbs.to_der().map_err(enc)?;
    let signature = fields.signer.sign(DigestAlgorithm::Sha256, &tbs_der)?;
    let cert = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(&signature).map_err(enc)?,
    };
    cert.to_der().map_err(enc)
}
