//! GeneralName text of OpenSSL 3.0 (`crypto/x509/v3_san.c`): the
//! `name:value` pairs of `i2v_GENERAL_NAME`, which the TSA line and most
//! extensions use, and the direct form of `GENERAL_NAME_print`, which CRL
//! distribution points and name constraints use.

use super::ber::{self, Class, Element, tag};
use super::name::{NameEntry, oneline, parse_name};
use super::oid::{oid_text, truncate};
use super::strex::name_oneline_rfc2253;
use super::text::printable_or_dot;
use super::values::ConfValue;
use crate::asn1::GeneralName;
use crate::oid::Objects;

/// id-on-SmtpUTF8Mailbox, 1.3.6.1.5.5.7.8.9.
const SMTP_UTF8_MAILBOX: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x09];
/// id-on-xmppAddr, 1.3.6.1.5.5.7.8.5.
const XMPP_ADDR: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x05];
/// id-on-dnsSRV, 1.3.6.1.5.5.7.8.7.
const SRV_NAME: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x07];
/// id-on-naiRealm, 1.3.6.1.5.5.7.8.8.
const NAI_REALM: &[u8] = &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x08, 0x08];
/// Microsoft's User Principal Name, 1.3.6.1.4.1.311.20.2.3.
const MS_UPN: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03];

/// The OtherName forms with a name of their own: type-id, label, required string type.
const KNOWN_OTHER_NAMES: [(&[u8], &str, u32); 5] = [
    (SMTP_UTF8_MAILBOX, "SmtpUTF8Mailbox", tag::UTF8_STRING),
    (XMPP_ADDR, "XmppAddr", tag::UTF8_STRING),
    (SRV_NAME, "SRVName", tag::IA5_STRING),
    (MS_UPN, "UPN", tag::UTF8_STRING),
    (NAI_REALM, "NAIRealm", tag::UTF8_STRING),
];

/// An OtherName value: its universal tag (`None` for other classes) and octets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OtherValue {
    tag: Option<u32>,
    data: Vec<u8>,
}

/// A decoded GeneralName.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum NameView<'a> {
    Other {
        type_id: &'a [u8],
        value: OtherValue,
    },
    Email(Vec<u8>),
    Dns(Vec<u8>),
    X400,
    Directory(Vec<NameEntry<'a>>),
    EdiParty,
    Uri(Vec<u8>),
    Ip(Vec<u8>),
    RegisteredId(&'a [u8]),
}

/// Decodes a GeneralName as OpenSSL's `GENERAL_NAME` template does.
pub(super) fn parse_general_name<'a>(element: &Element<'a>) -> Option<NameView<'a>> {
    if element.class != Class::Context {
        return None;
    }
    let name = match element.number {
        0 => parse_other_name(element)?,
        1 => NameView::Email(ber::string_octets(element)?),
        2 => NameView::Dns(ber::string_octets(element)?),
        3 => {
            element.children()?;
            NameView::X400
        }
        4 => NameView::Directory(parse_name(&ber::explicit(element)?)?),
        5 => {
            check_edi_party_name(element)?;
            NameView::EdiParty
        }
        6 => NameView::Uri(ber::string_octets(element)?),
        7 => NameView::Ip(ber::string_octets(element)?),
        8 => NameView::RegisteredId(ber::object_content(element)?),
        _ => return None,
    };
    Some(name)
}

/// GeneralNames: a SEQUENCE OF GeneralName.
pub(super) fn parse_general_names<'a>(element: &Element<'a>) -> Option<Vec<NameView<'a>>> {
    element.children()?.read_all(parse_general_name)
}

fn parse_other_name<'a>(element: &Element<'a>) -> Option<NameView<'a>> {
    let mut fields = element.children()?;
    let type_id = ber::object(&fields.read()?)?;
    let wrapper = fields.read_context(0)?;
    if !fields.is_empty() {
        return None;
    }
    let value = parse_any(&ber::explicit(&wrapper)?)?;
    Some(NameView::Other { type_id, value })
}

/// Decodes an ANY value as `ASN1_TYPE` does, keeping what the printers read.
fn parse_any(element: &Element<'_>) -> Option<OtherValue> {
    if element.class != Class::Universal {
        return Some(OtherValue {
            tag: None,
            data: element.encoding.to_vec(),
        });
    }
    let data = match element.number {
        tag::BOOLEAN => ber::boolean(element).map(|_| Vec::new())?,
        tag::INTEGER => ber::integer(element).map(|_| Vec::new())?,
        tag::ENUMERATED => ber::enumerated(element).map(|_| Vec::new())?,
        tag::NULL => ber::null(element).map(|_| Vec::new())?,
        tag::OBJECT => ber::object(element)?.to_vec(),
        tag::SEQUENCE | tag::SET => {
            element.children()?;
            element.encoding.to_vec()
        }
        _ => ber::string_octets(element)?,
    };
    Some(OtherValue {
        tag: Some(element.number),
        data,
    })
}

/// EDIPartyName ::= SEQUENCE { nameAssigner [0] DirectoryString OPTIONAL,
/// partyName [1] DirectoryString }, both explicitly tagged.
fn check_edi_party_name(element: &Element<'_>) -> Option<()> {
    let mut fields = element.children()?;
    if let Some(assigner) = fields.read_context(0) {
        directory_string(&ber::explicit(&assigner)?)?;
    }
    directory_string(&ber::explicit(&fields.read_context(1)?)?)?;
    fields.is_empty().then_some(())
}

/// DirectoryString: Printable, Teletex, BMP, Universal or UTF8 String.
pub(super) fn directory_string(element: &Element<'_>) -> Option<Vec<u8>> {
    if element.class != Class::Universal || !matches!(element.number, 12 | 19 | 20 | 28 | 30) {
        return None;
    }
    let data = ber::string_octets(element)?;
    let width_ok = match element.number {
        30 => data.len() % 2 == 0,
        28 => data.len() % 4 == 0,
        _ => true,
    };
    width_ok.then_some(data)
}

/// Decodes the crate's GeneralName through its DER encoding, so the TSA name
/// and the names inside extensions print through one path.
///
/// NOTE: `crate::asn1::GeneralName` keeps neither the encoded order of a
/// multi-valued RDN nor the segments of a constructed IA5String, so such TSA
/// names print differently from OpenSSL, which keeps both.
pub(super) fn with_general_name<T>(
    name: &GeneralName,
    print: impl FnOnce(&NameView<'_>) -> T,
) -> Option<T> {
    let der = der::Encode::to_der(name).ok()?;
    let element = ber::first_element(&der)?;
    let view = parse_general_name(&element)?;
    Some(print(&view))
}

/// `ossl_ipaddr_to_asc`: dotted IPv4, uncompressed uppercase IPv6, or
/// `<invalid length=N>`.
pub(super) fn ip_address_text(octets: &[u8]) -> String {
    match octets.len() {
        4 => format!("{}.{}.{}.{}", octets[0], octets[1], octets[2], octets[3]),
        16 => octets
            .chunks(2)
            .map(|pair| format!("{:X}", u16::from_be_bytes([pair[0], pair[1]])))
            .collect::<Vec<_>>()
            .join(":"),
        length => format!("<invalid length={length}>"),
    }
}

/// `x509v3_add_len_value`: the value as a C string, `None` when it contains a NUL.
fn length_checked_value(name: &str, data: &[u8]) -> Option<ConfValue> {
    if data.contains(&0) {
        return None;
    }
    Some(ConfValue::pair(name, data.to_vec()))
}

/// `i2v_GENERAL_NAME`: the name as one `name:value` pair, or `None` where
/// OpenSSL returns NULL.
pub(super) fn general_name_value(view: &NameView<'_>, objects: &Objects) -> Option<ConfValue> {
    match view {
        NameView::Other { type_id, value } => other_name_value(type_id, value, objects),
        NameView::X400 => Some(ConfValue::pair("X400Name", b"<unsupported>".to_vec())),
        NameView::EdiParty => Some(ConfValue::pair("EdiPartyName", b"<unsupported>".to_vec())),
        NameView::Email(data) => length_checked_value("email", data),
        NameView::Dns(data) => length_checked_value("DNS", data),
        NameView::Uri(data) => length_checked_value("URI", data),
        NameView::Directory(entries) => {
            let text = oneline(entries, objects, 256)?;
            Some(ConfValue::pair("DirName", text))
        }
        NameView::Ip(octets) => Some(ConfValue::pair(
            "IP Address",
            ip_address_text(octets).into_bytes(),
        )),
        NameView::RegisteredId(oid) => {
            let text = truncate(oid_text(objects, oid), 256);
            Some(ConfValue::pair("Registered ID", text.into_bytes()))
        }
    }
}

fn other_name_value(type_id: &[u8], value: &OtherValue, objects: &Objects) -> Option<ConfValue> {
    if let Some((_, label, required)) = KNOWN_OTHER_NAMES.iter().find(|(oid, _, _)| *oid == type_id)
    {
        if value.tag != Some(*required) {
            return None;
        }
        return length_checked_value(&format!("othername: {label}:"), &value.data);
    }
    let oid = truncate(oid_text(objects, type_id), 256);
    let label = truncate(format!("othername: {oid}:"), 300);
    if matches!(value.tag, Some(tag::IA5_STRING | tag::UTF8_STRING))
        && let Some(pair) = length_checked_value(&label, &value.data)
    {
        return Some(pair);
    }
    Some(ConfValue::pair(&label, b"<unsupported>".to_vec()))
}

/// `GENERAL_NAME_print`: the name written directly, with `ASN1_STRING_print`
/// for strings and `X509_NAME_print_ex(.., XN_FLAG_ONELINE)` for directory names.
pub(super) fn print_general_name(out: &mut Vec<u8>, view: &NameView<'_>, objects: &Objects) {
    match view {
        NameView::Other { type_id, value } => {
            let known = KNOWN_OTHER_NAMES
                .iter()
                .find(|(oid, _, _)| *oid == *type_id);
            let required = known.map_or(tag::UTF8_STRING, |(_, _, required)| *required);
            match known {
                Some((_, label, _)) if value.tag == Some(required) => {
                    out.extend_from_slice(format!("othername:{label}:").as_bytes());
                    out.extend_from_slice(super::text::c_string(&value.data));
                }
                _ => out.extend_from_slice(b"othername:<unsupported>"),
            }
        }
        NameView::X400 => out.extend_from_slice(b"X400Name:<unsupported>"),
        NameView::EdiParty => out.extend_from_slice(b"EdiPartyName:<unsupported>"),
        NameView::Email(data) => {
            out.extend_from_slice(b"email:");
            printable_or_dot(out, data);
        }
        NameView::Dns(data) => {
            out.extend_from_slice(b"DNS:");
            printable_or_dot(out, data);
        }
        NameView::Uri(data) => {
            out.extend_from_slice(b"URI:");
            printable_or_dot(out, data);
        }
        NameView::Directory(entries) => {
            out.extend_from_slice(b"DirName:");
            name_oneline_rfc2253(out, entries, objects);
        }
        NameView::Ip(octets) => {
            out.extend_from_slice(b"IP Address:");
            out.extend_from_slice(ip_address_text(octets).as_bytes());
        }
        NameView::RegisteredId(oid) => {
            out.extend_from_slice(b"Registered ID:");
            out.extend_from_slice(oid_text(objects, oid).as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses() {
        assert_eq!(ip_address_text(&[192, 0, 2, 1]), "192.0.2.1");
        let mut v6 = [0u8; 16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = 0xb8;
        v6[15] = 1;
        assert_eq!(ip_address_text(&v6), "2001:DB8:0:0:0:0:0:1");
        assert_eq!(ip_address_text(&[1, 2, 3]), "<invalid length=3>");
    }

    #[test]
    fn upn_prints_with_double_colon() {
        let objects = Objects::new();
        let view = NameView::Other {
            type_id: MS_UPN,
            value: OtherValue {
                tag: Some(tag::UTF8_STRING),
                data: b"upn@example.test".to_vec(),
            },
        };
        let pair = general_name_value(&view, &objects).unwrap();
        assert_eq!(pair.to_bytes(), b"othername: UPN::upn@example.test");
    }

    #[test]
    fn any_nul_fails() {
        assert!(length_checked_value("DNS", b"a\0b").is_none());
        assert!(length_checked_value("DNS", b"ab\0").is_none());
        let pair = length_checked_value("DNS", b"").unwrap();
        assert_eq!(pair.to_bytes(), b"DNS:");
    }
}
