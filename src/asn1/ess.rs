//! ESS signing certificate attributes: RFC 2634 section 5.4 (v1) and RFC 5035
//! section 3 (v2, which RFC 5816 allows in time-stamp tokens).

use der::Sequence;
use der::asn1::{Any, Int, OctetString};
use spki::AlgorithmIdentifierOwned;

use super::GeneralNames;

/// RFC 2634 section 5.4:
///
/// ```text
/// SigningCertificate ::=  SEQUENCE {
///     certs        SEQUENCE OF ESSCertID,
///     policies     SEQUENCE OF PolicyInformation OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct SigningCertificate {
    /// The signer's certificate first, then optionally others of its chain.
    pub certs: Vec<EssCertId>,
    /// Certificate policies, kept as encoded.
    pub policies: Option<Vec<Any>>,
}

/// RFC 2634 section 5.4.1:
///
/// ```text
/// ESSCertID ::=  SEQUENCE {
///      certHash                 Hash,
///      issuerSerial             IssuerSerial OPTIONAL }
/// Hash ::= OCTET STRING -- SHA1 hash of entire certificate
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct EssCertId {
    /// SHA-1 of the whole DER certificate.
    pub cert_hash: OctetString,
    /// The certificate's issuer and serial number.
    pub issuer_serial: Option<IssuerSerial>,
}

/// RFC 2634 section 5.4.1:
///
/// ```text
/// IssuerSerial ::= SEQUENCE {
///      issuer                   GeneralNames,
///      serialNumber             CertificateSerialNumber }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct IssuerSerial {
    /// The issuer's name, normally one directoryName.
    pub issuer: GeneralNames,
    /// The certificate's serial number.
    pub serial_number: Int,
}

/// RFC 5035 section 3:
///
/// ```text
/// SigningCertificateV2 ::=  SEQUENCE {
///      certs        SEQUENCE OF ESSCertIDv2,
///      policies     SEQUENCE OF PolicyInformation OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct SigningCertificateV2 {
    /// The signer's certificate first, then optionally others of its chain.
    pub certs: Vec<EssCertIdV2>,
    /// Certificate policies, kept as encoded.
    pub policies: Option<Vec<Any>>,
}

/// RFC 5035 section 4:
///
/// ```text
/// ESSCertIDv2 ::=  SEQUENCE {
///     hashAlgorithm           AlgorithmIdentifier
///                    DEFAULT {algorithm id-sha256},
///     certHash                 Hash,
///     issuerSerial             IssuerSerial OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct EssCertIdV2 {
    /// The hash algorithm; `None` when the encoding omits it, which means SHA-256.
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    /// The hash of the whole DER certificate.
    pub cert_hash: OctetString,
    /// The certificate's issuer and serial number.
    pub issuer_serial: Option<IssuerSerial>,
}

/// id-sha256, the hash algorithm of an ESSCertIDv2 that names none (RFC 5035).
const ID_SHA256: der::asn1::ObjectIdentifier =
    der::asn1::ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

impl EssCertIdV2 {
    /// The hash algorithm's OID, SHA-256 when the field is absent.
    pub fn hash_algorithm_oid(&self) -> der::asn1::ObjectIdentifier {
        match &self.hash_algorithm {
            Some(alg) => alg.oid,
            None => ID_SHA256,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::DigestAlgorithm;
    use der::{Decode, Encode};

    #[test]
    fn absent_hash_algorithm_means_sha256() {
        let id = EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(vec![0xAB; 32]).unwrap(),
            issuer_serial: None,
        };
        let der = id.to_der().unwrap();
        assert_eq!(&der[..4], [0x30, 0x22, 0x04, 0x20]);
        assert_eq!(EssCertIdV2::from_der(&der).unwrap(), id);
        assert_eq!(Some(id.hash_algorithm_oid()), DigestAlgorithm::Sha256.oid());
    }

    #[test]
    fn sha384_hash_algorithm_is_written() {
        let id = EssCertIdV2 {
            hash_algorithm: Some(AlgorithmIdentifierOwned {
                oid: DigestAlgorithm::Sha384.oid().unwrap(),
                parameters: None,
            }),
            cert_hash: OctetString::new(vec![0xAB; 48]).unwrap(),
            issuer_serial: None,
        };
        let der = id.to_der().unwrap();
        assert_eq!(&der[2..6], [0x30, 0x0B, 0x06, 0x09]);
    }
}
