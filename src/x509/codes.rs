//! OpenSSL's certificate verification error codes and texts.
//!
//! The numbers are the `X509_V_ERR_*` values of OpenSSL 3.0 and the texts
//! are what `X509_verify_cert_error_string` returns for them, so that
//! messages and exit paths can match OpenSSL's byte for byte.

use core::fmt;

macro_rules! verify_codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal => $text:literal,)+) => {
        /// A certificate verification error, as an `X509_V_ERR_*` code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(i32)]
        #[non_exhaustive]
        pub enum VerifyCode {
            $($(#[$doc])* $name = $code,)+
        }

        impl VerifyCode {
            /// Every code, in numeric order.
            pub const ALL: &'static [VerifyCode] = &[$(VerifyCode::$name,)+];

            /// OpenSSL's text for this code.
            pub const fn text(self) -> &'static str {
                match self {
                    $(VerifyCode::$name => $text,)+
                }
            }
        }
    };
}

verify_codes! {
    /// `X509_V_ERR_UNSPECIFIED`.
    Unspecified = 1 => "unspecified certificate verification error",
    /// `X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT`.
    UnableToGetIssuerCert = 2 => "unable to get issuer certificate",
    /// `X509_V_ERR_UNABLE_TO_GET_CRL`.
    UnableToGetCrl = 3 => "unable to get certificate CRL",
    /// `X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE`.
    UnableToDecryptCertSignature = 4 => "unable to decrypt certificate's signature",
    /// `X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE`.
    UnableToDecryptCrlSignature = 5 => "unable to decrypt CRL's signature",
    /// `X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY`.
    UnableToDecodeIssuerPublicKey = 6 => "unable to decode issuer public key",
    /// `X509_V_ERR_CERT_SIGNATURE_FAILURE`.
    CertSignatureFailure = 7 => "certificate signature failure",
    /// `X509_V_ERR_CRL_SIGNATURE_FAILURE`.
    CrlSignatureFailure = 8 => "CRL signature failure",
    /// `X509_V_ERR_CERT_NOT_YET_VALID`.
    CertNotYetValid = 9 => "certificate is not yet valid",
    /// `X509_V_ERR_CERT_HAS_EXPIRED`.
    CertHasExpired = 10 => "certificate has expired",
    /// `X509_V_ERR_CRL_NOT_YET_VALID`.
    CrlNotYetValid = 11 => "CRL is not yet valid",
    /// `X509_V_ERR_CRL_HAS_EXPIRED`.
    CrlHasExpired = 12 => "CRL has expired",
    /// `X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD`.
    ErrorInCertNotBeforeField = 13 => "format error in certificate's notBefore field",
    /// `X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD`.
    ErrorInCertNotAfterField = 14 => "format error in certificate's notAfter field",
    /// `X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD`.
    ErrorInCrlLastUpdateField = 15 => "format error in CRL's lastUpdate field",
    /// `X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD`.
    ErrorInCrlNextUpdateField = 16 => "format error in CRL's nextUpdate field",
    /// `X509_V_ERR_OUT_OF_MEM`.
    OutOfMem = 17 => "out of memory",
    /// `X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT`.
    DepthZeroSelfSignedCert = 18 => "self-signed certificate",
    /// `X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN`.
    SelfSignedCertInChain = 19 => "self-signed certificate in certificate chain",
    /// `X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY`.
    UnableToGetIssuerCertLocally = 20 => "unable to get local issuer certificate",
    /// `X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE`.
    UnableToVerifyLeafSignature = 21 => "unable to verify the first certificate",
    /// `X509_V_ERR_CERT_CHAIN_TOO_LONG`.
    CertChainTooLong = 22 => "certificate chain too long",
    /// `X509_V_ERR_CERT_REVOKED`.
    CertRevoked = 23 => "certificate revoked",
    /// `X509_V_ERR_NO_ISSUER_PUBLIC_KEY`.
    NoIssuerPublicKey = 24 => "issuer certificate doesn't have a public key",
    /// `X509_V_ERR_PATH_LENGTH_EXCEEDED`.
    PathLengthExceeded = 25 => "path length constraint exceeded",
    /// `X509_V_ERR_INVALID_PURPOSE`.
    InvalidPurpose = 26 => "unsuitable certificate purpose",
    /// `X509_V_ERR_CERT_UNTRUSTED`.
    CertUntrusted = 27 => "certificate not trusted",
    /// `X509_V_ERR_CERT_REJECTED`.
    CertRejected = 28 => "certificate rejected",
    /// `X509_V_ERR_SUBJECT_ISSUER_MISMATCH`.
    SubjectIssuerMismatch = 29 => "subject issuer mismatch",
    /// `X509_V_ERR_AKID_SKID_MISMATCH`.
    AkidSkidMismatch = 30 => "authority and subject key identifier mismatch",
    /// `X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH`.
    AkidIssuerSerialMismatch = 31 => "authority and issuer serial number mismatch",
    /// `X509_V_ERR_KEYUSAGE_NO_CERTSIGN`.
    KeyusageNoCertsign = 32 => "key usage does not include certificate signing",
    /// `X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER`.
    UnableToGetCrlIssuer = 33 => "unable to get CRL issuer certificate",
    /// `X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION`.
    UnhandledCriticalExtension = 34 => "unhandled critical extension",
    /// `X509_V_ERR_KEYUSAGE_NO_CRL_SIGN`.
    KeyusageNoCrlSign = 35 => "key usage does not include CRL signing",
    /// `X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION`.
    UnhandledCriticalCrlExtension = 36 => "unhandled critical CRL extension",
    /// `X509_V_ERR_INVALID_NON_CA`.
    InvalidNonCa = 37 => "invalid non-CA certificate (has CA markings)",
    /// `X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED`.
    ProxyPathLengthExceeded = 38 => "proxy path length constraint exceeded",
    /// `X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE`.
    KeyusageNoDigitalSignature = 39 => "key usage does not include digital signature",
    /// `X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED`.
    ProxyCertificatesNotAllowed = 40 => "proxy certificates not allowed, please set the appropriate flag",
    /// `X509_V_ERR_INVALID_EXTENSION`.
    InvalidExtension = 41 => "invalid or inconsistent certificate extension",
    /// `X509_V_ERR_INVALID_POLICY_EXTENSION`.
    InvalidPolicyExtension = 42 => "invalid or inconsistent certificate policy extension",
    /// `X509_V_ERR_NO_EXPLICIT_POLICY`.
    NoExplicitPolicy = 43 => "no explicit policy",
    /// `X509_V_ERR_DIFFERENT_CRL_SCOPE`.
    DifferentCrlScope = 44 => "different CRL scope",
    /// `X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE`.
    UnsupportedExtensionFeature = 45 => "unsupported extension feature",
    /// `X509_V_ERR_UNNESTED_RESOURCE`.
    UnnestedResource = 46 => "RFC 3779 resource not subset of parent's resources",
    /// `X509_V_ERR_PERMITTED_VIOLATION`.
    PermittedViolation = 47 => "permitted subtree violation",
    /// `X509_V_ERR_EXCLUDED_VIOLATION`.
    ExcludedViolation = 48 => "excluded subtree violation",
    /// `X509_V_ERR_SUBTREE_MINMAX`.
    SubtreeMinmax = 49 => "name constraints minimum and maximum not supported",
    /// `X509_V_ERR_APPLICATION_VERIFICATION`.
    ApplicationVerification = 50 => "application verification failure",
    /// `X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE`.
    UnsupportedConstraintType = 51 => "unsupported name constraint type",
    /// `X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX`.
    UnsupportedConstraintSyntax = 52 => "unsupported or invalid name constraint syntax",
    /// `X509_V_ERR_UNSUPPORTED_NAME_SYNTAX`.
    UnsupportedNameSyntax = 53 => "unsupported or invalid name syntax",
    /// `X509_V_ERR_CRL_PATH_VALIDATION_ERROR`.
    CrlPathValidationError = 54 => "CRL path validation error",
    /// `X509_V_ERR_PATH_LOOP`.
    PathLoop = 55 => "path loop",
    /// `X509_V_ERR_SUITE_B_INVALID_VERSION`.
    SuiteBInvalidVersion = 56 => "Suite B: certificate version invalid",
    /// `X509_V_ERR_SUITE_B_INVALID_ALGORITHM`.
    SuiteBInvalidAlgorithm = 57 => "Suite B: invalid public key algorithm",
    /// `X509_V_ERR_SUITE_B_INVALID_CURVE`.
    SuiteBInvalidCurve = 58 => "Suite B: invalid ECC curve",
    /// `X509_V_ERR_SUITE_B_INVALID_SIGNATURE_ALGORITHM`.
    SuiteBInvalidSignatureAlgorithm = 59 => "Suite B: invalid signature algorithm",
    /// `X509_V_ERR_SUITE_B_LOS_NOT_ALLOWED`.
    SuiteBLosNotAllowed = 60 => "Suite B: curve not allowed for this LOS",
    /// `X509_V_ERR_SUITE_B_CANNOT_SIGN_P_384_WITH_P_256`.
    SuiteBCannotSignP384WithP256 = 61 => "Suite B: cannot sign P-384 with P-256",
    /// `X509_V_ERR_HOSTNAME_MISMATCH`.
    HostnameMismatch = 62 => "hostname mismatch",
    /// `X509_V_ERR_EMAIL_MISMATCH`.
    EmailMismatch = 63 => "email address mismatch",
    /// `X509_V_ERR_IP_ADDRESS_MISMATCH`.
    IpAddressMismatch = 64 => "IP address mismatch",
    /// `X509_V_ERR_DANE_NO_MATCH`.
    DaneNoMatch = 65 => "no matching DANE TLSA records",
    /// `X509_V_ERR_EE_KEY_TOO_SMALL`.
    EeKeyTooSmall = 66 => "EE certificate key too weak",
    /// `X509_V_ERR_CA_KEY_TOO_SMALL`.
    CaKeyTooSmall = 67 => "CA certificate key too weak",
    /// `X509_V_ERR_CA_MD_TOO_WEAK`.
    CaMdTooWeak = 68 => "CA signature digest algorithm too weak",
    /// `X509_V_ERR_INVALID_CALL`.
    InvalidCall = 69 => "invalid certificate verification context",
    /// `X509_V_ERR_STORE_LOOKUP`.
    StoreLookup = 70 => "issuer certificate lookup error",
    /// `X509_V_ERR_NO_VALID_SCTS`.
    NoValidScts = 71 => "Certificate Transparency required, but no valid SCTs found",
    /// `X509_V_ERR_PROXY_SUBJECT_NAME_VIOLATION`.
    ProxySubjectNameViolation = 72 => "proxy subject name violation",
    /// `X509_V_ERR_OCSP_VERIFY_NEEDED`.
    OcspVerifyNeeded = 73 => "OCSP verification needed",
    /// `X509_V_ERR_OCSP_VERIFY_FAILED`.
    OcspVerifyFailed = 74 => "OCSP verification failed",
    /// `X509_V_ERR_OCSP_CERT_UNKNOWN`.
    OcspCertUnknown = 75 => "OCSP unknown cert",
    /// `X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM`.
    UnsupportedSignatureAlgorithm = 76 => "Cannot find certificate signature algorithm",
    /// `X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH`.
    SignatureAlgorithmMismatch = 77 => "subject signature algorithm and issuer public key algorithm mismatch",
    /// `X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY`.
    SignatureAlgorithmInconsistency = 78 => "cert info signature and signature algorithm mismatch",
    /// `X509_V_ERR_INVALID_CA`.
    InvalidCa = 79 => "invalid CA certificate",
    /// `X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA`.
    PathlenInvalidForNonCa = 80 => "Path length invalid for non-CA cert",
    /// `X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN`.
    PathlenWithoutKuKeyCertSign = 81 => "Path length given without key usage keyCertSign",
    /// `X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA`.
    KuKeyCertSignInvalidForNonCa = 82 => "Key usage keyCertSign invalid for non-CA cert",
    /// `X509_V_ERR_ISSUER_NAME_EMPTY`.
    IssuerNameEmpty = 83 => "Issuer name empty",
    /// `X509_V_ERR_SUBJECT_NAME_EMPTY`.
    SubjectNameEmpty = 84 => "Subject name empty",
    /// `X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER`.
    MissingAuthorityKeyIdentifier = 85 => "Missing Authority Key Identifier",
    /// `X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER`.
    MissingSubjectKeyIdentifier = 86 => "Missing Subject Key Identifier",
    /// `X509_V_ERR_EMPTY_SUBJECT_ALT_NAME`.
    EmptySubjectAltName = 87 => "Empty Subject Alternative Name extension",
    /// `X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL`.
    EmptySubjectSanNotCritical = 88 => "Subject empty and Subject Alt Name extension not critical",
    /// `X509_V_ERR_CA_BCONS_NOT_CRITICAL`.
    CaBconsNotCritical = 89 => "Basic Constraints of CA cert not marked critical",
    /// `X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL`.
    AuthorityKeyIdentifierCritical = 90 => "Authority Key Identifier marked critical",
    /// `X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL`.
    SubjectKeyIdentifierCritical = 91 => "Subject Key Identifier marked critical",
    /// `X509_V_ERR_CA_CERT_MISSING_KEY_USAGE`.
    CaCertMissingKeyUsage = 92 => "CA cert does not include key usage extension",
    /// `X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3`.
    ExtensionsRequireVersion3 = 93 => "Using cert extension requires at least X509v3",
    /// `X509_V_ERR_EC_KEY_EXPLICIT_PARAMS`.
    EcKeyExplicitParams = 94 => "Certificate public key has explicit ECC parameters",
}

impl VerifyCode {
    /// The numeric `X509_V_ERR_*` value.
    pub const fn code(self) -> i32 {
        self as i32
    }

    /// The code with this number, if OpenSSL 3.0 defines it.
    pub fn from_code(code: i32) -> Option<VerifyCode> {
        VerifyCode::ALL
            .iter()
            .copied()
            .find(|known| known.code() == code)
    }
}

/// The text `X509_verify_cert_error_string` returns for any number: "ok" for 0
/// and "unknown certificate verification error" for numbers it does not define.
pub fn verify_error_string(code: i32) -> &'static str {
    match VerifyCode::from_code(code) {
        Some(known) => known.text(),
        None if code == 0 => "ok",
        None => "unknown certificate verification error",
    }
}

impl fmt::Display for VerifyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in VerifyCode::ALL {
            assert_eq!(VerifyCode::from_code(code.code()), Some(*code));
        }
    }

    #[test]
    fn texts_match_openssl() {
        assert_eq!(verify_error_string(0), "ok");
        assert_eq!(
            verify_error_string(20),
            "unable to get local issuer certificate"
        );
        assert_eq!(
            verify_error_string(19),
            "self-signed certificate in certificate chain"
        );
        assert_eq!(
            verify_error_string(1000),
            "unknown certificate verification error"
        );
    }
}
