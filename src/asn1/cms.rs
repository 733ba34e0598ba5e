//! CMS SignedData (RFC 5652) as a time-stamp token carries it (RFC 3161 section 2.4.2).
//!
//! The `cms` crate is not used here: its CertificateChoices has no attribute
//! certificates, and its SET OF decoding sorts signed attributes, which loses
//! the order a signature covers. These types keep every certificate choice and
//! revocation choice as encoded, and keep SET OF order.

use der::asn1::{Any, Int, ObjectIdentifier, OctetString};
use der::{Choice, Decode, Encode, Sequence, Tag, TagNumber, Tagged};
use x509_cert::certificate::{CertificateInner, Raw};

use super::any_value::AnyValue;
use super::ber::{self, Normalized, der_children, der_element};
use super::general_name::GeneralName;
use super::name::EncodedName;
use super::tsp::TstInfo;
use super::{AlgorithmIdentifier, Oid, SetOf, SortedSetOf, decode_der};
use crate::error::{Error, Reason, Result, lib};
use crate::oid::known;
use crate::x509::{D2iFault, check_d2i_any, check_d2i_certificate, check_d2i_name};

/// An X.509 certificate parsed without RFC 5280's profile checks, so negative
/// and oversized serial numbers are accepted as OpenSSL accepts them.
pub type Certificate = CertificateInner<Raw>;

/// RFC 5652 section 3:
///
/// ```text
/// ContentInfo ::= SEQUENCE {
///   contentType ContentType,
///   content [0] EXPLICIT ANY DEFINED BY contentType }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct ContentInfo {
    /// The content type, pkcs7-signedData for a token.
    pub content_type: Oid,
    /// The content.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub content: Option<Any>,
}

/// RFC 5652 section 5.1:
///
/// ```text
/// SignedData ::= SEQUENCE {
///   version CMSVersion,
///   digestAlgorithms DigestAlgorithmIdentifiers,
///   encapContentInfo EncapsulatedContentInfo,
///   certificates [0] IMPLICIT CertificateSet OPTIONAL,
///   crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
///   signerInfos SignerInfos }
/// ```
///
/// `certificates` is kept in its encoded order, as OpenSSL writes it (signer
/// first), and each choice stays encoded; [`SignedData::x509_certificates`] parses
/// the plain certificates among them.
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct SignedData {
    /// CMSVersion; OpenSSL writes 3 for tokens.
    pub version: Int,
    /// The digest algorithms the signers used.
    pub digest_algorithms: SortedSetOf<AlgorithmIdentifier>,
    /// The signed content: a DER TSTInfo for a token.
    pub encap_content_info: EncapsulatedContentInfo,
    /// CertificateChoices, each as encoded.
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub certificates: Option<Vec<Any>>,
    /// RevocationInfoChoices, each as encoded.
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub crls: Option<SortedSetOf<Any>>,
    /// The signers.
    pub signer_infos: SortedSetOf<SignerInfo>,
}

/// RFC 5652 section 5.2:
///
/// ```text
/// EncapsulatedContentInfo ::= SEQUENCE {
///   eContentType ContentType,
///   eContent [0] EXPLICIT OCTET STRING OPTIONAL }
/// ```
///
/// `e_content` is any value so that a wrong type is reported as such, as
/// OpenSSL reports `bad type`, rather than as a decoding failure.
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct EncapsulatedContentInfo {
    /// id-smime-ct-TSTInfo for a token.
    pub econtent_type: Oid,
    /// The content, normally an OCTET STRING.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub econtent: Option<Any>,
}

/// RFC 5652 section 5.3:
///
/// ```text
/// SignerInfo ::= SEQUENCE {
///   version CMSVersion,
///   sid SignerIdentifier,
///   digestAlgorithm DigestAlgorithmIdentifier,
///   signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL,
///   signatureAlgorithm SignatureAlgorithmIdentifier,
///   signature SignatureValue,
///   unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct SignerInfo {
    /// 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier.
    pub version: Int,
    /// Identifies the signer's certificate.
    pub sid: SignerIdentifier,
    /// The digest algorithm for the content and the signed attributes.
    pub digest_algorithm: AlgorithmIdentifier,
    /// Signed attributes, in their encoded order.
    #[asn1(
        context_specific = "0",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub signed_attrs: Option<SetOf<Attribute>>,
    /// The signature algorithm.
    pub signature_algorithm: AlgorithmIdentifier,
    /// The signature value.
    pub signature: OctetString,
    /// Unsigned attributes.
    #[asn1(
        context_specific = "1",
        tag_mode = "IMPLICIT",
        constructed = "true",
        optional = "true"
    )]
    pub unsigned_attrs: Option<SortedSetOf<Attribute>>,
}

/// RFC 5652 section 5.3:
///
/// ```text
/// SignerIdentifier ::= CHOICE {
///   issuerAndSerialNumber IssuerAndSerialNumber,
///   subjectKeyIdentifier [0] SubjectKeyIdentifier }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Choice)]
pub enum SignerIdentifier {
    /// The certificate's issuer and serial number.
    IssuerAndSerialNumber(IssuerAndSerialNumber),
    /// The certificate's subject key identifier.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    SubjectKeyIdentifier(OctetString),
}

/// RFC 5652 section 10.2.4:
///
/// ```text
/// IssuerAndSerialNumber ::= SEQUENCE {
///   issuer Name,
///   serialNumber CertificateSerialNumber }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct IssuerAndSerialNumber {
    /// The issuer's name, kept as encoded because OpenSSL reads names that
    /// `x509_cert` cannot hold.
    pub issuer: EncodedName,
    /// The serial number, any size and sign.
    pub serial_number: Int,
}

/// RFC 5652 section 5.3:
///
/// ```text
/// Attribute ::= SEQUENCE {
///   attrType OBJECT IDENTIFIER,
///   attrValues SET OF AnyValue }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct Attribute {
    /// The attribute type.
    pub attr_type: Oid,
    /// The values, each as encoded.
    pub attr_values: SortedSetOf<AnyValue>,
}

impl Attribute {
    /// Creates an attribute with one value.
    pub fn single(attr_type: ObjectIdentifier, value: Any) -> Self {
        Attribute {
            attr_type: attr_type.into(),
            attr_values: SetOf(vec![AnyValue::Any(value)]),
        }
    }
}

impl SignerInfo {
    /// Checks that the version matches the signer identifier, as RFC 5652
    /// section 5.3 requires: 1 with issuerAndSerialNumber, 3 with
    /// subjectKeyIdentifier. OpenSSL 3.0 does not check it.
    pub fn check_version(&self) -> Result<()> {
        let (expected, sid) = match self.sid {
            SignerIdentifier::IssuerAndSerialNumber(_) => (1, "issuerAndSerialNumber"),
            SignerIdentifier::SubjectKeyIdentifier(_) => (3, "subjectKeyIdentifier"),
        };
        if self.version.as_bytes() == [expected] {
            return Ok(());
        }
        let version = match self.version.to_der().map(|der| i64::from_der(&der)) {
            Ok(Ok(value)) => value.to_string(),
            _ => "out of range".to_owned(),
        };
        Err(bad_token(
            Reason::BadToken,
            &format!(
                "the SignerInfo version is {version}, but RFC 5652 requires {expected} with {sid}"
            ),
        ))
    }

    /// The first value of the signed attribute `attr_type`, if present.
    pub fn signed_attr(&self, attr_type: &ObjectIdentifier) -> Option<&Any> {
        self.signed_attrs
            .as_ref()?
            .as_slice()
            .iter()
            .find(|a| a.attr_type == *attr_type)
            .and_then(|a| a.attr_values.as_slice().first())
            .and_then(AnyValue::any)
    }
}

/// A certificate set member that is not a plain X.509 certificate, or one that
/// did not parse: attribute certificates (`[1]`, `[2]`), other formats (`[3]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherCertificate {
    /// The choice's tag.
    pub tag: Tag,
    /// The whole encoding.
    pub der: Vec<u8>,
}

impl SignedData {
    /// The plain X.509 certificates in the certificate set, in encoded order,
    /// each with its DER.
    pub fn x509_certificates(&self) -> Vec<(Certificate, Vec<u8>)> {
        let Some(certificates) = &self.certificates else {
            return Vec::new();
        };
        certificates
            .iter()
            .filter(|any| any.tag() == Tag::Sequence)
            .filter_map(|any| {
                let der = any.to_der().ok()?;
                let cert = Certificate::from_der(&der).ok()?;
                Some((cert, der))
            })
            .collect()
    }

    /// Checks that every certificate set member is a certificate that
    /// OpenSSL's X.509 decoder accepts ([`SignedData::check_x509_choices`])
    /// with version v1, v2 or v3, or another CertificateChoices alternative
    /// (RFC 5652 section 10.2.2: `[0]` to `[3]`, constructed). A verifier
    /// calls this to reject garbage in the certificate set. OpenSSL 3.0
    /// rejects a member with another tag, but accepts a certificate whose
    /// version is not 0, 1 or 2, which tsrs rejects on purpose. OpenSSL also
    /// accepts a certificate with malformed times and fails only when it
    /// uses it; [`SignedData::x509_certificates`] skips such a certificate.
    pub fn check_certificate_set(&self) -> Result<()> {
        self.check_x509_choices()?;
        let Some(certificates) = &self.certificates else {
            return Ok(());
        };
        for (index, choice) in certificates.iter().enumerate() {
            let problem = match choice.tag() {
                Tag::Sequence => match choice.to_der().map(|der| certificate_version(&der)) {
                    Ok(None | Some(0..=2)) => continue,
                    Ok(Some(version)) => format!(
                        "does not parse as a certificate: version byte {version:#04x} is not v1, v2 or v3"
                    ),
                    Err(e) => format!("does not encode: {e}"),
                },
                Tag::ContextSpecific {
                    constructed: true,
                    number,
                } if number.value() <= 3 => continue,
                tag => format!("has tag {tag}, which no CertificateChoices alternative has"),
            };
            return Err(bad_token(
                Reason::BadToken,
                &format!("garbage in the certificate set: entry {index} {problem}"),
            ));
        }
        Ok(())
    }

    /// Checks each certificate set member that is a plain certificate (a
    /// universal SEQUENCE) as OpenSSL's `d2i_X509` would, since OpenSSL
    /// fails to decode a token whose certificate set contains one it rejects.
    /// The other CertificateChoices alternatives are kept as encoded.
    pub fn check_x509_choices(&self) -> Result<()> {
        let Some(certificates) = &self.certificates else {
            return Ok(());
        };
        for (index, choice) in certificates.iter().enumerate() {
            match choice.tag() {
                Tag::Sequence => {}
                Tag::ContextSpecific {
                    constructed: true,
                    number,
                } if number.value() <= 3 => continue,
                tag => {
                    return Err(bad_token(
                        Reason::BadToken,
                        &format!(
                            "garbage in the certificate set: entry {index} has tag {tag}, which no CertificateChoices alternative has"
                        ),
                    )
                    .with_record(lib::ASN1, "asn1_check_tlen", "wrong tag", ""));
                }
            }
            let der = choice
                .to_der()
                .map_err(|e| Error::encode("certificate set member", e))?;
            check_d2i_certificate(&der).map_err(|fault| {
                d2i_error(
                    &format!("certificate {index} of the certificate set"),
                    fault,
                    "X509",
                )
            })?;
        }
        Ok(())
    }

    /// The certificate set members that are not plain certificates.
    pub fn other_certificates(&self) -> Vec<OtherCertificate> {
        let Some(certificates) = &self.certificates else {
            return Vec::new();
        };
        certificates
            .iter()
            .filter(|any| any.tag() != Tag::Sequence)
            .filter_map(|any| {
                Some(OtherCertificate {
                    tag: any.tag(),
                    der: any.to_der().ok()?,
                })
            })
            .collect()
    }
}

/// A parsed time-stamp token: ContentInfo, SignedData and the TSTInfo inside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampToken {
    /// The outer ContentInfo.
    pub content_info: ContentInfo,
    /// The SignedData inside it.
    pub signed_data: SignedData,
    /// The TSTInfo the token signs.
    pub tst_info: TstInfo,
    /// The eContent octets: the encoded TSTInfo that the message digest covers.
    pub tst_info_der: Vec<u8>,
    /// The encodings as sent of the parts that signatures cover, when the
    /// token was read from BER; empty for a token built in memory.
    pub original: OriginalEncodings,
}

/// The encodings as sent of the parts of a token that signatures cover.
///
/// Signatures are checked over the bytes as sent, not over their DER form,
/// as OpenSSL checks them (it keeps the original TBSCertificate and attribute
/// values). Each entry is keyed by the decoded value, so a part that was
/// changed after decoding falls back to its DER encoding.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OriginalEncodings {
    /// Each signer's signed attributes, with their bytes as sent under the
    /// SET OF tag.
    signed_attrs: Vec<(SetOf<Attribute>, Vec<u8>)>,
    /// The DER of each certificate set member sent in another encoding,
    /// with the bytes as sent.
    certificates: Vec<(Vec<u8>, Vec<u8>)>,
    /// The token's DER as decoded, with the encoding OpenSSL writes for it
    /// (see [`openssl_token_encoding`]), when the two differ.
    token: Option<(Vec<u8>, Vec<u8>)>,
}

/// The SET OF identifier octet that replaces `[0] IMPLICIT` when signed
/// attributes are hashed (RFC 5652 section 5.4).
const SET_OF_TAG: u8 = 0x31;
/// The identifier octet of `[0] IMPLICIT SignedAttributes`.
const SIGNED_ATTRS_TAG: u8 = 0xA0;
/// The identifier octet of `[0] IMPLICIT CertificateSet`.
const CERTIFICATES_TAG: u8 = 0xA0;

impl OriginalEncodings {
    /// Finds the certificate set members and signed attributes of the
    /// ContentInfo in `token` and records their input bytes.
    fn find(token: &Normalized<'_>) -> OriginalEncodings {
        let mut found = OriginalEncodings::default();
        let der = token.der();
        let Some(fields) = signed_data_fields(der) else {
            return found;
        };
        for &field in &fields {
            match der.get(field) {
                Some(&CERTIFICATES_TAG) => found.find_certificates(token, field),
                Some(&SET_OF_TAG) => found.find_signed_attrs(token, field),
                _ => {}
            }
        }
        found
    }

    fn find_certificates(&mut self, token: &Normalized<'_>, set: usize) {
        let der = token.der();
        for member in der_children(der, set).unwrap_or_default() {
            let (Some(encoded), Some(sent)) = (der_element(der, member), token.original(member))
            else {
                continue;
            };
            if encoded != sent {
                self.certificates.push((encoded.to_vec(), sent.to_vec()));
            }
        }
    }

    fn find_signed_attrs(&mut self, token: &Normalized<'_>, signer_infos: usize) {
        let der = token.der();
        for signer_info in der_children(der, signer_infos).unwrap_or_default() {
            let attrs = der_children(der, signer_info)
                .unwrap_or_default()
                .into_iter()
                .find(|&field| der.get(field) == Some(&SIGNED_ATTRS_TAG));
            let Some(attrs) = attrs else {
                continue;
            };
            let (Some(encoded), Some(signed)) = (
                der_element(der, attrs),
                openssl_signed_attrs_encoding(token, attrs),
            ) else {
                continue;
            };
            let mut encoded = encoded.to_vec();
            encoded[0] = SET_OF_TAG;
            if let Ok(value) = decode_der::<SetOf<Attribute>>("signed attributes", &encoded) {
                self.signed_attrs.push((value, signed));
            }
        }
    }
}

/// Encodes the signed attributes at `attrs` in `token` as OpenSSL 3.0
/// digests them: the SET OF, each Attribute and its OBJECT IDENTIFIER
/// re-encoded as DER, and each value as OpenSSL's ANY decoder keeps it. A
/// SEQUENCE, a SET or a non-universal value is kept as sent, and any other
/// value is re-encoded as DER. The values of one attribute are sorted as DER
/// sorts a SET OF, and the attributes keep their order.
fn openssl_signed_attrs_encoding(token: &Normalized<'_>, attrs: usize) -> Option<Vec<u8>> {
    let der = token.der();
    let mut attributes = Vec::new();
    for attribute in der_children(der, attrs)? {
        let mut fields = Vec::new();
        for (index, field) in der_children(der, attribute)?.into_iter().enumerate() {
            if index != 1 || der.get(field) != Some(&SET_OF_TAG) {
                fields.extend_from_slice(der_element(der, field)?);
                continue;
            }
            let mut values = Vec::new();
            for value in der_children(der, field)? {
                let tag = *der.get(value)?;
                let kept_as_sent = tag & 0xC0 != 0 || tag == 0x30 || tag == SET_OF_TAG;
                values.push(if kept_as_sent {
                    token.original(value)?
                } else {
                    der_element(der, value)?
                });
            }
            values.sort_by(|a, b| super::der_set_order(a, b));
            push_element(SET_OF_TAG, &values.concat(), &mut fields);
        }
        push_element(0x30, &fields, &mut attributes);
    }
    let mut out = Vec::new();
    push_element(SET_OF_TAG, &attributes, &mut out);
    Some(out)
}

/// Encodes the token in `token` as OpenSSL 3.0's `i2d_PKCS7` writes it after
/// `d2i_PKCS7`. That is DER, except for the parts whose encoding OpenSSL
/// keeps as received: each certificate's TBSCertificate, each CRL's
/// TBSCertList, the signer's issuer Name, and attribute values and
/// AlgorithmIdentifier parameters that are a SEQUENCE, a SET or
/// non-universal. The SET OF fields that OpenSSL sorts (digestAlgorithms,
/// crls, signerInfos, unsigned attributes, attribute values) are sorted.
fn openssl_token_encoding(token: &Normalized<'_>) -> Option<Vec<u8>> {
    let der = token.der();
    let whole = |offset: usize| der_element(der, offset).map(<[u8]>::to_vec);
    let content_info = der_children(der, 0)?;
    let (&content_type, &content) = (content_info.first()?, content_info.get(1)?);
    let signed_data = *der_children(der, content)?.first()?;

    let mut fields = Vec::new();
    for field in der_children(der, signed_data)? {
        match *der.get(field)? {
            0x31 | 0xA1 => {
                let mut members = Vec::new();
                for member in der_children(der, field)? {
                    members.push(match (*der.get(field)?, *der.get(member)?) {
                        (0xA1, 0x30) => with_first_as_sent(token, member)?,
                        (0x31, 0x30) if is_signer_info(der, member) => {
                            openssl_signer_info(token, member)?
                        }
                        (0x31, 0x30) => openssl_algorithm(token, member)?,
                        _ => whole(member)?,
                    });
                }
                fields.push((*der.get(field)?, members, true));
            }
            0xA0 => {
                let mut members = Vec::new();
                for member in der_children(der, field)? {
                    members.push(match der.get(member)? {
                        0x30 => with_first_as_sent(token, member)?,
                        _ => whole(member)?,
                    });
                }
                fields.push((0xA0, members, false));
            }
            _ => fields.push((0, vec![whole(field)?], false)),
        }
    }

    let mut signed_data_content = Vec::new();
    for (tag, mut members, sorted) in fields {
        if sorted {
            members.sort_by(|a, b| super::der_set_order(a, b));
        }
        if tag == 0 {
            signed_data_content.extend(members.concat());
        } else {
            push_element(tag, &members.concat(), &mut signed_data_content);
        }
    }
    let mut explicit = Vec::new();
    push_element(0x30, &signed_data_content, &mut explicit);
    let mut content_info_content = whole(content_type)?;
    push_element(*der.get(content)?, &explicit, &mut content_info_content);
    let mut out = Vec::new();
    push_element(0x30, &content_info_content, &mut out);
    Some(out)
}

/// Returns whether the SEQUENCE at `offset` inside a SignedData SET is a SignerInfo
/// (it starts with an INTEGER) rather than an AlgorithmIdentifier.
fn is_signer_info(der: &[u8], offset: usize) -> bool {
    der_children(der, offset)
        .and_then(|fields| fields.first().copied())
        .is_some_and(|first| der.get(first) == Some(&0x02))
}

/// Encodes a certificate or CRL as OpenSSL writes it: the first field (the signed
/// part, whose encoding OpenSSL keeps) as received, the rest as DER.
fn with_first_as_sent(token: &Normalized<'_>, offset: usize) -> Option<Vec<u8>> {
    let der = token.der();
    let fields = der_children(der, offset)?;
    let mut content = token.original(*fields.first()?)?.to_vec();
    for &field in fields.get(1..)? {
        content.extend_from_slice(der_element(der, field)?);
    }
    let mut out = Vec::new();
    push_element(0x30, &content, &mut out);
    Some(out)
}

/// Returns whether OpenSSL keeps an ANY value with this DER identifier octet as
/// received: a SEQUENCE, a SET or a non-universal value.
fn is_kept_as_sent(tag: u8) -> bool {
    tag & 0xC0 != 0 || tag == 0x30 || tag == SET_OF_TAG
}

/// Encodes an ANY value as OpenSSL writes it.
fn openssl_any(token: &Normalized<'_>, offset: usize) -> Option<Vec<u8>> {
    let der = token.der();
    if is_kept_as_sent(*der.get(offset)?) {
        token.original(offset).map(<[u8]>::to_vec)
    } else {
        der_element(der, offset).map(<[u8]>::to_vec)
    }
}

/// Encodes an AlgorithmIdentifier as OpenSSL writes it, its parameters as an ANY.
fn openssl_algorithm(token: &Normalized<'_>, offset: usize) -> Option<Vec<u8>> {
    let der = token.der();
    let mut content = Vec::new();
    for (index, field) in der_children(der, offset)?.into_iter().enumerate() {
        if index == 1 {
            content.extend(openssl_any(token, field)?);
        } else {
            content.extend_from_slice(der_element(der, field)?);
        }
    }
    let mut out = Vec::new();
    push_element(0x30, &content, &mut out);
    Some(out)
}

/// Encodes attributes (`[0]` or `[1]` IMPLICIT) as OpenSSL writes them: each value
/// as an ANY, values sorted, and the attributes sorted when `sort` is set.
fn openssl_attributes(token: &Normalized<'_>, offset: usize, sort: bool) -> Option<Vec<u8>> {
    let der = token.der();
    let mut attributes = Vec::new();
    for attribute in der_children(der, offset)? {
        let mut fields = Vec::new();
        for (index, field) in der_children(der, attribute)?.into_iter().enumerate() {
            if index != 1 || der.get(field) != Some(&SET_OF_TAG) {
                fields.extend_from_slice(der_element(der, field)?);
                continue;
            }
            let mut values = der_children(der, field)?
                .into_iter()
                .map(|value| openssl_any(token, value))
                .collect::<Option<Vec<_>>>()?;
            values.sort_by(|a, b| super::der_set_order(a, b));
            push_element(SET_OF_TAG, &values.concat(), &mut fields);
        }
        let mut encoded = Vec::new();
        push_element(0x30, &fields, &mut encoded);
        attributes.push(encoded);
    }
    if sort {
        attributes.sort_by(|a, b| super::der_set_order(a, b));
    }
    let mut out = Vec::new();
    push_element(*der.get(offset)?, &attributes.concat(), &mut out);
    Some(out)
}

/// Encodes a SignerInfo as OpenSSL writes it.
fn openssl_signer_info(token: &Normalized<'_>, offset: usize) -> Option<Vec<u8>> {
    let der = token.der();
    let mut content = Vec::new();
    for (index, field) in der_children(der, offset)?.into_iter().enumerate() {
        let encoded = match (index, *der.get(field)?) {
            // issuerAndSerialNumber: OpenSSL keeps the Name as received.
            (1, 0x30) => {
                let parts = der_children(der, field)?;
                let mut sid = token.original(*parts.first()?)?.to_vec();
                for &part in parts.get(1..)? {
                    sid.extend_from_slice(der_element(der, part)?);
                }
                let mut out = Vec::new();
                push_element(0x30, &sid, &mut out);
                out
            }
            (_, 0xA0) => openssl_attributes(token, field, false)?,
            (_, 0xA1) => openssl_attributes(token, field, true)?,
            (_, 0x30) => openssl_algorithm(token, field)?,
            _ => der_element(der, field)?.to_vec(),
        };
        content.extend(encoded);
    }
    let mut out = Vec::new();
    push_element(0x30, &content, &mut out);
    Some(out)
}

/// Appends one DER element with a one-octet tag.
fn push_element(tag: u8, content: &[u8], out: &mut Vec<u8>) {
    out.push(tag);
    ber::write_length(content.len(), out);
    out.extend_from_slice(content);
}

/// The offsets of the SignedData fields inside the DER of a ContentInfo.
fn signed_data_fields(der: &[u8]) -> Option<Vec<usize>> {
    let content = *der_children(der, 0)?.get(1)?;
    let signed_data = *der_children(der, content)?.first()?;
    der_children(der, signed_data)
}

/// The error for a value of the token that OpenSSL's decoder rejects, with
/// the entry it raises first and the one naming the type it was decoding.
fn d2i_error(what: &str, fault: D2iFault, type_name: &str) -> Error {
    Error::new(
        Reason::Decode,
        format!(
            "cannot decode time-stamp token: {what} does not decode as OpenSSL reads it: {} at its byte {}",
            fault.reason, fault.offset
        ),
    )
    .with_record(lib::ASN1, fault.function, fault.reason, "")
    .with_record(
        lib::ASN1,
        "asn1_template_noexp_d2i",
        "nested asn1 error",
        format!("Type={type_name}"),
    )
}

fn bad_token(reason: Reason, what: &str) -> Error {
    Error::new(reason, format!("invalid time-stamp token: {what}"))
}

impl TimeStampToken {
    /// Parses a token from BER or DER.
    ///
    /// The checks follow OpenSSL's `PKCS7_to_TS_TST_INFO`: the content must be
    /// signed data, not detached, with eContentType id-smime-ct-TSTInfo in an
    /// OCTET STRING.
    ///
    /// The token keeps the bytes as sent of its signed attributes and
    /// certificates ([`OriginalEncodings`]), because signatures cover them.
    pub fn from_ber(input: &[u8]) -> Result<Self> {
        let normalized = ber::normalize_with_spans(input).map_err(|e| {
            Error::new(
                e.reason(),
                format!("cannot decode time-stamp token: {}", e.message()),
            )
        })?;
        let what = "time-stamp token";
        let mut token = decode_der(what, normalized.der())
            .and_then(TimeStampToken::from_content_info)
            .map_err(|e| normalized.explain(what, e))?;
        token.original = OriginalEncodings::find(&normalized);
        if let Some(openssl) = openssl_token_encoding(&normalized) {
            let der = token.to_der()?;
            if der != openssl {
                token.original.token = Some((der, openssl));
            }
        }
        Ok(token)
    }

    /// Parses the SignedData and TSTInfo inside a decoded ContentInfo.
    pub fn from_content_info(content_info: ContentInfo) -> Result<Self> {
        if content_info.content_type != known::SIGNED_DATA {
            return Err(bad_token(
                Reason::BadToken,
                &format!(
                    "content type is {}, not signed data (bad pkcs7 type)",
                    content_info.content_type
                ),
            ));
        }
        let content = content_info
            .content
            .as_ref()
            .ok_or_else(|| bad_token(Reason::NoContent, "signed data is missing"))?;
        let signed_data_der = content
            .to_der()
            .map_err(|e| Error::encode("signed data", e))?;
        reject_primitive_sets(&signed_data_der)?;
        let signed_data: SignedData = decode_der("time-stamp token signed data", &signed_data_der)?;
        signed_data.check_x509_choices()?;
        for signer_info in signed_data.signer_infos.as_slice() {
            check_signer_info(signer_info)?;
        }
        let encap = &signed_data.encap_content_info;
        if encap.econtent_type != known::TST_INFO {
            return Err(bad_token(
                Reason::BadToken,
                &format!(
                    "encapsulated content type is {}, not id-smime-ct-TSTInfo (bad pkcs7 type)",
                    encap.econtent_type
                ),
            ));
        }
        let econtent = encap
            .econtent
            .as_ref()
            .ok_or_else(|| bad_token(Reason::NoContent, "detached content"))?;
        if econtent.tag() != Tag::OctetString {
            return Err(bad_token(
                Reason::BadToken,
                &format!(
                    "content is a {}, not an OCTET STRING (bad type)",
                    econtent.tag()
                ),
            ));
        }
        let tst_info_der = econtent.value().to_vec();
        check_single_element(&tst_info_der)?;
        let tst_info: TstInfo = super::decode("TSTInfo", &tst_info_der)?;
        check_tsa_name(&tst_info)?;
        Ok(TimeStampToken {
            content_info,
            signed_data,
            tst_info,
            tst_info_der,
            original: OriginalEncodings::default(),
        })
    }

    /// The bytes a signature over `attrs`, the signed attributes of one of
    /// this token's signers, covers (RFC 5652 section 5.4), as OpenSSL 3.0
    /// computes them: headers re-encoded as DER, constructed values as sent
    /// (see [`openssl_signed_attrs_encoding`]). Attributes built or changed
    /// in memory give their DER encoding.
    pub fn signed_attrs_as_sent(&self, attrs: &SetOf<Attribute>) -> Result<Vec<u8>> {
        if let Some((_, sent)) = self
            .original
            .signed_attrs
            .iter()
            .find(|(value, _)| value == attrs)
        {
            return Ok(sent.clone());
        }
        attrs
            .to_der_unsorted()
            .map_err(|e| Error::encode("signed attributes", e))
    }

    /// The encoding as sent of the certificate set member whose DER is `der`.
    pub fn certificate_as_sent<'a>(&'a self, der: &'a [u8]) -> &'a [u8] {
        self.original
            .certificates
            .iter()
            .find(|(encoded, _)| encoded == der)
            .map_or(der, |(_, sent)| sent)
    }

    /// The token as DER.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        let content =
            Any::encode_from(&self.signed_data).map_err(|e| Error::encode("signed data", e))?;
        let content_info = ContentInfo {
            content_type: self.content_info.content_type.clone(),
            content: Some(content),
        };
        super::encode("time-stamp token", &content_info)
    }

    /// Encodes the token as OpenSSL 3.0 writes it after reading it: DER,
    /// except the parts OpenSSL keeps as received (see
    /// [`openssl_token_encoding`]). A token built or changed in memory gives
    /// its DER.
    pub fn to_openssl_encoding(&self) -> Result<Vec<u8>> {
        let der = self.to_der()?;
        Ok(match &self.original.token {
            Some((decoded, openssl)) if *decoded == der => openssl.clone(),
            _ => der,
        })
    }

    /// The single signer, or the error OpenSSL gives when there is not exactly one.
    pub fn signer_info(&self) -> Result<&SignerInfo> {
        match self.signed_data.signer_infos.as_slice() {
            [one] => Ok(one),
            other => Err(Error::new(
                Reason::SignerCount,
                format!("there must be one signer, the token has {}", other.len()),
            )),
        }
    }
}

/// The single content octet of a certificate's explicit version, `None` when
/// the version is absent (v1) or the encoding is not as expected, which the
/// decoder check reports. A longer INTEGER gives 0xff.
fn certificate_version(der: &[u8]) -> Option<u8> {
    let tbs = *der_children(der, 0)?.first()?;
    let first = *der_children(der, tbs)?.first()?;
    if der.get(first) != Some(&0xa0) {
        return None;
    }
    let integer = *der_children(der, first)?.first()?;
    match der_element(der, integer)? {
        [0x02, 0x01, version] => Some(*version),
        _ => Some(0xff),
    }
}

/// Checks the issuer name and the attribute values of a SignerInfo as
/// OpenSSL's decoder would: the name as an X509_NAME, each value as ANY.
fn check_signer_info(signer_info: &SignerInfo) -> Result<()> {
    if let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer_info.sid {
        check_d2i_name(sid.issuer.as_der())
            .map_err(|fault| d2i_error("the signer's issuer name", fault, "X509_NAME"))?;
    }
    let signed = signer_info
        .signed_attrs
        .as_ref()
        .map(|attrs| attrs.as_slice());
    let unsigned = signer_info
        .unsigned_attrs
        .as_ref()
        .map(|attrs| attrs.as_slice());
    for attrs in [signed, unsigned].into_iter().flatten() {
        for attr in attrs {
            for value in attr.attr_values.as_slice() {
                let der = value
                    .to_der()
                    .map_err(|e| Error::encode("attribute value", e))?;
                check_d2i_any(&der).map_err(|fault| {
                    d2i_error(
                        &format!("a value of attribute {}", attr.attr_type),
                        fault,
                        "ASN1_ANY",
                    )
                })?;
            }
        }
    }
    Ok(())
}

/// Checks a directory name in the TSTInfo `tsa` field as OpenSSL's
/// `d2i_X509_NAME` would.
fn check_tsa_name(tst_info: &TstInfo) -> Result<()> {
    let Some(GeneralName::DirectoryName(name)) = &tst_info.tsa else {
        return Ok(());
    };
    let der = name.to_der().map_err(|e| Error::encode("TSA name", e))?;
    check_d2i_name(&der).map_err(|fault| d2i_error("the TSTInfo tsa name", fault, "X509_NAME"))
}

/// Rejects a primitive `[0]` (certificates) or `[1]` (crls) in SignedData.
/// Both are SETs, and the decoder would otherwise read content that the BER
/// normalizer never checked, which then re-encodes as invalid BER.
fn reject_primitive_sets(signed_data_der: &[u8]) -> Result<()> {
    let bad = |e: der::Error| Error::decode("time-stamp token signed data", e);
    let outer = der::asn1::AnyRef::from_der(signed_data_der).map_err(bad)?;
    let mut reader = der::SliceReader::new(outer.value()).map_err(bad)?;
    while !der::Reader::is_finished(&reader) {
        let field = der::asn1::AnyRef::decode(&mut reader).map_err(bad)?;
        if field.tag() == context_tag(0, false) || field.tag() == context_tag(1, false) {
            return Err(bad_token(
                Reason::Decode,
                &format!("signed data field {} is primitive, not a SET", field.tag()),
            ));
        }
    }
    Ok(())
}

/// Rejects eContent with bytes after the TSTInfo. OpenSSL 3.0 ignores them,
/// but tsrs rejects them because the message digest covers bytes nothing reads.
fn check_single_element(econtent: &[u8]) -> Result<()> {
    let Ok(len) = ber::element_len(econtent) else {
        // The TSTInfo decoder reports the malformed encoding.
        return Ok(());
    };
    if len < econtent.len() {
        return Err(bad_token(
            Reason::BadToken,
            &format!(
                "the eContent has {} bytes after the {len}-byte TSTInfo; a TSTInfo must fill the eContent",
                econtent.len() - len
            ),
        ));
    }
    Ok(())
}

/// The context tag `[n]`, constructed or not.
pub fn context_tag(number: u32, constructed: bool) -> Tag {
    Tag::ContextSpecific {
        constructed,
        number: TagNumber(number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_signed_data_is_rejected() {
        // ContentInfo { pkcs7-data }
        let der = [
            0x30, 0x0B, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01,
        ];
        let err = TimeStampToken::from_ber(&der).unwrap_err();
        assert_eq!(err.reason(), Reason::BadToken);
    }

    fn algorithm() -> AlgorithmIdentifier {
        AlgorithmIdentifier {
            oid: known::DATA.into(),
            parameters: None,
        }
    }

    fn signer_info(version: u8, sid: SignerIdentifier) -> SignerInfo {
        SignerInfo {
            version: Int::new(&[version]).unwrap(),
            sid,
            digest_algorithm: algorithm(),
            signed_attrs: None,
            signature_algorithm: algorithm(),
            signature: OctetString::new(vec![0]).unwrap(),
            unsigned_attrs: None,
        }
    }

    fn signed_data(certificates: Vec<Any>) -> SignedData {
        SignedData {
            version: Int::new(&[3]).unwrap(),
            digest_algorithms: SetOf(Vec::new()),
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: known::TST_INFO.into(),
                econtent: None,
            },
            certificates: Some(certificates),
            crls: None,
            signer_infos: SetOf(Vec::new()),
        }
    }

    #[test]
    fn attribute_value_of_any_tag_round_trips() {
        // contentType with an ObjectDescriptor value, which `Any` cannot hold.
        let der = [
            0x30, 0x0a, 0x06, 0x03, 0x2a, 0x03, 0x04, 0x31, 0x03, 0x07, 0x01, 0x41,
        ];
        let attribute = Attribute::from_der(&der).unwrap();
        let value = &attribute.attr_values.as_slice()[0];
        assert_eq!(value, &AnyValue::Other(vec![0x07, 0x01, 0x41]));
        assert!(value.any().is_none());
        assert_eq!(attribute.to_der().unwrap(), der);
    }

    #[test]
    fn signer_info_version_follows_identifier() {
        let issuer_serial = || {
            SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: EncodedName::from_name(&x509_cert::name::Name::default()).unwrap(),
                serial_number: Int::new(&[1]).unwrap(),
            })
        };
        let key_id = || SignerIdentifier::SubjectKeyIdentifier(OctetString::new(vec![1]).unwrap());
        assert!(signer_info(1, issuer_serial()).check_version().is_ok());
        assert!(signer_info(3, key_id()).check_version().is_ok());
        let err = signer_info(2, issuer_serial()).check_version().unwrap_err();
        assert_eq!(err.reason(), Reason::BadToken);
        assert!(err.to_string().contains("version is 2"), "{err}");
        assert!(signer_info(1, key_id()).check_version().is_err());
    }

    #[test]
    fn certificate_set_rejects_garbage() {
        let attribute_cert = Any::new(context_tag(2, true), vec![0x05, 0x00]).unwrap();
        assert!(
            signed_data(vec![attribute_cert])
                .check_certificate_set()
                .is_ok()
        );

        let octets = Any::new(Tag::OctetString, b"x".to_vec()).unwrap();
        let err = signed_data(vec![octets])
            .check_certificate_set()
            .unwrap_err();
        assert_eq!(err.reason(), Reason::BadToken);
        assert!(
            err.to_string().contains("garbage in the certificate set"),
            "{err}"
        );

        let broken_cert = Any::new(Tag::Sequence, vec![0x02, 0x01, 0x01]).unwrap();
        let err = signed_data(vec![broken_cert])
            .check_certificate_set()
            .unwrap_err();
        assert_eq!(err.reason(), Reason::Decode);
        assert!(
            err.to_string()
                .contains("certificate 0 of the certificate set does not decode"),
            "{err}"
        );
        assert_eq!(err.records()[0].reason, "wrong tag");
    }

    #[test]
    fn garbage_is_a_decode_error() {
        let err = TimeStampToken::from_ber(&[0x30, 0x03, 0x02]).unwrap_err();
        assert_eq!(err.reason(), Reason::Decode);
    }
}
