//! Values of type ANY, with any tag.

use der::asn1::Any;
use der::{Decode, Encode, Length, Reader, Writer};

/// A value of type ANY, which OpenSSL reads whatever its tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyValue {
    /// A value with a tag the `der` crate represents.
    Any(Any),
    /// The DER of a value with a universal tag the `der` crate lacks, such as
    /// ObjectDescriptor or UniversalString.
    Other(Vec<u8>),
}

impl AnyValue {
    /// Returns the value as `Any`, or `None` for a tag `Any` cannot hold.
    pub fn any(&self) -> Option<&Any> {
        match self {
            AnyValue::Any(any) => Some(any),
            AnyValue::Other(_) => None,
        }
    }
}

impl From<Any> for AnyValue {
    fn from(any: Any) -> AnyValue {
        AnyValue::Any(any)
    }
}

impl From<der::asn1::Null> for AnyValue {
    fn from(null: der::asn1::Null) -> AnyValue {
        AnyValue::Any(null.into())
    }
}

/// Most identifier octets read for one value: a tag number up to 2^28.
const MAX_IDENTIFIER_LEN: usize = 5;

impl<'a> Decode<'a> for AnyValue {
    type Error = der::Error;

    fn decode<R: Reader<'a>>(reader: &mut R) -> der::Result<Self> {
        let mut encoding = vec![reader.read_byte()?];
        if encoding[0] & 0x1F == 0x1F {
            loop {
                let octet = reader.read_byte()?;
                encoding.push(octet);
                if octet & 0x80 == 0 {
                    break;
                }
                if encoding.len() >= MAX_IDENTIFIER_LEN {
                    return Err(reader.error(der::ErrorKind::TagNumberInvalid));
                }
            }
        }
        let length = Length::decode(reader)?;
        length.encode_to_vec(&mut encoding)?;
        encoding.extend_from_slice(reader.read_slice(length)?);
        Ok(match Any::from_der(&encoding) {
            Ok(any) => AnyValue::Any(any),
            Err(_) => AnyValue::Other(encoding),
        })
    }
}

impl Encode for AnyValue {
    fn encoded_len(&self) -> der::Result<Length> {
        match self {
            AnyValue::Any(any) => any.encoded_len(),
            AnyValue::Other(der) => Length::try_from(der.len()),
        }
    }

    fn encode(&self, writer: &mut impl Writer) -> der::Result<()> {
        match self {
            AnyValue::Any(any) => any.encode(writer),
            AnyValue::Other(der) => writer.write(der),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_descriptor_value_round_trips() {
        let der = [0x07, 0x01, 0x41];
        let value = AnyValue::from_der(&der).unwrap();
        assert_eq!(value, AnyValue::Other(der.to_vec()));
        assert!(value.any().is_none());
        assert_eq!(value.to_der().unwrap(), der);
    }

    #[test]
    fn null_value_is_any() {
        let value = AnyValue::from_der(&[0x05, 0x00]).unwrap();
        assert!(value.any().is_some_and(|any| any.is_null()));
    }

    #[test]
    fn long_tag_number_is_bounded() {
        assert!(AnyValue::from_der(&[0x1f, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00]).is_err());
    }
}
