//! The library configuration that `openssl_conf` names (providers,
//! alg_section, engines, random, ssl_conf, oid_section, stbl_section),
//! compared with the system `openssl ts` in both places OpenSSL applies it:
//! the default file at start-up (`OPENSSL_CONF`) and a file given with
//! `-config`. Each comparison covers the exit status, stdout, the files
//! left behind and stderr normalized as `common::normalize_stderr` does.
//!
//! The configurations tsrs does not support on purpose (a FIPS provider, an
//! engine that exists, a provider from a shared library) check tsrs's
//! message instead.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{FROZEN, Pki, TempDir, copy_dir, normalize_stderr, require, snapshot, tsrs};

/// Where the configuration under test goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `OPENSSL_CONF=modules.cnf`: applied when the command starts.
    Environment,
    /// `-config modules.cnf`: applied after the file is read.
    Option,
}

const BOTH: [Place; 2] = [Place::Environment, Place::Option];

/// The file name the configuration under test is written to.
const CNF: &str = "modules.cnf";

/// Runs `openssl ts` or `tsrs ts` in `dir` with `TZ=UTC`, `OPENSSL_CONF`
/// set only by `env`, under the frozen clock when `frozen`.
fn run(dir: &Path, openssl: bool, args: &[String], env: &[(&str, &str)], frozen: bool) -> Output {
    let mut argv: Vec<String> = Vec::new();
    if frozen {
        argv.extend(["faketime".into(), "-f".into(), format!("{FROZEN} x0")]);
    }
    argv.push(match openssl {
        true => "openssl".into(),
        false => tsrs().display().to_string(),
    });
    argv.push("ts".into());
    argv.extend(args.iter().cloned());
    let mut command = Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .current_dir(dir)
        .env("TZ", "UTC")
        .env_remove("OPENSSL_CONF")
        .env_remove("OPENSSL_MODULES")
        .env_remove("OPENSSL_ENGINES")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("run ts");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked"),
        "ts {args:?} panicked: {stderr}"
    );
    output
}

/// The arguments and environment that put the configuration in `place`.
fn placed(place: Place, args: &[&str]) -> (Vec<String>, Vec<(&'static str, &'static str)>) {
    let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    match place {
        Place::Environment => (all, vec![("OPENSSL_CONF", CNF)]),
        Place::Option => {
            all.extend(["-config".to_owned(), CNF.to_owned()]);
            (all, Vec::new())
        }
    }
}

/// [`normalize_stderr`], with the program name of the start-up failure line
/// (OpenSSL prints `argv[0]`) replaced.
fn normalized(stderr: &[u8]) -> String {
    normalize_stderr(stderr, false)
        .lines()
        .map(|line| match line.split_once(") for ") {
            Some((start, _)) if line.starts_with("FATAL: Startup failure") => {
                format!("{start}) for PROGRAM")
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One differential run.
struct Run<'a> {
    args: Vec<String>,
    env: Vec<(&'a str, &'a str)>,
    frozen: bool,
    /// Compare the files left behind (false when a random nonce differs).
    files: bool,
}

/// Runs both tools in copies of `fixture` with `cnf` written to
/// [`CNF`]; returns every difference.
fn differences(fixture: &Path, cnf: &str, run_spec: &Run) -> Vec<String> {
    let work = TempDir::new("confmods");
    let dirs = [work.join("openssl"), work.join("tsrs")];
    for dir in &dirs {
        copy_dir(fixture, dir);
        fs::write(dir.join(CNF), cnf).unwrap();
    }
    let outputs: Vec<Output> = dirs
        .iter()
        .zip([true, false])
        .map(|(dir, openssl)| run(dir, openssl, &run_spec.args, &run_spec.env, run_spec.frozen))
        .collect();
    let (expected, actual) = (&outputs[0], &outputs[1]);
    let mut problems = Vec::new();
    if expected.status.code() != actual.status.code() {
        problems.push(format!(
            "exit status {:?} (openssl) vs {:?} (tsrs)",
            expected.status.code(),
            actual.status.code()
        ));
    }
    if expected.stdout != actual.stdout {
        problems.push(format!(
            "stdout differs:\n--- openssl\n{}\n--- tsrs\n{}",
            String::from_utf8_lossy(&expected.stdout),
            String::from_utf8_lossy(&actual.stdout)
        ));
    }
    let (expected_err, actual_err) = (normalized(&expected.stderr), normalized(&actual.stderr));
    if expected_err != actual_err {
        problems.push(format!(
            "stderr differs:\n--- openssl\n{expected_err}\n--- tsrs\n{actual_err}\n--- tsrs raw\n{}",
            String::from_utf8_lossy(&actual.stderr)
        ));
    }
    if run_spec.files && snapshot(&dirs[0]) != snapshot(&dirs[1]) {
        problems.push("the files left behind differ".to_owned());
    }
    problems
}

/// A configuration and the `ts` arguments to run with it.
struct Case {
    name: &'static str,
    cnf: &'static str,
    args: &'static [&'static str],
    /// Compare the files left behind.
    files: bool,
}

const QUERY: &[&str] = &["-query", "-data", "data.txt", "-no_nonce", "-out", "q.tsq"];
const QUERY_NONCE: &[&str] = &["-query", "-data", "data.txt", "-out", "q.tsq"];
const QUERY_MD4: &[&str] = &[
    "-query",
    "-data",
    "data.txt",
    "-md4",
    "-no_nonce",
    "-out",
    "q.tsq",
];
const QUERY_SHA256: &[&str] = &[
    "-query",
    "-data",
    "data.txt",
    "-sha256",
    "-no_nonce",
    "-out",
    "q.tsq",
];
const PRINT_POLICY: &[&str] = &["-query", "-in", "policy.tsq", "-text"];

const fn case(name: &'static str, cnf: &'static str, args: &'static [&'static str]) -> Case {
    Case {
        name,
        cnf,
        args,
        files: true,
    }
}

const fn nonce_case(name: &'static str, cnf: &'static str) -> Case {
    Case {
        name,
        cnf,
        args: QUERY_NONCE,
        files: false,
    }
}

/// The configurations OpenSSL and tsrs treat the same, each run through
/// `OPENSSL_CONF` and `-config`.
const CASES: &[Case] = &[
    case("no openssl_conf", "a = 1\n", QUERY),
    case(
        "openssl_conf names a missing section",
        "openssl_conf = nosuch\n",
        QUERY,
    ),
    case(
        "missing section with diagnostics",
        "config_diagnostics = 1\nopenssl_conf = nosuch\n",
        QUERY,
    ),
    case(
        "missing providers section",
        "openssl_conf = init\n[init]\nproviders = nosuch\n",
        QUERY,
    ),
    case(
        "missing providers section with diagnostics",
        "config_diagnostics = 1\nopenssl_conf = init\n[init]\nproviders = nosuch\n",
        QUERY,
    ),
    case(
        "unknown module",
        "openssl_conf = init\n[init]\nfoo = bar\n",
        QUERY,
    ),
    case(
        "unknown module with diagnostics and path",
        "config_diagnostics = 1\nopenssl_conf = init\n[init]\nfoo = bar\n[bar]\npath = /nonexistent/foo.so\n",
        QUERY,
    ),
    case(
        "module name prefix",
        "openssl_conf = init\n[init]\nprov = p\n[p]\nlegacy = l\n[l]\nactivate = 1\n",
        QUERY,
    ),
    case(
        "missing fipsmodule include with diagnostics",
        "config_diagnostics = 1\n.include fipsmodule.cnf\nopenssl_conf = openssl_init\n\
         [openssl_init]\nproviders = provider_sect\n[provider_sect]\ndefault = default_sect\n\
         fips = fips_sect\n[default_sect]\nactivate = 1\n",
        QUERY,
    ),
    case(
        "missing fipsmodule include",
        ".include fipsmodule.cnf\nopenssl_conf = openssl_init\n[openssl_init]\n\
         providers = provider_sect\n[provider_sect]\ndefault = default_sect\nfips = fips_sect\n\
         [default_sect]\nactivate = 1\n",
        QUERY,
    ),
    case(
        "first failure stops later modules",
        "openssl_conf = init\n[init]\nfoo = bar\nproviders = p\n[p]\nlegacy = l\n[l]\nactivate = 1\n",
        QUERY,
    ),
    case(
        "default provider activated",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\ndefault = d\n[d]\nactivate = 1\n",
        QUERY,
    ),
    case(
        "base provider alone",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\nbase = b\n[b]\nactivate = 1\n",
        QUERY,
    ),
    case(
        "legacy provider alone",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\nlegacy = l\n[l]\nactivate = 1\n",
        QUERY,
    ),
    case(
        "legacy provider alone with md4",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\nlegacy = l\n[l]\nactivate = 1\n",
        QUERY_MD4,
    ),
    case(
        "legacy provider alone with sha256 option",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\nlegacy = l\n[l]\nactivate = 1\n",
        QUERY_SHA256,
    ),
    nonce_case(
        "legacy provider alone with nonce",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\nlegacy = l\n[l]\nactivate = 1\n",
    ),
    case(
        "legacy and default with md4",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\nlegacy = l\ndefault = d\n\
         [l]\nactivate = 1\n[d]\nactivate = 1\n",
        QUERY_MD4,
    ),
    case(
        "legacy and default with whirlpool",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\nlegacy = l\ndefault = d\n\
         [l]\nactivate = 1\n[d]\nactivate = 1\n",
        &[
            "-query",
            "-data",
            "data.txt",
            "-whirlpool",
            "-no_nonce",
            "-out",
            "q.tsq",
        ],
    ),
    case(
        "legacy through identity and activate 0",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\nold = s\ndefault = d\n\
         [s]\nidentity = legacy\nactivate = 0\n[d]\nactivate = 1\n",
        QUERY_MD4,
    ),
    case(
        "unknown provider activated",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\nfoo = f\n[f]\nactivate = 1\n",
        QUERY,
    ),
    case(
        "unknown provider not activated",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\nfoo = f\n[f]\nmodule = /x/foo.so\n",
        QUERY,
    ),
    case(
        "soft-loaded unknown provider",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\nfoo = f\ndefault = d\n\
         [f]\nactivate = 1\nsoft_load = 1\n[d]\nactivate = 1\n",
        QUERY,
    ),
    case(
        "missing provider section",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\ndefault = nosuch\n",
        QUERY,
    ),
    case(
        "recursive provider parameters",
        "openssl_conf = init\n[init]\nproviders = p\n[p]\ndefault = d\n\
         [d]\nactivate = 1\nnested = n\n[n]\nback = n\n",
        QUERY,
    ),
    case(
        "default properties fips=no",
        "openssl_conf = init\n[init]\nalg_section = a\n[a]\ndefault_properties = fips=no\n",
        QUERY,
    ),
    case(
        "default properties empty",
        "openssl_conf = init\n[init]\nalg_section = a\n[a]\ndefault_properties =\n",
        QUERY,
    ),
    case(
        "default properties fips=yes",
        "openssl_conf = init\n[init]\nalg_section = a\n[a]\ndefault_properties = fips=yes\n",
        QUERY,
    ),
    case(
        "default properties fips=yes with md5",
        "openssl_conf = init\n[init]\nalg_section = a\n[a]\ndefault_properties = fips=yes\n",
        &[
            "-query",
            "-data",
            "data.txt",
            "-md5",
            "-no_nonce",
            "-out",
            "q.tsq",
        ],
    ),
    case(
        "fips_mode yes",
        "openssl_conf = init\n[init]\nalg_section = a\n[a]\nfips_mode = yes\n",
        QUERY,
    ),
    case(
        "fips_mode no",
        "openssl_conf = init\n[init]\nalg_section = a\n[a]\nfips_mode = no\n",
        QUERY,
    ),
    case(
        "fips_mode invalid",
        "openssl_conf = init\n[init]\nalg_section = a\n[a]\nfips_mode = maybe\n",
        QUERY,
    ),
    case(
        "default properties that do not parse",
        "openssl_conf = init\n[init]\nalg_section = a\n[a]\ndefault_properties = fips==\n",
        QUERY,
    ),
    case(
        "default properties with a bad name",
        "openssl_conf = init\n[init]\nalg_section = a\n[a]\ndefault_properties = 1abc\n",
        QUERY,
    ),
    case(
        "unknown alg_section key",
        "openssl_conf = init\n[init]\nalg_section = a\n[a]\nfoo = bar\n",
        QUERY,
    ),
    case(
        "missing alg_section",
        "openssl_conf = init\n[init]\nalg_section = nosuch\n",
        QUERY,
    ),
    case(
        "engine that does not exist",
        "openssl_conf = init\n[init]\nengines = e\n[e]\nfoo = f\n[f]\ndefault_algorithms = ALL\n",
        QUERY,
    ),
    case(
        "engine library that does not exist",
        "openssl_conf = init\n[init]\nengines = e\n[e]\nfoo = f\n[f]\ndynamic_path = /nonexistent/foo.so\n",
        QUERY,
    ),
    case(
        "engine section without commands",
        "openssl_conf = init\n[init]\nengines = e\n[e]\nfoo = f\n[f]\n",
        QUERY,
    ),
    case(
        "soft-loaded engine that does not exist",
        "openssl_conf = init\n[init]\nengines = e\n[e]\nfoo = f\n[f]\nsoft_load = 1\ninit = 1\n",
        QUERY,
    ),
    case(
        "missing engine section",
        "openssl_conf = init\n[init]\nengines = e\n[e]\nfoo = nosuch\n",
        QUERY,
    ),
    case(
        "missing engines section",
        "openssl_conf = init\n[init]\nengines = nosuch\n",
        QUERY,
    ),
    case(
        "oid_section module names a policy",
        "openssl_conf = init\n[init]\noid_section = o\n[o]\nmyPolicy = 1.2.3.4.1\n",
        PRINT_POLICY,
    ),
    case(
        "oid_section module with long name",
        "openssl_conf = init\n[init]\noid_section = o\n[o]\nmyPolicy = My Policy Name, 1.2.3.4.1\n",
        PRINT_POLICY,
    ),
    case(
        "oid_section module with known name",
        "openssl_conf = init\n[init]\noid_section = o\n[o]\nsha256 = 1.2.3.4.1\n",
        PRINT_POLICY,
    ),
    case(
        "oid_section module with bad OID",
        "openssl_conf = init\n[init]\noid_section = o\n[o]\nfoo = notanoid\n",
        PRINT_POLICY,
    ),
    case(
        "oid_section module and key together",
        "oid_section = o\nopenssl_conf = init\n[init]\noid_section = o\n[o]\npol = 1.2.3.4.1\n",
        PRINT_POLICY,
    ),
    case(
        "ssl_conf section",
        "openssl_conf = init\n[init]\nssl_conf = s\n[s]\nsystem_default = d\n[d]\nMinProtocol = TLSv1.2\n",
        QUERY,
    ),
    case(
        "empty ssl_conf section",
        "openssl_conf = init\n[init]\nssl_conf = s\n[s]\n",
        QUERY,
    ),
    case(
        "missing ssl command section",
        "openssl_conf = init\n[init]\nssl_conf = s\n[s]\nsystem_default = nosuch\n",
        QUERY,
    ),
    case(
        "string table",
        "openssl_conf = init\n[init]\nstbl_section = t\n[t]\ncommonName = min:1,max:64,mask:UTF8|BMP\n",
        QUERY,
    ),
    case(
        "string table with bad number",
        "openssl_conf = init\n[init]\nstbl_section = t\n[t]\ncommonName = min:x\n",
        QUERY,
    ),
    case(
        "string table with unknown object",
        "openssl_conf = init\n[init]\nstbl_section = t\n[t]\nfooName = min:1\n",
        QUERY,
    ),
    nonce_case(
        "random generator",
        "openssl_conf = init\n[init]\nrandom = r\n[r]\nrandom = HASH-DRBG\ndigest = SHA256\n",
    ),
    nonce_case(
        "unknown random generator",
        "openssl_conf = init\n[init]\nrandom = r\n[r]\nrandom = FOO\n",
    ),
    nonce_case(
        "random generator with CBC cipher",
        "openssl_conf = init\n[init]\nrandom = r\n[r]\ncipher = AES-256-CBC\n",
    ),
    nonce_case(
        "unknown random key",
        "openssl_conf = init\n[init]\nrandom = r\n[r]\nfoo = bar\nrandom = CTR-DRBG\n",
    ),
    nonce_case(
        "missing random section",
        "openssl_conf = init\n[init]\nrandom = nosuch\n",
    ),
];

/// A folder with `data.txt` and `policy.tsq`, a request for policy 1.2.3.4.1.
fn query_fixture() -> TempDir {
    require("openssl");
    let dir = TempDir::new("confmods-fixture");
    fs::write(dir.join("data.txt"), b"Hello, configuration modules!\n").unwrap();
    let args: Vec<String> = [
        "-query",
        "-data",
        "data.txt",
        "-tspolicy",
        "1.2.3.4.1",
        "-no_nonce",
        "-out",
        "policy.tsq",
    ]
    .iter()
    .map(|a| (*a).to_owned())
    .collect();
    let output = run(dir.path(), true, &args, &[], false);
    assert!(output.status.success(), "cannot create policy.tsq");
    dir
}

#[test]
fn modules_match_openssl_in_both_places() {
    let fixture = query_fixture();
    let mut failures = Vec::new();
    for case in CASES {
        for place in BOTH {
            let (args, env) = placed(place, case.args);
            let spec = Run {
                args,
                env,
                frozen: false,
                files: case.files,
            };
            let problems = differences(fixture.path(), case.cnf, &spec);
            if !problems.is_empty() {
                failures.push(format!(
                    "{} ({place:?}):\n{}",
                    case.name,
                    problems.join("\n")
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} runs differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn startup_failure_stops_help() {
    let fixture = query_fixture();
    let cnf = "config_diagnostics = 1\nopenssl_conf = nosuch\n";
    let spec = Run {
        args: vec!["-help".to_owned()],
        env: vec![("OPENSSL_CONF", CNF)],
        frozen: false,
        files: true,
    };
    let problems = differences(fixture.path(), cnf, &spec);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn modules_applied_twice_when_same_file() {
    // The start-up file and -config are applied separately, so an object
    // the first created makes the second fail.
    let fixture = query_fixture();
    let cnf = "openssl_conf = init\n[init]\noid_section = o\n[o]\nmyPolicy = 1.2.3.4.1\n";
    let (args, _) = placed(Place::Option, PRINT_POLICY);
    let spec = Run {
        args,
        env: vec![("OPENSSL_CONF", CNF)],
        frozen: false,
        files: true,
    };
    let problems = differences(fixture.path(), cnf, &spec);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `-provider`, `-provider-path` and `-propquery` without a configuration.
const PROVIDER_OPTIONS: &[&[&str]] = &[
    &["-provider", "default"],
    &["-provider", "base"],
    &["-provider", "legacy"],
    &["-provider", "legacy", "-md4"],
    &["-provider", "legacy", "-sha256"],
    &["-provider", "legacy", "-provider", "default", "-md4"],
    &["-provider", "legacy", "-provider", "default", "-whirlpool"],
    &["-provider", "default", "-md4"],
    &["-provider", "foo"],
    &["-provider", "../x"],
    &["-provider", ""],
    &["-provider-path", "/nonexistent", "-provider", "foo"],
    &["-provider-path", "/nonexistent", "-provider", "legacy"],
    &[
        "-provider-path",
        "/nonexistent",
        "-provider",
        "default",
        "-provider",
        "legacy",
    ],
    // A -provider-path applies only to the -provider options after it.
    &[
        "-provider",
        "legacy",
        "-provider-path",
        "/nonexistent",
        "-provider",
        "default",
        "-md4",
    ],
    &["-provider-path", "/tmp", "-sha256"],
    &["-provider-path", "/tmp", "-RSA-SHA256"],
    &["-propquery", "fips=yes", "-sha256"],
    &["-propquery", "fips=no", "-sha256"],
    &["-propquery", "?fips=yes", "-sha256"],
    &["-propquery", "-fips", "-sha256"],
    &["-propquery", "fips==", "-sha256"],
    &["-propquery", "x=1", "-sha256"],
    &["-propquery", "provider=default", "-sha512"],
    &["-propquery", "fips=yes"],
    &[
        "-propquery",
        "provider=legacy",
        "-provider",
        "legacy",
        "-provider",
        "default",
        "-md4",
    ],
    &[
        "-propquery",
        "provider=legacy",
        "-provider",
        "legacy",
        "-provider",
        "default",
        "-sha256",
    ],
];

#[test]
fn provider_options_match_openssl() {
    let fixture = query_fixture();
    let mut failures = Vec::new();
    for options in PROVIDER_OPTIONS {
        let mut args: Vec<String> = QUERY.iter().map(|a| (*a).to_owned()).collect();
        args.extend(options.iter().map(|a| (*a).to_owned()));
        let spec = Run {
            args,
            env: Vec::new(),
            frozen: false,
            files: true,
        };
        let problems = differences(fixture.path(), "", &spec);
        if !problems.is_empty() {
            failures.push(format!("{}:\n{}", options.join(" "), problems.join("\n")));
        }
    }
    let mut nonce_args: Vec<String> = QUERY_NONCE.iter().map(|a| (*a).to_owned()).collect();
    nonce_args.extend(["-provider", "legacy", "-md4"].map(str::to_owned));
    let spec = Run {
        args: nonce_args,
        env: Vec::new(),
        frozen: false,
        files: false,
    };
    let problems = differences(fixture.path(), "", &spec);
    if !problems.is_empty() {
        failures.push(format!("legacy nonce:\n{}", problems.join("\n")));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn legacy_without_library_matches_openssl() {
    // OPENSSL_MODULES names a folder without legacy.so: -provider legacy
    // fails, and the configuration's activation is skipped silently.
    let fixture = query_fixture();
    let legacy_cnf = "openssl_conf = init\n[init]\nproviders = p\n[p]\nlegacy = l\ndefault = d\n\
         [l]\nactivate = 1\n[d]\nactivate = 1\n";
    let mut failures = Vec::new();
    let mut option_args = owned(QUERY_MD4);
    option_args.extend(owned(&["-provider", "legacy"]));
    let mut runs = vec![(option_args, vec![("OPENSSL_MODULES", "/nonexistent")], "")];
    for place in BOTH {
        let (args, mut env) = placed(place, QUERY_MD4);
        env.push(("OPENSSL_MODULES", "/nonexistent"));
        runs.push((args, env, legacy_cnf));
    }
    for (args, env, cnf) in runs {
        let spec = Run {
            args: args.clone(),
            env,
            frozen: false,
            files: true,
        };
        let problems = differences(fixture.path(), cnf, &spec);
        if !problems.is_empty() {
            failures.push(format!("{}:\n{}", args.join(" "), problems.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The folder Debian's OpenSSL loads providers from, as `openssl version -m` prints it.
fn openssl_modules_folder() -> String {
    let output = Command::new("openssl")
        .args(["version", "-m"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    text.split('"').nth(1).unwrap_or_default().to_owned()
}

#[test]
fn fips_provider_option_fails_as_openssl() {
    let fixture = query_fixture();
    let fips_module = Path::new(&openssl_modules_folder()).join("fips.so");
    let mut args: Vec<String> = QUERY.iter().map(|a| (*a).to_owned()).collect();
    args.extend(["-provider".to_owned(), "fips".to_owned()]);
    if fips_module.exists() {
        // OpenSSL loads its FIPS module, which tsrs does not have.
        let output = run(fixture.path(), false, &args, &[], false);
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("no FIPS provider"), "{stderr}");
        return;
    }
    let spec = Run {
        args,
        env: Vec::new(),
        frozen: false,
        files: true,
    };
    let problems = differences(fixture.path(), "", &spec);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Runs tsrs alone and checks that it stops with a message containing `expected`.
fn assert_unsupported(dir: &Path, cnf: &str, place: Place, expected: &str) {
    fs::write(dir.join(CNF), cnf).unwrap();
    let (args, env) = placed(place, QUERY);
    let output = run(dir, false, &args, &env, false);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{place:?}: {stderr}");
    assert!(stderr.contains(expected), "{place:?}: {stderr}");
    assert!(
        !dir.join("q.tsq").exists(),
        "{place:?}: a request was written"
    );
    let first_line = match place {
        Place::Environment => "FATAL: Startup failure",
        Place::Option => "Using configuration from",
    };
    assert!(stderr.starts_with(first_line), "{place:?}: {stderr}");
}

#[test]
fn fips_activation_unsupported() {
    let fixture = query_fixture();
    let cnf = "openssl_conf = init\n[init]\nproviders = p\n[p]\ndefault = d\nfips = f\n\
               [d]\nactivate = 1\n[f]\nactivate = 1\n";
    for place in BOTH {
        assert_unsupported(fixture.path(), cnf, place, "tsrs has no FIPS provider");
    }
}

#[test]
fn existing_engine_unsupported() {
    let fixture = query_fixture();
    let cnf = "openssl_conf = init\n[init]\nengines = e\n[e]\ndynamic = f\n[f]\ndefault_algorithms = ALL\n";
    for place in BOTH {
        assert_unsupported(fixture.path(), cnf, place, "tsrs does not support engines");
    }
}

#[test]
fn shared_library_provider_unsupported() {
    let fixture = query_fixture();
    let library = fixture.join("custom.so");
    fs::write(&library, b"not a library").unwrap();
    let cnf = format!(
        "openssl_conf = init\n[init]\nproviders = p\n[p]\ncustom = c\n[c]\nmodule = {}\nactivate = 1\n",
        library.display()
    );
    for place in BOTH {
        assert_unsupported(
            fixture.path(),
            &cnf,
            place,
            "cannot load providers from shared libraries",
        );
    }
}

/// A TSA configuration that accepts MD4 and whirlpool imprints, with the
/// providers that compute them.
const LEGACY_TSA: &str = "\
openssl_conf = init
[init]
providers = p
[p]
legacy = l
default = d
[l]
activate = 1
[d]
activate = 1
[ tsa ]
default_tsa = tsa_legacy
[ tsa_legacy ]
serial = ./serial
signer_cert = ./tsa.pem
certs = ./ca.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, md4, whirlpool
ess_cert_id_alg = sha256
";

/// The same TSA with only the legacy provider: nothing can sign.
const LEGACY_ONLY_TSA: &str = "\
openssl_conf = init
[init]
providers = p
[p]
legacy = l
[l]
activate = 1
[ tsa ]
default_tsa = tsa_legacy
[ tsa_legacy ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, md4
";

/// Runs `openssl ts ARGS` in `dir`, which must succeed.
fn openssl_ts_ok(dir: &Path, args: &[&str], frozen: bool) {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let output = run(dir, true, &args, &[], frozen);
    assert!(
        output.status.success(),
        "openssl ts {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn owned(args: &[&str]) -> Vec<String> {
    args.iter().map(|a| (*a).to_owned()).collect()
}

#[test]
fn legacy_digests_sign_and_verify_with_providers() {
    let pki = Pki::new();
    let dir = TempDir::new("confmods-legacy");
    copy_dir(pki.path(), dir.path());
    fs::write(dir.join("serial"), "01\n").unwrap();
    for digest in ["-md4", "-whirlpool"] {
        let name = &digest[1..];
        let request = format!("{name}.tsq");
        let response = format!("{name}.tsr");
        openssl_ts_ok(
            dir.path(),
            &[
                "-query",
                "-data",
                "data.txt",
                digest,
                "-cert",
                "-no_nonce",
                "-provider",
                "legacy",
                "-provider",
                "default",
                "-out",
                &request,
            ],
            false,
        );
        let mut failures = Vec::new();
        for place in BOTH {
            let (args, env) = placed(
                place,
                &["-reply", "-queryfile", &request, "-out", &response],
            );
            let spec = Run {
                args,
                env,
                frozen: true,
                files: true,
            };
            failures.extend(differences(dir.path(), LEGACY_TSA, &spec));
        }
        fs::write(dir.join(CNF), LEGACY_TSA).unwrap();
        openssl_ts_ok(
            dir.path(),
            &[
                "-reply",
                "-queryfile",
                &request,
                "-config",
                CNF,
                "-out",
                &response,
            ],
            true,
        );
        for place in BOTH {
            let (args, env) = placed(
                place,
                &[
                    "-verify", "-in", &response, "-data", "data.txt", "-CAfile", "ca.pem",
                ],
            );
            let spec = Run {
                args,
                env,
                frozen: false,
                files: true,
            };
            failures.extend(differences(dir.path(), LEGACY_TSA, &spec));
        }
        // Without the legacy provider, OpenSSL cannot hash the data.
        let spec = Run {
            args: owned(&[
                "-verify", "-in", &response, "-data", "data.txt", "-CAfile", "ca.pem",
            ]),
            env: Vec::new(),
            frozen: false,
            files: true,
        };
        failures.extend(differences(dir.path(), "", &spec));
        assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
    }
}

#[test]
fn no_default_provider_stops_signing() {
    let pki = Pki::new();
    let dir = TempDir::new("confmods-nodefault");
    copy_dir(pki.path(), dir.path());
    fs::write(dir.join("serial"), "01\n").unwrap();
    fs::write(dir.join(CNF), LEGACY_ONLY_TSA).unwrap();
    openssl_ts_ok(
        dir.path(),
        &[
            "-query",
            "-data",
            "data.txt",
            "-cert",
            "-no_nonce",
            "-out",
            "q.tsq",
        ],
        false,
    );
    let reply = owned(&[
        "-reply",
        "-queryfile",
        "q.tsq",
        "-config",
        CNF,
        "-out",
        "r.tsr",
    ]);
    let verify = owned(&[
        "-verify",
        "-in",
        "r.tsr",
        "-queryfile",
        "q.tsq",
        "-CAfile",
        "ca.pem",
        "-provider",
        "legacy",
    ]);
    openssl_ts_ok(
        dir.path(),
        &[
            "-reply",
            "-queryfile",
            "q.tsq",
            "-config",
            "tsa.cnf",
            "-out",
            "r.tsr",
        ],
        true,
    );
    // OpenSSL fails at its first fetch with entries that differ by step;
    // tsrs prints the same lines and explains instead.
    for (args, action) in [(reply, "cannot sign"), (verify, "cannot verify")] {
        let expected = run(dir.path(), true, &args, &[], true);
        let actual = run(dir.path(), false, &args, &[], true);
        let stderr = String::from_utf8_lossy(&actual.stderr);
        assert_eq!(expected.status.code(), Some(1), "openssl {args:?}");
        assert_eq!(actual.status.code(), Some(1), "{stderr}");
        assert_eq!(expected.stdout, actual.stdout, "{args:?}");
        assert_eq!(
            normalize_stderr(&expected.stderr, true),
            normalize_stderr(&actual.stderr, true),
            "{args:?}"
        );
        assert!(stderr.contains(action), "{stderr}");
        assert!(stderr.contains("active providers are: legacy"), "{stderr}");
    }
    // Printing a response needs no algorithm.
    let spec = Run {
        args: owned(&["-reply", "-in", "r.tsr", "-text", "-config", CNF]),
        env: Vec::new(),
        frozen: false,
        files: true,
    };
    let problems = differences(dir.path(), LEGACY_ONLY_TSA, &spec);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
