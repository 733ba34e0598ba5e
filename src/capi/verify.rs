//! The verify context (`TS_VERIFY_CTX`) and verification of responses and
//! tokens.

use std::ffi::{c_int, c_uint};

use super::constants::{
    TSRS_VFY_ALL_IMPRINT, TSRS_VFY_AT_GEN_TIME, TSRS_VFY_DATA, TSRS_VFY_STRICT_REQUEST,
};
use super::request::tsrs_req;
use super::response::tsrs_resp;
use super::util::{
    Castable, OwnershipBox, borrow, borrow_mut, bytes, free_box, guard, guard_int, guard_new,
    non_empty_bytes, take_box, to_box, write_value,
};
use super::x509::{tsrs_x509, tsrs_x509_list, tsrs_x509_store};
use crate::asn1::cms::TimeStampToken;
use crate::asn1::{self, GeneralName};
use crate::error::{Error, Reason, Result};
use crate::verify::{self, Data, VerifyContext};

/// A verification setup (`TS_VERIFY_CTX`): the `TSRS_VFY_*` checks, the
/// data or imprint, the request's policy and nonce, the trust store and the
/// untrusted certificates. Created by `tsrs_verify_ctx_new`
/// or `tsrs_req_to_verify_ctx`; the caller owns it and frees it with
/// `tsrs_verify_ctx_free`. Once set up, it may be shared between threads
/// for verification.
pub struct tsrs_verify_ctx {
    _private: [u8; 0],
}

impl Castable for tsrs_verify_ctx {
    type Ownership = OwnershipBox;
    type RustType = VerifyContext;
}

/// Every `TSRS_VFY_*` bit.
const KNOWN_FLAGS: c_uint =
    TSRS_VFY_ALL_IMPRINT | TSRS_VFY_DATA | TSRS_VFY_AT_GEN_TIME | TSRS_VFY_STRICT_REQUEST;

fn check_flags(flags: c_uint) -> Result<u32> {
    if flags & !KNOWN_FLAGS != 0 {
        return Err(Error::new(
            Reason::InvalidArgument,
            format!(
                "unknown verify flags 0x{:x}; the TSRS_VFY_* flags are 0x{KNOWN_FLAGS:x}",
                flags & !KNOWN_FLAGS
            ),
        ));
    }
    Ok(flags)
}

/// Creates a context with no checks, data, store or certificates. Returns
/// NULL only when memory runs out. Free it with `tsrs_verify_ctx_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_verify_ctx_new() -> *mut tsrs_verify_ctx {
    guard_new(|| Ok(VerifyContext::default()))
}

/// Frees a context with its store, certificates and data. NULL is ignored.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_free(ctx: *mut tsrs_verify_ctx) {
    // SAFETY: the caller promises an owned context or NULL.
    unsafe { free_box(ctx) }
}

/// Runs `body` on a context borrowed mutably, for the setters.
///
/// # Safety
///
/// `ctx` must be NULL or a live context that no other thread uses.
unsafe fn with_ctx(
    ctx: *mut tsrs_verify_ctx,
    body: impl FnOnce(&mut VerifyContext) -> Result<()>,
) -> Result<()> {
    // SAFETY: forwarded from the caller.
    body(unsafe { borrow_mut(ctx, "ctx") }?)
}

/// Replaces the checks with `flags`, a combination of `TSRS_VFY_*`
/// (`TS_VERIFY_CTX_set_flags`). Fails with `TSRS_R_INVALID_ARGUMENT` for
/// other bits.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_set_flags(
    ctx: *mut tsrs_verify_ctx,
    flags: c_uint,
) -> c_int {
    guard_int(|| {
        let flags = check_flags(flags)?;
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.flags = flags;
                Ok(())
            })
        }
    })
}

/// Adds the `TSRS_VFY_*` checks in `flags` to those already on
/// (`TS_VERIFY_CTX_add_flags`). Fails with `TSRS_R_INVALID_ARGUMENT` for
/// other bits.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_add_flags(
    ctx: *mut tsrs_verify_ctx,
    flags: c_uint,
) -> c_int {
    guard_int(|| {
        let flags = check_flags(flags)?;
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.flags |= flags;
                Ok(())
            })
        }
    })
}

/// Writes the checks that are on, a combination of `TSRS_VFY_*`, to `*flags`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_get_flags(
    ctx: *const tsrs_verify_ctx,
    flags: *mut c_uint,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live context or NULL.
        let ctx = unsafe { borrow(ctx, "ctx") }?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(flags, "flags", ctx.flags) }
    })
}

/// Copies `len` bytes of data for the `TSRS_VFY_DATA` check: the token's
/// imprint must be their digest, with the token's algorithm
/// (`TS_VERIFY_CTX_set_data`, which takes a BIO). `data` may be NULL when
/// `len` is 0, for empty data.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_set_data(
    ctx: *mut tsrs_verify_ctx,
    data: *const u8,
    len: usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let data = unsafe { bytes(data, len, "data") }?.to_vec();
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.data = Some(Data::Bytes(data));
                Ok(())
            })
        }
    })
}

/// Copies `len` bytes of digest for the `TSRS_VFY_IMPRINT` check: the
/// token's imprint must equal them (`TS_VERIFY_CTX_set_imprint`). `len`
/// must not be 0.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_set_imprint(
    ctx: *mut tsrs_verify_ctx,
    imprint: *const u8,
    len: usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let imprint = unsafe { non_empty_bytes(imprint, len, "imprint") }?.to_vec();
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.imprint = Some(imprint);
                Ok(())
            })
        }
    })
}

/// Copies the expected TSA name for the `TSRS_VFY_TSA_NAME` check, which
/// `TSRS_VFY_ALL_DATA` and `TSRS_VFY_ALL_IMPRINT` include: `der` is one DER
/// or BER GeneralName (RFC 5280), and the signer's subject or one of its
/// subject alternative names must equal it. OpenSSL 3.0 has no setter for
/// this name, so its `TS_VFY_TSA_NAME` check always fails. Fails with
/// `TSRS_R_DECODE` when `der` is not one GeneralName.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_set_tsa_name(
    ctx: *mut tsrs_verify_ctx,
    der: *const u8,
    len: usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared context or NULL.
        let ctx = unsafe { borrow_mut(ctx, "ctx") }?;
        // SAFETY: the caller promises `len` readable bytes.
        let input = unsafe { non_empty_bytes(der, len, "der") }?;
        let name = asn1::decode("expected TSA name (GeneralName)", input)?;
        ctx.tsa_name = Some(name);
        Ok(())
    })
}

/// Sets the expected TSA name for the `TSRS_VFY_TSA_NAME` check to the
/// subject of `cert`, as a directoryName: the signer's subject, or a
/// directoryName among its subject alternative names, must equal it. The
/// caller keeps ownership of `cert`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_set_tsa_name_cert(
    ctx: *mut tsrs_verify_ctx,
    cert: *const tsrs_x509,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live certificate or NULL.
        let subject = unsafe { borrow(cert, "cert") }?.subject().clone();
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.tsa_name = Some(GeneralName::DirectoryName(subject));
                Ok(())
            })
        }
    })
}

/// Copies the trust store for the `TSRS_VFY_SIGNATURE` check, replacing the
/// one set before. The caller keeps ownership of `store`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_set_store(
    ctx: *mut tsrs_verify_ctx,
    store: *const tsrs_x509_store,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live store or NULL.
        let store = unsafe { borrow(store, "store") }?.clone();
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.store = store;
                Ok(())
            })
        }
    })
}

/// Moves the trust store into the context, as OpenSSL 3.0's
/// `TS_VERIFY_CTX_set_store` does: on success the context owns `store` and
/// frees it; on failure the caller still owns it.
///
/// # Safety
///
/// `ctx` must be NULL or a live context that no other thread uses; `store`
/// must be NULL or an owned store, which the caller must not use after
/// success.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_set0_store(
    ctx: *mut tsrs_verify_ctx,
    store: *mut tsrs_x509_store,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared context or NULL.
        let ctx = unsafe { borrow_mut(ctx, "ctx") }?;
        // SAFETY: the caller promises an owned store or NULL.
        ctx.store = unsafe { take_box(store, "store") }?;
        Ok(())
    })
}

/// Copies the untrusted certificates for the `TSRS_VFY_SIGNATURE` check:
/// they are searched for the signer before the token's own, and help build
/// its path. They replace those set before. The caller keeps ownership of
/// `certs`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_set_certs(
    ctx: *mut tsrs_verify_ctx,
    certs: *const tsrs_x509_list,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live list or NULL.
        let certs = unsafe { borrow(certs, "certs") }?.clone();
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.untrusted = certs;
                Ok(())
            })
        }
    })
}

/// Moves the untrusted certificates into the context, as OpenSSL 3.0's
/// `TS_VERIFY_CTX_set_certs` does: on success the context owns `certs` and
/// frees them; on failure the caller still owns them.
///
/// # Safety
///
/// `ctx` must be NULL or a live context that no other thread uses; `certs`
/// must be NULL or an owned list, which the caller must not use after
/// success.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_ctx_set0_certs(
    ctx: *mut tsrs_verify_ctx,
    certs: *mut tsrs_x509_list,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared context or NULL.
        let ctx = unsafe { borrow_mut(ctx, "ctx") }?;
        // SAFETY: the caller promises an owned list or NULL.
        ctx.untrusted = unsafe { take_box(certs, "certs") }?;
        Ok(())
    })
}

/// Sets up the checks for a response to `req`, as `TS_REQ_to_TS_VERIFY_CTX`
/// does: version, policy (when the request names one), imprint with its
/// algorithm, nonce (when the request has one) and the signer's name. The
/// signature check is left for the caller to add with
/// `tsrs_verify_ctx_add_flags(ctx, TSRS_VFY_SIGNATURE)`, together with a
/// store. With `ctx` NULL, returns a new context that the caller frees with
/// `tsrs_verify_ctx_free`. Otherwise `ctx` is reset (losing its store,
/// certificates and data), set up and returned. Returns NULL on failure.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_to_verify_ctx(
    req: *const tsrs_req,
    ctx: *mut tsrs_verify_ctx,
) -> *mut tsrs_verify_ctx {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller promises a live request or NULL.
        let req = unsafe { borrow(req, "req") }?;
        let setup = VerifyContext::from_request(req);
        if ctx.is_null() {
            return Ok(to_box(setup));
        }
        // SAFETY: the caller promises a live, unshared context.
        unsafe {
            with_ctx(ctx, |ctx| {
                *ctx = setup;
                Ok(())
            })
        }?;
        Ok(ctx)
    })
}

/// Verifies a response with the checks of `ctx`
/// (`TS_RESP_verify_response`): its status must be granted or granted with
/// modifications (else `TSRS_R_NO_TIME_STAMP_TOKEN`, with the status, text
/// and failure bits in the message), then its token is verified as
/// `tsrs_resp_verify_token` does. Returns 1 when every check passes;
/// otherwise 0, with the first failed check on the error queue
/// (`TSRS_R_SIGNATURE_FAILURE`, `TSRS_R_IMPRINT_MISMATCH`, ...).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_verify_response(
    ctx: *const tsrs_verify_ctx,
    resp: *const tsrs_resp,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live context and response, or NULL.
        let (ctx, resp) = unsafe { (borrow(ctx, "ctx")?, borrow(resp, "resp")?) };
        verify::verify_response(ctx, resp).map(|_| ())
    })
}

/// Verifies a bare token, `len` bytes of DER or BER CMS ContentInfo, with
/// the checks of `ctx` (`TS_RESP_verify_token`), in OpenSSL's order:
/// signature (signer, certificate path, ESS attribute, message digest,
/// signature), version, policy, imprint, data, nonce, TSA name. Returns 1
/// when every check passes; otherwise 0, with the first failed check on the
/// error queue.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_verify_token(
    ctx: *const tsrs_verify_ctx,
    token: *const u8,
    len: usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live context or NULL, and `len` bytes.
        let (ctx, token) = unsafe { (borrow(ctx, "ctx")?, non_empty_bytes(token, len, "token")?) };
        let token = TimeStampToken::from_ber(token)?;
        verify::verify_token(ctx, &token).map(|_| ())
    })
}
