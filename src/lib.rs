//! tsrs: RFC 3161 time-stamping, with the ESSCertIDv2 of RFC 5816.
//!
//! The crate is the safe core behind the `tsrs` command and `libtsrs.so`:
//!
//! - [`asn1`]: the RFC 3161, RFC 5652 and ESS types, BER in and DER out;
//! - [`request`]: building time-stamp requests;
//! - [`responder`]: signing responses as a time-stamping authority (TSA);
//! - [`verify`]: checking responses and tokens, certificate paths included;
//! - [`print`]: the text forms that `openssl ts -text` writes;
//! - [`conf`]: the openssl.cnf reader and the TSA section keys.
//!
//! Everything outside `capi` is safe Rust; the C ABI lives in `capi`.

#![deny(unsafe_code)]

pub mod asn1;
pub mod conf;
pub mod demo;
pub mod digest;
pub mod error;
pub mod files;
pub mod keys;
pub mod oid;
pub mod print;
pub mod request;
pub mod responder;
pub mod response;
pub mod serial;
pub mod tsa_conf;
pub mod verify;
pub mod x509;

#[allow(unsafe_code)]
pub mod capi;

pub use error::{Error, Reason, Result};
