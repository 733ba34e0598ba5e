//! How `tsrs ts` treats the files it is given: names that are not UTF-8,
//! output paths that are links or devices, oversized input, and a serial
//! file reached through a symbolic link.

mod common;

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::process::Command;

use common::{Pki, Tool, ts, tsrs};

fn tsrs_in(dir: &std::path::Path, args: &[&OsStr]) -> std::process::Output {
    Command::new(tsrs())
        .arg("ts")
        .args(args)
        .current_dir(dir)
        .env_remove("OPENSSL_CONF")
        .output()
        .unwrap()
}

#[test]
fn non_utf8_file_names_work() {
    let pki = Pki::new();
    let d = pki.path();
    let name = OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(d.join(name), b"latin-1 file name\n").unwrap();
    let args: Vec<&OsStr> = ["-query", "-config", "tsa.cnf", "-no_nonce", "-data"]
        .iter()
        .map(OsStr::new)
        .chain([name, OsStr::new("-out"), OsStr::new("q.tsq")])
        .collect();
    let out = tsrs_in(d, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = Command::new("openssl")
        .args(["ts", "-query", "-config", "tsa.cnf", "-no_nonce", "-data"])
        .arg(name)
        .current_dir(d)
        .output()
        .unwrap();
    assert!(expected.status.success());
    assert_eq!(fs::read(d.join("q.tsq")).unwrap(), expected.stdout);
}

#[test]
fn output_through_symlink_keeps_link() {
    let pki = Pki::new();
    let d = pki.path();
    fs::write(d.join("target.tsq"), b"old").unwrap();
    std::os::unix::fs::symlink("target.tsq", d.join("link.tsq")).unwrap();
    let out = ts(
        Tool::Tsrs,
        d,
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-data",
            "data.txt",
            "-no_nonce",
            "-out",
            "link.tsq",
        ],
        false,
        None,
    );
    assert!(out.status.success());
    let link = fs::symlink_metadata(d.join("link.tsq")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert_ne!(fs::read(d.join("target.tsq")).unwrap(), b"old");
}

#[test]
fn output_to_dev_null_keeps_device() {
    let pki = Pki::new();
    let out = ts(
        Tool::Tsrs,
        pki.path(),
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-data",
            "data.txt",
            "-out",
            "/dev/null",
        ],
        false,
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata = fs::metadata("/dev/null").unwrap();
    assert!(!metadata.is_file(), "/dev/null became a regular file");
}

#[test]
fn output_to_hard_link_updates_both_names() {
    let pki = Pki::new();
    let d = pki.path();
    fs::write(d.join("a.tsq"), b"old").unwrap();
    fs::hard_link(d.join("a.tsq"), d.join("b.tsq")).unwrap();
    let out = ts(
        Tool::Tsrs,
        d,
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-data",
            "data.txt",
            "-no_nonce",
            "-out",
            "a.tsq",
        ],
        false,
        None,
    );
    assert!(out.status.success());
    assert_eq!(
        fs::read(d.join("a.tsq")).unwrap(),
        fs::read(d.join("b.tsq")).unwrap()
    );
}

#[test]
fn endless_input_is_cut_off() {
    let pki = Pki::new();
    let out = ts(
        Tool::Tsrs,
        pki.path(),
        &["-reply", "-config", "tsa.cnf", "-in", "/dev/zero", "-text"],
        false,
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("larger than"), "{stderr}");
}

#[test]
fn serial_symlink_is_followed() {
    let pki = Pki::new();
    let d = pki.path();
    let request = ts(
        Tool::Openssl,
        d,
        &[
            "-query", "-config", "tsa.cnf", "-data", "data.txt", "-out", "req.tsq",
        ],
        false,
        None,
    );
    assert!(request.status.success());
    fs::create_dir(d.join("shared")).unwrap();
    fs::write(d.join("shared/counter"), b"10\n").unwrap();
    std::os::unix::fs::symlink("shared/counter", d.join("serial")).unwrap();
    let out = ts(
        Tool::Tsrs,
        d,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "req.tsq",
            "-token_out",
            "-text",
        ],
        false,
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Serial number: 0x11"));
    assert!(
        fs::symlink_metadata(d.join("serial"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(d.join("shared/counter")).unwrap(),
        "11\n"
    );
}

#[test]
fn unreadable_serial_is_rejected() {
    let pki = Pki::new();
    let d = pki.path();
    let request = ts(
        Tool::Openssl,
        d,
        &[
            "-query", "-config", "tsa.cnf", "-data", "data.txt", "-out", "req.tsq",
        ],
        false,
        None,
    );
    assert!(request.status.success());
    // A folder in place of the serial file cannot be read as one.
    fs::create_dir(d.join("serial")).unwrap();
    let out = ts(
        Tool::Tsrs,
        d,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "req.tsq",
            "-text",
        ],
        false,
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Error during serial number generation."),
        "{stdout}"
    );
    assert!(d.join("serial").is_dir(), "the serial folder was replaced");
}

#[test]
fn full_device_fails_with_write_error() {
    let pki = Pki::new();
    let d = pki.path();
    let args: Vec<&OsStr> = [
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "tsa.cnf",
        "-out",
        "/dev/full",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let out = tsrs_in(d, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write /dev/full"), "{stderr}");
    assert!(!stderr.contains("Can't open"), "{stderr}");
}

#[test]
fn full_stdout_fails_with_write_error() {
    let pki = Pki::new();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(tsrs())
        .args([
            "ts", "-query", "-config", "tsa.cnf", "-data", "tsa.cnf", "-text",
        ])
        .current_dir(pki.path())
        .env_remove("OPENSSL_CONF")
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot write standard output"), "{stderr}");
}
