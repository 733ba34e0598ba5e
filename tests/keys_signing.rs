//! Signing with every kind of key, cross-checked with `openssl` in both
//! directions: tsrs signs and `openssl` verifies, `openssl` signs and the
//! RustCrypto verifiers check.

mod keys_support;

use der::{Decode, Encode};
use keys_support::Workdir;
use signature::hazmat::PrehashVerifier;
use tsrs::Reason;
use tsrs::digest::DigestAlgorithm;
use tsrs::keys::{KeyKind, PrivateKey, Signer};

const MESSAGE: &[u8] = b"The time-stamp token covers this message.\n";

/// The digests ECDSA and RSA-PSS are checked with.
const COMMON_DIGESTS: [DigestAlgorithm; 7] = [
    DigestAlgorithm::Sha1,
    DigestAlgorithm::Sha224,
    DigestAlgorithm::Sha256,
    DigestAlgorithm::Sha384,
    DigestAlgorithm::Sha512,
    DigestAlgorithm::Sha3_256,
    DigestAlgorithm::Sha3_512,
];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Generates `file` with `openssl genpkey ARGS`, writes its public key to
/// `file.pub`, and loads it.
fn genpkey(work: &Workdir, file: &str, args: &[&str]) -> PrivateKey {
    let mut command = vec!["genpkey"];
    command.extend_from_slice(args);
    command.extend_from_slice(&["-out", file]);
    work.openssl(&command);
    work.openssl(&[
        "pkey",
        "-in",
        file,
        "-pubout",
        "-out",
        &format!("{file}.pub"),
    ]);
    PrivateKey::load(&work.path(file), None).unwrap_or_else(|err| panic!("{file}: {err}"))
}

/// Signs MESSAGE with tsrs, writes the signature to `sig`, and runs
/// `openssl dgst -verify` with `options`.
fn openssl_verifies_dgst(
    work: &Workdir,
    key: &PrivateKey,
    file: &str,
    digest: DigestAlgorithm,
    options: &[&str],
) {
    let signature = key
        .sign(digest, MESSAGE)
        .unwrap_or_else(|err| panic!("{file} {digest}: {err}"));
    work.write("sig", &signature);
    let digest_flag = format!("-{}", digest.name());
    let public_key = format!("{file}.pub");
    let mut args = vec![
        "dgst",
        digest_flag.as_str(),
        "-verify",
        public_key.as_str(),
        "-signature",
        "sig",
    ];
    args.extend_from_slice(options);
    args.push("msg");
    let output = work.openssl_output(&args);
    assert!(
        output.status.success(),
        "{file} {digest}: openssl rejects the tsrs signature: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn new_workdir() -> Workdir {
    let work = Workdir::new();
    work.write("msg", MESSAGE);
    work
}

#[test]
fn rsa_pkcs1_signatures_equal_openssl() {
    let work = new_workdir();
    let key = genpkey(
        &work,
        "rsa.pem",
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    );
    for digest in DigestAlgorithm::ALL {
        // OpenSSL's RSA refuses SM3, BLAKE2, SHAKE, KECCAK-KMAC, whirlpool and
        // NULL, signs MD5-SHA1 without a DigestInfo, and lacks MD4 by default.
        if !digest.is_provided()
            || digest.oid().is_none()
            || matches!(
                digest,
                DigestAlgorithm::Sm3
                    | DigestAlgorithm::Blake2b512
                    | DigestAlgorithm::Blake2s256
                    | DigestAlgorithm::Shake128
                    | DigestAlgorithm::Shake256
            )
        {
            continue;
        }
        let signature = key.sign(digest, MESSAGE).unwrap();
        let expected = work.openssl(&[
            "dgst",
            &format!("-{}", digest.name()),
            "-sign",
            "rsa.pem",
            "msg",
        ]);
        assert_eq!(hex(&signature), hex(&expected), "{digest}");

        let algorithm = key.signature_algorithm(digest).unwrap();
        // rsaEncryption with NULL parameters, whatever the digest.
        assert_eq!(
            hex(&algorithm.to_der().unwrap()),
            "300d06092a864886f70d0101010500",
            "{digest}"
        );
    }
}

#[test]
fn ecdsa_signatures_verify_with_openssl() {
    let work = new_workdir();
    for (file, curve) in [
        ("p256.pem", "P-256"),
        ("p384.pem", "P-384"),
        ("p521.pem", "P-521"),
    ] {
        let key = genpkey(
            &work,
            file,
            &[
                "-algorithm",
                "EC",
                "-pkeyopt",
                &format!("ec_paramgen_curve:{curve}"),
            ],
        );
        for digest in COMMON_DIGESTS {
            openssl_verifies_dgst(&work, &key, file, digest, &[]);
        }
    }
}

#[test]
fn ecdsa_signature_algorithms() {
    let key = PrivateKey::generate(KeyKind::EcP256).unwrap();
    let cases = [
        (DigestAlgorithm::Sha1, "1.2.840.10045.4.1"),
        (DigestAlgorithm::Sha224, "1.2.840.10045.4.3.1"),
        (DigestAlgorithm::Sha256, "1.2.840.10045.4.3.2"),
        (DigestAlgorithm::Sha384, "1.2.840.10045.4.3.3"),
        (DigestAlgorithm::Sha512, "1.2.840.10045.4.3.4"),
        (DigestAlgorithm::Sha3_224, "2.16.840.1.101.3.4.3.9"),
        (DigestAlgorithm::Sha3_256, "2.16.840.1.101.3.4.3.10"),
        (DigestAlgorithm::Sha3_384, "2.16.840.1.101.3.4.3.11"),
        (DigestAlgorithm::Sha3_512, "2.16.840.1.101.3.4.3.12"),
    ];
    for (digest, oid) in cases {
        let algorithm = key.signature_algorithm(digest).unwrap();
        assert_eq!(algorithm.oid.to_string(), oid, "{digest}");
        assert!(
            algorithm.parameters.is_none(),
            "{digest}: parameters must be absent"
        );
    }
    for digest in [
        DigestAlgorithm::Md5,
        DigestAlgorithm::Sha512_224,
        DigestAlgorithm::Sha512_256,
    ] {
        let err = key.signature_algorithm(digest).unwrap_err();
        assert_eq!(err.reason(), Reason::UnsupportedAlgorithm, "{digest}");
        assert!(err.message().contains(digest.name()), "{err}");
        assert!(err.message().contains("EC P-256"), "{err}");
        let err = key.sign(digest, MESSAGE).unwrap_err();
        assert_eq!(err.reason(), Reason::UnsupportedAlgorithm, "{digest}");
    }
}

#[test]
fn openssl_ecdsa_signatures_verify_with_rustcrypto() {
    let work = new_workdir();
    let key = genpkey(
        &work,
        "p384.pem",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    );
    let spki = key.public_key_info().unwrap();
    let point = spki.subject_public_key.as_bytes().unwrap();
    let verifying_key = p384::ecdsa::VerifyingKey::from_sec1_bytes(point).unwrap();
    for digest in COMMON_DIGESTS {
        let signature = work.openssl(&[
            "dgst",
            &format!("-{}", digest.name()),
            "-sign",
            "p384.pem",
            "msg",
        ]);
        let signature = p384::ecdsa::DerSignature::from_bytes(&signature).unwrap();
        verifying_key
            .verify_prehash(&digest.digest(MESSAGE), &signature)
            .unwrap_or_else(|err| panic!("{digest}: {err}"));
    }
}

#[test]
fn pss_signatures_verify_with_openssl() {
    let work = new_workdir();
    let plain = genpkey(
        &work,
        "pss.pem",
        &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
    );
    for digest in COMMON_DIGESTS {
        let salt = format!("rsa_pss_saltlen:{}", digest.output_len());
        let mgf1 = format!("rsa_mgf1_md:{}", digest.name());
        openssl_verifies_dgst(
            &work,
            &plain,
            "pss.pem",
            digest,
            &["-sigopt", &salt, "-sigopt", &mgf1],
        );
    }

    let restricted = genpkey(
        &work,
        "pss-sha384.pem",
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
            "rsa_pss_keygen_saltlen:20",
        ],
    );
    let options = [
        "-sigopt",
        "rsa_pss_saltlen:20",
        "-sigopt",
        "rsa_mgf1_md:sha256",
    ];
    openssl_verifies_dgst(
        &work,
        &restricted,
        "pss-sha384.pem",
        DigestAlgorithm::Sha384,
        &options,
    );

    let err = restricted
        .sign(DigestAlgorithm::Sha256, MESSAGE)
        .unwrap_err();
    assert_eq!(err.reason(), Reason::UnsupportedAlgorithm, "{err}");
    assert!(
        err.message().contains("sha256") && err.message().contains("sha384"),
        "{err}"
    );
}

#[test]
fn pss_signature_algorithms() {
    let work = new_workdir();
    let plain = genpkey(
        &work,
        "pss.pem",
        &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
    );
    let sha256 = plain.signature_algorithm(DigestAlgorithm::Sha256).unwrap();
    // id-RSASSA-PSS { [0] sha256 NULL, [1] mgf1 { sha256 NULL }, [2] 32 }, as RFC 4055 writes it.
    assert_eq!(
        hex(&sha256.to_der().unwrap()),
        "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120"
    );
    // SHA-1 with a 20-byte salt is every DEFAULT, so DER leaves the fields out.
    let sha1 = plain.signature_algorithm(DigestAlgorithm::Sha1).unwrap();
    assert_eq!(
        hex(&sha1.to_der().unwrap()),
        "300d06092a864886f70d01010a3000"
    );

    let restricted = genpkey(
        &work,
        "pss-sha384.pem",
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
            "rsa_pss_keygen_saltlen:20",
        ],
    );
    let sha384 = restricted
        .signature_algorithm(DigestAlgorithm::Sha384)
        .unwrap();
    // { [0] sha384 NULL, [1] mgf1 { sha256 NULL } }, saltLength 20 left out.
    assert_eq!(
        hex(&sha384.to_der().unwrap()),
        "303c06092a864886f70d01010a302fa00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402010500"
    );
    let err = restricted
        .signature_algorithm(DigestAlgorithm::Sha512)
        .unwrap_err();
    assert_eq!(err.reason(), Reason::UnsupportedAlgorithm, "{err}");
}

#[test]
fn openssl_pss_signatures_verify_with_rustcrypto() {
    let work = new_workdir();
    let key = genpkey(
        &work,
        "pss-sha256.pem",
        &[
            "-algorithm",
            "RSA-PSS",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-pkeyopt",
            "rsa_pss_keygen_md:sha256",
            "-pkeyopt",
            "rsa_pss_keygen_mgf1_md:sha256",
            "-pkeyopt",
            "rsa_pss_keygen_saltlen:32",
        ],
    );
    let spki = key.public_key_info().unwrap();
    let public_key = <rsa::PublicKey as rsa::pkcs1::DecodeRsaPublicKey>::from_pkcs1_der(
        spki.subject_public_key.as_bytes().unwrap(),
    )
    .unwrap();
    let signature = work.openssl(&["dgst", "-sha256", "-sign", "pss-sha256.pem", "msg"]);
    let scheme = rsa::pss::Pss::<sha2::Sha256>::new_with_salt(32);
    public_key
        .verify(scheme, &DigestAlgorithm::Sha256.digest(MESSAGE), &signature)
        .unwrap();

    // And the other way: the RustCrypto verifier accepts what tsrs signs.
    let ours = key.sign(DigestAlgorithm::Sha256, MESSAGE).unwrap();
    let scheme = rsa::pss::Pss::<sha2::Sha256>::new_with_salt(32);
    public_key
        .verify(scheme, &DigestAlgorithm::Sha256.digest(MESSAGE), &ours)
        .unwrap();
}

#[test]
fn ed25519_signatures_cross_verify() {
    let work = new_workdir();
    let key = genpkey(&work, "ed.pem", &["-algorithm", "ED25519"]);
    let signature = key.sign(DigestAlgorithm::Sha256, MESSAGE).unwrap();
    // Pure Ed25519 ignores the digest and is deterministic.
    assert_eq!(
        signature,
        key.sign(DigestAlgorithm::Sha512, MESSAGE).unwrap()
    );
    work.write("sig", &signature);
    work.openssl(&[
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        "ed.pem.pub",
        "-rawin",
        "-in",
        "msg",
        "-sigfile",
        "sig",
    ]);

    let expected = work.openssl(&[
        "pkeyutl", "-sign", "-inkey", "ed.pem", "-rawin", "-in", "msg",
    ]);
    assert_eq!(hex(&signature), hex(&expected));
    let spki = key.public_key_info().unwrap();
    let public_key: [u8; 32] = spki
        .subject_public_key
        .as_bytes()
        .unwrap()
        .try_into()
        .unwrap();
    let verifying_key = ed25519_dalek::VerifyingKey::from_bytes(&public_key).unwrap();
    let expected: [u8; 64] = expected.as_slice().try_into().unwrap();
    verifying_key
        .verify_strict(MESSAGE, &ed25519_dalek::Signature::from_bytes(&expected))
        .unwrap();

    for digest in DigestAlgorithm::ALL {
        let algorithm = key.signature_algorithm(digest).unwrap();
        assert_eq!(
            hex(&algorithm.to_der().unwrap()),
            "300506032b6570",
            "{digest}"
        );
    }
}

#[test]
fn signature_algorithm_decodes_as_spki_algorithm() {
    let key = PrivateKey::generate(KeyKind::RsaPss).unwrap();
    let algorithm = key.signature_algorithm(DigestAlgorithm::Sha512).unwrap();
    let der = algorithm.to_der().unwrap();
    let decoded = spki::AlgorithmIdentifierOwned::from_der(&der).unwrap();
    assert_eq!(decoded, algorithm);
}
