//! `ts -query`: build a request, or print or re-encode an existing one.

use tsrs::asn1::tsp::{MessageImprint, TimeStampReq};
use tsrs::digest::DigestAlgorithm;
use tsrs::error::{Error, lib};
use tsrs::print;
use tsrs::request::{RequestOptions, decode_hex};

use super::{Session, print_errors, print_open_failure, usage};
use crate::cli::io::{open_default, read_default, write_output};

pub(super) fn run(session: &Session) -> i32 {
    let args = &session.args;
    if !args.verify.is_empty() || (args.data.is_some() && args.digest.is_some()) {
        return usage(None);
    }
    let request = match &args.input {
        Some(path) => match read_request(path) {
            Ok(req) => req,
            Err(status) => return status,
        },
        None => match build(session) {
            Ok(req) => req,
            Err(status) => return status,
        },
    };
    let output = if args.text {
        let mut text = Vec::new();
        print::print_request(&mut text, &request, &session.objects);
        text
    } else {
        match request.to_der() {
            Ok(der) => der,
            Err(e) => {
                print_errors(&[e]);
                return 1;
            }
        }
    };
    match write_output(args.out.as_deref(), &output, args.text) {
        Ok(()) => 0,
        Err(failure) => {
            print_open_failure(&failure);
            1
        }
    }
}

/// `-in`: an existing request, from a file or standard input.
fn read_request(path: &std::path::Path) -> Result<TimeStampReq, i32> {
    let bytes = read_default(Some(path)).map_err(|failure| {
        print_open_failure(&failure);
        1
    })?;
    tsrs::asn1::ber::file_element(&bytes)
        .and_then(TimeStampReq::from_ber)
        .map_err(|e| {
            print_errors(&[e.with_d2i_records()]);
            1
        })
}

/// A reader that ends at the first read error, as OpenSSL's `create_digest`
/// hashes what `BIO_read` returned before it failed (nothing, for a
/// directory). The error is kept for a warning.
struct UntilError<R> {
    inner: R,
    error: Option<std::io::Error>,
}

impl<R: std::io::Read> std::io::Read for UntilError<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.error.is_some() {
            return Ok(0);
        }
        match self.inner.read(buf) {
            Err(e) if e.kind() != std::io::ErrorKind::Interrupted => {
                self.error = Some(e);
                Ok(0)
            }
            other => other,
        }
    }
}

/// `create_query`: the imprint of `-data` (or standard input) or `-digest`,
/// then the policy, nonce and certificate request.
fn build(session: &Session) -> Result<TimeStampReq, i32> {
    let args = &session.args;
    let algorithm = session.digest.unwrap_or(DigestAlgorithm::Sha256);
    let imprint = match &args.digest {
        Some(hex) => {
            imprint_from_hex(algorithm, hex).map_err(|errors| could_not_create(&errors))?
        }
        None => {
            let data = open_default(args.data.as_deref()).map_err(|failure| {
                print_open_failure(&failure);
                1
            })?;
            let mut data = UntilError {
                inner: data,
                error: None,
            };
            let imprint = MessageImprint::from_reader(algorithm, &mut data)
                .map_err(|e| could_not_create(&[e]))?;
            if let Some(error) = data.error {
                eprintln!("tsrs: warning: reading the data stopped: {error}");
            }
            imprint
        }
    };
    let policy = match &args.tspolicy {
        None => None,
        Some(text) => match session.objects.resolve_oid(text) {
            Some(oid) => Some(oid),
            None => {
                eprintln!("cannot convert {text} to OID");
                let error = Error::new(
                    tsrs::Reason::UnknownObject,
                    format!("{text} is neither a known object name nor a dotted OID"),
                )
                .with_record(lib::OBJ, "OBJ_txt2obj", "unknown object name", "");
                return Err(could_not_create(&[error]));
            }
        },
    };
    let options = RequestOptions {
        policy,
        nonce: !args.no_nonce,
        cert_req: args.cert,
    };
    TimeStampReq::new(imprint, &options).map_err(|e| {
        eprintln!("could not create nonce");
        could_not_create(&[e])
    })
}

/// `create_digest` for `-digest`: hex with optional colons, exactly the digest length.
fn imprint_from_hex(algorithm: DigestAlgorithm, hex: &str) -> Result<MessageImprint, Vec<Error>> {
    // TS_MSG_IMPRINT_set_algo runs before create_digest reads the hex.
    MessageImprint::hash_algorithm_for(algorithm).map_err(|e| vec![e])?;
    let bad_length = || {
        format!(
            "bad digest, {} bytes must be specified",
            algorithm.output_len()
        )
    };
    match decode_hex(hex) {
        Ok(bytes) if bytes.len() == algorithm.output_len() => {
            MessageImprint::from_digest(algorithm, &bytes).map_err(|e| vec![e])
        }
        Ok(_) => {
            eprintln!("{}", bad_length());
            Err(Vec::new())
        }
        Err(e) => {
            eprintln!("{}", bad_length());
            Err(vec![hex_records(e)])
        }
    }
}

/// The entry `OPENSSL_hexstr2buf` raises for text it cannot decode.
pub(super) fn hex_records(error: Error) -> Error {
    let reason = if error.message().contains("odd number") {
        "odd number of digits"
    } else {
        "illegal hex digit"
    };
    error.with_record(lib::CRYPTO, "hexstr2buf_sep", reason, "")
}

fn could_not_create(errors: &[Error]) -> i32 {
    eprintln!("could not create query");
    print_errors(errors);
    1
}
