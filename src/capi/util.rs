//! The boundary helpers every export goes through: a panic guard that turns
//! errors into queue entries and failure values, checked borrows of
//! pointers, and ownership transfer of handles and buffers.

use std::ffi::{CStr, c_char, c_int};
use std::panic::{AssertUnwindSafe, catch_unwind};

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

/// [`guard`] for functions that return a new handle or NULL.
pub(crate) fn guard_new<T>(body: impl FnOnce() -> Result<T>) -> *mut T {
    guard(std::ptr::null_mut(), || body().map(into_raw))
}

fn null_argument(name: &str) -> Error {
    Error::new(
        Reason::NullPointer,
        format!("invalid null pointer: argument {name} is NULL"),
    )
}

/// Moves `value` to the heap and hands ownership to the caller.
pub(crate) fn into_raw<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back ownership of a handle and drops it; NULL is ignored.
///
/// # Safety
///
/// `ptr` must be NULL or come from [`into_raw`] for the same `T`, and not
/// have been freed.
pub(crate) unsafe fn free<T>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: the caller promises `ptr` came from `into_raw::<T>`.
        drop(unsafe { Box::from_raw(ptr) });
    }
}

/// Borrows a handle, failing with `NullPointer` for NULL.
///
/// # Safety
///
/// `ptr` must be NULL or point to a live `T`.
pub(crate) unsafe fn borrow<'a, T>(ptr: *const T, name: &str) -> Result<&'a T> {
    // SAFETY: the caller promises a valid pointer or NULL.
    unsafe { ptr.as_ref() }.ok_or_else(|| null_argument(name))
}

/// Borrows a handle mutably, failing with `NullPointer` for NULL.
///
/// # Safety
///
/// `ptr` must be NULL or point to a live `T` that nothing else borrows.
pub(crate) unsafe fn borrow_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T> {
    // SAFETY: the caller promises a valid, unaliased pointer or NULL.
    unsafe { ptr.as_mut() }.ok_or_else(|| null_argument(name))
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

/// Hands `bytes` to the caller as a `malloc`ed buffer through two
/// out-parameters, which are written only on success. The caller frees the
/// buffer with `tsrs_free` (or `free`).
///
/// # Safety
///
/// `out` and `out_len` must be NULL or valid for writes.
pub(crate) unsafe fn write_buffer(
    out: *mut *mut u8,
    out_len: *mut usize,
    bytes: &[u8],
) -> Result<()> {
    if out.is_null() {
        return Err(null_argument("out"));
    }
    if out_len.is_null() {
        return Err(null_argument("out_len"));
    }
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
        *out = buffer;
        *out_len = bytes.len();
    }
    Ok(())
}

/// Frees a buffer that a tsrs function returned. NULL is ignored.
///
/// # Safety
///
/// `buf` must be NULL or a buffer from a tsrs function, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_free(buf: *mut u8) {
    // SAFETY: the buffer came from `libc::malloc` in `write_buffer`.
    unsafe { libc::free(buf.cast()) }
}
