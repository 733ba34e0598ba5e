//! Security levels (`-auth_level`): the key and signature strength checks of
//! OpenSSL 3.0's `check_key_level` and `check_sig_level` (crypto/x509/x509_vfy.c).
//!
//! Level N (1 to 5, higher levels count as 5) requires at least 80, 112, 128,
//! 192 or 256 bits of security. A key's strength is what
//! `EVP_PKEY_get_security_bits` reports for it, and a signature's is what
//! `X509_get_signature_info` reports: half the digest size, except that MD5
//! counts as 39 bits and SHA-1 as 63 (64 inside RSASSA-PSS), so both fail
//! even level 1.

use der::asn1::{Any, ObjectIdentifier};
use der::{Decode, Tag, Tagged};
use spki::SubjectPublicKeyInfoOwned;

use super::Cert;
use super::extensions::elements;
use super::oids;
use super::signature::{KeyAlgorithm, pss_hash};
use crate::asn1::ber;
use crate::digest::DigestAlgorithm;

/// The security bits each level requires, from level 1 up.
const LEVEL_BITS: [i32; 5] = [80, 112, 128, 192, 256];

/// The bits level `level` requires, or `None` at level 0, which checks nothing.
fn required_bits(level: u32) -> Option<i32> {
    let index = usize::try_from(level.min(5)).ok()?.checked_sub(1)?;
    LEVEL_BITS.get(index).copied()
}

/// `check_key_level`: whether the certificate's public key is strong enough
/// for `level`. A key OpenSSL cannot decode never is.
pub(crate) fn key_meets_level(cert: &Cert, level: u32) -> bool {
    let Some(required) = required_bits(level) else {
        return true;
    };
    if !cert.key_info().decodable {
        return false;
    }
    key_security_bits(cert.public_key_info()).is_some_and(|bits| bits >= required)
}

/// `check_sig_level`: whether the certificate's signature algorithm is strong
/// enough for `level`. An algorithm OpenSSL has no signature information for never is.
pub(crate) fn signature_meets_level(cert: &Cert, level: u32) -> bool {
    let Some(required) = required_bits(level) else {
        return true;
    };
    let algorithm = cert.signature_algorithm();
    signature_security_bits(&algorithm.oid, algorithm.parameters.as_ref())
        .is_some_and(|bits| bits >= required)
}

/// The security bits of a public key as OpenSSL 3.0's key managers report
/// them, or `None` for a key type or curve OpenSSL does not know. DSA and DH
/// keys without domain parameters report -1.
pub fn key_security_bits(spki: &SubjectPublicKeyInfoOwned) -> Option<i32> {
    let parameters = spki.algorithm.parameters.as_ref();
    match KeyAlgorithm::from_oid(&spki.algorithm.oid) {
        KeyAlgorithm::Rsa | KeyAlgorithm::RsaPss => {
            let bits = spki.subject_public_key.as_bytes()?;
            let der = ber::normalize(bits).ok()?;
            let key = pkcs1::RsaPublicKeyRef::from_der(&der).ok()?;
            Some(i32::from(rsa_security_bits(bit_length(
                key.modulus.as_bytes(),
            ))))
        }
        KeyAlgorithm::Ec => ec_order_bits(parameters?).map(ec_security_bits),
        KeyAlgorithm::Ed25519 | KeyAlgorithm::X25519 => Some(128),
        KeyAlgorithm::Ed448 | KeyAlgorithm::X448 => Some(224),
        KeyAlgorithm::Dsa => Some(dsa_security_bits(parameters)),
        KeyAlgorithm::Dh => Some(dh_security_bits(&spki.algorithm.oid, parameters)),
        KeyAlgorithm::Unknown => None,
    }
}

/// `ossl_ifc_ffc_compute_security_bits`: the strength of an RSA modulus of
/// `bits` bits by the formula of FIPS 140-2 IG 7.5,
/// `(1.923 * cbrt(n ln 2 * ln(n ln 2)^2) - 4.69) / ln 2`, rounded to a
/// multiple of 8, with the standard values for the usual sizes. The formula
/// runs in OpenSSL's fixed-point arithmetic so that every size rounds the
/// same way.
pub fn rsa_security_bits(bits: u32) -> u16 {
    match bits {
        2048 => return 112,
        3072 => return 128,
        4096 => return 152,
        6144 => return 176,
        7680 => return 192,
        8192 => return 200,
        15360 => return 256,
        _ => {}
    }
    if bits >= 687_737 {
        return 1200;
    }
    if bits < 8 {
        return 0;
    }
    let cap: u16 = if bits <= 7680 {
        192
    } else if bits <= 15360 {
        256
    } else {
        1200
    };
    let x = u64::from(bits).wrapping_mul(fixed::LN_2);
    let lx = fixed::ln(x);
    let root = fixed::cube_root(fixed::mul(fixed::mul(x, lx), lx));
    let estimate = fixed::mul(fixed::C_1_923, root).wrapping_sub(fixed::C_4_690) / fixed::LN_2;
    // OpenSSL keeps the estimate in 16 bits before rounding.
    let truncated = estimate as u16;
    (truncated.wrapping_add(4) & !7).min(cap)
}

/// Fixed-point arithmetic with 18 fractional bits, as OpenSSL's RSA
/// strength estimate uses it.
mod fixed {
    pub const SCALE: u64 = 1 << 18;
    /// The cube root of [`SCALE`].
    const CBRT_SCALE: u64 = 1 << 12;
    /// ln 2, rounded down.
    pub const LN_2: u64 = 181_704;
    /// log2 e, rounded down.
    const LOG2_E: u64 = 378_193;
    /// 1.923, rounded down.
    pub const C_1_923: u64 = 504_102;
    /// 4.690, rounded down.
    pub const C_4_690: u64 = 1_229_455;

    /// The product of two fixed-point numbers.
    pub fn mul(a: u64, b: u64) -> u64 {
        a.wrapping_mul(b) / SCALE
    }

    /// The cube root, digit by digit in base 8.
    pub fn cube_root(mut x: u64) -> u64 {
        let mut root: u64 = 0;
        for shift in (0..=63).rev().step_by(3) {
            root <<= 1;
            let step = 3u64
                .wrapping_mul(root)
                .wrapping_mul(root + 1)
                .wrapping_add(1);
            if (x >> shift) >= step {
                x = x.wrapping_sub(step << shift);
                root += 1;
            }
        }
        root * CBRT_SCALE
    }

    /// The natural logarithm of a number of at least 1, through its base 2
    /// logarithm found bit by bit by repeated squaring.
    pub fn ln(mut value: u64) -> u64 {
        let mut log2: u64 = 0;
        while value >= 2 * SCALE {
            value >>= 1;
            log2 += SCALE;
        }
        let mut bit = SCALE / 2;
        while bit != 0 {
            value = mul(value, value);
            if value >= 2 * SCALE {
                value >>= 1;
                log2 += bit;
            }
            bit /= 2;
        }
        // OpenSSL keeps the base 2 logarithm in 32 bits.
        (log2 & 0xFFFF_FFFF) * SCALE / LOG2_E
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn constants_are_scaled() {
            let scale = SCALE as f64;
            assert_eq!(LN_2, (scale * std::f64::consts::LN_2) as u64);
            assert_eq!(LOG2_E, (scale * std::f64::consts::LOG2_E) as u64);
            assert_eq!(C_1_923, (scale * 1.923) as u64);
            assert_eq!(C_4_690, (scale * 4.690) as u64);
        }
    }
}

/// The EC key strength for a group order of `bits` bits (`ec_security_bits`).
fn ec_security_bits(bits: u32) -> i32 {
    match bits {
        512.. => 256,
        384..=511 => 192,
        256..=383 => 128,
        224..=255 => 112,
        160..=223 => 80,
        _ => i32::try_from(bits / 2).unwrap_or(0),
    }
}

/// The bit length of a group's order: from the table of named curves OpenSSL
/// 3.0 builds in, or from the order field of explicit parameters.
fn ec_order_bits(parameters: &Any) -> Option<u32> {
    match parameters.tag() {
        Tag::ObjectIdentifier => {
            let curve: ObjectIdentifier = parameters.decode_as().ok()?;
            let curve = curve.to_string();
            NAMED_CURVE_ORDER_BITS
                .iter()
                .find(|(oid, _)| *oid == curve)
                .map(|(_, bits)| *bits)
        }
        Tag::Sequence => {
            let fields = elements(parameters.value()).ok()?;
            let order = fields.get(4).filter(|field| field.tag() == Tag::Integer)?;
            Some(bit_length(order.value()))
        }
        _ => None,
    }
}

/// `DSA_security_bits`: from the sizes of p and q in the Dss-Parms.
fn dsa_security_bits(parameters: Option<&Any>) -> i32 {
    let integers = parameters.and_then(integer_fields);
    match integers.as_deref() {
        Some([p, q, _, ..]) => finite_field_security_bits(bit_length(p), Some(bit_length(q))),
        _ => -1,
    }
}

/// `DH_security_bits`: from the size of p, and of q (X9.42 domain
/// parameters) or the private value length (PKCS #3 parameters).
fn dh_security_bits(algorithm: &ObjectIdentifier, parameters: Option<&Any>) -> i32 {
    let Some(integers) = parameters.and_then(integer_fields) else {
        return -1;
    };
    let x942 = *algorithm == oids::DH_X942;
    match (x942, integers.as_slice()) {
        (true, [p, _, q, ..]) => finite_field_security_bits(bit_length(p), Some(bit_length(q))),
        (false, [p, _, length, ..]) => {
            let length = small_value(length);
            let order_bits = (length != 0).then_some(length);
            finite_field_security_bits(bit_length(p), order_bits)
        }
        (false, [p, _]) => finite_field_security_bits(bit_length(p), None),
        _ => -1,
    }
}

/// The content octets of the leading INTEGER fields of a parameter SEQUENCE.
fn integer_fields(parameters: &Any) -> Option<Vec<Vec<u8>>> {
    if parameters.tag() != Tag::Sequence {
        return None;
    }
    let fields = elements(parameters.value()).ok()?;
    Some(
        fields
            .iter()
            .take_while(|field| field.tag() == Tag::Integer)
            .map(|field| field.value().to_vec())
            .collect(),
    )
}

/// A non-negative INTEGER's value, saturating at `u32::MAX`.
fn small_value(content: &[u8]) -> u32 {
    let significant = &content[content.iter().take_while(|b| **b == 0).count()..];
    if significant.len() > 4 {
        return u32::MAX;
    }
    significant
        .iter()
        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
}

/// `BN_security_bits(L, N)`: the strength of a finite field group with a
/// modulus of `modulus_bits` and, when known, a subgroup order of `order_bits`.
fn finite_field_security_bits(modulus_bits: u32, order_bits: Option<u32>) -> i32 {
    let strength = match modulus_bits {
        15360.. => 256,
        7680..=15359 => 192,
        3072..=7679 => 128,
        2048..=3071 => 112,
        1024..=2047 => 80,
        _ => return 0,
    };
    let Some(order_bits) = order_bits else {
        return strength;
    };
    let half = i32::try_from(order_bits / 2).unwrap_or(i32::MAX);
    if half < 80 { 0 } else { half.min(strength) }
}

/// The number of significant bits of a big-endian unsigned integer.
fn bit_length(bytes: &[u8]) -> u32 {
    let Some(first) = bytes.iter().position(|b| *b != 0) else {
        return 0;
    };
    let significant = u32::try_from(bytes.len() - first).unwrap_or(u32::MAX / 8);
    significant * 8 - bytes[first].leading_zeros()
}

/// The security bits `X509_get_signature_info` reports for a certificate
/// signature algorithm, or `None` when it has no signature information for it.
pub fn signature_security_bits(oid: &ObjectIdentifier, parameters: Option<&Any>) -> Option<i32> {
    let oid_text = oid.to_string();
    let (_, strength) = SIGNATURE_STRENGTHS
        .iter()
        .find(|(known, _)| *known == oid_text)?;
    match strength {
        Strength::Bits(bits) => Some(*bits),
        Strength::Pss => Some(match pss_hash(parameters)? {
            DigestAlgorithm::Sha1 => 64,
            DigestAlgorithm::Md5 => 39,
            digest => i32::try_from(digest.output_len() * 4).ok()?,
        }),
    }
}

/// The source of a signature algorithm's strength.
enum Strength {
    /// A fixed number of bits.
    Bits(i32),
    /// From the RSASSA-PSS hash.
    Pss,
}

/// The signature algorithms OpenSSL 3.0 lists in `OBJ_find_sigid_algs` whose
/// digest its default build provides, with their strength. The others (MD2,
/// MDC-2, SHA-0, the GOST R 34.11-2012 digests, ECDSA without a named digest)
/// have no signature information and fail every level.
const SIGNATURE_STRENGTHS: &[(&str, Strength)] = &[
    ("1.2.840.113549.1.1.3", Strength::Bits(64)), // md4WithRSAEncryption
    ("1.2.840.113549.1.1.4", Strength::Bits(39)), // md5WithRSAEncryption
    ("1.2.840.113549.1.1.5", Strength::Bits(63)), // sha1WithRSAEncryption
    ("1.3.14.3.2.3", Strength::Bits(39)),         // md5WithRSA
    ("1.3.14.3.2.29", Strength::Bits(63)),        // sha1WithRSA
    ("1.3.14.3.2.27", Strength::Bits(63)),        // dsaWithSHA1-old
    ("1.2.840.10040.4.3", Strength::Bits(63)),    // dsaWithSHA1
    ("1.3.36.3.3.1.2", Strength::Bits(80)),       // ripemd160WithRSA
    ("1.2.840.10045.4.1", Strength::Bits(63)),    // ecdsa-with-SHA1
    ("1.2.840.113549.1.1.14", Strength::Bits(112)), // sha224WithRSAEncryption
    ("1.2.840.113549.1.1.11", Strength::Bits(128)), // sha256WithRSAEncryption
    ("1.2.840.113549.1.1.12", Strength::Bits(192)), // sha384WithRSAEncryption
    ("1.2.840.113549.1.1.13", Strength::Bits(256)), // sha512WithRSAEncryption
    ("1.2.840.10045.4.3.1", Strength::Bits(112)), // ecdsa-with-SHA224
    ("1.2.840.10045.4.3.2", Strength::Bits(128)), // ecdsa-with-SHA256
    ("1.2.840.10045.4.3.3", Strength::Bits(192)), // ecdsa-with-SHA384
    ("1.2.840.10045.4.3.4", Strength::Bits(256)), // ecdsa-with-SHA512
    ("2.16.840.1.101.3.4.3.1", Strength::Bits(112)), // dsa_with_SHA224
    ("2.16.840.1.101.3.4.3.2", Strength::Bits(128)), // dsa_with_SHA256
    ("1.2.643.2.2.3", Strength::Bits(105)),       // GOST R 34.11-94 with GOST R 34.10-2001
    ("1.2.643.2.2.4", Strength::Bits(105)),       // GOST R 34.11-94 with GOST R 34.10-94
    ("1.2.643.2.9.1.3.3", Strength::Bits(105)),   // the same, cryptocom variant
    ("1.2.643.2.9.1.3.4", Strength::Bits(105)),   // the same, cryptocom variant
    ("1.2.840.113549.1.1.10", Strength::Pss),     // RSASSA-PSS
    ("1.3.133.16.840.63.0.2", Strength::Bits(80)), // dhSinglePass-stdDH-sha1kdf-scheme
    ("1.3.132.1.11.0", Strength::Bits(112)),      // dhSinglePass-stdDH-sha224kdf-scheme
    ("1.3.132.1.11.1", Strength::Bits(128)),      // dhSinglePass-stdDH-sha256kdf-scheme
    ("1.3.132.1.11.2", Strength::Bits(192)),      // dhSinglePass-stdDH-sha384kdf-scheme
    ("1.3.132.1.11.3", Strength::Bits(256)),      // dhSinglePass-stdDH-sha512kdf-scheme
    ("1.3.133.16.840.63.0.3", Strength::Bits(80)), // dhSinglePass-cofactorDH-sha1kdf-scheme
    ("1.3.132.1.14.0", Strength::Bits(112)),      // dhSinglePass-cofactorDH-sha224kdf-scheme
    ("1.3.132.1.14.1", Strength::Bits(128)),      // dhSinglePass-cofactorDH-sha256kdf-scheme
    ("1.3.132.1.14.2", Strength::Bits(192)),      // dhSinglePass-cofactorDH-sha384kdf-scheme
    ("1.3.132.1.14.3", Strength::Bits(256)),      // dhSinglePass-cofactorDH-sha512kdf-scheme
    ("1.3.101.112", Strength::Bits(128)),         // Ed25519
    ("1.3.101.113", Strength::Bits(224)),         // Ed448
    ("2.16.840.1.101.3.4.3.13", Strength::Bits(112)), // RSA-SHA3-224
    ("2.16.840.1.101.3.4.3.14", Strength::Bits(128)), // RSA-SHA3-256
    ("2.16.840.1.101.3.4.3.15", Strength::Bits(192)), // RSA-SHA3-384
    ("2.16.840.1.101.3.4.3.16", Strength::Bits(256)), // RSA-SHA3-512
    ("1.2.156.10197.1.501", Strength::Bits(128)), // SM2-with-SM3
];

/// The bit length of the group order of each named curve OpenSSL 3.0 builds
/// in (`openssl ecparam -list_curves`), by curve OID.
const NAMED_CURVE_ORDER_BITS: &[(&str, u32)] = &[
    ("1.3.132.0.6", 112),           // secp112r1
    ("1.3.132.0.7", 110),           // secp112r2
    ("1.3.132.0.28", 128),          // secp128r1
    ("1.3.132.0.29", 126),          // secp128r2
    ("1.3.132.0.9", 161),           // secp160k1
    ("1.3.132.0.8", 161),           // secp160r1
    ("1.3.132.0.30", 161),          // secp160r2
    ("1.3.132.0.31", 192),          // secp192k1
    ("1.3.132.0.32", 225),          // secp224k1
    ("1.3.132.0.33", 224),          // secp224r1
    ("1.3.132.0.10", 256),          // secp256k1
    ("1.3.132.0.34", 384),          // secp384r1
    ("1.3.132.0.35", 521),          // secp521r1
    ("1.2.840.10045.3.1.1", 192),   // prime192v1 (P-192)
    ("1.2.840.10045.3.1.2", 192),   // prime192v2
    ("1.2.840.10045.3.1.3", 192),   // prime192v3
    ("1.2.840.10045.3.1.4", 239),   // prime239v1
    ("1.2.840.10045.3.1.5", 239),   // prime239v2
    ("1.2.840.10045.3.1.6", 239),   // prime239v3
    ("1.2.840.10045.3.1.7", 256),   // prime256v1 (P-256)
    ("1.3.132.0.4", 113),           // sect113r1
    ("1.3.132.0.5", 113),           // sect113r2
    ("1.3.132.0.22", 131),          // sect131r1
    ("1.3.132.0.23", 131),          // sect131r2
    ("1.3.132.0.1", 163),           // sect163k1
    ("1.3.132.0.2", 162),           // sect163r1
    ("1.3.132.0.15", 163),          // sect163r2
    ("1.3.132.0.24", 193),          // sect193r1
    ("1.3.132.0.25", 193),          // sect193r2
    ("1.3.132.0.26", 232),          // sect233k1
    ("1.3.132.0.27", 233),          // sect233r1
    ("1.3.132.0.3", 238),           // sect239k1
    ("1.3.132.0.16", 281),          // sect283k1
    ("1.3.132.0.17", 282),          // sect283r1
    ("1.3.132.0.36", 407),          // sect409k1
    ("1.3.132.0.37", 409),          // sect409r1
    ("1.3.132.0.38", 570),          // sect571k1
    ("1.3.132.0.39", 570),          // sect571r1
    ("1.2.840.10045.3.0.1", 163),   // c2pnb163v1
    ("1.2.840.10045.3.0.2", 162),   // c2pnb163v2
    ("1.2.840.10045.3.0.3", 162),   // c2pnb163v3
    ("1.2.840.10045.3.0.4", 161),   // c2pnb176v1
    ("1.2.840.10045.3.0.5", 191),   // c2tnb191v1
    ("1.2.840.10045.3.0.6", 190),   // c2tnb191v2
    ("1.2.840.10045.3.0.7", 189),   // c2tnb191v3
    ("1.2.840.10045.3.0.10", 193),  // c2pnb208w1
    ("1.2.840.10045.3.0.11", 238),  // c2tnb239v1
    ("1.2.840.10045.3.0.12", 237),  // c2tnb239v2
    ("1.2.840.10045.3.0.13", 236),  // c2tnb239v3
    ("1.2.840.10045.3.0.16", 257),  // c2pnb272w1
    ("1.2.840.10045.3.0.17", 289),  // c2pnb304w1
    ("1.2.840.10045.3.0.18", 353),  // c2tnb359v1
    ("1.2.840.10045.3.0.19", 353),  // c2pnb368w1
    ("1.2.840.10045.3.0.20", 418),  // c2tnb431r1
    ("2.23.43.1.4.1", 112),         // wap-wsg-idm-ecid-wtls1
    ("2.23.43.1.4.3", 163),         // wap-wsg-idm-ecid-wtls3
    ("2.23.43.1.4.4", 113),         // wap-wsg-idm-ecid-wtls4
    ("2.23.43.1.4.5", 163),         // wap-wsg-idm-ecid-wtls5
    ("2.23.43.1.4.6", 112),         // wap-wsg-idm-ecid-wtls6
    ("2.23.43.1.4.7", 161),         // wap-wsg-idm-ecid-wtls7
    ("2.23.43.1.4.8", 113),         // wap-wsg-idm-ecid-wtls8
    ("2.23.43.1.4.9", 161),         // wap-wsg-idm-ecid-wtls9
    ("2.23.43.1.4.10", 232),        // wap-wsg-idm-ecid-wtls10
    ("2.23.43.1.4.11", 233),        // wap-wsg-idm-ecid-wtls11
    ("2.23.43.1.4.12", 224),        // wap-wsg-idm-ecid-wtls12
    ("1.3.36.3.3.2.8.1.1.1", 160),  // brainpoolP160r1
    ("1.3.36.3.3.2.8.1.1.2", 160),  // brainpoolP160t1
    ("1.3.36.3.3.2.8.1.1.3", 192),  // brainpoolP192r1
    ("1.3.36.3.3.2.8.1.1.4", 192),  // brainpoolP192t1
    ("1.3.36.3.3.2.8.1.1.5", 224),  // brainpoolP224r1
    ("1.3.36.3.3.2.8.1.1.6", 224),  // brainpoolP224t1
    ("1.3.36.3.3.2.8.1.1.7", 256),  // brainpoolP256r1
    ("1.3.36.3.3.2.8.1.1.8", 256),  // brainpoolP256t1
    ("1.3.36.3.3.2.8.1.1.9", 320),  // brainpoolP320r1
    ("1.3.36.3.3.2.8.1.1.10", 320), // brainpoolP320t1
    ("1.3.36.3.3.2.8.1.1.11", 384), // brainpoolP384r1
    ("1.3.36.3.3.2.8.1.1.12", 384), // brainpoolP384t1
    ("1.3.36.3.3.2.8.1.1.13", 512), // brainpoolP512r1
    ("1.3.36.3.3.2.8.1.1.14", 512), // brainpoolP512t1
    ("1.2.156.10197.1.301", 256),   // SM2
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The steps of `EVP_PKEY_get_security_bits` of OpenSSL 3.0.19 for RSA
    /// public keys: (smallest modulus size in bits, strength from there on),
    /// measured for every size from 16 to 16384 bits.
    const OPENSSL_RSA_STEPS: &[(u32, u16)] = &[
        (16, 8),
        (41, 16),
        (81, 24),
        (138, 32),
        (213, 40),
        (308, 48),
        (425, 56),
        (566, 64),
        (729, 72),
        (920, 80),
        (1137, 88),
        (1383, 96),
        (1657, 104),
        (1963, 112),
        (2301, 120),
        (2671, 128),
        (3076, 136),
        (3514, 144),
        (3991, 152),
        (4502, 160),
        (5054, 168),
        (5642, 176),
        (6274, 184),
        (6947, 192),
        (7681, 200),
        (8418, 208),
        (9216, 216),
        (10064, 224),
        (10953, 232),
        (11893, 240),
        (12877, 248),
        (13914, 256),
        (15361, 264),
        (16132, 272),
    ];

    #[test]
    fn rsa_strength_steps_match_openssl() {
        for window in OPENSSL_RSA_STEPS.windows(2) {
            let (start, strength) = window[0];
            let (next, _) = window[1];
            for bits in start..next {
                assert_eq!(rsa_security_bits(bits), strength, "{bits}-bit modulus");
            }
        }
        assert_eq!(rsa_security_bits(16384), 272);
    }

    #[test]
    fn levels_clamp_at_five() {
        assert_eq!(required_bits(0), None);
        assert_eq!(required_bits(1), Some(80));
        assert_eq!(required_bits(5), Some(256));
        assert_eq!(required_bits(9), Some(256));
    }

    #[test]
    fn ec_strength_by_order_size() {
        assert_eq!(ec_security_bits(192), 80);
        assert_eq!(ec_security_bits(224), 112);
        assert_eq!(ec_security_bits(256), 128);
        assert_eq!(ec_security_bits(521), 256);
        assert_eq!(ec_security_bits(128), 64);
    }

    #[test]
    fn finite_field_strength() {
        assert_eq!(finite_field_security_bits(2048, Some(224)), 112);
        assert_eq!(finite_field_security_bits(2048, Some(160)), 80);
        assert_eq!(finite_field_security_bits(1024, Some(158)), 0);
        assert_eq!(finite_field_security_bits(3072, None), 128);
        assert_eq!(finite_field_security_bits(1000, None), 0);
    }

    #[test]
    fn sha1_is_below_level_one() {
        let sha1 = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
        assert_eq!(signature_security_bits(&sha1, None), Some(63));
        let unknown = ObjectIdentifier::new_unwrap("1.2.3.4");
        assert_eq!(signature_security_bits(&unknown, None), None);
    }
}
