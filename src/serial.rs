//! The TSA serial number file, in the format `openssl ts -reply` reads and writes.
//!
//! The file holds one hexadecimal number. Each reply reads it, adds one, and
//! writes the new value back before signing, so a serial is never handed out
//! twice. Unlike OpenSSL, tsrs holds an exclusive lock while it does so (on
//! the file's folder, or on the file when the folder cannot be opened) and
//! replaces the file through [`crate::files::write_atomically`], so
//! concurrent replies get distinct serials and a crash leaves either the old
//! or the new value. A symbolic link is followed, so several names can share
//! one counter. Only a missing file restarts the count at 1; a file that
//! exists but cannot be read is an error.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use der::asn1::Int;

use crate::asn1::{int_from_bytes, unsigned_integer_bytes};
use crate::error::{Error, Reason, Result, lib, os_error_text};
use crate::files;

/// Largest serial file read. A serial file contains one short line, and a
/// device such as /dev/zero must not fill memory.
const MAX_SERIAL_FILE_LEN: usize = 1024 * 1024;
/// Bytes `BIO_gets` returns per call in OpenSSL's reader (its 1024-byte buffer, less the NUL).
const LINE_LIMIT: usize = 1023;

/// Bytes per line in the written form; longer numbers continue after `\` and a newline.
const BYTES_PER_LINE: usize = 35;

/// A serial number file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerialFile {
    path: PathBuf,
}

/// The result of [`SerialFile::next`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextSerial {
    /// The serial number to put in the token.
    pub serial: Int,
    /// Whether the file did not exist (or could not be opened), so the serial is 1.
    /// `openssl ts` prints a warning in that case.
    pub file_was_missing: bool,
}

impl SerialFile {
    /// A serial file at `path`; nothing is read until [`SerialFile::next`].
    pub fn new(path: impl Into<PathBuf>) -> Self {
        SerialFile { path: path.into() }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Takes the next serial: reads the file (1 when it cannot be opened), adds
    /// one, and saves the new value, all under an exclusive lock.
    ///
    /// Fails when the content is not a number `openssl ts` would read, and when
    /// the new value cannot be saved: a serial that is not saved would be
    /// handed out again.
    pub fn next(&self) -> Result<NextSerial> {
        let path = self.resolved_path();
        let _lock = lock(&path)?;
        let (magnitude, file_was_missing) = match crate::files::read_limited(
            &path,
            MAX_SERIAL_FILE_LEN,
        ) {
            Ok(content) => {
                let current = read_serial(&content).map_err(|reason| {
                    Error::new(
                        Reason::Serial,
                        format!(
                            "unable to load number from {}: expected one line of hexadecimal digits, an even count",
                            self.path.display()
                        ),
                    )
                    .with_record(lib::ASN1, "a2i_ASN1_INTEGER", reason, "")
                })?;
                (increment(&current), false)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (vec![1], true),
            // An endless file (a device) is not a number: OpenSSL's line
            // reader finds no digits in it.
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Err(Error::new(
                    Reason::Serial,
                    format!(
                        "unable to load number from {}: the file is {}",
                        self.path.display(),
                        os_error_text(&e)
                    ),
                )
                .with_record(lib::ASN1, "a2i_ASN1_INTEGER", "short line", ""));
            }
            Err(e) => {
                return Err(Error::new(
                    Reason::Serial,
                    format!(
                        "cannot read the serial file {}: {}; refusing to restart the serial numbers at 1",
                        self.path.display(),
                        os_error_text(&e)
                    ),
                ));
            }
        };
        let text = format_serial(&magnitude);
        files::write_atomically(&path, text.as_bytes()).map_err(|e| {
            Error::new(
                Reason::Serial,
                format!(
                    "could not save serial number to {}: {}",
                    self.path.display(),
                    os_error_text(&e)
                ),
            )
        })?;
        let serial = int_from_bytes(&unsigned_integer_bytes(&magnitude))?;
        Ok(NextSerial {
            serial,
            file_was_missing,
        })
    }

    /// The file to read and replace: a symbolic link's target, so that
    /// several names for one counter share it.
    fn resolved_path(&self) -> PathBuf {
        fs::canonicalize(&self.path).unwrap_or_else(|_| self.path.clone())
    }
}

/// Takes an exclusive lock for the serial file at `path`: on its folder,
/// which also covers the moment before the file exists and the rename that
/// replaces it, or, when the folder cannot be opened, on the file itself.
fn lock(path: &Path) -> Result<File> {
    let folder = files::folder_of(path);
    let handle = match File::open(&folder) {
        Ok(handle) => handle,
        Err(_) => OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| {
                Error::new(
                    Reason::Serial,
                    format!(
                        "cannot open {} or its folder to lock the serial file: {}",
                        path.display(),
                        os_error_text(&e)
                    ),
                )
            })?,
    };
    handle.lock().map_err(|e| {
        Error::new(
            Reason::Serial,
            format!(
                "cannot lock the serial file {}: {}",
                path.display(),
                os_error_text(&e)
            ),
        )
    })?;
    Ok(handle)
}

/// Reads a serial as OpenSSL's `a2i_ASN1_INTEGER` does and returns its
/// big-endian magnitude, or `None` where OpenSSL fails.
///
/// Per line: a trailing `\n` and then `\r` are removed, the line is cut at its
/// first character that is not a hex digit, at least two digits must remain, a
/// leading `00` on the first line is dropped, and a line ending in `\` continues
/// on the next one. OpenSSL subtracts one digit for that `\` after cutting, so a
/// continued line needs an odd digit count; the quirk is kept so that tsrs reads
/// exactly the files OpenSSL reads.
pub fn parse_serial(content: &[u8]) -> Option<Vec<u8>> {
    read_serial(content).ok()
}

/// [`parse_serial`] with the reason OpenSSL raises on failure: `short line`
/// or `odd number of chars`.
fn read_serial(content: &[u8]) -> core::result::Result<Vec<u8>, &'static str> {
    const SHORT_LINE: &str = "short line";
    let mut lines = gets_chunks(content);
    let mut out = Vec::new();
    let mut first = true;
    loop {
        let mut line = lines.next().ok_or(SHORT_LINE)?;
        if line.last() == Some(&b'\n') {
            line = &line[..line.len() - 1];
        }
        if line.last() == Some(&b'\r') {
            line = &line[..line.len() - 1];
        }
        let again = usize::from(*line.last().ok_or(SHORT_LINE)? == b'\\');
        let hex_len = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        if hex_len < 2 {
            return Err(SHORT_LINE);
        }
        let mut digits = &line[..hex_len];
        if first {
            first = false;
            if digits.starts_with(b"00") {
                digits = &digits[2..];
            }
        }
        let count = digits
            .len()
            .checked_sub(again)
            .ok_or("odd number of chars")?;
        if count % 2 != 0 {
            return Err("odd number of chars");
        }
        for pair in digits[..count].chunks_exact(2) {
            let high = (pair[0] as char).to_digit(16).ok_or(SHORT_LINE)?;
            let low = (pair[1] as char).to_digit(16).ok_or(SHORT_LINE)?;
            out.push((high * 16 + low) as u8);
        }
        if again == 0 {
            return Ok(out);
        }
    }
}

/// Splits `content` the way successive `BIO_gets` calls with a 1024-byte
/// buffer return it: up to and including each newline, at most 1023 bytes.
fn gets_chunks(content: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = content;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let limit = rest.len().min(LINE_LIMIT);
        let end = rest[..limit]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(limit, |i| i + 1);
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
}

/// Adds one to a big-endian magnitude.
fn increment(magnitude: &[u8]) -> Vec<u8> {
    let mut out = magnitude.to_vec();
    for byte in out.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            return out;
        }
    }
    out.insert(0, 1);
    out
}

/// Writes a magnitude as OpenSSL's `i2a_ASN1_INTEGER` does, plus the final
/// newline: uppercase hex, two digits per byte, `00` for zero, and `\` with a
/// newline after every 35 bytes.
pub fn format_serial(magnitude: &[u8]) -> String {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    let bytes = &magnitude[skip..];
    if bytes.is_empty() {
        return "00\n".to_owned();
    }
    let mut text = String::with_capacity(bytes.len() * 2 + 2);
    for (i, byte) in bytes.iter().enumerate() {
        if i != 0 && i % BYTES_PER_LINE == 0 {
            text.push_str("\\\n");
        }
        text.push_str(&format!("{byte:02X}"));
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_matches_openssl_rules() {
        let cases: [(&[u8], Option<&[u8]>); 12] = [
            (b"01\n", Some(&[1])),
            (b"FF", Some(&[0xFF])),
            (b"0100\r\n", Some(&[1, 0])),
            (b"00", Some(&[])),
            (b"0001", Some(&[1])),
            (b"0A zz", Some(&[0x0A])),
            (b"1", None),
            (b"-5", None),
            (b"xyz", None),
            (b"abc", None),
            (b"", None),
            (b"\n", None),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_serial(input).as_deref(),
                expected,
                "{:?}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn continued_line_keeps_openssl_quirk() {
        // OpenSSL drops one digit for the backslash, so "010\" reads as 01.
        assert_eq!(parse_serial(b"010\\\n02\n").as_deref(), Some(&[1, 2][..]));
        assert_eq!(parse_serial(b"0102\\\n03\n"), None);
    }

    #[test]
    fn format_matches_openssl() {
        assert_eq!(format_serial(&[1]), "01\n");
        assert_eq!(format_serial(&[1, 0]), "0100\n");
        assert_eq!(format_serial(&[]), "00\n");
        assert_eq!(format_serial(&[0, 0x80]), "80\n");
        let long = format_serial(&[0xAB; 36]);
        assert_eq!(long.len(), 70 + 2 + 2 + 1);
        assert!(long[..72].ends_with("\\\n"));
    }

    #[test]
    fn increment_carries() {
        assert_eq!(increment(&[0xFF]), [1, 0]);
        assert_eq!(increment(&[]), [1]);
        assert_eq!(increment(&[0x7F, 0xFF]), [0x80, 0]);
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tsrs-serial-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn missing_file_gives_one_and_creates_file() {
        let dir = temp_dir("missing");
        let file = SerialFile::new(dir.join("serial"));
        let next = file.next().unwrap();
        assert!(next.file_was_missing);
        assert_eq!(next.serial.as_bytes(), [1]);
        assert_eq!(fs::read_to_string(dir.join("serial")).unwrap(), "01\n");
        let next = file.next().unwrap();
        assert!(!next.file_was_missing);
        assert_eq!(next.serial.as_bytes(), [2]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn increments_past_sign_bit() {
        let dir = temp_dir("sign");
        fs::write(dir.join("serial"), "7FFFFFFFFFFFFFFFFFFF\n").unwrap();
        let next = SerialFile::new(dir.join("serial")).next().unwrap();
        let mut expected = vec![0, 0x80];
        expected.extend_from_slice(&[0; 9]);
        assert_eq!(next.serial.as_bytes(), expected);
        assert_eq!(
            fs::read_to_string(dir.join("serial")).unwrap(),
            "80000000000000000000\n"
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn bad_content_fails_and_keeps_file() {
        let dir = temp_dir("bad");
        fs::write(dir.join("serial"), "-5\n").unwrap();
        let err = SerialFile::new(dir.join("serial")).next().unwrap_err();
        assert_eq!(err.reason(), Reason::Serial);
        assert!(err.to_string().contains("unable to load number"), "{err}");
        assert_eq!(fs::read_to_string(dir.join("serial")).unwrap(), "-5\n");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn concurrent_callers_get_distinct_serials() {
        let dir = temp_dir("threads");
        let path = dir.join("serial");
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || {
                    (0..25)
                        .map(|_| {
                            SerialFile::new(&path)
                                .next()
                                .unwrap()
                                .serial
                                .as_bytes()
                                .to_vec()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<Vec<u8>> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 200);
        assert_eq!(fs::read_to_string(&path).unwrap(), "C8\n");
        fs::remove_dir_all(dir).unwrap();
    }
}
