//! The verification options beyond OpenSSL (validation at genTime, strict
//! request checks) and the per-check report, through the library and
//! `tsrs ts -verify`, on tokens that `openssl ts -reply` signs.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{Pki, Tool, ts};
use tsrs::asn1::tsp::TimeStampReq;
use tsrs::error::Reason;
use tsrs::response::Response;
use tsrs::verify::report::{self, CheckCode, Report, Verdict};
use tsrs::verify::{self, VerifyContext, flags};
use tsrs::x509::{TrustStore, VerifyTime};

/// Runs `openssl ts ARGS` in the PKI folder, failing the test on an error.
fn openssl(pki: &Pki, args: &[&str], frozen: bool) {
    let out = ts(Tool::Openssl, pki.path(), args, frozen, None);
    assert!(
        out.status.success(),
        "openssl ts {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes request `name`.tsq for data.txt with extra query options.
fn query(pki: &Pki, name: &str, extra: &[&str]) {
    let out = format!("{name}.tsq");
    let mut args = vec!["-query", "-config", "tsa.cnf", "-data", "data.txt"];
    args.extend_from_slice(extra);
    args.extend(["-out", &out]);
    openssl(pki, &args, false);
}

/// Writes response `name`.tsr to `request`.tsq from TSA `section`.
fn reply(pki: &Pki, request: &str, section: &str, name: &str, frozen: bool) {
    let queryfile = format!("{request}.tsq");
    let out = format!("{name}.tsr");
    openssl(
        pki,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            section,
            "-queryfile",
            &queryfile,
            "-out",
            &out,
        ],
        frozen,
    );
}

fn response(pki: &Pki, name: &str) -> Response {
    Response::from_ber(&fs::read(pki.join(&format!("{name}.tsr"))).unwrap()).unwrap()
}

/// The checks of `openssl ts -verify -queryfile REQUEST -CAfile ca.pem
/// -untrusted tsa.pem`, plus `extra` flags.
fn request_context(pki: &Pki, request: &str, extra: u32) -> VerifyContext {
    let der = fs::read(pki.join(&format!("{request}.tsq"))).unwrap();
    let mut ctx = VerifyContext::from_request(&TimeStampReq::from_ber(&der).unwrap());
    ctx.flags |= flags::SIGNATURE | extra;
    let mut store = TrustStore::new();
    store.load_file(&pki.join("ca.pem")).unwrap();
    ctx.store = store;
    ctx.untrusted = tsrs::x509::load_certs(&pki.join("tsa.pem")).unwrap();
    ctx
}

fn verdict(report: &Report, code: CheckCode) -> (Verdict, bool) {
    let check = report.check(code).unwrap();
    (check.verdict, check.report_only)
}

/// The report agrees with the verification: the same outcome, and on
/// failure the decisive check has the verdict's reason.
fn assert_consistent(result: &tsrs::error::Result<verify::Verified>, report: &Report) {
    assert_eq!(result.is_ok(), report.verified());
    assert_eq!(report.checks.len(), CheckCode::ALL.len());
    match result {
        Ok(_) => assert!(
            report.checks.iter().all(|c| c.verdict != Verdict::Failed),
            "{report:#?}"
        ),
        Err(error) => {
            let decisive = report.decisive_failure().expect("a decisive failure");
            assert_eq!(decisive.reason, Some(error.reason()), "{report:#?}");
            let first_failed = report
                .checks
                .iter()
                .position(|c| c.verdict == Verdict::Failed)
                .unwrap();
            assert_eq!(report.checks[first_failed].code, decisive.code);
        }
    }
}

#[test]
fn good_response_passes_every_check() {
    let pki = Pki::new();
    query(&pki, "q", &["-cert", "-tspolicy", "tsa_policy2"]);
    reply(&pki, "q", "tsa_full", "r", false);
    let ctx = request_context(&pki, "q", flags::STRICT_REQUEST | flags::AT_GEN_TIME);
    let (result, report) = report::verify_response_report(&ctx, &response(&pki, "r"));
    assert_consistent(&result, &report);
    assert!(result.is_ok(), "{result:?}");
    for code in [
        CheckCode::Status,
        CheckCode::SignerInfo,
        CheckCode::SignerCert,
        CheckCode::Chain,
        CheckCode::Eku,
        CheckCode::Time,
        CheckCode::Ess,
        CheckCode::Signature,
        CheckCode::Version,
        CheckCode::Policy,
        CheckCode::HashAlgorithm,
        CheckCode::Imprint,
        CheckCode::Nonce,
        CheckCode::TsaName,
        CheckCode::CertReq,
    ] {
        assert_eq!(verdict(&report, code), (Verdict::Passed, false), "{code:?}");
    }
    assert_eq!(verdict(&report, CheckCode::Data).0, Verdict::NotRequested);
    assert_eq!(
        verdict(&report, CheckCode::ExpectedTsa).0,
        Verdict::NotRequested
    );
    let time = report.check(CheckCode::Time).unwrap();
    assert!(
        time.values
            .iter()
            .any(|(name, value)| *name == "time_source"
                && *value == report::Value::Text("gen_time".into())),
        "{time:?}"
    );
}

#[test]
fn gen_time_validation_fails_before_issue() {
    let pki = Pki::new();
    query(&pki, "q", &["-cert"]);
    // Stamped in 2024, before the test PKI was issued.
    reply(&pki, "q", "tsa_full", "old", true);
    let old = response(&pki, "old");

    let now = request_context(&pki, "q", 0);
    verify::verify_response(&now, &old).unwrap();

    let at_gen_time = request_context(&pki, "q", flags::AT_GEN_TIME);
    let err = verify::verify_response(&at_gen_time, &old).unwrap_err();
    assert_eq!(err.reason(), Reason::CertificateVerify);
    assert!(err.message().contains("not yet valid"), "{err}");

    let (result, report) = report::verify_response_report(&at_gen_time, &old);
    assert_consistent(&result, &report);
    assert_eq!(verdict(&report, CheckCode::Chain), (Verdict::Failed, false));
    assert_eq!(verdict(&report, CheckCode::Time), (Verdict::Failed, true));
    assert_eq!(verdict(&report, CheckCode::Ess), (Verdict::Skipped, false));
    assert_eq!(
        verdict(&report, CheckCode::Signature),
        (Verdict::Passed, true)
    );
    assert_eq!(
        verdict(&report, CheckCode::Imprint),
        (Verdict::Passed, true)
    );
}

#[test]
fn gen_time_conflicts_with_fixed_time() {
    let pki = Pki::new();
    query(&pki, "q", &[]);
    reply(&pki, "q", "tsa_full", "r", false);
    let mut ctx = request_context(&pki, "q", flags::AT_GEN_TIME);
    ctx.chain_options.time = VerifyTime::NoCheck;
    let err = verify::verify_response(&ctx, &response(&pki, "r")).unwrap_err();
    assert_eq!(err.reason(), Reason::InvalidArgument);
}

#[test]
fn strict_request_needs_signer_certificate() {
    let pki = Pki::new();
    query(&pki, "with_cert", &["-no_nonce", "-cert"]);
    query(&pki, "without_cert", &["-no_nonce"]);
    // tsa_min adds no certificate unless the request asks for one.
    reply(&pki, "without_cert", "tsa_min", "r", false);
    let r = response(&pki, "r");

    let openssl_checks = request_context(&pki, "with_cert", 0);
    verify::verify_response(&openssl_checks, &r).unwrap();

    let strict = request_context(&pki, "with_cert", flags::STRICT_REQUEST);
    let err = verify::verify_response(&strict, &r).unwrap_err();
    assert_eq!(err.reason(), Reason::SignerCertNotIncluded);
    let (result, report) = report::verify_response_report(&strict, &r);
    assert_consistent(&result, &report);
    assert_eq!(
        verdict(&report, CheckCode::CertReq),
        (Verdict::Failed, false)
    );
    assert_eq!(
        verdict(&report, CheckCode::SignerCert),
        (Verdict::Passed, false)
    );

    let without = request_context(&pki, "without_cert", flags::STRICT_REQUEST);
    let (result, report) = report::verify_response_report(&without, &r);
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(
        verdict(&report, CheckCode::CertReq).0,
        Verdict::NotRequested
    );
}

#[test]
fn strict_request_restores_cleared_checks() {
    let pki = Pki::new();
    query(&pki, "q", &["-tspolicy", "tsa_policy2"]);
    query(&pki, "other", &["-tspolicy", "tsa_policy3"]);
    reply(&pki, "other", "tsa_full", "r", false);
    let r = response(&pki, "r");
    let mut ctx = request_context(&pki, "q", 0);
    // Without the nonce and policy checks, only the imprint is compared.
    ctx.flags &= !(flags::NONCE | flags::POLICY);
    verify::verify_response(&ctx, &r).unwrap();
    ctx.flags |= flags::STRICT_REQUEST;
    let err = verify::verify_response(&ctx, &r).unwrap_err();
    assert_eq!(err.reason(), Reason::PolicyMismatch);
    let (result, report) = report::verify_response_report(&ctx, &r);
    assert_consistent(&result, &report);
    assert_eq!(
        verdict(&report, CheckCode::Policy),
        (Verdict::Failed, false)
    );
    assert_eq!(verdict(&report, CheckCode::Nonce), (Verdict::Failed, true));
    let policy = report.check(CheckCode::Policy).unwrap();
    assert!(format!("{:?}", policy.values).contains("1.2.3.4.5.6"));
}

#[test]
fn strict_request_needs_request_values() {
    let ctx = VerifyContext {
        flags: flags::STRICT_REQUEST,
        ..VerifyContext::default()
    };
    let pki = Pki::new();
    query(&pki, "q", &[]);
    reply(&pki, "q", "tsa_full", "r", false);
    let r = response(&pki, "r");
    let err = verify::verify_response(&ctx, &r).unwrap_err();
    assert_eq!(err.reason(), Reason::Missing);
    let (result, report) = report::verify_response_report(&ctx, &r);
    assert!(result.is_err());
    assert!(!report.verified());
    assert_eq!(
        verdict(&report, CheckCode::Status),
        (Verdict::Passed, false)
    );
    assert!(report.decisive_failure().is_none());
    for check in &report.checks[1..] {
        assert_eq!(check.verdict, Verdict::Skipped, "{check:?}");
        assert!(check.detail.starts_with("verification could not start"));
    }
}

#[test]
fn broken_signature_reports_every_check() {
    let pki = Pki::new();
    query(&pki, "q", &["-cert"]);
    query(&pki, "other", &["-cert", "-sha512"]);
    reply(&pki, "q", "tsa_full", "r", false);
    let mut r = response(&pki, "r");
    let token = r.token.as_mut().unwrap();
    let signature = token.signed_data.signer_infos.0[0]
        .signature
        .as_bytes()
        .to_vec();
    let mut changed = signature.clone();
    changed[10] ^= 1;
    token.signed_data.signer_infos.0[0].signature = der::asn1::OctetString::new(changed).unwrap();

    let ctx = request_context(&pki, "other", 0);
    let (result, report) = report::verify_response_report(&ctx, &r);
    assert_consistent(&result, &report);
    assert_eq!(result.unwrap_err().reason(), Reason::SignatureFailure);
    assert_eq!(verdict(&report, CheckCode::Chain), (Verdict::Passed, false));
    assert_eq!(
        verdict(&report, CheckCode::Signature),
        (Verdict::Failed, false)
    );
    assert_eq!(
        verdict(&report, CheckCode::Version),
        (Verdict::Passed, true)
    );
    assert_eq!(
        verdict(&report, CheckCode::HashAlgorithm),
        (Verdict::Failed, true)
    );
    assert_eq!(
        verdict(&report, CheckCode::Imprint),
        (Verdict::Failed, true)
    );
    assert_eq!(verdict(&report, CheckCode::Nonce), (Verdict::Failed, true));
    assert_eq!(
        verdict(&report, CheckCode::TsaName),
        (Verdict::Passed, true)
    );
    let imprint = report.check(CheckCode::Imprint).unwrap();
    assert_eq!(imprint.values[0].0, "expected");
    assert_eq!(imprint.values[1].0, "found");
}

#[test]
fn rejection_skips_token_checks() {
    let pki = Pki::new();
    query(&pki, "q", &["-tspolicy", "1.2.3.99"]);
    reply(&pki, "q", "tsa_full", "r", false);
    let ctx = request_context(&pki, "q", 0);
    let (result, report) = report::verify_response_report(&ctx, &response(&pki, "r"));
    assert_consistent(&result, &report);
    assert_eq!(
        verdict(&report, CheckCode::Status),
        (Verdict::Failed, false)
    );
    assert!(
        report.checks[1..]
            .iter()
            .all(|c| c.verdict == Verdict::Skipped)
    );
}

/// A JSON value, parsed by the small reader below.
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    Array(Vec<Json>),
    Object(BTreeMap<String, Json>),
}

impl Json {
    fn get(&self, key: &str) -> &Json {
        match self {
            Json::Object(map) => map.get(key).unwrap_or_else(|| panic!("no key {key}")),
            other => panic!("{other:?} is not an object"),
        }
    }

    fn text(&self) -> &str {
        match self {
            Json::Text(text) => text,
            other => panic!("{other:?} is not a string"),
        }
    }
}

/// Parses one JSON document (RFC 8259), failing the test on malformed input.
fn parse_json(input: &str) -> Json {
    let mut chars = input.chars().peekable();
    let value = parse_value(&mut chars);
    skip_space(&mut chars);
    assert!(chars.next().is_none(), "trailing characters after JSON");
    value
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_space(chars: &mut Chars) {
    while chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
        chars.next();
    }
}

fn expect_word(chars: &mut Chars, word: &str) {
    for expected in word.chars() {
        assert_eq!(chars.next(), Some(expected), "expected {word}");
    }
}

fn parse_value(chars: &mut Chars) -> Json {
    skip_space(chars);
    match chars.peek().copied() {
        Some('n') => {
            expect_word(chars, "null");
            Json::Null
        }
        Some('t') => {
            expect_word(chars, "true");
            Json::Bool(true)
        }
        Some('f') => {
            expect_word(chars, "false");
            Json::Bool(false)
        }
        Some('"') => Json::Text(parse_string(chars)),
        Some('[') => {
            chars.next();
            let mut items = Vec::new();
            skip_space(chars);
            if chars.peek() == Some(&']') {
                chars.next();
                return Json::Array(items);
            }
            loop {
                items.push(parse_value(chars));
                skip_space(chars);
                match chars.next() {
                    Some(',') => continue,
                    Some(']') => return Json::Array(items),
                    other => panic!("unexpected {other:?} in array"),
                }
            }
        }
        Some('{') => {
            chars.next();
            let mut map = BTreeMap::new();
            skip_space(chars);
            if chars.peek() == Some(&'}') {
                chars.next();
                return Json::Object(map);
            }
            loop {
                skip_space(chars);
                let key = parse_string(chars);
                skip_space(chars);
                assert_eq!(chars.next(), Some(':'));
                let value = parse_value(chars);
                assert!(map.insert(key.clone(), value).is_none(), "duplicate {key}");
                skip_space(chars);
                match chars.next() {
                    Some(',') => continue,
                    Some('}') => return Json::Object(map),
                    other => panic!("unexpected {other:?} in object"),
                }
            }
        }
        _ => {
            let mut number = String::new();
            while chars
                .peek()
                .is_some_and(|c| c.is_ascii_digit() || "-+.eE".contains(*c))
            {
                number.push(chars.next().unwrap());
            }
            Json::Number(number.parse().expect("a JSON number"))
        }
    }
}

fn parse_string(chars: &mut Chars) -> String {
    assert_eq!(chars.next(), Some('"'));
    let mut out = String::new();
    loop {
        match chars.next().expect("unterminated string") {
            '"' => return out,
            '\\' => match chars.next().expect("unterminated escape") {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'u' => {
                    let hex: String = (0..4).map(|_| chars.next().unwrap()).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                }
                other => out.push(other),
            },
            c => {
                assert!(u32::from(c) >= 0x20, "unescaped control character");
                out.push(c);
            }
        }
    }
}

fn tsrs_verify(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "-verify",
        "-config",
        "tsa.cnf",
        "-in",
        "r.tsr",
        "-CAfile",
        "ca.pem",
        "-untrusted",
        "tsa.pem",
    ];
    args.extend_from_slice(extra);
    ts(Tool::Tsrs, dir, &args, false, None)
}

#[test]
fn cli_writes_json_report() {
    let pki = Pki::new();
    let d = pki.path();
    query(&pki, "q", &["-no_nonce", "-cert"]);
    query(&pki, "plain", &["-no_nonce"]);
    reply(&pki, "plain", "tsa_min", "r", false);

    let plain = tsrs_verify(d, &["-queryfile", "q.tsq"]);
    let with_report = tsrs_verify(d, &["-queryfile", "q.tsq", "-report", "report.json"]);
    assert_eq!(plain.stdout, b"Verification: OK\n");
    assert_eq!(with_report.stdout, plain.stdout);
    assert!(with_report.status.success());
    let json = parse_json(&fs::read_to_string(d.join("report.json")).unwrap());
    assert_eq!(json.get("version"), &Json::Number(1.0));
    assert_eq!(json.get("input").text(), "response");
    assert_eq!(json.get("verified"), &Json::Bool(true));
    assert_eq!(json.get("error"), &Json::Null);
    let Json::Array(checks) = json.get("checks") else {
        panic!("checks is not an array");
    };
    assert_eq!(checks.len(), CheckCode::ALL.len());
    for (check, code) in checks.iter().zip(CheckCode::ALL) {
        assert_eq!(check.get("code"), &Json::Number(f64::from(code.code())));
        assert_eq!(check.get("name").text(), code.name());
        let allowed = ["passed", "failed", "skipped", "not_requested"];
        assert!(allowed.contains(&check.get("verdict").text()));
    }
    let imprint = &checks[CheckCode::Imprint as usize - 1];
    assert_eq!(imprint.get("verdict").text(), "passed");
    let expected = imprint.get("values").get("expected").text();
    assert_eq!(expected, imprint.get("values").get("found").text());
    assert_eq!(expected.len(), 64);

    let strict = tsrs_verify(
        d,
        &["-queryfile", "q.tsq", "-strict_request", "-report", "-"],
    );
    assert!(!strict.status.success());
    let stdout = String::from_utf8(strict.stdout).unwrap();
    let json_text = stdout
        .strip_suffix("Verification: FAILED\n")
        .expect("the verdict line follows the JSON");
    let json = parse_json(json_text);
    assert_eq!(json.get("verified"), &Json::Bool(false));
    let error = json.get("error");
    assert_eq!(
        error.get("reason"),
        &Json::Number(f64::from(Reason::SignerCertNotIncluded.code()))
    );
    let cert_req = &checks_of(&json)[CheckCode::CertReq as usize - 1];
    assert_eq!(cert_req.get("verdict").text(), "failed");
    assert_eq!(cert_req.get("report_only"), &Json::Bool(false));
}

fn checks_of(json: &Json) -> Vec<Json> {
    match json.get("checks") {
        Json::Array(checks) => checks.clone(),
        other => panic!("{other:?} is not an array"),
    }
}

#[test]
fn cli_option_conflicts_are_usage_errors() {
    let pki = Pki::new();
    let d = pki.path();
    query(&pki, "q", &[]);
    reply(&pki, "q", "tsa_full", "r", false);
    let cases: [(&[&str], &str); 3] = [
        (
            &["-queryfile", "q.tsq", "-attime_gentime", "-attime", "0"],
            "ts: Option -attime_gentime cannot be used with -attime or -no_check_time\n",
        ),
        (
            &["-queryfile", "q.tsq", "-no_check_time", "-attime_gentime"],
            "ts: Option -attime_gentime cannot be used with -attime or -no_check_time\n",
        ),
        (
            &["-data", "data.txt", "-strict_request"],
            "ts: Option -strict_request needs -queryfile\n",
        ),
    ];
    for (extra, message) in cases {
        let out = tsrs_verify(d, extra);
        assert_eq!(out.status.code(), Some(1), "{extra:?}");
        assert!(out.stdout.is_empty(), "{extra:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(message), "{extra:?}: {stderr}");
        assert!(stderr.contains("ts: Use -help for summary."), "{stderr}");
    }
}

#[test]
fn cli_attime_gentime_rejects_old_token() {
    let pki = Pki::new();
    let d = pki.path();
    query(&pki, "q", &["-cert"]);
    reply(&pki, "q", "tsa_full", "r", true);
    let now = tsrs_verify(d, &["-queryfile", "q.tsq"]);
    assert_eq!(now.stdout, b"Verification: OK\n");
    let at_gen_time = tsrs_verify(d, &["-queryfile", "q.tsq", "-attime_gentime"]);
    assert_eq!(at_gen_time.stdout, b"Verification: FAILED\n");
    let stderr = String::from_utf8_lossy(&at_gen_time.stderr);
    assert!(stderr.contains("certificate is not yet valid"), "{stderr}");
}
