//! Replies and verifications per second through the tsrs Rust API, the tsrs
//! side of bench/openssl_ts_bench.c. `make bench` runs both.
//!
//! Usage: `bench CONFIG SECTION REQUEST RESPONSE CAFILE SECONDS`
//!
//! The response context is read from SECTION of CONFIG with
//! [`tsa_conf::load_tsa`], as `tsrs ts -reply` reads it, except that the
//! serial number is always 1 ([`ConstantSerial`]) instead of coming from the
//! serial file. The clock is the system clock, the context's default.
//!
//! One reply is [`ResponseContext::create_response`] on the DER request in
//! REQUEST plus [`Response::to_der`]. One verification is
//! [`Response::from_ber`] on the DER response in RESPONSE plus
//! [`verify::verify_response`], with a context made once from REQUEST
//! ([`VerifyContext::from_request`], plus the signature check) and a store
//! that trusts CAFILE, as `tsrs ts -verify -queryfile REQUEST -CAfile CAFILE`
//! sets it up. Each loop runs for SECONDS after a warm-up of a tenth of that.
//!
//! [`ResponseContext::create_response`]: tsrs::responder::ResponseContext::create_response

use std::error::Error;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tsrs::asn1::tsp::{PkiStatus, TimeStampReq};
use tsrs::conf::{self, Config};
use tsrs::oid::Objects;
use tsrs::responder::ConstantSerial;
use tsrs::response::Response;
use tsrs::tsa_conf::{self, Overrides};
use tsrs::verify::{self, VerifyContext, flags};
use tsrs::x509::TrustStore;

type BenchResult<T> = Result<T, Box<dyn Error>>;

struct Args {
    config: String,
    section: String,
    request: String,
    response: String,
    ca_file: String,
    duration: Duration,
}

fn parse_args() -> BenchResult<Args> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [config, section, request, response, ca_file, seconds] = args.as_slice() else {
        return Err("usage: bench CONFIG SECTION REQUEST RESPONSE CAFILE SECONDS".into());
    };
    let seconds: f64 = seconds
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && *s > 0.0)
        .ok_or_else(|| format!("SECONDS must be a positive number, not {seconds:?}"))?;
    Ok(Args {
        config: config.clone(),
        section: section.clone(),
        request: request.clone(),
        response: response.clone(),
        ca_file: ca_file.clone(),
        duration: Duration::from_secs_f64(seconds),
    })
}

/// Runs `op` for a warm-up, then for `duration`, and prints the count and time.
fn measure(
    name: &str,
    duration: Duration,
    mut op: impl FnMut() -> BenchResult<()>,
) -> BenchResult<()> {
    let warm_up = Instant::now();
    while warm_up.elapsed() < duration / 10 {
        op()?;
    }

    let start = Instant::now();
    let mut count: u64 = 0;
    let elapsed = loop {
        op()?;
        count += 1;
        let elapsed = start.elapsed();
        if elapsed >= duration {
            break elapsed;
        }
    };
    println!("{name} {count} {:.6}", elapsed.as_secs_f64());
    Ok(())
}

fn run(args: &Args) -> BenchResult<()> {
    let request = std::fs::read(&args.request)
        .map_err(|e| format!("cannot read request {}: {e}", args.request))?;
    let response = std::fs::read(&args.response)
        .map_err(|e| format!("cannot read response {}: {e}", args.response))?;

    let config = Config::load(Path::new(&args.config))?;
    let mut objects = Objects::new();
    let oid_problems = conf::apply_oid_config(&config, &mut objects);
    if let Some(problem) = oid_problems.into_iter().next() {
        return Err(problem.into());
    }
    let mut setup = tsa_conf::load_tsa(&config, &args.section, &objects, &Overrides::default())?;
    setup.context.set_serial_source(Arc::new(ConstantSerial));
    let responder = setup.context;

    let mut verify_ctx = VerifyContext::from_request(&TimeStampReq::from_ber(&request)?);
    verify_ctx.flags |= flags::SIGNATURE;
    let mut store = TrustStore::new();
    store.load_file(Path::new(&args.ca_file))?;
    verify_ctx.store = store;

    measure("reply", args.duration, || {
        let generated = responder.create_response(&request);
        if generated.response.status() != Some(PkiStatus::Granted) {
            return Err(format!("the reply was not granted: {:?}", generated.errors).into());
        }
        generated.response.to_der()?;
        Ok(())
    })?;
    measure("verify", args.duration, || {
        let parsed = Response::from_ber(&response)?;
        verify::verify_response(&verify_ctx, &parsed)?;
        Ok(())
    })
}

fn main() -> ExitCode {
    match parse_args().and_then(|args| run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}
