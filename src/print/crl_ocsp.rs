//! The `i2r` extension printers of libcrypto 3.0 that write their own lines:
//! CRL and OCSP extensions (`v3_crld.c`, `v3_enum.c`, `v3_ocsp.c`), name
//! constraints (`v3_ncons.c`) and a few rarer certificate extensions
//! (`v3_pku.c`, `v3_pci.c`, `v3_sxnet.c`, `v3_ist.c`).

use super::ber::{self, Element, first_element, tag};
use super::general_name::{
    NameView, ip_address_text, parse_general_name, parse_general_names, print_general_name,
};
use super::name::{NameEntry, parse_name, parse_rdn_content};
use super::oid::oid_text;
use super::strex::name_oneline_rfc2253;
use super::text::{c_string, i2a_integer, i2a_string, integer_to_string, printable_or_dot};
use super::time::generalized_time;
use super::x509v3::pad;
use crate::oid::Objects;

/// `i2s_ASN1_ENUMERATED_TABLE` with the CRL reason codes.
pub(super) fn crl_reason(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    const REASONS: [(i64, &str); 10] = [
        (0, "Unspecified"),
        (1, "Key Compromise"),
        (2, "CA Compromise"),
        (3, "Affiliation Changed"),
        (4, "Superseded"),
        (5, "Cessation Of Operation"),
        (6, "Certificate Hold"),
        (8, "Remove From CRL"),
        (9, "Privilege Withdrawn"),
        (10, "AA Compromise"),
    ];
    let Some(reason) = first_element(value).and_then(|element| ber::enumerated(&element)) else {
        return false;
    };
    let code = reason.to_i64();
    let text = match REASONS.iter().find(|(known, _)| Some(*known) == code) {
        Some((_, name)) => (*name).to_owned(),
        None => integer_to_string(&reason),
    };
    pad(out, indent);
    out.extend_from_slice(text.as_bytes());
    true
}

/// Prints the invalidity date or the OCSP archive cutoff, a GeneralizedTime.
/// A malformed time fails after `Bad time value` is written, so the raw
/// octets follow it on the same line, as in OpenSSL.
pub(super) fn generalized_time_value(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    _: &Objects,
) -> bool {
    let Some(time) =
        first_element(value).and_then(|e| ber::universal_string(&e, tag::GENERALIZED_TIME))
    else {
        return false;
    };
    pad(out, indent);
    generalized_time(out, &time)
}

pub(super) fn hold_instruction_code(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    objects: &Objects,
) -> bool {
    let Some(oid) = first_element(value).and_then(|element| ber::object(&element)) else {
        return false;
    };
    pad(out, indent);
    out.extend_from_slice(oid_text(objects, oid).as_bytes());
    true
}

/// Prints the OCSP nonce: the whole extension value in hex, decoded or not.
pub(super) fn ocsp_nonce(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    pad(out, indent);
    i2a_string(out, value);
    true
}

/// OCSP no-check: a NULL, printed as nothing.
pub(super) fn ocsp_no_check(_: &mut Vec<u8>, value: &[u8], _: usize, _: &Objects) -> bool {
    first_element(value)
        .and_then(|element| ber::null(&element))
        .is_some()
}

/// OCSP CrlID ::= SEQUENCE { crlUrl [0] EXPLICIT IA5String OPTIONAL,
/// crlNum [1] EXPLICIT INTEGER OPTIONAL, crlTime [2] EXPLICIT GeneralizedTime OPTIONAL }
pub(super) fn ocsp_crl_id(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    let decoded = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let url = match fields.read_context(0) {
            Some(element) => Some(ber::universal_string(
                &ber::explicit(&element)?,
                tag::IA5_STRING,
            )?),
            None => None,
        };
        let number = match fields.read_context(1) {
            Some(element) => Some(ber::integer(&ber::explicit(&element)?)?),
            None => None,
        };
        let time = match fields.read_context(2) {
            Some(element) => Some(ber::universal_string(
                &ber::explicit(&element)?,
                tag::GENERALIZED_TIME,
            )?),
            None => None,
        };
        fields.is_empty().then_some((url, number, time))
    })();
    let Some((url, number, time)) = decoded else {
        return false;
    };
    if let Some(url) = url {
        pad(out, indent);
        out.extend_from_slice(b"crlUrl: ");
        printable_or_dot(out, &url);
        out.push(b'\n');
    }
    if let Some(number) = number {
        pad(out, indent);
        out.extend_from_slice(b"crlNum: ");
        i2a_integer(out, &number);
        out.push(b'\n');
    }
    if let Some(time) = time {
        pad(out, indent);
        out.extend_from_slice(b"crlTime: ");
        if !generalized_time(out, &time) {
            return false;
        }
        out.push(b'\n');
    }
    true
}

/// OCSP acceptable responses: a SEQUENCE OF OBJECT IDENTIFIER on one line;
/// an empty list fails.
pub(super) fn ocsp_acceptable_responses(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    objects: &Objects,
) -> bool {
    let decoded = first_element(value).and_then(|e| ber::sequence_of(&e, |item| ber::object(item)));
    let Some(oids) = decoded.filter(|oids| !oids.is_empty()) else {
        return false;
    };
    pad(out, indent);
    for (i, oid) in oids.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        out.extend_from_slice(oid_text(objects, oid).as_bytes());
    }
    true
}

/// OCSP ServiceLocator ::= SEQUENCE { issuer Name, locator AuthorityInfoAccessSyntax OPTIONAL }
pub(super) fn ocsp_service_locator(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    objects: &Objects,
) -> bool {
    let decoded = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let issuer = parse_name(&fields.read()?)?;
        let locators = match fields.read() {
            Some(element) => ber::sequence_of(&element, |description| {
                let mut parts = ber::sequence(description)?;
                let method = ber::object(&parts.read()?)?;
                let location = parse_general_name(&parts.read()?)?;
                parts.is_empty().then_some((method, location))
            })?,
            None => Vec::new(),
        };
        fields.is_empty().then_some((issuer, locators))
    })();
    let Some((issuer, locators)) = decoded else {
        return false;
    };
    pad(out, indent);
    out.extend_from_slice(b"Issuer: ");
    let before = out.len();
    name_oneline_rfc2253(out, &issuer, objects);
    if out.len() == before {
        // X509_NAME_print_ex returned 0 for an empty name, which fails the method.
        return false;
    }
    for (method, location) in &locators {
        out.push(b'\n');
        pad(out, 2 * indent);
        out.extend_from_slice(oid_text(objects, method).as_bytes());
        out.extend_from_slice(b" - ");
        print_general_name(out, location, objects);
    }
    true
}

/// PrivateKeyUsagePeriod ::= SEQUENCE { notBefore [0] GeneralizedTime OPTIONAL,
/// notAfter [1] GeneralizedTime OPTIONAL }, both implicitly tagged.
pub(super) fn private_key_usage_period(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    _: &Objects,
) -> bool {
    let decoded = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let not_before = match fields.read_context(0) {
            Some(element) => Some(ber::string_octets(&element)?),
            None => None,
        };
        let not_after = match fields.read_context(1) {
            Some(element) => Some(ber::string_octets(&element)?),
            None => None,
        };
        fields.is_empty().then_some((not_before, not_after))
    })();
    let Some((not_before, not_after)) = decoded else {
        return false;
    };
    pad(out, indent);
    if let Some(time) = &not_before {
        out.extend_from_slice(b"Not Before: ");
        let _valid = generalized_time(out, time);
        if not_after.is_some() {
            out.extend_from_slice(b", ");
        }
    }
    if let Some(time) = &not_after {
        out.extend_from_slice(b"Not After: ");
        let _valid = generalized_time(out, time);
    }
    true
}

/// DistributionPointName ::= CHOICE { fullName [0] GeneralNames,
/// nameRelativeToCRLIssuer [1] RelativeDistinguishedName }, implicitly tagged.
enum DistributionPointName<'a> {
    Full(Vec<NameView<'a>>),
    Relative(Vec<NameEntry<'a>>),
}

fn parse_distribution_point_name<'a>(element: &Element<'a>) -> Option<DistributionPointName<'a>> {
    let choice = ber::explicit(element)?;
    if choice.is_context(0) {
        return Some(DistributionPointName::Full(parse_general_names(&choice)?));
    }
    if choice.is_context(1) {
        return Some(DistributionPointName::Relative(parse_rdn_content(
            choice.children()?,
        )?));
    }
    None
}

/// DistributionPoint ::= SEQUENCE { distributionPoint [0] OPTIONAL,
/// reasons [1] ReasonFlags OPTIONAL, cRLIssuer [2] GeneralNames OPTIONAL }
struct DistributionPoint<'a> {
    name: Option<DistributionPointName<'a>>,
    reasons: Option<Vec<u8>>,
    crl_issuer: Option<Vec<NameView<'a>>>,
}

fn parse_distribution_point<'a>(element: &Element<'a>) -> Option<DistributionPoint<'a>> {
    let mut fields = ber::sequence(element)?;
    let name = match fields.read_context(0) {
        Some(element) => Some(parse_distribution_point_name(&element)?),
        None => None,
    };
    let reasons = match fields.read_context(1) {
        Some(element) => Some(ber::bit_string_content(&element)?),
        None => None,
    };
    let crl_issuer = match fields.read_context(2) {
        Some(element) => Some(parse_general_names(&element)?),
        None => None,
    };
    fields.is_empty().then_some(DistributionPoint {
        name,
        reasons,
        crl_issuer,
    })
}

const REASON_FLAGS: [&str; 9] = [
    "Unused",
    "Key Compromise",
    "CA Compromise",
    "Affiliation Changed",
    "Superseded",
    "Cessation Of Operation",
    "Certificate Hold",
    "Privilege Withdrawn",
    "AA Compromise",
];

fn print_reasons(out: &mut Vec<u8>, label: &str, bits: &[u8], indent: usize) {
    pad(out, indent);
    out.extend_from_slice(label.as_bytes());
    out.extend_from_slice(b":\n");
    pad(out, indent + 2);
    let names: Vec<&str> = REASON_FLAGS
        .iter()
        .enumerate()
        .filter(|(bit, _)| ber::bit_is_set(bits, *bit))
        .map(|(_, name)| *name)
        .collect();
    if names.is_empty() {
        out.extend_from_slice(b"<EMPTY>\n");
    } else {
        out.extend_from_slice(names.join(", ").as_bytes());
        out.push(b'\n');
    }
}

/// Prints one name per line at `indent + 2`, without a newline after the last.
fn print_names(out: &mut Vec<u8>, names: &[NameView<'_>], indent: usize, objects: &Objects) {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        pad(out, indent + 2);
        print_general_name(out, name, objects);
    }
}

fn print_distribution_point_name(
    out: &mut Vec<u8>,
    name: &DistributionPointName<'_>,
    indent: usize,
    objects: &Objects,
) {
    match name {
        DistributionPointName::Full(names) => {
            pad(out, indent);
            out.extend_from_slice(b"Full Name:\n");
            print_names(out, names, indent, objects);
        }
        DistributionPointName::Relative(entries) => {
            pad(out, indent);
            out.extend_from_slice(b"Relative Name:\n");
            pad(out, indent + 2);
            name_oneline_rfc2253(out, entries, objects);
            out.push(b'\n');
        }
    }
}

/// CRL distribution points and freshest CRL: a SEQUENCE OF DistributionPoint.
pub(super) fn crl_distribution_points(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    objects: &Objects,
) -> bool {
    let Some(points) =
        first_element(value).and_then(|e| ber::sequence_of(&e, parse_distribution_point))
    else {
        return false;
    };
    for (i, point) in points.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        if let Some(name) = &point.name {
            print_distribution_point_name(out, name, indent, objects);
        }
        if let Some(reasons) = &point.reasons {
            print_reasons(out, "Reasons", reasons, indent);
        }
        if let Some(issuer) = &point.crl_issuer {
            pad(out, indent);
            out.extend_from_slice(b"CRL Issuer:\n");
            print_names(out, issuer, indent, objects);
        }
    }
    true
}

/// IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0] OPTIONAL,
/// onlyContainsUserCerts [1], onlyContainsCACerts [2], onlySomeReasons [3]
/// OPTIONAL, indirectCRL [4], onlyContainsAttributeCerts [5] }, the flags
/// BOOLEAN DEFAULT FALSE.
struct IssuingDistributionPoint<'a> {
    name: Option<DistributionPointName<'a>>,
    only_user: bool,
    only_ca: bool,
    reasons: Option<Vec<u8>>,
    indirect: bool,
    only_attribute: bool,
}

fn parse_issuing_distribution_point(value: &[u8]) -> Option<IssuingDistributionPoint<'_>> {
    let mut fields = ber::sequence(&first_element(value)?)?;
    let name = match fields.read_context(0) {
        Some(element) => Some(parse_distribution_point_name(&element)?),
        None => None,
    };
    let mut flag = |number| match fields.read_context(number) {
        Some(element) => ber::boolean_content(&element),
        None => Some(false),
    };
    let only_user = flag(1)?;
    let only_ca = flag(2)?;
    let reasons = match fields.read_context(3) {
        Some(element) => Some(ber::bit_string_content(&element)?),
        None => None,
    };
    let mut flag = |number| match fields.read_context(number) {
        Some(element) => ber::boolean_content(&element),
        None => Some(false),
    };
    let indirect = flag(4)?;
    let only_attribute = flag(5)?;
    fields.is_empty().then_some(IssuingDistributionPoint {
        name,
        only_user,
        only_ca,
        reasons,
        indirect,
        only_attribute,
    })
}

fn line(out: &mut Vec<u8>, indent: usize, text: &str) {
    pad(out, indent);
    out.extend_from_slice(text.as_bytes());
    out.push(b'\n');
}

pub(super) fn issuing_distribution_point(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    objects: &Objects,
) -> bool {
    let Some(point) = parse_issuing_distribution_point(value) else {
        return false;
    };

    if let Some(name) = &point.name {
        print_distribution_point_name(out, name, indent, objects);
    }
    if point.only_user {
        line(out, indent, "Only User Certificates");
    }
    if point.only_ca {
        line(out, indent, "Only CA Certificates");
    }
    if point.indirect {
        line(out, indent, "Indirect CRL");
    }
    if let Some(reasons) = &point.reasons {
        print_reasons(out, "Only Some Reasons", reasons, indent);
    }
    if point.only_attribute {
        line(out, indent, "Only Attribute Certificates");
    }

    let empty = point.name.is_none()
        && !point.only_user
        && !point.only_ca
        && !point.indirect
        && point.reasons.is_none()
        && !point.only_attribute;
    if empty {
        line(out, indent, "<EMPTY>");
    }
    true
}

/// GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] INTEGER OPTIONAL,
/// maximum [1] INTEGER OPTIONAL }
fn parse_subtree<'a>(element: &Element<'a>) -> Option<NameView<'a>> {
    let mut fields = ber::sequence(element)?;
    let base = parse_general_name(&fields.read()?)?;
    for number in [0, 1] {
        if let Some(bound) = fields.read_context(number) {
            ber::integer_content(&bound)?;
        }
    }
    fields.is_empty().then_some(base)
}

fn print_subtrees(
    out: &mut Vec<u8>,
    subtrees: &[NameView<'_>],
    label: &str,
    indent: usize,
    objects: &Objects,
) {
    if !subtrees.is_empty() {
        pad(out, indent);
        out.extend_from_slice(label.as_bytes());
        out.extend_from_slice(b":\n");
    }
    for (i, base) in subtrees.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        pad(out, indent + 2);
        match base {
            NameView::Ip(octets) => {
                let split = if octets.len() >= 16 {
                    16
                } else if octets.len() >= 4 {
                    4
                } else {
                    octets.len()
                };
                let (address, mask) = octets.split_at(split);
                let text = format!("IP:{}/{}", ip_address_text(address), ip_address_text(mask));
                out.extend_from_slice(text.as_bytes());
            }
            other => print_general_name(out, other, objects),
        }
    }
}

/// NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
/// excludedSubtrees [1] GeneralSubtrees OPTIONAL }
pub(super) fn name_constraints(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    objects: &Objects,
) -> bool {
    let decoded = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let permitted = match fields.read_context(0) {
            Some(element) => Some(element.children()?.read_all(parse_subtree)?),
            None => None,
        };
        let excluded = match fields.read_context(1) {
            Some(element) => Some(element.children()?.read_all(parse_subtree)?),
            None => None,
        };
        fields.is_empty().then_some((permitted, excluded))
    })();
    let Some((permitted, excluded)) = decoded else {
        return false;
    };
    print_subtrees(
        out,
        permitted.as_deref().unwrap_or_default(),
        "Permitted",
        indent,
        objects,
    );
    if permitted.is_some() && excluded.is_some() {
        out.push(b'\n');
    }
    print_subtrees(
        out,
        excluded.as_deref().unwrap_or_default(),
        "Excluded",
        indent,
        objects,
    );
    true
}

/// ProxyCertInfo ::= SEQUENCE { pCPathLenConstraint INTEGER OPTIONAL,
/// proxyPolicy SEQUENCE { policyLanguage OBJECT IDENTIFIER, policy OCTET STRING OPTIONAL } }
pub(super) fn proxy_cert_info(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    objects: &Objects,
) -> bool {
    let decoded = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let path_length = match fields.read_universal(tag::INTEGER) {
            Some(element) => Some(ber::integer(&element)?),
            None => None,
        };
        let mut policy = ber::sequence(&fields.read()?)?;
        let language = ber::object(&policy.read()?)?;
        let text = match policy.read() {
            Some(element) => Some(ber::universal_string(&element, tag::OCTET_STRING)?),
            None => None,
        };
        (fields.is_empty() && policy.is_empty()).then_some((path_length, language, text))
    })();
    let Some((path_length, language, text)) = decoded else {
        return false;
    };
    pad(out, indent);
    out.extend_from_slice(b"Path Length Constraint: ");
    match &path_length {
        Some(length) => i2a_integer(out, length),
        None => out.extend_from_slice(b"infinite"),
    }
    out.push(b'\n');
    pad(out, indent);
    out.extend_from_slice(b"Policy Language: ");
    out.extend_from_slice(oid_text(objects, language).as_bytes());
    if let Some(text) = &text {
        out.push(b'\n');
        pad(out, indent);
        out.extend_from_slice(b"Policy Text: ");
        out.extend_from_slice(c_string(text));
    }
    true
}

/// Strong Extranet ID ::= SEQUENCE { version INTEGER, ids SEQUENCE OF
/// SEQUENCE { zone INTEGER, user OCTET STRING } }
pub(super) fn strong_extranet_id(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    _: &Objects,
) -> bool {
    let decoded = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let version = ber::integer(&fields.read()?)?;
        let ids = ber::sequence_of(&fields.read()?, |id| {
            let mut parts = ber::sequence(id)?;
            let zone = ber::integer(&parts.read()?)?;
            let user = ber::universal_string(&parts.read()?, tag::OCTET_STRING)?;
            parts.is_empty().then_some((zone, user))
        })?;
        fields.is_empty().then_some((version, ids))
    })();
    let Some((version, ids)) = decoded else {
        return false;
    };
    pad(out, indent);
    match version.to_i64().filter(|v| *v < i64::MAX) {
        Some(v) => out.extend_from_slice(format!("Version: {} (0x{:X})", v + 1, v).as_bytes()),
        None => out.extend_from_slice(b"Version: <unsupported>"),
    }
    for (zone, user) in &ids {
        out.push(b'\n');
        pad(out, indent);
        out.extend_from_slice(format!("Zone: {}, User: ", integer_to_string(zone)).as_bytes());
        printable_or_dot(out, user);
    }
    true
}

/// IssuerSignTool ::= SEQUENCE { signTool, cATool, signToolCert, cAToolCert UTF8String }
pub(super) fn issuer_sign_tool(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    _: &Objects,
) -> bool {
    let decoded = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let mut tools = Vec::new();
        for _ in 0..4 {
            tools.push(ber::universal_string(&fields.read()?, tag::UTF8_STRING)?);
        }
        fields.is_empty().then_some(tools)
    })();
    let Some(tools) = decoded else {
        return false;
    };
    let labels = [
        "signTool    : ",
        "cATool      : ",
        "signToolCert: ",
        "cAToolCert  : ",
    ];
    for (i, (label, tool)) in labels.iter().zip(&tools).enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        pad(out, indent);
        out.extend_from_slice(label.as_bytes());
        out.extend_from_slice(tool);
    }
    true
}
