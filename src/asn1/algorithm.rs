//! AlgorithmIdentifier with an OID of any size, for the algorithm fields of
//! time-stamp messages and tokens.
//!
//! `spki::AlgorithmIdentifierOwned` contains a `const_oid::ObjectIdentifier`,
//! which rejects OIDs that OpenSSL 3.0 decodes (a first subidentifier of more
//! than one octet, arcs of 2^32 and above, more than 39 content octets). A
//! token with such an algorithm must still decode and print as OpenSSL prints
//! it, and then fail verification as an unknown algorithm.

use der::asn1::ObjectIdentifier;
use der::{
    Decode, DecodeValue, Encode, EncodeValue, FixedTag, Header, Length, Reader, Tag, Tagged, Writer,
};
use spki::AlgorithmIdentifierOwned;

use super::{AnyValue, Oid};
use crate::x509::check_d2i_any;

/// RFC 5280 section 4.1.1.2:
///
/// ```text
/// AlgorithmIdentifier ::= SEQUENCE {
///   algorithm  OBJECT IDENTIFIER,
///   parameters ANY DEFINED BY algorithm OPTIONAL }
/// ```
///
/// The field names follow `spki::AlgorithmIdentifier`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlgorithmIdentifier {
    /// The algorithm.
    pub oid: Oid,
    /// The parameters, as encoded, with any tag as OpenSSL reads them.
    pub parameters: Option<AnyValue>,
}

impl FixedTag for AlgorithmIdentifier {
    const TAG: Tag = Tag::Sequence;
}

impl<'a> DecodeValue<'a> for AlgorithmIdentifier {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        reader.read_nested(header.length(), |inner| {
            let oid = Oid::decode(inner)?;
            if inner.is_finished() {
                return Ok(AlgorithmIdentifier {
                    oid,
                    parameters: None,
                });
            }
            let parameters = AnyValue::decode(inner)?;
            // OpenSSL checks the content of a primitive ANY value as it
            // decodes it: a NULL must be empty, an INTEGER not, and so on.
            if check_d2i_any(&parameters.to_der()?).is_err() {
                let tag = parameters.any().map_or(Tag::OctetString, |any| any.tag());
                return Err(inner.error(der::ErrorKind::Value { tag }));
            }
            Ok(AlgorithmIdentifier {
                oid,
                parameters: Some(parameters),
            })
        })
    }
}

impl EncodeValue for AlgorithmIdentifier {
    fn value_len(&self) -> der::Result<Length> {
        let parameters = match &self.parameters {
            Some(parameters) => parameters.encoded_len()?,
            None => Length::ZERO,
        };
        self.oid.encoded_len()? + parameters
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        self.oid.encode(writer)?;
        if let Some(parameters) = &self.parameters {
            parameters.encode(writer)?;
        }
        Ok(())
    }
}

impl AlgorithmIdentifier {
    /// Returns the algorithm as a `const_oid` identifier, for lookups by
    /// known OID. `None` means an OID that no known algorithm has.
    pub fn known_oid(&self) -> Option<ObjectIdentifier> {
        self.oid.to_object_identifier()
    }

    /// Converts to the `spki` form, when the OID fits a `const_oid` identifier
    /// and `Any` can hold the parameters.
    pub fn to_spki(&self) -> Option<AlgorithmIdentifierOwned> {
        let parameters = match &self.parameters {
            None => None,
            Some(parameters) => Some(parameters.any()?.clone()),
        };
        Some(AlgorithmIdentifierOwned {
            oid: self.known_oid()?,
            parameters,
        })
    }

    /// Returns whether the parameters are absent or NULL.
    pub fn has_null_parameters(&self) -> bool {
        self.parameters
            .as_ref()
            .is_none_or(|p| p.any().is_some_and(|any| any.is_null()))
    }
}

impl From<AlgorithmIdentifierOwned> for AlgorithmIdentifier {
    fn from(algorithm: AlgorithmIdentifierOwned) -> AlgorithmIdentifier {
        AlgorithmIdentifier {
            oid: algorithm.oid.into(),
            parameters: algorithm.parameters.map(AnyValue::Any),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::asn1::{Any, Null};

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn encoding_matches_spki() {
        let sha256 = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
        for parameters in [None, Some(Any::from(Null))] {
            let reference = AlgorithmIdentifierOwned {
                oid: sha256,
                parameters,
            };
            let ours = AlgorithmIdentifier::from(reference.clone());
            assert_eq!(ours.to_der().unwrap(), reference.to_der().unwrap());
            assert_eq!(ours.to_spki(), Some(reference));
        }
    }

    #[test]
    fn multi_octet_first_subidentifier_decodes() {
        // 2.16.840.1.101.3.4.2.1 with its first octet 0x60 changed to 0x9f,
        // which joins 9f 86 48 into one subidentifier.
        let der = [
            0x30, 0x0d, 0x06, 0x09, 0x9f, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
            0x00,
        ];
        assert!(spki::AlgorithmIdentifierOwned::from_der(&der).is_err());
        let algorithm = AlgorithmIdentifier::from_der(&der).unwrap();
        assert_eq!(algorithm.known_oid(), None);
        assert_eq!(algorithm.to_spki(), None);
        assert!(algorithm.has_null_parameters());
        assert_eq!(algorithm.oid.to_string(), "2.508664.1.101.3.4.2.1");
        assert_eq!(hex(&algorithm.to_der().unwrap()), hex(&der));
    }

    #[test]
    fn parameters_of_any_tag_decode() {
        // sha256 with ObjectDescriptor parameters, which `Any` cannot hold.
        let der = [
            0x30, 0x0e, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x07,
            0x01, 0x41,
        ];
        let algorithm = AlgorithmIdentifier::from_der(&der).unwrap();
        assert!(algorithm.known_oid().is_some());
        assert_eq!(
            algorithm.parameters,
            Some(AnyValue::Other(vec![0x07, 0x01, 0x41]))
        );
        assert!(!algorithm.has_null_parameters());
        assert_eq!(algorithm.to_spki(), None);
        assert_eq!(hex(&algorithm.to_der().unwrap()), hex(&der));
    }

    #[test]
    fn invalid_primitive_parameters_are_rejected() {
        for parameters in [
            &[0x05, 0x01, 0x00][..],
            &[0x02, 0x00],
            &[0x01, 0x00],
            &[0x06, 0x00],
        ] {
            let mut der = vec![0x30, (11 + parameters.len()) as u8];
            der.extend_from_slice(&[
                0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
            ]);
            der.extend_from_slice(parameters);
            assert!(
                AlgorithmIdentifier::from_der(&der).is_err(),
                "{parameters:02x?}"
            );
        }
    }

    #[test]
    fn large_and_long_oids_decode() {
        for text in [
            "1.2.4294967296",
            "1.3.6.1.4.1.311.21.8.4294967295.4294967295.4294967295.4294967295.4294967295.4294967295.4294967295",
        ] {
            let algorithm = AlgorithmIdentifier {
                oid: Oid::parse_dotted(text).unwrap(),
                parameters: None,
            };
            let der = algorithm.to_der().unwrap();
            let decoded = AlgorithmIdentifier::from_der(&der).unwrap();
            assert_eq!(decoded.oid.to_string(), text);
            assert_eq!(decoded.known_oid(), None);
        }
    }

    #[test]
    fn malformed_oid_is_rejected() {
        // The last octet has its high bit set.
        assert!(AlgorithmIdentifier::from_der(&[0x30, 0x03, 0x06, 0x01, 0x81]).is_err());
        // A subidentifier starts with 0x80.
        assert!(AlgorithmIdentifier::from_der(&[0x30, 0x04, 0x06, 0x02, 0x80, 0x01]).is_err());
        // Empty content.
        assert!(AlgorithmIdentifier::from_der(&[0x30, 0x02, 0x06, 0x00]).is_err());
    }
}
