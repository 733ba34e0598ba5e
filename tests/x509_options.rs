//! The verification options of `openssl ts -verify` and `openssl verify`
//! beyond time, purpose and CRLs: host name, email and IP checks, security
//! levels, named parameter sets, Suite B, certificate policies, delta and
//! extended CRLs, proxy certificates, and the warnings of the `-untrusted`
//! loader.
//!
//! Each test builds its PKI with the system `openssl` at run time and states
//! the verdict OpenSSL 3.0 gives. Library cases compare `openssl verify` with
//! `tsrs::x509::verify_chain` (options applied with
//! `VerifyOptions::apply_option`); command-line cases sign a real time-stamp
//! token with `openssl ts -reply` and compare `openssl ts -verify` with
//! `tsrs ts -verify`: exit status, stdout, and stderr with the error-queue
//! prefixes normalized.

mod common;
mod x509_pki;

use std::path::{Path, PathBuf};

use common::{Tool, normalize_stderr};
use tsrs::x509::{self, TrustStore, VerifyOptions};
use x509_pki::{Case, DAY, Issued, Pki, Spec, Verdict, now};

const UNABLE_TO_GET_CRL: i32 = 3;
const CERT_REVOKED: i32 = 23;
const CERT_CHAIN_TOO_LONG: i32 = 22;
const INVALID_PURPOSE: i32 = 26;
const CERT_REJECTED: i32 = 28;
const KEYUSAGE_NO_DIGITAL_SIGNATURE: i32 = 39;
const PROXY_PATH_LENGTH_EXCEEDED: i32 = 38;
const PROXY_CERTIFICATES_NOT_ALLOWED: i32 = 40;
const INVALID_POLICY_EXTENSION: i32 = 42;
const NO_EXPLICIT_POLICY: i32 = 43;
const CRL_PATH_VALIDATION_ERROR: i32 = 54;
const SUITE_B_INVALID_ALGORITHM: i32 = 57;
const SUITE_B_INVALID_CURVE: i32 = 58;
const SUITE_B_INVALID_SIGNATURE_ALGORITHM: i32 = 59;
const SUITE_B_LOS_NOT_ALLOWED: i32 = 60;
const SUITE_B_CANNOT_SIGN_P_384_WITH_P_256: i32 = 61;
const HOSTNAME_MISMATCH: i32 = 62;
const EMAIL_MISMATCH: i32 = 63;
const IP_ADDRESS_MISMATCH: i32 = 64;
const EE_KEY_TOO_SMALL: i32 = 66;
const CA_KEY_TOO_SMALL: i32 = 67;
const CA_MD_TOO_WEAK: i32 = 68;
const PROXY_SUBJECT_NAME_VIOLATION: i32 = 72;

/// The verification options that take a value.
const VALUED_OPTIONS: &[&str] = &[
    "policy",
    "purpose",
    "verify_name",
    "verify_depth",
    "auth_level",
    "attime",
    "verify_hostname",
    "verify_email",
    "verify_ip",
];

/// Runs the case through `tsrs::x509::verify_chain`, with its options
/// applied in order as `openssl verify` applies them.
fn tsrs_verdict(case: &Case) -> Verdict {
    let mut store = TrustStore::new();
    if let Some(file) = &case.ca_file {
        store.load_file(file).unwrap();
    }
    let untrusted = match &case.untrusted {
        Some(file) => x509::load_certs(file).unwrap(),
        None => Vec::new(),
    };
    let leaf = x509::load_certs(&case.leaf).unwrap().remove(0);
    let mut options = VerifyOptions::default();
    if let Some(file) = &case.crl_file {
        options.crls = x509::load_crls(file).unwrap();
    }
    let mut words = case.options.iter();
    while let Some(word) = words.next() {
        let name = word.strip_prefix('-').expect("options start with a dash");
        let value = if VALUED_OPTIONS.contains(&name) {
            Some(words.next().expect("option value").as_str())
        } else {
            None
        };
        options.apply_option(name, value).unwrap();
    }
    match x509::verify_chain(&leaf, &untrusted, &store, &options) {
        Ok(_) => Verdict::Ok,
        Err(error) => Verdict::Error {
            code: error.code().code(),
            depth: (error.code().code() != 1).then_some(error.depth()),
            text: error.text().to_owned(),
        },
    }
}

/// Checks that `openssl verify` gives `expected` and that tsrs agrees.
fn check(case: &Case, expected: Verdict) {
    let openssl = case.openssl_verdict();
    assert_eq!(openssl, expected, "openssl verify verdict for {case:?}");
    assert_eq!(
        tsrs_verdict(case),
        openssl,
        "tsrs disagrees with openssl for {case:?}"
    );
}

fn case(leaf: &Issued, ca_file: &Path, options: &str) -> Case {
    Case::new(leaf, ca_file).option(options)
}

/// Generates a key with `openssl genpkey` arguments; for kinds `Spec` lacks.
fn genkey(pki: &Pki, name: &str, args: &[&str]) -> PathBuf {
    let path = pki.path(&format!("{name}.key"));
    let mut all = vec!["genpkey", "-out", path.to_str().unwrap()];
    all.extend_from_slice(args);
    pki.run(&all);
    path
}

fn with_key(mut spec: Spec, key: PathBuf, kind: &str) -> Spec {
    spec.key_from = Some((key, kind.to_owned()));
    spec
}

/// A time-stamp token signed by `signer` with `openssl ts -reply`, with the
/// `chain` certificates in the token, and the request it was made for.
struct Token {
    dir: PathBuf,
    response: String,
    request: String,
}

impl Token {
    fn sign(pki: &Pki, name: &str, signer: &Issued, chain: &[&Issued]) -> Token {
        let chain_file = pki.bundle(&format!("{name}-chain.pem"), chain);
        let config = format!(
            "[ tsa ]\ndefault_tsa = t\n[ t ]\nserial = ./{name}.serial\nsigner_cert = {}\n\
             signer_key = {}\ncerts = {}\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\n\
             digests = sha256\ness_cert_id_alg = sha256\n",
            signer.cert.display(),
            signer.key.display(),
            chain_file.display()
        );
        std::fs::write(pki.path(&format!("{name}-tsa.cnf")), config).unwrap();
        std::fs::write(pki.path("data.txt"), b"time-stamped data\n").unwrap();
        let request = format!("{name}.tsq");
        let response = format!("{name}.tsr");
        pki.run(&[
            "ts", "-query", "-data", "data.txt", "-cert", "-sha256", "-out", &request,
        ]);
        pki.run(&[
            "ts",
            "-reply",
            "-config",
            &format!("{name}-tsa.cnf"),
            "-queryfile",
            &request,
            "-out",
            &response,
        ]);
        Token {
            dir: pki.dir.clone(),
            response,
            request,
        }
    }

    /// Verifies the token with both tools, asserts that they agree, and
    /// returns OpenSSL's normalized stderr.
    fn compare(&self, ca_file: &Path, options: &[&str]) -> (bool, String) {
        let ca = ca_file.display().to_string();
        let mut args = vec![
            "-verify",
            "-in",
            &self.response,
            "-queryfile",
            &self.request,
            "-CAfile",
            &ca,
        ];
        args.extend_from_slice(options);
        let expected = common::ts(Tool::Openssl, &self.dir, &args, false, None);
        let actual = common::ts(Tool::Tsrs, &self.dir, &args, false, None);
        let expected_stderr = normalize_stderr(&expected.stderr, false);
        let context = format!(
            "ts {}\n--- openssl stderr:\n{}\n--- tsrs stderr:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&expected.stderr),
            String::from_utf8_lossy(&actual.stderr)
        );
        assert_eq!(
            expected.status.code(),
            actual.status.code(),
            "exit status: {context}"
        );
        assert_eq!(
            String::from_utf8_lossy(&expected.stdout),
            String::from_utf8_lossy(&actual.stdout),
            "stdout: {context}"
        );
        assert_eq!(
            expected_stderr,
            normalize_stderr(&actual.stderr, false),
            "stderr: {context}"
        );
        let ok = expected.stdout == b"Verification: OK\n";
        (ok, expected_stderr)
    }

    /// Asserts that both tools accept the token.
    fn accepts(&self, ca_file: &Path, options: &[&str]) {
        let (ok, stderr) = self.compare(ca_file, options);
        assert!(ok, "openssl ts -verify {options:?} failed:\n{stderr}");
    }

    /// Asserts that both tools reject the token with OpenSSL's `text`.
    fn rejects(&self, ca_file: &Path, options: &[&str], text: &str) {
        let (ok, stderr) = self.compare(ca_file, options);
        assert!(!ok, "openssl ts -verify {options:?} succeeded");
        assert!(
            stderr.contains(&format!("Verify error:{text}")),
            "openssl ts -verify {options:?} failed otherwise:\n{stderr}"
        );
    }
}

/// A root, an intermediate and a leaf; `leaf` is the leaf's specification.
struct Chain {
    pki: Pki,
    root: Issued,
    intermediate: Issued,
    leaf: Issued,
    roots: PathBuf,
    untrusted: PathBuf,
}

fn chain(label: &str, intermediate: Spec, leaf: Spec) -> Chain {
    let pki = Pki::new(label);
    let root = pki.issue("root", &Spec::ca("/CN=Options Root"), None);
    let intermediate = pki.issue("int", &intermediate, Some(&root));
    let leaf = pki.issue("leaf", &leaf, Some(&intermediate));
    let roots = pki.bundle("roots.pem", &[&root]);
    let untrusted = pki.bundle("untrusted.pem", &[&intermediate]);
    Chain {
        pki,
        root,
        intermediate,
        leaf,
        roots,
        untrusted,
    }
}

impl Chain {
    fn case(&self, options: &str) -> Case {
        case(&self.leaf, &self.roots, options).untrusted(&self.untrusted)
    }

    fn token(&self) -> Token {
        Token::sign(&self.pki, "token", &self.leaf, &[&self.intermediate])
    }
}

fn intermediate() -> Spec {
    Spec::ca("/CN=Options Intermediate")
}

// Host names, email addresses and IP addresses.

fn named_leaf() -> Spec {
    Spec::tsa("/CN=cn-only.example.test/emailAddress=cn@example.test").extension(
        "subjectAltName = DNS:tsa.example.test, DNS:*.wild.example.test, \
             email:tsa@Example.TEST, IP:192.0.2.7, IP:2001:db8::7",
    )
}

#[test]
fn host_names_match_alternative_names() {
    let chain = chain("hosts", intermediate(), named_leaf());
    let ok = [
        "tsa.example.test",
        "TSA.Example.Test",
        "a.wild.example.test",
        ".example.test",
        ".wild.example.test",
    ];
    for host in ok {
        check(
            &chain.case(&format!("-verify_hostname {host}")),
            Verdict::Ok,
        );
    }
    let mismatched = [
        "cn-only.example.test",
        "a.b.wild.example.test",
        "wild.example.test",
        "example.test",
        "tsa.example.test.",
        "192.0.2.7",
    ];
    for host in mismatched {
        check(
            &chain.case(&format!("-verify_hostname {host}")),
            Verdict::error(HOSTNAME_MISMATCH, 0),
        );
    }
    // The last host name replaces the earlier ones.
    check(
        &chain.case("-verify_hostname other.test -verify_hostname tsa.example.test"),
        Verdict::Ok,
    );
}

#[test]
fn host_name_falls_back_to_common_name() {
    let leaf = Spec::tsa("/O=Org/CN=first.example.test/CN=second.example.test")
        .extension("subjectAltName = email:only@example.test");
    let chain = chain("cn-hosts", intermediate(), leaf);
    check(
        &chain.case("-verify_hostname second.example.test"),
        Verdict::Ok,
    );
    check(
        &chain.case("-verify_hostname first.example.test"),
        Verdict::Ok,
    );
    check(
        &chain.case("-verify_hostname org"),
        Verdict::error(HOSTNAME_MISMATCH, 0),
    );
    check(&chain.case("-verify_email only@EXAMPLE.test"), Verdict::Ok);
}

#[test]
fn email_addresses_compare_domain_without_case() {
    let chain = chain("emails", intermediate(), named_leaf());
    check(&chain.case("-verify_email tsa@example.test"), Verdict::Ok);
    check(&chain.case("-verify_email tsa@EXAMPLE.TEST"), Verdict::Ok);
    for email in [
        "TSA@example.test",
        "cn@example.test",
        "tsa@example.test.org",
    ] {
        check(
            &chain.case(&format!("-verify_email {email}")),
            Verdict::error(EMAIL_MISMATCH, 0),
        );
    }
}

#[test]
fn ip_addresses_compare_bytes() {
    let chain = chain("ips", intermediate(), named_leaf());
    for ip in [
        "192.0.2.7",
        "0192.0.2.7",
        "2001:db8::7",
        "2001:DB8:0:0:0:0:0:7",
    ] {
        check(&chain.case(&format!("-verify_ip {ip}")), Verdict::Ok);
    }
    for ip in ["192.0.2.8", "::ffff:192.0.2.7", "::"] {
        check(
            &chain.case(&format!("-verify_ip {ip}")),
            Verdict::error(IP_ADDRESS_MISMATCH, 0),
        );
    }
}

#[test]
fn identity_checks_on_tokens() {
    let chain = chain("ts-identity", intermediate(), named_leaf());
    let token = chain.token();
    let roots = &chain.roots;
    token.accepts(roots, &["-verify_hostname", "tsa.example.test"]);
    token.accepts(roots, &["-verify_hostname", "x.wild.example.test"]);
    token.accepts(roots, &["-verify_hostname", ""]);
    token.rejects(
        roots,
        &["-verify_hostname", "cn-only.example.test"],
        "hostname mismatch",
    );
    token.accepts(roots, &["-verify_email", "tsa@example.test"]);
    token.rejects(
        roots,
        &["-verify_email", "TSA@example.test"],
        "email address mismatch",
    );
    token.rejects(roots, &["-verify_email", ""], "email address mismatch");
    token.accepts(roots, &["-verify_ip", "2001:db8::7"]);
    token.rejects(roots, &["-verify_ip", "192.0.2.70"], "IP address mismatch");
    // The host check comes first.
    token.rejects(
        roots,
        &["-verify_email", "x@y.test", "-verify_hostname", "x.test"],
        "hostname mismatch",
    );
}

// Security levels.

#[test]
fn rsa_key_sizes_against_levels() {
    let pki = Pki::new("levels-rsa");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let leaf_1024 = pki.issue(
        "leaf1024",
        &Spec::tsa("/CN=rsa1024").key("rsa1024"),
        Some(&root),
    );
    let leaf_2048 = pki.issue("leaf2048", &Spec::tsa("/CN=rsa2048"), Some(&root));
    let leaf_3072 = pki.issue(
        "leaf3072",
        &Spec::tsa("/CN=rsa3072").key("rsa3072"),
        Some(&root),
    );
    let roots = pki.bundle("roots.pem", &[&root]);
    check(&case(&leaf_1024, &roots, "-auth_level 1"), Verdict::Ok);
    check(
        &case(&leaf_1024, &roots, "-auth_level 2"),
        Verdict::error(EE_KEY_TOO_SMALL, 0),
    );
    check(&case(&leaf_2048, &roots, "-auth_level 2"), Verdict::Ok);
    check(
        &case(&leaf_2048, &roots, "-auth_level 3"),
        Verdict::error(EE_KEY_TOO_SMALL, 0),
    );
    // The RSA-2048 root is too weak for level 3 even when the leaf is not.
    check(
        &case(&leaf_3072, &roots, "-auth_level 3"),
        Verdict::error(CA_KEY_TOO_SMALL, 1),
    );
    // Levels above 5 count as 5; a negative level is ignored; 0 checks nothing.
    check(
        &case(&leaf_3072, &roots, "-auth_level 9"),
        Verdict::error(EE_KEY_TOO_SMALL, 0),
    );
    check(
        &case(&leaf_1024, &roots, "-auth_level 3 -auth_level -1"),
        Verdict::error(EE_KEY_TOO_SMALL, 0),
    );
    check(
        &case(&leaf_1024, &roots, "-auth_level 3 -auth_level 0"),
        Verdict::Ok,
    );
}

#[test]
fn ec_and_weak_ca_keys_against_levels() {
    let pki = Pki::new("levels-ec");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let weak_ca = pki.issue(
        "weakca",
        &Spec::ca("/CN=Weak CA").key("rsa1024"),
        Some(&root),
    );
    let under_weak = pki.issue("underweak", &Spec::tsa("/CN=under weak"), Some(&weak_ca));
    let p192_key = genkey(
        &pki,
        "p192",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-192"],
    );
    let p192 = pki.issue(
        "p192",
        &with_key(Spec::tsa("/CN=p192"), p192_key, "p192"),
        Some(&root),
    );
    let p256 = pki.issue("p256", &Spec::tsa("/CN=p256").key("p256"), Some(&root));
    let ed25519 = pki.issue(
        "ed25519",
        &Spec::tsa("/CN=ed25519").key("ed25519"),
        Some(&root),
    );
    let roots = pki.bundle("roots.pem", &[&root]);
    let weak_untrusted = pki.bundle("weak.pem", &[&weak_ca]);

    check(
        &case(&under_weak, &roots, "-auth_level 2").untrusted(&weak_untrusted),
        Verdict::error(CA_KEY_TOO_SMALL, 1),
    );
    check(
        &case(&under_weak, &roots, "-auth_level 1").untrusted(&weak_untrusted),
        Verdict::Ok,
    );
    check(&case(&p192, &roots, "-auth_level 1"), Verdict::Ok);
    check(
        &case(&p192, &roots, "-auth_level 2"),
        Verdict::error(EE_KEY_TOO_SMALL, 0),
    );
    check(&case(&p256, &roots, "-auth_level 2"), Verdict::Ok);
    check(&case(&ed25519, &roots, "-auth_level 2"), Verdict::Ok);
    check(
        &case(&ed25519, &roots, "-auth_level 4"),
        Verdict::error(EE_KEY_TOO_SMALL, 0),
    );
}

#[test]
fn weak_signature_digests_against_levels() {
    let pki = Pki::new("levels-md");
    let root = pki.issue("root", &Spec::ca("/CN=Root").md("sha1"), None);
    let sha1_leaf = pki.issue("sha1", &Spec::tsa("/CN=sha1 leaf").md("sha1"), Some(&root));
    let sha224_leaf = pki.issue(
        "sha224",
        &Spec::tsa("/CN=sha224 leaf").md("sha224"),
        Some(&root),
    );
    let pss_sha1 = pki.issue(
        "pss1",
        &Spec::tsa("/CN=pss sha1 leaf")
            .md("sha1")
            .sigopt("rsa_padding_mode:pss"),
        Some(&root),
    );
    let roots = pki.bundle("roots.pem", &[&root]);
    check(&case(&sha1_leaf, &roots, ""), Verdict::Ok);
    // SHA-1 counts as 63 bits, below even level 1; the root's own SHA-1
    // signature is never checked.
    check(
        &case(&sha1_leaf, &roots, "-auth_level 1"),
        Verdict::error(CA_MD_TOO_WEAK, 0),
    );
    check(
        &case(&pss_sha1, &roots, "-auth_level 1"),
        Verdict::error(CA_MD_TOO_WEAK, 0),
    );
    check(&case(&sha224_leaf, &roots, "-auth_level 2"), Verdict::Ok);
    check(
        &case(&sha224_leaf, &roots, "-auth_level 3"),
        Verdict::error(EE_KEY_TOO_SMALL, 0),
    );
}

#[test]
fn security_levels_on_tokens() {
    let sha1_intermediate = intermediate().md("sha1");
    let chain = chain(
        "ts-levels",
        sha1_intermediate,
        Spec::tsa("/CN=level tsa").key("rsa1024"),
    );
    let token = chain.token();
    token.accepts(&chain.roots, &[]);
    token.accepts(&chain.roots, &["-auth_level", "0"]);
    token.rejects(
        &chain.roots,
        &["-auth_level", "1"],
        "CA signature digest algorithm too weak",
    );
    token.rejects(
        &chain.roots,
        &["-auth_level", "2"],
        "EE certificate key too weak",
    );

    let strong = self::chain(
        "ts-levels-ca",
        intermediate().key("rsa1024"),
        Spec::tsa("/CN=strong tsa"),
    );
    strong.token().rejects(
        &strong.roots,
        &["-auth_level", "2"],
        "CA certificate key too weak",
    );

    let pki = Pki::new("ts-levels-p192");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let key = genkey(
        &pki,
        "p192",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-192"],
    );
    let leaf = pki.issue(
        "p192",
        &with_key(Spec::tsa("/CN=p192 tsa"), key, "p192"),
        Some(&root),
    );
    let roots = pki.bundle("roots.pem", &[&root]);
    // NOTE: at level 1 OpenSSL accepts this token, but tsrs cannot verify
    // P-192 signatures, so only the levels that reject the key compare here.
    Token::sign(&pki, "p192", &leaf, &[]).rejects(
        &roots,
        &["-auth_level", "2"],
        "EE certificate key too weak",
    );
}

// Named parameter sets and the trust they imply.

#[test]
fn named_parameter_sets() {
    let chain = chain("names", intermediate(), Spec::tsa("/CN=named tsa"));
    check(&chain.case("-verify_name default"), Verdict::Ok);
    for name in ["ssl_server", "ssl_client", "pkcs7", "smime_sign"] {
        check(
            &chain.case(&format!("-verify_name {name}")),
            Verdict::error(INVALID_PURPOSE, 0),
        );
        // A later purpose replaces the set's purpose and keeps its trust.
        check(
            &chain.case(&format!("-verify_name {name} -purpose timestampsign")),
            Verdict::Ok,
        );
    }
    check(
        &chain.case("-verify_depth 0 -verify_name default"),
        Verdict::Ok,
    );
    check(
        &chain.case("-verify_name default -verify_depth 0"),
        Verdict::error(CERT_CHAIN_TOO_LONG, 1),
    );
}

#[test]
fn trust_follows_named_set_and_purpose() {
    let chain = chain("trust", intermediate(), Spec::tsa("/CN=trusted tsa"));
    let server_root = chain.pki.path("server-root.pem");
    chain.pki.run(&[
        "x509",
        "-in",
        chain.root.cert.to_str().unwrap(),
        "-addtrust",
        "serverAuth",
        "-out",
        server_root.to_str().unwrap(),
    ]);
    let token = chain.token();
    // The TSA trust rejects a root trusted for TLS servers only; the trust a
    // named set or a purpose implies decides instead.
    token.rejects(&server_root, &[], "certificate rejected");
    token.rejects(&server_root, &["-purpose", "any"], "certificate rejected");
    token.accepts(&server_root, &["-purpose", "ocsphelper"]);
    token.accepts(
        &server_root,
        &["-verify_name", "ssl_server", "-purpose", "any"],
    );
    token.rejects(
        &server_root,
        &["-verify_name", "ssl_client", "-purpose", "any"],
        "certificate rejected",
    );
    token.rejects(
        &chain.roots,
        &["-verify_name", "ssl_server"],
        "unsuitable certificate purpose",
    );
    token.accepts(
        &chain.roots,
        &["-verify_name", "pkcs7", "-purpose", "timestampsign"],
    );

    let library = Case::new(&chain.leaf, &server_root).untrusted(&chain.untrusted);
    check(&library, Verdict::error(CERT_REJECTED, 2));
    check(&library.clone().option("-purpose ocsphelper"), Verdict::Ok);
}

// Suite B.

struct SuiteBChain {
    pki: Pki,
    roots: PathBuf,
    untrusted: PathBuf,
    leaf: Issued,
    intermediate: Issued,
}

fn suite_b_chain(
    label: &str,
    ca_key: &str,
    ca_md: &str,
    leaf_key: &str,
    leaf_md: &str,
) -> SuiteBChain {
    let pki = Pki::new(label);
    let root = pki.issue(
        "root",
        &Spec::ca("/CN=Suite B Root").key(ca_key).md(ca_md),
        None,
    );
    let intermediate = pki.issue("int", &intermediate().key(ca_key).md(ca_md), Some(&root));
    let leaf = pki.issue(
        "leaf",
        &Spec::tsa("/CN=suite b tsa").key(leaf_key).md(leaf_md),
        Some(&intermediate),
    );
    let roots = pki.bundle("roots.pem", &[&root]);
    let untrusted = pki.bundle("untrusted.pem", &[&intermediate]);
    SuiteBChain {
        pki,
        roots,
        untrusted,
        leaf,
        intermediate,
    }
}

impl SuiteBChain {
    fn case(&self, options: &str) -> Case {
        case(&self.leaf, &self.roots, options).untrusted(&self.untrusted)
    }
}

#[test]
fn suite_b_levels() {
    let p256 = suite_b_chain("suiteb-256", "p256", "sha256", "p256", "sha256");
    check(&p256.case("-suiteB_128_only"), Verdict::Ok);
    check(&p256.case("-suiteB_128"), Verdict::Ok);
    check(
        &p256.case("-suiteB_192"),
        Verdict::error(SUITE_B_LOS_NOT_ALLOWED, 0),
    );
    let p384 = suite_b_chain("suiteb-384", "p384", "sha384", "p384", "sha384");
    check(&p384.case("-suiteB_192"), Verdict::Ok);
    check(&p384.case("-suiteB_128"), Verdict::Ok);
    check(
        &p384.case("-suiteB_128_only"),
        Verdict::error(SUITE_B_LOS_NOT_ALLOWED, 0),
    );
}

#[test]
fn suite_b_violations() {
    let mixed = suite_b_chain("suiteb-mixed", "p256", "sha256", "p384", "sha256");
    check(
        &mixed.case("-suiteB_128"),
        Verdict::error(SUITE_B_CANNOT_SIGN_P_384_WITH_P_256, 0),
    );
    let wrong_digest = suite_b_chain("suiteb-digest", "p256", "sha256", "p256", "sha384");
    check(
        &wrong_digest.case("-suiteB_128_only"),
        Verdict::error(SUITE_B_INVALID_SIGNATURE_ALGORITHM, 0),
    );
    let rsa = suite_b_chain("suiteb-rsa", "rsa2048", "sha256", "p256", "sha256");
    check(
        &rsa.case("-suiteB_128"),
        Verdict::error(SUITE_B_INVALID_ALGORITHM, 1),
    );
    let p521 = suite_b_chain("suiteb-521", "p256", "sha256", "p521", "sha256");
    check(
        &p521.case("-suiteB_128"),
        Verdict::error(SUITE_B_INVALID_CURVE, 0),
    );
}

#[test]
fn suite_b_on_tokens() {
    let p256 = suite_b_chain("ts-suiteb-256", "p256", "sha256", "p256", "sha256");
    let token = Token::sign(&p256.pki, "p256", &p256.leaf, &[&p256.intermediate]);
    token.accepts(&p256.roots, &["-suiteB_128_only"]);
    token.rejects(
        &p256.roots,
        &["-suiteB_192"],
        "Suite B: curve not allowed for this LOS",
    );
    let mixed = suite_b_chain("ts-suiteb-mixed", "p256", "sha256", "p384", "sha256");
    Token::sign(&mixed.pki, "mixed", &mixed.leaf, &[&mixed.intermediate]).rejects(
        &mixed.roots,
        &["-suiteB_128"],
        "Suite B: cannot sign P-384 with P-256",
    );
    let rsa = self::chain("ts-suiteb-rsa", intermediate(), Spec::tsa("/CN=rsa tsa"));
    rsa.token().rejects(
        &rsa.roots,
        &["-suiteB_128"],
        "Suite B: invalid public key algorithm",
    );
}

// Certificate policies.

fn policy_chain(label: &str, intermediate_lines: &[&str], leaf_lines: &[&str]) -> Chain {
    let mut intermediate = intermediate();
    for line in intermediate_lines {
        intermediate = intermediate.extension(line);
    }
    let mut leaf = Spec::tsa("/CN=policy tsa");
    for line in leaf_lines {
        leaf = leaf.extension(line);
    }
    chain(label, intermediate, leaf)
}

#[test]
fn explicit_policy_needs_an_acceptable_policy() {
    let chain = policy_chain(
        "policies",
        &["certificatePolicies = 1.2.3.4, 1.2.3.5"],
        &["certificatePolicies = 1.2.3.4"],
    );
    check(&chain.case("-policy_check"), Verdict::Ok);
    check(&chain.case("-policy 1.2.3.9"), Verdict::Ok);
    // OpenSSL counts no -policy as no acceptable policy at all.
    check(
        &chain.case("-explicit_policy"),
        Verdict::error(NO_EXPLICIT_POLICY, 0),
    );
    check(&chain.case("-explicit_policy -policy 1.2.3.4"), Verdict::Ok);
    check(
        &chain.case("-policy 1.2.3.9 -policy 1.2.3.4 -explicit_policy"),
        Verdict::Ok,
    );
    check(
        &chain.case("-explicit_policy -policy 2.5.29.32.0"),
        Verdict::Ok,
    );
    check(
        &chain.case("-explicit_policy -policy 1.2.3.5"),
        Verdict::error(NO_EXPLICIT_POLICY, 0),
    );
}

#[test]
fn missing_policies_and_any_policy() {
    let no_leaf_policy = policy_chain("policies-none", &["certificatePolicies = 1.2.3.4"], &[]);
    check(
        &no_leaf_policy.case("-policy_check -policy 1.2.3.4"),
        Verdict::Ok,
    );
    check(
        &no_leaf_policy.case("-explicit_policy -policy 1.2.3.4"),
        Verdict::error(NO_EXPLICIT_POLICY, 0),
    );
    let any = policy_chain(
        "policies-any",
        &["certificatePolicies = 2.5.29.32.0"],
        &["certificatePolicies = 1.2.3.4"],
    );
    check(&any.case("-explicit_policy -policy 1.2.3.4"), Verdict::Ok);
    check(
        &any.case("-explicit_policy -inhibit_any -policy 1.2.3.4"),
        Verdict::error(NO_EXPLICIT_POLICY, 0),
    );
    let any_leaf = policy_chain(
        "policies-any-leaf",
        &["certificatePolicies = 1.2.3.4"],
        &["certificatePolicies = 2.5.29.32.0"],
    );
    check(
        &any_leaf.case("-explicit_policy -policy 1.2.3.4"),
        Verdict::Ok,
    );
    check(
        &any_leaf.case("-explicit_policy -policy 1.2.3.9"),
        Verdict::error(NO_EXPLICIT_POLICY, 0),
    );
    check(
        &any_leaf.case("-explicit_policy -inhibit_any -policy 1.2.3.4"),
        Verdict::error(NO_EXPLICIT_POLICY, 0),
    );
}

#[test]
fn policy_constraints_and_mappings() {
    let required = policy_chain(
        "policies-required",
        &[
            "certificatePolicies = 1.2.3.4",
            "policyConstraints = requireExplicitPolicy:0",
        ],
        &[],
    );
    // The intermediate requires an explicit policy, which the leaf lacks.
    check(
        &required.case("-policy_check"),
        Verdict::error(NO_EXPLICIT_POLICY, 0),
    );
    check(&required.case(""), Verdict::Ok);

    let mapped = policy_chain(
        "policies-mapped",
        &[
            "certificatePolicies = 1.2.3.4",
            "policyMappings = 1.2.3.4:1.2.9.9",
        ],
        &["certificatePolicies = 1.2.9.9"],
    );
    check(
        &mapped.case("-explicit_policy -policy 1.2.3.4"),
        Verdict::Ok,
    );
    check(
        &mapped.case("-explicit_policy -policy 1.2.9.9"),
        Verdict::error(NO_EXPLICIT_POLICY, 0),
    );
    check(
        &mapped.case("-explicit_policy -inhibit_map -policy 1.2.3.4"),
        Verdict::error(NO_EXPLICIT_POLICY, 0),
    );
    // inhibitAnyPolicy in the intermediate stops anyPolicy in the leaf from matching.
    let any_below = policy_chain(
        "policies-any-below",
        &["certificatePolicies = 2.5.29.32.0"],
        &["certificatePolicies = 2.5.29.32.0"],
    );
    check(
        &any_below.case("-explicit_policy -policy 1.2.3.4"),
        Verdict::Ok,
    );
    let inhibited = policy_chain(
        "policies-inhibit",
        &["certificatePolicies = 2.5.29.32.0", "inhibitAnyPolicy = 0"],
        &["certificatePolicies = 2.5.29.32.0"],
    );
    check(
        &inhibited.case("-explicit_policy -policy 1.2.3.4"),
        Verdict::error(NO_EXPLICIT_POLICY, 0),
    );
}

#[test]
fn invalid_policy_extensions() {
    let duplicate = policy_chain(
        "policies-duplicate",
        &["certificatePolicies = 1.2.3.4"],
        &["certificatePolicies = 1.2.3.4, 1.2.3.4"],
    );
    check(
        &duplicate.case("-policy_check"),
        Verdict::error(INVALID_POLICY_EXTENSION, 0),
    );
    check(&duplicate.case(""), Verdict::Ok);
    let any_mapping = policy_chain(
        "policies-any-mapping",
        &[
            "certificatePolicies = 1.2.3.4",
            "policyMappings = 1.2.3.4:2.5.29.32.0",
        ],
        &["certificatePolicies = 1.2.3.4"],
    );
    check(
        &any_mapping.case("-inhibit_map"),
        Verdict::error(INVALID_POLICY_EXTENSION, 1),
    );
}

#[test]
fn policies_on_tokens() {
    let chain = policy_chain(
        "ts-policies",
        &["certificatePolicies = 1.2.3.4, 1.2.3.5"],
        &["certificatePolicies = 1.2.3.4"],
    );
    let token = chain.token();
    let roots = &chain.roots;
    token.accepts(roots, &["-policy_check"]);
    token.accepts(roots, &["-policy_print"]);
    token.accepts(
        roots,
        &["-policy_print", "-explicit_policy", "-policy", "1.2.3.4"],
    );
    token.rejects(roots, &["-explicit_policy"], "no explicit policy");
    token.rejects(
        roots,
        &["-explicit_policy", "-policy", "1.2.3.5"],
        "no explicit policy",
    );
    token.accepts(
        roots,
        &["-inhibit_any", "-inhibit_map", "-policy", "1.2.3.9"],
    );
    let duplicate = policy_chain(
        "ts-policies-invalid",
        &["certificatePolicies = 1.2.3.4, 1.2.3.4"],
        &["certificatePolicies = 1.2.3.4"],
    );
    duplicate.token().rejects(
        &duplicate.roots,
        &["-policy", "1.2.3.4"],
        "invalid or inconsistent certificate policy extension",
    );
}

/// Policy extension sets for a chain of two intermediates and a leaf.
const POLICY_CHAINS: &[[&[&str]; 3]] = &[
    [
        &["certificatePolicies = 1.2.3.1, 1.2.3.2"],
        &["certificatePolicies = 1.2.3.1"],
        &["certificatePolicies = 1.2.3.1"],
    ],
    [
        &["certificatePolicies = 2.5.29.32.0"],
        &["certificatePolicies = 2.5.29.32.0"],
        &["certificatePolicies = 1.2.3.1"],
    ],
    [
        &[
            "certificatePolicies = 1.2.3.1",
            "policyMappings = 1.2.3.1:1.2.3.2, 1.2.3.1:1.2.3.3",
        ],
        &["certificatePolicies = 1.2.3.2, 1.2.3.3"],
        &["certificatePolicies = 1.2.3.3"],
    ],
    [
        &[
            "certificatePolicies = 2.5.29.32.0",
            "policyMappings = 1.2.3.9:1.2.3.1",
        ],
        &["certificatePolicies = 1.2.3.1"],
        &["certificatePolicies = 1.2.3.1"],
    ],
    [
        &[
            "certificatePolicies = 1.2.3.1",
            "policyMappings = 1.2.3.1:1.2.3.2",
            "policyConstraints = inhibitPolicyMapping:1",
        ],
        &[
            "certificatePolicies = 1.2.3.2",
            "policyMappings = 1.2.3.2:1.2.3.3",
        ],
        &["certificatePolicies = 1.2.3.3"],
    ],
    [
        &["certificatePolicies = 2.5.29.32.0", "inhibitAnyPolicy = 1"],
        &["certificatePolicies = 2.5.29.32.0"],
        &["certificatePolicies = 2.5.29.32.0"],
    ],
    [
        &[
            "certificatePolicies = 1.2.3.1",
            "policyConstraints = requireExplicitPolicy:1",
        ],
        &["certificatePolicies = 1.2.3.1"],
        &[],
    ],
    [
        &["certificatePolicies = 2.5.29.32.0"],
        &[
            "certificatePolicies = 1.2.3.1",
            "policyMappings = 1.2.3.1:1.2.3.2",
        ],
        &["certificatePolicies = 2.5.29.32.0"],
    ],
    [
        &["certificatePolicies = 1.2.3.1, 1.2.3.2"],
        &["certificatePolicies = 2.5.29.32.0, 1.2.3.1"],
        &["certificatePolicies = 1.2.3.2"],
    ],
];

/// Option sets each policy chain is verified with.
const POLICY_OPTIONS: &[&str] = &[
    "-policy_check",
    "-explicit_policy",
    "-explicit_policy -policy 1.2.3.1",
    "-explicit_policy -policy 1.2.3.2",
    "-explicit_policy -policy 1.2.3.3",
    "-explicit_policy -policy 2.5.29.32.0",
    "-explicit_policy -inhibit_map -policy 1.2.3.1",
    "-explicit_policy -inhibit_any -policy 1.2.3.1 -policy 1.2.3.2",
    "-inhibit_any -inhibit_map -policy 1.2.3.9",
];

#[test]
fn policy_trees_match_openssl() {
    let keys = Pki::new("policy-keys");
    let key_holders: Vec<Issued> = (0..4)
        .map(|level| {
            keys.issue(
                &format!("key{level}"),
                &Spec::ca(&format!("/CN=key {level}")),
                None,
            )
        })
        .collect();
    let mut verdicts = Vec::new();
    for (index, [first, second, leaf]) in POLICY_CHAINS.iter().enumerate() {
        let pki = Pki::new(&format!("policy-tree-{index}"));
        let spec = |base: Spec, lines: &[&str], level: usize| {
            let mut spec = base.same_key_as(&key_holders[level]);
            for line in lines {
                spec = spec.extension(line);
            }
            spec
        };
        let root = pki.issue("root", &spec(Spec::ca("/CN=Policy Root"), &[], 0), None);
        let first = pki.issue(
            "first",
            &spec(Spec::ca("/CN=Policy CA 1"), first, 1),
            Some(&root),
        );
        let second = pki.issue(
            "second",
            &spec(Spec::ca("/CN=Policy CA 2"), second, 2),
            Some(&first),
        );
        let leaf = pki.issue(
            "leaf",
            &spec(Spec::tsa("/CN=Policy TSA"), leaf, 3),
            Some(&second),
        );
        let roots = pki.bundle("roots.pem", &[&root]);
        let untrusted = pki.bundle("untrusted.pem", &[&first, &second]);
        for options in POLICY_OPTIONS {
            let case = case(&leaf, &roots, options).untrusted(&untrusted);
            let openssl = case.openssl_verdict();
            assert_eq!(
                tsrs_verdict(&case),
                openssl,
                "policy chain {index} with {options}"
            );
            verdicts.push(openssl);
        }
    }
    assert!(verdicts.contains(&Verdict::Ok));
    assert!(verdicts.contains(&Verdict::error(NO_EXPLICIT_POLICY, 0)));
}

// Options OpenSSL 3.0 accepts without effect on these chains.

#[test]
fn options_without_effect_on_tokens() {
    let chain = chain("ts-no-effect", intermediate(), Spec::tsa("/CN=plain tsa"));
    let token = chain.token();
    for option in [
        "-issuer_checks",
        "-trusted_first",
        "-no_alt_chains",
        "-check_ss_sig",
        "-use_deltas",
        "-extended_crl",
        "-allow_proxy_certs",
        "-policy_print",
        "-ignore_critical",
    ] {
        token.accepts(&chain.roots, &[option]);
    }
}

// Delta CRLs and extended CRL support.

/// A chain whose intermediate issues the leaf, with the intermediate's CRLs
/// in the trust file next to the root.
fn crl_chain(label: &str, leaf_lines: &[&str]) -> Chain {
    let mut leaf = Spec::tsa("/CN=crl tsa");
    for line in leaf_lines {
        leaf = leaf.extension(line);
    }
    chain(label, intermediate(), leaf)
}

#[test]
fn delta_crls_with_use_deltas() {
    let chain = crl_chain(
        "deltas",
        &["freshestCRL = URI:http://crl.example.test/delta.crl"],
    );
    let pki = &chain.pki;
    // The base CRL (number 1) is the newer, so OpenSSL picks it over the delta.
    let base = pki.crl(
        "base.crl",
        &chain.intermediate,
        now() - DAY / 2,
        now() + 30 * DAY,
    );
    pki.revoke(&chain.intermediate, &chain.leaf);
    let delta = pki.crl_with_extensions(
        "delta.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
        &["2.5.29.27 = critical, ASN1:INTEGER:1"],
    );
    let root_crl = pki.crl("root.crl", &chain.root, now() - DAY, now() + 30 * DAY);
    let trust = pki.concat("trust.pem", &[&chain.roots, &root_crl, &base, &delta]);
    let library = |options: &str| case(&chain.leaf, &trust, options).untrusted(&chain.untrusted);
    check(&library("-crl_check"), Verdict::Ok);
    check(
        &library("-crl_check -use_deltas"),
        Verdict::error(CERT_REVOKED, 0),
    );
    check(
        &library("-crl_check_all -use_deltas"),
        Verdict::error(CERT_REVOKED, 0),
    );
    let token = chain.token();
    token.accepts(&trust, &["-crl_check"]);
    token.rejects(
        &trust,
        &["-crl_check", "-use_deltas"],
        "certificate revoked",
    );
}

#[test]
fn delta_crl_needs_freshest_pointer() {
    let chain = crl_chain("deltas-nopointer", &[]);
    let pki = &chain.pki;
    let base = pki.crl(
        "base.crl",
        &chain.intermediate,
        now() - DAY / 2,
        now() + 30 * DAY,
    );
    pki.revoke(&chain.intermediate, &chain.leaf);
    let delta = pki.crl_with_extensions(
        "delta.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
        &["2.5.29.27 = critical, ASN1:INTEGER:1"],
    );
    let trust = pki.concat("trust.pem", &[&chain.roots, &base, &delta]);
    let library = case(&chain.leaf, &trust, "-crl_check -use_deltas").untrusted(&chain.untrusted);
    check(&library, Verdict::Ok);
}

#[test]
fn reason_partitioned_crls_need_extended_crl() {
    let chain = crl_chain("partitioned", &[]);
    let pki = &chain.pki;
    pki.revoke_with_reason(&chain.intermediate, &chain.leaf, Some("keyCompromise"));
    let first = pki.crl_with_extensions(
        "first.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
        &[
            "issuingDistributionPoint = critical, @first_idp",
            "[ first_idp ]",
            "onlysomereasons = keyCompromise, CACompromise, affiliationChanged, superseded",
        ],
    );
    let second = pki.crl_with_extensions(
        "second.crl",
        &chain.intermediate,
        now() - DAY,
        now() + 30 * DAY,
        &[
            "issuingDistributionPoint = critical, @second_idp",
            "[ second_idp ]",
            "onlysomereasons = cessationOfOperation, certificateHold, privilegeWithdrawn, \
             AACompromise, unused",
        ],
    );
    let trust = pki.concat("trust.pem", &[&chain.roots, &first, &second]);
    let library = |options: &str| case(&chain.leaf, &trust, options).untrusted(&chain.untrusted);
    check(&library("-crl_check"), Verdict::error(UNABLE_TO_GET_CRL, 0));
    check(
        &library("-crl_check -extended_crl"),
        Verdict::error(CERT_REVOKED, 0),
    );
    chain.token().rejects(
        &trust,
        &["-crl_check", "-extended_crl"],
        "certificate revoked",
    );
}

#[test]
fn extended_crl_issuer_outside_chain_is_refused() {
    let pki = Pki::new("indirect");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let ca = pki.issue("ca", &intermediate(), Some(&root));
    let crl_issuer = pki.issue("crlissuer", &Spec::ca("/CN=CRL Issuer"), Some(&root));
    let leaf = pki.issue(
        "leaf",
        &Spec::tsa("/CN=indirect tsa")
            .extension("crlDistributionPoints = dp")
            .extension("[ dp ]")
            .extension("fullname = URI:http://crl.example.test/indirect.crl")
            .extension("CRLissuer = dirName:crl_issuer_dn")
            .extension("[ crl_issuer_dn ]")
            .extension("CN = CRL Issuer"),
        Some(&ca),
    );
    let crl = pki.crl_with_extensions(
        "indirect.crl",
        &crl_issuer,
        now() - DAY,
        now() + 30 * DAY,
        &[
            "issuingDistributionPoint = critical, @idp",
            "[ idp ]",
            "fullname = URI:http://crl.example.test/indirect.crl",
            "indirectCRL = TRUE",
        ],
    );
    // A trust store finds CRLs by the certificate's issuer, so the indirect
    // CRL comes from -CRLfile, which `openssl ts` does not have.
    let roots = pki.bundle("roots.pem", &[&root]);
    let untrusted = pki.bundle("untrusted.pem", &[&ca, &crl_issuer]);
    let with_crl = |options: &str| {
        let mut case = case(&leaf, &roots, options).untrusted(&untrusted);
        case.crl_file = Some(crl.clone());
        case
    };
    let library = with_crl("-crl_check -extended_crl");
    // OpenSSL validates the CRL issuer's own path and accepts the leaf.
    assert_eq!(library.openssl_verdict(), Verdict::Ok);
    // NOTE: tsrs does not validate separate CRL issuer paths, so it fails
    // instead of accepting; it never accepts what OpenSSL rejects here.
    assert_eq!(
        tsrs_verdict(&library),
        Verdict::error(CRL_PATH_VALIDATION_ERROR, 0)
    );
    check(
        &with_crl("-crl_check"),
        Verdict::error(UNABLE_TO_GET_CRL, 0),
    );
}

// Proxy certificates.

struct ProxyChain {
    pki: Pki,
    roots: PathBuf,
    untrusted: PathBuf,
    owner: Issued,
}

/// A root, an end-entity time-stamping certificate that may sign proxies,
/// and the certificates it issues.
fn proxy_chain(label: &str) -> ProxyChain {
    let pki = Pki::new(label);
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let owner = pki.issue("owner", &Spec::tsa("/O=Proxy Org/CN=owner"), Some(&root));
    let roots = pki.bundle("roots.pem", &[&root]);
    let untrusted = pki.bundle("untrusted.pem", &[&owner]);
    ProxyChain {
        pki,
        roots,
        untrusted,
        owner,
    }
}

fn proxy_spec(subject: &str, path_length: Option<u32>) -> Spec {
    let info = match path_length {
        Some(length) => {
            format!("proxyCertInfo = critical, language:id-ppl-inheritAll, pathlen:{length}")
        }
        None => "proxyCertInfo = critical, language:id-ppl-inheritAll".to_owned(),
    };
    Spec::tsa(subject)
        .without_extension("authorityKeyIdentifier")
        .extension(&info)
}

#[test]
fn proxy_certificates_need_the_flag() {
    let chain = proxy_chain("proxies");
    let proxy = chain.pki.issue(
        "proxy",
        &proxy_spec("/O=Proxy Org/CN=owner/CN=proxy", None),
        Some(&chain.owner),
    );
    let library = |options: &str| case(&proxy, &chain.roots, options).untrusted(&chain.untrusted);
    check(
        &library(""),
        Verdict::error(PROXY_CERTIFICATES_NOT_ALLOWED, 0),
    );
    check(&library("-allow_proxy_certs"), Verdict::Ok);
    let token = Token::sign(&chain.pki, "proxy", &proxy, &[&chain.owner]);
    token.rejects(
        &chain.roots,
        &[],
        "proxy certificates not allowed, please set the appropriate flag",
    );
    token.accepts(&chain.roots, &["-allow_proxy_certs"]);
}

#[test]
fn proxy_certificate_rules() {
    let chain = proxy_chain("proxy-rules");
    let wrong_subject = chain.pki.issue(
        "wrong",
        &proxy_spec("/O=Other Org/CN=proxy", None),
        Some(&chain.owner),
    );
    check(
        &case(&wrong_subject, &chain.roots, "-allow_proxy_certs").untrusted(&chain.untrusted),
        Verdict::error(PROXY_SUBJECT_NAME_VIOLATION, 0),
    );
    let first = chain.pki.issue(
        "first",
        &proxy_spec("/O=Proxy Org/CN=owner/CN=first", Some(0)),
        Some(&chain.owner),
    );
    let second = chain.pki.issue(
        "second",
        &proxy_spec("/O=Proxy Org/CN=owner/CN=first/CN=second", None),
        Some(&first),
    );
    let untrusted = chain.pki.bundle("both.pem", &[&chain.owner, &first]);
    check(
        &case(&second, &chain.roots, "-allow_proxy_certs").untrusted(&untrusted),
        Verdict::error(PROXY_PATH_LENGTH_EXCEEDED, 1),
    );
    let ku_owner = chain.pki.issue(
        "kuowner",
        &Spec::with_extensions(
            "/O=Proxy Org/CN=ku owner",
            &[
                "basicConstraints = critical,CA:FALSE",
                "keyUsage = critical, nonRepudiation",
                "extendedKeyUsage = critical,timeStamping",
                "subjectKeyIdentifier = hash",
            ],
        ),
        None,
    );
    let under_ku = chain.pki.issue(
        "underku",
        &proxy_spec("/O=Proxy Org/CN=ku owner/CN=proxy", None),
        Some(&ku_owner),
    );
    let ku_roots = chain.pki.bundle("ku-roots.pem", &[&ku_owner]);
    check(
        &case(&under_ku, &ku_roots, "-allow_proxy_certs"),
        Verdict::error(KEYUSAGE_NO_DIGITAL_SIGNATURE, 1),
    );
}

// The -untrusted loader.

#[test]
fn untrusted_loader_warnings() {
    let chain = chain(
        "untrusted-warnings",
        intermediate(),
        Spec::tsa("/CN=warned tsa"),
    );
    let pki = &chain.pki;
    let expired = pki.issue(
        "expired",
        &Spec::ca("/CN=Expired CA").validity(now() - 100 * DAY, now() - 10 * DAY),
        Some(&chain.root),
    );
    let future = pki.issue(
        "future",
        &Spec::ca("/CN=Future CA").validity(now() + 10 * DAY, now() + 100 * DAY),
        Some(&chain.root),
    );
    let expired_leaf = pki.issue(
        "oldleaf",
        &Spec::tsa("/CN=Expired Leaf").validity(now() - 100 * DAY, now() - 10 * DAY),
        Some(&chain.root),
    );
    let version_1 = pki.path("v1.pem");
    pki.run(&[
        "x509",
        "-req",
        "-in",
        pki.path("leaf.csr").to_str().unwrap(),
        "-CA",
        chain.root.cert.to_str().unwrap(),
        "-CAkey",
        chain.root.key.to_str().unwrap(),
        "-set_serial",
        "77",
        "-days",
        "30",
        "-out",
        version_1.to_str().unwrap(),
    ]);
    let extra = pki.bundle(
        "extra.pem",
        &[&chain.intermediate, &expired, &future, &expired_leaf],
    );
    let extra_arg = format!("{},{}", extra.display(), version_1.display());
    let token = chain.token();
    let (ok, stderr) = token.compare(&chain.roots, &["-untrusted", &extra_arg]);
    assert!(ok);
    assert!(
        stderr.contains("with subject '/CN=Expired CA' has expired"),
        "{stderr}"
    );
    assert!(
        stderr.contains("with subject '/CN=Future CA' not yet valid"),
        "{stderr}"
    );
    assert!(
        stderr.contains("with subject '/CN=Expired Leaf' is not a CA cert"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("'/CN=warned tsa' is not a CA cert"),
        "{stderr}"
    );
    let later = (now() + 50 * DAY).to_string();
    token.compare(&chain.roots, &["-untrusted", &extra_arg, "-attime", &later]);
    token.compare(&chain.roots, &["-untrusted", &extra_arg, "-no_check_time"]);
    token.compare(
        &chain.roots,
        &[
            "-attime",
            &later,
            "-untrusted",
            &extra_arg,
            "-no_check_time",
        ],
    );
}
