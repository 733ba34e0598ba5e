//! `ts -verify`: verify a response or token against data, a digest or the
//! original request, with a trust store and untrusted certificates.

use std::path::{Path, PathBuf};

use tsrs::asn1::cms::TimeStampToken;
use tsrs::asn1::tsp::TimeStampReq;
use tsrs::error::{Error, Reason, Result, lib};
use tsrs::request::decode_hex;
use tsrs::response::Response;
use tsrs::verify::report::{self, Report};
use tsrs::verify::{self, Data, VerifyContext, flags};
use tsrs::x509::{self, Purpose, Trust, TrustStore, VerifyOptions, VerifyTime};

use super::options::{VerifyOption, VerifySetting};
use super::{Session, print_errors, usage};
use crate::cli::io::read_file;

/// The input to verify.
enum Input {
    Response(Response),
    Token(TimeStampToken),
}

/// A failure: lines `openssl ts` prints on stderr while it sets up (before
/// `Verification: FAILED`), and the errors it prints after.
struct Failure {
    notices: Vec<String>,
    errors: Vec<Error>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            notices: Vec::new(),
            errors: vec![error],
        }
    }
}

impl Failure {
    fn with_notice(notice: String, error: Error) -> Self {
        Failure {
            notices: vec![notice],
            errors: vec![error],
        }
    }
}

pub(super) fn run(session: &Session) -> i32 {
    let args = &session.args;
    let given = [
        args.queryfile.is_some(),
        args.data.is_some(),
        args.digest.is_some(),
    ]
    .iter()
    .filter(|given| **given)
    .count();
    if args.input.is_none() || given != 1 {
        return usage(None);
    }
    if args.strict_request && args.queryfile.is_none() {
        return usage(Some("Option -strict_request needs -queryfile"));
    }
    let mut report_failed = false;
    let result = read(session).and_then(|input| {
        let ctx = context(session)?;
        let verified = match &args.report {
            None => match &input {
                Input::Response(response) => verify::verify_response(&ctx, response),
                Input::Token(token) => verify::verify_token(&ctx, token),
            },
            Some(path) => {
                let (verified, report) = match &input {
                    Input::Response(response) => report::verify_response_report(&ctx, response),
                    Input::Token(token) => report::verify_token_report(&ctx, token),
                };
                report_failed = !write_report(path, &report);
                verified
            }
        };
        verified.map_err(Failure::from)
    });
    match result {
        Ok(_) if report_failed => {
            println!("Verification: OK");
            1
        }
        Ok(_) => {
            println!("Verification: OK");
            0
        }
        Err(failure) => {
            for notice in &failure.notices {
                eprintln!("{notice}");
            }
            // OpenSSL's stdout is line-buffered on a terminal and flushed at
            // exit otherwise, so with a pipe its error lines come first.
            if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                println!("Verification: FAILED");
                print_errors(&failure.errors);
            } else {
                print_errors(&failure.errors);
                println!("Verification: FAILED");
            }
            1
        }
    }
}

fn read(session: &Session) -> std::result::Result<Input, Failure> {
    let args = &session.args;
    let path = args.input.as_deref().unwrap_or(Path::new(""));
    let bytes = read_file(path).map_err(|failure| Failure::from(failure.error))?;
    let response = super::reply::parse_response_or_token(&bytes, args.token_in)?;
    if args.token_in {
        let token = response
            .token
            .ok_or_else(|| Error::new(Reason::NoTimeStampToken, "the token could not be read"))?;
        Ok(Input::Token(token))
    } else {
        Ok(Input::Response(response))
    }
}

/// Writes the JSON report to `path`, or to stdout for `-`, before the
/// verdict line. Returns false, after printing the error, when it cannot.
fn write_report(path: &Path, report: &Report) -> bool {
    let json = report.to_json();
    if path == Path::new("-") {
        print!("{json}");
        return true;
    }
    match std::fs::write(path, json) {
        Ok(()) => true,
        Err(e) => {
            let error = Error::io("write the report to", &path.display().to_string(), &e);
            print_errors(&[error]);
            false
        }
    }
}

/// `create_verify_ctx`: the checks for `-data`, `-digest` or `-queryfile`,
/// then the trust store and the untrusted certificates.
fn context(session: &Session) -> std::result::Result<VerifyContext, Failure> {
    let args = &session.args;
    let mut ctx = if let Some(path) = &args.queryfile {
        let bytes = read_file(path).map_err(|failure| Failure::from(failure.error))?;
        let request = tsrs::asn1::ber::file_element(&bytes)
            .and_then(TimeStampReq::from_ber)
            .map_err(Error::with_d2i_records)?;
        VerifyContext::from_request(&request)
    } else if let Some(path) = &args.data {
        if let Err(e) = std::fs::File::open(path) {
            let display = path.display().to_string();
            let error = Error::io("open", &display, &e)
                .with_earlier_records(Error::fopen_records(&display, "rb", &e));
            return Err(error.into());
        }
        VerifyContext {
            flags: flags::VERSION | flags::SIGNER | flags::DATA,
            data: Some(Data::File(PathBuf::from(path))),
            ..VerifyContext::default()
        }
    } else {
        let hex = args.digest.as_deref().unwrap_or_default();
        let imprint = decode_hex(hex).map_err(|e| {
            Failure::with_notice(
                "invalid digest string".to_owned(),
                super::query::hex_records(e),
            )
        })?;
        VerifyContext {
            flags: flags::VERSION | flags::SIGNER | flags::IMPRINT,
            imprint: Some(imprint),
            ..VerifyContext::default()
        }
    };
    ctx.flags |= flags::SIGNATURE;
    if args.at_gen_time {
        ctx.flags |= flags::AT_GEN_TIME;
    }
    if args.strict_request {
        ctx.flags |= flags::STRICT_REQUEST;
    }
    ctx.store = trust_store(session)?;
    ctx.chain_options = chain_options(&args.verify)?;
    if let Some(list) = &args.untrusted {
        // TODO: -untrusted file names that are not UTF-8 are read lossily.
        ctx.untrusted = load_untrusted(&list.to_string_lossy(), ctx.chain_options.time)?;
    }
    Ok(ctx)
}

/// `create_cert_store`: `-CApath`, then `-CAfile`, then `-CAstore`. There are
/// no default locations.
fn trust_store(session: &Session) -> std::result::Result<TrustStore, Failure> {
    let args = &session.args;
    let mut store = TrustStore::new();
    if let Some(dir) = &args.ca_path {
        store.add_dir(Path::new(dir)).map_err(|e| {
            Failure::with_notice(format!("Error loading directory {}", dir.display()), e)
        })?;
    }
    if let Some(file) = &args.ca_file {
        load_ca_file(&mut store, file).map_err(|e| {
            Failure::with_notice(format!("Error loading file {}", file.display()), e)
        })?;
    }
    if let Some(uri) = &args.ca_store {
        load_ca_store(&mut store, uri)
            .map_err(|e| Failure::with_notice(format!("Error loading store URI {uri}"), e))?;
    }
    Ok(store)
}

/// `X509_LOOKUP_load_file_ex`: a PEM file with at least one certificate or CRL.
fn load_ca_file(store: &mut TrustStore, path: &Path) -> Result<()> {
    let file = &path.display().to_string();
    let bytes = tsrs::files::read_limited(path, tsrs::asn1::ber::MAX_INPUT_LEN).map_err(|e| {
        Error::io("read", file, &e)
            .with_earlier_records(Error::fopen_records(file, "r", &e))
            .with_record(lib::X509, "X509_load_cert_crl_file_ex", "system lib", "")
    })?;
    if !bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        return Err(Error::new(
            Reason::TrustStore,
            format!("{file} has no PEM certificate or CRL"),
        )
        .with_record(
            lib::X509,
            "X509_load_cert_crl_file_ex",
            "no certificate or crl found",
            "",
        ));
    }
    store.load_bytes(&bytes, file).map_err(|e| {
        if e.message().contains("no certificate or CRL found") {
            e.with_record(
                lib::X509,
                "X509_load_cert_crl_file_ex",
                "no certificate or crl found",
                "",
            )
        } else {
            e
        }
    })
}

/// `-CAstore`: a path, or a `file:` URI whose path must be absolute
/// (`file:/abs`, `file:///abs`, `file://localhost/abs`), as OpenSSL's file
/// store loader takes them. tsrs reads a file of certificates; a folder is
/// not a store it can read, and OpenSSL fails on one too.
fn load_ca_store(store: &mut TrustStore, uri: &str) -> Result<()> {
    let path = match uri.strip_prefix("file:") {
        None => uri,
        Some(rest) => {
            let rest = rest
                .strip_prefix("//localhost")
                .or_else(|| rest.strip_prefix("//"))
                .unwrap_or(rest);
            if !rest.starts_with('/') {
                return Err(Error::new(
                    Reason::TrustStore,
                    format!("the path of the file: URI {uri} must be absolute"),
                ));
            }
            rest
        }
    };
    if !Path::new(path).is_file() {
        return Err(Error::new(
            Reason::TrustStore,
            format!("the store {uri} is not a readable file of certificates"),
        ));
    }
    store.load_file(Path::new(path))
}

/// Splits an `-untrusted` list into file names as OpenSSL's `next_item`
/// does: an item ends at a comma or whitespace, whitespace after the
/// separator is skipped, and an empty rest ends the list. So `a, b` and `a b,` name
/// two files, and `a,,b` names `a`, an empty name and `b`.
fn untrusted_items(list: &str) -> Vec<&str> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r');
    let mut items = Vec::new();
    let mut rest = list;
    loop {
        let end = rest
            .find(|c: char| c == ',' || is_space(c))
            .unwrap_or(rest.len());
        items.push(&rest[..end]);
        let Some(separator) = rest[end..].chars().next() else {
            break;
        };
        rest = rest[end + separator.len_utf8()..].trim_start_matches(is_space);
        if rest.is_empty() {
            break;
        }
    }
    items
}

/// `load_certs_multifile`: file names separated by commas or whitespace. Each certificate
/// outside its validity period at the verification time, and each that is
/// not a CA (version 1 certificates aside), gets the warning `openssl` prints.
fn load_untrusted(list: &str, time: VerifyTime) -> std::result::Result<Vec<x509::Cert>, Failure> {
    let now = match time {
        VerifyTime::Now => Some(current_time()),
        VerifyTime::At(at) => Some(at),
        VerifyTime::NoCheck => None,
    };
    let mut certs = Vec::new();
    for path in untrusted_items(list) {
        let bytes =
            tsrs::files::read_limited(std::path::Path::new(path), tsrs::asn1::ber::MAX_INPUT_LEN)
                .map_err(|e| {
                Failure::with_notice(
                    format!(
                        "Could not open file or uri for loading extra untrusted certs from {path}"
                    ),
                    Error::io("read", path, &e),
                )
            })?;
        // OpenSSL's store loader reads PEM and DER certificates; a file that
        // is neither gives no certificates.
        // TODO: PKCS#12 files without a password, which OpenSSL also reads.
        let loaded = if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            x509::parse_certs(&bytes, path).map_err(Failure::from)?
        } else {
            x509::parse_certs(&bytes, path).unwrap_or_default()
        };
        if loaded.is_empty() {
            return Err(Failure {
                notices: vec![format!(
                    "Could not read any extra untrusted certs from {path}"
                )],
                errors: Vec::new(),
            });
        }
        for cert in &loaded {
            warn_untrusted(path, cert, now);
        }
        certs.extend(loaded);
    }
    Ok(certs)
}

/// `warn_cert`: the validity warning (`X509_cmp_timeframe`, where a
/// certificate is expired from its notAfter second on), then the CA warning.
fn warn_untrusted(path: &str, cert: &x509::Cert, now: Option<i64>) {
    let subject = x509::name_oneline(cert.subject());
    let problem = match now {
        Some(now) if cert.not_after() <= now => Some("has expired"),
        Some(now) if cert.not_before() > now => Some("not yet valid"),
        _ => None,
    };
    if let Some(problem) = problem {
        eprintln!("Warning: certificate from '{path}' with subject '{subject}' {problem}");
    }
    let version_1 = cert.version() == x509_cert::certificate::Version::V1;
    if !version_1 && !cert.basic_constraints().is_some_and(|bc| bc.ca) {
        eprintln!("Warning: certificate from '{path}' with subject '{subject}' is not a CA cert");
    }
}

fn current_time() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The path validation options, as `opt_verify` records the verification
/// options in command-line order (see [`VerifyOptions::apply_option`]) and
/// `X509_STORE_CTX_init` completes them: without `-verify_name`, the trust
/// setting is the one `-purpose` implies, and `openssl ts` falls back to the
/// TSA trust.
fn chain_options(settings: &[VerifySetting]) -> Result<VerifyOptions> {
    let mut options = VerifyOptions::default();
    for setting in settings {
        options.apply_option(option_name(setting.option), setting.value.as_deref())?;
    }
    if options.trust.is_none() {
        options.trust = options
            .purpose
            .map(Purpose::default_trust)
            .filter(|trust| *trust != Trust::Default);
    }
    Ok(options)
}

/// The name of a verification option, without its dash.
fn option_name(option: VerifyOption) -> &'static str {
    match option {
        VerifyOption::Policy => "policy",
        VerifyOption::Purpose => "purpose",
        VerifyOption::VerifyName => "verify_name",
        VerifyOption::VerifyDepth => "verify_depth",
        VerifyOption::AuthLevel => "auth_level",
        VerifyOption::AtTime => "attime",
        VerifyOption::VerifyHostname => "verify_hostname",
        VerifyOption::VerifyEmail => "verify_email",
        VerifyOption::VerifyIp => "verify_ip",
        VerifyOption::IgnoreCritical => "ignore_critical",
        VerifyOption::IssuerChecks => "issuer_checks",
        VerifyOption::CrlCheck => "crl_check",
        VerifyOption::CrlCheckAll => "crl_check_all",
        VerifyOption::PolicyCheck => "policy_check",
        VerifyOption::ExplicitPolicy => "explicit_policy",
        VerifyOption::InhibitAny => "inhibit_any",
        VerifyOption::InhibitMap => "inhibit_map",
        VerifyOption::X509Strict => "x509_strict",
        VerifyOption::ExtendedCrl => "extended_crl",
        VerifyOption::UseDeltas => "use_deltas",
        VerifyOption::PolicyPrint => "policy_print",
        VerifyOption::CheckSsSig => "check_ss_sig",
        VerifyOption::TrustedFirst => "trusted_first",
        VerifyOption::SuiteB128Only => "suiteB_128_only",
        VerifyOption::SuiteB128 => "suiteB_128",
        VerifyOption::SuiteB192 => "suiteB_192",
        VerifyOption::PartialChain => "partial_chain",
        VerifyOption::NoAltChains => "no_alt_chains",
        VerifyOption::NoCheckTime => "no_check_time",
        VerifyOption::AllowProxyCerts => "allow_proxy_certs",
    }
}

#[cfg(test)]
mod tests {
    use super::untrusted_items;

    #[test]
    fn untrusted_lists_split_as_openssl() {
        assert_eq!(untrusted_items("a.pem"), ["a.pem"]);
        assert_eq!(untrusted_items("a.pem,"), ["a.pem"]);
        assert_eq!(untrusted_items("a.pem, b.pem"), ["a.pem", "b.pem"]);
        assert_eq!(untrusted_items("a.pem  b.pem "), ["a.pem", "b.pem"]);
        assert_eq!(untrusted_items("a.pem,\tb.pem"), ["a.pem", "b.pem"]);
        assert_eq!(untrusted_items("a.pem\nb.pem"), ["a.pem", "b.pem"]);
        assert_eq!(untrusted_items("a.pem,,b.pem"), ["a.pem", "", "b.pem"]);
        assert_eq!(untrusted_items(",a.pem"), ["", "a.pem"]);
        assert_eq!(untrusted_items(""), [""]);
    }
}
