//! The differential matrix: every case runs `openssl ts` and `tsrs ts` with
//! the same arguments in two copies of one folder and compares exit status,
//! stdout, every file, and stderr with the error-queue prefixes normalized
//! (see `common::normalize_stderr`).
//!
//! A case marked `lines` compares only the lines the commands print
//! themselves, not the error-queue entries, because OpenSSL's entries come
//! from code tsrs does not reproduce (its ASN.1 template decoder, RSA
//! padding checks, engine loading). A case marked `own_files` skips the file
//! comparison where tsrs differs on purpose: it never leaves an empty or
//! partial output file behind after a failure.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{FROZEN, Pki, copy_dir, normalize_stderr, require, snapshot, tsrs};
use der::Decode;
use der::asn1::{Any, Int, OctetString};
use tsrs::asn1::tsp::TimeStampReq;

/// One comparison.
struct Case {
    args: &'static [&'static str],
    /// Run under the frozen clock (replies).
    frozen: bool,
    /// Compare only the lines the commands print, not error-queue entries.
    lines: bool,
    /// Skip the file comparison (tsrs writes no file after a failure).
    own_files: bool,
    /// Write `(name, content)` files into both copies first.
    files: &'static [(&'static str, &'static str)],
    /// Extra environment variables.
    env: &'static [(&'static str, &'static str)],
    stdin: Option<&'static [u8]>,
}

const fn case(args: &'static [&'static str]) -> Case {
    Case {
        args,
        frozen: false,
        lines: false,
        own_files: false,
        files: &[],
        env: &[],
        stdin: None,
    }
}

const fn reply(args: &'static [&'static str]) -> Case {
    Case {
        frozen: true,
        ..case(args)
    }
}

impl Case {
    const fn lines(self) -> Case {
        Case {
            lines: true,
            ..self
        }
    }

    const fn own_files(self) -> Case {
        Case {
            own_files: true,
            ..self
        }
    }

    const fn files(self, files: &'static [(&'static str, &'static str)]) -> Case {
        Case { files, ..self }
    }

    const fn env(self, env: &'static [(&'static str, &'static str)]) -> Case {
        Case { env, ..self }
    }

    const fn stdin(self, stdin: &'static [u8]) -> Case {
        Case {
            stdin: Some(stdin),
            ..self
        }
    }
}

fn run(case: &Case, dir: &Path, openssl: bool) -> Output {
    let mut argv: Vec<String> = Vec::new();
    if case.frozen {
        argv.extend(["faketime".into(), "-f".into(), format!("{FROZEN} x0")]);
    }
    if openssl {
        argv.push("openssl".into());
    } else {
        argv.push(tsrs().display().to_string());
    }
    argv.push("ts".into());
    argv.extend(case.args.iter().map(|a| (*a).to_owned()));
    let mut command = Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .current_dir(dir)
        .env("TZ", "UTC")
        .env_remove("OPENSSL_CONF")
        .stdin(if case.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in case.env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("spawn");
    if let Some(input) = case.stdin {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// Runs one case; returns a description of every difference.
fn compare(fixture: &Path, case: &Case) -> Vec<String> {
    let work = common::TempDir::new("matrix");
    let dirs = [work.join("openssl"), work.join("tsrs")];
    for dir in &dirs {
        copy_dir(fixture, dir);
        for (name, content) in case.files {
            fs::write(dir.join(name), content).unwrap();
        }
    }
    let expected = run(case, &dirs[0], true);
    let actual = run(case, &dirs[1], false);
    let mut problems = Vec::new();
    let actual_stderr = String::from_utf8_lossy(&actual.stderr);
    if actual_stderr.contains("panicked") {
        problems.push("tsrs panicked".to_owned());
    }
    if expected.status.code() != actual.status.code() {
        problems.push(format!(
            "exit status: openssl {:?}, tsrs {:?}",
            expected.status.code(),
            actual.status.code()
        ));
    }
    if expected.stdout != actual.stdout {
        problems.push(format!(
            "stdout:\n--- openssl\n{}\n--- tsrs\n{}",
            String::from_utf8_lossy(&expected.stdout),
            String::from_utf8_lossy(&actual.stdout)
        ));
    }
    let expected_stderr = normalize_stderr(&expected.stderr, case.lines);
    let normalized_actual = normalize_stderr(&actual.stderr, case.lines);
    if expected_stderr != normalized_actual {
        problems.push(format!(
            "stderr:\n--- openssl\n{expected_stderr}\n--- tsrs\n{normalized_actual}\n--- tsrs raw\n{actual_stderr}"
        ));
    }
    if !case.own_files {
        let a = snapshot(&dirs[0]);
        let b = snapshot(&dirs[1]);
        if a != b {
            let names = |s: &[(String, Vec<u8>)]| {
                s.iter().map(|f| f.0.clone()).collect::<Vec<_>>().join(" ")
            };
            let differing: Vec<&str> = a
                .iter()
                .zip(&b)
                .filter(|(x, y)| x != y)
                .map(|(x, _)| x.0.as_str())
                .collect();
            problems.push(format!(
                "files: openssl [{}], tsrs [{}], differing {differing:?}",
                names(&a),
                names(&b)
            ));
        }
    }
    problems
}

/// Runs `openssl ts ARGS` in `dir` and requires success.
fn openssl_ts(dir: &Path, args: &[&str], frozen: bool) {
    let case = Case {
        frozen,
        ..case(&[])
    };
    let mut argv: Vec<String> = Vec::new();
    if case.frozen {
        argv.extend(["faketime".into(), "-f".into(), format!("{FROZEN} x0")]);
    }
    argv.extend(["openssl".into(), "ts".into()]);
    argv.extend(args.iter().map(|a| (*a).to_owned()));
    let out = Command::new(&argv[0])
        .args(&argv[1..])
        .current_dir(dir)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl ts {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Re-encodes `req.tsq` with a change, for requests `openssl ts -query` cannot make.
fn craft_request(dir: &Path, from: &str, to: &str, change: impl FnOnce(&mut TimeStampReq)) {
    let mut req = TimeStampReq::from_der(&fs::read(dir.join(from)).unwrap()).unwrap();
    change(&mut req);
    fs::write(dir.join(to), req.to_der().unwrap()).unwrap();
}

/// The shared folder: the test PKI, requests, responses and broken inputs.
fn fixture() -> Pki {
    require("faketime");
    let pki = Pki::new();
    let d = pki.path();
    let queries: &[(&str, &[&str])] = &[
        (
            "full.tsq",
            &["-sha512", "-tspolicy", "tsa_policy2", "-cert"],
        ),
        (
            "full2.tsq",
            &["-sha512", "-tspolicy", "tsa_policy2", "-cert"],
        ),
        ("plain.tsq", &[]),
        ("cert256.tsq", &["-cert"]),
        ("sha1.tsq", &["-sha1", "-no_nonce", "-cert"]),
        ("sha1nonce.tsq", &["-sha1", "-cert"]),
        ("md5.tsq", &["-md5", "-cert"]),
        ("policy3.tsq", &["-tspolicy", "1.2.3.4.5.7", "-cert"]),
        ("badpolicy.tsq", &["-tspolicy", "1.2.3.9", "-cert"]),
    ];
    for (name, extra) in queries {
        let mut args = vec![
            "-query", "-config", "tsa.cnf", "-data", "data.txt", "-out", name,
        ];
        args.extend_from_slice(extra);
        openssl_ts(d, &args, false);
    }
    let responses: &[(&str, &[&str])] = &[
        ("full.tsr", &["-queryfile", "full.tsq"]),
        (
            "plain.tsr",
            &["-section", "tsa_min", "-queryfile", "plain.tsq"],
        ),
        (
            "cert256.tsr",
            &["-section", "tsa_min", "-queryfile", "cert256.tsq"],
        ),
        (
            "sha1.tsr",
            &["-section", "tsa_v1", "-queryfile", "sha1.tsq"],
        ),
        (
            "ec.tsr",
            &["-section", "tsa_ec", "-queryfile", "cert256.tsq"],
        ),
        (
            "rejected.tsr",
            &["-section", "tsa_min", "-queryfile", "sha1.tsq"],
        ),
        (
            "san.tsr",
            &["-section", "tsa_san", "-queryfile", "cert256.tsq"],
        ),
    ];
    for (name, extra) in responses {
        let mut args = vec!["-reply", "-config", "tsa.cnf", "-out", name];
        args.extend_from_slice(extra);
        openssl_ts(d, &args, false);
    }
    openssl_ts(
        d,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-in",
            "full.tsr",
            "-token_out",
            "-out",
            "full.tok",
        ],
        false,
    );
    fs::remove_file(d.join("serial")).unwrap();

    craft_request(d, "cert256.tsq", "version2.tsq", |req| {
        req.version = Int::new(&[2]).unwrap()
    });
    craft_request(d, "cert256.tsq", "params.tsq", |req| {
        req.message_imprint.hash_algorithm.parameters =
            Some(Any::encode_from(&Int::new(&[0]).unwrap()).unwrap().into());
    });
    craft_request(d, "cert256.tsq", "shortdigest.tsq", |req| {
        req.message_imprint.hashed_message = OctetString::new(vec![0u8; 20]).unwrap();
    });
    craft_request(d, "cert256.tsq", "extension.tsq", |req| {
        req.extensions = Some(vec![x509_cert::ext::Extension {
            extn_id: der::asn1::ObjectIdentifier::new_unwrap("1.2.3.4.99"),
            critical: false,
            extn_value: OctetString::new(b"abc".to_vec()).unwrap(),
        }]);
    });
    craft_request(d, "cert256.tsq", "unknownalg.tsq", |req| {
        req.message_imprint.hash_algorithm.oid =
            tsrs::asn1::Oid::parse_dotted("1.2.3.4.5").unwrap();
    });

    let full = fs::read(d.join("full.tsr")).unwrap();
    let mut tampered = full.clone();
    let last = tampered.len() - 10;
    tampered[last] ^= 0x55;
    fs::write(d.join("tampered.tsr"), tampered).unwrap();
    fs::write(d.join("truncated.tsr"), &full[..full.len() / 2]).unwrap();
    let request = fs::read(d.join("full.tsq")).unwrap();
    fs::write(d.join("truncated.tsq"), &request[..request.len() - 5]).unwrap();
    // openssl's readers decode the first element and ignore what follows.
    fs::write(d.join("trailing.tsr"), [full.as_slice(), b"tail"].concat()).unwrap();
    fs::write(
        d.join("trailing.tsq"),
        [request.as_slice(), b"tail"].concat(),
    )
    .unwrap();
    fs::write(d.join("garbage.bin"), b"this is not DER at all\n").unwrap();
    fs::write(d.join("empty.bin"), b"").unwrap();
    fs::write(d.join("other.txt"), b"other data\n").unwrap();
    openssl_ok(
        d,
        &[
            "pkey",
            "-in",
            "tsa.key",
            "-aes256",
            "-passout",
            "pass:secret",
            "-out",
            "tsa-enc.key",
        ],
    );
    fs::write(d.join("pass.txt"), b"secret\n").unwrap();
    fs::create_dir(d.join("capath")).unwrap();
    fs::copy(d.join("ca.pem"), d.join("capath/ca.pem")).unwrap();
    openssl_ok(d, &["rehash", "capath"]);
    fs::write(d.join("bad.cnf"), BAD_CNF).unwrap();
    pki
}

fn openssl_ok(dir: &Path, args: &[&str]) {
    common::openssl_ok(dir, args);
}

/// Sections with one broken key each, beside working ones.
const BAD_CNF: &str = "
oid_section = new_oids
digests = sha256
[ new_oids ]
tsa_policy1 = 1.2.3.4.1
[ tsa ]
[ good ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = tsa_policy1
[ no_serial ]
signer_cert = ./tsa.pem
[ no_signer_cert ]
serial = ./serial
[ no_signer_key ]
serial = ./serial
signer_cert = ./tsa.pem
[ no_signer_digest ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
default_policy = 1.2.3
[ bad_signer_digest ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha999
[ no_default_policy ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
[ bad_default_policy ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = no_such_policy
[ bad_other_policies ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
other_policies = 1.2.4, no_such_policy
[ bad_digests ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
digests = sha256, sha999
[ bad_accuracy ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
accuracy = secs:1, minutes:2
[ odd_accuracy ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
accuracy = secs:-3, millisecs:1500, microsecs:abc
[ wrapped_accuracy ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
accuracy = secs:4294967297, millisecs:2147483648, microsecs:-4294967295
[ key_as_certs ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
certs = ./tsa.key
[ folder_as_certs ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
certs = ./capath
[ endless_serial ]
serial = /dev/zero
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
[ precision_7 ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
clock_precision_digits = 7
[ precision_2x ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
clock_precision_digits = 2x
ordering = no
[ bad_ordering ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
ordering = YES
[ bad_tsa_name ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
tsa_name = true
[ bad_chain_flag ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
ess_cert_id_chain = 1
[ bad_ess_alg ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
ess_cert_id_alg = sha999
[ ess_md5 ]
serial = ./serial
signer_cert = ./tsa.pem
certs = ./ca.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3
ess_cert_id_alg = md5
ess_cert_id_chain = yes
[ bad_engine ]
serial = ./serial
crypto_device = nosuchengine
";

/// A section that uses every kind of variable reference.
const VARS_CNF: &str = "
digests = sha256
[ good ]
signer_digest = sha256
[ vars ]
base = .
serial = $base/serial
signer_cert = ${base}/tsa.pem
signer_key = $(base)/tsa.key
signer_digest = ${good::signer_digest}
default_policy = $ENV::TSRS_TEST_POLICY
";

const CASES: &[Case] = &[
    // -query: building requests.
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-out",
        "q.tsq",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-text",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-cert",
        "-sha1",
        "-text",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-sha3-512",
        "-out",
        "q.tsq",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-SHA384",
        "-out",
        "q.tsq",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-sha512-224",
        "-text",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-md5",
        "-text",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-tspolicy",
        "tsa_policy3",
        "-text",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-tspolicy",
        "1.3.6.1.4.1.99999.1.2",
        "-text",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-tspolicy",
        "sha256",
        "-text",
    ]),
    case(&[
        "-query",
        "-config",
        "/dev/null",
        "-data",
        "data.txt",
        "-no_nonce",
        "-tspolicy",
        "1.2.3.4.1",
        "-text",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-digest",
        "8c26167519a24f740e92ef06f940c8a2281bf824b96ad80032a78110c5d0772b",
        "-no_nonce",
        "-out",
        "q.tsq",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-sha1",
        "-digest",
        "FB:13:FD:B5:4C:11:5E:51:EE:E6:98:02:AD:0F:BC:82:FB:21:4C:F6",
        "-no_nonce",
        "-text",
    ]),
    case(&["-query", "-config", "tsa.cnf", "-no_nonce", "-text"]).stdin(b"standard input data\n"),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "-",
        "-no_nonce",
        "-out",
        "q.tsq",
    ])
    .stdin(b"dash means stdin\n"),
    case(&["-query", "-config", "tsa.cnf", "-in", "full.tsq", "-text"]),
    case(&[
        "-query", "-config", "tsa.cnf", "-in", "full.tsq", "-out", "copy.tsq",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-in",
        "version2.tsq",
        "-text",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-in",
        "extension.tsq",
        "-text",
    ]),
    case(&["-query", "-config", "tsa.cnf", "-in", "-", "-text"])
        .stdin(include_bytes!("matrix.rs"))
        .lines(),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-in",
        "sha1.tsq",
        "-text",
        "-cert",
        "-sha512",
        "-tspolicy",
        "1.2",
    ]),
    case(&[
        "--query",
        "--config=tsa.cnf",
        "--data=data.txt",
        "--no_nonce",
        "--text",
    ]),
    case(&[
        "-config",
        "tsa.cnf",
        "-no_nonce",
        "-text",
        "-data",
        "data.txt",
        "-query",
    ]),
    case(&[
        "-query",
        "-data",
        "data.txt",
        "-no_nonce",
        "-tspolicy",
        "tsa_policy1",
        "-text",
    ])
    .env(&[("OPENSSL_CONF", "tsa.cnf")]),
    // -query: errors.
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-digest",
        "abcd",
        "-no_nonce",
    ]),
    case(&["-query", "-config", "tsa.cnf", "-digest", "zz", "-no_nonce"]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-digest",
        "abc",
        "-no_nonce",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-tspolicy",
        "not_an_oid",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "missing.txt",
        "-out",
        "q.tsq",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-in",
        "missing.tsq",
        "-text",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-in",
        "truncated.tsq",
        "-text",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-in",
        "garbage.bin",
        "-out",
        "q.tsq",
    ]),
    case(&["-query", "-config", "tsa.cnf", "-in", "empty.bin", "-text"]).lines(),
    case(&["-query", "-config", "tsa.cnf", "-in", "full.tsr", "-text"]).lines(),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-out",
        "nosuchdir/q.tsq",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-text",
        "-out",
        "nosuchdir/q.txt",
    ]),
    case(&[
        "-query", "-config", "tsa.cnf", "-data", "data.txt", "-digest", "00",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-nosuchdigest",
    ]),
    case(&["-query", "-config", "missing.cnf", "-data", "data.txt"]),
    case(&["-query", "-config", "broken.cnf", "-data", "data.txt"])
        .files(&[("broken.cnf", "[ section\nkey = value\n")]),
    case(&["-query", "-config", "broken.cnf", "-data", "data.txt"])
        .files(&[("broken.cnf", "a = 1\nnot a key value line\n")]),
    case(&["-query", "-config", "broken.cnf", "-data", "data.txt"])
        .files(&[("broken.cnf", "a = $nosuch\n")]),
    case(&["-query", "-reply"]),
    case(&["-query", "-verify", "-data", "data.txt"]),
    case(&["-query", "-data"]),
    case(&["-query", "-text=yes"]),
    case(&["-query", "-data", "data.txt", "leftover"]),
    case(&[
        "-query", "-config", "tsa.cnf", "-data", "data.txt", "-attime", "5",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-partial_chain",
    ]),
    case(&["-query", "-data", "data.txt", "-verify_depth", "abc"]),
    case(&[
        "-query",
        "-data",
        "data.txt",
        "-verify_depth",
        "99999999999",
    ]),
    case(&["-query", "-data", "data.txt", "-purpose", "nosuch"]),
    case(&["-query", "-data", "data.txt", "-policy", "nosuch"]),
    case(&["-query", "-data", "data.txt", "-verify_name", "nosuch"]),
    case(&["-query", "-data", "data.txt", "-CApath", "nosuchdir"]),
    case(&["--", "-query"]),
    case(&[]),
    case(&["-help"]),
    case(&["-query", "-h"]),
    case(&["-no-CAfile"]),
    // -reply: signing.
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-token_out",
        "-out",
        "r.tok",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-token_out",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "plain.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "sha1.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "policy3.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_min",
        "-queryfile",
        "cert256.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_v1",
        "-queryfile",
        "sha1.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_v1",
        "-queryfile",
        "md5.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_v2_384",
        "-queryfile",
        "plain.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_san",
        "-queryfile",
        "cert256.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_ec",
        "-queryfile",
        "cert256.tsq",
        "-token_out",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_p384",
        "-queryfile",
        "cert256.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-sha384",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-tspolicy",
        "tsa_policy2",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-chain",
        "tsa.pem",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-chain",
        "data.txt",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_min",
        "-queryfile",
        "cert256.tsq",
        "-signer",
        "tsa-san.pem",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-inkey",
        "tsa-enc.key",
        "-passin",
        "pass:secret",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-inkey",
        "tsa-enc.key",
        "-passin",
        "file:pass.txt",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-inkey",
        "tsa-enc.key",
        "-passin",
        "env:TSRS_PASS",
        "-out",
        "r.tsr",
    ])
    .env(&[("TSRS_PASS", "secret")]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-inkey",
        "tsa-enc.key",
        "-passin",
        "stdin",
        "-out",
        "r.tsr",
    ])
    .stdin(b"secret\n"),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-passin",
        "pass:unused",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "good",
        "-queryfile",
        "cert256.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "odd_accuracy",
        "-queryfile",
        "cert256.tsq",
        "-text",
    ]),
    // `atoi` keeps the low 32 bits of an accuracy value.
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "wrapped_accuracy",
        "-queryfile",
        "cert256.tsq",
        "-text",
    ]),
    // A certs file without certificates, or a folder, is an empty chain.
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "key_as_certs",
        "-queryfile",
        "cert256.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "folder_as_certs",
        "-queryfile",
        "cert256.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "endless_serial",
        "-queryfile",
        "cert256.tsq",
        "-out",
        "r.tsr",
    ]),
    // A request file that opens but cannot be read is a bad request.
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "good",
        "-queryfile",
        "capath",
        "-out",
        "r.tsr",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "capath",
        "-no_nonce",
        "-text",
    ]),
    // OpenSSL's option parser passes over a bare `-`.
    case(&[
        "-",
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-sha1",
        "-",
        "-no_nonce",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "precision_2x",
        "-queryfile",
        "cert256.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "ess_md5",
        "-queryfile",
        "cert256.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "no_signer_digest",
        "-queryfile",
        "cert256.tsq",
        "-sha256",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "vars.cnf",
        "-section",
        "vars",
        "-queryfile",
        "cert256.tsq",
        "-out",
        "r.tsr",
    ])
    .env(&[("TSRS_TEST_POLICY", "1.2.3.4.5")])
    .files(&[("vars.cnf", VARS_CNF)]),
    reply(&[
        "-reply",
        "-config",
        "vars.cnf",
        "-section",
        "vars",
        "-queryfile",
        "cert256.tsq",
        "-out",
        "r.tsr",
    ])
    .files(&[("vars.cnf", VARS_CNF)]),
    // -reply: serial file states.
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-out",
        "r.tsr",
    ])
    .files(&[("serial", "01\n")]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-out",
        "r.tsr",
    ])
    .files(&[("serial", "FF\n")]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-out",
        "r.tsr",
    ])
    .files(&[("serial", "7FFFFFFFFFFFFFFFFFFF\n")]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-out",
        "r.tsr",
    ])
    .files(&[("serial", "00\n")]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-out",
        "r.tsr",
    ])
    .files(&[("serial", "0a zz\n")]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-out",
        "r.tsr",
    ])
    .files(&[("serial", "-5\n")]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-out",
        "r.tsr",
    ])
    .files(&[("serial", "1\n")]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-out",
        "r.tsr",
    ])
    .files(&[("serial", "abc\n")]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-out",
        "r.tsr",
    ])
    .files(&[("serial", "")]),
    // -reply: rejections.
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_min",
        "-queryfile",
        "sha1.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_min",
        "-queryfile",
        "sha1.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "badpolicy.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "badpolicy.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "garbage.bin",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "truncated.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "empty.bin",
        "-text",
    ])
    .lines(),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "version2.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "params.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "shortdigest.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "extension.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "unknownalg.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-inkey",
        "tsa-ec.key",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_min",
        "-queryfile",
        "sha1.tsq",
        "-token_out",
        "-out",
        "r.tok",
    ])
    .own_files()
    .lines(),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "tsa_min",
        "-queryfile",
        "sha1.tsq",
        "-token_out",
        "-text",
    ])
    .lines(),
    // -reply: configuration errors.
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-queryfile",
        "full.tsq",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-section",
        "nosuch",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "no_serial",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "no_signer_cert",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "no_signer_key",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "no_signer_digest",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "bad_signer_digest",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "no_default_policy",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "bad_default_policy",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "bad_other_policies",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "bad_digests",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "bad_accuracy",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "precision_7",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "bad_ordering",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "bad_tsa_name",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "bad_chain_flag",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "bad_ess_alg",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "bad.cnf",
        "-section",
        "bad_engine",
        "-queryfile",
        "full.tsq",
    ])
    .lines(),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-engine",
        "builtin",
        "-out",
        "r.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-signer",
        "nontsa.pem",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-signer",
        "missing.pem",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-signer",
        "data.txt",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-inkey",
        "missing.key",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-inkey",
        "data.txt",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-chain",
        "missing.pem",
    ]),
    reply(&["-reply", "-config", "tsa.cnf", "-queryfile", "missing.tsq"]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-passin",
        "nosuchsource",
    ])
    .lines(),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-passin",
        "env:TSRS_NO_SUCH_VAR",
    ])
    .lines(),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-in",
        "full.tsr",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-token_in",
        "-queryfile",
        "full.tsq",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-attime",
        "0",
    ]),
    // -reply: printing and converting.
    case(&["-reply", "-config", "tsa.cnf", "-in", "full.tsr", "-text"]),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "full.tsr",
        "-token_out",
        "-out",
        "t.tok",
    ]),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "full.tsr",
        "-token_out",
        "-text",
    ]),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "full.tok",
        "-token_in",
        "-out",
        "back.tsr",
    ]),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "full.tok",
        "-token_in",
        "-text",
    ]),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "full.tok",
        "-token_in",
        "-token_out",
        "-text",
    ]),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "rejected.tsr",
        "-text",
    ]),
    case(&["-reply", "-config", "tsa.cnf", "-in", "ec.tsr", "-text"]),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "san.tsr",
        "-token_out",
        "-text",
    ]),
    case(&["-reply", "-config", "/dev/null", "-in", "full.tsr", "-text"]),
    case(&[
        "-reply", "-config", "tsa.cnf", "-in", "full.tsr", "-out", "copy.tsr",
    ]),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "missing.tsr",
        "-text",
    ]),
    case(&["-reply", "-config", "tsa.cnf", "-in", "-", "-text"]),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "truncated.tsr",
        "-text",
    ]),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "garbage.bin",
        "-text",
    ]),
    case(&["-reply", "-config", "tsa.cnf", "-in", "full.tsq", "-text"]).lines(),
    case(&["-reply", "-config", "tsa.cnf", "-in", "full.tok", "-text"]).lines(),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "full.tsr",
        "-token_in",
        "-text",
    ])
    .lines(),
    // -verify.
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify", "-config", "tsa.cnf", "-data", "data.txt", "-in", "full.tsr", "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "trailing.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "trailing.tsq",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-in",
        "trailing.tsr",
        "-text",
    ]),
    // Policy text as libcrypto's a2d_ASN1_OBJECT reads it.
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-tspolicy",
        "1..2",
        "-out",
        "q.tsq",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-tspolicy",
        "1 2 3.",
        "-out",
        "q.tsq",
    ]),
    // A -writerand failure makes the exit status 1 after the output is written.
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-no_nonce",
        "-writerand",
        "/nonexistent/rand",
        "-out",
        "q.tsq",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-writerand",
        "/nonexistent/rand",
    ]),
    case(&[
        "-query",
        "-config",
        "tsa.cnf",
        "-in",
        "trailing.tsq",
        "-text",
    ]),
    reply(&[
        "-reply",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "trailing.tsq",
        "-out",
        "r.tsr",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-digest",
        "8c26167519a24f740e92ef06f940c8a2281bf824b96ad80032a78110c5d0772b",
        "-in",
        "cert256.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full.tsq",
        "-in",
        "full.tok",
        "-token_in",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify", "-config", "tsa.cnf", "-data", "data.txt", "-in", "ec.tsr", "-CAfile", "ca.pem",
    ]),
    case(&[
        "-verify", "-config", "tsa.cnf", "-data", "data.txt", "-in", "san.tsr", "-CAfile", "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "sha1.tsq",
        "-in",
        "sha1.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "plain.tsr",
        "-CAfile",
        "ca.pem",
        "-untrusted",
        "tsa.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "plain.tsr",
        "-CAfile",
        "ca.pem",
        "-untrusted",
        "tsa.pem,ca.pem",
    ]),
    // `-untrusted` lists split at commas and whitespace, as OpenSSL splits them.
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "plain.tsr",
        "-CAfile",
        "ca.pem",
        "-untrusted",
        "tsa.pem, ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "plain.tsr",
        "-CAfile",
        "ca.pem",
        "-untrusted",
        "tsa.pem ca.pem,",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "plain.tsr",
        "-CAfile",
        "ca.pem",
        "-untrusted",
        "tsa.pem,,ca.pem",
    ])
    .lines(),
    case(&[
        "-verify", "-config", "tsa.cnf", "-data", "data.txt", "-in", "full.tsr", "-CApath",
        "capath",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-attime",
        "1800000000",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-no_check_time",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "tsa.pem",
        "-partial_chain",
    ]),
    case(&[
        "-verify", "-config", "tsa.cnf", "-data", "data.txt", "-in", "full.tsr", "-CAfile",
        "ca.pem", "-purpose", "any",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-x509_strict",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-verify_depth",
        "5",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-ignore_critical",
    ]),
    case(&[
        "-verify", "-data", "data.txt", "-in", "full.tsr", "-CAfile", "ca.pem",
    ])
    .env(&[("OPENSSL_CONF", "/dev/null")]),
    // -verify: failures.
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "other.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "plain.tsq",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "full2.tsq",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "sha1nonce.tsq",
        "-in",
        "sha1.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "policy3.tsq",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify", "-config", "tsa.cnf", "-digest", "00", "-in", "full.tsr", "-CAfile", "ca.pem",
    ]),
    case(&[
        "-verify", "-config", "tsa.cnf", "-digest", "zz", "-in", "full.tsr", "-CAfile", "ca.pem",
    ]),
    case(&[
        "-verify", "-config", "tsa.cnf", "-digest", "abc", "-in", "full.tsr", "-CAfile", "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "other-ca.pem",
    ]),
    case(&[
        "-verify", "-config", "tsa.cnf", "-data", "data.txt", "-in", "full.tsr",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-attime",
        "4102444800",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-attime",
        "1000000000",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-purpose",
        "sslserver",
    ]),
    case(&[
        "-verify", "-config", "tsa.cnf", "-data", "data.txt", "-in", "full.tsr", "-CAfile",
        "tsa.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "plain.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "rejected.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "tampered.tsr",
        "-CAfile",
        "ca.pem",
    ])
    .lines(),
    case(&[
        "-verify", "-config", "tsa.cnf", "-data", "data.txt", "-in", "full.tok", "-CAfile",
        "ca.pem",
    ])
    .lines(),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-token_in",
        "-CAfile",
        "ca.pem",
    ])
    .lines(),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "truncated.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "garbage.bin",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "missing.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "missing.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "missing.tsq",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-queryfile",
        "garbage.bin",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "missing.pem",
    ]),
    case(&[
        "-verify", "-config", "tsa.cnf", "-data", "data.txt", "-in", "full.tsr", "-CAfile",
        "data.txt",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-untrusted",
        "missing.pem",
    ])
    .lines(),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-untrusted",
        "data.txt",
    ]),
    case(&[
        "-verify", "-config", "tsa.cnf", "-data", "data.txt", "-in", "full.tsr", "-CAstore",
        "nosuch",
    ])
    .lines(),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-queryfile",
        "full.tsq",
        "-in",
        "full.tsr",
    ]),
    case(&["-verify", "-config", "tsa.cnf", "-data", "data.txt"]),
    case(&["-verify", "-config", "tsa.cnf", "-in", "full.tsr"]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CApath",
        "nosuchdir",
    ]),
    // Host name, email and IP checks on the TSA certificate with subjectAltNames.
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "san.tsr",
        "-CAfile",
        "ca.pem",
        "-verify_hostname",
        "tsa.example.test",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "san.tsr",
        "-CAfile",
        "ca.pem",
        "-verify_hostname",
        "other.example.test",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "san.tsr",
        "-CAfile",
        "ca.pem",
        "-verify_email",
        "TSA@example.test",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "san.tsr",
        "-CAfile",
        "ca.pem",
        "-verify_email",
        "tsa@EXAMPLE.test",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "san.tsr",
        "-CAfile",
        "ca.pem",
        "-verify_ip",
        "127.0.0.1",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-verify_hostname",
        "tsa1",
    ]),
    // Security levels: RSA-2048 gives 112 bits, P-256 128 bits.
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-auth_level",
        "2",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-auth_level",
        "3",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "ec.tsr",
        "-CAfile",
        "ca.pem",
        "-auth_level",
        "3",
    ]),
    // Named parameter sets and Suite B.
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-verify_name",
        "ssl_server",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-verify_name",
        "smime_sign",
        "-purpose",
        "timestampsign",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "ec.tsr",
        "-CAfile",
        "ca.pem",
        "-suiteB_128",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-suiteB_192",
    ]),
    // Policy processing on certificates without policies.
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-policy_check",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-explicit_policy",
    ]),
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-policy",
        "1.2.3.4",
        "-inhibit_any",
        "-inhibit_map",
    ]),
    // Options that change nothing for this chain.
    case(&[
        "-verify",
        "-config",
        "tsa.cnf",
        "-data",
        "data.txt",
        "-in",
        "full.tsr",
        "-CAfile",
        "ca.pem",
        "-policy_print",
        "-issuer_checks",
        "-trusted_first",
        "-no_alt_chains",
        "-use_deltas",
        "-extended_crl",
        "-allow_proxy_certs",
        "-check_ss_sig",
    ]),
];

#[test]
fn matrix_matches_openssl() {
    let fixture = fixture();
    assert!(
        CASES.len() >= 150,
        "the matrix has only {} cases",
        CASES.len()
    );
    let mut failures = Vec::new();
    for (index, case) in CASES.iter().enumerate() {
        let problems = compare(fixture.path(), case);
        if !problems.is_empty() {
            failures.push(format!(
                "case {index}: ts {}\n{}",
                case.args.join(" "),
                problems.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}
