//! Signature algorithms: certificate chains signed with RSA (PKCS #1 v1.5 and
//! PSS), ECDSA and Ed25519, compared with `openssl verify`, and
//! `verify_signature` on signatures made by `openssl dgst` and `openssl pkeyutl`.

mod x509_pki;

use std::path::Path;

use der::asn1::{Any, ObjectIdentifier};
use der::{Decode, Encode};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use tsrs::Reason;
use tsrs::digest::DigestAlgorithm;
use tsrs::x509::{self, verify_signature};
use x509_pki::{Case, Pki, Spec, Verdict};

/// A root and a leaf with the given key types and signing options.
fn two_level(label: &str, root: Spec, leaf: Spec) -> (Pki, Case) {
    let pki = Pki::new(label);
    let root = pki.issue("root", &root, None);
    let leaf = pki.issue("leaf", &leaf, Some(&root));
    let case = Case::new(&leaf, &pki.bundle("ca.pem", &[&root]));
    (pki, case)
}

#[test]
fn rsa_3072_chain() {
    let (_pki, case) = two_level(
        "rsa3072",
        Spec::ca("/CN=RSA 3072 Root").key("rsa3072").md("sha384"),
        Spec::tsa("/CN=tsa").key("rsa3072").md("sha384"),
    );
    case.assert(Verdict::Ok);
}

#[test]
fn rsa_4096_chain() {
    let (_pki, case) = two_level(
        "rsa4096",
        Spec::ca("/CN=RSA 4096 Root").key("rsa4096").md("sha512"),
        Spec::tsa("/CN=tsa").md("sha512"),
    );
    case.assert(Verdict::Ok);
}

#[test]
fn rsa_legacy_digests() {
    for md in [
        "md5", "sha1", "sha224", "sha3-224", "sha3-256", "sha3-384", "sha3-512",
    ] {
        let (_pki, case) = two_level(
            &format!("rsa-{md}"),
            Spec::ca("/CN=Root"),
            Spec::tsa("/CN=tsa").md(md),
        );
        case.assert(Verdict::Ok);
    }
}

#[test]
fn rsa_pss_default_parameters() {
    let (_pki, case) = two_level(
        "pss-default",
        Spec::ca("/CN=Root"),
        Spec::tsa("/CN=tsa")
            .md("sha256")
            .sigopt("rsa_padding_mode:pss"),
    );
    case.assert(Verdict::Ok);
}

#[test]
fn rsa_pss_mixed_hashes_and_salt() {
    let cases = [
        ("sha384", "sha256", "32"),
        ("sha256", "sha1", "0"),
        ("sha512", "sha512", "max"),
        ("sha1", "sha1", "20"),
    ];
    for (md, mgf1, salt) in cases {
        let (_pki, case) = two_level(
            &format!("pss-{md}-{mgf1}-{salt}"),
            Spec::ca("/CN=Root"),
            Spec::tsa("/CN=tsa")
                .md(md)
                .sigopt("rsa_padding_mode:pss")
                .sigopt(&format!("rsa_mgf1_md:{mgf1}"))
                .sigopt(&format!("rsa_pss_saltlen:{salt}")),
        );
        case.assert(Verdict::Ok);
    }
}

#[test]
fn rsa_pss_keys() {
    let (_pki, case) = two_level(
        "pss-key",
        Spec::ca("/CN=PSS Root").key("rsapss"),
        Spec::tsa("/CN=tsa").key("rsapss"),
    );
    case.assert(Verdict::Ok);
}

#[test]
fn ecdsa_curves() {
    for (curve, md) in [
        ("p256", "sha256"),
        ("p384", "sha384"),
        ("p521", "sha512"),
        ("p256", "sha512"),
        ("p521", "sha256"),
        ("p384", "sha1"),
    ] {
        let (_pki, case) = two_level(
            &format!("ec-{curve}-{md}"),
            Spec::ca("/CN=EC Root").key(curve).md(md),
            Spec::tsa("/CN=tsa").key(curve).md(md),
        );
        case.assert(Verdict::Ok);
    }
}

#[test]
fn algorithms_missing_from_openssl_signature_table() {
    // OpenSSL 3.0 signs with these but cannot match the certificate to its
    // issuer, because OBJ_find_sigid_algs does not list them.
    for (key, md) in [
        ("rsa2048", "sha512-224"),
        ("rsa2048", "sha512-256"),
        ("p256", "sha3-256"),
    ] {
        let (_pki, case) = two_level(
            &format!("unlisted-{key}-{md}"),
            Spec::ca("/CN=Root").key(key),
            Spec::tsa("/CN=tsa").key(key).md(md),
        );
        case.assert(Verdict::error(20, 0));
    }
}

#[test]
fn explicit_curve_parameters_in_chain() {
    let pki = Pki::new("explicit-ec");
    let root = pki.issue("root", &Spec::ca("/CN=Root"), None);
    let intermediate = pki.issue(
        "int",
        &Spec::ca("/CN=Explicit Int").key("p256-explicit"),
        Some(&root),
    );
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&intermediate));
    let text = pki.run(&[
        "x509",
        "-in",
        intermediate.cert.to_str().unwrap(),
        "-noout",
        "-text",
    ]);
    assert!(text.contains("Field Type: prime-field"), "{text}");
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&intermediate]))
        .assert(Verdict::error(94, 1));
}

#[test]
fn ed25519_chain() {
    let (_pki, case) = two_level(
        "ed25519",
        Spec::ca("/CN=Ed Root").key("ed25519"),
        Spec::tsa("/CN=tsa").key("ed25519"),
    );
    case.assert(Verdict::Ok);
}

#[test]
fn mixed_algorithm_chain() {
    let pki = Pki::new("mixed");
    let root = pki.issue("root", &Spec::ca("/CN=RSA Root"), None);
    let intermediate = pki.issue(
        "int",
        &Spec::ca("/CN=EC Int").key("p384").md("sha384"),
        Some(&root),
    );
    let leaf = pki.issue(
        "leaf",
        &Spec::tsa("/CN=tsa").key("ed25519").md("sha384"),
        Some(&intermediate),
    );
    Case::new(&leaf, &pki.bundle("ca.pem", &[&root]))
        .untrusted(&pki.bundle("u.pem", &[&intermediate]))
        .assert(Verdict::Ok);
}

/// The SubjectPublicKeyInfo of a key file.
fn public_key(pki: &Pki, key: &Path) -> SubjectPublicKeyInfoOwned {
    let der = pki.path("pub.der");
    pki.run(&[
        "pkey",
        "-in",
        key.to_str().unwrap(),
        "-pubout",
        "-outform",
        "DER",
        "-out",
        der.to_str().unwrap(),
    ]);
    SubjectPublicKeyInfoOwned::from_der(&std::fs::read(der).unwrap()).unwrap()
}

fn algorithm(oid: &str, parameters: Option<Any>) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ObjectIdentifier::new_unwrap(oid),
        parameters,
    }
}

fn null() -> Option<Any> {
    Some(Any::null())
}

/// Runs an `openssl` signing command with `-out` before its arguments and
/// returns the signature.
fn sign(pki: &Pki, args: &[&str]) -> Vec<u8> {
    let out = pki.path("sig.bin");
    let mut full = vec![args[0], "-out", out.to_str().unwrap()];
    full.extend_from_slice(&args[1..]);
    pki.run(&full);
    std::fs::read(out).unwrap()
}

#[test]
fn signatures_from_openssl_dgst() {
    let pki = Pki::new("dgst");
    let message = b"time-stamp token signed attributes";
    let data = pki.path("data.bin");
    std::fs::write(&data, message).unwrap();
    let data = data.to_str().unwrap();

    let rsa = pki.issue("rsa", &Spec::ca("/CN=RSA"), None);
    let rsa_key = public_key(&pki, &rsa.key);
    let rsa_key_path = rsa.key.to_str().unwrap();
    let pkcs1 = sign(&pki, &["dgst", "-sha256", "-sign", rsa_key_path, data]);
    verify_signature(
        &rsa_key,
        &algorithm("1.2.840.113549.1.1.11", null()),
        None,
        message,
        &pkcs1,
    )
    .unwrap();
    verify_signature(
        &rsa_key,
        &algorithm("1.2.840.113549.1.1.11", None),
        Some(DigestAlgorithm::Sha256),
        message,
        &pkcs1,
    )
    .unwrap();
    verify_signature(
        &rsa_key,
        &algorithm("1.2.840.113549.1.1.1", null()),
        Some(DigestAlgorithm::Sha256),
        message,
        &pkcs1,
    )
    .unwrap();

    let err = verify_signature(
        &rsa_key,
        &algorithm("1.2.840.113549.1.1.11", null()),
        Some(DigestAlgorithm::Sha1),
        message,
        &pkcs1,
    )
    .unwrap_err();
    assert_eq!(err.reason(), Reason::SignatureFailure);
    let err = verify_signature(
        &rsa_key,
        &algorithm("1.2.840.113549.1.1.1", null()),
        None,
        message,
        &pkcs1,
    )
    .unwrap_err();
    assert_eq!(err.reason(), Reason::SignatureFailure);
    let err = verify_signature(
        &rsa_key,
        &algorithm("1.2.840.113549.1.1.11", null()),
        None,
        b"other message",
        &pkcs1,
    )
    .unwrap_err();
    assert_eq!(err.reason(), Reason::SignatureFailure);
    let err = verify_signature(
        &rsa_key,
        &algorithm("1.2.840.113549.1.1.11", null()),
        None,
        message,
        &pkcs1[1..],
    )
    .unwrap_err();
    assert_eq!(err.reason(), Reason::SignatureFailure);

    let pss = sign(
        &pki,
        &[
            "dgst",
            "-sha384",
            "-sigopt",
            "rsa_padding_mode:pss",
            "-sigopt",
            "rsa_pss_saltlen:17",
            "-sigopt",
            "rsa_mgf1_md:sha256",
            "-sign",
            rsa_key_path,
            data,
        ],
    );
    let params = pss_params("sha384", "sha256", 17);
    verify_signature(
        &rsa_key,
        &algorithm("1.2.840.113549.1.1.10", Some(params.clone())),
        None,
        message,
        &pss,
    )
    .unwrap();
    verify_signature(
        &rsa_key,
        &algorithm("1.2.840.113549.1.1.10", Some(params)),
        Some(DigestAlgorithm::Sha384),
        message,
        &pss,
    )
    .unwrap();
    let wrong_salt = pss_params("sha384", "sha256", 18);
    assert!(
        verify_signature(
            &rsa_key,
            &algorithm("1.2.840.113549.1.1.10", Some(wrong_salt)),
            None,
            message,
            &pss
        )
        .is_err()
    );
    assert!(
        verify_signature(
            &rsa_key,
            &algorithm("1.2.840.113549.1.1.10", None),
            None,
            message,
            &pss
        )
        .is_err()
    );

    let ec = pki.issue("ec", &Spec::ca("/CN=EC").key("p384"), None);
    let ec_key = public_key(&pki, &ec.key);
    let ecdsa = sign(
        &pki,
        &["dgst", "-sha384", "-sign", ec.key.to_str().unwrap(), data],
    );
    verify_signature(
        &ec_key,
        &algorithm("1.2.840.10045.4.3.3", None),
        None,
        message,
        &ecdsa,
    )
    .unwrap();
    verify_signature(
        &ec_key,
        &algorithm("1.2.840.10045.2.1", None),
        Some(DigestAlgorithm::Sha384),
        message,
        &ecdsa,
    )
    .unwrap();
    let err = verify_signature(
        &ec_key,
        &algorithm("1.2.840.113549.1.1.12", null()),
        None,
        message,
        &ecdsa,
    )
    .unwrap_err();
    assert_eq!(
        err.reason(),
        Reason::SignatureFailure,
        "an RSA algorithm with an EC key"
    );
    let err = verify_signature(
        &rsa_key,
        &algorithm("1.2.840.10045.4.3.3", None),
        None,
        message,
        &ecdsa,
    )
    .unwrap_err();
    assert_eq!(
        err.reason(),
        Reason::SignatureFailure,
        "an ECDSA algorithm with an RSA key"
    );
    let mut garbled = ecdsa.clone();
    garbled.push(0);
    assert!(
        verify_signature(
            &ec_key,
            &algorithm("1.2.840.10045.4.3.3", None),
            None,
            message,
            &garbled
        )
        .is_err()
    );

    let sha3 = sign(
        &pki,
        &["dgst", "-sha3-256", "-sign", ec.key.to_str().unwrap(), data],
    );
    let ecdsa_sha3 = algorithm("2.16.840.1.101.3.4.3.10", None);
    verify_signature(&ec_key, &ecdsa_sha3, None, message, &sha3).unwrap();

    let ed = pki.issue("ed", &Spec::ca("/CN=Ed").key("ed25519"), None);
    let ed_key = public_key(&pki, &ed.key);
    let eddsa = sign(
        &pki,
        &[
            "pkeyutl",
            "-sign",
            "-rawin",
            "-inkey",
            ed.key.to_str().unwrap(),
            "-in",
            data,
        ],
    );
    verify_signature(
        &ed_key,
        &algorithm("1.3.101.112", None),
        None,
        message,
        &eddsa,
    )
    .unwrap();
    verify_signature(
        &ed_key,
        &algorithm("1.3.101.112", None),
        Some(DigestAlgorithm::Sha512),
        message,
        &eddsa,
    )
    .unwrap();
    assert!(
        verify_signature(
            &ed_key,
            &algorithm("1.3.101.112", None),
            None,
            b"tampered",
            &eddsa
        )
        .is_err()
    );
    let err = verify_signature(
        &ed_key,
        &algorithm("1.3.101.113", None),
        None,
        message,
        &eddsa,
    )
    .unwrap_err();
    assert_eq!(err.reason(), Reason::UnsupportedAlgorithm);
}

/// RSASSA-PSS-params with explicit hash, MGF1 hash and salt length, built by hand.
fn pss_params(hash: &str, mgf1_hash: &str, salt: u8) -> Any {
    let oid = |name: &str| DigestAlgorithm::from_name(name).unwrap().oid().unwrap();
    let hash_alg = AlgorithmIdentifierOwned {
        oid: oid(hash),
        parameters: Some(Any::null()),
    };
    let mgf_alg = AlgorithmIdentifierOwned {
        oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8"),
        parameters: Some(
            Any::encode_from(&AlgorithmIdentifierOwned {
                oid: oid(mgf1_hash),
                parameters: Some(Any::null()),
            })
            .unwrap(),
        ),
    };
    let explicit = |number: u8, inner: Vec<u8>| {
        let mut out = vec![0xA0 | number, inner.len() as u8];
        out.extend(inner);
        out
    };
    let mut content = explicit(0, hash_alg.to_der().unwrap());
    content.extend(explicit(1, mgf_alg.to_der().unwrap()));
    content.extend(explicit(2, vec![0x02, 0x01, salt]));
    Any::new(der::Tag::Sequence, content).unwrap()
}

#[test]
fn malformed_keys_fail_cleanly() {
    let garbage = SubjectPublicKeyInfoOwned {
        algorithm: algorithm("1.2.840.113549.1.1.1", null()),
        subject_public_key: der::asn1::BitString::from_bytes(&[0x30, 0x03, 0x02, 0x01]).unwrap(),
    };
    let err = verify_signature(
        &garbage,
        &algorithm("1.2.840.113549.1.1.11", null()),
        None,
        b"m",
        &[0; 256],
    )
    .unwrap_err();
    assert_eq!(err.reason(), Reason::SignatureFailure);

    let off_curve = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap("1.2.840.10045.2.1"),
            parameters: Some(
                Any::encode_from(&ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7")).unwrap(),
            ),
        },
        subject_public_key: der::asn1::BitString::from_bytes(&[0x04; 65]).unwrap(),
    };
    let err = verify_signature(
        &off_curve,
        &algorithm("1.2.840.10045.4.3.2", None),
        None,
        b"m",
        &[0x30, 0x00],
    )
    .unwrap_err();
    assert_eq!(err.reason(), Reason::SignatureFailure);

    let other_curve = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap("1.2.840.10045.2.1"),
            parameters: Some(
                Any::encode_from(&ObjectIdentifier::new_unwrap("1.3.132.0.10")).unwrap(),
            ),
        },
        subject_public_key: der::asn1::BitString::from_bytes(&[0x04; 65]).unwrap(),
    };
    let err = verify_signature(
        &other_curve,
        &algorithm("1.2.840.10045.4.3.2", None),
        None,
        b"m",
        &[0x30, 0x00],
    )
    .unwrap_err();
    assert_eq!(err.reason(), Reason::UnsupportedAlgorithm);
}

#[test]
fn certificate_signature_checked_against_issuer() {
    let pki = Pki::new("cert-sig");
    let root = pki.issue("root", &Spec::ca("/CN=Root").key("p256"), None);
    let leaf = pki.issue("leaf", &Spec::tsa("/CN=tsa"), Some(&root));
    let root = x509::load_certs(&root.cert).unwrap().remove(0);
    let leaf = x509::load_certs(&leaf.cert).unwrap().remove(0);
    leaf.verify_signature_with(root.public_key_info()).unwrap();
    assert!(leaf.verify_signature_with(leaf.public_key_info()).is_err());
    root.verify_signature_with(root.public_key_info()).unwrap();
}
