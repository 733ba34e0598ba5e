//! The C ABI of libtsrs.so: opaque handles and functions that mirror
//! OpenSSL's `TS_*` API, over the safe core.
//!
//! Every export checks its pointers, runs inside [`util::guard`] so a panic
//! never crosses the boundary, and reports failures through the thread-local
//! queue in [`error`]. The conventions are stated once, in the header
//! preamble (cbindgen.toml).

pub mod error;
// TODO: remove once the handle modules use every helper.
#[allow(dead_code)]
pub mod util;
