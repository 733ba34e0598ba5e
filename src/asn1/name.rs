//! Distinguished names kept as encoded.

use der::asn1::Any;
use der::{Decode, Encode, Length, Reader, Tag, Tagged, Writer};
use x509_cert::name::Name;

/// A Name kept as its DER encoding.
///
/// `x509_cert`'s `Name` stores attribute types as `ObjectIdentifier`, which
/// rejects OIDs that OpenSSL reads, such as one whose first subidentifier
/// takes two octets. Where such a name only has to be carried and compared,
/// this keeps it whole; [`EncodedName::to_name`] gives the parsed form when
/// there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedName(Vec<u8>);

impl EncodedName {
    /// Encodes `name`.
    pub fn from_name(name: &Name) -> der::Result<Self> {
        Ok(EncodedName(name.to_der()?))
    }

    /// Returns the DER encoding, a SEQUENCE.
    pub fn as_der(&self) -> &[u8] {
        &self.0
    }

    /// Parses the name, or returns `None` when `x509_cert` cannot represent it.
    pub fn to_name(&self) -> Option<Name> {
        Name::from_der(&self.0).ok()
    }
}

impl<'a> Decode<'a> for EncodedName {
    type Error = der::Error;

    fn decode<R: Reader<'a>>(reader: &mut R) -> der::Result<Self> {
        let any = Any::decode(reader)?;
        any.tag().assert_eq(Tag::Sequence)?;
        Ok(EncodedName(any.to_der()?))
    }
}

impl Encode for EncodedName {
    fn encoded_len(&self) -> der::Result<Length> {
        Length::try_from(self.0.len())
    }

    fn encode(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_beyond_object_identifier_is_kept() {
        // One attribute whose type 2.10884.10 starts with two octets.
        let der = [
            0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0xd5, 0x04, 0x0a, 0x0c, 0x01, b'x',
        ];
        let name = EncodedName::from_der(&der).unwrap();
        assert_eq!(name.as_der(), der);
        assert!(name.to_name().is_none());
        assert_eq!(name.to_der().unwrap(), der);
    }

    #[test]
    fn ordinary_name_round_trips() {
        let name = Name::from_der(&[0x30, 0x00]).unwrap();
        let encoded = EncodedName::from_name(&name).unwrap();
        assert_eq!(encoded.to_name(), Some(name));
    }

    #[test]
    fn other_types_are_rejected() {
        assert!(EncodedName::from_der(&[0x31, 0x00]).is_err());
    }
}
