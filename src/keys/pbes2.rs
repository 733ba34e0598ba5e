//! PBES2 (RFC 8018 section 6.2) as OpenSSL 3.0 reads it: a key derived with
//! PBKDF2 or scrypt, then one of the ciphers of [`Cipher::from_pbes2_oid`]
//! or RC2-CBC.
//!
//! OpenSSL 3.0.19 accepts these PBKDF2 PRFs (its `builtin_pbe` table, less
//! the GOST HMACs whose digests the default provider lacks): HMAC with
//! SHA-1, MD5, SHA-224, SHA-256, SHA-384, SHA-512, SHA-512/224 and
//! SHA-512/256. It rejects HMAC with SHA-3 or SM3 as "unsupported prf".

use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, Sequence, SliceReader, Tag, Tagged};
use spki::AlgorithmIdentifierRef;
use zeroize::Zeroizing;

use super::cipher::{
    BlockAlgorithm, Cipher, Mode, check_ciphertext_len, legacy_cipher_not_implemented,
    needs_legacy_provider,
};
use super::{describe_oid, pem};
use crate::error::{Error, Reason, Result};

/// `id-PBES2`.
pub(crate) const PBES2_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const PBKDF2_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.12");
const SCRYPT_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11591.4.11");
const AES_128_GCM_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.6");
const AES_256_GCM_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.1.46");
const RC2_CBC_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.3.2");

/// RC2-CBC-Parameter (RFC 8018 appendix B.2.3). RFC 8018 makes the version
/// optional; OpenSSL 3.0 requires it, and so does tsrs.
#[derive(Sequence)]
struct Rc2CbcParameter<'a> {
    rc2_parameter_version: u32,
    iv: &'a OctetStringRef,
}

/// The maximum number of PBKDF2 iterations tsrs runs for an encrypted key.
/// OpenSSL has no limit. This one keeps a hostile file from taking hours and
/// is far above the 2048 iterations that OpenSSL 3.0 writes.
pub(crate) const MAX_ITERATIONS: u32 = 10_000_000;

/// The maximum memory scrypt may use for an encrypted key: 32 MiB, which is
/// OpenSSL's `SCRYPT_MAX_MEM`, counted as OpenSSL counts it.
const MAX_SCRYPT_MEMORY: u128 = 32 * 1024 * 1024;

/// The maximum scrypt work N * r * p: 128 times the work of what `openssl
/// pkcs8 -scrypt` writes (N = 16384, r = 8, p = 1). OpenSSL has no such
/// limit. Without it, r = 1 with N and p near 2^18 stays under the memory
/// limit yet needs 2^19 times the work of those defaults.
const MAX_SCRYPT_WORK: u128 = 1 << 24;

/// The GCM nonce length of the PBES2 form that RustCrypto's `pkcs5` crate writes.
const GCM_NONCE_LEN: usize = 12;
/// The GCM tag length of that form, appended to the ciphertext.
const GCM_TAG_LEN: usize = 16;

/// PBES2-params (RFC 8018 appendix A.4), with both algorithms kept generic
/// so that an unsupported one is named in the error.
#[derive(Sequence)]
struct Pbes2Params<'a> {
    key_derivation_func: AlgorithmIdentifierRef<'a>,
    encryption_scheme: AlgorithmIdentifierRef<'a>,
}

/// PBKDF2-params (RFC 8018 appendix A.2), with the salt kept generic because
/// OpenSSL rejects the otherSource choice by name.
#[derive(Sequence)]
struct Pbkdf2Params<'a> {
    salt: AnyRef<'a>,
    iteration_count: u32,
    key_length: Option<u32>,
    prf: Option<AlgorithmIdentifierRef<'a>>,
}

/// scrypt-params (RFC 7914 section 7.1).
#[derive(Sequence)]
struct ScryptParams<'a> {
    salt: &'a OctetStringRef,
    cost_parameter: u64,
    block_size: u64,
    parallelization_parameter: u64,
    key_length: Option<u32>,
}

/// The PBKDF2 PRFs by OID: the PKCS#5 `hmacWith...` OIDs and the IPsec
/// `hmac-md5` and `hmac-sha1` OIDs, which OpenSSL accepts as well.
const PRFS: [(ObjectIdentifier, Prf); 10] = [
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.7"),
        Prf::Sha1,
    ),
    (ObjectIdentifier::new_unwrap("1.3.6.1.5.5.8.1.2"), Prf::Sha1),
    (ObjectIdentifier::new_unwrap("1.2.840.113549.2.6"), Prf::Md5),
    (ObjectIdentifier::new_unwrap("1.3.6.1.5.5.8.1.1"), Prf::Md5),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.8"),
        Prf::Sha224,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.9"),
        Prf::Sha256,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.10"),
        Prf::Sha384,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.11"),
        Prf::Sha512,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.12"),
        Prf::Sha512_224,
    ),
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.2.13"),
        Prf::Sha512_256,
    ),
];

/// The HMAC of a PBKDF2 PRF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prf {
    Sha1,
    Md5,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sha512_224,
    Sha512_256,
}

impl Prf {
    /// Looks up the PRF an AlgorithmIdentifier names. OpenSSL ignores its parameters.
    fn from_oid(oid: &ObjectIdentifier) -> Option<Prf> {
        PRFS.iter()
            .find(|(known, _)| known == oid)
            .map(|&(_, prf)| prf)
    }

    fn derive(self, passphrase: &[u8], salt: &[u8], iterations: u32, key: &mut [u8]) {
        use pbkdf2::pbkdf2_hmac;
        match self {
            Prf::Sha1 => pbkdf2_hmac::<sha1::Sha1>(passphrase, salt, iterations, key),
            Prf::Md5 => pbkdf2_hmac::<md5::Md5>(passphrase, salt, iterations, key),
            Prf::Sha224 => pbkdf2_hmac::<sha2::Sha224>(passphrase, salt, iterations, key),
            Prf::Sha256 => pbkdf2_hmac::<sha2::Sha256>(passphrase, salt, iterations, key),
            Prf::Sha384 => pbkdf2_hmac::<sha2::Sha384>(passphrase, salt, iterations, key),
            Prf::Sha512 => pbkdf2_hmac::<sha2::Sha512>(passphrase, salt, iterations, key),
            Prf::Sha512_224 => pbkdf2_hmac::<sha2::Sha512_224>(passphrase, salt, iterations, key),
            Prf::Sha512_256 => pbkdf2_hmac::<sha2::Sha512_256>(passphrase, salt, iterations, key),
        }
    }
}

/// A key derivation function with its parameters.
enum Kdf<'a> {
    Pbkdf2 {
        salt: &'a [u8],
        iterations: u32,
        prf: Prf,
    },
    Scrypt {
        salt: &'a [u8],
        params: scrypt::Params,
    },
}

/// The cipher that encrypts the key.
#[derive(Debug, Clone, Copy)]
enum Scheme<'a> {
    Cipher {
        cipher: Cipher,
        iv: &'a [u8],
    },
    /// AES-GCM in the form of RustCrypto's `pkcs5` crate: the parameters are
    /// the bare 12-byte nonce, and the 16-byte tag follows the ciphertext.
    /// OpenSSL 3.0 rejects this form ("cipher parameter error").
    AesGcm {
        key_len: usize,
        nonce: &'a [u8],
    },
}

impl Scheme<'_> {
    fn key_len(self) -> usize {
        match self {
            Scheme::Cipher { cipher, .. } => cipher.key_len(),
            Scheme::AesGcm { key_len, .. } => key_len,
        }
    }
}

/// Parsed PBES2 parameters, ready to decrypt.
pub(crate) struct Pbes2<'a> {
    kdf: Kdf<'a>,
    scheme: Scheme<'a>,
}

impl<'a> Pbes2<'a> {
    /// Parses PBES2-params, rejecting what OpenSSL 3.0 rejects and what is
    /// over tsrs's limits before any key derivation runs.
    pub(crate) fn parse(parameters: Option<AnyRef<'a>>) -> Result<Pbes2<'a>> {
        let parameters = parameters.ok_or_else(|| invalid("PBES2 without parameters"))?;
        let params =
            parameters.decode_as::<Pbes2Params<'a>>().map_err(|err| {
                match peek_cipher_oid(parameters) {
                    Some(oid) => invalid(format!(
                        "malformed PBES2 parameters for the cipher {}: {err}",
                        describe_oid(&oid)
                    )),
                    None => invalid(format!("malformed PBES2 parameters: {err}")),
                }
            })?;
        let scheme = parse_scheme(params.encryption_scheme)?;
        let kdf = parse_kdf(params.key_derivation_func, scheme.key_len())?;
        Ok(Pbes2 { kdf, scheme })
    }

    /// Returns the cipher that decrypts the key, or `None` for RustCrypto's AES-GCM form.
    pub(crate) fn cipher(&self) -> Option<Cipher> {
        match self.scheme {
            Scheme::Cipher { cipher, .. } => Some(cipher),
            Scheme::AesGcm { .. } => None,
        }
    }

    /// Derives the key from `passphrase` and decrypts `ciphertext`.
    pub(crate) fn decrypt(
        &self,
        passphrase: &[u8],
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        let mut key = Zeroizing::new(vec![0u8; self.scheme.key_len()]);
        match &self.kdf {
            Kdf::Pbkdf2 {
                salt,
                iterations,
                prf,
            } => prf.derive(passphrase, salt, *iterations, &mut key),
            Kdf::Scrypt { salt, params } => scrypt::scrypt(passphrase, salt, params, &mut key)
                .map_err(|err| invalid(format!("scrypt key derivation failed: {err}")))?,
        }
        match self.scheme {
            Scheme::Cipher { cipher, iv } => cipher.decrypt(&key, iv, ciphertext),
            Scheme::AesGcm { nonce, .. } => aes_gcm_decrypt(&key, nonce, ciphertext),
        }
    }
}

/// Finds the cipher OID in PBES2-params whose cipher parameters do not
/// parse, to name the cipher in the error. OpenSSL 3.0 writes AES key wrap
/// with such parameters.
fn peek_cipher_oid(parameters: AnyRef<'_>) -> Option<ObjectIdentifier> {
    let mut fields = SliceReader::new(parameters.value()).ok()?;
    let _key_derivation_func = AnyRef::decode(&mut fields).ok()?;
    let encryption_scheme = AnyRef::decode(&mut fields).ok()?;
    let mut scheme_fields = SliceReader::new(encryption_scheme.value()).ok()?;
    ObjectIdentifier::decode(&mut scheme_fields).ok()
}

fn parse_scheme<'a>(scheme: AlgorithmIdentifierRef<'a>) -> Result<Scheme<'a>> {
    let oid = scheme.oid;
    let iv = || {
        let parameters = scheme
            .parameters
            .filter(|any| any.tag() == Tag::OctetString)
            .ok_or_else(|| {
                invalid(format!(
                    "the PBES2 cipher {} has no IV (an OCTET STRING parameter)",
                    describe_oid(&oid)
                ))
            })?;
        Ok::<&'a [u8], Error>(parameters.value())
    };
    if let Some(cipher) = Cipher::from_pbes2_oid(&oid) {
        let iv = iv()?;
        if iv.len() != cipher.iv_len() {
            return Err(invalid(format!(
                "the PBES2 cipher {} has a {}-byte IV; it needs {} bytes",
                describe_oid(&oid),
                iv.len(),
                cipher.iv_len()
            )));
        }
        return Ok(Scheme::Cipher { cipher, iv });
    }
    if oid == RC2_CBC_OID {
        return parse_rc2_cbc(scheme.parameters);
    }
    let gcm_key_len = match oid {
        AES_128_GCM_OID => Some(16),
        AES_256_GCM_OID => Some(32),
        _ => None,
    };
    if let Some(key_len) = gcm_key_len {
        let nonce = iv()?;
        if nonce.len() != GCM_NONCE_LEN {
            return Err(invalid(format!(
                "the PBES2 cipher {} has a {}-byte nonce; tsrs reads the {GCM_NONCE_LEN}-byte \
                 nonce form of RustCrypto's pkcs5 crate",
                describe_oid(&oid),
                nonce.len()
            )));
        }
        return Ok(Scheme::AesGcm { key_len, nonce });
    }
    Err(unsupported_cipher(&oid))
}

/// Parses the RC2-CBC parameters: the version, which gives the effective
/// key bits as OpenSSL maps it (58 for 128, 120 for 64, 160 for 40), and
/// the IV. OpenSSL's RC2 ciphers use as many effective bits as the key has.
fn parse_rc2_cbc(parameters: Option<AnyRef<'_>>) -> Result<Scheme<'_>> {
    let name = describe_oid(&RC2_CBC_OID);
    let params = parameters
        .ok_or_else(|| invalid(format!("the PBES2 cipher {name} has no parameters")))?
        .decode_as::<Rc2CbcParameter<'_>>()
        .map_err(|err| {
            invalid(format!(
                "malformed parameters for the PBES2 cipher {name}: {err}"
            ))
        })?;
    let algorithm = match params.rc2_parameter_version {
        58 => BlockAlgorithm::Rc2Bits128,
        120 => BlockAlgorithm::Rc2Bits64,
        160 => BlockAlgorithm::Rc2Bits40,
        version => {
            return Err(invalid(format!(
                "the PBES2 cipher {name} has the RC2 parameter version {version}; OpenSSL \
                 and tsrs read only 58, 120 and 160 (128, 64 and 40 effective key bits)"
            )));
        }
    };
    let cipher = Cipher::Block(algorithm, Mode::Cbc);
    let iv = params.iv.as_bytes();
    if iv.len() != cipher.iv_len() {
        return Err(invalid(format!(
            "the PBES2 cipher {name} has a {}-byte IV; it needs {} bytes",
            iv.len(),
            cipher.iv_len()
        )));
    }
    Ok(Scheme::Cipher { cipher, iv })
}

fn unsupported_cipher(oid: &ObjectIdentifier) -> Error {
    let what = format!("the PBES2 cipher {}", describe_oid(oid));
    let objects = crate::oid::Objects::new();
    if objects.short_name(oid).is_some_and(needs_legacy_provider) {
        return legacy_cipher_not_implemented(&what);
    }
    invalid(format!(
        "unsupported {what}; OpenSSL 3.0 does not read it either. Supported are AES, ARIA, \
         Camellia and SM4 in ECB, CBC, CFB, OFB and CTR modes as OpenSSL writes them, \
         DES-EDE and DES-EDE3-CBC, and with the legacy provider DES, RC2-CBC, RC4, BF-CBC \
         and CAST5-CBC; \
         re-encrypt the key, for example with openssl pkcs8 -topk8 -in KEY -v2 aes-256-cbc \
         -out NEW"
    ))
}

/// Parses the key derivation function, whose keyLength, if present, must be
/// the cipher's key length as OpenSSL requires.
fn parse_kdf<'a>(kdf: AlgorithmIdentifierRef<'a>, key_len: usize) -> Result<Kdf<'a>> {
    let parameters = kdf.parameters.ok_or_else(|| {
        invalid(format!(
            "the PBES2 key derivation function {} has no parameters",
            describe_oid(&kdf.oid)
        ))
    })?;
    let check_key_length = |key_length: Option<u32>| match key_length {
        Some(length) if usize::try_from(length).ok() != Some(key_len) => Err(invalid(format!(
            "the PBES2 key length {length} does not match the {key_len}-byte key of the cipher"
        ))),
        _ => Ok(()),
    };
    match kdf.oid {
        PBKDF2_OID => {
            let params = parameters
                .decode_as::<Pbkdf2Params<'a>>()
                .map_err(|err| invalid(format!("malformed PBKDF2 parameters: {err}")))?;
            check_key_length(params.key_length)?;
            parse_pbkdf2(params)
        }
        SCRYPT_OID => {
            let params = parameters
                .decode_as::<ScryptParams<'a>>()
                .map_err(|err| invalid(format!("malformed scrypt parameters: {err}")))?;
            check_key_length(params.key_length)?;
            parse_scrypt(params)
        }
        other => Err(invalid(format!(
            "unsupported PBES2 key derivation function {}; PBKDF2 and scrypt are supported",
            describe_oid(&other)
        ))),
    }
}

fn parse_pbkdf2(params: Pbkdf2Params<'_>) -> Result<Kdf<'_>> {
    if params.salt.tag() != Tag::OctetString {
        return Err(invalid(
            "unsupported PBKDF2 salt: only an OCTET STRING salt is supported, not otherSource",
        ));
    }
    let prf = match params.prf {
        None => Prf::Sha1,
        Some(prf) => Prf::from_oid(&prf.oid).ok_or_else(|| {
            invalid(format!(
                "unsupported PBKDF2 PRF {}; OpenSSL 3.0 supports HMAC with SHA-1, MD5 and the \
                 SHA-2 family only. Re-encrypt the key, for example with openssl pkcs8 -topk8 \
                 -in KEY -v2 aes-256-cbc -v2prf hmacWithSHA256 -out NEW",
                describe_oid(&prf.oid)
            ))
        })?,
    };
    let iterations = params.iteration_count;
    if iterations == 0 {
        return Err(invalid(
            "the PBKDF2 iteration count is 0; it must be at least 1",
        ));
    }
    if iterations > MAX_ITERATIONS {
        return Err(invalid(format!(
            "the key's PBKDF2 iteration count {iterations} is over the limit of {MAX_ITERATIONS}"
        )));
    }
    Ok(Kdf::Pbkdf2 {
        salt: params.salt.value(),
        iterations,
        prf,
    })
}

fn parse_scrypt(params: ScryptParams<'_>) -> Result<Kdf<'_>> {
    let n = params.cost_parameter;
    let r = params.block_size;
    let p = params.parallelization_parameter;
    let describe = format!("N={n}, r={r}, p={p}");
    if n < 2 || !n.is_power_of_two() || r == 0 || p == 0 {
        return Err(invalid(format!(
            "invalid scrypt parameters ({describe}): N must be a power of 2 above 1, r and p at \
             least 1"
        )));
    }

    // OpenSSL's count: the p blocks of 128 * r bytes plus the V array of
    // 128 * r * (N + 2) bytes. The products saturate instead of wrapping.
    let (n, r, p) = (u128::from(n), u128::from(r), u128::from(p));
    let memory = (128 * r)
        .saturating_mul(p)
        .saturating_add((128 * r).saturating_mul(n + 2));
    if memory > MAX_SCRYPT_MEMORY {
        return Err(invalid(format!(
            "the key's scrypt parameters ({describe}) need {memory} bytes, over the limit of \
             {MAX_SCRYPT_MEMORY}"
        )));
    }
    if n.saturating_mul(r).saturating_mul(p) > MAX_SCRYPT_WORK {
        return Err(invalid(format!(
            "the key's scrypt parameters ({describe}) are over the work limit N * r * p <= \
             {MAX_SCRYPT_WORK}"
        )));
    }

    let log_n = u8::try_from(params.cost_parameter.trailing_zeros()).unwrap_or(u8::MAX);
    let scrypt_params = u32::try_from(params.block_size)
        .ok()
        .zip(u32::try_from(params.parallelization_parameter).ok())
        .and_then(|(r, p)| scrypt::Params::new(log_n, r, p).ok())
        .ok_or_else(|| invalid(format!("unsupported scrypt parameters ({describe})")))?;
    Ok(Kdf::Scrypt {
        salt: params.salt.as_bytes(),
        params: scrypt_params,
    })
}

fn aes_gcm_decrypt(key: &[u8], nonce: &[u8], ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    use aes_gcm::aead::AeadInOut;
    use aes_gcm::{Aes128Gcm, Aes256Gcm, KeyInit, Nonce, Tag as GcmTag};

    check_ciphertext_len(ciphertext)?;
    let message_len = ciphertext
        .len()
        .checked_sub(GCM_TAG_LEN)
        .ok_or_else(pem::bad_decrypt)?;
    let (message, tag) = ciphertext.split_at(message_len);
    let tag = GcmTag::try_from(tag).map_err(|_| pem::bad_decrypt())?;
    let nonce = Nonce::try_from(nonce).map_err(|_| pem::bad_decrypt())?;
    let mut buffer = Zeroizing::new(message.to_vec());
    let result = match key.len() {
        16 => Aes128Gcm::new_from_slice(key)
            .map(|gcm| gcm.decrypt_inout_detached(&nonce, &[], buffer.as_mut_slice().into(), &tag)),
        _ => Aes256Gcm::new_from_slice(key)
            .map(|gcm| gcm.decrypt_inout_detached(&nonce, &[], buffer.as_mut_slice().into(), &tag)),
    };
    match result {
        Ok(Ok(())) => Ok(buffer),
        _ => Err(pem::bad_decrypt()),
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(Reason::KeyLoad, message)
}

#[cfg(test)]
mod tests {
    use der::Encode;

    use super::*;

    fn scrypt_params(n: u64, r: u64, p: u64) -> Vec<u8> {
        let salt = OctetStringRef::new(&[0u8; 8]).unwrap();
        ScryptParams {
            salt,
            cost_parameter: n,
            block_size: r,
            parallelization_parameter: p,
            key_length: None,
        }
        .to_der()
        .unwrap()
    }

    fn parse_scrypt_der(der: &[u8]) -> Result<()> {
        let params = <ScryptParams<'_> as der::Decode>::from_der(der).unwrap();
        parse_scrypt(params).map(|_| ())
    }

    #[test]
    fn scrypt_limits_match_openssl() {
        // OpenSSL writes and reads N = 16384; N = 65536 is over its memory limit.
        assert!(parse_scrypt_der(&scrypt_params(16384, 8, 1)).is_ok());
        assert!(parse_scrypt_der(&scrypt_params(65536, 8, 1)).is_err());
    }

    #[test]
    fn scrypt_rejects_invalid_and_slow_parameters() {
        for (n, r, p) in [
            (0, 8, 1),
            (1, 8, 1),
            (1000, 8, 1),
            (16384, 0, 1),
            (16384, 8, 0),
        ] {
            let err = parse_scrypt_der(&scrypt_params(n, r, p)).unwrap_err();
            assert!(
                err.message().contains("invalid scrypt"),
                "{n} {r} {p}: {err}"
            );
        }
        // Within the memory limit, but 2^32 units of work.
        let err = parse_scrypt_der(&scrypt_params(1 << 16, 1, 1 << 16)).unwrap_err();
        assert!(err.message().contains("work limit"), "{err}");
        // Products beyond u128 saturate.
        let err = parse_scrypt_der(&scrypt_params(1 << 63, u64::MAX, u64::MAX)).unwrap_err();
        assert!(err.message().contains("over the limit"), "{err}");
    }

    #[test]
    fn prf_table() {
        let sha256 = ObjectIdentifier::new_unwrap("1.2.840.113549.2.9");
        let hmac_sha1 = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.8.1.2");
        let hmac_sha3_256 = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.14");
        assert_eq!(Prf::from_oid(&sha256), Some(Prf::Sha256));
        assert_eq!(Prf::from_oid(&hmac_sha1), Some(Prf::Sha1));
        assert_eq!(Prf::from_oid(&hmac_sha3_256), None);
    }
}
