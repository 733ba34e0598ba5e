//! The boundary helpers every export goes through: a panic guard that turns
//! errors into queue entries and failure values, checked casts between
//! handles and the Rust values behind them, and the buffers handed to C.
//!
//! Each handle type implements [`Castable`] once, naming the Rust value
//! behind it and how the C side owns it. The cast and free helpers accept
//! only the ownership a handle declares, so a borrowed handle cannot be freed
//! and a shared one cannot be borrowed mutably.

use std::ffi::{CStr, c_char, c_int};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::error;
use crate::error::{Error, Reason, Result};

/// Runs `body`, returning its value, or `failure` after pushing the error (or
/// the caught panic) onto the error queue.
pub(crate) fn guard<T>(failure: T, body: impl FnOnce() -> Result<T>) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => value,
        Ok(Err(err)) => {
            error::push(&err);
            failure
        }
        Err(_) => {
            error::push(&Error::new(
                Reason::Panic,
                "internal error: tsrs panicked; please report this with the input that caused it",
            ));
            failure
        }
    }
}

/// [`guard`] for functions that return 1 on success and 0 on failure.
pub(crate) fn guard_int(body: impl FnOnce() -> Result<()>) -> c_int {
    guard(0, || body().map(|()| 1))
}

/// [`guard`] for functions that return a new boxed handle or NULL.
pub(crate) fn guard_new<C: Castable<Ownership = OwnershipBox>>(
    body: impl FnOnce() -> Result<C::RustType>,
) -> *mut C {
    guard(std::ptr::null_mut(), || body().map(to_box))
}

/// [`guard`] for functions that return a borrowed handle or NULL.
pub(crate) fn guard_ref<'a, C: Castable + 'a>(
    body: impl FnOnce() -> Result<&'a C::RustType>,
) -> *const C {
    guard(std::ptr::null(), || body().map(to_ref))
}

/// Handles the caller owns through `new`/`free`, each in its own box.
pub(crate) enum OwnershipBox {}

/// Handles the caller owns through `new`/`free`, shared with the contexts
/// that keep them (OpenSSL's up-reference).
pub(crate) enum OwnershipArc {}

/// Handles only ever borrowed from another handle (`get0`); never freed.
/// No handle type uses it at present.
#[allow(dead_code)]
pub(crate) enum OwnershipRef {}

/// A C handle type: an opaque struct that C uses only through pointers. Each
/// pointer points at a `RustType`, owned as `Ownership` states.
pub(crate) trait Castable {
    /// [`OwnershipBox`], [`OwnershipArc`] or [`OwnershipRef`].
    type Ownership;
    /// The Rust value a handle pointer points at.
    type RustType;
}

fn null_argument(name: &str) -> Error {
    Error::new(
        Reason::NullPointer,
        format!("invalid null pointer: argument {name} is NULL"),
    )
}

/// Moves `value` to the heap and hands ownership to the caller.
pub(crate) fn to_box<C: Castable<Ownership = OwnershipBox>>(value: C::RustType) -> *mut C {
    Box::into_raw(Box::new(value)).cast()
}

/// Hands one reference of `value` to the caller.
pub(crate) fn to_arc<C: Castable<Ownership = OwnershipArc>>(value: Arc<C::RustType>) -> *mut C {
    Arc::into_raw(value).cast_mut().cast()
}

/// Returns a borrowed handle for a value that lives inside another handle.
pub(crate) fn to_ref<C: Castable>(value: &C::RustType) -> *const C {
    std::ptr::from_ref(value).cast()
}

/// Takes back ownership of a boxed handle and drops it; NULL is ignored.
///
/// # Safety
///
/// `ptr` must be NULL or come from [`to_box`] for the same `C`, and not have
/// been freed.
pub(crate) unsafe fn free_box<C: Castable<Ownership = OwnershipBox>>(ptr: *mut C) {
    if !ptr.is_null() {
        // SAFETY: the caller promises `ptr` came from `to_box::<C>`.
        drop(unsafe { Box::from_raw(ptr.cast::<C::RustType>()) });
    }
}

/// Takes back a boxed handle's value, for functions that take ownership.
///
/// # Safety
///
/// As for [`free_box`]; the handle must not be used afterwards.
pub(crate) unsafe fn take_box<C: Castable<Ownership = OwnershipBox>>(
    ptr: *mut C,
    name: &str,
) -> Result<C::RustType> {
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: the caller promises `ptr` came from `to_box::<C>`.
    Ok(*unsafe { Box::from_raw(ptr.cast::<C::RustType>()) })
}

/// Releases the caller's reference to a shared handle; NULL is ignored.
///
/// # Safety
///
/// `ptr` must be NULL or come from [`to_arc`] for the same `C`, and this
/// reference must not have been released before.
pub(crate) unsafe fn free_arc<C: Castable<Ownership = OwnershipArc>>(ptr: *const C) {
    if !ptr.is_null() {
        // SAFETY: the caller promises `ptr` is a live reference from `to_arc`.
        drop(unsafe { Arc::from_raw(ptr.cast::<C::RustType>()) });
    }
}

/// Takes a new reference to a shared handle, failing with `NullPointer` for NULL.
///
/// # Safety
///
/// `ptr` must be NULL or a live reference from [`to_arc`] for the same `C`.
pub(crate) unsafe fn clone_arc<C: Castable<Ownership = OwnershipArc>>(
    ptr: *const C,
    name: &str,
) -> Result<Arc<C::RustType>> {
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    let ptr = ptr.cast::<C::RustType>();
    // SAFETY: the caller promises a live reference from `Arc::into_raw`; the
    // count is raised before `from_raw` so the caller's reference stays valid.
    unsafe {
        Arc::increment_strong_count(ptr);
        Ok(Arc::from_raw(ptr))
    }
}

/// Borrows a handle, failing with `NullPointer` for NULL.
///
/// # Safety
///
/// `ptr` must be NULL or point to a live handle of type `C`.
pub(crate) unsafe fn borrow<'a, C: Castable>(ptr: *const C, name: &str) -> Result<&'a C::RustType> {
    // SAFETY: the caller promises a valid pointer or NULL, and every handle
    // pointer points at its `RustType`.
    unsafe { ptr.cast::<C::RustType>().as_ref() }.ok_or_else(|| null_argument(name))
}

/// Borrows a boxed handle mutably, failing with `NullPointer` for NULL.
///
/// # Safety
///
/// `ptr` must be NULL or point to a live handle of type `C` that nothing
/// else uses during the call.
pub(crate) unsafe fn borrow_mut<'a, C: Castable<Ownership = OwnershipBox>>(
    ptr: *mut C,
    name: &str,
) -> Result<&'a mut C::RustType> {
    // SAFETY: the caller promises a valid, unaliased pointer or NULL.
    unsafe { ptr.cast::<C::RustType>().as_mut() }.ok_or_else(|| null_argument(name))
}

/// Borrows `len` bytes; NULL is accepted only with `len` 0.
///
/// # Safety
///
/// `ptr` must point to `len` readable bytes, or `len` must be 0.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    if len > isize::MAX as usize {
        return Err(Error::new(
            Reason::InvalidArgument,
            format!("argument {name}: length {len} is too large"),
        ));
    }
    // SAFETY: the caller promises `len` readable bytes at `ptr`.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows at least one byte: like [`bytes`], but an empty buffer fails.
///
/// # Safety
///
/// As for [`bytes`].
pub(crate) unsafe fn non_empty_bytes<'a>(
    ptr: *const u8,
    len: usize,
    name: &str,
) -> Result<&'a [u8]> {
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    if len == 0 {
        return Err(Error::new(
            Reason::InvalidArgument,
            format!("argument {name} is empty"),
        ));
    }
    // SAFETY: forwarded from the caller.
    unsafe { bytes(ptr, len, name) }
}

/// Borrows a NUL-terminated UTF-8 string.
///
/// # Safety
///
/// `ptr` must be NULL or point to a NUL-terminated string.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, name: &str) -> Result<&'a str> {
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: the caller promises a NUL-terminated string.
    let cstr = unsafe { CStr::from_ptr(ptr) };
    cstr.to_str().map_err(|_| {
        Error::new(
            Reason::InvalidArgument,
            format!("argument {name} is not valid UTF-8"),
        )
    })
}

/// Borrows an optional NUL-terminated UTF-8 string: NULL gives `None`.
///
/// # Safety
///
/// As for [`text`].
pub(crate) unsafe fn optional_text<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded from the caller.
    unsafe { text(ptr, name) }.map(Some)
}

/// Checks that an out-parameter can be written, before any work is done, so
/// that a NULL one fails without side effects.
pub(crate) fn check_out<T>(out: *mut T, name: &str) -> Result<()> {
    if out.is_null() {
        return Err(Error::new(
            Reason::NullPointer,
            format!("invalid null pointer: out-parameter {name} is NULL"),
        ));
    }
    Ok(())
}

/// Writes `value` through an out-parameter.
///
/// # Safety
///
/// `out` must be NULL or valid for writes.
pub(crate) unsafe fn write_value<T>(out: *mut T, name: &str, value: T) -> Result<()> {
    check_out(out, name)?;
    // SAFETY: checked for NULL; the caller promises it is writable.
    unsafe { out.write(value) };
    Ok(())
}

/// Hands `bytes` to the caller as a `malloc`ed buffer through two
/// out-parameters, which are written only on success. The buffer has a NUL
/// after the last byte, so text can be used as a C string; the caller frees
/// it with `tsrs_free`.
///
/// # Safety
///
/// `out` and `out_len` must be NULL or valid for writes.
pub(crate) unsafe fn write_buffer<T>(
    out: *mut *mut T,
    out_len: *mut usize,
    bytes: &[u8],
) -> Result<()> {
    check_out(out, "buffer")?;
    check_out(out_len, "buffer length")?;
    // One extra byte keeps text buffers NUL-terminated and avoids malloc(0).
    // SAFETY: malloc has no preconditions; the result is checked for NULL.
    let buffer = unsafe { libc::malloc(bytes.len() + 1) }.cast::<u8>();
    if buffer.is_null() {
        return Err(Error::new(
            Reason::InvalidArgument,
            format!("cannot allocate {} bytes", bytes.len() + 1),
        ));
    }
    // SAFETY: `buffer` has room for `bytes.len() + 1` bytes, and the caller
    // promises `out` and `out_len` are writable.
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), buffer, bytes.len());
        *buffer.add(bytes.len()) = 0;
        *out = buffer.cast();
        *out_len = bytes.len();
    }
    Ok(())
}

/// Like [`write_buffer`], for a value that may be absent: `None` writes NULL
/// and length 0.
///
/// # Safety
///
/// As for [`write_buffer`].
pub(crate) unsafe fn write_optional_buffer<T>(
    out: *mut *mut T,
    out_len: *mut usize,
    bytes: Option<&[u8]>,
) -> Result<()> {
    match bytes {
        // SAFETY: forwarded from the caller.
        Some(bytes) => unsafe { write_buffer(out, out_len, bytes) },
        None => {
            check_out(out, "buffer")?;
            check_out(out_len, "buffer length")?;
            // SAFETY: both checked for NULL; the caller promises they are writable.
            unsafe {
                *out = std::ptr::null_mut();
                *out_len = 0;
            }
            Ok(())
        }
    }
}

/// Lends `bytes`, which live inside a handle, through two out-parameters:
/// NULL and length 0 for `None`.
///
/// # Safety
///
/// `out` and `out_len` must be NULL or valid for writes.
pub(crate) unsafe fn write_borrowed(
    out: *mut *const u8,
    out_len: *mut usize,
    bytes: Option<&[u8]>,
) -> Result<()> {
    check_out(out, "data")?;
    check_out(out_len, "data length")?;
    let (ptr, len) = match bytes {
        Some(bytes) => (bytes.as_ptr(), bytes.len()),
        None => (std::ptr::null(), 0),
    };
    // SAFETY: both checked for NULL; the caller promises they are writable.
    unsafe {
        *out = ptr;
        *out_len = len;
    }
    Ok(())
}

/// Frees a buffer that a tsrs function returned. NULL is ignored.
///
/// # Safety
///
/// `buf` must be NULL or a buffer from a tsrs function, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_free(buf: *mut std::ffi::c_void) {
    // SAFETY: the buffer came from `libc::malloc` in `write_buffer`.
    unsafe { libc::free(buf) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capi::error::{tsrs_err_clear, tsrs_err_get};

    struct Handle;

    impl Castable for Handle {
        type Ownership = OwnershipBox;
        type RustType = String;
    }

    #[test]
    fn guard_turns_panic_into_error() {
        tsrs_err_clear();
        let value = guard(7, || -> Result<i32> {
            panic!("deliberate panic in a test")
        });
        assert_eq!(value, 7);
        assert_eq!(tsrs_err_get(), Reason::Panic.code());
        assert_eq!(tsrs_err_get(), 0);
    }

    #[test]
    fn guard_pushes_one_error() {
        tsrs_err_clear();
        let value = guard_int(|| Err(Error::new(Reason::Decode, "bad input")));
        assert_eq!(value, 0);
        assert_eq!(tsrs_err_get(), Reason::Decode.code());
        assert_eq!(tsrs_err_get(), 0);
    }

    #[test]
    fn box_handles_round_trip() {
        let handle = to_box::<Handle>("value".to_owned());
        // SAFETY: `handle` comes from `to_box` and is freed once below.
        unsafe {
            assert_eq!(borrow(handle, "handle").unwrap(), "value");
            borrow_mut(handle, "handle").unwrap().push('!');
            assert_eq!(take_box(handle, "handle").unwrap(), "value!");
            free_box::<Handle>(std::ptr::null_mut());
        }
    }

    #[test]
    fn null_handles_fail() {
        // SAFETY: NULL is allowed.
        let err = unsafe { borrow::<Handle>(std::ptr::null(), "req") }.unwrap_err();
        assert_eq!(err.reason(), Reason::NullPointer);
        assert!(err.message().contains("argument req is NULL"), "{err}");
    }

    #[test]
    fn empty_buffers() {
        // SAFETY: NULL is allowed with length 0.
        unsafe {
            assert_eq!(bytes(std::ptr::null(), 0, "data").unwrap(), b"");
            let err = non_empty_bytes(b"x".as_ptr(), 0, "data").unwrap_err();
            assert_eq!(err.reason(), Reason::InvalidArgument);
        }
    }
}
