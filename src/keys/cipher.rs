//! The symmetric ciphers that encrypt key files: the block ciphers and modes
//! of OpenSSL 3.0's default provider that legacy PEM encryption and PBES2
//! use, ChaCha20, and single DES, DESX, RC2, RC4, Blowfish and CAST5 from
//! its legacy provider.
//!
//! Which cipher OpenSSL 3.0.19 reads where was measured by writing a key
//! with every cipher `openssl enc -list` names (`openssl rsa -traditional
//! -CIPHER` and `openssl pkcs8 -topk8 -v2 CIPHER`) and reading it back with
//! `openssl pkey`, with and without the legacy provider.

use cbc::cipher::array::Array;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::consts::{U16, U256};
use cbc::cipher::typenum::{IsLess, NonZero, True};
use cbc::cipher::{
    BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockSizeUser, InnerIvInit, KeyInit,
    KeyIvInit, StreamCipher, StreamCipherCoreWrapper,
};
use der::asn1::ObjectIdentifier;
use zeroize::Zeroizing;

use crate::error::{Error, Reason, Result};

/// A block cipher with its key size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockAlgorithm {
    Aes128,
    Aes192,
    Aes256,
    Aria128,
    Aria192,
    Aria256,
    Camellia128,
    Camellia192,
    Camellia256,
    Sm4,
    /// Two-key triple DES: K1, K2, K1.
    DesEde,
    /// Three-key triple DES.
    DesEde3,
    /// Single DES, from the legacy provider.
    Des,
    /// RC2 with a 40-bit key and 40 effective key bits, from the legacy provider.
    Rc2Bits40,
    /// RC2 with a 64-bit key and 64 effective key bits, from the legacy provider.
    Rc2Bits64,
    /// RC2 with a 128-bit key and 128 effective key bits, from the legacy provider.
    Rc2Bits128,
    /// Blowfish with the 128-bit key OpenSSL uses, from the legacy provider.
    Blowfish,
    /// CAST5 with a 128-bit key, from the legacy provider.
    Cast5,
    /// DES-X, from the legacy provider: a 24-byte key that contains the DES key,
    /// then the input whitening, then the output whitening.
    DesX,
}

/// A mode of operation, named as OpenSSL names it. `Cfb` feeds back a whole
/// block (CFB-128, or CFB-64 for triple DES).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Ecb,
    Cbc,
    Cfb,
    Cfb1,
    Cfb8,
    Ofb,
    Ctr,
}

/// A cipher that encrypts a key file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cipher {
    Block(BlockAlgorithm, Mode),
    /// OpenSSL's ChaCha20: a 16-byte IV that holds a 64-bit little-endian
    /// block counter, then a 64-bit nonce.
    ChaCha20,
    /// RC4 with a key of `key_len` bytes, from the legacy provider.
    Rc4 {
        key_len: u8,
    },
}

impl BlockAlgorithm {
    const ALL: [BlockAlgorithm; 19] = [
        BlockAlgorithm::Aes128,
        BlockAlgorithm::Aes192,
        BlockAlgorithm::Aes256,
        BlockAlgorithm::Aria128,
        BlockAlgorithm::Aria192,
        BlockAlgorithm::Aria256,
        BlockAlgorithm::Camellia128,
        BlockAlgorithm::Camellia192,
        BlockAlgorithm::Camellia256,
        BlockAlgorithm::Sm4,
        BlockAlgorithm::DesEde,
        BlockAlgorithm::DesEde3,
        BlockAlgorithm::Des,
        BlockAlgorithm::Rc2Bits40,
        BlockAlgorithm::Rc2Bits64,
        BlockAlgorithm::Rc2Bits128,
        BlockAlgorithm::Blowfish,
        BlockAlgorithm::Cast5,
        BlockAlgorithm::DesX,
    ];

    fn name(self) -> &'static str {
        match self {
            BlockAlgorithm::Aes128 => "AES-128",
            BlockAlgorithm::Aes192 => "AES-192",
            BlockAlgorithm::Aes256 => "AES-256",
            BlockAlgorithm::Aria128 => "ARIA-128",
            BlockAlgorithm::Aria192 => "ARIA-192",
            BlockAlgorithm::Aria256 => "ARIA-256",
            BlockAlgorithm::Camellia128 => "CAMELLIA-128",
            BlockAlgorithm::Camellia192 => "CAMELLIA-192",
            BlockAlgorithm::Camellia256 => "CAMELLIA-256",
            BlockAlgorithm::Sm4 => "SM4",
            BlockAlgorithm::DesEde => "DES-EDE",
            BlockAlgorithm::DesEde3 => "DES-EDE3",
            BlockAlgorithm::Des => "DES",
            BlockAlgorithm::Rc2Bits40 => "RC2-40",
            BlockAlgorithm::Rc2Bits64 => "RC2-64",
            BlockAlgorithm::Rc2Bits128 => "RC2",
            BlockAlgorithm::Blowfish => "BF",
            BlockAlgorithm::Cast5 => "CAST5",
            BlockAlgorithm::DesX => "DESX",
        }
    }

    fn key_len(self) -> usize {
        match self {
            BlockAlgorithm::Aes128
            | BlockAlgorithm::Aria128
            | BlockAlgorithm::Camellia128
            | BlockAlgorithm::Sm4
            | BlockAlgorithm::DesEde
            | BlockAlgorithm::Blowfish
            | BlockAlgorithm::Cast5 => 16,
            BlockAlgorithm::Aes192
            | BlockAlgorithm::Aria192
            | BlockAlgorithm::Camellia192
            | BlockAlgorithm::DesEde3
            | BlockAlgorithm::DesX => 24,
            BlockAlgorithm::Aes256 | BlockAlgorithm::Aria256 | BlockAlgorithm::Camellia256 => 32,
            BlockAlgorithm::Des | BlockAlgorithm::Rc2Bits64 => 8,
            BlockAlgorithm::Rc2Bits40 => 5,
            BlockAlgorithm::Rc2Bits128 => 16,
        }
    }

    fn block_len(self) -> usize {
        match self {
            BlockAlgorithm::DesEde
            | BlockAlgorithm::DesEde3
            | BlockAlgorithm::Des
            | BlockAlgorithm::Rc2Bits40
            | BlockAlgorithm::Rc2Bits64
            | BlockAlgorithm::Rc2Bits128
            | BlockAlgorithm::Blowfish
            | BlockAlgorithm::Cast5
            | BlockAlgorithm::DesX => 8,
            _ => 16,
        }
    }

    /// Returns the modes whose legacy PEM encryption OpenSSL 3.0 reads back.
    /// ECB has no IV for the DEK-Info header, and OpenSSL rejects it.
    fn pem_modes(self) -> &'static [Mode] {
        match self {
            BlockAlgorithm::Sm4 => &[Mode::Cbc, Mode::Cfb, Mode::Ofb, Mode::Ctr],
            BlockAlgorithm::DesEde => &[Mode::Cbc, Mode::Cfb, Mode::Ofb],
            BlockAlgorithm::DesEde3 | BlockAlgorithm::Des => {
                &[Mode::Cbc, Mode::Cfb, Mode::Cfb1, Mode::Cfb8, Mode::Ofb]
            }
            BlockAlgorithm::Rc2Bits128 | BlockAlgorithm::Blowfish | BlockAlgorithm::Cast5 => {
                &[Mode::Cbc, Mode::Cfb, Mode::Ofb]
            }
            BlockAlgorithm::Rc2Bits40 | BlockAlgorithm::Rc2Bits64 | BlockAlgorithm::DesX => {
                &[Mode::Cbc]
            }
            _ => &[
                Mode::Cbc,
                Mode::Cfb,
                Mode::Cfb1,
                Mode::Cfb8,
                Mode::Ofb,
                Mode::Ctr,
            ],
        }
    }

    /// Reports whether only OpenSSL's legacy provider implements the algorithm.
    fn is_legacy(self) -> bool {
        matches!(
            self,
            BlockAlgorithm::Des
                | BlockAlgorithm::Rc2Bits40
                | BlockAlgorithm::Rc2Bits64
                | BlockAlgorithm::Rc2Bits128
                | BlockAlgorithm::Blowfish
                | BlockAlgorithm::Cast5
                | BlockAlgorithm::DesX
        )
    }
}

impl Mode {
    fn suffix(self) -> &'static str {
        match self {
            Mode::Ecb => "ECB",
            Mode::Cbc => "CBC",
            Mode::Cfb => "CFB",
            Mode::Cfb1 => "CFB1",
            Mode::Cfb8 => "CFB8",
            Mode::Ofb => "OFB",
            Mode::Ctr => "CTR",
        }
    }
}

/// The PBES2 encryption schemes OpenSSL 3.0 reads, by OID. CFB1 and CFB8
/// have no OID (OpenSSL writes the full-block CFB OID when asked for them),
/// and neither has AES-CTR. RC2-CBC is not here because its parameters
/// also carry the effective key bits. Of the Blowfish, CAST5 and DESX
/// ciphers, only BF-CBC and CAST5-CBC have an OID; OpenSSL reads them with
/// a bare IV as parameters and a 16-byte key, and rejects a PBKDF2
/// keyLength other than 16 ("unsupported keylength").
const PBES2_CIPHERS: [(ObjectIdentifier, Cipher); 56] = {
    use BlockAlgorithm::*;
    use Mode::*;
    [
        pbes2_entry("2.16.840.1.101.3.4.1.1", Aes128, Ecb),
        pbes2_entry("2.16.840.1.101.3.4.1.2", Aes128, Cbc),
        pbes2_entry("2.16.840.1.101.3.4.1.3", Aes128, Ofb),
        pbes2_entry("2.16.840.1.101.3.4.1.4", Aes128, Cfb),
        pbes2_entry("2.16.840.1.101.3.4.1.21", Aes192, Ecb),
        pbes2_entry("2.16.840.1.101.3.4.1.22", Aes192, Cbc),
        pbes2_entry("2.16.840.1.101.3.4.1.23", Aes192, Ofb),
        pbes2_entry("2.16.840.1.101.3.4.1.24", Aes192, Cfb),
        pbes2_entry("2.16.840.1.101.3.4.1.41", Aes256, Ecb),
        pbes2_entry("2.16.840.1.101.3.4.1.42", Aes256, Cbc),
        pbes2_entry("2.16.840.1.101.3.4.1.43", Aes256, Ofb),
        pbes2_entry("2.16.840.1.101.3.4.1.44", Aes256, Cfb),
        pbes2_entry("1.2.410.200046.1.1.1", Aria128, Ecb),
        pbes2_entry("1.2.410.200046.1.1.2", Aria128, Cbc),
        pbes2_entry("1.2.410.200046.1.1.3", Aria128, Cfb),
        pbes2_entry("1.2.410.200046.1.1.4", Aria128, Ofb),
        pbes2_entry("1.2.410.200046.1.1.5", Aria128, Ctr),
        pbes2_entry("1.2.410.200046.1.1.6", Aria192, Ecb),
        pbes2_entry("1.2.410.200046.1.1.7", Aria192, Cbc),
        pbes2_entry("1.2.410.200046.1.1.8", Aria192, Cfb),
        pbes2_entry("1.2.410.200046.1.1.9", Aria192, Ofb),
        pbes2_entry("1.2.410.200046.1.1.10", Aria192, Ctr),
        pbes2_entry("1.2.410.200046.1.1.11", Aria256, Ecb),
        pbes2_entry("1.2.410.200046.1.1.12", Aria256, Cbc),
        pbes2_entry("1.2.410.200046.1.1.13", Aria256, Cfb),
        pbes2_entry("1.2.410.200046.1.1.14", Aria256, Ofb),
        pbes2_entry("1.2.410.200046.1.1.15", Aria256, Ctr),
        pbes2_entry("1.2.392.200011.61.1.1.1.2", Camellia128, Cbc),
        pbes2_entry("1.2.392.200011.61.1.1.1.3", Camellia192, Cbc),
        pbes2_entry("1.2.392.200011.61.1.1.1.4", Camellia256, Cbc),
        pbes2_entry("0.3.4401.5.3.1.9.1", Camellia128, Ecb),
        pbes2_entry("0.3.4401.5.3.1.9.3", Camellia128, Ofb),
        pbes2_entry("0.3.4401.5.3.1.9.4", Camellia128, Cfb),
        pbes2_entry("0.3.4401.5.3.1.9.9", Camellia128, Ctr),
        pbes2_entry("0.3.4401.5.3.1.9.21", Camellia192, Ecb),
        pbes2_entry("0.3.4401.5.3.1.9.23", Camellia192, Ofb),
        pbes2_entry("0.3.4401.5.3.1.9.24", Camellia192, Cfb),
        pbes2_entry("0.3.4401.5.3.1.9.29", Camellia192, Ctr),
        pbes2_entry("0.3.4401.5.3.1.9.41", Camellia256, Ecb),
        pbes2_entry("0.3.4401.5.3.1.9.43", Camellia256, Ofb),
        pbes2_entry("0.3.4401.5.3.1.9.44", Camellia256, Cfb),
        pbes2_entry("0.3.4401.5.3.1.9.49", Camellia256, Ctr),
        pbes2_entry("1.2.156.10197.1.104.1", Sm4, Ecb),
        pbes2_entry("1.2.156.10197.1.104.2", Sm4, Cbc),
        pbes2_entry("1.2.156.10197.1.104.3", Sm4, Ofb),
        pbes2_entry("1.2.156.10197.1.104.4", Sm4, Cfb),
        pbes2_entry("1.2.156.10197.1.104.7", Sm4, Ctr),
        pbes2_entry("1.3.14.3.2.17", DesEde, Ecb),
        pbes2_entry("1.2.840.113549.3.7", DesEde3, Cbc),
        pbes2_entry("1.3.14.3.2.6", Des, Ecb),
        pbes2_entry("1.3.14.3.2.7", Des, Cbc),
        pbes2_entry("1.3.14.3.2.8", Des, Ofb),
        pbes2_entry("1.3.14.3.2.9", Des, Cfb),
        pbes2_entry("1.3.6.1.4.1.3029.1.2", Blowfish, Cbc),
        pbes2_entry("1.2.840.113533.7.66.10", Cast5, Cbc),
        (
            ObjectIdentifier::new_unwrap("1.2.840.113549.3.4"),
            Cipher::Rc4 { key_len: 16 },
        ),
    ]
};

const fn pbes2_entry(
    oid: &str,
    algorithm: BlockAlgorithm,
    mode: Mode,
) -> (ObjectIdentifier, Cipher) {
    (
        ObjectIdentifier::new_unwrap(oid),
        Cipher::Block(algorithm, mode),
    )
}

impl Cipher {
    /// Looks up the cipher of a PBES2 encryptionScheme.
    pub(crate) fn from_pbes2_oid(oid: &ObjectIdentifier) -> Option<Cipher> {
        PBES2_CIPHERS
            .iter()
            .find(|(known, _)| known == oid)
            .map(|&(_, cipher)| cipher)
    }

    /// Looks up the cipher a legacy PEM `DEK-Info` header names. As in
    /// OpenSSL, the name is case-insensitive and may be an alias such as
    /// `AES256` or `DES3`, or the cipher's OID in dotted form.
    pub(crate) fn from_pem_name(name: &str) -> Option<Cipher> {
        Cipher::pem_ciphers().find(|cipher| cipher.is_named(name))
    }

    /// Lists every cipher whose legacy PEM encryption OpenSSL 3.0 reads.
    fn pem_ciphers() -> impl Iterator<Item = Cipher> {
        BlockAlgorithm::ALL
            .into_iter()
            .flat_map(|algorithm| {
                algorithm
                    .pem_modes()
                    .iter()
                    .map(move |&mode| Cipher::Block(algorithm, mode))
            })
            .chain([Cipher::ChaCha20])
    }

    fn is_named(self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name)
            || self
                .aliases()
                .iter()
                .any(|alias| alias.eq_ignore_ascii_case(name))
            || self.oid().is_some_and(|oid| oid.to_string() == name)
    }

    fn oid(self) -> Option<ObjectIdentifier> {
        PBES2_CIPHERS
            .iter()
            .find(|(_, cipher)| *cipher == self)
            .map(|(oid, _)| *oid)
    }

    /// Returns the aliases OpenSSL 3.0 also accepts for this cipher.
    fn aliases(self) -> &'static [&'static str] {
        use BlockAlgorithm::*;
        let Cipher::Block(algorithm, mode) = self else {
            return &[];
        };
        match (algorithm, mode) {
            (Aes128, Mode::Cbc) => &["AES128"],
            (Aes192, Mode::Cbc) => &["AES192"],
            (Aes256, Mode::Cbc) => &["AES256"],
            (Aria128, Mode::Cbc) => &["ARIA128"],
            (Aria192, Mode::Cbc) => &["ARIA192"],
            (Aria256, Mode::Cbc) => &["ARIA256"],
            (Camellia128, Mode::Cbc) => &["CAMELLIA128"],
            (Camellia192, Mode::Cbc) => &["CAMELLIA192"],
            (Camellia256, Mode::Cbc) => &["CAMELLIA256"],
            (Sm4, Mode::Cbc) => &["SM4"],
            (Sm4, Mode::Cfb) => &["SM4-CFB128"],
            (Sm4, Mode::Ofb) => &["SM4-OFB128"],
            (DesEde3, Mode::Cbc) => &["DES3"],
            (Des, Mode::Cbc) => &["DES"],
            (Rc2Bits128, Mode::Cbc) => &["RC2"],
            (Blowfish, Mode::Cbc) => &["BF", "BLOWFISH"],
            (Cast5, Mode::Cbc) => &["CAST", "CAST-CBC"],
            (DesX, Mode::Cbc) => &["DESX"],
            _ => &[],
        }
    }

    /// Returns OpenSSL's name for the cipher, as a `DEK-Info` header carries it:
    /// `AES-256-CBC`, `CAMELLIA-128-CFB1`, `DES-EDE3-CBC`, `ChaCha20`.
    pub(crate) fn name(self) -> String {
        match self {
            Cipher::ChaCha20 => "ChaCha20".to_owned(),
            Cipher::Rc4 { key_len: 5 } => "RC4-40".to_owned(),
            Cipher::Rc4 { .. } => "RC4".to_owned(),
            Cipher::Block(
                algorithm @ (BlockAlgorithm::DesEde | BlockAlgorithm::DesEde3),
                Mode::Ecb,
            ) => algorithm.name().to_owned(),
            Cipher::Block(algorithm, mode) => format!("{}-{}", algorithm.name(), mode.suffix()),
        }
    }

    pub(crate) fn key_len(self) -> usize {
        match self {
            Cipher::ChaCha20 => 32,
            Cipher::Rc4 { key_len } => usize::from(key_len),
            Cipher::Block(algorithm, _) => algorithm.key_len(),
        }
    }

    /// Reports whether only OpenSSL's legacy provider implements the cipher.
    pub(crate) fn is_legacy(self) -> bool {
        match self {
            Cipher::ChaCha20 => false,
            Cipher::Rc4 { .. } => true,
            Cipher::Block(algorithm, _) => algorithm.is_legacy(),
        }
    }

    pub(crate) fn iv_len(self) -> usize {
        match self {
            Cipher::ChaCha20 => 16,
            Cipher::Rc4 { .. } | Cipher::Block(_, Mode::Ecb) => 0,
            Cipher::Block(algorithm, _) => algorithm.block_len(),
        }
    }

    /// Decrypts `ciphertext`, removing the PKCS#7 padding of the ECB and CBC
    /// modes. `key` and `iv` must have the cipher's lengths.
    ///
    /// # Errors
    ///
    /// [`Reason::KeyLoad`]: "bad decrypt" when the padding is wrong, which
    /// almost always means a wrong passphrase, or a ciphertext that is not a
    /// whole number of blocks. [`Reason::TooLarge`] for a ciphertext over
    /// [`MAX_CIPHERTEXT_LEN`].
    pub(crate) fn decrypt(
        self,
        key: &[u8],
        iv: &[u8],
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        check_ciphertext_len(ciphertext)?;
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        let plaintext_len = match self {
            Cipher::ChaCha20 => chacha20_decrypt(key, iv, &mut buffer)?,
            Cipher::Rc4 { .. } => rc4_decrypt(key, &mut buffer)?,
            Cipher::Block(algorithm, mode) => {
                let block_len = algorithm.block_len();
                let padded = matches!(mode, Mode::Ecb | Mode::Cbc);
                if padded && (buffer.is_empty() || !buffer.len().is_multiple_of(block_len)) {
                    return Err(Error::new(
                        Reason::KeyLoad,
                        format!(
                            "bad decrypt: the {}-byte encrypted key is not a whole number of \
                             {block_len}-byte {} blocks; the key data is truncated or corrupt",
                            buffer.len(),
                            self.name()
                        ),
                    ));
                }
                decrypt_block(algorithm, mode, key, iv, &mut buffer)
                    .map_err(|err| err.into_error(self))?
            }
        };
        buffer.truncate(plaintext_len);
        Ok(buffer)
    }
}

/// The largest encrypted key tsrs decrypts: 64 KiB. An RSA key with the
/// 16384-bit maximum modulus takes under 10 KiB, and the limit keeps the
/// slowest mode (CFB1, one block operation per bit) under a second on a
/// hostile file of several megabytes.
pub(crate) const MAX_CIPHERTEXT_LEN: usize = 64 * 1024;

/// Rejects an encrypted key over [`MAX_CIPHERTEXT_LEN`].
pub(crate) fn check_ciphertext_len(ciphertext: &[u8]) -> Result<()> {
    if ciphertext.len() > MAX_CIPHERTEXT_LEN {
        return Err(Error::new(
            Reason::TooLarge,
            format!(
                "the encrypted key is {} bytes, more than the {MAX_CIPHERTEXT_LEN} bytes tsrs \
                 decrypts",
                ciphertext.len()
            ),
        ));
    }
    Ok(())
}

/// A decryption failure, before the cipher's name is known.
enum DecryptError {
    /// A key or IV of the wrong length: a bug in the caller.
    Length,
    /// A wrong PKCS#7 padding.
    Padding,
}

impl DecryptError {
    fn into_error(self, cipher: Cipher) -> Error {
        match self {
            DecryptError::Length => Error::new(
                Reason::KeyLoad,
                format!("invalid key or IV length for {}", cipher.name()),
            ),
            DecryptError::Padding => super::pem::bad_decrypt(),
        }
    }
}

/// Decrypts `buffer` in place and returns the length of the plaintext.
fn decrypt_block(
    algorithm: BlockAlgorithm,
    mode: Mode,
    key: &[u8],
    iv: &[u8],
    buffer: &mut [u8],
) -> core::result::Result<usize, DecryptError> {
    match algorithm {
        BlockAlgorithm::Aes128 => decrypt_128::<aes::Aes128>(mode, key, iv, buffer),
        BlockAlgorithm::Aes192 => decrypt_128::<aes::Aes192>(mode, key, iv, buffer),
        BlockAlgorithm::Aes256 => decrypt_128::<aes::Aes256>(mode, key, iv, buffer),
        BlockAlgorithm::Aria128 => decrypt_128::<aria::Aria128>(mode, key, iv, buffer),
        BlockAlgorithm::Aria192 => decrypt_128::<aria::Aria192>(mode, key, iv, buffer),
        BlockAlgorithm::Aria256 => decrypt_128::<aria::Aria256>(mode, key, iv, buffer),
        BlockAlgorithm::Camellia128 => decrypt_128::<camellia::Camellia128>(mode, key, iv, buffer),
        BlockAlgorithm::Camellia192 => decrypt_128::<camellia::Camellia192>(mode, key, iv, buffer),
        BlockAlgorithm::Camellia256 => decrypt_128::<camellia::Camellia256>(mode, key, iv, buffer),
        BlockAlgorithm::Sm4 => decrypt_128::<sm4::Sm4>(mode, key, iv, buffer),
        BlockAlgorithm::DesEde => decrypt_any::<des::TdesEde2>(mode, key, iv, buffer),
        BlockAlgorithm::DesEde3 => decrypt_any::<des::TdesEde3>(mode, key, iv, buffer),
        BlockAlgorithm::Des => decrypt_any::<des::Des>(mode, key, iv, buffer),
        // The rc2 crate takes as many effective key bits as the key has,
        // which is what OpenSSL's RC2 ciphers use.
        BlockAlgorithm::Rc2Bits40 | BlockAlgorithm::Rc2Bits64 | BlockAlgorithm::Rc2Bits128 => {
            decrypt_any::<rc2::Rc2>(mode, key, iv, buffer)
        }
        BlockAlgorithm::Blowfish => decrypt_any::<blowfish::Blowfish>(mode, key, iv, buffer),
        BlockAlgorithm::Cast5 => decrypt_any::<cast5::Cast5>(mode, key, iv, buffer),
        // OpenSSL has DES-X in CBC mode only.
        BlockAlgorithm::DesX if mode == Mode::Cbc => desx_cbc_decrypt(key, iv, buffer),
        BlockAlgorithm::DesX => Err(DecryptError::Length),
    }
}

/// Decrypts with a 128-bit block cipher, the only kind with a CTR mode here.
fn decrypt_128<C>(
    mode: Mode,
    key: &[u8],
    iv: &[u8],
    buffer: &mut [u8],
) -> core::result::Result<usize, DecryptError>
where
    C: BlockCipherEncrypt + BlockCipherDecrypt + KeyInit + BlockSizeUser<BlockSize = U16>,
{
    if mode != Mode::Ctr {
        return decrypt_any::<C>(mode, key, iv, buffer);
    }
    // OpenSSL's CTR mode increments the whole 16-byte IV as a big-endian number.
    let mut stream =
        ctr::Ctr128BE::<C>::new_from_slices(key, iv).map_err(|_| DecryptError::Length)?;
    stream
        .try_apply_keystream(buffer)
        .map_err(|_| DecryptError::Length)?;
    Ok(buffer.len())
}

fn decrypt_any<C>(
    mode: Mode,
    key: &[u8],
    iv: &[u8],
    buffer: &mut [u8],
) -> core::result::Result<usize, DecryptError>
where
    C: BlockCipherEncrypt + BlockCipherDecrypt + KeyInit,
    C::BlockSize: IsLess<U256, Output = True> + NonZero,
{
    let len = buffer.len();
    match mode {
        Mode::Ecb => ecb::Decryptor::<C>::new_from_slice(key)
            .map_err(|_| DecryptError::Length)?
            .decrypt_padded::<Pkcs7>(buffer)
            .map(<[u8]>::len)
            .map_err(|_| DecryptError::Padding),
        Mode::Cbc => cbc::Decryptor::<C>::new_from_slices(key, iv)
            .map_err(|_| DecryptError::Length)?
            .decrypt_padded::<Pkcs7>(buffer)
            .map(<[u8]>::len)
            .map_err(|_| DecryptError::Padding),
        Mode::Cfb => {
            cfb_mode::Decryptor::<C>::new_from_slices(key, iv)
                .map_err(|_| DecryptError::Length)?
                .decrypt(buffer);
            Ok(len)
        }
        Mode::Cfb8 => {
            cfb8::Decryptor::<C>::new_from_slices(key, iv)
                .map_err(|_| DecryptError::Length)?
                .decrypt(buffer);
            Ok(len)
        }
        Mode::Cfb1 => {
            cfb1_decrypt::<C>(key, iv, buffer)?;
            Ok(len)
        }
        Mode::Ofb => {
            // Keyed through the block cipher's own constructor, which takes
            // every key length RC2 allows, not only the crate's default one.
            let cipher = C::new_from_slice(key).map_err(|_| DecryptError::Length)?;
            let core = ofb::OfbCore::<C>::inner_iv_slice_init(cipher, iv)
                .map_err(|_| DecryptError::Length)?;
            StreamCipherCoreWrapper::from_core(core)
                .try_apply_keystream(buffer)
                .map_err(|_| DecryptError::Length)?;
            Ok(len)
        }
        // No 64-bit block cipher has a CTR mode in the tables above.
        Mode::Ctr => Err(DecryptError::Length),
    }
}

/// CFB with one bit of feedback, as OpenSSL's CFB1 modes do it: each
/// ciphertext bit, most significant first, is XORed with the top bit of the
/// encrypted shift register, then shifted into the register. No RustCrypto
/// crate implements this mode.
fn cfb1_decrypt<C>(
    key: &[u8],
    iv: &[u8],
    buffer: &mut [u8],
) -> core::result::Result<(), DecryptError>
where
    C: BlockCipherEncrypt + KeyInit,
{
    let cipher = C::new_from_slice(key).map_err(|_| DecryptError::Length)?;
    let mut register = Zeroizing::new(Array::<u8, C::BlockSize>::default());
    if iv.len() != register.len() {
        return Err(DecryptError::Length);
    }
    register.copy_from_slice(iv);
    let mut keystream = Zeroizing::new(Array::<u8, C::BlockSize>::default());
    for byte in buffer.iter_mut() {
        let ciphertext = *byte;
        let mut plaintext = 0u8;
        for bit in (0..8).rev() {
            keystream.copy_from_slice(register.as_slice());
            cipher.encrypt_block(&mut keystream);
            let ciphertext_bit = (ciphertext >> bit) & 1;
            let keystream_bit = keystream.first().map_or(0, |top| top >> 7);
            plaintext |= (keystream_bit ^ ciphertext_bit) << bit;
            shift_in_bit(register.as_mut_slice(), ciphertext_bit);
        }
        *byte = plaintext;
    }
    Ok(())
}

/// Decrypts DES-X in CBC mode and removes the PKCS#7 padding. A DES-X
/// block encryption is `DES(block XOR input whitening) XOR output
/// whitening`, with the 24-byte key split as OpenSSL splits it: DES key,
/// input whitening, output whitening. No RustCrypto crate implements DES-X.
fn desx_cbc_decrypt(
    key: &[u8],
    iv: &[u8],
    buffer: &mut [u8],
) -> core::result::Result<usize, DecryptError> {
    let (des_key, whitening) = key.split_at_checked(8).ok_or(DecryptError::Length)?;
    let (input_whitening, output_whitening) =
        whitening.split_at_checked(8).ok_or(DecryptError::Length)?;
    if output_whitening.len() != 8 || iv.len() != 8 || !buffer.len().is_multiple_of(8) {
        return Err(DecryptError::Length);
    }
    let des = des::Des::new_from_slice(des_key).map_err(|_| DecryptError::Length)?;
    let mut previous = Zeroizing::new([0u8; 8]);
    previous.copy_from_slice(iv);
    let mut block = Zeroizing::new(Array::<u8, <des::Des as BlockSizeUser>::BlockSize>::default());
    for chunk in buffer.chunks_exact_mut(8) {
        for ((out, &ciphertext), &whiten) in
            block.iter_mut().zip(chunk.iter()).zip(output_whitening)
        {
            *out = ciphertext ^ whiten;
        }
        des.decrypt_block(&mut block);
        for (((byte, &decrypted), &whiten), previous) in chunk
            .iter_mut()
            .zip(block.iter())
            .zip(input_whitening)
            .zip(previous.iter_mut())
        {
            let ciphertext = *byte;
            *byte = decrypted ^ whiten ^ *previous;
            *previous = ciphertext;
        }
    }
    pkcs7_unpadded_len(buffer, 8)
}

/// Returns the length of `buffer` without its PKCS#7 padding of up to
/// `block_len` bytes, or [`DecryptError::Padding`] when the padding is wrong.
fn pkcs7_unpadded_len(
    buffer: &[u8],
    block_len: usize,
) -> core::result::Result<usize, DecryptError> {
    let pad_len = usize::from(*buffer.last().ok_or(DecryptError::Padding)?);
    if pad_len == 0 || pad_len > block_len {
        return Err(DecryptError::Padding);
    }
    let text_len = buffer
        .len()
        .checked_sub(pad_len)
        .ok_or(DecryptError::Padding)?;
    let padding = buffer.get(text_len..).ok_or(DecryptError::Padding)?;
    if padding.iter().all(|&byte| usize::from(byte) == pad_len) {
        Ok(text_len)
    } else {
        Err(DecryptError::Padding)
    }
}

/// Shifts `register` left by one bit and puts `bit` in its lowest bit.
fn shift_in_bit(register: &mut [u8], bit: u8) {
    let mut carry = bit;
    for byte in register.iter_mut().rev() {
        let next_carry = *byte >> 7;
        *byte = (*byte << 1) | carry;
        carry = next_carry;
    }
}

/// Decrypts with OpenSSL's ChaCha20, whose 16-byte IV is the 64-bit block
/// counter (little-endian) followed by the 64-bit nonce: the original
/// ("legacy") ChaCha20 layout.
fn chacha20_decrypt(key: &[u8], iv: &[u8], buffer: &mut [u8]) -> Result<usize> {
    let length_error = || Error::new(Reason::KeyLoad, "invalid key or IV length for ChaCha20");
    let (counter, nonce) = iv.split_at_checked(8).ok_or_else(length_error)?;
    let counter: [u8; 8] = counter.try_into().map_err(|_| length_error())?;
    let mut core =
        chacha20::ChaCha20LegacyCore::new_from_slices(key, nonce).map_err(|_| length_error())?;
    core.set_block_pos(u64::from_le_bytes(counter));
    StreamCipherCoreWrapper::from_core(core)
        .try_apply_keystream(buffer)
        .map_err(|_| {
            // OpenSSL lets the counter wrap around to 0 instead.
            Error::new(
                Reason::KeyLoad,
                "the ChaCha20 block counter in the IV overflows before the end of the key data",
            )
        })?;
    Ok(buffer.len())
}

/// Decrypts with RC4, a stream cipher without an IV.
fn rc4_decrypt(key: &[u8], buffer: &mut [u8]) -> Result<usize> {
    let length_error = || Error::new(Reason::KeyLoad, "invalid key length for RC4");
    rc4::Rc4::new_from_slice(key)
        .map_err(|_| length_error())?
        .try_apply_keystream(buffer)
        .map_err(|_| length_error())?;
    Ok(buffer.len())
}

/// Reports whether `name` is a cipher that OpenSSL 3.0 offers only in its
/// legacy provider: Blowfish, CAST5, single DES, DESX, IDEA, RC2, RC4, RC5
/// and SEED.
pub(crate) fn needs_legacy_provider(name: &str) -> bool {
    let name = name.to_ascii_uppercase();
    let families = [
        "BF", "BLOWFISH", "CAST", "DESX", "IDEA", "RC2", "RC4", "RC5", "SEED",
    ];
    let is_family = |family: &str| {
        name == family
            || name
                .strip_prefix(family)
                .is_some_and(|rest| rest.starts_with('-') || family == "CAST")
    };
    let single_des = name == "DES" || (name.starts_with("DES-") && !name.starts_with("DES-EDE"));
    single_des || families.into_iter().any(is_family)
}

/// How to re-encrypt a key that needs OpenSSL's legacy provider with a
/// cipher that needs no provider option.
const REENCRYPT_WITHOUT_LEGACY: &str = "re-encrypt the key with PBES2, for example with \
    openssl pkcs8 -topk8 -provider legacy -provider default -in KEY -v2 aes-256-cbc -out NEW";

/// Builds the error for a key whose encryption `what` (a scheme or cipher
/// and its name) tsrs reads only with OpenSSL's legacy provider, which is
/// not active.
pub(crate) fn legacy_provider_not_loaded(what: &str) -> Error {
    Error::new(
        Reason::KeyLoad,
        format!(
            "{what} needs OpenSSL's legacy provider, which is not loaded; pass \
             -provider legacy -provider default, or {REENCRYPT_WITHOUT_LEGACY}"
        ),
    )
}

/// Builds the error for a key encrypted with a cipher of OpenSSL's legacy
/// provider that tsrs does not implement, such as SEED, whether that
/// provider is active or not.
pub(crate) fn legacy_cipher_not_implemented(what: &str) -> Error {
    Error::new(
        Reason::KeyLoad,
        format!(
            "{what} needs OpenSSL's legacy provider, and of its ciphers tsrs implements only \
             DES, DESX, RC2, RC4, Blowfish and CAST5; {REENCRYPT_WITHOUT_LEGACY}"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Key, IV and ciphertexts from `openssl enc -desx-cbc -provider legacy
    /// -provider default -K ... -iv ...`.
    const DESX_KEY: &str = "0123456789abcdef1122334455667788a1b2c3d4e5f60718";
    const DESX_IV: &str = "0f1e2d3c4b5a6978";

    #[test]
    fn desx_cbc_decrypts_as_openssl_encrypts() {
        let cipher = Cipher::Block(BlockAlgorithm::DesX, Mode::Cbc);
        assert_eq!(cipher.key_len(), 24);
        assert_eq!(cipher.iv_len(), 8);
        let cases = [
            ("768b70fb6af0e985ad6db2ea9c9dc979", &b"twelve bytes"[..]),
            (
                "0aa0e603c7cf61d92377ce02fbbc43d526d58748c5cdea01",
                &b"sixteen bytes!!!"[..],
            ),
        ];
        for (ciphertext, plaintext) in cases {
            let decrypted = cipher
                .decrypt(&unhex(DESX_KEY), &unhex(DESX_IV), &unhex(ciphertext))
                .unwrap();
            assert_eq!(decrypted.as_slice(), plaintext);
        }
    }

    #[test]
    fn desx_cbc_rejects_bad_padding_and_lengths() {
        let cipher = Cipher::Block(BlockAlgorithm::DesX, Mode::Cbc);
        let mut ciphertext = unhex("768b70fb6af0e985ad6db2ea9c9dc979");
        if let Some(last) = ciphertext.last_mut() {
            *last ^= 1;
        }
        let err = cipher
            .decrypt(&unhex(DESX_KEY), &unhex(DESX_IV), &ciphertext)
            .unwrap_err();
        assert!(err.message().contains("bad decrypt"), "{err}");
        let short_key = &unhex(DESX_KEY)[..16];
        let err = cipher
            .decrypt(short_key, &unhex(DESX_IV), &ciphertext)
            .unwrap_err();
        assert!(err.message().contains("DESX-CBC"), "{err}");
        let err = cipher
            .decrypt(&unhex(DESX_KEY), &unhex(DESX_IV), &ciphertext[..12])
            .unwrap_err();
        assert!(err.message().contains("whole number"), "{err}");
    }

    #[test]
    fn pkcs7_padding_is_checked_whole() {
        assert_eq!(pkcs7_unpadded_len(&[1, 2, 3, 2, 2], 8).ok(), Some(3));
        assert_eq!(pkcs7_unpadded_len(&[8; 8], 8).ok(), Some(0));
        for bad in [&[1, 2, 3, 1, 2][..], &[0; 8], &[9; 9], &[], &[3, 3]] {
            assert!(pkcs7_unpadded_len(bad, 8).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_blowfish_cast5_and_desx_as_openssl() {
        let cases = [
            (BlockAlgorithm::Blowfish, Mode::Cbc, "BF-CBC"),
            (BlockAlgorithm::Blowfish, Mode::Ofb, "BF-OFB"),
            (BlockAlgorithm::Cast5, Mode::Cfb, "CAST5-CFB"),
            (BlockAlgorithm::DesX, Mode::Cbc, "DESX-CBC"),
        ];
        for (algorithm, mode, name) in cases {
            let cipher = Cipher::Block(algorithm, mode);
            assert_eq!(cipher.name(), name);
            assert_eq!(
                cipher.key_len(),
                if algorithm == BlockAlgorithm::DesX {
                    24
                } else {
                    16
                }
            );
            assert!(cipher.is_legacy(), "{name}");
        }
        let bf = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.3029.1.2");
        let cast5 = ObjectIdentifier::new_unwrap("1.2.840.113533.7.66.10");
        assert_eq!(
            Cipher::from_pbes2_oid(&bf),
            Some(Cipher::Block(BlockAlgorithm::Blowfish, Mode::Cbc))
        );
        assert_eq!(
            Cipher::from_pbes2_oid(&cast5),
            Some(Cipher::Block(BlockAlgorithm::Cast5, Mode::Cbc))
        );
    }
}
