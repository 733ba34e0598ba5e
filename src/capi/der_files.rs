//! Reading and writing DER files, the counterparts of OpenSSL's `FILE *`
//! forms (`d2i_TS_REQ_fp`, `i2d_TS_REQ_fp` and the like). They take a path
//! in place of the `FILE *`, so the library never shares stdio state with
//! its caller.

use std::ffi::{c_char, c_int};
use std::path::Path;

use der::Encode;

use super::request::{tsrs_msg_imprint, tsrs_req};
use super::response::{tsrs_resp, tsrs_tst_info};
use super::util::{Castable, borrow, guard_int, guard_new, text};
use crate::asn1::tsp::{MessageImprint, TimeStampReq, TstInfo};
use crate::asn1::{self};
use crate::error::{Error, Result};
use crate::files::{read_limited, write_atomically};
use crate::response::Response;

/// Largest file the `*_load_file` functions read: far above any response,
/// even one with a long certificate chain.
const MAX_FILE_LEN: usize = 16 << 20;

/// Reads the file at the C string `path`.
///
/// # Safety
///
/// `path` must be NULL or a NUL-terminated string.
unsafe fn read_path(path: *const c_char) -> Result<Vec<u8>> {
    // SAFETY: forwarded from the caller.
    let path = unsafe { text(path, "path") }?;
    read_limited(Path::new(path), MAX_FILE_LEN).map_err(|e| Error::io("read", path, &e))
}

/// Encodes the value of a live handle as DER and writes it to the file at
/// `path`, replacing it atomically where it is a regular file.
///
/// # Safety
///
/// `handle` must be NULL or a live `C`; `path` NULL or a NUL-terminated string.
unsafe fn save<C>(handle: *const C, path: *const c_char, what: &str) -> Result<()>
where
    C: Castable,
    C::RustType: Encode,
{
    // SAFETY: forwarded from the caller.
    let (value, path) = unsafe { (borrow(handle, "handle")?, text(path, "path")?) };
    let encoded = asn1::encode(what, value)?;
    write_atomically(Path::new(path), &encoded).map_err(|e| Error::io("write", path, &e))
}

/// Reads a request from a DER or BER file (`d2i_TS_REQ_fp`, with a path in
/// place of the `FILE *`). Returns a new request that the caller frees with
/// `tsrs_req_free`, or NULL with `TSRS_R_IO` when the file cannot be read
/// (or is over 16 MiB) and `TSRS_R_DECODE` when it does not decode.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_load_file(path: *const c_char) -> *mut tsrs_req {
    // SAFETY: the caller promises a string or NULL.
    guard_new(|| TimeStampReq::from_ber(&unsafe { read_path(path) }?))
}

/// Writes a request as DER to the file at `path` (`i2d_TS_REQ_fp`, with a
/// path in place of the `FILE *`), replacing the file atomically where it
/// is a regular one. Fails with `TSRS_R_IO` when it cannot be written.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_save_file(req: *const tsrs_req, path: *const c_char) -> c_int {
    // SAFETY: the caller promises a live request and a string, or NULL.
    guard_int(|| unsafe { save(req, path, "time-stamp request") })
}

/// Reads a response from a DER or BER file (`d2i_TS_RESP_fp`, with a path
/// in place of the `FILE *`), with the checks of `tsrs_resp_from_der`.
/// Returns a new response that the caller frees with `tsrs_resp_free`, or
/// NULL with `TSRS_R_IO` when the file cannot be read (or is over 16 MiB).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_load_file(path: *const c_char) -> *mut tsrs_resp {
    // SAFETY: the caller promises a string or NULL.
    guard_new(|| Response::from_ber(&unsafe { read_path(path) }?))
}

/// Writes a response as DER to the file at `path` (`i2d_TS_RESP_fp`, with
/// a path in place of the `FILE *`), replacing the file atomically where it
/// is a regular one. Fails with `TSRS_R_IO` when it cannot be written.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_resp_save_file(resp: *const tsrs_resp, path: *const c_char) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live response and a string, or NULL.
        let (resp, path) = unsafe { (borrow(resp, "resp")?, text(path, "path")?) };
        let encoded = resp.to_der()?;
        write_atomically(Path::new(path), &encoded).map_err(|e| Error::io("write", path, &e))
    })
}

/// Reads a TSTInfo from a DER or BER file (`d2i_TS_TST_INFO_fp`, with a
/// path in place of the `FILE *`). Returns a new TSTInfo that the caller
/// frees with `tsrs_tst_info_free`, or NULL with `TSRS_R_IO` when the file
/// cannot be read (or is over 16 MiB) and `TSRS_R_DECODE` when it does not
/// decode.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_load_file(path: *const c_char) -> *mut tsrs_tst_info {
    // SAFETY: the caller promises a string or NULL.
    guard_new(|| asn1::decode::<TstInfo>("TSTInfo", &unsafe { read_path(path) }?))
}

/// Writes a TSTInfo as DER to the file at `path` (`i2d_TS_TST_INFO_fp`,
/// with a path in place of the `FILE *`), replacing the file atomically
/// where it is a regular one. Fails with `TSRS_R_IO` when it cannot be
/// written.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_save_file(
    tst_info: *const tsrs_tst_info,
    path: *const c_char,
) -> c_int {
    // SAFETY: the caller promises a live TSTInfo and a string, or NULL.
    guard_int(|| unsafe { save(tst_info, path, "TSTInfo") })
}

/// Reads a MessageImprint from a DER or BER file (`d2i_TS_MSG_IMPRINT_fp`,
/// with a path in place of the `FILE *`). Returns a new imprint that the
/// caller frees with `tsrs_msg_imprint_free`, or NULL with `TSRS_R_IO` when
/// the file cannot be read (or is over 16 MiB) and `TSRS_R_DECODE` when it
/// does not decode.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_msg_imprint_load_file(path: *const c_char) -> *mut tsrs_msg_imprint {
    // SAFETY: the caller promises a string or NULL.
    guard_new(|| asn1::decode::<MessageImprint>("message imprint", &unsafe { read_path(path) }?))
}

/// Writes an imprint as DER to the file at `path` (`i2d_TS_MSG_IMPRINT_fp`,
/// with a path in place of the `FILE *`), replacing the file atomically
/// where it is a regular one. Fails with `TSRS_R_IO` when it cannot be
/// written.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_msg_imprint_save_file(
    imprint: *const tsrs_msg_imprint,
    path: *const c_char,
) -> c_int {
    // SAFETY: the caller promises a live imprint and a string, or NULL.
    guard_int(|| unsafe { save(imprint, path, "message imprint") })
}
