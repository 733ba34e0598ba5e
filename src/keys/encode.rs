//! SubjectPublicKeyInfo and PKCS#8 encodings, byte for byte as OpenSSL 3.0
//! writes them with `openssl pkey -pubout` and `openssl pkey`.

use der::asn1::{Any, BitString, Null, OctetStringRef};
use der::{Decode, Encode};
use pkcs8::PrivateKeyInfoRef;
use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
use spki::{AlgorithmIdentifierOwned, AlgorithmIdentifierRef, SubjectPublicKeyInfoOwned};
use zeroize::Zeroizing;

use super::KeyMaterial;
use crate::error::{Error, Reason, Result};
use crate::oid::known;

/// Builds the AlgorithmIdentifier of the key in a SubjectPublicKeyInfo and
/// in PKCS#8: `rsaEncryption` with NULL, `id-RSASSA-PSS` with the key's
/// parameters or none, `id-ecPublicKey` with the named curve, `id-Ed25519`
/// without parameters.
fn key_algorithm(material: &KeyMaterial) -> Result<AlgorithmIdentifierOwned> {
    let (oid, parameters) = match material {
        KeyMaterial::Rsa(_) => (known::RSA_ENCRYPTION, Some(Any::from(Null))),
        KeyMaterial::RsaPss(_, params) => (
            known::RSASSA_PSS,
            params.as_ref().map(|params| params.encoded.clone()),
        ),
        KeyMaterial::Ec(key) => {
            let curve = Any::encode_from(&key.curve().oid())
                .map_err(|err| Error::encode("the curve OID", err))?;
            (known::EC_PUBLIC_KEY, Some(curve))
        }
        KeyMaterial::Ed25519(_) => (known::ED25519, None),
    };
    Ok(AlgorithmIdentifierOwned { oid, parameters })
}

/// Encodes the subjectPublicKey bits: RSAPublicKey DER, a SEC1 point, or the
/// 32-byte Ed25519 key.
fn public_key_bytes(material: &KeyMaterial) -> Result<Vec<u8>> {
    match material {
        KeyMaterial::Rsa(key) | KeyMaterial::RsaPss(key, _) => key
            .to_public_key()
            .to_pkcs1_der()
            .map(|document| document.as_bytes().to_vec())
            .map_err(|err| {
                Error::new(
                    Reason::Encode,
                    format!("cannot encode the RSA public key: {err}"),
                )
            }),
        KeyMaterial::Ec(key) => Ok(key.public_point()),
        KeyMaterial::Ed25519(key) => Ok(key.verifying_key().to_bytes().to_vec()),
    }
}

pub(crate) fn public_key_info(material: &KeyMaterial) -> Result<SubjectPublicKeyInfoOwned> {
    let subject_public_key = BitString::from_bytes(&public_key_bytes(material)?)
        .map_err(|err| Error::encode("the public key", err))?;
    Ok(SubjectPublicKeyInfoOwned {
        algorithm: key_algorithm(material)?,
        subject_public_key,
    })
}

/// Encodes the privateKey OCTET STRING contents: RSAPrivateKey, ECPrivateKey without
/// parameters but with the public key unless the loaded key had none (as
/// OpenSSL writes it inside PKCS#8),
/// or the Ed25519 CurvePrivateKey OCTET STRING (RFC 8410 section 7).
fn private_key_bytes(material: &KeyMaterial) -> Result<Zeroizing<Vec<u8>>> {
    match material {
        KeyMaterial::Rsa(key) | KeyMaterial::RsaPss(key, _) => key
            .to_pkcs1_der()
            .map(|document| Zeroizing::new(document.as_bytes().to_vec()))
            .map_err(|err| {
                Error::new(
                    Reason::Encode,
                    format!("cannot encode the RSA private key: {err}"),
                )
            }),
        KeyMaterial::Ec(key) => {
            let scalar = key.scalar_bytes();
            let point = key.stored_public_point();
            let ec_private_key = sec1::EcPrivateKey {
                private_key: &scalar,
                parameters: None,
                public_key: point.as_deref(),
            };
            ec_private_key
                .to_der()
                .map(Zeroizing::new)
                .map_err(|err| Error::encode("the EC private key", err))
        }
        KeyMaterial::Ed25519(key) => {
            let seed = Zeroizing::new(key.to_bytes());
            OctetStringRef::new(seed.as_slice())
                .and_then(|octets| octets.to_der())
                .map(Zeroizing::new)
                .map_err(|err| Error::encode("the Ed25519 private key", err))
        }
    }
}

/// The unencrypted PKCS#8 PrivateKeyInfo, version 0, without attributes or
/// public key field.
pub(crate) fn private_key_info(material: &KeyMaterial) -> Result<Zeroizing<Vec<u8>>> {
    let algorithm = key_algorithm(material)?;
    let private_key = private_key_bytes(material)?;
    let algorithm_der = algorithm
        .to_der()
        .map_err(|err| Error::encode("the key algorithm", err))?;
    let algorithm_ref = AlgorithmIdentifierRef::from_der(&algorithm_der)
        .map_err(|err| Error::encode("the key algorithm", err))?;
    let octets =
        OctetStringRef::new(&private_key).map_err(|err| Error::encode("the private key", err))?;
    let info = PrivateKeyInfoRef::new(algorithm_ref, octets);
    info.to_der()
        .map(Zeroizing::new)
        .map_err(|err| Error::encode("the PKCS#8 private key", err))
}
