//! Certificate policy processing (RFC 5280 section 6.1) as OpenSSL 3.0's
//! `X509_policy_check` (crypto/x509/pcy_*.c) does it, for `-policy_check`,
//! `-explicit_policy`, `-inhibit_any`, `-inhibit_map` and `-policy`.
//!
//! OpenSSL's check has three verdicts. A certificate below the anchor may have
//! an invalid or inconsistent policy extension. When an explicit policy is
//! required, the valid policy tree (or, with `-policy`, its intersection with
//! the acceptable policies) may be empty: "no explicit policy". Otherwise the
//! check succeeds, so without that requirement an empty tree is a success.
//! The tree is built as OpenSSL builds it, policy mappings included, with its
//! limit of 1000 nodes.

use der::asn1::{Any, ObjectIdentifier};
use der::{Tag, Tagged};
use x509_cert::ext::Extension;

use super::Cert;
use super::codes::VerifyCode;
use super::extensions::{decode_prefix, elements, integer_content};
use super::oids;
use super::verify::{ChainError, Context};

/// The maximum number of nodes in OpenSSL's tree (`OPENSSL_POLICY_TREE_NODES_MAX`).
const MAX_NODES: usize = 1000;

/// id-qt-cps.
const QT_CPS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.2.1");
/// id-qt-unotice.
const QT_UNOTICE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.2.2");

/// The policy processing options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct PolicyOptions<'a> {
    pub explicit_policy: bool,
    pub inhibit_any_policy: bool,
    pub inhibit_policy_mapping: bool,
    pub policies: &'a [ObjectIdentifier],
}

/// `check_policy`: runs the policy check on the verified chain.
pub(crate) fn check_policy(context: &Context<'_>) -> Result<(), ChainError> {
    let options = context.options;
    let chain: Vec<&Cert> = context.chain.iter().map(|cert| &**cert).collect();
    let policy_options = PolicyOptions {
        explicit_policy: options.explicit_policy,
        inhibit_any_policy: options.inhibit_any_policy,
        inhibit_policy_mapping: options.inhibit_policy_mapping,
        policies: &options.policies,
    };
    match evaluate(&chain, &policy_options) {
        Outcome::Valid => Ok(()),
        Outcome::Invalid(depth) => Err(context.fail(VerifyCode::InvalidPolicyExtension, depth)),
        Outcome::NoExplicitPolicy => Err(ChainError::new(VerifyCode::NoExplicitPolicy, 0, None)),
        Outcome::TooManyNodes => Err(ChainError::new(VerifyCode::OutOfMem, 0, None).with_detail(
            format!("the certificate policy tree would exceed {MAX_NODES} nodes"),
        )),
    }
}

/// The result of `X509_policy_check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Valid,
    /// A certificate policy extension at this depth is invalid.
    Invalid(usize),
    /// An explicit policy is required and none is acceptable.
    NoExplicitPolicy,
    /// The tree outgrew OpenSSL's limit, which OpenSSL reports as out of memory.
    TooManyNodes,
}

/// Policy data (`X509_POLICY_DATA`): a policy, whether it is mapped in its
/// certificate, and the policies it maps to.
#[derive(Debug, Clone)]
struct PolicyData {
    valid_policy: ObjectIdentifier,
    /// A policyMappings entry maps this policy of the certificate.
    mapped: bool,
    /// Created from anyPolicy for a mapping of a policy the certificate does not list.
    mapped_any: bool,
    expected: Vec<ObjectIdentifier>,
}

impl PolicyData {
    fn new(valid_policy: ObjectIdentifier) -> PolicyData {
        PolicyData {
            valid_policy,
            mapped: false,
            mapped_any: false,
            expected: Vec::new(),
        }
    }

    fn mapped_either(&self) -> bool {
        self.mapped || self.mapped_any
    }
}

/// The policy extensions of one certificate (`X509_POLICY_CACHE`).
#[derive(Debug, Clone, Default)]
struct PolicyCache {
    /// The policies of certificatePolicies other than anyPolicy; `None` when
    /// the extension is absent, empty or unusable.
    data: Option<Vec<PolicyData>>,
    any_policy: bool,
    /// inhibitAnyPolicy, requireExplicitPolicy and inhibitPolicyMapping; -1 when absent.
    any_skip: i64,
    explicit_skip: i64,
    map_skip: i64,
    invalid: bool,
}

/// Reads the policy extensions as `policy_cache_new` does, in its order:
/// policyConstraints, certificatePolicies, then (only when policies were
/// read) policyMappings and inhibitAnyPolicy.
fn policy_cache(cert: &Cert) -> PolicyCache {
    let mut cache = PolicyCache {
        any_skip: -1,
        explicit_skip: -1,
        map_skip: -1,
        ..PolicyCache::default()
    };
    let extensions: &[Extension] = cert
        .certificate()
        .tbs_certificate()
        .extensions()
        .map_or(&[], |extensions| extensions.as_slice());

    match single(extensions, &oids::POLICY_CONSTRAINTS)
        .map(|value| value.and_then(decode_constraints))
    {
        None => {}
        Some(Some((explicit, map))) => {
            cache.explicit_skip = explicit;
            cache.map_skip = map;
        }
        Some(None) => {
            cache.invalid = true;
            return cache;
        }
    }

    let policies = match single(extensions, &oids::CERTIFICATE_POLICIES) {
        None => return cache,
        Some(value) => match value.and_then(decode_policies) {
            Some(policies) => policies,
            None => {
                cache.invalid = true;
                return cache;
            }
        },
    };
    if policies.is_empty() {
        return cache;
    }
    let mut data = Vec::new();
    for policy in policies {
        let duplicate = if policy == oids::ANY_POLICY {
            std::mem::replace(&mut cache.any_policy, true)
        } else {
            data.iter().any(|d: &PolicyData| d.valid_policy == policy)
        };
        if duplicate {
            cache.invalid = true;
            cache.any_policy = false;
            return cache;
        }
        if policy != oids::ANY_POLICY {
            data.push(PolicyData::new(policy));
        }
    }

    match single(extensions, &oids::POLICY_MAPPINGS) {
        None => {}
        Some(value) => {
            let mappings = value.and_then(decode_mappings);
            if !mappings
                .is_some_and(|mappings| apply_mappings(&mut data, cache.any_policy, &mappings))
            {
                cache.invalid = true;
            }
        }
    }
    cache.data = Some(data);
    if cache.invalid {
        return cache;
    }

    match single(extensions, &oids::INHIBIT_ANY_POLICY) {
        None => {}
        Some(value) => match value.and_then(decode_prefix::<Any>).and_then(skip_value) {
            Some(skip) => cache.any_skip = skip,
            None => cache.invalid = true,
        },
    }
    cache
}

/// The value of the only extension `oid`: `None` when absent, `Some(None)`
/// when it appears more than once.
fn single<'a>(extensions: &'a [Extension], oid: &ObjectIdentifier) -> Option<Option<&'a [u8]>> {
    let mut found = extensions.iter().filter(|e| e.extn_id == *oid);
    let first = found.next()?;
    if found.next().is_some() {
        return Some(None);
    }
    Some(Some(first.extn_value.as_bytes()))
}

/// `ossl_policy_cache_set_mapping`: marks mapped policies and records the
/// policies they map to. Returns `false` for an empty list or a mapping from
/// or to anyPolicy.
fn apply_mappings(
    data: &mut Vec<PolicyData>,
    any_policy: bool,
    mappings: &[(ObjectIdentifier, ObjectIdentifier)],
) -> bool {
    if mappings.is_empty() {
        return false;
    }
    for (issuer_policy, subject_policy) in mappings {
        if *issuer_policy == oids::ANY_POLICY || *subject_policy == oids::ANY_POLICY {
            return false;
        }
        let entry = match data.iter().position(|d| d.valid_policy == *issuer_policy) {
            Some(position) => {
                data[position].mapped = true;
                &mut data[position]
            }
            None if any_policy => {
                let mut created = PolicyData::new(*issuer_policy);
                created.mapped_any = true;
                data.push(created);
                let last = data.len() - 1;
                &mut data[last]
            }
            None => continue,
        };
        entry.expected.push(*subject_policy);
    }
    true
}

/// PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] SkipCerts
/// OPTIONAL, inhibitPolicyMapping [1] SkipCerts OPTIONAL }: the two skip
/// values (-1 when absent), or `None` when malformed, empty or negative.
fn decode_constraints(value: &[u8]) -> Option<(i64, i64)> {
    let sequence = decode_prefix::<Any>(value).filter(|any| any.tag() == Tag::Sequence)?;
    let mut explicit = None;
    let mut map = None;
    let mut last = None;
    for field in elements(sequence.value()).ok()? {
        let Tag::ContextSpecific {
            constructed: false,
            number,
        } = field.tag()
        else {
            return None;
        };
        if last.is_some_and(|last| number.0 <= last) {
            return None;
        }
        last = Some(number.0);
        let skip = integer_skip(field.value())?;
        match number.0 {
            0 => explicit = Some(skip),
            1 => map = Some(skip),
            _ => return None,
        }
    }
    if explicit.is_none() && map.is_none() {
        return None;
    }
    Some((explicit.unwrap_or(-1), map.unwrap_or(-1)))
}

/// An INTEGER element as a skip count (`policy_cache_set_int`).
fn skip_value(value: Any) -> Option<i64> {
    if value.tag() != Tag::Integer {
        return None;
    }
    integer_skip(value.value())
}

/// INTEGER content as `ASN1_INTEGER_get` reads it: a negative value is
/// rejected, and a value too large for a `long` reads as -1 (absent).
fn integer_skip(content: &[u8]) -> Option<i64> {
    let bytes = integer_content(content)?;
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    let significant = &bytes[bytes.iter().take_while(|b| **b == 0).count()..];
    if significant.len() > 8 || (significant.len() == 8 && significant[0] & 0x80 != 0) {
        return Some(-1);
    }
    Some(
        significant
            .iter()
            .fold(0i64, |acc, b| (acc << 8) | i64::from(*b)),
    )
}

/// certificatePolicies ::= SEQUENCE OF PolicyInformation: the policy OIDs in
/// order, or `None` when any part does not decode as OpenSSL's template reads
/// it (qualifiers included).
fn decode_policies(value: &[u8]) -> Option<Vec<ObjectIdentifier>> {
    let sequence = decode_prefix::<Any>(value).filter(|any| any.tag() == Tag::Sequence)?;
    let mut out = Vec::new();
    for information in elements(sequence.value()).ok()? {
        if information.tag() != Tag::Sequence {
            return None;
        }
        let fields = elements(information.value()).ok()?;
        let (identifier, rest) = fields.split_first()?;
        let policy: ObjectIdentifier = identifier.decode_as().ok()?;
        match rest {
            [] => {}
            [qualifiers] if qualifiers.tag() == Tag::Sequence => {
                for qualifier in elements(qualifiers.value()).ok()? {
                    if !qualifier_valid(&qualifier) {
                        return None;
                    }
                }
            }
            _ => return None,
        }
        out.push(policy);
    }
    Some(out)
}

/// PolicyQualifierInfo ::= SEQUENCE { policyQualifierId, qualifier }: a CPS
/// pointer is an IA5String, a user notice a UserNotice, anything else one element.
fn qualifier_valid(qualifier: &Any) -> bool {
    if qualifier.tag() != Tag::Sequence {
        return false;
    }
    let Ok(fields) = elements(qualifier.value()) else {
        return false;
    };
    let [id, value] = fields.as_slice() else {
        return false;
    };
    let Ok(id) = id.decode_as::<ObjectIdentifier>() else {
        return false;
    };
    if id == QT_CPS {
        value.tag() == Tag::Ia5String
    } else if id == QT_UNOTICE {
        user_notice_valid(value)
    } else {
        true
    }
}

/// UserNotice ::= SEQUENCE { noticeRef NoticeReference OPTIONAL,
/// explicitText DisplayText OPTIONAL }, NoticeReference ::= SEQUENCE {
/// organization DisplayText, noticeNumbers SEQUENCE OF INTEGER }.
fn user_notice_valid(value: &Any) -> bool {
    let is_display_text = |any: &Any| {
        matches!(
            any.tag(),
            Tag::Ia5String | Tag::VisibleString | Tag::BmpString | Tag::Utf8String
        )
    };
    if value.tag() != Tag::Sequence {
        return false;
    }
    let Ok(fields) = elements(value.value()) else {
        return false;
    };
    let mut rest = fields.as_slice();
    if let Some((first, after)) = rest.split_first()
        && first.tag() == Tag::Sequence
    {
        let Ok(reference) = elements(first.value()) else {
            return false;
        };
        let [organization, numbers] = reference.as_slice() else {
            return false;
        };
        if !is_display_text(organization) || numbers.tag() != Tag::Sequence {
            return false;
        }
        let Ok(numbers) = elements(numbers.value()) else {
            return false;
        };
        if numbers.iter().any(|number| number.tag() != Tag::Integer) {
            return false;
        }
        rest = after;
    }
    match rest {
        [] => true,
        [text] => is_display_text(text),
        _ => false,
    }
}

/// PolicyMappings ::= SEQUENCE OF SEQUENCE { issuerDomainPolicy,
/// subjectDomainPolicy }.
fn decode_mappings(value: &[u8]) -> Option<Vec<(ObjectIdentifier, ObjectIdentifier)>> {
    let sequence = decode_prefix::<Any>(value).filter(|any| any.tag() == Tag::Sequence)?;
    let mut out = Vec::new();
    for mapping in elements(sequence.value()).ok()? {
        if mapping.tag() != Tag::Sequence {
            return None;
        }
        let fields = elements(mapping.value()).ok()?;
        let [issuer, subject] = fields.as_slice() else {
            return None;
        };
        out.push((issuer.decode_as().ok()?, subject.decode_as().ok()?));
    }
    Some(out)
}

/// A tree node (`X509_POLICY_NODE`).
#[derive(Debug, Clone)]
struct Node {
    data: usize,
    parent: Option<usize>,
    children: usize,
}

/// One level of the tree: the nodes of one certificate's depth.
#[derive(Debug, Clone, Default)]
struct Level {
    nodes: Vec<usize>,
    any_policy: Option<usize>,
    inhibit_any: bool,
    inhibit_map: bool,
    /// The index of the certificate's cache; level 0 has none.
    cache: Option<usize>,
}

/// The valid policy tree (`X509_POLICY_TREE`) with its nodes and data in arenas.
struct Tree {
    data: Vec<PolicyData>,
    nodes: Vec<Node>,
    levels: Vec<Level>,
}

/// Marks the tree growing past [`MAX_NODES`].
struct TooManyNodes;

impl Tree {
    fn add_data(&mut self, data: PolicyData) -> usize {
        self.data.push(data);
        self.data.len() - 1
    }

    /// `ossl_policy_level_add_node`; `level` is `None` for a node outside the levels.
    fn add_node(
        &mut self,
        level: Option<usize>,
        data: usize,
        parent: Option<usize>,
    ) -> Result<usize, TooManyNodes> {
        if self.nodes.len() >= MAX_NODES {
            return Err(TooManyNodes);
        }
        self.nodes.push(Node {
            data,
            parent,
            children: 0,
        });
        let node = self.nodes.len() - 1;
        if let Some(level) = level {
            if self.data[data].valid_policy == oids::ANY_POLICY {
                self.levels[level].any_policy = Some(node);
            } else {
                self.levels[level].nodes.push(node);
            }
        }
        if let Some(parent) = parent {
            self.nodes[parent].children += 1;
        }
        Ok(node)
    }

    fn policy(&self, node: usize) -> ObjectIdentifier {
        self.data[self.nodes[node].data].valid_policy
    }

    /// `ossl_policy_node_match`: a node matches a policy by its expected
    /// policies when it is mapped and mapping is allowed at its level, else
    /// by its own policy.
    fn node_matches(&self, level: usize, node: usize, policy: &ObjectIdentifier) -> bool {
        let data = &self.data[self.nodes[node].data];
        if self.levels[level].inhibit_map || !data.mapped_either() {
            data.valid_policy == *policy
        } else {
            data.expected.contains(policy)
        }
    }

    fn remove_node(&mut self, node: usize) {
        if let Some(parent) = self.nodes[node].parent {
            self.nodes[parent].children -= 1;
        }
    }
}

/// `X509_policy_check` on a chain (leaf first, anchor last).
pub(crate) fn evaluate(chain: &[&Cert], options: &PolicyOptions<'_>) -> Outcome {
    let n = chain.len().saturating_sub(1);
    if n == 0 {
        return Outcome::Valid;
    }
    let caches: Vec<PolicyCache> = chain[..n].iter().map(|cert| policy_cache(cert)).collect();

    // tree_init: invalid extensions, an empty policy set and the explicit
    // policy count, from the certificate below the anchor down to the leaf.
    let mut explicit_policy = if options.explicit_policy {
        0
    } else {
        n as i64 + 1
    };
    let mut empty = false;
    for index in (0..n).rev() {
        if explicit_policy <= 0 && empty {
            break;
        }
        let cache = &caches[index];
        if cache.invalid {
            let first_invalid = caches
                .iter()
                .position(|cache| cache.invalid)
                .unwrap_or(index);
            return Outcome::Invalid(first_invalid);
        }
        if cache.data.is_none() {
            empty = true;
        }
        if explicit_policy > 0 {
            if !chain[index].is_self_issued() {
                explicit_policy -= 1;
            }
            if cache.explicit_skip >= 0 && cache.explicit_skip < explicit_policy {
                explicit_policy = cache.explicit_skip;
            }
        }
    }
    let explicit_required = explicit_policy == 0;
    if empty {
        return if explicit_required {
            Outcome::NoExplicitPolicy
        } else {
            Outcome::Valid
        };
    }

    let mut tree = build_levels(chain, &caches, options);
    let evaluated = match evaluate_tree(&mut tree, &caches) {
        Ok(evaluated) => evaluated,
        Err(TooManyNodes) => return Outcome::TooManyNodes,
    };
    if !evaluated {
        return if explicit_required {
            Outcome::NoExplicitPolicy
        } else {
            Outcome::Valid
        };
    }
    let user_set_empty = match user_policy_set_empty(&mut tree, options.policies) {
        Ok(empty) => empty,
        Err(TooManyNodes) => return Outcome::TooManyNodes,
    };
    if explicit_required && user_set_empty {
        Outcome::NoExplicitPolicy
    } else {
        Outcome::Valid
    }
}

/// The rest of `tree_init`: the anchor's anyPolicy node, then for each
/// certificate whether anyPolicy and policy mapping are inhibited at its level.
fn build_levels(chain: &[&Cert], caches: &[PolicyCache], options: &PolicyOptions<'_>) -> Tree {
    let n = caches.len();
    let mut tree = Tree {
        data: vec![PolicyData::new(oids::ANY_POLICY)],
        nodes: Vec::new(),
        levels: vec![Level::default(); n + 1],
    };
    // The first node always fits.
    let _ = tree.add_node(Some(0), 0, None);

    let mut any_skip = if options.inhibit_any_policy {
        0
    } else {
        n as i64 + 1
    };
    let mut map_skip = if options.inhibit_policy_mapping {
        0
    } else {
        n as i64 + 1
    };
    for (level, index) in (0..n).rev().enumerate().map(|(i, index)| (i + 1, index)) {
        let cache = &caches[index];
        let self_issued = chain[index].is_self_issued();
        let entry = &mut tree.levels[level];
        entry.cache = Some(index);
        if !cache.any_policy {
            entry.inhibit_any = true;
        }
        if any_skip == 0 {
            if !self_issued || index == 0 {
                entry.inhibit_any = true;
            }
        } else {
            if !self_issued {
                any_skip -= 1;
            }
            if cache.any_skip >= 0 && cache.any_skip < any_skip {
                any_skip = cache.any_skip;
            }
        }
        if map_skip == 0 {
            entry.inhibit_map = true;
        } else {
            if !self_issued {
                map_skip -= 1;
            }
            if cache.map_skip >= 0 && cache.map_skip < map_skip {
                map_skip = cache.map_skip;
            }
        }
    }
    tree
}

/// `tree_evaluate`: links each level to the one above and prunes. Returns
/// whether the tree is still non-empty.
fn evaluate_tree(tree: &mut Tree, caches: &[PolicyCache]) -> Result<bool, TooManyNodes> {
    for level in 1..tree.levels.len() {
        let Some(cache_index) = tree.levels[level].cache else {
            continue;
        };
        let cache = &caches[cache_index];
        let level_data: Vec<usize> = cache
            .data
            .iter()
            .flatten()
            .map(|data| tree.add_data(data.clone()))
            .collect();
        link_nodes(tree, level, &level_data)?;
        if !tree.levels[level].inhibit_any {
            link_any(tree, level)?;
        }
        if !prune(tree, level) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `tree_link_nodes`: each policy of the certificate becomes a child of every
/// matching node above, or of the anyPolicy node above when none matches.
fn link_nodes(tree: &mut Tree, level: usize, level_data: &[usize]) -> Result<(), TooManyNodes> {
    let last = level - 1;
    for &data in level_data {
        let policy = tree.data[data].valid_policy;
        let parents: Vec<usize> = tree.levels[last]
            .nodes
            .iter()
            .copied()
            .filter(|&node| tree.node_matches(last, node, &policy))
            .collect();
        for &parent in &parents {
            tree.add_node(Some(level), data, Some(parent))?;
        }
        if parents.is_empty()
            && let Some(any) = tree.levels[last].any_policy
        {
            tree.add_node(Some(level), data, Some(any))?;
        }
    }
    Ok(())
}

/// `tree_link_any`: a certificate with anyPolicy gives each node above that
/// has no child yet (or lacks a child for one of its expected policies) a
/// child of its own policy, and the anyPolicy node above an anyPolicy child.
fn link_any(tree: &mut Tree, level: usize) -> Result<(), TooManyNodes> {
    let last = level - 1;
    let parents = tree.levels[last].nodes.clone();
    for node in parents {
        let data = &tree.data[tree.nodes[node].data];
        let mapped = data.mapped;
        let expected = data.expected.clone();
        if tree.levels[last].inhibit_map || !mapped {
            if tree.nodes[node].children == 0 {
                add_unmatched(tree, level, None, node)?;
            }
        } else {
            if tree.nodes[node].children == expected.len() {
                continue;
            }
            for policy in expected {
                let exists = tree.levels[level].nodes.iter().any(|&child| {
                    tree.nodes[child].parent == Some(node) && tree.policy(child) == policy
                });
                if !exists {
                    add_unmatched(tree, level, Some(policy), node)?;
                }
            }
        }
    }
    if let Some(any) = tree.levels[last].any_policy {
        let data = tree.add_data(PolicyData::new(oids::ANY_POLICY));
        tree.add_node(Some(level), data, Some(any))?;
    }
    Ok(())
}

/// `tree_add_unmatched`: a child of `parent` for `policy` (the parent's own
/// policy when `None`), carrying anyPolicy's qualifiers.
fn add_unmatched(
    tree: &mut Tree,
    level: usize,
    policy: Option<ObjectIdentifier>,
    parent: usize,
) -> Result<(), TooManyNodes> {
    let policy = policy.unwrap_or_else(|| tree.policy(parent));
    let data = tree.add_data(PolicyData::new(policy));
    tree.add_node(Some(level), data, Some(parent))?;
    Ok(())
}

/// `tree_prune`: with mapping inhibited at this level its mapped nodes go,
/// then every childless node above. Returns `false` when the anchor's
/// anyPolicy node goes too, which empties the tree.
fn prune(tree: &mut Tree, level: usize) -> bool {
    if tree.levels[level].inhibit_map {
        let nodes = std::mem::take(&mut tree.levels[level].nodes);
        let mut kept = Vec::with_capacity(nodes.len());
        for node in nodes {
            if tree.data[tree.nodes[node].data].mapped_either() {
                tree.remove_node(node);
            } else {
                kept.push(node);
            }
        }
        tree.levels[level].nodes = kept;
    }
    for above in (0..level).rev() {
        let nodes = std::mem::take(&mut tree.levels[above].nodes);
        let mut kept = Vec::with_capacity(nodes.len());
        for node in nodes {
            if tree.nodes[node].children == 0 {
                tree.remove_node(node);
            } else {
                kept.push(node);
            }
        }
        tree.levels[above].nodes = kept;
        if let Some(any) = tree.levels[above].any_policy
            && tree.nodes[any].children == 0
        {
            tree.remove_node(any);
            tree.levels[above].any_policy = None;
        }
    }
    tree.levels[0].any_policy.is_some()
}

/// `tree_calculate_authority_set` and `tree_calculate_user_set`: whether the
/// policies the user accepts (all of them without `-policy`, which OpenSSL
/// then counts as none) meet the authority-constrained policy set.
fn user_policy_set_empty(
    tree: &mut Tree,
    user_policies: &[ObjectIdentifier],
) -> Result<bool, TooManyNodes> {
    let last = tree.levels.len() - 1;
    let last_any = tree.levels[last].any_policy;

    // The nodes whose parent is an anyPolicy node on the unbroken line of
    // anyPolicy nodes from the anchor, deduplicated by policy.
    let mut authority: Vec<usize> = Vec::new();
    for level in 1..tree.levels.len() {
        let Some(any) = tree.levels[level - 1].any_policy else {
            break;
        };
        for &node in &tree.levels[level].nodes {
            let policy = tree.policy(node);
            if tree.nodes[node].parent == Some(any)
                && !authority.iter().any(|&known| tree.policy(known) == policy)
            {
                authority.push(node);
            }
        }
    }

    if user_policies.is_empty() {
        return Ok(true);
    }
    if user_policies.contains(&oids::ANY_POLICY) {
        // OpenSSL then takes the authority set itself: the last level's
        // anyPolicy node, or else the nodes collected above.
        return Ok(last_any.is_none() && authority.is_empty());
    }
    let mut found = false;
    for policy in user_policies {
        if authority.iter().any(|&node| tree.policy(node) == *policy) {
            found = true;
            continue;
        }
        if let Some(any) = last_any {
            let data = tree.add_data(PolicyData::new(*policy));
            let parent = tree.nodes[any].parent;
            tree.add_node(None, data, parent)?;
            found = true;
        }
    }
    Ok(!found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(text: &str) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(text)
    }

    #[test]
    fn constraints_decode() {
        // SEQUENCE { [0] 0 }
        assert_eq!(
            decode_constraints(&[0x30, 0x03, 0x80, 0x01, 0x00]),
            Some((0, -1))
        );
        // SEQUENCE { [1] 2 }
        assert_eq!(
            decode_constraints(&[0x30, 0x03, 0x81, 0x01, 0x02]),
            Some((-1, 2))
        );
        // An empty SEQUENCE is invalid.
        assert_eq!(decode_constraints(&[0x30, 0x00]), None);
        // A negative value is invalid.
        assert_eq!(decode_constraints(&[0x30, 0x03, 0x80, 0x01, 0xff]), None);
    }

    #[test]
    fn mappings_reject_any_policy() {
        let mut data = vec![PolicyData::new(oid("1.2.3"))];
        assert!(!apply_mappings(
            &mut data,
            false,
            &[(oids::ANY_POLICY, oid("1.2.4"))]
        ));
        assert!(!apply_mappings(&mut data, false, &[]));
    }

    #[test]
    fn mapping_from_any_policy_creates_data() {
        let mut data = vec![PolicyData::new(oid("1.2.3"))];
        assert!(apply_mappings(
            &mut data,
            true,
            &[(oid("1.2.9"), oid("1.2.10"))]
        ));
        assert_eq!(data.len(), 2);
        assert!(data[1].mapped_any);
        assert_eq!(data[1].expected, vec![oid("1.2.10")]);
        assert!(apply_mappings(
            &mut data,
            false,
            &[(oid("1.2.3"), oid("1.2.5"))]
        ));
        assert!(data[0].mapped);
    }

    #[test]
    fn large_skip_reads_as_absent() {
        assert_eq!(integer_skip(&[0x01, 0, 0, 0, 0, 0, 0, 0, 0]), Some(-1));
        assert_eq!(integer_skip(&[0x05]), Some(5));
    }
}
