//! `ts -reply`: sign a response to a request as the TSA of a configuration
//! section, or print or convert an existing response or token.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use der::asn1::Int;
use tsrs::asn1::cms::TimeStampToken;
use tsrs::digest::providers::{self, Provider};
use tsrs::error::{Error, Reason, Result};
use tsrs::keys::DecryptOptions;
use tsrs::print;
use tsrs::responder::SerialSource;
use tsrs::response::Response;
use tsrs::serial::SerialFile;
use tsrs::tsa_conf::{self, Overrides};

use super::{Session, print_errors, print_open_failure, usage};
use crate::cli::io::{read_file, write_output};

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
            Err(status) => return status,
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
        Ok(output) => match write_output(args.out.as_deref(), &output, args.text) {
            Ok(()) => 0,
            Err(failure) => {
                print_open_failure(&failure);
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
fn read_response(path: &std::path::Path, token_in: bool) -> std::result::Result<Response, i32> {
    let bytes = read_file(path).map_err(|failure| {
        print_open_failure(&failure);
        1
    })?;
    parse_response_or_token(&bytes, token_in).map_err(|e| {
        print_errors(&[e]);
        1
    })
}

/// Parses a response, or a token with `token_in`. When the input is the other
/// kind, the error names the option to add or remove.
pub(super) fn parse_response_or_token(bytes: &[u8], token_in: bool) -> Result<Response> {
    let bytes = tsrs::asn1::ber::file_element(bytes).map_err(Error::with_d2i_records)?;
    if token_in {
        TimeStampToken::from_ber(bytes)
            .and_then(Response::from_token)
            .map_err(|e| match Response::from_ber(bytes) {
                Ok(_) => hint(
                    e,
                    "the input is a time-stamp response, not a bare token: remove -token_in",
                ),
                Err(_) => e.with_d2i_records(),
            })
    } else {
        Response::from_ber(bytes).map_err(|e| {
            if TimeStampToken::from_ber(bytes).is_ok() {
                hint(e, "the input is a bare time-stamp token: add -token_in")
            } else if tsrs::asn1::tsp::TimeStampReq::from_ber(bytes).is_ok() {
                hint(
                    e,
                    "the input is a time-stamp request: answer it with -queryfile",
                )
            } else {
                e.with_d2i_records()
            }
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
            output = response
                .token
                .as_ref()
                .ok_or_else(no_token)?
                .to_openssl_encoding()?;
        }
        (false, false) => output = response.to_der()?,
    }
    Ok(output)
}

fn no_token() -> Error {
    Error::new(
        Reason::NoTimeStampToken,
        "the response has no time-stamp token to write with -token_out",
    )
}

/// The serial source of `openssl ts -reply`: the configured file, with the
/// messages OpenSSL prints while it reads and saves it.
struct OpensslSerialFile {
    file: SerialFile,
    /// Set when the file could not be opened. OpenSSL then clears its error
    /// queue, which drops the `no value` entries queued before.
    was_missing: AtomicBool,
}

impl SerialSource for OpensslSerialFile {
    fn next_serial(&self) -> Result<Int> {
        let path = self.file.path().display();
        match self.file.next() {
            Ok(next) => {
                if next.file_was_missing {
                    self.was_missing.store(true, Ordering::SeqCst);
                    eprintln!(
                        "Warning: could not open file {path} for reading, using serial number: 1"
                    );
                }
                Ok(next.serial)
            }
            Err(e) => {
                if e.records().iter().any(|r| r.function == "a2i_ASN1_INTEGER") {
                    eprintln!("unable to load number from {path}");
                } else {
                    eprintln!("could not save serial number to {path}");
                }
                Err(e)
            }
        }
    }
}

/// Asks for the signer key's passphrase as OpenSSL's `PEM_read_bio_PrivateKey`
/// does when no `-passin` is given: on the terminal without echo, or, when
/// the process has no terminal, from the first line of standard input.
fn prompt_passphrase() -> Option<zeroize::Zeroizing<Vec<u8>>> {
    const PROMPT: &str = "Enter PEM pass phrase:";
    if let Ok(entered) = rpassword::prompt_password(PROMPT) {
        return Some(zeroize::Zeroizing::new(entered.into_bytes()));
    }
    eprintln!("{PROMPT}");
    let mut line = zeroize::Zeroizing::new(String::new());
    std::io::stdin().read_line(&mut line).ok()?;
    let entered = line.trim_end_matches(['\n', '\r']);
    Some(zeroize::Zeroizing::new(entered.as_bytes().to_vec()))
}

/// `create_response`: read the request, set up the TSA from its section, sign.
/// Returns the response (possibly a rejection) with the errors OpenSSL's
/// queue contains afterwards.
fn generate(
    session: &Session,
    passphrase: Option<&[u8]>,
) -> std::result::Result<(Response, Vec<Error>), Vec<Error>> {
    let args = &session.args;
    let queryfile = args.queryfile.as_deref().ok_or_else(|| {
        vec![Error::new(
            Reason::Missing,
            "no request to answer: give -queryfile, or -in to print an existing response",
        )]
    })?;
    let request = match read_file(queryfile) {
        Ok(bytes) => bytes,
        // OpenSSL replies to the bytes it could read, so a file that opens but
        // cannot be read (a directory) gets a rejection.
        Err(failure) if std::fs::File::open(queryfile).is_ok() => {
            eprintln!("tsrs: warning: {}", failure.error.message());
            Vec::new()
        }
        Err(failure) => return Err(vec![failure.error]),
    };
    let section =
        tsa_conf::tsa_section(&session.config, args.section.as_deref()).map_err(|e| vec![e])?;
    let overrides = Overrides {
        engine: args.engine.as_deref(),
        signer: args.signer.as_deref(),
        chain: args.chain.as_deref(),
        inkey: args.inkey.as_deref(),
        passphrase,
        decrypt_options: DecryptOptions {
            legacy_provider: providers::is_active(Provider::Legacy),
        },
        prompt: Some(&prompt_passphrase),
        signer_digest: session.digest,
        policy: args.tspolicy.as_deref(),
    };
    let mut setup = tsa_conf::load_tsa(&session.config, &section, &session.objects, &overrides)
        .map_err(|e| {
            if e.reason() == Reason::Password {
                let message = format!("{}; give the passphrase with -passin", e.message());
                vec![e.retitled(message)]
            } else {
                vec![e]
            }
        })?;
    let serial = Arc::new(OpensslSerialFile {
        file: SerialFile::new(setup.serial_path.clone()),
        was_missing: AtomicBool::new(false),
    });
    setup.context.set_serial_source(serial.clone());
    let generated = setup.context.create_response(&request);
    let mut errors = Vec::new();
    if !serial.was_missing.load(Ordering::SeqCst) && !setup.missing_optional.is_empty() {
        errors.push(
            Error::new(Reason::ConfigMissing, "").with_earlier_records(setup.missing_optional),
        );
    }
    errors.extend(generated.errors);
    Ok((generated.response, errors))
}
