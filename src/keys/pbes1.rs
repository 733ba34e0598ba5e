//! PKCS#5 v1.5 password-based encryption, PBES1 (RFC 8018 section 6.1), as
//! `openssl pkcs8 -topk8 -v1 PBE-MD5-DES` writes it: PBKDF1 with MD5 or
//! SHA-1 derives an 8-byte DES or RC2 key and an 8-byte IV.
//!
//! OpenSSL 3.0 reads these schemes only with its legacy provider, which has
//! single DES and RC2, so the caller rejects them unless it is active. The
//! MD2 schemes are not read: OpenSSL 3.0 has MD2 only when built with
//! `enable-md2`, and the 3.0.19 tests compare against neither writes nor
//! reads them.

use der::Sequence;
use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use digest::Digest;
use zeroize::Zeroizing;

use super::cipher::{BlockAlgorithm, Cipher, Mode};
use super::pbes2::MAX_ITERATIONS;
use crate::error::{Error, Reason, Result};

/// `pbeWithMD5AndDES-CBC`, OpenSSL's `PBE-MD5-DES`.
const PBE_MD5_DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.3");
/// `pbeWithMD5AndRC2-CBC`, OpenSSL's `PBE-MD5-RC2-64`.
const PBE_MD5_RC2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.6");
/// `pbeWithSHA1AndDES-CBC`, OpenSSL's `PBE-SHA1-DES`.
const PBE_SHA1_DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.10");
/// `pbeWithSHA1AndRC2-CBC`, OpenSSL's `PBE-SHA1-RC2-64`.
const PBE_SHA1_RC2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.11");

/// The length of the key and of the IV that PBKDF1 derives.
const PART_LEN: usize = 8;

/// PBEParameter (RFC 8018 appendix A.3). RFC 8018 fixes the salt at 8
/// bytes; OpenSSL 3.0 takes any length, and so does tsrs.
#[derive(Sequence)]
struct PbeParameter<'a> {
    salt: &'a OctetStringRef,
    iteration_count: u32,
}

/// The hash PBKDF1 iterates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Md5,
    Sha1,
}

/// Parsed PBES1 parameters, ready to decrypt.
pub(crate) struct Pbes1<'a> {
    hash: Hash,
    cipher: Cipher,
    salt: &'a [u8],
    iterations: u32,
}

impl<'a> Pbes1<'a> {
    /// Parses the parameters of `oid` when it is one of the PBES1 schemes
    /// tsrs reads; `Ok(None)` for any other OID.
    pub(crate) fn parse(
        oid: &ObjectIdentifier,
        parameters: Option<AnyRef<'a>>,
    ) -> Result<Option<Pbes1<'a>>> {
        let (hash, algorithm) = match *oid {
            PBE_MD5_DES => (Hash::Md5, BlockAlgorithm::Des),
            PBE_MD5_RC2 => (Hash::Md5, BlockAlgorithm::Rc2Bits64),
            PBE_SHA1_DES => (Hash::Sha1, BlockAlgorithm::Des),
            PBE_SHA1_RC2 => (Hash::Sha1, BlockAlgorithm::Rc2Bits64),
            _ => return Ok(None),
        };
        let params = parameters
            .ok_or_else(|| invalid("PBES1 password-based encryption without parameters"))?
            .decode_as::<PbeParameter<'a>>()
            .map_err(|err| invalid(format!("malformed PBES1 parameters: {err}")))?;
        let iterations = params.iteration_count;
        if iterations == 0 || iterations > MAX_ITERATIONS {
            return Err(invalid(format!(
                "the key's PBES1 iteration count {iterations} is outside the supported range \
                 1 to {MAX_ITERATIONS}"
            )));
        }
        Ok(Some(Pbes1 {
            hash,
            cipher: Cipher::Block(algorithm, Mode::Cbc),
            salt: params.salt.as_bytes(),
            iterations,
        }))
    }

    /// Returns the cipher the scheme decrypts with.
    pub(crate) fn cipher(&self) -> Cipher {
        self.cipher
    }

    /// Derives the key and IV from `passphrase` and decrypts `ciphertext`.
    pub(crate) fn decrypt(
        &self,
        passphrase: &[u8],
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        let derived = match self.hash {
            Hash::Md5 => pbkdf1::<md5::Md5>(passphrase, self.salt, self.iterations),
            Hash::Sha1 => pbkdf1::<sha1::Sha1>(passphrase, self.salt, self.iterations),
        };
        let (key, iv) = derived
            .get(..2 * PART_LEN)
            .and_then(|both| both.split_at_checked(PART_LEN))
            .ok_or_else(|| invalid("PBKDF1 derived too few bytes"))?;
        self.cipher.decrypt(key, iv, ciphertext)
    }
}

/// PBKDF1 (RFC 8018 section 5.1): T_1 = Hash(P || S), T_i = Hash(T_(i-1)),
/// and the result is T_c, at least 16 bytes for MD5 and SHA-1.
fn pbkdf1<D: Digest>(passphrase: &[u8], salt: &[u8], iterations: u32) -> Zeroizing<Vec<u8>> {
    let mut hasher = D::new();
    hasher.update(passphrase);
    hasher.update(salt);
    let mut block = Zeroizing::new(hasher.finalize().to_vec());
    for _ in 1..iterations {
        let next = Zeroizing::new(D::digest(block.as_slice()).to_vec());
        block = next;
    }
    block
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(Reason::KeyLoad, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn pbkdf1_iterates_hash() {
        let once = pbkdf1::<md5::Md5>(b"secret", b"saltsalt", 1);
        assert_eq!(hex(&once), hex(&md5::Md5::digest(b"secretsaltsalt")));
        let twice = pbkdf1::<sha1::Sha1>(b"secret", b"saltsalt", 2);
        let inner = sha1::Sha1::digest(b"secretsaltsalt");
        assert_eq!(hex(&twice), hex(&sha1::Sha1::digest(inner)));
    }

    #[test]
    fn rejects_zero_iterations() {
        // SEQUENCE { OCTET STRING 0102030405060708, INTEGER 0 }
        let der = [
            0x30, 0x0D, 0x04, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x02, 0x01, 0x00,
        ];
        let any = AnyRef::try_from(der.as_slice()).unwrap();
        let err = Pbes1::parse(&PBE_SHA1_DES, Some(any)).err().unwrap();
        assert!(err.message().contains("iteration count 0"), "{err}");
    }

    #[test]
    fn ignores_other_oids() {
        let oid = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.1");
        assert!(Pbes1::parse(&oid, None).unwrap().is_none());
    }
}
