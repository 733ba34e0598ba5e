//! `X509_check_private_key`: does a signer's key belong to a certificate?

use der::Decode;
use der::asn1::ObjectIdentifier;
use spki::SubjectPublicKeyInfoOwned;

use super::ec::{self, Curve};
use super::{Signer, describe_oid};
use crate::error::{Error, Reason, Result};
use crate::oid::known;

/// Key types that OpenSSL 3.0 supports but tsrs does not sign with. OpenSSL
/// reports "key type mismatch" for a certificate with one of them, not a
/// decoding failure.
const OTHER_KNOWN_KEY_TYPES: [&str; 6] = [
    "1.2.840.10040.4.1",    // DSA
    "1.2.840.10046.2.1",    // X9.42 DH
    "1.2.840.113549.1.3.1", // PKCS#3 DH
    "1.3.101.110",          // X25519
    "1.3.101.111",          // X448
    "1.3.101.113",          // Ed448
];

/// A public key reduced to the values OpenSSL compares.
#[derive(Debug, PartialEq, Eq)]
enum PublicValue {
    /// RSA or RSA-PSS: the modulus and exponent without leading zeros.
    /// OpenSSL compares only these, not the PSS parameters.
    Rsa { modulus: Vec<u8>, exponent: Vec<u8> },
    /// The curve and the point, uncompressed when tsrs supports the curve.
    Ec {
        curve: ObjectIdentifier,
        point: Vec<u8>,
    },
    /// Ed25519 or another key compared as raw bytes.
    Raw(Vec<u8>),
}

/// A public key from a SubjectPublicKeyInfo, with its type for messages.
struct PublicKey {
    key_type: ObjectIdentifier,
    description: String,
    value: PublicValue,
}

impl PublicKey {
    /// Decodes `spki`. `owner` names the key in the error message.
    fn from_spki(spki: &SubjectPublicKeyInfoOwned, owner: &str) -> Result<PublicKey> {
        let key_type = spki.algorithm.oid;
        let undecodable = |detail: &str| {
            Error::new(
                Reason::KeyMismatch,
                format!("unable to get {owner} public key: {detail}"),
            )
        };
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| undecodable("the BIT STRING has unused bits"))?;
        let (description, value) = match key_type {
            known::RSA_ENCRYPTION | known::RSASSA_PSS => {
                let key = pkcs1::RsaPublicKeyRef::from_der(bits)
                    .map_err(|err| undecodable(&format!("malformed RSAPublicKey: {err}")))?;
                let name = if key_type == known::RSA_ENCRYPTION {
                    "RSA"
                } else {
                    "RSA-PSS"
                };
                let value = PublicValue::Rsa {
                    modulus: key.modulus.as_bytes().to_vec(),
                    exponent: key.public_exponent.as_bytes().to_vec(),
                };
                (name.to_owned(), value)
            }
            known::EC_PUBLIC_KEY => {
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|parameters| parameters.decode_as::<ObjectIdentifier>().ok())
                    .ok_or_else(|| undecodable("the EC key has no named curve"))?;
                let point = match Curve::from_oid(&curve) {
                    Some(known_curve) => ec::normalize_point(known_curve, bits)
                        .ok_or_else(|| undecodable("the EC point is not on the curve"))?,
                    None => bits.to_vec(),
                };
                let name = match Curve::from_oid(&curve) {
                    Some(known_curve) => known_curve.kind().name().to_owned(),
                    None => format!("EC {}", describe_oid(&curve)),
                };
                (name, PublicValue::Ec { curve, point })
            }
            known::ED25519 => ("Ed25519".to_owned(), PublicValue::Raw(bits.to_vec())),
            other if is_other_known_type(&other) => {
                (describe_oid(&other), PublicValue::Raw(bits.to_vec()))
            }
            other => {
                return Err(undecodable(&format!(
                    "unsupported algorithm {}",
                    describe_oid(&other)
                )));
            }
        };
        Ok(PublicKey {
            key_type,
            description,
            value,
        })
    }
}

fn is_other_known_type(oid: &ObjectIdentifier) -> bool {
    OTHER_KNOWN_KEY_TYPES
        .iter()
        .any(|dotted| ObjectIdentifier::new(dotted).is_ok_and(|known| known == *oid))
}

/// Checks that `signer`'s public key is the one in `certificate_key`, as
/// `X509_check_private_key` does.
///
/// The verdicts are OpenSSL 3.0's: "key type mismatch" when the algorithms
/// differ (RSA and RSA-PSS are different types), "key values mismatch" when
/// the type is the same but the values differ (for EC, a different curve
/// counts as different values). Points are compared as points, so a
/// compressed and an uncompressed encoding of the same key match.
///
/// # Errors
///
/// [`Reason::KeyMismatch`], with a message naming both kinds of key, when the
/// keys differ or the certificate's key cannot be decoded. Errors from the
/// signer's [`Signer::public_key_info`] are returned unchanged.
pub fn check_key_matches(
    signer: &dyn Signer,
    certificate_key: &SubjectPublicKeyInfoOwned,
) -> Result<()> {
    let certificate = PublicKey::from_spki(certificate_key, "the certificate's")?;
    let key = PublicKey::from_spki(&signer.public_key_info()?, "the private key's")?;
    if key.key_type != certificate.key_type {
        return Err(mismatch_with_types(
            "key type mismatch",
            &format!(
                "the private key is {}, the certificate's key is {}",
                key.description, certificate.description
            ),
        ));
    }
    if key.value != certificate.value {
        let detail = if key.description == certificate.description {
            format!(
                "the private key and the certificate's key are both {} but differ",
                key.description
            )
        } else {
            format!(
                "the private key is {}, the certificate's key is {}",
                key.description, certificate.description
            )
        };
        return Err(mismatch("key values mismatch", &detail));
    }
    Ok(())
}

/// OpenSSL 3.0 raises `different key types` in its key management layer
/// before `X509_check_private_key` reports the mismatch.
fn mismatch_with_types(verdict: &'static str, detail: &str) -> Error {
    Error::new(Reason::KeyMismatch, "")
        .with_record(
            crate::error::lib::EVP,
            "evp_keymgmt_util_match",
            "different key types",
            "",
        )
        .with_record(
            crate::error::lib::X509,
            "X509_check_private_key",
            verdict,
            "",
        )
        .retitled(format!(
            "private key does not match certificate: {verdict} ({detail})"
        ))
}

fn mismatch(verdict: &'static str, detail: &str) -> Error {
    Error::new(
        Reason::KeyMismatch,
        format!("private key does not match certificate: {verdict} ({detail})"),
    )
    .with_record(
        crate::error::lib::X509,
        "X509_check_private_key",
        verdict,
        "",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{KeyKind, PrivateKey};

    #[test]
    fn same_key_matches() {
        let key = PrivateKey::generate(KeyKind::EcP256).unwrap();
        let spki = key.public_key_info().unwrap();
        assert!(check_key_matches(&key, &spki).is_ok());
    }

    #[test]
    fn other_curve_is_value_mismatch() {
        let key = PrivateKey::generate(KeyKind::EcP256).unwrap();
        let other = PrivateKey::generate(KeyKind::EcP384).unwrap();
        let err = check_key_matches(&key, &other.public_key_info().unwrap()).unwrap_err();
        assert_eq!(err.reason(), Reason::KeyMismatch);
        assert!(err.message().contains("key values mismatch"), "{err}");
        assert!(err.message().contains("EC P-256"), "{err}");
        assert!(err.message().contains("EC P-384"), "{err}");
    }

    #[test]
    fn ed25519_against_ec_is_type_mismatch() {
        let key = PrivateKey::generate(KeyKind::Ed25519).unwrap();
        let other = PrivateKey::generate(KeyKind::EcP256).unwrap();
        let err = check_key_matches(&key, &other.public_key_info().unwrap()).unwrap_err();
        assert!(err.message().contains("key type mismatch"), "{err}");
    }
}
