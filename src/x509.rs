//! X.509 certificates: loading, signatures, names and path validation.
//!
//! TODO: interface only; the implementation is being written.

use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::name::Name;

use crate::asn1::GeneralName;
use crate::asn1::cms::Certificate;
use crate::digest::DigestAlgorithm;
use crate::error::Result;

/// A parsed certificate with its DER encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cert {
    certificate: Certificate,
    der: Vec<u8>,
}

impl Cert {
    /// Parses a DER certificate.
    pub fn from_der(_der: &[u8]) -> Result<Cert> {
        todo!()
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The parsed certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The subject name.
    pub fn subject(&self) -> &Name {
        todo!()
    }

    /// The issuer name.
    pub fn issuer(&self) -> &Name {
        todo!()
    }

    /// The serial number's INTEGER content octets.
    pub fn serial_bytes(&self) -> &[u8] {
        todo!()
    }

    /// The subject public key.
    pub fn public_key_info(&self) -> &SubjectPublicKeyInfoOwned {
        todo!()
    }

    /// The subject key identifier, if the extension is present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        todo!()
    }

    /// The subject alternative names, from every SAN extension.
    pub fn subject_alt_names(&self) -> Vec<GeneralName> {
        todo!()
    }

    /// Checks OpenSSL's time-stamping purpose for a signer certificate.
    pub fn check_timestamp_signer(&self) -> Result<()> {
        todo!()
    }
}

/// Loads every certificate in a PEM bundle or a DER file.
pub fn load_certs(_path: &std::path::Path) -> Result<Vec<Cert>> {
    todo!()
}

/// Compares names as `X509_NAME_cmp` does.
pub fn names_equal(_a: &Name, _b: &Name) -> bool {
    todo!()
}

/// Verifies `signature` over `message` with `key`, for an X.509 or CMS signature algorithm.
pub fn verify_signature(
    _key: &SubjectPublicKeyInfoOwned,
    _algorithm: &AlgorithmIdentifierOwned,
    _digest: Option<DigestAlgorithm>,
    _message: &[u8],
    _signature: &[u8],
) -> Result<()> {
    todo!()
}
