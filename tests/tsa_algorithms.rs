//! The TSA signing with keys that `openssl ts -reply` rejects: RSA-PSS keys
//! with and without parameters, RSA keys configured for PSS padding
//! (`signer_rsa_padding = pss`, a tsrs-only key) and Ed25519. Each token is
//! checked for the algorithm identifiers of RFC 4056 and RFC 8419, then
//! verified by `openssl cms -verify` (for Ed25519, which OpenSSL 3.0's CMS
//! code cannot verify, by `openssl pkeyutl`) and by `tsrs ts -verify`.

mod common;
mod handmade;
mod x509_pki;

use std::fs;

use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use tsrs::asn1::cms::TimeStampToken;
use tsrs::digest::DigestAlgorithm;
use tsrs::oid::known;

use common::Tool;
use handmade::{DATA, cms_verifies, verify_with};
use x509_pki::{Issued, Pki, Spec};

const ID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
const ID_SHA384: &str = "2.16.840.1.101.3.4.2.2";
const ID_SHA512: &str = "2.16.840.1.101.3.4.2.3";

/// RSASSA-PSS-params as written: hash, MGF1 hash and saltLength, each `None`
/// when the DEFAULT (SHA-1, SHA-1, 20) is left out.
#[derive(Debug, PartialEq, Eq)]
struct PssFields {
    hash: Option<String>,
    mgf1_hash: Option<String>,
    salt_length: Option<u32>,
}

#[derive(der::Sequence)]
struct RawPssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash_algorithm: Option<spki::AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask_gen_algorithm: Option<spki::AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_length: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer_field: Option<u32>,
}

fn pss_fields(algorithm: &tsrs::asn1::AlgorithmIdentifier) -> PssFields {
    assert_eq!(algorithm.oid, known::RSASSA_PSS);
    let der = algorithm.parameters.as_ref().unwrap().to_der().unwrap();
    let params = RawPssParams::from_der(&der).unwrap();
    assert_eq!(
        params.trailer_field, None,
        "trailerField left at its DEFAULT"
    );
    let mgf1_hash = params.mask_gen_algorithm.map(|mgf| {
        assert_eq!(mgf.oid, known::MGF1);
        let hash_der = mgf.parameters.unwrap().to_der().unwrap();
        spki::AlgorithmIdentifierOwned::from_der(&hash_der)
            .unwrap()
            .oid
            .to_string()
    });
    PssFields {
        hash: params.hash_algorithm.map(|hash| hash.oid.to_string()),
        mgf1_hash,
        salt_length: params.salt_length,
    }
}

/// A root and a TSA certificate whose key is made by `genpkey_args`.
struct Tsa {
    pki: Pki,
    root: Issued,
}

impl Tsa {
    fn new(label: &str, genpkey_args: &[&str]) -> Tsa {
        let pki = Pki::new(label);
        let root = pki.issue("root", &Spec::ca("/CN=Algorithm Root"), None);
        let key = pki.path("tsa-own.key");
        let mut args = vec!["genpkey", "-out", key.to_str().unwrap()];
        args.extend_from_slice(genpkey_args);
        pki.run(&args);
        let kind = if genpkey_args.contains(&"ED25519") {
            "ed25519"
        } else {
            "rsa2048"
        };
        let mut spec = Spec::tsa("/CN=Algorithm TSA");
        spec.key_from = Some((key, kind.to_owned()));
        pki.issue("tsa", &spec, Some(&root));
        fs::write(pki.path("data.txt"), DATA).unwrap();
        fs::write(pki.path("serial"), "01\n").unwrap();
        Tsa { pki, root }
    }

    /// Writes `tsa.cnf` with these extra lines in the TSA section.
    fn config(&self, lines: &[&str]) {
        let text = format!(
            "[ tsa ]\ndefault_tsa = tsa_config\n[ tsa_config ]\nserial = serial\n\
             signer_cert = tsa.pem\nsigner_key = tsa-own.key\ndefault_policy = 1.2.3.4.1\n\
             digests = sha256, sha384, sha512\n{}\n",
            lines.join("\n")
        );
        fs::write(self.pki.path("tsa.cnf"), text).unwrap();
    }

    /// Time-stamps `data.txt` with `tsrs ts -reply` and returns the token.
    fn stamp(&self, name: &str) -> (std::path::PathBuf, TimeStampToken) {
        let dir = &self.pki.dir;
        let query = common::ts(
            Tool::Openssl,
            dir,
            &[
                "-query", "-data", "data.txt", "-cert", "-sha256", "-out", "q.tsq",
            ],
            false,
            None,
        );
        assert!(query.status.success());
        let reply = common::ts(
            Tool::Tsrs,
            dir,
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-queryfile",
                "q.tsq",
                "-token_out",
                "-out",
                name,
            ],
            false,
            None,
        );
        assert!(
            reply.status.success(),
            "{}",
            String::from_utf8_lossy(&reply.stderr)
        );
        let path = self.pki.path(name);
        let token = TimeStampToken::from_ber(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            token.signed_data.signer_infos.0.len(),
            1,
            "{name}: one SignerInfo"
        );
        (path, token)
    }

    /// Checks that `openssl cms -verify` and `tsrs ts -verify` accept the token.
    fn assert_verifies(&self, token: &std::path::Path) {
        assert!(
            cms_verifies(&self.pki, token, &self.root.cert, None),
            "openssl cms -verify rejects {}",
            token.display()
        );
        let outcome = verify_with(Tool::Tsrs, &self.pki, token, &["-CAfile", "root.pem"]);
        assert!(outcome.ok, "{}", outcome.stderr);
    }
}

fn digest_oid(token: &TimeStampToken) -> (String, bool) {
    let signer = &token.signed_data.signer_infos.0[0];
    (
        signer.digest_algorithm.oid.to_string(),
        signer.digest_algorithm.parameters.is_some(),
    )
}

#[test]
fn rsa_pss_key_without_parameters() {
    let tsa = Tsa::new(
        "pss-plain",
        &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
    );
    for (digest, oid) in [("sha256", ID_SHA256), ("sha512", ID_SHA512)] {
        tsa.config(&[&format!("signer_digest = {digest}")]);
        let (path, token) = tsa.stamp(&format!("pss-{digest}.tok"));
        let signer = &token.signed_data.signer_infos.0[0];
        assert_eq!(
            pss_fields(&signer.signature_algorithm),
            PssFields {
                hash: Some(oid.to_owned()),
                mgf1_hash: Some(oid.to_owned()),
                salt_length: Some(if digest == "sha256" { 32 } else { 64 }),
            },
            "{digest}"
        );
        assert_eq!(digest_oid(&token).0, oid);
        tsa.assert_verifies(&path);
    }
}

#[test]
fn rsa_pss_key_with_parameters() {
    let tsa = Tsa::new(
        "pss-params",
        &[
            "-algorithm",
            "RSA-PSS",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-pkeyopt",
            "rsa_pss_keygen_md:sha384",
            "-pkeyopt",
            "rsa_pss_keygen_mgf1_md:sha256",
            "-pkeyopt",
            "rsa_pss_keygen_saltlen:40",
        ],
    );
    tsa.config(&["signer_digest = sha384"]);
    let (path, token) = tsa.stamp("pss-params.tok");
    let signer = &token.signed_data.signer_infos.0[0];
    assert_eq!(
        pss_fields(&signer.signature_algorithm),
        PssFields {
            hash: Some(ID_SHA384.to_owned()),
            mgf1_hash: Some(ID_SHA256.to_owned()),
            salt_length: Some(40),
        }
    );
    tsa.assert_verifies(&path);

    // The key's parameters allow no other digest.
    tsa.config(&["signer_digest = sha256"]);
    let reply = common::ts(
        Tool::Tsrs,
        &tsa.pki.dir,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "q.tsq",
            "-text",
        ],
        false,
        None,
    );
    let stdout = String::from_utf8_lossy(&reply.stdout);
    assert!(
        stdout.contains("Error during signature generation."),
        "{stdout}"
    );
}

#[test]
fn rsa_key_with_pss_padding() {
    let tsa = Tsa::new(
        "rsa-pss-padding",
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    );
    for (digest, oid, salt) in [("sha256", ID_SHA256, 32), ("sha384", ID_SHA384, 48)] {
        tsa.config(&[
            &format!("signer_digest = {digest}"),
            "signer_rsa_padding = pss",
        ]);
        let (path, token) = tsa.stamp(&format!("padding-{digest}.tok"));
        let signer = &token.signed_data.signer_infos.0[0];
        assert_eq!(
            pss_fields(&signer.signature_algorithm),
            PssFields {
                hash: Some(oid.to_owned()),
                mgf1_hash: Some(oid.to_owned()),
                salt_length: Some(salt),
            },
            "{digest}"
        );
        tsa.assert_verifies(&path);
    }

    tsa.config(&["signer_digest = sha256", "signer_rsa_padding = pkcs1"]);
    let (path, token) = tsa.stamp("padding-pkcs1.tok");
    let signer = &token.signed_data.signer_infos.0[0];
    assert_eq!(signer.signature_algorithm.oid, known::RSA_ENCRYPTION);
    tsa.assert_verifies(&path);
    let openssl = verify_with(Tool::Openssl, &tsa.pki, &path, &["-CAfile", "root.pem"]);
    assert!(openssl.ok, "{}", openssl.stderr);

    tsa.config(&["signer_digest = sha256", "signer_rsa_padding = oaep"]);
    let reply = common::ts(
        Tool::Tsrs,
        &tsa.pki.dir,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "q.tsq",
            "-out",
            "bad.tsr",
        ],
        false,
        None,
    );
    assert!(!reply.status.success());
    let stderr = String::from_utf8_lossy(&reply.stderr);
    assert!(
        stderr.contains("tsa_config::signer_rsa_padding"),
        "{stderr}"
    );
}

#[test]
fn pss_padding_rejects_other_keys() {
    let tsa = Tsa::new("ed-pss-padding", &["-algorithm", "ED25519"]);
    tsa.config(&["signer_digest = sha256", "signer_rsa_padding = pss"]);
    fs::write(tsa.pki.path("q.tsq"), b"").unwrap();
    let reply = common::ts(
        Tool::Tsrs,
        &tsa.pki.dir,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "q.tsq",
            "-out",
            "bad.tsr",
        ],
        false,
        None,
    );
    assert!(!reply.status.success());
    let stderr = String::from_utf8_lossy(&reply.stderr);
    assert!(stderr.contains("signer_rsa_padding"), "{stderr}");
}

/// Checks an Ed25519 token without OpenSSL's CMS code, which cannot verify
/// Ed25519 in 3.0 (`eddsa_digest_signverify_init:invalid digest`): the
/// messageDigest attribute is SHA-512 of the TSTInfo, and `openssl pkeyutl
/// -verify -rawin` accepts the signature over the DER signed attributes.
fn ed25519_cross_check(tsa: &Tsa, token: &TimeStampToken) -> bool {
    let signer = &token.signed_data.signer_infos.0[0];
    let message_digest = signer.signed_attr(&known::MESSAGE_DIGEST).unwrap();
    let message_digest = OctetString::from_der(&message_digest.to_der().unwrap()).unwrap();
    assert_eq!(
        message_digest.as_bytes(),
        DigestAlgorithm::Sha512.digest(&token.tst_info_der),
        "messageDigest is SHA-512 of the TSTInfo"
    );
    let attributes = signer.signed_attrs.as_ref().unwrap().to_der().unwrap();
    fs::write(tsa.pki.path("attrs.der"), attributes).unwrap();
    fs::write(tsa.pki.path("sig.bin"), signer.signature.as_bytes()).unwrap();
    let public_key = tsa
        .pki
        .run(&["x509", "-in", "tsa.pem", "-noout", "-pubkey"]);
    fs::write(tsa.pki.path("tsa-pub.pem"), public_key).unwrap();
    let output = std::process::Command::new("openssl")
        .args([
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "tsa-pub.pem",
            "-rawin",
            "-in",
            "attrs.der",
            "-sigfile",
            "sig.bin",
        ])
        .current_dir(&tsa.pki.dir)
        .output()
        .unwrap();
    output.status.success()
}

#[test]
fn ed25519_key() {
    let tsa = Tsa::new("ed25519-tsa", &["-algorithm", "ED25519"]);
    tsa.config(&["signer_digest = sha256"]);
    let (path, token) = tsa.stamp("ed25519.tok");
    let signer = &token.signed_data.signer_infos.0[0];
    assert_eq!(signer.signature_algorithm.oid, known::ED25519);
    assert!(
        signer.signature_algorithm.parameters.is_none(),
        "id-Ed25519 has absent parameters"
    );
    assert_eq!(digest_oid(&token), (ID_SHA512.to_owned(), false));
    let listed: Vec<ObjectIdentifier> = token
        .signed_data
        .digest_algorithms
        .0
        .iter()
        .filter_map(|algorithm| algorithm.known_oid())
        .collect();
    assert_eq!(listed, vec![ObjectIdentifier::new_unwrap(ID_SHA512)]);
    assert!(
        ed25519_cross_check(&tsa, &token),
        "openssl pkeyutl rejects the signature"
    );

    let ca = ["-CAfile", "root.pem"];
    let tsrs = verify_with(Tool::Tsrs, &tsa.pki, &path, &ca);
    assert!(tsrs.ok, "{}", tsrs.stderr);
    let openssl = verify_with(Tool::Openssl, &tsa.pki, &path, &ca);
    assert!(!openssl.ok, "openssl ts now verifies Ed25519");

    let mut forged = token.clone();
    let mut signature = signer.signature.as_bytes().to_vec();
    signature[10] ^= 1;
    forged.signed_data.signer_infos.0[0].signature = OctetString::new(signature).unwrap();
    let forged_path = tsa.pki.path("forged.tok");
    fs::write(&forged_path, forged.to_der().unwrap()).unwrap();
    assert!(!ed25519_cross_check(&tsa, &forged));
    let tsrs = verify_with(Tool::Tsrs, &tsa.pki, &forged_path, &ca);
    assert!(!tsrs.ok, "tsrs accepts a changed Ed25519 signature");
    assert!(tsrs.stderr.contains("signature failure"), "{}", tsrs.stderr);
}
