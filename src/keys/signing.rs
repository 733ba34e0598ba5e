//! Signature algorithms and signing for each kind of key.

use der::asn1::{Any, Null, ObjectIdentifier};
use spki::AlgorithmIdentifierOwned;

use super::{KeyKind, KeyMaterial, pss};
use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Result};
use crate::oid::known;

/// Finds the ECDSA signature algorithm for a digest, as `OBJ_find_sigid_by_algs`
/// does in OpenSSL 3.0 (RFC 5758 and the NIST SHA-3 arcs). MD5 and the
/// truncated SHA-512 variants have none.
pub(crate) fn ecdsa_algorithm_oid(digest: DigestAlgorithm) -> Option<ObjectIdentifier> {
    let dotted = match digest {
        DigestAlgorithm::Sha1 => "1.2.840.10045.4.1",
        DigestAlgorithm::Sha224 => "1.2.840.10045.4.3.1",
        DigestAlgorithm::Sha256 => "1.2.840.10045.4.3.2",
        DigestAlgorithm::Sha384 => "1.2.840.10045.4.3.3",
        DigestAlgorithm::Sha512 => "1.2.840.10045.4.3.4",
        DigestAlgorithm::Sha3_224 => "2.16.840.1.101.3.4.3.9",
        DigestAlgorithm::Sha3_256 => "2.16.840.1.101.3.4.3.10",
        DigestAlgorithm::Sha3_384 => "2.16.840.1.101.3.4.3.11",
        DigestAlgorithm::Sha3_512 => "2.16.840.1.101.3.4.3.12",
        _ => return None,
    };
    ObjectIdentifier::new(dotted).ok()
}

/// Chooses the digest, MGF1 digest and salt length an RSA-PSS key signs with.
///
/// A key with parameters signs only with its own digest (OpenSSL rejects any
/// other as "digest not allowed") and uses its MGF1 digest and salt length.
/// A key without them uses the requested digest for both and a salt as long
/// as the digest.
fn pss_choices(
    params: Option<&pss::PssParams>,
    digest: DigestAlgorithm,
) -> Result<(DigestAlgorithm, DigestAlgorithm, usize)> {
    match params {
        None => Ok((digest, digest, digest.output_len())),
        Some(params) if params.hash == digest => {
            Ok((params.hash, params.mgf1_hash, params.salt_len))
        }
        Some(params) => Err(Error::new(
            Reason::UnsupportedAlgorithm,
            format!(
                "cannot sign with an RSA-PSS key and {digest}: the key's parameters restrict it to {}",
                params.hash
            ),
        )),
    }
}

fn unsupported(kind: KeyKind, digest: DigestAlgorithm, reason: &str) -> Error {
    Error::new(
        Reason::UnsupportedAlgorithm,
        format!("cannot sign with an {kind} key and {digest}: {reason}"),
    )
}

fn ecdsa_unsupported(kind: KeyKind, digest: DigestAlgorithm) -> Error {
    unsupported(
        kind,
        digest,
        "ECDSA has no signature algorithm for this digest; use sha1, sha224, sha256, sha384, sha512 or a SHA-3 digest",
    )
}

/// Builds the signatureAlgorithm of a CMS SignerInfo, as OpenSSL 3.0 writes it
/// where it can sign: `rsaEncryption` with NULL parameters for any digest,
/// `ecdsa-with-*` without parameters, `id-Ed25519` without parameters, and
/// `id-RSASSA-PSS` with full RSASSA-PSS-params.
pub(crate) fn signature_algorithm(
    material: &KeyMaterial,
    digest: DigestAlgorithm,
) -> Result<AlgorithmIdentifierOwned> {
    match material {
        KeyMaterial::Rsa(_) => Ok(AlgorithmIdentifierOwned {
            oid: known::RSA_ENCRYPTION,
            parameters: Some(Any::from(Null)),
        }),
        KeyMaterial::RsaPss(_, params) => {
            let (hash, mgf1_hash, salt_len) = pss_choices(params.as_ref(), digest)?;
            pss::signature_algorithm(hash, mgf1_hash, salt_len)
        }
        KeyMaterial::Ec(key) => {
            let oid = ecdsa_algorithm_oid(digest)
                .ok_or_else(|| ecdsa_unsupported(key.curve().kind(), digest))?;
            Ok(AlgorithmIdentifierOwned {
                oid,
                parameters: None,
            })
        }
        KeyMaterial::Ed25519(_) => Ok(AlgorithmIdentifierOwned {
            oid: known::ED25519,
            parameters: None,
        }),
    }
}

/// The signatureAlgorithm of an `rsaEncryption` key configured to sign with
/// RSASSA-PSS: the choices of an RSA-PSS key without parameters.
pub(crate) fn rsa_pss_signature_algorithm(
    digest: DigestAlgorithm,
) -> Result<AlgorithmIdentifierOwned> {
    let (hash, mgf1_hash, salt_len) = pss_choices(None, digest)?;
    pss::signature_algorithm(hash, mgf1_hash, salt_len)
}

/// Signs `message` with RSASSA-PSS and an `rsaEncryption` key.
pub(crate) fn rsa_pss_sign(
    key: &rsa::PrivateKey,
    digest: DigestAlgorithm,
    message: &[u8],
) -> Result<Vec<u8>> {
    let (hash, mgf1_hash, salt_len) = pss_choices(None, digest)?;
    check_rsa_digest(hash)?;
    pss::sign(key, hash, mgf1_hash, salt_len, &hash.digest(message))
}

/// Signs `message`: RSA PKCS#1 v1.5 and RSASSA-PSS and ECDSA over its
/// `digest`, Ed25519 over the message itself (PureEdDSA, RFC 8032).
pub(crate) fn sign(
    material: &KeyMaterial,
    digest: DigestAlgorithm,
    message: &[u8],
) -> Result<Vec<u8>> {
    match material {
        KeyMaterial::Rsa(key) => {
            check_rsa_digest(digest)?;
            let hashed = digest.digest(message);
            let padding = rsa::Pkcs1v15Sign {
                hash_len: Some(digest.output_len()),
                prefix: digest_info_prefix(digest)?.into_boxed_slice(),
            };
            key.sign(padding, &hashed)
                .map_err(|err| Error::new(Reason::Signing, format!("RSA signing failed: {err}")))
        }
        KeyMaterial::RsaPss(key, params) => {
            let (hash, mgf1_hash, salt_len) = pss_choices(params.as_ref(), digest)?;
            check_rsa_digest(hash)?;
            check_rsa_digest(mgf1_hash)?;
            pss::sign(key, hash, mgf1_hash, salt_len, &hash.digest(message))
        }
        KeyMaterial::Ec(key) => {
            if ecdsa_algorithm_oid(digest).is_none() {
                return Err(ecdsa_unsupported(key.curve().kind(), digest));
            }
            key.sign_prehash(&digest.digest(message))
        }
        KeyMaterial::Ed25519(key) => {
            let signature = signature::Signer::<ed25519_dalek::Signature>::try_sign(key, message)
                .map_err(|err| {
                Error::new(Reason::Signing, format!("Ed25519 signing failed: {err}"))
            })?;
            Ok(signature.to_bytes().to_vec())
        }
    }
}

/// Rejects the digests OpenSSL 3.0's RSA signatures refuse as "digest not
/// allowed" (`ossl_digest_rsa_sign_get_md_nid`): all but SHA-1, SHA-2, SHA-3,
/// MD5, MD5-SHA1, MD4 and RIPEMD-160.
fn check_rsa_digest(digest: DigestAlgorithm) -> Result<()> {
    use DigestAlgorithm as D;
    match digest {
        D::Shake128
        | D::Shake256
        | D::Sm3
        | D::Blake2b512
        | D::Blake2s256
        | D::Whirlpool
        | D::KeccakKmac128
        | D::KeccakKmac256
        | D::Null => Err(Error::new(
            Reason::UnsupportedAlgorithm,
            format!("cannot sign with an RSA key and {digest}: OpenSSL's RSA does not allow it"),
        )
        .with_record(
            "Provider routines",
            "rsa_setup_md",
            "digest not allowed",
            format!("digest={}", digest.short_name()),
        )),
        _ => Ok(()),
    }
}

/// Builds the DER DigestInfo (RFC 8017 section 9.2) up to the digest itself:
/// `SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING <len> }`. OpenSSL writes
/// the NULL for every digest, the SHA-3 family included.
fn digest_info_prefix(digest: DigestAlgorithm) -> Result<Vec<u8>> {
    let oid = digest.oid_or_err()?;
    let oid_bytes = oid.as_bytes();
    // Every length below is under 128, so each fits in one length byte.
    let algorithm_len = 2 + oid_bytes.len() + 2;
    let total_len = 2 + algorithm_len + 2 + digest.output_len();
    let mut prefix = Vec::with_capacity(2 + total_len - digest.output_len());
    prefix.extend_from_slice(&[0x30, len_byte(total_len), 0x30, len_byte(algorithm_len)]);
    prefix.extend_from_slice(&[0x06, len_byte(oid_bytes.len())]);
    prefix.extend_from_slice(oid_bytes);
    prefix.extend_from_slice(&[0x05, 0x00, 0x04, len_byte(digest.output_len())]);
    Ok(prefix)
}

fn len_byte(len: usize) -> u8 {
    u8::try_from(len).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_info_prefix_sha256() {
        // RFC 8017 section 9.2, note 1.
        let expected = [
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ];
        assert_eq!(
            digest_info_prefix(DigestAlgorithm::Sha256).unwrap(),
            expected
        );
    }

    #[test]
    fn digest_info_prefix_md5() {
        let expected = [
            0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05,
            0x05, 0x00, 0x04, 0x10,
        ];
        assert_eq!(digest_info_prefix(DigestAlgorithm::Md5).unwrap(), expected);
    }

    #[test]
    fn ecdsa_oids_cover_openssl_digests() {
        for digest in DigestAlgorithm::ALL {
            let expected = matches!(
                digest,
                DigestAlgorithm::Sha1
                    | DigestAlgorithm::Sha224
                    | DigestAlgorithm::Sha256
                    | DigestAlgorithm::Sha384
                    | DigestAlgorithm::Sha512
                    | DigestAlgorithm::Sha3_224
                    | DigestAlgorithm::Sha3_256
                    | DigestAlgorithm::Sha3_384
                    | DigestAlgorithm::Sha3_512
            );
            assert_eq!(ecdsa_algorithm_oid(digest).is_some(), expected, "{digest}");
        }
    }
}
