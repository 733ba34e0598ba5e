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
    let objects = match apply_default_config() {
        Ok(objects) => objects,
        Err(code) => return code,
    };
    let args = match options::parse(args) {
        Parsed::Run(args) => *args,
        Parsed::Help => {
            eprint!("{}", options::help_text());
            return 0;
        }
        Parsed::Usage(message) => return usage(message.as_deref()),
    };
    let status = run(args, objects);
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

fn run(args: TsArgs, objects: Objects) -> Option<i32> {
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
    let (config, objects) = match load_config(args.config.as_deref(), objects) {
        Ok(loaded) => loaded,
        Err(code) => return Some(code),
    };
    if let Some(code) = check_default_algorithms(mode, &args) {
        return Some(code);
    }
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
    if !write_rand_file(session.args.writerand.as_deref()) {
        return Some(1);
    }
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

/// `-provider`, `-provider-path` and `-propquery`, as `opt_provider` applies
/// them. tsrs implements the default, base and legacy providers itself. Any
/// other name, and legacy when the provider folder has no `legacy.so`, fails
/// as OpenSSL fails to load a provider that is not installed. `-propquery` only changes how digest options are fetched.
fn check_providers(args: &TsArgs) -> Option<i32> {
    use tsrs::digest::providers::{self, Provider};
    providers::set_application_query(args.propquery.as_deref());
    for (name, search_path) in &args.providers {
        // Each provider is looked for where the -provider-path before it
        // pointed, as OpenSSL applies the options in command-line order.
        providers::set_provider_search_path(search_path.as_deref());
        match Provider::from_name(name) {
            // OpenSSL loads the legacy provider from legacy.so in the
            // provider folder, so tsrs fails where that file is missing.
            Some(Provider::Legacy) if !provider_library_exists(name) => {
                print_provider_failure(name);
                return Some(1);
            }
            Some(provider) => providers::activate(provider),
            None => {
                print_provider_failure(name);
                return Some(1);
            }
        }
    }
    providers::set_provider_search_path(args.provider_path.as_deref());
    None
}

/// Returns whether the shared library OpenSSL loads the provider `name`
/// from exists in the provider folder.
fn provider_library_exists(name: &str) -> bool {
    use tsrs::conf::modules;
    let file = modules::shared_library_path(&modules::provider_folder(), name);
    Path::new(&file).exists()
}

/// Prints the failure of `app_provider_load`. When the provider's shared
/// library does not exist, the lines are OpenSSL's. When it exists, OpenSSL
/// would load it, so tsrs prints an explanation instead.
fn print_provider_failure(name: &str) {
    use tsrs::conf::modules;
    eprintln!("{PROG}: unable to load provider {name}");
    eprintln!("Hint: use -provider-path option or OPENSSL_MODULES environment variable.");
    let file = modules::shared_library_path(&modules::provider_folder(), name);
    let note = match name {
        "fips" => " tsrs has no FIPS provider and cannot run in FIPS mode.",
        _ => "",
    };
    if Path::new(&file).exists() {
        print_errors(&[Error::new(
            tsrs::Reason::NotSupported,
            format!(
                "tsrs cannot load the provider {name} from {file}: it implements only the \
                default, base and legacy providers.{note}"
            ),
        )]);
        return;
    }
    let explanation = match name {
        "legacy" => format!(
            "the legacy provider is built into tsrs, but OpenSSL loads it from {file}, which \
             does not exist, so tsrs fails as OpenSSL does. Check -provider-path and \
             OPENSSL_MODULES."
        ),
        _ => format!(
            "tsrs implements only the default, base and legacy providers, and {file} does not \
             exist.{note}"
        ),
    };
    let error = Error::new(tsrs::Reason::NotSupported, explanation)
        .with_earlier_records(modules::missing_library_records(&file))
        .with_record(
            tsrs::error::lib::CRYPTO,
            "provider_init",
            "reason(524325)",
            format!("name={name}"),
        );
    print_errors(&[error]);
}

/// Stops signing or verifying when the providers or the default properties
/// leave none of the default provider's algorithms to fetch (for example
/// `-provider legacy` alone, or `default_properties = fips=yes`). OpenSSL
/// then fails at its first fetch, with error-queue entries that differ by
/// step. tsrs prints the same failure line and an explanation instead.
fn check_default_algorithms(mode: Mode, args: &TsArgs) -> Option<i32> {
    use tsrs::digest::providers;
    let signs_or_verifies = match mode {
        Mode::Reply => args.queryfile.is_some(),
        Mode::Verify => true,
        Mode::Query => false,
    };
    if !signs_or_verifies || providers::default_algorithms_available() {
        return None;
    }
    // The line each mode prints when it fails, as OpenSSL prints it then.
    let action = match mode {
        Mode::Reply => {
            eprintln!("Response is not generated.");
            "sign a response"
        }
        _ => {
            println!("Verification: FAILED");
            "verify a response"
        }
    };
    print_errors(&[Error::new(
        tsrs::Reason::UnsupportedAlgorithm,
        format!(
            "cannot {action}: the default provider's algorithms are not available: {}",
            providers::default_algorithms_unavailable_reason()
        ),
    )]);
    Some(1)
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
/// as OpenSSL writes them. Returns false after reporting a failure, which
/// makes the exit status 1 although the command's own output was written,
/// as `openssl ts` does.
fn write_rand_file(path: Option<&Path>) -> bool {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let Some(path) = path else { return true };
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
    written
}

/// Applies the default configuration file's library configuration, as
/// libcrypto does when `openssl` starts, before it reads any option. Returns
/// the object table with the names its `oid_section` module created, or the
/// exit status after `FATAL: Startup failure`.
fn apply_default_config() -> Result<Objects, i32> {
    let mut objects = Objects::new();
    match conf::modules::apply_default_config(&mut objects) {
        Ok(()) => Ok(objects),
        Err(failure) => {
            let program = std::env::args_os().next().unwrap_or_default();
            eprintln!(
                "FATAL: Startup failure (dev note: apps_startup()) for {}",
                Path::new(&program).display()
            );
            print_errors(std::slice::from_ref(failure.error()));
            Err(1)
        }
    }
}

/// Loads the configuration (`-config`, else `OPENSSL_CONF`, else the system
/// file), prints `Using configuration from`, and applies `oid_file` and
/// `oid_section`. An empty name gives an empty configuration, as in OpenSSL.
/// A file given with `-config` then has its library configuration applied
/// (`app_load_modules`), which fails with `Error configuring OpenSSL modules`.
fn load_config(explicit: Option<&Path>, mut objects: Objects) -> Result<(Config, Objects), i32> {
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
    for problem in conf::apply_oid_config(&config, &mut objects) {
        // The problem line, then the entries ERR_print_errors lists after it.
        eprintln!("{problem}");
        if !problem.records().is_empty() {
            let records = problem.records().to_vec();
            print_errors(&[Error::new(problem.reason(), "").with_earlier_records(records)]);
        }
    }
    if explicit.is_some()
        && let Err(failure) = conf::modules::apply_modules(&config, &mut objects)
    {
        eprintln!("Error configuring OpenSSL modules");
        print_errors(std::slice::from_ref(failure.error()));
        return Err(1);
    }
    Ok((config, objects))
}
