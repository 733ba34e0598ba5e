//! The error type shared by every module, with stable reason codes.
//!
//! A [`Reason`] is the category a C or Python caller switches on; its number
//! never changes once released. The [`Error`] around it carries a sentence
//! with the values involved, written for the person who has to fix the input.

use core::fmt;
use std::borrow::Cow;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

macro_rules! reasons {
    ($($(#[$doc:meta])* $name:ident = $code:literal => $text:literal,)+) => {
        /// Stable reason codes, banded by origin: 1xx input and encoding, 2xx
        /// configuration, 3xx keys and certificates, 4xx requests and responses,
        /// 5xx verification, 9xx the C ABI.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum Reason {
            $($(#[$doc])* $name = $code,)+
        }

        impl Reason {
            /// Every reason, in code order.
            pub const ALL: &'static [Reason] = &[$(Reason::$name,)+];

            /// The short, stable text for this reason.
            pub const fn text(self) -> &'static str {
                match self {
                    $(Reason::$name => $text,)+
                }
            }
        }
    };
}

reasons! {
    /// Malformed BER or DER input.
    Decode = 100 => "malformed ASN.1 input",
    /// Input larger than the parser accepts.
    TooLarge = 101 => "input too large",
    /// A file could not be read or written.
    Io = 102 => "I/O error",
    /// Malformed PEM input, or no PEM block of the expected type.
    Pem = 103 => "malformed PEM input",
    /// An object name or dotted OID that could not be resolved.
    UnknownObject = 104 => "unknown object name",
    /// A hexadecimal string that could not be decoded.
    BadHex = 105 => "invalid hex string",
    /// An encoding failure while writing DER.
    Encode = 106 => "DER encoding failed",

    /// A syntax error in a configuration file.
    ConfigSyntax = 200 => "configuration file syntax error",
    /// A configuration variable that is required but missing.
    ConfigMissing = 201 => "cannot find config variable",
    /// A configuration variable with a value that cannot be used.
    ConfigBadValue = 202 => "var bad value",
    /// A configuration file that could not be opened.
    ConfigOpen = 203 => "cannot open configuration file",

    /// A certificate that could not be loaded.
    CertLoad = 300 => "cannot load certificate",
    /// A private key that could not be loaded.
    KeyLoad = 301 => "cannot load private key",
    /// A private key that does not belong to the signer certificate.
    KeyMismatch = 302 => "private key does not match certificate",
    /// A signer certificate that is not valid for time-stamping.
    SignerPurpose = 303 => "invalid signer certificate purpose",
    /// A key type or signature algorithm that is not supported.
    UnsupportedAlgorithm = 304 => "unsupported algorithm",
    /// A signing operation that failed.
    Signing = 305 => "signature generation failed",
    /// A password that could not be obtained.
    Password = 306 => "cannot get password",

    /// A digest algorithm that is not supported.
    UnknownDigest = 400 => "unsupported md algorithm",
    /// A digest of the wrong length for its algorithm.
    BadDigestLength = 401 => "bad digest length",
    /// The serial number source failed.
    Serial = 402 => "could not generate serial number",
    /// The clock could not be read or the time could not be encoded.
    Time = 403 => "could not set time",
    /// A response with an inconsistent status and token.
    ResponseStructure = 404 => "invalid response structure",
    /// A token that is not a signed TSTInfo.
    BadToken = 405 => "pkcs7 to ts tst info failed",
    /// A required value that was not set.
    Missing = 406 => "required value not set",
    /// The request names a policy the TSA does not accept.
    UnacceptablePolicy = 407 => "unacceptable policy",
    /// A request that the TSA rejected. The error before this one gives the cause.
    ResponseSetup = 408 => "response setup error",
    /// A request the TSA cannot accept: wrong version, digest parameters or extension.
    BadRequest = 409 => "bad request",

    /// The response status is neither granted nor granted with modifications.
    NoTimeStampToken = 500 => "no time stamp token",
    /// The token's content is not signed data.
    WrongContentType = 501 => "wrong content type",
    /// The token has no signer or more than one.
    SignerCount = 502 => "there must be one signer",
    /// The token's content is detached.
    NoContent = 503 => "no content",
    /// The signer certificate is in neither the token nor the untrusted list.
    SignerNotFound = 504 => "signer certificate not found",
    /// The signer certificate path did not validate.
    CertificateVerify = 505 => "certificate verify error",
    /// The ESS signing certificate attributes do not match the chain.
    EssSigningCertificate = 506 => "ess signing certificate error",
    /// The signature or the message digest attribute does not verify.
    SignatureFailure = 507 => "signature failure",
    /// The TSTInfo version is not 1.
    UnsupportedVersion = 508 => "unsupported version",
    /// The TSTInfo policy differs from the expected one.
    PolicyMismatch = 509 => "policy mismatch",
    /// The message imprint differs from the expected one.
    ImprintMismatch = 510 => "message imprint mismatch",
    /// The request had a nonce that the response lacks.
    NonceNotReturned = 511 => "nonce not returned",
    /// The response nonce differs from the request nonce.
    NonceMismatch = 512 => "nonce mismatch",
    /// The TSA name in the token names neither the signer's subject nor its alternative names.
    TsaNameMismatch = 513 => "tsa name mismatch",
    /// The signer is not the expected TSA.
    TsaUntrusted = 514 => "tsa untrusted",
    /// A trust anchor or CRL source that could not be loaded.
    TrustStore = 515 => "cannot load trust store",
    /// The request set certReq and the token lacks the signer's certificate.
    SignerCertNotIncluded = 516 => "signer certificate not included",

    /// A NULL pointer where a value is required.
    NullPointer = 900 => "invalid null pointer",
    /// An argument out of range or otherwise unusable.
    InvalidArgument = 901 => "invalid argument",
    /// A panic inside the library, caught at the C boundary.
    Panic = 902 => "internal error",
    /// A function that is not supported by this build.
    NotSupported = 903 => "not supported",
}

impl Reason {
    /// The numeric code of this reason.
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The reason with this code, if there is one.
    pub fn from_code(code: u32) -> Option<Reason> {
        Reason::ALL
            .iter()
            .copied()
            .find(|reason| reason.code() == code)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

/// An error: a stable [`Reason`] and a message with the values involved.
///
/// An error can also carry the entries OpenSSL's error queue would hold for
/// the same failure ([`Record`]), so `tsrs ts` can report it in OpenSSL's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    reason: Reason,
    message: String,
    records: Vec<Record>,
}

/// One entry of OpenSSL's error queue: the library, function and reason
/// texts `ERR_print_errors` prints, and the optional data after them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The library text, such as `time stamp routines`.
    pub library: &'static str,
    /// The OpenSSL function that raised the error, such as `ts_check_imprints`.
    pub function: &'static str,
    /// The reason text, such as `message imprint mismatch`.
    pub reason: Cow<'static, str>,
    /// The data OpenSSL adds, such as `tsa::default_tsa`, or empty.
    pub data: String,
}

impl Record {
    /// A record with data.
    pub fn new(
        library: &'static str,
        function: &'static str,
        reason: impl Into<Cow<'static, str>>,
        data: impl Into<String>,
    ) -> Self {
        Record {
            library,
            function,
            reason: reason.into(),
            data: data.into(),
        }
    }
}

/// Library texts of OpenSSL's error queue.
pub mod lib {
    /// `ERR_LIB_TS`.
    pub const TS: &str = "time stamp routines";
    /// `ERR_LIB_ESS`.
    pub const ESS: &str = "ESS routines";
    /// `ERR_LIB_CONF`.
    pub const CONF: &str = "configuration file routines";
    /// `ERR_LIB_PKCS7`.
    pub const PKCS7: &str = "PKCS7 routines";
    /// `ERR_LIB_X509`.
    pub const X509: &str = "x509 certificate routines";
    /// `ERR_LIB_ASN1`.
    pub const ASN1: &str = "asn1 encoding routines";
    /// `ERR_LIB_OBJ`.
    pub const OBJ: &str = "object identifier routines";
    /// `ERR_LIB_PEM`.
    pub const PEM: &str = "PEM routines";
    /// `ERR_LIB_BIO`.
    pub const BIO: &str = "BIO routines";
    /// `ERR_LIB_SYS`.
    pub const SYS: &str = "system library";
    /// `ERR_LIB_CRYPTO`.
    pub const CRYPTO: &str = "common libcrypto routines";
    /// `ERR_LIB_EVP`.
    pub const EVP: &str = "digital envelope routines";
    /// `ERR_LIB_OSSL_DECODER`.
    pub const DECODER: &str = "DECODER routines";
}

impl Error {
    /// Creates an error whose message states what failed and on which value.
    pub fn new(reason: Reason, message: impl Into<String>) -> Self {
        Error {
            reason,
            message: message.into(),
            records: Vec::new(),
        }
    }

    /// Replaces the message, keeping the reason and the queue entries.
    pub fn retitled(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Adds the OpenSSL error-queue entry that comes after those already present.
    pub fn with_record(
        mut self,
        library: &'static str,
        function: &'static str,
        reason: impl Into<Cow<'static, str>>,
        data: impl Into<String>,
    ) -> Self {
        self.records
            .push(Record::new(library, function, reason, data));
        self
    }

    /// Puts `records` before the entries already present, as entries raised earlier.
    pub fn with_earlier_records(mut self, records: impl IntoIterator<Item = Record>) -> Self {
        let mut all: Vec<Record> = records.into_iter().collect();
        all.append(&mut self.records);
        self.records = all;
        self
    }

    /// The OpenSSL error-queue entries for this error, oldest first.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Adds the entry OpenSSL's `asn1_d2i_read_bio` raises when a decoding
    /// error comes from input that ends before its declared length. Other
    /// malformed input raises entries of OpenSSL's template decoder, which
    /// tsrs does not reproduce.
    pub fn with_d2i_records(self) -> Self {
        let truncated = self.message.contains("runs past the end")
            || self.message.contains("unexpected end of input");
        if self.reason == Reason::Decode && truncated {
            self.with_record(lib::ASN1, "asn1_d2i_read_bio", "not enough data", "")
        } else {
            self
        }
    }

    /// The entries `BIO_new_file` raises when `fopen(path, mode)` fails.
    pub fn fopen_records(path: &str, mode: &str, err: &std::io::Error) -> Vec<Record> {
        let bio_reason = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file",
            _ => "system lib",
        };
        vec![
            Record::new(
                lib::SYS,
                "BIO_new_file",
                os_error_text(err),
                format!("calling fopen({path}, {mode})"),
            ),
            Record::new(lib::BIO, "BIO_new_file", bio_reason, ""),
        ]
    }

    /// Creates a decoding error for `what` from a `der` error.
    pub fn decode(what: &str, err: der::Error) -> Self {
        Error::new(Reason::Decode, format!("cannot decode {what}: {err}"))
    }

    /// Creates an encoding error for `what` from a `der` error.
    pub fn encode(what: &str, err: der::Error) -> Self {
        Error::new(Reason::Encode, format!("cannot encode {what}: {err}"))
    }

    /// Creates an I/O error naming the path and the operation.
    pub fn io(operation: &str, path: &str, err: &std::io::Error) -> Self {
        Error::new(
            Reason::Io,
            format!("cannot {operation} {path}: {}", os_error_text(err)),
        )
    }

    /// The stable reason code.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// The message, without the reason text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(self.reason.text())
        } else {
            f.write_str(&self.message)
        }
    }
}

impl std::error::Error for Error {}

/// The C library's text for an I/O error (`strerror`), without the
/// ` (os error N)` suffix Rust adds.
pub fn os_error_text(err: &std::io::Error) -> String {
    let text = err.to_string();
    match (err.raw_os_error(), text.rfind(" (os error ")) {
        (Some(_), Some(suffix)) => text[..suffix].to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_codes_unique() {
        for (i, a) in Reason::ALL.iter().enumerate() {
            for b in &Reason::ALL[i + 1..] {
                assert_ne!(a.code(), b.code(), "{a:?} and {b:?} share a code");
            }
        }
    }

    #[test]
    fn reason_from_code_round_trips() {
        for reason in Reason::ALL {
            assert_eq!(Reason::from_code(reason.code()), Some(*reason));
        }
        assert_eq!(Reason::from_code(0), None);
    }

    #[test]
    fn display_prefers_message() {
        let err = Error::new(Reason::Io, "cannot read a.tsq: not found");
        assert_eq!(err.to_string(), "cannot read a.tsq: not found");
        assert_eq!(Error::new(Reason::Io, "").to_string(), "I/O error");
    }
}
