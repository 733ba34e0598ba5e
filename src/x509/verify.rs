//! Certificate path validation with the semantics of OpenSSL 3.0's
//! `X509_verify_cert` (crypto/x509/x509_vfy.c) as `openssl ts -verify` runs it:
//! the verify callback keeps OpenSSL's verdict, so the first error ends the
//! verification and is the one reported.
//!
//! The steps run in OpenSSL's order: check the leaf key's security level,
//! build the chain, check extensions and purposes, the security level of the
//! other keys and of the signatures, the leaf's host name, email and IP
//! address, revocation, Suite B, signatures and validity periods, name
//! constraints, and last (when asked) certificate policies. Each step
//! reports the `X509_V_ERR_*` code, the depth and the certificate OpenSSL
//! would report.

use core::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use x509_cert::name::Name;

use super::cert::check_akid;
use super::codes::VerifyCode;
use super::options::{VerifyOptions, VerifyTime};
use super::purpose::{Purpose, PurposeCheck, Trust, TrustCheck, x509_check_ca};
use super::signature::{KeyAlgorithm, key_matches_signature};
use super::store::{CertRef, StoreView, TrustStore};
use super::suite_b;
use super::{Cert, crl_check, identity, name_constraints, policy, security_level};
use crate::error::{Error, Reason};

/// Most untrusted certificates one verification accepts.
pub const MAX_UNTRUSTED: usize = 10_000;

/// Largest verification depth honoured. OpenSSL accepts up to `INT_MAX / 2`,
/// which lets a loop of trusted certificates run for a very long time.
pub const MAX_DEPTH: usize = 1000;

/// A failed verification: OpenSSL's error code, the depth of the certificate
/// it concerns (0 for the leaf) and that certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainError {
    code: VerifyCode,
    depth: usize,
    certificate: Option<Box<Cert>>,
    detail: Option<String>,
}

impl ChainError {
    pub(crate) fn new(code: VerifyCode, depth: usize, certificate: Option<&Cert>) -> ChainError {
        ChainError {
            code,
            depth,
            certificate: certificate.map(|cert| Box::new(cert.clone())),
            detail: None,
        }
    }

    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> ChainError {
        self.detail = Some(detail.into());
        self
    }

    /// The `X509_V_ERR_*` code.
    pub fn code(&self) -> VerifyCode {
        self.code
    }

    /// OpenSSL's text for the code, such as "certificate has expired".
    pub fn text(&self) -> &'static str {
        self.code.text()
    }

    /// The depth of the certificate concerned: 0 for the leaf.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The certificate concerned, when there is one.
    pub fn certificate(&self) -> Option<&Cert> {
        self.certificate.as_deref()
    }

    /// The subject of the certificate concerned.
    pub fn subject(&self) -> Option<&Name> {
        self.certificate().map(Cert::subject)
    }

    /// Why tsrs stopped, for errors that come from its own limits rather than
    /// from OpenSSL's rules.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// The message `openssl ts -verify` gives: `Verify error:` and the text.
    pub fn message(&self) -> String {
        format!("Verify error:{}", self.text())
    }
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Verify error:{} at depth {}", self.text(), self.depth)?;
        if let Some(subject) = self.subject() {
            write!(f, " ({})", super::name_oneline(subject))?;
        }
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ChainError {}

impl From<ChainError> for Error {
    fn from(error: ChainError) -> Error {
        Error::new(Reason::CertificateVerify, error.message())
    }
}

type Verdict = Result<(), ChainError>;

/// Builds and verifies the chain from `leaf` to a trust anchor of `store`,
/// with `untrusted` as candidate intermediates, and returns it leaf first,
/// anchor last.
///
/// This is `X509_verify_cert` with the time-stamping purpose by default (see
/// [`VerifyOptions`]); the error carries OpenSSL's code, depth and certificate.
pub fn verify_chain(
    leaf: &Cert,
    untrusted: &[Cert],
    store: &TrustStore,
    options: &VerifyOptions,
) -> Result<Vec<Cert>, ChainError> {
    if untrusted.len() > MAX_UNTRUSTED {
        return Err(
            ChainError::new(VerifyCode::Unspecified, 0, Some(leaf)).with_detail(format!(
                "{} untrusted certificates given, more than the {MAX_UNTRUSTED} accepted",
                untrusted.len()
            )),
        );
    }
    let mut context = Context::new(leaf, untrusted, store, options);
    context.verify()?;
    Ok(context.chain.iter().map(|cert| (**cert).clone()).collect())
}

/// Search flags of `build_chain`: extend with untrusted certificates, look
/// in the trust store, retry a shorter chain.
const SEARCH_UNTRUSTED: u8 = 1;
const SEARCH_TRUSTED: u8 = 2;
const SEARCH_ALTERNATE: u8 = 4;

/// The state of `build_chain`'s search.
struct Search<'a> {
    flags: u8,
    /// Whether a failed search may retry with fewer untrusted certificates.
    may_alternate: bool,
    /// How many untrusted certificates the retried chain keeps.
    alt_untrusted: usize,
    trust: TrustCheck,
    /// Untrusted certificates not yet in the chain.
    candidates: Vec<&'a Cert>,
    /// The length of the longest chain built: the maximum depth plus one.
    max_depth: usize,
}

/// The next action of `build_chain` after a trusted step.
enum Step {
    /// Start the next round.
    Restart,
    /// End the search.
    Stop,
    /// Go on to the untrusted step of this round.
    Proceed,
}

pub(crate) struct Context<'a> {
    pub(crate) options: &'a VerifyOptions,
    pub(crate) store: StoreView<'a>,
    pub(crate) untrusted: &'a [Cert],
    pub(crate) chain: Vec<CertRef<'a>>,
    pub(crate) num_untrusted: usize,
    /// The reference time, or `None` when times are not checked.
    pub(crate) now: Option<i64>,
    purpose: Option<Purpose>,
    trust: Trust,
}

impl<'a> Context<'a> {
    fn new(
        leaf: &'a Cert,
        untrusted: &'a [Cert],
        store: &'a TrustStore,
        options: &'a VerifyOptions,
    ) -> Context<'a> {
        let now = match options.time {
            VerifyTime::Now => Some(
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
            ),
            VerifyTime::At(time) => Some(time),
            VerifyTime::NoCheck => None,
        };
        let trust = options.trust.unwrap_or_else(|| {
            options
                .purpose
                .map_or(Trust::Default, Purpose::default_trust)
        });
        Context {
            options,
            store: StoreView::new(store),
            untrusted,
            chain: vec![CertRef::Borrowed(leaf)],
            num_untrusted: 1,
            now,
            purpose: options.purpose,
            trust,
        }
    }

    /// `X509_verify_cert` and `verify_chain`: the steps in OpenSSL's order.
    fn verify(&mut self) -> Verdict {
        if let Some(level) = self.options.auth_level
            && !security_level::key_meets_level(&self.chain[0], level)
        {
            return Err(self.fail(VerifyCode::EeKeyTooSmall, 0));
        }
        self.build_chain()?;
        self.check_extensions()?;
        self.check_auth_level()?;
        identity::check_identity(self)?;
        crl_check::check_revocation(self)?;
        self.check_suite_b()?;
        self.check_signatures_and_times()?;
        name_constraints::check_name_constraints(self)?;
        // TODO: OpenSSL then validates RFC 3779 IP address and AS number
        // extensions along the path; tsrs does not check them.
        if self.options.policy_processing() {
            policy::check_policy(self)?;
        }
        Ok(())
    }

    /// `check_auth_level`: the keys of the issuers and the signatures of
    /// every certificate below the anchor must meet the security level.
    fn check_auth_level(&self) -> Verdict {
        let Some(level) = self.options.auth_level else {
            return Ok(());
        };
        let num = self.chain.len();
        for index in 0..num {
            let cert = &self.chain[index];
            if index > 0 && !security_level::key_meets_level(cert, level) {
                return Err(self.fail(VerifyCode::CaKeyTooSmall, index));
            }
            if index + 1 < num && !security_level::signature_meets_level(cert, level) {
                return Err(self.fail(VerifyCode::CaMdTooWeak, index));
            }
        }
        Ok(())
    }

    /// `X509_chain_check_suiteb` on the built chain.
    fn check_suite_b(&self) -> Verdict {
        let chain: Vec<&Cert> = self.chain.iter().map(|cert| &**cert).collect();
        suite_b::check_chain(&chain, self.options.suite_b)
            .map_err(|(code, depth)| self.fail(code, depth))
    }

    pub(crate) fn fail(&self, code: VerifyCode, depth: usize) -> ChainError {
        ChainError::new(code, depth, self.chain.get(depth).map(|cert| &**cert))
    }

    fn max_depth(&self) -> usize {
        self.options.max_depth.min(MAX_DEPTH) + 1
    }

    /// `build_chain`: extends the chain from the leaf through untrusted and
    /// trusted issuers until a trust anchor is reached or no issuer is left.
    fn build_chain(&mut self) -> Verdict {
        let mut search = Search {
            flags: SEARCH_UNTRUSTED,
            may_alternate: false,
            alt_untrusted: 0,
            trust: TrustCheck::Untrusted,
            candidates: self.untrusted.iter().collect(),
            max_depth: self.max_depth(),
        };
        if self.options.trusted_first {
            search.flags |= SEARCH_TRUSTED;
        } else if !self.options.no_alt_chains {
            search.may_alternate = true;
        }

        while search.flags != 0 {
            if search.flags & SEARCH_TRUSTED != 0 {
                match self.search_trusted(&mut search)? {
                    Step::Restart => continue,
                    Step::Stop => break,
                    Step::Proceed => {}
                }
            }
            if search.flags & SEARCH_UNTRUSTED != 0 {
                self.search_untrusted(&mut search);
            }
        }
        self.chain_verdict(search.trust, search.max_depth)
    }

    /// Runs one trusted step of `build_chain`: looks in the store for an issuer of
    /// the top certificate (or, when retrying a shorter chain, of a lower one)
    /// and decides whether the chain is now trusted.
    fn search_trusted(&mut self, search: &mut Search<'a>) -> Result<Step, ChainError> {
        let mut num = self.chain.len();
        let error_depth = num - 1;
        let index = if search.flags & SEARCH_ALTERNATE != 0 {
            search.alt_untrusted
        } else {
            num
        };
        let current = self.chain[index - 1].clone();
        let found = if num > search.max_depth {
            None
        } else {
            self.trusted_issuer(&current)
        };

        if let Some(issuer) = found {
            let mut self_signed = self.self_signed_or_fail(&current, error_depth)?;
            let mut accepted = true;
            if search.flags & SEARCH_ALTERNATE != 0 {
                search.flags &= !SEARCH_ALTERNATE;
                self.chain.truncate(index);
                num = index;
                self.num_untrusted = num;
            }
            if !self_signed {
                self_signed = self.self_signed_or_fail(&issuer, error_depth)?;
                self.chain.push(issuer);
            } else if current.der() != issuer.der() {
                // A self-signed untrusted certificate that only mimics an anchor.
                accepted = false;
            } else {
                num -= 1;
                self.num_untrusted = num;
                self.chain[num] = issuer;
            }
            if accepted {
                search.flags &= !SEARCH_UNTRUSTED;
                search.trust = self.check_trust(num)?;
                if search.trust != TrustCheck::Untrusted {
                    return Ok(Step::Stop);
                }
                if !self_signed {
                    return Ok(Step::Restart);
                }
            }
        }

        if search.flags & SEARCH_UNTRUSTED == 0 {
            if search.flags & SEARCH_ALTERNATE != 0 {
                search.alt_untrusted -= 1;
                if search.alt_untrusted > 0 {
                    return Ok(Step::Restart);
                }
            }
            let retry_possible = search.may_alternate
                && search.flags & SEARCH_ALTERNATE == 0
                && self.num_untrusted >= 2;
            if !retry_possible {
                return Ok(Step::Stop);
            }
            search.flags |= SEARCH_ALTERNATE;
            search.alt_untrusted = self.num_untrusted - 1;
        }
        Ok(Step::Proceed)
    }

    /// Runs one untrusted step of `build_chain`: extends the chain with an untrusted
    /// issuer of the top certificate, or switches to the trust store.
    fn search_untrusted(&mut self, search: &mut Search<'a>) {
        let num = self.chain.len();
        let current = self.chain[num - 1].clone();
        let issuer = if self.self_signed_quiet(&current) || num > search.max_depth {
            None
        } else {
            self.find_untrusted_issuer(&search.candidates, &current)
        };
        match issuer {
            None => {
                search.flags &= !SEARCH_UNTRUSTED;
                search.flags |= SEARCH_TRUSTED;
            }
            Some(position) => {
                let issuer = search.candidates.remove(position);
                self.chain.push(CertRef::Borrowed(issuer));
                self.num_untrusted += 1;
            }
        }
    }

    /// Ends `build_chain` with a last trust check, then the error that explains
    /// why the chain is not trusted.
    fn chain_verdict(&mut self, mut trust: TrustCheck, max_depth: usize) -> Verdict {
        let num = self.chain.len();
        if num <= max_depth && trust == TrustCheck::Untrusted && num == self.num_untrusted {
            trust = self.check_trust(num)?;
        }
        match trust {
            TrustCheck::Trusted => Ok(()),
            // check_trust reports a rejection itself.
            TrustCheck::Rejected => Err(self.fail(VerifyCode::CertRejected, 0)),
            TrustCheck::Untrusted => {
                let top = num - 1;
                let code = if num > max_depth {
                    VerifyCode::CertChainTooLong
                } else if self.self_signed_quiet(&self.chain[top]) {
                    if num == 1 {
                        VerifyCode::DepthZeroSelfSignedCert
                    } else {
                        VerifyCode::SelfSignedCertInChain
                    }
                } else if self.num_untrusted < num {
                    VerifyCode::UnableToGetIssuerCert
                } else {
                    VerifyCode::UnableToGetIssuerCertLocally
                };
                Err(self.fail(code, top))
            }
        }
    }

    /// `X509_self_signed(cert, 0)`, where a certificate OpenSSL cannot process
    /// (invalid extensions, undecodable key) is an internal error.
    fn self_signed_or_fail(&self, cert: &Cert, depth: usize) -> Result<bool, ChainError> {
        if cert.invalid_extensions().is_some() || !cert.key_info().decodable {
            return Err(ChainError::new(VerifyCode::Unspecified, depth, None)
                .with_detail("a certificate has invalid extensions or an undecodable public key"));
        }
        Ok(cert.is_self_signed())
    }

    /// `X509_self_signed(cert, 0) > 0`.
    fn self_signed_quiet(&self, cert: &Cert) -> bool {
        cert.invalid_extensions().is_none() && cert.key_info().decodable && cert.is_self_signed()
    }

    /// `X509_STORE_CTX_get1_issuer`: the first store certificate that likely
    /// issued `cert` and is currently valid, else the one of them that expired last.
    fn trusted_issuer(&mut self, cert: &Cert) -> Option<CertRef<'a>> {
        let first = self.store.by_subject(cert.issuer())?;
        if likely_issued(&first, cert).is_ok() && self.time_valid(&first) {
            return Some(first);
        }
        let mut best: Option<CertRef<'a>> = None;
        for candidate in self.store.cached_certs(cert.issuer_canonical()) {
            if likely_issued(&candidate, cert).is_err() {
                continue;
            }
            if self.time_valid(&candidate) {
                return Some(candidate);
            }
            if best
                .as_ref()
                .is_none_or(|best| candidate.not_after() > best.not_after())
            {
                best = Some(candidate);
            }
        }
        best
    }

    /// `find_issuer` over the untrusted candidates: an issuer not yet in the
    /// chain (unless `cert` is a self-issued leaf), preferring the first valid
    /// one, else the one that expired last.
    fn find_untrusted_issuer(&self, candidates: &[&'a Cert], cert: &Cert) -> Option<usize> {
        let self_issued_leaf = cert.is_self_issued() && self.chain.len() == 1;
        let mut best: Option<usize> = None;
        for (position, candidate) in candidates.iter().enumerate() {
            if likely_issued(candidate, cert).is_err() {
                continue;
            }
            if !self_issued_leaf
                && self
                    .chain
                    .iter()
                    .any(|known| known.der() == candidate.der())
            {
                continue;
            }
            if self.time_valid(candidate) {
                return Some(position);
            }
            if best.is_none_or(|best| candidate.not_after() > candidates[best].not_after()) {
                best = Some(position);
            }
        }
        best
    }

    /// Checks whether `cert` is within its validity period at the verification time.
    pub(crate) fn time_valid(&self, cert: &Cert) -> bool {
        match self.now {
            None => true,
            Some(now) => cert.not_before() <= now && now < cert.not_after(),
        }
    }

    /// `check_trust`: whether the certificates from `first_new` up make the chain trusted.
    fn check_trust(&mut self, first_new: usize) -> Result<TrustCheck, ChainError> {
        let num = self.chain.len();
        for index in first_new..num {
            match self.trust.check(&self.chain[index], false) {
                TrustCheck::Trusted => return Ok(TrustCheck::Trusted),
                TrustCheck::Rejected => return Err(self.fail(VerifyCode::CertRejected, index)),
                TrustCheck::Untrusted => {}
            }
        }
        if first_new < num {
            return Ok(if self.options.partial_chain {
                TrustCheck::Trusted
            } else {
                TrustCheck::Untrusted
            });
        }
        if first_new == num && self.options.partial_chain {
            // A partial chain may end at a trusted copy of the leaf itself.
            let leaf = self.chain[0].clone();
            let Some(copy) = self
                .store
                .all_by_subject(leaf.subject())
                .into_iter()
                .find(|candidate| candidate.der() == leaf.der())
            else {
                return Ok(TrustCheck::Untrusted);
            };
            if self.trust.check(&copy, false) == TrustCheck::Rejected {
                return Err(self.fail(VerifyCode::CertRejected, 0));
            }
            self.chain[0] = copy;
            self.num_untrusted = 0;
            return Ok(TrustCheck::Trusted);
        }
        Ok(TrustCheck::Untrusted)
    }

    /// `check_extensions`: critical extensions, CA flags, the strict RFC 5280
    /// checks, the purpose and path length of every certificate.
    fn check_extensions(&mut self) -> Verdict {
        let num = self.chain.len();
        let strict = self.options.x509_strict;
        let mut must_be_ca: i8 = -1;
        let mut path_len = 0u64;
        let mut proxy_path_len = 0i64;

        for index in 0..num {
            let cert = self.chain[index].clone();
            if !self.options.ignore_critical && !cert.unhandled_critical_extensions().is_empty() {
                return Err(self.fail(VerifyCode::UnhandledCriticalExtension, index));
            }
            let proxy = cert.extensions().proxy;
            if proxy && !self.options.allow_proxy_certs {
                return Err(self.fail(VerifyCode::ProxyCertificatesNotAllowed, index));
            }
            let ca = x509_check_ca(&cert);
            let ca_invalid = match must_be_ca {
                -1 => strict && ca != 1 && ca != 0,
                0 => ca != 0,
                _ => ca == 0 || ((index + 1 < num || strict) && ca != 1),
            };
            if ca_invalid {
                let code = if must_be_ca == 0 {
                    VerifyCode::InvalidNonCa
                } else {
                    VerifyCode::InvalidCa
                };
                return Err(self.fail(code, index));
            }
            if num > 1 {
                let key = cert.key_info();
                if !key.decodable {
                    return Err(self.fail(VerifyCode::Unspecified, index));
                }
                if key.algorithm == KeyAlgorithm::Ec && key.explicit_ec_params {
                    return Err(self.fail(VerifyCode::EcKeyExplicitParams, index));
                }
            }
            if strict
                && num > 1
                && let Some(code) = strict_problem(&cert, index, num)
            {
                return Err(self.fail(code, index));
            }
            if let Some(purpose) = self.purpose {
                self.check_purpose(&cert, purpose, index, must_be_ca)?;
            }
            let limit = cert.basic_constraints().and_then(|bc| bc.path_len);
            let exceeds =
                |limit: u64| i128::from(path_len) > i128::from(limit) + i128::from(proxy_path_len);
            if index > 1 && limit.is_some_and(exceeds) {
                return Err(self.fail(VerifyCode::PathLengthExceeded, index));
            }
            if index > 0 && !cert.is_self_issued() {
                path_len += 1;
            }
            // Above a proxy certificate comes another proxy or the end
            // entity it was issued by, which must not be a CA.
            if proxy {
                if let Some(limit) = cert.extensions().proxy_path_len {
                    if proxy_path_len > limit {
                        return Err(self.fail(VerifyCode::ProxyPathLengthExceeded, index));
                    }
                    proxy_path_len = limit;
                }
                proxy_path_len = proxy_path_len.saturating_add(1);
                must_be_ca = 0;
            } else {
                must_be_ca = 1;
            }
        }
        Ok(())
    }

    /// `check_purpose`: trust settings of trusted certificates may stand in for
    /// the purpose check; otherwise `X509_check_purpose` decides.
    fn check_purpose(
        &self,
        cert: &Cert,
        purpose: Purpose,
        depth: usize,
        must_be_ca: i8,
    ) -> Verdict {
        let trust = if depth >= self.num_untrusted {
            self.trust.check(cert, true)
        } else {
            TrustCheck::Untrusted
        };
        let suitable = match trust {
            TrustCheck::Trusted => true,
            TrustCheck::Rejected => false,
            TrustCheck::Untrusted => match purpose.check(cert, must_be_ca > 0) {
                PurposeCheck::Ok => true,
                PurposeCheck::Unsuitable => false,
                PurposeCheck::Invalid => !self.options.x509_strict,
            },
        };
        if suitable {
            Ok(())
        } else {
            Err(self.fail(VerifyCode::InvalidPurpose, depth))
        }
    }

    /// `internal_verify`: each certificate's signature with its issuer's key
    /// (keyCertSign permitting), and each validity period, from the anchor down.
    fn check_signatures_and_times(&self) -> Verdict {
        let mut subject = self.chain.len() - 1;
        let mut issuer = subject;
        let top = &self.chain[subject];
        if likely_issued(top, top).is_err() && !self.options.partial_chain {
            if subject == 0 {
                return Err(self.fail(VerifyCode::UnableToVerifyLeafSignature, 0));
            }
            subject -= 1;
        }

        loop {
            let subject_cert = &self.chain[subject];
            let issuer_cert = &self.chain[issuer];
            let same = subject == issuer;
            if !same || (self.options.check_self_signed_signature && issuer_cert.is_self_signed()) {
                let issuer_depth = issuer;
                let is_ca = issuer_cert.basic_constraints().is_some_and(|bc| bc.ca);
                // A self-issued end-entity anchor may sign itself without keyCertSign.
                if (!same || is_ca)
                    && let Some(code) = signing_allowed(issuer_cert, subject_cert)
                {
                    return Err(self.fail(code, issuer_depth));
                }
                if !issuer_cert.key_info().decodable {
                    return Err(self.fail(VerifyCode::UnableToDecodeIssuerPublicKey, issuer_depth));
                }
                if subject_cert
                    .verify_signature_with(issuer_cert.public_key_info())
                    .is_err()
                {
                    return Err(self.fail(VerifyCode::CertSignatureFailure, subject));
                }
            }
            self.check_cert_time(subject)?;
            if subject == 0 {
                return Ok(());
            }
            issuer = subject;
            subject -= 1;
        }
    }

    /// `ossl_x509_check_cert_time` for the certificate at `depth`.
    fn check_cert_time(&self, depth: usize) -> Verdict {
        let Some(now) = self.now else {
            return Ok(());
        };
        let cert = &self.chain[depth];
        if cert.not_before() > now {
            return Err(self.fail(VerifyCode::CertNotYetValid, depth));
        }
        if cert.not_after() <= now {
            return Err(self.fail(VerifyCode::CertHasExpired, depth));
        }
        Ok(())
    }
}

/// `ossl_x509_likely_issued`: names match, both certificates' extensions are
/// valid, the authority key identifier fits, and the signature algorithm fits
/// the issuer's key type.
pub(crate) fn likely_issued(issuer: &Cert, subject: &Cert) -> Result<(), VerifyCode> {
    if issuer.subject_canonical() != subject.issuer_canonical() {
        return Err(VerifyCode::SubjectIssuerMismatch);
    }
    if issuer.invalid_extensions().is_some() || subject.invalid_extensions().is_some() {
        return Err(VerifyCode::Unspecified);
    }
    check_akid(issuer, subject.authority_key_id())?;
    let key = issuer.key_info();
    if !key.decodable {
        return Err(VerifyCode::NoIssuerPublicKey);
    }
    match key_matches_signature(key.algorithm, &subject.tbs_signature_algorithm().oid) {
        None => Err(VerifyCode::UnsupportedSignatureAlgorithm),
        Some(false) => Err(VerifyCode::SignatureAlgorithmMismatch),
        Some(true) => Ok(()),
    }
}

/// `ossl_x509_signing_allowed`: an issuer with keyUsage needs keyCertSign,
/// or digitalSignature for a proxy certificate.
fn signing_allowed(issuer: &Cert, subject: &Cert) -> Option<VerifyCode> {
    let usage = issuer.key_usage()?;
    let (needed, code) = if subject.extensions().proxy {
        (
            super::KeyUsage::DIGITAL_SIGNATURE,
            VerifyCode::KeyusageNoDigitalSignature,
        )
    } else {
        (
            super::KeyUsage::KEY_CERT_SIGN,
            VerifyCode::KeyusageNoCertsign,
        )
    };
    if usage.contains_any(needed) {
        None
    } else {
        Some(code)
    }
}

/// Runs the checks `-x509_strict` adds for each certificate of a chain longer
/// than one and returns the first failure.
fn strict_problem(cert: &Cert, index: usize, num: usize) -> Option<VerifyCode> {
    use super::KeyUsage;

    let extensions = cert.extensions();
    let flags = extensions.critical_flags;
    let is_ca = cert.basic_constraints().is_some_and(|bc| bc.ca);
    let usage = cert.key_usage().map_or(0, |usage| usage.0);
    if cert
        .basic_constraints()
        .is_some_and(|bc| bc.path_len.is_some())
    {
        if !is_ca {
            return Some(VerifyCode::PathlenInvalidForNonCa);
        }
        if usage & KeyUsage::KEY_CERT_SIGN == 0 {
            return Some(VerifyCode::PathlenWithoutKuKeyCertSign);
        }
    }
    if is_ca && cert.basic_constraints().is_some() && !flags.basic_constraints {
        return Some(VerifyCode::CaBconsNotCritical);
    }
    if is_ca {
        if cert.key_usage().is_none() {
            return Some(VerifyCode::CaCertMissingKeyUsage);
        }
    } else if usage & KeyUsage::KEY_CERT_SIGN != 0 {
        return Some(VerifyCode::KuKeyCertSignInvalidForNonCa);
    }
    if cert.issuer().iter().next().is_none() {
        return Some(VerifyCode::IssuerNameEmpty);
    }
    let subject_empty = cert.subject().iter().next().is_none();
    let alt_name = extensions.subject_alt_name.as_ref();
    if (is_ca || usage & KeyUsage::CRL_SIGN != 0 || alt_name.is_none()) && subject_empty {
        return Some(VerifyCode::SubjectNameEmpty);
    }
    if subject_empty && alt_name.is_some() && !flags.subject_alt_name {
        return Some(VerifyCode::EmptySubjectSanNotCritical);
    }
    if alt_name.is_some_and(Vec::is_empty) {
        return Some(VerifyCode::EmptySubjectAltName);
    }
    if cert.signature_algorithm() != cert.tbs_signature_algorithm() {
        return Some(VerifyCode::SignatureAlgorithmInconsistency);
    }
    if cert.authority_key_id().is_some() && flags.authority_key_id {
        return Some(VerifyCode::AuthorityKeyIdentifierCritical);
    }
    if cert.subject_key_id().is_some() && flags.subject_key_id {
        return Some(VerifyCode::SubjectKeyIdentifierCritical);
    }
    if cert.version() == x509_cert::certificate::Version::V3 {
        let has_key_id = cert
            .authority_key_id()
            .is_some_and(|akid| akid.key_id.is_some());
        if index + 1 < num && !has_key_id {
            return Some(VerifyCode::MissingAuthorityKeyIdentifier);
        }
        if is_ca && cert.subject_key_id().is_none() {
            return Some(VerifyCode::MissingSubjectKeyIdentifier);
        }
    } else {
        let has_extensions = cert
            .certificate()
            .tbs_certificate()
            .extensions()
            .is_some_and(|extensions| !extensions.is_empty());
        if has_extensions {
            return Some(VerifyCode::ExtensionsRequireVersion3);
        }
    }
    None
}
