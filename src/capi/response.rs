//! Responses and what they contain: `TS_RESP`, `TS_STATUS_INFO`,
//! `TS_TST_INFO` and `TS_ACCURACY`.

use std::ffi::{c_char, c_int, c_long};

use der::asn1::Int;

use super::objects::with_objects;
use super::request::tsrs_msg_imprint;
use super::util::{
    Castable, OwnershipBox, borrow, check_out, free_box, guard_int, guard_new, guard_ref,
    non_empty_bytes, to_ref, write_borrowed, write_buffer, write_optional_buffer, write_value,
};
use super::values::{int_to_long, magnitude, oid_text};
use crate::asn1::cms::TimeStampToken;
use crate::asn1::tsp::{Accuracy, PkiStatusInfo, TstInfo, bit_is_set};
use crate::error::{Error, Reason, Result};
use crate::print;
use crate::response::Response;

/// A time-stamp response (`TS_RESP`), a rejection or a granted response with
/// its token. Created by `tsrs_resp_from_der`, `tsrs_resp_from_token_der`,
/// `tsrs_resp_dup` or `tsrs_resp_create_response`; the caller owns it and
/// frees it with `tsrs_resp_free`.
pub struct tsrs_resp {
    _private: [u8; 0],
}

impl Castable for tsrs_resp {
    type Ownership = OwnershipBox;
    type RustType = Response;
}

/// The status of a response (`TS_STATUS_INFO`): status, texts and failure
/// bits. Borrowed from its response (`tsrs_resp_get_status_info`), or
/// created by `tsrs_status_info_new`, `_dup` or `_from_der`, which the caller
/// frees with `tsrs_status_info_free`.
pub struct tsrs_status_info {
    _private: [u8; 0],
}

impl Castable for tsrs_status_info {
    type Ownership = OwnershipBox;
    type RustType = PkiStatusInfo;
}

/// The signed content of a token (`TS_TST_INFO`). Borrowed from its
/// response (`tsrs_resp_get_tst_info`), or created by `tsrs_tst_info_new`,
/// `_dup` or `_from_der`, which the caller frees with `tsrs_tst_info_free`.
pub struct tsrs_tst_info {
    _private: [u8; 0],
}

impl Castable for tsrs_tst_info {
    type Ownership = OwnershipBox;
    type RustType = TstInfo;
}

/// The accuracy of a token's time (`TS_ACCURACY`). Borrowed from its
/// TSTInfo (`tsrs_tst_info_get_accuracy`), or created by
/// `tsrs_accuracy_new`, `_dup` or `_from_der`, which the caller frees with
/// `tsrs_accuracy_free`.
pub struct tsrs_accuracy {
    _private: [u8; 0],
}

impl Castable for tsrs_accuracy {
    type Ownership = OwnershipBox;
    type RustType = Accuracy;
}

/// Decodes a response from `len` bytes of DER or BER. As OpenSSL's decoder,
/// this rejects a granted status without a token, a rejection with a token
/// and a token whose TSTInfo does not decode. Returns a new response that the
/// caller frees with `tsrs_resp_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_from_der(der: *const u8, len: usize) -> *mut tsrs_resp {
    guard_new(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let input = unsafe { non_empty_bytes(der, len, "der") }?;
        Response::from_ber(input)
    })
}

/// Decodes a bare token (a CMS ContentInfo) from `len` bytes of DER or BER
/// and wraps it in a granted response with no status text, as
/// `openssl ts -reply -token_in` does. Returns a new response that the
/// caller frees with `tsrs_resp_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_from_token_der(der: *const u8, len: usize) -> *mut tsrs_resp {
    guard_new(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let input = unsafe { non_empty_bytes(der, len, "der") }?;
        Response::from_token(TimeStampToken::from_ber(input)?)
    })
}

/// Frees a response. NULL is ignored. Borrowed pointers from its `get`
/// functions become invalid.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_free(resp: *mut tsrs_resp) {
    // SAFETY: the caller promises an owned response or NULL.
    unsafe { free_box(resp) }
}

/// Copies a response. Returns a new response that the caller frees with
/// `tsrs_resp_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_dup(resp: *const tsrs_resp) -> *mut tsrs_resp {
    // SAFETY: the caller promises a live response or NULL.
    guard_new(|| unsafe { borrow(resp, "resp") }.cloned())
}

/// Encodes a response as DER into a new buffer: `*der` receives the buffer
/// and `*der_len` its length. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_to_der(
    resp: *const tsrs_resp,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live response or NULL.
        let resp = unsafe { borrow(resp, "resp") }?;
        let encoded = resp.to_der()?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(der, der_len, &encoded) }
    })
}

/// Encodes the response's token (the CMS ContentInfo) as DER into a new
/// buffer (`TS_RESP_get_token`), as `openssl ts -reply -token_out` writes it: `*der` receives the
/// buffer and `*der_len` its length. The caller frees the buffer with
/// `tsrs_free`. Fails with `TSRS_R_NO_TIME_STAMP_TOKEN` for a response
/// without a token.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_get_token_der(
    resp: *const tsrs_resp,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live response or NULL.
        let resp = unsafe { borrow(resp, "resp") }?;
        let token = resp.token.as_ref().ok_or_else(no_token)?;
        let encoded = token.to_der()?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(der, der_len, &encoded) }
    })
}

fn no_token() -> Error {
    Error::new(
        Reason::NoTimeStampToken,
        "the response has no time-stamp token: its status is not granted",
    )
}

/// Writes the response as `openssl ts -reply -text` prints it
/// (`TS_RESP_print_bio`) into a new
/// NUL-terminated buffer: `*text` receives the buffer and `*text_len` its
/// length without the NUL. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_print(
    resp: *const tsrs_resp,
    text: *mut *mut c_char,
    text_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live response or NULL.
        let resp = unsafe { borrow(resp, "resp") }?;
        let mut out = Vec::new();
        with_objects(|objects| {
            print::print_response(&mut out, &resp.resp, resp.tst_info(), objects);
        });
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(text, text_len, &out) }
    })
}

/// Returns the response's status, borrowed: valid until the response is
/// freed. Returns NULL only when `resp` is NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_get_status_info(
    resp: *const tsrs_resp,
) -> *const tsrs_status_info {
    // SAFETY: the caller promises a live response or NULL.
    guard_ref(|| Ok(&unsafe { borrow(resp, "resp") }?.resp.status))
}

/// Returns the TSTInfo of the response's token, borrowed: valid until the
/// response is freed. Returns NULL, with `TSRS_R_NO_TIME_STAMP_TOKEN` on the
/// error queue, for a response without a token.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_get_tst_info(resp: *const tsrs_resp) -> *const tsrs_tst_info {
    guard_ref(|| {
        // SAFETY: the caller promises a live response or NULL.
        let resp = unsafe { borrow(resp, "resp") }?;
        resp.tst_info().ok_or_else(no_token)
    })
}

/// Writes the status as `TS_STATUS_INFO_print_bio` prints it into a new
/// NUL-terminated buffer: `*text` receives the buffer and `*text_len` its
/// length without the NUL. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_print(
    status: *const tsrs_status_info,
    text: *mut *mut c_char,
    text_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live status or NULL.
        let status = unsafe { borrow(status, "status") }?;
        let mut out = Vec::new();
        print::print_status_info(&mut out, status);
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(text, text_len, &out) }
    })
}

/// Writes the PKIStatus (`TS_STATUS_INFO_get0_status`) to `*value`: one of the `TSRS_STATUS_*` values, or
/// another number a TSA sent.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_get_status(
    status: *const tsrs_status_info,
    value: *mut c_long,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live status or NULL.
        let status = unsafe { borrow(status, "status") }?;
        let number = int_to_long(&status.status, "status")?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(value, "value", number) }
    })
}

/// Writes the number of status texts (the UTF8Strings of PKIFreeText) to
/// `*count`; 0 when there is none.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_get_text_count(
    status: *const tsrs_status_info,
    count: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live status or NULL.
        let status = unsafe { borrow(status, "status") }?;
        let texts = status.status_string.as_deref().unwrap_or_default();
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(count, "count", texts.len()) }
    })
}

/// Writes status text number `index` (from 0; `TS_STATUS_INFO_get0_text`) into a new NUL-terminated
/// buffer, as the response carries it (normally UTF-8): `*text` receives the
/// buffer and `*text_len` its length without the NUL. The caller frees the
/// buffer with `tsrs_free`. Fails with `TSRS_R_INVALID_ARGUMENT` when
/// `index` is not below the count.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_get_text(
    status: *const tsrs_status_info,
    index: usize,
    text: *mut *mut c_char,
    text_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live status or NULL.
        let status = unsafe { borrow(status, "status") }?;
        let texts = status.status_string.as_deref().unwrap_or_default();
        let entry = texts.get(index).ok_or_else(|| {
            Error::new(
                Reason::InvalidArgument,
                format!(
                    "status text index {index} is out of range: the status has {} texts",
                    texts.len()
                ),
            )
        })?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(text, text_len, &entry.0) }
    })
}

/// Writes the failure bits (`TS_STATUS_INFO_get0_failure_info`) to `*bits`: bit `n` (`1u << n`) is set when
/// failure bit `n` is, with `n` one of the `TSRS_INFO_*` numbers; 0 when
/// the status has no failure info. Bits 32 and above are not reported.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_get_failure_info(
    status: *const tsrs_status_info,
    bits: *mut u32,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live status or NULL.
        let status = unsafe { borrow(status, "status") }?;
        let mask = match &status.fail_info {
            Some(fail_info) => (0..32)
                .filter(|bit| bit_is_set(fail_info, *bit))
                .fold(0u32, |mask, bit| mask | (1 << bit)),
            None => 0,
        };
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(bits, "bits", mask) }
    })
}

/// Writes the TSTInfo as `openssl ts -reply -token_out -text` prints it
/// (`TS_TST_INFO_print_bio`) into
/// a new NUL-terminated buffer: `*text` receives the buffer and `*text_len`
/// its length without the NUL. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_print(
    tst_info: *const tsrs_tst_info,
    text: *mut *mut c_char,
    text_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live TSTInfo or NULL.
        let tst_info = unsafe { borrow(tst_info, "tst_info") }?;
        let mut out = Vec::new();
        with_objects(|objects| print::print_tst_info(&mut out, tst_info, objects));
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(text, text_len, &out) }
    })
}

/// Writes the TSTInfo version to `*version`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_version(
    tst_info: *const tsrs_tst_info,
    version: *mut c_long,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live TSTInfo or NULL.
        let tst_info = unsafe { borrow(tst_info, "tst_info") }?;
        let value = int_to_long(&tst_info.version, "TSTInfo version")?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(version, "version", value) }
    })
}

/// Writes the policy as a dotted OID into a new NUL-terminated buffer:
/// `*policy` receives the buffer and `*policy_len` its length. The caller
/// frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_policy_id(
    tst_info: *const tsrs_tst_info,
    policy: *mut *mut c_char,
    policy_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live TSTInfo or NULL.
        let tst_info = unsafe { borrow(tst_info, "tst_info") }?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(policy, policy_len, &oid_text(tst_info.policy.clone())) }
    })
}

/// Returns the token's imprint, borrowed: valid until the response is freed.
/// Returns NULL only when `tst_info` is NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_msg_imprint(
    tst_info: *const tsrs_tst_info,
) -> *const tsrs_msg_imprint {
    // SAFETY: the caller promises a live TSTInfo or NULL.
    guard_ref(|| Ok(&unsafe { borrow(tst_info, "tst_info") }?.message_imprint))
}

/// Lends the serial number as big-endian unsigned bytes without leading
/// zeros: `*serial` receives a pointer into the response, valid until it is
/// freed, and `*serial_len` the length. Fails for a negative serial number.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_serial(
    tst_info: *const tsrs_tst_info,
    serial: *mut *const u8,
    serial_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live TSTInfo or NULL.
        let tst_info = unsafe { borrow(tst_info, "tst_info") }?;
        let value = magnitude(&tst_info.serial_number, "serial number")?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_borrowed(serial, serial_len, Some(value)) }
    })
}

/// Writes genTime as the token encodes it (`20240102030405.185Z`) into a
/// new NUL-terminated buffer: `*time` receives the buffer and `*time_len`
/// its length. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_time(
    tst_info: *const tsrs_tst_info,
    time: *mut *mut c_char,
    time_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live TSTInfo or NULL.
        let tst_info = unsafe { borrow(tst_info, "tst_info") }?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(time, time_len, tst_info.gen_time.as_bytes()) }
    })
}

/// Writes genTime as seconds since the Unix epoch to `*seconds` and its
/// fraction, truncated to microseconds, to `*microseconds`. Fails with
/// `TSRS_R_TIME` when genTime is not a valid `YYYYMMDDHHMMSS[.f]Z` time.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_time_unix(
    tst_info: *const tsrs_tst_info,
    seconds: *mut i64,
    microseconds: *mut u32,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live TSTInfo or NULL.
        let tst_info = unsafe { borrow(tst_info, "tst_info") }?;
        check_out(seconds, "seconds")?;
        check_out(microseconds, "microseconds")?;
        let (whole, micros) = unix_time(&tst_info.gen_time)?;
        // SAFETY: both checked; the caller promises they are writable.
        unsafe {
            write_value(seconds, "seconds", whole)?;
            write_value(microseconds, "microseconds", micros)
        }
    })
}

fn unix_time(time: &crate::asn1::GenTime) -> Result<(i64, u32)> {
    let invalid = || {
        Error::new(
            Reason::Time,
            format!(
                "genTime {:?} is not a valid YYYYMMDDHHMMSS[.f]Z time",
                String::from_utf8_lossy(time.as_bytes())
            ),
        )
    };
    let parts = time.parts().ok_or_else(invalid)?;
    let seconds = time.unix_seconds().ok_or_else(invalid)?;
    let digits: String = parts
        .fraction
        .chars()
        .chain("000000".chars())
        .take(6)
        .collect();
    let micros = digits.parse::<u32>().map_err(|_| invalid())?;
    Ok((seconds, micros))
}

/// Lends the accuracy: `*accuracy` receives a pointer into the response,
/// valid until it is freed, or NULL when the token states no accuracy.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_accuracy(
    tst_info: *const tsrs_tst_info,
    accuracy: *mut *const tsrs_accuracy,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live TSTInfo or NULL.
        let tst_info = unsafe { borrow(tst_info, "tst_info") }?;
        let value = match &tst_info.accuracy {
            Some(value) => to_ref(value),
            None => std::ptr::null(),
        };
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(accuracy, "accuracy", value) }
    })
}

fn accuracy_part(part: Option<&Int>, field: &str) -> Result<c_long> {
    part.map_or(Ok(0), |value| int_to_long(value, field))
}

/// Writes the accuracy's seconds to `*seconds`; 0 when absent.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_accuracy_get_seconds(
    accuracy: *const tsrs_accuracy,
    seconds: *mut c_long,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live accuracy or NULL.
        let accuracy = unsafe { borrow(accuracy, "accuracy") }?;
        let value = accuracy_part(accuracy.seconds.as_ref(), "accuracy seconds")?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(seconds, "seconds", value) }
    })
}

/// Writes the accuracy's milliseconds to `*millis`; 0 when absent.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_accuracy_get_millis(
    accuracy: *const tsrs_accuracy,
    millis: *mut c_long,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live accuracy or NULL.
        let accuracy = unsafe { borrow(accuracy, "accuracy") }?;
        let value = accuracy_part(accuracy.millis.as_ref(), "accuracy milliseconds")?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(millis, "millis", value) }
    })
}

/// Writes the accuracy's microseconds to `*micros`; 0 when absent.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_accuracy_get_micros(
    accuracy: *const tsrs_accuracy,
    micros: *mut c_long,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live accuracy or NULL.
        let accuracy = unsafe { borrow(accuracy, "accuracy") }?;
        let value = accuracy_part(accuracy.micros.as_ref(), "accuracy microseconds")?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(micros, "micros", value) }
    })
}

/// Writes the ordering field to `*ordering`: 1 or 0.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_ordering(
    tst_info: *const tsrs_tst_info,
    ordering: *mut c_int,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live TSTInfo or NULL.
        let tst_info = unsafe { borrow(tst_info, "tst_info") }?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(ordering, "ordering", c_int::from(tst_info.ordering)) }
    })
}

/// Lends the nonce as big-endian unsigned bytes without leading zeros:
/// `*nonce` receives a pointer into the response (NULL when the token has
/// no nonce), valid until it is freed, and `*nonce_len` the length. Fails
/// for a negative nonce.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_nonce(
    tst_info: *const tsrs_tst_info,
    nonce: *mut *const u8,
    nonce_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live TSTInfo or NULL.
        let tst_info = unsafe { borrow(tst_info, "tst_info") }?;
        let value = tst_info
            .nonce
            .as_ref()
            .map(|n| magnitude(n, "TSTInfo nonce"))
            .transpose()?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_borrowed(nonce, nonce_len, value) }
    })
}

/// Writes the TSA name as the `TSA:` line of `-text` shows it
/// (`DirName:/C=HU/CN=tsa1`, `DNS:tsa.example`) into a new NUL-terminated
/// buffer: `*name` receives the buffer (NULL when the token names no TSA)
/// and `*name_len` its length. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_tsa_name(
    tst_info: *const tsrs_tst_info,
    name: *mut *mut c_char,
    name_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live TSTInfo or NULL.
        let tst_info = unsafe { borrow(tst_info, "tst_info") }?;
        let text = tst_info.tsa.as_ref().map(|tsa| {
            let mut out = Vec::new();
            with_objects(|objects| print::print_general_name(&mut out, tsa, objects));
            out
        });
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_optional_buffer(name, name_len, text.as_deref()) }
    })
}
