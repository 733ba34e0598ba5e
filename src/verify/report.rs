//! A per-check report of a verification: every check that
//! [`verify_response`](super::verify_response) and
//! [`verify_token`](super::verify_token) make, in their order, with its
//! verdict, a stable code and the values behind it.
//!
//! The verdict of the whole verification comes from those two functions
//! unchanged, so it keeps OpenSSL's order and stops at the first failure.
//! The report then evaluates the checks one by one. A check that can run on
//! its own after an earlier failure is still evaluated and marked
//! [`Check::report_only`]; a check that needs the result of a failed one is
//! [`Verdict::Skipped`]. docs/verify-report.md describes the JSON form and
//! the codes.

use std::fmt::Write as _;

use super::{
    Verified, VerifyContext, check_cert_req, check_imprint, check_nonce, check_policy,
    check_signature, check_signing_certs, check_status, compute_imprint, effective_flags,
    find_signer, flags, hex, signer_has_name, token_certificates,
};
use crate::asn1::cms::{SignerInfo, TimeStampToken};
use crate::asn1::tsp::TstInfo;
use crate::asn1::{AlgorithmIdentifier, GenTime};
use crate::error::{Error, Reason, Result};
use crate::response::Response;
use crate::x509::{self, Cert, PurposeCheck, Trust, VerifyOptions, VerifyTime};

/// The version of the JSON form that [`Report::to_json`] writes.
pub const JSON_VERSION: u32 = 1;

macro_rules! check_codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal => $text:literal,)+) => {
        /// A check that verification makes. The numbers and names are stable:
        /// new checks get new numbers.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum CheckCode {
            $($(#[$doc])* $name = $code,)+
        }

        impl CheckCode {
            /// Every check, in the order verification makes them.
            pub const ALL: &'static [CheckCode] = &[$(CheckCode::$name,)+];

            /// Returns the stable name, such as `imprint`.
            pub fn name(self) -> &'static str {
                match self {
                    $(CheckCode::$name => $text,)+
                }
            }
        }
    };
}

check_codes! {
    /// The response status is granted or grantedWithMods and a token is present.
    Status = 1 => "status",
    /// The token has exactly one SignerInfo.
    SignerInfo = 2 => "signer_info",
    /// The signer's certificate is among the untrusted or the token's certificates.
    SignerCert = 3 => "signer_cert",
    /// The signer's certificate path validates to a trust anchor.
    Chain = 4 => "chain",
    /// The signer's certificate suits the path validation purpose
    /// (time-stamp signing: a critical timeStamping extended key usage).
    Eku = 5 => "eku",
    /// The signer's certificate is within its validity period at the
    /// verification time.
    Time = 6 => "time",
    /// The ESS signingCertificate(V2) attribute names the validated path.
    Ess = 7 => "ess",
    /// The digestAlgorithms set, the messageDigest attribute and the signature.
    Signature = 8 => "signature",
    /// The TSTInfo version is 1.
    Version = 9 => "version",
    /// The policy is the expected one.
    Policy = 10 => "policy",
    /// The imprint's digest algorithm is the expected one, with absent or NULL parameters.
    HashAlgorithm = 11 => "hash_algorithm",
    /// The imprint's digest equals the expected digest.
    Imprint = 12 => "imprint",
    /// The imprint's digest is the digest of the given data.
    Data = 13 => "data",
    /// The nonce is present and equal to the expected one.
    Nonce = 14 => "nonce",
    /// The TSA name in the token, if any, names the signer.
    TsaName = 15 => "tsa_name",
    /// The signer is the expected TSA.
    ExpectedTsa = 16 => "expected_tsa",
    /// A request with certReq set gets the signer's certificate in the token.
    CertReq = 17 => "cert_req",
}

impl CheckCode {
    /// Returns the stable number.
    pub fn code(self) -> u32 {
        self as u32
    }

    /// Returns the check with number `code`.
    pub fn from_code(code: u32) -> Option<CheckCode> {
        CheckCode::ALL.iter().copied().find(|c| c.code() == code)
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The check ran and passed.
    Passed = 0,
    /// The check ran and failed.
    Failed = 1,
    /// The check was selected but could not run, because a check it
    /// depends on failed or had nothing to work on.
    Skipped = 2,
    /// The verification settings do not select the check.
    NotRequested = 3,
}

impl Verdict {
    /// Returns the stable name: `passed`, `failed`, `skipped` or `not_requested`.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Failed => "failed",
            Verdict::Skipped => "skipped",
            Verdict::NotRequested => "not_requested",
        }
    }
}

/// A value behind a check: text, or a list such as the subjects of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// One value.
    Text(String),
    /// Several values, in order.
    List(Vec<String>),
}

/// One check with its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Which check.
    pub code: CheckCode,
    /// Its outcome.
    pub verdict: Verdict,
    /// Whether verification had already stopped at an earlier failure, so
    /// that this check ran only for the report and did not decide the outcome.
    pub report_only: bool,
    /// One sentence on the outcome; for a failure, the error message.
    pub detail: String,
    /// The error reason of a failure.
    pub reason: Option<Reason>,
    /// The values compared, by name (`expected`, `found`, `path`, ...).
    pub values: Vec<(&'static str, Value)>,
}

/// The kind of input verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A TimeStampResp.
    Response,
    /// A bare TimeStampToken.
    Token,
}

/// The outcome of a verification and of each of its checks.
#[derive(Debug, Clone)]
pub struct Report {
    /// The kind of input verified.
    pub input: Input,
    /// The checks that were selected, after the additions OpenSSL makes
    /// (the signature for a TSA name) and those of
    /// [`flags::STRICT_REQUEST`].
    pub flags: u32,
    /// Every check, in verification order.
    pub checks: Vec<Check>,
    /// The error that ended verification, or `None` when it succeeded.
    pub error: Option<Error>,
}

impl Report {
    /// Returns whether the verification succeeded.
    pub fn verified(&self) -> bool {
        self.error.is_none()
    }

    /// Returns the entry of check `code`.
    pub fn check(&self, code: CheckCode) -> Option<&Check> {
        self.checks.iter().find(|c| c.code == code)
    }

    /// Returns the check that decided a failed verification.
    pub fn decisive_failure(&self) -> Option<&Check> {
        self.checks
            .iter()
            .find(|c| c.verdict == Verdict::Failed && !c.report_only)
    }

    /// Writes the report as one JSON object, laid out as docs/verify-report.md states.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        let input = match self.input {
            Input::Response => "response",
            Input::Token => "token",
        };
        let _ = write!(
            out,
            "{{\n  \"version\": {JSON_VERSION},\n  \"input\": \"{input}\",\n  \"verified\": {},\n  \"flags\": {},\n",
            self.verified(),
            self.flags
        );
        match &self.error {
            None => out.push_str("  \"error\": null,\n"),
            Some(error) => {
                let _ = writeln!(
                    out,
                    "  \"error\": {{\"reason\": {}, \"reason_text\": {}, \"message\": {}}},",
                    error.reason().code(),
                    json_string(error.reason().text()),
                    json_string(&error.to_string())
                );
            }
        }
        out.push_str("  \"checks\": [");
        for (index, check) in self.checks.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            push_check_json(&mut out, check);
        }
        out.push_str("\n  ]\n}\n");
        out
    }
}

fn push_check_json(out: &mut String, check: &Check) {
    let reason = check
        .reason
        .map_or_else(|| "null".to_owned(), |r| r.code().to_string());
    let _ = write!(
        out,
        "\n    {{\n      \"code\": {},\n      \"name\": \"{}\",\n      \"verdict\": \"{}\",\n      \"report_only\": {},\n      \"reason\": {reason},\n      \"detail\": {},\n      \"values\": {{",
        check.code.code(),
        check.code.name(),
        check.verdict.name(),
        check.report_only,
        json_string(&check.detail)
    );
    for (index, (name, value)) in check.values.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        let _ = write!(out, "\n        \"{name}\": ");
        match value {
            Value::Text(text) => out.push_str(&json_string(text)),
            Value::List(items) => {
                let items: Vec<String> = items.iter().map(|i| json_string(i)).collect();
                let _ = write!(out, "[{}]", items.join(", "));
            }
        }
    }
    if !check.values.is_empty() {
        out.push_str("\n      ");
    }
    out.push_str("}\n    }");
}

/// Quotes `text` as a JSON string literal, with the escapes RFC 8259 requires.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Verifies a response as [`verify_response`](super::verify_response) does,
/// and reports each check.
pub fn verify_response_report(
    ctx: &VerifyContext,
    response: &Response,
) -> (Result<Verified>, Report) {
    let verdict = super::verify_response(ctx, response);
    let mut builder = Builder::default();
    let status = check_status(response).and_then(|()| {
        response.token.as_ref().ok_or_else(|| {
            Error::new(
                Reason::NoTimeStampToken,
                "the response has no time-stamp token",
            )
        })
    });
    let flags = match status {
        Ok(token) => {
            builder.push(
                CheckCode::Status,
                Verdict::Passed,
                "the status grants a token and the response has one",
                vec![("status", text(status_name(response)))],
            );
            evaluate_token(ctx, token, &mut builder)
        }
        Err(error) => {
            builder.fail(CheckCode::Status, &error, Vec::new());
            builder.skip_rest("the response has no time-stamp token");
            ctx.flags
        }
    };
    let report = builder.finish(Input::Response, flags, verdict.as_ref().err());
    (verdict, report)
}

/// Verifies a token as [`verify_token`](super::verify_token) does, and
/// reports each check.
pub fn verify_token_report(
    ctx: &VerifyContext,
    token: &TimeStampToken,
) -> (Result<Verified>, Report) {
    let verdict = super::verify_token(ctx, token);
    let mut builder = Builder::default();
    builder.push(
        CheckCode::Status,
        Verdict::NotRequested,
        "a bare token has no status",
        Vec::new(),
    );
    let flags = evaluate_token(ctx, token, &mut builder);
    let report = builder.finish(Input::Token, flags, verdict.as_ref().err());
    (verdict, report)
}

fn status_name(response: &Response) -> &'static str {
    use crate::asn1::tsp::PkiStatus;
    match response.status() {
        Some(PkiStatus::GrantedWithMods) => "grantedWithMods",
        _ => "granted",
    }
}

fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

/// Collects the checks in order and tracks whether verification has stopped.
#[derive(Default)]
struct Builder {
    checks: Vec<Check>,
    stopped: bool,
    /// Whether verification failed before its first check, on the settings.
    setup_failed: bool,
}

impl Builder {
    fn push(
        &mut self,
        code: CheckCode,
        verdict: Verdict,
        detail: impl Into<String>,
        values: Vec<(&'static str, Value)>,
    ) {
        self.record(code, verdict, detail.into(), None, values);
    }

    fn fail(&mut self, code: CheckCode, error: &Error, values: Vec<(&'static str, Value)>) {
        self.record(
            code,
            Verdict::Failed,
            error.to_string(),
            Some(error.reason()),
            values,
        );
    }

    fn outcome(
        &mut self,
        code: CheckCode,
        result: Result<()>,
        passed: &str,
        values: Vec<(&'static str, Value)>,
    ) {
        match result {
            Ok(()) => self.push(code, Verdict::Passed, passed, values),
            Err(error) => self.fail(code, &error, values),
        }
    }

    fn record(
        &mut self,
        code: CheckCode,
        verdict: Verdict,
        detail: String,
        reason: Option<Reason>,
        values: Vec<(&'static str, Value)>,
    ) {
        let ran = matches!(verdict, Verdict::Passed | Verdict::Failed);
        self.checks.push(Check {
            code,
            verdict,
            report_only: ran && self.stopped,
            detail,
            reason,
            values,
        });
        if verdict == Verdict::Failed {
            self.stopped = true;
        }
    }

    fn skip(&mut self, code: CheckCode, why: &str) {
        self.push(code, Verdict::Skipped, why, Vec::new());
    }

    fn not_requested(&mut self, code: CheckCode, why: &str) {
        self.push(code, Verdict::NotRequested, why, Vec::new());
    }

    /// Skips every check not yet recorded.
    fn skip_rest(&mut self, why: &str) {
        for code in CheckCode::ALL {
            if self.checks.iter().all(|c| c.code != *code) {
                self.skip(*code, why);
            }
        }
    }

    /// Completes the report. When the verification failed on a token check
    /// and no check failed in the report, the check that the error's reason
    /// belongs to is marked failed, so that the report never hides a failure.
    fn finish(mut self, input: Input, flags: u32, error: Option<&Error>) -> Report {
        self.skip_rest("verification could not start");
        self.checks.sort_by_key(|c| c.code.code());
        if let Some(error) = error
            && !self.setup_failed
            && !self.checks.iter().any(|c| c.verdict == Verdict::Failed)
        {
            let code = check_of_reason(error.reason());
            let mut stopped = false;
            for check in &mut self.checks {
                if check.code == code {
                    check.verdict = Verdict::Failed;
                    check.detail = error.to_string();
                    check.reason = Some(error.reason());
                    stopped = true;
                } else if stopped && check.verdict == Verdict::Passed {
                    check.report_only = true;
                }
            }
        }
        Report {
            input,
            flags,
            checks: self.checks,
            error: error.cloned(),
        }
    }
}

/// Returns the check that fails with `reason`. Reasons of no single check
/// go to the signature check, whose steps raise most of them.
fn check_of_reason(reason: Reason) -> CheckCode {
    match reason {
        Reason::NoTimeStampToken => CheckCode::Status,
        Reason::SignerCount | Reason::WrongContentType | Reason::NoContent => CheckCode::SignerInfo,
        Reason::SignerNotFound => CheckCode::SignerCert,
        Reason::CertificateVerify => CheckCode::Chain,
        Reason::EssSigningCertificate => CheckCode::Ess,
        Reason::UnsupportedVersion => CheckCode::Version,
        Reason::PolicyMismatch => CheckCode::Policy,
        Reason::ImprintMismatch => CheckCode::Imprint,
        Reason::NonceNotReturned | Reason::NonceMismatch => CheckCode::Nonce,
        Reason::TsaNameMismatch => CheckCode::TsaName,
        Reason::TsaUntrusted => CheckCode::ExpectedTsa,
        Reason::SignerCertNotIncluded => CheckCode::CertReq,
        _ => CheckCode::Signature,
    }
}

/// Evaluates the token's checks into `builder`; returns the selected checks.
fn evaluate_token(ctx: &VerifyContext, token: &TimeStampToken, builder: &mut Builder) -> u32 {
    let tst = &token.tst_info;
    let flags = match effective_flags(ctx, tst) {
        Ok(flags) => flags,
        Err(error) => {
            builder.setup_failed = true;
            builder.skip_rest(&format!("verification could not start: {error}"));
            return ctx.flags;
        }
    };
    let signer = if flags & flags::SIGNATURE != 0 {
        match super::chain_options(ctx, tst) {
            Ok(options) => evaluate_signature(ctx, token, &options, builder),
            Err(error) => {
                builder.setup_failed = true;
                builder.skip_rest(&format!("verification could not start: {error}"));
                return flags;
            }
        }
    } else {
        for code in [
            CheckCode::SignerInfo,
            CheckCode::SignerCert,
            CheckCode::Chain,
            CheckCode::Eku,
            CheckCode::Time,
            CheckCode::Ess,
            CheckCode::Signature,
        ] {
            builder.not_requested(code, "the signature is not checked");
        }
        None
    };
    evaluate_tst_info(ctx, flags, tst, signer.as_ref(), builder);
    evaluate_cert_req(ctx, flags, token, builder);
    flags
}

/// The steps of `verify_signature`, each recorded; returns the signer
/// certificate when it was found, whatever the later steps gave.
fn evaluate_signature(
    ctx: &VerifyContext,
    token: &TimeStampToken,
    options: &VerifyOptions,
    builder: &mut Builder,
) -> Option<Cert> {
    let signer_count = token.signed_data.signer_infos.as_slice().len().to_string();
    let signer_info = match token.signer_info() {
        Ok(signer_info) => {
            builder.push(
                CheckCode::SignerInfo,
                Verdict::Passed,
                "the token has one signer",
                vec![("signers", text(signer_count))],
            );
            signer_info
        }
        Err(error) => {
            builder.fail(
                CheckCode::SignerInfo,
                &error,
                vec![("signers", text(signer_count))],
            );
            skip_signature_steps(builder, "there is no single signer");
            return None;
        }
    };
    let token_certs = token_certificates(token);
    let signer = match find_signer(&signer_info.sid, &ctx.untrusted, &token_certs) {
        Ok(signer) => {
            let source = if ctx.untrusted.contains(&signer) {
                "untrusted certificates"
            } else {
                "token"
            };
            builder.push(
                CheckCode::SignerCert,
                Verdict::Passed,
                format!("the signer's certificate was found in the {source}"),
                vec![
                    ("subject", text(x509::name_oneline(signer.subject()))),
                    ("issuer", text(x509::name_oneline(signer.issuer()))),
                    ("serial", text(hex(signer.serial_bytes()))),
                    ("source", text(source)),
                ],
            );
            signer
        }
        Err(error) => {
            builder.fail(CheckCode::SignerCert, &error, Vec::new());
            skip_signature_steps(builder, "the signer's certificate was not found");
            return None;
        }
    };

    let mut pool: Vec<Cert> = ctx.untrusted.clone();
    pool.extend(token_certs);
    let mut options = options.clone();
    options.trust.get_or_insert(Trust::Tsa);
    let chain = x509::verify_chain(&signer, &pool, &ctx.store, &options);
    let validated = chain.as_ref().ok().cloned();
    match &chain {
        Ok(path) => builder.push(
            CheckCode::Chain,
            Verdict::Passed,
            "the signer's certificate path validates to a trust anchor",
            vec![("path", subjects(path))],
        ),
        Err(error) => {
            let mut values = vec![
                ("error", text(error.text())),
                ("depth", text(error.depth().to_string())),
            ];
            if let Some(subject) = error.subject() {
                values.push(("subject", text(x509::name_oneline(subject))));
            }
            let error = Error::new(
                Reason::CertificateVerify,
                format!("certificate verify error: {error}"),
            );
            builder.fail(CheckCode::Chain, &error, values);
        }
    }
    evaluate_eku(&signer, &options, validated.is_some(), builder);
    let at_gen_time = ctx.flags & flags::AT_GEN_TIME != 0;
    let time = TimeSetting {
        options: &options,
        at_gen_time,
    };
    evaluate_time(
        &token.tst_info,
        &signer,
        &time,
        validated.is_some(),
        builder,
    );
    if let Some(path) = &validated {
        builder.outcome(
            CheckCode::Ess,
            check_signing_certs(signer_info, path),
            "the ESS attribute names the signer and its path",
            Vec::new(),
        );
    } else {
        builder.skip(CheckCode::Ess, "the ESS check needs the validated path");
    }
    evaluate_signature_value(token, signer_info, &signer, builder);
    Some(signer)
}

fn skip_signature_steps(builder: &mut Builder, why: &str) {
    for code in [
        CheckCode::SignerCert,
        CheckCode::Chain,
        CheckCode::Eku,
        CheckCode::Time,
        CheckCode::Ess,
        CheckCode::Signature,
    ] {
        if builder.checks.iter().all(|c| c.code != code) {
            builder.skip(code, why);
        }
    }
}

fn subjects(path: &[Cert]) -> Value {
    Value::List(
        path.iter()
            .map(|cert| x509::name_oneline(cert.subject()))
            .collect(),
    )
}

/// Records the purpose part of path validation for the signer. A validated
/// path passed it, so it is evaluated on its own only after a failure.
fn evaluate_eku(signer: &Cert, options: &VerifyOptions, validated: bool, builder: &mut Builder) {
    let Some(purpose) = options.purpose else {
        builder.not_requested(CheckCode::Eku, "path validation checks no purpose");
        return;
    };
    let (found, critical) = match signer.extended_key_usage() {
        None => (Vec::new(), "absent"),
        Some(eku) => (
            eku.purposes.iter().map(ToString::to_string).collect(),
            if eku.critical { "true" } else { "false" },
        ),
    };
    let values = vec![
        ("purpose", text(purpose.name())),
        ("extended_key_usage", Value::List(found)),
        ("critical", text(critical)),
    ];
    let suitable = validated
        || match purpose.check(signer, false) {
            PurposeCheck::Ok => true,
            PurposeCheck::Unsuitable => false,
            PurposeCheck::Invalid => !options.x509_strict,
        };
    if suitable {
        builder.push(
            CheckCode::Eku,
            Verdict::Passed,
            "the signer's certificate suits the purpose",
            values,
        );
    } else {
        let error = Error::new(
            Reason::CertificateVerify,
            format!(
                "unsupported certificate purpose: the signer's certificate is not valid for {}",
                purpose.name()
            ),
        );
        builder.fail(CheckCode::Eku, &error, values);
    }
}

/// Records the validity period part of path validation for the signer. A
/// validated path passed it, so it is evaluated on its own only after a
/// failure, comparing times as OpenSSL does: expired from notAfter on.
fn evaluate_time(
    tst: &TstInfo,
    signer: &Cert,
    time: &TimeSetting,
    validated: bool,
    builder: &mut Builder,
) {
    let gen_time = String::from_utf8_lossy(tst.gen_time.as_bytes()).into_owned();
    let (at, source) = match time.options.time {
        VerifyTime::NoCheck => {
            builder.not_requested(CheckCode::Time, "validity periods are not checked");
            return;
        }
        VerifyTime::At(at) if time.at_gen_time => (at, "gen_time"),
        VerifyTime::At(at) => (at, "attime"),
        VerifyTime::Now => (now(), "now"),
    };
    let values = vec![
        ("time", text(time_text(at))),
        ("time_source", text(source)),
        ("gen_time", text(gen_time)),
        ("not_before", text(time_text(signer.not_before()))),
        ("not_after", text(time_text(signer.not_after()))),
    ];
    if validated || (signer.not_before() <= at && at < signer.not_after()) {
        builder.push(
            CheckCode::Time,
            Verdict::Passed,
            "the signer's certificate is valid at the verification time",
            values,
        );
        return;
    }
    let problem = if at < signer.not_before() {
        "certificate is not yet valid"
    } else {
        "certificate has expired"
    };
    let error = Error::new(
        Reason::CertificateVerify,
        format!("{problem}: the signer's certificate at the verification time"),
    );
    builder.fail(CheckCode::Time, &error, values);
}

/// The verification time of path validation, and whether genTime set it.
struct TimeSetting<'a> {
    options: &'a VerifyOptions,
    at_gen_time: bool,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Formats a time as GeneralizedTime text (`YYYYMMDDHHMMSSZ`), or as the
/// seconds since the epoch when it has no such form.
fn time_text(seconds: i64) -> String {
    GenTime::from_unix(seconds, 0, 0).map_or_else(
        |_| seconds.to_string(),
        |t| String::from_utf8_lossy(t.as_bytes()).into_owned(),
    )
}

fn evaluate_signature_value(
    token: &TimeStampToken,
    signer_info: &SignerInfo,
    signer: &Cert,
    builder: &mut Builder,
) {
    let values = vec![
        (
            "digest_algorithm",
            text(signer_info.digest_algorithm.oid.to_string()),
        ),
        (
            "signature_algorithm",
            text(signer_info.signature_algorithm.oid.to_string()),
        ),
    ];
    builder.outcome(
        CheckCode::Signature,
        check_signature(token, signer_info, signer),
        "the message digest and the signature verify",
        values,
    );
}

/// Records the TSTInfo checks of `check_tst_info`, in its order.
fn evaluate_tst_info(
    ctx: &VerifyContext,
    flags: u32,
    tst: &TstInfo,
    signer: Option<&Cert>,
    builder: &mut Builder,
) {
    evaluate_version(flags, tst, builder);
    if flags & flags::POLICY == 0 {
        builder.not_requested(CheckCode::Policy, "the policy is not checked");
    } else {
        let expected = ctx
            .policy
            .as_ref()
            .map_or_else(|| "none".to_owned(), ToString::to_string);
        builder.outcome(
            CheckCode::Policy,
            check_policy(ctx.policy.as_ref(), tst),
            "the policy is the expected one",
            vec![
                ("expected", text(expected)),
                ("found", text(tst.policy.to_string())),
            ],
        );
    }
    evaluate_imprint(ctx, flags, tst, builder);
    evaluate_data(ctx, flags, tst, builder);
    if flags & flags::NONCE == 0 {
        builder.not_requested(CheckCode::Nonce, "the nonce is not checked");
    } else {
        let show = |n: Option<&der::asn1::Int>| {
            n.map_or_else(|| "none".to_owned(), |n| format!("0x{}", hex(n.as_bytes())))
        };
        builder.outcome(
            CheckCode::Nonce,
            check_nonce(ctx.nonce.as_ref(), tst),
            "the nonce is the expected one",
            vec![
                ("expected", text(show(ctx.nonce.as_ref()))),
                ("found", text(show(tst.nonce.as_ref()))),
            ],
        );
    }
    evaluate_names(ctx, flags, tst, signer, builder);
}

fn evaluate_version(flags: u32, tst: &TstInfo, builder: &mut Builder) {
    if flags & flags::VERSION == 0 {
        builder.not_requested(CheckCode::Version, "the version is not checked");
        return;
    }
    let found = format!("0x{}", hex(tst.version.as_bytes()));
    let values = vec![("expected", text("0x01")), ("found", text(found))];
    if tst.version.as_bytes() == [1] {
        builder.push(CheckCode::Version, Verdict::Passed, "version 1", values);
    } else {
        let error = Error::new(
            Reason::UnsupportedVersion,
            "unsupported version: the TSTInfo version is not 1",
        );
        builder.fail(CheckCode::Version, &error, values);
    }
}

fn evaluate_imprint(ctx: &VerifyContext, flags: u32, tst: &TstInfo, builder: &mut Builder) {
    if flags & flags::IMPRINT == 0 {
        builder.not_requested(CheckCode::HashAlgorithm, "the imprint is not checked");
        builder.not_requested(CheckCode::Imprint, "the imprint is not checked");
        return;
    }
    let found = &tst.message_imprint.hash_algorithm;
    match &ctx.imprint_algorithm {
        None => builder.not_requested(
            CheckCode::HashAlgorithm,
            "no digest algorithm is expected; only the digest is compared",
        ),
        Some(expected) => {
            let values = vec![
                ("expected", text(expected.oid.to_string())),
                ("found", text(found.oid.to_string())),
            ];
            builder.outcome(
                CheckCode::HashAlgorithm,
                check_algorithm(expected, found),
                "the digest algorithm is the expected one",
                values,
            );
        }
    }
    let expected = ctx.imprint.as_deref().unwrap_or_default();
    builder.outcome(
        CheckCode::Imprint,
        check_imprint(None, expected, tst),
        "the imprint is the expected digest",
        vec![
            ("expected", text(hex(expected))),
            (
                "found",
                text(hex(tst.message_imprint.hashed_message.as_bytes())),
            ),
        ],
    );
}

/// Compares the digest algorithms, as the first step of `check_imprint` does.
fn check_algorithm(expected: &AlgorithmIdentifier, found: &AlgorithmIdentifier) -> Result<()> {
    if expected.oid != found.oid {
        return Err(Error::new(
            Reason::ImprintMismatch,
            format!(
                "message imprint mismatch: expected algorithm {}, the token has {}",
                expected.oid, found.oid
            ),
        ));
    }
    if !expected.has_null_parameters() || !found.has_null_parameters() {
        return Err(Error::new(
            Reason::ImprintMismatch,
            "message imprint mismatch: the digest algorithm has parameters other than NULL",
        ));
    }
    Ok(())
}

fn evaluate_data(ctx: &VerifyContext, flags: u32, tst: &TstInfo, builder: &mut Builder) {
    if flags & flags::DATA == 0 {
        builder.not_requested(CheckCode::Data, "the data is not checked");
        return;
    }
    let found = text(hex(tst.message_imprint.hashed_message.as_bytes()));
    let Some(data) = &ctx.data else {
        let error = Error::new(Reason::Missing, "no data to check the imprint against");
        builder.fail(CheckCode::Data, &error, vec![("found", found)]);
        return;
    };
    match compute_imprint(data, tst) {
        Ok((algorithm, digest)) => {
            let values = vec![
                ("algorithm", text(algorithm.oid.to_string())),
                ("expected", text(hex(&digest))),
                ("found", found),
            ];
            builder.outcome(
                CheckCode::Data,
                check_imprint(Some(&algorithm), &digest, tst),
                "the imprint is the digest of the data",
                values,
            );
        }
        Err(error) => builder.fail(CheckCode::Data, &error, vec![("found", found)]),
    }
}

/// The TSA name in the token against the signer, then the signer against
/// the expected TSA.
fn evaluate_names(
    ctx: &VerifyContext,
    flags: u32,
    tst: &TstInfo,
    signer: Option<&Cert>,
    builder: &mut Builder,
) {
    let signer_subject = signer.map(|s| ("signer", text(x509::name_oneline(s.subject()))));
    if flags & flags::SIGNER == 0 {
        builder.not_requested(CheckCode::TsaName, "the TSA name is not checked");
    } else if let Some(tsa) = &tst.tsa {
        let values: Vec<_> = [
            Some(("tsa", text(general_name_text(tsa)))),
            signer_subject.clone(),
        ]
        .into_iter()
        .flatten()
        .collect();
        match signer {
            None => builder.skip(CheckCode::TsaName, "the signer is unknown"),
            Some(signer) if signer_has_name(signer, tsa) => builder.push(
                CheckCode::TsaName,
                Verdict::Passed,
                "the TSA name names the signer",
                values,
            ),
            Some(_) => {
                let error = Error::new(
                    Reason::TsaNameMismatch,
                    "tsa name mismatch: the TSA name in the token is neither the signer's subject nor one of its alternative names",
                );
                builder.fail(CheckCode::TsaName, &error, values);
            }
        }
    } else {
        builder.push(
            CheckCode::TsaName,
            Verdict::Passed,
            "the token names no TSA",
            Vec::new(),
        );
    }

    if flags & flags::TSA_NAME == 0 {
        builder.not_requested(CheckCode::ExpectedTsa, "no TSA is expected");
        return;
    }
    let Some(expected) = &ctx.tsa_name else {
        let error = Error::new(Reason::Missing, "no expected TSA name is set");
        builder.fail(CheckCode::ExpectedTsa, &error, Vec::new());
        return;
    };
    let values: Vec<_> = [
        Some(("expected", text(general_name_text(expected)))),
        signer_subject,
    ]
    .into_iter()
    .flatten()
    .collect();
    match signer {
        None => builder.skip(CheckCode::ExpectedTsa, "the signer is unknown"),
        Some(signer) if signer_has_name(signer, expected) => builder.push(
            CheckCode::ExpectedTsa,
            Verdict::Passed,
            "the signer is the expected TSA",
            values,
        ),
        Some(_) => {
            let error = Error::new(
                Reason::TsaUntrusted,
                "tsa untrusted: the signer is not the expected TSA",
            );
            builder.fail(CheckCode::ExpectedTsa, &error, values);
        }
    }
}

fn general_name_text(name: &crate::asn1::GeneralName) -> String {
    match name {
        crate::asn1::GeneralName::DirectoryName(dn) => x509::name_oneline(dn),
        other => format!("{other:?}"),
    }
}

fn evaluate_cert_req(
    ctx: &VerifyContext,
    flags: u32,
    token: &TimeStampToken,
    builder: &mut Builder,
) {
    if flags & flags::STRICT_REQUEST == 0 {
        builder.not_requested(CheckCode::CertReq, "the strict request checks are off");
        return;
    }
    if !ctx.cert_req {
        builder.not_requested(CheckCode::CertReq, "the request did not set certReq");
        return;
    }
    let count = token.signed_data.x509_certificates().len().to_string();
    builder.outcome(
        CheckCode::CertReq,
        check_cert_req(token),
        "the token includes the signer's certificate, as the request asked",
        vec![("token_certificates", text(count))],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_codes_are_unique_and_ordered() {
        for (index, code) in CheckCode::ALL.iter().enumerate() {
            assert_eq!(code.code() as usize, index + 1, "{code:?}");
            assert_eq!(CheckCode::from_code(code.code()), Some(*code));
        }
        assert_eq!(CheckCode::from_code(0), None);
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\u0001é\"");
    }

    #[test]
    fn empty_report_skips_every_check() {
        let report = Builder::default().finish(Input::Token, 0, None);
        assert!(report.verified());
        assert_eq!(report.checks.len(), CheckCode::ALL.len());
        assert!(report.checks.iter().all(|c| c.verdict == Verdict::Skipped));
    }
}
