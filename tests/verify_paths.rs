//! Certificate path validation through `ts -verify`, compared with
//! `openssl ts -verify` on the same token and arguments: cross-signed roots,
//! validity times, CA constraints, the time-stamping purpose, critical
//! extensions, CRLs, partial chains and the depth limit. Each case asserts
//! OpenSSL's verdict and that tsrs prints the same stdout and error lines.

mod common;
mod handmade;
mod x509_pki;

use std::path::{Path, PathBuf};

use handmade::{cms_sign, verify_both, write_tst_info};
use x509_pki::{DAY, Issued, Pki, Spec, now};

/// Signs `tst.der` with `leaf`, putting `carried` in the token.
fn token(pki: &Pki, name: &str, leaf: &Issued, carried: &[&Issued]) -> PathBuf {
    if !pki.path("tst.der").exists() {
        write_tst_info(pki);
    }
    if carried.is_empty() {
        return cms_sign(pki, name, leaf, &[]);
    }
    let bundle = pki.bundle(&format!("{name}.certs.pem"), carried);
    cms_sign(pki, name, leaf, &["-certfile", bundle.to_str().unwrap()])
}

/// Verifies with both tools and checks OpenSSL's verdict: `None` for OK, or
/// the X.509 verify error text.
fn check(pki: &Pki, token: &Path, args: &[&str], expected: Option<&str>) {
    let outcome = verify_both(pki, token, args);
    match expected {
        None => assert!(outcome.ok, "{args:?}: {}", outcome.stderr),
        Some(text) => {
            assert!(
                !outcome.ok,
                "{args:?}: verification passed, expected {text}"
            );
            let line = format!(
                "error:time stamp routines:ts_verify_cert:certificate verify error:Verify error:{text}"
            );
            assert!(
                outcome.stderr.contains(&line),
                "{args:?}: expected {line:?} in\n{}",
                outcome.stderr
            );
        }
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn cross_signed_roots() {
    let pki = Pki::new("ts-cross");
    let new_root = pki.issue("new", &Spec::ca("/CN=New Root"), None);
    let old_root = pki.issue(
        "old",
        &Spec::ca("/CN=Old Root").validity(now() - 800 * DAY, now() - 10 * DAY),
        None,
    );
    let cross = pki.issue(
        "cross",
        &Spec::ca("/CN=New Root").same_key_as(&new_root),
        Some(&old_root),
    );
    let intermediate = pki.issue("int", &Spec::ca("/CN=Issuing CA"), Some(&new_root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=TSA"), Some(&intermediate));
    let token = token(&pki, "cross.tok", &leaf, &[&intermediate, &cross]);
    let new_file = pki.bundle("new-only.pem", &[&new_root]);
    let old_file = pki.bundle("old-only.pem", &[&old_root]);
    let both = pki.bundle("both.pem", &[&old_root, &new_root]);

    check(&pki, &token, &["-CAfile", path_str(&new_file)], None);
    check(&pki, &token, &["-CAfile", path_str(&both)], None);
    check(
        &pki,
        &token,
        &["-CAfile", path_str(&old_file)],
        Some("certificate has expired"),
    );
    let before_expiry = (now() - 20 * DAY).to_string();
    check(
        &pki,
        &token,
        &["-CAfile", path_str(&old_file), "-attime", &before_expiry],
        None,
    );
}

#[test]
fn validity_time_options() {
    let pki = Pki::new("ts-time");
    let root = pki.issue(
        "root",
        &Spec::ca("/CN=Time Root").validity(now() - 1000 * DAY, now() + 1000 * DAY),
        None,
    );
    let leaf = pki.issue(
        "leaf",
        &Spec::tsa("/CN=Expired TSA").validity(now() - 400 * DAY, now() - 10 * DAY),
        Some(&root),
    );
    let future = pki.issue(
        "future",
        &Spec::tsa("/CN=Future TSA").validity(now() + 10 * DAY, now() + 400 * DAY),
        Some(&root),
    );
    let expired = token(&pki, "expired.tok", &leaf, &[]);
    let early = token(&pki, "future.tok", &future, &[]);
    let ca = ["-CAfile", "root.pem"];

    check(&pki, &expired, &ca, Some("certificate has expired"));
    let inside = (now() - 100 * DAY).to_string();
    check(
        &pki,
        &expired,
        &[&ca[..], &["-attime", &inside]].concat(),
        None,
    );
    check(
        &pki,
        &expired,
        &[&ca[..], &["-no_check_time"]].concat(),
        None,
    );
    check(&pki, &early, &ca, Some("certificate is not yet valid"));
    let later = (now() + 20 * DAY).to_string();
    check(
        &pki,
        &early,
        &[&ca[..], &["-attime", &later]].concat(),
        None,
    );
    let long_before = (now() - 4000 * DAY).to_string();
    check(
        &pki,
        &early,
        &[&ca[..], &["-attime", &long_before]].concat(),
        Some("certificate is not yet valid"),
    );
}

#[test]
fn intermediate_constraints() {
    let pki = Pki::new("ts-ca");
    let root = pki.issue("root", &Spec::ca("/CN=Constraint Root"), None);
    let cases: Vec<(&str, Spec, &str)> = vec![
        (
            "no-bc",
            Spec::ca("/CN=No BC").without_extension("basicConstraints"),
            "invalid CA certificate",
        ),
        (
            "ca-false",
            Spec::ca("/CN=CA False")
                .without_extension("basicConstraints")
                .extension("basicConstraints = critical,CA:FALSE"),
            "invalid CA certificate",
        ),
        (
            "no-keycertsign",
            Spec::ca("/CN=No keyCertSign")
                .without_extension("keyUsage")
                .extension("keyUsage = critical,digitalSignature,cRLSign"),
            "invalid CA certificate",
        ),
    ];
    for (name, spec, error) in cases {
        let intermediate = pki.issue(name, &spec, Some(&root));
        let leaf = pki.issue(
            &format!("{name}-leaf"),
            &Spec::tsa("/CN=TSA"),
            Some(&intermediate),
        );
        let token = token(&pki, &format!("{name}.tok"), &leaf, &[&intermediate]);
        check(&pki, &token, &["-CAfile", "root.pem"], Some(error));
    }
}

#[test]
fn path_length_constraint() {
    let pki = Pki::new("ts-pathlen");
    let root = pki.issue(
        "root",
        &Spec::ca("/CN=Pathlen Root")
            .without_extension("basicConstraints")
            .extension("basicConstraints = critical,CA:TRUE,pathlen:0"),
        None,
    );
    let intermediate = pki.issue("int", &Spec::ca("/CN=Pathlen Int"), Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=TSA"), Some(&intermediate));
    let direct = pki.issue("direct", &Spec::tsa("/CN=Direct TSA"), Some(&root));
    let deep = token(&pki, "deep.tok", &leaf, &[&intermediate]);
    let shallow = token(&pki, "shallow.tok", &direct, &[]);
    check(
        &pki,
        &deep,
        &["-CAfile", "root.pem"],
        Some("path length constraint exceeded"),
    );
    check(&pki, &shallow, &["-CAfile", "root.pem"], None);
}

#[test]
fn signer_extended_key_usage() {
    let pki = Pki::new("ts-eku");
    let root = pki.issue("root", &Spec::ca("/CN=EKU Root"), None);
    let base = Spec::tsa("/CN=TSA").without_extension("extendedKeyUsage");
    let cases: Vec<(&str, Spec, Option<&str>)> = vec![
        (
            "critical",
            base.clone()
                .extension("extendedKeyUsage = critical,timeStamping"),
            None,
        ),
        (
            "not-critical",
            base.clone().extension("extendedKeyUsage = timeStamping"),
            Some("unsuitable certificate purpose"),
        ),
        (
            "not-exclusive",
            base.clone()
                .extension("extendedKeyUsage = critical,timeStamping,serverAuth"),
            Some("unsuitable certificate purpose"),
        ),
        (
            "unknown-oid-too",
            base.clone()
                .extension("extendedKeyUsage = critical,timeStamping,1.2.3.4.5"),
            None,
        ),
        (
            "absent",
            base.clone(),
            Some("unsuitable certificate purpose"),
        ),
        (
            "key-encipherment",
            base.clone()
                .without_extension("keyUsage")
                .extension("keyUsage = critical,digitalSignature,keyEncipherment")
                .extension("extendedKeyUsage = critical,timeStamping"),
            Some("unsuitable certificate purpose"),
        ),
    ];
    for (name, spec, expected) in cases {
        let leaf = pki.issue(name, &spec, Some(&root));
        let token = token(&pki, &format!("{name}.tok"), &leaf, &[]);
        check(&pki, &token, &["-CAfile", "root.pem"], expected);
        check(
            &pki,
            &token,
            &["-CAfile", "root.pem", "-purpose", "any"],
            None,
        );
    }
}

#[test]
fn unhandled_critical_extension() {
    let pki = Pki::new("ts-critical");
    let root = pki.issue("root", &Spec::ca("/CN=Critical Root"), None);
    let leaf = pki.issue(
        "leaf",
        &Spec::tsa("/CN=TSA").extension("1.2.3.4.5.6 = critical,ASN1:NULL"),
        Some(&root),
    );
    let intermediate = pki.issue(
        "int",
        &Spec::ca("/CN=Critical Int").extension("1.2.3.4.5.7 = critical,ASN1:NULL"),
        Some(&root),
    );
    let below = pki.issue("below", &Spec::tsa("/CN=TSA 2"), Some(&intermediate));
    let leaf_token = token(&pki, "leaf.tok", &leaf, &[]);
    let int_token = token(&pki, "int.tok", &below, &[&intermediate]);
    for token in [&leaf_token, &int_token] {
        check(
            &pki,
            token,
            &["-CAfile", "root.pem"],
            Some("unhandled critical extension"),
        );
        check(
            &pki,
            token,
            &["-CAfile", "root.pem", "-ignore_critical"],
            None,
        );
    }
}

#[test]
fn revocation_lists() {
    let pki = Pki::new("ts-crl");
    let root = pki.issue("root", &Spec::ca("/CN=CRL Root"), None);
    let intermediate = pki.issue("int", &Spec::ca("/CN=CRL Int"), Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=TSA"), Some(&intermediate));
    let revoked_leaf = pki.issue(
        "revoked",
        &Spec::tsa("/CN=Revoked TSA"),
        Some(&intermediate),
    );
    let revoked_int = pki.issue("rint", &Spec::ca("/CN=Revoked Int"), Some(&root));
    let under_revoked = pki.issue("under", &Spec::tsa("/CN=TSA 3"), Some(&revoked_int));
    pki.revoke(&intermediate, &revoked_leaf);
    pki.revoke(&root, &revoked_int);
    let root_crl = pki.crl("root.crl", &root, now() - DAY, now() + 30 * DAY);
    let int_crl = pki.crl("int.crl", &intermediate, now() - DAY, now() + 30 * DAY);
    let rint_crl = pki.crl("rint.crl", &revoked_int, now() - DAY, now() + 30 * DAY);

    let good = token(&pki, "good.tok", &leaf, &[&intermediate]);
    let revoked = token(&pki, "revoked.tok", &revoked_leaf, &[&intermediate]);
    let below_revoked = token(&pki, "under.tok", &under_revoked, &[&revoked_int]);
    let all_crls = pki.concat("all.pem", &[&root.cert, &root_crl, &int_crl, &rint_crl]);
    let leaf_crls = pki.concat("leaf-crls.pem", &[&root.cert, &int_crl, &rint_crl]);
    let all = ["-CAfile", path_str(&all_crls)];
    let leaf_only = ["-CAfile", path_str(&leaf_crls)];

    check(&pki, &good, &all, None);
    check(&pki, &good, &[&all[..], &["-crl_check"]].concat(), None);
    check(&pki, &good, &[&all[..], &["-crl_check_all"]].concat(), None);
    check(
        &pki,
        &revoked,
        &[&all[..], &["-crl_check"]].concat(),
        Some("certificate revoked"),
    );
    check(&pki, &revoked, &all, None);
    check(
        &pki,
        &below_revoked,
        &[&all[..], &["-crl_check"]].concat(),
        None,
    );
    check(
        &pki,
        &below_revoked,
        &[&all[..], &["-crl_check_all"]].concat(),
        Some("certificate revoked"),
    );
    check(
        &pki,
        &good,
        &[&leaf_only[..], &["-crl_check_all"]].concat(),
        Some("unable to get certificate CRL"),
    );
    check(
        &pki,
        &good,
        &["-CAfile", "root.pem", "-crl_check"],
        Some("unable to get certificate CRL"),
    );
}

#[test]
fn partial_chain_and_depth() {
    let pki = Pki::new("ts-partial");
    let root = pki.issue("root", &Spec::ca("/CN=Partial Root"), None);
    let intermediate = pki.issue("int", &Spec::ca("/CN=Partial Int"), Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=TSA"), Some(&intermediate));
    let token = token(&pki, "partial.tok", &leaf, &[&intermediate]);

    check(
        &pki,
        &token,
        &["-CAfile", "int.pem"],
        Some("unable to get issuer certificate"),
    );
    check(
        &pki,
        &token,
        &["-CAfile", "int.pem", "-partial_chain"],
        None,
    );
    check(
        &pki,
        &token,
        &["-CAfile", "leaf.pem", "-partial_chain"],
        None,
    );
    for (depth, expected) in [
        ("0", Some("certificate chain too long")),
        ("1", None),
        ("2", None),
    ] {
        check(
            &pki,
            &token,
            &["-CAfile", "root.pem", "-verify_depth", depth],
            expected,
        );
    }
    check(
        &pki,
        &token,
        &[],
        Some("unable to get local issuer certificate"),
    );
}
