//! X.509 certificates: loading, signatures, names and path validation.
//!
//! - [`Cert`] is a parsed certificate with its extensions decoded once;
//!   [`load_certs`] and [`parse_certs`] read PEM bundles and DER files.
//! - [`verify_signature`] checks RSA (PKCS #1 v1.5 and PSS), ECDSA and
//!   Ed25519 signatures for X.509 and CMS algorithm identifiers.
//! - [`names_equal`], [`name_hash`] and [`name_oneline`] compare, hash and
//!   print names as `X509_NAME_cmp`, `X509_NAME_hash` and `X509_NAME_oneline` do.
//! - [`TrustStore`] and [`verify_chain`] validate paths as OpenSSL 3.0's
//!   `X509_verify_cert` does under `openssl ts -verify`: the same checks in
//!   the same order, and the same `X509_V_ERR_*` codes and texts in [`ChainError`].
//! - [`VerifyOptions`] carries every verification option of `openssl verify`
//!   and `openssl ts -verify`; [`VerifyOptions::apply_option`] sets them by name.
//! - [`check_host`], [`check_email`] and [`check_ip`] match a certificate's
//!   names as `X509_check_host` and its siblings do; [`key_security_bits`] and
//!   [`signature_security_bits`] give the strengths security levels compare.

mod cert;
mod codes;
mod crl;
mod crl_check;
mod extensions;
mod identity;
mod name;
mod name_constraints;
mod oids;
mod options;
mod pem;
mod policy;
mod purpose;
mod security_level;
mod signature;
mod store;
mod suite_b;
mod verify;

pub use cert::{Cert, TrustSettings, load_certs, parse_certs, to_pem};
pub(crate) use cert::{D2iFault, check_d2i_any, check_d2i_certificate, check_d2i_name};
pub use codes::{VerifyCode, verify_error_string};
pub use crl::{Crl, RevokedEntry, load_crls, parse_crls};
pub use extensions::{
    AuthorityKeyIdentifier, BasicConstraints, CertExtensions, DistributionPoint,
    DistributionPointName, ExtendedKeyUsage, GeneralSubtree, KeyUsage, NameConstraints,
};
pub use identity::{check_email, check_host, check_ip, parse_ip_address};
pub use name::{canonical_encoding, name_hash, name_oneline, name_oneline_with, names_equal};
pub use options::{VerifyOptions, VerifyTime, parse_c_integer};
pub use purpose::{Purpose, PurposeCheck, Trust, check_timestamp_signer_purpose};
pub use security_level::{key_security_bits, rsa_security_bits, signature_security_bits};
pub use signature::verify_signature;
pub use store::TrustStore;
pub use suite_b::SuiteB;
pub use verify::{ChainError, MAX_DEPTH, MAX_UNTRUSTED, verify_chain};
