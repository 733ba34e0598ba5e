//! BER to DER normalization.
//!
//! Real TSAs emit BER: indefinite lengths, constructed OCTET STRINGs, long-form
//! lengths for short values, BOOLEAN TRUE as bytes other than 0xFF. The `der`
//! crate reads DER only, so untrusted input goes through [`normalize`] first.
//! It rewrites the encoding without looking at the schema and keeps the order of
//! every element, SET members included, because signatures over signed
//! attributes follow their encoded order.
//!
//! The walk is bounded: input length, nesting depth and element count are all
//! capped, so hostile input costs at most linear time and memory.

use crate::error::{Error, Reason, Result};

/// Largest input accepted, in bytes.
pub const MAX_INPUT_LEN: usize = 64 * 1024 * 1024;

/// Deepest nesting of constructed elements accepted.
pub const MAX_DEPTH: usize = 48;

/// Most elements accepted in one input.
pub const MAX_ELEMENTS: usize = 1_000_000;

const CONSTRUCTED: u8 = 0x20;
const CLASS_MASK: u8 = 0xC0;
const UNIVERSAL: u8 = 0x00;
const TAG_BOOLEAN: u32 = 1;
const TAG_BIT_STRING: u32 = 3;

/// Universal string types whose BER encoding may be split into constructed segments.
const STRING_TAGS: &[u32] = &[3, 4, 7, 12, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30];

/// A parsed identifier octet sequence.
#[derive(Debug, Clone, Copy)]
struct Identifier<'a> {
    /// The identifier octets as written, including any high-tag-number octets.
    raw: &'a [u8],
    class: u8,
    constructed: bool,
    number: u32,
}

struct Normalizer<'a> {
    input: &'a [u8],
    elements: usize,
}

/// Rewrites one BER element as DER. `input` must hold exactly one element.
pub fn normalize(input: &[u8]) -> Result<Vec<u8>> {
    if input.len() > MAX_INPUT_LEN {
        return Err(Error::new(
            Reason::TooLarge,
            format!(
                "input of {} bytes is larger than the {} bytes accepted",
                input.len(),
                MAX_INPUT_LEN
            ),
        ));
    }
    let mut normalizer = Normalizer { input, elements: 0 };
    let mut out = Vec::with_capacity(input.len());
    let end = normalizer.element(0, 0, &mut out)?;
    if end != input.len() {
        return Err(malformed(end, "trailing data after the outermost element"));
    }
    Ok(out)
}

/// Returns the first BER element of `input`, or all of `input` when no element
/// can be delimited, so that the decoder reports what is wrong with it. The
/// readers of `openssl ts` (`d2i_TS_REQ_bio`, `d2i_TS_RESP_bio`,
/// `d2i_PKCS7_bio`) read one element and ignore what follows it.
pub fn first_element(input: &[u8]) -> &[u8] {
    match element_len(input) {
        Ok(len) => input.get(..len).unwrap_or(input),
        Err(_) => input,
    }
}

/// Returns the length of the first BER element in `input`, so callers can split
/// concatenated elements. Lengths may be indefinite.
pub fn element_len(input: &[u8]) -> Result<usize> {
    let mut normalizer = Normalizer { input, elements: 0 };
    let mut sink = Vec::new();
    normalizer.element(0, 0, &mut sink)
}

fn malformed(offset: usize, what: &str) -> Error {
    Error::new(
        Reason::Decode,
        format!("malformed BER at byte {offset}: {what}"),
    )
}

impl<'a> Normalizer<'a> {
    fn byte(&self, pos: usize) -> Result<u8> {
        self.input
            .get(pos)
            .copied()
            .ok_or_else(|| malformed(pos, "unexpected end of input"))
    }

    fn identifier(&self, start: usize) -> Result<(Identifier<'a>, usize)> {
        let first = self.byte(start)?;
        let class = first & CLASS_MASK;
        let constructed = first & CONSTRUCTED != 0;
        let mut pos = start + 1;
        let mut number = u32::from(first & 0x1F);
        if number == 0x1F {
            number = 0;
            loop {
                let b = self.byte(pos)?;
                pos += 1;
                if number > (u32::MAX >> 7) {
                    return Err(malformed(start, "tag number too large"));
                }
                number = (number << 7) | u32::from(b & 0x7F);
                if b & 0x80 == 0 {
                    break;
                }
            }
        }
        let id = Identifier {
            raw: &self.input[start..pos],
            class,
            constructed,
            number,
        };
        Ok((id, pos))
    }

    /// Reads a length at `pos`; `None` means indefinite.
    fn length(&self, pos: usize) -> Result<(Option<usize>, usize)> {
        let first = self.byte(pos)?;
        if first < 0x80 {
            return Ok((Some(usize::from(first)), pos + 1));
        }
        if first == 0x80 {
            return Ok((None, pos + 1));
        }
        let count = usize::from(first & 0x7F);
        if count > 4 {
            return Err(malformed(pos, "length field longer than 4 bytes"));
        }
        let mut len = 0usize;
        for i in 0..count {
            len = (len << 8) | usize::from(self.byte(pos + 1 + i)?);
        }
        Ok((Some(len), pos + 1 + count))
    }

    /// Normalizes the element at `start` into `out`, returning the offset after it.
    fn element(&mut self, start: usize, depth: usize, out: &mut Vec<u8>) -> Result<usize> {
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            return Err(Error::new(
                Reason::TooLarge,
                format!("input has more than {MAX_ELEMENTS} ASN.1 elements"),
            ));
        }
        if depth > MAX_DEPTH {
            return Err(malformed(
                start,
                &format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        let (id, after_id) = self.identifier(start)?;
        let (len, content_start) = self.length(after_id)?;
        if !id.constructed {
            let len = len.ok_or_else(|| malformed(after_id, "indefinite length on a primitive"))?;
            let end = content_start
                .checked_add(len)
                .filter(|end| *end <= self.input.len())
                .ok_or_else(|| malformed(after_id, "length runs past the end of input"))?;
            let content = &self.input[content_start..end];
            write_primitive(id, content, out);
            return Ok(end);
        }

        let mut content = Vec::new();
        let mut segments = Vec::new();
        let is_string = id.class == UNIVERSAL && STRING_TAGS.contains(&id.number);
        let end = match len {
            Some(len) => {
                let end = content_start
                    .checked_add(len)
                    .filter(|end| *end <= self.input.len())
                    .ok_or_else(|| malformed(after_id, "length runs past the end of input"))?;
                let mut pos = content_start;
                while pos < end {
                    pos = self.child(pos, end, depth, is_string, &mut content, &mut segments)?;
                }
                if pos != end {
                    return Err(malformed(pos, "element runs past its parent"));
                }
                end
            }
            None => {
                let mut pos = content_start;
                loop {
                    if self.byte(pos)? == 0 && self.byte(pos + 1)? == 0 {
                        break pos + 2;
                    }
                    pos = self.child(
                        pos,
                        self.input.len(),
                        depth,
                        is_string,
                        &mut content,
                        &mut segments,
                    )?;
                }
            }
        };

        if is_string {
            let joined = join_segments(id, &segments, start)?;
            let primitive = Identifier {
                constructed: false,
                ..id
            };
            write_primitive(primitive, &joined, out);
        } else {
            write_header(id.raw, true, content.len(), out);
            out.extend_from_slice(&content);
        }
        Ok(end)
    }

    /// Normalizes one child of a constructed element. For string types the
    /// child's content is collected as a segment instead.
    fn child(
        &mut self,
        pos: usize,
        limit: usize,
        depth: usize,
        is_string: bool,
        content: &mut Vec<u8>,
        segments: &mut Vec<Vec<u8>>,
    ) -> Result<usize> {
        let mut child = Vec::new();
        let next = self.element(pos, depth + 1, &mut child)?;
        if next > limit {
            return Err(malformed(pos, "element runs past its parent"));
        }
        if is_string {
            segments.push(primitive_content(&child));
        } else {
            content.extend_from_slice(&child);
        }
        Ok(next)
    }
}

/// The content octets of a normalized primitive element.
fn primitive_content(element: &[u8]) -> Vec<u8> {
    let mut pos = 1;
    if element[0] & 0x1F == 0x1F {
        while element[pos] & 0x80 != 0 {
            pos += 1;
        }
        pos += 1;
    }
    let first = element[pos];
    pos += 1;
    if first >= 0x80 {
        pos += usize::from(first & 0x7F);
    }
    element[pos..].to_vec()
}

/// Joins the segments of a constructed string. BIT STRING segments each start
/// with an unused-bits octet, and only the last segment may have unused bits.
fn join_segments(id: Identifier<'_>, segments: &[Vec<u8>], start: usize) -> Result<Vec<u8>> {
    if id.number != TAG_BIT_STRING {
        return Ok(segments.concat());
    }
    let mut joined = vec![0u8];
    for (i, segment) in segments.iter().enumerate() {
        let (&unused, bits) = segment
            .split_first()
            .ok_or_else(|| malformed(start, "empty BIT STRING segment"))?;
        if unused != 0 && i + 1 != segments.len() {
            return Err(malformed(
                start,
                "unused bits in a middle BIT STRING segment",
            ));
        }
        joined[0] = unused;
        joined.extend_from_slice(bits);
    }
    Ok(joined)
}

fn write_primitive(id: Identifier<'_>, content: &[u8], out: &mut Vec<u8>) {
    let is_boolean = id.class == UNIVERSAL && id.number == TAG_BOOLEAN;
    if is_boolean && content.len() == 1 && content[0] != 0 {
        write_header(id.raw, false, 1, out);
        out.push(0xFF);
        return;
    }
    write_header(id.raw, false, content.len(), out);
    out.extend_from_slice(content);
}

fn write_header(raw_id: &[u8], constructed: bool, len: usize, out: &mut Vec<u8>) {
    let first = if constructed {
        raw_id[0] | CONSTRUCTED
    } else {
        raw_id[0] & !CONSTRUCTED
    };
    out.push(first);
    out.extend_from_slice(&raw_id[1..]);
    write_length(len, out);
}

/// Appends a DER length.
pub fn write_length(len: usize, out: &mut Vec<u8>) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    out.push(0x80 | (bytes.len() - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn der_is_unchanged() {
        let der = hex("3006 020101 0101ff");
        assert_eq!(normalize(&der).unwrap(), der);
    }

    #[test]
    fn indefinite_length_becomes_definite() {
        let ber = hex("3080 020101 0000");
        assert_eq!(normalize(&ber).unwrap(), hex("3003 020101"));
    }

    #[test]
    fn constructed_octet_string_is_joined() {
        let ber = hex("2480 0402 0102 0401 03 0000");
        assert_eq!(normalize(&ber).unwrap(), hex("0403 010203"));
        let definite = hex("2407 0402 0102 0401 03");
        assert_eq!(normalize(&definite).unwrap(), hex("0403 010203"));
    }

    #[test]
    fn constructed_bit_string_is_joined() {
        let ber = hex("2380 0302 00aa 0302 04b0 0000");
        assert_eq!(normalize(&ber).unwrap(), hex("0303 04aab0"));
    }

    #[test]
    fn long_form_length_is_shortened() {
        let ber = hex("308103 020101");
        assert_eq!(normalize(&ber).unwrap(), hex("3003 020101"));
    }

    #[test]
    fn boolean_true_becomes_ff() {
        assert_eq!(normalize(&hex("010101")).unwrap(), hex("0101ff"));
        assert_eq!(normalize(&hex("010100")).unwrap(), hex("010100"));
    }

    #[test]
    fn set_order_is_kept() {
        let ber = hex("3106 020102 020101");
        assert_eq!(normalize(&ber).unwrap(), ber);
    }

    #[test]
    fn truncated_input_fails() {
        assert!(normalize(&hex("3005 0201")).is_err());
        assert!(normalize(&hex("3080 020101")).is_err());
        assert!(normalize(&[]).is_err());
    }

    #[test]
    fn trailing_data_fails() {
        assert!(normalize(&hex("020101 00")).is_err());
    }

    #[test]
    fn primitive_indefinite_fails() {
        assert!(normalize(&hex("0480 00 0000")).is_err());
    }

    #[test]
    fn deep_nesting_fails() {
        let depth = MAX_DEPTH + 2;
        let mut ber = vec![];
        for _ in 0..depth {
            ber.extend_from_slice(&[0x30, 0x80]);
        }
        for _ in 0..depth {
            ber.extend_from_slice(&[0, 0]);
        }
        let err = normalize(&ber).unwrap_err();
        assert!(err.to_string().contains("nesting"), "{err}");
    }

    #[test]
    fn high_tag_numbers_are_kept() {
        let der = hex("bf2003 020101");
        assert_eq!(normalize(&der).unwrap(), der);
    }

    #[test]
    fn element_len_splits_concatenation() {
        let two = hex("3080 020101 0000 0500");
        assert_eq!(element_len(&two).unwrap(), 7);
    }
}
