//! Private key formats: finding the key in PEM or DER input, decrypting it,
//! and decoding PKCS#8, PKCS#1 and SEC1.

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef};
use der::{Decode, Sequence, SliceReader, Tag, Tagged};
use spki::AlgorithmIdentifierRef;

use super::ec::{Curve, EcKey};
use super::pbe::KeyEncryption;
use super::pem::{self, LegacyEncryption, PemBlock};
use super::pss::PssParams;
use super::{DecryptOptions, KeyMaterial, describe_oid};
use crate::error::{Error, Reason, Result};
use crate::oid::known;

/// The largest RSA modulus tsrs loads, in bits: OpenSSL's
/// `OPENSSL_RSA_MAX_MODULUS_BITS`.
const MAX_RSA_MODULUS_BITS: usize = 16384;

/// The UTF-8 encoding of the byte-order mark U+FEFF.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes the private key in `input`, PEM or DER.
pub(crate) fn decode_private_key(
    input: &[u8],
    passphrase: Option<&[u8]>,
    options: DecryptOptions,
) -> Result<KeyMaterial> {
    if let Some(format) = DerFormat::detect(input) {
        return decode_der(format, input, passphrase, options);
    }
    // Some Windows editors start UTF-8 files with a byte-order mark. OpenSSL
    // 3.0 skips one at the very start of PEM input, and only there.
    let text = input.strip_prefix(UTF8_BOM).unwrap_or(input);
    match pem::first_private_key_block(text)? {
        Ok(block) => decode_pem_block(&block, passphrase, options),
        Err(other_labels) => Err(no_key_found(input, &other_labels)),
    }
}

fn no_key_found(input: &[u8], other_labels: &[String]) -> Error {
    let message = if input.is_empty() {
        "the input is empty".to_owned()
    } else if other_labels.is_empty() {
        "no PEM private key block (such as -----BEGIN PRIVATE KEY-----) and not a DER private key"
            .to_owned()
    } else {
        format!(
            "no private key block among the PEM blocks found ({})",
            other_labels.join(", ")
        )
    };
    invalid(message)
}

fn decode_pem_block(
    block: &PemBlock,
    passphrase: Option<&[u8]>,
    options: DecryptOptions,
) -> Result<KeyMaterial> {
    let format = match block.label.as_str() {
        "PRIVATE KEY" => DerFormat::Pkcs8,
        "ENCRYPTED PRIVATE KEY" => DerFormat::EncryptedPkcs8,
        "RSA PRIVATE KEY" => DerFormat::Pkcs1,
        "EC PRIVATE KEY" => DerFormat::Sec1,
        other => {
            return Err(invalid(format!(
                "{other} blocks are not supported; tsrs signs with RSA, RSA-PSS, EC and Ed25519 keys"
            )));
        }
    };
    match LegacyEncryption::from_headers(block, options)? {
        None => decode_der(format, &block.contents, passphrase, options),
        Some(encryption) => {
            let passphrase = require_passphrase(passphrase)?;
            let plaintext = encryption.decrypt(passphrase, &block.contents)?;
            check_decrypted(&plaintext, format)?;
            decode_der(format, &plaintext, Some(passphrase), options)
        }
    }
}

/// Reports a wrong passphrase whose padding happened to come out valid: the
/// plaintext is then not the expected structure.
fn check_decrypted(plaintext: &[u8], format: DerFormat) -> Result<()> {
    if DerFormat::detect(plaintext) == Some(format) {
        Ok(())
    } else {
        Err(pem::bad_decrypt())
    }
}

/// The DER structures a private key can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DerFormat {
    /// PKCS#8 PrivateKeyInfo or OneAsymmetricKey (RFC 5958).
    Pkcs8,
    /// PKCS#8 EncryptedPrivateKeyInfo.
    EncryptedPkcs8,
    /// PKCS#1 RSAPrivateKey.
    Pkcs1,
    /// SEC1 ECPrivateKey (RFC 5915).
    Sec1,
}

impl DerFormat {
    /// Recognizes a DER private key by its first two fields, as OpenSSL's
    /// decoders try each structure in turn. `None` when `input` is not one
    /// DER SEQUENCE (it may then be PEM).
    fn detect(input: &[u8]) -> Option<DerFormat> {
        let outer = AnyRef::from_der(input).ok()?;
        if outer.tag() != Tag::Sequence {
            return None;
        }
        let mut reader = SliceReader::new(outer.value()).ok()?;
        let first = AnyRef::decode(&mut reader).ok()?;
        if first.tag() == Tag::Sequence {
            return Some(DerFormat::EncryptedPkcs8);
        }
        let second = AnyRef::decode(&mut reader).ok()?;
        match (first.tag(), second.tag()) {
            (Tag::Integer, Tag::Sequence) => Some(DerFormat::Pkcs8),
            (Tag::Integer, Tag::Integer) => Some(DerFormat::Pkcs1),
            (Tag::Integer, Tag::OctetString) => Some(DerFormat::Sec1),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            DerFormat::Pkcs8 => "PKCS#8 PrivateKeyInfo",
            DerFormat::EncryptedPkcs8 => "PKCS#8 EncryptedPrivateKeyInfo",
            DerFormat::Pkcs1 => "PKCS#1 RSAPrivateKey",
            DerFormat::Sec1 => "SEC1 ECPrivateKey",
        }
    }
}

fn decode_der(
    format: DerFormat,
    der: &[u8],
    passphrase: Option<&[u8]>,
    options: DecryptOptions,
) -> Result<KeyMaterial> {
    match format {
        DerFormat::Pkcs8 => decode_pkcs8(der),
        DerFormat::EncryptedPkcs8 => decode_encrypted_pkcs8(der, passphrase, options),
        DerFormat::Pkcs1 => decode_pkcs1(der).map(KeyMaterial::Rsa),
        DerFormat::Sec1 => decode_sec1(der, None).map(KeyMaterial::Ec),
    }
}

fn malformed(format: DerFormat, err: impl core::fmt::Display) -> Error {
    invalid(format!("malformed {}: {err}", format.name()))
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(Reason::KeyLoad, message)
}

fn require_passphrase(passphrase: Option<&[u8]>) -> Result<&[u8]> {
    passphrase.ok_or_else(|| {
        Error::new(
            Reason::Password,
            "the private key is encrypted and no passphrase was given",
        )
    })
}

fn decode_pkcs8(der: &[u8]) -> Result<KeyMaterial> {
    let info =
        pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|err| malformed(DerFormat::Pkcs8, err))?;
    let algorithm = info.algorithm;
    let private_key = info.private_key.as_bytes();
    match algorithm.oid {
        known::RSA_ENCRYPTION => {
            if algorithm.parameters.is_some_and(|p| !p.is_null()) {
                return Err(invalid("rsaEncryption parameters must be NULL or absent"));
            }
            decode_pkcs1(private_key).map(KeyMaterial::Rsa)
        }
        known::RSASSA_PSS => {
            let params = algorithm.parameters.map(PssParams::from_any).transpose()?;
            Ok(KeyMaterial::RsaPss(decode_pkcs1(private_key)?, params))
        }
        known::EC_PUBLIC_KEY => {
            let parameters = algorithm
                .parameters
                .ok_or_else(|| invalid("the EC key has no curve parameters"))?;
            let curve = curve_from_parameters(parameters)?;
            decode_sec1(private_key, Some(curve)).map(KeyMaterial::Ec)
        }
        known::ED25519 => {
            if algorithm.parameters.is_some() {
                return Err(invalid("Ed25519 key algorithm parameters must be absent"));
            }
            decode_ed25519(private_key).map(KeyMaterial::Ed25519)
        }
        other => Err(invalid(format!(
            "unsupported private key algorithm {}; tsrs signs with RSA, RSA-PSS, EC and Ed25519 keys",
            describe_oid(&other)
        ))),
    }
}

/// Decodes the CurvePrivateKey of RFC 8410 section 7, an OCTET STRING of 32 bytes.
fn decode_ed25519(private_key: &[u8]) -> Result<ed25519_dalek::SigningKey> {
    let octets = <&OctetStringRef>::from_der(private_key)
        .map_err(|err| invalid(format!("malformed Ed25519 private key: {err}")))?;
    let seed: &[u8; 32] = octets.as_bytes().try_into().map_err(|_| {
        invalid(format!(
            "an Ed25519 private key has 32 bytes, not {}",
            octets.as_bytes().len()
        ))
    })?;
    Ok(ed25519_dalek::SigningKey::from_bytes(seed))
}

/// Returns the curve that ECParameters name. Explicit parameters (a
/// specifiedCurve) and implicitlyCA are not supported.
fn curve_from_parameters(parameters: AnyRef<'_>) -> Result<Curve> {
    match parameters.tag() {
        Tag::ObjectIdentifier => {
            let oid = parameters
                .decode_as::<ObjectIdentifier>()
                .map_err(|err| invalid(format!("malformed curve OID: {err}")))?;
            Curve::from_oid(&oid).ok_or_else(|| {
                invalid(format!(
                    "unsupported curve {}; tsrs supports P-256, P-384 and P-521",
                    describe_oid(&oid)
                ))
            })
        }
        Tag::Sequence => Err(invalid(
            "explicit EC curve parameters are not supported; write the key with a named curve \
             (openssl ec -param_enc named_curve)",
        )),
        _ => Err(invalid(
            "unsupported EC parameters; a named curve OID is required",
        )),
    }
}

fn decode_pkcs1(der: &[u8]) -> Result<rsa::PrivateKey> {
    let key =
        pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|err| malformed(DerFormat::Pkcs1, err))?;
    let modulus = key.modulus.as_bytes();
    let modulus_bits = modulus.first().map_or(0, |&top| {
        8 * modulus.len() - usize::try_from(top.leading_zeros()).unwrap_or(0)
    });
    if modulus_bits > MAX_RSA_MODULUS_BITS {
        return Err(invalid(format!(
            "the RSA modulus has {modulus_bits} bits, more than the {MAX_RSA_MODULUS_BITS} bits supported"
        )));
    }
    if key.other_prime_infos.is_some() {
        return Err(invalid("multi-prime RSA keys are not supported"));
    }
    rsa::PrivateKey::try_from(key).map_err(|err| {
        invalid(format!(
            "invalid RSA private key ({err}): the components are inconsistent, or the public \
             exponent is over the supported maximum of 2^33 - 1"
        ))
    })
}

/// ECPrivateKey (RFC 5915 section 3), with the parameters kept as ANY so
/// that explicit curve parameters give a clear error.
#[derive(Sequence)]
struct EcPrivateKeyFields<'a> {
    version: u8,
    private_key: &'a OctetStringRef,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    parameters: Option<AnyRef<'a>>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    public_key: Option<BitStringRef<'a>>,
}

/// Decodes an ECPrivateKey. `outer_curve` is the curve of the enclosing
/// PKCS#8 AlgorithmIdentifier; the ECPrivateKey's own parameters, if present,
/// must name the same curve.
fn decode_sec1(der: &[u8], outer_curve: Option<Curve>) -> Result<EcKey> {
    let fields =
        EcPrivateKeyFields::from_der(der).map_err(|err| malformed(DerFormat::Sec1, err))?;
    if fields.version != 1 {
        return Err(invalid(format!(
            "unsupported ECPrivateKey version {}; only 1 is defined",
            fields.version
        )));
    }
    let inner_curve = fields.parameters.map(curve_from_parameters).transpose()?;
    let curve = match (outer_curve, inner_curve) {
        (Some(outer), Some(inner)) if outer != inner => {
            return Err(invalid(format!(
                "the ECPrivateKey names {} but its PKCS#8 algorithm names {}",
                inner.kind(),
                outer.kind()
            )));
        }
        (Some(curve), _) | (None, Some(curve)) => curve,
        (None, None) => return Err(invalid("the EC private key has no curve parameters")),
    };
    let mut key = EcKey::from_scalar_bytes(curve, fields.private_key.as_bytes())?;
    match fields.public_key {
        Some(public_key) => {
            let point = public_key
                .as_bytes()
                .ok_or_else(|| invalid("the EC public key BIT STRING has unused bits"))?;
            key.adopt_public_point(point)?;
        }
        None => key.omit_public_key(),
    }
    Ok(key)
}

/// EncryptedPrivateKeyInfo, with the algorithm kept generic so that an
/// unsupported scheme is named in the error.
#[derive(Sequence)]
struct EncryptedPrivateKeyInfoFields<'a> {
    encryption_algorithm: AlgorithmIdentifierRef<'a>,
    encrypted_data: &'a OctetStringRef,
}

fn decode_encrypted_pkcs8(
    der: &[u8],
    passphrase: Option<&[u8]>,
    options: DecryptOptions,
) -> Result<KeyMaterial> {
    let fields = EncryptedPrivateKeyInfoFields::from_der(der)
        .map_err(|err| malformed(DerFormat::EncryptedPkcs8, err))?;
    let encryption = KeyEncryption::parse(fields.encryption_algorithm, options)?;
    let passphrase = require_passphrase(passphrase)?;
    let plaintext = encryption.decrypt(passphrase, fields.encrypted_data.as_bytes())?;
    check_decrypted(&plaintext, DerFormat::Pkcs8)?;
    decode_pkcs8(&plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_der_formats() {
        // SEQUENCE { INTEGER 0, SEQUENCE {} }
        assert_eq!(
            DerFormat::detect(&[0x30, 0x05, 0x02, 0x01, 0x00, 0x30, 0x00]),
            Some(DerFormat::Pkcs8)
        );
        // SEQUENCE { SEQUENCE {} }
        assert_eq!(
            DerFormat::detect(&[0x30, 0x02, 0x30, 0x00]),
            Some(DerFormat::EncryptedPkcs8)
        );
        // SEQUENCE { INTEGER 0, INTEGER 1 }
        assert_eq!(
            DerFormat::detect(&[0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01]),
            Some(DerFormat::Pkcs1)
        );
        // SEQUENCE { INTEGER 1, OCTET STRING }
        assert_eq!(
            DerFormat::detect(&[0x30, 0x05, 0x02, 0x01, 0x01, 0x04, 0x00]),
            Some(DerFormat::Sec1)
        );
        assert_eq!(DerFormat::detect(b"-----BEGIN"), None);
        assert_eq!(DerFormat::detect(&[0x30, 0x05, 0x02]), None);
    }
}
