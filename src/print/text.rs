//! The number and octet-string formats of libcrypto 3.0's printers.

use super::ber::BigInt;

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// `BN_bn2hex`: uppercase, two digits per octet, `0` for zero, `-` before a
/// negative value.
pub(super) fn bn_hex(value: &BigInt) -> String {
    if value.magnitude.is_empty() {
        return "0".to_owned();
    }
    let mut text = String::with_capacity(value.magnitude.len() * 2 + 1);
    if value.negative {
        text.push('-');
    }
    for byte in &value.magnitude {
        text.push(char::from(UPPER_HEX[usize::from(byte >> 4)]));
        text.push(char::from(UPPER_HEX[usize::from(byte & 0x0F)]));
    }
    text
}

/// `i2s_ASN1_INTEGER`: decimal below 128 bits, `0x`-prefixed hex from 128 bits on.
pub(super) fn integer_to_string(value: &BigInt) -> String {
    let sign = if value.negative { "-" } else { "" };
    if value.bits() < 128 {
        let magnitude = value
            .magnitude
            .iter()
            .fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
        return format!("{sign}{magnitude}");
    }
    let unsigned = BigInt {
        negative: false,
        magnitude: value.magnitude.clone(),
    };
    format!("{sign}0x{}", bn_hex(&unsigned))
}

/// Uppercase hex of `octets` with a backslash-newline after every 35 octets,
/// the layout of `i2a_ASN1_INTEGER` and `i2a_ASN1_STRING`.
fn wrapped_hex(out: &mut Vec<u8>, octets: &[u8]) {
    for (i, byte) in octets.iter().enumerate() {
        if i != 0 && i % 35 == 0 {
            out.extend_from_slice(b"\\\n");
        }
        out.push(UPPER_HEX[usize::from(byte >> 4)]);
        out.push(UPPER_HEX[usize::from(byte & 0x0F)]);
    }
}

/// `i2a_ASN1_INTEGER`: `-` for negative values, then the magnitude in hex, `00` for zero.
pub(super) fn i2a_integer(out: &mut Vec<u8>, value: &BigInt) {
    if value.negative {
        out.push(b'-');
    }
    if value.magnitude.is_empty() {
        out.extend_from_slice(b"00");
    } else {
        wrapped_hex(out, &value.magnitude);
    }
}

/// `i2a_ASN1_STRING`: the octets in hex, `0` for an empty string.
pub(super) fn i2a_string(out: &mut Vec<u8>, octets: &[u8]) {
    if octets.is_empty() {
        out.push(b'0');
    } else {
        wrapped_hex(out, octets);
    }
}

/// `OPENSSL_buf2hexstr`: `AB:CD:EF`, empty for no octets.
pub(super) fn colon_hex(octets: &[u8]) -> String {
    let mut text = String::with_capacity(octets.len() * 3);
    for (i, byte) in octets.iter().enumerate() {
        if i > 0 {
            text.push(':');
        }
        text.push(char::from(UPPER_HEX[usize::from(byte >> 4)]));
        text.push(char::from(UPPER_HEX[usize::from(byte & 0x0F)]));
    }
    text
}

/// `ASN1_STRING_print`: printable ASCII, newline and carriage return as they
/// are, every other octet as `.`.
pub(super) fn printable_or_dot(out: &mut Vec<u8>, octets: &[u8]) {
    out.extend(octets.iter().map(|&byte| match byte {
        b' '..=b'~' | b'\n' | b'\r' => byte,
        _ => b'.',
    }));
}

/// Returns the octets up to the first NUL, which is what a C `%s` prints.
pub(super) fn c_string(octets: &[u8]) -> &[u8] {
    match octets.iter().position(|b| *b == 0) {
        Some(end) => &octets[..end],
        None => octets,
    }
}

/// `BIO_dump_indent`: rows of 16 octets (fewer for indents above 6) with the
/// offset, hex with a `-` after the eighth octet, and an ASCII column.
pub fn hex_dump(out: &mut Vec<u8>, data: &[u8], indent: usize) {
    let indent = indent.min(64);
    let width = 16 - (indent - indent.min(6)).div_ceil(4);
    for (row, chunk) in data.chunks(width).enumerate() {
        out.extend(std::iter::repeat_n(b' ', indent));
        out.extend_from_slice(format!("{:04x} - ", row * width).as_bytes());
        for column in 0..width {
            match chunk.get(column) {
                Some(byte) => {
                    let separator = if column == 7 { '-' } else { ' ' };
                    out.extend_from_slice(format!("{byte:02x}{separator}").as_bytes());
                }
                None => out.extend_from_slice(b"   "),
            }
        }
        out.extend_from_slice(b"  ");
        out.extend(chunk.iter().map(|&byte| match byte {
            b' '..=b'~' => byte,
            _ => b'.',
        }));
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(content: &[u8]) -> BigInt {
        BigInt::from_content(content).unwrap()
    }

    #[test]
    fn bn_hex_forms() {
        assert_eq!(bn_hex(&int(&[0])), "0");
        assert_eq!(bn_hex(&int(&[0xFB])), "-05");
        assert_eq!(bn_hex(&int(&[0x01, 0x00])), "0100");
        assert_eq!(bn_hex(&int(&[0x00, 0x80])), "80");
    }

    #[test]
    fn integer_to_string_hex_from_128_bits() {
        assert_eq!(integer_to_string(&int(&[0xFF])), "-1");
        assert_eq!(integer_to_string(&int(&[0x30, 0x39])), "12345");
        let mut big = vec![0x00, 0x80];
        big.extend([0u8; 15]);
        assert_eq!(
            integer_to_string(&int(&big)),
            format!("0x80{}", "00".repeat(15))
        );
        let below = [0x7Fu8; 16];
        assert_eq!(
            integer_to_string(&int(&below)),
            u128::from_be_bytes(below).to_string()
        );
    }

    #[test]
    fn i2a_integer_wraps_every_35_octets() {
        let mut out = Vec::new();
        let mut content = vec![0x01];
        content.extend([0u8; 35]);
        i2a_integer(&mut out, &int(&content));
        let expected = format!("01{}\\\n00", "00".repeat(34));
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn hex_dump_short_row() {
        let mut out = Vec::new();
        hex_dump(&mut out, b"\xfb\x21\x4c\xf6", 4);
        let expected = format!("    0000 - fb 21 4c f6 {}  .!L.\n", "   ".repeat(12));
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn hex_dump_of_nothing_is_empty() {
        let mut out = Vec::new();
        hex_dump(&mut out, b"", 4);
        assert!(out.is_empty());
    }

    #[test]
    fn colon_hex_form() {
        assert_eq!(colon_hex(&[0xAB, 0x01]), "AB:01");
        assert_eq!(colon_hex(&[]), "");
    }
}
