//! Extensions of requests and TSTInfo values (`TS_REQ_*_ext*` and
//! `TS_TST_INFO_*_ext*`), and the extension handle they use
//! (`X509_EXTENSION`). tsrs names objects by OID text, not by NID: the
//! `*_by_NID` functions map to the `*_by_obj` ones, given the dotted OID or
//! a known name.

use std::ffi::{c_char, c_int};

use der::asn1::{ObjectIdentifier, OctetString};
use x509_cert::ext::{Extension, Extensions};

use super::der_handle::{bounded_bytes, copy_value};
use super::objects::resolve;
use super::request::tsrs_req;
use super::response::tsrs_tst_info;
use super::util::{
    Castable, OwnershipBox, borrow, borrow_mut, free_box, guard_int, guard_new, guard_ref, text,
    write_borrowed, write_buffer, write_optional_buffer, write_value,
};
use super::values::oid_text;
use crate::asn1::tsp::{TimeStampReq, TstInfo};
use crate::asn1::{self, Oid};
use crate::error::{Error, Reason, Result};

/// One extension (`X509_EXTENSION`): OID, critical flag and DER value.
/// Created by `tsrs_x509_extension_new`, `_dup`, `tsrs_req_delete_ext` or
/// `tsrs_tst_info_delete_ext`, which the caller frees with
/// `tsrs_x509_extension_free`, or borrowed from a request or TSTInfo
/// (`tsrs_req_get_ext`, `tsrs_tst_info_get_ext`).
pub struct tsrs_x509_extension {
    _private: [u8; 0],
}

impl Castable for tsrs_x509_extension {
    type Ownership = OwnershipBox;
    type RustType = Extension;
}

/// The values that carry an `[n] IMPLICIT Extensions OPTIONAL` field.
trait HasExtensions {
    fn extensions(&self) -> &[Extension];
    fn extensions_mut(&mut self) -> &mut Option<Extensions>;
}

impl HasExtensions for TimeStampReq {
    fn extensions(&self) -> &[Extension] {
        self.extensions.as_deref().unwrap_or_default()
    }
    fn extensions_mut(&mut self) -> &mut Option<Extensions> {
        &mut self.extensions
    }
}

impl HasExtensions for TstInfo {
    fn extensions(&self) -> &[Extension] {
        self.extensions.as_deref().unwrap_or_default()
    }
    fn extensions_mut(&mut self) -> &mut Option<Extensions> {
        &mut self.extensions
    }
}

fn object_identifier(text: &str) -> Result<ObjectIdentifier> {
    let oid: Oid = resolve(text)?;
    oid.to_object_identifier().ok_or_else(|| {
        Error::new(
            Reason::UnknownObject,
            format!("the OID of {text} is too long for an extension"),
        )
    })
}

fn index_error(loc: c_int, count: usize) -> Error {
    Error::new(
        Reason::InvalidArgument,
        format!("extension index {loc} is out of range: there are {count} extensions"),
    )
}

/// Returns the first index after `lastpos` (-1 or less: from the start)
/// whose extension satisfies `matches`, or -1.
fn find_from(
    extensions: &[Extension],
    lastpos: c_int,
    matches: impl Fn(&Extension) -> bool,
) -> c_int {
    let start = usize::try_from(lastpos.saturating_add(1)).unwrap_or(0);
    extensions
        .iter()
        .enumerate()
        .skip(start)
        .find(|(_, extension)| matches(extension))
        .and_then(|(index, _)| c_int::try_from(index).ok())
        .unwrap_or(-1)
}

fn get_ext<T: HasExtensions>(value: &T, loc: c_int) -> Result<&Extension> {
    let extensions = value.extensions();
    usize::try_from(loc)
        .ok()
        .and_then(|index| extensions.get(index))
        .ok_or_else(|| index_error(loc, extensions.len()))
}

fn delete_ext<T: HasExtensions>(value: &mut T, loc: c_int) -> Result<Extension> {
    let count = value.extensions().len();
    let index = usize::try_from(loc)
        .ok()
        .filter(|index| *index < count)
        .ok_or_else(|| index_error(loc, count))?;
    let extensions = value.extensions_mut();
    let list = extensions.as_mut().ok_or_else(|| index_error(loc, 0))?;
    let removed = list.remove(index);
    if list.is_empty() {
        *extensions = None;
    }
    Ok(removed)
}

fn add_ext<T: HasExtensions>(value: &mut T, extension: &Extension, loc: c_int) -> Result<()> {
    let list = value.extensions_mut().get_or_insert_with(Vec::new);
    // As X509v3_add_ext: a negative or too large position appends.
    let index = usize::try_from(loc)
        .ok()
        .filter(|index| *index <= list.len())
        .unwrap_or(list.len());
    list.insert(index, extension.clone());
    Ok(())
}

fn exts_der<T: HasExtensions>(value: &T) -> Result<Option<Vec<u8>>> {
    let extensions = value.extensions();
    if extensions.is_empty() {
        return Ok(None);
    }
    asn1::encode("extensions", &extensions.to_vec()).map(Some)
}

// ------------------------------------------------------------ X509_EXTENSION

/// Creates an extension from an object name or dotted OID, a critical flag
/// (non-zero for critical) and a copy of `len` bytes of its DER value (the
/// content of extnValue). Returns a new extension that the caller frees
/// with `tsrs_x509_extension_free`, or NULL (`TSRS_R_UNKNOWN_OBJECT` for an
/// unknown name).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_extension_new(
    oid: *const c_char,
    critical: c_int,
    value: *const u8,
    len: usize,
) -> *mut tsrs_x509_extension {
    guard_new(|| {
        // SAFETY: the caller promises a string and `len` readable bytes.
        let (oid, value) = unsafe { (text(oid, "oid")?, bounded_bytes(value, len, "value")?) };
        Ok(Extension {
            extn_id: object_identifier(oid)?,
            critical: critical != 0,
            extn_value: OctetString::new(value.to_vec())
                .map_err(|e| Error::encode("extension value", e))?,
        })
    })
}

/// Frees an extension (`X509_EXTENSION_free`). NULL is ignored. Never pass
/// a borrowed one.
///
/// # Safety
///
/// The pointer must be NULL or a live handle of its type, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_extension_free(extension: *mut tsrs_x509_extension) {
    // SAFETY: the caller promises an owned handle or NULL.
    unsafe { free_box(extension) }
}

/// Copies an extension, owned or borrowed (`X509_EXTENSION_dup`). Returns a
/// new one that the caller frees with `tsrs_x509_extension_free`, or NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_extension_dup(
    extension: *const tsrs_x509_extension,
) -> *mut tsrs_x509_extension {
    // SAFETY: the caller promises a live handle or NULL.
    guard_new(|| unsafe { copy_value(extension) })
}

/// Writes the extension's OID in dotted form into a new NUL-terminated
/// buffer (`X509_EXTENSION_get_object`): `*oid` receives the buffer and
/// `*oid_len` its length. The caller frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_extension_get_object(
    extension: *const tsrs_x509_extension,
    oid: *mut *mut c_char,
    oid_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let extension = unsafe { borrow(extension, "extension") }?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_buffer(oid, oid_len, &oid_text(extension.extn_id)) }
    })
}

/// Writes 1 to `*critical` for a critical extension, else 0
/// (`X509_EXTENSION_get_critical`).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_extension_get_critical(
    extension: *const tsrs_x509_extension,
    critical: *mut c_int,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let extension = unsafe { borrow(extension, "extension") }?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(critical, "critical", c_int::from(extension.critical)) }
    })
}

/// Lends the extension's value, the DER inside extnValue
/// (`X509_EXTENSION_get_data`): `*value` receives a pointer into the
/// extension and `*value_len` the length.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_x509_extension_get_data(
    extension: *const tsrs_x509_extension,
    value: *mut *const u8,
    value_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let extension = unsafe { borrow(extension, "extension") }?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_borrowed(value, value_len, Some(extension.extn_value.as_bytes())) }
    })
}

// ------------------------------------------------------------ TS_REQ extensions

/// Writes the number of extensions of the request to `*count`
/// (`TS_REQ_get_ext_count`).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_get_ext_count(req: *const tsrs_req, count: *mut usize) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let value = unsafe { borrow(req, "req") }?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(count, "count", value.extensions().len()) }
    })
}

/// Returns extension number `loc` (from 0) of the request, borrowed: valid
/// until the request is freed or its extensions change (`TS_REQ_get_ext`).
/// Returns NULL with `TSRS_R_INVALID_ARGUMENT` when `loc` is not below the
/// count.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_get_ext(
    req: *const tsrs_req,
    loc: c_int,
) -> *const tsrs_x509_extension {
    // SAFETY: the caller promises a live handle or NULL.
    guard_ref(|| get_ext(unsafe { borrow(req, "req") }?, loc))
}

/// Finds the first extension after position `lastpos` (-1 to search from
/// the start) whose OID is `oid`, an object name or dotted OID
/// (`TS_REQ_get_ext_by_OBJ`). `TS_REQ_get_ext_by_NID` maps here
/// too: pass the OID of the NID. Writes its position to `*index`, or -1 when there is
/// none, and returns 1; returns 0 only for invalid arguments.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_get_ext_by_obj(
    req: *const tsrs_req,
    oid: *const c_char,
    lastpos: c_int,
    index: *mut c_int,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle and a string, or NULL.
        let (value, oid) = unsafe { (borrow(req, "req")?, text(oid, "oid")?) };
        let wanted = object_identifier(oid)?;
        let found = find_from(value.extensions(), lastpos, |e| e.extn_id == wanted);
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(index, "index", found) }
    })
}

/// Finds the first extension after position `lastpos` (-1 to search from
/// the start) that is critical (`critical` non-zero) or not (`critical` 0)
/// (`TS_REQ_get_ext_by_critical`). Writes its position to `*index`, or -1
/// when there is none, and returns 1; returns 0 only for invalid arguments.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_get_ext_by_critical(
    req: *const tsrs_req,
    critical: c_int,
    lastpos: c_int,
    index: *mut c_int,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let value = unsafe { borrow(req, "req") }?;
        let wanted = critical != 0;
        let found = find_from(value.extensions(), lastpos, |e| e.critical == wanted);
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(index, "index", found) }
    })
}

/// Removes extension number `loc` (from 0) from the request and returns it
/// (`TS_REQ_delete_ext`): a new extension that the caller frees with
/// `tsrs_x509_extension_free`, or NULL with `TSRS_R_INVALID_ARGUMENT` when
/// `loc` is not below the count. Removing the last extension removes the
/// extensions field.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_delete_ext(
    req: *mut tsrs_req,
    loc: c_int,
) -> *mut tsrs_x509_extension {
    // SAFETY: the caller promises a live, unshared handle or NULL.
    guard_new(|| delete_ext(unsafe { borrow_mut(req, "req") }?, loc))
}

/// Inserts a copy of `extension` at position `loc` of the request's
/// extensions, or appends it when `loc` is negative or above the count
/// (`TS_REQ_add_ext`). The caller keeps ownership of `extension`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_add_ext(
    req: *mut tsrs_req,
    extension: *const tsrs_x509_extension,
    loc: c_int,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises live handles or NULL.
        let (value, extension) =
            unsafe { (borrow_mut(req, "req")?, borrow(extension, "extension")?) };
        add_ext(value, extension, loc)
    })
}

/// Encodes the request's extensions as DER Extensions (a SEQUENCE OF
/// Extension) into a new buffer (`TS_REQ_get_exts`): `*der` receives the
/// buffer, NULL when there are none, and `*der_len` its length. The caller
/// frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_get_exts(
    req: *const tsrs_req,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let encoded = exts_der(unsafe { borrow(req, "req") }?)?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_optional_buffer(der, der_len, encoded.as_deref()) }
    })
}

/// Removes every extension of the request (`TS_REQ_ext_free`, which OpenSSL
/// declares void). Returns 1, or 0 when `req` is NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_req_ext_free(req: *mut tsrs_req) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared handle or NULL.
        *unsafe { borrow_mut(req, "req") }?.extensions_mut() = None;
        Ok(())
    })
}

// ------------------------------------------------------------ TS_TST_INFO extensions

/// Writes the number of extensions of the TSTInfo to `*count`
/// (`TS_TST_INFO_get_ext_count`).
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_ext_count(
    tst_info: *const tsrs_tst_info,
    count: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let value = unsafe { borrow(tst_info, "tst_info") }?;
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(count, "count", value.extensions().len()) }
    })
}

/// Returns extension number `loc` (from 0) of the TSTInfo, borrowed: valid
/// until the TSTInfo is freed or its extensions change (`TS_TST_INFO_get_ext`).
/// Returns NULL with `TSRS_R_INVALID_ARGUMENT` when `loc` is not below the
/// count.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_ext(
    tst_info: *const tsrs_tst_info,
    loc: c_int,
) -> *const tsrs_x509_extension {
    // SAFETY: the caller promises a live handle or NULL.
    guard_ref(|| get_ext(unsafe { borrow(tst_info, "tst_info") }?, loc))
}

/// Finds the first extension after position `lastpos` (-1 to search from
/// the start) whose OID is `oid`, an object name or dotted OID
/// (`TS_TST_INFO_get_ext_by_OBJ`). `TS_TST_INFO_get_ext_by_NID` maps here
/// too: pass the OID of the NID. Writes its position to `*index`, or -1 when there is
/// none, and returns 1; returns 0 only for invalid arguments.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_ext_by_obj(
    tst_info: *const tsrs_tst_info,
    oid: *const c_char,
    lastpos: c_int,
    index: *mut c_int,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle and a string, or NULL.
        let (value, oid) = unsafe { (borrow(tst_info, "tst_info")?, text(oid, "oid")?) };
        let wanted = object_identifier(oid)?;
        let found = find_from(value.extensions(), lastpos, |e| e.extn_id == wanted);
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(index, "index", found) }
    })
}

/// Finds the first extension after position `lastpos` (-1 to search from
/// the start) that is critical (`critical` non-zero) or not (`critical` 0)
/// (`TS_TST_INFO_get_ext_by_critical`). Writes its position to `*index`, or -1
/// when there is none, and returns 1; returns 0 only for invalid arguments.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_ext_by_critical(
    tst_info: *const tsrs_tst_info,
    critical: c_int,
    lastpos: c_int,
    index: *mut c_int,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let value = unsafe { borrow(tst_info, "tst_info") }?;
        let wanted = critical != 0;
        let found = find_from(value.extensions(), lastpos, |e| e.critical == wanted);
        // SAFETY: the caller promises a writable out-parameter or NULL.
        unsafe { write_value(index, "index", found) }
    })
}

/// Removes extension number `loc` (from 0) from the TSTInfo and returns it
/// (`TS_TST_INFO_delete_ext`): a new extension that the caller frees with
/// `tsrs_x509_extension_free`, or NULL with `TSRS_R_INVALID_ARGUMENT` when
/// `loc` is not below the count. Removing the last extension removes the
/// extensions field.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_delete_ext(
    tst_info: *mut tsrs_tst_info,
    loc: c_int,
) -> *mut tsrs_x509_extension {
    // SAFETY: the caller promises a live, unshared handle or NULL.
    guard_new(|| delete_ext(unsafe { borrow_mut(tst_info, "tst_info") }?, loc))
}

/// Inserts a copy of `extension` at position `loc` of the TSTInfo's
/// extensions, or appends it when `loc` is negative or above the count
/// (`TS_TST_INFO_add_ext`). The caller keeps ownership of `extension`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_add_ext(
    tst_info: *mut tsrs_tst_info,
    extension: *const tsrs_x509_extension,
    loc: c_int,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises live handles or NULL.
        let (value, extension) = unsafe {
            (
                borrow_mut(tst_info, "tst_info")?,
                borrow(extension, "extension")?,
            )
        };
        add_ext(value, extension, loc)
    })
}

/// Encodes the TSTInfo's extensions as DER Extensions (a SEQUENCE OF
/// Extension) into a new buffer (`TS_TST_INFO_get_exts`): `*der` receives the
/// buffer, NULL when there are none, and `*der_len` its length. The caller
/// frees the buffer with `tsrs_free`.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_get_exts(
    tst_info: *const tsrs_tst_info,
    der: *mut *mut u8,
    der_len: *mut usize,
) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let encoded = exts_der(unsafe { borrow(tst_info, "tst_info") }?)?;
        // SAFETY: the caller promises writable out-parameters or NULL.
        unsafe { write_optional_buffer(der, der_len, encoded.as_deref()) }
    })
}

/// Removes every extension of the TSTInfo (`TS_TST_INFO_ext_free`, which OpenSSL
/// declares void). Returns 1, or 0 when `tst_info` is NULL.
///
/// # Safety
///
/// Every pointer must be NULL or valid for its use, as the header preamble states.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_tst_info_ext_free(tst_info: *mut tsrs_tst_info) -> c_int {
    guard_int(|| {
        // SAFETY: the caller promises a live, unshared handle or NULL.
        *unsafe { borrow_mut(tst_info, "tst_info") }?.extensions_mut() = None;
        Ok(())
    })
}
