//! OBJECT IDENTIFIER values of any length and any arc size.
//!
//! `const_oid::ObjectIdentifier` holds at most 39 content octets with arcs
//! below 2^32, but real policies use longer ones, such as UUID-based
//! `2.25.<128-bit number>` OIDs, and OpenSSL accepts them. [`Oid`] keeps the
//! content octets and converts to dotted text with arbitrary precision; it
//! converts to `ObjectIdentifier` when the value fits, which is what name
//! lookups need.

use core::fmt;

use der::asn1::ObjectIdentifier;
use der::{DecodeValue, EncodeValue, FixedTag, Header, Length, Reader, Tag, Writer};

/// Most content octets accepted, far beyond any OID in use.
pub const MAX_LEN: usize = 1024;

/// An OBJECT IDENTIFIER, as its content octets.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(Vec<u8>);

impl Oid {
    /// Checks content octets: at least one subidentifier, each in minimal
    /// base-128 form, the last one complete.
    pub fn from_content(bytes: &[u8]) -> Option<Oid> {
        if bytes.is_empty() || bytes.len() > MAX_LEN || bytes[bytes.len() - 1] & 0x80 != 0 {
            return None;
        }
        let mut at_start = true;
        for &b in bytes {
            if at_start && b == 0x80 {
                return None;
            }
            at_start = b & 0x80 == 0;
        }
        Some(Oid(bytes.to_vec()))
    }

    /// Parses dotted decimal text as libcrypto's `a2d_ASN1_OBJECT` reads it,
    /// with arcs of any size: the first arc is 0, 1 or 2, the second is below
    /// 40 unless the first is 2, and a dot or a space separates arcs. An empty
    /// arc reads as 0 (`1..2` is 1.0.2) and one separator at the end is
    /// ignored (`1.2.` is 1.2), as libcrypto reads them.
    pub fn parse_dotted(text: &str) -> Option<Oid> {
        let bytes = text.as_bytes();
        let first = match bytes.first() {
            Some(&lead @ b'0'..=b'2') => u32::from(lead - b'0'),
            _ => return None,
        };
        let is_separator = |b: u8| b == b'.' || b == b' ';
        let mut separator = *bytes.get(1)?;
        let mut pos = 2;
        let mut out = Vec::new();
        let mut arcs = 0usize;
        while pos < bytes.len() {
            if !is_separator(separator) {
                return None;
            }
            let end = bytes[pos..]
                .iter()
                .position(|&b| is_separator(b))
                .map_or(bytes.len(), |offset| pos + offset);
            let digits = &text[pos..end];
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let mut value = decimal_to_digits(digits);
            if arcs == 0 {
                if first < 2 && (value.len() > 1 || value[0] >= 40) {
                    return None;
                }
                add_small(&mut value, first * 40);
            }
            push_base128(&mut out, &value);
            arcs += 1;
            if out.len() > MAX_LEN {
                return None;
            }
            // The separator that ended this arc is consumed with it.
            separator = bytes.get(end).copied().unwrap_or(b'.');
            pos = end + 1;
        }
        (arcs > 0).then_some(Oid(out))
    }

    /// The content octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The same value as a `const_oid` identifier, when it fits one.
    pub fn to_object_identifier(&self) -> Option<ObjectIdentifier> {
        ObjectIdentifier::from_bytes(&self.0).ok()
    }
}

impl From<ObjectIdentifier> for Oid {
    fn from(oid: ObjectIdentifier) -> Oid {
        Oid(oid.as_bytes().to_vec())
    }
}

impl From<&ObjectIdentifier> for Oid {
    fn from(oid: &ObjectIdentifier) -> Oid {
        Oid(oid.as_bytes().to_vec())
    }
}

impl PartialEq<ObjectIdentifier> for Oid {
    fn eq(&self, other: &ObjectIdentifier) -> bool {
        self.0 == other.as_bytes()
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for sub in self.0.split_inclusive(|b| b & 0x80 == 0) {
            let digits: Vec<u32> = sub.iter().map(|b| u32::from(b & 0x7F)).collect();
            if first {
                first = false;
                let (arc, rest) = split_first_subidentifier(digits);
                write!(f, "{arc}.{}", digits_to_decimal(rest))?;
            } else {
                write!(f, ".{}", digits_to_decimal(digits))?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

impl FixedTag for Oid {
    const TAG: Tag = Tag::ObjectIdentifier;
}

impl<'a> DecodeValue<'a> for Oid {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        let bytes = reader.read_vec(header.length())?;
        Oid::from_content(&bytes).ok_or_else(|| reader.error(Tag::ObjectIdentifier.value_error()))
    }
}

impl EncodeValue for Oid {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(self.0.len())
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(&self.0)
    }
}

/// Splits the first subidentifier `40 * X + Y` into `X` and the digits of `Y`.
fn split_first_subidentifier(digits: Vec<u32>) -> (u32, Vec<u32>) {
    let mut digits = trim(digits);
    let small = (digits.len() <= 4).then(|| digits.iter().fold(0u32, |v, d| (v << 7) | d));
    match small {
        Some(v) if v < 40 => (0, vec![v]),
        Some(v) if v < 80 => (1, vec![v - 40]),
        _ => {
            subtract_small(&mut digits, 80);
            (2, digits)
        }
    }
}

/// Decimal text to base-128 digits, most significant first.
fn decimal_to_digits(text: &str) -> Vec<u32> {
    let mut digits = vec![0u32];
    for c in text.bytes() {
        // digits = digits * 10 + c
        let mut carry = u32::from(c - b'0');
        for d in digits.iter_mut().rev() {
            let v = *d * 10 + carry;
            *d = v & 0x7F;
            carry = v >> 7;
        }
        while carry > 0 {
            digits.insert(0, carry & 0x7F);
            carry >>= 7;
        }
    }
    trim(digits)
}

/// Base-128 digits to decimal text.
fn digits_to_decimal(mut digits: Vec<u32>) -> String {
    digits = trim(digits);
    if digits == [0] {
        return "0".to_owned();
    }
    let mut decimal = Vec::new();
    while !(digits.len() == 1 && digits[0] == 0) {
        // digits, remainder = divmod(digits, 10)
        let mut remainder = 0u32;
        for d in digits.iter_mut() {
            let v = (remainder << 7) | *d;
            *d = v / 10;
            remainder = v % 10;
        }
        decimal.push(b'0' + remainder as u8);
        digits = trim(digits);
    }
    decimal.reverse();
    String::from_utf8(decimal).expect("ASCII digits")
}

fn add_small(digits: &mut Vec<u32>, value: u32) {
    let mut carry = value;
    for d in digits.iter_mut().rev() {
        let v = *d + carry;
        *d = v & 0x7F;
        carry = v >> 7;
        if carry == 0 {
            return;
        }
    }
    while carry > 0 {
        digits.insert(0, carry & 0x7F);
        carry >>= 7;
    }
}

fn subtract_small(digits: &mut Vec<u32>, value: u32) {
    let mut borrow = value;
    for d in digits.iter_mut().rev() {
        let low = borrow & 0x7F;
        borrow >>= 7;
        if *d >= low {
            *d -= low;
        } else {
            *d = *d + 128 - low;
            borrow += 1;
        }
        if borrow == 0 {
            break;
        }
    }
    *digits = trim(std::mem::take(digits));
}

fn trim(digits: Vec<u32>) -> Vec<u32> {
    let skip = digits.iter().take_while(|d| **d == 0).count();
    if skip == digits.len() {
        vec![0]
    } else {
        digits[skip..].to_vec()
    }
}

/// Appends base-128 digits as one subidentifier.
fn push_base128(out: &mut Vec<u8>, digits: &[u32]) {
    let digits = trim(digits.to_vec());
    let last = digits.len() - 1;
    for (i, d) in digits.iter().enumerate() {
        let byte = *d as u8;
        out.push(if i == last { byte } else { byte | 0x80 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::{Decode, Encode};

    #[test]
    fn small_oids_match_const_oid() {
        for text in [
            "1.2.840.113549.1.9.16.1.4",
            "2.5.29.37",
            "0.9.2342",
            "1.2.3.4.5.6",
        ] {
            let oid = Oid::parse_dotted(text).unwrap();
            let reference = ObjectIdentifier::new_unwrap(text);
            assert_eq!(oid.as_bytes(), reference.as_bytes(), "{text}");
            assert_eq!(oid.to_string(), text);
            assert_eq!(oid.to_object_identifier(), Some(reference));
        }
    }

    #[test]
    fn uuid_oid_round_trips() {
        let text = "2.25.329800735698586629295641978511506172918";
        let oid = Oid::parse_dotted(text).unwrap();
        assert_eq!(oid.to_string(), text);
        assert_eq!(oid.to_object_identifier(), None);
        let der = oid.to_der().unwrap();
        assert_eq!(Oid::from_der(&der).unwrap(), oid);
    }

    #[test]
    fn long_oid_round_trips() {
        let text = format!("1.3.6.1.4.1{}", ".4294967296".repeat(20));
        let oid = Oid::parse_dotted(&text).unwrap();
        assert!(oid.as_bytes().len() > 39);
        assert_eq!(oid.to_string(), text);
    }

    #[test]
    fn large_second_arc_under_two() {
        let oid = Oid::parse_dotted("2.100000000000000000000").unwrap();
        assert_eq!(oid.to_string(), "2.100000000000000000000");
    }

    #[test]
    fn invalid_text_is_rejected() {
        for text in ["", "1", "3.1", "1.40", "12", "1x2", "a.b", "1.2.-3", ".1.2"] {
            assert_eq!(Oid::parse_dotted(text), None, "{text:?}");
        }
    }

    #[test]
    fn text_reads_as_libcrypto_reads_it() {
        for (text, dotted) in [
            ("1..2", "1.0.2"),
            ("1.2.", "1.2"),
            ("1.2..", "1.2.0"),
            ("1 2 3", "1.2.3"),
            ("1.02.3", "1.2.3"),
        ] {
            let oid = Oid::parse_dotted(text).unwrap();
            assert_eq!(oid.to_string(), dotted, "{text:?}");
        }
    }

    #[test]
    fn non_minimal_content_is_rejected() {
        assert_eq!(Oid::from_content(&[0x2A, 0x80, 0x01]), None);
        assert_eq!(Oid::from_content(&[0x2A, 0x81]), None);
        assert_eq!(Oid::from_content(&[]), None);
        assert!(Oid::from_content(&[0x2A, 0x81, 0x00]).is_some());
    }
}
