//! Path validation compared with `openssl verify -purpose timestampsign`.
//!
//! Each test builds a small PKI with `openssl req`/`openssl ca` in a
//! temporary directory, states the verdict OpenSSL 3.0 gives (so the case
//! exercises what its name states), and checks that tsrs gives the same code,
//! depth and text.

mod x509_pki;

use x509_pki::{Case, DAY, Pki, Spec, Verdict, now};

const UNABLE_TO_GET_ISSUER_CERT: i32 = 2;
const UNABLE_TO_GET_CRL: i32 = 3;
const CERT_SIGNATURE_FAILURE: i32 = 7;
const CERT_NOT_YET_VALID: i32 = 9;
const CERT_HAS_EXPIRED: i32 = 10;
const CRL_NOT_YET_VALID: i32 = 11;
const CRL_HAS_EXPIRED: i32 = 12;
const DEPTH_ZERO_SELF_SIGNED_CERT: i32 = 18;
const SELF_SIGNED_CERT_IN_CHAIN: i32 = 19;
const UNABLE_TO_GET_ISSUER_CERT_LOCALLY: i32 = 20;
const CERT_CHAIN_TOO_LONG: i32 = 22;
const CERT_REVOKED: i32 = 23;
const PATH_LENGTH_EXCEEDED: i32 = 25;
const INVALID_PURPOSE: i32 = 26;
const KEYUSAGE_NO_CERTSIGN: i32 = 32;
const UNHANDLED_CRITICAL_EXTENSION: i32 = 34;
const KEYUSAGE_NO_CRL_SIGN: i32 = 35;
const UNHANDLED_CRITICAL_CRL_EXTENSION: i32 = 36;
const DIFFERENT_CRL_SCOPE: i32 = 44;
const INVALID_CA: i32 = 79;
const MISSING_AUTHORITY_KEY_IDENTIFIER: i32 = 85;
const CA_BCONS_NOT_CRITICAL: i32 = 89;

/// A root, an intermediate and a time-stamping leaf, all RSA 2048.
struct Chain {
    pki: Pki,
    root: x509_pki::Issued,
    intermediate: x509_pki::Issued,
    leaf: x509_pki::Issued,
}

fn chain_with(label: &str, leaf_spec: Spec) -> Chain {
    let pki = Pki::new(label);
    let root = pki.issue("root", &Spec::ca("/C=HU/O=Test/CN=Root CA"), None);
    let intermediate = pki.issue(
        "int",
        &Spec::ca("/C=HU/O=Test/CN=Intermediate CA"),
        Some(&root),
    );
    let leaf = pki.issue("leaf", &leaf_spec, Some(&intermediate));
    Chain {
        pki,
        root,
        intermediate,
        leaf,
    }
}

fn chain(label: &str) -> Chain {
    chain_with(label, Spec::tsa("/C=HU/ST=Budapest/CN=tsa1"))
}

impl Chain {
    fn root_file(&self) -> std::path::PathBuf {
        self.pki.bundle("roots.pem", &[&self.root])
    }

    fn intermediate_file(&self) -> std::path::PathBuf {
        self.pki.bundle("untrusted.pem", &[&self.intermediate])
    }

    fn case(&self) -> Case {
        Case::new(&self.leaf, &self.root_file()).untrusted(&self.intermediate_file())
    }
}

#[test]
fn valid_chain_verifies() {
    let chain = chain("valid");
    chain.case().assert(Verdict::Ok);
    let (_, verified) = chain.case().tsrs_run();
    let verified = verified.unwrap();
    assert_eq!(verified.len(), 3);
    assert_eq!(
        tsrs::x509::name_oneline(verified[0].subject()),
        "/C=HU/ST=Budapest/CN=tsa1"
    );
    assert_eq!(
        tsrs::x509::name_oneline(verified[2].subject()),
        "/C=HU/O=Test/CN=Root CA"
    );
}

#[test]
fn leaf_directly_under_root_verifies() {
    let pki = Pki::new("direct");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&root));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root])).assert(Verdict::Ok);
}

#[test]
fn missing_intermediate_is_unable_to_get_local_issuer() {
    let chain = chain("no-int");
    Case::new(&chain.leaf, &chain.root_file())
        .assert(Verdict::error(UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0));
}

#[test]
fn root_only_untrusted_is_self_signed_in_chain() {
    let chain = chain("untrusted-root");
    let untrusted = chain
        .pki
        .bundle("all.pem", &[&chain.intermediate, &chain.root]);
    let unrelated = chain.pki.issue("other", &Spec::ca("/CN=Other Root"), None);
    let ca_file = chain.pki.bundle("other.pem", &[&unrelated]);
    Case::new(&chain.leaf, &ca_file)
        .untrusted(&untrusted)
        .assert(Verdict::error(SELF_SIGNED_CERT_IN_CHAIN, 2));
}

#[test]
fn self_signed_leaf_is_depth_zero_self_signed() {
    let pki = Pki::new("selfsigned");
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=Self"), None);
    let other = pki.issue("other", &Spec::ca("/CN=Other"), None);
    Case::new(&leaf, &pki.bundle("ca.pem", &[&other]))
        .assert(Verdict::error(DEPTH_ZERO_SELF_SIGNED_CERT, 0));
}

#[test]
fn expired_leaf() {
    let spec = Spec::tsa("/CN=short tsa").validity(now() - 30 * DAY, now() + 100 * DAY);
    let chain = chain_with("expired-leaf", spec);
    let after = now() + 200 * DAY;
    chain
        .case()
        .option(&format!("-attime {after}"))
        .assert(Verdict::error(CERT_HAS_EXPIRED, 0));
}

#[test]
fn everything_expired_reports_the_root_first() {
    let chain = chain("expired-all");
    let after = now() + 400 * DAY;
    chain
        .case()
        .option(&format!("-attime {after}"))
        .assert(Verdict::error(CERT_HAS_EXPIRED, 2));
}

#[test]
fn leaf_not_yet_valid() {
    let spec = Spec::tsa("/CN=new tsa").validity(now() - 5 * DAY, now() + 100 * DAY);
    let chain = chain_with("future-leaf", spec);
    let before = now() - 10 * DAY;
    chain
        .case()
        .option(&format!("-attime {before}"))
        .assert(Verdict::error(CERT_NOT_YET_VALID, 0));
}

#[test]
fn no_check_time_accepts_expired_leaf() {
    let spec = Spec::tsa("/CN=old tsa").validity(now() - 400 * DAY, now() - 10 * DAY);
    let chain = chain_with("no-check-time", spec);
    chain.case().assert(Verdict::error(CERT_HAS_EXPIRED, 0));
    chain.case().option("-no_check_time").assert(Verdict::Ok);
}

#[test]
fn expired_intermediate() {
    let pki = Pki::new("expired-int");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::ca("/CN=Short Intermediate").validity(now() - 30 * DAY, now() + 10 * DAY);
    let intermediate = pki.issue("int", &spec, Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&intermediate]))
        .option(&format!("-attime {}", now() + 20 * DAY))
        .assert(Verdict::error(CERT_HAS_EXPIRED, 1));
}

#[test]
fn expired_root() {
    let pki = Pki::new("expired-root");
    let spec = Spec::ca("/CN=Old Root").validity(now() - 30 * DAY, now() + 10 * DAY);
    let root = pki.issue("root", &spec, None);
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&root));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .option(&format!("-attime {}", now() + 20 * DAY))
        .assert(Verdict::error(CERT_HAS_EXPIRED, 1));
}

#[test]
fn leaf_without_eku_is_unsuitable() {
    let spec = Spec::tsa("/CN=no eku").without_extension("extendedKeyUsage");
    chain_with("no-eku", spec)
        .case()
        .assert(Verdict::error(INVALID_PURPOSE, 0));
}

#[test]
fn leaf_without_eku_passes_purpose_any() {
    let spec = Spec::tsa("/CN=no eku").without_extension("extendedKeyUsage");
    chain_with("no-eku-any", spec)
        .case()
        .option("-purpose any")
        .assert(Verdict::Ok);
}

#[test]
fn non_critical_eku_is_unsuitable() {
    let spec = Spec::tsa("/CN=soft eku")
        .without_extension("extendedKeyUsage")
        .extension("extendedKeyUsage = timeStamping");
    chain_with("noncrit-eku", spec)
        .case()
        .assert(Verdict::error(INVALID_PURPOSE, 0));
}

#[test]
fn any_extended_key_usage_is_unsuitable() {
    let spec = Spec::tsa("/CN=any eku")
        .without_extension("extendedKeyUsage")
        .extension("extendedKeyUsage = critical,timeStamping,anyExtendedKeyUsage");
    chain_with("anyeku", spec)
        .case()
        .assert(Verdict::error(INVALID_PURPOSE, 0));
}

#[test]
fn unknown_eku_oid_is_ignored() {
    let spec = Spec::tsa("/CN=extra eku")
        .without_extension("extendedKeyUsage")
        .extension("extendedKeyUsage = critical,timeStamping,1.2.3.4.5");
    chain_with("unknown-eku", spec).case().assert(Verdict::Ok);
}

#[test]
fn second_known_eku_is_unsuitable() {
    let spec = Spec::tsa("/CN=server too")
        .without_extension("extendedKeyUsage")
        .extension("extendedKeyUsage = critical,timeStamping,serverAuth");
    chain_with("two-eku", spec)
        .case()
        .assert(Verdict::error(INVALID_PURPOSE, 0));
}

#[test]
fn key_encipherment_is_unsuitable() {
    let spec = Spec::tsa("/CN=encipher")
        .without_extension("keyUsage")
        .extension("keyUsage = critical,digitalSignature,keyEncipherment");
    chain_with("ku-encipher", spec)
        .case()
        .assert(Verdict::error(INVALID_PURPOSE, 0));
}

#[test]
fn non_repudiation_alone_is_suitable() {
    let spec = Spec::tsa("/CN=nr")
        .without_extension("keyUsage")
        .extension("keyUsage = critical,nonRepudiation");
    chain_with("ku-nr", spec).case().assert(Verdict::Ok);
}

#[test]
fn leaf_without_key_usage_is_suitable() {
    let spec = Spec::tsa("/CN=no ku").without_extension("keyUsage");
    chain_with("no-ku", spec).case().assert(Verdict::Ok);
}

#[test]
fn sslserver_purpose_rejects_tsa_leaf() {
    chain("sslserver")
        .case()
        .option("-purpose sslserver")
        .assert(Verdict::error(INVALID_PURPOSE, 0));
}

#[test]
fn smimesign_purpose_rejects_tsa_leaf() {
    chain("smime")
        .case()
        .option("-purpose smimesign")
        .assert(Verdict::error(INVALID_PURPOSE, 0));
}

#[test]
fn unknown_critical_extension_on_leaf() {
    let spec = Spec::tsa("/CN=critical").extension("1.2.3.4.5.6 = critical,ASN1:NULL");
    let chain = chain_with("crit-leaf", spec);
    chain
        .case()
        .assert(Verdict::error(UNHANDLED_CRITICAL_EXTENSION, 0));
    chain.case().option("-ignore_critical").assert(Verdict::Ok);
}

#[test]
fn unknown_critical_extension_on_intermediate() {
    let pki = Pki::new("crit-int");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec =
        Spec::ca("/CN=Odd Intermediate").extension("1.2.3.4.5.7 = critical,ASN1:UTF8String:x");
    let intermediate = pki.issue("int", &spec, Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&intermediate]))
        .assert(Verdict::error(UNHANDLED_CRITICAL_EXTENSION, 1));
}

#[test]
fn root_path_length_zero_with_intermediate() {
    let pki = Pki::new("pathlen-root");
    let spec = Spec::ca("/CN=Strict Root")
        .without_extension("basicConstraints")
        .extension("basicConstraints = critical,CA:TRUE,pathlen:0");
    let root = pki.issue("root", &spec, None);
    let intermediate = pki.issue("int", &Spec::ca("/CN=Intermediate"), Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&intermediate]))
        .assert(Verdict::error(PATH_LENGTH_EXCEEDED, 2));
}

#[test]
fn intermediate_path_length_zero_with_sub_ca() {
    let pki = Pki::new("pathlen-int");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::ca("/CN=Limited")
        .without_extension("basicConstraints")
        .extension("basicConstraints = critical,CA:TRUE,pathlen:0");
    let limited = pki.issue("int", &spec, Some(&root));
    let sub = pki.issue("sub", &Spec::ca("/CN=Sub"), Some(&limited));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&sub));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&sub, &limited]))
        .assert(Verdict::error(PATH_LENGTH_EXCEEDED, 2));
}

#[test]
fn path_length_one_allows_sub_ca() {
    let pki = Pki::new("pathlen-ok");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::ca("/CN=Limited")
        .without_extension("basicConstraints")
        .extension("basicConstraints = critical,CA:TRUE,pathlen:1");
    let limited = pki.issue("int", &spec, Some(&root));
    let sub = pki.issue("sub", &Spec::ca("/CN=Sub"), Some(&limited));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&sub));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&limited, &sub]))
        .assert(Verdict::Ok);
}

#[test]
fn intermediate_without_key_cert_sign_is_invalid_ca() {
    let pki = Pki::new("no-certsign");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::ca("/CN=Signer Only")
        .without_extension("keyUsage")
        .extension("keyUsage = critical,digitalSignature");
    let intermediate = pki.issue("int", &spec, Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&intermediate]))
        .assert(Verdict::error(INVALID_CA, 1));
}

#[test]
fn partial_chain_anchor_that_is_not_a_ca() {
    // check_ca fails before internal_verify could object to the missing keyCertSign.
    let pki = Pki::new("non-ca-anchor");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::with_extensions("/CN=Not a CA", &["keyUsage = critical,digitalSignature"]);
    let anchor = pki.issue("anchor", &spec, Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&anchor));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&anchor]))
        .option("-partial_chain -purpose any")
        .assert(Verdict::error(INVALID_CA, 1));
}

#[test]
fn intermediate_with_ca_false_is_invalid_ca() {
    let pki = Pki::new("ca-false");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::ca("/CN=Not CA")
        .without_extension("basicConstraints")
        .extension("basicConstraints = critical,CA:FALSE");
    let intermediate = pki.issue("int", &spec, Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&intermediate]))
        .assert(Verdict::error(INVALID_CA, 1));
}

#[test]
fn intermediate_without_basic_constraints_is_invalid_ca() {
    let pki = Pki::new("no-bc");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::ca("/CN=No BC").without_extension("basicConstraints");
    let intermediate = pki.issue("int", &spec, Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&intermediate]))
        .assert(Verdict::error(INVALID_CA, 1));
}

#[test]
fn strict_rejects_non_critical_basic_constraints() {
    let pki = Pki::new("strict-bc");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::ca("/CN=Soft BC")
        .without_extension("basicConstraints")
        .extension("basicConstraints = CA:TRUE");
    let intermediate = pki.issue("int", &spec, Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    let case = Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&intermediate]));
    case.assert(Verdict::Ok);
    case.option("-x509_strict")
        .assert(Verdict::error(CA_BCONS_NOT_CRITICAL, 1));
}

#[test]
fn strict_accepts_a_conforming_chain() {
    chain("strict-ok")
        .case()
        .option("-x509_strict")
        .assert(Verdict::Ok);
}

#[test]
fn strict_requires_authority_key_identifier() {
    let pki = Pki::new("strict-akid");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::ca("/CN=No AKID")
        .without_extension("authorityKeyIdentifier")
        .extension("authorityKeyIdentifier = none");
    let intermediate = pki.issue("int", &spec, Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&intermediate]))
        .option("-x509_strict")
        .assert(Verdict::error(MISSING_AUTHORITY_KEY_IDENTIFIER, 1));
}

#[test]
fn partial_chain_accepts_trusted_intermediate() {
    let chain = chain("partial");
    let ca_file = chain.pki.bundle("int-only.pem", &[&chain.intermediate]);
    let case = Case::new(&chain.leaf, &ca_file);
    case.assert(Verdict::error(UNABLE_TO_GET_ISSUER_CERT, 1));
    case.option("-partial_chain").assert(Verdict::Ok);
}

#[test]
fn partial_chain_accepts_trusted_leaf() {
    let chain = chain("partial-leaf");
    let ca_file = chain.pki.bundle("leaf-only.pem", &[&chain.leaf]);
    let case = Case::new(&chain.leaf, &ca_file);
    case.assert(Verdict::error(UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0));
    case.option("-partial_chain").assert(Verdict::Ok);
}

#[test]
fn forged_leaf_without_key_id_fails_signature() {
    let pki = Pki::new("forged");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let impostor = pki.issue("impostor", &Spec::ca("/CN=Root"), None);
    let spec = Spec::tsa("/CN=tsa")
        .without_extension("authorityKeyIdentifier")
        .extension("authorityKeyIdentifier = none");
    let leaf = pki.issue("leaf", &spec, Some(&impostor));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .assert(Verdict::error(CERT_SIGNATURE_FAILURE, 0));
}

#[test]
fn forged_leaf_with_key_id_finds_no_issuer() {
    let pki = Pki::new("forged-akid");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let impostor = pki.issue("impostor", &Spec::ca("/CN=Root"), None);
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&impostor));
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .assert(Verdict::error(UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0));
}

#[test]
fn verify_depth_zero_is_too_long() {
    let chain = chain("depth0");
    chain
        .case()
        .option("-verify_depth 0")
        .assert(Verdict::error(CERT_CHAIN_TOO_LONG, 1));
    chain.case().option("-verify_depth 1").assert(Verdict::Ok);
}

#[test]
fn check_ss_sig_needs_key_cert_sign() {
    // The one place where keyCertSign, not check_ca, decides: a trusted
    // self-signed CA verified on its own with its self-signature checked.
    let pki = Pki::new("ss-no-certsign");
    let spec = Spec::tsa("/CN=Self CA")
        .without_extension("basicConstraints")
        .extension("basicConstraints = critical,CA:TRUE");
    let anchor = pki.issue("anchor", &spec, None);
    let case = Case::new(&anchor, &pki.bundle("ca.pem", &[&anchor]));
    case.assert(Verdict::Ok);
    case.option("-check_ss_sig")
        .assert(Verdict::error(KEYUSAGE_NO_CERTSIGN, 0));
}

#[test]
fn crl_revoked_leaf() {
    let chain = chain("crl-revoked");
    chain.pki.revoke(&chain.intermediate, &chain.leaf);
    let crl = chain.pki.crl(
        "int.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
    );
    let ca_file = chain.pki.concat("ca-crl.pem", &[&chain.root.cert, &crl]);
    let case = Case::new(&chain.leaf, &ca_file).untrusted(&chain.intermediate_file());
    case.assert(Verdict::Ok);
    case.option("-crl_check")
        .assert(Verdict::error(CERT_REVOKED, 0));
}

#[test]
fn crl_not_revoked_leaf() {
    let chain = chain("crl-ok");
    let crl = chain.pki.crl(
        "int.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
    );
    let ca_file = chain.pki.concat("ca-crl.pem", &[&chain.root.cert, &crl]);
    Case::new(&chain.leaf, &ca_file)
        .untrusted(&chain.intermediate_file())
        .option("-crl_check")
        .assert(Verdict::Ok);
}

#[test]
fn crl_check_without_crl() {
    chain("crl-missing")
        .case()
        .option("-crl_check")
        .assert(Verdict::error(UNABLE_TO_GET_CRL, 0));
}

#[test]
fn crl_check_all_needs_every_crl() {
    let chain = chain("crl-all");
    let int_crl = chain.pki.crl(
        "int.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
    );
    let partial = chain
        .pki
        .concat("partial.pem", &[&chain.root.cert, &int_crl]);
    let case = Case::new(&chain.leaf, &partial).untrusted(&chain.intermediate_file());
    case.option("-crl_check_all")
        .assert(Verdict::error(UNABLE_TO_GET_CRL, 1));

    let root_crl = chain
        .pki
        .crl("root.crl", &chain.root, now() - DAY, now() + 30 * DAY);
    let full = chain
        .pki
        .concat("full.pem", &[&chain.root.cert, &int_crl, &root_crl]);
    Case::new(&chain.leaf, &full)
        .untrusted(&chain.intermediate_file())
        .option("-crl_check_all")
        .assert(Verdict::Ok);
}

#[test]
fn crl_revoked_intermediate_with_check_all() {
    let chain = chain("crl-int-revoked");
    chain.pki.revoke(&chain.root, &chain.intermediate);
    let int_crl = chain.pki.crl(
        "int.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
    );
    let root_crl = chain
        .pki
        .crl("root.crl", &chain.root, now() - DAY, now() + 30 * DAY);
    let ca_file = chain
        .pki
        .concat("ca.pem", &[&chain.root.cert, &int_crl, &root_crl]);
    let case = Case::new(&chain.leaf, &ca_file).untrusted(&chain.intermediate_file());
    case.clone().option("-crl_check").assert(Verdict::Ok);
    case.option("-crl_check_all")
        .assert(Verdict::error(CERT_REVOKED, 1));
}

#[test]
fn expired_crl() {
    let chain = chain("crl-expired");
    let crl = chain.pki.crl(
        "int.crl",
        &chain.intermediate,
        now() - 20 * DAY,
        now() - 10 * DAY,
    );
    let ca_file = chain.pki.concat("ca-crl.pem", &[&chain.root.cert, &crl]);
    Case::new(&chain.leaf, &ca_file)
        .untrusted(&chain.intermediate_file())
        .option("-crl_check")
        .assert(Verdict::error(CRL_HAS_EXPIRED, 0));
}

#[test]
fn crl_not_yet_valid() {
    let chain = chain("crl-future");
    let crl = chain.pki.crl(
        "int.crl",
        &chain.intermediate,
        now() + 10 * DAY,
        now() + 20 * DAY,
    );
    let ca_file = chain.pki.concat("ca-crl.pem", &[&chain.root.cert, &crl]);
    Case::new(&chain.leaf, &ca_file)
        .untrusted(&chain.intermediate_file())
        .option("-crl_check")
        .assert(Verdict::error(CRL_NOT_YET_VALID, 0));
}

#[test]
fn crl_issuer_without_crl_sign() {
    let pki = Pki::new("crl-no-crlsign");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::ca("/CN=No CRL Sign")
        .without_extension("keyUsage")
        .extension("keyUsage = critical,keyCertSign");
    let intermediate = pki.issue("int", &spec, Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    let crl = pki.crl("int.crl", &intermediate, now() - DAY, now() + 30 * DAY);
    let ca_file = pki.concat("ca.pem", &[&root.cert, &crl]);
    Case::new(&leaf, &ca_file)
        .untrusted(&pki.bundle("u.pem", &[&intermediate]))
        .option("-crl_check")
        .assert(Verdict::error(KEYUSAGE_NO_CRL_SIGN, 0));
}

#[test]
fn crl_from_crl_file_option() {
    let chain = chain("crl-file");
    chain.pki.revoke(&chain.intermediate, &chain.leaf);
    let crl = chain.pki.crl(
        "int.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
    );
    let mut case = chain.case().option("-crl_check");
    case.crl_file = Some(crl);
    case.assert(Verdict::error(CERT_REVOKED, 0));
}

#[test]
fn trusted_self_signed_leaf_verifies() {
    let pki = Pki::new("ss-trusted");
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=Self TSA"), None);
    Case::new(&leaf, &pki.bundle("ca.pem", &[&leaf])).assert(Verdict::Ok);
}

#[test]
fn capath_hashed_directory() {
    let chain = chain("capath");
    let dir = chain.pki.path("certs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&chain.root.cert, dir.join("root.pem")).unwrap();
    chain.pki.run(&["rehash", dir.to_str().unwrap()]);
    let mut case = Case {
        ca_path: Some(dir.clone()),
        leaf: chain.leaf.cert.clone(),
        ..Case::default()
    }
    .untrusted(&chain.intermediate_file());
    case.assert(Verdict::Ok);

    case.untrusted = None;
    case.assert(Verdict::error(UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0));
}

#[test]
fn capath_with_crl() {
    let chain = chain("capath-crl");
    chain.pki.revoke(&chain.intermediate, &chain.leaf);
    let crl = chain.pki.crl(
        "int.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
    );
    let dir = chain.pki.path("certs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&chain.root.cert, dir.join("root.pem")).unwrap();
    std::fs::copy(&crl, dir.join("int.crl.pem")).unwrap();
    chain.pki.run(&["rehash", dir.to_str().unwrap()]);
    Case {
        ca_path: Some(dir),
        leaf: chain.leaf.cert.clone(),
        ..Case::default()
    }
    .untrusted(&chain.intermediate_file())
    .option("-crl_check")
    .assert(Verdict::error(CERT_REVOKED, 0));
}

#[test]
fn crl_times_ignored_without_time_check() {
    let chain = chain("crl-notime");
    let crl = chain.pki.crl(
        "int.crl",
        &chain.intermediate,
        now() - 20 * DAY,
        now() - 10 * DAY,
    );
    let ca_file = chain.pki.concat("ca-crl.pem", &[&chain.root.cert, &crl]);
    Case::new(&chain.leaf, &ca_file)
        .untrusted(&chain.intermediate_file())
        .option("-crl_check -no_check_time")
        .assert(Verdict::Ok);
}

#[test]
fn validity_boundaries() {
    let not_before = now() - 10 * DAY;
    let not_after = now() + 10 * DAY;
    let spec = Spec::tsa("/CN=edge tsa").validity(not_before, not_after);
    let chain = chain_with("boundaries", spec);
    chain
        .case()
        .option(&format!("-attime {not_before}"))
        .assert(Verdict::Ok);
    chain
        .case()
        .option(&format!("-attime {}", not_before - 1))
        .assert(Verdict::error(CERT_NOT_YET_VALID, 0));
    chain
        .case()
        .option(&format!("-attime {}", not_after - 1))
        .assert(Verdict::Ok);
    chain
        .case()
        .option(&format!("-attime {not_after}"))
        .assert(Verdict::error(CERT_HAS_EXPIRED, 0));
}

#[test]
fn crl_entry_removed_from_crl_is_not_revoked() {
    let chain = chain("crl-remove");
    chain
        .pki
        .revoke_with_reason(&chain.intermediate, &chain.leaf, Some("removeFromCRL"));
    let crl = chain.pki.crl(
        "int.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
    );
    let text = chain
        .pki
        .run(&["crl", "-in", crl.to_str().unwrap(), "-noout", "-text"]);
    assert!(text.contains("Remove From CRL"), "{text}");
    let ca_file = chain.pki.concat("ca-crl.pem", &[&chain.root.cert, &crl]);
    Case::new(&chain.leaf, &ca_file)
        .untrusted(&chain.intermediate_file())
        .option("-crl_check")
        .assert(Verdict::Ok);
}

#[test]
fn crl_with_unknown_critical_extension() {
    let chain = chain("crl-critical");
    let crl = chain.pki.crl_with_extensions(
        "int.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
        &["1.2.3.4.5.8 = critical,ASN1:NULL"],
    );
    let ca_file = chain.pki.concat("ca-crl.pem", &[&chain.root.cert, &crl]);
    let case = Case::new(&chain.leaf, &ca_file)
        .untrusted(&chain.intermediate_file())
        .option("-crl_check");
    case.assert(Verdict::error(UNHANDLED_CRITICAL_CRL_EXTENSION, 0));
    case.option("-ignore_critical").assert(Verdict::Ok);
}

#[test]
fn crl_only_for_ca_certificates() {
    let chain = chain("crl-only-ca");
    let mut crl_ext = vec!["issuingDistributionPoint = critical,@idp"];
    crl_ext.push("[ idp ]\nonlyCA = TRUE");
    let crl = chain.pki.crl_with_extensions(
        "int.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
        &crl_ext,
    );
    let ca_file = chain.pki.concat("ca-crl.pem", &[&chain.root.cert, &crl]);
    Case::new(&chain.leaf, &ca_file)
        .untrusted(&chain.intermediate_file())
        .option("-crl_check")
        .assert(Verdict::error(DIFFERENT_CRL_SCOPE, 0));
}

#[test]
fn crl_distribution_point_names_must_match() {
    let spec =
        Spec::tsa("/CN=dp tsa").extension("crlDistributionPoints = URI:http://crl.example/int.crl");
    let chain = chain_with("crl-dp", spec);
    let matching = chain.pki.crl_with_extensions(
        "match.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
        &[
            "issuingDistributionPoint = critical,@idp",
            "[ idp ]\nfullname = URI:http://crl.example/int.crl",
        ],
    );
    let ca_file = chain
        .pki
        .concat("match.pem", &[&chain.root.cert, &matching]);
    Case::new(&chain.leaf, &ca_file)
        .untrusted(&chain.intermediate_file())
        .option("-crl_check")
        .assert(Verdict::Ok);

    let other = chain.pki.crl_with_extensions(
        "other.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
        &[
            "issuingDistributionPoint = critical,@idp",
            "[ idp ]\nfullname = URI:http://crl.example/other.crl",
        ],
    );
    let ca_file = chain.pki.concat("other.pem", &[&chain.root.cert, &other]);
    Case::new(&chain.leaf, &ca_file)
        .untrusted(&chain.intermediate_file())
        .option("-crl_check")
        .assert(Verdict::error(DIFFERENT_CRL_SCOPE, 0));
}
