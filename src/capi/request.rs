//! Requests and message imprints: `TS_REQ` and `TS_MSG_IMPRINT`.

use std::ffi::{c_char, c_int, c_long};

use der::asn1::OctetString;

use super::objects::{resolve, with_objects};
use super::util::{
    Castable, OwnershipBox, borrow, borrow_mut, bytes, free_box, guard_int, guard_new, guard_ref,
    non_empty_bytes, optional_text, text, write_borrowed, write_buffer, write_optional_buffer,
    write_value,
};
use super::values::{int_from_long, int_from_magnitude, int_to_long, magnitude, oid_text};
use crate::asn1::tsp::{MessageImprint, TimeStampReq};
use crate::digest::DigestAlgorithm;
use crate::error::Error;
use crate::print;
use crate::request::RequestOptions;

/// A time-stamp request (`TS_REQ`). Created by `tsrs_req_new`,
/// `tsrs_req_dup`, `tsrs_req_from_der` or `tsrs_req_create`; the caller owns
/// it and frees it with `tsrs_req_free`.
pub struct tsrs_req {
    _private: [u8; 0],
}

impl Castable for tsrs_req {
    type Ownership = OwnershipBox;
    type RustType = TimeStampReq;
}

/// A message imprint: a digest algorithm and a digest (`TS_MSG_IMPRINT`).
/// One from `tsrs_msg_imprint_new` or `tsrs_msg_imprint_dup` is owned by the
/// caller and freed with `tsrs_msg_imprint_free`. One from a `get` function
/// is borrowed from its request or TSTInfo and must not be freed.
pub struct tsrs_msg_imprint {
    _private: [u8; 0],
}

impl Castable for tsrs_msg_imprint {
    type Ownership = OwnershipBox;
    type RustType = MessageImprint;
}

/// Returns an imprint with the given algorithm and no digest yet.
fn empty_imprint(algorithm: DigestAlgorithm) -> crate::Result<MessageImprint> {
    Ok(MessageImprint {
        hash_algorithm: MessageImprint::hash_algorithm_for(algorithm)?,
        hashed_message: OctetString::new(Vec::new())
            .expect("an empty OCTET STRING is always valid"),
    })
}

fn digest_by_name(name: &str) -> crate::Result<DigestAlgorithm> {
    DigestAlgorithm::from_name_or_err(name)
}

/// Creates a request with version 1, an empty SHA-256 imprint (set one with
/// `tsrs_req_set_msg_imprint`), no policy, no nonce and certReq false.
/// Returns NULL only when memory runs out. Free it with `tsrs_req_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_req_new() -> *mut tsrs_req {
    guard_new(|| {
        Ok(TimeStampReq {
            version: crate::asn1::int_from_u64(1),
            message_imprint: empty_imprint(DigestAlgorithm::Sha256)?,
            req_policy: None,
            nonce: None,
            cert_req: false,
            extensions: None,
        })
    })
}

/// Frees a request. NULL is ignored.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_free(req: *mut tsrs_req) {
    // SAFETY: the caller promises an owned request or NULL.
    unsafe { free_box(req) }
}

/// Copies a request. Returns a new request that the caller frees with
/// `tsrs_req_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_dup(req: *const tsrs_req) -> *mut tsrs_req {
    // SAFETY: the caller promises a live request or NULL.
    guard_new(|| unsafe { borrow(req, "req") }.cloned())
}

/// Decodes a request from `len` bytes of DER or BER. Returns a new request
/// that the caller frees with `tsrs_req_free`, or NULL when the bytes are
/// not a request.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_from_der(der: *const u8, len: usize) -> *mut tsrs_req {
    guard_new(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let input = unsafe { non_empty_bytes(der, len, "der") }?;
        TimeStampReq::from_ber(input)
    })
}

/// Encodes a request as DER into a new buffer: `*der` receives the buffer and
/// `*der_len` its length. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_to_der(
    req: *const tsrs_req,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live request or NULL.
        let req = unsafe { borrow(req, "req") }?;
        let encoded = req.to_der()?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(der, der_len, &encoded) }
    })
}

/// Writes the request as `openssl ts -query -text` prints it
/// (`TS_REQ_print_bio`) into a new
/// NUL-terminated buffer: `*text` receives the buffer and `*text_len` its
/// length without the NUL. The caller frees the buffer with `tsrs_free`.
/// Object names added with `tsrs_obj_create` are used.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_print(
    req: *const tsrs_req,
    text: *mut *mut c_char,
    text_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live request or NULL.
        let req = unsafe { borrow(req, "req") }?;
        let mut out = Vec::new();
        with_objects(|objects| print::print_request(&mut out, req, objects));
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(text, text_len, &out) }
    })
}

/// Builds a request for `len` bytes of `data`, as `openssl ts -query` does.
/// The imprint is the digest named `digest_name` (`"sha256"`, `"SHA512"`,
/// ...) of the data. `policy` is a dotted OID or an object name, or NULL for
/// none. A non-zero `with_nonce` adds a random 64-bit nonce, and a non-zero
/// `cert_req` sets certReq. `data` may be NULL when `len` is 0. Returns a new
/// request that the caller frees with `tsrs_req_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_create(
    digest_name: *const c_char,
    data: *const u8,
    len: usize,
    policy: *const c_char,
    with_nonce: c_int,
    cert_req: c_int,
) -> *mut tsrs_req {
    guard_new(|| {
        // SAFETY: the caller promises a string, `len` bytes and an optional string.
        let (digest_name, data, policy) = unsafe {
            (
                text(digest_name, "digest_name")?,
                bytes(data, len, "data")?,
                optional_text(policy, "policy")?,
            )
        };
        let algorithm = digest_by_name(digest_name)?;
        algorithm.ensure_provided()?;
        let imprint = MessageImprint::from_digest(algorithm, &algorithm.digest(data))?;
        let options = RequestOptions {
            policy: policy.map(resolve).transpose()?,
            nonce: with_nonce != 0,
            cert_req: cert_req != 0,
        };
        TimeStampReq::new(imprint, &options)
    })
}

/// Sets the request's version (`TS_REQ_set_version`); RFC 3161 defines only version 1.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_set_version(req: *mut tsrs_req, version: c_long) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared request or NULL.
        let req = unsafe { borrow_mut(req, "req") }?;
        req.version = int_from_long(version)?;
        Ok(())
    })
}

/// Writes the request's version to `*version`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_get_version(req: *const tsrs_req, version: *mut c_long) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live request or NULL.
        let req = unsafe { borrow(req, "req") }?;
        let value = int_to_long(&req.version, "request version")?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(version, "version", value) }
    })
}

/// Copies `imprint` into the request (`TS_REQ_set_msg_imprint`). The caller
/// keeps ownership of `imprint`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_set_msg_imprint(
    req: *mut tsrs_req,
    imprint: *const tsrs_msg_imprint,
) -> c_int {
    guard_int(|| {
        // The copy is made before the request is borrowed mutably, because
        // `imprint` may be the request's own (from tsrs_req_get_msg_imprint).
        // SAFETY: the caller promises a live imprint or NULL.
        let imprint = unsafe { borrow(imprint, "imprint") }?.clone();
        // SAFETY: the caller promises a live, unshared request or NULL.
        let req = unsafe { borrow_mut(req, "req") }?;
        req.message_imprint = imprint;
        Ok(())
    })
}

/// Returns the request's imprint, borrowed: it is valid until the request
/// is freed or its imprint is set again, and must not be freed. Returns NULL
/// only when `req` is NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_get_msg_imprint(req: *const tsrs_req) -> *const tsrs_msg_imprint {
    // SAFETY: the caller promises a live request or NULL.
    guard_ref(|| Ok(&unsafe { borrow(req, "req") }?.message_imprint))
}

/// Sets the requested policy (`TS_REQ_set_policy_id`) from a dotted OID or
/// an object name such as one added with `tsrs_obj_create`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_set_policy_id(
    req: *mut tsrs_req,
    policy: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let oid = resolve(unsafe { text(policy, "policy") }?)?;
        // SAFETY: the caller promises a live, unshared request or NULL.
        let req = unsafe { borrow_mut(req, "req") }?;
        req.req_policy = Some(oid);
        Ok(())
    })
}

/// Writes the requested policy as a dotted OID into a new NUL-terminated
/// buffer: `*policy` receives the buffer (NULL when the request names no
/// policy) and `*policy_len` its length. The caller frees the buffer with
/// `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_get_policy_id(
    req: *const tsrs_req,
    policy: *mut *mut c_char,
    policy_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live request or NULL.
        let req = unsafe { borrow(req, "req") }?;
        let dotted = req.req_policy.clone().map(oid_text);
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_optional_buffer(policy, policy_len, dotted.as_deref()) }
    })
}

/// Sets the nonce (`TS_REQ_set_nonce`) from `len` big-endian bytes of an
/// unsigned number; leading zero bytes are ignored. `len` must not be 0.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_set_nonce(
    req: *mut tsrs_req,
    nonce: *const u8,
    len: usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let value = int_from_magnitude(unsafe { non_empty_bytes(nonce, len, "nonce") }?)?;
        // SAFETY: the caller promises a live, unshared request or NULL.
        let req = unsafe { borrow_mut(req, "req") }?;
        req.nonce = Some(value);
        Ok(())
    })
}

/// Lends the nonce as big-endian unsigned bytes without leading zeros:
/// `*nonce` receives a pointer into the request (NULL when it has no nonce),
/// valid until the request is freed or changed, and `*nonce_len` the length.
/// Fails for a negative nonce.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_get_nonce(
    req: *const tsrs_req,
    nonce: *mut *const u8,
    nonce_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live request or NULL.
        let req = unsafe { borrow(req, "req") }?;
        let value = req
            .nonce
            .as_ref()
            .map(|n| magnitude(n, "request nonce"))
            .transpose()?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_borrowed(nonce, nonce_len, value) }
    })
}

/// Sets certReq (`TS_REQ_set_cert_req`): non-zero requests the TSA's
/// certificate in the token.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_set_cert_req(req: *mut tsrs_req, cert_req: c_int) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared request or NULL.
        let req = unsafe { borrow_mut(req, "req") }?;
        req.cert_req = cert_req != 0;
        Ok(())
    })
}

/// Writes certReq to `*cert_req`: 1 or 0.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_get_cert_req(
    req: *const tsrs_req,
    cert_req: *mut c_int,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live request or NULL.
        let req = unsafe { borrow(req, "req") }?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(cert_req, "cert_req", c_int::from(req.cert_req)) }
    })
}

/// Creates an imprint with the algorithm SHA-256 and an empty digest; set
/// them with `tsrs_msg_imprint_set_algo` and `tsrs_msg_imprint_set_msg`.
/// Returns NULL only when memory runs out. Free it with
/// `tsrs_msg_imprint_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_msg_imprint_new() -> *mut tsrs_msg_imprint {
    guard_new(|| empty_imprint(DigestAlgorithm::Sha256))
}

/// Frees an imprint from `tsrs_msg_imprint_new` or `tsrs_msg_imprint_dup`.
/// NULL is ignored. Never pass a borrowed imprint from a `get` function.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_msg_imprint_free(imprint: *mut tsrs_msg_imprint) {
    // SAFETY: the caller promises an owned imprint or NULL.
    unsafe { free_box(imprint) }
}

/// Copies an imprint, owned or borrowed. Returns a new imprint that the
/// caller frees with `tsrs_msg_imprint_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_msg_imprint_dup(
    imprint: *const tsrs_msg_imprint,
) -> *mut tsrs_msg_imprint {
    // SAFETY: the caller promises a live imprint or NULL.
    guard_new(|| unsafe { borrow(imprint, "imprint") }.cloned())
}

/// Sets the digest algorithm by name (`"sha256"`, `"SHA384"`, a dotted OID),
/// with NULL parameters as OpenSSL writes them. The digest is not changed.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_msg_imprint_set_algo(
    imprint: *mut tsrs_msg_imprint,
    digest_name: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let algorithm = digest_by_name(unsafe { text(digest_name, "digest_name") }?)?;
        // SAFETY: the caller promises a live, unshared imprint or NULL.
        let imprint = unsafe { borrow_mut(imprint, "imprint") }?;
        imprint.hash_algorithm = MessageImprint::hash_algorithm_for(algorithm)?;
        Ok(())
    })
}

/// Writes the digest algorithm as a dotted OID into a new NUL-terminated
/// buffer: `*algo` receives the buffer and `*algo_len` its length. The
/// caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_msg_imprint_get_algo(
    imprint: *const tsrs_msg_imprint,
    algo: *mut *mut c_char,
    algo_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live imprint or NULL.
        let imprint = unsafe { borrow(imprint, "imprint") }?;
        let dotted = oid_text(imprint.hash_algorithm.oid.clone());
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(algo, algo_len, &dotted) }
    })
}

/// Copies `len` bytes of digest into the imprint (`TS_MSG_IMPRINT_set_msg`).
/// The length is not checked against the algorithm, as in OpenSSL; a TSA
/// rejects a mismatch with "Bad message digest.". `len` must not be 0.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_msg_imprint_set_msg(
    imprint: *mut tsrs_msg_imprint,
    msg: *const u8,
    len: usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let digest = unsafe { non_empty_bytes(msg, len, "msg") }?.to_vec();
        let digest =
            OctetString::new(digest).map_err(|e| Error::encode("message imprint digest", e))?;
        // SAFETY: the caller promises a live, unshared imprint or NULL.
        let imprint = unsafe { borrow_mut(imprint, "imprint") }?;
        imprint.hashed_message = digest;
        Ok(())
    })
}

/// Lends the digest: `*msg` receives a pointer into the imprint, valid until
/// the imprint (or the request or response it belongs to) is freed or
/// changed, and `*msg_len` its length.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_msg_imprint_get_msg(
    imprint: *const tsrs_msg_imprint,
    msg: *mut *const u8,
    msg_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live imprint or NULL.
        let imprint = unsafe { borrow(imprint, "imprint") }?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_borrowed(msg, msg_len, Some(imprint.hashed_message.as_bytes())) }
    })
}
