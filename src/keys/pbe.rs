//! The password-based encryption of an EncryptedPrivateKeyInfo (RFC 5958
//! section 3), chosen by its algorithm OID: PBES2, or the PKCS#12 schemes
//! that OpenSSL 3.0 reads without its legacy provider.

use der::asn1::ObjectIdentifier;
use spki::AlgorithmIdentifierRef;
use zeroize::Zeroizing;

use super::describe_oid;
use super::pbes2::{PBES2_OID, Pbes2};
use super::pkcs12_pbe::Pkcs12Pbe;
use crate::error::{Error, Reason, Result};

/// The PKCS#12 password-based encryption arc, `pkcs-12PbeIds`.
const PKCS12_PBE_ARC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1");
/// The PKCS#5 arc, home of the PBES1 schemes such as `pbeWithMD5AndDES-CBC`.
const PKCS5_ARC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5");
/// The last arcs of the PBES1 schemes under [`PKCS5_ARC`] (RFC 8018 appendix A.3).
const PBES1_ARCS: [u32; 6] = [1, 3, 4, 6, 10, 11];

/// How to re-encrypt a key that needs OpenSSL's legacy provider.
const REENCRYPT_WITH_LEGACY: &str = "re-encrypt the key with PBES2, for example with \
    openssl pkcs8 -topk8 -provider legacy -provider default -in KEY -v2 aes-256-cbc -out NEW";

/// A parsed encryption scheme, ready to decrypt.
pub(crate) enum KeyEncryption<'a> {
    Pbes2(Pbes2<'a>),
    Pkcs12(Pkcs12Pbe<'a>),
}

impl<'a> KeyEncryption<'a> {
    /// Parses the encryptionAlgorithm of an EncryptedPrivateKeyInfo. A
    /// scheme that OpenSSL 3.0 reads only with its legacy provider, or not
    /// at all, is an error that names it.
    pub(crate) fn parse(algorithm: AlgorithmIdentifierRef<'a>) -> Result<KeyEncryption<'a>> {
        let oid = algorithm.oid;
        if oid == PBES2_OID {
            return Pbes2::parse(algorithm.parameters).map(KeyEncryption::Pbes2);
        }
        if let Some(pbe) = Pkcs12Pbe::parse(&oid, algorithm.parameters)? {
            return Ok(KeyEncryption::Pkcs12(pbe));
        }
        Err(unsupported_scheme(&oid))
    }

    /// Derives the key from `passphrase` and decrypts `ciphertext`.
    pub(crate) fn decrypt(
        &self,
        passphrase: &[u8],
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        match self {
            KeyEncryption::Pbes2(pbes2) => pbes2.decrypt(passphrase, ciphertext),
            KeyEncryption::Pkcs12(pbe) => pbe.decrypt(passphrase, ciphertext),
        }
    }
}

// TODO: read the schemes and ciphers of OpenSSL's legacy provider (PBES1,
// the PKCS#12 RC2 and RC4 schemes, single DES) once `tsrs ts` accepts
// `-provider legacy`, with which `openssl ts -reply` reads them.
fn unsupported_scheme(oid: &ObjectIdentifier) -> Error {
    let is_pbes1 = oid.parent() == Some(PKCS5_ARC)
        && oid
            .arcs()
            .last()
            .is_some_and(|arc| PBES1_ARCS.contains(&arc));
    let message = if oid.parent() == Some(PKCS12_PBE_ARC) {
        format!(
            "the PKCS#12 password-based encryption {} uses RC2 or RC4, which need OpenSSL's \
             legacy provider, and openssl ts does not load it; {REENCRYPT_WITH_LEGACY}",
            describe_oid(oid)
        )
    } else if is_pbes1 {
        format!(
            "the PKCS#5 v1.5 (PBES1) encryption {} needs OpenSSL's legacy provider, and \
             openssl ts does not load it; {REENCRYPT_WITH_LEGACY}",
            describe_oid(oid)
        )
    } else {
        format!(
            "unsupported key encryption algorithm {}; PBES2 and the PKCS#12 triple-DES \
             schemes are supported",
            describe_oid(oid)
        )
    };
    Error::new(Reason::KeyLoad, message)
}
