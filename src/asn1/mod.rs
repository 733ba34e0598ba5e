//! ASN.1 types for RFC 3161 (time-stamp protocol), RFC 5652 (CMS signed data)
//! and ESS signing certificates (RFC 2634, RFC 5035), with BER input and DER output.
//!
//! Every decoder in this module goes through [`decode`], which first rewrites
//! BER as DER ([`ber::normalize`]), so input size and nesting are bounded in
//! one place.

pub mod algorithm;
pub mod any_value;
pub mod ber;
pub mod cms;
pub mod ess;
pub mod general_name;
pub mod gentime;
pub mod name;
pub mod oid;
pub mod tsp;

use core::cmp::Ordering;

use der::{
    Decode, DecodeOwned, DecodeValue, Encode, EncodeValue, EncodingRules, FixedTag, Header, Length,
    Reader, SliceReader, Tag, Writer,
};

use crate::error::{Error, Result};

pub use algorithm::AlgorithmIdentifier;
pub use any_value::AnyValue;
pub use general_name::{GeneralName, GeneralNames};
pub use gentime::GenTime;
pub use name::EncodedName;
pub use oid::Oid;

/// Decodes one `T` from BER or DER input that must contain nothing else.
///
/// `what` names the structure in the error message, as in
/// "cannot decode time-stamp request: ...".
pub fn decode<T>(what: &str, input: &[u8]) -> Result<T>
where
    T: DecodeOwned<Error = der::Error>,
{
    let normalized = ber::normalize_with_spans(input)
        .map_err(|e| Error::new(e.reason(), format!("cannot decode {what}: {}", e.message())))?;
    decode_der(what, normalized.der()).map_err(|e| normalized.explain(what, e))
}

/// Decodes one `T` from input already in DER (as [`ber::normalize`] writes it).
pub fn decode_der<T>(what: &str, der: &[u8]) -> Result<T>
where
    T: DecodeOwned<Error = der::Error>,
{
    let mut reader = SliceReader::new_with_encoding_rules(der, EncodingRules::Ber)
        .map_err(|e| Error::decode(what, e))?;
    let value = T::decode(&mut reader).map_err(|e| Error::decode(what, e))?;
    reader.finish().map_err(|e| Error::decode(what, e))?;
    Ok(value)
}

/// Encodes `value` as DER.
pub fn encode<T: Encode + ?Sized>(what: &str, value: &T) -> Result<Vec<u8>> {
    value.to_der().map_err(|e| Error::encode(what, e))
}

/// A SET OF that keeps the order it was decoded in.
///
/// With `SORT` false (the default) it also encodes in that order: OpenSSL
/// re-encodes a SignerInfo's signed attributes as they came (its template
/// declares them SEQUENCE OF for that reason), because the signature covers
/// that order. With `SORT` true ([`SortedSetOf`]) it encodes in DER order, as
/// OpenSSL encodes its other SET OF fields. `der::asn1::SetOfVec` sorts on
/// decoding, which loses the order a signature covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetOf<T, const SORT: bool = false>(pub Vec<T>);

/// A SET OF that encodes its members in DER order (X.690 section 11.6).
pub type SortedSetOf<T> = SetOf<T, true>;

impl<T, const SORT: bool> SetOf<T, SORT> {
    /// The elements in their current order.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }
}

impl<T: Encode> SetOf<T> {
    /// A set with its members put in DER order now, for building signed attributes.
    pub fn sorted(members: Vec<T>) -> der::Result<Self> {
        Ok(SetOf(sort_by_encoding(members)?))
    }

    /// The encoding of the elements in their current order under a SET tag.
    /// This is what a signature over signed attributes covers.
    pub fn to_der_unsorted(&self) -> der::Result<Vec<u8>> {
        self.to_der()
    }
}

fn sort_by_encoding<T: Encode>(members: Vec<T>) -> der::Result<Vec<T>> {
    let mut keyed = members
        .into_iter()
        .map(|member| Ok((member.to_der()?, member)))
        .collect::<der::Result<Vec<_>>>()?;
    keyed.sort_by(|a, b| der_set_order(&a.0, &b.0));
    Ok(keyed.into_iter().map(|(_, member)| member).collect())
}

/// X.690 section 11.6 order: compare encodings octet by octet, a shorter one
/// that is a prefix of a longer one sorting first.
pub fn der_set_order(a: &[u8], b: &[u8]) -> Ordering {
    a.cmp(b)
}

impl<T, const SORT: bool> FixedTag for SetOf<T, SORT> {
    const TAG: Tag = Tag::Set;
}

impl<'a, T: Decode<'a, Error = der::Error>, const SORT: bool> DecodeValue<'a> for SetOf<T, SORT> {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        reader.read_nested(header.length(), |inner| {
            let mut elements = Vec::new();
            while !inner.is_finished() {
                elements.push(T::decode(inner)?);
            }
            Ok(SetOf(elements))
        })
    }
}

impl<T: Encode, const SORT: bool> EncodeValue for SetOf<T, SORT> {
    fn value_len(&self) -> der::Result<Length> {
        self.0
            .iter()
            .try_fold(Length::ZERO, |len, e| len + e.encoded_len()?)
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        if SORT {
            let mut encodings = self
                .0
                .iter()
                .map(|e| e.to_der())
                .collect::<der::Result<Vec<_>>>()?;
            encodings.sort_by(|a, b| der_set_order(a, b));
            for encoding in encodings {
                writer.write(&encoding)?;
            }
        } else {
            for element in &self.0 {
                element.encode(writer)?;
            }
        }
        Ok(())
    }
}

/// A UTF8String kept as raw bytes: OpenSSL accepts and re-encodes invalid UTF-8,
/// and its printer decodes the bytes itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Utf8Bytes(pub Vec<u8>);

impl FixedTag for Utf8Bytes {
    const TAG: Tag = Tag::Utf8String;
}

impl<'a> DecodeValue<'a> for Utf8Bytes {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        Ok(Utf8Bytes(reader.read_vec(header.length())?))
    }
}

impl EncodeValue for Utf8Bytes {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(self.0.len())
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(&self.0)
    }
}

/// Content octets of a DER INTEGER for a non-negative value given as big-endian
/// magnitude bytes: leading zeros removed, a zero octet added when the top bit is set.
pub fn unsigned_integer_bytes(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    let trimmed = &magnitude[skip..];
    if trimmed.is_empty() {
        return vec![0];
    }
    let mut out = Vec::with_capacity(trimmed.len() + 1);
    if trimmed[0] & 0x80 != 0 {
        out.push(0);
    }
    out.extend_from_slice(trimmed);
    out
}

/// Builds a `der::asn1::Int` from two's-complement content octets.
pub fn int_from_bytes(bytes: &[u8]) -> Result<der::asn1::Int> {
    der::asn1::Int::new(bytes).map_err(|e| Error::encode("INTEGER", e))
}

/// Builds a non-negative `der::asn1::Int` from a `u64`.
pub fn int_from_u64(value: u64) -> der::asn1::Int {
    let bytes = unsigned_integer_bytes(&value.to_be_bytes());
    der::asn1::Int::new(&bytes).expect("minimal two's complement bytes are a valid INTEGER")
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::asn1::Int;

    #[test]
    fn set_of_keeps_decode_order() {
        let der = [0x31, 0x06, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01];
        let set: SetOf<Int> = decode("set", &der).unwrap();
        assert_eq!(set.0[0].as_bytes(), [2]);
        assert_eq!(set.to_der().unwrap(), der);
        let sorted = SetOf::sorted(set.0.clone()).unwrap().to_der().unwrap();
        assert_eq!(sorted, [0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]);
        let sorted_on_encoding: SortedSetOf<Int> = SetOf(set.0);
        let sorted_on_encoding = sorted_on_encoding.to_der().unwrap();
        assert_eq!(sorted_on_encoding, sorted);
    }

    #[test]
    fn unsigned_integer_encoding() {
        assert_eq!(unsigned_integer_bytes(&[0, 0, 0x7f]), [0x7f]);
        assert_eq!(unsigned_integer_bytes(&[0x80, 1]), [0, 0x80, 1]);
        assert_eq!(unsigned_integer_bytes(&[0, 0]), [0]);
        assert_eq!(int_from_u64(256).as_bytes(), [1, 0]);
    }

    #[test]
    fn decode_reports_structure_name() {
        let err = decode::<Int>("test value", &[0x02, 0x05]).unwrap_err();
        assert!(
            err.to_string().starts_with("cannot decode test value"),
            "{err}"
        );
    }
}
