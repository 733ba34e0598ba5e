//! Verification of hand-made tokens, compared with `openssl ts -verify`:
//! how the signer is identified, every shape of the ESS signing certificate
//! attributes, and every signature algorithm. Where OpenSSL 3.0's `ts` cannot
//! verify a correct token (a subjectKeyIdentifier signer, RSA-PSS),
//! `openssl cms -verify` is the reference and tsrs must accept it. OpenSSL
//! 3.0's CMS code cannot sign Ed25519, so tests/tsa_algorithms.rs checks
//! Ed25519 tokens that tsrs signs.

mod common;
mod handmade;
mod x509_pki;

use der::asn1::{Any, Int, OctetString};
use spki::AlgorithmIdentifierOwned;
use tsrs::asn1::GeneralName;
use tsrs::asn1::ess::{
    EssCertId, EssCertIdV2, IssuerSerial, SigningCertificate, SigningCertificateV2,
};
use tsrs::digest::DigestAlgorithm;
use tsrs::oid::known;
use tsrs::x509::{self, Cert};

use common::Tool;
use handmade::{
    assert_fails_with, cms_sign, cms_verifies, resign, set_attribute, verify_both, verify_with,
    write_tst_info,
};
use x509_pki::{Issued, Pki, Spec};

/// A root, an intermediate CA and a TSA certificate under it, with `tst.der`.
struct Chain {
    pki: Pki,
    root: Issued,
    intermediate: Issued,
    tsa: Issued,
}

impl Chain {
    fn new(label: &str, tsa_key: &str) -> Chain {
        let pki = Pki::new(label);
        let root = pki.issue("root", &Spec::ca("/CN=Handmade Root"), None);
        let intermediate = pki.issue("int", &Spec::ca("/CN=Handmade Intermediate"), Some(&root));
        let tsa = pki.issue(
            "tsa",
            &Spec::tsa("/CN=Handmade TSA").key(tsa_key),
            Some(&intermediate),
        );
        write_tst_info(&pki);
        Chain {
            pki,
            root,
            intermediate,
            tsa,
        }
    }

    fn cert(issued: &Issued) -> Cert {
        x509::load_certs(&issued.cert).unwrap().remove(0)
    }

    /// Signs `tst.der` with the TSA key, the intermediate in the token.
    fn sign(&self, name: &str, extra: &[&str]) -> std::path::PathBuf {
        let mut args = vec!["-certfile", self.intermediate.cert.to_str().unwrap()];
        args.extend_from_slice(extra);
        cms_sign(&self.pki, name, &self.tsa, &args)
    }
}

const CA_ARGS: &[&str] = &["-CAfile", "root.pem"];

fn issuer_serial(cert: &Cert) -> IssuerSerial {
    IssuerSerial {
        issuer: vec![GeneralName::DirectoryName(cert.issuer().clone())],
        serial_number: Int::new(cert.serial_bytes()).unwrap(),
    }
}

fn id_v1(cert: &Cert, with_issuer_serial: bool) -> EssCertId {
    EssCertId {
        cert_hash: OctetString::new(DigestAlgorithm::Sha1.digest(cert.der())).unwrap(),
        issuer_serial: with_issuer_serial.then(|| issuer_serial(cert)),
    }
}

/// Builds an ESSCertIDv2. With `hash_written`, the hashAlgorithm is written even for SHA-256.
fn id_v2(
    cert: &Cert,
    digest: DigestAlgorithm,
    hash_written: bool,
    with_issuer_serial: bool,
) -> EssCertIdV2 {
    let hash_algorithm =
        (hash_written || digest != DigestAlgorithm::Sha256).then(|| AlgorithmIdentifierOwned {
            oid: digest.oid().unwrap(),
            parameters: None,
        });
    EssCertIdV2 {
        hash_algorithm,
        cert_hash: OctetString::new(digest.digest(cert.der())).unwrap(),
        issuer_serial: with_issuer_serial.then(|| issuer_serial(cert)),
    }
}

fn v1(certs: Vec<EssCertId>) -> Option<Any> {
    Some(
        Any::encode_from(&SigningCertificate {
            certs,
            policies: None,
        })
        .unwrap(),
    )
}

fn v2(certs: Vec<EssCertIdV2>) -> Option<Any> {
    Some(
        Any::encode_from(&SigningCertificateV2 {
            certs,
            policies: None,
        })
        .unwrap(),
    )
}

/// The expected verdict of one case.
enum Expect {
    Ok,
    Fails(&'static str),
}

#[test]
fn signer_by_issuer_and_serial() {
    let chain = Chain::new("sid-ias", "rsa2048");
    let token = chain.sign("ias.tok", &[]);
    let outcome = verify_both(&chain.pki, &token, CA_ARGS);
    assert!(outcome.ok, "{}", outcome.stderr);
}

/// OpenSSL 3.0's PKCS#7 decoder has no subjectKeyIdentifier choice in
/// SignerInfo, so `openssl ts` cannot read a version 3 SignerInfo at all.
/// RFC 5652 allows it, `openssl cms` verifies it, and so does tsrs.
#[test]
fn signer_by_subject_key_identifier() {
    let chain = Chain::new("sid-ski", "rsa2048");
    let token = chain.sign("ski.tok", &["-keyid"]);
    assert!(cms_verifies(
        &chain.pki,
        &token,
        &chain.root.cert,
        Some(&chain.intermediate.cert)
    ));
    let openssl = verify_with(Tool::Openssl, &chain.pki, &token, CA_ARGS);
    assert_fails_with(&openssl, "nested asn1 error");
    let tsrs = verify_with(Tool::Tsrs, &chain.pki, &token, CA_ARGS);
    assert!(tsrs.ok, "{}", tsrs.stderr);
}

#[test]
fn ess_attributes_match_openssl() {
    use DigestAlgorithm::{Sha1, Sha256, Sha384, Sha512};

    let chain = Chain::new("ess", "rsa2048");
    let base = chain.sign("base.tok", &[]);
    let tsa = Chain::cert(&chain.tsa);
    let int = Chain::cert(&chain.intermediate);
    let root = Chain::cert(&chain.root);
    let stranger = Chain::cert(&chain.pki.issue("stranger", &Spec::ca("/CN=Stranger"), None));
    let mut wrong_hash = id_v2(&tsa, Sha256, false, false);
    wrong_hash.cert_hash = OctetString::new(Sha256.digest(b"not a certificate")).unwrap();
    let mut wrong_serial = id_v1(&tsa, true);
    wrong_serial.issuer_serial.as_mut().unwrap().serial_number = Int::new(&[0x7f]).unwrap();
    let mut wrong_issuer = id_v2(&tsa, Sha256, false, true);
    wrong_issuer.issuer_serial.as_mut().unwrap().issuer =
        vec![GeneralName::DirectoryName(root.subject().clone()); 1];
    let mut two_names = id_v2(&tsa, Sha256, false, true);
    two_names
        .issuer_serial
        .as_mut()
        .unwrap()
        .issuer
        .push(GeneralName::DirectoryName(tsa.issuer().clone()));
    let mut short_hash = id_v2(&tsa, Sha384, true, false);
    short_hash.cert_hash = OctetString::new(Sha256.digest(tsa.der())).unwrap();
    let mut unknown_hash = id_v2(&tsa, Sha256, true, false);
    unknown_hash.hash_algorithm.as_mut().unwrap().oid =
        der::asn1::ObjectIdentifier::new_unwrap("1.2.3.4.5");

    type Case = (&'static str, Option<Any>, Option<Any>, Expect);
    let cases: Vec<Case> = vec![
        ("v1 signer", v1(vec![id_v1(&tsa, false)]), None, Expect::Ok),
        (
            "v1 signer with issuerSerial",
            v1(vec![id_v1(&tsa, true)]),
            None,
            Expect::Ok,
        ),
        (
            "v1 signer and intermediate",
            v1(vec![id_v1(&tsa, false), id_v1(&int, true)]),
            None,
            Expect::Ok,
        ),
        (
            "v1 whole chain",
            v1(vec![
                id_v1(&tsa, true),
                id_v1(&int, true),
                id_v1(&root, true),
            ]),
            None,
            Expect::Ok,
        ),
        (
            "v1 signer and root, skipping the intermediate",
            v1(vec![id_v1(&tsa, false), id_v1(&root, false)]),
            None,
            Expect::Ok,
        ),
        (
            "v2 SHA-256 omitted",
            None,
            v2(vec![id_v2(&tsa, Sha256, false, false)]),
            Expect::Ok,
        ),
        (
            "v2 SHA-256 written out",
            None,
            v2(vec![id_v2(&tsa, Sha256, true, false)]),
            Expect::Ok,
        ),
        (
            "v2 SHA-256 with issuerSerial",
            None,
            v2(vec![id_v2(&tsa, Sha256, false, true)]),
            Expect::Ok,
        ),
        (
            "v2 SHA-1",
            None,
            v2(vec![id_v2(&tsa, Sha1, true, false)]),
            Expect::Ok,
        ),
        (
            "v2 SHA-384 whole chain",
            None,
            v2(vec![
                id_v2(&tsa, Sha384, true, false),
                id_v2(&int, Sha384, true, true),
                id_v2(&root, Sha384, true, true),
            ]),
            Expect::Ok,
        ),
        (
            "v2 mixed hashes",
            None,
            v2(vec![
                id_v2(&tsa, Sha512, true, false),
                id_v2(&int, Sha256, false, true),
            ]),
            Expect::Ok,
        ),
        (
            "both attributes",
            v1(vec![id_v1(&tsa, false)]),
            v2(vec![id_v2(&tsa, Sha256, false, false)]),
            Expect::Ok,
        ),
        (
            "both attributes, v2 wrong",
            v1(vec![id_v1(&tsa, false)]),
            v2(vec![wrong_hash.clone()]),
            Expect::Fails("error:ESS routines:find:ess cert id not found"),
        ),
        (
            "both attributes, v1 wrong",
            v1(vec![id_v1(&int, false)]),
            v2(vec![id_v2(&tsa, Sha256, false, false)]),
            Expect::Fails("error:ESS routines:find:ess cert id wrong order"),
        ),
        (
            "v2 wrong hash",
            None,
            v2(vec![wrong_hash]),
            Expect::Fails("error:ESS routines:find:ess cert id not found"),
        ),
        (
            "v1 wrong serial",
            v1(vec![wrong_serial]),
            None,
            Expect::Fails("error:ESS routines:find:ess cert id not found"),
        ),
        (
            "v2 wrong issuer",
            None,
            v2(vec![wrong_issuer]),
            Expect::Fails("error:ESS routines:find:ess cert id not found"),
        ),
        (
            "v2 issuerSerial with two names",
            None,
            v2(vec![two_names]),
            Expect::Fails("error:ESS routines:find:ess cert id not found"),
        ),
        (
            "v1 intermediate first",
            v1(vec![id_v1(&int, false), id_v1(&tsa, false)]),
            None,
            Expect::Fails("error:ESS routines:find:ess cert id wrong order"),
        ),
        (
            "v2 signer listed twice",
            None,
            v2(vec![
                id_v2(&tsa, Sha256, false, false),
                id_v2(&tsa, Sha256, false, false),
            ]),
            Expect::Fails("error:ESS routines:find:ess cert id wrong order"),
        ),
        (
            "v1 certificate outside the chain",
            v1(vec![id_v1(&tsa, false), id_v1(&stranger, false)]),
            None,
            Expect::Fails("error:ESS routines:find:ess cert id not found"),
        ),
        (
            "v1 empty list",
            v1(Vec::new()),
            None,
            Expect::Fails("error:ESS routines:OSSL_ESS_check_signing_certs:empty ess cert id list"),
        ),
        (
            "v2 empty list",
            None,
            v2(Vec::new()),
            Expect::Fails("error:ESS routines:OSSL_ESS_check_signing_certs:empty ess cert id list"),
        ),
        (
            "no attribute",
            None,
            None,
            Expect::Fails(
                "error:ESS routines:OSSL_ESS_check_signing_certs:missing signing certificate attribute",
            ),
        ),
        (
            "v2 hash length of another digest",
            None,
            v2(vec![short_hash]),
            Expect::Fails("error:ESS routines:find:ess cert digest error"),
        ),
        (
            "v2 unknown hash algorithm",
            None,
            v2(vec![unknown_hash]),
            Expect::Fails("error:ESS routines:find:ess digest alg unknown"),
        ),
    ];

    for (index, (name, v1_value, v2_value, expect)) in cases.into_iter().enumerate() {
        let token = resign(
            &chain.pki,
            &base,
            &format!("ess-{index}.tok"),
            &chain.tsa,
            |attributes| {
                set_attribute(attributes, known::SIGNING_CERTIFICATE, v1_value);
                set_attribute(attributes, known::SIGNING_CERTIFICATE_V2, v2_value);
            },
        );
        let outcome = verify_both(&chain.pki, &token, CA_ARGS);
        match expect {
            Expect::Ok => assert!(outcome.ok, "{name}: {}", outcome.stderr),
            Expect::Fails(reason) => {
                assert!(!outcome.ok, "{name}: verification passed");
                assert!(
                    outcome.stderr.contains(reason),
                    "{name}: expected {reason:?} in\n{}",
                    outcome.stderr
                );
            }
        }
    }
}

/// The ESS attribute that `openssl cms -cades` writes verifies in both tools.
#[test]
fn cades_attribute_verifies() {
    let chain = Chain::new("cades", "rsa2048");
    let token = chain.sign("cades.tok", &[]);
    let outcome = verify_both(&chain.pki, &token, CA_ARGS);
    assert!(outcome.ok, "{}", outcome.stderr);
}

#[test]
fn rsa_pkcs1_digests_match_openssl() {
    let chain = Chain::new("rsa-md", "rsa2048");
    for md in ["sha1", "sha224", "sha256", "sha384", "sha512"] {
        let token = chain.sign(&format!("rsa-{md}.tok"), &["-md", md]);
        let outcome = verify_both(&chain.pki, &token, CA_ARGS);
        assert!(outcome.ok, "{md}: {}", outcome.stderr);
    }
}

#[test]
fn ecdsa_curves_match_openssl() {
    for (curve, md) in [("p256", "sha256"), ("p384", "sha384"), ("p521", "sha512")] {
        let chain = Chain::new(&format!("ecdsa-{curve}"), curve);
        let token = chain.sign(&format!("{curve}.tok"), &["-md", md]);
        let outcome = verify_both(&chain.pki, &token, CA_ARGS);
        assert!(outcome.ok, "{curve}: {}", outcome.stderr);
    }
}

/// OpenSSL 3.0's PKCS#7 code verifies an RSA-PSS SignerInfo as PKCS#1 v1.5,
/// so `openssl ts -verify` fails on these tokens that `openssl cms -verify`
/// accepts; tsrs follows the CMS verdict.
#[test]
fn rsa_pss_parameter_sets_verify() {
    let chain = Chain::new("rsa-pss", "rsa2048");
    let parameter_sets: &[(&str, &[&str])] = &[
        (
            "sha256-salt-digest",
            &["-md", "sha256", "-keyopt", "rsa_pss_saltlen:digest"],
        ),
        (
            "sha256-salt-20",
            &["-md", "sha256", "-keyopt", "rsa_pss_saltlen:20"],
        ),
        (
            "sha256-salt-max",
            &["-md", "sha256", "-keyopt", "rsa_pss_saltlen:max"],
        ),
        (
            "sha256-salt-0",
            &["-md", "sha256", "-keyopt", "rsa_pss_saltlen:0"],
        ),
        ("sha1", &["-md", "sha1"]),
        (
            "sha384-mgf1-sha256",
            &["-md", "sha384", "-keyopt", "rsa_mgf1_md:sha256"],
        ),
        (
            "sha512-mgf1-sha1-salt-32",
            &[
                "-md",
                "sha512",
                "-keyopt",
                "rsa_mgf1_md:sha1",
                "-keyopt",
                "rsa_pss_saltlen:32",
            ],
        ),
    ];
    for (name, options) in parameter_sets {
        let mut args = vec!["-keyopt", "rsa_padding_mode:pss"];
        args.extend_from_slice(options);
        let token = chain.sign(&format!("pss-{name}.tok"), &args);
        assert!(
            cms_verifies(
                &chain.pki,
                &token,
                &chain.root.cert,
                Some(&chain.intermediate.cert)
            ),
            "{name}: openssl cms -verify failed"
        );
        let openssl = verify_with(Tool::Openssl, &chain.pki, &token, CA_ARGS);
        assert!(!openssl.ok, "{name}: openssl ts now verifies RSA-PSS");
        let tsrs = verify_with(Tool::Tsrs, &chain.pki, &token, CA_ARGS);
        assert!(tsrs.ok, "{name}: {}", tsrs.stderr);

        let tampered = resign(
            &chain.pki,
            &token,
            &format!("pss-{name}-bad.tok"),
            &chain.tsa,
            |_| {},
        );
        // `PrivateKey` signs again with PKCS#1 v1.5, so the RSASSA-PSS
        // signatureAlgorithm no longer matches the signature.
        let tsrs = verify_with(Tool::Tsrs, &chain.pki, &tampered, CA_ARGS);
        assert_fails_with(&tsrs, "signature failure");
    }
}
