//! What OpenSSL's response context offers to its callbacks: the request
//! that the response is created for, the TSTInfo being built, the status of the response
//! (`TS_RESP_CTX_set_status_info`, `_cond`, `TS_RESP_CTX_add_failure_info`),
//! the extension callback, and an external signer.
//!
//! A shared `tsrs_resp_ctx` is read-only, so the state of one response lives
//! in a per-thread stack of calls, one entry for each
//! `tsrs_resp_create_response` in progress on the thread. The functions
//! below find the entry of their context there.

use std::cell::RefCell;
use std::ffi::{CString, c_char, c_int, c_long, c_void};
use std::sync::Arc;

use der::asn1::ObjectIdentifier;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::ext::Extension;

use super::constants::TSRS_STATUS_REJECTION;
use super::extensions::tsrs_x509_extension;
use super::request::tsrs_req;
use super::responder::tsrs_resp_ctx;
use super::response::tsrs_tst_info;
use super::status::{add_status_text, set_failure_bit};
use super::util::{borrow_mut, guard, guard_int, optional_text, to_ref};
use super::values::int_from_long;
use crate::asn1::tsp::{PkiStatus, PkiStatusInfo, TimeStampReq, TstInfo};
use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Result};
use crate::keys::{Signer, ecdsa_algorithm_oid};
use crate::oid::known;
use crate::responder::{ExtensionHandler, Generated, ResponseContext, status_text};
use crate::response::granted_status;

/// The room the signer callback gets for the signature: enough for RSA keys
/// of 16384 bits and for every ECDSA and Ed25519 signature.
pub const TSRS_MAX_SIGNATURE_LEN: usize = 2048;

/// The state of one `tsrs_resp_create_response` call.
struct Call {
    ctx: *const tsrs_resp_ctx,
    request: Option<TimeStampReq>,
    /// The TSTInfo being built, set only while an extension callback runs.
    tst_info: *mut TstInfo,
    /// The status as the callbacks set it; granted until they change it.
    status: PkiStatusInfo,
}

thread_local! {
    // Each call is boxed so that the request pointer `tsrs_resp_ctx_get_request`
    // lends stays valid when a nested call grows the vector.
    #[allow(clippy::vec_box)]
    static CALLS: RefCell<Vec<Box<Call>>> = const { RefCell::new(Vec::new()) };
}

/// Pops the call entry when `create_response` ends, even by a panic.
struct CallScope;

impl Drop for CallScope {
    fn drop(&mut self) {
        CALLS.with(|calls| calls.borrow_mut().pop());
    }
}

/// Creates the response of `context` to `request`, keeping the call state
/// that the functions of this module read and change from inside the
/// callbacks.
pub(crate) fn create_response(
    ctx: *const tsrs_resp_ctx,
    context: &ResponseContext,
    request: &[u8],
) -> Generated {
    let call = Box::new(Call {
        ctx,
        request: TimeStampReq::from_ber(request).ok(),
        tst_info: std::ptr::null_mut(),
        status: granted_status(),
    });
    CALLS.with(|calls| calls.borrow_mut().push(call));
    let scope = CallScope;
    let generated = context.create_response(request);
    let status = CALLS.with(|calls| {
        calls
            .borrow()
            .last()
            .map_or_else(granted_status, |call| call.status.clone())
    });
    drop(scope);
    apply_callback_status(generated, status)
}

/// Puts the status the callbacks set into the response, as OpenSSL's
/// `TS_RESP_create_response` keeps it: a failed step sets its own status
/// only while the status is still granted (`TS_RESP_CTX_set_status_info_cond`),
/// so a status a callback set before failing wins. A granted response takes
/// the callbacks' status when it is granted or grantedWithMods.
fn apply_callback_status(mut generated: Generated, status: PkiStatusInfo) -> Generated {
    let has_token = generated.response.token.is_some();
    if callback_status_applies(has_token, &status) {
        generated.response.resp.status = status;
    }
    generated
}

/// Whether the status the callbacks left replaces the response's status.
fn callback_status_applies(has_token: bool, status: &PkiStatusInfo) -> bool {
    if *status == granted_status() {
        return false;
    }
    let current = PkiStatus::from_int(&status.status);
    if has_token {
        current.is_some_and(PkiStatus::has_token)
    } else {
        current != Some(PkiStatus::Granted)
    }
}

/// Runs `body` on the innermost call of `ctx` on this thread.
fn with_call<T>(ctx: *const tsrs_resp_ctx, body: impl FnOnce(&mut Call) -> Result<T>) -> Result<T> {
    if ctx.is_null() {
        return Err(Error::new(
            Reason::NullPointer,
            "invalid null pointer: argument ctx is NULL",
        ));
    }
    CALLS.with(|calls| {
        let mut calls = calls.borrow_mut();
        let call = calls
            .iter_mut()
            .rev()
            .find(|call| call.ctx == ctx)
            .ok_or_else(|| {
                Error::new(
                    Reason::InvalidArgument,
                    "no response is being created with this context on this thread; \
                     call this function from a callback of tsrs_resp_create_response",
                )
            })?;
        body(call)
    })
}

fn status_info(status: c_long, text: Option<&str>) -> Result<PkiStatusInfo> {
    if !(0..=5).contains(&status) {
        return Err(Error::new(
            Reason::InvalidArgument,
            format!("status {status} is not one of the TSRS_STATUS_* values (0 to 5)"),
        ));
    }
    let mut info = PkiStatusInfo {
        status: int_from_long(status)?,
        status_string: None,
        fail_info: None,
    };
    if let Some(text) = text {
        add_status_text(&mut info, text);
    }
    Ok(info)
}

/// Sets the status of the response being created with `ctx` on this thread
/// to `status` (a `TSRS_STATUS_*` value) with one text, or none when `text`
/// is NULL, and no failure bits (`TS_RESP_CTX_set_status_info`). Call it
/// from a serial number, time or extension callback. When the callback then
/// fails, the response keeps this status instead of the one tsrs would
/// set. Fails with `TSRS_R_INVALID_ARGUMENT` outside a callback of `ctx`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_status_info(
    ctx: *const tsrs_resp_ctx,
    status: c_long,
    text: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let info = status_info(status, unsafe { optional_text(text, "text") }?)?;
        with_call(ctx, |call| {
            call.status = info;
            Ok(())
        })
    })
}

/// Does what `tsrs_resp_ctx_set_status_info` does, but only while the
/// status is still granted (`TS_RESP_CTX_set_status_info_cond`); otherwise
/// it changes nothing and returns 1.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_status_info_cond(
    ctx: *const tsrs_resp_ctx,
    status: c_long,
    text: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let info = status_info(status, unsafe { optional_text(text, "text") }?)?;
        with_call(ctx, |call| {
            if PkiStatus::from_int(&call.status.status) == Some(PkiStatus::Granted) {
                call.status = info;
            }
            Ok(())
        })
    })
}

/// Adds failure bit `failure` (a `TSRS_INFO_*` number) to the status of the
/// response being created with `ctx` on this thread
/// (`TS_RESP_CTX_add_failure_info`). As in OpenSSL, a later
/// `tsrs_resp_ctx_set_status_info` replaces the bits. Fails with
/// `TSRS_R_INVALID_ARGUMENT` outside a callback of `ctx` or for a bit above
/// 31.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_add_failure_info(
    ctx: *const tsrs_resp_ctx,
    failure: c_int,
) -> c_int {
    guard_int(|| with_call(ctx, |call| set_failure_bit(&mut call.status, failure, true)))
}

/// Returns the request that `ctx` is creating a response to on this thread, borrowed:
/// valid until the callback returns (`TS_RESP_CTX_get_request`). Returns
/// NULL with `TSRS_R_INVALID_ARGUMENT` outside a callback of `ctx`, and
/// with `TSRS_R_DECODE` when the request did not decode.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_get_request(ctx: *const tsrs_resp_ctx) -> *const tsrs_req {
    guard(std::ptr::null(), || {
        with_call(ctx, |call| {
            call.request.as_ref().map(to_ref).ok_or_else(|| {
                Error::new(
                    Reason::Decode,
                    "the request of this response could not be decoded",
                )
            })
        })
    })
}

/// Returns the TSTInfo that `ctx` is about to sign on this thread, for an
/// extension callback to read or change, for example to add a token
/// extension with `tsrs_tst_info_add_ext` (`TS_RESP_CTX_get_tst_info`). It
/// is valid until the callback returns. Returns NULL with
/// `TSRS_R_INVALID_ARGUMENT` outside an extension callback of `ctx`: as in
/// OpenSSL, the TSTInfo does not exist yet when the serial number and time
/// callbacks run.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_get_tst_info(
    ctx: *const tsrs_resp_ctx,
) -> *mut tsrs_tst_info {
    guard(std::ptr::null_mut(), || {
        with_call(ctx, |call| {
            if call.tst_info.is_null() {
                return Err(Error::new(
                    Reason::InvalidArgument,
                    "the TSTInfo exists only while an extension callback runs",
                ));
            }
            Ok(call.tst_info.cast::<tsrs_tst_info>())
        })
    })
}

/// An extension callback (`TS_extension_cb`): decides on one request
/// extension. `ctx` is the context given to `tsrs_resp_create_response`
/// (NULL when the context is used through the Rust API), `extension` is
/// borrowed for the call and `data` is the pointer given to
/// `tsrs_resp_ctx_set_extension_cb`. It returns 1 to accept the extension,
/// or 0 to reject the request: with the status it set through
/// `tsrs_resp_ctx_set_status_info`, else "Error during response
/// generation.", as OpenSSL does.
pub type tsrs_extension_cb = Option<
    unsafe extern "C" fn(
        ctx: *const tsrs_resp_ctx,
        extension: *const tsrs_x509_extension,
        data: *mut c_void,
    ) -> c_int,
>;

type ExtensionFn =
    unsafe extern "C" fn(*const tsrs_resp_ctx, *const tsrs_x509_extension, *mut c_void) -> c_int;

struct ExtensionCallback {
    callback: ExtensionFn,
    data: *mut c_void,
}

// SAFETY: the header states that a callback set on a context that is shared
// between threads must be safe to call from those threads with its `data`.
unsafe impl Send for ExtensionCallback {}
// SAFETY: as for `Send`.
unsafe impl Sync for ExtensionCallback {}

/// Sets the `tst_info` pointer of the innermost call for as long as it lives.
struct TstInfoScope;

impl TstInfoScope {
    fn enter(tst_info: *mut TstInfo) -> (TstInfoScope, *const tsrs_resp_ctx) {
        let ctx = CALLS.with(|calls| {
            calls
                .borrow_mut()
                .last_mut()
                .map_or(std::ptr::null(), |call| {
                    call.tst_info = tst_info;
                    call.ctx
                })
        });
        (TstInfoScope, ctx)
    }
}

impl Drop for TstInfoScope {
    fn drop(&mut self) {
        CALLS.with(|calls| {
            if let Some(call) = calls.borrow_mut().last_mut() {
                call.tst_info = std::ptr::null_mut();
            }
        });
    }
}

impl ExtensionHandler for ExtensionCallback {
    fn accept(&self, extension: &Extension, tst_info: &mut TstInfo) -> bool {
        let (scope, ctx) = TstInfoScope::enter(tst_info);
        // SAFETY: the extension and the TSTInfo outlive the call, and the
        // caller of tsrs_resp_ctx_set_extension_cb promised a callback that
        // accepts `data`.
        let accepted = unsafe { (self.callback)(ctx, to_ref(extension), self.data) } == 1;
        drop(scope);
        if !accepted {
            let _ = with_call(ctx, |call| {
                if PkiStatus::from_int(&call.status.status) == Some(PkiStatus::Granted) {
                    call.status =
                        status_info(TSRS_STATUS_REJECTION, Some(status_text::GENERATION_ERROR))?;
                }
                Ok(())
            });
        }
        accepted
    }
}

/// Sets the extension callback (`TS_RESP_CTX_set_extension_cb`): it is
/// called with `data` for each extension of a request, in order, after the
/// TSTInfo is built and before it is signed. Without one, every request
/// extension is rejected with "Unsupported extension." and the failure bit
/// unacceptedExtension. `data` may be NULL; the context only passes it on
/// and never frees it.
///
/// # Safety
///
/// `ctx` must be NULL or a live context that no other thread uses;
/// `callback` must be NULL or a function of the `tsrs_extension_cb` type
/// that stays callable, with `data`, for the life of the context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_extension_cb(
    ctx: *mut tsrs_resp_ctx,
    callback: tsrs_extension_cb,
    data: *mut c_void,
) -> c_int {
    guard_int(|| {
        let callback = callback.ok_or_else(|| null_callback("callback"))?;
        // SAFETY: the caller promises a live, unshared context or NULL.
        let context = unsafe { borrow_mut(ctx, "ctx") }?;
        context.set_extension_handler(Arc::new(ExtensionCallback { callback, data }));
        Ok(())
    })
}

fn null_callback(name: &str) -> Error {
    Error::new(
        Reason::NullPointer,
        format!("invalid null pointer: argument {name} is NULL"),
    )
}

/// An external signer, such as an HSM or a KMS key. It signs the `len`
/// bytes at `message` (the DER signed attributes of the token) with the
/// key of the signer certificate: for RSA, PKCS#1 v1.5 over the
/// `digest_name` digest of the message (OpenSSL's `EVP_DigestSign`); for
/// ECDSA, over that digest, giving a DER Ecdsa-Sig-Value; for Ed25519,
/// over the message itself. `digest_name` is a digest name that
/// `EVP_get_digestbyname` knows (`"sha256"`). The callback writes the
/// signature into `signature`, which has room for `*signature_len` bytes
/// (`TSRS_MAX_SIGNATURE_LEN`), sets `*signature_len` to its length and
/// returns 1; or it returns 0 to reject the request with "Error during
/// signature generation.". `data` is the pointer given to
/// `tsrs_resp_ctx_set_signer_cb`.
pub type tsrs_sign_cb = Option<
    unsafe extern "C" fn(
        data: *mut c_void,
        digest_name: *const c_char,
        message: *const u8,
        message_len: usize,
        signature: *mut u8,
        signature_len: *mut usize,
    ) -> c_int,
>;

type SignFn = unsafe extern "C" fn(
    *mut c_void,
    *const c_char,
    *const u8,
    usize,
    *mut u8,
    *mut usize,
) -> c_int;

/// A [`Signer`] that calls a C function with the bytes to sign.
struct CallbackSigner {
    callback: SignFn,
    data: *mut c_void,
    public_key: SubjectPublicKeyInfoOwned,
}

// SAFETY: as for `ExtensionCallback`.
unsafe impl Send for CallbackSigner {}
// SAFETY: as for `ExtensionCallback`.
unsafe impl Sync for CallbackSigner {}

impl Signer for CallbackSigner {
    fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned> {
        Ok(self.public_key.clone())
    }

    fn signature_algorithm(&self, digest: DigestAlgorithm) -> Result<AlgorithmIdentifierOwned> {
        external_signature_algorithm(&self.public_key.algorithm.oid, digest)
    }

    fn sign(&self, digest: DigestAlgorithm, message: &[u8]) -> Result<Vec<u8>> {
        let name = CString::new(digest.name())
            .map_err(|_| Error::new(Reason::Panic, "a digest name contains NUL"))?;
        let mut signature = vec![0u8; TSRS_MAX_SIGNATURE_LEN];
        let mut len = signature.len();
        // SAFETY: every pointer is valid for the call and `signature` has
        // room for `len` bytes; the caller of tsrs_resp_ctx_set_signer_cb
        // promised a callback that honours them.
        let status = unsafe {
            (self.callback)(
                self.data,
                name.as_ptr(),
                message.as_ptr(),
                message.len(),
                signature.as_mut_ptr(),
                &mut len,
            )
        };
        if status != 1 {
            return Err(Error::new(
                Reason::Signing,
                format!("the signer callback failed (returned {status})"),
            ));
        }
        if len == 0 || len > TSRS_MAX_SIGNATURE_LEN {
            return Err(Error::new(
                Reason::Signing,
                format!(
                    "the signer callback returned a length of {len}; it must be 1 to {TSRS_MAX_SIGNATURE_LEN}"
                ),
            ));
        }
        signature.truncate(len);
        Ok(signature)
    }
}

/// The signatureAlgorithm for a key of the certificate's algorithm, as
/// OpenSSL writes it for a key it holds.
fn external_signature_algorithm(
    key_algorithm: &ObjectIdentifier,
    digest: DigestAlgorithm,
) -> Result<AlgorithmIdentifierOwned> {
    if *key_algorithm == known::RSA_ENCRYPTION {
        return Ok(AlgorithmIdentifierOwned {
            oid: known::RSA_ENCRYPTION,
            parameters: Some(der::asn1::Null.into()),
        });
    }
    if *key_algorithm == known::EC_PUBLIC_KEY {
        let oid = ecdsa_algorithm_oid(digest).ok_or_else(|| {
            Error::new(
                Reason::UnsupportedAlgorithm,
                format!("ECDSA has no signature algorithm for {digest}"),
            )
        })?;
        return Ok(AlgorithmIdentifierOwned {
            oid,
            parameters: None,
        });
    }
    if *key_algorithm == known::ED25519 {
        return Ok(AlgorithmIdentifierOwned {
            oid: known::ED25519,
            parameters: None,
        });
    }
    // NOTE: RSA-PSS certificates need the PSS parameters chosen by the key,
    // which an external signer does not report; they are not supported.
    Err(Error::new(
        Reason::UnsupportedAlgorithm,
        format!(
            "an external signer cannot sign for a certificate key of algorithm {key_algorithm}; \
             RSA, EC and Ed25519 keys are supported"
        ),
    ))
}

/// Sets an external signer in place of a private key: `callback` signs
/// with `data` for the key of the signer certificate, so the private key
/// never enters tsrs. Set the signer certificate first, because its public key selects the
/// signature algorithm (RSA, EC or Ed25519). Fails with `TSRS_R_MISSING`
/// without a signer certificate and `TSRS_R_UNSUPPORTED_ALGORITHM` for
/// another key type. It stands for `TS_RESP_CTX_set_signer_key` with an
/// engine or provider key, which is how OpenSSL signs with an HSM. `data` may
/// be NULL; the context only passes it on and never frees it. A context
/// shared between threads calls `callback` from those threads, so it must
/// then be thread-safe.
///
/// # Safety
///
/// `ctx` must be NULL or a live context that no other thread uses;
/// `callback` must be NULL or a function of the `tsrs_sign_cb` type that
/// stays callable, with `data`, for the life of the context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_signer_cb(
    ctx: *mut tsrs_resp_ctx,
    callback: tsrs_sign_cb,
    data: *mut c_void,
) -> c_int {
    guard_int(|| {
        let callback = callback.ok_or_else(|| null_callback("callback"))?;
        // SAFETY: the caller promises a live, unshared context or NULL.
        let context = unsafe { borrow_mut(ctx, "ctx") }?;
        let cert = context.signer_cert().ok_or_else(|| {
            Error::new(
                Reason::Missing,
                "no signer certificate is set; set it with tsrs_resp_ctx_set_signer_cert first",
            )
        })?;
        let public_key = cert.public_key_info().clone();
        external_signature_algorithm(&public_key.algorithm.oid, DigestAlgorithm::Sha256)?;
        context.set_signer(Arc::new(CallbackSigner {
            callback,
            data,
            public_key,
        }));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asn1::tsp::FailureInfo;
    use crate::response::{Response, status_info as response_status};

    fn generated(response: Response) -> Generated {
        Generated {
            response,
            errors: Vec::new(),
        }
    }

    fn rejection() -> Response {
        Response::rejection(
            PkiStatus::Rejection,
            Some(status_text::SERIAL_ERROR),
            &[FailureInfo::AddInfoNotAvailable],
        )
    }

    #[test]
    fn callback_status_replaces_step_status() {
        let waiting = response_status(PkiStatus::Waiting, Some("Try again."), &[]);
        let out = apply_callback_status(generated(rejection()), waiting.clone());
        assert_eq!(out.response.resp.status, waiting);
    }

    #[test]
    fn failure_bits_alone_are_replaced_by_step() {
        let mut granted_with_bit = granted_status();
        set_failure_bit(&mut granted_with_bit, 25, true).unwrap();
        let out = apply_callback_status(generated(rejection()), granted_with_bit);
        assert_eq!(out.response.resp.status, rejection().resp.status);
    }

    #[test]
    fn rejection_status_never_applies_to_token() {
        let rejected = response_status(PkiStatus::Rejection, Some("No."), &[]);
        assert!(!callback_status_applies(true, &rejected));
        let with_mods = response_status(PkiStatus::GrantedWithMods, Some("Changed."), &[]);
        assert!(callback_status_applies(true, &with_mods));
        assert!(!callback_status_applies(true, &granted_status()));
    }

    #[test]
    fn outside_callback_is_an_error() {
        let ctx = std::ptr::dangling::<tsrs_resp_ctx>();
        let err = with_call(ctx, |_| Ok(())).unwrap_err();
        assert_eq!(err.reason(), Reason::InvalidArgument);
    }
}
