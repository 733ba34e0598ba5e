//! Verification options, named after and set as the `openssl verify` and
//! `openssl ts -verify` options set OpenSSL 3.0's `X509_VERIFY_PARAM`
//! (apps/lib/opt.c `opt_verify`, crypto/x509/x509_vpm.c).

use der::asn1::ObjectIdentifier;

use super::crl::Crl;
use super::identity::parse_ip_address;
use super::purpose::{Purpose, Trust};
use super::suite_b::SuiteB;
use crate::error::{Error, Reason, Result};
use crate::oid::Objects;

/// The time validity periods and CRLs are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VerifyTime {
    /// The current time, read once when the verification starts.
    #[default]
    Now,
    /// A given time in seconds since the Unix epoch (`-attime`).
    At(i64),
    /// No validity period or CRL time checks (`-no_check_time`).
    NoCheck,
}

/// Verification options, named after the `openssl verify` options that set them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The verification time; the current time by default.
    pub time: VerifyTime,
    /// The purpose checked on the chain (`-purpose`); time stamp signing by
    /// default, `None` for no purpose check.
    pub purpose: Option<Purpose>,
    /// The trust setting checked on trust anchors; by default the one the
    /// purpose implies. `openssl ts -verify` uses the trust of `-verify_name`,
    /// else the one `-purpose` implies, else the TSA trust.
    pub trust: Option<Trust>,
    /// The maximum number of intermediate certificates (`-verify_depth`), 100 by default.
    pub max_depth: usize,
    /// Accept a trusted certificate that is not self-signed as a trust anchor (`-partial_chain`).
    pub partial_chain: bool,
    /// Apply the additional RFC 5280 checks of `-x509_strict`.
    pub x509_strict: bool,
    /// Ignore unhandled critical extensions (`-ignore_critical`).
    pub ignore_critical: bool,
    /// Check the leaf certificate against CRLs (`-crl_check`).
    pub crl_check: bool,
    /// Check every certificate of the chain against CRLs (`-crl_check_all`).
    pub crl_check_all: bool,
    /// Also verify the signature of a self-signed trust anchor (`-check_ss_sig`).
    pub check_self_signed_signature: bool,
    /// Look for issuers in the trust store before the untrusted certificates;
    /// on by default, as in OpenSSL 3.0.
    pub trusted_first: bool,
    /// Do not retry with a shorter chain when the first one fails (`-no_alt_chains`);
    /// this matters only without `trusted_first`.
    pub no_alt_chains: bool,
    /// CRLs to consult before the store's (`-CRLfile`).
    pub crls: Vec<Crl>,
    /// Also consult delta CRLs (`-use_deltas`).
    pub use_deltas: bool,
    /// Extended CRL support (`-extended_crl`): indirect CRLs, CRLs partitioned
    /// by reason and CRL issuers outside the chain. tsrs rejects delta CRLs as
    /// OpenSSL then does, and fails with an explanation where one of the other
    /// features would decide the outcome, because it does not implement them.
    pub extended_crl: bool,
    /// Accept proxy certificates (RFC 3820) in the chain (`-allow_proxy_certs`).
    pub allow_proxy_certs: bool,
    /// The security level (`-auth_level`), 0 to 5 (higher counts as 5), or
    /// `None` for none: level N requires keys and signatures of at least 80,
    /// 112, 128, 192 or 256 bits of security.
    pub auth_level: Option<u32>,
    /// DNS names one of which the leaf must match (`-verify_hostname`).
    pub hosts: Vec<String>,
    /// An email address the leaf must carry (`-verify_email`).
    pub email: Option<String>,
    /// An IP address (4 or 16 bytes) the leaf must carry (`-verify_ip`); see
    /// [`parse_ip_address`](super::parse_ip_address).
    pub ip: Option<Vec<u8>>,
    /// The Suite B restrictions (`-suiteB_128_only`, `-suiteB_128`, `-suiteB_192`).
    pub suite_b: SuiteB,
    /// Run the certificate policy check (`-policy_check`); the other policy
    /// options imply it.
    pub policy_check: bool,
    /// Require an acceptable explicit policy (`-explicit_policy`).
    pub explicit_policy: bool,
    /// Do not let anyPolicy match (`-inhibit_any`).
    pub inhibit_any_policy: bool,
    /// Do not apply policy mappings (`-inhibit_map`).
    pub inhibit_policy_mapping: bool,
    /// The acceptable policies (`-policy`); empty means that OpenSSL's
    /// explicit policy requirement can never be met.
    pub policies: Vec<ObjectIdentifier>,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            time: VerifyTime::Now,
            purpose: Some(Purpose::TimestampSign),
            trust: None,
            max_depth: 100,
            partial_chain: false,
            x509_strict: false,
            ignore_critical: false,
            crl_check: false,
            crl_check_all: false,
            check_self_signed_signature: false,
            trusted_first: true,
            no_alt_chains: false,
            crls: Vec::new(),
            use_deltas: false,
            extended_crl: false,
            allow_proxy_certs: false,
            auth_level: None,
            hosts: Vec::new(),
            email: None,
            ip: None,
            suite_b: SuiteB::default(),
            policy_check: false,
            explicit_policy: false,
            inhibit_any_policy: false,
            inhibit_policy_mapping: false,
            policies: Vec::new(),
        }
    }
}

impl VerifyOptions {
    /// The names [`VerifyOptions::apply_named_parameters`] accepts, as
    /// `-verify_name` takes them.
    pub const PARAMETER_SET_NAMES: [&'static str; 5] =
        ["default", "pkcs7", "smime_sign", "ssl_client", "ssl_server"];

    /// Applies one of OpenSSL 3.0's named parameter sets (`-verify_name`,
    /// `X509_VERIFY_PARAM_lookup` and `X509_VERIFY_PARAM_set1`): each sets
    /// what its table entry sets and leaves the rest. `default` sets the
    /// depth to 100 and the trusted-first search. `pkcs7` and `smime_sign` set
    /// the S/MIME signing purpose with the email trust. `ssl_client` and
    /// `ssl_server` set the TLS purpose and trust. Returns `false` for an
    /// unknown name.
    pub fn apply_named_parameters(&mut self, name: &str) -> bool {
        let (purpose, trust) = match name {
            "default" => {
                self.max_depth = 100;
                self.trusted_first = true;
                return true;
            }
            "pkcs7" | "smime_sign" => (Purpose::SmimeSign, Trust::Email),
            "ssl_client" => (Purpose::SslClient, Trust::SslClient),
            "ssl_server" => (Purpose::SslServer, Trust::SslServer),
            _ => return false,
        };
        self.purpose = Some(purpose);
        self.trust = Some(trust);
        true
    }

    /// Whether the certificate policy check runs: `-policy_check`, or any
    /// other policy option, which implies it.
    pub(crate) fn policy_processing(&self) -> bool {
        self.policy_check
            || self.explicit_policy
            || self.inhibit_any_policy
            || self.inhibit_policy_mapping
            || !self.policies.is_empty()
    }
}

impl VerifyOptions {
    /// Applies one verification option as OpenSSL's `opt_verify` records it,
    /// by its name without the dash (`verify_hostname`, `auth_level`,
    /// `crl_check`, ...) and with its value for the options that take one.
    /// Options apply in command-line order; later values replace earlier
    /// ones, except that:
    ///
    /// - `attime` wins over `no_check_time` in either order;
    /// - `verify_name` sets only what its parameter set defines;
    /// - a negative `verify_depth` or `auth_level` is ignored;
    /// - an empty `verify_hostname` clears the host name;
    /// - `policy` adds to the acceptable policies;
    /// - `trusted_first` is always on, and `issuer_checks` and `policy_print`
    ///   change nothing here (`openssl verify` prints policy diagnostics
    ///   itself; `openssl ts` never does).
    ///
    /// Fails with [`Reason::InvalidArgument`] for an unknown option, a missing
    /// value, or a value OpenSSL rejects (an unknown purpose, parameter set
    /// or policy, an invalid IP address, a number that does not parse).
    pub fn apply_option(&mut self, name: &str, value: Option<&str>) -> Result<()> {
        if let Some(done) = self.apply_flag(name) {
            return if value.is_some() {
                Err(invalid_option(name, "takes no value"))
            } else {
                done
            };
        }
        let value = value.ok_or_else(|| invalid_option(name, "needs a value"))?;
        match name {
            "attime" => self.time = VerifyTime::At(parse_number(name, value)?),
            "purpose" => {
                let purpose = Purpose::from_name(value)
                    .ok_or_else(|| invalid_value(name, value, "not a purpose name"))?;
                self.purpose = Some(purpose);
            }
            "verify_name" => {
                if !self.apply_named_parameters(value) {
                    return Err(invalid_value(name, value, "not a parameter set name"));
                }
            }
            "verify_depth" => {
                if let Ok(depth) = usize::try_from(parse_number(name, value)?) {
                    self.max_depth = depth;
                }
            }
            "auth_level" => {
                if let Ok(level) = u32::try_from(parse_number(name, value)?) {
                    self.auth_level = Some(level);
                }
            }
            "verify_hostname" => {
                self.hosts.clear();
                if !value.is_empty() {
                    self.hosts.push(value.to_owned());
                }
            }
            "verify_email" => self.email = Some(value.to_owned()),
            "verify_ip" => {
                let ip = parse_ip_address(value)
                    .ok_or_else(|| invalid_value(name, value, "not an IP address"))?;
                self.ip = Some(ip);
            }
            "policy" => {
                let policy = Objects::new()
                    .resolve(value)
                    .ok_or_else(|| invalid_value(name, value, "not an object name or OID"))?;
                self.policies.push(policy);
            }
            _ => return Err(invalid_option(name, "is not a verification option")),
        }
        Ok(())
    }

    /// Applies a verification option that takes no value; `None` when `name`
    /// is not one.
    fn apply_flag(&mut self, name: &str) -> Option<Result<()>> {
        match name {
            "no_check_time" => {
                if !matches!(self.time, VerifyTime::At(_)) {
                    self.time = VerifyTime::NoCheck;
                }
            }
            "partial_chain" => self.partial_chain = true,
            "ignore_critical" => self.ignore_critical = true,
            "x509_strict" => self.x509_strict = true,
            "crl_check" => self.crl_check = true,
            "crl_check_all" => {
                self.crl_check = true;
                self.crl_check_all = true;
            }
            "use_deltas" => self.use_deltas = true,
            "extended_crl" => self.extended_crl = true,
            "check_ss_sig" => self.check_self_signed_signature = true,
            "trusted_first" => self.trusted_first = true,
            "no_alt_chains" => self.no_alt_chains = true,
            "allow_proxy_certs" => self.allow_proxy_certs = true,
            "policy_check" => self.policy_check = true,
            "explicit_policy" => self.explicit_policy = true,
            "inhibit_any" => self.inhibit_any_policy = true,
            "inhibit_map" => self.inhibit_policy_mapping = true,
            "suiteB_128_only" => self.suite_b.level_128 = true,
            "suiteB_192" => self.suite_b.level_192 = true,
            "suiteB_128" => self.suite_b = SuiteB::LEVEL_128,
            "policy_print" | "issuer_checks" => {}
            _ => return None,
        }
        Some(Ok(()))
    }
}

/// A decimal option value as `atoi` and `opt_intmax` read the values OpenSSL's
/// option parser has accepted.
fn parse_number(name: &str, value: &str) -> Result<i64> {
    parse_c_integer(value).ok_or_else(|| invalid_value(name, value, "not a number"))
}

/// Parses a whole string as C's `strtol(text, &end, 0)` reads a number that
/// OpenSSL's option parser accepts: leading white space, an optional sign,
/// then hexadecimal after `0x`, octal after a leading `0`, else decimal.
/// `None` when anything is left over or the value does not fit an `i64`.
pub fn parse_c_integer(text: &str) -> Option<i64> {
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, unsigned) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let (radix, digits) = if let Some(hex) = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
    {
        (16, hex)
    } else if unsigned.len() > 1 && unsigned.starts_with('0') {
        (8, &unsigned[1..])
    } else {
        (10, unsigned)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}

fn invalid_value(name: &str, value: &str, problem: &str) -> Error {
    Error::new(
        Reason::InvalidArgument,
        format!("invalid -{name} value {value:?}: {problem}"),
    )
}

fn invalid_option(name: &str, problem: &str) -> Error {
    Error::new(
        Reason::InvalidArgument,
        format!("verification option -{name} {problem}"),
    )
}
