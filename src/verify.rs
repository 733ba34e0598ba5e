//! Verifying time-stamp responses and tokens, as OpenSSL's
//! `TS_RESP_verify_response` and `TS_RESP_verify_token` do.
//!
//! A [`VerifyContext`] selects the checks ([`flags`]) and holds the values they
//! compare against: the data or its imprint, the request's policy and nonce,
//! the trust store and the untrusted certificates. The checks run in OpenSSL's order: signature
//! (signer, chain, ESS, digest, signature), version, policy, imprint, data,
//! nonce, TSA name. Two checks beyond OpenSSL's are off by default:
//! [`flags::AT_GEN_TIME`] validates the signer's path at the token's genTime,
//! and [`flags::STRICT_REQUEST`] requires the token to answer the request in
//! full. [`report`] runs the same checks and records each one's outcome.

pub mod report;

use std::io::Read;
use std::path::PathBuf;

use der::asn1::{Int, ObjectIdentifier, OctetString};
use der::{Decode, Tagged};

use crate::asn1::cms::{SignerIdentifier, SignerInfo, TimeStampToken};
use crate::asn1::ess::{SigningCertificate, SigningCertificateV2};
use crate::asn1::tsp::{FailureInfo, PkiStatus, TimeStampReq, TstInfo, bit_is_set};
use crate::asn1::{self, AlgorithmIdentifier, GeneralName, Oid};
use crate::digest::DigestAlgorithm;
use crate::error::{Error, Reason, Record, Result, lib};
use crate::oid::known;
use crate::response::Response;
use crate::x509::{self, Cert, Trust, TrustStore, VerifyOptions};

/// The checks to run: OpenSSL's `TS_VFY_*` bits.
pub mod flags {
    /// The signature, the signer's certificate path and the ESS attribute.
    pub const SIGNATURE: u32 = 1 << 0;
    /// TSTInfo version 1.
    pub const VERSION: u32 = 1 << 1;
    /// The policy.
    pub const POLICY: u32 = 1 << 2;
    /// The imprint against a given digest.
    pub const IMPRINT: u32 = 1 << 3;
    /// The imprint against given data.
    pub const DATA: u32 = 1 << 4;
    /// The nonce.
    pub const NONCE: u32 = 1 << 5;
    /// The TSA name in the token against the signer.
    pub const SIGNER: u32 = 1 << 6;
    /// The signer against an expected TSA name.
    pub const TSA_NAME: u32 = 1 << 7;
    /// Every check but DATA.
    pub const ALL_IMPRINT: u32 = SIGNATURE | VERSION | POLICY | IMPRINT | NONCE | SIGNER | TSA_NAME;
    /// Every check but IMPRINT.
    pub const ALL_DATA: u32 = SIGNATURE | VERSION | POLICY | DATA | NONCE | SIGNER | TSA_NAME;
    /// tsrs only: validate the signer's path at the token's genTime instead
    /// of the current time. It conflicts with a fixed or disabled time in
    /// [`VerifyContext::chain_options`](super::VerifyContext::chain_options).
    pub const AT_GEN_TIME: u32 = 1 << 16;
    /// tsrs only: the token must answer the request that
    /// [`VerifyContext::from_request`](super::VerifyContext::from_request)
    /// set up. The nonce, policy and imprint with its algorithm are checked
    /// whenever the request has them, and a request with certReq set needs
    /// the signer's certificate in the token.
    pub const STRICT_REQUEST: u32 = 1 << 17;
}

/// The data to hash for the DATA check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// Bytes in memory.
    Bytes(Vec<u8>),
    /// A file, read when the check runs.
    File(PathBuf),
}

/// The checks to run and the values they compare against (`TS_VERIFY_CTX`).
#[derive(Debug, Clone, Default)]
pub struct VerifyContext {
    /// The checks to run, from [`flags`].
    pub flags: u32,
    /// Trust anchors and CRLs.
    pub store: TrustStore,
    /// Extra untrusted certificates for finding the signer and building its path.
    pub untrusted: Vec<Cert>,
    /// Path validation options. The time-stamping purpose is the default,
    /// and trust anchors are checked for TSA trust whatever the purpose.
    pub chain_options: VerifyOptions,
    /// The expected policy.
    pub policy: Option<Oid>,
    /// The expected imprint algorithm; `None` compares the digest bytes only.
    pub imprint_algorithm: Option<AlgorithmIdentifier>,
    /// The expected imprint.
    pub imprint: Option<Vec<u8>>,
    /// The data whose digest must match the imprint.
    pub data: Option<Data>,
    /// The expected nonce.
    pub nonce: Option<Int>,
    /// The expected TSA.
    pub tsa_name: Option<GeneralName>,
    /// Whether the request asked for the signer's certificate (certReq),
    /// checked with [`flags::STRICT_REQUEST`].
    pub cert_req: bool,
}

/// The signer and path that a successful verification found.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The signer's certificate, when the signature was checked.
    pub signer: Option<Cert>,
    /// The validated path, signer first, when the signature was checked.
    pub chain: Vec<Cert>,
}

impl VerifyContext {
    /// The checks `TS_REQ_to_TS_VERIFY_CTX` sets up for a request: version,
    /// policy (if the request has one), imprint with its algorithm, nonce (if
    /// the request has one) and signer name. The signature flag is left for
    /// the caller, as in OpenSSL.
    pub fn from_request(req: &TimeStampReq) -> VerifyContext {
        let mut flags = flags::ALL_IMPRINT & !(flags::TSA_NAME | flags::SIGNATURE);
        if req.req_policy.is_none() {
            flags &= !flags::POLICY;
        }
        if req.nonce.is_none() {
            flags &= !flags::NONCE;
        }
        VerifyContext {
            flags,
            policy: req.req_policy.clone(),
            imprint_algorithm: Some(req.message_imprint.hash_algorithm.clone()),
            imprint: Some(req.message_imprint.hashed_message.as_bytes().to_vec()),
            nonce: req.nonce.clone(),
            cert_req: req.cert_req,
            ..VerifyContext::default()
        }
    }
}

/// Verifies a response: its status must be granted (or granted with
/// modifications), then its token is verified.
pub fn verify_response(ctx: &VerifyContext, response: &Response) -> Result<Verified> {
    check_status(response)?;
    let token = response.token.as_ref().ok_or_else(|| {
        Error::new(
            Reason::NoTimeStampToken,
            "the response has no time-stamp token",
        )
    })?;
    verify_token(ctx, token)
}

/// `ts_check_status_info`: the error names the status, its text and failure bits.
fn check_status(response: &Response) -> Result<()> {
    let status = &response.resp.status;
    let parsed = PkiStatus::from_int(&status.status);
    if parsed.is_some_and(PkiStatus::has_token) {
        return Ok(());
    }
    let code = match parsed {
        Some(PkiStatus::Rejection) => "rejection",
        Some(PkiStatus::Waiting) => "waiting",
        Some(PkiStatus::RevocationWarning) => "revocationWarning",
        Some(PkiStatus::RevocationNotification) => "revocationNotification",
        _ => "unknown code",
    };
    let text = match &status.status_string {
        Some(texts) if !texts.is_empty() => texts
            .iter()
            .map(|t| String::from_utf8_lossy(&t.0).into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        _ => "unspecified".to_owned(),
    };
    let failures: Vec<&str> = match &status.fail_info {
        Some(bits) => FailureInfo::ALL
            .iter()
            .filter(|f| bit_is_set(bits, f.bit()))
            .map(|f| f.identifier())
            .collect(),
        None => Vec::new(),
    };
    let failures = if failures.is_empty() {
        "unspecified".to_owned()
    } else {
        failures.join(",")
    };
    let data = format!("status code: {code}, status text: {text}, failure codes: {failures}");
    Err(Error::new(
        Reason::NoTimeStampToken,
        format!("the response has no time-stamp token: {data}"),
    )
    .with_record(lib::TS, "ts_check_status_info", "no time stamp token", data))
}

/// Verifies a token with the checks `ctx.flags` selects.
pub fn verify_token(ctx: &VerifyContext, token: &TimeStampToken) -> Result<Verified> {
    let tst = &token.tst_info;
    let flags = effective_flags(ctx, tst)?;
    let mut verified = Verified {
        signer: None,
        chain: Vec::new(),
    };

    if flags & flags::SIGNATURE != 0 {
        let options = chain_options(ctx, tst)?;
        let (signer, chain) = verify_signature(token, &ctx.untrusted, &ctx.store, &options)?;
        verified.signer = Some(signer);
        verified.chain = chain;
    }
    check_tst_info(ctx, flags, tst, verified.signer.as_ref())?;
    if flags & flags::STRICT_REQUEST != 0 && ctx.cert_req {
        check_cert_req(token)?;
    }
    Ok(verified)
}

/// The checks that run: `ctx.flags`, plus the signature when a TSA name is
/// to be checked (as OpenSSL adds it), plus, with
/// [`flags::STRICT_REQUEST`], every request check whose value is set.
fn effective_flags(ctx: &VerifyContext, tst: &TstInfo) -> Result<u32> {
    let mut flags = ctx.flags;
    if flags & flags::STRICT_REQUEST != 0 {
        if ctx.imprint_algorithm.is_none() || ctx.imprint.is_none() {
            return Err(Error::new(
                Reason::Missing,
                "the strict request checks need the request's imprint and algorithm; set up the context from the request",
            ));
        }
        flags |= flags::VERSION | flags::IMPRINT;
        if ctx.policy.is_some() {
            flags |= flags::POLICY;
        }
        if ctx.nonce.is_some() {
            flags |= flags::NONCE;
        }
    }
    if (flags & flags::SIGNER != 0 && tst.tsa.is_some()) || flags & flags::TSA_NAME != 0 {
        flags |= flags::SIGNATURE;
    }
    Ok(flags)
}

/// The path validation options, with the time set to genTime under
/// [`flags::AT_GEN_TIME`]. A fractional genTime is truncated to the second.
fn chain_options(ctx: &VerifyContext, tst: &TstInfo) -> Result<VerifyOptions> {
    let mut options = ctx.chain_options.clone();
    if ctx.flags & flags::AT_GEN_TIME == 0 {
        return Ok(options);
    }
    if options.time != x509::VerifyTime::Now {
        return Err(Error::new(
            Reason::InvalidArgument,
            "validation at genTime conflicts with the fixed or disabled verification time in the path validation options",
        ));
    }
    let seconds = tst.gen_time.unix_seconds().ok_or_else(|| {
        Error::new(
            Reason::Time,
            format!(
                "cannot validate the path at genTime: the token's genTime {} is not a valid time",
                String::from_utf8_lossy(tst.gen_time.as_bytes())
            ),
        )
    })?;
    options.time = x509::VerifyTime::At(seconds);
    Ok(options)
}

/// Under [`flags::STRICT_REQUEST`], a request with certReq set needs the
/// signer's certificate in the token's own certificate set (RFC 3161
/// section 2.4.1), not only among the untrusted certificates.
fn check_cert_req(token: &TimeStampToken) -> Result<()> {
    let signer_info = token.signer_info()?;
    let token_certs = token_certificates(token);
    find_signer(&signer_info.sid, &[], &token_certs).map_err(|_| {
        Error::new(
            Reason::SignerCertNotIncluded,
            "signer certificate not included: the request set certReq, but the token's certificate set lacks the signer's certificate",
        )
    })?;
    Ok(())
}

/// The X.509 certificates of the token's certificate set that decode.
fn token_certificates(token: &TimeStampToken) -> Vec<Cert> {
    token
        .signed_data
        .x509_certificates()
        .into_iter()
        .filter_map(|(_, der)| Cert::from_der(&der).ok())
        .collect()
}

/// The TSTInfo checks after the signature, in OpenSSL's order: version,
/// policy, imprint, data, nonce, TSA name in the token, expected TSA.
fn check_tst_info(
    ctx: &VerifyContext,
    flags: u32,
    tst: &TstInfo,
    signer: Option<&Cert>,
) -> Result<()> {
    if flags & flags::VERSION != 0 && tst.version.as_bytes() != [1] {
        return Err(Error::new(
            Reason::UnsupportedVersion,
            "unsupported version: the TSTInfo version is not 1",
        )
        .with_record(
            lib::TS,
            "int_ts_RESP_verify_token",
            "unsupported version",
            "",
        ));
    }
    if flags & flags::POLICY != 0 {
        check_policy(ctx.policy.as_ref(), tst)
            .map_err(|e| e.with_record(lib::TS, "ts_check_policy", "policy mismatch", ""))?;
    }
    if flags & flags::IMPRINT != 0 {
        let expected = ctx.imprint.as_deref().unwrap_or_default();
        check_imprint(ctx.imprint_algorithm.as_ref(), expected, tst).map_err(imprint_record)?;
    }
    if flags & flags::DATA != 0 {
        let data = ctx
            .data
            .as_ref()
            .ok_or_else(|| Error::new(Reason::Missing, "no data to check the imprint against"))?;
        let (algorithm, digest) = compute_imprint(data, tst)?;
        check_imprint(Some(&algorithm), &digest, tst).map_err(imprint_record)?;
    }
    if flags & flags::NONCE != 0 {
        check_nonce(ctx.nonce.as_ref(), tst).map_err(|e| {
            let reason = if e.reason() == Reason::NonceNotReturned {
                "nonce not returned"
            } else {
                "nonce mismatch"
            };
            e.with_record(lib::TS, "ts_check_nonces", reason, "")
        })?;
    }
    if flags & flags::SIGNER != 0
        && let (Some(tsa), Some(signer)) = (&tst.tsa, signer)
        && !signer_has_name(signer, tsa)
    {
        return Err(Error::new(
            Reason::TsaNameMismatch,
            "tsa name mismatch: the TSA name in the token is neither the signer's subject nor one of its alternative names",
        )
        .with_record(lib::TS, "int_ts_RESP_verify_token", "tsa name mismatch", ""));
    }
    if flags & flags::TSA_NAME != 0 {
        let expected = ctx
            .tsa_name
            .as_ref()
            .ok_or_else(|| Error::new(Reason::Missing, "no expected TSA name is set"))?;
        let signer = signer.ok_or_else(|| {
            Error::new(Reason::TsaUntrusted, "tsa untrusted: the signer is unknown")
        })?;
        if !signer_has_name(signer, expected) {
            return Err(Error::new(
                Reason::TsaUntrusted,
                "tsa untrusted: the signer is not the expected TSA",
            )
            .with_record(lib::TS, "int_ts_RESP_verify_token", "tsa untrusted", ""));
        }
    }
    Ok(())
}

fn imprint_record(error: Error) -> Error {
    error.with_record(lib::TS, "ts_check_imprints", "message imprint mismatch", "")
}

fn check_policy(expected: Option<&Oid>, tst: &TstInfo) -> Result<()> {
    if expected == Some(&tst.policy) {
        return Ok(());
    }
    let expected = expected.map_or_else(|| "none".to_owned(), ToString::to_string);
    Err(Error::new(
        Reason::PolicyMismatch,
        format!(
            "policy mismatch: expected {expected}, the token has {}",
            tst.policy
        ),
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `ts_check_imprints`: with an expected algorithm, the OIDs must be equal
/// and both parameters absent or NULL; then the digests must be equal.
fn check_imprint(
    algorithm: Option<&AlgorithmIdentifier>,
    expected: &[u8],
    tst: &TstInfo,
) -> Result<()> {
    let actual = &tst.message_imprint;
    if let Some(algorithm) = algorithm {
        if algorithm.oid != actual.hash_algorithm.oid {
            return Err(Error::new(
                Reason::ImprintMismatch,
                format!(
                    "message imprint mismatch: expected algorithm {}, the token has {}",
                    algorithm.oid, actual.hash_algorithm.oid
                ),
            ));
        }
        if !algorithm.has_null_parameters() || !actual.hash_algorithm.has_null_parameters() {
            return Err(Error::new(
                Reason::ImprintMismatch,
                "message imprint mismatch: the digest algorithm has parameters other than NULL",
            ));
        }
    }
    let found = actual.hashed_message.as_bytes();
    if found != expected {
        return Err(Error::new(
            Reason::ImprintMismatch,
            format!(
                "message imprint mismatch: expected {}, the token has {}",
                hex(expected),
                hex(found)
            ),
        ));
    }
    Ok(())
}

/// `ts_compute_imprint`: hashes the data with the token's own algorithm,
/// found by the OID's name as OpenSSL finds it.
fn compute_imprint(data: &Data, tst: &TstInfo) -> Result<(AlgorithmIdentifier, Vec<u8>)> {
    let algorithm = tst.message_imprint.hash_algorithm.clone();
    let known = algorithm.known_oid();
    let digest = known.as_ref().and_then(DigestAlgorithm::from_oid_name);
    let digest = digest.ok_or_else(|| {
        Error::new(
            Reason::UnknownDigest,
            format!(
                "cannot hash the data: the token's digest algorithm {} is not supported",
                algorithm.oid
            ),
        )
    })?;
    digest.ensure_provided()?;
    let value = match data {
        Data::Bytes(bytes) => digest.digest(bytes),
        Data::File(path) => {
            let mut file = std::fs::File::open(path)
                .map_err(|e| Error::io("open", &path.display().to_string(), &e))?;
            digest
                .digest_reader(&mut file as &mut dyn Read)
                .map_err(|e| Error::io("read", &path.display().to_string(), &e))?
        }
    };
    Ok((algorithm, value))
}

fn check_nonce(expected: Option<&Int>, tst: &TstInfo) -> Result<()> {
    let found = tst.nonce.as_ref().ok_or_else(|| {
        Error::new(
            Reason::NonceNotReturned,
            "nonce not returned: the request had a nonce and the token has none",
        )
    })?;
    if Some(found) != expected {
        return Err(Error::new(
            Reason::NonceMismatch,
            format!(
                "nonce mismatch: expected 0x{}, the token has 0x{}",
                expected.map(|n| hex(n.as_bytes())).unwrap_or_default(),
                hex(found.as_bytes())
            ),
        ));
    }
    Ok(())
}

/// `ts_check_signer_name`: the name is the signer's subject or one of its
/// alternative names.
fn signer_has_name(signer: &Cert, name: &GeneralName) -> bool {
    if let GeneralName::DirectoryName(dn) = name
        && x509::names_equal(dn, signer.subject())
    {
        return true;
    }
    signer
        .subject_alt_names()
        .iter()
        .any(|alt| general_names_equal(alt, name))
}

/// `GENERAL_NAME_cmp`: the same form and the same content.
fn general_names_equal(a: &GeneralName, b: &GeneralName) -> bool {
    match (a, b) {
        (GeneralName::DirectoryName(x), GeneralName::DirectoryName(y)) => x509::names_equal(x, y),
        _ => a == b,
    }
}

/// `TS_RESP_verify_signature`: finds the signer, validates its path, checks
/// the ESS attribute against that path, then the message digest and the
/// signature. Returns the signer and its path.
pub fn verify_signature(
    token: &TimeStampToken,
    untrusted: &[Cert],
    store: &TrustStore,
    options: &VerifyOptions,
) -> Result<(Cert, Vec<Cert>)> {
    let signer_info = token.signer_info().map_err(|e| {
        e.with_record(
            lib::TS,
            "TS_RESP_verify_signature",
            "there must be one signer",
            "",
        )
    })?;
    signer_info.check_version()?;
    token.signed_data.check_certificate_set()?;
    let token_certs: Vec<Cert> = token
        .signed_data
        .x509_certificates()
        .into_iter()
        .filter_map(|(_, der)| Cert::from_der(token.certificate_as_sent(&der)).ok())
        .collect();
    let signer = find_signer(&signer_info.sid, untrusted, &token_certs)?;

    let mut pool: Vec<Cert> = untrusted.to_vec();
    pool.extend(token_certs);
    let mut options = options.clone();
    options.trust.get_or_insert(Trust::Tsa);
    let chain = x509::verify_chain(&signer, &pool, store, &options).map_err(|e| {
        Error::new(
            Reason::CertificateVerify,
            format!("certificate verify error: {e}{}", chain_hint(&e)),
        )
        .with_record(
            lib::TS,
            "ts_verify_cert",
            "certificate verify error",
            format!("Verify error:{}", e.text()),
        )
    })?;

    check_signing_certs(signer_info, &chain)?;
    check_signature(token, signer_info, &signer)?;
    Ok((signer, chain))
}

/// What to try next for the common path failures.
fn chain_hint(error: &x509::ChainError) -> &'static str {
    use x509::VerifyCode;
    match error.code() {
        VerifyCode::UnableToGetIssuerCertLocally if error.depth() == 0 => {
            "; give the TSA's issuing CA certificates with -untrusted, or its root with -CAfile"
        }
        VerifyCode::SelfSignedCertInChain
        | VerifyCode::UnableToGetIssuerCertLocally
        | VerifyCode::DepthZeroSelfSignedCert
        | VerifyCode::UnableToGetIssuerCert => {
            "; give the TSA's root certificate with -CAfile, -CApath or -CAstore"
        }
        VerifyCode::CertHasExpired | VerifyCode::CertNotYetValid => {
            "; to check the path at the time of the stamp, pass its time with -attime"
        }
        _ => "",
    }
}

/// `PKCS7_get0_signers`: the untrusted certificates first, then the token's.
fn find_signer(sid: &SignerIdentifier, untrusted: &[Cert], token_certs: &[Cert]) -> Result<Cert> {
    let matches = |cert: &&Cert| match sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            cert.serial_bytes() == ias.serial_number.as_bytes()
                && ias
                    .issuer
                    .to_name()
                    .is_some_and(|issuer| x509::names_equal(cert.issuer(), &issuer))
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            cert.subject_key_id() == Some(ski.as_bytes())
        }
    };
    untrusted
        .iter()
        .chain(token_certs)
        .find(matches)
        .cloned()
        .ok_or_else(|| {
            Error::new(
                Reason::SignerNotFound,
                "signer certificate not found: it is neither in the token nor in the untrusted certificates; pass it with -untrusted",
            )
            .with_record(lib::PKCS7, "PKCS7_get0_signers", "signer certificate not found", "")
        })
}

/// An ESS failure with the entry OpenSSL's `function` raises for `reason`.
fn ess_error(function: &'static str, reason: &'static str, detail: &str) -> Error {
    Error::new(Reason::EssSigningCertificate, format!("{reason}: {detail}")).with_record(
        lib::ESS,
        function,
        reason,
        "",
    )
}

/// `OSSL_ESS_check_signing_certs` with a required attribute: every ESSCertID
/// must match a certificate of the validated path, the first one the signer.
fn check_signing_certs(signer_info: &SignerInfo, chain: &[Cert]) -> Result<()> {
    let v1 = ess_attribute::<SigningCertificate>(signer_info, &known::SIGNING_CERTIFICATE)?;
    let v2 = ess_attribute::<SigningCertificateV2>(signer_info, &known::SIGNING_CERTIFICATE_V2)?;
    if v1.is_none() && v2.is_none() {
        return Err(ess_error(
            "OSSL_ESS_check_signing_certs",
            "missing signing certificate attribute",
            "the token has neither a signingCertificate nor a signingCertificateV2 attribute",
        ));
    }
    if v1.as_ref().is_some_and(|s| s.certs.is_empty())
        || v2.as_ref().is_some_and(|s| s.certs.is_empty())
    {
        return Err(ess_error(
            "OSSL_ESS_check_signing_certs",
            "empty ess cert id list",
            "a signing certificate attribute lists no certificate",
        ));
    }
    if let Some(v1) = &v1 {
        for (index, id) in v1.certs.iter().enumerate() {
            let issuer_serial = id.issuer_serial.as_ref();
            find_cert_id(
                index,
                DigestAlgorithm::Sha1,
                id.cert_hash.as_bytes(),
                issuer_serial,
                chain,
            )?;
        }
    }
    if let Some(v2) = &v2 {
        for (index, id) in v2.certs.iter().enumerate() {
            let oid = id.hash_algorithm_oid();
            // The digests OpenSSL finds but cannot compute fail here too.
            let digest = DigestAlgorithm::from_oid_name(&oid)
                .filter(|digest| digest.is_provided())
                .ok_or_else(|| ess_digest_unknown(&oid))?;
            find_cert_id(
                index,
                digest,
                id.cert_hash.as_bytes(),
                id.issuer_serial.as_ref(),
                chain,
            )?;
        }
    }
    Ok(())
}

/// `ess digest alg unknown`, after the entry that `EVP_MD_fetch` leaves in
/// the queue when it looks up an OID with no name (OpenSSL's name number 0).
fn ess_digest_unknown(oid: &ObjectIdentifier) -> Error {
    let error = ess_error("find", "ess digest alg unknown", &oid.to_string());
    let text = crate::oid::Objects::new().text(oid);
    if text != oid.to_string() {
        // TODO: a named OID that is no digest gets the name's number in
        // OpenSSL's name map, which tsrs does not have.
        return error;
    }
    let fetch = Record::new(
        lib::EVP,
        "inner_evp_generic_fetch",
        "unsupported",
        format!("Global default library context, Algorithm ({text} : 0), Properties (<null>)"),
    );
    error.with_earlier_records([fetch])
}

/// Decodes an ESS attribute; a value that is not a SEQUENCE is ignored, as
/// OpenSSL 3.0.20 ignores it.
fn ess_attribute<T: for<'a> Decode<'a, Error = der::Error>>(
    signer_info: &SignerInfo,
    oid: &ObjectIdentifier,
) -> Result<Option<T>> {
    let Some(value) = signer_info.signed_attr(oid) else {
        return Ok(None);
    };
    if value.tag() != der::Tag::Sequence {
        return Ok(None);
    }
    let der = asn1::encode("ESS attribute", value)?;
    T::from_der(&der).map(Some).map_err(|e| {
        ess_error(
            "ossl_ess_signing_cert_get",
            "ess signing certificate error",
            &format!("cannot decode the attribute: {e}"),
        )
    })
}

/// `find` in OpenSSL's ess_lib.c: the certificate whose digest matches must be
/// the signer exactly when `index` is 0.
fn find_cert_id(
    index: usize,
    digest: DigestAlgorithm,
    hash: &[u8],
    issuer_serial: Option<&crate::asn1::ess::IssuerSerial>,
    chain: &[Cert],
) -> Result<()> {
    if hash.len() != digest.output_len() && !chain.is_empty() {
        return Err(ess_error(
            "find",
            "ess cert digest error",
            &format!(
                "a {digest} certificate hash is {} bytes, not {}",
                hash.len(),
                digest.output_len()
            ),
        ));
    }
    for (position, cert) in chain.iter().enumerate() {
        if digest.digest(cert.encoded()) != hash {
            continue;
        }
        let serial_matches = issuer_serial.is_none_or(|is| issuer_serial_matches(is, cert));
        if !serial_matches {
            continue;
        }
        if (position == 0) == (index == 0) {
            return Ok(());
        }
        return Err(ess_error(
            "find",
            "ess cert id wrong order",
            &format!("certificate id {index} names certificate {position} of the path"),
        ));
    }
    Err(ess_error(
        "find",
        "ess cert id not found",
        &format!("certificate id {index} matches no certificate of the validated path"),
    ))
}

/// `ossl_ess_issuer_serial_cmp`: one directoryName equal to the issuer, and the serial.
fn issuer_serial_matches(is: &crate::asn1::ess::IssuerSerial, cert: &Cert) -> bool {
    match is.issuer.as_slice() {
        [GeneralName::DirectoryName(name)] => {
            x509::names_equal(name, cert.issuer())
                && is.serial_number.as_bytes() == cert.serial_bytes()
        }
        _ => false,
    }
}

/// `PKCS7_signatureVerify`: the messageDigest attribute against the content,
/// then the signature over the signed attributes as encoded in the token.
fn check_signature(token: &TimeStampToken, signer_info: &SignerInfo, signer: &Cert) -> Result<()> {
    let digest_oid = &signer_info.digest_algorithm.oid;
    let known = signer_info.digest_algorithm.known_oid();
    let digest = known.as_ref().and_then(DigestAlgorithm::from_oid);
    let digest = digest.ok_or_else(|| {
        Error::new(
            Reason::UnsupportedAlgorithm,
            format!(
                "signature failure: the signer's digest algorithm {digest_oid} is not supported"
            ),
        )
    })?;
    // PKCS7_signatureVerify finds the digest among the digestAlgorithms set.
    let listed = token
        .signed_data
        .digest_algorithms
        .as_slice()
        .iter()
        .any(|alg| alg.oid == *digest_oid);
    if !listed {
        return Err(Error::new(
            Reason::SignatureFailure,
            format!(
                "signature failure: the signer's digest algorithm {} is not in the token's digestAlgorithms set",
                digest.name()
            ),
        )
        .with_record(lib::PKCS7, "PKCS7_signatureVerify", "unable to find message digest", "")
        .with_record(lib::TS, "TS_RESP_verify_signature", "signature failure", ""));
    }
    let message = match &signer_info.signed_attrs {
        Some(attrs) => {
            let value = signer_info
                .signed_attr(&known::MESSAGE_DIGEST)
                .ok_or_else(|| {
                    Error::new(
                        Reason::SignatureFailure,
                        "signature failure: no messageDigest attribute",
                    )
                })?;
            let claimed =
                OctetString::from_der(&asn1::encode("messageDigest", value)?).map_err(|e| {
                    Error::new(
                        Reason::SignatureFailure,
                        format!("signature failure: bad messageDigest attribute: {e}"),
                    )
                })?;
            if claimed.as_bytes() != digest.digest(&token.tst_info_der) {
                return Err(Error::new(
                    Reason::SignatureFailure,
                    "signature failure: the messageDigest attribute does not match the TSTInfo",
                )
                .with_record(lib::PKCS7, "PKCS7_signatureVerify", "digest failure", "")
                .with_record(
                    lib::TS,
                    "TS_RESP_verify_signature",
                    "signature failure",
                    "",
                ));
            }
            token.signed_attrs_as_sent(attrs)?
        }
        None => token.tst_info_der.clone(),
    };
    // An OID that does not fit ObjectIdentifier is no algorithm that tsrs supports.
    let algorithm = &signer_info.signature_algorithm;
    let verified = match algorithm.to_spki() {
        Some(algorithm) => x509::verify_signature(
            signer.public_key_info(),
            &algorithm,
            Some(digest),
            &message,
            signer_info.signature.as_bytes(),
        ),
        None => Err(Error::new(
            Reason::UnsupportedAlgorithm,
            format!("unsupported signature algorithm {}", algorithm.oid),
        )),
    };
    verified.map_err(|e| {
        Error::new(
            Reason::SignatureFailure,
            format!("signature failure: {}", e.message()),
        )
        .with_record(lib::PKCS7, "PKCS7_signatureVerify", "signature failure", "")
        .with_record(lib::TS, "TS_RESP_verify_signature", "signature failure", "")
    })
}
