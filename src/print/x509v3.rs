//! The extension methods of libcrypto 3.0 (`crypto/x509/v3_*.c`) that the
//! printer reproduces: each decodes the extension value as OpenSSL's template
//! does and writes what its `i2s`, `i2v` or `i2r` function writes.

use der::asn1::ObjectIdentifier;

use super::ber::{self, BigInt, Element, first_element, tag};
use super::general_name::{NameView, general_name_value, parse_general_name, parse_general_names};
use super::oid::{oid_text, truncate};
use super::text::{c_string, colon_hex, integer_to_string};
use super::values::{ConfValue, print_values};
use super::{admission, crl_ocsp, rfc3779, sct};
use crate::oid::Objects;

/// An extension printer: writes the value at `indent` and returns true, or
/// returns false where `X509V3_EXT_print` fails.
pub(super) type Method = fn(&mut Vec<u8>, &[u8], usize, &Objects) -> bool;

/// The methods by extension OID, as libcrypto's `standard_exts` table has them.
const METHODS: &[(&str, Method)] = &[
    ("2.16.840.1.113730.1.1", ns_cert_type),
    ("2.16.840.1.113730.1.2", ia5_string),
    ("2.16.840.1.113730.1.3", ia5_string),
    ("2.16.840.1.113730.1.4", ia5_string),
    ("2.16.840.1.113730.1.7", ia5_string),
    ("2.16.840.1.113730.1.8", ia5_string),
    ("2.16.840.1.113730.1.12", ia5_string),
    ("2.16.840.1.113730.1.13", ia5_string),
    ("2.5.29.14", subject_key_identifier),
    ("2.5.29.15", key_usage),
    ("2.5.29.16", crl_ocsp::private_key_usage_period),
    ("2.5.29.17", general_names),
    ("2.5.29.18", general_names),
    ("2.5.29.19", basic_constraints),
    ("2.5.29.20", integer_value),
    ("2.5.29.21", crl_ocsp::crl_reason),
    ("2.5.29.23", crl_ocsp::hold_instruction_code),
    ("2.5.29.24", crl_ocsp::generalized_time_value),
    ("2.5.29.27", integer_value),
    ("2.5.29.28", crl_ocsp::issuing_distribution_point),
    ("2.5.29.29", general_names),
    ("2.5.29.30", crl_ocsp::name_constraints),
    ("2.5.29.31", crl_ocsp::crl_distribution_points),
    ("2.5.29.32", certificate_policies),
    ("2.5.29.33", policy_mappings),
    ("2.5.29.35", authority_key_identifier),
    ("2.5.29.36", policy_constraints),
    ("2.5.29.37", extended_key_usage),
    ("2.5.29.46", crl_ocsp::crl_distribution_points),
    ("2.5.29.54", integer_value),
    ("1.3.6.1.5.5.7.1.1", info_access),
    ("1.3.6.1.5.5.7.1.7", rfc3779::ip_address_blocks),
    ("1.3.6.1.5.5.7.1.8", rfc3779::as_identifiers),
    ("1.3.6.1.5.5.7.1.11", info_access),
    ("1.3.6.1.5.5.7.1.14", crl_ocsp::proxy_cert_info),
    ("1.3.6.1.5.5.7.1.24", tls_feature),
    ("1.3.6.1.5.5.7.48.1.2", crl_ocsp::ocsp_nonce),
    ("1.3.6.1.5.5.7.48.1.3", crl_ocsp::ocsp_crl_id),
    ("1.3.6.1.5.5.7.48.1.4", crl_ocsp::ocsp_acceptable_responses),
    ("1.3.6.1.5.5.7.48.1.5", crl_ocsp::ocsp_no_check),
    ("1.3.6.1.5.5.7.48.1.6", crl_ocsp::generalized_time_value),
    ("1.3.6.1.5.5.7.48.1.7", crl_ocsp::ocsp_service_locator),
    ("1.3.101.1.4.1", crl_ocsp::strong_extranet_id),
    ("1.3.6.1.4.1.11129.2.4.2", sct::sct_list),
    ("1.3.6.1.4.1.11129.2.4.3", precertificate_poison),
    ("1.3.6.1.4.1.11129.2.4.5", sct::sct_list),
    ("1.3.36.8.3.3", admission::admission_syntax),
    ("1.2.643.100.111", utf8_string),
    ("1.2.643.100.112", crl_ocsp::issuer_sign_tool),
];

/// Returns the printer for an extension OID, if libcrypto has one.
pub(super) fn method(oid: &ObjectIdentifier) -> Option<Method> {
    let dotted = oid.to_string();
    METHODS
        .iter()
        .find(|(known, _)| *known == dotted)
        .map(|(_, method)| *method)
}

/// Writes an `i2v` result: false for OpenSSL's NULL list.
fn write_values(
    out: &mut Vec<u8>,
    values: Option<Vec<ConfValue>>,
    indent: usize,
    multiline: bool,
) -> bool {
    match values {
        Some(values) => {
            print_values(out, &values, indent, multiline);
            true
        }
        None => false,
    }
}

/// Writes an `i2s` result as `"%*s%s"` does: false for a NULL string.
fn write_string(out: &mut Vec<u8>, text: Option<Vec<u8>>, indent: usize) -> bool {
    match text {
        Some(text) => {
            out.extend(std::iter::repeat_n(b' ', indent));
            out.extend_from_slice(c_string(&text));
            true
        }
        None => false,
    }
}

/// Returns the octets an `ASN1_INTEGER` stores: the magnitude, one zero octet
/// for zero.
pub(super) fn integer_octets(value: &BigInt) -> Vec<u8> {
    if value.magnitude.is_empty() {
        vec![0]
    } else {
        value.magnitude.clone()
    }
}

/// `i2t_ASN1_OBJECT` into an 80-byte buffer.
pub(super) fn short_oid_text(objects: &Objects, oid: &[u8]) -> String {
    truncate(oid_text(objects, oid), 80)
}

/// `i2v_GENERAL_NAMES`: `None` if any name fails.
pub(super) fn general_names_values(
    names: &[NameView<'_>],
    objects: &Objects,
) -> Option<Vec<ConfValue>> {
    names
        .iter()
        .map(|name| general_name_value(name, objects))
        .collect()
}

/// `i2v_ASN1_BIT_STRING` with a table of bit names: `None` when no named bit is set.
fn named_bits(value: &[u8], names: &[&str]) -> Option<Vec<ConfValue>> {
    let bits = ber::bit_string(&first_element(value)?)?;
    let values: Vec<ConfValue> = names
        .iter()
        .enumerate()
        .filter(|(bit, _)| ber::bit_is_set(&bits, *bit))
        .map(|(_, name)| ConfValue::name_only(name))
        .collect();
    (!values.is_empty()).then_some(values)
}

fn key_usage(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    const NAMES: [&str; 9] = [
        "Digital Signature",
        "Non Repudiation",
        "Key Encipherment",
        "Data Encipherment",
        "Key Agreement",
        "Certificate Sign",
        "CRL Sign",
        "Encipher Only",
        "Decipher Only",
    ];
    write_values(out, named_bits(value, &NAMES), indent, false)
}

fn ns_cert_type(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    const NAMES: [&str; 8] = [
        "SSL Client",
        "SSL Server",
        "S/MIME",
        "Object Signing",
        "Unused",
        "SSL CA",
        "S/MIME CA",
        "Object Signing CA",
    ];
    write_values(out, named_bits(value, &NAMES), indent, false)
}

/// `i2s_ASN1_IA5STRING`: the string up to a NUL; an empty string fails.
fn ia5_string(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    let text = first_element(value)
        .and_then(|element| ber::universal_string(&element, tag::IA5_STRING))
        .filter(|text| !text.is_empty());
    write_string(out, text, indent)
}

/// `i2s_ASN1_UTF8STRING`: the octets as they are; an empty string fails.
fn utf8_string(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    let text = first_element(value)
        .and_then(|element| ber::universal_string(&element, tag::UTF8_STRING))
        .filter(|text| !text.is_empty());
    write_string(out, text, indent)
}

fn subject_key_identifier(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    let text = first_element(value)
        .and_then(|element| ber::universal_string(&element, tag::OCTET_STRING))
        .map(|octets| colon_hex(&octets).into_bytes());
    write_string(out, text, indent)
}

/// `i2s_ASN1_INTEGER`, for the CRL number, delta CRL indicator and inhibitAnyPolicy.
fn integer_value(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    let text = first_element(value)
        .and_then(|element| ber::integer(&element))
        .map(|number| integer_to_string(&number).into_bytes());
    write_string(out, text, indent)
}

fn basic_constraints(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    let decoded = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let ca = match fields.read_universal(tag::BOOLEAN) {
            Some(element) => ber::boolean(&element)?,
            None => false,
        };
        let path_length = match fields.read_universal(tag::INTEGER) {
            Some(element) => Some(ber::integer(&element)?),
            None => None,
        };
        fields.is_empty().then_some((ca, path_length))
    })();
    let Some((ca, path_length)) = decoded else {
        return false;
    };
    let mut values = vec![ConfValue::pair(
        "CA",
        if ca {
            b"TRUE".to_vec()
        } else {
            b"FALSE".to_vec()
        },
    )];
    if let Some(path_length) = path_length {
        values.push(ConfValue::pair(
            "pathlen",
            integer_to_string(&path_length).into_bytes(),
        ));
    }
    write_values(out, Some(values), indent, false)
}

fn extended_key_usage(out: &mut Vec<u8>, value: &[u8], indent: usize, objects: &Objects) -> bool {
    let values = first_element(value)
        .and_then(|element| ber::sequence_of(&element, |item| ber::object(item)))
        .filter(|oids| !oids.is_empty())
        .map(|oids| {
            oids.iter()
                .map(|oid| ConfValue::value_only(short_oid_text(objects, oid).into_bytes()))
                .collect()
        });
    write_values(out, values, indent, false)
}

fn general_names(out: &mut Vec<u8>, value: &[u8], indent: usize, objects: &Objects) -> bool {
    let values = first_element(value)
        .and_then(|element| ber::sequence(&element).map(|_| element))
        .and_then(|element| parse_general_names(&element))
        .and_then(|names| general_names_values(&names, objects));
    write_values(out, values, indent, false)
}

fn authority_key_identifier(
    out: &mut Vec<u8>,
    value: &[u8],
    indent: usize,
    objects: &Objects,
) -> bool {
    let decoded = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let key_id = match fields.read_context(0) {
            Some(element) => Some(ber::string_octets(&element)?),
            None => None,
        };
        let issuer = match fields.read_context(1) {
            Some(element) => Some(parse_general_names(&element)?),
            None => None,
        };
        let serial = match fields.read_context(2) {
            Some(element) => Some(ber::integer_content(&element)?),
            None => None,
        };
        fields.is_empty().then_some((key_id, issuer, serial))
    })();
    let Some((key_id, issuer, serial)) = decoded else {
        return false;
    };
    let mut values: Option<Vec<ConfValue>> = None;
    if let Some(key_id) = key_id {
        let text = colon_hex(&key_id).into_bytes();
        let item = if issuer.is_some() || serial.is_some() {
            ConfValue::pair("keyid", text)
        } else {
            ConfValue::value_only(text)
        };
        values = Some(vec![item]);
    }
    if let Some(issuer) = issuer {
        let Some(names) = general_names_values(&issuer, objects) else {
            return false;
        };
        values.get_or_insert_with(Vec::new).extend(names);
    }
    if let Some(serial) = serial {
        let text = colon_hex(&integer_octets(&serial)).into_bytes();
        values
            .get_or_insert_with(Vec::new)
            .push(ConfValue::pair("serial", text));
    }
    write_values(out, values, indent, true)
}

/// Authority and subject information access: `method - name:value` per line.
fn info_access(out: &mut Vec<u8>, value: &[u8], indent: usize, objects: &Objects) -> bool {
    let values = (|| {
        let descriptions = ber::sequence_of(&first_element(value)?, |description| {
            let mut fields = ber::sequence(description)?;
            let method = ber::object(&fields.read()?)?;
            let location = parse_general_name(&fields.read()?)?;
            fields.is_empty().then_some((method, location))
        })?;
        let mut values = Vec::new();
        for (method, location) in &descriptions {
            let mut item = general_name_value(location, objects)?;
            let mut name = short_oid_text(objects, method).into_bytes();
            name.extend_from_slice(b" - ");
            name.extend_from_slice(item.name.as_deref().unwrap_or_default());
            item.name = Some(name);
            values.push(item);
        }
        Some(values)
    })();
    write_values(out, values, indent, true)
}

fn policy_constraints(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    let values = (|| {
        let mut fields = ber::sequence(&first_element(value)?)?;
        let mut values = Vec::new();
        for (number, label) in [
            (0, "Require Explicit Policy"),
            (1, "Inhibit Policy Mapping"),
        ] {
            if let Some(element) = fields.read_context(number) {
                let skip = ber::integer_content(&element)?;
                values.push(ConfValue::pair(
                    label,
                    integer_to_string(&skip).into_bytes(),
                ));
            }
        }
        (fields.is_empty() && !values.is_empty()).then_some(values)
    })();
    write_values(out, values, indent, false)
}

fn policy_mappings(out: &mut Vec<u8>, value: &[u8], indent: usize, objects: &Objects) -> bool {
    let values = (|| {
        let mappings = ber::sequence_of(&first_element(value)?, |mapping| {
            let mut fields = ber::sequence(mapping)?;
            let issuer = ber::object(&fields.read()?)?;
            let subject = ber::object(&fields.read()?)?;
            fields.is_empty().then_some((issuer, subject))
        })?;
        let values: Vec<ConfValue> = mappings
            .iter()
            .map(|(issuer, subject)| {
                let name = short_oid_text(objects, issuer);
                ConfValue::pair(&name, short_oid_text(objects, subject).into_bytes())
            })
            .collect();
        (!values.is_empty()).then_some(values)
    })();
    write_values(out, values, indent, false)
}

fn tls_feature(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    let values = (|| {
        let features = ber::sequence_of(&first_element(value)?, |item| ber::integer(item))?;
        let values: Vec<ConfValue> = features
            .iter()
            .map(|feature| match feature.to_i64() {
                Some(5) => ConfValue::value_only(b"status_request".to_vec()),
                Some(17) => ConfValue::value_only(b"status_request_v2".to_vec()),
                _ => ConfValue::value_only(integer_to_string(feature).into_bytes()),
            })
            .collect();
        (!values.is_empty()).then_some(values)
    })();
    write_values(out, values, indent, false)
}

/// One PolicyQualifierInfo, decoded by its qualifier id as the template's ADB table does.
enum Qualifier<'a> {
    Cps(Vec<u8>),
    UserNotice(UserNotice),
    Other(&'a [u8]),
}

struct UserNotice {
    reference: Option<(Vec<u8>, Vec<BigInt>)>,
    explicit_text: Option<Vec<u8>>,
}

const ID_QT_CPS: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x01];
const ID_QT_UNOTICE: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x02];

/// DisplayText: IA5, Visible, BMP or UTF8 String.
fn display_text(element: &Element<'_>) -> Option<Vec<u8>> {
    if element.class != ber::Class::Universal || !matches!(element.number, 12 | 22 | 26 | 30) {
        return None;
    }
    let data = ber::string_octets(element)?;
    (element.number != tag::BMP_STRING || data.len() % 2 == 0).then_some(data)
}

fn parse_qualifier<'a>(element: &Element<'a>) -> Option<Qualifier<'a>> {
    let mut fields = ber::sequence(element)?;
    let id = ber::object(&fields.read()?)?;
    let qualifier = fields.read()?;
    if !fields.is_empty() {
        return None;
    }
    if id == ID_QT_CPS {
        return Some(Qualifier::Cps(ber::universal_string(
            &qualifier,
            tag::IA5_STRING,
        )?));
    }
    if id != ID_QT_UNOTICE {
        return Some(Qualifier::Other(id));
    }
    let mut notice = ber::sequence(&qualifier)?;
    let reference = match notice.read_universal(tag::SEQUENCE) {
        Some(element) => {
            let mut parts = ber::sequence(&element)?;
            let organization = display_text(&parts.read()?)?;
            let numbers = ber::sequence_of(&parts.read()?, |item| ber::integer(item))?;
            parts.is_empty().then_some(())?;
            Some((organization, numbers))
        }
        None => None,
    };
    let explicit_text = match notice.read() {
        Some(element) => Some(display_text(&element)?),
        None => None,
    };
    notice.is_empty().then_some(())?;
    Some(Qualifier::UserNotice(UserNotice {
        reference,
        explicit_text,
    }))
}

fn certificate_policies(out: &mut Vec<u8>, value: &[u8], indent: usize, objects: &Objects) -> bool {
    let decoded = first_element(value).and_then(|element| {
        ber::sequence_of(&element, |info| {
            let mut fields = ber::sequence(info)?;
            let policy = ber::object(&fields.read()?)?;
            let qualifiers = match fields.read() {
                Some(element) => Some(ber::sequence_of(&element, parse_qualifier)?),
                None => None,
            };
            fields.is_empty().then_some((policy, qualifiers))
        })
    });
    let Some(policies) = decoded else {
        return false;
    };
    for (i, (policy, qualifiers)) in policies.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        pad(out, indent);
        out.extend_from_slice(b"Policy: ");
        out.extend_from_slice(oid_text(objects, policy).as_bytes());
        if let Some(qualifiers) = qualifiers {
            out.push(b'\n');
            print_qualifiers(out, qualifiers, indent + 2, objects);
        }
    }
    true
}

/// Prints the qualifiers one per line, without a newline after the last.
fn print_qualifiers(
    out: &mut Vec<u8>,
    qualifiers: &[Qualifier<'_>],
    indent: usize,
    objects: &Objects,
) {
    for (i, qualifier) in qualifiers.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        match qualifier {
            Qualifier::Cps(uri) => {
                pad(out, indent);
                out.extend_from_slice(b"CPS: ");
                out.extend_from_slice(c_string(uri));
            }
            Qualifier::UserNotice(notice) => {
                pad(out, indent);
                out.extend_from_slice(b"User Notice:\n");
                print_notice(out, notice, indent + 2);
            }
            Qualifier::Other(id) => {
                pad(out, indent + 2);
                out.extend_from_slice(b"Unknown Qualifier: ");
                out.extend_from_slice(oid_text(objects, id).as_bytes());
            }
        }
    }
}

fn print_notice(out: &mut Vec<u8>, notice: &UserNotice, indent: usize) {
    if let Some((organization, numbers)) = &notice.reference {
        pad(out, indent);
        out.extend_from_slice(b"Organization: ");
        out.extend_from_slice(c_string(organization));
        out.push(b'\n');
        pad(out, indent);
        out.extend_from_slice(if numbers.len() > 1 {
            b"Numbers: "
        } else {
            b"Number: "
        });
        let texts: Vec<String> = numbers.iter().map(integer_to_string).collect();
        out.extend_from_slice(texts.join(", ").as_bytes());
        if notice.explicit_text.is_some() {
            out.push(b'\n');
        }
    }
    if let Some(text) = &notice.explicit_text {
        pad(out, indent);
        out.extend_from_slice(b"Explicit Text: ");
        out.extend_from_slice(c_string(text));
    }
}

/// Prints the CT precertificate poison, a NULL, as `NULL`.
fn precertificate_poison(out: &mut Vec<u8>, value: &[u8], indent: usize, _: &Objects) -> bool {
    if first_element(value)
        .and_then(|element| ber::null(&element))
        .is_none()
    {
        return false;
    }
    pad(out, indent);
    out.extend_from_slice(b"NULL");
    true
}

/// `%*s` with an empty string: `indent` spaces.
pub(super) fn pad(out: &mut Vec<u8>, indent: usize) {
    out.extend(std::iter::repeat_n(b' ', indent));
}
