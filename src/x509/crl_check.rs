//! Revocation checking against CRLs, as OpenSSL 3.0's `check_revocation`
//! does it without extended CRL support: no delta CRLs, no indirect CRLs and
//! no partitioning by reason codes. Those CRLs are never chosen, so a
//! certificate that only they cover fails with "unable to get certificate CRL".

use super::codes::VerifyCode;
use super::crl::{Crl, REASON_REMOVE_FROM_CRL, idp};
use super::extensions::{ALL_REASONS, DistributionPoint, DistributionPointName};
use super::name::canonical_encoding;
use super::store::CrlRef;
use super::verify::{ChainError, Context};
use super::{Cert, KeyUsage};
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
}

/// The CRL chosen for a certificate, with its score, the reasons it covers
/// and the position in the chain of the certificate that issued it.
struct Choice<'a> {
    crl: CrlRef<'a>,
    score: u32,
    reasons: u16,
    issuer: usize,
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

/// `check_cert`: finds CRLs until every reason is covered, and checks each.
fn check_cert(context: &mut Context<'_>, depth: usize) -> Result<(), ChainError> {
    let cert = context.chain[depth].clone();
    if cert.extensions().proxy {
        return Ok(());
    }
    let mut covered = 0u16;
    while covered != ALL_REASONS {
        let before = covered;
        let Some(choice) = find_crl(context, depth, &cert, covered) else {
            return Err(context.fail(VerifyCode::UnableToGetCrl, depth));
        };
        covered = choice.reasons;
        check_crl(context, depth, &choice)?;
        check_cert_against_crl(context, depth, &cert, &choice.crl)?;
        if before == covered {
            return Err(context.fail(VerifyCode::UnableToGetCrl, depth));
        }
    }
    Ok(())
}

/// `get_crl_delta` without deltas: the best CRL of the options, else of the store.
fn find_crl<'a>(
    context: &mut Context<'a>,
    depth: usize,
    cert: &Cert,
    covered: u16,
) -> Option<Choice<'a>> {
    let mut best: Option<Choice<'a>> = None;
    let extra: Vec<CrlRef<'a>> = context.options.crls.iter().map(CrlRef::Borrowed).collect();
    if best_crl(context, depth, cert, covered, extra, &mut best) {
        return best;
    }
    let stored = context.store.crls_by_issuer(cert.issuer());
    if stored.is_empty() && best.is_some() {
        return best;
    }
    best_crl(context, depth, cert, covered, stored, &mut best);
    best
}

/// `get_crl_sk`: keeps the highest-scoring CRL (the newest of equal scores) in
/// `best`, and returns whether its score makes it usable.
fn best_crl<'a>(
    context: &Context<'a>,
    depth: usize,
    cert: &Cert,
    covered: u16,
    crls: Vec<CrlRef<'a>>,
    best: &mut Option<Choice<'a>>,
) -> bool {
    let start_reasons = best.as_ref().map_or(covered, |best| best.reasons);
    for crl in crls {
        let Some((score, reasons, issuer)) = crl_score(context, depth, cert, &crl, start_reasons)
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
            crl,
            score,
            reasons,
            issuer,
        });
    }
    best.as_ref().is_some_and(|best| best.score >= score::VALID)
}

/// `get_crl_score`: how well `crl` fits `cert`, the reasons it adds and its
/// issuer's position in the chain; `None` for a CRL that cannot be used.
fn crl_score(
    context: &Context<'_>,
    depth: usize,
    cert: &Cert,
    crl: &Crl,
    covered: u16,
) -> Option<(u32, u16, usize)> {
    if crl.idp_flags & idp::INVALID != 0 || crl.idp_flags & (idp::INDIRECT | idp::REASONS) != 0 {
        return None;
    }
    if crl.issuer_canonical() != cert.issuer_canonical() {
        return None;
    }
    let mut score = score::ISSUER_NAME;
    if !crl.unhandled_critical {
        score |= score::NO_CRITICAL;
    }
    if crl_time_valid(context, crl) {
        score |= score::TIME;
    }
    let issuer = crl_issuer(context, depth, crl, &mut score)?;
    let mut reasons = covered;
    if let Some(scope_reasons) = crl_scope(cert, crl, score) {
        if scope_reasons & !covered == 0 {
            return None;
        }
        reasons |= scope_reasons;
        score |= score::SCOPE;
    }
    Some((score, reasons, issuer))
}

fn crl_time_valid(context: &Context<'_>, crl: &Crl) -> bool {
    let Some(now) = context.now else {
        return true;
    };
    crl.last_update() <= now && crl.next_update().is_none_or(|next| next > now)
}

/// `crl_akid_check`: the CRL issuer must be the certificate's issuer or a
/// certificate higher in the chain whose fields fit the CRL's authority key identifier.
fn crl_issuer(context: &Context<'_>, depth: usize, crl: &Crl, score: &mut u32) -> Option<usize> {
    let last = context.chain.len() - 1;
    let mut index = if depth == last { depth } else { depth + 1 };
    let akid = crl.authority_key_id.as_ref();
    if super::cert::check_akid(&context.chain[index], akid).is_ok()
        && *score & score::ISSUER_NAME != 0
    {
        *score |= score::AKID | score::ISSUER_CERT;
        return Some(index);
    }
    index += 1;
    while index <= last {
        let candidate = &context.chain[index];
        if candidate.subject_canonical() == crl.issuer_canonical()
            && super::cert::check_akid(candidate, akid).is_ok()
        {
            *score |= score::AKID | score::SAME_PATH;
            return Some(index);
        }
        index += 1;
    }
    None
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
/// CRL is current and its signature verifies.
fn check_crl(context: &Context<'_>, depth: usize, choice: &Choice<'_>) -> Result<(), ChainError> {
    let issuer = &context.chain[choice.issuer];
    let crl = &choice.crl;
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
            return Err(context.fail(VerifyCode::CrlPathValidationError, depth));
        }
    }
    if choice.score & score::TIME == 0
        && let Some(now) = context.now
    {
        if crl.last_update() > now {
            return Err(context.fail(VerifyCode::CrlNotYetValid, depth));
        }
        if crl.next_update().is_some_and(|next| next <= now) {
            return Err(context.fail(VerifyCode::CrlHasExpired, depth));
        }
    }
    if !issuer.key_info().decodable {
        return Err(context.fail(VerifyCode::UnableToDecodeIssuerPublicKey, depth));
    }
    if crl.verify_signature_with(issuer.public_key_info()).is_err() {
        return Err(context.fail(VerifyCode::CrlSignatureFailure, depth));
    }
    Ok(())
}

/// `cert_crl`: unhandled critical CRL extensions, then the revocation entry.
fn check_cert_against_crl(
    context: &Context<'_>,
    depth: usize,
    cert: &Cert,
    crl: &Crl,
) -> Result<(), ChainError> {
    if !context.options.ignore_critical && crl.unhandled_critical {
        return Err(context.fail(VerifyCode::UnhandledCriticalCrlExtension, depth));
    }
    if let Some(entry) = crl.find_entry(cert.serial_bytes(), cert.issuer_canonical())
        && entry.reason != Some(REASON_REMOVE_FROM_CRL)
    {
        return Err(context.fail(VerifyCode::CertRevoked, depth));
    }
    Ok(())
}
