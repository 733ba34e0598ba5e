//! Verifies every time-stamp of the real-world corpus with `tsrs ts -verify`.
//!
//! The corpus lives outside the repository, in `TSRS_CORPUS_DIR` or by
//! default `../shared/corpus` relative to the crate. For an artifact `X` in
//! `realworld/<source>/`, `X.verify.txt` lists each `openssl ts -verify`
//! command that OpenSSL 3.0.19 ran in that folder, then its stdout and stderr
//! and `[exit code: N]`. Runs without `-attime` were made on 2026-12-04 and
//! depend on that date because certificates expire, so they run here under
//! faketime frozen at that date.
//!
//! OpenSSL is the reference but not the oracle: it cannot decode attribute
//! certificates or OCSP responses among a token's certificates and CRLs, it
//! cannot verify RSA-PSS signatures, and it accepts a few broken vectors.
//! `EXCEPTIONS` lists the runs where tsrs's output differs on purpose, each
//! with the reason.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{normalize_stderr, require, run_in, tsrs};
use tsrs::asn1::cms::TimeStampToken;
use tsrs::response::Response;

/// The date the runs without `-attime` were recorded on.
const RECORDED: &str = "2026-12-04 12:00:00";

/// What a run of tsrs must produce where it differs from the recorded run.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Same exit status, stdout and stderr lines, but not the same error-queue
    /// entries: OpenSSL's come from its ASN.1 template decoder or its RSA
    /// internals, which tsrs does not reproduce.
    OwnErrorQueue,
    /// A different verdict or a different reason: the exit status, and a text
    /// that stderr must contain.
    Verdict { exit: i32, stderr: &'static str },
    /// The command names a file that is not in the corpus: the request that
    /// `-queryfile` reads was not published with the response.
    MissingFile(&'static str),
}

/// One run where tsrs differs from the recorded OpenSSL run.
struct Exception {
    /// `<source>/<file>` of the artifact that `-in` names.
    artifact: &'static str,
    /// An option the command has, to pick one of the artifact's runs.
    option: &'static str,
    expect: Expect,
}

const fn exception(artifact: &'static str, option: &'static str, expect: Expect) -> Exception {
    Exception {
        artifact,
        option,
        expect,
    }
}

const EXCEPTIONS: &[Exception] = &[
    // The request that each response replies to was not published with it.
    exception(
        "bc-java/bc-md5.tsr",
        "-queryfile",
        Expect::MissingFile("bc-md5-req.tsq"),
    ),
    exception(
        "rustcrypto-x509-tsp/openssl-ecdsa-p384.tsr",
        "-queryfile",
        Expect::MissingFile("openssl-ecdsa-p384-req.tsq"),
    ),
    exception(
        "rfc3161-client/test-tsa.tsr",
        "-queryfile",
        Expect::MissingFile("test-tsa-req.tsq"),
    ),
    exception(
        "rfc3161-client/test-tsa-injected-certs.tsr",
        "-queryfile",
        Expect::MissingFile("test-tsa-req.tsq"),
    ),
    // Same verdict, but OpenSSL's error queue comes from its own decoders.
    exception(
        "tspclient-go/malformed-utf8-mangled.tsr",
        "",
        Expect::OwnErrorQueue,
    ),
    exception(
        "tspclient-go/neg-cms-invalid-signing-time.tst",
        "",
        Expect::OwnErrorQueue,
    ),
    // Same verdict, but OpenSSL finds the wrong content type and the
    // constructed genTime after it loads -untrusted and warns about the
    // certificate there. NOTE: tsrs checks the token when it reads it, before
    // it loads -untrusted, so that warning is missing.
    exception(
        "tspclient-go/neg-outer-contenttype.tst",
        "",
        Expect::Verdict {
            exit: 1,
            stderr: "(bad pkcs7 type)",
        },
    ),
    exception(
        "tspclient-go/neg-tstinfo-genTime-constructed.tst",
        "",
        Expect::Verdict {
            exit: 1,
            stderr: "cannot decode TSTInfo",
        },
    ),
    exception(
        "tspclient-go/neg-ess-v2-missing-certs-field.tst",
        "",
        Expect::OwnErrorQueue,
    ),
    exception(
        "tspclient-go/neg-ess-v2-no-issuerserial.tst",
        "",
        Expect::OwnErrorQueue,
    ),
    // OpenSSL cannot decode an OCSP response in the CRL field and fails before
    // any check. tsrs decodes the token and checks it: this one verifies.
    exception(
        "bc-java/governikus-test-lza-sha384.tst",
        "",
        Expect::Verdict {
            exit: 0,
            stderr: "",
        },
    ),
    // Same cause as above, but the TSA certificates expired before the
    // recording date, so tsrs fails on the path instead.
    exception(
        "bc-java/exceet-tsa04-der-in-ers.tst",
        "",
        Expect::Verdict {
            exit: 1,
            stderr: "certificate has expired",
        },
    ),
    exception(
        "esig-dss/etsi-tst-broken-ocsp.tst",
        "",
        Expect::Verdict {
            exit: 1,
            stderr: "certificate has expired",
        },
    ),
    // OpenSSL cannot decode an attribute certificate in the certificate set.
    // tsrs skips it, finds the signer, and fails on the path: the certificate
    // expired before the recording date.
    exception(
        "bc-java/ncipher-dse200-sha1.tsr",
        "",
        Expect::Verdict {
            exit: 1,
            stderr: "certificate has expired",
        },
    ),
    // Attribute certificates as above. The signer's key usage allows key
    // encipherment, which OpenSSL's time-stamping purpose rejects, as tsrs does.
    exception(
        "esig-dss/icpbrasil-certisign-2017.tst",
        "",
        Expect::Verdict {
            exit: 1,
            stderr: "unsuitable certificate purpose",
        },
    ),
    // Attribute certificates as above. The signer's extended key usage is not
    // critical, which RFC 3161 section 2.3 requires and OpenSSL checks.
    exception(
        "signify/microsoft-2017-essv1.tst",
        "",
        Expect::Verdict {
            exit: 1,
            stderr: "unsuitable certificate purpose",
        },
    ),
    exception(
        "saferwall-pe/microsoft-2019-frac-01.tst",
        "",
        Expect::Verdict {
            exit: 1,
            stderr: "unsuitable certificate purpose",
        },
    ),
    exception(
        "saferwall-pe/microsoft-2019-essv1-noncrit.tst",
        "",
        Expect::Verdict {
            exit: 1,
            stderr: "unsuitable certificate purpose",
        },
    ),
    // OpenSSL 3.0 verifies an RSASSA-PSS SignerInfo as PKCS #1 v1.5 and fails
    // on the padding. tsrs verifies PSS.
    exception(
        "esig-dss/fujitsu-pss-sha224.tst",
        "",
        Expect::Verdict {
            exit: 0,
            stderr: "",
        },
    ),
    // OpenSSL accepts SignerInfo version 2 with issuerAndSerialNumber. RFC 5652
    // section 5.3 requires version 1 with that identifier.
    exception(
        "tspclient-go/neg-cms-signerinfo-version2.tst",
        "",
        Expect::Verdict {
            exit: 1,
            stderr: "the SignerInfo version is 2",
        },
    ),
    // OpenSSL accepts a token whose first certificate has version -1, because
    // it takes any INTEGER as the version and finds the signer in -untrusted.
    // A certificate that does not decode makes the token malformed.
    exception(
        "tspclient-go/neg-cms-invalid-certificates.tst",
        "",
        Expect::Verdict {
            exit: 1,
            stderr: "garbage in the certificate set",
        },
    ),
];

/// One recorded `openssl ts -verify` run.
struct Run {
    /// The folder it ran in.
    dir: PathBuf,
    /// The arguments after `openssl ts`.
    args: Vec<String>,
    stdout: String,
    stderr: String,
    exit: i32,
}

impl Run {
    /// `<source>/<file>` of the artifact that `-in` names.
    fn artifact(&self) -> String {
        let source = self.dir.file_name().unwrap_or_default().to_string_lossy();
        let input = self
            .args
            .iter()
            .position(|arg| arg == "-in")
            .and_then(|i| self.args.get(i + 1))
            .map_or("", String::as_str);
        format!("{source}/{input}")
    }

    fn has(&self, option: &str) -> bool {
        self.args.iter().any(|arg| arg == option)
    }

    fn describe(&self) -> String {
        format!("{}: ts {}", self.dir.display(), self.args.join(" "))
    }

    fn exception(&self) -> Option<&'static Exception> {
        let artifact = self.artifact();
        EXCEPTIONS
            .iter()
            .find(|e| e.artifact == artifact && (e.option.is_empty() || self.has(e.option)))
    }
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("TSRS_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

fn realworld() -> PathBuf {
    let realworld = corpus_dir().join("realworld");
    assert!(
        realworld.is_dir(),
        "the time-stamp corpus is missing: {} is not a directory; set TSRS_CORPUS_DIR \
         to the directory that holds realworld/",
        realworld.display()
    );
    realworld
}

/// Splits a recorded command line into the arguments after `openssl ts`,
/// without the trailing `# ...` comment. The commands have no quoting.
fn command_args(line: &str) -> Option<Vec<String>> {
    let mut words = line.split_whitespace();
    if words.next() != Some("openssl") || words.next() != Some("ts") {
        return None;
    }
    Some(
        words
            .take_while(|word| !word.starts_with('#'))
            .map(str::to_owned)
            .collect(),
    )
}

/// Reads the runs of one `X.verify.txt`. Stdout is the `Verification:` line;
/// every other line before the exit status is stderr.
fn parse_runs(path: &Path) -> Vec<Run> {
    let text =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let text = String::from_utf8_lossy(&text);
    let dir = path.parent().unwrap_or(Path::new(".")).to_owned();
    let mut runs = Vec::new();
    let mut current: Option<Run> = None;
    for line in text.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            let args = command_args(command).unwrap_or_else(|| {
                panic!("{}: not an openssl ts command: {command}", path.display())
            });
            current = Some(Run {
                dir: dir.clone(),
                args,
                stdout: String::new(),
                stderr: String::new(),
                exit: -1,
            });
        } else if let Some(code) = line.strip_prefix("[exit code: ") {
            let mut run = current
                .take()
                .unwrap_or_else(|| panic!("{}: exit status without a command", path.display()));
            run.exit = code.trim_end_matches(']').parse().unwrap_or_else(|e| {
                panic!("{}: bad exit status line {line:?}: {e}", path.display())
            });
            runs.push(run);
        } else if let Some(run) = current.as_mut() {
            let stream = if line.starts_with("Verification: ") {
                &mut run.stdout
            } else {
                &mut run.stderr
            };
            stream.push_str(line);
            stream.push('\n');
        }
    }
    assert!(
        current.is_none(),
        "{}: the last command has no exit status",
        path.display()
    );
    runs
}

/// Every recorded run of the corpus, sorted by folder and file.
fn recorded_runs(realworld: &Path) -> Vec<Run> {
    let mut files = Vec::new();
    for source in std::fs::read_dir(realworld).unwrap().flatten() {
        let Ok(entries) = std::fs::read_dir(source.path()) else {
            continue;
        };
        files.extend(
            entries
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| path.to_string_lossy().ends_with(".verify.txt")),
        );
    }
    files.sort();
    files.iter().flat_map(|path| parse_runs(path)).collect()
}

/// Runs `tsrs ts ARGS` in `dir`, under the recording date when `args` has no
/// `-attime`.
fn run_tsrs(dir: &Path, args: &[String]) -> Output {
    let tsrs = tsrs().display().to_string();
    let frozen = format!("{RECORDED} x0");
    let mut argv: Vec<&str> = Vec::new();
    if !args.iter().any(|arg| arg == "-attime") {
        argv.extend(["faketime", "-f", frozen.as_str()]);
    }
    argv.extend([tsrs.as_str(), "ts"]);
    argv.extend(args.iter().map(String::as_str));
    let output = run_in(dir, Path::new(argv[0]), &argv[1..], None);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked"),
        "tsrs panicked in {}: ts {}\n{stderr}",
        dir.display(),
        args.join(" ")
    );
    output
}

/// Compares one tsrs run with its recorded OpenSSL run; returns what differs.
fn compare(run: &Run, actual: &Output) -> Vec<String> {
    let mut problems = Vec::new();
    let stdout = String::from_utf8_lossy(&actual.stdout);
    let stderr = String::from_utf8_lossy(&actual.stderr);
    let exit = actual.status.code().unwrap_or(-1);
    let expect = run.exception().map(|e| e.expect);
    match expect {
        None | Some(Expect::OwnErrorQueue) => {
            let lines_only = expect.is_some();
            if exit != run.exit {
                problems.push(format!("exit status: openssl {}, tsrs {exit}", run.exit));
            }
            if stdout != run.stdout {
                problems.push(format!("stdout: openssl {:?}, tsrs {stdout:?}", run.stdout));
            }
            let expected = normalize_stderr(run.stderr.as_bytes(), lines_only);
            let normalized = normalize_stderr(&actual.stderr, lines_only);
            if expected != normalized {
                problems.push(format!(
                    "stderr:\n--- openssl\n{expected}\n--- tsrs\n{normalized}"
                ));
            }
        }
        Some(Expect::Verdict {
            exit: expected_exit,
            stderr: needle,
        }) => {
            let verdict = if expected_exit == 0 { "OK" } else { "FAILED" };
            if exit != expected_exit {
                problems.push(format!(
                    "exit status: expected {expected_exit}, tsrs {exit}"
                ));
            }
            if stdout != format!("Verification: {verdict}\n") {
                problems.push(format!(
                    "stdout: expected Verification: {verdict}, tsrs {stdout:?}"
                ));
            }
            if !stderr.contains(needle) {
                problems.push(format!("stderr lacks {needle:?}:\n{stderr}"));
            }
        }
        Some(Expect::MissingFile(name)) => {
            if run.dir.join(name).exists() {
                problems.push(format!(
                    "{name} is in the corpus now: remove its entry from EXCEPTIONS"
                ));
            } else if exit != 1 || !stderr.contains(name) {
                problems.push(format!(
                    "expected tsrs to fail on the missing {name}, got exit {exit}:\n{stderr}"
                ));
            }
        }
    }
    problems
}

#[test]
fn recorded_runs_match_openssl() {
    require("faketime");
    let realworld = realworld();
    let runs = recorded_runs(&realworld);
    assert!(
        !runs.is_empty(),
        "no recorded verify run in {}",
        realworld.display()
    );

    let mut failures = Vec::new();
    let mut missing = Vec::new();
    for run in &runs {
        if let Some(Exception {
            expect: Expect::MissingFile(name),
            ..
        }) = run.exception()
        {
            missing.push(format!("{} ({name})", run.artifact()));
        }
        let actual = run_tsrs(&run.dir, &run.args);
        let problems = compare(run, &actual);
        if !problems.is_empty() {
            failures.push(format!("{}\n{}", run.describe(), problems.join("\n")));
        }
    }
    for entry in EXCEPTIONS {
        assert!(
            runs.iter()
                .any(|run| run.exception().is_some_and(|e| std::ptr::eq(e, entry))),
            "the exception for {} {} matches no recorded run",
            entry.artifact,
            entry.option
        );
    }
    eprintln!(
        "{} recorded runs; runs whose input is not in the corpus: {}",
        runs.len(),
        missing.join(", ")
    );
    assert!(
        failures.is_empty(),
        "{} of {} runs differ from the recorded ones:\n\n{}",
        failures.len(),
        runs.len(),
        failures.join("\n\n")
    );
}

/// Positive artifacts that tsrs does not verify with the files the corpus
/// has, with a text that the failure must contain.
const NOT_VERIFIABLE: &[(&str, &str)] = &[
    // The token has no certificates and the signer certificate was not
    // published with it.
    (
        "asn1crypto/geotrust-sha1.tsr",
        "signer certificate not found",
    ),
    ("bc-java/bc-md5.tsr", "signer certificate not found"),
    ("bc-java/bc-sha1.tsr", "signer certificate not found"),
    (
        "rustcrypto-x509-tsp/openssl-ecdsa-p384.tsr",
        "signer certificate not found",
    ),
    // The second ESSCertID names the issuing CA, which is not in the corpus:
    // the path is the signer alone, the anchor given with -partial_chain.
    ("bc-java/ncipher-dse200-sha1.tsr", "ess cert id not found"),
    // The signer's extended key usage is not critical (RFC 3161 section 2.3
    // requires it to be), or its key usage allows more than digitalSignature
    // and nonRepudiation: OpenSSL's time-stamping purpose rejects both.
    (
        "esig-dss/dtrust-akr-2014.tst",
        "unsuitable certificate purpose",
    ),
    (
        "esig-dss/fujitsu-ejbca-pss.tst",
        "unsuitable certificate purpose",
    ),
    (
        "esig-dss/icpbrasil-certisign-2017.tst",
        "unsuitable certificate purpose",
    ),
    (
        "signify/microsoft-2017-essv1.tst",
        "unsuitable certificate purpose",
    ),
    (
        "saferwall-pe/microsoft-2019-frac-01.tst",
        "unsuitable certificate purpose",
    ),
    (
        "saferwall-pe/microsoft-2019-essv1-noncrit.tst",
        "unsuitable certificate purpose",
    ),
];

/// Negative artifacts that tsrs verifies, and why that is right.
const VERIFIED_NEGATIVES: &[&str] = &[
    // Upstream (GHSA-3xxc-pwj6-jgrj in trailofbits/rfc3161-client) injects a
    // "CN=Spoofed TSA" certificate and a dummy certificate before the real
    // signer's in the certificate set. The signature is still the genuine
    // TSA's, and upstream only requires that pinning the TSA name to the
    // spoofed certificate fails. tsrs finds the signer by the SignerInfo's
    // issuerAndSerialNumber, never by position, so the token verifies against
    // the genuine signer as it should: the spoofed certificate chains to no
    // anchor and the dummy one has another key.
    "rfc3161-client/test-tsa-injected-certs.tsr",
];

/// The TSTInfo of an artifact, for its genTime and imprint.
fn tst_info(path: &Path, token_in: bool) -> Option<tsrs::asn1::tsp::TstInfo> {
    let input = std::fs::read(path).ok()?;
    if token_in {
        Some(TimeStampToken::from_ber(&input).ok()?.tst_info)
    } else {
        Response::from_ber(&input).ok()?.tst_info().cloned()
    }
}

/// The run at the stamp's own time: `-attime genTime` added, and the data
/// replaced by the token's own imprint where the recorded run used a digest
/// of unknown data or a request that is not in the corpus.
fn at_gen_time(run: &Run) -> Option<Vec<String>> {
    let input = run.dir.join(
        run.args
            .iter()
            .position(|a| a == "-in")
            .and_then(|i| run.args.get(i + 1))?,
    );
    let tst = tst_info(&input, run.has("-token_in"))?;
    let imprint: String = tst
        .message_imprint
        .hashed_message
        .as_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let mut args = Vec::new();
    let mut words = run.args.iter();
    while let Some(arg) = words.next() {
        match arg.as_str() {
            "-digest" | "-queryfile" => {
                let value = words.next()?;
                if arg == "-queryfile" && run.dir.join(value).exists() {
                    args.extend([arg.clone(), value.clone()]);
                } else {
                    args.extend(["-digest".to_owned(), imprint.clone()]);
                }
            }
            "-attime" => {
                words.next()?;
            }
            _ => args.push(arg.clone()),
        }
    }
    args.extend([
        "-attime".to_owned(),
        tst.gen_time.unix_seconds()?.to_string(),
    ]);
    Some(args)
}

/// One artifact of `index.json`: its `<source>/<file>` and its role.
struct IndexEntry {
    file: String,
    role: String,
}

fn read_index(realworld: &Path) -> Vec<IndexEntry> {
    let path = realworld.join("index.json");
    let text =
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let value: serde_json::Value = serde_json::from_slice(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let field = |artifact: &serde_json::Value, name: &str| {
        artifact[name]
            .as_str()
            .unwrap_or_else(|| panic!("{}: an artifact has no {name:?}", path.display()))
            .to_owned()
    };
    value
        .as_array()
        .unwrap_or_else(|| panic!("{} is not a list of artifacts", path.display()))
        .iter()
        .map(|artifact| IndexEntry {
            file: field(artifact, "file"),
            role: field(artifact, "role"),
        })
        .collect()
}

#[test]
fn roles_get_their_verdicts() {
    require("faketime");
    let realworld = realworld();
    let index = read_index(&realworld);
    let runs = recorded_runs(&realworld);

    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in &index {
        let must_verify = match entry.role.as_str() {
            "positive" => true,
            "negative" | "malformed" | "rejection" => false,
            _ => continue,
        };
        let own: Vec<&Run> = runs
            .iter()
            .filter(|run| run.artifact() == entry.file)
            .collect();
        if own.is_empty() {
            failures.push(format!(
                "{} ({}): no recorded verify run",
                entry.file, entry.role
            ));
            continue;
        }
        checked += 1;
        let mut outputs: Vec<Output> = own
            .iter()
            .filter(|run| {
                !matches!(
                    run.exception().map(|e| e.expect),
                    Some(Expect::MissingFile(_))
                )
            })
            .map(|run| run_tsrs(&run.dir, &run.args))
            .collect();
        if must_verify {
            outputs.extend(
                own.iter()
                    .filter_map(|run| Some((run, at_gen_time(run)?)))
                    .map(|(run, args)| run_tsrs(&run.dir, &args)),
            );
        }
        let verified = outputs.iter().any(|out| out.status.success());
        let last_stderr = outputs
            .last()
            .map(|out| String::from_utf8_lossy(&out.stderr).into_owned())
            .unwrap_or_default();
        let listed_failure = NOT_VERIFIABLE.iter().find(|(file, _)| *file == entry.file);
        let listed_success = VERIFIED_NEGATIVES.contains(&entry.file.as_str());
        match (must_verify, verified, listed_failure, listed_success) {
            (true, true, None, _) | (false, false, _, false) => {}
            (true, false, Some((_, reason)), _) if last_stderr.contains(reason) => {}
            (true, false, Some((_, reason)), _) => failures.push(format!(
                "{}: expected a failure with {reason:?}, got:\n{last_stderr}",
                entry.file
            )),
            (true, true, Some(_), _) => failures.push(format!(
                "{}: verifies now; remove it from NOT_VERIFIABLE",
                entry.file
            )),
            (true, false, None, _) => failures.push(format!(
                "{}: positive, but no run verifies:\n{last_stderr}",
                entry.file
            )),
            (false, true, _, true) => {
                if outputs.iter().any(|out| !out.status.success()) {
                    failures.push(format!("{}: some runs fail:\n{last_stderr}", entry.file));
                }
            }
            (false, true, _, false) => {
                failures.push(format!("{} ({}): a run verifies", entry.file, entry.role))
            }
            (false, false, _, true) => failures.push(format!(
                "{}: fails now; remove it from VERIFIED_NEGATIVES:\n{last_stderr}",
                entry.file
            )),
        }
    }
    assert!(
        checked > 0,
        "index.json lists no artifact with a verify run"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} artifacts get the wrong verdict:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
