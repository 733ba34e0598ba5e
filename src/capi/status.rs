//! Status values and responses built by hand (`TS_STATUS_INFO_new`,
//! `TS_RESP_new` and their setters), and the signature check on its own
//! (`TS_RESP_verify_signature`).

use std::ffi::{c_char, c_int, c_long};

use der::asn1::{Any, BitString};

use super::der_handle::{bounded_bytes, copy_value, decode_value, encode_value};
use super::response::{tsrs_resp, tsrs_status_info};
use super::util::{
    borrow, borrow_mut, check_out, free_box, guard_int, guard_new, text, to_box, write_value,
};
use super::values::int_from_long;
use super::x509::{tsrs_x509, tsrs_x509_list, tsrs_x509_store};
use crate::asn1::cms::TimeStampToken;
use crate::asn1::tsp::{PkiStatusInfo, TimeStampResp, bit_is_set};
use crate::asn1::{self, Utf8Bytes};
use crate::error::{Error, Reason, Result};
use crate::response::{Response, granted_status};
use crate::x509::VerifyOptions;

/// The highest failure bit the setter accepts: PKIFailureInfo names bits up
/// to 26 (RFC 4210 section 5.2.3), so 31 leaves room without allowing huge
/// BIT STRINGs.
const MAX_FAILURE_BIT: c_int = 31;

// ------------------------------------------------------------ TS_STATUS_INFO

/// Creates a status of granted with no texts and no failure bits
/// (`TS_STATUS_INFO_new`). Returns NULL only when memory runs out. Free it
/// with `tsrs_status_info_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_status_info_new() -> *mut tsrs_status_info {
    guard_new(|| Ok(granted_status()))
}

/// Frees a status from `tsrs_status_info_new`, `_dup` or `_from_der`
/// (`TS_STATUS_INFO_free`). NULL is ignored. Never pass one borrowed from a
/// response.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_free(status: *mut tsrs_status_info) {
    // SAFETY: the caller promises an owned handle or NULL.
    unsafe { free_box(status) }
}

/// Copies a status, owned or borrowed (`TS_STATUS_INFO_dup`). Returns a new
/// one that the caller frees with `tsrs_status_info_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_dup(
    status: *const tsrs_status_info,
) -> *mut tsrs_status_info {
    // SAFETY: the caller promises a live handle or NULL.
    guard_new(|| unsafe { copy_value(status) })
}

/// Decodes a PKIStatusInfo from `len` bytes of DER or BER
/// (`d2i_TS_STATUS_INFO`). Returns a new one that the caller frees with
/// `tsrs_status_info_free`, or NULL with `TSRS_R_DECODE`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_from_der(
    der: *const u8,
    len: usize,
) -> *mut tsrs_status_info {
    // SAFETY: the caller promises `len` readable bytes.
    guard_new(|| unsafe { decode_value::<tsrs_status_info>(der, len, "PKIStatusInfo") })
}

/// Encodes a status as DER into a new buffer (`i2d_TS_STATUS_INFO`): `*der`
/// receives the buffer and `*der_len` its length. The caller frees the
/// buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_to_der(
    status: *const tsrs_status_info,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    // SAFETY: the caller promises a live handle and writable out-parameters, or NULL.
    guard_int(|| unsafe { encode_value(status, der, der_len, "PKIStatusInfo") })
}

/// Sets the PKIStatus (`TS_STATUS_INFO_set_status`): one of the
/// `TSRS_STATUS_*` values, or another non-negative number. Texts and
/// failure bits stay as they are.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_set_status(
    status: *mut tsrs_status_info,
    value: c_long,
) -> c_int {
    guard_int(|| {
        if value < 0 {
            return Err(Error::new(
                Reason::InvalidArgument,
                format!("the status {value} is negative"),
            ));
        }
        let number = int_from_long(value)?;
        // SAFETY: the caller promises a live, unshared status or NULL.
        unsafe { borrow_mut(status, "status") }?.status = number;
        Ok(())
    })
}

/// Appends a UTF-8 text to the status texts (PKIFreeText), which OpenSSL
/// does through the stack that `TS_STATUS_INFO_get0_text` returns.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_add_text(
    status: *mut tsrs_status_info,
    text_value: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a string or NULL.
        let value = unsafe { text(text_value, "text") }?;
        // SAFETY: the caller promises a live, unshared status or NULL.
        let status = unsafe { borrow_mut(status, "status") }?;
        add_status_text(status, value);
        Ok(())
    })
}

pub(crate) fn add_status_text(status: &mut PkiStatusInfo, value: &str) {
    status
        .status_string
        .get_or_insert_with(Vec::new)
        .push(Utf8Bytes(value.as_bytes().to_vec()));
}

/// Sets (`value` non-zero) or clears (`value` 0) failure bit `bit`, one of
/// the `TSRS_INFO_*` numbers (0 to 31), as `ASN1_BIT_STRING_set_bit` does on
/// the bit string that `TS_STATUS_INFO_get0_failure_info` returns. Clearing
/// the last bit removes the failure info.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_status_info_set_failure_info(
    status: *mut tsrs_status_info,
    bit: c_int,
    value: c_int,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared status or NULL.
        let status = unsafe { borrow_mut(status, "status") }?;
        set_failure_bit(status, bit, value != 0)
    })
}

/// Sets or clears one failure bit, writing the DER named-bit form.
pub(crate) fn set_failure_bit(status: &mut PkiStatusInfo, bit: c_int, value: bool) -> Result<()> {
    let index = usize::try_from(bit)
        .ok()
        .filter(|_| bit <= MAX_FAILURE_BIT)
        .ok_or_else(|| {
            Error::new(
                Reason::InvalidArgument,
                format!("failure bit {bit} is out of range: it must be 0 to {MAX_FAILURE_BIT}"),
            )
        })?;
    let mut set: Vec<usize> = (0..=MAX_FAILURE_BIT as usize)
        .filter(|b| status.fail_info.as_ref().is_some_and(|f| bit_is_set(f, *b)))
        .collect();
    set.retain(|b| *b != index);
    if value {
        set.push(index);
    }
    status.fail_info = match set.iter().max() {
        None => None,
        Some(highest) => {
            let mut bytes = vec![0u8; highest / 8 + 1];
            for b in &set {
                bytes[b / 8] |= 0x80 >> (b % 8);
            }
            let unused = (7 - highest % 8) as u8;
            Some(BitString::new(unused, bytes).map_err(|e| Error::encode("failure info", e))?)
        }
    };
    Ok(())
}

// ------------------------------------------------------------ TS_RESP

/// Creates a response with status granted, no texts and no token
/// (`TS_RESP_new`); give it a token with `tsrs_resp_set_tst_info` or a
/// status with `tsrs_resp_set_status_info`. Returns NULL only when memory
/// runs out. Free it with `tsrs_resp_free`.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_resp_new() -> *mut tsrs_resp {
    guard_new(|| {
        Ok(Response {
            resp: TimeStampResp {
                status: granted_status(),
                time_stamp_token: None,
            },
            token: None,
        })
    })
}

/// Sets the response's status to a copy of `status`
/// (`TS_RESP_set_status_info`). The token stays as it is.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_set_status_info(
    resp: *mut tsrs_resp,
    status: *const tsrs_status_info,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises live handles or NULL.
        let (resp, status) = unsafe { (borrow_mut(resp, "resp")?, borrow(status, "status")?) };
        resp.resp.status = status.clone();
        Ok(())
    })
}

/// Sets the response's token from `len` bytes of a DER or BER token (a CMS
/// ContentInfo with SignedData), whose TSTInfo `tsrs_resp_get_tst_info`
/// then returns (`TS_RESP_set_tst_info`, which takes the token and its
/// TSTInfo separately). The status stays as it is. Fails with
/// `TSRS_R_DECODE` or `TSRS_R_BAD_TOKEN` for a token that does not decode,
/// leaving the response as it was.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_set_tst_info(
    resp: *mut tsrs_resp,
    token: *const u8,
    len: usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises `len` readable bytes.
        let input = unsafe { bounded_bytes(token, len, "token") }?;
        if input.is_empty() {
            return Err(Error::new(
                Reason::InvalidArgument,
                "argument token is empty",
            ));
        }
        let token = TimeStampToken::from_ber(input)?;
        let any: Any = asn1::decode_der("time-stamp token", &token.to_der()?)?;
        // SAFETY: the caller promises a live, unshared response or NULL.
        let resp = unsafe { borrow_mut(resp, "resp") }?;
        resp.resp.time_stamp_token = Some(any);
        resp.token = Some(token);
        Ok(())
    })
}

/// Checks the signature of the response's token and the path of its signer
/// (`TS_RESP_verify_signature`), without looking at the TSTInfo. It finds
/// the signer among the token's certificates and `certs` (NULL for none)
/// and validates its path to `store` for time-stamping. Then it checks the
/// ESS signingCertificate or signingCertificateV2 attribute against that
/// path, the message digest and the signature. On success `*signer`
/// receives a new copy of the signer certificate, which the caller frees
/// with `tsrs_x509_free`. `signer` may be NULL when it is not needed. Fails
/// with the reason of the first failed check, as
/// `tsrs_resp_verify_response` does, or `TSRS_R_NO_TIME_STAMP_TOKEN` for a
/// response without a token.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_verify_signature(
    resp: *const tsrs_resp,
    certs: *const tsrs_x509_list,
    store: *const tsrs_x509_store,
    signer: *mut *mut tsrs_x509,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises live handles or NULL.
        let (resp, store) = unsafe { (borrow(resp, "resp")?, borrow(store, "store")?) };
        // SAFETY: as above; `certs` may be NULL.
        let untrusted = unsafe { borrow(certs, "certs") }.map_or(&[][..], Vec::as_slice);
        let token = resp.token.as_ref().ok_or_else(|| {
            Error::new(
                Reason::NoTimeStampToken,
                "the response has no time-stamp token: its status is not granted",
            )
        })?;
        let (cert, _chain) =
            crate::verify::verify_signature(token, untrusted, store, &VerifyOptions::default())?;
        if !signer.is_null() {
            check_out(signer, "signer")?;
            // SAFETY: checked for NULL; the caller promises it is writable.
            unsafe { write_value(signer, "signer", to_box(cert)) }?;
        }
        Ok(())
    })
}
