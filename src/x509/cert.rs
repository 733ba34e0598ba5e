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
    /// The encoding OpenSSL's `i2d_X509` writes, when it is not the DER: the
    /// TBSCertificate as sent, the rest re-encoded as DER.
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
            sent: openssl_encoding(&der, &tbs).filter(|encoded| *encoded != der),
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

    /// The encoding OpenSSL 3.0 writes for this certificate, which an ESS
    /// certificate hash covers: the TBSCertificate as read (OpenSSL keeps its
    /// encoding), and the outer SEQUENCE, signature algorithm and signature
    /// as DER.
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
    let input = crate::files::read_limited(path, crate::asn1::ber::MAX_INPUT_LEN)
        .map_err(|e| Error::io("read", &path.display().to_string(), &e))?;
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

/// Encodes as `i2d_X509` does a certificate whose DER is `der` and
/// whose TBSCertificate was read as `tbs`.
fn openssl_encoding(der: &[u8], tbs: &[u8]) -> Option<Vec<u8>> {
    let fields = ber::der_children(der, 0)?;
    let rest = der.get(*fields.get(1)?..)?;
    let mut encoded = vec![0x30];
    ber::write_length(tbs.len() + rest.len(), &mut encoded);
    encoded.extend_from_slice(tbs);
    encoded.extend_from_slice(rest);
    Some(encoded)
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

/// The first error OpenSSL's template decoder raises on a value it rejects:
/// the function and reason texts of its error-queue entry, and the offset of
/// the offending element in the bytes checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct D2iFault {
    /// The OpenSSL function that raises the error, such as `asn1_check_tlen`.
    pub function: &'static str,
    /// The reason text, such as `wrong tag`.
    pub reason: &'static str,
    /// The offset of the element at fault.
    pub offset: usize,
}

type D2iResult<T> = std::result::Result<T, D2iFault>;

fn fault(offset: usize, function: &'static str, reason: &'static str) -> D2iFault {
    D2iFault {
        function,
        reason,
        offset,
    }
}

/// Checks the DER of a certificate the way OpenSSL 3.0's `d2i_X509` checks
/// it, on the points where the `x509-cert` parser is more lenient or stricter:
/// the tags of every field, the content of INTEGER, OBJECT IDENTIFIER, BIT
/// STRING, BOOLEAN and NULL values, and the tags and text of name attribute
/// values. Times are not checked, as OpenSSL reads them only when it uses them.
pub fn check_d2i_certificate(der: &[u8]) -> D2iResult<()> {
    let mut outer = Fields::expect_sequence(der, 0)?;
    check_tbs(outer.sequence()?)?;
    check_algorithm(outer.sequence()?)?;
    outer.bit_string()?;
    outer.finish()
}

/// Checks the DER of a Name the way OpenSSL 3.0's `d2i_X509_NAME` checks it.
pub fn check_d2i_name(der: &[u8]) -> D2iResult<()> {
    let element = read_element(der, 0, der.len())?;
    check_name(Fields::sequence_of(der, element)?)
}

/// Checks the DER of a value of type ANY the way OpenSSL 3.0 decodes it.
pub fn check_d2i_any(der: &[u8]) -> D2iResult<()> {
    let element = read_element(der, 0, der.len())?;
    let fields = Fields {
        der,
        pos: 0,
        end: der.len(),
    };
    check_any(&fields, element)
}

/// One element: its identifier octet fields and its content span.
#[derive(Clone, Copy)]
struct Element {
    class: u8,
    constructed: bool,
    number: u32,
    offset: usize,
    start: usize,
    end: usize,
}

impl Element {
    fn is_universal(&self, number: u32) -> bool {
        self.class == 0 && self.number == number
    }
}

/// Reads the element at `offset`; it must end by `limit`.
fn read_element(der: &[u8], offset: usize, limit: usize) -> D2iResult<Element> {
    let too_long = fault(offset, "ASN1_get_object", "header too long");
    let first = *der.get(offset).ok_or(too_long)?;
    let mut pos = offset + 1;
    let mut number = u32::from(first & 0x1f);
    if number == 0x1f {
        number = 0;
        loop {
            let byte = *der.get(pos).ok_or(too_long)?;
            pos += 1;
            number = number
                .checked_mul(128)
                .and_then(|n| n.checked_add(u32::from(byte & 0x7f)))
                .ok_or(too_long)?;
            if byte & 0x80 == 0 {
                break;
            }
        }
    }
    let len_byte = *der.get(pos).ok_or(too_long)?;
    pos += 1;
    let len = if len_byte & 0x80 == 0 {
        usize::from(len_byte)
    } else {
        let count = usize::from(len_byte & 0x7f);
        if count == 0 || count > 4 {
            return Err(too_long);
        }
        let mut len = 0usize;
        for _ in 0..count {
            let byte = *der.get(pos).ok_or(too_long)?;
            pos += 1;
            len = (len << 8) | usize::from(byte);
        }
        len
    };
    let end = pos.checked_add(len).ok_or(too_long)?;
    if end > limit {
        return Err(too_long);
    }
    Ok(Element {
        class: first >> 6,
        constructed: first & 0x20 != 0,
        number,
        offset,
        start: pos,
        end,
    })
}

/// The fields of a constructed element, read in order.
struct Fields<'a> {
    der: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Fields<'a> {
    /// The fields of the SEQUENCE at `offset`.
    fn expect_sequence(der: &'a [u8], offset: usize) -> D2iResult<Self> {
        let element = read_element(der, offset, der.len())?;
        Fields::of(der, expect_constructed(element, 16)?)
    }

    /// The items of a SEQUENCE OF, whose constructed bit OpenSSL ignores.
    fn sequence_of(der: &'a [u8], element: Element) -> D2iResult<Self> {
        if !element.is_universal(16) {
            return Err(fault(element.offset, "asn1_check_tlen", "wrong tag"));
        }
        Fields::of(der, element)
    }

    fn of(der: &'a [u8], element: Element) -> D2iResult<Self> {
        Ok(Fields {
            der,
            pos: element.start,
            end: element.end,
        })
    }

    fn peek(&self) -> D2iResult<Option<Element>> {
        if self.pos >= self.end {
            return Ok(None);
        }
        read_element(self.der, self.pos, self.end).map(Some)
    }

    fn next(&mut self) -> D2iResult<Element> {
        let element =
            self.peek()?
                .ok_or(fault(self.pos, "asn1_item_embed_d2i", "field missing"))?;
        self.pos = element.end;
        Ok(element)
    }

    /// The next field if it has context-specific tag `number`.
    fn optional(&mut self, number: u32) -> D2iResult<Option<Element>> {
        match self.peek()? {
            Some(element) if element.class == 2 && element.number == number => {
                self.pos = element.end;
                Ok(Some(element))
            }
            _ => Ok(None),
        }
    }

    fn sequence(&mut self) -> D2iResult<Fields<'a>> {
        let element = self.next()?;
        Fields::of(self.der, expect_constructed(element, 16)?)
    }

    fn name(&mut self) -> D2iResult<Fields<'a>> {
        let element = self.next()?;
        Fields::sequence_of(self.der, element)
    }

    fn primitive(&mut self, number: u32) -> D2iResult<&'a [u8]> {
        let element = self.next()?;
        if !element.is_universal(number) {
            return Err(fault(element.offset, "asn1_check_tlen", "wrong tag"));
        }
        self.content(element)
    }

    fn content(&self, element: Element) -> D2iResult<&'a [u8]> {
        self.der.get(element.start..element.end).ok_or(fault(
            element.offset,
            "ASN1_get_object",
            "header too long",
        ))
    }

    fn integer(&mut self) -> D2iResult<()> {
        let offset = self.pos;
        let content = self.primitive(2)?;
        check_integer(content, offset)
    }

    fn object(&mut self) -> D2iResult<()> {
        let offset = self.pos;
        let content = self.primitive(6)?;
        check_object(content, offset)
    }

    fn bit_string(&mut self) -> D2iResult<()> {
        let offset = self.pos;
        let content = self.primitive(3)?;
        check_bit_string(content, offset)
    }

    /// Fails when fields are left over.
    fn finish(&self) -> D2iResult<()> {
        if self.pos < self.end {
            return Err(fault(
                self.pos,
                "asn1_item_embed_d2i",
                "sequence length mismatch",
            ));
        }
        Ok(())
    }
}

fn expect_constructed(element: Element, number: u32) -> D2iResult<Element> {
    if !element.is_universal(number) {
        return Err(fault(element.offset, "asn1_check_tlen", "wrong tag"));
    }
    if !element.constructed {
        return Err(fault(
            element.offset,
            "asn1_item_embed_d2i",
            "sequence not constructed",
        ));
    }
    Ok(element)
}

/// TBSCertificate (RFC 5280 section 4.1).
fn check_tbs(mut tbs: Fields<'_>) -> D2iResult<()> {
    if let Some(version) = tbs.optional(0)? {
        let mut inner = explicit(&tbs, version)?;
        inner.integer()?;
        explicit_end(&inner)?;
    }
    tbs.integer()?;
    check_algorithm(tbs.sequence()?)?;
    check_name(tbs.name()?)?;
    let mut validity = tbs.sequence()?;
    check_time(validity.next()?)?;
    check_time(validity.next()?)?;
    validity.finish()?;
    check_name(tbs.name()?)?;
    let mut spki = tbs.sequence()?;
    check_algorithm(spki.sequence()?)?;
    spki.bit_string()?;
    spki.finish()?;
    for number in [1, 2] {
        if let Some(unique_id) = tbs.optional(number)? {
            if unique_id.constructed {
                let mut joined = Vec::new();
                join_segments(tbs.der, unique_id, 0, &mut joined)?;
                check_bit_string(&joined, unique_id.offset)?;
            } else {
                check_bit_string(tbs.content(unique_id)?, unique_id.offset)?;
            }
        }
    }
    if let Some(extensions) = tbs.optional(3)? {
        let mut inner = explicit(&tbs, extensions)?;
        let element = inner.next()?;
        let mut list = Fields::sequence_of(inner.der, element)?;
        while list.peek()?.is_some() {
            let mut extension = list.sequence()?;
            extension.object()?;
            if let Some(critical) = extension.peek()?
                && critical.is_universal(1)
            {
                let content = extension.primitive(1)?;
                check_boolean(content, critical.offset)?;
            }
            extension.primitive(4)?;
            extension.finish()?;
        }
        explicit_end(&inner)?;
    }
    tbs.finish()
}

fn explicit<'a>(parent: &Fields<'a>, element: Element) -> D2iResult<Fields<'a>> {
    if !element.constructed {
        return Err(fault(
            element.offset,
            "asn1_template_ex_d2i",
            "explicit tag not constructed",
        ));
    }
    Fields::of(parent.der, element)
}

fn explicit_end(inner: &Fields<'_>) -> D2iResult<()> {
    if inner.pos < inner.end {
        return Err(fault(
            inner.pos,
            "asn1_template_ex_d2i",
            "explicit length mismatch",
        ));
    }
    Ok(())
}

/// AlgorithmIdentifier: an OBJECT IDENTIFIER and an optional value of any type.
fn check_algorithm(mut algorithm: Fields<'_>) -> D2iResult<()> {
    algorithm.object()?;
    if algorithm.peek()?.is_some() {
        let element = algorithm.next()?;
        check_any(&algorithm, element)?;
    }
    algorithm.finish()
}

/// A value of type ANY: a universal primitive value must have valid content.
fn check_any(fields: &Fields<'_>, element: Element) -> D2iResult<()> {
    if element.class != 0 {
        return Ok(());
    }
    check_universal(fields, element)
}

/// The content checks OpenSSL's primitive decoder makes for a universal type.
fn check_universal(fields: &Fields<'_>, element: Element) -> D2iResult<()> {
    let offset = element.offset;
    let must_be_primitive = matches!(element.number, 1 | 2 | 5 | 6 | 10);
    if element.constructed {
        if must_be_primitive {
            return Err(fault(offset, "asn1_d2i_ex_primitive", "type not primitive"));
        }
        return Ok(());
    }
    let content = fields.content(element)?;
    match element.number {
        1 => check_boolean(content, offset),
        2 | 10 => check_integer(content, offset),
        3 => check_bit_string(content, offset),
        5 if !content.is_empty() => Err(fault(offset, "asn1_ex_c2i", "null is wrong length")),
        6 => check_object(content, offset),
        16 | 17 => Err(fault(
            offset,
            "asn1_d2i_ex_primitive",
            "type not constructed",
        )),
        28 if content.len() % 4 != 0 => Err(fault(
            offset,
            "asn1_ex_c2i",
            "universalstring is wrong length",
        )),
        30 if content.len() % 2 != 0 => {
            Err(fault(offset, "asn1_ex_c2i", "bmpstring is wrong length"))
        }
        _ => Ok(()),
    }
}

fn check_boolean(content: &[u8], offset: usize) -> D2iResult<()> {
    if content.len() != 1 {
        return Err(fault(offset, "asn1_ex_c2i", "boolean is wrong length"));
    }
    Ok(())
}

/// `c2i_ibuf`: no empty content and no redundant leading octet.
fn check_integer(content: &[u8], offset: usize) -> D2iResult<()> {
    match content {
        [] => Err(fault(offset, "c2i_ibuf", "illegal zero content")),
        [0x00, next, ..] if next & 0x80 == 0 => Err(fault(offset, "c2i_ibuf", "illegal padding")),
        [0xff, next, ..] if next & 0x80 != 0 => Err(fault(offset, "c2i_ibuf", "illegal padding")),
        _ => Ok(()),
    }
}

/// `ossl_c2i_ASN1_OBJECT`: a last octet that ends a sub-identifier, and no
/// sub-identifier that starts with 0x80.
fn check_object(content: &[u8], offset: usize) -> D2iResult<()> {
    let bad = fault(offset, "ossl_c2i_ASN1_OBJECT", "invalid object encoding");
    if content.last().is_none_or(|last| last & 0x80 != 0) {
        return Err(bad);
    }
    let mut at_start = true;
    for &byte in content {
        if at_start && byte == 0x80 {
            return Err(bad);
        }
        at_start = byte & 0x80 == 0;
    }
    Ok(())
}

/// Joins the content of the primitive segments inside the constructed
/// string `element` as OpenSSL's `asn1_collect` does: segments of any tag,
/// at most `ASN1_MAX_STRING_NEST` (5) levels of constructed segments.
fn join_segments(
    der: &[u8],
    element: Element,
    nesting: usize,
    joined: &mut Vec<u8>,
) -> D2iResult<()> {
    let mut pos = element.start;
    while pos < element.end {
        let segment = read_element(der, pos, element.end)?;
        if !segment.constructed {
            joined.extend_from_slice(der.get(segment.start..segment.end).unwrap_or_default());
        } else if nesting >= 5 {
            return Err(fault(segment.offset, "asn1_collect", "nested asn1 string"));
        } else {
            join_segments(der, segment, nesting + 1, joined)?;
        }
        pos = segment.end;
    }
    Ok(())
}

fn check_bit_string(content: &[u8], offset: usize) -> D2iResult<()> {
    let function = "ossl_c2i_ASN1_BIT_STRING";
    match content.first() {
        None => Err(fault(offset, function, "string too short")),
        Some(&unused) if unused > 7 => Err(fault(offset, function, "invalid bit string bits left")),
        Some(_) => Ok(()),
    }
}

/// Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }.
fn check_time(element: Element) -> D2iResult<()> {
    if element.class != 0 {
        return Err(fault(
            element.offset,
            "asn1_item_embed_d2i",
            "mstring not universal",
        ));
    }
    if !matches!(element.number, 23 | 24) {
        return Err(fault(
            element.offset,
            "asn1_item_embed_d2i",
            "mstring wrong tag",
        ));
    }
    Ok(())
}

/// Name: SEQUENCE OF SET OF SEQUENCE { type OBJECT IDENTIFIER, value }.
/// OpenSSL first decodes the whole name, then converts each string value to
/// UTF-8 for its canonical form, which fails on text invalid in its type.
fn check_name(mut rdns: Fields<'_>) -> D2iResult<()> {
    let mut values = Vec::new();
    while rdns.peek()?.is_some() {
        let element = rdns.next()?;
        if !element.is_universal(17) {
            return Err(fault(element.offset, "asn1_check_tlen", "wrong tag"));
        }
        let mut set = Fields::of(rdns.der, element)?;
        while set.peek()?.is_some() {
            let mut attribute = set.sequence()?;
            attribute.object()?;
            let value = attribute.next()?;
            check_attribute_value(&attribute, value)?;
            attribute.finish()?;
            values.push((value, attribute.content(value)?));
        }
    }
    for (value, content) in values {
        check_text(value, content)?;
    }
    Ok(())
}

/// Checks an attribute value against the tags `ASN1_PRINTABLE` accepts: the
/// string types OpenSSL has a type for
/// (Numeric, Printable, T61, IA5, Universal, BMP, UTF8), BIT STRING,
/// SEQUENCE, and the universal tags it has no type for.
fn check_attribute_value(fields: &Fields<'_>, value: Element) -> D2iResult<()> {
    if value.class != 0 {
        return Err(fault(
            value.offset,
            "asn1_item_embed_d2i",
            "mstring not universal",
        ));
    }
    let accepted = matches!(
        value.number,
        3 | 7 | 8 | 9 | 11..=16 | 18 | 19 | 20 | 22 | 28 | 29 | 30
    );
    if !accepted {
        return Err(fault(
            value.offset,
            "asn1_item_embed_d2i",
            "mstring wrong tag",
        ));
    }
    check_universal(fields, value)
}

/// The conversion to UTF-8 of a UTF8String, BMPString or UniversalString.
fn check_text(value: Element, content: &[u8]) -> D2iResult<()> {
    let offset = value.offset;
    if value.constructed {
        return Ok(());
    }
    let illegal = fault(offset, "ASN1_mbstring_ncopy", "illegal characters");
    let valid = |c: u32| c <= 0x10ffff && !(0xd800..=0xdfff).contains(&c);
    match value.number {
        12 if std::str::from_utf8(content).is_err() => {
            Err(fault(offset, "ASN1_mbstring_ncopy", "invalid utf8string"))
        }
        30 if !content
            .chunks_exact(2)
            .all(|c| valid(u32::from(u16::from_be_bytes([c[0], c[1]])))) =>
        {
            Err(illegal)
        }
        28 if !content
            .chunks_exact(4)
            .all(|c| valid(u32::from_be_bytes([c[0], c[1], c[2], c[3]]))) =>
        {
            Err(illegal)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Name with one RDN holding commonName with `value` (tag and content).
    fn name(tag: u8, value: &[u8]) -> Vec<u8> {
        let len = u8::try_from(value.len()).unwrap();
        let mut attribute = vec![0x30, 7 + len, 0x06, 0x03, 0x55, 0x04, 0x03, tag, len];
        attribute.extend_from_slice(value);
        let mut der = vec![0x30, attribute.len() as u8 + 2, 0x31, attribute.len() as u8];
        der.extend(attribute);
        der
    }

    fn reason(result: D2iResult<()>) -> &'static str {
        result.map_or_else(|fault| fault.reason, |()| "ok")
    }

    #[test]
    fn name_values_follow_openssl() {
        assert_eq!(reason(check_d2i_name(&name(0x0c, b"tsa"))), "ok");
        assert_eq!(reason(check_d2i_name(&name(0x13, b"\xf4sa"))), "ok");
        assert_eq!(
            reason(check_d2i_name(&name(0x0c, b"\xf4sa"))),
            "invalid utf8string"
        );
        assert_eq!(
            reason(check_d2i_name(&name(0x8c, b"tsa"))),
            "mstring not universal"
        );
        assert_eq!(
            reason(check_d2i_name(&name(0x04, b"tsa"))),
            "mstring wrong tag"
        );
        assert_eq!(
            reason(check_d2i_name(&name(0x1e, b"\x00t\x00"))),
            "bmpstring is wrong length"
        );
        assert_eq!(
            reason(check_d2i_name(&name(0x1e, b"\xd8\x00"))),
            "illegal characters"
        );
    }

    #[test]
    fn a_primitive_name_is_read_as_its_items() {
        let mut der = name(0x0c, b"tsa");
        der[0] = 0x10;
        assert_eq!(reason(check_d2i_name(&der)), "ok");
    }

    #[test]
    fn primitive_contents_follow_openssl() {
        assert_eq!(reason(check_integer(&[], 0)), "illegal zero content");
        assert_eq!(reason(check_integer(&[0x00, 0x7f], 0)), "illegal padding");
        assert_eq!(reason(check_integer(&[0xff, 0x80], 0)), "illegal padding");
        assert_eq!(reason(check_integer(&[0x00, 0x80], 0)), "ok");
        assert_eq!(reason(check_integer(&[0xff, 0x00], 0)), "ok");
        assert_eq!(reason(check_object(&[0x55, 0x04, 0x03], 0)), "ok");
        assert_eq!(
            reason(check_object(&[0x55, 0x80, 0x03], 0)),
            "invalid object encoding"
        );
        assert_eq!(
            reason(check_object(&[0x55, 0x83], 0)),
            "invalid object encoding"
        );
        assert_eq!(reason(check_object(&[], 0)), "invalid object encoding");
        assert_eq!(reason(check_bit_string(&[0x07, 0x80], 0)), "ok");
        assert_eq!(
            reason(check_bit_string(&[0x08, 0x00], 0)),
            "invalid bit string bits left"
        );
        assert_eq!(
            reason(check_d2i_any(&[0x05, 0x01, 0x00])),
            "null is wrong length"
        );
        assert_eq!(reason(check_d2i_any(&[0xa0, 0x01, 0x00])), "ok");
    }

    #[test]
    fn truncated_input_is_an_error() {
        let der = name(0x0c, b"tsa");
        for len in 0..der.len() {
            assert!(check_d2i_name(&der[..len]).is_err(), "length {len}");
        }
        assert!(check_d2i_certificate(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_err());
    }
}
