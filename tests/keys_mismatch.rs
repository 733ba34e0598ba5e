//! `check_key_matches` against the verdicts of OpenSSL's
//! `X509_check_private_key`, which `openssl ts -reply` reports before it signs.

mod keys_support;

use der::{Decode, DecodePem};
use keys_support::Workdir;
use tsrs::Reason;
use tsrs::keys::{PrivateKey, check_key_matches};

/// A minimal TSA section: enough for `openssl ts -reply` to reach the key check.
const TS_CONFIG: &str = "[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ./serial
signer_digest = sha256
default_policy = 1.2.3.4
digests = sha256
";

/// Makes the keys and self-signed time-stamping certificates of the test.
fn setup(work: &Workdir) {
    work.write("ts.cnf", TS_CONFIG.as_bytes());
    work.write("serial", b"01\n");
    work.write("data", b"data to time-stamp\n");
    work.openssl(&[
        "ts",
        "-query",
        "-data",
        "data",
        "-sha256",
        "-out",
        "query.tsq",
    ]);

    let keys: [(&str, &[&str]); 9] = [
        (
            "rsa1",
            &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        ),
        (
            "rsa2",
            &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        ),
        (
            "p256",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        ),
        (
            "p256b",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        ),
        (
            "p384",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        ),
        (
            "bp256",
            &[
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:brainpoolP256r1",
            ],
        ),
        ("ed", &["-algorithm", "ED25519"]),
        ("ed2", &["-algorithm", "ED25519"]),
        (
            "pss",
            &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
        ),
    ];
    for (name, args) in keys {
        let mut command = vec!["genpkey"];
        command.extend_from_slice(args);
        let file = format!("{name}.pem");
        command.extend_from_slice(&["-out", &file]);
        work.openssl(&command);
    }
    work.openssl(&[
        "ec",
        "-in",
        "p256.pem",
        "-conv_form",
        "compressed",
        "-out",
        "p256c.pem",
    ]);
    for name in ["rsa1", "p256", "p256c", "p384", "bp256", "ed", "pss"] {
        work.openssl(&[
            "req",
            "-new",
            "-x509",
            "-key",
            &format!("{name}.pem"),
            "-subj",
            "/CN=tsrs test TSA",
            "-addext",
            "extendedKeyUsage=critical,timeStamping",
            "-out",
            &format!("{name}.crt"),
        ]);
    }
}

/// Runs `openssl ts -reply` and returns the reason `X509_check_private_key`
/// gives, or `None` when it accepts the key.
fn openssl_verdict(work: &Workdir, cert: &str, key: &str) -> Option<String> {
    let output = work.openssl_output(&[
        "ts",
        "-reply",
        "-config",
        "ts.cnf",
        "-queryfile",
        "query.tsq",
        "-signer",
        &format!("{cert}.crt"),
        "-inkey",
        &format!("{key}.pem"),
        "-out",
        "reply.tsr",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let (_, after) = stderr.split_once("X509_check_private_key:")?;
    after.split(':').next().map(str::to_owned)
}

fn tsrs_verdict(work: &Workdir, cert: &str, key: &str) -> Option<String> {
    let pem = work.read(&format!("{cert}.crt"));
    let certificate = x509_cert::Certificate::from_pem(&pem).unwrap();
    let spki_der =
        der::Encode::to_der(certificate.tbs_certificate().subject_public_key_info()).unwrap();
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(&spki_der).unwrap();
    let signer = PrivateKey::load(&work.path(&format!("{key}.pem")), None).unwrap();
    match check_key_matches(&signer, &spki) {
        Ok(()) => None,
        Err(err) => {
            assert_eq!(err.reason(), Reason::KeyMismatch, "{cert} {key}: {err}");
            let verdict = ["key type mismatch", "key values mismatch"]
                .into_iter()
                .find(|verdict| err.message().contains(verdict));
            Some(
                verdict
                    .unwrap_or_else(|| panic!("{cert} {key}: no verdict in {err}"))
                    .to_owned(),
            )
        }
    }
}

#[test]
fn verdicts_match_openssl() {
    let work = Workdir::new();
    setup(&work);
    let pairs = [
        ("rsa1", "rsa1", None),
        ("rsa1", "rsa2", Some("key values mismatch")),
        ("rsa1", "p256", Some("key type mismatch")),
        ("rsa1", "pss", Some("key type mismatch")),
        ("pss", "rsa1", Some("key type mismatch")),
        ("pss", "pss", None),
        ("p256", "p256", None),
        ("p256c", "p256", None),
        ("p256", "p256c", None),
        ("p256", "p256b", Some("key values mismatch")),
        ("p256", "p384", Some("key values mismatch")),
        ("p384", "p256", Some("key values mismatch")),
        ("bp256", "p256", Some("key values mismatch")),
        ("ed", "ed", None),
        ("ed", "ed2", Some("key values mismatch")),
        ("ed", "p256", Some("key type mismatch")),
        ("p256", "ed", Some("key type mismatch")),
    ];
    for (cert, key, expected) in pairs {
        let expected = expected.map(str::to_owned);
        assert_eq!(
            openssl_verdict(&work, cert, key),
            expected,
            "openssl, certificate {cert}, key {key}"
        );
        assert_eq!(
            tsrs_verdict(&work, cert, key),
            expected,
            "tsrs, certificate {cert}, key {key}"
        );
    }
}

#[test]
fn mismatch_message_names_both_kinds() {
    let work = Workdir::new();
    setup(&work);
    let pem = work.read("rsa1.crt");
    let certificate = x509_cert::Certificate::from_pem(&pem).unwrap();
    let spki_der =
        der::Encode::to_der(certificate.tbs_certificate().subject_public_key_info()).unwrap();
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(&spki_der).unwrap();
    let signer = PrivateKey::load(&work.path("p384.pem"), None).unwrap();
    let err = check_key_matches(&signer, &spki).unwrap_err();
    assert_eq!(
        err.message(),
        "private key does not match certificate: key type mismatch (the private key is EC P-384, \
         the certificate's key is RSA)"
    );
}
