//! ECDSA keys on the NIST curves P-256, P-384 and P-521.

use der::asn1::ObjectIdentifier;
use signature::hazmat::RandomizedPrehashSigner;
use zeroize::Zeroizing;

use super::KeyKind;
use crate::error::{Error, Reason, Result};
use crate::oid::known;

/// A named curve tsrs signs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Option<Curve> {
        [Curve::P256, Curve::P384, Curve::P521]
            .into_iter()
            .find(|curve| curve.oid() == *oid)
    }

    pub(crate) fn oid(self) -> ObjectIdentifier {
        match self {
            Curve::P256 => known::SECP256R1,
            Curve::P384 => known::SECP384R1,
            Curve::P521 => known::SECP521R1,
        }
    }

    /// Returns the length of a field element and of a private scalar, in bytes.
    pub(crate) fn field_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    pub(crate) fn kind(self) -> KeyKind {
        match self {
            Curve::P256 => KeyKind::EcP256,
            Curve::P384 => KeyKind::EcP384,
            Curve::P521 => KeyKind::EcP521,
        }
    }
}

enum SigningKey {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    P521(p521::ecdsa::SigningKey),
}

/// An ECDSA private key. The signing keys zeroize their scalar on drop.
pub(crate) struct EcKey {
    signing_key: SigningKey,
    /// Whether the public key is written compressed. OpenSSL keeps the point
    /// form of the public key it loaded, and so does tsrs.
    compressed: bool,
    /// Whether PKCS#8 output carries the public key. OpenSSL leaves it out
    /// when the key it loaded had none, and so does tsrs.
    write_public_key: bool,
}

impl EcKey {
    /// Builds a key from the big-endian private scalar, which may be shorter
    /// than the field (leading zeros dropped) or longer (leading zeros added).
    pub(crate) fn from_scalar_bytes(curve: Curve, bytes: &[u8]) -> Result<EcKey> {
        let field_len = curve.field_len();
        let significant = bytes
            .iter()
            .position(|&b| b != 0)
            .map_or(&[][..], |start| &bytes[start..]);
        if significant.len() > field_len {
            return Err(invalid_scalar(curve));
        }
        let mut scalar = Zeroizing::new(vec![0u8; field_len]);
        scalar[field_len - significant.len()..].copy_from_slice(significant);

        let signing_key = match curve {
            Curve::P256 => p256::ecdsa::SigningKey::from_slice(&scalar).map(SigningKey::P256),
            Curve::P384 => p384::ecdsa::SigningKey::from_slice(&scalar).map(SigningKey::P384),
            Curve::P521 => p521::ecdsa::SigningKey::from_slice(&scalar).map(SigningKey::P521),
        }
        .map_err(|_| invalid_scalar(curve))?;
        Ok(EcKey {
            signing_key,
            compressed: false,
            write_public_key: true,
        })
    }

    /// Generates a key from the system random number generator, drawing
    /// again in the rare case that the bytes are not a valid scalar.
    pub(crate) fn generate(curve: Curve) -> Result<EcKey> {
        let mut scalar = Zeroizing::new(vec![0u8; curve.field_len()]);
        for _ in 0..64 {
            super::fill_random(&mut scalar)?;
            if curve == Curve::P521 {
                // A P-521 scalar has 521 bits, so only the lowest bit of the first byte may be set.
                scalar[0] &= 0x01;
            }
            if let Ok(key) = EcKey::from_scalar_bytes(curve, &scalar) {
                return Ok(key);
            }
        }
        Err(Error::new(
            Reason::Signing,
            format!(
                "cannot generate an {} key: no valid scalar in 64 draws",
                curve.kind()
            ),
        ))
    }

    pub(crate) fn curve(&self) -> Curve {
        match self.signing_key {
            SigningKey::P256(_) => Curve::P256,
            SigningKey::P384(_) => Curve::P384,
            SigningKey::P521(_) => Curve::P521,
        }
    }

    /// Returns the private scalar, big-endian, padded to the field length.
    pub(crate) fn scalar_bytes(&self) -> Zeroizing<Vec<u8>> {
        match &self.signing_key {
            SigningKey::P256(key) => Zeroizing::new(Zeroizing::new(key.to_bytes()).to_vec()),
            SigningKey::P384(key) => Zeroizing::new(Zeroizing::new(key.to_bytes()).to_vec()),
            SigningKey::P521(key) => Zeroizing::new(Zeroizing::new(key.to_bytes()).to_vec()),
        }
    }

    /// Encodes the public key as a SEC1 point, in the form the key was loaded with.
    pub(crate) fn public_point(&self) -> Vec<u8> {
        encode_point(&self.signing_key, self.compressed)
    }

    /// Encodes the public key for the ECPrivateKey inside PKCS#8, if it is written.
    pub(crate) fn stored_public_point(&self) -> Option<Vec<u8>> {
        self.write_public_key.then(|| self.public_point())
    }

    /// Records that the key file had no public key, so that PKCS#8 output has none either.
    pub(crate) fn omit_public_key(&mut self) {
        self.write_public_key = false;
    }

    /// Checks that `encoded`, a SEC1 point from the key file, is this key's
    /// public key, and adopts its point form.
    pub(crate) fn adopt_public_point(&mut self, encoded: &[u8]) -> Result<()> {
        let compressed = matches!(encoded.first(), Some(0x02 | 0x03));
        if encoded != encode_point(&self.signing_key, compressed).as_slice() {
            return Err(Error::new(
                Reason::KeyLoad,
                format!(
                    "the public key stored with the {} private key does not belong to it",
                    self.curve().kind()
                ),
            ));
        }
        self.compressed = compressed;
        Ok(())
    }

    /// Signs a message digest, hedging the RFC 6979 nonce with fresh random
    /// bytes. Returns the DER `Ecdsa-Sig-Value`.
    ///
    /// A digest longer than the group order is truncated to its leftmost bits
    /// and a shorter one is used as it is, as in FIPS 186-4 and OpenSSL.
    pub(crate) fn sign_prehash(&self, prehash: &[u8]) -> Result<Vec<u8>> {
        let mut rng = getrandom::SysRng;
        let signature = match &self.signing_key {
            SigningKey::P256(key) => {
                let signature: p256::ecdsa::DerSignature = key
                    .sign_prehash_with_rng(&mut rng, prehash)
                    .map_err(ecdsa_error)?;
                signature.as_bytes().to_vec()
            }
            SigningKey::P384(key) => {
                let signature: p384::ecdsa::DerSignature = key
                    .sign_prehash_with_rng(&mut rng, prehash)
                    .map_err(ecdsa_error)?;
                signature.as_bytes().to_vec()
            }
            SigningKey::P521(key) => {
                let signature: p521::ecdsa::DerSignature = key
                    .sign_prehash_with_rng(&mut rng, prehash)
                    .map_err(ecdsa_error)?;
                signature.as_bytes().to_vec()
            }
        };
        Ok(signature)
    }
}

/// Re-encodes the point `encoded` on `curve` uncompressed, if it is a valid point.
pub(crate) fn normalize_point(curve: Curve, encoded: &[u8]) -> Option<Vec<u8>> {
    let point = match curve {
        Curve::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(encoded)
            .ok()?
            .to_sec1_point(false)
            .as_bytes()
            .to_vec(),
        Curve::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(encoded)
            .ok()?
            .to_sec1_point(false)
            .as_bytes()
            .to_vec(),
        Curve::P521 => p521::ecdsa::VerifyingKey::from_sec1_bytes(encoded)
            .ok()?
            .to_sec1_point(false)
            .as_bytes()
            .to_vec(),
    };
    Some(point)
}

fn encode_point(signing_key: &SigningKey, compressed: bool) -> Vec<u8> {
    match signing_key {
        SigningKey::P256(key) => key
            .verifying_key()
            .to_sec1_point(compressed)
            .as_bytes()
            .to_vec(),
        SigningKey::P384(key) => key
            .verifying_key()
            .to_sec1_point(compressed)
            .as_bytes()
            .to_vec(),
        SigningKey::P521(key) => key
            .verifying_key()
            .to_sec1_point(compressed)
            .as_bytes()
            .to_vec(),
    }
}

fn invalid_scalar(curve: Curve) -> Error {
    Error::new(
        Reason::KeyLoad,
        format!(
            "the {} private scalar is zero or not below the group order",
            curve.kind()
        ),
    )
}

fn ecdsa_error(err: signature::Error) -> Error {
    Error::new(Reason::Signing, format!("ECDSA signing failed: {err}"))
}
