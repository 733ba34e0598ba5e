//! Distinguished names as OpenSSL 3.0 compares, hashes and prints them.
//!
//! `X509_NAME_cmp` does not compare the encodings as received. It compares a
//! canonical encoding (crypto/x509/x_name.c, `x509_name_canon`): every
//! attribute value of a string type is converted to UTF-8, ASCII letters are
//! lower-cased, leading and trailing ASCII white space is removed and inner
//! runs of white space become one space. Each RDN is then encoded as a DER
//! SET OF (sorted), and the SETs are concatenated without an outer SEQUENCE.
//! The subject hash that names the files of a hashed CA directory is the
//! SHA-1 of that encoding.

use der::Tagged;
use der::asn1::{Any, ObjectIdentifier};
use der::{Encode, Tag};
use digest::Digest;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RelativeDistinguishedName};

use crate::asn1::der_set_order;
use crate::oid::Objects;

/// Largest one-line form `X509_NAME_oneline` builds, in bytes (its `NAME_ONELINE_MAX`).
const ONELINE_MAX: usize = 1024 * 1024;

/// Compares names as `X509_NAME_cmp` does: equal when their canonical encodings are equal.
pub fn names_equal(a: &Name, b: &Name) -> bool {
    canonical_encoding(a) == canonical_encoding(b)
}

/// The canonical encoding `X509_NAME_cmp` compares and `X509_NAME_hash` hashes.
///
/// An empty name has an empty encoding. A value that OpenSSL cannot convert
/// to UTF-8 (invalid UTF-8, a BMPString of odd length) makes OpenSSL reject
/// the whole certificate; here that value is kept as encoded instead.
pub fn canonical_encoding(name: &Name) -> Vec<u8> {
    canonical_rdns(name.iter_rdn())
}

/// The canonical encoding of `name` without its last non-empty RDN.
pub(crate) fn canonical_encoding_without_last_rdn(name: &Name) -> Vec<u8> {
    let rdns: Vec<&RelativeDistinguishedName> = name.iter_rdn().collect();
    let keep = rdns.iter().rposition(|rdn| !rdn.is_empty()).unwrap_or(0);
    canonical_rdns(rdns[..keep].iter().copied())
}

fn canonical_rdns<'a>(rdns: impl Iterator<Item = &'a RelativeDistinguishedName>) -> Vec<u8> {
    let mut out = Vec::new();
    for rdn in rdns {
        let mut entries: Vec<Vec<u8>> = rdn.iter().map(canonical_entry).collect();
        if entries.is_empty() {
            continue;
        }
        entries.sort_by(|a, b| der_set_order(a, b));
        let content_len: usize = entries.iter().map(Vec::len).sum();
        push_header(&mut out, 0x31, content_len);
        for entry in entries {
            out.extend_from_slice(&entry);
        }
    }
    out
}

/// The subject hash of `X509_NAME_hash_ex`: the first four bytes of the SHA-1 of
/// the canonical encoding, read as a little-endian number.
///
/// Hashed CA directories name their files `format!("{:08x}.{n}", name_hash(subject))`.
pub fn name_hash(name: &Name) -> u32 {
    let digest = sha1::Sha1::digest(canonical_encoding(name));
    u32::from_le_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// The encoding of one AttributeTypeAndValue with its value in canonical form.
fn canonical_entry(entry: &AttributeTypeAndValue) -> Vec<u8> {
    let value = match canonical_value(&entry.value) {
        Some(text) => {
            let mut value = Vec::with_capacity(text.len() + 4);
            push_header(&mut value, 0x0C, text.len());
            value.extend_from_slice(&text);
            value
        }
        None => any_to_der(&entry.value),
    };
    let oid = entry.oid.as_bytes();
    let mut content = Vec::with_capacity(oid.len() + value.len() + 4);
    push_header(&mut content, 0x06, oid.len());
    content.extend_from_slice(oid);
    content.extend_from_slice(&value);

    let mut out = Vec::with_capacity(content.len() + 4);
    push_header(&mut out, 0x30, content.len());
    out.extend_from_slice(&content);
    out
}

/// The canonical UTF-8 text of a value whose type `asn1_string_canon` converts
/// (UTF8String, BMPString, UniversalString, PrintableString, T61String,
/// IA5String, VisibleString), or `None` for a value kept as encoded.
fn canonical_value(value: &Any) -> Option<Vec<u8>> {
    let text = string_to_utf8(value.tag(), value.value())?;
    Some(canonicalize_text(&text))
}

/// Converts string content octets to UTF-8 as `ASN1_STRING_to_UTF8` does for the
/// types the canonical form covers: one byte per character for the
/// single-byte types (read as Latin-1), UCS-2 for BMPString.
///
/// NOTE: UniversalString is in OpenSSL's list too, but the `der` crate cannot
/// decode that tag, so names containing one do not parse at all.
fn string_to_utf8(tag: Tag, content: &[u8]) -> Option<Vec<u8>> {
    let text: String = match tag {
        Tag::Utf8String => std::str::from_utf8(content).ok()?.to_owned(),
        Tag::PrintableString | Tag::TeletexString | Tag::Ia5String | Tag::VisibleString => {
            content.iter().map(|b| char::from(*b)).collect()
        }
        Tag::BmpString => {
            if !content.len().is_multiple_of(2) {
                return None;
            }
            content
                .chunks_exact(2)
                .map(|pair| char::from_u32(u32::from(u16::from_be_bytes([pair[0], pair[1]]))))
                .collect::<Option<String>>()?
        }
        _ => return None,
    };
    Some(text.into_bytes())
}

/// The space and case folding of `asn1_string_canon`, on UTF-8 bytes: bytes
/// above 0x7F are copied, ASCII white space is trimmed at both ends and each
/// inner run becomes one space, ASCII letters are lower-cased.
fn canonicalize_text(text: &[u8]) -> Vec<u8> {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let start = text.iter().position(|b| !is_space(b)).unwrap_or(text.len());
    let end = text
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);

    let mut out = Vec::with_capacity(end - start);
    let mut in_space = false;
    for byte in &text[start..end] {
        if is_space(byte) {
            if !in_space {
                out.push(b' ');
            }
            in_space = true;
        } else {
            out.push(byte.to_ascii_lowercase());
            in_space = false;
        }
    }
    out
}

/// Appends a DER tag and length.
fn push_header(out: &mut Vec<u8>, tag: u8, len: usize) {
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    out.push(0x80 | (bytes.len() - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

/// The full encoding of a value, which `Any` always has.
fn any_to_der(value: &Any) -> Vec<u8> {
    value.to_der().unwrap_or_default()
}

/// The one-line form `X509_NAME_oneline` writes, such as
/// `/C=HU/ST=Budapest/CN=tsa1`, with the built-in object names.
pub fn name_oneline(name: &Name) -> String {
    name_oneline_with(name, &Objects::new(), None)
}

/// The one-line form `X509_NAME_oneline` writes, with the short names of `objects`.
///
/// Each attribute is `/SN=value`, or `+SN=value` inside a multi-valued RDN. An
/// attribute type without a short name is written as its dotted OID. In values,
/// `/` and `+` get a backslash and bytes outside 0x20..=0x7E become `\xHH`.
/// String values are written from their content octets, so a BMPString shows
/// its zero bytes as `\x00`.
///
/// With `buffer_len`, the form is built as into a C buffer of that size: an
/// attribute that does not fit, with the terminating NUL, is dropped together
/// with every attribute after it. OpenSSL's printers use 256-byte buffers.
/// Without it, a form longer than 1 MiB is cut the same way, where OpenSSL
/// returns no text at all.
pub fn name_oneline_with(name: &Name, objects: &Objects, buffer_len: Option<usize>) -> String {
    let limit = buffer_len.map(|len| len.saturating_sub(1));
    let mut out = String::new();
    for rdn in name.iter_rdn() {
        for (entry_index, entry) in rdn.iter().enumerate() {
            let mut piece = String::new();
            piece.push(if entry_index == 0 { '/' } else { '+' });
            piece.push_str(&attribute_short_name(&entry.oid, objects));
            piece.push('=');
            escape_value(&oneline_value_bytes(&entry.value), &mut piece);

            let new_len = out.len() + piece.len();
            if new_len > ONELINE_MAX || limit.is_some_and(|limit| new_len > limit) {
                return out;
            }
            out.push_str(&piece);
        }
    }
    out
}

/// The short name `X509_NAME_oneline` prints for an attribute type, or its
/// dotted form truncated to 79 characters as `i2t_ASN1_OBJECT` writes it into
/// an 80-byte buffer.
fn attribute_short_name(oid: &ObjectIdentifier, objects: &Objects) -> String {
    match objects.short_name(oid) {
        Some(name) => name.to_owned(),
        None => {
            let mut dotted = oid.to_string();
            dotted.truncate(79);
            dotted
        }
    }
}

/// The bytes OpenSSL keeps for a name attribute value: the content octets for
/// strings, the whole encoding for a SEQUENCE or SET.
fn oneline_value_bytes(value: &Any) -> Vec<u8> {
    match value.tag() {
        Tag::Sequence | Tag::Set => any_to_der(value),
        Tag::GeneralString => general_string_bytes(value.value()),
        _ => value.value().to_vec(),
    }
}

/// `X509_NAME_oneline` reads a GeneralString whose length is a multiple of four
/// and whose bytes at offsets 0, 1 and 2 (mod 4) are all zero as UCS-4 and
/// keeps only every fourth byte.
fn general_string_bytes(content: &[u8]) -> Vec<u8> {
    let ucs4 = !content.is_empty()
        && content.len().is_multiple_of(4)
        && content
            .iter()
            .enumerate()
            .all(|(i, b)| i % 4 == 3 || *b == 0);
    if ucs4 {
        content.iter().skip(3).step_by(4).copied().collect()
    } else {
        content.to_vec()
    }
}

fn escape_value(bytes: &[u8], out: &mut String) {
    for byte in bytes {
        match byte {
            b'/' | b'+' => {
                out.push('\\');
                out.push(char::from(*byte));
            }
            0x20..=0x7E => out.push(char::from(*byte)),
            _ => out.push_str(&format!("\\x{byte:02X}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn name(text: &str) -> Name {
        Name::from_str(text).unwrap()
    }

    #[test]
    fn case_and_spaces_fold() {
        let a = name("CN=  Hello   World ,O=Example");
        let b = name("CN=hello world,O=EXAMPLE");
        assert!(names_equal(&a, &b));
        assert!(!names_equal(&a, &name("CN=hello  world!,O=example")));
    }

    #[test]
    fn empty_name_encodes_empty() {
        assert!(canonical_encoding(&Name::default()).is_empty());
        assert!(names_equal(&Name::default(), &Name::default()));
    }

    #[test]
    fn canonical_text_rules() {
        assert_eq!(canonicalize_text(b"  A\t\tB  c "), b"a b c");
        assert_eq!(
            canonicalize_text(b"\xc3\x89t\xc3\xa9"),
            b"\xc3\x89t\xc3\xa9"
        );
        assert_eq!(canonicalize_text(b"   "), b"");
    }

    #[test]
    fn bmp_and_latin1_convert() {
        assert_eq!(
            string_to_utf8(Tag::BmpString, &[0, b'A', 0x20, 0xAC]).unwrap(),
            "A€".as_bytes()
        );
        assert_eq!(
            string_to_utf8(Tag::TeletexString, &[0xE9]).unwrap(),
            "é".as_bytes()
        );
        assert!(string_to_utf8(Tag::BmpString, &[0]).is_none());
        assert!(string_to_utf8(Tag::Utf8String, &[0xFF]).is_none());
        assert!(string_to_utf8(Tag::NumericString, b"12").is_none());
    }

    #[test]
    fn oneline_escapes() {
        let encoded = [
            0x30, 0x1C, 0x31, 0x0B, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, b'H',
            b'U', 0x31, 0x0D, 0x30, 0x0B, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0C, 0x04, b'a', b'/',
            b'+', 0xFF,
        ];
        let parsed: Name = crate::asn1::decode("name", &encoded).unwrap();
        assert_eq!(name_oneline(&parsed), "/C=HU/CN=a\\/\\+\\xFF");
    }

    #[test]
    fn oneline_buffer_drops_whole_entries() {
        let full = name("CN=tsa1,ST=Budapest,C=HU");
        let objects = Objects::new();
        assert_eq!(
            name_oneline_with(&full, &objects, Some(256)),
            "/C=HU/ST=Budapest/CN=tsa1"
        );
        assert_eq!(name_oneline_with(&full, &objects, Some(17)), "/C=HU");
        assert_eq!(
            name_oneline_with(&full, &objects, Some(18)),
            "/C=HU/ST=Budapest"
        );
    }

    #[test]
    fn general_string_ucs4_hack() {
        assert_eq!(general_string_bytes(&[0, 0, 0, b'a', 0, 0, 0, b'b']), b"ab");
        assert_eq!(general_string_bytes(b"abcd"), b"abcd");
    }
}
