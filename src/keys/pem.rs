//! PEM blocks as OpenSSL reads them, and the legacy PEM encryption that
//! `openssl genrsa -traditional -aes256` and `openssl ec -aes256` write.
//!
//! A legacy encrypted block carries two headers:
//!
//! ```text
//! Proc-Type: 4,ENCRYPTED
//! DEK-Info: AES-256-CBC,<IV in hex>
//! ```
//!
//! The key is OpenSSL's `EVP_BytesToKey` with MD5, one iteration and the
//! first 8 bytes of the IV as salt. The cipher is any that
//! [`Cipher::from_pem_name`] recognizes, and CBC bodies have PKCS#7 padding. The DES,
//! DESX, RC2, Blowfish and CAST5 ciphers need OpenSSL's legacy provider,
//! and are read only when [`DecryptOptions::legacy_provider`] is set.

use base64ct::{Base64, Encoding};
use digest::Digest;
use zeroize::Zeroizing;

use super::DecryptOptions;
use super::cipher::{
    Cipher, legacy_cipher_not_implemented, legacy_provider_not_loaded, needs_legacy_provider,
};
use crate::error::{Error, Reason, Result};

/// The labels of the blocks `PEM_read_bio_PrivateKey` reads in OpenSSL 3.0:
/// PKCS#8, encrypted PKCS#8 and the type-specific legacy forms.
const PRIVATE_KEY_LABELS: [&str; 5] = [
    "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "DSA PRIVATE KEY",
];

/// One decoded PEM block.
pub(crate) struct PemBlock {
    pub(crate) label: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) contents: Zeroizing<Vec<u8>>,
}

/// Finds the first private key block in `input`, skipping blocks of other
/// types (a certificate, `EC PARAMETERS`) as `PEM_read_bio_PrivateKey` does.
///
/// Returns `Ok(None)` with the labels of the skipped blocks when there is no
/// private key block. A malformed private key block is an error.
pub(crate) fn first_private_key_block(
    input: &[u8],
) -> Result<core::result::Result<PemBlock, Vec<String>>> {
    let lines: Vec<&[u8]> = input
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii_end)
        .collect();
    let mut other_labels = Vec::new();
    let mut index = 0;
    while let Some(line) = lines.get(index) {
        index += 1;
        let Some(label) = boundary_label(line, b"-----BEGIN ") else {
            continue;
        };
        if PRIVATE_KEY_LABELS.contains(&label) {
            return read_block(label, &lines[index..]).map(Ok);
        }
        other_labels.push(label.to_owned());
    }
    Ok(Err(other_labels))
}

/// Returns the label of a `-----BEGIN label-----` or `-----END label-----` line.
fn boundary_label<'a>(line: &'a [u8], prefix: &[u8]) -> Option<&'a str> {
    let label = line.strip_prefix(prefix)?.strip_suffix(b"-----")?;
    core::str::from_utf8(label).ok()
}

/// Reads the headers and the base64 body that follow a BEGIN line, up to the
/// matching END line.
fn read_block(label: &str, lines: &[&[u8]]) -> Result<PemBlock> {
    let mut rest = lines;
    let mut headers = Vec::new();
    if rest.first().is_some_and(|line| is_header(line)) {
        while let Some((line, tail)) = rest.split_first() {
            if !is_header(line) {
                break;
            }
            headers.push(parse_header(line));
            rest = tail;
        }
        if let Some((line, tail)) = rest.split_first()
            && line.is_empty()
        {
            rest = tail;
        }
    }

    let mut base64 = Zeroizing::new(Vec::new());
    for line in rest {
        if line.starts_with(b"-----END ") {
            return match boundary_label(line, b"-----END ") {
                Some(end) if end == label => decode_body(label, headers, &base64),
                _ => Err(pem_error(format!(
                    "the -----BEGIN {label}----- block ends with the line {:?}",
                    String::from_utf8_lossy(line)
                ))),
            };
        }
        base64.extend(line.iter().filter(|b| !b.is_ascii_whitespace()));
    }
    Err(pem_error(format!(
        "the -----BEGIN {label}----- block has no -----END {label}----- line; is the file truncated?"
    )))
}

fn is_header(line: &[u8]) -> bool {
    line.contains(&b':')
}

fn parse_header(line: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(line);
    match text.split_once(':') {
        Some((name, value)) => (name.trim().to_owned(), value.trim().to_owned()),
        None => (text.trim().to_owned(), String::new()),
    }
}

fn decode_body(label: &str, headers: Vec<(String, String)>, base64: &[u8]) -> Result<PemBlock> {
    let invalid = || {
        pem_error(format!(
            "the -----BEGIN {label}----- block is not valid base64"
        ))
    };
    let text = core::str::from_utf8(base64).map_err(|_| invalid())?;
    let contents = Base64::decode_vec(text).map_err(|_| invalid())?;
    Ok(PemBlock {
        label: label.to_owned(),
        headers,
        contents: Zeroizing::new(contents),
    })
}

fn pem_error(message: String) -> Error {
    Error::new(Reason::KeyLoad, message)
}

/// The encryption a block's `Proc-Type` and `DEK-Info` headers declare.
pub(crate) struct LegacyEncryption {
    cipher: Cipher,
    iv: Vec<u8>,
}

impl LegacyEncryption {
    /// Reads the headers of `block`: `None` when it is not encrypted.
    pub(crate) fn from_headers(
        block: &PemBlock,
        options: DecryptOptions,
    ) -> Result<Option<LegacyEncryption>> {
        let header = |name: &str| {
            block
                .headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        };
        let Some(proc_type) = header("Proc-Type") else {
            return Ok(None);
        };
        if proc_type.replace(' ', "") != "4,ENCRYPTED" {
            return Err(pem_error(format!(
                "unsupported PEM header \"Proc-Type: {proc_type}\"; only \"4,ENCRYPTED\" is supported"
            )));
        }
        let dek_info = header("DEK-Info").ok_or_else(|| {
            pem_error(
                "the encrypted PEM block has a Proc-Type header but no DEK-Info header".into(),
            )
        })?;
        let (name, iv_hex) = dek_info.split_once(',').ok_or_else(|| {
            pem_error(format!(
                "invalid DEK-Info header {dek_info:?}: expected CIPHER,IV"
            ))
        })?;
        let name = name.trim();
        let cipher = Cipher::from_pem_name(name).ok_or_else(|| unsupported_cipher(name))?;
        if cipher.is_legacy() && !options.legacy_provider {
            return Err(legacy_provider_not_loaded(&format!(
                "the PEM encryption cipher {name}"
            )));
        }
        let iv = decode_hex(iv_hex.trim())
            .filter(|iv| iv.len() == cipher.iv_len())
            .ok_or_else(|| {
                pem_error(format!(
                    "invalid IV in DEK-Info header {dek_info:?}: expected {} hex digits",
                    2 * cipher.iv_len()
                ))
            })?;
        Ok(Some(LegacyEncryption { cipher, iv }))
    }

    /// Decrypts `ciphertext` with a key derived from `passphrase`.
    pub(crate) fn decrypt(
        &self,
        passphrase: &[u8],
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        let salt = self.iv.get(..8).unwrap_or(&self.iv);
        let key = bytes_to_key(passphrase, salt, self.cipher.key_len());
        self.cipher.decrypt(&key, &self.iv, ciphertext)
    }
}

/// Explains why a `DEK-Info` cipher cannot be read and what to do instead.
fn unsupported_cipher(name: &str) -> Error {
    let what = format!("the PEM encryption cipher {name}");
    if needs_legacy_provider(name) {
        return legacy_cipher_not_implemented(&what);
    }
    pem_error(format!(
        "unsupported PEM encryption cipher {name}; OpenSSL 3.0 does not read it either. \
         Supported are AES, ARIA, Camellia and SM4 in CBC, CFB, OFB and CTR modes, DES-EDE \
         and DES-EDE3, ChaCha20, and with the legacy provider DES, DESX, RC2, Blowfish and \
         CAST5; re-encrypt the key, for example with openssl pkey -in KEY -aes256 -out NEW"
    ))
}

/// OpenSSL's `EVP_BytesToKey` with MD5 and one iteration: D_1 = MD5(P || S),
/// D_i = MD5(D_(i-1) || P || S), and the key is D_1 || D_2 || ... cut to `len`.
fn bytes_to_key(passphrase: &[u8], salt: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(Vec::with_capacity(len + 16));
    let mut previous: Option<Zeroizing<Vec<u8>>> = None;
    while key.len() < len {
        let mut md5 = md5::Md5::new();
        if let Some(block) = &previous {
            md5.update(block.as_slice());
        }
        md5.update(passphrase);
        md5.update(salt);
        let block = Zeroizing::new(md5.finalize().to_vec());
        key.extend_from_slice(&block);
        previous = Some(block);
    }
    key.truncate(len);
    key
}

/// Builds the error for a decryption whose padding is wrong, which almost
/// always means a wrong passphrase.
pub(crate) fn bad_decrypt() -> Error {
    Error::new(
        Reason::KeyLoad,
        "bad decrypt: the passphrase is wrong or the key data is corrupt",
    )
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let high = char::from(*pair.first()?).to_digit(16)?;
            let low = char::from(*pair.get(1)?).to_digit(16)?;
            u8::try_from(high * 16 + low).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::cipher::{BlockAlgorithm, Mode};
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn bytes_to_key_matches_openssl_enc() {
        // `openssl enc -aes-256-cbc -md md5 -pass pass:secret -S 0102030405060708 -P`
        // prints this key.
        let key = bytes_to_key(b"secret", &[1, 2, 3, 4, 5, 6, 7, 8], 32);
        assert_eq!(
            hex(&key),
            "c9e5a1bd216dbe1317e230cef48f38ee7f0e17ad64022144bccec4a1aa2879ab"
        );
    }

    #[test]
    fn skips_other_blocks() {
        let input = b"text\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n\
            -----BEGIN EC PRIVATE KEY-----\nAQID\n-----END EC PRIVATE KEY-----\n";
        let block = first_private_key_block(input).unwrap().ok().unwrap();
        assert_eq!(block.label, "EC PRIVATE KEY");
        assert_eq!(block.contents.as_slice(), &[1, 2, 3]);
    }

    #[test]
    fn reports_skipped_labels() {
        let input = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let labels = first_private_key_block(input).unwrap().err().unwrap();
        assert_eq!(labels, vec!["CERTIFICATE".to_owned()]);
    }

    #[test]
    fn reads_legacy_headers() {
        let input = b"-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\n\
            DEK-Info: AES-128-CBC,000102030405060708090A0B0C0D0E0F\r\n\r\nAQID\r\n\
            -----END RSA PRIVATE KEY-----\r\n";
        let block = first_private_key_block(input).unwrap().ok().unwrap();
        let encryption = LegacyEncryption::from_headers(&block, DecryptOptions::default())
            .unwrap()
            .unwrap();
        assert_eq!(
            encryption.cipher,
            Cipher::Block(BlockAlgorithm::Aes128, Mode::Cbc)
        );
        assert_eq!(encryption.iv, (0u8..16).collect::<Vec<_>>());
    }

    #[test]
    fn reads_cipher_aliases() {
        let cases = [
            (
                "camellia-256-cbc",
                Cipher::Block(BlockAlgorithm::Camellia256, Mode::Cbc),
            ),
            ("aes256", Cipher::Block(BlockAlgorithm::Aes256, Mode::Cbc)),
            (
                "2.16.840.1.101.3.4.1.42",
                Cipher::Block(BlockAlgorithm::Aes256, Mode::Cbc),
            ),
            ("DES3", Cipher::Block(BlockAlgorithm::DesEde3, Mode::Cbc)),
            ("chacha20", Cipher::ChaCha20),
        ];
        for (name, expected) in cases {
            assert_eq!(Cipher::from_pem_name(name), Some(expected), "{name}");
        }
    }

    fn legacy_error(cipher: &str) -> Error {
        let input = format!(
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\
             DEK-Info: {cipher},0001020304050607\n\nAQID\n\
             -----END RSA PRIVATE KEY-----\n"
        );
        let block = first_private_key_block(input.as_bytes())
            .unwrap()
            .ok()
            .unwrap();
        LegacyEncryption::from_headers(&block, DecryptOptions::default())
            .err()
            .unwrap()
    }

    #[test]
    fn rejects_unknown_cipher() {
        let err = legacy_error("AES-128-ECB");
        assert!(err.message().contains("AES-128-ECB"), "{err}");
        assert!(err.message().contains("does not read it either"), "{err}");
    }

    #[test]
    fn names_legacy_provider_ciphers() {
        for cipher in [
            "BF-CBC",
            "DES-CBC",
            "des-cfb8",
            "SEED-CBC",
            "CAST5-CBC",
            "RC2-40-CBC",
        ] {
            let err = legacy_error(cipher);
            assert!(err.message().contains(cipher), "{err}");
            assert!(err.message().contains("legacy provider"), "{err}");
        }
    }

    #[test]
    fn reads_legacy_ciphers_with_legacy_provider() {
        let cases = [
            ("DES-CBC", Cipher::Block(BlockAlgorithm::Des, Mode::Cbc)),
            ("des", Cipher::Block(BlockAlgorithm::Des, Mode::Cbc)),
            ("DES-CFB1", Cipher::Block(BlockAlgorithm::Des, Mode::Cfb1)),
            (
                "RC2-CBC",
                Cipher::Block(BlockAlgorithm::Rc2Bits128, Mode::Cbc),
            ),
            (
                "RC2-40-CBC",
                Cipher::Block(BlockAlgorithm::Rc2Bits40, Mode::Cbc),
            ),
            (
                "RC2-64-CBC",
                Cipher::Block(BlockAlgorithm::Rc2Bits64, Mode::Cbc),
            ),
            (
                "RC2-OFB",
                Cipher::Block(BlockAlgorithm::Rc2Bits128, Mode::Ofb),
            ),
            ("BF-CBC", Cipher::Block(BlockAlgorithm::Blowfish, Mode::Cbc)),
            (
                "blowfish",
                Cipher::Block(BlockAlgorithm::Blowfish, Mode::Cbc),
            ),
            ("BF-CFB", Cipher::Block(BlockAlgorithm::Blowfish, Mode::Cfb)),
            ("CAST", Cipher::Block(BlockAlgorithm::Cast5, Mode::Cbc)),
            ("CAST5-OFB", Cipher::Block(BlockAlgorithm::Cast5, Mode::Ofb)),
            ("DESX", Cipher::Block(BlockAlgorithm::DesX, Mode::Cbc)),
            ("DESX-CBC", Cipher::Block(BlockAlgorithm::DesX, Mode::Cbc)),
        ];
        for (name, expected) in cases {
            assert_eq!(Cipher::from_pem_name(name), Some(expected), "{name}");
            assert!(expected.is_legacy(), "{name}");
        }
        assert_eq!(Cipher::from_pem_name("DES-ECB"), None);
        assert_eq!(Cipher::from_pem_name("BF-ECB"), None);
        assert_eq!(Cipher::from_pem_name("SEED-CBC"), None);
        assert_eq!(Cipher::from_pem_name("RC2-40-OFB"), None);
    }

    #[test]
    fn names_missing_legacy_provider() {
        let err = legacy_error("DES-CBC");
        assert!(err.message().contains("DES-CBC"), "{err}");
        assert!(err.message().contains("-provider legacy"), "{err}");
        assert!(err.message().contains("-v2 aes-256-cbc"), "{err}");
    }

    #[test]
    fn rejects_missing_end_line() {
        let input = b"-----BEGIN PRIVATE KEY-----\nAQID\n";
        let err = first_private_key_block(input).err().unwrap();
        assert!(err.message().contains("truncated"), "{err}");
    }
}
