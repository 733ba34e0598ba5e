//! Bad input to `tsrs ts`: each case exits 1 with a message that names the
//! problem, writes no output file, leaves an existing output untouched, and
//! never panics.

mod common;

use std::fs;

use common::{Pki, Tool, ts};

fn fixture() -> Pki {
    let pki = Pki::new();
    let d = pki.path();
    let out = ts(
        Tool::Openssl,
        d,
        &[
            "-query", "-config", "tsa.cnf", "-data", "data.txt", "-cert", "-out", "req.tsq",
        ],
        false,
        None,
    );
    assert!(out.status.success());
    let out = ts(
        Tool::Openssl,
        d,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "req.tsq",
            "-out",
            "resp.tsr",
        ],
        false,
        None,
    );
    assert!(out.status.success());
    let out = ts(
        Tool::Openssl,
        d,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-in",
            "resp.tsr",
            "-token_out",
            "-out",
            "resp.tok",
        ],
        false,
        None,
    );
    assert!(out.status.success());
    fs::write(d.join("garbage.bin"), b"this is not DER at all").unwrap();
    let request = fs::read(d.join("req.tsq")).unwrap();
    fs::write(d.join("truncated.tsq"), &request[..request.len() / 2]).unwrap();
    let response = fs::read(d.join("resp.tsr")).unwrap();
    fs::write(d.join("truncated.tsr"), &response[..response.len() - 7]).unwrap();
    fs::write(d.join("empty.bin"), b"").unwrap();
    pki
}

/// Runs tsrs with `-out out.bin` appended and checks exit 1, the message, and
/// that `out.bin` was not created.
fn fails(pki: &Pki, args: &[&str], message: &str) {
    let out_path = pki.join("out.bin");
    let _ = fs::remove_file(&out_path);
    let mut full: Vec<&str> = args.to_vec();
    full.extend_from_slice(&["-out", "out.bin"]);
    let out = ts(Tool::Tsrs, pki.path(), &full, false, None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "ts {}: {stderr}",
        full.join(" ")
    );
    assert!(
        stderr.contains(message),
        "ts {}: expected {message:?} in stderr:\n{stderr}",
        full.join(" ")
    );
    assert!(
        !out_path.exists(),
        "ts {} left an output file",
        full.join(" ")
    );
}

#[test]
fn malformed_inputs_fail_cleanly() {
    let pki = fixture();
    let cases: &[(&[&str], &str)] = &[
        (
            &["-query", "-config", "tsa.cnf", "-in", "garbage.bin"],
            "cannot decode time-stamp request",
        ),
        (
            &["-query", "-config", "tsa.cnf", "-in", "truncated.tsq"],
            "cannot decode time-stamp request",
        ),
        (
            &["-query", "-config", "tsa.cnf", "-in", "empty.bin"],
            "cannot decode time-stamp request",
        ),
        (
            &["-reply", "-config", "tsa.cnf", "-in", "garbage.bin"],
            "cannot decode time-stamp response",
        ),
        (
            &["-reply", "-config", "tsa.cnf", "-in", "truncated.tsr"],
            "cannot decode time-stamp response",
        ),
        (
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-in",
                "resp.tsr",
                "-token_in",
            ],
            "remove -token_in",
        ),
        (
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-in",
                "garbage.bin",
                "-token_in",
            ],
            "cannot decode time-stamp token",
        ),
        (
            &[
                "-verify",
                "-config",
                "tsa.cnf",
                "-in",
                "truncated.tsr",
                "-data",
                "data.txt",
                "-CAfile",
                "ca.pem",
            ],
            "cannot decode time-stamp response",
        ),
        (
            &[
                "-verify",
                "-config",
                "tsa.cnf",
                "-in",
                "resp.tsr",
                "-queryfile",
                "garbage.bin",
                "-CAfile",
                "ca.pem",
            ],
            "cannot decode time-stamp request",
        ),
    ];
    for (args, message) in cases {
        fails(&pki, args, message);
    }
}

#[test]
fn missing_files_fail_cleanly() {
    let pki = fixture();
    let cases: &[(&[&str], &str)] = &[
        (
            &["-query", "-config", "tsa.cnf", "-data", "nosuch.txt"],
            "Can't open \"nosuch.txt\" for reading, No such file or directory",
        ),
        (
            &["-query", "-config", "tsa.cnf", "-in", "nosuch.tsq"],
            "Can't open \"nosuch.tsq\"",
        ),
        (
            &["-query", "-config", "nosuch.cnf", "-data", "data.txt"],
            "Can't open \"nosuch.cnf\" for reading",
        ),
        (
            &["-reply", "-config", "tsa.cnf", "-queryfile", "nosuch.tsq"],
            "nosuch.tsq",
        ),
        (
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-queryfile",
                "req.tsq",
                "-signer",
                "nosuch.pem",
            ],
            "nosuch.pem",
        ),
        (
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-queryfile",
                "req.tsq",
                "-inkey",
                "nosuch.key",
            ],
            "nosuch.key",
        ),
        (
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-queryfile",
                "req.tsq",
                "-chain",
                "nosuch.pem",
            ],
            "nosuch.pem",
        ),
        (
            &[
                "-verify",
                "-config",
                "tsa.cnf",
                "-in",
                "resp.tsr",
                "-data",
                "nosuch.txt",
                "-CAfile",
                "ca.pem",
            ],
            "nosuch.txt",
        ),
        (
            &[
                "-verify",
                "-config",
                "tsa.cnf",
                "-in",
                "resp.tsr",
                "-data",
                "data.txt",
                "-CAfile",
                "nosuch.pem",
            ],
            "Error loading file nosuch.pem",
        ),
        (
            &[
                "-verify",
                "-config",
                "tsa.cnf",
                "-in",
                "resp.tsr",
                "-data",
                "data.txt",
                "-CAfile",
                "ca.pem",
                "-untrusted",
                "nosuch.pem",
            ],
            "nosuch.pem",
        ),
    ];
    for (args, message) in cases {
        fails(&pki, args, message);
    }
}

#[test]
fn bad_values_fail_cleanly() {
    let pki = fixture();
    let d = pki.path();
    let config = fs::read_to_string(d.join("tsa.cnf")).unwrap();
    let bad_sections = "
[ no_serial ]
signer_cert = ./tsa.pem
[ bad_digest ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha999
[ bad_accuracy ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
digests = sha256
accuracy = secs:1, minutes:2
[ bad_ordering ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
digests = sha256
ordering = true
[ bad_precision ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
digests = sha256
clock_precision_digits = 7
[ no_digests ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
[ bad_engine ]
serial = ./serial
crypto_device = nosuchengine
";
    fs::write(d.join("bad.cnf"), format!("{config}{bad_sections}")).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["-query", "-config", "tsa.cnf", "-digest", "abcd"],
            "bad digest, 32 bytes must be specified",
        ),
        (
            &["-query", "-config", "tsa.cnf", "-sha1", "-digest", "0011"],
            "bad digest, 20 bytes must be specified",
        ),
        (
            &["-query", "-config", "tsa.cnf", "-digest", "xyz!"],
            "bad digest",
        ),
        (
            &[
                "-query",
                "-config",
                "tsa.cnf",
                "-data",
                "data.txt",
                "-tspolicy",
                "no.such.policy",
            ],
            "cannot convert no.such.policy to OID",
        ),
        (
            &[
                "-query", "-config", "tsa.cnf", "-data", "data.txt", "-sha999",
            ],
            "Unknown option or message digest: sha999",
        ),
        (
            &[
                "-reply",
                "-config",
                "bad.cnf",
                "-section",
                "no_serial",
                "-queryfile",
                "req.tsq",
            ],
            "no_serial::serial",
        ),
        (
            &[
                "-reply",
                "-config",
                "bad.cnf",
                "-section",
                "bad_digest",
                "-queryfile",
                "req.tsq",
            ],
            "bad_digest::signer_digest",
        ),
        (
            &[
                "-reply",
                "-config",
                "bad.cnf",
                "-section",
                "bad_accuracy",
                "-queryfile",
                "req.tsq",
            ],
            "bad_accuracy::accuracy",
        ),
        (
            &[
                "-reply",
                "-config",
                "bad.cnf",
                "-section",
                "bad_ordering",
                "-queryfile",
                "req.tsq",
            ],
            "bad_ordering::ordering",
        ),
        (
            &[
                "-reply",
                "-config",
                "bad.cnf",
                "-section",
                "bad_precision",
                "-queryfile",
                "req.tsq",
            ],
            "bad_precision::clock_precision_digits",
        ),
        (
            &[
                "-reply",
                "-config",
                "bad.cnf",
                "-section",
                "no_digests",
                "-queryfile",
                "req.tsq",
            ],
            "no_digests::digests",
        ),
        (
            &[
                "-reply",
                "-config",
                "bad.cnf",
                "-section",
                "bad_engine",
                "-queryfile",
                "req.tsq",
            ],
            "bad_engine::crypto_device",
        ),
        (
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-queryfile",
                "req.tsq",
                "-signer",
                "nontsa.pem",
            ],
            "invalid signer certificate purpose",
        ),
        (
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-queryfile",
                "req.tsq",
                "-inkey",
                "data.txt",
            ],
            "data.txt",
        ),
        (
            &[
                "-verify", "-config", "tsa.cnf", "-in", "resp.tsr", "-digest", "zz", "-CAfile",
                "ca.pem",
            ],
            "invalid digest string",
        ),
    ];
    for (args, message) in cases {
        fails(&pki, args, message);
    }
}

#[test]
fn failure_keeps_existing_output() {
    let pki = fixture();
    let d = pki.path();
    fs::write(d.join("keep.bin"), b"precious").unwrap();
    let out = ts(
        Tool::Tsrs,
        d,
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-in",
            "garbage.bin",
            "-out",
            "keep.bin",
        ],
        false,
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read(d.join("keep.bin")).unwrap(), b"precious");
}

#[test]
fn mismatched_key_is_a_rejection() {
    let pki = fixture();
    let out = ts(
        Tool::Tsrs,
        pki.path(),
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "req.tsq",
            "-inkey",
            "tsa-ec.key",
            "-text",
        ],
        false,
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.contains("Status description: Error during signature generation."),
        "{stdout}"
    );
    assert!(
        stderr.contains("private key does not match certificate")
            || stderr.contains("key type mismatch"),
        "{stderr}"
    );
}

/// Flips bytes and cuts a valid response and token in many places: tsrs
/// prints or rejects each one, and never panics or hangs.
#[test]
fn mutated_responses_never_panic() {
    let pki = fixture();
    let d = pki.path();
    for source in ["resp.tsr", "resp.tok"] {
        let original = fs::read(d.join(source)).unwrap();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..40 {
            let mut bytes = original.clone();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let position = (state as usize) % bytes.len();
            if i % 4 == 0 {
                bytes.truncate(position);
            } else {
                bytes[position] ^= (state >> 32) as u8 | 1;
            }
            fs::write(d.join("mutated.bin"), &bytes).unwrap();
            let token_flag: &[&str] = if source.ends_with(".tok") {
                &["-token_in"]
            } else {
                &[]
            };
            let mut print = vec![
                "-reply",
                "-config",
                "tsa.cnf",
                "-in",
                "mutated.bin",
                "-text",
            ];
            print.extend_from_slice(token_flag);
            let out = ts(Tool::Tsrs, d, &print, false, None);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{source} mutation {i}"
            );
            let mut verify = vec![
                "-verify",
                "-config",
                "tsa.cnf",
                "-in",
                "mutated.bin",
                "-data",
                "data.txt",
                "-CAfile",
                "ca.pem",
            ];
            verify.extend_from_slice(token_flag);
            let out = ts(Tool::Tsrs, d, &verify, false, None);
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{source} mutation {i}"
            );
        }
    }
}

#[test]
fn deeply_nested_input_is_rejected() {
    let pki = fixture();
    let d = pki.path();
    let depth = 10_000;
    let mut bytes = Vec::with_capacity(depth * 4);
    for _ in 0..depth {
        bytes.extend_from_slice(&[0x30, 0x80]);
    }
    for _ in 0..depth {
        bytes.extend_from_slice(&[0, 0]);
    }
    fs::write(d.join("deep.bin"), &bytes).unwrap();
    fails(
        &pki,
        &["-reply", "-config", "tsa.cnf", "-in", "deep.bin"],
        "nesting deeper than",
    );
    let mut huge = vec![0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF];
    huge.extend_from_slice(&[0; 16]);
    fs::write(d.join("huge.bin"), &huge).unwrap();
    fails(
        &pki,
        &["-reply", "-config", "tsa.cnf", "-in", "huge.bin"],
        "length runs past the end of input",
    );
}

#[test]
fn der_signer_key_fails_like_openssl() {
    // OpenSSL reads the signer key as PEM only.
    let pki = fixture();
    let converted = std::process::Command::new("openssl")
        .args([
            "pkey",
            "-in",
            "tsa.key",
            "-outform",
            "DER",
            "-out",
            "tsa-key.der",
        ])
        .current_dir(pki.path())
        .status()
        .unwrap();
    assert!(converted.success());
    let args = [
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "req.tsq",
        "-inkey",
        "tsa-key.der",
    ];
    let openssl = ts(Tool::Openssl, pki.path(), &args, false, None);
    assert_eq!(openssl.status.code(), Some(1));
    fails(&pki, &args, "the file is not PEM");
}
