//! Private keys and signing.
//!
//! [`PrivateKey`] reads the key files that OpenSSL 3.0's `PEM_read_bio_PrivateKey`
//! reads, and their DER forms: PKCS#8 (plain, or encrypted with PBES2, the
//! PKCS#12 schemes or PBES1), PKCS#1 RSA, SEC1 EC and the legacy
//! `Proc-Type: 4,ENCRYPTED` PEM encryption. Encryption that needs OpenSSL's
//! legacy provider (PBES1, the PKCS#12 RC2 and RC4 schemes, DES, DESX,
//! RC2, RC4, Blowfish and CAST5) loads only when
//! [`DecryptOptions::legacy_provider`] is set. It signs through the
//! [`Signer`] trait, which an external signer (an HSM, a KMS) can implement
//! as well. [`check_key_matches`] gives the verdicts of
//! `X509_check_private_key`, and [`read_passphrase`] reads the `-passin`
//! sources of the `openssl` commands.

mod cipher;
mod compare;
mod decode;
mod ec;
mod encode;
mod passphrase;
mod pbe;
mod pbes1;
mod pbes2;
mod pem;
mod pkcs12_pbe;
mod pss;
mod signing;

pub(crate) use signing::ecdsa_algorithm_oid;

use core::fmt;
use std::io::Read;

use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Result};

pub use compare::check_key_matches;
pub use passphrase::read_passphrase;

/// The largest key file tsrs reads: 4 MiB, room for a long certificate chain
/// in front of the key.
pub const MAX_KEY_FILE_LEN: usize = 4 * 1024 * 1024;

/// Options for decrypting an encrypted key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecryptOptions {
    /// Whether OpenSSL's legacy provider is active (`-provider legacy`, or a
    /// configuration that activates it). Without it, keys encrypted with
    /// PBES1, the PKCS#12 RC2 and RC4 schemes, DES, DESX, RC2, RC4, Blowfish
    /// or CAST5 fail to load, as in OpenSSL 3.0.
    pub legacy_provider: bool,
}

/// The kinds of private key tsrs can sign with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyKind {
    /// RSA, signing with PKCS#1 v1.5.
    Rsa,
    /// RSA restricted to RSASSA-PSS (an `id-RSASSA-PSS` key).
    RsaPss,
    /// ECDSA on P-256.
    EcP256,
    /// ECDSA on P-384.
    EcP384,
    /// ECDSA on P-521.
    EcP521,
    /// Ed25519.
    Ed25519,
}

impl KeyKind {
    /// Returns the name that messages use: `RSA`, `RSA-PSS`, `EC P-256`, `Ed25519`.
    pub const fn name(self) -> &'static str {
        match self {
            KeyKind::Rsa => "RSA",
            KeyKind::RsaPss => "RSA-PSS",
            KeyKind::EcP256 => "EC P-256",
            KeyKind::EcP384 => "EC P-384",
            KeyKind::EcP521 => "EC P-521",
            KeyKind::Ed25519 => "Ed25519",
        }
    }
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Something that signs: a key held in memory, or an external device behind a callback.
pub trait Signer: Send + Sync {
    /// The signer's SubjectPublicKeyInfo.
    fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned>;

    /// The signatureAlgorithm a CMS SignerInfo carries for this key and digest.
    fn signature_algorithm(&self, digest: DigestAlgorithm) -> Result<AlgorithmIdentifierOwned>;

    /// Signs `message`, hashing it with `digest` first where the scheme does.
    fn sign(&self, digest: DigestAlgorithm, message: &[u8]) -> Result<Vec<u8>>;
}

/// The secret key of a [`PrivateKey`]. Every variant zeroizes its secret on drop.
pub(crate) enum KeyMaterial {
    Rsa(rsa::PrivateKey),
    /// An `id-RSASSA-PSS` key, with the RSASSA-PSS-params that restrict it, if any.
    RsaPss(rsa::PrivateKey, Option<pss::PssParams>),
    Ec(ec::EcKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl KeyMaterial {
    fn kind(&self) -> KeyKind {
        match self {
            KeyMaterial::Rsa(_) => KeyKind::Rsa,
            KeyMaterial::RsaPss(..) => KeyKind::RsaPss,
            KeyMaterial::Ec(key) => key.curve().kind(),
            KeyMaterial::Ed25519(_) => KeyKind::Ed25519,
        }
    }
}

/// A private key held in memory.
///
/// The key material is zeroized when the value is dropped.
pub struct PrivateKey {
    material: KeyMaterial,
    /// Whether an `rsaEncryption` key signs with RSASSA-PSS instead of PKCS#1 v1.5.
    rsa_pss_padding: bool,
}

impl PrivateKey {
    /// Loads a key from PEM or DER.
    ///
    /// PEM input may hold other blocks: the first private key block is used, as
    /// `PEM_read_bio_PrivateKey` does. `passphrase` decrypts an encrypted key
    /// and is ignored for a plain one.
    ///
    /// # Errors
    ///
    /// [`Reason::Password`] when the key is encrypted and `passphrase` is `None`,
    /// [`Reason::TooLarge`] for input over [`MAX_KEY_FILE_LEN`] or an encrypted
    /// key over 64 KiB, and
    /// [`Reason::KeyLoad`] for everything else that prevents loading: no key
    /// block, malformed input, a wrong passphrase, an unsupported cipher,
    /// algorithm or curve.
    pub fn from_bytes(input: &[u8], passphrase: Option<&[u8]>) -> Result<PrivateKey> {
        PrivateKey::from_bytes_with_options(input, passphrase, DecryptOptions::default())
    }

    /// Loads a key from PEM or DER as [`PrivateKey::from_bytes`] does, with
    /// the encryption schemes and ciphers that `options` allow.
    ///
    /// # Errors
    ///
    /// As [`PrivateKey::from_bytes`].
    pub fn from_bytes_with_options(
        input: &[u8],
        passphrase: Option<&[u8]>,
        options: DecryptOptions,
    ) -> Result<PrivateKey> {
        PrivateKey::decode(input, passphrase, options)
            .map_err(|err| Error::new(err.reason(), format!("cannot load private key: {err}")))
    }

    /// Loads a key from a file, PEM or DER, as [`PrivateKey::from_bytes`] does.
    ///
    /// # Errors
    ///
    /// As [`PrivateKey::from_bytes`], with messages that name the file, and
    /// [`Reason::Io`] when the file cannot be read.
    pub fn load(path: &std::path::Path, passphrase: Option<&[u8]>) -> Result<PrivateKey> {
        PrivateKey::load_with_options(path, passphrase, DecryptOptions::default())
    }

    /// Loads a key from a file as [`PrivateKey::load`] does, with the
    /// encryption schemes and ciphers that `options` allow.
    ///
    /// # Errors
    ///
    /// As [`PrivateKey::load`].
    pub fn load_with_options(
        path: &std::path::Path,
        passphrase: Option<&[u8]>,
        options: DecryptOptions,
    ) -> Result<PrivateKey> {
        let display_path = path.display().to_string();
        let input = read_key_file(path, &display_path)?;
        PrivateKey::decode(&input, passphrase, options).map_err(|err| {
            Error::new(
                err.reason(),
                format!("cannot load private key from {display_path}: {err}"),
            )
        })
    }

    fn decode(
        input: &[u8],
        passphrase: Option<&[u8]>,
        options: DecryptOptions,
    ) -> Result<PrivateKey> {
        if input.len() > MAX_KEY_FILE_LEN {
            return Err(Error::new(
                Reason::TooLarge,
                format!(
                    "the input is {} bytes, more than the {MAX_KEY_FILE_LEN} bytes a key file may have",
                    input.len()
                ),
            ));
        }
        let material = decode::decode_private_key(input, passphrase, options)?;
        Ok(PrivateKey {
            material,
            rsa_pss_padding: false,
        })
    }

    /// Generates a new key: RSA with a 2048-bit modulus and exponent 65537
    /// (also for [`KeyKind::RsaPss`], which gets no parameter restrictions),
    /// or a key on the named curve.
    ///
    /// # Errors
    ///
    /// [`Reason::Signing`] when the system random number generator fails.
    pub fn generate(kind: KeyKind) -> Result<PrivateKey> {
        let material = match kind {
            KeyKind::Rsa => KeyMaterial::Rsa(generate_rsa()?),
            KeyKind::RsaPss => KeyMaterial::RsaPss(generate_rsa()?, None),
            KeyKind::EcP256 => KeyMaterial::Ec(ec::EcKey::generate(ec::Curve::P256)?),
            KeyKind::EcP384 => KeyMaterial::Ec(ec::EcKey::generate(ec::Curve::P384)?),
            KeyKind::EcP521 => KeyMaterial::Ec(ec::EcKey::generate(ec::Curve::P521)?),
            KeyKind::Ed25519 => {
                let mut seed = zeroize::Zeroizing::new([0u8; 32]);
                fill_random(seed.as_mut())?;
                KeyMaterial::Ed25519(ed25519_dalek::SigningKey::from_bytes(&seed))
            }
        };
        Ok(PrivateKey {
            material,
            rsa_pss_padding: false,
        })
    }

    /// Makes an RSA key sign with RSASSA-PSS: the signer's digest for the
    /// message and for MGF1, a salt as long as the digest, as an RSA-PSS key
    /// without parameters signs. OpenSSL 3.0's time-stamping code has no such
    /// option and always signs with PKCS#1 v1.5.
    ///
    /// # Errors
    ///
    /// [`Reason::UnsupportedAlgorithm`] when the key is not an `rsaEncryption` key.
    pub fn use_rsa_pss_padding(&mut self) -> Result<()> {
        if !matches!(self.material, KeyMaterial::Rsa(_)) {
            return Err(Error::new(
                Reason::UnsupportedAlgorithm,
                format!(
                    "RSASSA-PSS padding needs an RSA key, not an {} key",
                    self.kind()
                ),
            ));
        }
        self.rsa_pss_padding = true;
        Ok(())
    }

    /// The key's kind.
    pub fn kind(&self) -> KeyKind {
        self.material.kind()
    }

    /// Encodes the key as unencrypted PKCS#8 DER, as `openssl pkey -outform DER` does.
    ///
    /// # Errors
    ///
    /// [`Reason::Encode`] when the key cannot be encoded.
    pub fn to_pkcs8_der(&self) -> Result<zeroize::Zeroizing<Vec<u8>>> {
        encode::private_key_info(&self.material)
    }

    /// Encodes the key as unencrypted PKCS#8 PEM, as `openssl pkey` does.
    ///
    /// # Errors
    ///
    /// [`Reason::Encode`] when the key cannot be encoded.
    pub fn to_pkcs8_pem(&self) -> Result<zeroize::Zeroizing<String>> {
        let der = self.to_pkcs8_der()?;
        pem_rfc7468::encode_string("PRIVATE KEY", pem_rfc7468::LineEnding::LF, &der)
            .map(zeroize::Zeroizing::new)
            .map_err(|err| Error::new(Reason::Encode, format!("cannot encode PEM: {err}")))
    }
}

impl Signer for PrivateKey {
    fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned> {
        encode::public_key_info(&self.material)
    }

    fn signature_algorithm(&self, digest: DigestAlgorithm) -> Result<AlgorithmIdentifierOwned> {
        match &self.material {
            KeyMaterial::Rsa(_) if self.rsa_pss_padding => {
                signing::rsa_pss_signature_algorithm(digest)
            }
            material => signing::signature_algorithm(material, digest),
        }
    }

    fn sign(&self, digest: DigestAlgorithm, message: &[u8]) -> Result<Vec<u8>> {
        match &self.material {
            KeyMaterial::Rsa(key) if self.rsa_pss_padding => {
                signing::rsa_pss_sign(key, digest, message)
            }
            material => signing::sign(material, digest, message),
        }
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("kind", &self.kind())
            .finish_non_exhaustive()
    }
}

/// Reads at most [`MAX_KEY_FILE_LEN`] + 1 bytes, so that an oversized file is
/// reported without reading all of it.
fn read_key_file(
    path: &std::path::Path,
    display_path: &str,
) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    let file = std::fs::File::open(path).map_err(|err| Error::io("open", display_path, &err))?;
    let mut input = zeroize::Zeroizing::new(Vec::new());
    let limit = u64::try_from(MAX_KEY_FILE_LEN)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    file.take(limit)
        .read_to_end(&mut input)
        .map_err(|err| Error::io("read", display_path, &err))?;
    Ok(input)
}

fn generate_rsa() -> Result<rsa::PrivateKey> {
    rsa::PrivateKey::new(&mut getrandom::SysRng, 2048).map_err(|err| {
        Error::new(
            Reason::Signing,
            format!("cannot generate an RSA key: {err}"),
        )
    })
}

/// Formats an OID with OpenSSL's short name for messages: `ED448 (1.3.101.113)`.
pub(crate) fn describe_oid(oid: &der::asn1::ObjectIdentifier) -> String {
    match crate::oid::Objects::new().short_name(oid) {
        Some(name) => format!("{name} ({oid})"),
        None => oid.to_string(),
    }
}

/// Fills `buf` from the operating system's random number generator.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|err| {
        Error::new(
            Reason::Signing,
            format!("cannot read the system random number generator: {err}"),
        )
    })
}
