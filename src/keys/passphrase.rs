//! Passphrase sources in the `-passin` syntax of the `openssl` commands, read
//! as `app_passwd` in OpenSSL 3.0's apps/lib/apps.c reads them, with its
//! error texts.

use std::io::{BufRead, BufReader, Read};

use zeroize::Zeroizing;

use crate::error::{Error, Reason, Result};

/// The maximum length of a line read from a file, a descriptor or standard
/// input: OpenSSL's `APP_PASS_LEN` buffer of 1024 bytes less the terminating NUL.
const MAX_LINE_LEN: u64 = 1023;

/// The maximum length of the source type, such as `file`, before the `:`.
/// This is OpenSSL's `PASS_SOURCE_SIZE_MAX`.
const MAX_SOURCE_TYPE_LEN: usize = 4;

/// Reads a passphrase from a `-passin`-style source:
///
/// - `pass:TEXT`: TEXT itself;
/// - `env:VAR`: the value of the environment variable VAR;
/// - `file:PATH`: the first line of the file;
/// - `fd:N`: the first line read from file descriptor N;
/// - `stdin`: the first line of standard input.
///
/// A line is at most 1023 bytes and ends before its `\n`. As in OpenSSL, a
/// `\r` before the `\n` stays part of the passphrase and a NUL byte ends it.
/// Descriptor N is read through `/proc/self/fd/N` (`/dev/fd/N` outside
/// Linux), which for a regular file starts at offset 0 rather than at the
/// descriptor's current offset.
///
/// # Errors
///
/// [`Reason::Password`], with the message `openssl` prints for the same
/// source, such as `No environment variable VAR` or
/// `Invalid password argument, starting with "abc:"`.
pub fn read_passphrase(source: &str) -> Result<Zeroizing<Vec<u8>>> {
    read_passphrase_with_stdin(source, &mut std::io::stdin().lock())
}

fn read_passphrase_with_stdin(source: &str, stdin: &mut dyn BufRead) -> Result<Zeroizing<Vec<u8>>> {
    if let Some(text) = source.strip_prefix("pass:") {
        return Ok(Zeroizing::new(text.as_bytes().to_vec()));
    }
    if let Some(name) = source.strip_prefix("env:") {
        return environment_variable(name)
            .ok_or_else(|| password_error(format!("No environment variable {name}")));
    }
    if let Some(path) = source.strip_prefix("file:") {
        let file = std::fs::File::open(path)
            .map_err(|_| password_error(format!("Can't open file {path}")))?;
        return read_first_line(&mut BufReader::new(file));
    }
    if let Some(number) = source.strip_prefix("fd:") {
        let fd = parse_c_int(number);
        if fd < 0 {
            return Err(password_error(format!(
                "Can't access file descriptor {number}"
            )));
        }
        // An fd that is not open fails on the first read in OpenSSL.
        let file = std::fs::File::open(descriptor_path(fd)).map_err(|_| read_error())?;
        return read_first_line(&mut BufReader::new(file));
    }
    if source == "stdin" {
        return read_first_line(stdin);
    }
    Err(invalid_source(source))
}

/// OpenSSL's message for an unknown source type. It shows the type only
/// when a `:` follows it closely, so that a bare passphrase given by mistake
/// is not echoed.
fn invalid_source(source: &str) -> Error {
    match source.find(':') {
        Some(colon) if colon <= MAX_SOURCE_TYPE_LEN => password_error(format!(
            "Invalid password argument, starting with \"{}\"",
            source.get(..=colon).unwrap_or(source)
        )),
        _ => password_error(format!(
            "Invalid password argument, missing ':' within the first {} chars",
            MAX_SOURCE_TYPE_LEN + 1
        )),
    }
}

fn environment_variable(name: &str) -> Option<Zeroizing<Vec<u8>>> {
    // `var_os` may panic on these names, and no variable can have them.
    if name.is_empty() || name.contains(['=', '\0']) {
        return None;
    }
    let value = std::env::var_os(name)?;
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStringExt::into_vec(value);
    #[cfg(not(unix))]
    let bytes = value.to_string_lossy().into_owned().into_bytes();
    Some(Zeroizing::new(bytes))
}

fn descriptor_path(fd: i32) -> String {
    if cfg!(target_os = "linux") {
        format!("/proc/self/fd/{fd}")
    } else {
        format!("/dev/fd/{fd}")
    }
}

/// Reads the first line as OpenSSL's `BIO_gets` into a 1024-byte buffer
/// does, then cuts it at the newline and at the first NUL.
fn read_first_line(reader: &mut dyn BufRead) -> Result<Zeroizing<Vec<u8>>> {
    let mut line = Zeroizing::new(Vec::new());
    let read = reader
        .take(MAX_LINE_LEN)
        .read_until(b'\n', &mut line)
        .map_err(|_| read_error())?;
    // OpenSSL's `BIO_gets` returns the C string length of the line, so a
    // line that starts with NUL (as /dev/zero gives) reads as nothing.
    if read == 0 || line.first() == Some(&0) {
        return Err(read_error());
    }
    if let Some(end) = line.iter().position(|&b| b == b'\n' || b == 0) {
        line.truncate(end);
    }
    Ok(line)
}

/// Parses like C's `atoi` in glibc: leading whitespace, an optional sign,
/// then digits up to the first non-digit. glibc computes `(int) strtol(text)`,
/// so values beyond the range of `long` saturate before the cast keeps the
/// low 32 bits.
fn parse_c_int(text: &str) -> i32 {
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (negative, digits) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, trimmed.get(1..).unwrap_or_default()),
        Some(b'+') => (false, trimmed.get(1..).unwrap_or_default()),
        _ => (false, trimmed),
    };
    let mut value: i64 = 0;
    for digit in digits.bytes().take_while(u8::is_ascii_digit) {
        let digit = i64::from(digit - b'0');
        value = if negative {
            value.saturating_mul(10).saturating_sub(digit)
        } else {
            value.saturating_mul(10).saturating_add(digit)
        };
    }
    // The cast is `(int) long` on LP64: keep the low 32 bits.
    #[allow(clippy::cast_possible_truncation)]
    let low_bits = value as i32;
    low_bits
}

fn read_error() -> Error {
    password_error("Error reading password from BIO".to_owned())
}

fn password_error(message: String) -> Error {
    Error::new(Reason::Password, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: &str, stdin: &[u8]) -> Result<Vec<u8>> {
        read_passphrase_with_stdin(source, &mut &stdin[..]).map(|pass| pass.to_vec())
    }

    fn message(source: &str) -> String {
        read(source, b"").unwrap_err().message().to_owned()
    }

    #[test]
    fn pass_source() {
        assert_eq!(read("pass:secret", b"").unwrap(), b"secret");
        assert_eq!(read("pass:", b"").unwrap(), b"");
        assert_eq!(read("pass:a:b\n", b"").unwrap(), b"a:b\n");
    }

    #[test]
    fn stdin_first_line() {
        assert_eq!(read("stdin", b"one\ntwo\n").unwrap(), b"one");
        assert_eq!(read("stdin", b"crlf\r\n").unwrap(), b"crlf\r");
        assert_eq!(read("stdin", b"\n").unwrap(), b"");
        assert_eq!(read("stdin", b"nul\0after\n").unwrap(), b"nul");
        assert_eq!(message("stdin"), "Error reading password from BIO");
    }

    #[test]
    fn long_line_is_cut() {
        let line = vec![b'x'; 2000];
        assert_eq!(read("stdin", &line).unwrap().len(), 1023);
    }

    #[test]
    fn invalid_sources() {
        assert_eq!(
            message("foo"),
            "Invalid password argument, missing ':' within the first 5 chars"
        );
        assert_eq!(
            message("abcde:x"),
            "Invalid password argument, missing ':' within the first 5 chars"
        );
        assert_eq!(
            message("abcd:x"),
            "Invalid password argument, starting with \"abcd:\""
        );
        assert_eq!(
            message(":x"),
            "Invalid password argument, starting with \":\""
        );
        assert_eq!(
            message("Pass:x"),
            "Invalid password argument, starting with \"Pass:\""
        );
    }

    #[test]
    fn environment_source() {
        assert_eq!(
            message("env:TSRS_TEST_SURELY_UNSET"),
            "No environment variable TSRS_TEST_SURELY_UNSET"
        );
        assert_eq!(message("env:"), "No environment variable ");
        assert_eq!(message("env:A=B"), "No environment variable A=B");
    }

    #[test]
    fn file_and_fd_errors() {
        assert_eq!(
            message("file:/nonexistent/tsrs"),
            "Can't open file /nonexistent/tsrs"
        );
        assert_eq!(message("fd:-1"), "Can't access file descriptor -1");
        assert_eq!(message("fd:-3x"), "Can't access file descriptor -3x");
        assert_eq!(message("fd:999999"), "Error reading password from BIO");
        assert_eq!(message("file:/dev/zero"), "Error reading password from BIO");
    }

    #[test]
    fn atoi_semantics() {
        assert_eq!(parse_c_int("3"), 3);
        assert_eq!(parse_c_int("  42abc"), 42);
        assert_eq!(parse_c_int("abc"), 0);
        assert_eq!(parse_c_int(""), 0);
        assert_eq!(parse_c_int("-7"), -7);
        assert_eq!(parse_c_int("+7"), 7);
        assert_eq!(parse_c_int("99999999999999999999999"), -1);
        assert_eq!(parse_c_int("-99999999999999999999999"), 0);
    }
}
