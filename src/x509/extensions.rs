//! The certificate extensions path validation reads, decoded once when a
//! certificate is parsed, with the flags OpenSSL 3.0 derives from them in
//! `ossl_x509v3_cache_extensions` (crypto/x509/v3_purp.c).
//!
//! A recognised extension that does not decode, or that appears twice, makes
//! OpenSSL mark the whole certificate invalid; [`CertExtensions::invalid`]
//! records why.

use der::Tagged;
use der::asn1::{Any, ObjectIdentifier};
use der::{Decode, DecodeOwned, Encode, SliceReader, Tag, TagNumber};
use x509_cert::ext::Extension;
use x509_cert::name::Name;

use super::name::canonical_encoding;
use super::oids;
use crate::asn1::{GeneralName, ber};

/// Every reason bit of a CRL distribution point (OpenSSL's `CRLDP_ALL_REASONS`).
pub const ALL_REASONS: u16 = 0x807F;

/// The extensions OpenSSL's verifier processes: a critical extension outside
/// this list is an "unhandled critical extension" (`X509_supported_extension`).
const SUPPORTED: &[ObjectIdentifier] = &[
    oids::NETSCAPE_CERT_TYPE,
    oids::KEY_USAGE,
    oids::SUBJECT_ALT_NAME,
    oids::BASIC_CONSTRAINTS,
    oids::CERTIFICATE_POLICIES,
    oids::CRL_DISTRIBUTION_POINTS,
    oids::EXT_KEY_USAGE,
    oids::IP_ADDR_BLOCKS,
    oids::AUTONOMOUS_SYS_IDS,
    oids::OCSP_NO_CHECK,
    oids::POLICY_CONSTRAINTS,
    oids::PROXY_CERT_INFO,
    oids::NAME_CONSTRAINTS,
    oids::POLICY_MAPPINGS,
    oids::INHIBIT_ANY_POLICY,
];

/// basicConstraints (RFC 5280 section 4.2.1.9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicConstraints {
    /// The cA flag.
    pub ca: bool,
    /// pathLenConstraint. A value too large for OpenSSL's `long` reads as absent,
    /// as `ASN1_INTEGER_get` makes it.
    pub path_len: Option<u64>,
    /// Whether the extension is marked critical.
    pub critical: bool,
}

/// keyUsage bits, in OpenSSL's layout: the first content byte in the low
/// eight bits, the second (decipherOnly) in bit 15.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// digitalSignature.
    pub const DIGITAL_SIGNATURE: u16 = 0x0080;
    /// nonRepudiation (contentCommitment).
    pub const NON_REPUDIATION: u16 = 0x0040;
    /// keyEncipherment.
    pub const KEY_ENCIPHERMENT: u16 = 0x0020;
    /// dataEncipherment.
    pub const DATA_ENCIPHERMENT: u16 = 0x0010;
    /// keyAgreement.
    pub const KEY_AGREEMENT: u16 = 0x0008;
    /// keyCertSign.
    pub const KEY_CERT_SIGN: u16 = 0x0004;
    /// cRLSign.
    pub const CRL_SIGN: u16 = 0x0002;
    /// encipherOnly.
    pub const ENCIPHER_ONLY: u16 = 0x0001;
    /// decipherOnly.
    pub const DECIPHER_ONLY: u16 = 0x8000;

    /// Whether any of `bits` is set.
    pub fn contains_any(self, bits: u16) -> bool {
        self.0 & bits != 0
    }
}

/// extendedKeyUsage (RFC 5280 section 4.2.1.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtendedKeyUsage {
    /// The key purposes, in encoded order.
    pub purposes: Vec<ObjectIdentifier>,
    /// Whether the extension is marked critical.
    pub critical: bool,
}

/// The purposes OpenSSL recognises in an extendedKeyUsage (its `XKU_*` bits).
pub(crate) mod xku {
    pub const SSL_SERVER: u16 = 0x1;
    pub const SSL_CLIENT: u16 = 0x2;
    pub const SMIME: u16 = 0x4;
    pub const CODE_SIGN: u16 = 0x8;
    pub const SGC: u16 = 0x10;
    pub const OCSP_SIGN: u16 = 0x20;
    pub const TIMESTAMP: u16 = 0x40;
    pub const DVCS: u16 = 0x80;
    pub const ANY: u16 = 0x100;
}

impl ExtendedKeyUsage {
    /// The recognised purposes as OpenSSL's `ex_xkusage` bits; unknown OIDs add nothing.
    pub(crate) fn known_bits(&self) -> u16 {
        self.purposes.iter().fold(0, |bits, oid| {
            bits | match *oid {
                oids::KP_SERVER_AUTH => xku::SSL_SERVER,
                oids::KP_CLIENT_AUTH => xku::SSL_CLIENT,
                oids::KP_EMAIL_PROTECTION => xku::SMIME,
                oids::KP_CODE_SIGNING => xku::CODE_SIGN,
                oids::MS_SGC | oids::NS_SGC => xku::SGC,
                oids::KP_OCSP_SIGNING => xku::OCSP_SIGN,
                oids::KP_TIME_STAMPING => xku::TIMESTAMP,
                oids::KP_DVCS => xku::DVCS,
                oids::ANY_EXTENDED_KEY_USAGE => xku::ANY,
                _ => 0,
            }
        })
    }
}

/// authorityKeyIdentifier (RFC 5280 section 4.2.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityKeyIdentifier {
    /// keyIdentifier.
    pub key_id: Option<Vec<u8>>,
    /// authorityCertIssuer.
    pub issuer: Option<Vec<GeneralName>>,
    /// authorityCertSerialNumber, as INTEGER content octets.
    pub serial: Option<Vec<u8>>,
}

/// One GeneralSubtree of a nameConstraints extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneralSubtree {
    /// The base name.
    pub base: GeneralName,
    /// Whether minimum is not 0 or maximum is present, which OpenSSL rejects.
    pub has_min_or_max: bool,
}

/// nameConstraints (RFC 5280 section 4.2.1.10).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameConstraints {
    /// permittedSubtrees.
    pub permitted: Vec<GeneralSubtree>,
    /// excludedSubtrees.
    pub excluded: Vec<GeneralSubtree>,
}

/// DistributionPointName, with a relative name already joined to its issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DistributionPointName {
    /// fullName.
    FullName(Vec<GeneralName>),
    /// nameRelativeToCRLIssuer, as the canonical encoding of the CRL issuer's
    /// name with the relative RDN appended (`DIST_POINT_set_dpname`).
    Relative(Vec<u8>),
}

/// One DistributionPoint of a cRLDistributionPoints extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionPoint {
    /// distributionPoint.
    pub name: Option<DistributionPointName>,
    /// reasons, as OpenSSL's reason bits (all reasons, 0x807F, when absent).
    pub reasons: u16,
    /// cRLIssuer.
    pub crl_issuer: Option<Vec<GeneralName>>,
}

/// The decoded extensions of a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CertExtensions {
    /// basicConstraints.
    pub basic_constraints: Option<BasicConstraints>,
    /// keyUsage.
    pub key_usage: Option<KeyUsage>,
    /// extendedKeyUsage.
    pub extended_key_usage: Option<ExtendedKeyUsage>,
    /// subjectKeyIdentifier.
    pub subject_key_id: Option<Vec<u8>>,
    /// authorityKeyIdentifier.
    pub authority_key_id: Option<AuthorityKeyIdentifier>,
    /// The entries of every subjectAltName extension, in order.
    pub subject_alt_names: Vec<GeneralName>,
    /// The subjectAltName as OpenSSL keeps it: present only when exactly one
    /// such extension decodes.
    pub subject_alt_name: Option<Vec<GeneralName>>,
    /// nameConstraints.
    pub name_constraints: Option<NameConstraints>,
    /// cRLDistributionPoints.
    pub crl_distribution_points: Option<Vec<DistributionPoint>>,
    /// The first byte of a Netscape certificate type extension.
    pub netscape_cert_type: Option<u8>,
    /// Whether a proxyCertInfo extension (RFC 3820) is present and decodes.
    pub proxy: bool,
    /// Its pCPathLenConstraint, as `ASN1_INTEGER_get` reads it: `None` when
    /// absent, -1 or too large for a `long`.
    pub proxy_path_len: Option<i64>,
    /// Whether a freshestCRL extension is present.
    pub freshest_crl: bool,
    /// The critical extensions OpenSSL's verifier does not process, in order.
    pub unhandled_critical: Vec<ObjectIdentifier>,
    /// Why OpenSSL would mark the certificate invalid, if it would.
    pub invalid: Option<String>,
    /// Criticality of basicConstraints, authorityKeyIdentifier,
    /// subjectKeyIdentifier and subjectAltName, as OpenSSL records it: only for
    /// extensions before the first unhandled critical one.
    pub(crate) critical_flags: CriticalFlags,
}

/// Criticality flags OpenSSL's strict checks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct CriticalFlags {
    pub basic_constraints: bool,
    pub authority_key_id: bool,
    pub subject_key_id: bool,
    pub subject_alt_name: bool,
}

impl CertExtensions {
    /// Decodes the extensions of a certificate whose issuer is `issuer`.
    pub(crate) fn decode(extensions: &[Extension], issuer: &Name) -> CertExtensions {
        let mut decoder = Decoder {
            extensions,
            out: CertExtensions::default(),
        };
        decoder.run(issuer);
        decoder.out
    }
}

struct Decoder<'a> {
    extensions: &'a [Extension],
    out: CertExtensions,
}

impl Decoder<'_> {
    fn run(&mut self, issuer: &Name) {
        self.basic_constraints();
        self.proxy();
        self.key_usage();
        self.extended_key_usage();
        self.netscape_cert_type();
        self.out.subject_key_id = self
            .single(
                &oids::SUBJECT_KEY_IDENTIFIER,
                "subjectKeyIdentifier",
                |value| {
                    decode_prefix::<der::asn1::OctetString>(value)
                        .map(|octets| octets.as_bytes().to_vec())
                },
            )
            .map(|(_, id)| id);
        self.out.authority_key_id = self
            .single(
                &oids::AUTHORITY_KEY_IDENTIFIER,
                "authorityKeyIdentifier",
                decode_akid,
            )
            .map(|(_, akid)| akid);
        self.subject_alt_names();
        self.out.name_constraints = self
            .single(
                &oids::NAME_CONSTRAINTS,
                "nameConstraints",
                decode_name_constraints,
            )
            .map(|(_, nc)| nc);
        self.out.crl_distribution_points = self
            .single(
                &oids::CRL_DISTRIBUTION_POINTS,
                "cRLDistributionPoints",
                |value| decode_crl_distribution_points(value, issuer),
            )
            .map(|(_, points)| points);
        self.criticality();
    }

    /// Decodes the one extension of type `oid`, as `X509_get_ext_d2i` does: a
    /// duplicate or a value that does not decode marks the certificate invalid.
    fn single<T>(
        &mut self,
        oid: &ObjectIdentifier,
        name: &str,
        decode: impl Fn(&[u8]) -> Option<T>,
    ) -> Option<(bool, T)> {
        let mut found = self.extensions.iter().filter(|e| e.extn_id == *oid);
        let first = found.next()?;
        if found.next().is_some() {
            self.mark_invalid(format!("the {name} extension appears more than once"));
            return None;
        }
        match decode(first.extn_value.as_bytes()) {
            Some(value) => Some((first.critical, value)),
            None => {
                self.mark_invalid(format!("the {name} extension is malformed"));
                None
            }
        }
    }

    fn mark_invalid(&mut self, reason: String) {
        if self.out.invalid.is_none() {
            self.out.invalid = Some(reason);
        }
    }

    fn basic_constraints(&mut self) {
        let Some((critical, (ca, path_len))) = self.single(
            &oids::BASIC_CONSTRAINTS,
            "basicConstraints",
            decode_basic_constraints,
        ) else {
            return;
        };
        let path_len = match path_len {
            PathLen::Absent => None,
            PathLen::Value(value) => Some(value),
            PathLen::TooLarge => None,
            PathLen::Negative => {
                self.mark_invalid("the basicConstraints path length is negative".into());
                None
            }
        };
        self.out.basic_constraints = Some(BasicConstraints {
            ca,
            path_len,
            critical,
        });
    }

    fn proxy(&mut self) {
        let Some((_, path_len)) = self.single(
            &oids::PROXY_CERT_INFO,
            "proxyCertInfo",
            decode_proxy_cert_info,
        ) else {
            return;
        };
        self.out.proxy = true;
        self.out.proxy_path_len = path_len;
        let is_ca = self.out.basic_constraints.as_ref().is_some_and(|bc| bc.ca);
        let has_alt_name = self
            .extensions
            .iter()
            .any(|e| e.extn_id == oids::SUBJECT_ALT_NAME || e.extn_id == oids::ISSUER_ALT_NAME);
        if is_ca || has_alt_name {
            self.mark_invalid("a proxy certificate is a CA or has alternative names".into());
        }
    }

    fn key_usage(&mut self) {
        let Some((_, bytes)) = self.single(&oids::KEY_USAGE, "keyUsage", decode_bit_string) else {
            return;
        };
        let bits = u16::from(bytes.first().copied().unwrap_or(0))
            | (u16::from(bytes.get(1).copied().unwrap_or(0)) << 8);
        if bits == 0 {
            self.mark_invalid("the keyUsage extension is empty".into());
        }
        self.out.key_usage = Some(KeyUsage(bits));
    }

    fn extended_key_usage(&mut self) {
        self.out.extended_key_usage = self
            .single(
                &oids::EXT_KEY_USAGE,
                "extendedKeyUsage",
                decode_prefix::<Vec<ObjectIdentifier>>,
            )
            .map(|(critical, purposes)| ExtendedKeyUsage { purposes, critical });
    }

    fn netscape_cert_type(&mut self) {
        self.out.netscape_cert_type = self
            .single(
                &oids::NETSCAPE_CERT_TYPE,
                "Netscape certificate type",
                decode_bit_string,
            )
            .map(|(_, bytes)| bytes.first().copied().unwrap_or(0));
    }

    fn subject_alt_names(&mut self) {
        for extension in self
            .extensions
            .iter()
            .filter(|e| e.extn_id == oids::SUBJECT_ALT_NAME)
        {
            if let Some(names) = decode_general_names_value(extension.extn_value.as_bytes()) {
                self.out.subject_alt_names.extend(names);
            }
        }
        self.out.subject_alt_name = self
            .single(
                &oids::SUBJECT_ALT_NAME,
                "subjectAltName",
                decode_general_names_value,
            )
            .map(|(_, names)| names);
    }

    fn criticality(&mut self) {
        let mut flags = CriticalFlags::default();
        let mut stopped = false;
        for extension in self.extensions {
            // OpenSSL stops reading flags at the first unhandled critical extension.
            if extension.extn_id == oids::FRESHEST_CRL && !stopped {
                self.out.freshest_crl = true;
            }
            if !extension.critical {
                continue;
            }
            if !SUPPORTED.contains(&extension.extn_id) {
                self.out.unhandled_critical.push(extension.extn_id);
                stopped = true;
                continue;
            }
            if stopped {
                continue;
            }
            match extension.extn_id {
                oids::BASIC_CONSTRAINTS => flags.basic_constraints = true,
                oids::AUTHORITY_KEY_IDENTIFIER => flags.authority_key_id = true,
                oids::SUBJECT_KEY_IDENTIFIER => flags.subject_key_id = true,
                oids::SUBJECT_ALT_NAME => flags.subject_alt_name = true,
                _ => {}
            }
        }
        self.out.critical_flags = flags;
    }
}

/// Decodes the first BER element of an extension value as `T`. Like OpenSSL's
/// `X509V3_EXT_d2i`, bytes after that element are ignored.
pub(crate) fn decode_prefix<T: DecodeOwned<Error = der::Error>>(value: &[u8]) -> Option<T> {
    let len = ber::element_len(value).ok()?;
    let der = ber::normalize(value.get(..len)?).ok()?;
    crate::asn1::decode_der("extension", &der).ok()
}

/// The elements of a DER constructed value's content octets.
pub(crate) fn elements(content: &[u8]) -> der::Result<Vec<Any>> {
    let mut reader = SliceReader::new(content)?;
    let mut out = Vec::new();
    while !der::Reader::is_finished(&reader) {
        out.push(Any::decode(&mut reader)?);
    }
    Ok(out)
}

/// The GeneralNames in a DER content octet string.
pub(crate) fn general_names(content: &[u8]) -> der::Result<Vec<GeneralName>> {
    let mut reader = SliceReader::new(content)?;
    let mut out = Vec::new();
    while !der::Reader::is_finished(&reader) {
        out.push(GeneralName::decode(&mut reader)?);
    }
    Ok(out)
}

fn context_number(tag: Tag) -> Option<(u32, bool)> {
    match tag {
        Tag::ContextSpecific {
            constructed,
            number: TagNumber(number),
        } => Some((number, constructed)),
        _ => None,
    }
}

/// The content octets of the SEQUENCE an extension value holds.
fn sequence_content(value: &[u8]) -> Option<Vec<u8>> {
    let any = decode_prefix::<Any>(value)?;
    (any.tag() == Tag::Sequence).then(|| any.value().to_vec())
}

fn decode_general_names_value(value: &[u8]) -> Option<Vec<GeneralName>> {
    general_names(&sequence_content(value)?).ok()
}

enum PathLen {
    Absent,
    Value(u64),
    TooLarge,
    Negative,
}

fn decode_basic_constraints(value: &[u8]) -> Option<(bool, PathLen)> {
    let fields = elements(&sequence_content(value)?).ok()?;
    let mut fields = fields.iter().peekable();
    let mut ca = false;
    if let Some(field) = fields.next_if(|f| f.tag() == Tag::Boolean) {
        ca = field.decode_as::<bool>().ok()?;
    }
    let mut path_len = PathLen::Absent;
    if let Some(field) = fields.next_if(|f| f.tag() == Tag::Integer) {
        let int: der::asn1::Int = field.decode_as().ok()?;
        let bytes = int.as_bytes();
        path_len = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
            PathLen::Negative
        } else if bytes.len() > 8 || (bytes.len() == 8 && bytes[0] & 0x80 != 0) {
            PathLen::TooLarge
        } else {
            PathLen::Value(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
        };
    }
    fields.next().is_none().then_some((ca, path_len))
}

/// ProxyCertInfoExtension ::= SEQUENCE { pCPathLenConstraint INTEGER
/// OPTIONAL, proxyPolicy SEQUENCE { policyLanguage OID, policy OCTET STRING
/// OPTIONAL } } (RFC 3820 section 3.8): the path length constraint.
fn decode_proxy_cert_info(value: &[u8]) -> Option<Option<i64>> {
    let fields = elements(&sequence_content(value)?).ok()?;
    let mut fields = fields.iter().peekable();
    let mut path_len = None;
    if let Some(field) = fields.next_if(|f| f.tag() == Tag::Integer) {
        let int: der::asn1::Int = field.decode_as().ok()?;
        path_len = long_value(int.as_bytes()).filter(|value| *value != -1);
    }
    let policy = fields.next().filter(|f| f.tag() == Tag::Sequence)?;
    let inner = elements(policy.value()).ok()?;
    let language_ok = |any: &Any| any.decode_as::<ObjectIdentifier>().is_ok();
    let valid = match inner.as_slice() {
        [language] => language_ok(language),
        [language, policy] => language_ok(language) && policy.tag() == Tag::OctetString,
        _ => false,
    };
    (valid && fields.next().is_none()).then_some(path_len)
}

/// Two's complement INTEGER bytes as an `i64`, or `None` when too large.
fn long_value(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() > 8 {
        return None;
    }
    let negative = bytes[0] & 0x80 != 0;
    let start: i64 = if negative { -1 } else { 0 };
    Some(
        bytes
            .iter()
            .fold(start, |acc, b| (acc << 8) | i64::from(*b)),
    )
}

/// The bytes of a BIT STRING with the unused bits of the last byte cleared,
/// as `c2i_ASN1_BIT_STRING` leaves them.
fn decode_bit_string(value: &[u8]) -> Option<Vec<u8>> {
    let any = decode_prefix::<Any>(value)?;
    if any.tag() != Tag::BitString {
        return None;
    }
    bit_string_content(any.value())
}

/// The bytes of BIT STRING content octets (the unused-bits count first).
pub(crate) fn bit_string_content(content: &[u8]) -> Option<Vec<u8>> {
    let (&unused, bytes) = content.split_first()?;
    if unused > 7 || (bytes.is_empty() && unused != 0) {
        return None;
    }
    let mut bytes = bytes.to_vec();
    if let Some(last) = bytes.last_mut() {
        *last &= 0xFF << unused;
    }
    Some(bytes)
}

fn decode_akid(value: &[u8]) -> Option<AuthorityKeyIdentifier> {
    let mut akid = AuthorityKeyIdentifier {
        key_id: None,
        issuer: None,
        serial: None,
    };
    let mut last = None;
    for field in elements(&sequence_content(value)?).ok()? {
        let (number, constructed) = context_number(field.tag())?;
        if last.is_some_and(|last| number <= last) {
            return None;
        }
        last = Some(number);
        match (number, constructed) {
            (0, false) => akid.key_id = Some(field.value().to_vec()),
            (1, true) => akid.issuer = Some(general_names(field.value()).ok()?),
            (2, false) => akid.serial = Some(integer_content(field.value())?),
            _ => return None,
        }
    }
    Some(akid)
}

/// Checks INTEGER content octets (non-empty, minimal) and returns them.
pub(crate) fn integer_content(content: &[u8]) -> Option<Vec<u8>> {
    der::asn1::Int::new(content)
        .ok()
        .map(|int| int.as_bytes().to_vec())
}

fn decode_name_constraints(value: &[u8]) -> Option<NameConstraints> {
    let mut constraints = NameConstraints::default();
    for field in elements(&sequence_content(value)?).ok()? {
        let subtrees = match context_number(field.tag())? {
            (0, true) => &mut constraints.permitted,
            (1, true) => &mut constraints.excluded,
            _ => return None,
        };
        for subtree in elements(field.value()).ok()? {
            if subtree.tag() != Tag::Sequence {
                return None;
            }
            subtrees.push(decode_subtree(subtree.value())?);
        }
    }
    Some(constraints)
}

fn decode_subtree(content: &[u8]) -> Option<GeneralSubtree> {
    let mut reader = SliceReader::new(content).ok()?;
    let base = GeneralName::decode(&mut reader).ok()?;
    let mut has_min_or_max = false;
    while !der::Reader::is_finished(&reader) {
        let field = Any::decode(&mut reader).ok()?;
        match context_number(field.tag())? {
            (0, false) => {
                let minimum = integer_content(field.value())?;
                has_min_or_max |= minimum != [0];
            }
            (1, false) => {
                integer_content(field.value())?;
                has_min_or_max = true;
            }
            _ => return None,
        }
    }
    Some(GeneralSubtree {
        base,
        has_min_or_max,
    })
}

fn decode_crl_distribution_points(value: &[u8], issuer: &Name) -> Option<Vec<DistributionPoint>> {
    let mut points = Vec::new();
    for point in elements(&sequence_content(value)?).ok()? {
        if point.tag() != Tag::Sequence {
            return None;
        }
        points.push(decode_distribution_point(point.value(), issuer)?);
    }
    Some(points)
}

fn decode_distribution_point(content: &[u8], issuer: &Name) -> Option<DistributionPoint> {
    let mut name_field = None;
    let mut reasons = ALL_REASONS;
    let mut crl_issuer = None;
    let mut last = None;
    for field in elements(content).ok()? {
        let (number, constructed) = context_number(field.tag())?;
        if last.is_some_and(|last| number <= last) {
            return None;
        }
        last = Some(number);
        match (number, constructed) {
            (0, true) => name_field = Some(field),
            (1, false) => reasons = reason_bits(&bit_string_content(field.value())?),
            (2, true) => crl_issuer = Some(general_names(field.value()).ok()?),
            _ => return None,
        }
    }
    if name_field.is_none() && crl_issuer.as_ref().is_none_or(Vec::is_empty) {
        return None;
    }
    // A relative name is relative to the first directoryName of cRLIssuer, else
    // to the certificate's issuer (DIST_POINT_set_dpname via setup_dp).
    let base = crl_issuer
        .as_ref()
        .and_then(|names| {
            names.iter().find_map(|name| match name {
                GeneralName::DirectoryName(name) => Some(name),
                _ => None,
            })
        })
        .unwrap_or(issuer);
    let name = match name_field {
        Some(field) => Some(decode_distribution_point_name(field.value(), base)?),
        None => None,
    };
    Some(DistributionPoint {
        name,
        reasons,
        crl_issuer,
    })
}

/// Decodes the DistributionPointName inside an EXPLICIT `[0]`.
pub(crate) fn decode_distribution_point_name(
    content: &[u8],
    base: &Name,
) -> Option<DistributionPointName> {
    let inner = Any::from_der(content).ok()?;
    match context_number(inner.tag())? {
        (0, true) => Some(DistributionPointName::FullName(
            general_names(inner.value()).ok()?,
        )),
        (1, true) => {
            let rdn_set = Any::new(Tag::Set, inner.value().to_vec()).ok()?;
            let rdn_name = Any::new(Tag::Sequence, rdn_set.to_der().ok()?).ok()?;
            let relative: Name = rdn_name.decode_as().ok()?;
            let mut canonical = canonical_encoding(base);
            canonical.extend(canonical_encoding(&relative));
            Some(DistributionPointName::Relative(canonical))
        }
        _ => None,
    }
}

/// OpenSSL's reason bits of a ReasonFlags BIT STRING.
pub(crate) fn reason_bits(bytes: &[u8]) -> u16 {
    let bits = u16::from(bytes.first().copied().unwrap_or(0))
        | (u16::from(bytes.get(1).copied().unwrap_or(0)) << 8);
    bits & ALL_REASONS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extension(oid: ObjectIdentifier, critical: bool, value: &[u8]) -> Extension {
        Extension {
            extn_id: oid,
            critical,
            extn_value: der::asn1::OctetString::new(value).unwrap(),
        }
    }

    fn decode(extensions: &[Extension]) -> CertExtensions {
        CertExtensions::decode(extensions, &Name::default())
    }

    #[test]
    fn basic_constraints_ca_with_path_len() {
        let ext = decode(&[extension(
            oids::BASIC_CONSTRAINTS,
            true,
            &[0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0x02],
        )]);
        let bc = ext.basic_constraints.unwrap();
        assert!(bc.ca);
        assert_eq!(bc.path_len, Some(2));
        assert!(bc.critical);
        assert!(ext.invalid.is_none());
    }

    #[test]
    fn negative_path_len_is_invalid() {
        let ext = decode(&[extension(
            oids::BASIC_CONSTRAINTS,
            true,
            &[0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0xFF],
        )]);
        assert!(ext.invalid.is_some());
    }

    #[test]
    fn empty_key_usage_is_invalid() {
        let ext = decode(&[extension(oids::KEY_USAGE, true, &[0x03, 0x01, 0x00])]);
        assert_eq!(ext.key_usage, Some(KeyUsage(0)));
        assert!(ext.invalid.is_some());
    }

    #[test]
    fn key_usage_bits() {
        let ext = decode(&[extension(oids::KEY_USAGE, true, &[0x03, 0x02, 0x01, 0x86])]);
        assert_eq!(ext.key_usage, Some(KeyUsage(0x86)));
        let ext = decode(&[extension(
            oids::KEY_USAGE,
            true,
            &[0x03, 0x03, 0x07, 0x80, 0x80],
        )]);
        assert_eq!(ext.key_usage, Some(KeyUsage(0x8080)));
    }

    #[test]
    fn duplicate_extension_is_invalid() {
        let value = [0x30, 0x03, 0x01, 0x01, 0xFF];
        let ext = decode(&[
            extension(oids::BASIC_CONSTRAINTS, false, &value),
            extension(oids::BASIC_CONSTRAINTS, false, &value),
        ]);
        assert!(ext.basic_constraints.is_none());
        assert!(ext.invalid.is_some());
    }

    #[test]
    fn unknown_critical_extension_is_listed() {
        let unknown = ObjectIdentifier::new_unwrap("1.2.3.4");
        let ext = decode(&[
            extension(unknown, true, &[0x05, 0x00]),
            extension(oids::BASIC_CONSTRAINTS, true, &[0x30, 0x00]),
        ]);
        assert_eq!(ext.unhandled_critical, vec![unknown]);
        assert!(!ext.critical_flags.basic_constraints);
    }

    #[test]
    fn eku_known_bits_ignore_unknown() {
        let eku = ExtendedKeyUsage {
            purposes: vec![
                oids::KP_TIME_STAMPING,
                ObjectIdentifier::new_unwrap("1.2.3"),
            ],
            critical: true,
        };
        assert_eq!(eku.known_bits(), xku::TIMESTAMP);
    }

    #[test]
    fn trailing_bytes_after_value_are_ignored() {
        let ext = decode(&[extension(
            oids::SUBJECT_KEY_IDENTIFIER,
            false,
            &[0x04, 0x01, 0xAA, 0xFF],
        )]);
        assert_eq!(ext.subject_key_id, Some(vec![0xAA]));
    }

    #[test]
    fn akid_fields() {
        let value = [0x30, 0x07, 0x80, 0x02, 0x01, 0x02, 0x82, 0x01, 0x05];
        let ext = decode(&[extension(oids::AUTHORITY_KEY_IDENTIFIER, false, &value)]);
        let akid = ext.authority_key_id.unwrap();
        assert_eq!(akid.key_id, Some(vec![1, 2]));
        assert_eq!(akid.serial, Some(vec![5]));
        assert!(akid.issuer.is_none());
    }
}
