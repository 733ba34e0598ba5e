//! Verification with a per-check report: a `tsrs_verify_report` records
//! every check that `tsrs_resp_verify_response` or `tsrs_resp_verify_token`
//! makes, with its verdict, stable code, name and details, and the whole
//! report as JSON (docs/verify-report.md).

use std::ffi::{CStr, CString, c_char, c_int, c_uint};
use std::sync::OnceLock;

use super::response::tsrs_resp;
use super::util::{
    Castable, OwnershipBox, borrow, free_box, guard, non_empty_bytes, to_box, write_buffer,
    write_value,
};
use super::verify::tsrs_verify_ctx;
use crate::asn1::cms::TimeStampToken;
use crate::error::{Error, Reason, Result};
use crate::verify::report::{self, Check, CheckCode, Report, Value};

/// Check verdict: the check ran and passed.
pub const TSRS_CHECK_PASSED: c_int = 0;
/// Check verdict: the check ran and failed.
pub const TSRS_CHECK_FAILED: c_int = 1;
/// Check verdict: the check was selected but could not run, because a
/// check it depends on failed.
pub const TSRS_CHECK_SKIPPED: c_int = 2;
/// Check verdict: the verify context does not select the check.
pub const TSRS_CHECK_NOT_REQUESTED: c_int = 3;

/// The report of one verification: the verdict, and every check in
/// verification order. Created by `tsrs_resp_verify_response_report` or
/// `tsrs_resp_verify_token_report`; the caller owns it and frees it with
/// `tsrs_verify_report_free`. Its check codes are stable: 1 status,
/// 2 signer_info, 3 signer_cert, 4 chain, 5 eku, 6 time, 7 ess,
/// 8 signature, 9 version, 10 policy, 11 hash_algorithm, 12 imprint,
/// 13 data, 14 nonce, 15 tsa_name, 16 expected_tsa, 17 cert_req.
pub struct tsrs_verify_report {
    _private: [u8; 0],
}

impl Castable for tsrs_verify_report {
    type Ownership = OwnershipBox;
    type RustType = Report;
}

/// Verifies a response exactly as `tsrs_resp_verify_response` does, and
/// returns the report of its checks, whatever the verdict: read the verdict
/// with `tsrs_verify_report_get_verdict`. A failed verification pushes
/// nothing onto the error queue, because the report contains its reason. Returns NULL
/// only for invalid arguments. Free the report with `tsrs_verify_report_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_verify_response_report(
    ctx: *const tsrs_verify_ctx,
    resp: *const tsrs_resp,
) -> *mut tsrs_verify_report {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller promises a live context and response, or NULL.
        let (ctx, resp) = unsafe { (borrow(ctx, "ctx")?, borrow(resp, "resp")?) };
        let (_, report) = report::verify_response_report(ctx, resp);
        Ok(to_box(report))
    })
}

/// Verifies a bare token, `len` bytes of DER or BER CMS ContentInfo,
/// exactly as `tsrs_resp_verify_token` does, and returns the report of its
/// checks, whatever the verdict. Returns NULL for invalid arguments and for
/// a token that does not decode (`TSRS_R_DECODE`). Free the report with
/// `tsrs_verify_report_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_verify_token_report(
    ctx: *const tsrs_verify_ctx,
    token: *const u8,
    len: usize,
) -> *mut tsrs_verify_report {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller promises a live context or NULL, and `len` bytes.
        let (ctx, token) = unsafe { (borrow(ctx, "ctx")?, non_empty_bytes(token, len, "token")?) };
        let token = TimeStampToken::from_ber(token)?;
        let (_, report) = report::verify_token_report(ctx, &token);
        Ok(to_box(report))
    })
}

/// Frees a report. NULL is ignored.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_report_free(report: *mut tsrs_verify_report) {
    // SAFETY: the caller promises an owned report or NULL.
    unsafe { free_box(report) }
}

/// Writes the verdict of the verification: `*verified` is 1 when every
/// check passed and 0 otherwise, and `*reason` is the `TSRS_R_*` reason of
/// the failure that ended it, or 0.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_report_get_verdict(
    report: *const tsrs_verify_report,
    verified: *mut c_int,
    reason: *mut u32,
) -> c_int {
    guard_report(report, |report| {
        super::util::check_out(verified, "verified")?;
        super::util::check_out(reason, "reason")?;
        let code = report.error.as_ref().map_or(0, |e| e.reason().code());
        // SAFETY: both checked for NULL; the caller promises they are writable.
        unsafe {
            write_value(verified, "verified", c_int::from(report.verified()))?;
            write_value(reason, "reason", code)
        }
    })
}

/// Writes the number of checks in the report to `*count`; they are indexed
/// from 0, in verification order.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_report_get_count(
    report: *const tsrs_verify_report,
    count: *mut usize,
) -> c_int {
    guard_report(report, |report| {
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(count, "count", report.checks.len()) }
    })
}

/// Writes the stable code of check `index` to `*code` (1 for status to 17
/// for cert_req, as the `tsrs_verify_report` documentation lists). Fails
/// with `TSRS_R_INVALID_ARGUMENT` for an index out of range.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_report_get_check_code(
    report: *const tsrs_verify_report,
    index: usize,
    code: *mut c_uint,
) -> c_int {
    guard_check(report, index, |check| {
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(code, "code", check.code.code()) }
    })
}

/// Writes the verdict of check `index` to `*verdict`: one of
/// `TSRS_CHECK_PASSED`, `TSRS_CHECK_FAILED`, `TSRS_CHECK_SKIPPED` and
/// `TSRS_CHECK_NOT_REQUESTED`. Writes 1 to `*report_only` when the check
/// ran only for the report, after verification had stopped at an earlier
/// failure, so that it did not decide the outcome; else 0.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_report_get_check_verdict(
    report: *const tsrs_verify_report,
    index: usize,
    verdict: *mut c_int,
    report_only: *mut c_int,
) -> c_int {
    guard_check(report, index, |check| {
        super::util::check_out(verdict, "verdict")?;
        super::util::check_out(report_only, "report_only")?;
        // SAFETY: both checked for NULL; the caller promises they are writable.
        unsafe {
            write_value(verdict, "verdict", check.verdict as c_int)?;
            write_value(report_only, "report_only", c_int::from(check.report_only))
        }
    })
}

/// Lends the stable name of check `index`, such as "imprint", through
/// `*name`: a static NUL-terminated string that must not be freed.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_report_get_check_name(
    report: *const tsrs_verify_report,
    index: usize,
    name: *mut *const c_char,
) -> c_int {
    guard_check(report, index, |check| {
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(name, "name", check_name(check.code).as_ptr()) }
    })
}

/// Writes the text of check `index` into a new buffer: its detail sentence
/// (for a failure, the error message), then one line per value,
/// `NAME: VALUE`, with list items separated by ", ". Free `*text` with
/// `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_report_get_check_detail(
    report: *const tsrs_verify_report,
    index: usize,
    text: *mut *mut c_char,
    len: *mut usize,
) -> c_int {
    guard_check(report, index, |check| {
        let detail = detail_text(check);
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(text, len, detail.as_bytes()) }
    })
}

/// Writes the whole report as a JSON object (docs/verify-report.md) into a
/// new buffer. Free `*json` with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_verify_report_to_json(
    report: *const tsrs_verify_report,
    json: *mut *mut c_char,
    len: *mut usize,
) -> c_int {
    guard_report(report, |report| {
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(json, len, report.to_json().as_bytes()) }
    })
}

fn guard_report(
    report: *const tsrs_verify_report,
    body: impl FnOnce(&Report) -> Result<()>,
) -> c_int {
    super::util::guard_int(|| {
        // SAFETY: the caller of the export promises a live report or NULL.
        body(unsafe { borrow(report, "report") }?)
    })
}

fn guard_check(
    report: *const tsrs_verify_report,
    index: usize,
    body: impl FnOnce(&Check) -> Result<()>,
) -> c_int {
    guard_report(report, |report| {
        let check = report.checks.get(index).ok_or_else(|| {
            Error::new(
                Reason::InvalidArgument,
                format!(
                    "check index {index} is out of range; the report has {} checks",
                    report.checks.len()
                ),
            )
        })?;
        body(check)
    })
}

fn detail_text(check: &Check) -> String {
    let mut text = check.detail.clone();
    for (name, value) in &check.values {
        let value = match value {
            Value::Text(value) => value.clone(),
            Value::List(items) => items.join(", "),
        };
        text.push_str(&format!("\n{name}: {value}"));
    }
    text
}

/// Returns the name of `code` as a C string; the names are built once.
fn check_name(code: CheckCode) -> &'static CStr {
    static NAMES: OnceLock<Vec<(CheckCode, CString)>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        CheckCode::ALL
            .iter()
            .map(|c| (*c, CString::new(c.name()).expect("check names have no NUL")))
            .collect()
    });
    names
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| name.as_c_str())
        .unwrap_or(c"unknown")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::report::Verdict;

    #[test]
    fn verdict_constants_match_core() {
        assert_eq!(TSRS_CHECK_PASSED, Verdict::Passed as c_int);
        assert_eq!(TSRS_CHECK_FAILED, Verdict::Failed as c_int);
        assert_eq!(TSRS_CHECK_SKIPPED, Verdict::Skipped as c_int);
        assert_eq!(TSRS_CHECK_NOT_REQUESTED, Verdict::NotRequested as c_int);
    }

    #[test]
    fn every_check_has_a_c_name() {
        for code in CheckCode::ALL {
            assert_eq!(check_name(*code).to_str().unwrap(), code.name());
        }
    }
}
