//! Resetting a verification context in place (`TS_VERIFY_CTX_init`,
//! `TS_VERIFY_CTX_cleanup`).

use std::ffi::c_int;

use super::util::{borrow_mut, guard_int};
use super::verify::tsrs_verify_ctx;
use crate::verify::VerifyContext;

/// Resets a context to the state `tsrs_verify_ctx_new` gives: no checks, no
/// store, no certificates and no expected values (`TS_VERIFY_CTX_init`).
/// Unlike OpenSSL's, which only zeroes the fields, this releases what the
/// context held, so it is the same as `tsrs_verify_ctx_cleanup`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_init(ctx: *mut tsrs_verify_ctx) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared context or NULL.
        *unsafe { borrow_mut(ctx, "ctx") }? = VerifyContext::default();
        Ok(())
    })
}

/// Releases everything a context holds and resets it to the state
/// `tsrs_verify_ctx_new` gives, so it can be set up again
/// (`TS_VERIFY_CTX_cleanup`). The context itself stays; free it with
/// `tsrs_verify_ctx_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_cleanup(ctx: *mut tsrs_verify_ctx) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared context or NULL.
        *unsafe { borrow_mut(ctx, "ctx") }? = VerifyContext::default();
        Ok(())
    })
}
