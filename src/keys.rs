//! Private keys and signing.
//!
//! TODO: interface only; the implementation is being written.

use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::digest::DigestAlgorithm;
use crate::error::Result;

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

/// Something that signs: a key held in memory, or an external device behind a callback.
pub trait Signer: Send + Sync {
    /// The signer's SubjectPublicKeyInfo.
    fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned>;

    /// The signatureAlgorithm a CMS SignerInfo carries for this key and digest.
    fn signature_algorithm(&self, digest: DigestAlgorithm) -> Result<AlgorithmIdentifierOwned>;

    /// Signs `message`, hashing it with `digest` first where the scheme does.
    fn sign(&self, digest: DigestAlgorithm, message: &[u8]) -> Result<Vec<u8>>;
}

/// A private key held in memory.
pub struct PrivateKey {
    _private: (),
}

impl PrivateKey {
    /// Loads a key from PEM or DER.
    pub fn from_bytes(_input: &[u8], _passphrase: Option<&[u8]>) -> Result<PrivateKey> {
        todo!()
    }

    /// Loads a key from a file, PEM or DER.
    pub fn load(_path: &std::path::Path, _passphrase: Option<&[u8]>) -> Result<PrivateKey> {
        todo!()
    }

    /// Generates a new key.
    pub fn generate(_kind: KeyKind) -> Result<PrivateKey> {
        todo!()
    }

    /// The key's kind.
    pub fn kind(&self) -> KeyKind {
        todo!()
    }

    /// The key as unencrypted PKCS#8 PEM.
    pub fn to_pkcs8_pem(&self) -> Result<zeroize::Zeroizing<String>> {
        todo!()
    }
}

/// Checks that `signer`'s public key is the one in `certificate_key`, as
/// `X509_check_private_key` does.
pub fn check_key_matches(_signer: &dyn Signer, _certificate_key: &SubjectPublicKeyInfoOwned) -> Result<()> {
    todo!()
}
