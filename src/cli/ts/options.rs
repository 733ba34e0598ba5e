//! The option parser of `tsrs ts`, which accepts exactly what `openssl ts`
//! accepts (OpenSSL 3.0's apps/lib/opt.c rules).
//!
//! Options start with one or two dashes, may carry their value after `=`,
//! and end at the first word that does not start with a dash or at `--`.
//! A word that names no option is taken as a digest name, as OpenSSL does.
//! clap cannot express these rules, so the parser is written out here.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The three modes of `ts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `-query`: build or print a request.
    Query,
    /// `-reply`: sign a response, or print or convert one.
    Reply,
    /// `-verify`: verify a response or token.
    Verify,
}

/// The kind of value each option takes, as OpenSSL's option table declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    /// No value (`-text`).
    None,
    /// Any string.
    Text,
    /// An input file name.
    InFile,
    /// An output file name.
    OutFile,
    /// A URI.
    Uri,
    /// An existing folder (`-CApath`).
    Folder,
    /// A decimal `int` (`-verify_depth`).
    Int,
    /// A decimal `intmax_t` (`-attime`).
    IntMax,
}

/// Every option, by the id the parser dispatches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Id {
    Help,
    Config,
    Section,
    Engine,
    Inkey,
    Signer,
    Chain,
    CaFile,
    CaPath,
    CaStore,
    Untrusted,
    TokenIn,
    TokenOut,
    Passin,
    Query,
    Data,
    Digest,
    QueryFile,
    Cert,
    In,
    Verify,
    Reply,
    TsPolicy,
    NoNonce,
    Out,
    Text,
    Rand,
    WriteRand,
    Provider,
    ProviderPath,
    PropQuery,
    AtGenTime,
    StrictRequest,
    Report,
    Vfy(VerifyOption),
}

/// The certificate verification options (OpenSSL's `OPT_V_OPTIONS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyOption {
    /// `-policy OID`.
    Policy,
    /// `-purpose NAME`.
    Purpose,
    /// `-verify_name NAME`.
    VerifyName,
    /// `-verify_depth N`.
    VerifyDepth,
    /// `-auth_level N`.
    AuthLevel,
    /// `-attime SECONDS`.
    AtTime,
    /// `-verify_hostname NAME`.
    VerifyHostname,
    /// `-verify_email ADDRESS`.
    VerifyEmail,
    /// `-verify_ip ADDRESS`.
    VerifyIp,
    /// `-ignore_critical`.
    IgnoreCritical,
    /// `-issuer_checks` (no effect).
    IssuerChecks,
    /// `-crl_check`.
    CrlCheck,
    /// `-crl_check_all`.
    CrlCheckAll,
    /// `-policy_check`.
    PolicyCheck,
    /// `-explicit_policy`.
    ExplicitPolicy,
    /// `-inhibit_any`.
    InhibitAny,
    /// `-inhibit_map`.
    InhibitMap,
    /// `-x509_strict`.
    X509Strict,
    /// `-extended_crl`.
    ExtendedCrl,
    /// `-use_deltas`.
    UseDeltas,
    /// `-policy_print`.
    PolicyPrint,
    /// `-check_ss_sig`.
    CheckSsSig,
    /// `-trusted_first`.
    TrustedFirst,
    /// `-suiteB_128_only`.
    SuiteB128Only,
    /// `-suiteB_128`.
    SuiteB128,
    /// `-suiteB_192`.
    SuiteB192,
    /// `-partial_chain`.
    PartialChain,
    /// `-no_alt_chains`.
    NoAltChains,
    /// `-no_check_time`.
    NoCheckTime,
    /// `-allow_proxy_certs`.
    AllowProxyCerts,
}

struct OptionSpec {
    name: &'static str,
    id: Id,
    kind: ValueKind,
    help: &'static str,
}

const fn spec(name: &'static str, id: Id, kind: ValueKind, help: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        id,
        kind,
        help,
    }
}

use ValueKind::{Folder, InFile, Int, IntMax, None as Flag, OutFile, Text, Uri};
use VerifyOption as V;

/// `(section title, options)` in the order `-help` lists them.
const SECTIONS: &[(&str, &[OptionSpec])] = &[
    (
        "General options:",
        &[
            spec("help", Id::Help, Flag, "Display this summary"),
            spec("config", Id::Config, InFile, "Configuration file"),
            spec(
                "section",
                Id::Section,
                Text,
                "Section to use within config file",
            ),
            spec(
                "engine",
                Id::Engine,
                Text,
                "Use engine, possibly a hardware device",
            ),
            spec("inkey", Id::Inkey, Text, "File with private key for reply"),
            spec("signer", Id::Signer, Text, "Signer certificate file"),
            spec("chain", Id::Chain, InFile, "File with signer CA chain"),
            spec("CAfile", Id::CaFile, InFile, "File with trusted CA certs"),
            spec("CApath", Id::CaPath, Folder, "Path to trusted CA files"),
            spec("CAstore", Id::CaStore, Uri, "URI to trusted CA store"),
            spec("untrusted", Id::Untrusted, InFile, "Extra untrusted certs"),
            spec("token_in", Id::TokenIn, Flag, "Input is a PKCS#7 file"),
            spec("token_out", Id::TokenOut, Flag, "Output is a PKCS#7 file"),
            spec("passin", Id::Passin, Text, "Input file pass phrase source"),
        ],
    ),
    (
        "Query options:",
        &[
            spec("query", Id::Query, Flag, "Generate a TS query"),
            spec("data", Id::Data, InFile, "File to hash"),
            spec("digest", Id::Digest, Text, "Digest (as a hex string)"),
            spec(
                "queryfile",
                Id::QueryFile,
                InFile,
                "File containing a TS query",
            ),
            spec("cert", Id::Cert, Flag, "Put cert request into query"),
            spec("in", Id::In, InFile, "Input file"),
        ],
    ),
    (
        "Verify options:",
        &[
            spec("verify", Id::Verify, Flag, "Verify a TS response"),
            spec("reply", Id::Reply, Flag, "Generate a TS reply"),
            spec("tspolicy", Id::TsPolicy, Text, "Policy OID to use"),
            spec("no_nonce", Id::NoNonce, Flag, "Do not include a nonce"),
            spec("out", Id::Out, OutFile, "Output file"),
            spec("text", Id::Text, Flag, "Output text (not DER)"),
        ],
    ),
    (
        "Random state options:",
        &[
            spec(
                "rand",
                Id::Rand,
                Text,
                "Load the given file(s) into the random number generator",
            ),
            spec(
                "writerand",
                Id::WriteRand,
                OutFile,
                "Write random data to the specified file",
            ),
        ],
    ),
    (
        "Validation options:",
        &[
            spec(
                "policy",
                Id::Vfy(V::Policy),
                Text,
                "adds policy to the acceptable policy set",
            ),
            spec(
                "purpose",
                Id::Vfy(V::Purpose),
                Text,
                "certificate chain purpose",
            ),
            spec(
                "verify_name",
                Id::Vfy(V::VerifyName),
                Text,
                "verification policy name",
            ),
            spec(
                "verify_depth",
                Id::Vfy(V::VerifyDepth),
                Int,
                "chain depth limit",
            ),
            spec(
                "auth_level",
                Id::Vfy(V::AuthLevel),
                Int,
                "chain authentication security level",
            ),
            spec(
                "attime",
                Id::Vfy(V::AtTime),
                IntMax,
                "verification epoch time",
            ),
            spec(
                "verify_hostname",
                Id::Vfy(V::VerifyHostname),
                Text,
                "expected peer hostname",
            ),
            spec(
                "verify_email",
                Id::Vfy(V::VerifyEmail),
                Text,
                "expected peer email",
            ),
            spec(
                "verify_ip",
                Id::Vfy(V::VerifyIp),
                Text,
                "expected peer IP address",
            ),
            spec(
                "ignore_critical",
                Id::Vfy(V::IgnoreCritical),
                Flag,
                "permit unhandled critical extensions",
            ),
            spec(
                "issuer_checks",
                Id::Vfy(V::IssuerChecks),
                Flag,
                "(deprecated)",
            ),
            spec(
                "crl_check",
                Id::Vfy(V::CrlCheck),
                Flag,
                "check leaf certificate revocation",
            ),
            spec(
                "crl_check_all",
                Id::Vfy(V::CrlCheckAll),
                Flag,
                "check full chain revocation",
            ),
            spec(
                "policy_check",
                Id::Vfy(V::PolicyCheck),
                Flag,
                "perform rfc5280 policy checks",
            ),
            spec(
                "explicit_policy",
                Id::Vfy(V::ExplicitPolicy),
                Flag,
                "set policy variable require-explicit-policy",
            ),
            spec(
                "inhibit_any",
                Id::Vfy(V::InhibitAny),
                Flag,
                "set policy variable inhibit-any-policy",
            ),
            spec(
                "inhibit_map",
                Id::Vfy(V::InhibitMap),
                Flag,
                "set policy variable inhibit-policy-mapping",
            ),
            spec(
                "x509_strict",
                Id::Vfy(V::X509Strict),
                Flag,
                "disable certificate compatibility work-arounds",
            ),
            spec(
                "extended_crl",
                Id::Vfy(V::ExtendedCrl),
                Flag,
                "enable extended CRL features",
            ),
            spec("use_deltas", Id::Vfy(V::UseDeltas), Flag, "use delta CRLs"),
            spec(
                "policy_print",
                Id::Vfy(V::PolicyPrint),
                Flag,
                "print policy processing diagnostics",
            ),
            spec(
                "check_ss_sig",
                Id::Vfy(V::CheckSsSig),
                Flag,
                "check root CA self-signatures",
            ),
            spec(
                "trusted_first",
                Id::Vfy(V::TrustedFirst),
                Flag,
                "search trust store first (default)",
            ),
            spec(
                "suiteB_128_only",
                Id::Vfy(V::SuiteB128Only),
                Flag,
                "Suite B 128-bit-only mode",
            ),
            spec(
                "suiteB_128",
                Id::Vfy(V::SuiteB128),
                Flag,
                "Suite B 128-bit mode allowing 192-bit algorithms",
            ),
            spec(
                "suiteB_192",
                Id::Vfy(V::SuiteB192),
                Flag,
                "Suite B 192-bit-only mode",
            ),
            spec(
                "partial_chain",
                Id::Vfy(V::PartialChain),
                Flag,
                "accept chains anchored by intermediate trust-store CAs",
            ),
            spec(
                "no_alt_chains",
                Id::Vfy(V::NoAltChains),
                Flag,
                "(deprecated)",
            ),
            spec(
                "no_check_time",
                Id::Vfy(V::NoCheckTime),
                Flag,
                "ignore certificate validity time",
            ),
            spec(
                "allow_proxy_certs",
                Id::Vfy(V::AllowProxyCerts),
                Flag,
                "allow the use of proxy certificates",
            ),
        ],
    ),
    (
        "Provider options:",
        &[
            spec(
                "provider-path",
                Id::ProviderPath,
                Text,
                "Provider load path (must be before 'provider' argument if required)",
            ),
            spec(
                "provider",
                Id::Provider,
                Text,
                "Provider to load (can be specified multiple times)",
            ),
            spec(
                "propquery",
                Id::PropQuery,
                Text,
                "Property query used when fetching algorithms",
            ),
        ],
    ),
];

/// The verification options tsrs adds (docs/verify-report.md). `-help`
/// leaves them out, so that its text stays byte for byte OpenSSL's.
const TSRS_OPTIONS: &[OptionSpec] = &[
    spec(
        "attime_gentime",
        Id::AtGenTime,
        Flag,
        "Validate the signer's path at the token's genTime",
    ),
    spec(
        "strict_request",
        Id::StrictRequest,
        Flag,
        "With -queryfile, require a full answer to the request",
    ),
    spec(
        "report",
        Id::Report,
        OutFile,
        "Write a JSON report of every check to a file (- for stdout)",
    ),
];

/// The lines `-help` prints after the option summary.
const TYPICAL_USES: &[&str] = &[
    "",
    "Typical uses:",
    " openssl ts -query [-rand file...] [-config file] [-data file]",
    "    [-digest hexstring] [-tspolicy oid] [-no_nonce] [-cert]",
    "    [-in file] [-out file] [-text]",
    "",
    " openssl ts -reply [-config file] [-section tsa_section]",
    "    [-queryfile file] [-passin password]",
    "    [-signer tsa_cert.pem] [-inkey private_key.pem]",
    "    [-chain certs_file.pem] [-tspolicy oid]",
    "    [-in file] [-token_in] [-out file] [-token_out]",
    "    [-text] [-engine id]",
    "",
    " openssl ts -verify -CApath dir -CAfile root-cert.pem -CAstore uri",
    "   -untrusted extra-certs.pem [-data file] [-digest hexstring]",
    "    [-queryfile request.tsq] -in response.tsr [-token_in] ...",
];

/// A verification option with its value, in command-line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifySetting {
    /// Which option.
    pub option: VerifyOption,
    /// Its value, for options that take one.
    pub value: Option<String>,
}

/// Everything `ts` was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TsArgs {
    /// The mode; `None` until one is given.
    pub mode: Option<Mode>,
    /// `-config`.
    pub config: Option<PathBuf>,
    /// `-section`.
    pub section: Option<String>,
    /// `-engine`.
    pub engine: Option<String>,
    /// `-inkey`.
    pub inkey: Option<PathBuf>,
    /// `-signer`.
    pub signer: Option<PathBuf>,
    /// `-chain`.
    pub chain: Option<PathBuf>,
    /// `-CAfile`.
    pub ca_file: Option<PathBuf>,
    /// `-CApath`.
    pub ca_path: Option<PathBuf>,
    /// `-CAstore`.
    pub ca_store: Option<String>,
    /// `-untrusted`.
    pub untrusted: Option<PathBuf>,
    /// `-token_in`.
    pub token_in: bool,
    /// `-token_out`.
    pub token_out: bool,
    /// `-passin`.
    pub passin: Option<String>,
    /// `-data`.
    pub data: Option<PathBuf>,
    /// `-digest`.
    pub digest: Option<String>,
    /// `-queryfile`.
    pub queryfile: Option<PathBuf>,
    /// `-cert`.
    pub cert: bool,
    /// `-in`.
    pub input: Option<PathBuf>,
    /// `-tspolicy`.
    pub tspolicy: Option<String>,
    /// `-no_nonce`.
    pub no_nonce: bool,
    /// `-out`.
    pub out: Option<PathBuf>,
    /// `-text`.
    pub text: bool,
    /// `-rand` values.
    pub rand: Vec<PathBuf>,
    /// `-writerand`.
    pub writerand: Option<PathBuf>,
    /// `-provider` values, each with the `-provider-path` given before it,
    /// because OpenSSL applies the two in command-line order.
    pub providers: Vec<(String, Option<String>)>,
    /// `-provider-path`.
    pub provider_path: Option<String>,
    /// `-propquery`.
    pub propquery: Option<String>,
    /// The last unknown option, taken as a digest name.
    pub digest_name: Option<String>,
    /// Verification options in order.
    pub verify: Vec<VerifySetting>,
    /// `-attime_gentime` (tsrs only).
    pub at_gen_time: bool,
    /// `-strict_request` (tsrs only).
    pub strict_request: bool,
    /// `-report` (tsrs only).
    pub report: Option<PathBuf>,
}

/// The outcome of parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// Run with these arguments.
    Run(Box<TsArgs>),
    /// Print the help text to stderr and exit 0.
    Help,
    /// Print `message` (if any) and the usage hint to stderr, then exit 1.
    Usage(Option<String>),
}

/// Parses the arguments after `ts`. Values may be any bytes, as file names
/// on Unix may; option names must be ASCII.
pub fn parse(args: &[OsString]) -> Parsed {
    let mut parsed = TsArgs::default();
    let mut index = 0;
    let mut mode_count = 0;
    while index < args.len() {
        let word = args[index].as_bytes();
        if !word.starts_with(b"-") {
            break;
        }
        index += 1;
        if word == b"--" {
            break;
        }
        let body = word.strip_prefix(b"--").unwrap_or(&word[1..]);
        // OpenSSL's option parser passes over a bare `-`.
        if body.is_empty() {
            continue;
        }
        let (name_bytes, inline_value) = match body.iter().position(|b| *b == b'=') {
            Some(at) => (
                &body[..at],
                Some(OsStr::from_bytes(&body[at + 1..]).to_owned()),
            ),
            None => (body, None),
        };
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        let Some(option) = find(&name) else {
            parsed.digest_name = Some(name);
            continue;
        };
        let value = if option.kind == ValueKind::None {
            if inline_value.is_some() {
                return usage(format!("Option -{name} does not take a value"));
            }
            None
        } else {
            match inline_value {
                Some(v) => Some(v),
                None => {
                    let Some(v) = args.get(index) else {
                        return usage(format!("Option -{} needs a value", option.name));
                    };
                    index += 1;
                    Some(v.clone())
                }
            }
        };
        if let Some(message) = check_value(option, value.as_deref()) {
            return usage(message);
        }
        if option.id == Id::Help {
            return Parsed::Help;
        }
        if matches!(option.id, Id::Query | Id::Reply | Id::Verify) {
            mode_count += 1;
        }
        apply(&mut parsed, option.id, value);
    }
    if index < args.len() || mode_count != 1 {
        return Parsed::Usage(None);
    }
    let fixed_time = parsed
        .verify
        .iter()
        .any(|s| matches!(s.option, V::AtTime | V::NoCheckTime));
    if parsed.at_gen_time && fixed_time {
        return usage(
            "Option -attime_gentime cannot be used with -attime or -no_check_time".into(),
        );
    }
    Parsed::Run(Box::new(parsed))
}

fn usage(message: String) -> Parsed {
    Parsed::Usage(Some(message))
}

fn find(name: &str) -> Option<&'static OptionSpec> {
    let name = if name == "h" { "help" } else { name };
    SECTIONS
        .iter()
        .flat_map(|(_, options)| options.iter())
        .chain(TSRS_OPTIONS)
        .find(|o| o.name == name)
}

/// The value checks OpenSSL's option parser makes before the command receives a value.
fn check_value(option: &OptionSpec, value: Option<&OsStr>) -> Option<String> {
    let raw = value?;
    let value = &*raw.to_string_lossy();
    match option.kind {
        ValueKind::Folder if !Path::new(raw).is_dir() => Some(format!("Not a directory: {value}")),
        ValueKind::Int => match parse_long(value) {
            Err(message) => Some(message),
            Ok(v) if i32::try_from(v).is_err() => {
                Some(format!("Value \"{value}\" outside integer range"))
            }
            Ok(_) => None,
        },
        ValueKind::IntMax => parse_long(value).err(),
        _ => None,
    }
}

/// Parses a decimal number as OpenSSL's `opt_long`/`opt_intmax` do.
fn parse_long(value: &str) -> Result<i64, String> {
    tsrs::x509::parse_c_integer(value).ok_or_else(|| number_error(value))
}

/// OpenSSL's `opt_number_error`: the message names the base the prefix implies.
fn number_error(value: &str) -> String {
    let base = if value.starts_with("0x") || value.starts_with("0X") {
        "a hexadecimal"
    } else if value.starts_with('0') {
        "an octal"
    } else {
        "a"
    };
    format!("Can't parse \"{value}\" as {base} number")
}

fn apply(parsed: &mut TsArgs, id: Id, value: Option<OsString>) {
    let path = || value.clone().map(PathBuf::from);
    let text = || value.as_deref().map(|v| v.to_string_lossy().into_owned());
    match id {
        Id::Help => {}
        Id::Query => parsed.mode = Some(Mode::Query),
        Id::Reply => parsed.mode = Some(Mode::Reply),
        Id::Verify => parsed.mode = Some(Mode::Verify),
        Id::Config => parsed.config = path(),
        Id::Section => parsed.section = text(),
        Id::Engine => parsed.engine = text(),
        Id::Inkey => parsed.inkey = path(),
        Id::Signer => parsed.signer = path(),
        Id::Chain => parsed.chain = path(),
        Id::CaFile => parsed.ca_file = path(),
        Id::CaPath => parsed.ca_path = path(),
        Id::CaStore => parsed.ca_store = text(),
        Id::Untrusted => parsed.untrusted = path(),
        Id::TokenIn => parsed.token_in = true,
        Id::TokenOut => parsed.token_out = true,
        Id::Passin => parsed.passin = text(),
        Id::Data => parsed.data = path(),
        Id::Digest => parsed.digest = text(),
        Id::QueryFile => parsed.queryfile = path(),
        Id::Cert => parsed.cert = true,
        Id::In => parsed.input = path(),
        Id::TsPolicy => parsed.tspolicy = text(),
        Id::NoNonce => parsed.no_nonce = true,
        Id::Out => parsed.out = path(),
        Id::Text => parsed.text = true,
        Id::Rand => parsed.rand.extend(path()),
        Id::WriteRand => parsed.writerand = path(),
        Id::Provider => {
            let search_path = parsed.provider_path.clone();
            parsed
                .providers
                .extend(text().map(|name| (name, search_path)));
        }
        Id::ProviderPath => parsed.provider_path = text(),
        Id::PropQuery => parsed.propquery = text(),
        Id::AtGenTime => parsed.at_gen_time = true,
        Id::StrictRequest => parsed.strict_request = true,
        Id::Report => parsed.report = path(),
        Id::Vfy(option) => parsed.verify.push(VerifySetting {
            option,
            value: text(),
        }),
    }
}

/// The text `-help` prints to stderr.
pub fn help_text() -> String {
    let mut out = String::from("Usage: ts [options]\n");
    let width = SECTIONS
        .iter()
        .flat_map(|(_, options)| options.iter())
        .map(|o| 2 + o.name.len() + value_label(o.kind).map_or(0, |label| 1 + label.len()))
        .chain([2])
        .filter(|w| *w < 30)
        .max()
        .unwrap_or(5);
    for (i, (title, options)) in SECTIONS.iter().enumerate() {
        out.push('\n');
        out.push_str(title);
        out.push('\n');
        for option in options.iter() {
            push_option_line(
                &mut out,
                &format!("-{}", option.name),
                option.kind,
                option.help,
                width,
            );
        }
        if i == 0 {
            push_option_line(
                &mut out,
                "-*",
                ValueKind::None,
                "Any supported digest",
                width,
            );
        }
    }
    for line in TYPICAL_USES {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn value_label(kind: ValueKind) -> Option<&'static str> {
    match kind {
        ValueKind::None => None,
        ValueKind::Text => Some("val"),
        ValueKind::InFile => Some("infile"),
        ValueKind::OutFile => Some("outfile"),
        ValueKind::Uri => Some("uri"),
        ValueKind::Folder => Some("dir"),
        ValueKind::Int => Some("int"),
        ValueKind::IntMax => Some("intmax"),
    }
}

fn push_option_line(out: &mut String, flag: &str, kind: ValueKind, help: &str, width: usize) {
    let mut start = format!(" {flag}");
    if let Some(label) = value_label(kind) {
        start.push(' ');
        start.push_str(label);
    }
    if start.len() >= 30 {
        out.push_str(&start);
        out.push('\n');
        start.clear();
    }
    out.push_str(&format!("{start:<width$}  {help}\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    fn run(words: &[&str]) -> TsArgs {
        match parse(&args(words)) {
            Parsed::Run(parsed) => *parsed,
            other => panic!("{words:?} gave {other:?}"),
        }
    }

    #[test]
    fn query_options_parse() {
        let parsed = run(&[
            "-query",
            "-data",
            "f",
            "--no_nonce",
            "-sha1",
            "-text",
            "-out=x",
        ]);
        assert_eq!(parsed.mode, Some(Mode::Query));
        assert_eq!(parsed.data.as_deref(), Some(Path::new("f")));
        assert!(parsed.no_nonce);
        assert!(parsed.text);
        assert_eq!(parsed.out.as_deref(), Some(Path::new("x")));
        assert_eq!(parsed.digest_name.as_deref(), Some("sha1"));
    }

    #[test]
    fn unknown_options_are_digest_names() {
        let parsed = run(&["-query", "-sha256", "-md5"]);
        assert_eq!(parsed.digest_name.as_deref(), Some("md5"));
    }

    #[test]
    fn usage_errors() {
        let cases: [(&[&str], Option<&str>); 7] = [
            (&[], None),
            (&["-query", "-reply"], None),
            (&["-query", "extra"], None),
            (
                &["-query", "-text=1"],
                Some("Option -text does not take a value"),
            ),
            (&["-query", "-data"], Some("Option -data needs a value")),
            (
                &["-verify", "-verify_depth", "abc"],
                Some("Can't parse \"abc\" as a number"),
            ),
            (
                &["-verify", "-verify_depth", "99999999999"],
                Some("Value \"99999999999\" outside integer range"),
            ),
        ];
        for (words, message) in cases {
            assert_eq!(
                parse(&args(words)),
                Parsed::Usage(message.map(str::to_owned)),
                "{words:?}"
            );
        }
    }

    #[test]
    fn missing_capath_folder_is_usage_error() {
        assert_eq!(
            parse(&args(&["-verify", "-CApath", "/nonexistent-tsrs"])),
            Parsed::Usage(Some("Not a directory: /nonexistent-tsrs".to_owned()))
        );
    }

    #[test]
    fn help_wins_and_h_means_help() {
        assert_eq!(parse(&args(&["-query", "-h"])), Parsed::Help);
        assert_eq!(parse(&args(&["--help"])), Parsed::Help);
    }

    #[test]
    fn double_dash_ends_options() {
        assert_eq!(parse(&args(&["--", "-query"])), Parsed::Usage(None));
        let Parsed::Run(dash) = parse(&args(&["-", "-query", "-sha1", "-"])) else {
            panic!("a bare - is not passed over");
        };
        assert_eq!(dash.digest_name.as_deref(), Some("sha1"));
    }

    #[test]
    fn verify_settings_keep_order() {
        let parsed = run(&[
            "-verify",
            "-attime",
            "-5",
            "-partial_chain",
            "-purpose",
            "any",
        ]);
        let options: Vec<_> = parsed.verify.iter().map(|s| s.option).collect();
        assert_eq!(options, [V::AtTime, V::PartialChain, V::Purpose]);
        assert_eq!(parsed.verify[0].value.as_deref(), Some("-5"));
    }

    #[test]
    fn attime_gentime_conflicts_with_fixed_times() {
        let parsed = run(&[
            "-verify",
            "-attime_gentime",
            "-strict_request",
            "-report",
            "-",
        ]);
        assert!(parsed.at_gen_time);
        assert!(parsed.strict_request);
        assert_eq!(parsed.report.as_deref(), Some(Path::new("-")));
        let message = "Option -attime_gentime cannot be used with -attime or -no_check_time";
        for other in [&["-attime", "5"][..], &["-no_check_time"][..]] {
            let mut words = vec!["-verify", "-attime_gentime"];
            words.extend_from_slice(other);
            assert_eq!(
                parse(&args(&words)),
                Parsed::Usage(Some(message.to_owned())),
                "{words:?}"
            );
        }
    }

    #[test]
    fn help_text_lists_every_option() {
        let text = help_text();
        assert!(text.starts_with("Usage: ts [options]\n\nGeneral options:\n -help"));
        for (_, options) in SECTIONS {
            for option in options.iter() {
                assert!(
                    text.contains(&format!(" -{}", option.name)),
                    "{}",
                    option.name
                );
            }
        }
    }
}
