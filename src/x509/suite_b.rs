//! Suite B restrictions (RFC 6460), as OpenSSL 3.0's
//! `X509_chain_check_suiteb` and `X509_CRL_check_suiteb`
//! (crypto/x509/x509_cmp.c) apply them: every certificate is version 3 with a
//! P-256 or P-384 key, signed with ECDSA and SHA-256 (by a P-256 key) or
//! SHA-384 (by a P-384 key), at the levels of security the options allow.

use der::asn1::{Any, ObjectIdentifier};
use der::{Tag, Tagged};
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::certificate::Version;

use super::Cert;
use super::codes::VerifyCode;
use super::oids;
use super::signature::KeyAlgorithm;

/// ecdsa-with-SHA256.
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
/// ecdsa-with-SHA384.
const ECDSA_WITH_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");

/// The Suite B levels of security a verification accepts. Both off means no
/// Suite B checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SuiteB {
    /// The 128-bit level: P-256 keys with SHA-256 (`X509_V_FLAG_SUITEB_128_LOS_ONLY`).
    pub level_128: bool,
    /// The 192-bit level: P-384 keys with SHA-384 (`X509_V_FLAG_SUITEB_192_LOS`).
    pub level_192: bool,
}

impl SuiteB {
    /// `-suiteB_128_only`: P-256 only.
    pub const LEVEL_128_ONLY: SuiteB = SuiteB {
        level_128: true,
        level_192: false,
    };
    /// `-suiteB_128`: P-256, and P-384 where it appears.
    pub const LEVEL_128: SuiteB = SuiteB {
        level_128: true,
        level_192: true,
    };
    /// `-suiteB_192`: P-384 only.
    pub const LEVEL_192: SuiteB = SuiteB {
        level_128: false,
        level_192: true,
    };

    /// Whether any Suite B check applies.
    pub fn enabled(self) -> bool {
        self.level_128 || self.level_192
    }
}

/// `X509_chain_check_suiteb` for a built chain (leaf first): the first
/// violation with the depth OpenSSL reports for it.
pub(crate) fn check_chain(chain: &[&Cert], suite_b: SuiteB) -> Result<(), (VerifyCode, usize)> {
    if !suite_b.enabled() {
        return Ok(());
    }
    let mut state = suite_b;
    let Some(leaf) = chain.first() else {
        return Ok(());
    };
    if leaf.version() != Version::V3 {
        return Err((VerifyCode::SuiteBInvalidVersion, 0));
    }
    check_key(leaf.public_key_info(), None, &mut state).map_err(|code| (code, 0))?;
    let result = check_issuers(chain, &mut state);
    result.map_err(|(code, depth)| {
        // A signature or level error concerns the certificate the key signed.
        let depth = if matches!(
            code,
            VerifyCode::SuiteBInvalidSignatureAlgorithm | VerifyCode::SuiteBLosNotAllowed
        ) {
            depth.saturating_sub(1)
        } else {
            depth
        };
        // A level error after a P-384 key dropped the 128-bit level means a
        // P-256 key signed a P-384 certificate.
        if code == VerifyCode::SuiteBLosNotAllowed && state != suite_b {
            (VerifyCode::SuiteBCannotSignP384WithP256, depth)
        } else {
            (code, depth)
        }
    })
}

/// Checks each issuer's key against the signature algorithm of the
/// certificate below it, then the top certificate's own signature.
fn check_issuers(chain: &[&Cert], state: &mut SuiteB) -> Result<(), (VerifyCode, usize)> {
    let mut depth = 1;
    while depth < chain.len() {
        let subject = chain[depth - 1];
        let cert = chain[depth];
        if cert.version() != Version::V3 {
            return Err((VerifyCode::SuiteBInvalidVersion, depth));
        }
        let signature = &subject.signature_algorithm().oid;
        check_key(cert.public_key_info(), Some(signature), state).map_err(|code| (code, depth))?;
        depth += 1;
    }
    let top = chain[chain.len() - 1];
    let signature = &top.signature_algorithm().oid;
    check_key(top.public_key_info(), Some(signature), state).map_err(|code| (code, depth))
}

/// `X509_CRL_check_suiteb`: the CRL's signature algorithm against its
/// issuer's key.
pub(crate) fn check_crl_signature(
    issuer_key: &SubjectPublicKeyInfoOwned,
    signature: &ObjectIdentifier,
    suite_b: SuiteB,
) -> Result<(), VerifyCode> {
    if !suite_b.enabled() {
        return Ok(());
    }
    let mut state = suite_b;
    check_key(issuer_key, Some(signature), &mut state)
}

/// The named curves Suite B distinguishes.
enum Curve {
    P256,
    P384,
    Other,
}

/// `check_suite_b`: the key must be EC on P-256 or P-384, and the signature
/// it made (when given) must use the matching digest. Its level must be
/// allowed, and meeting a P-384 key drops the 128-bit level for the keys above it.
fn check_key(
    key: &SubjectPublicKeyInfoOwned,
    signature: Option<&ObjectIdentifier>,
    state: &mut SuiteB,
) -> Result<(), VerifyCode> {
    if KeyAlgorithm::from_oid(&key.algorithm.oid) != KeyAlgorithm::Ec {
        return Err(VerifyCode::SuiteBInvalidAlgorithm);
    }
    let curve = match key.algorithm.parameters.as_ref().and_then(named_curve) {
        Some(oids::SECP256R1) => Curve::P256,
        Some(oids::SECP384R1) => Curve::P384,
        Some(_) => Curve::Other,
        None => return Err(VerifyCode::SuiteBInvalidCurve),
    };
    match curve {
        Curve::P384 => {
            if signature.is_some_and(|oid| *oid != ECDSA_WITH_SHA384) {
                return Err(VerifyCode::SuiteBInvalidSignatureAlgorithm);
            }
            if !state.level_192 {
                return Err(VerifyCode::SuiteBLosNotAllowed);
            }
            state.level_128 = false;
        }
        Curve::P256 => {
            if signature.is_some_and(|oid| *oid != ECDSA_WITH_SHA256) {
                return Err(VerifyCode::SuiteBInvalidSignatureAlgorithm);
            }
            if !state.level_128 {
                return Err(VerifyCode::SuiteBLosNotAllowed);
            }
        }
        Curve::Other => return Err(VerifyCode::SuiteBInvalidCurve),
    }
    Ok(())
}

/// The named curve of EC key parameters, when they name one.
// NOTE: OpenSSL also matches explicit parameters to a named curve when they
// are equal to one; tsrs treats every explicit curve as unnamed here.
fn named_curve(parameters: &Any) -> Option<ObjectIdentifier> {
    if parameters.tag() != Tag::ObjectIdentifier {
        return None;
    }
    parameters.decode_as().ok()
}
