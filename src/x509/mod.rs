//! X.509 certificates: loading, signatures, names and path validation.
//!
//! Path validation follows OpenSSL 3.0's `X509_verify_cert` as `openssl ts
//! -verify` runs it, with the same checks in the same order and the same
//! `X509_V_ERR_*` codes and texts; see [`verify_chain`].

mod cert;
mod codes;
mod crl;
mod crl_check;
mod extensions;
mod name;
mod name_constraints;
mod oids;
mod pem;
mod purpose;
mod signature;
mod store;
mod verify;

pub use cert::{Cert, TrustSettings, load_certs, parse_certs, to_pem};
pub use codes::{VerifyCode, verify_error_string};
pub use crl::{Crl, RevokedEntry, load_crls, parse_crls};
pub use extensions::{
    AuthorityKeyIdentifier, BasicConstraints, CertExtensions, DistributionPoint,
    DistributionPointName, ExtendedKeyUsage, GeneralSubtree, KeyUsage, NameConstraints,
};
pub use name::{canonical_encoding, name_hash, name_oneline, name_oneline_with, names_equal};
pub use purpose::{Purpose, PurposeCheck, Trust, check_timestamp_signer_purpose};
pub use signature::verify_signature;
pub use store::TrustStore;
pub use verify::{ChainError, MAX_DEPTH, MAX_UNTRUSTED, VerifyOptions, VerifyTime, verify_chain};
