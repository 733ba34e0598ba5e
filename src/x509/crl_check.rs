//! Revocation checking against CRLs, as OpenSSL 3.0's `check_revocation`
//! does it.
//!
//! Without extended CRL support, indirect CRLs and CRLs partitioned by reason
//! codes are never chosen, so a certificate that only they cover fails with
//! "unable to get certificate CRL". With it (`extended_crl`), partitioned and
//! indirect CRLs are used as OpenSSL uses them, except that tsrs does not
//! validate the separate path of a CRL issuer found only among the untrusted
//! certificates: such a CRL fails the verification with an explanation. Delta
//! CRLs are consulted with `use_deltas`.

use std::cmp::Ordering;

use super::codes::VerifyCode;
use super::crl::{Crl, REASON_REMOVE_FROM_CRL, idp};
use super::extensions::{ALL_REASONS, DistributionPoint, DistributionPointName};
use super::name::canonical_encoding;
use super::store::CrlRef;
use super::verify::{ChainError, Context};
use super::{Cert, KeyUsage, suite_b};
use crate::asn1::GeneralName;

/// CRL score bits (OpenSSL's `CRL_SCORE_*`).
mod score {
    pub const NO_CRITICAL: u32 = 0x100;
    pub const SCOPE: u32 = 0x080;
    pub const TIME: u32 = 0x040;
    pub const ISSUER_NAME: u32 = 0x020;
    pub const VALID: u32 = NO_CRITICAL | TIME | SCOPE;
    pub const ISSUER_CERT: u32 = 0x018;
    pub const SAME_PATH: u32 = 0x008;
    pub const AKID: u32 = 0x004;
    pub const TIME_DELTA: u32 = 0x002;
}

/// The certificate that issued a CRL.
#[derive(Clone, Copy)]
enum CrlIssuer {
    /// A certificate of the chain, by depth.
    Chain(usize),
    /// An untrusted certificate outside the chain (extended CRL support only).
    Untrusted(usize),
}

/// The CRL chosen for a certificate, with its score, the reasons it covers,
/// the certificate that issued it and the delta CRL to consult with it.
struct Choice<'a> {
    crl: CrlRef<'a>,
    score: u32,
    reasons: u16,
    issuer: CrlIssuer,
    delta: Option<CrlRef<'a>>,
}

/// Checks the leaf, or with `crl_check_all` every certificate, against CRLs.
pub(crate) fn check_revocation(context: &mut Context<'_>) -> Result<(), ChainError> {
    if !context.options.crl_check && !context.options.crl_check_all {
        return Ok(());
    }
    let last = if context.options.crl_check_all {
        context.chain.len() - 1
    } else {
        0
    };
    for depth in 0..=last {
        check_cert(context, depth)?;
    }
    Ok(())
}

/// `check_cert`: finds CRLs until every reason is covered, and checks each
/// with its delta CRL, if any.
fn check_cert(context: &mut Context<'_>, depth: usize) -> Result<(), ChainError> {
    let cert = context.chain[depth].clone();
    if cert.extensions().proxy {
        return Ok(());
    }
    let mut covered = 0u16;
    while covered != ALL_REASONS {
        let before = covered;
        let Some(choice) = find_crl(context, depth, &cert, covered)? else {
            return Err(context.fail(VerifyCode::UnableToGetCrl, depth));
        };
        covered = choice.reasons;
        check_crl(context, depth, &choice, &choice.crl)?;
        let mut removed = false;
        if let Some(delta) = &choice.delta {
            check_crl(context, depth, &choice, delta)?;
            removed = check_cert_against_crl(context, depth, &cert, delta)?;
        }
        // An entry removing the certificate from the base CRL in the delta
        // CRL overrides the base CRL.
        if !removed {
            check_cert_against_crl(context, depth, &cert, &choice.crl)?;
        }
        if before == covered {
            return Err(context.fail(VerifyCode::UnableToGetCrl, depth));
        }
    }
    Ok(())
}

/// `get_crl_delta`: the best CRL of the options, else of the store.
fn find_crl<'a>(
    context: &mut Context<'a>,
    depth: usize,
    cert: &Cert,
    covered: u16,
) -> Result<Option<Choice<'a>>, ChainError> {
    let mut best: Option<Choice<'a>> = None;
    let extra: Vec<CrlRef<'a>> = context.options.crls.iter().map(CrlRef::Borrowed).collect();
    if best_crl(context, depth, cert, covered, extra, &mut best)? {
        return Ok(best);
    }
    let stored = context.store.crls_by_issuer(cert.issuer());
    if stored.is_empty() && best.is_some() {
        return Ok(best);
    }
    best_crl(context, depth, cert, covered, stored, &mut best)?;
    Ok(best)
}

/// `get_crl_sk`: keeps the highest-scoring CRL (the newest of equal scores) in
/// `best` with its delta CRL from the same list, and returns whether its
/// score makes it usable.
fn best_crl<'a>(
    context: &Context<'a>,
    depth: usize,
    cert: &Cert,
    covered: u16,
    crls: Vec<CrlRef<'a>>,
    best: &mut Option<Choice<'a>>,
) -> Result<bool, ChainError> {
    let start_reasons = best.as_ref().map_or(covered, |best| best.reasons);
    let mut chosen_here = false;
    for crl in &crls {
        let Some((score, reasons, issuer)) = crl_score(context, depth, cert, crl, start_reasons)?
        else {
            continue;
        };
        if let Some(current) = best.as_ref() {
            if score < current.score {
                continue;
            }
            if score == current.score && crl.last_update() <= current.crl.last_update() {
                continue;
            }
        }
        *best = Some(Choice {
            crl: crl.clone(),
            score,
            reasons,
            issuer,
            delta: None,
        });
        chosen_here = true;
    }
    if chosen_here && let Some(choice) = best.as_mut() {
        find_delta(context, cert, choice, &crls);
    }
    Ok(best.as_ref().is_some_and(|best| best.score >= score::VALID))
}

/// `get_delta_sk`: with `use_deltas`, when the certificate or the base CRL
/// points to delta CRLs, the first delta CRL of `crls` that fits the base.
fn find_delta<'a>(
    context: &Context<'a>,
    cert: &Cert,
    choice: &mut Choice<'a>,
    crls: &[CrlRef<'a>],
) {
    if !context.options.use_deltas || !(cert.extensions().freshest_crl || choice.crl.freshest) {
        return;
    }
    if let Some(delta) = crls
        .iter()
        .find(|delta| delta_fits_base(delta, &choice.crl))
    {
        if crl_time_valid(context, delta) {
            choice.score |= score::TIME_DELTA;
        }
        choice.delta = Some(delta.clone());
    }
}

/// `check_delta_base`: a delta CRL with the base's issuer, authority key
/// identifier and issuing distribution point, based on a CRL number no
/// later than the base's, and numbered after it.
fn delta_fits_base(delta: &Crl, base: &Crl) -> bool {
    let (Some(delta_base), Some(delta_number), Some(base_number)) = (
        delta.base_crl_number.as_deref(),
        delta.crl_number.as_deref(),
        base.crl_number.as_deref(),
    ) else {
        return false;
    };
    delta.issuer_canonical() == base.issuer_canonical()
        && same_extension(&delta.akid_values, &base.akid_values)
        && same_extension(&delta.idp_values, &base.idp_values)
        && compare_integers(delta_base, base_number) != Ordering::Greater
        && compare_integers(delta_number, base_number) == Ordering::Greater
}

/// `crl_extension_match`: both absent, or each present once with equal values.
fn same_extension(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    match (a, b) {
        ([], []) => true,
        ([a], [b]) => a == b,
        _ => false,
    }
}

/// Compares minimal two's complement INTEGER contents by value (`ASN1_INTEGER_cmp`).
fn compare_integers(a: &[u8], b: &[u8]) -> Ordering {
    let negative = |bytes: &[u8]| bytes.first().is_some_and(|b| b & 0x80 != 0);
    match (negative(a), negative(b)) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        (true, true) => b.len().cmp(&a.len()).then_with(|| a.cmp(b)),
    }
}

/// `get_crl_score`: how well `crl` fits `cert`, the reasons it adds and its
/// issuer; `None` for a CRL that cannot be used.
fn crl_score(
    context: &Context<'_>,
    depth: usize,
    cert: &Cert,
    crl: &Crl,
    covered: u16,
) -> Result<Option<(u32, u16, CrlIssuer)>, ChainError> {
    if crl.idp_flags & idp::INVALID != 0 {
        return Ok(None);
    }
    if !context.options.extended_crl {
        if crl.idp_flags & (idp::INDIRECT | idp::REASONS) != 0 {
            return Ok(None);
        }
    } else if crl.idp_flags & idp::REASONS != 0 {
        if crl.idp_reasons & !covered == 0 {
            return Ok(None);
        }
    } else if crl.base_crl_number.is_some() {
        return Ok(None);
    }
    let mut score = 0;
    if crl.issuer_canonical() == cert.issuer_canonical() {
        score |= score::ISSUER_NAME;
    } else if crl.idp_flags & idp::INDIRECT == 0 {
        return Ok(None);
    }
    if !crl.unhandled_critical {
        score |= score::NO_CRITICAL;
    }
    if crl_time_valid(context, crl) {
        score |= score::TIME;
    }
    let Some(issuer) = crl_issuer(context, depth, crl, &mut score) else {
        return Ok(None);
    };
    let mut reasons = covered;
    if let Some(scope_reasons) = crl_scope(cert, crl, score) {
        if scope_reasons & !covered == 0 {
            return Ok(None);
        }
        reasons |= scope_reasons;
        score |= score::SCOPE;
    }
    Ok(Some((score, reasons, issuer)))
}

fn crl_time_valid(context: &Context<'_>, crl: &Crl) -> bool {
    let Some(now) = context.now else {
        return true;
    };
    crl.last_update() <= now && crl.next_update().is_none_or(|next| next > now)
}

/// `crl_akid_check`: the CRL issuer must be the certificate's issuer or a
/// certificate higher in the chain whose fields fit the CRL's authority key
/// identifier. With extended CRL support it may also be an untrusted certificate.
fn crl_issuer(
    context: &Context<'_>,
    depth: usize,
    crl: &Crl,
    score: &mut u32,
) -> Option<CrlIssuer> {
    let last = context.chain.len() - 1;
    let mut index = if depth == last { depth } else { depth + 1 };
    let akid = crl.authority_key_id.as_ref();
    if super::cert::check_akid(&context.chain[index], akid).is_ok()
        && *score & score::ISSUER_NAME != 0
    {
        *score |= score::AKID | score::ISSUER_CERT;
        return Some(CrlIssuer::Chain(index));
    }
    index += 1;
    while index <= last {
        let candidate = &context.chain[index];
        if candidate.subject_canonical() == crl.issuer_canonical()
            && super::cert::check_akid(candidate, akid).is_ok()
        {
            *score |= score::AKID | score::SAME_PATH;
            return Some(CrlIssuer::Chain(index));
        }
        index += 1;
    }
    if !context.options.extended_crl {
        return None;
    }
    let position = context.untrusted.iter().position(|candidate| {
        candidate.subject_canonical() == crl.issuer_canonical()
            && super::cert::check_akid(candidate, akid).is_ok()
    })?;
    *score |= score::AKID;
    Some(CrlIssuer::Untrusted(position))
}

/// `crl_crldp_check`: the reasons the CRL covers for `cert`, or `None` when the
/// certificate is outside the CRL's scope.
fn crl_scope(cert: &Cert, crl: &Crl, score: u32) -> Option<u16> {
    if crl.idp_flags & idp::ONLY_ATTRIBUTE != 0 {
        return None;
    }
    let is_ca = cert.basic_constraints().is_some_and(|bc| bc.ca);
    let only = if is_ca { idp::ONLY_USER } else { idp::ONLY_CA };
    if crl.idp_flags & only != 0 {
        return None;
    }
    let mut reasons = crl.idp_reasons;
    for point in cert.extensions().crl_distribution_points.iter().flatten() {
        if point_issuer_matches(point, crl, score)
            && (crl.idp_flags & idp::PRESENT == 0
                || points_match(point.name.as_ref(), crl.idp_name.as_ref()))
        {
            reasons &= point.reasons;
            return Some(reasons);
        }
    }
    let no_idp_name = crl.idp_flags & idp::PRESENT == 0 || crl.idp_name.is_none();
    (no_idp_name && score & score::ISSUER_NAME != 0).then_some(reasons)
}

/// `crldp_check_crlissuer`.
fn point_issuer_matches(point: &DistributionPoint, crl: &Crl, score: u32) -> bool {
    match &point.crl_issuer {
        None => score & score::ISSUER_NAME != 0,
        Some(names) => names.iter().any(|name| match name {
            GeneralName::DirectoryName(name) => canonical_encoding(name) == crl.issuer_canonical(),
            _ => false,
        }),
    }
}

/// `idp_check_dp`: whether a distribution point name and an issuing
/// distribution point name share a name. A missing name matches anything.
fn points_match(a: Option<&DistributionPointName>, b: Option<&DistributionPointName>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    let directory_in = |names: &[GeneralName], canonical: &[u8]| {
        names.iter().any(|name| match name {
            GeneralName::DirectoryName(name) => canonical_encoding(name) == canonical,
            _ => false,
        })
    };
    match (a, b) {
        (DistributionPointName::Relative(a), DistributionPointName::Relative(b)) => a == b,
        (DistributionPointName::Relative(relative), DistributionPointName::FullName(names))
        | (DistributionPointName::FullName(names), DistributionPointName::Relative(relative)) => {
            directory_in(names, relative)
        }
        (DistributionPointName::FullName(a), DistributionPointName::FullName(b)) => a
            .iter()
            .any(|x| b.iter().any(|y| general_names_equal(x, y))),
    }
}

/// `GENERAL_NAME_cmp` equality: directory names compare canonically, other
/// types by their encoded values.
fn general_names_equal(a: &GeneralName, b: &GeneralName) -> bool {
    match (a, b) {
        (GeneralName::DirectoryName(a), GeneralName::DirectoryName(b)) => super::names_equal(a, b),
        _ => a == b,
    }
}

/// `check_crl`: the issuer may sign CRLs, the certificate is in scope, the
/// CRL is current and its signature verifies. A delta CRL (`crl` other than
/// the choice's base) skips the checks its base already passed.
fn check_crl(
    context: &Context<'_>,
    depth: usize,
    choice: &Choice<'_>,
    crl: &Crl,
) -> Result<(), ChainError> {
    let issuer = match choice.issuer {
        CrlIssuer::Chain(index) => &*context.chain[index],
        CrlIssuer::Untrusted(index) => &context.untrusted[index],
    };
    if crl.base_crl_number.is_none() {
        if issuer
            .key_usage()
            .is_some_and(|usage| !usage.contains_any(KeyUsage::CRL_SIGN))
        {
            return Err(context.fail(VerifyCode::KeyusageNoCrlSign, depth));
        }
        if choice.score & score::SCOPE == 0 {
            return Err(context.fail(VerifyCode::DifferentCrlScope, depth));
        }
        if choice.score & score::SAME_PATH == 0 {
            // OpenSSL validates the CRL issuer's own path here.
            return Err(context
                .fail(VerifyCode::CrlPathValidationError, depth)
                .with_detail(format!(
                    "the CRL issuer {} is outside the verified chain, and tsrs does not \
                     validate its path as OpenSSL does with -extended_crl",
                    super::name_oneline(issuer.subject())
                )));
        }
    }
    if choice.score & score::TIME == 0
        && let Some(now) = context.now
    {
        if crl.last_update() > now {
            return Err(context.fail(VerifyCode::CrlNotYetValid, depth));
        }
        // An expired base CRL still counts while its delta CRL is current.
        let expired = crl.next_update().is_some_and(|next| next <= now);
        if expired && choice.score & score::TIME_DELTA == 0 {
            return Err(context.fail(VerifyCode::CrlHasExpired, depth));
        }
    }
    if !issuer.key_info().decodable {
        return Err(context.fail(VerifyCode::UnableToDecodeIssuerPublicKey, depth));
    }
    suite_b::check_crl_signature(
        issuer.public_key_info(),
        &crl.signature_algorithm().oid,
        context.options.suite_b,
    )
    .map_err(|code| context.fail(code, depth))?;
    if crl.verify_signature_with(issuer.public_key_info()).is_err() {
        return Err(context.fail(VerifyCode::CrlSignatureFailure, depth));
    }
    Ok(())
}

/// `cert_crl`: unhandled critical CRL extensions, then the revocation entry.
/// Returns whether the CRL removes the certificate from its base CRL
/// (reason removeFromCRL).
fn check_cert_against_crl(
    context: &Context<'_>,
    depth: usize,
    cert: &Cert,
    crl: &Crl,
) -> Result<bool, ChainError> {
    if !context.options.ignore_critical && crl.unhandled_critical {
        return Err(context.fail(VerifyCode::UnhandledCriticalCrlExtension, depth));
    }
    match crl.find_entry(cert.serial_bytes(), cert.issuer_canonical()) {
        Some(entry) if entry.reason == Some(REASON_REMOVE_FROM_CRL) => Ok(true),
        Some(_) => Err(context.fail(VerifyCode::CertRevoked, depth)),
        None => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_compare_by_value() {
        assert_eq!(compare_integers(&[0x05], &[0x04]), Ordering::Greater);
        assert_eq!(compare_integers(&[0x01, 0x00], &[0x7f]), Ordering::Greater);
        assert_eq!(compare_integers(&[0xff], &[0x00]), Ordering::Less);
        assert_eq!(compare_integers(&[0x80], &[0xff]), Ordering::Less);
        assert_eq!(compare_integers(&[0xff, 0x00], &[0x80]), Ordering::Less);
        assert_eq!(compare_integers(&[0x03], &[0x03]), Ordering::Equal);
    }
}
