//! Shared code for the printer tests: the tsrs side of each `openssl ts ...
//! -text` command, and a runner for the system `openssl`.

#![allow(dead_code)]

pub mod der;

use std::path::{Path, PathBuf};
use std::process::Command;

use ::der::Encode;
use tsrs::asn1::cms::TimeStampToken;
use tsrs::asn1::tsp::{PkiStatusInfo, TimeStampReq, TimeStampResp};
use tsrs::oid::Objects;
use tsrs::print;

/// The `openssl ts` command forms that print text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `-query -in X -text`: a request.
    Query,
    /// `-reply -in X -text`: a response.
    Reply,
    /// `-reply -in X -text -token_out`: the TSTInfo of a response.
    ReplyTokenOut,
    /// `-reply -in X -token_in -text`: a token, shown as a granted response.
    TokenIn,
    /// `-reply -in X -token_in -token_out -text`: the TSTInfo of a token.
    TokenInTokenOut,
}

impl Mode {
    pub fn openssl_args(self) -> &'static [&'static str] {
        match self {
            Mode::Query => &["-query", "-text"],
            Mode::Reply => &["-reply", "-text"],
            Mode::ReplyTokenOut => &["-reply", "-text", "-token_out"],
            Mode::TokenIn => &["-reply", "-token_in", "-text"],
            Mode::TokenInTokenOut => &["-reply", "-token_in", "-token_out", "-text"],
        }
    }

    pub fn file_extension(self) -> &'static str {
        match self {
            Mode::Query => "tsq",
            Mode::Reply | Mode::ReplyTokenOut => "tsr",
            Mode::TokenIn | Mode::TokenInTokenOut => "tst",
        }
    }
}

fn token_from_any(token: &::der::asn1::Any) -> Result<TimeStampToken, String> {
    let der = token
        .to_der()
        .map_err(|e| format!("cannot encode token: {e}"))?;
    TimeStampToken::from_ber(&der).map_err(|e| e.to_string())
}

/// What tsrs prints for `input` in `mode`, or why it could not decode it.
pub fn render(mode: Mode, input: &[u8], objects: &Objects) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match mode {
        Mode::Query => {
            let req: TimeStampReq =
                tsrs::asn1::decode("time-stamp request", input).map_err(|e| e.to_string())?;
            print::print_request(&mut out, &req, objects);
        }
        Mode::Reply | Mode::ReplyTokenOut => {
            let resp: TimeStampResp =
                tsrs::asn1::decode("time-stamp response", input).map_err(|e| e.to_string())?;
            let token = resp
                .time_stamp_token
                .as_ref()
                .map(token_from_any)
                .transpose()?;
            let tst_info = token.as_ref().map(|token| &token.tst_info);
            if mode == Mode::Reply {
                print::print_response(&mut out, &resp, tst_info, objects);
            } else {
                let tst_info = tst_info.ok_or("the response has no token")?;
                print::print_tst_info(&mut out, tst_info, objects);
            }
        }
        Mode::TokenIn | Mode::TokenInTokenOut => {
            let token = TimeStampToken::from_ber(input).map_err(|e| e.to_string())?;
            if mode == Mode::TokenIn {
                let resp = TimeStampResp {
                    status: PkiStatusInfo {
                        status: tsrs::asn1::int_from_u64(0),
                        status_string: None,
                        fail_info: None,
                    },
                    time_stamp_token: None,
                };
                print::print_response(&mut out, &resp, Some(&token.tst_info), objects);
            } else {
                print::print_tst_info(&mut out, &token.tst_info, objects);
            }
        }
    }
    Ok(out)
}

/// A fresh scratch directory under Cargo's temporary directory for integration tests.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("cannot create the scratch directory");
    dir
}

/// The stdout and exit status of `openssl ts MODE -in FILE -config CONFIG`.
pub fn run_openssl(mode: Mode, input: &Path, config: &Path) -> (Vec<u8>, bool, String) {
    let output = Command::new("openssl")
        .arg("ts")
        .args(mode.openssl_args())
        .arg("-in")
        .arg(input)
        .arg("-config")
        .arg(config)
        .output()
        .expect("cannot run the system `openssl`, which these tests compare against");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.stdout, output.status.success(), stderr)
}

/// Bytes shown with non-printable octets escaped, one output line per line.
pub fn show(bytes: &[u8]) -> String {
    let mut text = String::new();
    for &byte in bytes {
        match byte {
            b'\n' => text.push_str("\\n\n"),
            b'\t' => text.push_str("\\t"),
            b' '..=b'~' => text.push(char::from(byte)),
            _ => text.push_str(&format!("\\x{byte:02X}")),
        }
    }
    text
}

/// A line-by-line comparison that points at the first differing line.
pub fn describe_difference(expected: &[u8], actual: &[u8]) -> String {
    let expected_lines: Vec<&[u8]> = expected.split(|b| *b == b'\n').collect();
    let actual_lines: Vec<&[u8]> = actual.split(|b| *b == b'\n').collect();
    let first = expected_lines
        .iter()
        .zip(&actual_lines)
        .position(|(e, a)| e != a)
        .unwrap_or(expected_lines.len().min(actual_lines.len()));
    format!(
        "first difference at line {}:\n  openssl: {}\n  tsrs:    {}\n--- openssl ---\n{}\n--- tsrs ---\n{}",
        first + 1,
        show(expected_lines.get(first).copied().unwrap_or(b"<end>")),
        show(actual_lines.get(first).copied().unwrap_or(b"<end>")),
        show(expected),
        show(actual)
    )
}
