//! The numeric constants of the C ABI. Their values equal OpenSSL's
//! `TS_STATUS_*`, `TS_INFO_*`, `TS_VFY_*` and `TS_RESP_CTX` flag macros, so
//! ported code keeps its numbers. The `TSRS_R_*` reason codes are tsrs's own
//! and equal [`Reason`](crate::error::Reason) codes.

use std::ffi::{c_int, c_long, c_uint};

/// PKIStatus granted: the response has a token.
pub const TSRS_STATUS_GRANTED: c_long = 0;
/// PKIStatus grantedWithMods: the response has a token, with modifications.
pub const TSRS_STATUS_GRANTED_WITH_MODS: c_long = 1;
/// PKIStatus rejection.
pub const TSRS_STATUS_REJECTION: c_long = 2;
/// PKIStatus waiting.
pub const TSRS_STATUS_WAITING: c_long = 3;
/// PKIStatus revocationWarning.
pub const TSRS_STATUS_REVOCATION_WARNING: c_long = 4;
/// PKIStatus revocationNotification.
pub const TSRS_STATUS_REVOCATION_NOTIFICATION: c_long = 5;

/// PKIFailureInfo bit badAlg: the digest algorithm is not accepted.
pub const TSRS_INFO_BAD_ALG: c_int = 0;
/// PKIFailureInfo bit badRequest: the request is not permitted or supported.
pub const TSRS_INFO_BAD_REQUEST: c_int = 2;
/// PKIFailureInfo bit badDataFormat: the request does not decode.
pub const TSRS_INFO_BAD_DATA_FORMAT: c_int = 5;
/// PKIFailureInfo bit timeNotAvailable: the TSA's clock failed.
pub const TSRS_INFO_TIME_NOT_AVAILABLE: c_int = 14;
/// PKIFailureInfo bit unacceptedPolicy: the requested policy is not accepted.
pub const TSRS_INFO_UNACCEPTED_POLICY: c_int = 15;
/// PKIFailureInfo bit unacceptedExtension: a request extension is not accepted.
pub const TSRS_INFO_UNACCEPTED_EXTENSION: c_int = 16;
/// PKIFailureInfo bit addInfoNotAvailable: additional information, such as
/// a serial number, is not available.
pub const TSRS_INFO_ADD_INFO_NOT_AVAILABLE: c_int = 17;
/// PKIFailureInfo bit systemFailure.
pub const TSRS_INFO_SYSTEM_FAILURE: c_int = 25;

/// Response context flag: name the TSA (the signer's subject) in tokens.
pub const TSRS_TSA_NAME: c_int = 0x01;
/// Response context flag: claim ordering in tokens.
pub const TSRS_ORDERING: c_int = 0x02;
/// Response context flag: list the other certificates in the ESS attribute too.
pub const TSRS_ESS_CERT_ID_CHAIN: c_int = 0x04;

/// The most fraction digits of genTime (`tsrs_resp_ctx_set_clock_precision_digits`).
pub const TSRS_MAX_CLOCK_PRECISION_DIGITS: c_uint = 6;
/// The size of the buffer a serial number callback writes into, in bytes.
pub const TSRS_MAX_SERIAL_LEN: usize = 64;

/// Verify flag: the signature, the signer's certificate path and the ESS attribute.
pub const TSRS_VFY_SIGNATURE: c_uint = 1 << 0;
/// Verify flag: TSTInfo version 1.
pub const TSRS_VFY_VERSION: c_uint = 1 << 1;
/// Verify flag: the policy equals the request's.
pub const TSRS_VFY_POLICY: c_uint = 1 << 2;
/// Verify flag: the imprint equals the one set with `tsrs_verify_ctx_set_imprint`.
pub const TSRS_VFY_IMPRINT: c_uint = 1 << 3;
/// Verify flag: the imprint is the digest of the data set with `tsrs_verify_ctx_set_data`.
pub const TSRS_VFY_DATA: c_uint = 1 << 4;
/// Verify flag: the nonce equals the request's.
pub const TSRS_VFY_NONCE: c_uint = 1 << 5;
/// Verify flag: the TSA name in the token, if any, names the signer.
pub const TSRS_VFY_SIGNER: c_uint = 1 << 6;
/// Verify flag: the signer is the expected TSA, set with
/// `tsrs_verify_ctx_set_tsa_name` or `tsrs_verify_ctx_set_tsa_name_cert`.
/// Without an expected name this check fails, as in OpenSSL.
pub const TSRS_VFY_TSA_NAME: c_uint = 1 << 7;
/// Every verify flag but `TSRS_VFY_DATA`, `TSRS_VFY_TSA_NAME` among them.
pub const TSRS_VFY_ALL_IMPRINT: c_uint = 0xEF;
/// Every verify flag but `TSRS_VFY_IMPRINT`, `TSRS_VFY_TSA_NAME` among them.
pub const TSRS_VFY_ALL_DATA: c_uint = 0xF7;
/// Verify flag, tsrs only: validate the signer's certificate path at the
/// token's genTime instead of the current time.
pub const TSRS_VFY_AT_GEN_TIME: c_uint = 1 << 16;
/// Verify flag, tsrs only: the token must match every value of the request
/// the context was set up from (`tsrs_req_to_verify_ctx`). Its nonce,
/// policy, imprint and digest algorithm are always checked, and a request
/// with certReq set needs the signer's certificate in the token
/// (`TSRS_R_SIGNER_CERT_NOT_INCLUDED`).
pub const TSRS_VFY_STRICT_REQUEST: c_uint = 1 << 17;

/// Reason: malformed BER or DER input.
pub const TSRS_R_DECODE: u32 = 100;
/// Reason: input larger than the parser accepts.
pub const TSRS_R_TOO_LARGE: u32 = 101;
/// Reason: a file could not be read or written.
pub const TSRS_R_IO: u32 = 102;
/// Reason: malformed PEM input, or no PEM block of the expected type.
pub const TSRS_R_PEM: u32 = 103;
/// Reason: an object name or dotted OID that could not be resolved.
pub const TSRS_R_UNKNOWN_OBJECT: u32 = 104;
/// Reason: a hexadecimal string that could not be decoded.
pub const TSRS_R_BAD_HEX: u32 = 105;
/// Reason: an encoding failure while writing DER.
pub const TSRS_R_ENCODE: u32 = 106;
/// Reason: a syntax error in a configuration file.
pub const TSRS_R_CONFIG_SYNTAX: u32 = 200;
/// Reason: a configuration variable that is required but missing.
pub const TSRS_R_CONFIG_MISSING: u32 = 201;
/// Reason: a configuration variable with a value that cannot be used.
pub const TSRS_R_CONFIG_BAD_VALUE: u32 = 202;
/// Reason: a configuration file that could not be opened.
pub const TSRS_R_CONFIG_OPEN: u32 = 203;
/// Reason: a certificate that could not be loaded.
pub const TSRS_R_CERT_LOAD: u32 = 300;
/// Reason: a private key that could not be loaded.
pub const TSRS_R_KEY_LOAD: u32 = 301;
/// Reason: a private key that does not belong to the signer certificate.
pub const TSRS_R_KEY_MISMATCH: u32 = 302;
/// Reason: a signer certificate that is not valid for time-stamping.
pub const TSRS_R_SIGNER_PURPOSE: u32 = 303;
/// Reason: a key type or signature algorithm that is not supported.
pub const TSRS_R_UNSUPPORTED_ALGORITHM: u32 = 304;
/// Reason: a signing operation that failed.
pub const TSRS_R_SIGNING: u32 = 305;
/// Reason: a password that could not be obtained.
pub const TSRS_R_PASSWORD: u32 = 306;
/// Reason: a digest algorithm that is not supported.
pub const TSRS_R_UNKNOWN_DIGEST: u32 = 400;
/// Reason: a digest of the wrong length for its algorithm.
pub const TSRS_R_BAD_DIGEST_LENGTH: u32 = 401;
/// Reason: the serial number source failed.
pub const TSRS_R_SERIAL: u32 = 402;
/// Reason: the clock could not be read or the time could not be encoded.
pub const TSRS_R_TIME: u32 = 403;
/// Reason: a response with an inconsistent status and token.
pub const TSRS_R_RESPONSE_STRUCTURE: u32 = 404;
/// Reason: a token that is not a signed TSTInfo.
pub const TSRS_R_BAD_TOKEN: u32 = 405;
/// Reason: a required value that was not set.
pub const TSRS_R_MISSING: u32 = 406;
/// Reason: the request asks for a policy the TSA does not accept.
pub const TSRS_R_UNACCEPTABLE_POLICY: u32 = 407;
/// Reason: a request that the TSA rejected.
pub const TSRS_R_RESPONSE_SETUP: u32 = 408;
/// Reason: a request the TSA cannot accept: wrong version, digest parameters
/// or extension.
pub const TSRS_R_BAD_REQUEST: u32 = 409;
/// Reason: the response status is neither granted nor granted with modifications.
pub const TSRS_R_NO_TIME_STAMP_TOKEN: u32 = 500;
/// Reason: the token's content is not signed data.
pub const TSRS_R_WRONG_CONTENT_TYPE: u32 = 501;
/// Reason: the token has no signer or more than one.
pub const TSRS_R_SIGNER_COUNT: u32 = 502;
/// Reason: the token's content is detached.
pub const TSRS_R_NO_CONTENT: u32 = 503;
/// Reason: the signer certificate is in neither the token nor the untrusted list.
pub const TSRS_R_SIGNER_NOT_FOUND: u32 = 504;
/// Reason: the signer certificate path did not validate.
pub const TSRS_R_CERTIFICATE_VERIFY: u32 = 505;
/// Reason: the ESS signing certificate attributes do not match the path.
pub const TSRS_R_ESS_SIGNING_CERTIFICATE: u32 = 506;
/// Reason: the signature or the message digest attribute does not verify.
pub const TSRS_R_SIGNATURE_FAILURE: u32 = 507;
/// Reason: the TSTInfo version is not 1.
pub const TSRS_R_UNSUPPORTED_VERSION: u32 = 508;
/// Reason: the TSTInfo policy differs from the expected one.
pub const TSRS_R_POLICY_MISMATCH: u32 = 509;
/// Reason: the message imprint differs from the expected one.
pub const TSRS_R_IMPRINT_MISMATCH: u32 = 510;
/// Reason: the request had a nonce that the response lacks.
pub const TSRS_R_NONCE_NOT_RETURNED: u32 = 511;
/// Reason: the response nonce differs from the request nonce.
pub const TSRS_R_NONCE_MISMATCH: u32 = 512;
/// Reason: the TSA name in the token names neither the signer's subject nor
/// its alternative names.
pub const TSRS_R_TSA_NAME_MISMATCH: u32 = 513;
/// Reason: the signer is not the expected TSA.
pub const TSRS_R_TSA_UNTRUSTED: u32 = 514;
/// Reason: a trust anchor or CRL source that could not be loaded.
pub const TSRS_R_TRUST_STORE: u32 = 515;
/// Reason: the request set certReq and the token lacks the signer's
/// certificate (checked with `TSRS_VFY_STRICT_REQUEST`).
pub const TSRS_R_SIGNER_CERT_NOT_INCLUDED: u32 = 516;
/// Reason: a NULL pointer where a value is required.
pub const TSRS_R_NULL_POINTER: u32 = 900;
/// Reason: an argument out of range or otherwise unusable.
pub const TSRS_R_INVALID_ARGUMENT: u32 = 901;
/// Reason: a panic inside the library, caught at the C boundary.
pub const TSRS_R_PANIC: u32 = 902;
/// Reason: a function that is not supported by this build.
pub const TSRS_R_NOT_SUPPORTED: u32 = 903;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asn1::tsp::{FailureInfo, PkiStatus};
    use crate::error::Reason;
    use crate::verify::flags;

    #[test]
    fn reason_codes_match_core() {
        let exported = [
            (TSRS_R_DECODE, Reason::Decode),
            (TSRS_R_TOO_LARGE, Reason::TooLarge),
            (TSRS_R_IO, Reason::Io),
            (TSRS_R_PEM, Reason::Pem),
            (TSRS_R_UNKNOWN_OBJECT, Reason::UnknownObject),
            (TSRS_R_BAD_HEX, Reason::BadHex),
            (TSRS_R_ENCODE, Reason::Encode),
            (TSRS_R_CONFIG_SYNTAX, Reason::ConfigSyntax),
            (TSRS_R_CONFIG_MISSING, Reason::ConfigMissing),
            (TSRS_R_CONFIG_BAD_VALUE, Reason::ConfigBadValue),
            (TSRS_R_CONFIG_OPEN, Reason::ConfigOpen),
            (TSRS_R_CERT_LOAD, Reason::CertLoad),
            (TSRS_R_KEY_LOAD, Reason::KeyLoad),
            (TSRS_R_KEY_MISMATCH, Reason::KeyMismatch),
            (TSRS_R_SIGNER_PURPOSE, Reason::SignerPurpose),
            (TSRS_R_UNSUPPORTED_ALGORITHM, Reason::UnsupportedAlgorithm),
            (TSRS_R_SIGNING, Reason::Signing),
            (TSRS_R_PASSWORD, Reason::Password),
            (TSRS_R_UNKNOWN_DIGEST, Reason::UnknownDigest),
            (TSRS_R_BAD_DIGEST_LENGTH, Reason::BadDigestLength),
            (TSRS_R_SERIAL, Reason::Serial),
            (TSRS_R_TIME, Reason::Time),
            (TSRS_R_RESPONSE_STRUCTURE, Reason::ResponseStructure),
            (TSRS_R_BAD_TOKEN, Reason::BadToken),
            (TSRS_R_MISSING, Reason::Missing),
            (TSRS_R_UNACCEPTABLE_POLICY, Reason::UnacceptablePolicy),
            (TSRS_R_RESPONSE_SETUP, Reason::ResponseSetup),
            (TSRS_R_BAD_REQUEST, Reason::BadRequest),
            (TSRS_R_NO_TIME_STAMP_TOKEN, Reason::NoTimeStampToken),
            (TSRS_R_WRONG_CONTENT_TYPE, Reason::WrongContentType),
            (TSRS_R_SIGNER_COUNT, Reason::SignerCount),
            (TSRS_R_NO_CONTENT, Reason::NoContent),
            (TSRS_R_SIGNER_NOT_FOUND, Reason::SignerNotFound),
            (TSRS_R_CERTIFICATE_VERIFY, Reason::CertificateVerify),
            (
                TSRS_R_ESS_SIGNING_CERTIFICATE,
                Reason::EssSigningCertificate,
            ),
            (TSRS_R_SIGNATURE_FAILURE, Reason::SignatureFailure),
            (TSRS_R_UNSUPPORTED_VERSION, Reason::UnsupportedVersion),
            (TSRS_R_POLICY_MISMATCH, Reason::PolicyMismatch),
            (TSRS_R_IMPRINT_MISMATCH, Reason::ImprintMismatch),
            (TSRS_R_NONCE_NOT_RETURNED, Reason::NonceNotReturned),
            (TSRS_R_NONCE_MISMATCH, Reason::NonceMismatch),
            (TSRS_R_TSA_NAME_MISMATCH, Reason::TsaNameMismatch),
            (TSRS_R_TSA_UNTRUSTED, Reason::TsaUntrusted),
            (TSRS_R_TRUST_STORE, Reason::TrustStore),
            (
                TSRS_R_SIGNER_CERT_NOT_INCLUDED,
                Reason::SignerCertNotIncluded,
            ),
            (TSRS_R_NULL_POINTER, Reason::NullPointer),
            (TSRS_R_INVALID_ARGUMENT, Reason::InvalidArgument),
            (TSRS_R_PANIC, Reason::Panic),
            (TSRS_R_NOT_SUPPORTED, Reason::NotSupported),
        ];
        for (code, reason) in exported {
            assert_eq!(code, reason.code(), "{reason:?}");
        }
        assert_eq!(
            exported.len(),
            Reason::ALL.len(),
            "a reason has no TSRS_R_ constant"
        );
    }

    #[test]
    fn status_and_failure_values_match_core() {
        assert_eq!(TSRS_STATUS_GRANTED, PkiStatus::Granted as c_long);
        assert_eq!(TSRS_STATUS_REJECTION, PkiStatus::Rejection as c_long);
        assert_eq!(
            TSRS_STATUS_REVOCATION_NOTIFICATION,
            PkiStatus::RevocationNotification as c_long
        );
        let bits = [
            (TSRS_INFO_BAD_ALG, FailureInfo::BadAlg),
            (TSRS_INFO_BAD_REQUEST, FailureInfo::BadRequest),
            (TSRS_INFO_BAD_DATA_FORMAT, FailureInfo::BadDataFormat),
            (TSRS_INFO_TIME_NOT_AVAILABLE, FailureInfo::TimeNotAvailable),
            (TSRS_INFO_UNACCEPTED_POLICY, FailureInfo::UnacceptedPolicy),
            (
                TSRS_INFO_UNACCEPTED_EXTENSION,
                FailureInfo::UnacceptedExtension,
            ),
            (
                TSRS_INFO_ADD_INFO_NOT_AVAILABLE,
                FailureInfo::AddInfoNotAvailable,
            ),
            (TSRS_INFO_SYSTEM_FAILURE, FailureInfo::SystemFailure),
        ];
        for (bit, info) in bits {
            assert_eq!(bit as usize, info.bit(), "{info:?}");
        }
    }

    #[test]
    fn verify_flags_match_core() {
        assert_eq!(TSRS_VFY_SIGNATURE, flags::SIGNATURE);
        assert_eq!(TSRS_VFY_VERSION, flags::VERSION);
        assert_eq!(TSRS_VFY_POLICY, flags::POLICY);
        assert_eq!(TSRS_VFY_IMPRINT, flags::IMPRINT);
        assert_eq!(TSRS_VFY_DATA, flags::DATA);
        assert_eq!(TSRS_VFY_NONCE, flags::NONCE);
        assert_eq!(TSRS_VFY_SIGNER, flags::SIGNER);
        assert_eq!(TSRS_VFY_TSA_NAME, flags::TSA_NAME);
        assert_eq!(TSRS_VFY_ALL_IMPRINT, flags::ALL_IMPRINT);
        assert_eq!(TSRS_VFY_ALL_DATA, flags::ALL_DATA);
        assert_eq!(TSRS_VFY_AT_GEN_TIME, flags::AT_GEN_TIME);
        assert_eq!(TSRS_VFY_STRICT_REQUEST, flags::STRICT_REQUEST);
    }
}
