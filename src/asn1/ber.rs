//! BER to DER normalization.
//!
//! Real TSAs emit BER: indefinite lengths, constructed OCTET STRINGs, long-form
//! lengths for short values, BOOLEAN TRUE as bytes other than 0xFF. The `der`
//! crate reads DER only, so untrusted input goes through [`normalize`] first.
//! It rewrites the encoding without looking at the schema and keeps the order of
//! every element, SET members included, because signatures over signed
//! attributes follow their encoded order.
//!
//! Signatures cover the bytes as sent, not their DER form, so
//! [`normalize_with_spans`] also returns where each DER element came from in
//! the input ([`Normalized::original`]).
//!
//! The walk is iterative: open constructed elements sit on a heap stack, so
//! nesting depth cannot overflow the call stack. Input length, nesting depth
//! and element count are capped, and no allocation follows a declared length,
//! so hostile input costs at most linear time and memory.

use crate::error::{Error, Reason, Result};

/// Largest input accepted, in bytes.
pub const MAX_INPUT_LEN: usize = 64 * 1024 * 1024;

/// Deepest nesting of constructed elements accepted.
///
/// OpenSSL 3.0 limits nesting only inside its templates (30 levels) and copies
/// opaque values (ANY, unknown attributes) without a depth limit, so tokens with
/// unsigned attributes nested 60 levels deep verify there. Open elements are
/// kept on a heap stack here, so the cap is not about stack safety: it rejects
/// absurd input while staying far above any structure a TSA writes (under 20
/// levels).
/// NOTE: OpenSSL accepts opaque values nested deeper than this.
pub const MAX_DEPTH: usize = 1024;

/// Most elements accepted in one input.
pub const MAX_ELEMENTS: usize = 1_000_000;

const CONSTRUCTED: u8 = 0x20;
const CLASS_MASK: u8 = 0xC0;
const UNIVERSAL: u8 = 0x00;
const CONTEXT: u8 = 0x80;
const TAG_BOOLEAN: u32 = 1;
const TAG_OID: u32 = 6;
const TAG_SEQUENCE: u32 = 16;
const TAG_SET: u32 = 17;

/// Deepest nesting of constructed segments inside a constructed string, as
/// OpenSSL 3.0 limits it (`ASN1_MAX_STRING_NEST`).
const MAX_STRING_NESTING: usize = 5;

/// Universal types that OpenSSL 3.0 rejects in constructed form
/// (`asn1_d2i_ex_primitive`): BOOLEAN, INTEGER, NULL, OBJECT IDENTIFIER and
/// ENUMERATED.
const PRIMITIVE_ONLY_TAGS: &[u32] = &[1, 2, 5, 6, 10];

/// Returns whether a constructed universal element of type `number` is a
/// string whose segments are joined. OpenSSL joins every universal type
/// but SEQUENCE, SET and [`PRIMITIVE_ONLY_TAGS`] (tag 0 is end-of-contents).
fn is_joined_type(number: u32) -> bool {
    !matches!(number, 0 | TAG_SEQUENCE | TAG_SET) && !PRIMITIVE_ONLY_TAGS.contains(&number)
}

/// A parsed identifier octet sequence.
#[derive(Debug, Clone, Copy)]
struct Identifier {
    class: u8,
    constructed: bool,
    number: u32,
}

/// One element found by the first pass, in input order (pre-order).
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Input offset of the identifier octets.
    start: usize,
    /// Input offset after the identifier octets.
    id_end: usize,
    /// Input offset of the content octets.
    content_start: usize,
    /// Input offset after the element, end-of-contents octets included.
    end: usize,
    /// The end of a definite-length constructed element.
    definite_end: Option<usize>,
    /// The offset no child may pass: this element's end when definite, else
    /// the nearest definite ancestor's end or the end of input.
    limit: usize,
    id: Identifier,
    /// The length of the DER content octets.
    content_len: usize,
    parent: Option<usize>,
    /// For a segment of a constructed string: the string being joined.
    string_root: Option<usize>,
    /// A constructed string whose segments are joined into one primitive.
    joined: bool,
    /// A constructed element kept as received because its content did not
    /// parse.
    opaque: bool,
}

/// The outcome of one [`Walker::step`].
enum Step {
    /// Go on at this offset.
    Next(usize),
    /// The first element ends at this offset.
    Done(usize),
}

/// Where one DER element of the output came from in the input.
#[derive(Debug, Clone, Copy)]
struct Span {
    der_start: usize,
    original_start: usize,
    original_end: usize,
}

/// BER input rewritten as DER, with the input bytes of every DER element.
#[derive(Debug, Clone)]
pub struct Normalized<'a> {
    input: &'a [u8],
    der: Vec<u8>,
    spans: Vec<Span>,
    fault: Option<Error>,
}

impl<'a> Normalized<'a> {
    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Returns the first fault that made an element opaque, if any.
    pub fn fault(&self) -> Option<&Error> {
        self.fault.as_ref()
    }

    /// Replaces a decoding error on this input with the fault found while
    /// normalizing it, which is its cause: "cannot decode `what`: malformed
    /// BER at byte N: ...". Other errors pass unchanged.
    pub fn explain(&self, what: &str, error: Error) -> Error {
        match &self.fault {
            Some(fault) if error.reason() == Reason::Decode => Error::new(
                fault.reason(),
                format!("cannot decode {what}: {}", fault.message()),
            ),
            _ => error,
        }
    }

    /// The input bytes (the encoding as sent) of the DER element that starts
    /// at `der_offset`, or `None` when no element starts there.
    pub fn original(&self, der_offset: usize) -> Option<&'a [u8]> {
        let index = self
            .spans
            .binary_search_by_key(&der_offset, |span| span.der_start)
            .ok()?;
        let span = self.spans.get(index)?;
        self.input.get(span.original_start..span.original_end)
    }
}

/// Rewrites one BER element as DER. `input` must hold exactly one element, and
/// every element in it must parse.
pub fn normalize(input: &[u8]) -> Result<Vec<u8>> {
    let (nodes, fault) = walk_whole(input)?;
    if let Some(fault) = fault {
        return Err(fault);
    }
    Ok(write_der(input, &nodes, None))
}

/// Rewrites one BER element as DER, as [`normalize`] does, and keeps the map
/// from each DER element back to its input bytes.
///
/// A definite-length constructed element whose content does not parse is
/// kept as received instead of failing, as OpenSSL's decoder keeps an ANY
/// value unread, and [`Normalized::fault`] returns the fault. Decoding a structure from
/// such an element fails, and [`Normalized::explain`] then names the fault.
pub fn normalize_with_spans(input: &[u8]) -> Result<Normalized<'_>> {
    let (nodes, fault) = walk_whole(input)?;
    let mut spans = Vec::with_capacity(nodes.len());
    let der = write_der(input, &nodes, Some(&mut spans));
    Ok(Normalized {
        input,
        der,
        spans,
        fault,
    })
}

/// Returns the length of the first BER element in `input`, so callers can split
/// concatenated elements. Lengths may be indefinite.
pub fn element_len(input: &[u8]) -> Result<usize> {
    check_input_len(input)?;
    Walker::new(input).walk().map(|(_, end, _)| end)
}

/// The input bytes of the first element inside the outermost constructed
/// element of `input`, as sent: the TBSCertificate of a certificate, the
/// TBSCertList of a CRL. A signature covers exactly these bytes.
pub fn first_inner_element(input: &[u8]) -> Option<&[u8]> {
    let walker = Walker::new(input);
    let (id, after_id) = walker.identifier(0).ok()?;
    if !id.constructed {
        return None;
    }
    let (_, content_start) = walker.length(after_id).ok()?;
    let content = input.get(content_start..)?;
    let len = element_len(content).ok()?;
    content.get(..len)
}

/// The offsets of the elements directly inside the DER element at `offset`,
/// or `None` when `der` has no valid element there.
pub fn der_children(der: &[u8], offset: usize) -> Option<Vec<usize>> {
    let (content_start, end) = der_bounds(der, offset)?;
    let mut children = Vec::new();
    let mut pos = content_start;
    while pos < end {
        children.push(pos);
        pos = der_bounds(der, pos)?.1;
    }
    (pos == end).then_some(children)
}

/// The whole DER element at `offset`.
pub fn der_element(der: &[u8], offset: usize) -> Option<&[u8]> {
    let (_, end) = der_bounds(der, offset)?;
    der.get(offset..end)
}

/// The content start and end of the DER element at `offset`.
fn der_bounds(der: &[u8], offset: usize) -> Option<(usize, usize)> {
    let walker = Walker::new(der);
    let (_, after_id) = walker.identifier(offset).ok()?;
    let (len, content_start) = walker.length(after_id).ok()?;
    let end = content_start.checked_add(len?)?;
    (end <= der.len()).then_some((content_start, end))
}

fn check_input_len(input: &[u8]) -> Result<()> {
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
    Ok(())
}

fn walk_whole(input: &[u8]) -> Result<(Vec<Node>, Option<Error>)> {
    check_input_len(input)?;
    let (nodes, end, fault) = Walker::new(input).walk()?;
    if end != input.len() {
        return Err(malformed(
            end,
            &format!(
                "{} bytes of trailing data after the outermost element",
                input.len() - end
            ),
        ));
    }
    Ok((nodes, fault))
}

/// Returns the first BER element of `input` as OpenSSL's file readers
/// (`d2i_TS_REQ_bio`, `d2i_TS_RESP_bio`, `d2i_PKCS7_bio`) read it, as
/// [`first_element`] does. Those readers parse the first header from 8
/// octets and want one octet more than the header, so they reject a header
/// of 8 octets or more, which only a long-form length with padding makes.
pub fn file_element(input: &[u8]) -> Result<&[u8]> {
    let walker = Walker::new(input);
    let header_len = walker
        .identifier(0)
        .and_then(|(_, after_id)| walker.length(after_id))
        .map(|(_, content_start)| content_start);
    if let Ok(header_len @ 8..) = header_len {
        return Err(malformed(
            0,
            &format!(
                "the outermost header is {header_len} octets long, and OpenSSL's file reader accepts at most 7 (header too long)"
            ),
        ));
    }
    Ok(first_element(input))
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

fn malformed(offset: usize, what: &str) -> Error {
    Error::new(
        Reason::Decode,
        format!("malformed BER at byte {offset}: {what}"),
    )
}

/// The first pass: finds every element and computes its DER content length.
struct Walker<'a> {
    input: &'a [u8],
    nodes: Vec<Node>,
}

impl<'a> Walker<'a> {
    fn new(input: &'a [u8]) -> Self {
        Walker {
            input,
            nodes: Vec::new(),
        }
    }

    fn byte(&self, pos: usize) -> Result<u8> {
        self.input
            .get(pos)
            .copied()
            .ok_or_else(|| malformed(pos, "unexpected end of input"))
    }

    fn identifier(&self, start: usize) -> Result<(Identifier, usize)> {
        let first = self.byte(start)?;
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
            class: first & CLASS_MASK,
            constructed: first & CONSTRUCTED != 0,
            number,
        };
        Ok((id, pos))
    }

    /// Reads a length at `pos`; `None` means indefinite.
    ///
    /// Long-form lengths may have leading zero octets, as OpenSSL 3.0's
    /// `ASN1_get_object` accepts them, as long as the value fits a `usize`.
    /// The value is only compared with the input, never used to allocate.
    fn length(&self, pos: usize) -> Result<(Option<usize>, usize)> {
        let first = self.byte(pos)?;
        if first < 0x80 {
            return Ok((Some(usize::from(first)), pos + 1));
        }
        if first == 0x80 {
            return Ok((None, pos + 1));
        }
        if first == 0xFF {
            return Err(malformed(
                pos,
                "length octet 0xff is reserved (X.690 section 8.1.3.5)",
            ));
        }
        let count = usize::from(first & 0x7F);
        let mut len = 0usize;
        for i in 0..count {
            let b = self.byte(pos + 1 + i)?;
            if len > (usize::MAX >> 8) {
                return Err(malformed(pos, "length does not fit in memory"));
            }
            len = (len << 8) | usize::from(b);
        }
        Ok((Some(len), pos + 1 + count))
    }

    /// Walks the first element of the input. Returns every element found, the
    /// offset after the first element, and the first fault that made an
    /// element opaque (see [`Walker::make_opaque`]).
    fn walk(mut self) -> Result<(Vec<Node>, usize, Option<Error>)> {
        let mut open: Vec<usize> = Vec::new();
        let mut pos = 0;
        let mut fault = None;
        loop {
            if self.nodes.len() >= MAX_ELEMENTS {
                return Err(Error::new(
                    Reason::TooLarge,
                    format!("input has more than {MAX_ELEMENTS} ASN.1 elements"),
                ));
            }
            if open.len() >= MAX_DEPTH {
                return Err(malformed(
                    pos,
                    &format!("nesting deeper than {MAX_DEPTH} levels"),
                ));
            }
            match self.step(&mut open, pos) {
                Ok(Step::Next(next)) => pos = next,
                Ok(Step::Done(end)) => return Ok((self.nodes, end, fault)),
                Err(e) => match self.make_opaque(&mut open, &e) {
                    Some(next) => {
                        pos = next;
                        fault.get_or_insert(e);
                    }
                    None => return Err(e),
                },
            }
        }
    }

    /// Closes the innermost open element if `pos` is its end, else reads the
    /// element at `pos`.
    fn step(&mut self, open: &mut Vec<usize>, mut pos: usize) -> Result<Step> {
        if let Some(&top) = open.last() {
            let node = self.nodes[top];
            let at_end = match node.definite_end {
                Some(end) => pos == end,
                None => pos + 2 <= node.limit && self.byte(pos)? == 0 && self.byte(pos + 1)? == 0,
            };
            if at_end {
                if node.definite_end.is_none() {
                    pos += 2;
                }
                self.nodes[top].end = pos;
                self.finish(top)?;
                open.pop();
                return Ok(Step::Next(pos));
            }
        } else if !self.nodes.is_empty() {
            return Ok(Step::Done(pos));
        }
        Ok(Step::Next(match self.start_element(pos, open)? {
            Some(child) => {
                open.push(child);
                self.nodes[child].content_start
            }
            None => self.nodes.last().map_or(pos, |node| node.end),
        }))
    }

    /// Recovers from a fault inside a value that OpenSSL's decoder keeps
    /// without reading it: an attribute value or the parameters of an
    /// AlgorithmIdentifier (ASN.1 ANY). The innermost open element in such a
    /// place is kept as received, content unread, when its length is
    /// definite. Returns the offset after it, or `None` when no open element
    /// is in such a place, so the fault is an error.
    fn make_opaque(&mut self, open: &mut Vec<usize>, fault: &Error) -> Option<usize> {
        if fault.reason() != Reason::Decode {
            return None;
        }
        let depth = open.iter().rposition(|&index| {
            let node = &self.nodes[index];
            node.definite_end.is_some()
                && node.string_root.is_none()
                && !node.joined
                && self.is_any_value(index)
        })?;
        let index = open[depth];
        let end = self.nodes[index].definite_end?;
        open.truncate(depth);
        self.nodes.truncate(index + 1);
        let node = &mut self.nodes[index];
        node.opaque = true;
        node.content_len = end - node.content_start;
        node.end = end;
        self.finish(index).ok()?;
        Some(end)
    }

    /// Returns whether OpenSSL's decoder keeps the element at `index` unread as
    /// an ANY value. Two places qualify. One is a SEQUENCE or non-universal
    /// element last in `SEQUENCE { OBJECT IDENTIFIER, value }`
    /// (AlgorithmIdentifier parameters). The other is a SEQUENCE, SET or
    /// non-universal element in the SET that ends an Attribute. Whether an
    /// element is last is known only in a definite-length SEQUENCE. The `[0]`
    /// content of a ContentInfo is not one: OpenSSL reads signed data there.
    fn is_any_value(&self, index: usize) -> bool {
        let node = &self.nodes[index];
        let kept_unread = match node.id.class {
            UNIVERSAL => node.id.number == TAG_SEQUENCE || node.id.number == TAG_SET,
            _ => true,
        };
        if !kept_unread {
            return false;
        }
        let last_after_oid = |index: usize| {
            let node = &self.nodes[index];
            let Some(parent) = node.parent else {
                return false;
            };
            let parent_node = &self.nodes[parent];
            let first = &self.nodes[parent + 1];
            parent + 1 < index
                && parent_node.id.class == UNIVERSAL
                && parent_node.id.number == TAG_SEQUENCE
                && first.id.class == UNIVERSAL
                && first.id.number == TAG_OID
                && first.end == node.start
                && parent_node
                    .definite_end
                    .is_none_or(|end| node.definite_end == Some(end))
        };
        // A SET after an OBJECT IDENTIFIER is taken for an Attribute's values,
        // which OpenSSL reads, rather than for AlgorithmIdentifier parameters.
        let is_set = node.id.class == UNIVERSAL && node.id.number == TAG_SET;
        if node.id.class != CONTEXT && !is_set && last_after_oid(index) {
            return true;
        }
        node.parent.is_some_and(|set| {
            let set_node = &self.nodes[set];
            set_node.id.class == UNIVERSAL && set_node.id.number == TAG_SET && last_after_oid(set)
        })
    }

    /// Counts the constructed segments between a new segment and the string
    /// it belongs to, its parent included.
    fn segment_nesting(&self, parent: Option<usize>) -> usize {
        let mut nesting = 0;
        let mut current = parent;
        while let Some(index) = current {
            let node = &self.nodes[index];
            if node.string_root.is_none() {
                break;
            }
            nesting += 1;
            current = node.parent;
        }
        nesting
    }

    /// Reads the element at `pos` inside the innermost open element. Returns
    /// its index when it is constructed and so now open; a primitive element
    /// is finished at once.
    fn start_element(&mut self, pos: usize, open: &[usize]) -> Result<Option<usize>> {
        let parent = open.last().copied();
        let limit = parent.map_or(self.input.len(), |p| self.nodes[p].limit);
        let (id, id_end) = self.identifier(pos)?;
        let (len, content_start) = self.length(id_end)?;
        if id.class == UNIVERSAL && id.number == 0 && !id.constructed && len == Some(0) {
            return Err(malformed(pos, "unexpected end-of-contents octets"));
        }
        // OpenSSL's `asn1_get_length` wants one octet more than a long-form
        // length has, so it fails on one that ends where its parent ends.
        if content_start > id_end + 1 && content_start >= limit {
            return Err(malformed(
                id_end,
                "a long-form length ends where its parent ends, which OpenSSL rejects (header too long)",
            ));
        }
        // Segments of segments belong to the outermost constructed string.
        let string_root = parent.and_then(|p| {
            let parent = &self.nodes[p];
            parent.string_root.or(parent.joined.then_some(p))
        });
        if string_root.is_some() && id.constructed {
            let nesting = self.segment_nesting(parent);
            if nesting >= MAX_STRING_NESTING {
                return Err(malformed(
                    pos,
                    &format!(
                        "constructed string segments nested more than {MAX_STRING_NESTING} levels"
                    ),
                ));
            }
        }
        // OpenSSL reads a SET OF without looking at the constructed bit, and
        // SET is always a SET OF in the structures read here.
        let id = if string_root.is_none()
            && !id.constructed
            && id.class == UNIVERSAL
            && id.number == TAG_SET
            && len.is_some()
        {
            Identifier {
                constructed: true,
                ..id
            }
        } else {
            id
        };
        if string_root.is_none()
            && id.constructed
            && id.class == UNIVERSAL
            && PRIMITIVE_ONLY_TAGS.contains(&id.number)
        {
            return Err(malformed(
                pos,
                &format!("universal type {} must be primitive", id.number),
            ));
        }
        let end = match len {
            Some(len) => Some(self.checked_end(content_start, len, limit, id_end)?),
            None if !id.constructed => {
                return Err(malformed(id_end, "indefinite length on a primitive"));
            }
            None => None,
        };
        let node = Node {
            start: pos,
            id_end,
            content_start,
            end: end.unwrap_or(content_start),
            definite_end: end.filter(|_| id.constructed),
            limit: end.unwrap_or(limit),
            id,
            content_len: if id.constructed { 0 } else { len.unwrap_or(0) },
            parent,
            string_root,
            joined: string_root.is_none()
                && id.constructed
                && id.class == UNIVERSAL
                && is_joined_type(id.number),
            opaque: false,
        };
        self.nodes.push(node);
        let index = self.nodes.len() - 1;
        if id.constructed {
            Ok(Some(index))
        } else {
            self.finish(index)?;
            Ok(None)
        }
    }

    fn checked_end(
        &self,
        content_start: usize,
        len: usize,
        limit: usize,
        at: usize,
    ) -> Result<usize> {
        let end = content_start
            .checked_add(len)
            .filter(|end| *end <= self.input.len())
            .ok_or_else(|| malformed(at, "length runs past the end of input"))?;
        if end > limit {
            return Err(malformed(at, "element runs past its parent"));
        }
        Ok(end)
    }

    /// Adds a finished element to its parent: its DER length to the parent's
    /// content, or for a string segment its octets to the joined string.
    fn finish(&mut self, index: usize) -> Result<()> {
        let node = self.nodes[index];
        if let Some(root) = node.string_root {
            if !node.id.constructed {
                self.add_segment(root, &node)?;
            }
            return Ok(());
        }
        let id_len = node.id_end - node.start;
        let der_len = id_len + length_len(node.content_len) + node.content_len;
        if let Some(parent) = node.parent {
            self.nodes[parent].content_len += der_len;
        }
        Ok(())
    }

    /// Adds a primitive segment's octets to the constructed string `root`.
    ///
    /// OpenSSL joins the segments of a BIT STRING the same way, so the first
    /// octet of the first segment becomes the unused-bits octet, where X.690
    /// gives every segment its own.
    fn add_segment(&mut self, root: usize, segment: &Node) -> Result<()> {
        self.nodes[root].content_len += segment.content_len;
        Ok(())
    }
}

/// The second pass: writes the elements found by the first as DER, and
/// records where each came from when `spans` is given.
fn write_der(input: &[u8], nodes: &[Node], mut spans: Option<&mut Vec<Span>>) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    for node in nodes {
        let content = input
            .get(node.content_start..node.content_start + node.content_len)
            .unwrap_or_default();
        if node.string_root.is_some() {
            if !node.id.constructed {
                out.extend_from_slice(content);
            }
            continue;
        }
        if let Some(spans) = spans.as_deref_mut() {
            spans.push(Span {
                der_start: out.len(),
                original_start: node.start,
                original_end: node.end,
            });
        }
        let raw_id = input.get(node.start..node.id_end).unwrap_or_default();
        let constructed = node.id.constructed && !node.joined;
        write_header(raw_id, constructed, node.content_len, &mut out);
        if node.opaque {
            out.extend_from_slice(content);
        } else if !node.joined && !node.id.constructed {
            let is_boolean = node.id.class == UNIVERSAL && node.id.number == TAG_BOOLEAN;
            if is_boolean && content.len() == 1 && content != [0] {
                out.push(0xFF);
            } else {
                out.extend_from_slice(content);
            }
        }
    }
    out
}

fn write_header(raw_id: &[u8], constructed: bool, len: usize, out: &mut Vec<u8>) {
    let Some((&first, rest)) = raw_id.split_first() else {
        return;
    };
    out.push(if constructed {
        first | CONSTRUCTED
    } else {
        first & !CONSTRUCTED
    });
    out.extend_from_slice(rest);
    write_length(len, out);
}

/// The number of octets of a DER length.
fn length_len(len: usize) -> usize {
    if len < 0x80 {
        1
    } else {
        1 + (usize::BITS - len.leading_zeros()).div_ceil(8) as usize
    }
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
        // OpenSSL joins the octets as they are, unused-bits octets included.
        let ber = hex("2380 0302 00aa 0302 04b0 0000");
        assert_eq!(normalize(&ber).unwrap(), hex("0304 00aa04b0"));
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

    #[test]
    fn long_form_length_with_leading_zeros_is_accepted() {
        let ber = hex("3085 0000000003 020101");
        assert_eq!(normalize(&ber).unwrap(), hex("3003 020101"));
    }

    #[test]
    fn huge_declared_length_fails_without_allocating() {
        let err = normalize(&hex("3088 7fffffffffffffff 00")).unwrap_err();
        assert!(err.to_string().contains("past the end of input"), "{err}");
        let err = normalize(&hex("3089 010000000000000000")).unwrap_err();
        assert!(err.to_string().contains("does not fit"), "{err}");
        let err = normalize(&hex("30ff 00")).unwrap_err();
        assert!(err.to_string().contains("reserved"), "{err}");
    }

    #[test]
    fn nesting_beyond_openssl_template_limit_is_accepted() {
        let mut der = hex("0500");
        for _ in 0..200 {
            let mut outer = vec![0x30];
            write_length(der.len(), &mut outer);
            outer.extend_from_slice(&der);
            der = outer;
        }
        assert_eq!(normalize(&der).unwrap(), der);
    }

    #[test]
    fn string_segments_of_any_type_are_joined() {
        // OpenSSL joins the octets of segments without checking their tags.
        let ber = hex("2480 0401 aa 3003 0401 bb 0000");
        assert_eq!(normalize(&ber).unwrap(), hex("0402 aabb"));
    }

    #[test]
    fn string_segment_nesting_is_limited() {
        let mut ber = hex("2480");
        for _ in 0..=MAX_STRING_NESTING {
            ber.extend_from_slice(&hex("2480"));
        }
        ber.extend_from_slice(&hex("0401 aa"));
        ber.extend_from_slice(&[0; 2 * (MAX_STRING_NESTING + 2)]);
        let err = normalize(&ber).unwrap_err();
        assert!(err.to_string().contains("nested more than"), "{err}");
        let allowed = &ber[2..ber.len() - 2];
        assert_eq!(normalize(allowed).unwrap(), hex("0401 aa"));
    }

    #[test]
    fn long_form_length_at_parent_end_fails() {
        let err = normalize(&hex("3005 020101 058100")).unwrap_err();
        assert!(err.to_string().contains("header too long"), "{err}");
        assert_eq!(
            normalize(&hex("3006 058100 020101")).unwrap(),
            hex("3005 0500 020101")
        );
    }

    #[test]
    fn end_of_contents_in_definite_length_fails() {
        let err = normalize(&hex("3005 020101 0000")).unwrap_err();
        assert!(err.to_string().contains("end-of-contents"), "{err}");
    }

    #[test]
    fn file_element_rejects_long_outer_header() {
        let padded = hex("3086 000000000003 020101");
        let err = file_element(&padded).unwrap_err();
        assert!(err.to_string().contains("header too long"), "{err}");
        let short = hex("308103 020101 ff");
        assert_eq!(file_element(&short).unwrap(), hex("308103 020101"));
    }

    #[test]
    fn constructed_integer_fails() {
        let err = normalize(&hex("2203 020101")).unwrap_err();
        assert!(err.to_string().contains("must be primitive"), "{err}");
    }

    #[test]
    fn constructed_integer_in_any_value_is_kept() {
        // OpenSSL keeps a SEQUENCE parameter unread, whatever is inside.
        let ber = hex("300b 0602 2a03 3005 2203 020101");
        assert_eq!(normalize_with_spans(&ber).unwrap().der(), ber);
    }

    #[test]
    fn constructed_real_is_joined() {
        assert_eq!(normalize(&hex("2903 0901 41")).unwrap(), hex("0901 41"));
    }

    #[test]
    fn primitive_set_is_read_as_constructed() {
        assert_eq!(normalize(&hex("1103 020101")).unwrap(), hex("3103 020101"));
    }

    #[test]
    fn unreadable_any_value_is_kept_as_received() {
        // AlgorithmIdentifier parameters whose inner SEQUENCE claims 9 octets
        // but contains 3.
        let ber = hex("300b 0602 2a03 3005 3009 0101ff");
        assert!(normalize(&ber).is_err());
        let normalized = normalize_with_spans(&ber).unwrap();
        assert_eq!(normalized.der(), ber);
        let fault = normalized.fault().unwrap();
        assert!(
            fault.to_string().contains("malformed BER at byte 9"),
            "{fault}"
        );
        let explained = normalized.explain("x", Error::new(Reason::Decode, "bad"));
        assert!(
            explained
                .to_string()
                .starts_with("cannot decode x: malformed BER")
        );
    }

    #[test]
    fn unreadable_attribute_value_is_kept_as_received() {
        let ber = hex("300d 0602 2a03 3107 3005 3009 0101ff");
        assert_eq!(normalize_with_spans(&ber).unwrap().der(), ber);
        // A value whose own length runs past the SET fails, as in OpenSSL.
        assert!(normalize_with_spans(&hex("300b 0602 2a03 3105 3009 0101ff")).is_err());
    }

    #[test]
    fn unreadable_content_outside_any_value_fails() {
        assert!(normalize_with_spans(&hex("3007 3005 3009 0101ff")).is_err());
        // A constructed OCTET STRING whose segments do not parse, as an
        // attribute value: OpenSSL joins segments there, so it fails.
        assert!(normalize_with_spans(&hex("300b 0602 2a03 3105 2403 0409 00")).is_err());
        // The SET follows an INTEGER, not an OBJECT IDENTIFIER.
        assert!(normalize_with_spans(&hex("300a 020101 3105 3009 0101ff")).is_err());
    }

    #[test]
    fn unreadable_any_value_keeps_indefinite_siblings_normalized() {
        let ber = hex("3080 3080 0602 2a03 3003 020500 0000 3080 020101 0000 0000");
        let normalized = normalize_with_spans(&ber).unwrap();
        assert_eq!(
            normalized.der(),
            hex("3010 3009 0602 2a03 3003 020500 3003 020101")
        );
    }

    #[test]
    fn nested_string_segments_are_joined() {
        let ber = hex("2480 0401 aa 2480 0401 bb 0000 0000");
        assert_eq!(normalize(&ber).unwrap(), hex("0402 aabb"));
    }

    #[test]
    fn spans_map_der_back_to_input() {
        let ber = hex("3080 308103 020101 2480 0401 aa 0000 0000");
        let normalized = normalize_with_spans(&ber).unwrap();
        assert_eq!(normalized.der(), hex("3008 3003 020101 0401 aa"));
        assert_eq!(normalized.original(0).unwrap(), ber);
        assert_eq!(normalized.original(2).unwrap(), hex("308103 020101"));
        assert_eq!(normalized.original(4).unwrap(), hex("020101"));
        assert_eq!(normalized.original(7).unwrap(), hex("2480 0401 aa 0000"));
        assert!(normalized.original(3).is_none());
        assert_eq!(der_children(normalized.der(), 0).unwrap(), [2, 7]);
    }

    #[test]
    fn first_inner_element_keeps_input_bytes() {
        let ber = hex("3080 308103 020101 0500 0000");
        assert_eq!(first_inner_element(&ber).unwrap(), hex("308103 020101"));
    }
}
