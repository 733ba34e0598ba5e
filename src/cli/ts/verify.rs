//! `ts -verify`: verify a response or token against data, a digest or the
//! original request, with a trust store and untrusted certificates.

use std::path::{Path, PathBuf};

use tsrs::asn1::cms::TimeStampToken;
use tsrs::asn1::tsp::TimeStampReq;
use tsrs::error::{Error, Reason, Result};
use tsrs::request::decode_hex;
use tsrs::response::Response;
use tsrs::verify::{self, Data, VerifyContext, flags};
use tsrs::x509::{self, Purpose, TrustStore, VerifyOptions, VerifyTime};

use super::options::{VerifyOption, VerifySetting};
use super::{Session, print_errors, usage};
use crate::cli::io::read_input;

/// The input to verify.
enum Input {
    Response(Response),
    Token(TimeStampToken),
}

pub(super) fn run(session: &Session) -> i32 {
    let args = &session.args;
    let given = [&args.queryfile, &args.data, &args.digest]
        .iter()
        .filter(|o| o.is_some())
        .count();
    if args.input.is_none() || given != 1 {
        return usage(None);
    }
    let result = read(session).and_then(|input| {
        let ctx = context(session)?;
        match &input {
            Input::Response(response) => verify::verify_response(&ctx, response),
            Input::Token(token) => verify::verify_token(&ctx, token),
        }
    });
    match result {
        Ok(_) => {
            println!("Verification: OK");
            0
        }
        Err(errors) => {
            println!("Verification: FAILED");
            print_errors(&errors_of(errors));
            1
        }
    }
}

fn errors_of(error: Error) -> Vec<Error> {
    vec![error]
}

fn read(session: &Session) -> Result<Input> {
    let args = &session.args;
    let path = args.input.as_deref().unwrap_or_default();
    let bytes = read_input(Some(path), false).map_err(|message| Error::new(Reason::Io, message))?;
    let response = super::reply::parse_response_or_token(&bytes, args.token_in)?;
    if args.token_in {
        let token = response.token.ok_or_else(|| {
            Error::new(Reason::NoTimeStampToken, "the token could not be read")
        })?;
        Ok(Input::Token(token))
    } else {
        Ok(Input::Response(response))
    }
}

/// `create_verify_ctx`: the checks for `-data`, `-digest` or `-queryfile`,
/// then the trust store and the untrusted certificates.
fn context(session: &Session) -> Result<VerifyContext> {
    let args = &session.args;
    let mut ctx = if let Some(path) = &args.queryfile {
        let bytes =
            read_input(Some(path), false).map_err(|message| Error::new(Reason::Io, message))?;
        VerifyContext::from_request(&TimeStampReq::from_ber(&bytes)?)
    } else if let Some(path) = &args.data {
        std::fs::metadata(path).map_err(|e| Error::io("open", path, &e))?;
        VerifyContext {
            flags: flags::VERSION | flags::SIGNER | flags::DATA,
            data: Some(Data::File(PathBuf::from(path))),
            ..VerifyContext::default()
        }
    } else {
        let hex = args.digest.as_deref().unwrap_or_default();
        let imprint = decode_hex(hex).map_err(|e| {
            Error::new(
                e.reason(),
                format!("invalid digest string: {}", e.message()),
            )
        })?;
        VerifyContext {
            flags: flags::VERSION | flags::SIGNER | flags::IMPRINT,
            imprint: Some(imprint),
            ..VerifyContext::default()
        }
    };
    ctx.flags |= flags::SIGNATURE;
    ctx.store = trust_store(session)?;
    ctx.chain_options = chain_options(&args.verify);
    if let Some(list) = &args.untrusted {
        ctx.untrusted = load_untrusted(list)?;
    }
    Ok(ctx)
}

/// `create_cert_store`: `-CApath`, then `-CAfile`, then `-CAstore`. There are
/// no default locations.
fn trust_store(session: &Session) -> Result<TrustStore> {
    let args = &session.args;
    let mut store = TrustStore::new();
    if let Some(dir) = &args.ca_path {
        store.add_dir(Path::new(dir)).map_err(|e| {
            Error::new(
                e.reason(),
                format!("Error loading directory {dir}: {}", e.message()),
            )
        })?;
    }
    if let Some(file) = &args.ca_file {
        store.load_file(Path::new(file)).map_err(|e| {
            Error::new(
                e.reason(),
                format!("Error loading file {file}: {}", e.message()),
            )
        })?;
    }
    if let Some(uri) = &args.ca_store {
        let path = uri.strip_prefix("file:").unwrap_or(uri);
        let path = Path::new(path);
        let loaded = if path.is_dir() {
            store.add_dir(path)
        } else {
            store.load_file(path)
        };
        loaded.map_err(|e| {
            Error::new(
                e.reason(),
                format!("Error loading store URI {uri}: {}", e.message()),
            )
        })?;
    }
    Ok(store)
}

/// `load_certs_multifile`: file names separated by commas.
fn load_untrusted(list: &str) -> Result<Vec<x509::Cert>> {
    let mut certs = Vec::new();
    for path in list.split(',').filter(|p| !p.is_empty()) {
        let loaded = x509::load_certs(Path::new(path))?;
        for cert in &loaded {
            if !cert.basic_constraints().is_some_and(|bc| bc.ca) {
                eprintln!(
                    "Warning: certificate from '{path}' with subject '{}' is not a CA cert",
                    x509::name_oneline(cert.subject())
                );
            }
        }
        certs.extend(loaded);
    }
    Ok(certs)
}

/// Path validation options from `-attime`, `-no_check_time`, `-partial_chain` and the rest.
fn chain_options(settings: &[VerifySetting]) -> VerifyOptions {
    let mut options = VerifyOptions::default();
    for setting in settings {
        let value = setting.value.as_deref().unwrap_or_default();
        match setting.option {
            VerifyOption::AtTime => {
                if let Ok(at) = value.trim().parse() {
                    options.time = VerifyTime::At(at);
                }
            }
            VerifyOption::NoCheckTime => options.time = VerifyTime::NoCheck,
            VerifyOption::PartialChain => options.partial_chain = true,
            VerifyOption::Purpose => options.purpose = Purpose::from_name(value),
            VerifyOption::VerifyDepth => {
                if let Ok(depth) = value.trim().parse::<i64>() {
                    options.max_depth = usize::try_from(depth).unwrap_or(0);
                }
            }
            VerifyOption::CheckSsSig => options.check_self_signed_signature = true,
            VerifyOption::NoAltChains => options.no_alt_chains = true,
            VerifyOption::X509Strict => options.x509_strict = true,
            VerifyOption::IgnoreCritical => options.ignore_critical = true,
            VerifyOption::CrlCheck => options.crl_check = true,
            VerifyOption::CrlCheckAll => {
                options.crl_check = true;
                options.crl_check_all = true;
            }
            _ => {}
        }
    }
    options
}
