//! `ts -reply`: sign a response to a request as the TSA of a configuration
//! section, or print or convert an existing response or token.

use std::sync::Arc;

use der::asn1::Int;
use tsrs::asn1::cms::TimeStampToken;
use tsrs::error::{Error, Result};
use tsrs::print;
use tsrs::responder::SerialSource;
use tsrs::response::Response;
use tsrs::serial::SerialFile;
use tsrs::tsa_conf::{self, Overrides};

use super::{Session, print_errors, usage};
use crate::cli::io::{read_input, write_output};

pub(super) fn run(session: &Session, passphrase: Option<&[u8]>) -> i32 {
    let args = &session.args;
    if !args.verify.is_empty() || (args.input.is_some() && args.queryfile.is_some()) {
        return usage(None);
    }
    if args.input.is_none() && args.token_in {
        return usage(None);
    }
    let response = match &args.input {
        Some(path) => match read_response(path, args.token_in) {
            Ok(response) => response,
            Err(errors) => {
                print_errors(&errors);
                return 1;
            }
        },
        None => match generate(session, passphrase) {
            Ok((response, errors)) => {
                eprintln!("Response has been generated.");
                print_errors(&errors);
                response
            }
            Err(errors) => {
                eprintln!("Response is not generated.");
                print_errors(&errors);
                return 1;
            }
        },
    };
    match render(session, &response) {
        Ok(output) => match write_output(args.out.as_deref(), &output) {
            Ok(()) => 0,
            Err(message) => {
                eprintln!("{message}");
                1
            }
        },
        Err(e) => {
            print_errors(&[e]);
            1
        }
    }
}

/// Reads `-in`: a response, or with `-token_in` a bare token wrapped in a
/// granted response.
fn read_response(path: &str, token_in: bool) -> std::result::Result<Response, Vec<Error>> {
    let bytes = read_input(Some(path), false)
        .map_err(|message| vec![Error::new(tsrs::Reason::Io, message)])?;
    parse_response_or_token(&bytes, token_in).map_err(|e| vec![e])
}

/// Parses a response, or a token with `token_in`. When the input is the other
/// kind, the error says which option to add or remove.
pub(super) fn parse_response_or_token(bytes: &[u8], token_in: bool) -> Result<Response> {
    if token_in {
        TimeStampToken::from_ber(bytes)
            .and_then(Response::from_token)
            .map_err(|e| match Response::from_ber(bytes) {
                Ok(_) => hint(e, "the input is a time-stamp response, not a bare token: remove -token_in"),
                Err(_) => e,
            })
    } else {
        Response::from_ber(bytes).map_err(|e| match TimeStampToken::from_ber(bytes) {
            Ok(_) => hint(e, "the input is a bare time-stamp token: add -token_in"),
            Err(_) => e,
        })
    }
}

fn hint(error: Error, hint: &str) -> Error {
    Error::new(error.reason(), format!("{}; {hint}", error.message()))
}

/// The output: DER or text, of the whole response or (`-token_out`) its token.
fn render(session: &Session, response: &Response) -> Result<Vec<u8>> {
    let args = &session.args;
    let mut output = Vec::new();
    match (args.text, args.token_out) {
        (true, true) => {
            let tst = response.tst_info().ok_or_else(no_token)?;
            print::print_tst_info(&mut output, tst, &session.objects);
        }
        (true, false) => {
            print::print_response(
                &mut output,
                &response.resp,
                response.tst_info(),
                &session.objects,
            );
        }
        (false, true) => {
            output = response.token.as_ref().ok_or_else(no_token)?.to_der()?;
        }
        (false, false) => output = response.to_der()?,
    }
    Ok(output)
}

fn no_token() -> Error {
    Error::new(
        tsrs::Reason::NoTimeStampToken,
        "the response has no time-stamp token to write with -token_out",
    )
}

/// The serial source of `openssl ts -reply`: the configured file, with a
/// warning when it does not exist yet.
struct WarningSerialFile(SerialFile);

impl SerialSource for WarningSerialFile {
    fn next_serial(&self) -> Result<Int> {
        let next = self.0.next()?;
        if next.file_was_missing {
            eprintln!(
                "Warning: could not open file {} for reading, using serial number: 1",
                self.0.path().display()
            );
        }
        Ok(next.serial)
    }
}

/// `create_response`: read the request, set up the TSA from its section, sign.
/// Returns the response (possibly a rejection) with the errors behind a rejection.
fn generate(
    session: &Session,
    passphrase: Option<&[u8]>,
) -> std::result::Result<(Response, Vec<Error>), Vec<Error>> {
    let args = &session.args;
    let queryfile = args.queryfile.as_deref().ok_or_else(|| {
        vec![Error::new(
            tsrs::Reason::Missing,
            "no request to answer: give -queryfile, or -in to print an existing response",
        )]
    })?;
    let request = read_input(Some(queryfile), false)
        .map_err(|message| vec![Error::new(tsrs::Reason::Io, message)])?;
    let section =
        tsa_conf::tsa_section(&session.config, args.section.as_deref()).map_err(|e| vec![e])?;
    let overrides = Overrides {
        engine: args.engine.as_deref(),
        signer: args.signer.as_deref(),
        chain: args.chain.as_deref(),
        inkey: args.inkey.as_deref(),
        passphrase,
        signer_digest: session.digest,
        policy: args.tspolicy.as_deref(),
    };
    let mut setup = tsa_conf::load_tsa(&session.config, &section, &session.objects, &overrides)
        .map_err(|e| vec![e])?;
    setup
        .context
        .set_serial_source(Arc::new(WarningSerialFile(SerialFile::new(
            setup.serial_path.clone(),
        ))));
    let generated = setup.context.create_response(&request);
    Ok((generated.response, generated.errors))
}
