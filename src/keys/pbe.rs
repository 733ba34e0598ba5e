//! The password-based encryption of an EncryptedPrivateKeyInfo (RFC 5958
//! section 3), chosen by its algorithm OID: PBES2, the PKCS#12 schemes and
//! PBES1. The schemes and ciphers of OpenSSL's legacy provider load only
//! when [`DecryptOptions::legacy_provider`] is set, as in OpenSSL.

use der::asn1::ObjectIdentifier;
use spki::AlgorithmIdentifierRef;
use zeroize::Zeroizing;

use super::cipher::{Cipher, legacy_provider_not_loaded};
use super::pbes1::Pbes1;
use super::pbes2::{PBES2_OID, Pbes2};
use super::pkcs12_pbe::Pkcs12Pbe;
use super::{DecryptOptions, describe_oid};
use crate::error::{Error, Reason, Result};

/// The PKCS#5 arc, home of the PBES1 schemes such as `pbeWithMD5AndDES-CBC`.
const PKCS5_ARC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5");
/// The last arcs of the PBES1 schemes with MD2 under [`PKCS5_ARC`] (RFC 8018
/// appendix A.3), which tsrs does not read.
const PBES1_MD2_ARCS: [u32; 2] = [1, 4];

/// A parsed encryption scheme, ready to decrypt.
pub(crate) enum KeyEncryption<'a> {
    Pbes2(Pbes2<'a>),
    Pkcs12(Pkcs12Pbe<'a>),
    Pbes1(Pbes1<'a>),
}

impl<'a> KeyEncryption<'a> {
    /// Parses the encryptionAlgorithm of an EncryptedPrivateKeyInfo. A
    /// scheme or cipher of OpenSSL's legacy provider is an error that names
    /// it unless `options.legacy_provider` is set, and so is a scheme that
    /// tsrs does not read.
    pub(crate) fn parse(
        algorithm: AlgorithmIdentifierRef<'a>,
        options: DecryptOptions,
    ) -> Result<KeyEncryption<'a>> {
        let oid = algorithm.oid;
        if oid == PBES2_OID {
            let pbes2 = Pbes2::parse(algorithm.parameters)?;
            if let Some(cipher) = pbes2.cipher() {
                check_provider(cipher, options, || {
                    format!("the PBES2 cipher {}", cipher.name())
                })?;
            }
            return Ok(KeyEncryption::Pbes2(pbes2));
        }
        if let Some(pbe) = Pkcs12Pbe::parse(&oid, algorithm.parameters)? {
            check_provider(pbe.cipher(), options, || {
                format!(
                    "the PKCS#12 password-based encryption {}",
                    describe_oid(&oid)
                )
            })?;
            return Ok(KeyEncryption::Pkcs12(pbe));
        }
        if let Some(pbe) = Pbes1::parse(&oid, algorithm.parameters)? {
            check_provider(pbe.cipher(), options, || {
                format!("the PKCS#5 v1.5 (PBES1) encryption {}", describe_oid(&oid))
            })?;
            return Ok(KeyEncryption::Pbes1(pbe));
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
            KeyEncryption::Pbes1(pbe) => pbe.decrypt(passphrase, ciphertext),
        }
    }
}

/// Rejects a cipher of OpenSSL's legacy provider unless that provider is
/// active. `describe` returns the scheme's name for the message.
fn check_provider(
    cipher: Cipher,
    options: DecryptOptions,
    describe: impl FnOnce() -> String,
) -> Result<()> {
    if cipher.is_legacy() && !options.legacy_provider {
        return Err(legacy_provider_not_loaded(&describe()));
    }
    Ok(())
}

fn unsupported_scheme(oid: &ObjectIdentifier) -> Error {
    let is_md2_pbes1 = oid.parent() == Some(PKCS5_ARC)
        && oid
            .arcs()
            .last()
            .is_some_and(|arc| PBES1_MD2_ARCS.contains(&arc));
    let message = if is_md2_pbes1 {
        format!(
            "the PKCS#5 v1.5 (PBES1) encryption {} uses MD2, which OpenSSL 3.0 does not read \
             either; re-encrypt the key with PBES2, for example with openssl pkcs8 -topk8 \
             -in KEY -v2 aes-256-cbc -out NEW using an OpenSSL that reads it",
            describe_oid(oid)
        )
    } else {
        format!(
            "unsupported key encryption algorithm {}; PBES2, PBES1 and the PKCS#12 \
             schemes are supported",
            describe_oid(oid)
        )
    };
    Error::new(Reason::KeyLoad, message)
}
