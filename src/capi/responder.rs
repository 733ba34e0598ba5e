//! The response context (`TS_RESP_CTX`): a TSA's settings, and responses
//! made with them.

use std::ffi::{c_char, c_int, c_uint, c_void};
use std::path::Path;
use std::sync::Arc;

use der::asn1::Int;

use super::constants::{TSRS_ESS_CERT_ID_CHAIN, TSRS_MAX_SERIAL_LEN, TSRS_ORDERING, TSRS_TSA_NAME};
use super::error;
use super::objects::{add_config_names, resolve, with_objects};
use super::response::tsrs_resp;
use super::util::{
    Castable, OwnershipBox, borrow, borrow_mut, bytes, clone_arc, free_box, guard_int, guard_new,
    optional_text, text,
};
use super::values::int_from_magnitude;
use super::x509::{tsrs_pkey, tsrs_x509, tsrs_x509_list};
use crate::conf::Config;
use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Result};
use crate::responder::{AccuracySetting, ResponseContext, SerialSource, TimeSource};
use crate::serial::SerialFile;
use crate::tsa_conf::{self, Overrides};

/// A TSA's settings (`TS_RESP_CTX`): signer, certificates, policies,
/// accepted digests, accuracy, flags, and the serial number and time
/// sources. Created by `tsrs_resp_ctx_new` or
/// `tsrs_resp_ctx_new_from_config`; the caller owns it and frees it with
/// `tsrs_resp_ctx_free`. Once set up, it may be shared between threads for
/// `tsrs_resp_create_response`.
pub struct tsrs_resp_ctx {
    _private: [u8; 0],
}

impl Castable for tsrs_resp_ctx {
    type Ownership = OwnershipBox;
    type RustType = ResponseContext;
}

/// A serial number source. On success it writes the next serial number as
/// big-endian unsigned bytes into `serial`, which has room for `*serial_len`
/// bytes (`TSRS_MAX_SERIAL_LEN`). It then sets `*serial_len` to the number
/// of bytes written (at least 1) and returns 1. It returns 0 to reject the
/// request with "Error during serial number generation." and the failure
/// bit addInfoNotAvailable. It must never give the same serial number
/// twice. `data` is the pointer given to `tsrs_resp_ctx_set_serial_cb`.
pub type tsrs_serial_cb = Option<
    unsafe extern "C" fn(data: *mut c_void, serial: *mut u8, serial_len: *mut usize) -> c_int,
>;

/// A time source. It writes the time as seconds since the Unix epoch to
/// `*seconds` and the microseconds (0 to 999999) to `*microseconds`, and
/// returns 1; or it returns 0 to reject the request. A failure when genTime
/// is read gives "Time is not available." with the failure bit
/// timeNotAvailable; a failure when the signingTime attribute is read gives
/// "Error during signature generation.". `data` is the pointer given to
/// `tsrs_resp_ctx_set_time_cb`.
pub type tsrs_time_cb = Option<
    unsafe extern "C" fn(data: *mut c_void, seconds: *mut i64, microseconds: *mut u32) -> c_int,
>;

/// A C serial number callback with its user pointer.
struct SerialCallback {
    callback: unsafe extern "C" fn(*mut c_void, *mut u8, *mut usize) -> c_int,
    data: *mut c_void,
}

// SAFETY: the header states that a callback set on a context that is shared
// between threads must be safe to call from those threads with its `data`.
unsafe impl Send for SerialCallback {}
// SAFETY: as for `Send`.
unsafe impl Sync for SerialCallback {}

impl SerialSource for SerialCallback {
    fn next_serial(&self) -> Result<Int> {
        let mut buffer = [0u8; TSRS_MAX_SERIAL_LEN];
        let mut len = buffer.len();
        // SAFETY: the buffer has room for `len` bytes, and the caller of
        // tsrs_resp_ctx_set_serial_cb promised a callback that honours it.
        let status = unsafe { (self.callback)(self.data, buffer.as_mut_ptr(), &mut len) };
        if status != 1 {
            return Err(Error::new(
                Reason::Serial,
                format!("the serial number callback failed (returned {status})"),
            ));
        }
        let serial = buffer.get(..len).filter(|s| !s.is_empty()).ok_or_else(|| {
            Error::new(
                Reason::Serial,
                format!(
                    "the serial number callback returned a length of {len}; it must be 1 to {TSRS_MAX_SERIAL_LEN}"
                ),
            )
        })?;
        int_from_magnitude(serial)
    }
}

/// A C time callback with its user pointer.
struct TimeCallback {
    callback: unsafe extern "C" fn(*mut c_void, *mut i64, *mut u32) -> c_int,
    data: *mut c_void,
}

// SAFETY: as for `SerialCallback`.
unsafe impl Send for TimeCallback {}
// SAFETY: as for `SerialCallback`.
unsafe impl Sync for TimeCallback {}

impl TimeSource for TimeCallback {
    fn now(&self) -> Result<(i64, u32)> {
        let mut seconds = 0i64;
        let mut micros = 0u32;
        // SAFETY: both out-parameters are valid for writes.
        let status = unsafe { (self.callback)(self.data, &mut seconds, &mut micros) };
        if status != 1 {
            return Err(Error::new(
                Reason::Time,
                format!("the time callback failed (returned {status})"),
            ));
        }
        if micros >= 1_000_000 {
            return Err(Error::new(
                Reason::Time,
                format!("the time callback returned {micros} microseconds; the maximum is 999999"),
            ));
        }
        Ok((seconds, micros))
    }
}

/// Creates a context with OpenSSL's defaults: SHA-256 signatures, ESS
/// signingCertificate (v1) with SHA-1, no accepted digests, no default
/// policy, serial number 1 for every token, and the system clock. A
/// context needs a signer certificate, key, default policy and at least one
/// digest before it grants anything. Returns NULL only when memory runs
/// out. Free it with `tsrs_resp_ctx_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_resp_ctx_new() -> *mut tsrs_resp_ctx {
    guard_new(|| Ok(ResponseContext::new()))
}

/// Creates a context from the TSA section of an openssl.cnf file, as
/// `openssl ts -reply -config config_path [-section section]` does: every
/// key of the section, with the serial number file it names. `section` NULL
/// means the section that `[tsa] default_tsa` names; `passphrase` (NULL for
/// none) decrypts the signer key. Relative paths in the file are relative to
/// the current directory. As `openssl` does, the names of the file's
/// `oid_section` are added to the process-wide object table. Returns a new
/// context that the caller frees with `tsrs_resp_ctx_free`, or NULL: the
/// error names the key that failed (`TSRS_R_CONFIG_MISSING`,
/// `TSRS_R_CONFIG_BAD_VALUE`, `TSRS_R_CERT_LOAD`, `TSRS_R_KEY_LOAD`, ...).
///
/// This one call does what a program that uses OpenSSL does step by step,
/// in the same order: `TS_CONF_get_tsa_section` (for a NULL `section`),
/// `TS_CONF_set_serial`, `TS_CONF_set_crypto_device` (only `builtin` is
/// accepted, as tsrs has no engines), `TS_CONF_set_signer_cert`, `TS_CONF_set_certs`,
/// `TS_CONF_set_signer_key`, `TS_CONF_set_signer_digest`,
/// `TS_CONF_set_def_policy`, `TS_CONF_set_policies`, `TS_CONF_set_digests`,
/// `TS_CONF_set_accuracy`, `TS_CONF_set_clock_precision_digits`,
/// `TS_CONF_set_ordering`, `TS_CONF_set_tsa_name`,
/// `TS_CONF_set_ess_cert_id_chain` and `TS_CONF_set_ess_cert_id_digest`.
/// To change one setting afterwards, call the matching `tsrs_resp_ctx_set_*`
/// function on the returned context.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_new_from_config(
    config_path: *const c_char,
    section: *const c_char,
    passphrase: *const c_char,
) -> *mut tsrs_resp_ctx {
    guard_new(|| {
        // SAFETY: the caller promises a string and two optional strings.
        let (config_path, section, passphrase) = unsafe {
            (
                text(config_path, "config_path")?,
                optional_text(section, "section")?,
                optional_text(passphrase, "passphrase")?,
            )
        };
        let config = Config::load(Path::new(config_path))?;
        add_config_names(&config);
        let section = tsa_conf::tsa_section(&config, section)?;
        let overrides = Overrides {
            passphrase: passphrase.map(str::as_bytes),
            ..Overrides::default()
        };
        let setup =
            with_objects(|objects| tsa_conf::load_tsa(&config, &section, objects, &overrides))?;
        let mut context = setup.context;
        context.set_serial_source(Arc::new(SerialFile::new(setup.serial_path)));
        Ok(context)
    })
}

/// Frees a context. NULL is ignored.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_free(ctx: *mut tsrs_resp_ctx) {
    // SAFETY: the caller promises an owned context or NULL.
    unsafe { free_box(ctx) }
}

/// Runs `body` on a context borrowed mutably, for the setters.
///
/// # Safety
///
/// `ctx` must be NULL or a live context that no other thread uses.
unsafe fn with_ctx(
    ctx: *mut tsrs_resp_ctx,
    body: impl FnOnce(&mut ResponseContext) -> Result<()>,
) -> Result<()> {
    // SAFETY: forwarded from the caller.
    body(unsafe { borrow_mut(ctx, "ctx") }?)
}

/// Copies the signer certificate into the context
/// (`TS_RESP_CTX_set_signer_cert`). Fails with `TSRS_R_SIGNER_PURPOSE`
/// unless the certificate may sign time-stamps: an extended key usage of
/// timeStamping only, marked critical. The caller keeps ownership of `cert`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_signer_cert(
    ctx: *mut tsrs_resp_ctx,
    cert: *const tsrs_x509,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live certificate or NULL.
        let cert = unsafe { borrow(cert, "cert") }?.clone();
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe { with_ctx(ctx, |ctx| ctx.set_signer_cert(cert)) }
    })
}

/// Sets the signer key (`TS_RESP_CTX_set_signer_key`). The context shares
/// the key, so the caller may free `key` at any time.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_signer_key(
    ctx: *mut tsrs_resp_ctx,
    key: *const tsrs_pkey,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live key or NULL.
        let key = unsafe { clone_arc(key, "key") }?;
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.set_signer(key);
                Ok(())
            })
        }
    })
}

/// Copies the certificates to include after the signer's when a request
/// sets certReq, and to list in the ESS attribute with
/// `TSRS_ESS_CERT_ID_CHAIN` (`TS_RESP_CTX_set_certs`). They replace earlier
/// ones. The caller keeps ownership of `certs`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_certs(
    ctx: *mut tsrs_resp_ctx,
    certs: *const tsrs_x509_list,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live list or NULL.
        let certs = unsafe { borrow(certs, "certs") }?.clone();
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.set_certs(certs);
                Ok(())
            })
        }
    })
}

/// Borrows a digest name argument and looks it up.
///
/// # Safety
///
/// `name` must be NULL or a NUL-terminated string.
unsafe fn digest_arg(name: *const c_char, what: &str) -> Result<DigestAlgorithm> {
    // SAFETY: forwarded from the caller.
    DigestAlgorithm::from_name_or_err(unsafe { text(name, what) }?)
}

/// Sets the digest of the signature by name (`"sha256"`, `"sha512"`, ...)
/// (`TS_RESP_CTX_set_signer_digest`).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_signer_digest(
    ctx: *mut tsrs_resp_ctx,
    digest_name: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let digest = unsafe { digest_arg(digest_name, "digest_name") }?;
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.set_signer_digest(digest);
                Ok(())
            })
        }
    })
}

/// Sets the digest of the ESS certificate ids by name
/// (`TS_RESP_CTX_set_ess_cert_id_digest`): `"sha1"` writes a
/// signingCertificate (v1) attribute, any other digest a
/// signingCertificateV2.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_ess_cert_id_digest(
    ctx: *mut tsrs_resp_ctx,
    digest_name: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let digest = unsafe { digest_arg(digest_name, "digest_name") }?;
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.set_ess_cert_id_digest(Some(digest));
                Ok(())
            })
        }
    })
}

/// Sets the policy for requests that name none, or name this one
/// (`TS_RESP_CTX_set_def_policy`), from a dotted OID or an object name.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_def_policy(
    ctx: *mut tsrs_resp_ctx,
    policy: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let oid = resolve(unsafe { text(policy, "policy") }?)?;
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.set_default_policy(oid);
                Ok(())
            })
        }
    })
}

/// Adds a policy that requests may ask for (`TS_RESP_CTX_add_policy`), from
/// a dotted OID or an object name.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_add_policy(
    ctx: *mut tsrs_resp_ctx,
    policy: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let oid = resolve(unsafe { text(policy, "policy") }?)?;
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.add_policy(oid);
                Ok(())
            })
        }
    })
}

/// Adds a digest that request imprints may use, by name
/// (`TS_RESP_CTX_add_md`).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_add_md(
    ctx: *mut tsrs_resp_ctx,
    digest_name: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let digest = unsafe { digest_arg(digest_name, "digest_name") }?;
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.add_digest(digest);
                Ok(())
            })
        }
    })
}

/// Sets the accuracy written into tokens (`TS_RESP_CTX_set_accuracy`). A
/// part that is 0 is left out, so tokens state no accuracy when all three
/// are 0. As in OpenSSL, the values are not range-checked.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_accuracy(
    ctx: *mut tsrs_resp_ctx,
    seconds: c_int,
    millis: c_int,
    micros: c_int,
) -> c_int {
    let accuracy = AccuracySetting {
        seconds: i64::from(seconds),
        millis: i64::from(millis),
        micros: i64::from(micros),
    };
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.set_accuracy(accuracy);
                Ok(())
            })
        }
    })
}

/// Sets the number of fraction digits in genTime, from 0 (the default) to
/// `TSRS_MAX_CLOCK_PRECISION_DIGITS` (`TS_RESP_CTX_set_clock_precision_digits`).
/// The fraction is truncated, and trailing zeros are dropped.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_clock_precision_digits(
    ctx: *mut tsrs_resp_ctx,
    digits: c_uint,
) -> c_int {
    guard_int(|| {
        let digits = u8::try_from(digits).map_err(|_| {
            Error::new(
                Reason::InvalidArgument,
                format!("clock precision of {digits} digits is above the maximum of 6"),
            )
        })?;
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe { with_ctx(ctx, |ctx| ctx.set_clock_precision_digits(digits)) }
    })
}

/// Turns on `TSRS_TSA_NAME`, `TSRS_ORDERING` and `TSRS_ESS_CERT_ID_CHAIN`
/// (`TS_RESP_CTX_add_flags`). Flags already on stay on. Fails with
/// `TSRS_R_INVALID_ARGUMENT` for any other bit.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_add_flags(ctx: *mut tsrs_resp_ctx, flags: c_int) -> c_int {
    guard_int(|| {
        let known = TSRS_TSA_NAME | TSRS_ORDERING | TSRS_ESS_CERT_ID_CHAIN;
        if flags & !known != 0 {
            return Err(Error::new(
                Reason::InvalidArgument,
                format!(
                    "unknown response context flags 0x{:x}; the known flags are 0x{known:x}",
                    flags & !known
                ),
            ));
        }
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                if flags & TSRS_TSA_NAME != 0 {
                    ctx.set_tsa_name(true);
                }
                if flags & TSRS_ORDERING != 0 {
                    ctx.set_ordering(true);
                }
                if flags & TSRS_ESS_CERT_ID_CHAIN != 0 {
                    ctx.set_ess_cert_id_chain(true);
                }
                Ok(())
            })
        }
    })
}

/// Sets the serial number source (`TS_RESP_CTX_set_serial_cb`): `callback`
/// is called with `data` once for each request that gets as far as the
/// TSTInfo. `data` may be NULL; the context only passes it on and never
/// frees it. A context shared between threads calls `callback` from those
/// threads, so it must then be thread-safe.
///
/// # Safety
///
/// `ctx` must be NULL or a live context that no other thread uses;
/// `callback` must be NULL or a function of the `tsrs_serial_cb` type that
/// stays callable, with `data`, for the life of the context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_serial_cb(
    ctx: *mut tsrs_resp_ctx,
    callback: tsrs_serial_cb,
    data: *mut c_void,
) -> c_int {
    guard_int(|| {
        let callback = callback.ok_or_else(|| null_callback("callback"))?;
        let source = Arc::new(SerialCallback { callback, data });
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.set_serial_source(source);
                Ok(())
            })
        }
    })
}

/// Sets the time source (`TS_RESP_CTX_set_time_cb`): `callback` is called
/// with `data` for genTime and again for the signingTime attribute. `data`
/// may be NULL; the context only passes it on and never frees it. A context
/// shared between threads calls `callback` from those threads, so it must
/// then be thread-safe.
///
/// # Safety
///
/// `ctx` must be NULL or a live context that no other thread uses;
/// `callback` must be NULL or a function of the `tsrs_time_cb` type that
/// stays callable, with `data`, for the life of the context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_ctx_set_time_cb(
    ctx: *mut tsrs_resp_ctx,
    callback: tsrs_time_cb,
    data: *mut c_void,
) -> c_int {
    guard_int(|| {
        let callback = callback.ok_or_else(|| null_callback("callback"))?;
        let source = Arc::new(TimeCallback { callback, data });
        // SAFETY: the caller promises a live, unshared context or NULL.
        unsafe {
            with_ctx(ctx, |ctx| {
                ctx.set_time_source(source);
                Ok(())
            })
        }
    })
}

fn null_callback(name: &str) -> Error {
    Error::new(
        Reason::NullPointer,
        format!("invalid null pointer: argument {name} is NULL"),
    )
}

/// Creates the response to `len` bytes of DER or BER request
/// (`TS_RESP_create_response`).
/// Returns a new response that the caller frees with `tsrs_resp_free`: a
/// granted one with a signed token, or a rejection with OpenSSL's status
/// text and failure bit (a request that does not decode, an unaccepted
/// digest or policy, a failed callback, a missing signer...). For a
/// rejection, one entry on the error queue says why. Returns NULL only when
/// `ctx` is NULL, `req` is NULL with a non-zero `len`, or memory runs out.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_create_response(
    ctx: *const tsrs_resp_ctx,
    req: *const u8,
    len: usize,
) -> *mut tsrs_resp {
    guard_new(|| {
        // SAFETY: the caller promises a live context or NULL, and `len` bytes.
        let (context, request) = unsafe { (borrow(ctx, "ctx")?, bytes(req, len, "req")?) };
        let generated = super::responder_callbacks::create_response(ctx, context, request);
        if let Some(cause) = generated.errors.first() {
            error::push(cause);
        }
        Ok(generated.response)
    })
}
