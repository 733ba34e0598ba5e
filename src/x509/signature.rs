//! Signature verification for X.509 and CMS signature algorithms.
//!
//! The algorithm table lists every signature OID that OpenSSL 3.0 maps to a
//! public key type (`OBJ_find_sigid_algs`), including the ones tsrs cannot
//! verify (DSA, Ed448, RIPEMD-160): issuer matching needs the key type even
//! when the signature itself then fails as unsupported.

use der::Tagged;
use der::asn1::{Any, ObjectIdentifier};
use der::{Decode, Tag, TagNumber};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::oids;
use crate::asn1::ber;
use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Result};

/// Largest RSA modulus accepted, in bits (OpenSSL's `OPENSSL_RSA_MAX_MODULUS_BITS`).
const RSA_MAX_MODULUS_BITS: usize = 16384;

/// A public key type, as OpenSSL's key managers name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// rsaEncryption.
    Rsa,
    /// id-RSASSA-PSS: RSA restricted to PSS signatures.
    RsaPss,
    /// id-ecPublicKey.
    Ec,
    /// Ed25519.
    Ed25519,
    /// Ed448.
    Ed448,
    /// X25519, a key-agreement key.
    X25519,
    /// X448, a key-agreement key.
    X448,
    /// DSA.
    Dsa,
    /// Diffie-Hellman.
    Dh,
    /// A key type OpenSSL 3.0 does not know.
    Unknown,
}

impl KeyAlgorithm {
    /// The key type of a SubjectPublicKeyInfo algorithm OID.
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> KeyAlgorithm {
        match *oid {
            oids::RSA_ENCRYPTION => KeyAlgorithm::Rsa,
            oids::RSASSA_PSS => KeyAlgorithm::RsaPss,
            oids::EC_PUBLIC_KEY => KeyAlgorithm::Ec,
            oids::ED25519 => KeyAlgorithm::Ed25519,
            oids::ED448 => KeyAlgorithm::Ed448,
            oids::X25519 => KeyAlgorithm::X25519,
            oids::X448 => KeyAlgorithm::X448,
            oids::DSA => KeyAlgorithm::Dsa,
            oids::DH_X942 | oids::DH_PKCS3 => KeyAlgorithm::Dh,
            _ => KeyAlgorithm::Unknown,
        }
    }
}

/// A SubjectPublicKeyInfo as `X509_get0_pubkey` would decode it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyInfo {
    /// The key type.
    pub algorithm: KeyAlgorithm,
    /// Whether OpenSSL could decode the key: RSA keys must be an RSAPublicKey,
    /// EC keys on P-256, P-384 and P-521 a point on the curve, Ed25519 keys 32
    /// bytes. Keys of the other types OpenSSL supports are assumed decodable.
    pub decodable: bool,
    /// An EC key with explicit curve parameters rather than a named curve.
    pub explicit_ec_params: bool,
}

impl KeyInfo {
    /// Classifies and, where tsrs can, decodes `spki`.
    pub fn of(spki: &SubjectPublicKeyInfoOwned) -> KeyInfo {
        let algorithm = KeyAlgorithm::from_oid(&spki.algorithm.oid);
        let explicit_ec_params = algorithm == KeyAlgorithm::Ec
            && spki
                .algorithm
                .parameters
                .as_ref()
                .is_some_and(|p| p.tag() == Tag::Sequence);
        let bits = spki.subject_public_key.as_bytes();
        let decodable = match (algorithm, bits) {
            (KeyAlgorithm::Unknown, _) | (_, None) => false,
            (KeyAlgorithm::Rsa | KeyAlgorithm::RsaPss, Some(bits)) => {
                ber::normalize(bits).is_ok_and(|der| pkcs1::RsaPublicKeyRef::from_der(&der).is_ok())
            }
            (KeyAlgorithm::Ed25519, Some(bits)) => bits.len() == 32,
            (KeyAlgorithm::Ec, Some(bits)) => {
                match decode_ec(spki.algorithm.parameters.as_ref(), bits) {
                    Ok(_) => true,
                    Err(e) => e.reason() == Reason::UnsupportedAlgorithm,
                }
            }
            _ => true,
        };
        KeyInfo {
            algorithm,
            decodable,
            explicit_ec_params,
        }
    }
}

/// A signature scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    /// RSASSA-PKCS1-v1_5; `None` for rsaEncryption, whose digest comes from elsewhere.
    RsaPkcs1(Option<DigestAlgorithm>),
    /// RSASSA-PSS with its parameters in the AlgorithmIdentifier.
    RsaPss,
    /// ECDSA; `None` for id-ecPublicKey, whose digest comes from elsewhere.
    Ecdsa(Option<DigestAlgorithm>),
    /// Ed25519 (PureEdDSA).
    Ed25519,
    /// Known to OpenSSL but not implemented here.
    Unsupported(&'static str),
}

/// A signature algorithm OID, its scheme and the key type it needs.
struct SignatureAlgorithm {
    oid: &'static str,
    scheme: Scheme,
    key: KeyAlgorithm,
    /// Whether OpenSSL 3.0's signature table (`OBJ_find_sigid_algs`) lists it.
    /// Certificates signed with an unlisted algorithm never find an issuer
    /// there, although CMS signatures with it verify.
    in_x509_table: bool,
}

const fn rsa(oid: &'static str, digest: DigestAlgorithm) -> SignatureAlgorithm {
    SignatureAlgorithm {
        oid,
        scheme: Scheme::RsaPkcs1(Some(digest)),
        key: KeyAlgorithm::Rsa,
        in_x509_table: true,
    }
}

const fn ecdsa(oid: &'static str, digest: DigestAlgorithm) -> SignatureAlgorithm {
    SignatureAlgorithm {
        oid,
        scheme: Scheme::Ecdsa(Some(digest)),
        key: KeyAlgorithm::Ec,
        in_x509_table: true,
    }
}

/// Marks an algorithm that OpenSSL 3.0 verifies in CMS but does not list for certificates.
const fn cms_only(algorithm: SignatureAlgorithm) -> SignatureAlgorithm {
    SignatureAlgorithm {
        in_x509_table: false,
        ..algorithm
    }
}

const fn unsupported(
    oid: &'static str,
    name: &'static str,
    key: KeyAlgorithm,
) -> SignatureAlgorithm {
    SignatureAlgorithm {
        oid,
        scheme: Scheme::Unsupported(name),
        key,
        in_x509_table: true,
    }
}

const SIGNATURE_ALGORITHMS: &[SignatureAlgorithm] = &[
    rsa("1.2.840.113549.1.1.4", DigestAlgorithm::Md5),
    rsa("1.2.840.113549.1.1.5", DigestAlgorithm::Sha1),
    rsa("1.3.14.3.2.29", DigestAlgorithm::Sha1),
    rsa("1.2.840.113549.1.1.14", DigestAlgorithm::Sha224),
    rsa("1.2.840.113549.1.1.11", DigestAlgorithm::Sha256),
    rsa("1.2.840.113549.1.1.12", DigestAlgorithm::Sha384),
    rsa("1.2.840.113549.1.1.13", DigestAlgorithm::Sha512),
    cms_only(rsa("1.2.840.113549.1.1.15", DigestAlgorithm::Sha512_224)),
    cms_only(rsa("1.2.840.113549.1.1.16", DigestAlgorithm::Sha512_256)),
    rsa("2.16.840.1.101.3.4.3.13", DigestAlgorithm::Sha3_224),
    rsa("2.16.840.1.101.3.4.3.14", DigestAlgorithm::Sha3_256),
    rsa("2.16.840.1.101.3.4.3.15", DigestAlgorithm::Sha3_384),
    rsa("2.16.840.1.101.3.4.3.16", DigestAlgorithm::Sha3_512),
    SignatureAlgorithm {
        oid: "1.2.840.113549.1.1.1",
        scheme: Scheme::RsaPkcs1(None),
        key: KeyAlgorithm::Rsa,
        in_x509_table: false,
    },
    SignatureAlgorithm {
        oid: "1.2.840.113549.1.1.10",
        scheme: Scheme::RsaPss,
        key: KeyAlgorithm::RsaPss,
        in_x509_table: true,
    },
    ecdsa("1.2.840.10045.4.1", DigestAlgorithm::Sha1),
    ecdsa("1.2.840.10045.4.3.1", DigestAlgorithm::Sha224),
    ecdsa("1.2.840.10045.4.3.2", DigestAlgorithm::Sha256),
    ecdsa("1.2.840.10045.4.3.3", DigestAlgorithm::Sha384),
    ecdsa("1.2.840.10045.4.3.4", DigestAlgorithm::Sha512),
    cms_only(ecdsa("2.16.840.1.101.3.4.3.9", DigestAlgorithm::Sha3_224)),
    cms_only(ecdsa("2.16.840.1.101.3.4.3.10", DigestAlgorithm::Sha3_256)),
    cms_only(ecdsa("2.16.840.1.101.3.4.3.11", DigestAlgorithm::Sha3_384)),
    cms_only(ecdsa("2.16.840.1.101.3.4.3.12", DigestAlgorithm::Sha3_512)),
    SignatureAlgorithm {
        oid: "1.2.840.10045.2.1",
        scheme: Scheme::Ecdsa(None),
        key: KeyAlgorithm::Ec,
        in_x509_table: false,
    },
    SignatureAlgorithm {
        oid: "1.3.101.112",
        scheme: Scheme::Ed25519,
        key: KeyAlgorithm::Ed25519,
        in_x509_table: true,
    },
    unsupported("1.3.101.113", "Ed448", KeyAlgorithm::Ed448),
    unsupported(
        "1.2.840.113549.1.1.2",
        "md2WithRSAEncryption",
        KeyAlgorithm::Rsa,
    ),
    unsupported(
        "1.2.840.113549.1.1.3",
        "md4WithRSAEncryption",
        KeyAlgorithm::Rsa,
    ),
    unsupported("1.3.36.3.3.1.2", "ripemd160WithRSA", KeyAlgorithm::Rsa),
    unsupported("2.5.8.3.100", "mdc2WithRSA", KeyAlgorithm::Rsa),
    unsupported("1.2.840.10040.4.3", "dsaWithSHA1", KeyAlgorithm::Dsa),
    unsupported("1.3.14.3.2.27", "dsaWithSHA1-old", KeyAlgorithm::Dsa),
    unsupported(
        "2.16.840.1.101.3.4.3.1",
        "dsa_with_SHA224",
        KeyAlgorithm::Dsa,
    ),
    unsupported(
        "2.16.840.1.101.3.4.3.2",
        "dsa_with_SHA256",
        KeyAlgorithm::Dsa,
    ),
    unsupported(
        "2.16.840.1.101.3.4.3.3",
        "dsa_with_SHA384",
        KeyAlgorithm::Dsa,
    ),
    unsupported(
        "2.16.840.1.101.3.4.3.4",
        "dsa_with_SHA512",
        KeyAlgorithm::Dsa,
    ),
    unsupported(
        "2.16.840.1.101.3.4.3.5",
        "dsa_with_SHA3-224",
        KeyAlgorithm::Dsa,
    ),
    unsupported(
        "2.16.840.1.101.3.4.3.6",
        "dsa_with_SHA3-256",
        KeyAlgorithm::Dsa,
    ),
    unsupported(
        "2.16.840.1.101.3.4.3.7",
        "dsa_with_SHA3-384",
        KeyAlgorithm::Dsa,
    ),
    unsupported(
        "2.16.840.1.101.3.4.3.8",
        "dsa_with_SHA3-512",
        KeyAlgorithm::Dsa,
    ),
];

fn lookup(oid: &ObjectIdentifier) -> Option<&'static SignatureAlgorithm> {
    SIGNATURE_ALGORITHMS
        .iter()
        .find(|alg| ObjectIdentifier::new(alg.oid).is_ok_and(|known| known == *oid))
}

/// Returns the public key type a signature algorithm needs, as
/// `OBJ_find_sigid_algs` gives it, or `None` for an OID that OpenSSL does not
/// list as a certificate signature algorithm.
pub(crate) fn signature_key_algorithm(oid: &ObjectIdentifier) -> Option<KeyAlgorithm> {
    lookup(oid)
        .filter(|alg| alg.in_x509_table)
        .map(|alg| alg.key)
}

/// Whether a key of type `key` can check a signature made with `signature_oid`,
/// as OpenSSL's `check_sig_alg_match` decides: the types must be equal, except
/// that an RSA key also checks RSASSA-PSS signatures.
pub(crate) fn key_matches_signature(
    key: KeyAlgorithm,
    signature_oid: &ObjectIdentifier,
) -> Option<bool> {
    let needed = signature_key_algorithm(signature_oid)?;
    Some(needed == key || (needed == KeyAlgorithm::RsaPss && key == KeyAlgorithm::Rsa))
}

/// Verifies `signature` over `message` with `key`, for an X.509 or CMS signature algorithm.
///
/// `algorithm` is a signature AlgorithmIdentifier: `sha256WithRSAEncryption`,
/// `RSASSA-PSS` with its parameters, `ecdsa-with-SHA384`, `Ed25519` and so on.
/// A CMS SignerInfo may instead carry the bare key algorithm (`rsaEncryption`,
/// `id-ecPublicKey`) and give the hash as its digestAlgorithm: pass that hash
/// as `digest`. When both name a hash they must agree. Ed25519 signs the
/// message itself, so `digest` is ignored for it.
///
/// Fails with [`Reason::UnsupportedAlgorithm`] for an algorithm, key type or
/// curve that tsrs does not implement. Fails with [`Reason::SignatureFailure`]
/// for a signature that does not verify, a key that does not fit the
/// algorithm, a malformed key or signature, and a digest that disagrees with
/// the algorithm.
pub fn verify_signature(
    key: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    digest: Option<DigestAlgorithm>,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    let known = lookup(&algorithm.oid).ok_or_else(|| {
        Error::new(
            Reason::UnsupportedAlgorithm,
            format!("unsupported signature algorithm {}", algorithm.oid),
        )
    })?;
    if !matches!(known.scheme, Scheme::Unsupported(_)) {
        check_key_type(known, key)?;
    }
    let public_key = PublicKey::decode(key)?;
    match known.scheme {
        Scheme::RsaPkcs1(implied) => {
            let digest = pick_digest(implied, digest, &algorithm.oid)?;
            let rsa = public_key.rsa_pkcs1()?;
            verify_rsa_pkcs1(rsa, digest, message, signature)
        }
        Scheme::RsaPss => {
            let params = PssParams::decode(algorithm.parameters.as_ref())?;
            if let Some(digest) = digest
                && digest != params.hash
            {
                return Err(digest_mismatch(digest, params.hash, &algorithm.oid));
            }
            let rsa = public_key.rsa_any()?;
            verify_rsa_pss(rsa, &params, message, signature).map_err(|error| {
                // Say so when the signature is PKCS #1 v1.5 under a PSS label.
                if verify_rsa_pkcs1(rsa, params.hash, message, signature).is_ok() {
                    Error::new(
                        Reason::SignatureFailure,
                        format!(
                            "the signature algorithm is RSASSA-PSS, but the signature is RSASSA-PKCS1-v1_5 with {}",
                            params.hash
                        ),
                    )
                } else {
                    error
                }
            })
        }
        Scheme::Ecdsa(implied) => {
            let digest = pick_digest(implied, digest, &algorithm.oid)?;
            public_key.verify_ecdsa(&digest.digest(message), signature)
        }
        Scheme::Ed25519 => public_key.verify_ed25519(message, signature),
        Scheme::Unsupported(name) => Err(Error::new(
            Reason::UnsupportedAlgorithm,
            format!("signature algorithm {name} is not supported"),
        )),
    }
}

/// Rejects a key whose type does not fit the signature algorithm, naming both.
/// OpenSSL 3.0 ignores a CMS signatureAlgorithm that does not fit the key;
/// tsrs rejects it so that one signature cannot pass as another algorithm.
fn check_key_type(known: &SignatureAlgorithm, key: &SubjectPublicKeyInfoOwned) -> Result<()> {
    let found = KeyAlgorithm::from_oid(&key.algorithm.oid);
    let fits =
        found == known.key || (known.key == KeyAlgorithm::RsaPss && found == KeyAlgorithm::Rsa);
    if fits || found == KeyAlgorithm::Unknown {
        return Ok(());
    }
    Err(Error::new(
        Reason::SignatureFailure,
        format!(
            "signature algorithm {} needs a key of type {}, but the key is of type {}",
            known.oid,
            key_type_name(known.key),
            key_type_name(found)
        ),
    ))
}

fn key_type_name(key: KeyAlgorithm) -> &'static str {
    match key {
        KeyAlgorithm::Rsa => "RSA",
        KeyAlgorithm::RsaPss => "RSASSA-PSS",
        KeyAlgorithm::Ec => "EC",
        KeyAlgorithm::Ed25519 => "Ed25519",
        KeyAlgorithm::Ed448 => "Ed448",
        KeyAlgorithm::X25519 => "X25519",
        KeyAlgorithm::X448 => "X448",
        KeyAlgorithm::Dsa => "DSA",
        KeyAlgorithm::Dh => "DH",
        KeyAlgorithm::Unknown => "unknown",
    }
}

fn pick_digest(
    implied: Option<DigestAlgorithm>,
    given: Option<DigestAlgorithm>,
    oid: &ObjectIdentifier,
) -> Result<DigestAlgorithm> {
    match (implied, given) {
        (Some(implied), Some(given)) if implied != given => {
            Err(digest_mismatch(given, implied, oid))
        }
        (Some(digest), _) | (None, Some(digest)) => Ok(digest),
        (None, None) => Err(Error::new(
            Reason::SignatureFailure,
            format!("signature algorithm {oid} needs a digest algorithm, and none was given"),
        )),
    }
}

fn digest_mismatch(
    given: DigestAlgorithm,
    implied: DigestAlgorithm,
    oid: &ObjectIdentifier,
) -> Error {
    Error::new(
        Reason::SignatureFailure,
        format!("digest {given} disagrees with signature algorithm {oid}, which uses {implied}"),
    )
}

fn bad_signature(what: &str) -> Error {
    Error::new(
        Reason::SignatureFailure,
        format!("{what} signature does not verify"),
    )
}

/// A decoded public key.
enum PublicKey {
    Rsa(rsa::PublicKey),
    RsaPss(rsa::PublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl PublicKey {
    fn decode(spki: &SubjectPublicKeyInfoOwned) -> Result<PublicKey> {
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| malformed_key("the key BIT STRING has unused bits"))?;
        match KeyAlgorithm::from_oid(&spki.algorithm.oid) {
            KeyAlgorithm::Rsa => Ok(PublicKey::Rsa(decode_rsa(bits)?)),
            KeyAlgorithm::RsaPss => Ok(PublicKey::RsaPss(decode_rsa(bits)?)),
            KeyAlgorithm::Ec => decode_ec(spki.algorithm.parameters.as_ref(), bits),
            KeyAlgorithm::Ed25519 => {
                let bytes: &[u8; 32] = bits
                    .try_into()
                    .map_err(|_| malformed_key("an Ed25519 key is not 32 bytes"))?;
                let key = ed25519_dalek::VerifyingKey::from_bytes(bytes)
                    .map_err(|_| malformed_key("the Ed25519 key is not a curve point"))?;
                Ok(PublicKey::Ed25519(key))
            }
            _ => Err(Error::new(
                Reason::UnsupportedAlgorithm,
                format!(
                    "public key algorithm {} is not supported",
                    spki.algorithm.oid
                ),
            )),
        }
    }

    fn rsa_pkcs1(&self) -> Result<&rsa::PublicKey> {
        match self {
            PublicKey::Rsa(key) => Ok(key),
            _ => Err(wrong_key_type("RSA")),
        }
    }

    fn rsa_any(&self) -> Result<&rsa::PublicKey> {
        match self {
            PublicKey::Rsa(key) | PublicKey::RsaPss(key) => Ok(key),
            _ => Err(wrong_key_type("RSA")),
        }
    }

    fn verify_ecdsa(&self, hash: &[u8], signature: &[u8]) -> Result<()> {
        use signature::hazmat::PrehashVerifier;

        let ok = match self {
            PublicKey::P256(key) => p256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|sig| key.verify_prehash(hash, &sig).is_ok()),
            PublicKey::P384(key) => p384::ecdsa::Signature::from_der(signature)
                .is_ok_and(|sig| key.verify_prehash(hash, &sig).is_ok()),
            PublicKey::P521(key) => p521::ecdsa::Signature::from_der(signature)
                .is_ok_and(|sig| key.verify_prehash(hash, &sig).is_ok()),
            _ => return Err(wrong_key_type("EC")),
        };
        if ok {
            Ok(())
        } else {
            Err(bad_signature("ECDSA"))
        }
    }

    fn verify_ed25519(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let PublicKey::Ed25519(key) = self else {
            return Err(wrong_key_type("Ed25519"));
        };
        let signature = ed25519_dalek::Signature::from_slice(signature)
            .map_err(|_| bad_signature("Ed25519"))?;
        signature::Verifier::verify(key, message, &signature).map_err(|_| bad_signature("Ed25519"))
    }
}

fn malformed_key(what: &str) -> Error {
    Error::new(
        Reason::SignatureFailure,
        format!("malformed public key: {what}"),
    )
}

fn wrong_key_type(needed: &str) -> Error {
    Error::new(
        Reason::SignatureFailure,
        format!("the signature algorithm needs an {needed} key, and the key is of another type"),
    )
}

fn decode_rsa(bits: &[u8]) -> Result<rsa::PublicKey> {
    let der = ber::normalize(bits).map_err(|_| malformed_key("the RSA key is not valid DER"))?;
    let key = pkcs1::RsaPublicKeyRef::from_der(&der)
        .map_err(|_| malformed_key("the RSA key is not an RSAPublicKey"))?;
    let n = uint(key.modulus.as_bytes())?;
    let e = uint(key.public_exponent.as_bytes())?;
    rsa::PublicKey::new_with_size_limits(n, e, 1..=RSA_MAX_MODULUS_BITS)
        .map_err(|e| malformed_key(&format!("invalid RSA key: {e}")))
}

fn uint(bytes: &[u8]) -> Result<rsa::BoxedUint> {
    let bits = bytes.len().max(1).div_ceil(8) * 64;
    let bits = u32::try_from(bits).map_err(|_| malformed_key("the RSA key is too large"))?;
    rsa::BoxedUint::from_be_slice(bytes, bits)
        .map_err(|_| malformed_key("the RSA key is too large"))
}

fn decode_ec(parameters: Option<&Any>, point: &[u8]) -> Result<PublicKey> {
    let parameters =
        parameters.ok_or_else(|| malformed_key("the EC key has no curve parameters"))?;
    if parameters.tag() != Tag::ObjectIdentifier {
        return Err(Error::new(
            Reason::UnsupportedAlgorithm,
            "EC keys with explicit curve parameters are not supported",
        ));
    }
    let curve: ObjectIdentifier = parameters
        .decode_as()
        .map_err(|_| malformed_key("the EC curve OID is malformed"))?;
    let bad_point = || malformed_key("the EC point is not on the curve");
    match curve {
        oids::SECP256R1 => p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .map(PublicKey::P256)
            .map_err(|_| bad_point()),
        oids::SECP384R1 => p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .map(PublicKey::P384)
            .map_err(|_| bad_point()),
        oids::SECP521R1 => p521::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .map(PublicKey::P521)
            .map_err(|_| bad_point()),
        other => Err(Error::new(
            Reason::UnsupportedAlgorithm,
            format!("elliptic curve {other} is not supported"),
        )),
    }
}

/// Applies the RSA public operation: the signature representative raised to
/// `e` mod `n`, as a k-byte string. The signature must be exactly k bytes and below `n`.
fn rsa_public_op(key: &rsa::PublicKey, signature: &[u8]) -> Option<Vec<u8>> {
    use rsa::traits::PublicKeyParts;

    let k = key.size();
    if signature.len() != k {
        return None;
    }
    let s = rsa::BoxedUint::from_be_slice(signature, key.n_bits_precision()).ok()?;
    if s >= **key.n() {
        return None;
    }
    let m = rsa::hazmat::rsa_encrypt(key, &s).ok()?;
    let bytes = m.to_be_bytes();
    let skip = bytes.len().saturating_sub(k);
    let mut out = vec![0u8; k - (bytes.len() - skip)];
    out.extend_from_slice(&bytes[skip..]);
    Some(out)
}

/// RSASSA-PKCS1-v1_5 verification as OpenSSL's `ossl_rsa_verify` does it:
/// the recovered block must equal the expected encoding byte for byte, with a
/// DigestInfo that carries NULL hash parameters.
fn verify_rsa_pkcs1(
    key: &rsa::PublicKey,
    digest: DigestAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    let em = rsa_public_op(key, signature).ok_or_else(|| bad_signature("RSA"))?;
    let digest_info = digest_info(digest, &digest.digest(message));
    if em.len() < digest_info.len() + 11 {
        return Err(bad_signature("RSA"));
    }
    let mut expected = vec![0x00, 0x01];
    expected.resize(em.len() - digest_info.len() - 1, 0xFF);
    expected.push(0x00);
    expected.extend_from_slice(&digest_info);
    if em == expected {
        Ok(())
    } else {
        Err(bad_signature("RSA"))
    }
}

/// DigestInfo ::= SEQUENCE { AlgorithmIdentifier { oid, NULL }, OCTET STRING hash }.
fn digest_info(digest: DigestAlgorithm, hash: &[u8]) -> Vec<u8> {
    // Every digest of a signature algorithm has an OID; an empty DigestInfo
    // for one without never matches a signature.
    let Some(oid) = digest.oid() else {
        return Vec::new();
    };
    let oid = oid.as_bytes();
    let algorithm_len = 2 + oid.len() + 2;
    let mut out = vec![0x30, (2 + algorithm_len + 2 + hash.len()) as u8];
    out.extend_from_slice(&[0x30, algorithm_len as u8, 0x06, oid.len() as u8]);
    out.extend_from_slice(oid);
    out.extend_from_slice(&[0x05, 0x00, 0x04, hash.len() as u8]);
    out.extend_from_slice(hash);
    out
}

/// The hash of RSASSA-PSS parameters, or `None` when they do not decode.
pub(crate) fn pss_hash(parameters: Option<&Any>) -> Option<DigestAlgorithm> {
    PssParams::decode(parameters).ok().map(|params| params.hash)
}

/// RSASSA-PSS-params (RFC 4055 section 3.1), with the defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PssParams {
    hash: DigestAlgorithm,
    mgf1_hash: DigestAlgorithm,
    salt_len: usize,
}

impl PssParams {
    /// Decodes the parameters of an RSASSA-PSS AlgorithmIdentifier.
    ///
    /// As in OpenSSL, the parameters must be present (an empty SEQUENCE takes
    /// every default: SHA-1, MGF1 with SHA-1, 20 bytes of salt), the mask
    /// function must be MGF1, the salt length non-negative and the trailer 1.
    fn decode(parameters: Option<&Any>) -> Result<PssParams> {
        let invalid = |what: &str| {
            Error::new(
                Reason::SignatureFailure,
                format!("invalid RSASSA-PSS parameters: {what}"),
            )
        };
        let parameters = parameters
            .filter(|p| p.tag() == Tag::Sequence)
            .ok_or_else(|| invalid("the parameters are missing"))?;
        let mut params = PssParams {
            hash: DigestAlgorithm::Sha1,
            mgf1_hash: DigestAlgorithm::Sha1,
            salt_len: 20,
        };
        let fields = super::extensions::elements(parameters.value())
            .map_err(|_| invalid("malformed SEQUENCE"))?;
        let mut last_number = None;
        for field in fields {
            let Tag::ContextSpecific {
                constructed: true,
                number: TagNumber(number),
            } = field.tag()
            else {
                return Err(invalid("unexpected field"));
            };
            if last_number.is_some_and(|last| number <= last) {
                return Err(invalid("fields out of order"));
            }
            last_number = Some(number);
            let inner = Any::from_der(field.value()).map_err(|_| invalid("malformed field"))?;
            match number {
                0 => {
                    params.hash =
                        hash_algorithm(&inner).ok_or_else(|| invalid("unsupported hash"))?
                }
                1 => {
                    let mgf: AlgorithmIdentifierOwned = inner
                        .decode_as()
                        .map_err(|_| invalid("malformed mask generation function"))?;
                    if mgf.oid != oids::MGF1 {
                        return Err(invalid("the mask generation function is not MGF1"));
                    }
                    let hash = mgf
                        .parameters
                        .as_ref()
                        .and_then(hash_algorithm)
                        .ok_or_else(|| invalid("unsupported MGF1 hash"))?;
                    params.mgf1_hash = hash;
                }
                2 => {
                    params.salt_len = small_integer(&inner)
                        .ok_or_else(|| invalid("the salt length is negative or too large"))?;
                }
                3 => {
                    if small_integer(&inner) != Some(1) {
                        return Err(invalid("the trailer field is not 1"));
                    }
                }
                _ => return Err(invalid("unexpected field")),
            }
        }
        Ok(params)
    }
}

/// Returns the digest named by an AlgorithmIdentifier with absent or NULL parameters.
fn hash_algorithm(value: &Any) -> Option<DigestAlgorithm> {
    let algorithm: AlgorithmIdentifierOwned = value.decode_as().ok()?;
    if algorithm.parameters.as_ref().is_some_and(|p| !p.is_null()) {
        return None;
    }
    DigestAlgorithm::from_oid(&algorithm.oid)
}

fn small_integer(value: &Any) -> Option<usize> {
    let int: der::asn1::Int = value.decode_as().ok()?;
    let bytes = int.as_bytes();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) || bytes.len() > 4 {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)),
    )
}

/// EMSA-PSS-VERIFY (RFC 8017 section 9.1.2) with separate message and MGF1 hashes
/// and an exact salt length, as OpenSSL's `RSA_verify_PKCS1_PSS_mgf1` checks it.
fn verify_rsa_pss(
    key: &rsa::PublicKey,
    params: &PssParams,
    message: &[u8],
    signature: &[u8],
) -> Result<()> {
    use rsa::traits::PublicKeyParts;

    let mut em = rsa_public_op(key, signature).ok_or_else(|| bad_signature("RSASSA-PSS"))?;
    let mod_bits = key.n().as_ref().bit_width() as usize;
    let em_bits = mod_bits.saturating_sub(1);
    let top_bits = em_bits % 8;
    if top_bits == 0 {
        if em.first() != Some(&0) {
            return Err(bad_signature("RSASSA-PSS"));
        }
        em.remove(0);
    } else if em.first().is_some_and(|b| b >> top_bits != 0) {
        return Err(bad_signature("RSASSA-PSS"));
    }
    let m_hash = params.hash.digest(message);
    if emsa_pss_consistent(&em, top_bits, &m_hash, params) {
        Ok(())
    } else {
        Err(bad_signature("RSASSA-PSS"))
    }
}

fn emsa_pss_consistent(em: &[u8], top_bits: usize, m_hash: &[u8], params: &PssParams) -> bool {
    let h_len = params.hash.output_len();
    let em_len = em.len();
    if em_len < h_len + params.salt_len + 2 || em.last() != Some(&0xBC) {
        return false;
    }
    let (masked_db, rest) = em.split_at(em_len - h_len - 1);
    let h = &rest[..h_len];
    let mask = mgf1(params.mgf1_hash, h, masked_db.len());
    let mut db: Vec<u8> = masked_db.iter().zip(&mask).map(|(a, b)| a ^ b).collect();
    if top_bits != 0 {
        db[0] &= 0xFF >> (8 - top_bits);
    }
    let padding_len = db.len() - params.salt_len - 1;
    if db[..padding_len].iter().any(|b| *b != 0) || db[padding_len] != 0x01 {
        return false;
    }
    let salt = &db[padding_len + 1..];
    let mut m_prime = vec![0u8; 8];
    m_prime.extend_from_slice(m_hash);
    m_prime.extend_from_slice(salt);
    params.hash.digest(&m_prime) == h
}

/// MGF1 (RFC 8017 appendix B.2.1).
fn mgf1(hash: DigestAlgorithm, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + hash.output_len());
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut block = seed.to_vec();
        block.extend_from_slice(&counter.to_be_bytes());
        out.extend_from_slice(&hash.digest(&block));
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_info_matches_pkcs1_prefix() {
        let info = digest_info(DigestAlgorithm::Sha256, &[0u8; 32]);
        assert_eq!(
            &info[..19],
            &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20
            ]
        );
    }

    #[test]
    fn mgf1_known_length() {
        assert_eq!(mgf1(DigestAlgorithm::Sha1, b"seed", 45).len(), 45);
        assert_eq!(
            &mgf1(DigestAlgorithm::Sha1, b"seed", 20)[..],
            &DigestAlgorithm::Sha1.digest(b"seed\0\0\0\0")[..]
        );
    }

    #[test]
    fn pss_defaults_from_empty_sequence() {
        let empty = Any::new(Tag::Sequence, Vec::new()).unwrap();
        let params = PssParams::decode(Some(&empty)).unwrap();
        assert_eq!(params.hash, DigestAlgorithm::Sha1);
        assert_eq!(params.mgf1_hash, DigestAlgorithm::Sha1);
        assert_eq!(params.salt_len, 20);
        assert!(PssParams::decode(None).is_err());
    }

    #[test]
    fn unknown_algorithm_is_unsupported() {
        let key = SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: oids::ED25519,
                parameters: None,
            },
            subject_public_key: der::asn1::BitString::from_bytes(&[0u8; 32]).unwrap(),
        };
        let algorithm = AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap("1.2.3.4"),
            parameters: None,
        };
        let err = verify_signature(&key, &algorithm, None, b"m", b"s").unwrap_err();
        assert_eq!(err.reason(), Reason::UnsupportedAlgorithm);
    }

    #[test]
    fn rsa_algorithm_with_ed25519_key_fails() {
        let key = SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned {
                oid: oids::ED25519,
                parameters: None,
            },
            subject_public_key: der::asn1::BitString::from_bytes(&[0u8; 32]).unwrap(),
        };
        let algorithm = AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11"),
            parameters: None,
        };
        let err = verify_signature(&key, &algorithm, None, b"m", &[0u8; 64]).unwrap_err();
        assert_eq!(err.reason(), Reason::SignatureFailure);
    }
}
