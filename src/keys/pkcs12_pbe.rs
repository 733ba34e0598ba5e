//! PKCS#12 password-based encryption of PKCS#8 keys (RFC 7292 appendices B
//! and C), as `openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES` writes it. It was the
//! default of OpenSSL 1.0.x, so many long-lived keys use it.
//!
//! OpenSSL 3.0 reads only the two triple-DES schemes without its legacy
//! provider: the RC2 and RC4 ones need ciphers only that provider has, so
//! the caller rejects them unless it is active.

use der::Sequence;
use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use digest::Digest;
use zeroize::Zeroizing;

use super::cipher::{BlockAlgorithm, Cipher, Mode};
use super::pbes2::MAX_ITERATIONS;
use crate::error::{Error, Reason, Result};

/// `pbeWithSHAAnd128BitRC4`, OpenSSL's `PBE-SHA1-RC4-128`.
const PBE_SHA1_RC4_128: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.1");
/// `pbeWithSHAAnd40BitRC4`, OpenSSL's `PBE-SHA1-RC4-40`.
const PBE_SHA1_RC4_40: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.2");
/// `pbeWithSHAAnd3-KeyTripleDES-CBC`, OpenSSL's `PBE-SHA1-3DES`.
const PBE_SHA1_3DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.3");
/// `pbeWithSHAAnd2-KeyTripleDES-CBC`, OpenSSL's `PBE-SHA1-2DES`.
const PBE_SHA1_2DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.4");
/// `pbeWithSHAAnd128BitRC2-CBC`, OpenSSL's `PBE-SHA1-RC2-128`.
const PBE_SHA1_RC2_128: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.5");
/// `pbeWithSHAAnd40BitRC2-CBC`, OpenSSL's `PBE-SHA1-RC2-40`.
const PBE_SHA1_RC2_40: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.6");

/// The diversifier ID of RFC 7292 appendix B.3 for key material.
const KEY_ID: u8 = 1;
/// The diversifier ID for the IV.
const IV_ID: u8 = 2;

/// The block size of SHA-1, `v` in RFC 7292 appendix B.2.
const SHA1_BLOCK_LEN: usize = 64;

/// pkcs-12PbeParams (RFC 7292 appendix C).
#[derive(Sequence)]
struct PbeParams<'a> {
    salt: &'a OctetStringRef,
    iterations: u32,
}

/// Parsed PKCS#12 PBE parameters, ready to decrypt.
pub(crate) struct Pkcs12Pbe<'a> {
    cipher: Cipher,
    salt: &'a [u8],
    iterations: u32,
}

impl<'a> Pkcs12Pbe<'a> {
    /// Parses the parameters of `oid` when it is one of the PKCS#12 schemes
    /// tsrs reads; `Ok(None)` for any other OID.
    pub(crate) fn parse(
        oid: &ObjectIdentifier,
        parameters: Option<AnyRef<'a>>,
    ) -> Result<Option<Pkcs12Pbe<'a>>> {
        let cipher = match *oid {
            PBE_SHA1_3DES => Cipher::Block(BlockAlgorithm::DesEde3, Mode::Cbc),
            PBE_SHA1_2DES => Cipher::Block(BlockAlgorithm::DesEde, Mode::Cbc),
            PBE_SHA1_RC4_128 => Cipher::Rc4 { key_len: 16 },
            PBE_SHA1_RC4_40 => Cipher::Rc4 { key_len: 5 },
            PBE_SHA1_RC2_128 => Cipher::Block(BlockAlgorithm::Rc2Bits128, Mode::Cbc),
            PBE_SHA1_RC2_40 => Cipher::Block(BlockAlgorithm::Rc2Bits40, Mode::Cbc),
            _ => return Ok(None),
        };
        let params = parameters
            .ok_or_else(|| invalid("PKCS#12 password-based encryption without parameters"))?
            .decode_as::<PbeParams<'a>>()
            .map_err(|err| {
                invalid(format!(
                    "malformed PKCS#12 password-based encryption parameters: {err}"
                ))
            })?;
        let iterations = params.iterations;
        if iterations == 0 || iterations > MAX_ITERATIONS {
            return Err(invalid(format!(
                "the key's PKCS#12 iteration count {iterations} is outside the supported range \
                 1 to {MAX_ITERATIONS}"
            )));
        }
        Ok(Some(Pkcs12Pbe {
            cipher,
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
        let password = bmp_password(passphrase)?;
        let derive = |id, len| derive_sha1(&password, self.salt, id, self.iterations, len);
        let key = derive(KEY_ID, self.cipher.key_len());
        let iv = derive(IV_ID, self.cipher.iv_len());
        self.cipher.decrypt(&key, &iv, ciphertext)
    }
}

/// Converts a passphrase to the BMPString, with two zero bytes at the end,
/// that the PKCS#12 KDF hashes. This follows `OPENSSL_utf82uni` in OpenSSL
/// 3.0: UTF-8 text becomes UTF-16BE, but a passphrase that is not UTF-8
/// (`UTF8_getc` rejects overlong forms and surrogates) is taken as Latin-1,
/// one byte per character, as older OpenSSL versions always did.
fn bmp_password(passphrase: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let mut bmp = Zeroizing::new(Vec::with_capacity(2 * passphrase.len() + 2));
    let mut rest = passphrase;
    while !rest.is_empty() {
        let Some((character, len)) = decode_utf8_char(rest) else {
            return Ok(latin1_password(passphrase));
        };
        if character > 0x10_FFFF {
            return Err(invalid(
                "the passphrase has a UTF-8 character beyond U+10FFFF, which the PKCS#12 key \
                 derivation cannot encode",
            ));
        }
        let mut units = [0u16; 2];
        let units = char::from_u32(character)
            .map(|c| c.encode_utf16(&mut units))
            .ok_or_else(|| invalid("the passphrase has an invalid UTF-8 character"))?;
        for unit in units.iter() {
            bmp.extend_from_slice(&unit.to_be_bytes());
        }
        rest = rest.get(len..).unwrap_or_default();
    }
    bmp.extend_from_slice(&[0, 0]);
    Ok(bmp)
}

fn latin1_password(passphrase: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut bmp = Zeroizing::new(Vec::with_capacity(2 * passphrase.len() + 2));
    for &byte in passphrase {
        bmp.extend_from_slice(&[0, byte]);
    }
    bmp.extend_from_slice(&[0, 0]);
    bmp
}

/// Decodes one character as OpenSSL's `UTF8_getc` does: forms of one to four
/// bytes, minimal length, no surrogates, and four-byte values up to
/// 0x1FFFFF. Returns the value and the number of bytes, or `None` when the
/// bytes are not such a character.
fn decode_utf8_char(bytes: &[u8]) -> Option<(u32, usize)> {
    let first = u32::from(*bytes.first()?);
    let (len, initial, minimum) = match first {
        0x00..=0x7F => return Some((first, 1)),
        0xC0..=0xDF => (2, first & 0x1F, 0x80),
        0xE0..=0xEF => (3, first & 0x0F, 0x800),
        0xF0..=0xF7 => (4, first & 0x07, 0x1_0000),
        _ => return None,
    };
    let continuation = bytes.get(1..len)?;
    let mut value = initial;
    for &byte in continuation {
        if byte & 0xC0 != 0x80 {
            return None;
        }
        value = (value << 6) | u32::from(byte & 0x3F);
    }
    let surrogate = (0xD800..=0xDFFF).contains(&value);
    (value >= minimum && !surrogate).then_some((value, len))
}

/// The PKCS#12 key derivation function of RFC 7292 appendix B.2 with SHA-1,
/// the hash of both triple-DES schemes.
fn derive_sha1(
    password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u32,
    len: usize,
) -> Zeroizing<Vec<u8>> {
    const V: usize = SHA1_BLOCK_LEN;
    let salt_len = V * salt.len().div_ceil(V);
    let password_len = V * password.len().div_ceil(V);
    // I = S || P: the salt and the password each repeated to a multiple of V bytes.
    let mut input: Zeroizing<Vec<u8>> = Zeroizing::new(
        salt.iter()
            .cycle()
            .take(salt_len)
            .chain(password.iter().cycle().take(password_len))
            .copied()
            .collect(),
    );
    let mut output = Zeroizing::new(Vec::with_capacity(len));
    loop {
        let mut block = Zeroizing::new(
            sha1::Sha1::new()
                .chain_update([id; V])
                .chain_update(input.as_slice())
                .finalize()
                .to_vec(),
        );
        for _ in 1..iterations {
            *block = sha1::Sha1::digest(block.as_slice()).to_vec();
        }
        let needed = len.saturating_sub(output.len()).min(block.len());
        output.extend_from_slice(block.get(..needed).unwrap_or_default());
        if output.len() >= len {
            return output;
        }
        // B is the block repeated to V bytes; each V-byte chunk I_j of I
        // becomes (I_j + B + 1) mod 2^(8V).
        let addend: Zeroizing<Vec<u8>> =
            Zeroizing::new(block.iter().cycle().take(V).copied().collect());
        for chunk in input.chunks_exact_mut(V) {
            let mut carry = 1u16;
            for (byte, add) in chunk.iter_mut().rev().zip(addend.iter().rev()) {
                carry += u16::from(*byte) + u16::from(*add);
                *byte = carry.to_le_bytes()[0];
                carry >>= 8;
            }
        }
    }
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
    fn kdf_matches_openssl() {
        // `openssl kdf -keylen 24 -kdfopt digest:SHA1 -kdfopt
        // hexpass:0073006500630072006500740000 -kdfopt hexsalt:0102030405060708
        // -kdfopt iter:2048 -kdfopt id:1 PKCS12KDF`, and the same with
        // -keylen 8 and id:2, print these.
        let password = bmp_password(b"secret").unwrap();
        assert_eq!(hex(&password), "0073006500630072006500740000");
        let salt = [1, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(
            hex(&derive_sha1(&password, &salt, KEY_ID, 2048, 24)),
            "46b7220edfa6b4bcfe35292f7f4888c97ff731e06932a6a2"
        );
        assert_eq!(
            hex(&derive_sha1(&password, &salt, IV_ID, 2048, 8)),
            "38f3a9b371c53b70"
        );
    }

    #[test]
    fn kdf_long_output_and_salt() {
        // `openssl kdf -keylen 70 -kdfopt digest:SHA1 -kdfopt hexpass:0000
        // -kdfopt hexsalt:<the bytes 01 02 ... 67 in decimal digits> -kdfopt
        // iter:3 -kdfopt id:1 PKCS12KDF`: output and salt both span several blocks.
        let salt: Vec<u8> = (1..=67u8).map(|n| (n / 10) * 16 + n % 10).collect();
        assert_eq!(
            hex(&derive_sha1(&[0, 0], &salt, KEY_ID, 3, 70)),
            "28ec75a9593075c0e889f2ce8aabf1373789b3daa559f03450cf9988058821eb6b92a4665143c0316bb0b4f0e0de0c6cb0eede2d7046f4bc89830e4850cc152f298d37307f53"
        );
    }

    #[test]
    fn password_encodings() {
        assert_eq!(hex(&bmp_password(b"").unwrap()), "0000");
        // UTF-8 "é" is U+00E9; the same byte alone is not UTF-8, so Latin-1.
        assert_eq!(hex(&bmp_password("é".as_bytes()).unwrap()), "00e90000");
        assert_eq!(hex(&bmp_password(b"\xe9").unwrap()), "00e90000");
        // U+1F600 needs a surrogate pair.
        assert_eq!(
            hex(&bmp_password("\u{1F600}".as_bytes()).unwrap()),
            "d83dde000000"
        );
        // An overlong form and an encoded surrogate fall back to Latin-1.
        assert_eq!(hex(&bmp_password(b"\xc0\xaf").unwrap()), "00c000af0000");
        assert_eq!(
            hex(&bmp_password(b"\xed\xa0\x80").unwrap()),
            "00ed00a000800000"
        );
        // A four-byte form beyond U+10FFFF is an error in OpenSSL.
        assert!(bmp_password(b"\xf4\x90\x80\x80").is_err());
    }
}
