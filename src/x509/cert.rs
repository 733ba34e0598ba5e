//! The parsed certificate and certificate files.

use std::path::Path;

use der::Tagged;
use der::asn1::ObjectIdentifier;
use der::{Decode, Tag};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::certificate::Version;
use x509_cert::name::Name;

use super::extensions::{
    AuthorityKeyIdentifier, BasicConstraints, CertExtensions, ExtendedKeyUsage, KeyUsage,
    NameConstraints, elements,
};
use super::name::canonical_encoding;
use super::pem;
use super::signature::{KeyInfo, key_matches_signature, verify_signature};
use crate::asn1::cms::Certificate;
use crate::asn1::{GeneralName, ber, decode_der};
use crate::error::{Error, Reason, Result};

/// PEM labels that hold a certificate, as `PEM_read_bio_X509_AUX` accepts them.
pub(crate) const CERTIFICATE_LABELS: &[&str] =
    &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];

/// A parsed certificate with its DER encoding and its decoded extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cert {
    certificate: Certificate,
    der: Vec<u8>,
    /// The encoding as sent, when it is not DER.
    sent: Option<Vec<u8>>,
    /// The TBSCertificate as sent, which the signature covers.
    tbs: Vec<u8>,
    extensions: CertExtensions,
    subject_canonical: Vec<u8>,
    issuer_canonical: Vec<u8>,
    key: KeyInfo,
    not_before: i64,
    not_after: i64,
    self_signed: bool,
    trust: Option<TrustSettings>,
}

/// The trust settings a `TRUSTED CERTIFICATE` carries after the certificate
/// (OpenSSL's X509_CERT_AUX).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustSettings {
    /// Purposes the certificate is trusted for; `Some(empty)` trusts it for nothing.
    pub trust: Option<Vec<ObjectIdentifier>>,
    /// Purposes the certificate is rejected for.
    pub reject: Option<Vec<ObjectIdentifier>>,
    /// The alias (friendly name) bytes.
    pub alias: Option<Vec<u8>>,
}

impl Cert {
    /// Parses a certificate from DER (BER is accepted too, and stored as DER).
    /// The input must contain exactly one certificate.
    ///
    /// NOTE: the `der` crate reads UTCTime only from 1970 on and does not know
    /// UniversalString, so certificates with such values fail to parse here
    /// although OpenSSL accepts them.
    pub fn from_der(der: &[u8]) -> Result<Cert> {
        Cert::parse(der, None)
    }

    /// Parses the content of a `TRUSTED CERTIFICATE` PEM block: a certificate
    /// optionally followed by its trust settings.
    pub fn from_trusted_der(input: &[u8]) -> Result<Cert> {
        let cert_len = ber::element_len(input).map_err(|e| {
            Error::new(
                e.reason(),
                format!("cannot decode certificate: {}", e.message()),
            )
        })?;
        let (cert, rest) = input.split_at(cert_len.min(input.len()));
        let trust = if rest.is_empty() {
            None
        } else {
            Some(parse_trust_settings(rest)?)
        };
        Cert::parse(cert, trust)
    }

    fn parse(input: &[u8], trust: Option<TrustSettings>) -> Result<Cert> {
        let der = ber::normalize(input).map_err(|e| {
            Error::new(
                e.reason(),
                format!("cannot decode certificate: {}", e.message()),
            )
        })?;
        let certificate: Certificate = decode_der("certificate", &der)?;
        let tbs = ber::first_inner_element(input)
            .ok_or_else(|| {
                Error::new(
                    Reason::Decode,
                    "cannot decode certificate: no TBSCertificate",
                )
            })?
            .to_vec();

        let tbs_certificate = certificate.tbs_certificate();
        let extensions = CertExtensions::decode(
            tbs_certificate
                .extensions()
                .map(Vec::as_slice)
                .unwrap_or(&[]),
            tbs_certificate.issuer(),
        );
        let validity = tbs_certificate.validity();
        let mut cert = Cert {
            subject_canonical: canonical_encoding(tbs_certificate.subject()),
            issuer_canonical: canonical_encoding(tbs_certificate.issuer()),
            key: KeyInfo::of(tbs_certificate.subject_public_key_info()),
            not_before: unix_seconds(&validity.not_before),
            not_after: unix_seconds(&validity.not_after),
            certificate,
            sent: (input != der.as_slice()).then(|| input.to_vec()),
            der,
            tbs,
            extensions,
            self_signed: false,
            trust,
        };
        cert.self_signed = cert.compute_self_signed();
        Ok(cert)
    }

    /// OpenSSL's `EXFLAG_SS`: self-issued, its authority key identifier (if any)
    /// matches its own fields, and its signature algorithm fits its own key.
    /// The signature itself is not checked.
    fn compute_self_signed(&self) -> bool {
        self.is_self_issued()
            && check_akid(self, self.authority_key_id()).is_ok()
            && self.key.decodable
            && key_matches_signature(self.key.algorithm, &self.tbs_signature_algorithm().oid)
                == Some(true)
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The encoding as it was read, which may be BER: what an ESS certificate
    /// hash covers.
    pub fn encoded(&self) -> &[u8] {
        self.sent.as_deref().unwrap_or(&self.der)
    }

    /// The parsed certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The certificate version: V1, V2 or V3.
    pub fn version(&self) -> Version {
        self.certificate.tbs_certificate().version()
    }

    /// The subject name.
    pub fn subject(&self) -> &Name {
        self.certificate.tbs_certificate().subject()
    }

    /// The issuer name.
    pub fn issuer(&self) -> &Name {
        self.certificate.tbs_certificate().issuer()
    }

    /// The serial number's INTEGER content octets.
    pub fn serial_bytes(&self) -> &[u8] {
        self.certificate
            .tbs_certificate()
            .serial_number()
            .as_bytes()
    }

    /// The subject public key.
    pub fn public_key_info(&self) -> &SubjectPublicKeyInfoOwned {
        self.certificate.tbs_certificate().subject_public_key_info()
    }

    /// notBefore, in seconds since the Unix epoch.
    pub fn not_before(&self) -> i64 {
        self.not_before
    }

    /// notAfter, in seconds since the Unix epoch.
    pub fn not_after(&self) -> i64 {
        self.not_after
    }

    /// The TBSCertificate as it was read, which the signature covers.
    pub fn tbs_der(&self) -> &[u8] {
        &self.tbs
    }

    /// The outer signatureAlgorithm.
    pub fn signature_algorithm(&self) -> &AlgorithmIdentifierOwned {
        self.certificate.signature_algorithm()
    }

    /// The signature field inside the TBSCertificate.
    pub fn tbs_signature_algorithm(&self) -> &AlgorithmIdentifierOwned {
        self.certificate.tbs_certificate().signature()
    }

    /// Every decoded extension, with the flags path validation derives from them.
    pub fn extensions(&self) -> &CertExtensions {
        &self.extensions
    }

    /// basicConstraints, if present and valid.
    pub fn basic_constraints(&self) -> Option<&BasicConstraints> {
        self.extensions.basic_constraints.as_ref()
    }

    /// keyUsage, if present and valid.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.extensions.key_usage
    }

    /// extendedKeyUsage with its criticality, if present and valid.
    pub fn extended_key_usage(&self) -> Option<&ExtendedKeyUsage> {
        self.extensions.extended_key_usage.as_ref()
    }

    /// The subject key identifier, if the extension is present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.extensions.subject_key_id.as_deref()
    }

    /// authorityKeyIdentifier, if present and valid.
    pub fn authority_key_id(&self) -> Option<&AuthorityKeyIdentifier> {
        self.extensions.authority_key_id.as_ref()
    }

    /// The subject alternative names, from every SAN extension.
    pub fn subject_alt_names(&self) -> Vec<GeneralName> {
        self.extensions.subject_alt_names.clone()
    }

    /// nameConstraints, if present and valid.
    pub fn name_constraints(&self) -> Option<&NameConstraints> {
        self.extensions.name_constraints.as_ref()
    }

    /// The critical extensions that OpenSSL's verifier does not process and
    /// that make path validation fail with "unhandled critical extension".
    pub fn unhandled_critical_extensions(&self) -> &[ObjectIdentifier] {
        &self.extensions.unhandled_critical
    }

    /// Why OpenSSL would treat the certificate's extensions as invalid, if it would.
    pub fn invalid_extensions(&self) -> Option<&str> {
        self.extensions.invalid.as_deref()
    }

    /// Whether the subject equals the issuer (`X509_NAME_cmp`).
    pub fn is_self_issued(&self) -> bool {
        self.subject_canonical == self.issuer_canonical
    }

    /// Whether OpenSSL considers the certificate self-signed (`X509_self_signed`
    /// without the signature check): self-issued, with an authority key
    /// identifier that matches its own fields, and a signature algorithm that
    /// fits its own key.
    pub fn is_self_signed(&self) -> bool {
        self.self_signed
    }

    /// The trust settings of a `TRUSTED CERTIFICATE`, if it had any.
    pub fn trust_settings(&self) -> Option<&TrustSettings> {
        self.trust.as_ref()
    }

    /// Checks OpenSSL's time-stamping purpose for a signer certificate.
    pub fn check_timestamp_signer(&self) -> Result<()> {
        super::purpose::check_timestamp_signer_purpose(self)
    }

    /// Verifies this certificate's signature with `issuer_key`, as `X509_verify`
    /// does: the outer and inner signature algorithms must be identical first.
    pub fn verify_signature_with(&self, issuer_key: &SubjectPublicKeyInfoOwned) -> Result<()> {
        if self.signature_algorithm() != self.tbs_signature_algorithm() {
            return Err(Error::new(
                Reason::SignatureFailure,
                "the certificate's signatureAlgorithm differs from its TBSCertificate signature field",
            ));
        }
        let signature = self.certificate.signature().as_bytes().ok_or_else(|| {
            Error::new(
                Reason::SignatureFailure,
                "the certificate signature has unused bits",
            )
        })?;
        verify_signature(
            issuer_key,
            self.signature_algorithm(),
            None,
            &self.tbs,
            signature,
        )
    }

    pub(crate) fn subject_canonical(&self) -> &[u8] {
        &self.subject_canonical
    }

    pub(crate) fn issuer_canonical(&self) -> &[u8] {
        &self.issuer_canonical
    }

    pub(crate) fn key_info(&self) -> KeyInfo {
        self.key
    }
}

/// Checks `akid` (a subject's authorityKeyIdentifier) against `issuer`, as
/// `X509_check_akid` does: key identifiers when both exist, the serial number,
/// and the first directoryName against the issuer's issuer.
pub(crate) fn check_akid(
    issuer: &Cert,
    akid: Option<&AuthorityKeyIdentifier>,
) -> std::result::Result<(), super::VerifyCode> {
    use super::VerifyCode;

    let Some(akid) = akid else {
        return Ok(());
    };
    if let (Some(key_id), Some(skid)) = (&akid.key_id, issuer.subject_key_id())
        && key_id.as_slice() != skid
    {
        return Err(VerifyCode::AkidSkidMismatch);
    }
    if let Some(serial) = &akid.serial
        && serial.as_slice() != issuer.serial_bytes()
    {
        return Err(VerifyCode::AkidIssuerSerialMismatch);
    }
    let directory_name = akid.issuer.iter().flatten().find_map(|name| match name {
        GeneralName::DirectoryName(name) => Some(name),
        _ => None,
    });
    if let Some(name) = directory_name
        && canonical_encoding(name) != issuer.issuer_canonical
    {
        return Err(VerifyCode::AkidIssuerSerialMismatch);
    }
    Ok(())
}

fn unix_seconds(time: &x509_cert::time::Time) -> i64 {
    i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

/// X509_CERT_AUX ::= SEQUENCE { trust SEQUENCE OF OID OPTIONAL,
/// reject [0] IMPLICIT SEQUENCE OF OID OPTIONAL, alias UTF8String OPTIONAL,
/// keyid OCTET STRING OPTIONAL, other [1] IMPLICIT SEQUENCE OF AlgorithmIdentifier OPTIONAL }
fn parse_trust_settings(input: &[u8]) -> Result<TrustSettings> {
    let invalid = || {
        Error::new(
            Reason::Decode,
            "cannot decode the trust settings after the certificate",
        )
    };
    let der = ber::normalize(input).map_err(|_| invalid())?;
    let aux = der::asn1::Any::from_der(&der).map_err(|_| invalid())?;
    if aux.tag() != Tag::Sequence {
        return Err(invalid());
    }
    let mut settings = TrustSettings::default();
    let oid_list = |content: &[u8]| -> Result<Vec<ObjectIdentifier>> {
        elements(content)
            .map_err(|_| invalid())?
            .iter()
            .map(|any| any.decode_as::<ObjectIdentifier>().map_err(|_| invalid()))
            .collect()
    };
    for field in elements(aux.value()).map_err(|_| invalid())? {
        match field.tag() {
            Tag::Sequence => settings.trust = Some(oid_list(field.value())?),
            Tag::ContextSpecific { number, .. } if number.value() == 0 => {
                settings.reject = Some(oid_list(field.value())?);
            }
            Tag::Utf8String => settings.alias = Some(field.value().to_vec()),
            _ => {}
        }
    }
    Ok(settings)
}

/// Loads every certificate of a PEM file, in order, or the one certificate of a DER file.
///
/// A PEM file's `CERTIFICATE`, `X509 CERTIFICATE` and `TRUSTED CERTIFICATE`
/// blocks are read; other blocks (keys, CRLs) are skipped. The error names the
/// file and the block that failed.
pub fn load_certs(path: &Path) -> Result<Vec<Cert>> {
    let input =
        std::fs::read(path).map_err(|e| Error::io("read", &path.display().to_string(), &e))?;
    parse_certs(&input, &path.display().to_string())
}

/// Parses every certificate of PEM or DER input, as [`load_certs`] reads a
/// file; `source` names the input in error messages.
pub fn parse_certs(input: &[u8], source: &str) -> Result<Vec<Cert>> {
    if !pem::is_pem(input) {
        let cert = Cert::from_der(ber::first_element(input)).map_err(|e| {
            Error::new(
                Reason::CertLoad,
                format!("cannot load certificate from {source}: {e}"),
            )
        })?;
        return Ok(vec![cert]);
    }
    let mut certs = Vec::new();
    for (index, block) in pem::blocks(input).into_iter().enumerate() {
        if !CERTIFICATE_LABELS.contains(&block.label.as_str()) {
            continue;
        }
        let cert = block
            .data
            .and_then(|data| parse_pem_certificate(&block.label, &data));
        let cert = cert.map_err(|e| {
            Error::new(
                Reason::CertLoad,
                format!(
                    "cannot load certificate from {source}: PEM block {} ({} at line {}): {e}",
                    index + 1,
                    block.label,
                    block.line
                ),
            )
        })?;
        certs.push(cert);
    }
    if certs.is_empty() {
        return Err(Error::new(
            Reason::CertLoad,
            format!("no certificate found in {source}"),
        ));
    }
    Ok(certs)
}

/// Parses the data of a certificate PEM block with the given label. As in
/// OpenSSL's `d2i_X509`, bytes after the certificate are ignored, except that
/// a `TRUSTED CERTIFICATE` block continues with its trust settings.
pub(crate) fn parse_pem_certificate(label: &str, data: &[u8]) -> Result<Cert> {
    if label == "TRUSTED CERTIFICATE" {
        Cert::from_trusted_der(data)
    } else {
        Cert::from_der(ber::first_element(data))
    }
}

/// Encodes a certificate list as PEM, for tests and tools.
pub fn to_pem(certs: &[Cert]) -> String {
    certs
        .iter()
        .filter_map(|cert| {
            pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, cert.der()).ok()
        })
        .collect()
}
