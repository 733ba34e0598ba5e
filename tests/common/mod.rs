//! Shared helpers for the integration tests: temporary folders, a test PKI
//! made with the system `openssl`, and running `tsrs ts` and `openssl ts`
//! side by side under a frozen clock.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The frozen time for replies: 2024-01-02 03:04:05 UTC.
pub const FROZEN: &str = "2024-01-02 03:04:05";

/// The `tsrs` binary under test.
pub fn tsrs() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tsrs"))
}

/// Fails the test with a clear message when a required tool is missing.
pub fn require(tool: &str) {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(
        found,
        "{tool} is required by this test; run scripts/install-test-deps.sh (or `make test`)"
    );
}

/// A fresh, empty temporary folder, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path =
            std::env::temp_dir().join(format!("tsrs-test-{name}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs a command in `dir` with `TZ=UTC` and `OPENSSL_CONF` unset.
pub fn run_in(dir: &Path, program: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .env_remove("OPENSSL_CONF")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    if let Some(input) = stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// Runs `openssl ARGS` in `dir`, panicking with its stderr when it fails.
pub fn openssl_ok(dir: &Path, args: &[&str]) {
    let out = run_in(dir, Path::new("openssl"), args, None);
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Which side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Openssl,
    Tsrs,
}

impl Tool {
    /// `openssl ts ARGS` or `tsrs ts ARGS` as a full argument list for `faketime`.
    fn command(self) -> Vec<String> {
        match self {
            Tool::Openssl => vec!["openssl".into(), "ts".into()],
            Tool::Tsrs => vec![tsrs().display().to_string(), "ts".into()],
        }
    }
}

/// Runs `TOOL ts ARGS` in `dir`, under `faketime -f "FROZEN x0"` when `frozen`.
pub fn ts(tool: Tool, dir: &Path, args: &[&str], frozen: bool, stdin: Option<&[u8]>) -> Output {
    let mut argv: Vec<String> = Vec::new();
    if frozen {
        argv.extend(["faketime".into(), "-f".into(), format!("{FROZEN} x0")]);
    }
    argv.extend(tool.command());
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    let (program, rest) = argv.split_first().unwrap();
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    let out = run_in(dir, Path::new(program), &rest, stdin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "{tool:?} ts {} panicked: {stderr}",
        args.join(" ")
    );
    out
}

/// Copies every regular file of `from` into `to` (one level).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// The regular files of a folder with their contents, sorted by name.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Runs the same `ts` arguments with both tools in two copies of `fixture`
/// and asserts equal exit status, stdout and resulting files. Returns both outputs.
pub fn assert_same(fixture: &Path, args: &[&str], frozen: bool) -> (Output, Output) {
    assert_same_with_stdin(fixture, args, frozen, None)
}

/// [`assert_same`] with bytes on standard input.
pub fn assert_same_with_stdin(
    fixture: &Path,
    args: &[&str],
    frozen: bool,
    stdin: Option<&[u8]>,
) -> (Output, Output) {
    let work = TempDir::new("same");
    let ossl_dir = work.join("openssl");
    let tsrs_dir = work.join("tsrs");
    copy_dir(fixture, &ossl_dir);
    copy_dir(fixture, &tsrs_dir);
    let expected = ts(Tool::Openssl, &ossl_dir, args, frozen, stdin);
    let actual = ts(Tool::Tsrs, &tsrs_dir, args, frozen, stdin);
    let context = || {
        format!(
            "ts {}\n--- openssl stderr:\n{}\n--- tsrs stderr:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&expected.stderr),
            String::from_utf8_lossy(&actual.stderr)
        )
    };
    assert_eq!(
        expected.status.code(),
        actual.status.code(),
        "exit status differs: {}",
        context()
    );
    assert!(
        expected.stdout == actual.stdout,
        "stdout differs: {}\n--- openssl stdout:\n{}\n--- tsrs stdout:\n{}",
        context(),
        String::from_utf8_lossy(&expected.stdout),
        String::from_utf8_lossy(&actual.stdout)
    );
    let expected_files = snapshot(&ossl_dir);
    let actual_files = snapshot(&tsrs_dir);
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&expected_files),
        names(&actual_files),
        "files differ: {}",
        context()
    );
    for ((name, a), (_, b)) in expected_files.iter().zip(&actual_files) {
        assert!(a == b, "file {name} differs: {}", context());
    }
    (expected, actual)
}

/// A test PKI and TSA configuration, made with the system `openssl`:
/// `ca.pem`/`ca.key` (root), `tsa.pem`/`tsa.key` (RSA-2048 TSA with a
/// critical timeStamping EKU), `tsa-ec.pem`/`tsa-ec.key` (P-256),
/// `tsa-p384.pem`/`tsa-p384.key` (P-384), `nontsa.pem` (no EKU),
/// `other-ca.pem` (an unrelated root), `data.txt`, and `tsa.cnf`.
pub struct Pki {
    dir: TempDir,
}

const PKI_CNF: &str = "\
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer:always
basicConstraints = critical,CA:true
keyUsage = cRLSign, keyCertSign
[ tsa_cert ]
basicConstraints = CA:FALSE
keyUsage = nonRepudiation, digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer:always
[ tsa_cert_san ]
basicConstraints = CA:FALSE
keyUsage = nonRepudiation, digitalSignature
extendedKeyUsage = critical,timeStamping
subjectAltName = DNS:tsa.example.test, email:tsa@example.test
[ non_tsa_cert ]
basicConstraints = CA:FALSE
keyUsage = nonRepudiation, digitalSignature
";

/// The TSA configuration; sections mirror the variety OpenSSL users write.
pub const TSA_CNF: &str = "\
oid_section = new_oids

[ new_oids ]
tsa_policy1 = 1.2.3.4.1
tsa_policy2 = 1.2.3.4.5.6
tsa_policy3 = 1.2.3.4.5.7

[ tsa ]
default_tsa = tsa_full

[ tsa_full ]
dir = .
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = tsa_policy1
other_policies = tsa_policy2, tsa_policy3
digests = sha1, sha256, sha384, sha512
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 3
ordering = yes
tsa_name = yes
ess_cert_id_chain = yes
ess_cert_id_alg = sha256

[ tsa_min ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256

[ tsa_v1 ]
serial = ./serial
signer_cert = ./tsa.pem
certs = ./ca.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = tsa_policy1
digests = sha1, sha256, md5, sha3-256, sha512-256
ess_cert_id_chain = yes
ess_cert_id_alg = sha1

[ tsa_v2_384 ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha512
default_policy = tsa_policy1
digests = sha256
ess_cert_id_alg = sha384
accuracy = secs:2
clock_precision_digits = 6

[ tsa_ec ]
serial = ./serial
signer_cert = ./tsa-ec.pem
certs = ./ca.pem
signer_key = ./tsa-ec.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384
accuracy = millisecs:250
tsa_name = yes

[ tsa_p384 ]
serial = ./serial
signer_cert = ./tsa-p384.pem
signer_key = ./tsa-p384.key
signer_digest = sha384
default_policy = 1.2.3.4.1
digests = sha256
ess_cert_id_alg = sha512

[ tsa_san ]
serial = ./serial
signer_cert = ./tsa-san.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
tsa_name = yes
";

impl Pki {
    /// Creates the PKI in a new temporary folder.
    pub fn new() -> Pki {
        require("openssl");
        let dir = TempDir::new("pki");
        let d = dir.path();
        fs::write(d.join("pki.cnf"), PKI_CNF).unwrap();
        fs::write(d.join("tsa.cnf"), TSA_CNF).unwrap();
        fs::write(d.join("data.txt"), b"Hello, time-stamping world!\n").unwrap();
        let rsa = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"];
        genkey(d, "ca.key", &rsa);
        openssl_ok(
            d,
            &[
                "req",
                "-config",
                "pki.cnf",
                "-new",
                "-x509",
                "-key",
                "ca.key",
                "-days",
                "7300",
                "-set_serial",
                "1",
                "-extensions",
                "v3_ca",
                "-sha256",
                "-out",
                "ca.pem",
                "-subj",
                "/C=HU/O=tsrs Test CA/CN=tsrs Root CA",
            ],
        );
        genkey(d, "tsa.key", &rsa);
        issue(
            d,
            "tsa.key",
            "tsa.pem",
            "/C=HU/ST=Budapest/L=Buda/O=Hun-TSA Ltd./CN=tsa1",
            "0x1001",
            "tsa_cert",
        );
        genkey(
            d,
            "tsa-ec.key",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        );
        issue(
            d,
            "tsa-ec.key",
            "tsa-ec.pem",
            "/C=HU/O=Hun-TSA Ltd./CN=tsa-ec",
            "0x1002",
            "tsa_cert",
        );
        genkey(
            d,
            "tsa-p384.key",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        );
        issue(
            d,
            "tsa-p384.key",
            "tsa-p384.pem",
            "/CN=tsa-p384",
            "0x1003",
            "tsa_cert",
        );
        issue(
            d,
            "tsa.key",
            "nontsa.pem",
            "/CN=not a tsa",
            "0x1004",
            "non_tsa_cert",
        );
        issue(
            d,
            "tsa.key",
            "tsa-san.pem",
            "/CN=tsa-san",
            "0x1005",
            "tsa_cert_san",
        );
        genkey(d, "other-ca.key", &rsa);
        openssl_ok(
            d,
            &[
                "req",
                "-config",
                "pki.cnf",
                "-new",
                "-x509",
                "-key",
                "other-ca.key",
                "-days",
                "7300",
                "-set_serial",
                "7",
                "-extensions",
                "v3_ca",
                "-out",
                "other-ca.pem",
                "-subj",
                "/CN=Other Root",
            ],
        );
        for name in ["pki.cnf", "ca.key", "other-ca.key"] {
            fs::remove_file(d.join(name)).unwrap();
        }
        Pki { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

fn genkey(dir: &Path, out: &str, options: &[&str]) {
    let mut args = vec!["genpkey"];
    args.extend_from_slice(options);
    args.extend_from_slice(&["-out", out]);
    openssl_ok(dir, &args);
}

fn issue(dir: &Path, key: &str, out: &str, subject: &str, serial: &str, extensions: &str) {
    openssl_ok(
        dir,
        &[
            "req", "-config", "pki.cnf", "-new", "-key", key, "-out", "req.csr", "-subj", subject,
        ],
    );
    openssl_ok(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "req.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            serial,
            "-days",
            "3650",
            "-sha256",
            "-extfile",
            "pki.cnf",
            "-extensions",
            extensions,
            "-out",
            out,
        ],
    );
    fs::remove_file(dir.join("req.csr")).unwrap();
}

/// Normalizes stderr for comparison between `openssl ts` and `tsrs ts`.
///
/// OpenSSL's error-queue lines
/// (`TID:error:CODE:LIBRARY:FUNCTION:REASON:FILE:LINE:DATA`) and tsrs's
/// (`tsrs:error:LIBRARY:FUNCTION:REASON:DATA`) both become
/// `error:LIBRARY:FUNCTION:REASON:DATA`. tsrs's explanation lines, indented by
/// four spaces, are dropped, and its own error lines (`tsrs: error: ...`),
/// for failures OpenSSL reports differently, count as queue lines. With
/// `lines_only`, queue lines are dropped too, leaving the lines the commands
/// print themselves.
pub fn normalize_stderr(stderr: &[u8], lines_only: bool) -> String {
    let text = String::from_utf8_lossy(stderr);
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("    ") {
            continue;
        }
        let record = if let Some(rest) = line.strip_prefix("tsrs:error:") {
            Some(format!("error:{rest}"))
        } else if let Some(rest) = line.strip_prefix("tsrs: error: ") {
            Some(format!("tsrs error: {rest}"))
        } else {
            openssl_record(line)
        };
        match record {
            Some(_) if lines_only => {}
            Some(record) => out.push(record),
            None => out.push(line.to_owned()),
        }
    }
    out.join("\n")
}

/// `error:LIBRARY:FUNCTION:REASON:DATA` for an OpenSSL error-queue line.
fn openssl_record(line: &str) -> Option<String> {
    let fields: Vec<&str> = line.splitn(9, ':').collect();
    if fields.len() < 8 || fields[1] != "error" {
        return None;
    }
    let is_hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_hex(fields[0]) || !is_hex(fields[2]) || !fields[7].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let data = fields.get(8).copied().unwrap_or("");
    Some(format!(
        "error:{}:{}:{}:{data}",
        fields[3], fields[4], fields[5]
    ))
}
