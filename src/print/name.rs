//! Distinguished names as OpenSSL 3.0 decodes and prints them: the entries of
//! an `X509_NAME` and `X509_NAME_oneline` (`crypto/x509/x509_obj.c`).
//!
//! TODO: merge this `X509_NAME_oneline` with the one in `crate::x509`.

use super::ber::{self, Element, Reader, tag};
use super::oid::attribute_name;
use super::strex::utf8_getc;
use crate::oid::Objects;

/// One attribute of a name, with the value as OpenSSL stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NameEntry<'a> {
    /// The attribute type's OID content octets.
    pub oid: &'a [u8],
    /// The index of the RDN the attribute belongs to.
    pub set: usize,
    /// The value's universal tag number.
    pub tag: u32,
    /// The value's octets: the content for strings, without the unused-bits
    /// octet for a BIT STRING, the whole encoding for a SEQUENCE.
    pub data: Vec<u8>,
    /// The value's DER encoding, which `XN_FLAG_ONELINE` dumps for non-string types.
    pub der: Vec<u8>,
}

/// Universal tags that `X509_NAME_ENTRY` values may have (`B_ASN1_PRINTABLE`,
/// which includes the types without a bit of their own).
fn is_name_value_tag(number: u32) -> bool {
    matches!(
        number,
        3 | 7 | 8 | 9 | 11..=16 | 18 | 19 | 20 | 22 | 28 | 29 | 30
    )
}

/// Decodes a Name (a SEQUENCE OF RDNs) as `x509_name_ex_d2i` does, including
/// the conversion to UTF-8 that its canonical encoding needs.
pub(super) fn parse_name<'a>(element: &Element<'a>) -> Option<Vec<NameEntry<'a>>> {
    let mut rdns = ber::sequence(element)?;
    let mut entries = Vec::new();
    let mut set = 0;
    while !rdns.is_empty() {
        let rdn = rdns.read()?;
        if !rdn.is_universal(tag::SET) {
            return None;
        }
        let mut attributes = rdn.children()?;
        while !attributes.is_empty() {
            entries.push(parse_entry(&attributes.read()?, set)?);
        }
        set += 1;
    }
    Some(entries)
}

/// Decodes a RelativeDistinguishedName's attributes (a SET OF
/// AttributeTypeAndValue), all with set index 0.
pub(super) fn parse_rdn_content<'a>(mut attributes: Reader<'a>) -> Option<Vec<NameEntry<'a>>> {
    let mut entries = Vec::new();
    while !attributes.is_empty() {
        entries.push(parse_entry(&attributes.read()?, 0)?);
    }
    Some(entries)
}

fn parse_entry<'a>(element: &Element<'a>, set: usize) -> Option<NameEntry<'a>> {
    let mut fields = ber::sequence(element)?;
    let oid = ber::object(&fields.read()?)?;
    let value = fields.read()?;
    if !fields.is_empty() {
        return None;
    }
    if value.class != ber::Class::Universal || !is_name_value_tag(value.number) {
        return None;
    }
    let (data, der) = match value.number {
        tag::SEQUENCE => (value.encoding.to_vec(), value.encoding.to_vec()),
        tag::BIT_STRING => {
            let octets = ber::string_octets(&value)?;
            let (&unused, _) = octets.split_first()?;
            let bits = ber::bit_string_content(&value)?;
            let mut content = vec![unused];
            content.extend_from_slice(&bits);
            (bits, der_encoding(tag::BIT_STRING, &content))
        }
        number => {
            let data = ber::string_octets(&value)?;
            let der = der_encoding(number, &data);
            (data, der)
        }
    };
    if !converts_to_utf8(value.number, &data) {
        return None;
    }
    Some(NameEntry {
        oid,
        set,
        tag: value.number,
        data,
        der,
    })
}

/// Returns whether `ASN1_STRING_to_UTF8` accepts the value. OpenSSL converts
/// every string type it compares while decoding a name, and fails on these.
fn converts_to_utf8(tag: u32, data: &[u8]) -> bool {
    let valid = |c: u32| c <= 0x10FFFF && !(0xD800..=0xDFFF).contains(&c);
    match tag {
        12 => {
            let mut rest = data;
            while !rest.is_empty() {
                match utf8_getc(rest) {
                    Some((c, used)) if valid(c) => rest = &rest[used..],
                    _ => return false,
                }
            }
            true
        }
        30 => {
            data.len().is_multiple_of(2)
                && data
                    .chunks(2)
                    .all(|pair| valid(u32::from(u16::from_be_bytes([pair[0], pair[1]]))))
        }
        28 => {
            data.len().is_multiple_of(4)
                && data
                    .chunks(4)
                    .all(|quad| valid(u32::from_be_bytes([quad[0], quad[1], quad[2], quad[3]])))
        }
        _ => true,
    }
}

/// Tag, definite length and content of a universal primitive type.
fn der_encoding(number: u32, content: &[u8]) -> Vec<u8> {
    let mut out = vec![number as u8];
    let length = content.len();
    if length < 0x80 {
        out.push(length as u8);
    } else {
        let octets = length.to_be_bytes();
        let skip = octets.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (octets.len() - skip) as u8);
        out.extend_from_slice(&octets[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// The largest value `X509_NAME_oneline` accepts.
const NAME_ONELINE_MAX: usize = 1024 * 1024;

/// `X509_NAME_oneline(name, buf, size)`: `/C=HU/CN=tsa1`, with `+` before the
/// further attributes of an RDN, `\` before `/` and `+`, and other octets
/// outside printable ASCII as `\xHH`.
///
/// An attribute that does not fit in the buffer ends the text there. `None`
/// is OpenSSL's NULL return for values over its size limit.
pub(super) fn oneline(
    entries: &[NameEntry<'_>],
    objects: &Objects,
    size: usize,
) -> Option<Vec<u8>> {
    let capacity = size.checked_sub(1)?;
    let mut out = Vec::new();
    let mut previous_set = None;
    for entry in entries {
        let field = attribute_name(objects, entry.oid);
        if entry.data.len() > NAME_ONELINE_MAX {
            return None;
        }
        let keep = general_string_mask(entry.tag, &entry.data);
        let mut value = Vec::new();
        for (index, &byte) in entry.data.iter().enumerate() {
            if !keep[index % 4] {
                continue;
            }
            if !(b' '..=b'~').contains(&byte) {
                value.extend_from_slice(format!("\\x{byte:02X}").as_bytes());
            } else {
                if byte == b'/' || byte == b'+' {
                    value.push(b'\\');
                }
                value.push(byte);
            }
        }
        let length = out.len() + 1 + field.len() + 1 + value.len();
        if length > NAME_ONELINE_MAX {
            return None;
        }
        if length > capacity {
            break;
        }
        out.push(if previous_set == Some(entry.set) {
            b'+'
        } else {
            b'/'
        });
        out.extend_from_slice(field.as_bytes());
        out.push(b'=');
        out.extend_from_slice(&value);
        previous_set = Some(entry.set);
    }
    Some(out)
}

/// Selects which of every four octets of a GeneralString value print: when
/// the first three octets of each group are all zero, the value is read as
/// UCS-4 and only the low octets print.
fn general_string_mask(tag: u32, data: &[u8]) -> [bool; 4] {
    if tag != 27 || !data.len().is_multiple_of(4) {
        return [true; 4];
    }
    let mut nonzero = [false; 4];
    for (index, byte) in data.iter().enumerate() {
        if *byte != 0 {
            nonzero[index % 4] = true;
        }
    }
    if nonzero[0] || nonzero[1] || nonzero[2] {
        [true; 4]
    } else {
        [false, false, false, true]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries_from_der(der: &[u8]) -> Option<Vec<NameEntry<'_>>> {
        parse_name(&ber::first_element(der)?)
    }

    fn printable(oid: &[u8], value: &str) -> Vec<u8> {
        let mut attribute = vec![0x06, oid.len() as u8];
        attribute.extend_from_slice(oid);
        attribute.extend([0x13, value.len() as u8]);
        attribute.extend_from_slice(value.as_bytes());
        let mut sequence = vec![0x30, attribute.len() as u8];
        sequence.extend(attribute);
        let mut set = vec![0x31, sequence.len() as u8];
        set.extend(sequence);
        set
    }

    fn name(rdns: &[Vec<u8>]) -> Vec<u8> {
        let content: Vec<u8> = rdns.concat();
        let mut out = vec![0x30, content.len() as u8];
        out.extend(content);
        out
    }

    const CN: &[u8] = &[0x55, 0x04, 0x03];
    const C: &[u8] = &[0x55, 0x04, 0x06];

    #[test]
    fn oneline_short_names_and_escapes() {
        let der = name(&[printable(C, "HU"), printable(CN, "a/b+c\u{7f}")]);
        let entries = entries_from_der(&der).unwrap();
        let text = oneline(&entries, &Objects::new(), 256).unwrap();
        assert_eq!(text, b"/C=HU/CN=a\\/b\\+c\\x7F");
    }

    #[test]
    fn oneline_drops_the_entry_that_does_not_fit() {
        let der = name(&[printable(C, "HU"), printable(CN, &"x".repeat(100))]);
        let entries = entries_from_der(&der).unwrap();
        let text = oneline(&entries, &Objects::new(), 20).unwrap();
        assert_eq!(text, b"/C=HU");
    }

    #[test]
    fn empty_name_is_empty_text() {
        let entries = entries_from_der(&[0x30, 0x00]).unwrap();
        assert_eq!(oneline(&entries, &Objects::new(), 256).unwrap(), b"");
    }

    #[test]
    fn invalid_utf8_value_fails_to_decode() {
        let der = [
            0x30, 0x0C, 0x31, 0x0A, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0C, 0x01, 0xFF,
        ];
        assert!(entries_from_der(&der).is_none());
    }
}
