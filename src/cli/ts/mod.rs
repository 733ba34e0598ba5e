//! `tsrs ts`: the `openssl ts` command, with the same options, output bytes,
//! messages and exit status.

mod options;
pub(super) mod query;
pub(super) mod reply;
mod verify;

use std::path::{Path, PathBuf};

use tsrs::conf::{self, Config};
use tsrs::digest::DigestAlgorithm;
use tsrs::error::Error;
use tsrs::oid::Objects;

use options::{Mode, Parsed, TsArgs};

/// The program name `openssl` prints before its own messages.
const PROG: &str = "ts";

/// The state every mode uses: the arguments, the configuration and the object names.
struct Session {
    args: TsArgs,
    config: Config,
    objects: Objects,
    /// The digest named by an unknown option such as `-sha512`.
    digest: Option<DigestAlgorithm>,
}

/// Runs `ts` with the arguments after the subcommand name; returns the exit status.
pub fn main(args: &[std::ffi::OsString]) -> i32 {
    let args = match options::parse(args) {
        Parsed::Run(args) => *args,
        Parsed::Help => {
            eprint!("{}", options::help_text());
            return 0;
        }
        Parsed::Usage(message) => return usage(message.as_deref()),
    };
    let status = run(args);
    status.unwrap_or(1)
}

/// Prints an optional message and the usage hint; returns the exit status 1.
fn usage(message: Option<&str>) -> i32 {
    if let Some(message) = message {
        eprintln!("{PROG}: {message}");
    }
    eprintln!("{PROG}: Use -help for summary.");
    1
}

/// Prints errors to stderr the way `ERR_print_errors` lists OpenSSL's queue.
///
/// An error that carries OpenSSL's queue entries prints them as
/// `tsrs:error:LIBRARY:FUNCTION:REASON:DATA` lines, OpenSSL's layout without
/// the thread id, packed code, source file and line, followed by tsrs's own
/// explanation indented by four spaces. An error without entries, one that
/// OpenSSL reports differently or not at all, prints `tsrs: error: MESSAGE`.
fn print_errors(errors: &[Error]) {
    for error in errors {
        if error.records().is_empty() {
            eprintln!("tsrs: error: {error}");
            continue;
        }
        // Records first, as OpenSSL lists its queue, then tsrs's explanation.
        for record in error.records() {
            eprintln!(
                "tsrs:error:{}:{}:{}:{}",
                record.library, record.function, record.reason, record.data
            );
        }
        if !error.message().is_empty() {
            eprintln!("    {}", error.message());
        }
    }
}

/// Prints a file that could not be opened: the `Can't open` line, if any,
/// then the error.
fn print_open_failure(failure: &crate::cli::io::OpenFailure) {
    if let Some(notice) = &failure.notice {
        eprintln!("{notice}");
    }
    print_errors(std::slice::from_ref(&failure.error));
}

fn run(args: TsArgs) -> Option<i32> {
    let mode = args.mode?;
    if let Some(code) = check_verification_options(&args) {
        return Some(code);
    }
    if let Some(code) = check_providers(&args) {
        return Some(code);
    }
    if !load_rand_files(&args.rand) {
        return Some(1);
    }
    // opt_md drops the legacy digest names once a provider option is given.
    let legacy_names =
        args.providers.is_empty() && args.provider_path.is_none() && args.propquery.is_none();
    let digest = match &args.digest_name {
        None => None,
        Some(name) => match DigestAlgorithm::from_option(name, legacy_names) {
            Some(digest) => Some(digest),
            None => {
                return Some(usage(Some(&format!(
                    "Unknown option or message digest: {name}"
                ))));
            }
        },
    };
    let passphrase = match (mode, &args.passin) {
        (Mode::Reply, Some(source)) => match tsrs::keys::read_passphrase(source) {
            Ok(pass) => Some(pass),
            Err(e) => {
                // The messages of a bad -passin source are OpenSSL's own lines.
                eprintln!("{}", e.message());
                eprintln!("Error getting password.");
                return Some(1);
            }
        },
        _ => None,
    };
    let (config, objects) = match load_config(args.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(code) => return Some(code),
    };
    let session = Session {
        args,
        config,
        objects,
        digest,
    };
    let status = match mode {
        Mode::Query => query::run(&session),
        Mode::Reply => reply::run(&session, passphrase.as_ref().map(|p| p.as_slice())),
        Mode::Verify => verify::run(&session),
    };
    write_rand_file(session.args.writerand.as_deref());
    Some(status)
}

/// `opt_verify`: values the verification options cannot take end the run,
/// without the usage hint.
fn check_verification_options(args: &TsArgs) -> Option<i32> {
    use options::VerifyOption as V;
    let objects = Objects::new();
    for setting in &args.verify {
        let value = setting.value.as_deref().unwrap_or_default();
        let message = match setting.option {
            V::Policy if objects.resolve_oid(value).is_none() => format!("Invalid Policy {value}"),
            V::Purpose if tsrs::x509::Purpose::from_name(value).is_none() => {
                format!("Invalid purpose {value}")
            }
            V::VerifyName if !tsrs::x509::VerifyOptions::PARAMETER_SET_NAMES.contains(&value) => {
                format!("Invalid verify name {value}")
            }
            V::VerifyIp if tsrs::x509::parse_ip_address(value).is_none() => return Some(1),
            _ => continue,
        };
        eprintln!("{PROG}: {message}");
        return Some(1);
    }
    None
}

/// `-provider`: only the providers tsrs implements itself.
fn check_providers(args: &TsArgs) -> Option<i32> {
    for provider in &args.providers {
        if !matches!(provider.as_str(), "default" | "base") {
            eprintln!("{PROG}: unable to load provider {provider}");
            eprintln!("Hint: tsrs has only the built-in \"default\" and \"base\" providers.");
            return Some(1);
        }
    }
    None
}

/// `-rand`: files to mix into the random generator, separated by `:`. tsrs
/// draws from the operating system only, so the files are only checked to be
/// readable, and an unreadable one ends the run as it does in OpenSSL.
fn load_rand_files(values: &[PathBuf]) -> bool {
    use std::os::unix::ffi::OsStrExt;
    for value in values {
        for part in value.as_os_str().as_bytes().split(|b| *b == b':') {
            if part.is_empty() {
                continue;
            }
            let path = Path::new(std::ffi::OsStr::from_bytes(part));
            if std::fs::File::open(path).is_err() {
                eprintln!("Can't load {} into RNG", path.display());
                print_errors(&[Error::new(tsrs::Reason::Io, "").with_record(
                    RAND_LIB,
                    "RAND_load_file",
                    "Cannot open file",
                    format!("Filename={}", path.display()),
                )]);
                return false;
            }
        }
    }
    true
}

/// `ERR_LIB_RAND`.
const RAND_LIB: &str = "random number generator";

/// `-writerand`: 1024 fresh random bytes in a file only the owner can read,
/// as OpenSSL writes them. A failure is reported and does not change the exit status.
fn write_rand_file(path: Option<&Path>) {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let Some(path) = path else { return };
    let mut bytes = [0u8; 1024];
    let written = getrandom::fill(&mut bytes).is_ok()
        && std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)
            .and_then(|mut file| file.write_all(&bytes))
            .is_ok();
    if !written {
        eprintln!("Cannot write random bytes:");
        print_errors(&[Error::new(tsrs::Reason::Io, "").with_record(
            RAND_LIB,
            "RAND_write_file",
            "Cannot open file",
            format!("Filename={}", path.display()),
        )]);
    }
}

/// Loads the configuration (`-config`, else `OPENSSL_CONF`, else the system
/// file), prints `Using configuration from`, and applies `oid_file` and
/// `oid_section`. An empty name gives an empty configuration, as in OpenSSL.
fn load_config(explicit: Option<&Path>) -> Result<(Config, Objects), i32> {
    let path: PathBuf = match explicit {
        Some(path) => path.to_path_buf(),
        None => conf::default_config_path(),
    };
    let config = if path.as_os_str().is_empty() {
        Config::empty()
    } else {
        match Config::load(&path) {
            Ok(config) => config,
            Err(e) => {
                eprintln!("{}", e.openssl_message(PROG));
                let records = e.openssl_records();
                if !records.is_empty() {
                    print_errors(&[Error::new(e.reason(), "").with_earlier_records(records)]);
                }
                return Err(1);
            }
        }
    };
    eprintln!("Using configuration from {}", path.display());
    let mut objects = Objects::new();
    for problem in conf::apply_oid_config(&config, &mut objects) {
        eprintln!("{problem}");
    }
    Ok((config, objects))
}
