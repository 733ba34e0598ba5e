//! `read_passphrase` against `openssl pkey -passin` with the same sources.

mod keys_support;

use std::os::fd::AsRawFd;

use keys_support::Workdir;
use tsrs::Reason;
use tsrs::keys::{PrivateKey, read_passphrase};

const SECRET: &str = "secret";

/// Makes `key.pem`, encrypted with SECRET, and `long.pem`, encrypted with
/// 1023 `a` characters, the longest passphrase a file line can give.
fn setup(work: &Workdir) {
    let long = "a".repeat(1023);
    work.openssl(&[
        "genpkey",
        "-algorithm",
        "ED25519",
        "-aes256",
        "-pass",
        &format!("pass:{SECRET}"),
        "-out",
        "key.pem",
    ]);
    work.openssl(&[
        "genpkey",
        "-algorithm",
        "ED25519",
        "-aes256",
        "-pass",
        &format!("pass:{long}"),
        "-out",
        "long.pem",
    ]);
}

/// Reports whether `openssl pkey` opens `key` with the passphrase from `source`.
fn openssl_accepts(work: &Workdir, key: &str, source: &str) -> bool {
    work.openssl_output(&["pkey", "-in", key, "-passin", source, "-noout"])
        .status
        .success()
}

/// Reports whether tsrs opens `key` with the passphrase from `source`.
fn tsrs_accepts(work: &Workdir, key: &str, source: &str) -> bool {
    match read_passphrase(source) {
        Ok(passphrase) => PrivateKey::load(&work.path(key), Some(&passphrase)).is_ok(),
        Err(_) => false,
    }
}

#[test]
fn file_lines_match_openssl() {
    let work = Workdir::new();
    setup(&work);
    let long_line = format!("{}\n", "a".repeat(1500));
    let cases: [(&str, &[u8]); 8] = [
        ("newline", b"secret\n"),
        ("no newline", b"secret"),
        ("crlf", b"secret\r\n"),
        ("two lines", b"secret\nother\n"),
        ("empty line", b"\nsecret\n"),
        ("empty file", b""),
        ("nul", b"secret\0tail\n"),
        ("long line", long_line.as_bytes()),
    ];
    for (case, contents) in cases {
        let path = work.write("pass.txt", contents);
        let source = format!("file:{}", path.display());
        for key in ["key.pem", "long.pem"] {
            assert_eq!(
                tsrs_accepts(&work, key, &source),
                openssl_accepts(&work, key, &source),
                "{case}, {key}"
            );
        }
    }
}

#[test]
fn file_descriptor_source() {
    let work = Workdir::new();
    setup(&work);
    let path = work.write("pass.txt", b"secret\nnext\n");
    let file = std::fs::File::open(&path).unwrap();
    let source = format!("fd:{}", file.as_raw_fd());
    assert_eq!(
        read_passphrase(&source).unwrap().as_slice(),
        SECRET.as_bytes()
    );
    assert!(tsrs_accepts(&work, "key.pem", &source));
}

#[test]
fn environment_source() {
    let path = std::env::var_os("PATH").expect("PATH is set");
    let passphrase = read_passphrase("env:PATH").unwrap();
    assert_eq!(passphrase.as_slice(), path.as_encoded_bytes());
}

#[test]
fn error_texts_match_openssl() {
    let work = Workdir::new();
    setup(&work);
    work.write("empty.txt", b"");
    let sources = [
        "secret",
        "abcdefgh",
        "abcd:x",
        "abcde:x",
        "PASS:secret",
        "env:TSRS_TEST_VARIABLE_THAT_IS_NOT_SET",
        "file:/nonexistent/tsrs/pass.txt",
        "file:empty.txt",
        "fd:-1",
        "fd:999999",
    ];
    for source in sources {
        let output = work.openssl_output(&["pkey", "-in", "key.pem", "-passin", source, "-noout"]);
        assert!(!output.status.success(), "{source}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let expected = stderr.lines().next().unwrap_or_default();

        // `file:empty.txt` is relative to the openssl run's directory.
        let source = source.replace(
            "file:empty.txt",
            &format!("file:{}", work.path("empty.txt").display()),
        );
        let err = read_passphrase(&source).unwrap_err();
        assert_eq!(err.reason(), Reason::Password, "{source}");
        let expected = expected.replace("empty.txt", &work.path("empty.txt").display().to_string());
        assert_eq!(err.message(), expected, "{source}");
    }
}
