//! The TSA section of an openssl.cnf file, read as OpenSSL's `TS_CONF_*`
//! functions read it, into a [`ResponseContext`].
//!
//! Keys are looked up in OpenSSL's order, so the first bad key in a file is
//! the one reported, and command-line overrides (`-signer`, `-inkey`,
//! `-chain`, `-tspolicy`, `-<digest>`) skip the lookup of their key.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::conf::{self, Config};
use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Record, Result, lib};
use crate::keys::{DecryptOptions, PrivateKey};
use crate::oid::Objects;
use crate::responder::{AccuracySetting, ResponseContext};
use crate::x509::{self, Cert};

/// The section that names the default TSA section.
pub const BASE_SECTION: &str = "tsa";

/// Values given on the command line that replace configuration keys.
#[derive(Clone, Default)]
pub struct Overrides<'a> {
    /// `-engine`, replacing `crypto_device`.
    pub engine: Option<&'a str>,
    /// `-signer`, replacing `signer_cert`.
    pub signer: Option<&'a Path>,
    /// `-chain`, replacing `certs`.
    pub chain: Option<&'a Path>,
    /// `-inkey`, replacing `signer_key`.
    pub inkey: Option<&'a Path>,
    /// The passphrase from `-passin`.
    pub passphrase: Option<&'a [u8]>,
    /// The ciphers the signer key may be encrypted with: those of OpenSSL's
    /// legacy provider too when `-provider legacy` or the configuration
    /// activated it.
    pub decrypt_options: DecryptOptions,
    /// Asks for a passphrase when the key is encrypted and none was given, as
    /// OpenSSL prompts on the terminal; `None` when there is no one to ask.
    pub prompt: Option<&'a dyn Fn() -> Option<zeroize::Zeroizing<Vec<u8>>>>,
    /// `-<digest>`, replacing `signer_digest`.
    pub signer_digest: Option<DigestAlgorithm>,
    /// `-tspolicy`, replacing `default_policy`.
    pub policy: Option<&'a str>,
}

/// A TSA read from its section.
#[derive(Debug)]
pub struct TsaSetup {
    /// The response context, complete but for the serial source.
    pub context: ResponseContext,
    /// The `serial` file path.
    pub serial_path: PathBuf,
    /// The `NCONF_get_string` `no value` entries OpenSSL's error queue holds
    /// for optional keys that are missing, in lookup order. `openssl ts`
    /// prints them even when it succeeds, unless the serial file was missing.
    pub missing_optional: Vec<Record>,
}

/// Returns the TSA section: `section` if given, else `[tsa] default_tsa`
/// (`TS_CONF_get_tsa_section`).
pub fn tsa_section(config: &Config, section: Option<&str>) -> Result<String> {
    match section {
        Some(name) => Ok(name.to_owned()),
        None => config
            .get(Some(BASE_SECTION), "default_tsa")
            .map(str::to_owned)
            .ok_or_else(|| {
                lookup_fail(BASE_SECTION, "default_tsa")
                    .with_earlier_records([no_value(BASE_SECTION, "default_tsa")])
            }),
    }
}

/// The entry `NCONF_get_string` raises for a missing key.
fn no_value(section: &str, key: &str) -> Record {
    Record::new(
        lib::CONF,
        "NCONF_get_string",
        "no value",
        format!("group={section} name={key}"),
    )
}

fn lookup_fail(section: &str, key: &str) -> Error {
    Error::new(
        Reason::ConfigMissing,
        format!("cannot find config variable {section}::{key}: add `{key}` to section [{section}]"),
    )
    .with_record(
        lib::TS,
        "ts_CONF_lookup_fail",
        "cannot find config variable",
        format!("{section}::{key}"),
    )
}

fn invalid(section: &str, key: &str, value: &str, why: &str) -> Error {
    Error::new(
        Reason::ConfigBadValue,
        format!("var bad value {section}::{key}: {value:?} {why}"),
    )
    .with_record(
        lib::TS,
        "ts_CONF_invalid",
        "var bad value",
        format!("{section}::{key}"),
    )
}

/// The entry `OBJ_txt2obj` raises for an unknown name.
fn unknown_object() -> Record {
    Record::new(lib::OBJ, "OBJ_txt2obj", "unknown object name", "")
}

struct Reader<'a> {
    config: &'a Config,
    section: &'a str,
    missing_optional: Vec<Record>,
}

impl<'a> Reader<'a> {
    fn required(&self, key: &str) -> Result<&'a str> {
        self.config.get(Some(self.section), key).ok_or_else(|| {
            lookup_fail(self.section, key).with_earlier_records([no_value(self.section, key)])
        })
    }

    fn optional(&mut self, key: &str) -> Option<&'a str> {
        let value = self.config.get(Some(self.section), key);
        if value.is_none() {
            self.missing_optional.push(no_value(self.section, key));
        }
        value
    }

    fn invalid(&self, key: &str, value: &str, why: &str) -> Error {
        invalid(self.section, key, value, why)
    }

    /// `ts_CONF_add_flag`: exactly `yes` or `no`.
    fn flag(&mut self, key: &str) -> Result<bool> {
        match self.optional(key) {
            None | Some("no") => Ok(false),
            Some("yes") => Ok(true),
            Some(other) => Err(self.invalid(key, other, "is neither yes nor no")),
        }
    }
}

/// Reads the TSA section into a response context, in `openssl ts -reply`'s order.
///
/// On failure the error carries the `no value` entries of the optional keys
/// looked up before it, as OpenSSL's queue holds them.
pub fn load_tsa(
    config: &Config,
    section: &str,
    objects: &Objects,
    overrides: &Overrides<'_>,
) -> Result<TsaSetup> {
    let mut reader = Reader {
        config,
        section,
        missing_optional: Vec::new(),
    };
    match read_section(&mut reader, objects, overrides) {
        Ok((context, serial_path)) => Ok(TsaSetup {
            context,
            serial_path,
            missing_optional: reader.missing_optional,
        }),
        Err(e) => Err(e.with_earlier_records(reader.missing_optional)),
    }
}

fn read_section(
    reader: &mut Reader<'_>,
    objects: &Objects,
    overrides: &Overrides<'_>,
) -> Result<(ResponseContext, PathBuf)> {
    let section = reader.section;
    let mut context = ResponseContext::new();

    let serial_path = PathBuf::from(reader.required("serial")?);
    let device = match overrides.engine {
        Some(engine) => Some(engine),
        None => reader.optional("crypto_device"),
    };
    if let Some(device) = device {
        check_crypto_device(section, device)?;
    }

    let signer_path = match overrides.signer {
        Some(path) => path,
        None => Path::new(reader.required("signer_cert")?),
    };
    let from = |key: &'static str, option: &'static str, given: bool| {
        move |e: Error| {
            let source = if given {
                option.to_owned()
            } else {
                format!("{section}::{key}")
            };
            let message = format!("{source}: {}", e.message());
            e.retitled(message)
        }
    };
    let signer_cert = load_signer_cert(signer_path).map_err(from(
        "signer_cert",
        "-signer",
        overrides.signer.is_some(),
    ))?;
    context.set_signer_cert(signer_cert)?;

    let chain_path = match overrides.chain {
        Some(path) => Some(path),
        None => reader.optional("certs").map(Path::new),
    };
    if let Some(path) = chain_path {
        let chain = load_chain(path).map_err(from("certs", "-chain", overrides.chain.is_some()))?;
        context.set_certs(chain);
    }

    let key_path = match overrides.inkey {
        Some(path) => path,
        None => Path::new(reader.required("signer_key")?),
    };
    let key_source = from("signer_key", "-inkey", overrides.inkey.is_some());
    let options = overrides.decrypt_options;
    let mut key = match load_signer_key(key_path, overrides.passphrase, options) {
        Err(e) if e.reason() == Reason::Password && overrides.passphrase.is_none() => {
            match overrides.prompt.and_then(|prompt| prompt()) {
                Some(entered) => {
                    load_signer_key(key_path, Some(&entered), options).map_err(key_source)?
                }
                None => return Err(key_source(e)),
            }
        }
        other => other.map_err(key_source)?,
    };
    // A tsrs-only key: OpenSSL never looks it up, so its absence adds no
    // `no value` entry to the error queue.
    match reader.config.get(Some(section), "signer_rsa_padding") {
        None | Some("pkcs1") => {}
        Some("pss") => key.use_rsa_pss_padding().map_err(|e| {
            let message = format!("{section}::signer_rsa_padding: {}", e.message());
            e.retitled(message)
        })?,
        Some(other) => {
            return Err(reader.invalid("signer_rsa_padding", other, "is neither pkcs1 nor pss"));
        }
    }
    context.set_signer(Arc::new(key));

    let signer_digest = match overrides.signer_digest {
        Some(digest) => digest,
        None => {
            let name = reader.required("signer_digest")?;
            DigestAlgorithm::from_name(name)
                .ok_or_else(|| reader.invalid("signer_digest", name, "is not a known digest"))?
        }
    };
    context.set_signer_digest(signer_digest);

    // OpenSSL 3.0 writes ESS v1 (SHA-1) unless ess_cert_id_alg says otherwise.
    let ess_digest = match reader.optional("ess_cert_id_alg") {
        None => DigestAlgorithm::Sha1,
        Some(name) => DigestAlgorithm::from_name(name)
            .ok_or_else(|| reader.invalid("ess_cert_id_alg", name, "is not a known digest"))?,
    };
    context.set_ess_cert_id_digest(Some(ess_digest));

    let policy_text = match overrides.policy {
        Some(policy) => policy,
        None => reader.required("default_policy")?,
    };
    let policy = objects.resolve_oid(policy_text).ok_or_else(|| {
        reader
            .invalid(
                "default_policy",
                policy_text,
                "is not a known object name or dotted OID",
            )
            .with_earlier_records([unknown_object()])
    })?;
    context.set_default_policy(policy);

    if let Some(list) = reader.optional("other_policies") {
        let items = conf::parse_list(list).ok_or_else(|| {
            reader.invalid("other_policies", list, "is not a comma-separated list")
        })?;
        for (name, value) in items {
            let text = value.as_deref().unwrap_or(&name);
            let oid = objects.resolve_oid(text).ok_or_else(|| {
                reader
                    .invalid(
                        "other_policies",
                        text,
                        "is not a known object name or dotted OID",
                    )
                    .with_earlier_records([unknown_object()])
            })?;
            context.add_policy(oid);
        }
    }

    let digests = reader.required("digests")?;
    let items = conf::parse_list(digests)
        .filter(|items| !items.is_empty())
        .ok_or_else(|| {
            reader.invalid(
                "digests",
                digests,
                "is not a non-empty comma-separated list",
            )
        })?;
    for (name, value) in items {
        let text = value.as_deref().unwrap_or(&name);
        let digest = DigestAlgorithm::from_name(text)
            .ok_or_else(|| reader.invalid("digests", text, "is not a known digest"))?;
        context.add_digest(digest);
    }

    if let Some(text) = reader.optional("accuracy") {
        context.set_accuracy(parse_accuracy(reader, text)?);
    }

    let digits = reader
        .config
        .get(Some(section), "clock_precision_digits")
        .map_or(0, conf::parse_number);
    let digits = u8::try_from(digits)
        .ok()
        .filter(|d| *d <= crate::asn1::gentime::MAX_PRECISION)
        .ok_or_else(|| {
            invalid(
                section,
                "clock_precision_digits",
                &digits.to_string(),
                "is not between 0 and 6",
            )
        })?;
    context.set_clock_precision_digits(digits)?;

    let ordering = reader.flag("ordering")?;
    context.set_ordering(ordering);
    let tsa_name = reader.flag("tsa_name")?;
    context.set_tsa_name(tsa_name);
    let chain = reader.flag("ess_cert_id_chain")?;
    context.set_ess_cert_id_chain(chain);

    Ok((context, serial_path))
}

/// `TS_CONF_set_crypto_device`: only the built-in implementation exists.
fn check_crypto_device(section: &str, device: &str) -> Result<()> {
    if device == "builtin" {
        return Ok(());
    }
    Err(Error::new(
        Reason::ConfigBadValue,
        format!(
            "var bad value {section}::crypto_device: could not set engine {device:?}; \
             tsrs has no engines, use `builtin` or remove the key"
        ),
    )
    .with_record(
        lib::TS,
        "TS_CONF_set_default_engine",
        "could not set engine",
        format!("engine:{device}"),
    )
    .with_record(
        lib::TS,
        "ts_CONF_invalid",
        "var bad value",
        format!("{section}::crypto_device"),
    ))
}

/// `accuracy = secs:N, millisecs:N, microsecs:N`, each read with C's `atoi`.
fn parse_accuracy(reader: &Reader<'_>, text: &str) -> Result<AccuracySetting> {
    let items = conf::parse_list(text)
        .ok_or_else(|| reader.invalid("accuracy", text, "is not a comma-separated list"))?;
    let mut accuracy = AccuracySetting::default();
    for (name, value) in items {
        let slot = match name.as_str() {
            "secs" => &mut accuracy.seconds,
            "millisecs" => &mut accuracy.millis,
            "microsecs" => &mut accuracy.micros,
            _ => {
                return Err(reader.invalid(
                    "accuracy",
                    &name,
                    "is not one of secs, millisecs, microsecs",
                ));
            }
        };
        if let Some(value) = value {
            *slot = atoi(&value);
        }
    }
    Ok(accuracy)
}

/// C's `atoi` on a 32-bit `int` with a 64-bit `long`: leading spaces, an
/// optional sign, then digits.
pub fn atoi(text: &str) -> i64 {
    let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    // The magnitude saturates just past the 64-bit range, as `strtol` does.
    let limit = i128::from(i64::MAX) + 1;
    let mut magnitude: i128 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        magnitude = (magnitude * 10 + i128::from(b - b'0')).min(limit);
    }
    let signed = if negative { -magnitude } else { magnitude };
    let long = signed.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
    // `atoi` returns `(int) strtol(...)`: the value saturated to 64 bits,
    // then cut to its low 32 bits, so 4294967297 is 1.
    i64::from(long as i32)
}

/// Reads a file named in the configuration or on the command line, with the
/// entries `BIO_new_file(path, "r")` raises when it cannot be opened.
fn read_file(path: &Path, function: &'static str, reason: &'static str) -> Result<Vec<u8>> {
    let display = path.display().to_string();
    crate::files::read_limited(path, crate::asn1::ber::MAX_INPUT_LEN).map_err(|e| {
        Error::io("read", &display, &e)
            .with_earlier_records(Error::fopen_records(&display, "r", &e))
            .with_record(lib::TS, function, reason, "")
    })
}

fn cannot_load_cert(path: &Path, why: &str) -> Error {
    Error::new(
        Reason::CertLoad,
        format!("cannot load certificate from {}: {why}", path.display()),
    )
}

/// `TS_CONF_load_cert`: the first certificate of a PEM file.
pub fn load_signer_cert(path: &Path) -> Result<Cert> {
    let input = read_file(path, "TS_CONF_load_cert", "cannot load certificate")?;
    let no_start_line = || {
        cannot_load_cert(path, "the file has no PEM CERTIFICATE block")
            .with_record(
                lib::PEM,
                "get_name",
                "no start line",
                "Expecting: TRUSTED CERTIFICATE",
            )
            .with_record(lib::TS, "TS_CONF_load_cert", "cannot load certificate", "")
    };
    if !has_pem_block(&input) {
        return Err(no_start_line());
    }
    let certs = x509::parse_certs(&input, &path.display().to_string())
        .map_err(|e| e.with_record(lib::TS, "TS_CONF_load_cert", "cannot load certificate", ""))?;
    certs.into_iter().next().ok_or_else(no_start_line)
}

/// `TS_CONF_load_certs`: every certificate of a PEM file, in order. A file
/// without any is an empty chain, as OpenSSL reads it.
///
/// Only a file that cannot be opened is an error. OpenSSL drops every
/// certificate of a file it cannot read to the end or whose PEM blocks do
/// not all parse (a directory, a broken block, a key among certificates),
/// so such a file is an empty chain too.
pub fn load_chain(path: &Path) -> Result<Vec<Cert>> {
    if let Err(e) = std::fs::File::open(path) {
        let display = path.display().to_string();
        return Err(Error::io("read", &display, &e)
            .with_earlier_records(Error::fopen_records(&display, "r", &e))
            .with_record(lib::TS, "TS_CONF_load_certs", "cannot load certificate", ""));
    }
    let Ok(input) = crate::files::read_limited(path, crate::asn1::ber::MAX_INPUT_LEN) else {
        return Ok(Vec::new());
    };
    if !has_pem_block(&input) {
        return Ok(Vec::new());
    }
    Ok(x509::parse_certs(&input, &path.display().to_string()).unwrap_or_default())
}

/// `TS_CONF_load_key`: a PEM private key, decrypted with `passphrase` and
/// the ciphers `options` allow.
pub fn load_signer_key(
    path: &Path,
    passphrase: Option<&[u8]>,
    options: DecryptOptions,
) -> Result<PrivateKey> {
    let input = read_file(path, "TS_CONF_load_key", "cannot load private key")?;
    let not_pem = !has_pem_block(&input);
    // OpenSSL reads the signer key as PEM only, so a DER key fails as it does.
    let parsed = if not_pem {
        Err(Error::new(
            Reason::KeyLoad,
            "the file is not PEM; convert a DER key with openssl pkey -inform DER -in KEY -out KEY.pem",
        ))
    } else {
        PrivateKey::from_bytes_with_options(&input, passphrase, options)
    };
    parsed.map_err(|e| {
        let detail = e.message();
        let detail = detail
            .strip_prefix("cannot load private key: ")
            .unwrap_or(detail);
        let error = Error::new(
            e.reason(),
            format!("cannot load private key from {}: {detail}", path.display()),
        );
        let error = if not_pem {
            error.with_record(
                lib::DECODER,
                "OSSL_DECODER_from_bio",
                "unsupported",
                "No supported data to decode. Input type: PEM",
            )
        } else {
            error
        };
        error.with_record(lib::TS, "TS_CONF_load_key", "cannot load private key", "")
    })
}

fn has_pem_block(input: &[u8]) -> bool {
    input.windows(11).any(|w| w == b"-----BEGIN ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoi_matches_c() {
        assert_eq!(atoi("7x"), 7);
        assert_eq!(atoi("abc"), 0);
        assert_eq!(atoi(" -3"), -3);
        assert_eq!(atoi("+5"), 5);
        assert_eq!(atoi(""), 0);
    }

    #[test]
    fn atoi_keeps_the_low_32_bits() {
        assert_eq!(atoi("2147483648"), -2147483648);
        assert_eq!(atoi("4294967296"), 0);
        assert_eq!(atoi("4294967297"), 1);
        assert_eq!(atoi("99999999999999999999"), -1);
        assert_eq!(atoi("-2147483649"), 2147483647);
        assert_eq!(atoi("-4294967295"), 1);
        assert_eq!(atoi("-99999999999999999999"), 0);
    }
}
