//! Input and output as `openssl` opens them, with one difference: output
//! files are written to a temporary name and renamed into place only when the
//! whole output is ready, so a failure never leaves a partial file.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Reads a file named on the command line, or standard input for `None` and
/// `-` when `dash_is_stdin` (OpenSSL's `bio_open_default`). The error is the
/// line `openssl` prints.
pub fn read_input(path: Option<&str>, dash_is_stdin: bool) -> Result<Vec<u8>, String> {
    match path {
        None => read_stdin(),
        Some("-") if dash_is_stdin => read_stdin(),
        Some(path) => fs::read(path)
            .map_err(|e| format!("Can't open \"{path}\" for reading, {}", os_text(&e))),
    }
}

/// Opens a file named on the command line for streaming, with the same rules
/// as [`read_input`].
pub fn open_input(path: Option<&str>, dash_is_stdin: bool) -> Result<Box<dyn Read>, String> {
    match path {
        None => Ok(Box::new(std::io::stdin())),
        Some("-") if dash_is_stdin => Ok(Box::new(std::io::stdin())),
        Some(path) => fs::File::open(path)
            .map(|file| Box::new(std::io::BufReader::new(file)) as Box<dyn Read>)
            .map_err(|e| format!("Can't open \"{path}\" for reading, {}", os_text(&e))),
    }
}

fn read_stdin() -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("Can't read standard input, {}", os_text(&e)))?;
    Ok(bytes)
}

/// Writes `bytes` to the file named by `-out`, or to standard output for
/// `None` and `-`.
pub fn write_output(path: Option<&str>, bytes: &[u8]) -> Result<(), String> {
    match path {
        None | Some("-") => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .map_err(|e| format!("Can't write standard output, {}", os_text(&e)))
        }
        Some(path) => write_file_atomically(Path::new(path), bytes)
            .map_err(|e| format!("Can't open \"{path}\" for writing, {}", os_text(&e))),
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

/// The C library's text for an I/O error, as `strerror` gives it.
pub fn os_text(err: &std::io::Error) -> String {
    tsrs::error::os_error_text(err)
}
