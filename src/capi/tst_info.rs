//! Building and encoding TSTInfo, accuracy and message imprint values
//! (`TS_TST_INFO`, `TS_ACCURACY`, `TS_MSG_IMPRINT`) on their own, outside a
//! response.

use std::ffi::{c_char, c_int, c_long};

use super::der_handle::{bounded_bytes, copy_value, decode_value, encode_value};
use super::objects::{resolve, with_objects};
use super::request::tsrs_msg_imprint;
use super::response::{tsrs_accuracy, tsrs_tst_info};
use super::util::{
    borrow, borrow_mut, free_box, guard_int, guard_new, text, write_buffer, write_optional_buffer,
};
use super::values::{int_from_long, int_from_magnitude};
use crate::asn1::tsp::{Accuracy, MessageImprint, TstInfo};
use crate::asn1::{self, GenTime, GeneralName, Oid, int_from_u64};
use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Result};
use crate::print;

// ------------------------------------------------------------ TS_TST_INFO

/// Creates a TSTInfo with version 1, the policy 0.0, a SHA-256 imprint with
/// an empty digest, serial number 0, an empty genTime, no accuracy,
/// ordering false, no nonce, no TSA name and no extensions
/// (`TS_TST_INFO_new`). Set the policy, imprint, serial number and time
/// before encoding it: `tsrs_tst_info_to_der` fails while genTime is empty.
/// Returns NULL only when memory runs out. Free it with `tsrs_tst_info_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_tst_info_new() -> *mut tsrs_tst_info {
    guard_new(|| {
        let placeholder_policy = Oid::from_content(&[0])
            .ok_or_else(|| Error::new(Reason::Panic, "the OID 0.0 does not encode"))?;
        Ok(TstInfo {
            version: int_from_u64(1),
            policy: placeholder_policy,
            message_imprint: MessageImprint {
                hash_algorithm: MessageImprint::hash_algorithm_for(DigestAlgorithm::Sha256)?,
                hashed_message: der::asn1::OctetString::new(Vec::new())
                    .map_err(|e| Error::encode("message imprint", e))?,
            },
            serial_number: int_from_u64(0),
            gen_time: GenTime::from_bytes(Vec::new()),
            accuracy: None,
            ordering: false,
            nonce: None,
            tsa: None,
            extensions: None,
        })
    })
}

/// Frees a TSTInfo from `tsrs_tst_info_new`, `_dup` or `_from_der`
/// (`TS_TST_INFO_free`). NULL is ignored. Never pass one borrowed from a
/// response.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_free(tst_info: *mut tsrs_tst_info) {
    // SAFETY: the caller promises an owned handle or NULL.
    unsafe { free_box(tst_info) }
}

/// Copies a TSTInfo, owned or borrowed (`TS_TST_INFO_dup`). Returns a new
/// one that the caller frees with `tsrs_tst_info_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_dup(tst_info: *const tsrs_tst_info) -> *mut tsrs_tst_info {
    // SAFETY: the caller promises a live handle or NULL.
    guard_new(|| unsafe { copy_value(tst_info) })
}

/// Decodes a TSTInfo from `len` bytes of DER or BER (`d2i_TS_TST_INFO`), such
/// as the eContent of a token. Returns a new one that the caller frees with
/// `tsrs_tst_info_free`, or NULL with `TSRS_R_DECODE` (`TSRS_R_TOO_LARGE`
/// above 1 MiB).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_from_der(der: *const u8, len: usize) -> *mut tsrs_tst_info {
    // SAFETY: the caller promises `len` readable bytes.
    guard_new(|| unsafe { decode_value::<tsrs_tst_info>(der, len, "TSTInfo") })
}

/// Encodes a TSTInfo as DER into a new buffer (`i2d_TS_TST_INFO`): `*der`
/// receives the buffer and `*der_len` its length. The caller frees the
/// buffer with `tsrs_free`. Fails with `TSRS_R_MISSING` while genTime is
/// empty.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_to_der(
    tst_info: *const tsrs_tst_info,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        if unsafe { borrow(tst_info, "tst_info") }?
            .gen_time
            .as_bytes()
            .is_empty()
        {
            return Err(Error::new(
                Reason::Missing,
                "the TSTInfo has no genTime; set it with tsrs_tst_info_set_time",
            ));
        }
        // SAFETY: the caller promises a live handle and writable out-parameters.
        unsafe { encode_value(tst_info, der, der_len, "TSTInfo") }
    })
}

/// Runs `body` on a TSTInfo borrowed mutably, for the setters.
///
/// # Safety
///
/// `tst_info` must be NULL or a live TSTInfo that nothing else uses.
unsafe fn with_tst_info(
    tst_info: *mut tsrs_tst_info,
    body: impl FnOnce(&mut TstInfo) -> Result<()>,
) -> c_int {
    // SAFETY: forwarded from the caller.
    guard_int(|| body(unsafe { borrow_mut(tst_info, "tst_info") }?))
}

/// Sets the version (`TS_TST_INFO_set_version`); RFC 3161 defines only 1.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_set_version(
    tst_info: *mut tsrs_tst_info,
    version: c_long,
) -> c_int {
    // SAFETY: the caller promises a live, unshared TSTInfo or NULL.
    unsafe {
        with_tst_info(tst_info, |tst_info| {
            tst_info.version = int_from_long(version)?;
            Ok(())
        })
    }
}

/// Sets the policy from an object name or dotted OID
/// (`TS_TST_INFO_set_policy_id`). Fails with `TSRS_R_UNKNOWN_OBJECT` for a
/// name that is not known.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_set_policy_id(
    tst_info: *mut tsrs_tst_info,
    policy: *const c_char,
) -> c_int {
    // SAFETY: the caller promises a string or NULL.
    let policy = unsafe { text(policy, "policy") };
    // SAFETY: the caller promises a live, unshared TSTInfo or NULL.
    unsafe {
        with_tst_info(tst_info, |tst_info| {
            tst_info.policy = resolve(policy?)?;
            Ok(())
        })
    }
}

/// Sets the imprint to a copy of `imprint` (`TS_TST_INFO_set_msg_imprint`).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_set_msg_imprint(
    tst_info: *mut tsrs_tst_info,
    imprint: *const tsrs_msg_imprint,
) -> c_int {
    // SAFETY: the caller promises a live imprint or NULL.
    let imprint = unsafe { borrow(imprint, "imprint") };
    // SAFETY: the caller promises a live, unshared TSTInfo or NULL.
    unsafe {
        with_tst_info(tst_info, |tst_info| {
            tst_info.message_imprint = imprint?.clone();
            Ok(())
        })
    }
}

/// Sets the serial number from `len` (at least 1) big-endian unsigned bytes
/// (`TS_TST_INFO_set_serial`).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_set_serial(
    tst_info: *mut tsrs_tst_info,
    serial: *const u8,
    len: usize,
) -> c_int {
    // SAFETY: the caller promises `len` readable bytes.
    let serial = unsafe { non_empty_magnitude(serial, len, "serial") };
    // SAFETY: the caller promises a live, unshared TSTInfo or NULL.
    unsafe {
        with_tst_info(tst_info, |tst_info| {
            tst_info.serial_number = serial?;
            Ok(())
        })
    }
}

/// Reads an INTEGER from at least one big-endian unsigned byte.
///
/// # Safety
///
/// `ptr` must point to `len` readable bytes, or be NULL.
unsafe fn non_empty_magnitude(ptr: *const u8, len: usize, name: &str) -> Result<der::asn1::Int> {
    // SAFETY: forwarded from the caller.
    let value = unsafe { bounded_bytes(ptr, len, name) }?;
    if value.is_empty() {
        return Err(Error::new(
            Reason::InvalidArgument,
            format!("argument {name} is empty"),
        ));
    }
    int_from_magnitude(value)
}

/// Sets genTime from its text, `YYYYMMDDHHMMSS[.f]Z` with up to six
/// fraction digits and no trailing zero, as RFC 3161 requires
/// (`TS_TST_INFO_set_time`). Fails with `TSRS_R_TIME` for other text.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_set_time(
    tst_info: *mut tsrs_tst_info,
    time: *const c_char,
) -> c_int {
    // SAFETY: the caller promises a string or NULL.
    let time = unsafe { text(time, "time") };
    // SAFETY: the caller promises a live, unshared TSTInfo or NULL.
    unsafe {
        with_tst_info(tst_info, |tst_info| {
            tst_info.gen_time = parse_gen_time(time?)?;
            Ok(())
        })
    }
}

fn parse_gen_time(text: &str) -> Result<GenTime> {
    let value = GenTime::from_bytes(text.as_bytes().to_vec());
    let valid = value
        .parts()
        .is_some_and(|parts| parts.fraction.len() <= 6 && !parts.fraction.ends_with('0'))
        && value.unix_seconds().is_some();
    if !valid {
        return Err(Error::new(
            Reason::Time,
            format!("genTime {text:?} is not a valid YYYYMMDDHHMMSS[.f]Z time"),
        ));
    }
    Ok(value)
}

/// Sets the accuracy to a copy of `accuracy`, or removes it when `accuracy`
/// is NULL (`TS_TST_INFO_set_accuracy`).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_set_accuracy(
    tst_info: *mut tsrs_tst_info,
    accuracy: *const tsrs_accuracy,
) -> c_int {
    // SAFETY: the caller promises a live, unshared TSTInfo or NULL.
    unsafe {
        with_tst_info(tst_info, |tst_info| {
            // The enclosing unsafe block covers this borrow: the caller
            // promises a live accuracy or NULL.
            tst_info.accuracy = borrow(accuracy, "accuracy").ok().cloned();
            Ok(())
        })
    }
}

/// Sets the ordering field to true for a non-zero `ordering`, else false
/// (`TS_TST_INFO_set_ordering`).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_set_ordering(
    tst_info: *mut tsrs_tst_info,
    ordering: c_int,
) -> c_int {
    // SAFETY: the caller promises a live, unshared TSTInfo or NULL.
    unsafe {
        with_tst_info(tst_info, |tst_info| {
            tst_info.ordering = ordering != 0;
            Ok(())
        })
    }
}

/// Sets the nonce from `len` big-endian unsigned bytes, or removes it when
/// `len` is 0 (`TS_TST_INFO_set_nonce`).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_set_nonce(
    tst_info: *mut tsrs_tst_info,
    nonce: *const u8,
    len: usize,
) -> c_int {
    // SAFETY: the caller promises `len` readable bytes.
    let nonce = unsafe { bounded_bytes(nonce, len, "nonce") };
    // SAFETY: the caller promises a live, unshared TSTInfo or NULL.
    unsafe {
        with_tst_info(tst_info, |tst_info| {
            let nonce = nonce?;
            tst_info.nonce = if nonce.is_empty() {
                None
            } else {
                Some(int_from_magnitude(nonce)?)
            };
            Ok(())
        })
    }
}

/// Sets the TSA name from `len` bytes of a DER GeneralName (for a
/// directoryName, the `[4]` tag around the Name), or removes it when `len`
/// is 0 (`TS_TST_INFO_set_tsa`). Fails with `TSRS_R_DECODE` for anything
/// else, leaving the name as it was.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_set_tsa(
    tst_info: *mut tsrs_tst_info,
    der: *const u8,
    len: usize,
) -> c_int {
    // SAFETY: the caller promises `len` readable bytes.
    let input = unsafe { bounded_bytes(der, len, "der") };
    // SAFETY: the caller promises a live, unshared TSTInfo or NULL.
    unsafe {
        with_tst_info(tst_info, |tst_info| {
            let input = input?;
            tst_info.tsa = if input.is_empty() {
                None
            } else {
                Some(asn1::decode::<GeneralName>("TSA name", input)?)
            };
            Ok(())
        })
    }
}

/// Encodes the TSA name as a DER GeneralName into a new buffer
/// (`TS_TST_INFO_get_tsa`): `*der` receives the buffer, NULL when the
/// TSTInfo names no TSA, and `*der_len` its length. The caller frees the
/// buffer with `tsrs_free`. `tsrs_tst_info_get_tsa_name` gives the name as
/// text.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_tsa(
    tst_info: *const tsrs_tst_info,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live TSTInfo or NULL.
        let tst_info = unsafe { borrow(tst_info, "tst_info") }?;
        let encoded = tst_info
            .tsa
            .as_ref()
            .map(|tsa| asn1::encode("TSA name", tsa))
            .transpose()?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_optional_buffer(der, der_len, encoded.as_deref()) }
    })
}

// ------------------------------------------------------------ TS_ACCURACY

/// Creates an accuracy with no seconds, milliseconds or microseconds
/// (`TS_ACCURACY_new`). Returns NULL only when memory runs out. Free it with
/// `tsrs_accuracy_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_accuracy_new() -> *mut tsrs_accuracy {
    guard_new(|| Ok(Accuracy::default()))
}

/// Frees an accuracy from `tsrs_accuracy_new`, `_dup` or `_from_der`
/// (`TS_ACCURACY_free`). NULL is ignored. Never pass a borrowed one.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_accuracy_free(accuracy: *mut tsrs_accuracy) {
    // SAFETY: the caller promises an owned handle or NULL.
    unsafe { free_box(accuracy) }
}

/// Copies an accuracy, owned or borrowed (`TS_ACCURACY_dup`). Returns a new
/// one that the caller frees with `tsrs_accuracy_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_accuracy_dup(accuracy: *const tsrs_accuracy) -> *mut tsrs_accuracy {
    // SAFETY: the caller promises a live handle or NULL.
    guard_new(|| unsafe { copy_value(accuracy) })
}

/// Decodes an Accuracy from `len` bytes of DER or BER (`d2i_TS_ACCURACY`).
/// Returns a new one that the caller frees with `tsrs_accuracy_free`, or
/// NULL with `TSRS_R_DECODE`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_accuracy_from_der(der: *const u8, len: usize) -> *mut tsrs_accuracy {
    // SAFETY: the caller promises `len` readable bytes.
    guard_new(|| unsafe { decode_value::<tsrs_accuracy>(der, len, "accuracy") })
}

/// Encodes an accuracy as DER into a new buffer (`i2d_TS_ACCURACY`): `*der`
/// receives the buffer and `*der_len` its length. The caller frees the
/// buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_accuracy_to_der(
    accuracy: *const tsrs_accuracy,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    // SAFETY: the caller promises a live handle and writable out-parameters, or NULL.
    guard_int(|| unsafe { encode_value(accuracy, der, der_len, "accuracy") })
}

/// Sets one part of an accuracy: 0 removes it, as OpenSSL's `ts` writes no
/// zero part; a negative value fails with `TSRS_R_INVALID_ARGUMENT`.
///
/// # Safety
///
/// `accuracy` must be NULL or a live, unshared accuracy.
unsafe fn set_accuracy_part(
    accuracy: *mut tsrs_accuracy,
    value: c_long,
    field: &str,
    part: impl FnOnce(&mut Accuracy) -> &mut Option<der::asn1::Int>,
) -> c_int {
    guard_int(|| {
        if value < 0 {
            return Err(Error::new(
                Reason::InvalidArgument,
                format!("the accuracy {field} is negative ({value})"),
            ));
        }
        // SAFETY: forwarded from the caller.
        let accuracy = unsafe { borrow_mut(accuracy, "accuracy") }?;
        *part(accuracy) = (value != 0).then(|| int_from_long(value)).transpose()?;
        Ok(())
    })
}

/// Sets the seconds of an accuracy; 0 removes them
/// (`TS_ACCURACY_set_seconds`).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_accuracy_set_seconds(
    accuracy: *mut tsrs_accuracy,
    seconds: c_long,
) -> c_int {
    // SAFETY: the caller promises a live, unshared accuracy or NULL.
    unsafe { set_accuracy_part(accuracy, seconds, "seconds", |a| &mut a.seconds) }
}

/// Sets the milliseconds of an accuracy; 0 removes them
/// (`TS_ACCURACY_set_millis`). RFC 3161 allows 1 to 999; as OpenSSL, tsrs
/// writes any non-negative value.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_accuracy_set_millis(
    accuracy: *mut tsrs_accuracy,
    millis: c_long,
) -> c_int {
    // SAFETY: the caller promises a live, unshared accuracy or NULL.
    unsafe { set_accuracy_part(accuracy, millis, "milliseconds", |a| &mut a.millis) }
}

/// Sets the microseconds of an accuracy; 0 removes them
/// (`TS_ACCURACY_set_micros`). RFC 3161 allows 1 to 999; as OpenSSL, tsrs
/// writes any non-negative value.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_accuracy_set_micros(
    accuracy: *mut tsrs_accuracy,
    micros: c_long,
) -> c_int {
    // SAFETY: the caller promises a live, unshared accuracy or NULL.
    unsafe { set_accuracy_part(accuracy, micros, "microseconds", |a| &mut a.micros) }
}

// ------------------------------------------------------------ TS_MSG_IMPRINT

/// Decodes a MessageImprint from `len` bytes of DER or BER
/// (`d2i_TS_MSG_IMPRINT`). Returns a new imprint that the caller frees with
/// `tsrs_msg_imprint_free`, or NULL with `TSRS_R_DECODE`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_msg_imprint_from_der(
    der: *const u8,
    len: usize,
) -> *mut tsrs_msg_imprint {
    // SAFETY: the caller promises `len` readable bytes.
    guard_new(|| unsafe { decode_value::<tsrs_msg_imprint>(der, len, "message imprint") })
}

/// Encodes an imprint as DER into a new buffer (`i2d_TS_MSG_IMPRINT`):
/// `*der` receives the buffer and `*der_len` its length. The caller frees
/// the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_msg_imprint_to_der(
    imprint: *const tsrs_msg_imprint,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    // SAFETY: the caller promises a live handle and writable out-parameters, or NULL.
    guard_int(|| unsafe { encode_value(imprint, der, der_len, "message imprint") })
}

/// Writes the imprint as `TS_MSG_IMPRINT_print_bio` prints it (the hash
/// algorithm line, `Message data:` and a hex dump) into a new NUL-terminated
/// buffer: `*text` receives the buffer and `*text_len` its length without
/// the NUL. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_msg_imprint_print(
    imprint: *const tsrs_msg_imprint,
    text: *mut *mut c_char,
    text_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live imprint or NULL.
        let imprint = unsafe { borrow(imprint, "imprint") }?;
        let mut out = Vec::new();
        with_objects(|objects| print::print_message_imprint(&mut out, imprint, objects));
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(text, text_len, &out) }
    })
}
