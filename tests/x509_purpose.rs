//! Certificate purposes compared with `openssl x509 -noout -purpose`, which
//! prints `X509_check_purpose` for every purpose, as a leaf and as a CA; and
//! the signing-time check `TS_RESP_CTX_set_signer_cert` makes.

mod x509_pki;

use tsrs::Reason;
use tsrs::x509::{self, Purpose, PurposeCheck};
use x509_pki::{Case, Pki, Spec, Verdict};

/// Self-signs a certificate with these `-addext` extensions and returns it
/// with OpenSSL's `-purpose` report.
fn certificate(pki: &Pki, tag: &str, extensions: &[&str], extra: &[&str]) -> (x509::Cert, String) {
    let config = pki.path("req.cnf");
    std::fs::write(&config, "[ req ]\ndistinguished_name = dn\n[ dn ]\n").unwrap();
    let key = pki.path("purpose.key");
    if !key.exists() {
        pki.run(&[
            "genpkey",
            "-algorithm",
            "ED25519",
            "-out",
            key.to_str().unwrap(),
        ]);
    }
    let cert = pki.path(&format!("{tag}.pem"));
    let subject = format!("/CN={tag}");
    let mut args = vec![
        "req",
        "-x509",
        "-new",
        "-config",
        config.to_str().unwrap(),
        "-key",
        key.to_str().unwrap(),
        "-subj",
        &subject,
        "-days",
        "30",
        "-out",
        cert.to_str().unwrap(),
    ];
    for extension in extensions {
        args.extend(["-addext", extension]);
    }
    args.extend_from_slice(extra);
    pki.run(&args);
    let report = pki.run(&["x509", "-in", cert.to_str().unwrap(), "-noout", "-purpose"]);
    (
        x509::load_certs(&cert).unwrap().remove(0),
        normalize(&report),
    )
}

/// Rewrites OpenSSL's warnings for the CA kinds `check_ca` returns (3 for a
/// version 1 root, 4 for keyCertSign without basicConstraints, 5 for a
/// Netscape CA) as plain "Yes", because they all mean suitable.
fn normalize(report: &str) -> String {
    ["3", "4", "5"]
        .iter()
        .fold(report.to_owned(), |text, code| {
            text.replace(&format!("Yes (WARNING code={code})"), "Yes")
        })
}

/// Builds the report `openssl x509 -purpose` prints, from tsrs's checks of `cert`.
fn tsrs_report(cert: &x509::Cert) -> String {
    let mut out = String::from("Certificate purposes:\n");
    for purpose in Purpose::ALL {
        for as_ca in [false, true] {
            let verdict = match purpose.check(cert, as_ca) {
                PurposeCheck::Ok => "Yes",
                PurposeCheck::Unsuitable => "No",
                PurposeCheck::Invalid => "Yes (WARNING code=-1)",
            };
            let ca = if as_ca { " CA" } else { "" };
            out.push_str(&format!("{}{ca} : {verdict}\n", purpose.description()));
        }
    }
    out
}

const PROFILES: &[(&str, &[&str])] = &[
    (
        "tsa",
        &[
            "basicConstraints=critical,CA:FALSE",
            "keyUsage=critical,digitalSignature",
            "extendedKeyUsage=critical,timeStamping",
        ],
    ),
    ("tsa-soft", &["extendedKeyUsage=timeStamping"]),
    (
        "tsa-nr",
        &[
            "keyUsage=nonRepudiation",
            "extendedKeyUsage=critical,timeStamping",
        ],
    ),
    (
        "tsa-any",
        &["extendedKeyUsage=critical,timeStamping,anyExtendedKeyUsage"],
    ),
    (
        "tsa-unknown",
        &["extendedKeyUsage=critical,timeStamping,1.2.3.4"],
    ),
    (
        "tsa-server",
        &["extendedKeyUsage=critical,timeStamping,serverAuth"],
    ),
    (
        "tsa-encipher",
        &[
            "keyUsage=digitalSignature,keyEncipherment",
            "extendedKeyUsage=critical,timeStamping",
        ],
    ),
    (
        "server",
        &[
            "keyUsage=digitalSignature,keyEncipherment",
            "extendedKeyUsage=serverAuth",
        ],
    ),
    (
        "client",
        &["keyUsage=keyAgreement", "extendedKeyUsage=clientAuth"],
    ),
    ("sgc", &["extendedKeyUsage=msSGC"]),
    (
        "smime",
        &[
            "keyUsage=nonRepudiation",
            "extendedKeyUsage=emailProtection",
        ],
    ),
    ("ocsp", &["extendedKeyUsage=OCSPSigning"]),
    (
        "ca",
        &[
            "basicConstraints=critical,CA:TRUE",
            "keyUsage=keyCertSign,cRLSign",
        ],
    ),
    (
        "ca-no-certsign",
        &[
            "basicConstraints=critical,CA:TRUE",
            "keyUsage=digitalSignature",
        ],
    ),
    ("ca-false", &["basicConstraints=CA:FALSE"]),
    ("ku-only-ca", &["keyUsage=keyCertSign"]),
    ("ns-ca", &["nsCertType=sslCA,emailCA"]),
    ("ns-client", &["nsCertType=client,email"]),
    ("ns-server", &["nsCertType=server"]),
    ("ns-objsign", &["nsCertType=objsign,objCA"]),
    ("crl", &["keyUsage=cRLSign"]),
    ("bare", &[]),
    (
        "invalid-pathlen",
        &[
            "basicConstraints=critical,CA:TRUE",
            "2.5.29.19=DER:30:06:01:01:FF:02:01:FF",
        ],
    ),
    ("empty-eku", &["extendedKeyUsage=critical,DER:30:00"]),
];

#[test]
fn purposes_match_openssl_x509_purpose() {
    let pki = Pki::new("purposes");
    for (tag, extensions) in PROFILES {
        let (cert, report) = certificate(&pki, tag, extensions, &[]);
        assert_eq!(tsrs_report(&cert), report, "purposes of {tag}");
    }
}

#[test]
fn version_1_root_is_a_ca() {
    let pki = Pki::new("purposes-v1");
    let config = pki.path("v1.cnf");
    std::fs::write(&config, "[ req ]\ndistinguished_name = dn\n[ dn ]\n").unwrap();
    let key = pki.path("v1.key");
    pki.run(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        key.to_str().unwrap(),
    ]);
    let csr = pki.path("v1.csr");
    let cert = pki.path("v1.pem");
    pki.run(&[
        "req",
        "-new",
        "-config",
        config.to_str().unwrap(),
        "-key",
        key.to_str().unwrap(),
        "-subj",
        "/CN=v1",
        "-out",
        csr.to_str().unwrap(),
    ]);
    pki.run(&[
        "x509",
        "-req",
        "-in",
        csr.to_str().unwrap(),
        "-key",
        key.to_str().unwrap(),
        "-days",
        "5",
        "-out",
        cert.to_str().unwrap(),
    ]);
    let text = pki.run(&["x509", "-in", cert.to_str().unwrap(), "-noout", "-text"]);
    assert!(text.contains("Version: 1 (0x0)"), "{text}");
    let report =
        normalize(&pki.run(&["x509", "-in", cert.to_str().unwrap(), "-noout", "-purpose"]));
    let cert = x509::load_certs(&cert).unwrap().remove(0);
    assert_eq!(cert.version(), x509_cert::certificate::Version::V1);
    assert_eq!(tsrs_report(&cert), report);
}

#[test]
fn signer_purpose_matches_openssl() {
    let pki = Pki::new("signer-purpose");
    for (tag, extensions) in PROFILES {
        let (cert, report) = certificate(&pki, tag, extensions, &[]);
        let openssl_yes = report.contains("Time Stamp signing : Yes\n");
        let result = x509::check_timestamp_signer_purpose(&cert);
        assert_eq!(
            result.is_ok(),
            openssl_yes,
            "signer purpose of {tag}: {result:?}"
        );
        assert_eq!(cert.check_timestamp_signer().is_ok(), openssl_yes);
        if let Err(err) = result {
            assert_eq!(err.reason(), Reason::SignerPurpose);
            assert!(
                err.to_string()
                    .starts_with("invalid signer certificate purpose"),
                "{err}"
            );
            assert!(err.to_string().contains(&format!("/CN={tag}")), "{err}");
        }
    }
}

#[test]
fn leaf_with_invalid_extensions_finds_no_issuer() {
    let pki = Pki::new("invalid-leaf");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let spec = Spec::tsa("/CN=tsa")
        .without_extension("basicConstraints")
        .extension("2.5.29.19 = critical,DER:30:06:01:01:00:02:01:FF");
    let leaf = pki.issue("leaf", &spec, Some(&root));
    let cert = x509::load_certs(&leaf.cert).unwrap().remove(0);
    assert!(cert.invalid_extensions().is_some());
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root])).assert(Verdict::error(20, 0));
}
