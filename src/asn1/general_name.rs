//! GeneralName (RFC 5280 section 4.2.1.6), read as leniently as OpenSSL reads it.
//!
//! `x509_cert`'s `GeneralName` has no x400Address and rejects IA5Strings with
//! bytes above 0x7F; OpenSSL accepts both and prints them, so tokens use this type.

use der::asn1::{Any, ObjectIdentifier};
use der::{Decode, Encode, EncodeValue, Header, Length, Reader, Tag, TagNumber, Tagged, Writer};
use x509_cert::name::Name;

use super::name::EncodedName;
use crate::x509::check_d2i_name;

/// GeneralName ::= CHOICE { otherName [0], rfc822Name [1], dNSName [2],
/// x400Address [3], directoryName [4], ediPartyName [5],
/// uniformResourceIdentifier [6], iPAddress [7], registeredID [8] }
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneralName {
    /// `[0] OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }`.
    OtherName {
        /// type-id.
        type_id: ObjectIdentifier,
        /// The value inside the `[0]` wrapper.
        value: Any,
    },
    /// `[1] IA5String`, as raw bytes.
    Rfc822Name(Vec<u8>),
    /// `[2] IA5String`, as raw bytes.
    DnsName(Vec<u8>),
    /// `[3] ORAddress`, kept as its content octets.
    X400Address(Vec<u8>),
    /// `[4] EXPLICIT Name`.
    DirectoryName(Name),
    /// `[4] EXPLICIT Name` that `x509_cert` cannot hold but OpenSSL reads,
    /// such as one with an attribute type beyond `ObjectIdentifier`'s limits.
    /// It equals no certificate name.
    EncodedDirectoryName(EncodedName),
    /// `[5] EDIPartyName`, kept as its content octets.
    EdiPartyName(Vec<u8>),
    /// `[6] IA5String`, as raw bytes.
    Uri(Vec<u8>),
    /// `[7] OCTET STRING`: 4 bytes for IPv4, 16 for IPv6, or as given.
    IpAddress(Vec<u8>),
    /// `[8] OBJECT IDENTIFIER`.
    RegisteredId(ObjectIdentifier),
}

/// GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName.
pub type GeneralNames = Vec<GeneralName>;

fn context(number: u8, constructed: bool) -> Tag {
    Tag::ContextSpecific {
        constructed,
        number: TagNumber(u32::from(number)),
    }
}

impl<'a> Decode<'a> for GeneralName {
    type Error = der::Error;

    fn decode<R: Reader<'a>>(reader: &mut R) -> der::Result<Self> {
        let header = Header::decode(reader)?;
        let Tag::ContextSpecific { number, .. } = header.tag() else {
            return Err(reader.error(der::ErrorKind::TagUnexpected {
                expected: None,
                actual: header.tag(),
            }));
        };
        let content = reader.read_vec(header.length())?;
        let constructed = header.tag().is_constructed();
        let wants_constructed = matches!(number.0, 0 | 3 | 4 | 5);
        let content = match (constructed, wants_constructed) {
            (false, false) | (true, true) => content,
            // A BER constructed string: OpenSSL joins the segments.
            (true, false) if number.0 != 8 => join_segments(&content)?,
            _ => {
                return Err(reader.error(der::ErrorKind::TagUnexpected {
                    expected: None,
                    actual: header.tag(),
                }));
            }
        };
        let name = match number.0 {
            0 => {
                let mut inner = der::SliceReader::new(&content)?;
                let type_id = ObjectIdentifier::decode(&mut inner)?;
                let wrapper = Header::decode(&mut inner)?;
                if wrapper.tag() != context(0, true) {
                    return Err(inner.error(der::ErrorKind::TagUnexpected {
                        expected: Some(context(0, true)),
                        actual: wrapper.tag(),
                    }));
                }
                let value = Any::decode(&mut inner)?;
                inner.finish()?;
                GeneralName::OtherName { type_id, value }
            }
            1 => GeneralName::Rfc822Name(content),
            2 => GeneralName::DnsName(content),
            3 => GeneralName::X400Address(content),
            4 => match Name::from_der(&content) {
                Ok(name) => GeneralName::DirectoryName(name),
                Err(err) if check_d2i_name(&content).is_ok() => GeneralName::EncodedDirectoryName(
                    EncodedName::from_der(&content).map_err(|_| err)?,
                ),
                Err(err) => return Err(err),
            },
            5 => GeneralName::EdiPartyName(content),
            6 => GeneralName::Uri(content),
            7 => GeneralName::IpAddress(content),
            8 => {
                let value = der::asn1::AnyRef::new(Tag::ObjectIdentifier, &content)?;
                GeneralName::RegisteredId(value.decode_as()?)
            }
            _ => {
                return Err(reader.error(der::ErrorKind::TagUnknown { byte: 0 }));
            }
        };
        Ok(name)
    }
}

/// Deepest nesting of constructed segments OpenSSL 3.0 joins
/// (`ASN1_MAX_STRING_NEST`).
const MAX_SEGMENT_NESTING: usize = 5;

/// Joins the values of the primitive segments of a constructed string, as
/// OpenSSL's `asn1_collect` does: segments of any tag, constructed ones
/// joined in turn, at most [`MAX_SEGMENT_NESTING`] levels deep.
fn join_segments(content: &[u8]) -> der::Result<Vec<u8>> {
    let mut joined = Vec::new();
    join_segments_into(content, 0, &mut joined)?;
    Ok(joined)
}

fn join_segments_into(content: &[u8], nesting: usize, joined: &mut Vec<u8>) -> der::Result<()> {
    let mut reader = der::SliceReader::new(content)?;
    while !reader.is_finished() {
        let segment = Any::decode(&mut reader)?;
        if !segment.tag().is_constructed() {
            joined.extend_from_slice(segment.value());
        } else if nesting >= MAX_SEGMENT_NESTING {
            return Err(reader.error(der::ErrorKind::TagUnexpected {
                expected: None,
                actual: segment.tag(),
            }));
        } else {
            join_segments_into(segment.value(), nesting + 1, joined)?;
        }
    }
    Ok(())
}

impl GeneralName {
    fn tag(&self) -> Tag {
        match self {
            GeneralName::OtherName { .. } => context(0, true),
            GeneralName::Rfc822Name(_) => context(1, false),
            GeneralName::DnsName(_) => context(2, false),
            GeneralName::X400Address(_) => context(3, true),
            GeneralName::DirectoryName(_) | GeneralName::EncodedDirectoryName(_) => {
                context(4, true)
            }
            GeneralName::EdiPartyName(_) => context(5, true),
            GeneralName::Uri(_) => context(6, false),
            GeneralName::IpAddress(_) => context(7, false),
            GeneralName::RegisteredId(_) => context(8, false),
        }
    }

    /// The content octets under this name's context tag.
    fn content(&self) -> der::Result<Vec<u8>> {
        Ok(match self {
            GeneralName::OtherName { type_id, value } => {
                let mut out = type_id.to_der()?;
                let inner = value.to_der()?;
                Header::new(context(0, true), Length::try_from(inner.len())?)
                    .encode_to_vec(&mut out)?;
                out.extend_from_slice(&inner);
                out
            }
            GeneralName::Rfc822Name(v)
            | GeneralName::DnsName(v)
            | GeneralName::X400Address(v)
            | GeneralName::EdiPartyName(v)
            | GeneralName::Uri(v)
            | GeneralName::IpAddress(v) => v.clone(),
            GeneralName::DirectoryName(name) => name.to_der()?,
            GeneralName::EncodedDirectoryName(name) => name.as_der().to_vec(),
            GeneralName::RegisteredId(oid) => oid.as_bytes().to_vec(),
        })
    }
}

impl Tagged for GeneralName {
    fn tag(&self) -> Tag {
        GeneralName::tag(self)
    }
}

impl EncodeValue for GeneralName {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(self.content()?.len())
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(&self.content()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_name_round_trips() {
        let der = [0x82, 0x03, b'a', b'.', b'b'];
        let name = GeneralName::from_der(&der).unwrap();
        assert_eq!(name, GeneralName::DnsName(b"a.b".to_vec()));
        assert_eq!(name.to_der().unwrap(), der);
    }

    #[test]
    fn directory_name_round_trips() {
        let name = Name::from_der(&[0x30, 0x00]).unwrap();
        let general = GeneralName::DirectoryName(name);
        let der = general.to_der().unwrap();
        assert_eq!(der, [0xA4, 0x02, 0x30, 0x00]);
        assert_eq!(GeneralName::from_der(&der).unwrap(), general);
    }

    #[test]
    fn non_ascii_dns_name_is_kept() {
        let der = [0x82, 0x02, 0xC3, 0xA9];
        let name = GeneralName::from_der(&der).unwrap();
        assert_eq!(name, GeneralName::DnsName(vec![0xC3, 0xA9]));
    }

    #[test]
    fn registered_id_round_trips() {
        let der = [0x88, 0x03, 0x2A, 0x03, 0x04];
        let name = GeneralName::from_der(&der).unwrap();
        assert_eq!(
            name,
            GeneralName::RegisteredId(ObjectIdentifier::new_unwrap("1.2.3.4"))
        );
        assert_eq!(name.to_der().unwrap(), der);
    }

    #[test]
    fn universal_tag_is_rejected() {
        assert!(GeneralName::from_der(&[0x04, 0x00]).is_err());
    }
}
