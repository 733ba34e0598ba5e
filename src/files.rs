//! Reading and writing the files tsrs produces and consumes.
//!
//! A regular file is replaced atomically: the new content goes to a temporary
//! file beside it, created exclusively under a random name, which is flushed
//! to disk and renamed over the old file with the old file's permissions (and
//! owner, when running as root). Anything else is written in place, as
//! `fopen(path, "w")` would: device nodes such as `/dev/null` or
//! `/dev/stdout`, FIFOs, files with other hard links, and files whose folder
//! cannot take a temporary file. A symbolic link is followed, so its target
//! is replaced and the link is kept.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Reads a whole file, failing with `InvalidData` when it is larger than `limit` bytes.
pub fn read_limited(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    let file = File::open(path)?;
    read_to_end_limited(file, limit)
}

/// Reads everything `reader` yields, failing with `InvalidData` past `limit` bytes.
pub fn read_to_end_limited(reader: impl Read, limit: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(cap).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than the {limit} bytes tsrs reads"),
        ));
    }
    Ok(bytes)
}

/// Writes `bytes` to `path`, atomically where the file is a regular one (see
/// the module documentation).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let existing = match fs::metadata(path) {
        Ok(metadata) => Some(metadata),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let dangling_link =
        existing.is_none() && fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    match existing {
        None if dangling_link => write_in_place(path, bytes),
        None => replace(path, bytes, None),
        Some(metadata) if metadata.is_file() && metadata.nlink() == 1 => {
            let target = fs::canonicalize(path)?;
            match replace(&target, bytes, Some(&metadata)) {
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                    write_in_place(path, bytes)
                }
                other => other,
            }
        }
        Some(_) => write_in_place(path, bytes),
    }
}

/// Truncates and writes `path` itself.
pub fn write_in_place(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    file.write_all(bytes)?;
    if file.metadata().is_ok_and(|m| m.is_file()) {
        file.sync_all()?;
    }
    Ok(())
}

/// Writes a temporary file beside `path` and renames it over `path`.
fn replace(path: &Path, bytes: &[u8], existing: Option<&fs::Metadata>) -> io::Result<()> {
    let (mut file, temp) = create_temp(path)?;
    let result = (|| {
        file.write_all(bytes)?;
        if let Some(metadata) = existing {
            let mode = metadata.permissions().mode() & 0o7777;
            file.set_permissions(fs::Permissions::from_mode(mode))?;
            if is_root() {
                std::os::unix::fs::fchown(&file, Some(metadata.uid()), Some(metadata.gid()))?;
            }
        }
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
        return result;
    }
    if let Ok(folder) = File::open(folder_of(path)) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Creates `.NAME.tsrs-RANDOM.tmp` beside `path`, failing rather than
/// following anything already at that name.
fn create_temp(path: &Path) -> io::Result<(File, PathBuf)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = folder_of(path);
    let mut last_error = None;
    for _ in 0..16 {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
        let suffix: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let temp = folder.join(format!(".{name}.tsrs-{suffix}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((file, temp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("cannot create a temporary file")))
}

/// The folder that holds `path`: `.` for a bare file name.
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn is_root() -> bool {
    fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tsrs-files-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn new_file_is_created() {
        let dir = temp_dir("new");
        write_atomically(&dir.join("out"), b"abc").unwrap();
        assert_eq!(fs::read(dir.join("out")).unwrap(), b"abc");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn symlink_target_is_replaced_and_link_kept() {
        let dir = temp_dir("link");
        fs::write(dir.join("target"), b"old").unwrap();
        std::os::unix::fs::symlink("target", dir.join("link")).unwrap();
        write_atomically(&dir.join("link"), b"new").unwrap();
        assert!(
            fs::symlink_metadata(dir.join("link"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(dir.join("target")).unwrap(), b"new");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn permissions_are_kept() {
        let dir = temp_dir("mode");
        fs::write(dir.join("out"), b"old").unwrap();
        fs::set_permissions(dir.join("out"), fs::Permissions::from_mode(0o600)).unwrap();
        write_atomically(&dir.join("out"), b"new").unwrap();
        let mode = fs::metadata(dir.join("out")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn hard_linked_file_is_written_in_place() {
        let dir = temp_dir("hard");
        fs::write(dir.join("a"), b"old").unwrap();
        fs::hard_link(dir.join("a"), dir.join("b")).unwrap();
        write_atomically(&dir.join("a"), b"new").unwrap();
        assert_eq!(fs::read(dir.join("b")).unwrap(), b"new");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn device_is_written_in_place() {
        write_atomically(Path::new("/dev/null"), b"discarded").unwrap();
        let metadata = fs::metadata("/dev/null").unwrap();
        assert!(!metadata.is_file(), "/dev/null must stay a device");
    }

    #[test]
    fn planted_temp_link_is_not_followed() {
        let dir = temp_dir("plant");
        fs::write(dir.join("victim"), b"safe").unwrap();
        // A guessable temporary name is never used: names are random and
        // created exclusively, so a planted link cannot redirect the write.
        for i in 0..32 {
            std::os::unix::fs::symlink("victim", dir.join(format!(".out.tsrs-{i}.tmp"))).unwrap();
        }
        write_atomically(&dir.join("out"), b"data").unwrap();
        assert_eq!(fs::read(dir.join("victim")).unwrap(), b"safe");
        assert_eq!(fs::read(dir.join("out")).unwrap(), b"data");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn read_limit_is_enforced() {
        let err = read_to_end_limited(&[0u8; 11][..], 10).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(read_to_end_limited(&[0u8; 10][..], 10).unwrap().len(), 10);
    }
}
