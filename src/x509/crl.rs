//! Certificate revocation lists (RFC 5280 section 5), with the fields and
//! flags OpenSSL 3.0 caches when it decodes one (crypto/x509/x_crl.c).

use std::path::Path;

use der::Tagged;
use der::asn1::{Any, BitString, Int, ObjectIdentifier};
use der::{Sequence, Tag, TagNumber};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::time::Time;

use super::extensions::{
    ALL_REASONS, AuthorityKeyIdentifier, DistributionPointName, bit_string_content,
    decode_distribution_point_name, decode_prefix, elements, general_names, reason_bits,
};
use super::name::canonical_encoding;
use super::oids;
use super::pem;
use super::signature::verify_signature;
use crate::asn1::{GeneralName, ber, decode_der};
use crate::error::{Error, Reason, Result};

/// The CRL entry reason code removeFromCRL.
pub const REASON_REMOVE_FROM_CRL: i64 = 8;

/// CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }.
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
struct CertificateList {
    tbs_cert_list: TbsCertList,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
}

/// TBSCertList, with the version OPTIONAL as RFC 5280 has it (version 1 CRLs omit it).
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
struct TbsCertList {
    version: Option<Int>,
    signature: AlgorithmIdentifierOwned,
    issuer: Name,
    this_update: Time,
    next_update: Option<Time>,
    revoked_certificates: Option<Vec<RevokedCertificate>>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    crl_extensions: Option<Vec<Extension>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
struct RevokedCertificate {
    user_certificate: Int,
    revocation_date: Time,
    crl_entry_extensions: Option<Vec<Extension>>,
}

/// One revoked certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedEntry {
    /// The serial number's INTEGER content octets.
    pub serial: Vec<u8>,
    /// The revocation date, in seconds since the Unix epoch.
    pub revocation_date: i64,
    /// The reasonCode entry extension, if present.
    pub reason: Option<i64>,
    /// The certificate issuer of an indirect CRL: the last certificateIssuer
    /// entry extension at or before this entry.
    pub issuer: Option<Vec<GeneralName>>,
}

/// OpenSSL's issuing distribution point flags (`IDP_*`).
pub(crate) mod idp {
    pub const PRESENT: u32 = 0x1;
    pub const INVALID: u32 = 0x2;
    pub const ONLY_USER: u32 = 0x4;
    pub const ONLY_CA: u32 = 0x8;
    pub const ONLY_ATTRIBUTE: u32 = 0x10;
    pub const INDIRECT: u32 = 0x20;
    pub const REASONS: u32 = 0x40;
}

/// A parsed CRL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crl {
    der: Vec<u8>,
    tbs: Vec<u8>,
    issuer: Name,
    issuer_canonical: Vec<u8>,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: Option<Vec<u8>>,
    last_update: i64,
    next_update: Option<i64>,
    entries: Vec<RevokedEntry>,
    pub(crate) authority_key_id: Option<AuthorityKeyIdentifier>,
    pub(crate) idp_name: Option<DistributionPointName>,
    pub(crate) idp_flags: u32,
    pub(crate) idp_reasons: u16,
    pub(crate) crl_number: Option<Vec<u8>>,
    pub(crate) base_crl_number: Option<Vec<u8>>,
    pub(crate) unhandled_critical: bool,
    /// A freshestCRL extension is present (OpenSSL's `EXFLAG_FRESHEST`).
    pub(crate) freshest: bool,
    /// The values of every authorityKeyIdentifier and issuingDistributionPoint
    /// extension, which a delta CRL and its base must share.
    pub(crate) akid_values: Vec<Vec<u8>>,
    pub(crate) idp_values: Vec<Vec<u8>>,
    invalid: bool,
}

impl Crl {
    /// Parses a CRL from DER (BER is accepted too).
    pub fn from_der(input: &[u8]) -> Result<Crl> {
        let der = ber::normalize(input)
            .map_err(|e| Error::new(e.reason(), format!("cannot decode CRL: {}", e.message())))?;
        let list: CertificateList = decode_der("CRL", &der)?;
        // The signature covers the TBSCertList as sent, which may be BER.
        let tbs = ber::first_inner_element(input)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| Error::new(Reason::Decode, "cannot decode CRL: no TBSCertList"))?;
        let tbs_list = &list.tbs_cert_list;
        let mut crl = Crl {
            tbs,
            issuer_canonical: canonical_encoding(&tbs_list.issuer),
            issuer: tbs_list.issuer.clone(),
            signature_algorithm: list.signature_algorithm.clone(),
            signature: list.signature.as_bytes().map(<[u8]>::to_vec),
            last_update: unix_seconds(&tbs_list.this_update),
            next_update: tbs_list.next_update.as_ref().map(unix_seconds),
            entries: Vec::new(),
            authority_key_id: None,
            idp_name: None,
            idp_flags: 0,
            idp_reasons: ALL_REASONS,
            crl_number: None,
            base_crl_number: None,
            unhandled_critical: false,
            freshest: false,
            akid_values: Vec::new(),
            idp_values: Vec::new(),
            invalid: false,
            der: Vec::new(),
        };
        crl.read_extensions(tbs_list.crl_extensions.as_deref().unwrap_or(&[]));
        crl.read_entries(tbs_list.revoked_certificates.as_deref().unwrap_or(&[]));
        crl.der = der;
        Ok(crl)
    }

    /// The signature algorithm of the CRL's outer signature.
    pub(crate) fn signature_algorithm(&self) -> &AlgorithmIdentifierOwned {
        &self.signature_algorithm
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The issuer name.
    pub fn issuer(&self) -> &Name {
        &self.issuer
    }

    /// thisUpdate, in seconds since the Unix epoch.
    pub fn last_update(&self) -> i64 {
        self.last_update
    }

    /// nextUpdate, in seconds since the Unix epoch.
    pub fn next_update(&self) -> Option<i64> {
        self.next_update
    }

    /// The revoked certificates, in encoded order.
    pub fn entries(&self) -> &[RevokedEntry] {
        &self.entries
    }

    /// Whether a CRL or entry extension OpenSSL does not process is critical.
    pub fn has_unhandled_critical_extension(&self) -> bool {
        self.unhandled_critical
    }

    /// Whether an extension OpenSSL decodes was malformed.
    pub fn is_invalid(&self) -> bool {
        self.invalid
    }

    pub(crate) fn issuer_canonical(&self) -> &[u8] {
        &self.issuer_canonical
    }

    /// Verifies the CRL signature with the issuer's key (`X509_CRL_verify`).
    pub fn verify_signature_with(&self, issuer_key: &SubjectPublicKeyInfoOwned) -> Result<()> {
        let signature = self.signature.as_ref().ok_or_else(|| {
            Error::new(
                Reason::SignatureFailure,
                "the CRL signature has unused bits",
            )
        })?;
        verify_signature(
            issuer_key,
            &self.signature_algorithm,
            None,
            &self.tbs,
            signature,
        )
    }

    /// The entry revoking the certificate with this serial from `cert_issuer`,
    /// as `X509_CRL_get0_by_cert` finds it.
    pub(crate) fn find_entry(
        &self,
        serial: &[u8],
        cert_issuer_canonical: &[u8],
    ) -> Option<&RevokedEntry> {
        self.entries
            .iter()
            .filter(|entry| entry.serial == serial)
            .find(|entry| self.entry_issuer_matches(entry, cert_issuer_canonical))
    }

    fn entry_issuer_matches(&self, entry: &RevokedEntry, cert_issuer_canonical: &[u8]) -> bool {
        match &entry.issuer {
            None => cert_issuer_canonical == self.issuer_canonical,
            Some(names) => names.iter().any(|name| match name {
                GeneralName::DirectoryName(name) => {
                    canonical_encoding(name) == cert_issuer_canonical
                }
                _ => false,
            }),
        }
    }

    fn read_extensions(&mut self, extensions: &[Extension]) {
        let single = |oid: &ObjectIdentifier| -> Option<std::result::Result<&Extension, ()>> {
            let mut found = extensions.iter().filter(|e| e.extn_id == *oid);
            let first = found.next()?;
            Some(if found.next().is_some() {
                Err(())
            } else {
                Ok(first)
            })
        };

        match single(&oids::ISSUING_DISTRIBUTION_POINT) {
            None => {}
            Some(Ok(ext)) => match decode_idp(ext.extn_value.as_bytes(), &self.issuer) {
                Some(idp) => self.apply_idp(idp),
                None => self.invalid = true,
            },
            Some(Err(())) => self.invalid = true,
        }
        match single(&oids::AUTHORITY_KEY_IDENTIFIER) {
            None => {}
            Some(Ok(ext)) => match super::extensions::CertExtensions::decode(
                std::slice::from_ref(ext),
                &self.issuer,
            )
            .authority_key_id
            {
                Some(akid) => self.authority_key_id = Some(akid),
                None => self.invalid = true,
            },
            Some(Err(())) => self.invalid = true,
        }
        self.crl_number = self.integer_extension(single(&oids::CRL_NUMBER));
        self.base_crl_number = self.integer_extension(single(&oids::DELTA_CRL_INDICATOR));
        if self.base_crl_number.is_some() && self.crl_number.is_none() {
            self.invalid = true;
        }

        let values = |oid: &ObjectIdentifier| -> Vec<Vec<u8>> {
            extensions
                .iter()
                .filter(|e| e.extn_id == *oid)
                .map(|e| e.extn_value.as_bytes().to_vec())
                .collect()
        };
        self.akid_values = values(&oids::AUTHORITY_KEY_IDENTIFIER);
        self.idp_values = values(&oids::ISSUING_DISTRIBUTION_POINT);

        // OpenSSL stops reading flags at the first unhandled critical extension.
        for extension in extensions {
            if extension.extn_id == oids::FRESHEST_CRL {
                self.freshest = true;
            }
            if !extension.critical {
                continue;
            }
            let handled = [
                oids::ISSUING_DISTRIBUTION_POINT,
                oids::AUTHORITY_KEY_IDENTIFIER,
                oids::DELTA_CRL_INDICATOR,
            ];
            if !handled.contains(&extension.extn_id) {
                self.unhandled_critical = true;
                break;
            }
        }
    }

    fn integer_extension(
        &mut self,
        found: Option<std::result::Result<&Extension, ()>>,
    ) -> Option<Vec<u8>> {
        match found? {
            Ok(ext) => match decode_prefix::<Int>(ext.extn_value.as_bytes()) {
                Some(int) => Some(int.as_bytes().to_vec()),
                None => {
                    self.invalid = true;
                    None
                }
            },
            Err(()) => {
                self.invalid = true;
                None
            }
        }
    }

    fn apply_idp(&mut self, idp: IssuingDistributionPoint) {
        let mut flags = idp::PRESENT;
        let mut only = 0;
        if idp.only_user {
            flags |= idp::ONLY_USER;
            only += 1;
        }
        if idp.only_ca {
            flags |= idp::ONLY_CA;
            only += 1;
        }
        if idp.only_attribute {
            flags |= idp::ONLY_ATTRIBUTE;
            only += 1;
        }
        if only > 1 {
            flags |= idp::INVALID;
        }
        if idp.indirect {
            flags |= idp::INDIRECT;
        }
        if let Some(reasons) = idp.reasons {
            flags |= idp::REASONS;
            self.idp_reasons = reasons;
        }
        self.idp_flags = flags;
        self.idp_name = idp.name;
    }

    /// Reads the entries as `crl_set_issuers` does: a certificateIssuer
    /// extension applies to its entry and every later one. A malformed
    /// certificateIssuer or reasonCode marks the CRL invalid and stops that
    /// processing; the remaining entries keep no issuer and no reason.
    fn read_entries(&mut self, revoked: &[RevokedCertificate]) {
        let mut issuer: Option<Vec<GeneralName>> = None;
        let mut stopped = false;
        for entry in revoked {
            let mut reason = None;
            if !stopped {
                let extensions = entry.crl_entry_extensions.as_deref().unwrap_or(&[]);
                match self.read_entry_extensions(extensions, &mut issuer) {
                    Some(code) => reason = code,
                    None => {
                        self.invalid = true;
                        stopped = true;
                    }
                }
            }
            self.entries.push(RevokedEntry {
                serial: entry.user_certificate.as_bytes().to_vec(),
                revocation_date: unix_seconds(&entry.revocation_date),
                reason,
                issuer: if stopped { None } else { issuer.clone() },
            });
        }
    }

    /// Reads one entry's extensions: updates the running certificate issuer,
    /// returns the reason code, or `None` when an extension is malformed.
    fn read_entry_extensions(
        &mut self,
        extensions: &[Extension],
        issuer: &mut Option<Vec<GeneralName>>,
    ) -> Option<Option<i64>> {
        let mut reason = None;
        for extension in extensions {
            match extension.extn_id {
                oids::CERTIFICATE_ISSUER => {
                    let names = decode_prefix::<Any>(extension.extn_value.as_bytes())
                        .filter(|any| any.tag() == Tag::Sequence)
                        .and_then(|any| general_names(any.value()).ok())?;
                    *issuer = Some(names);
                }
                oids::CRL_REASON => {
                    let code = decode_prefix::<Any>(extension.extn_value.as_bytes())
                        .filter(|any| any.tag() == Tag::Enumerated)
                        .and_then(|any| small_signed(any.value()))?;
                    reason = Some(code);
                }
                _ => {}
            }
            if extension.critical && extension.extn_id != oids::CERTIFICATE_ISSUER {
                self.unhandled_critical = true;
            }
        }
        Some(reason)
    }
}

/// IssuingDistributionPoint (RFC 5280 section 5.2.5).
struct IssuingDistributionPoint {
    name: Option<DistributionPointName>,
    only_user: bool,
    only_ca: bool,
    reasons: Option<u16>,
    indirect: bool,
    only_attribute: bool,
}

fn decode_idp(value: &[u8], issuer: &Name) -> Option<IssuingDistributionPoint> {
    let sequence = decode_prefix::<Any>(value).filter(|any| any.tag() == Tag::Sequence)?;
    let mut idp = IssuingDistributionPoint {
        name: None,
        only_user: false,
        only_ca: false,
        reasons: None,
        indirect: false,
        only_attribute: false,
    };
    let boolean = |content: &[u8]| match content {
        [0] => Some(false),
        [_] => Some(true),
        _ => None,
    };
    for field in elements(sequence.value()).ok()? {
        let Tag::ContextSpecific {
            constructed,
            number: TagNumber(number),
        } = field.tag()
        else {
            return None;
        };
        match (number, constructed) {
            (0, true) => idp.name = Some(decode_distribution_point_name(field.value(), issuer)?),
            (1, false) => idp.only_user = boolean(field.value())?,
            (2, false) => idp.only_ca = boolean(field.value())?,
            (3, false) => idp.reasons = Some(reason_bits(&bit_string_content(field.value())?)),
            (4, false) => idp.indirect = boolean(field.value())?,
            (5, false) => idp.only_attribute = boolean(field.value())?,
            _ => return None,
        }
    }
    Some(idp)
}

fn small_signed(content: &[u8]) -> Option<i64> {
    let int = Int::new(content).ok()?;
    let bytes = int.as_bytes();
    if bytes.len() > 8 {
        return None;
    }
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let start = if negative { -1i64 } else { 0 };
    Some(
        bytes
            .iter()
            .fold(start, |acc, b| (acc << 8) | i64::from(*b)),
    )
}

fn unix_seconds(time: &Time) -> i64 {
    i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

/// Parses every `X509 CRL` block of PEM input, or one DER CRL.
pub fn parse_crls(input: &[u8], source: &str) -> Result<Vec<Crl>> {
    if !pem::is_pem(input) {
        let crl = Crl::from_der(input).map_err(|e| {
            Error::new(
                Reason::TrustStore,
                format!("cannot load CRL from {source}: {e}"),
            )
        })?;
        return Ok(vec![crl]);
    }
    let mut crls = Vec::new();
    for (index, block) in pem::blocks(input).into_iter().enumerate() {
        if block.label != "X509 CRL" {
            continue;
        }
        let crl = block
            .data
            .and_then(|data| Crl::from_der(&data))
            .map_err(|e| {
                Error::new(
                    Reason::TrustStore,
                    format!(
                        "cannot load CRL from {source}: PEM block {} (line {}): {e}",
                        index + 1,
                        block.line
                    ),
                )
            })?;
        crls.push(crl);
    }
    Ok(crls)
}

/// Loads every CRL of a PEM or DER file.
pub fn load_crls(path: &Path) -> Result<Vec<Crl>> {
    let input = crate::files::read_limited(path, crate::asn1::ber::MAX_INPUT_LEN)
        .map_err(|e| Error::io("read", &path.display().to_string(), &e))?;
    parse_crls(&input, &path.display().to_string())
}
