//! `ASN1_STRING_print_ex` and `X509_NAME_print_ex` of OpenSSL 3.0
//! (`crypto/asn1/a_strex.c`), for the two flag sets the time-stamp printer
//! reaches: 0 for status texts and `XN_FLAG_ONELINE` for names printed by
//! `GENERAL_NAME_print`.

use super::name::NameEntry;
use super::oid::attribute_name;
use crate::oid::Objects;

/// `ASN1_STRFLGS_*` and `CHARTYPE_*` bits, with libcrypto's values.
const ESC_2253: u16 = 1;
const ESC_CTRL: u16 = 2;
const ESC_MSB: u16 = 4;
const ESC_QUOTE: u16 = 8;
const FIRST_ESC_2253: u16 = 0x20;
const LAST_ESC_2253: u16 = 0x40;
const ESC_2254: u16 = 0x400;
const ESC_FLAGS: u16 = ESC_2253 | ESC_2254 | ESC_QUOTE | ESC_CTRL | ESC_MSB;
const BS_ESC: u16 = ESC_2253 | FIRST_ESC_2253 | LAST_ESC_2253;

/// String flags beyond the escape bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StringFlags {
    /// `ASN1_STRFLGS_ESC_*` bits.
    escape: u16,
    /// `ASN1_STRFLGS_UTF8_CONVERT`.
    utf8_convert: bool,
    /// `ASN1_STRFLGS_DUMP_UNKNOWN` together with `ASN1_STRFLGS_DUMP_DER`.
    dump_unknown_der: bool,
}

impl StringFlags {
    /// Flags 0: characters decoded and re-emitted, nothing escaped.
    pub const NONE: StringFlags = StringFlags {
        escape: 0,
        utf8_convert: false,
        dump_unknown_der: false,
    };

    /// `ASN1_STRFLGS_RFC2253 | ASN1_STRFLGS_ESC_QUOTE`, the string part of `XN_FLAG_ONELINE`.
    const ONELINE: StringFlags = StringFlags {
        escape: ESC_2253 | ESC_CTRL | ESC_MSB | ESC_QUOTE,
        utf8_convert: true,
        dump_unknown_der: true,
    };
}

/// Character classes of the ASCII range (libcrypto's `charmap.h`), limited to
/// the escape bits. `ESC_QUOTE` marks the RFC 2253 specials that may be
/// quoted instead of escaped; `"` and `\` are always escaped.
fn char_type(c: u8) -> u16 {
    match c {
        0 => ESC_CTRL | ESC_2254,
        1..=31 | 127 => ESC_CTRL,
        b' ' => FIRST_ESC_2253 | LAST_ESC_2253 | ESC_QUOTE,
        b'#' => FIRST_ESC_2253 | ESC_QUOTE,
        b',' | b'+' | b'<' | b'>' | b';' => ESC_2253 | ESC_QUOTE,
        b'"' => ESC_2253,
        b'\\' => ESC_2253 | ESC_2254,
        b'(' | b')' | b'*' => ESC_2254,
        _ => 0,
    }
}

/// Bytes per character of a universal string type (`tag2nbyte`); `None` for
/// types that are not character strings.
fn char_width(tag: u32) -> Option<usize> {
    match tag {
        12 => Some(0),
        18 | 19 | 20 | 22 | 26 => Some(1),
        28 => Some(4),
        30 => Some(2),
        _ => None,
    }
}

/// `UTF8_getc`: one character and its length, `None` for invalid UTF-8.
/// Overlong forms, surrogates and code points above U+10FFFF are invalid.
pub(super) fn utf8_getc(bytes: &[u8]) -> Option<(u32, usize)> {
    let first = *bytes.first()?;
    let continuation = |n: usize| -> Option<u32> {
        let byte = *bytes.get(n)?;
        (byte & 0xC0 == 0x80).then_some(u32::from(byte & 0x3F))
    };
    if first & 0x80 == 0 {
        return Some((u32::from(first), 1));
    }
    if first & 0xE0 == 0xC0 {
        let value = (u32::from(first & 0x1F) << 6) | continuation(1)?;
        return (value >= 0x80).then_some((value, 2));
    }
    if first & 0xF0 == 0xE0 {
        let value = (u32::from(first & 0x0F) << 12) | (continuation(1)? << 6) | continuation(2)?;
        let surrogate = (0xD800..=0xDFFF).contains(&value);
        return (value >= 0x800 && !surrogate).then_some((value, 3));
    }
    if first & 0xF8 == 0xF0 {
        let value = (u32::from(first & 0x07) << 18)
            | (continuation(1)? << 12)
            | (continuation(2)? << 6)
            | continuation(3)?;
        return (0x10000..=0x10FFFF).contains(&value).then_some((value, 4));
    }
    None
}

/// `UTF8_putc`: the UTF-8 encoding of `c`, empty for surrogates and values
/// above U+10FFFF (OpenSSL then writes nothing for the character).
fn utf8_putc(c: u32) -> Vec<u8> {
    match char::from_u32(c) {
        Some(ch) => ch.to_string().into_bytes(),
        None => Vec::new(),
    }
}

/// `do_esc_char`: writes one character, escaped as the `escape` bits select.
/// Sets `quotes` when the string must be wrapped in double quotes instead.
fn escape_char(out: &mut Vec<u8>, c: u32, escape: u16, quotes: &mut bool) {
    if c > 0xFFFF {
        out.extend_from_slice(format!("\\W{c:08X}").as_bytes());
        return;
    }
    if c > 0xFF {
        out.extend_from_slice(format!("\\U{c:04X}").as_bytes());
        return;
    }
    let byte = c as u8;
    let class = if byte > 0x7F {
        escape & ESC_MSB
    } else {
        char_type(byte) & escape
    };
    if class & BS_ESC != 0 {
        if class & ESC_QUOTE != 0 {
            *quotes = true;
            out.push(byte);
        } else {
            out.push(b'\\');
            out.push(byte);
        }
        return;
    }
    if class & (ESC_CTRL | ESC_MSB | ESC_2254) != 0 {
        out.extend_from_slice(format!("\\{byte:02X}").as_bytes());
        return;
    }
    if byte == b'\\' && escape & ESC_FLAGS != 0 {
        out.extend_from_slice(b"\\\\");
        return;
    }
    out.push(byte);
}

/// `do_buf`: decodes characters of `width` bytes (0 for UTF-8) and escapes them.
fn escape_buffer(
    data: &[u8],
    width: usize,
    convert_utf8: bool,
    escape: u16,
    quotes: &mut bool,
) -> Option<Vec<u8>> {
    if (width == 4 && !data.len().is_multiple_of(4))
        || (width == 2 && !data.len().is_multiple_of(2))
    {
        return None;
    }
    let mut out = Vec::with_capacity(data.len());
    let mut pos = 0;
    while pos < data.len() {
        let mut edge = if pos == 0 && escape & ESC_2253 != 0 {
            FIRST_ESC_2253
        } else {
            0
        };
        let (c, used) = match width {
            0 => utf8_getc(&data[pos..])?,
            1 => (u32::from(data[pos]), 1),
            2 => (u32::from(u16::from_be_bytes([data[pos], data[pos + 1]])), 2),
            _ => {
                let quad = [data[pos], data[pos + 1], data[pos + 2], data[pos + 3]];
                (u32::from_be_bytes(quad), 4)
            }
        };
        pos += used;
        if pos == data.len() && escape & ESC_2253 != 0 {
            edge = LAST_ESC_2253;
        }
        if convert_utf8 {
            for byte in utf8_putc(c) {
                escape_char(&mut out, u32::from(byte), escape | edge, quotes);
            }
        } else {
            escape_char(&mut out, c, escape | edge, quotes);
        }
    }
    Some(out)
}

/// `do_hex_dump` after a `#`: the DER encoding of the value in uppercase hex.
fn dump_der(out: &mut Vec<u8>, der: &[u8]) {
    out.push(b'#');
    for byte in der {
        out.extend_from_slice(format!("{byte:02X}").as_bytes());
    }
}

/// A string value as `ASN1_STRING_print_ex` reads it: its universal type
/// number, its octets and, for dumping, its DER encoding.
pub(super) struct StringValue<'a> {
    pub tag: u32,
    pub data: &'a [u8],
    pub der: &'a [u8],
}

/// `ASN1_STRING_print_ex`: `None` when OpenSSL fails and writes nothing, such
/// as for invalid UTF-8.
pub(super) fn print_ex(value: &StringValue<'_>, flags: StringFlags) -> Option<Vec<u8>> {
    let width = char_width(value.tag);
    let Some(width) = width.or(if flags.dump_unknown_der {
        None
    } else {
        Some(1)
    }) else {
        let mut out = Vec::new();
        dump_der(&mut out, value.der);
        return Some(out);
    };
    let (width, convert_utf8) = match (flags.utf8_convert, width) {
        (true, 0) => (1, false),
        (true, width) => (width, true),
        (false, width) => (width, false),
    };
    let escape = flags.escape & ESC_FLAGS;
    let mut quotes = false;
    let body = escape_buffer(value.data, width, convert_utf8, escape, &mut quotes)?;
    if !quotes {
        return Some(body);
    }
    let mut out = Vec::with_capacity(body.len() + 2);
    out.push(b'"');
    out.extend_from_slice(&body);
    out.push(b'"');
    Some(out)
}

/// `X509_NAME_print_ex(out, name, 0, XN_FLAG_ONELINE)`: `C = US, O = Example`,
/// with ` + ` between the attributes of one RDN. Stops where OpenSSL stops
/// when a value cannot be printed.
pub(super) fn name_oneline_rfc2253(
    out: &mut Vec<u8>,
    entries: &[NameEntry<'_>],
    objects: &Objects,
) {
    let mut previous_set = None;
    for entry in entries {
        if let Some(previous) = previous_set {
            if previous == entry.set {
                out.extend_from_slice(b" + ");
            } else {
                out.extend_from_slice(b", ");
            }
        }
        previous_set = Some(entry.set);
        let field = attribute_name(objects, entry.oid);
        out.extend_from_slice(field.as_bytes());
        out.extend_from_slice(b" = ");
        let value = StringValue {
            tag: entry.tag,
            data: &entry.data,
            der: &entry.der,
        };
        match print_ex(&value, StringFlags::ONELINE) {
            Some(text) => out.extend_from_slice(&text),
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags0(tag: u32, data: &[u8]) -> Option<Vec<u8>> {
        let value = StringValue {
            tag,
            data,
            der: &[],
        };
        print_ex(&value, StringFlags::NONE)
    }

    fn oneline(tag: u32, data: &[u8]) -> Option<Vec<u8>> {
        let value = StringValue {
            tag,
            data,
            der: &[],
        };
        print_ex(&value, StringFlags::ONELINE)
    }

    #[test]
    fn utf8_reencoded_as_latin1_and_escapes() {
        let text = "caf\u{e9} \u{20ac} \u{1f600} tab\there";
        let expected = b"caf\xE9 \\U20AC \\W0001F600 tab\there".to_vec();
        assert_eq!(flags0(12, text.as_bytes()), Some(expected));
    }

    #[test]
    fn invalid_utf8_prints_nothing() {
        assert_eq!(flags0(12, b"ok\xFF"), None);
        assert_eq!(flags0(12, b"\xED\xA0\x80"), None);
        assert_eq!(flags0(12, b"\xC0\x80"), None);
    }

    #[test]
    fn oneline_quotes_and_escapes() {
        assert_eq!(oneline(19, b"a, b"), Some(b"\"a, b\"".to_vec()));
        assert_eq!(oneline(12, "\u{e9}".as_bytes()), Some(b"\\C3\\A9".to_vec()));
        assert_eq!(oneline(19, b"\xE9"), Some(b"\\C3\\A9".to_vec()));
        assert_eq!(oneline(19, b"a\nb"), Some(b"a\\0Ab".to_vec()));
        assert_eq!(oneline(19, b"#x"), Some(b"\"#x\"".to_vec()));
        assert_eq!(oneline(19, b"x#"), Some(b"x#".to_vec()));
        assert_eq!(oneline(20, b"a\\b\"c"), Some(b"a\\\\b\\\"c".to_vec()));
        assert_eq!(oneline(30, b"\x00A"), Some(b"A".to_vec()));
    }
}
