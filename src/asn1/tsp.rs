//! The time-stamp protocol messages of RFC 3161 section 2.4.

use der::Sequence;
use der::asn1::{BitString, Int, OctetString};
use x509_cert::ext::Extensions;

use super::{AlgorithmIdentifier, GenTime, GeneralName, Oid, Utf8Bytes};

/// RFC 3161 section 2.4.1:
///
/// ```text
/// MessageImprint ::= SEQUENCE {
///      hashAlgorithm                AlgorithmIdentifier,
///      hashedMessage                OCTET STRING  }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct MessageImprint {
    /// The digest algorithm, normally with NULL or absent parameters.
    pub hash_algorithm: AlgorithmIdentifier,
    /// The digest of the time-stamped data.
    pub hashed_message: OctetString,
}

/// RFC 3161 section 2.4.1:
///
/// ```text
/// TimeStampReq ::= SEQUENCE  {
///    version                      INTEGER  { v1(1) },
///    messageImprint               MessageImprint,
///    reqPolicy             TSAPolicyId              OPTIONAL,
///    nonce                 INTEGER                  OPTIONAL,
///    certReq               BOOLEAN                  DEFAULT FALSE,
///    extensions            [0] IMPLICIT Extensions  OPTIONAL  }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct TimeStampReq {
    /// Always 1 in requests tsrs builds; any value is kept when decoding.
    pub version: Int,
    /// The imprint of the data to time-stamp.
    pub message_imprint: MessageImprint,
    /// The policy under which the TSA should issue the token.
    pub req_policy: Option<Oid>,
    /// A value the TSA echoes, to tie the response to this request.
    pub nonce: Option<Int>,
    /// Whether the TSA should include its certificate in the token.
    #[asn1(default = "Default::default")]
    pub cert_req: bool,
    /// Request extensions.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<Extensions>,
}

/// RFC 3161 section 2.4.2 (PKIStatusInfo from RFC 4210):
///
/// ```text
/// PKIStatusInfo ::= SEQUENCE {
///    status        PKIStatus,
///    statusString  PKIFreeText     OPTIONAL,
///    failInfo      PKIFailureInfo  OPTIONAL  }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct PkiStatusInfo {
    /// PKIStatus: 0 granted, 1 grantedWithMods, 2 rejection, 3 waiting,
    /// 4 revocationWarning, 5 revocationNotification.
    pub status: Int,
    /// PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String.
    pub status_string: Option<Vec<Utf8Bytes>>,
    /// PKIFailureInfo, a named BIT STRING (see [`FailureInfo`]).
    pub fail_info: Option<BitString>,
}

/// RFC 3161 section 2.4.2:
///
/// ```text
/// TimeStampResp ::= SEQUENCE  {
///      status                  PKIStatusInfo,
///      timeStampToken          TimeStampToken     OPTIONAL  }
/// ```
///
/// The token is kept as its encoding; [`super::cms::TimeStampToken`] parses it.
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct TimeStampResp {
    /// The status of the request.
    pub status: PkiStatusInfo,
    /// The token, a ContentInfo with SignedData, when granted.
    pub time_stamp_token: Option<der::asn1::Any>,
}

/// RFC 3161 section 2.4.2:
///
/// ```text
/// TSTInfo ::= SEQUENCE  {
///    version                      INTEGER  { v1(1) },
///    policy                       TSAPolicyId,
///    messageImprint               MessageImprint,
///    serialNumber                 INTEGER,
///    genTime                      GeneralizedTime,
///    accuracy                     Accuracy                 OPTIONAL,
///    ordering                     BOOLEAN             DEFAULT FALSE,
///    nonce                        INTEGER                  OPTIONAL,
///    tsa                          [0] GeneralName          OPTIONAL,
///    extensions                   [1] IMPLICIT Extensions   OPTIONAL  }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct TstInfo {
    /// Always 1 in tokens tsrs signs.
    pub version: Int,
    /// The policy the token was issued under.
    pub policy: Oid,
    /// The request's imprint, copied.
    pub message_imprint: MessageImprint,
    /// The TSA's serial number for this token.
    pub serial_number: Int,
    /// The time of the stamp.
    pub gen_time: GenTime,
    /// The accuracy of `gen_time`.
    pub accuracy: Option<Accuracy>,
    /// Whether tokens from this TSA can be ordered by `gen_time` alone.
    #[asn1(default = "Default::default")]
    pub ordering: bool,
    /// The request's nonce, copied.
    pub nonce: Option<Int>,
    /// The TSA's name. The tag is explicit because GeneralName is a CHOICE.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub tsa: Option<GeneralName>,
    /// Token extensions.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<Extensions>,
}

/// RFC 3161 section 2.4.2:
///
/// ```text
/// Accuracy ::= SEQUENCE {
///          seconds        INTEGER           OPTIONAL,
///          millis     [0] INTEGER  (1..999) OPTIONAL,
///          micros     [1] INTEGER  (1..999) OPTIONAL  }
/// ```
///
/// The ranges are not enforced: OpenSSL writes and prints any value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Sequence)]
pub struct Accuracy {
    /// Whole seconds.
    pub seconds: Option<Int>,
    /// Milliseconds.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub millis: Option<Int>,
    /// Microseconds.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub micros: Option<Int>,
}

/// PKIStatus values (RFC 4210 section 5.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum PkiStatus {
    /// A token is present, as requested.
    Granted = 0,
    /// A token is present, with modifications.
    GrantedWithMods = 1,
    /// The request was rejected.
    Rejection = 2,
    /// The request is not yet processed.
    Waiting = 3,
    /// A revocation is imminent.
    RevocationWarning = 4,
    /// A revocation has occurred.
    RevocationNotification = 5,
}

impl PkiStatus {
    /// The status with this value, if it is one of the six defined ones.
    pub fn from_int(value: &Int) -> Option<PkiStatus> {
        match value.as_bytes() {
            [0] => Some(PkiStatus::Granted),
            [1] => Some(PkiStatus::GrantedWithMods),
            [2] => Some(PkiStatus::Rejection),
            [3] => Some(PkiStatus::Waiting),
            [4] => Some(PkiStatus::RevocationWarning),
            [5] => Some(PkiStatus::RevocationNotification),
            _ => None,
        }
    }

    /// Whether a token must accompany this status (granted or granted with modifications).
    pub fn has_token(self) -> bool {
        matches!(self, PkiStatus::Granted | PkiStatus::GrantedWithMods)
    }
}

/// PKIFailureInfo bits that RFC 3161 section 2.4.2 names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum FailureInfo {
    /// Unrecognized or unsupported algorithm identifier.
    BadAlg = 0,
    /// Transaction not permitted or supported.
    BadRequest = 2,
    /// The data submitted has the wrong format.
    BadDataFormat = 5,
    /// The TSA's time source is not available.
    TimeNotAvailable = 14,
    /// The requested TSA policy is not supported by the TSA.
    UnacceptedPolicy = 15,
    /// The requested extension is not supported by the TSA.
    UnacceptedExtension = 16,
    /// The additional information requested could not be understood or is not available.
    AddInfoNotAvailable = 17,
    /// The request cannot be handled due to system failure.
    SystemFailure = 25,
}

impl FailureInfo {
    /// Every named bit, in bit order.
    pub const ALL: [FailureInfo; 8] = [
        FailureInfo::BadAlg,
        FailureInfo::BadRequest,
        FailureInfo::BadDataFormat,
        FailureInfo::TimeNotAvailable,
        FailureInfo::UnacceptedPolicy,
        FailureInfo::UnacceptedExtension,
        FailureInfo::AddInfoNotAvailable,
        FailureInfo::SystemFailure,
    ];

    /// The bit number.
    pub const fn bit(self) -> usize {
        self as usize
    }

    /// The ASN.1 identifier, as OpenSSL's verifier reports it (`badAlg`).
    pub const fn identifier(self) -> &'static str {
        match self {
            FailureInfo::BadAlg => "badAlg",
            FailureInfo::BadRequest => "badRequest",
            FailureInfo::BadDataFormat => "badDataFormat",
            FailureInfo::TimeNotAvailable => "timeNotAvailable",
            FailureInfo::UnacceptedPolicy => "unacceptedPolicy",
            FailureInfo::UnacceptedExtension => "unacceptedExtension",
            FailureInfo::AddInfoNotAvailable => "addInfoNotAvailable",
            FailureInfo::SystemFailure => "systemFailure",
        }
    }

    /// The bit with this number, if named.
    pub fn from_bit(bit: usize) -> Option<FailureInfo> {
        FailureInfo::ALL.into_iter().find(|f| f.bit() == bit)
    }
}

/// Encodes failure bits as a DER named-bit BIT STRING: trailing zero bits trimmed.
pub fn failure_bits(bits: &[FailureInfo]) -> BitString {
    let highest = bits.iter().map(|b| b.bit()).max();
    let Some(highest) = highest else {
        return BitString::new(0, Vec::new()).expect("an empty BIT STRING is valid");
    };
    let mut bytes = vec![0u8; highest / 8 + 1];
    for bit in bits {
        bytes[bit.bit() / 8] |= 0x80 >> (bit.bit() % 8);
    }
    let unused = (7 - highest % 8) as u8;
    BitString::new(unused, bytes).expect("unused bits below 8 with at least one byte")
}

/// Whether `bit` is set in a BIT STRING, counting from the first octet's top bit.
pub fn bit_is_set(bits: &BitString, bit: usize) -> bool {
    let bytes = bits.raw_bytes();
    let byte = bit / 8;
    if byte >= bytes.len() {
        return false;
    }
    let unused = usize::from(bits.unused_bits());
    if byte + 1 == bytes.len() && bit % 8 >= 8 - unused {
        return false;
    }
    bytes[byte] & (0x80 >> (bit % 8)) != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Encode;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn failure_bits_match_openssl_encodings() {
        let cases = [
            (FailureInfo::BadAlg, "03020780"),
            (FailureInfo::BadDataFormat, "03020204"),
            (FailureInfo::UnacceptedPolicy, "0303000001"),
            (FailureInfo::UnacceptedExtension, "030407000080"),
        ];
        for (bit, expected) in cases {
            let der = failure_bits(&[bit]).to_der().unwrap();
            assert_eq!(hex(&der), expected, "{bit:?}");
        }
    }

    #[test]
    fn bit_is_set_reads_named_bits() {
        let bits = failure_bits(&[FailureInfo::BadAlg, FailureInfo::AddInfoNotAvailable]);
        assert!(bit_is_set(&bits, 0));
        assert!(bit_is_set(&bits, 17));
        assert!(!bit_is_set(&bits, 2));
        assert!(!bit_is_set(&bits, 40));
    }

    #[test]
    fn granted_status_encoding() {
        let status = PkiStatusInfo {
            status: crate::asn1::int_from_u64(0),
            status_string: None,
            fail_info: None,
        };
        assert_eq!(hex(&status.to_der().unwrap()), "3003020100");
    }

    #[test]
    fn cert_req_false_is_omitted() {
        let req = TimeStampReq {
            version: crate::asn1::int_from_u64(1),
            message_imprint: MessageImprint {
                hash_algorithm: AlgorithmIdentifier {
                    oid: crate::digest::DigestAlgorithm::Sha1.oid().unwrap().into(),
                    parameters: Some(der::asn1::Null.into()),
                },
                hashed_message: OctetString::new(vec![0u8; 20]).unwrap(),
            },
            req_policy: None,
            nonce: None,
            cert_req: false,
            extensions: None,
        };
        let der = req.to_der().unwrap();
        assert_eq!(&hex(&der)[..40], "30260201013021300906052b0e03021a05000414");
        let decoded: TimeStampReq = crate::asn1::decode("request", &der).unwrap();
        assert_eq!(decoded, req);
    }

    #[test]
    fn explicit_cert_req_false_decodes() {
        // version 1, sha1 imprint of zeros, certReq FALSE written out.
        let mut der = vec![0x30, 0x29, 0x02, 0x01, 0x01];
        der.extend_from_slice(&[0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02]);
        der.extend_from_slice(&[0x1a, 0x05, 0x00, 0x04, 0x14]);
        der.extend_from_slice(&[0u8; 20]);
        der.extend_from_slice(&[0x01, 0x01, 0x00]);
        let req: TimeStampReq = crate::asn1::decode("request", &der).unwrap();
        assert!(!req.cert_req);
    }
}
