//! Chain building compared with `openssl verify`: cross-signed
//! intermediates, trust settings of `TRUSTED CERTIFICATE` anchors, name
//! constraints, and hostile inputs (loops, long chains, many candidates) that
//! must end quickly with an error.

mod x509_pki;

use std::time::{Duration, Instant};

use x509_pki::{Case, Issued, Pki, Spec, Verdict};

const UNABLE_TO_GET_ISSUER_CERT: i32 = 2;
const CERT_SIGNATURE_FAILURE: i32 = 7;
const SELF_SIGNED_CERT_IN_CHAIN: i32 = 19;
const UNABLE_TO_GET_ISSUER_CERT_LOCALLY: i32 = 20;
const CERT_CHAIN_TOO_LONG: i32 = 22;
const CERT_REJECTED: i32 = 28;
const PERMITTED_VIOLATION: i32 = 47;
const EXCLUDED_VIOLATION: i32 = 48;

/// Writes `cert` with trust settings made by `openssl x509 -addtrust/-addreject`.
fn with_trust(pki: &Pki, cert: &Issued, name: &str, settings: &[&str]) -> std::path::PathBuf {
    let out = pki.path(name);
    let mut args = vec![
        "x509",
        "-in",
        cert.cert.to_str().unwrap(),
        "-out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(settings);
    pki.run(&args);
    out
}

#[test]
fn cross_signed_intermediate_reaches_new_root() {
    let pki = Pki::new("cross-new");
    let new_root = pki.issue("new", &Spec::ca("/CN=New Root"), None);
    let old_root = pki.issue("old", &Spec::ca("/CN=Old Root"), None);
    let cross = pki.issue(
        "cross",
        &Spec::ca("/CN=New Root").same_key_as(&new_root),
        Some(&old_root),
    );
    let intermediate = pki.issue("int", &Spec::ca("/CN=Issuing CA"), Some(&new_root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    let untrusted = pki.bundle("u.pem", &[&intermediate, &cross, &old_root]);

    Case::new(&leaf, &pki.bundle("new.pem", &[&new_root]))
        .untrusted(&untrusted)
        .assert(Verdict::Ok);
    Case::new(&leaf, &pki.bundle("old.pem", &[&old_root]))
        .untrusted(&untrusted)
        .assert(Verdict::Ok);

    let (_, chain) = Case::new(&leaf, &pki.bundle("new.pem", &[&new_root]))
        .untrusted(&untrusted)
        .tsrs_run();
    assert_eq!(
        chain.unwrap().len(),
        3,
        "trusted-first ends at the new root"
    );
    let (_, chain) = Case::new(&leaf, &pki.bundle("old.pem", &[&old_root]))
        .untrusted(&untrusted)
        .tsrs_run();
    assert_eq!(
        chain.unwrap().len(),
        4,
        "the cross certificate leads to the old root"
    );
}

#[test]
fn cross_signed_with_both_roots_untrusted() {
    let pki = Pki::new("cross-none");
    let new_root = pki.issue("new", &Spec::ca("/CN=New Root"), None);
    let old_root = pki.issue("old", &Spec::ca("/CN=Old Root"), None);
    let cross = pki.issue(
        "cross",
        &Spec::ca("/CN=New Root").same_key_as(&new_root),
        Some(&old_root),
    );
    let intermediate = pki.issue("int", &Spec::ca("/CN=Issuing CA"), Some(&new_root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    let other = pki.issue("other", &Spec::ca("/CN=Unrelated"), None);
    let untrusted = pki.bundle("u.pem", &[&intermediate, &cross, &old_root, &new_root]);
    Case::new(&leaf, &pki.bundle("other.pem", &[&other]))
        .untrusted(&untrusted)
        .assert(Verdict::error(SELF_SIGNED_CERT_IN_CHAIN, 3));
}

/// Without trusted-first search, OpenSSL first builds the chain from the
/// untrusted certificates alone and then retries with shorter chains
/// (`S_DOALTERNATE` in `build_chain`). The `openssl` command always searches
/// trusted issuers first, so this case is checked against the outcome the C
/// code gives rather than run through it.
#[test]
fn alternative_chain_without_trusted_first() {
    use tsrs::x509::{self, TrustStore, VerifyCode, VerifyOptions};

    let pki = Pki::new("alt-chain");
    let new_root = pki.issue("new", &Spec::ca("/CN=New Root"), None);
    let old_root = pki.issue("old", &Spec::ca("/CN=Old Root"), None);
    let cross = pki.issue(
        "cross",
        &Spec::ca("/CN=New Root").same_key_as(&new_root),
        Some(&old_root),
    );
    let intermediate = pki.issue("int", &Spec::ca("/CN=Issuing CA"), Some(&new_root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    let load = |issued: &Issued| x509::load_certs(&issued.cert).unwrap().remove(0);
    let untrusted = vec![load(&intermediate), load(&cross), load(&old_root)];
    let mut store = TrustStore::new();
    store.add_cert(load(&new_root));

    let options = VerifyOptions {
        trusted_first: false,
        ..VerifyOptions::default()
    };
    let chain = x509::verify_chain(&load(&leaf), &untrusted, &store, &options).unwrap();
    assert_eq!(chain.len(), 3);
    assert_eq!(chain[2].der(), load(&new_root).der());

    let no_alternatives = VerifyOptions {
        no_alt_chains: true,
        ..options
    };
    let err = x509::verify_chain(&load(&leaf), &untrusted, &store, &no_alternatives).unwrap_err();
    assert_eq!(err.code(), VerifyCode::SelfSignedCertInChain);
    assert_eq!(err.depth(), 3);
}

#[test]
fn two_candidate_issuers_prefer_the_valid_one() {
    use x509_pki::{DAY, now};
    let pki = Pki::new("two-issuers");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let expired = Spec::ca("/CN=Issuing CA").validity(now() - 100 * DAY, now() - DAY);
    let old = pki.issue("old", &expired, Some(&root));
    let current = pki.issue(
        "cur",
        &Spec::ca("/CN=Issuing CA").same_key_as(&old),
        Some(&root),
    );
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&current));
    let ca_file = pki.bundle("ca.pem", &[&root]);
    Case::new(&leaf, &ca_file)
        .untrusted(&pki.bundle("u1.pem", &[&old, &current]))
        .assert(Verdict::Ok);
    Case::new(&leaf, &ca_file)
        .untrusted(&pki.bundle("u2.pem", &[&current, &old]))
        .assert(Verdict::Ok);
    Case::new(&leaf, &ca_file)
        .untrusted(&pki.bundle("u3.pem", &[&old]))
        .assert(Verdict::error(10, 1));
}

#[test]
fn trusted_intermediate_with_timestamping_trust() {
    let pki = Pki::new("aux-trust");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let intermediate = pki.issue("int", &Spec::ca("/CN=Issuing CA"), Some(&root));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));

    let trusted = with_trust(
        &pki,
        &intermediate,
        "int-trusted.pem",
        &["-addtrust", "timeStamping"],
    );
    let text = std::fs::read_to_string(&trusted).unwrap();
    assert!(text.contains("BEGIN TRUSTED CERTIFICATE"));
    Case::new(&leaf, &trusted).assert(Verdict::Ok);

    let plain = pki.bundle("int.pem", &[&intermediate]);
    Case::new(&leaf, &plain).assert(Verdict::error(UNABLE_TO_GET_ISSUER_CERT, 1));
}

#[test]
fn root_rejected_for_timestamping() {
    let pki = Pki::new("aux-reject");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&root));
    let rejected = with_trust(
        &pki,
        &root,
        "root-reject.pem",
        &["-addreject", "timeStamping"],
    );
    Case::new(&leaf, &rejected).assert(Verdict::error(CERT_REJECTED, 1));
}

#[test]
fn root_trusted_for_other_purposes_only() {
    let pki = Pki::new("aux-other");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&root));
    let server_only = with_trust(&pki, &root, "root-server.pem", &["-addtrust", "serverAuth"]);
    Case::new(&leaf, &server_only).assert(Verdict::error(CERT_REJECTED, 1));
    let any = with_trust(
        &pki,
        &root,
        "root-any.pem",
        &["-addtrust", "anyExtendedKeyUsage"],
    );
    Case::new(&leaf, &any).assert(Verdict::Ok);
    Case::new(&leaf, &server_only)
        .option("-purpose sslserver")
        .assert(Verdict::error(26, 0));
    Case::new(&leaf, &server_only)
        .option("-purpose any")
        .assert(Verdict::error(CERT_REJECTED, 1));
}

#[test]
fn name_constraints_on_dns_names() {
    let pki = Pki::new("nc-dns");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::ca("/CN=Constrained").extension(
        "nameConstraints = critical,permitted;DNS:example.com,excluded;DNS:bad.example.com",
    );
    let intermediate = pki.issue("int", &spec, Some(&root));
    let ca_file = pki.bundle("ca.pem", &[&root]);
    let untrusted = pki.bundle("u.pem", &[&intermediate]);
    let leaf_with = |name: &str, san: &str| {
        pki.issue(
            name,
            &Spec::tsa(&format!("/CN={name}")).extension(&format!("subjectAltName = {san}")),
            Some(&intermediate),
        )
    };

    let good = leaf_with("good", "DNS:tsa.example.com");
    Case::new(&good, &ca_file)
        .untrusted(&untrusted)
        .assert(Verdict::Ok);
    let outside = leaf_with("outside", "DNS:tsa.example.org");
    Case::new(&outside, &ca_file)
        .untrusted(&untrusted)
        .assert(Verdict::error(PERMITTED_VIOLATION, 0));
    let excluded = leaf_with("excluded", "DNS:x.bad.example.com");
    Case::new(&excluded, &ca_file)
        .untrusted(&untrusted)
        .assert(Verdict::error(EXCLUDED_VIOLATION, 0));

    let common_name = pki.issue(
        "cn",
        &Spec::tsa("/CN=host.example.org"),
        Some(&intermediate),
    );
    Case::new(&common_name, &ca_file)
        .untrusted(&untrusted)
        .assert(Verdict::error(PERMITTED_VIOLATION, 0));
}

#[test]
fn name_constraints_on_directory_names() {
    let pki = Pki::new("nc-dir");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let mut spec = Spec::ca("/C=HU/O=Test/CN=Constrained")
        .extension("nameConstraints = critical,permitted;dirName:nc_dir");
    spec.extensions.push("[ nc_dir ]\nC = HU\nO = Test".into());
    let intermediate = pki.issue("int", &spec, Some(&root));
    let ca_file = pki.bundle("ca.pem", &[&root]);
    let untrusted = pki.bundle("u.pem", &[&intermediate]);

    let inside = pki.issue(
        "inside",
        &Spec::tsa("/C=HU/O=Test/CN=tsa"),
        Some(&intermediate),
    );
    Case::new(&inside, &ca_file)
        .untrusted(&untrusted)
        .assert(Verdict::Ok);
    let folded = pki.issue(
        "folded",
        &Spec::tsa("/C=HU/O=  TEST /CN=tsa"),
        Some(&intermediate),
    );
    Case::new(&folded, &ca_file)
        .untrusted(&untrusted)
        .assert(Verdict::Ok);
    let outside = pki.issue(
        "outside",
        &Spec::tsa("/C=HU/O=Other/CN=tsa"),
        Some(&intermediate),
    );
    Case::new(&outside, &ca_file)
        .untrusted(&untrusted)
        .assert(Verdict::error(PERMITTED_VIOLATION, 0));
}

#[test]
fn name_constraints_on_email_and_ip() {
    let pki = Pki::new("nc-email");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::ca("/CN=Constrained").extension(
        "nameConstraints = critical,permitted;email:.example.com,permitted;IP:10.0.0.0/255.0.0.0",
    );
    let intermediate = pki.issue("int", &spec, Some(&root));
    let ca_file = pki.bundle("ca.pem", &[&root]);
    let untrusted = pki.bundle("u.pem", &[&intermediate]);
    let leaf_with = |name: &str, san: &str| {
        pki.issue(
            name,
            &Spec::tsa(&format!("/CN={name}")).extension(&format!("subjectAltName = {san}")),
            Some(&intermediate),
        )
    };
    Case::new(
        &leaf_with("mail-ok", "email:tsa@mail.example.com,IP:10.1.2.3"),
        &ca_file,
    )
    .untrusted(&untrusted)
    .assert(Verdict::Ok);
    Case::new(&leaf_with("mail-bad", "email:tsa@example.org"), &ca_file)
        .untrusted(&untrusted)
        .assert(Verdict::error(PERMITTED_VIOLATION, 0));
    Case::new(&leaf_with("ip-bad", "IP:192.168.1.1"), &ca_file)
        .untrusted(&untrusted)
        .assert(Verdict::error(PERMITTED_VIOLATION, 0));
}

/// Two CAs that issued each other, and a leaf under one of them.
#[test]
fn chain_loop_ends_quickly() {
    let pki = Pki::new("loop");
    let first = pki.issue("a0", &Spec::ca("/CN=Loop A"), None);
    let second = pki.issue("b", &Spec::ca("/CN=Loop B"), Some(&first));
    let looped = pki.issue(
        "a",
        &Spec::ca("/CN=Loop A").same_key_as(&first),
        Some(&second),
    );
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&looped));
    let other = pki.issue("other", &Spec::ca("/CN=Unrelated"), None);
    let untrusted = pki.bundle("u.pem", &[&looped, &second]);
    let started = Instant::now();
    Case::new(&leaf, &pki.bundle("ca.pem", &[&other]))
        .untrusted(&untrusted)
        .assert(Verdict::error(UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 2));
    assert!(started.elapsed() < Duration::from_secs(10));

    // With one of the loop's CAs trusted, the loop resolves.
    Case::new(&leaf, &pki.bundle("b.pem", &[&second]))
        .untrusted(&untrusted)
        .option("-partial_chain")
        .assert(Verdict::Ok);
}

#[test]
fn self_issued_certificate_that_is_not_self_signed() {
    let pki = Pki::new("self-issued");
    let ca = pki.issue("mirror-ca", &Spec::ca("/CN=Mirror"), None);
    let mirror = pki.issue("mirror", &Spec::ca("/CN=Mirror"), Some(&ca));
    let other = pki.issue("other", &Spec::ca("/CN=Unrelated"), None);
    let untrusted = pki.bundle("u.pem", &[&mirror]);
    Case::new(&mirror, &pki.bundle("ca.pem", &[&other]))
        .untrusted(&untrusted)
        .assert(Verdict::error(UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0));
    Case::new(&mirror, &pki.bundle("ca2.pem", &[&ca]))
        .option("-purpose any")
        .assert(Verdict::Ok);
}

#[test]
fn self_issued_anchor_with_wrong_signature() {
    // Names and key identifiers mark it as self-signed, but another key signed it.
    let pki = Pki::new("fake-self-signed");
    let real = pki.issue("real", &Spec::ca("/CN=Fake"), None);
    let spec = Spec::ca("/CN=Fake")
        .without_extension("authorityKeyIdentifier")
        .extension("authorityKeyIdentifier = none");
    let fake = pki.issue("fake", &spec, Some(&real));
    let case = Case::new(&fake, &pki.bundle("ca.pem", &[&fake])).option("-purpose any");
    case.assert(Verdict::Ok);
    case.option("-check_ss_sig")
        .assert(Verdict::error(CERT_SIGNATURE_FAILURE, 0));
}

#[test]
fn long_chain_is_too_long_and_fast() {
    let pki = Pki::new("long");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let mut previous = pki.issue("ca0", &Spec::ca("/CN=CA 0"), Some(&root));
    let mut chain = vec![previous.clone()];
    for index in 1..105 {
        let spec = Spec::ca(&format!("/CN=CA {index}")).same_key_as(&previous);
        previous = pki.issue(&format!("ca{index}"), &spec, Some(&previous));
        chain.push(previous.clone());
    }
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&previous));
    chain.reverse();
    let untrusted = pki.bundle("u.pem", &chain.iter().collect::<Vec<_>>());
    let started = Instant::now();
    let case = Case::new(&leaf, &pki.bundle("ca.pem", &[&root])).untrusted(&untrusted);
    case.assert(Verdict::error(CERT_CHAIN_TOO_LONG, 101));
    case.option("-verify_depth 200").assert(Verdict::Ok);
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn five_hundred_untrusted_certificates_end_quickly() {
    let pki = Pki::new("many");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let intermediate = pki.issue("int", &Spec::ca("/CN=Issuing CA"), Some(&root));
    let decoy = pki.issue("decoy", &Spec::ca("/CN=Issuing CA"), None);
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    let mut certs: Vec<&Issued> = vec![&decoy; 499];
    certs.push(&intermediate);
    let untrusted = pki.bundle("u.pem", &certs);

    let started = Instant::now();
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&untrusted)
        .assert(Verdict::Ok);
    let only_decoys = pki.bundle("decoys.pem", &vec![&decoy; 500]);
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&only_decoys)
        .assert(Verdict::error(UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn too_many_untrusted_certificates_are_refused() {
    let pki = Pki::new("too-many");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&root));
    let leaf_cert = tsrs::x509::load_certs(&leaf.cert).unwrap().remove(0);
    let root_cert = tsrs::x509::load_certs(&root.cert).unwrap().remove(0);
    let untrusted = vec![root_cert.clone(); tsrs::x509::MAX_UNTRUSTED + 1];
    let mut store = tsrs::x509::TrustStore::new();
    store.add_cert(root_cert);
    let started = Instant::now();
    let err =
        tsrs::x509::verify_chain(&leaf_cert, &untrusted, &store, &Default::default()).unwrap_err();
    assert_eq!(err.code(), tsrs::x509::VerifyCode::Unspecified);
    assert!(err.detail().is_some());
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// Two trusted roots with the same name and key: OpenSSL keeps its store
/// sorted by name, and the first matching root in file order is the one used.
#[test]
fn same_subject_anchors_follow_file_order() {
    let pki = Pki::new("same-subject");
    let limited_spec = Spec::ca("/CN=Twin Root")
        .without_extension("basicConstraints")
        .extension("basicConstraints = critical,CA:TRUE,pathlen:0");
    let limited = pki.issue("limited", &limited_spec, None);
    let open = pki.issue(
        "open",
        &Spec::ca("/CN=Twin Root").same_key_as(&limited),
        None,
    );
    let intermediate = pki.issue("int", &Spec::ca("/CN=Issuing CA"), Some(&open));
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    let untrusted = pki.bundle("u.pem", &[&intermediate]);
    Case::new(&leaf, &pki.bundle("limited-first.pem", &[&limited, &open]))
        .untrusted(&untrusted)
        .assert(Verdict::error(25, 2));
    Case::new(&leaf, &pki.bundle("open-first.pem", &[&open, &limited]))
        .untrusted(&untrusted)
        .assert(Verdict::Ok);
}

/// A store certificate with the issuer's name hides a hashed directory: the
/// directory is read only for names that no loaded certificate has.
#[test]
fn ca_file_name_shadows_ca_path() {
    let pki = Pki::new("shadow");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let impostor = pki.issue("impostor", &Spec::ca("/CN=Root"), None);
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&root));
    let dir = pki.path("certs");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&root.cert, dir.join("root.pem")).unwrap();
    pki.run(&["rehash", dir.to_str().unwrap()]);

    let mut case = Case {
        ca_path: Some(dir),
        leaf: leaf.cert.clone(),
        ..Case::default()
    };
    case.assert(Verdict::Ok);
    case.ca_file = Some(pki.bundle("impostor-ca.pem", &[&impostor]));
    case.assert(Verdict::error(UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0));
}

/// Writes a version 1 certificate (no extensions) for `subject`, signed by `issuer`.
fn version_1(pki: &Pki, name: &str, subject: &str, issuer: Option<&Issued>) -> Issued {
    let config = pki.path("v1.cnf");
    std::fs::write(&config, "[ req ]\ndistinguished_name = dn\n[ dn ]\n").unwrap();
    let key = pki.path(&format!("{name}.key"));
    pki.run(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        key.to_str().unwrap(),
    ]);
    let csr = pki.path(&format!("{name}.csr"));
    pki.run(&[
        "req",
        "-new",
        "-config",
        config.to_str().unwrap(),
        "-key",
        key.to_str().unwrap(),
        "-subj",
        subject,
        "-out",
        csr.to_str().unwrap(),
    ]);
    let cert = pki.path(&format!("{name}.pem"));
    let mut args = vec![
        "x509",
        "-req",
        "-in",
        csr.to_str().unwrap(),
        "-days",
        "30",
        "-out",
        cert.to_str().unwrap(),
    ];
    let (issuer_cert, issuer_key);
    match issuer {
        Some(issuer) => {
            issuer_cert = issuer.cert.to_str().unwrap().to_owned();
            issuer_key = issuer.key.to_str().unwrap().to_owned();
            args.extend([
                "-CA",
                &issuer_cert,
                "-CAkey",
                &issuer_key,
                "-set_serial",
                "7",
            ]);
        }
        None => args.extend(["-key", key.to_str().unwrap()]),
    }
    pki.run(&args);
    let text = pki.run(&["x509", "-in", cert.to_str().unwrap(), "-noout", "-text"]);
    assert!(text.contains("Version: 1 (0x0)"), "{text}");
    pki.adopt(name, cert, key, "rsa2048")
}

#[test]
fn version_1_root_and_intermediate() {
    let pki = Pki::new("v1");
    // A version 1 issuer has no subject key identifier to point to.
    let leaf_spec = |subject: &str| {
        Spec::tsa(subject)
            .without_extension("authorityKeyIdentifier")
            .extension("authorityKeyIdentifier = none")
    };
    let root = version_1(&pki, "v1root", "/CN=V1 Root", None);
    let leaf = pki.issue("leaf", &leaf_spec("/CN=tsa"), Some(&root));
    let ca_file = pki.bundle("ca.pem", &[&root]);
    let case = Case::new(&leaf, &ca_file);
    case.assert(Verdict::Ok);
    case.option("-x509_strict").assert(Verdict::error(85, 0));

    let modern_root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let intermediate = version_1(&pki, "v1int", "/CN=V1 Intermediate", Some(&modern_root));
    let leaf = pki.issue("leaf2", &leaf_spec("/CN=tsa2"), Some(&intermediate));
    Case::new(&leaf, &pki.bundle("modern.pem", &[&modern_root]))
        .untrusted(&pki.bundle("u.pem", &[&intermediate]))
        .assert(Verdict::error(79, 1));
}
