//! `tsrs demo`: write a demo TSA into a folder.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use tsrs::demo::{self, DemoOptions};
use tsrs::keys::KeyKind;

/// Writes a ready-to-use demo time-stamping authority into a folder: a
/// self-signed root (ca.pem, ca.key), a TSA certificate with a critical
/// timeStamping extended key usage (tsa.pem, tsa.key), a configuration file
/// (tsa.cnf) and a serial file. The keys are not encrypted: use the demo for
/// trying tsrs and for tests only.
#[derive(Debug, Parser)]
#[command(name = "tsrs demo")]
struct Args {
    /// Folder to write into; created if missing, and must not hold a demo already.
    #[arg(long, value_name = "DIR")]
    dir: PathBuf,

    /// Key type for the root and the TSA.
    #[arg(long, value_enum, default_value_t = Key::Rsa)]
    key: Key,

    /// Validity of the TSA certificate in days; the root gets twice as long.
    #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..=36500))]
    days: u32,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Key {
    /// RSA, 2048 bits.
    Rsa,
    /// ECDSA on P-256.
    P256,
    /// ECDSA on P-384.
    P384,
    /// Ed25519.
    Ed25519,
}

/// Runs `demo` with the arguments after the subcommand name; returns the exit status.
pub fn main(args: &[std::ffi::OsString]) -> i32 {
    let args = match Args::try_parse_from(
        std::iter::once(std::ffi::OsString::from("tsrs demo")).chain(args.iter().cloned()),
    ) {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let key_kind = match args.key {
        Key::Rsa => KeyKind::Rsa,
        Key::P256 => KeyKind::EcP256,
        Key::P384 => KeyKind::EcP384,
        Key::Ed25519 => KeyKind::Ed25519,
    };
    let options = DemoOptions {
        dir: args.dir,
        key_kind,
        days: args.days,
    };
    match demo::create(&options) {
        Ok(tsa) => {
            eprintln!("Demo TSA written to {}", options.dir.display());
            eprintln!("  configuration: {}", tsa.config.display());
            eprintln!("  trust anchor:  {}", tsa.ca_cert.display());
            0
        }
        Err(e) => {
            eprintln!("tsrs demo: {e}");
            1
        }
    }
}
