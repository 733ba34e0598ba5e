//! Input and output as `openssl` opens them, with one difference: output
//! files are written to a temporary name and renamed into place only when the
//! whole output is ready, so a failure never leaves a partial file.
//!
//! OpenSSL opens a file in one of two ways, and they fail differently:
//! `BIO_new_file` (for `-reply -in`, `-queryfile`, `-verify -in`, `-data` in
//! `-verify`) treats `-` as a file name and reports only error-queue entries;
//! `bio_open_default` (for `-query -in`, `-query -data` and every `-out`)
//! reads `-` or nothing as standard input or output and prints a `Can't
//! open` line before the entries.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use tsrs::error::{Error, os_error_text};

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
    fn new(path: &str, mode: &str, verb: &str, err: &std::io::Error, with_notice: bool) -> Self {
        let text = os_error_text(err);
        let notice = with_notice.then(|| format!("Can't open \"{path}\" for {verb}, {text}"));
        let error = Error::io(if verb == "reading" { "read" } else { "write" }, path, err)
            .with_earlier_records(Error::fopen_records(path, mode, err));
        OpenFailure { notice, error }
    }
}

/// Reads a whole file as `BIO_new_file(path, "rb")` opens it.
pub fn read_file(path: &str) -> Result<Vec<u8>, OpenFailure> {
    fs::read(path).map_err(|e| OpenFailure::new(path, "rb", "reading", &e, false))
}

/// Reads a file as `bio_open_default` opens it: standard input for `None` and `-`.
pub fn read_default(path: Option<&str>) -> Result<Vec<u8>, OpenFailure> {
    let mut input = open_default(path)?;
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes).map_err(|e| {
        let name = path.unwrap_or("-");
        OpenFailure::new(name, "rb", "reading", &e, true)
    })?;
    Ok(bytes)
}

/// Opens a file for streaming as `bio_open_default` does: standard input for `None` and `-`.
pub fn open_default(path: Option<&str>) -> Result<Box<dyn Read>, OpenFailure> {
    match path {
        None | Some("-") => Ok(Box::new(std::io::stdin())),
        Some(path) => fs::File::open(path)
            .map(|file| Box::new(std::io::BufReader::new(file)) as Box<dyn Read>)
            .map_err(|e| OpenFailure::new(path, "rb", "reading", &e, true)),
    }
}

/// Writes `bytes` to the file named by `-out`, or to standard output for
/// `None` and `-`. `text` selects the mode OpenSSL reports (`w` or `wb`).
pub fn write_output(path: Option<&str>, bytes: &[u8], text: bool) -> Result<(), OpenFailure> {
    let mode = if text { "w" } else { "wb" };
    match path {
        None | Some("-") => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(|e| OpenFailure::new("-", mode, "writing", &e, true))
        }
        Some(path) => write_file_atomically(Path::new(path), bytes)
            .map_err(|e| OpenFailure::new(path, mode, "writing", &e, true)),
    }
}

fn write_file_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = temp_name(path);
    let result = fs::File::create(&temp)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tsrs-{}.tmp", std::process::id()))
}
