//! The thread-local error queue: every failing export pushes one entry, with
//! a stable reason code and a message, as OpenSSL's error queue works.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ffi::{CStr, CString, c_char, c_int, c_void};

use crate::error::{Error, Reason};

/// Entries kept per thread; older ones are dropped first.
const MAX_ENTRIES: usize = 32;

struct Entry {
    reason: u32,
    message: CString,
}

thread_local! {
    static QUEUE: RefCell<VecDeque<Entry>> = const { RefCell::new(VecDeque::new()) };
}

/// Pushes `error` onto this thread's queue.
pub(crate) fn push(error: &Error) {
    let message = CString::new(error.to_string().replace('\0', " "))
        .unwrap_or_else(|_| CString::from(c"error message unavailable"));
    QUEUE.with(|queue| {
        let mut queue = queue.borrow_mut();
        if queue.len() == MAX_ENTRIES {
            queue.pop_front();
        }
        queue.push_back(Entry {
            reason: error.reason().code(),
            message,
        });
    });
}

/// Removes the oldest entry from this thread's error queue and returns its
/// reason code, or 0 when the queue is empty.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_err_get() -> u32 {
    QUEUE.with(|queue| {
        queue
            .borrow_mut()
            .pop_front()
            .map_or(0, |entry| entry.reason)
    })
}

/// Returns the reason code of the oldest entry without removing it, or 0.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_err_peek() -> u32 {
    QUEUE.with(|queue| queue.borrow().front().map_or(0, |entry| entry.reason))
}

/// Returns the reason code of the newest entry without removing it, or 0.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_err_peek_last() -> u32 {
    QUEUE.with(|queue| queue.borrow().back().map_or(0, |entry| entry.reason))
}

/// Copies the message of the oldest entry, NUL-terminated and truncated to
/// fit, into `buf` of `len` bytes, without removing the entry. Returns the
/// full message length (excluding the NUL), or 0 when the queue is empty.
/// `buf` may be NULL when `len` is 0, to learn the length.
///
/// # Safety
///
/// `buf` must point to `len` writable bytes, or be NULL with `len` 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_err_peek_message(buf: *mut c_char, len: usize) -> usize {
    QUEUE.with(|queue| {
        let queue = queue.borrow();
        let Some(entry) = queue.front() else {
            return 0;
        };
        let bytes = entry.message.as_bytes();
        if !buf.is_null() && len > 0 {
            let copied = bytes.len().min(len - 1);
            // SAFETY: the caller promises `len` writable bytes at `buf`, and
            // `copied + 1 <= len`.
            unsafe {
                std::ptr::copy_nonoverlapping(bytes.as_ptr().cast::<c_char>(), buf, copied);
                *buf.add(copied) = 0;
            }
        }
        bytes.len()
    })
}

/// Empties this thread's error queue.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_err_clear() {
    QUEUE.with(|queue| queue.borrow_mut().clear());
}

/// Returns the static text for a reason code, or NULL for an unknown code.
/// The text is valid for the life of the process; do not free it.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_err_reason_string(code: u32) -> *const c_char {
    match Reason::from_code(code) {
        Some(reason) => reason_cstr(reason).as_ptr(),
        None => std::ptr::null(),
    }
}

/// Writes every entry of this thread's queue to standard error, oldest first,
/// one line each (`tsrs: error CODE: MESSAGE`), and empties the queue.
#[unsafe(no_mangle)]
pub extern "C" fn tsrs_err_print_errors() {
    let entries: Vec<Entry> = QUEUE.with(|queue| queue.borrow_mut().drain(..).collect());
    for entry in entries {
        eprintln!("{}", line_text(&entry));
    }
}

/// Receives one line of the error queue from `tsrs_err_print_errors_cb`:
/// `line` points to `len` bytes, ending in a newline and followed by a NUL,
/// valid only during the call. Returns a positive value to receive the next
/// line, or 0 or less to stop; the lines not received are dropped too.
pub type tsrs_err_print_cb =
    Option<unsafe extern "C" fn(line: *const c_char, len: usize, data: *mut c_void) -> c_int>;

/// Passes every entry of this thread's queue to `callback`, oldest first,
/// one line each (`tsrs: error CODE: MESSAGE\n`), together with `data`, and
/// empties the queue (`ERR_print_errors_cb`). Returns 1, or 0 when
/// `callback` is NULL, which leaves the queue as it was.
///
/// # Safety
///
/// `callback` must be NULL or a function of the `tsrs_err_print_cb` type
/// that accepts `data`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tsrs_err_print_errors_cb(
    callback: tsrs_err_print_cb,
    data: *mut c_void,
) -> c_int {
    let Some(callback) = callback else {
        return 0;
    };
    let entries: Vec<Entry> = QUEUE.with(|queue| queue.borrow_mut().drain(..).collect());
    for entry in entries {
        let line = format!("{}\n", line_text(&entry));
        let line = CString::new(line.replace('\0', " ")).unwrap_or_default();
        let bytes = line.as_bytes();
        // SAFETY: `line` is NUL-terminated and outlives the call; the caller
        // promises a callback that accepts `data`.
        let more = unsafe { callback(line.as_ptr(), bytes.len(), data) };
        if more <= 0 {
            break;
        }
    }
    1
}

fn line_text(entry: &Entry) -> String {
    format!(
        "tsrs: error {}: {}",
        entry.reason,
        entry.message.to_string_lossy()
    )
}

/// The reason texts as C strings, built once.
fn reason_cstr(reason: Reason) -> &'static CStr {
    use std::sync::OnceLock;
    static TEXTS: OnceLock<Vec<(Reason, CString)>> = OnceLock::new();
    let texts = TEXTS.get_or_init(|| {
        Reason::ALL
            .iter()
            .map(|r| {
                (
                    *r,
                    CString::new(r.text()).expect("reason texts have no NUL"),
                )
            })
            .collect()
    });
    texts
        .iter()
        .find(|(r, _)| *r == reason)
        .map(|(_, text)| text.as_c_str())
        .unwrap_or(c"unknown reason")
}
