//! Input and output as `openssl` opens them.
//!
//! OpenSSL opens a file in one of two ways, and they fail differently:
//! `BIO_new_file` (for `-reply -in`, `-queryfile`, `-verify -in`, `-data` in
//! `-verify`) treats `-` as a file name and reports only error-queue entries;
//! `bio_open_default` (for `-query -in`, `-query -data` and every `-out`)
//! reads `-` or nothing as standard input or output and prints a `Can't
//! open` line before the entries.
//!
//! Output files are written by [`tsrs::files::write_atomically`] only once the
//! whole output is ready, so a failure never leaves a partial file. Inputs
//! that tsrs parses are read up to the size its parsers accept.

use std::io::{Read, Write};
use std::path::Path;

use tsrs::asn1::ber::MAX_INPUT_LEN;
use tsrs::error::{Error, Reason, os_error_text};
use tsrs::files;

/// A file that could not be opened: the line `bio_open_default` prints, if
/// any, and the error with OpenSSL's queue entries.
#[derive(Debug)]
pub struct OpenFailure {
    /// The `Can't open ...` line, printed before the error.
    pub notice: Option<String>,
    /// The error.
    pub error: Error,
}

impl OpenFailure {
    fn new(path: &Path, mode: &str, verb: &str, err: &std::io::Error, with_notice: bool) -> Self {
        let display = path.display().to_string();
        if err.kind() == std::io::ErrorKind::InvalidData {
            let error = Error::new(Reason::TooLarge, format!("cannot read {display}: {err}"));
            return OpenFailure {
                notice: None,
                error,
            };
        }
        let text = os_error_text(err);
        let notice = with_notice.then(|| format!("Can't open \"{display}\" for {verb}, {text}"));
        let operation = if verb == "reading" { "read" } else { "write" };
        let error = Error::io(operation, &display, err)
            .with_earlier_records(Error::fopen_records(&display, mode, err));
        OpenFailure { notice, error }
    }

    /// Builds the failure of a file that opened but could not be written.
    /// OpenSSL prints nothing for this and exits 0, so there is no OpenSSL
    /// line to imitate.
    fn write_failed(path: &Path, err: &std::io::Error) -> Self {
        OpenFailure {
            notice: None,
            error: Error::io("write", &path.display().to_string(), err),
        }
    }
}

/// Returns whether an error of writing a whole file came from the writes
/// after the open: a full disk, a file too large or an I/O error.
fn is_write_error(err: &std::io::Error) -> bool {
    matches!(
        err.raw_os_error(),
        Some(libc::ENOSPC | libc::EFBIG | libc::EDQUOT | libc::EIO | libc::EPIPE)
    )
}

/// Reads a whole file as `BIO_new_file(path, "rb")` opens it.
pub fn read_file(path: &Path) -> Result<Vec<u8>, OpenFailure> {
    files::read_limited(path, MAX_INPUT_LEN)
        .map_err(|e| OpenFailure::new(path, "rb", "reading", &e, false))
}

/// Reads a file as `bio_open_default` opens it: standard input for `None` and `-`.
pub fn read_default(path: Option<&Path>) -> Result<Vec<u8>, OpenFailure> {
    let input = open_default(path)?;
    files::read_to_end_limited(input, MAX_INPUT_LEN).map_err(|e| {
        let name = path.unwrap_or(Path::new("-"));
        OpenFailure::new(name, "rb", "reading", &e, true)
    })
}

/// Opens a file for streaming as `bio_open_default` does: standard input for `None` and `-`.
pub fn open_default(path: Option<&Path>) -> Result<Box<dyn Read>, OpenFailure> {
    match path {
        None => Ok(Box::new(std::io::stdin())),
        Some(path) if path == Path::new("-") => Ok(Box::new(std::io::stdin())),
        Some(path) => std::fs::File::open(path)
            .map(|file| Box::new(std::io::BufReader::new(file)) as Box<dyn Read>)
            .map_err(|e| OpenFailure::new(path, "rb", "reading", &e, true)),
    }
}

/// Writes `bytes` to the file named by `-out`, or to standard output for
/// `None` and `-`. `text` selects the mode OpenSSL reports (`w` or `wb`).
pub fn write_output(path: Option<&Path>, bytes: &[u8], text: bool) -> Result<(), OpenFailure> {
    let mode = if text { "w" } else { "wb" };
    match path {
        Some(path) if path != Path::new("-") => files::write_atomically(path, bytes).map_err(|e| {
            if is_write_error(&e) {
                OpenFailure::write_failed(path, &e)
            } else {
                OpenFailure::new(path, mode, "writing", &e, true)
            }
        }),
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(|e| OpenFailure::write_failed(Path::new("standard output"), &e))
        }
    }
}
