//! RSASSA-PSS: the RSASSA-PSS-params of RFC 4055 section 3.1 and the
//! EMSA-PSS encoding of RFC 8017 section 9.1.1.
//!
//! The encoding is written here, rather than taken from the `rsa` crate,
//! because a PSS key may name an MGF1 digest that differs from the message
//! digest, and `rsa::pss` uses one digest for both.

use der::asn1::{Any, AnyRef, Null};
use der::{Decode, Encode, Sequence};
use rsa::traits::PublicKeyParts;
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Result};
use crate::oid::known;

/// The saltLength that RSASSA-PSS-params defaults to.
const DEFAULT_SALT_LEN: usize = 20;

/// RSASSA-PSS-params (RFC 4055 section 3.1):
///
/// ```text
/// RSASSA-PSS-params  ::=  SEQUENCE  {
///     hashAlgorithm      [0] HashAlgorithm DEFAULT sha1Identifier,
///     maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
///     saltLength         [2] INTEGER DEFAULT 20,
///     trailerField       [3] INTEGER DEFAULT 1 }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
struct RsassaPssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask_gen_algorithm: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_length: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer_field: Option<u32>,
}

/// The restrictions an `id-RSASSA-PSS` key carries in its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PssParams {
    pub(crate) hash: DigestAlgorithm,
    pub(crate) mgf1_hash: DigestAlgorithm,
    /// The minimum salt length, which OpenSSL also uses when signing.
    pub(crate) salt_len: usize,
    /// The parameters as the key file encoded them, for the SubjectPublicKeyInfo.
    pub(crate) encoded: Any,
}

impl PssParams {
    /// Parses the parameters of an `id-RSASSA-PSS` AlgorithmIdentifier.
    pub(crate) fn from_any(any: AnyRef<'_>) -> Result<PssParams> {
        let der = any
            .to_der()
            .map_err(|err| Error::decode("RSASSA-PSS parameters", err))?;
        let params = RsassaPssParams::from_der(&der).map_err(|err| {
            Error::new(
                Reason::KeyLoad,
                format!("invalid RSASSA-PSS parameters: {err}"),
            )
        })?;
        let hash = match &params.hash_algorithm {
            None => DigestAlgorithm::Sha1,
            Some(algorithm) => hash_from_identifier(algorithm, "hashAlgorithm")?,
        };
        let mgf1_hash = match &params.mask_gen_algorithm {
            None => DigestAlgorithm::Sha1,
            Some(algorithm) => mgf1_hash_from_identifier(algorithm)?,
        };
        if params.trailer_field.is_some_and(|trailer| trailer != 1) {
            return Err(Error::new(
                Reason::KeyLoad,
                "unsupported RSASSA-PSS trailerField; only 1 (0xBC) is defined",
            ));
        }
        let salt_len = match params.salt_length {
            None => DEFAULT_SALT_LEN,
            Some(len) => usize::try_from(len).unwrap_or(usize::MAX),
        };
        Ok(PssParams {
            hash,
            mgf1_hash,
            salt_len,
            encoded: Any::from(any),
        })
    }
}

fn hash_from_identifier(
    algorithm: &AlgorithmIdentifierOwned,
    field: &str,
) -> Result<DigestAlgorithm> {
    let parameters_ok = algorithm.parameters.as_ref().is_none_or(|p| p.is_null());
    match DigestAlgorithm::from_oid(&algorithm.oid) {
        Some(digest) if parameters_ok => Ok(digest),
        Some(digest) => Err(Error::new(
            Reason::KeyLoad,
            format!("invalid RSASSA-PSS {field}: {digest} with parameters other than NULL"),
        )),
        None => Err(Error::new(
            Reason::KeyLoad,
            format!("unsupported RSASSA-PSS {field} digest {}", algorithm.oid),
        )),
    }
}

fn mgf1_hash_from_identifier(algorithm: &AlgorithmIdentifierOwned) -> Result<DigestAlgorithm> {
    if algorithm.oid != known::MGF1 {
        return Err(Error::new(
            Reason::KeyLoad,
            format!(
                "unsupported RSASSA-PSS maskGenAlgorithm {}; only MGF1 is supported",
                algorithm.oid
            ),
        ));
    }
    let hash = algorithm
        .parameters
        .as_ref()
        .and_then(|any| any.decode_as::<AlgorithmIdentifierOwned>().ok())
        .ok_or_else(|| {
            Error::new(
                Reason::KeyLoad,
                "invalid RSASSA-PSS maskGenAlgorithm: MGF1 without a digest",
            )
        })?;
    hash_from_identifier(&hash, "MGF1")
}

/// Builds the digest AlgorithmIdentifier with NULL parameters, as RFC 4055
/// section 2.1 writes it inside RSASSA-PSS-params.
fn hash_identifier(digest: DigestAlgorithm) -> Result<AlgorithmIdentifierOwned> {
    Ok(AlgorithmIdentifierOwned {
        oid: digest.oid_or_err()?,
        parameters: Some(Any::from(Null)),
    })
}

/// Builds the signatureAlgorithm for RSASSA-PSS with these choices:
/// `id-RSASSA-PSS` with RSASSA-PSS-params. DER requires each field with its
/// DEFAULT value to be left out, and the digests get NULL parameters as in
/// RFC 4055.
pub(crate) fn signature_algorithm(
    hash: DigestAlgorithm,
    mgf1_hash: DigestAlgorithm,
    salt_len: usize,
) -> Result<AlgorithmIdentifierOwned> {
    let mask_gen_algorithm = if mgf1_hash == DigestAlgorithm::Sha1 {
        None
    } else {
        let hash_der = hash_identifier(mgf1_hash)?
            .to_der()
            .map_err(|err| Error::encode("MGF1 parameters", err))?;
        let parameters =
            Any::from_der(&hash_der).map_err(|err| Error::encode("MGF1 parameters", err))?;
        Some(AlgorithmIdentifierOwned {
            oid: known::MGF1,
            parameters: Some(parameters),
        })
    };
    let salt_length = if salt_len == DEFAULT_SALT_LEN {
        None
    } else {
        Some(u32::try_from(salt_len).map_err(|_| {
            Error::new(
                Reason::Signing,
                format!("RSASSA-PSS salt length {salt_len} is too large"),
            )
        })?)
    };
    let params = RsassaPssParams {
        hash_algorithm: (hash != DigestAlgorithm::Sha1)
            .then(|| hash_identifier(hash))
            .transpose()?,
        mask_gen_algorithm,
        salt_length,
        trailer_field: None,
    };
    let params_der = params
        .to_der()
        .map_err(|err| Error::encode("RSASSA-PSS parameters", err))?;
    let parameters =
        Any::from_der(&params_der).map_err(|err| Error::encode("RSASSA-PSS parameters", err))?;
    Ok(AlgorithmIdentifierOwned {
        oid: known::RSASSA_PSS,
        parameters: Some(parameters),
    })
}

/// Signs the message digest `m_hash` with RSASSA-PSS (RFC 8017 section 8.1.1).
pub(crate) fn sign(
    key: &rsa::PrivateKey,
    hash: DigestAlgorithm,
    mgf1_hash: DigestAlgorithm,
    salt_len: usize,
    m_hash: &[u8],
) -> Result<Vec<u8>> {
    let modulus_len = key.size();
    let em_bits = usize::try_from(key.n().as_ref().bit_width())
        .unwrap_or(usize::MAX)
        .saturating_sub(1);
    let mut salt = Zeroizing::new(vec![0u8; salt_len]);
    super::fill_random(&mut salt)?;
    let encoded = emsa_pss_encode(m_hash, em_bits, &salt, hash, mgf1_hash)?;

    let message = rsa::BoxedUint::from_be_slice(&encoded, key.n_bits_precision())
        .map_err(|err| signing_error(format!("cannot convert the PSS encoding: {err:?}")))?;
    let signature = rsa::hazmat::rsa_decrypt_and_check(key, Some(&mut getrandom::SysRng), &message)
        .map_err(|err| signing_error(format!("RSA private key operation failed: {err}")))?;
    left_pad(&signature.to_be_bytes(), modulus_len)
}

/// EMSA-PSS-ENCODE (RFC 8017 section 9.1.1), with MGF1 over `mgf1_hash`.
fn emsa_pss_encode(
    m_hash: &[u8],
    em_bits: usize,
    salt: &[u8],
    hash: DigestAlgorithm,
    mgf1_hash: DigestAlgorithm,
) -> Result<Vec<u8>> {
    let h_len = hash.output_len();
    let em_len = em_bits.div_ceil(8);
    if m_hash.len() != h_len {
        return Err(signing_error(format!(
            "the {hash} digest must be {h_len} bytes, not {}",
            m_hash.len()
        )));
    }
    if em_len < h_len + salt.len() + 2 {
        return Err(signing_error(format!(
            "the RSA key is too small for RSASSA-PSS with {hash} and a {}-byte salt",
            salt.len()
        )));
    }

    // H = Hash(0x00 x 8 || mHash || salt)
    let mut hasher = hash.hasher();
    hasher.update(&[0u8; 8]);
    hasher.update(m_hash);
    hasher.update(salt);
    let h = hasher.finalize();

    // DB = PS || 0x01 || salt, masked with MGF1(H)
    let db_len = em_len - h_len - 1;
    let mut db = vec![0u8; db_len];
    let one_at = db_len - salt.len() - 1;
    if let Some(byte) = db.get_mut(one_at) {
        *byte = 0x01;
    }
    if let Some(tail) = db.get_mut(one_at + 1..) {
        tail.copy_from_slice(salt);
    }
    mgf1_xor(&mut db, &h, mgf1_hash);
    let unused_bits = 8 * em_len - em_bits;
    if let Some(first) = db.first_mut() {
        *first &= 0xFF >> unused_bits;
    }

    let mut encoded = db;
    encoded.extend_from_slice(&h);
    encoded.push(0xBC);
    Ok(encoded)
}

/// XORs `out` with MGF1(seed) (RFC 8017 appendix B.2.1).
fn mgf1_xor(out: &mut [u8], seed: &[u8], digest: DigestAlgorithm) {
    let mut counter: u32 = 0;
    for chunk in out.chunks_mut(digest.output_len()) {
        let mut hasher = digest.hasher();
        hasher.update(seed);
        hasher.update(&counter.to_be_bytes());
        let mask = hasher.finalize();
        for (byte, mask_byte) in chunk.iter_mut().zip(mask.iter()) {
            *byte ^= mask_byte;
        }
        counter = counter.wrapping_add(1);
    }
}

/// Returns the big-endian `bytes` as exactly `len` bytes, as I2OSP requires.
pub(crate) fn left_pad(bytes: &[u8], len: usize) -> Result<Vec<u8>> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let significant = bytes.get(start..).unwrap_or_default();
    if significant.len() > len {
        return Err(signing_error(
            "the RSA result is longer than the modulus".into(),
        ));
    }
    let mut out = vec![0u8; len - significant.len()];
    out.extend_from_slice(significant);
    Ok(out)
}

fn signing_error(message: String) -> Error {
    Error::new(Reason::Signing, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_parameters_are_complete() {
        let algorithm =
            signature_algorithm(DigestAlgorithm::Sha256, DigestAlgorithm::Sha256, 32).unwrap();
        let der = algorithm.to_der().unwrap();
        let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
        // id-RSASSA-PSS { [0] sha256 NULL, [1] mgf1 { sha256 NULL }, [2] 32 }
        assert_eq!(
            hex,
            "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120"
        );
    }

    #[test]
    fn sha1_defaults_are_omitted() {
        let algorithm =
            signature_algorithm(DigestAlgorithm::Sha1, DigestAlgorithm::Sha1, 20).unwrap();
        let der = algorithm.to_der().unwrap();
        assert_eq!(
            der,
            [
                0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30,
                0x00
            ]
        );
    }

    #[test]
    fn parameters_round_trip() {
        let algorithm =
            signature_algorithm(DigestAlgorithm::Sha384, DigestAlgorithm::Sha256, 48).unwrap();
        let parameters = algorithm.parameters.unwrap();
        let params = PssParams::from_any(parameters.to_ref()).unwrap();
        assert_eq!(params.hash, DigestAlgorithm::Sha384);
        assert_eq!(params.mgf1_hash, DigestAlgorithm::Sha256);
        assert_eq!(params.salt_len, 48);
    }

    #[test]
    fn left_pad_sizes() {
        assert_eq!(left_pad(&[0, 0, 1, 2], 3).unwrap(), vec![0, 1, 2]);
        assert_eq!(left_pad(&[1, 2], 4).unwrap(), vec![0, 0, 1, 2]);
        assert!(left_pad(&[1, 2, 3], 2).is_err());
    }
}
