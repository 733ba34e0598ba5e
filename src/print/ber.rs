//! A BER reader that accepts what OpenSSL 3.0's template decoder (`tasn_dec.c`)
//! accepts, for the values that the printer decodes itself: extension values
//! and the names inside them.
//!
//! OpenSSL takes long-form and indefinite lengths, constructed encodings of
//! string types, any non-zero BOOLEAN octet and DEFAULT values written out, but
//! rejects non-minimal INTEGERs, empty INTEGERs and malformed OBJECT IDENTIFIERs.
//! Whether a value decodes decides between the structured text and the raw
//! octets, so this reader follows those rules rather than DER's.

/// Deepest nesting of constructed elements read, as OpenSSL's
/// `ASN1_MAX_CONSTRUCTED_NEST`.
const MAX_DEPTH: usize = 30;

/// Deepest nesting of constructed string segments, as OpenSSL's `ASN1_MAX_STRING_NEST`.
const MAX_STRING_DEPTH: usize = 5;

/// The class bits of an identifier octet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Universal,
    Application,
    Context,
    Private,
}

/// Universal tag numbers the printer refers to.
pub(super) mod tag {
    pub const BOOLEAN: u32 = 1;
    pub const INTEGER: u32 = 2;
    pub const BIT_STRING: u32 = 3;
    pub const OCTET_STRING: u32 = 4;
    pub const NULL: u32 = 5;
    pub const OBJECT: u32 = 6;
    pub const ENUMERATED: u32 = 10;
    pub const UTF8_STRING: u32 = 12;
    pub const SEQUENCE: u32 = 16;
    pub const SET: u32 = 17;
    pub const IA5_STRING: u32 = 22;
    pub const GENERALIZED_TIME: u32 = 24;
    pub const BMP_STRING: u32 = 30;
}

/// One element: identifier, content octets and the whole encoding.
#[derive(Debug, Clone, Copy)]
pub(super) struct Element<'a> {
    pub class: Class,
    pub constructed: bool,
    pub number: u32,
    /// The content octets; for an indefinite length, without the end-of-contents octets.
    pub content: &'a [u8],
    /// The identifier, length, content and any end-of-contents octets.
    pub encoding: &'a [u8],
}

impl<'a> Element<'a> {
    /// Returns whether this is the universal type `number`, in either form.
    pub fn is_universal(&self, number: u32) -> bool {
        self.class == Class::Universal && self.number == number
    }

    /// Returns whether this is the context-specific tag `[number]`, in either form.
    pub fn is_context(&self, number: u32) -> bool {
        self.class == Class::Context && self.number == number
    }

    /// Returns a reader over the elements inside a constructed element.
    pub fn children(&self) -> Option<Reader<'a>> {
        self.constructed.then(|| Reader::new(self.content))
    }
}

/// Reads consecutive elements from a byte string.
#[derive(Debug, Clone)]
pub(super) struct Reader<'a> {
    input: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        Reader { input }
    }

    pub fn is_empty(&self) -> bool {
        self.input.is_empty()
    }

    /// Returns the next element without consuming it.
    pub fn peek(&self) -> Option<Element<'a>> {
        parse_element(self.input, 0).map(|(element, _)| element)
    }

    /// Consumes and returns the next element.
    pub fn read(&mut self) -> Option<Element<'a>> {
        let (element, used) = parse_element(self.input, 0)?;
        self.input = self.input.get(used..)?;
        Some(element)
    }

    /// Consumes the next element if it has the context tag `[number]`.
    pub fn read_context(&mut self, number: u32) -> Option<Element<'a>> {
        match self.peek() {
            Some(element) if element.is_context(number) => self.read(),
            _ => None,
        }
    }

    /// Consumes the next element if it is the universal type `number`.
    pub fn read_universal(&mut self, number: u32) -> Option<Element<'a>> {
        match self.peek() {
            Some(element) if element.is_universal(number) => self.read(),
            _ => None,
        }
    }

    /// Reads every remaining element with `decode`; `None` if any fails.
    pub fn read_all<T>(&mut self, decode: impl Fn(&Element<'a>) -> Option<T>) -> Option<Vec<T>> {
        let mut items = Vec::new();
        while !self.is_empty() {
            let element = self.read()?;
            items.push(decode(&element)?);
        }
        Some(items)
    }
}

/// Parses the element at the start of `input`, returning it and the bytes it used.
fn parse_element(input: &[u8], depth: usize) -> Option<(Element<'_>, usize)> {
    if depth > MAX_DEPTH {
        return None;
    }
    let first = *input.first()?;
    let class = match first >> 6 {
        0 => Class::Universal,
        1 => Class::Application,
        2 => Class::Context,
        _ => Class::Private,
    };
    let constructed = first & 0x20 != 0;
    let mut pos = 1;
    let mut number = u32::from(first & 0x1F);
    if number == 0x1F {
        number = 0;
        loop {
            let byte = *input.get(pos)?;
            pos += 1;
            if number > (i32::MAX as u32 >> 7) {
                return None;
            }
            number = (number << 7) | u32::from(byte & 0x7F);
            if byte & 0x80 == 0 {
                break;
            }
        }
    }

    let length_octet = *input.get(pos)?;
    pos += 1;
    if length_octet == 0x80 {
        if !constructed {
            return None;
        }
        let (content_len, used) = indefinite_content(&input[pos..], depth)?;
        let end = pos + used;
        let element = Element {
            class,
            constructed,
            number,
            content: &input[pos..pos + content_len],
            encoding: &input[..end],
        };
        return Some((element, end));
    }

    let length = if length_octet & 0x80 == 0 {
        usize::from(length_octet)
    } else {
        let count = usize::from(length_octet & 0x7F);
        let octets = input.get(pos..pos + count)?;
        pos += count;
        let significant: &[u8] = {
            let skip = octets.iter().take_while(|b| **b == 0).count();
            &octets[skip..]
        };
        if significant.len() > 8 {
            return None;
        }
        let value = significant
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        if value > i64::MAX as u64 {
            return None;
        }
        usize::try_from(value).ok()?
    };
    let end = pos.checked_add(length)?;
    let content = input.get(pos..end)?;
    let element = Element {
        class,
        constructed,
        number,
        content,
        encoding: &input[..end],
    };
    Some((element, end))
}

/// Finds the end-of-contents octets of an indefinite-length content: returns the
/// content length and the length including the end-of-contents octets.
fn indefinite_content(input: &[u8], depth: usize) -> Option<(usize, usize)> {
    let mut pos = 0;
    loop {
        let rest = input.get(pos..)?;
        if rest.starts_with(&[0, 0]) {
            return Some((pos, pos + 2));
        }
        let (_, used) = parse_element(rest, depth + 1)?;
        pos += used;
    }
}

/// Returns the octets of a string type, joining the segments of a constructed
/// encoding as OpenSSL's `asn1_collect` does.
pub(super) fn string_octets(element: &Element<'_>) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    collect(element, 0, &mut out)?;
    Some(out)
}

fn collect(element: &Element<'_>, depth: usize, out: &mut Vec<u8>) -> Option<()> {
    if !element.constructed {
        out.extend_from_slice(element.content);
        return Some(());
    }
    if depth >= MAX_STRING_DEPTH {
        return None;
    }
    let mut reader = Reader::new(element.content);
    while !reader.is_empty() {
        let segment = reader.read()?;
        collect(&segment, depth + 1, out)?;
    }
    Some(())
}

/// Returns the content of a type that OpenSSL accepts only in primitive form:
/// INTEGER, BOOLEAN, NULL, OBJECT IDENTIFIER and ENUMERATED.
fn primitive<'a>(element: &Element<'a>) -> Option<&'a [u8]> {
    (!element.constructed).then_some(element.content)
}

/// An INTEGER or ENUMERATED as OpenSSL's `c2i_ibuf` reads it: sign and magnitude.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BigInt {
    pub negative: bool,
    /// Big-endian magnitude without leading zero octets; empty for zero.
    pub magnitude: Vec<u8>,
}

impl BigInt {
    /// Converts two's-complement content octets, rejecting empty and padded ones.
    pub fn from_content(content: &[u8]) -> Option<BigInt> {
        let (&first, rest) = content.split_first()?;
        if let Some(&second) = rest.first() {
            let redundant =
                (first == 0 && second & 0x80 == 0) || (first == 0xFF && second & 0x80 != 0);
            if redundant {
                return None;
            }
        }
        Some(BigInt::from_twos_complement(content))
    }

    /// Converts two's-complement octets without checking their form.
    pub fn from_twos_complement(content: &[u8]) -> BigInt {
        let negative = content.first().is_some_and(|b| b & 0x80 != 0);
        let mut magnitude = content.to_vec();
        if negative {
            for byte in &mut magnitude {
                *byte = !*byte;
            }
            for byte in magnitude.iter_mut().rev() {
                let (sum, carry) = byte.overflowing_add(1);
                *byte = sum;
                if !carry {
                    break;
                }
            }
        }
        let skip = magnitude.iter().take_while(|b| **b == 0).count();
        magnitude.drain(..skip);
        BigInt {
            negative: negative && !magnitude.is_empty(),
            magnitude,
        }
    }

    /// The value as `ASN1_INTEGER_get_int64` returns it, or `None` when it does not fit.
    pub fn to_i64(&self) -> Option<i64> {
        if self.magnitude.len() > 8 {
            return None;
        }
        let unsigned = self
            .magnitude
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        if self.negative {
            0i64.checked_sub_unsigned(unsigned)
        } else {
            i64::try_from(unsigned).ok()
        }
    }

    /// Counts the significant bits, as `BN_num_bits` does.
    pub fn bits(&self) -> usize {
        match self.magnitude.first() {
            Some(first) => self.magnitude.len() * 8 - first.leading_zeros() as usize,
            None => 0,
        }
    }
}

/// INTEGER (universal 2) or its implicitly tagged form, checked by the caller.
pub(super) fn integer_content(element: &Element<'_>) -> Option<BigInt> {
    BigInt::from_content(primitive(element)?)
}

pub(super) fn integer(element: &Element<'_>) -> Option<BigInt> {
    if !element.is_universal(tag::INTEGER) {
        return None;
    }
    integer_content(element)
}

pub(super) fn enumerated(element: &Element<'_>) -> Option<BigInt> {
    if !element.is_universal(tag::ENUMERATED) {
        return None;
    }
    integer_content(element)
}

/// BOOLEAN content: exactly one octet, any non-zero value is TRUE.
pub(super) fn boolean_content(element: &Element<'_>) -> Option<bool> {
    match primitive(element)? {
        [value] => Some(*value != 0),
        _ => None,
    }
}

pub(super) fn boolean(element: &Element<'_>) -> Option<bool> {
    if !element.is_universal(tag::BOOLEAN) {
        return None;
    }
    boolean_content(element)
}

pub(super) fn null(element: &Element<'_>) -> Option<()> {
    if !element.is_universal(tag::NULL) {
        return None;
    }
    primitive(element)?.is_empty().then_some(())
}

/// OBJECT IDENTIFIER content checked as `c2i_ASN1_OBJECT` checks it: not empty,
/// no subidentifier starting with 0x80, the last octet ending a subidentifier.
pub(super) fn object_content<'a>(element: &Element<'a>) -> Option<&'a [u8]> {
    let content = primitive(element)?;
    let last = *content.last()?;
    if last & 0x80 != 0 {
        return None;
    }
    let mut starts_subidentifier = true;
    for byte in content {
        if starts_subidentifier && *byte == 0x80 {
            return None;
        }
        starts_subidentifier = byte & 0x80 == 0;
    }
    Some(content)
}

pub(super) fn object<'a>(element: &Element<'a>) -> Option<&'a [u8]> {
    if !element.is_universal(tag::OBJECT) {
        return None;
    }
    object_content(element)
}

/// BIT STRING content: the named bits with the unused bits cleared, as
/// `c2i_ASN1_BIT_STRING` stores them.
pub(super) fn bit_string_content(element: &Element<'_>) -> Option<Vec<u8>> {
    let octets = string_octets(element)?;
    let (&unused, bits) = octets.split_first()?;
    if unused > 7 {
        return None;
    }
    let mut bits = bits.to_vec();
    if let Some(last) = bits.last_mut() {
        *last &= 0xFF << unused;
    }
    Some(bits)
}

pub(super) fn bit_string(element: &Element<'_>) -> Option<Vec<u8>> {
    if !element.is_universal(tag::BIT_STRING) {
        return None;
    }
    bit_string_content(element)
}

/// Returns whether bit `n` is set, counting from the first octet's top bit, as
/// `ASN1_BIT_STRING_get_bit` does.
pub(super) fn bit_is_set(bits: &[u8], n: usize) -> bool {
    bits.get(n / 8)
        .is_some_and(|byte| byte & (0x80 >> (n % 8)) != 0)
}

/// Decodes a string of the universal type `number`.
pub(super) fn universal_string(element: &Element<'_>, number: u32) -> Option<Vec<u8>> {
    if !element.is_universal(number) {
        return None;
    }
    string_octets(element)
}

/// Opens a SEQUENCE; the caller must consume all of its elements.
pub(super) fn sequence<'a>(element: &Element<'a>) -> Option<Reader<'a>> {
    if !element.is_universal(tag::SEQUENCE) {
        return None;
    }
    element.children()
}

/// Decodes a SEQUENCE OF, every element with `decode`.
pub(super) fn sequence_of<'a, T>(
    element: &Element<'a>,
    decode: impl Fn(&Element<'a>) -> Option<T>,
) -> Option<Vec<T>> {
    sequence(element)?.read_all(decode)
}

/// The single element inside an EXPLICIT tag, which must hold nothing else.
pub(super) fn explicit<'a>(element: &Element<'a>) -> Option<Element<'a>> {
    let mut inner = element.children()?;
    let value = inner.read()?;
    inner.is_empty().then_some(value)
}

/// Reads the first element of `input` and ignores trailing bytes, as
/// `ASN1_item_d2i` does.
pub(super) fn first_element(input: &[u8]) -> Option<Element<'_>> {
    Reader::new(input).read()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_form_and_indefinite_lengths() {
        let long = [0x04, 0x82, 0x00, 0x02, b'h', b'i'];
        let element = first_element(&long).unwrap();
        assert_eq!(element.content, b"hi");

        let indefinite = [
            0x24, 0x80, 0x04, 0x01, b'a', 0x04, 0x01, b'b', 0x00, 0x00, 0xFF,
        ];
        let element = first_element(&indefinite).unwrap();
        assert_eq!(element.encoding.len(), 10);
        assert_eq!(string_octets(&element).unwrap(), b"ab");
    }

    #[test]
    fn primitive_indefinite_is_rejected() {
        assert!(first_element(&[0x04, 0x80, 0x00, 0x00]).is_none());
    }

    #[test]
    fn length_past_end_is_rejected() {
        assert!(first_element(&[0x04, 0x05, 0x00]).is_none());
    }

    #[test]
    fn integers_follow_openssl_rules() {
        assert_eq!(BigInt::from_content(&[0x00, 0x7F]), None);
        assert_eq!(BigInt::from_content(&[0xFF, 0x80]), None);
        assert_eq!(BigInt::from_content(&[]), None);
        let minus_256 = BigInt::from_content(&[0xFF, 0x00]).unwrap();
        assert!(minus_256.negative);
        assert_eq!(minus_256.magnitude, [1, 0]);
        assert_eq!(minus_256.to_i64(), Some(-256));
        let min = BigInt::from_content(&[0x80, 0, 0, 0, 0, 0, 0, 0]).unwrap();
        assert_eq!(min.to_i64(), Some(i64::MIN));
        let big = BigInt::from_content(&[0x00, 0x80, 0, 0, 0, 0, 0, 0, 0]).unwrap();
        assert_eq!(big.to_i64(), None);
        assert_eq!(big.bits(), 64);
    }

    #[test]
    fn object_identifier_checks() {
        let good = [0x06, 0x03, 0x2A, 0x86, 0x48];
        assert!(object(&first_element(&good).unwrap()).is_some());
        let unterminated = [0x06, 0x02, 0x2A, 0x86];
        assert!(object(&first_element(&unterminated).unwrap()).is_none());
        let good = [0x06, 0x03, 0x2A, 0x81, 0x01];
        assert!(object(&first_element(&good).unwrap()).is_some());
        let padded = [0x06, 0x03, 0x2A, 0x80, 0x01];
        assert!(object(&first_element(&padded).unwrap()).is_none());
    }

    #[test]
    fn bit_string_clears_unused_bits() {
        let element = first_element(&[0x03, 0x02, 0x07, 0xFF]).unwrap();
        assert_eq!(bit_string(&element).unwrap(), [0x80]);
        let element = first_element(&[0x03, 0x02, 0x08, 0xFF]).unwrap();
        assert!(bit_string(&element).is_none());
    }
}
