//! Damaged and hostile key input: truncations, bit flips and random bytes
//! give an error or a key, never a panic.

mod keys_support;

use keys_support::{PASSPHRASE, Workdir, pass_arg};
use proptest::prelude::*;
use tsrs::Reason;
use tsrs::keys::PrivateKey;

/// About this many truncations and bit flips are tried per encoding.
const SAMPLES: usize = 400;

/// Encodings of each kind of key, as `openssl` writes them.
fn encodings() -> Vec<(String, Vec<u8>)> {
    let work = Workdir::new();
    let pass = pass_arg();
    let commands: [&[&str]; 14] = [
        &["genrsa", "-traditional", "-out", "rsa-pkcs1.pem", "2048"],
        &[
            "rsa",
            "-in",
            "rsa-pkcs1.pem",
            "-traditional",
            "-outform",
            "DER",
            "-out",
            "rsa-pkcs1.der",
        ],
        &[
            "pkey",
            "-in",
            "rsa-pkcs1.pem",
            "-outform",
            "DER",
            "-out",
            "rsa-pkcs8.der",
        ],
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-out",
            "ec-params.pem",
        ],
        &[
            "ec",
            "-in",
            "ec-params.pem",
            "-outform",
            "DER",
            "-out",
            "ec-sec1.der",
        ],
        &[
            "pkey",
            "-in",
            "ec-params.pem",
            "-outform",
            "DER",
            "-out",
            "ec-pkcs8.der",
        ],
        &["pkey", "-in", "ec-params.pem", "-out", "ec-pkcs8.pem"],
        &[
            "ec",
            "-in",
            "ec-params.pem",
            "-aes128",
            "-passout",
            &pass,
            "-out",
            "ec-legacy.pem",
        ],
        &[
            "pkcs8",
            "-topk8",
            "-in",
            "ec-params.pem",
            "-v2",
            "aes-128-cbc",
            "-passout",
            &pass,
            "-out",
            "ec-pbes2.pem",
        ],
        &[
            "pkcs8",
            "-topk8",
            "-in",
            "ec-params.pem",
            "-v2",
            "aes-256-cbc",
            "-outform",
            "DER",
            "-passout",
            &pass,
            "-out",
            "ec-pbes2.der",
        ],
        &[
            "genpkey",
            "-algorithm",
            "ED25519",
            "-outform",
            "DER",
            "-out",
            "ed25519.der",
        ],
        &["genpkey", "-algorithm", "ED25519", "-out", "ed25519.pem"],
        &[
            "genpkey",
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
            "-outform",
            "DER",
            "-out",
            "pss.der",
        ],
        &[
            "ecparam",
            "-name",
            "secp521r1",
            "-genkey",
            "-noout",
            "-outform",
            "DER",
            "-out",
            "p521-sec1.der",
        ],
    ];
    for command in commands {
        work.openssl(command);
    }
    [
        "rsa-pkcs1.pem",
        "rsa-pkcs1.der",
        "rsa-pkcs8.der",
        "ec-params.pem",
        "ec-sec1.der",
        "ec-pkcs8.der",
        "ec-pkcs8.pem",
        "ec-legacy.pem",
        "ec-pbes2.pem",
        "ec-pbes2.der",
        "ed25519.der",
        "ed25519.pem",
        "pss.der",
        "p521-sec1.der",
    ]
    .into_iter()
    .map(|name| (name.to_owned(), work.read(name)))
    .collect()
}

/// Loads `input` and checks that any error reports that the key cannot be loaded.
fn load_never_panics(name: &str, input: &[u8]) {
    if let Err(err) = PrivateKey::from_bytes(input, Some(PASSPHRASE.as_bytes())) {
        assert_eq!(err.reason(), Reason::KeyLoad, "{name}: {err}");
        assert!(
            err.message().starts_with("cannot load private key: "),
            "{name}: {err}"
        );
    }
}

#[test]
fn intact_encodings_load() {
    for (name, input) in encodings() {
        PrivateKey::from_bytes(&input, Some(PASSPHRASE.as_bytes()))
            .unwrap_or_else(|err| panic!("{name}: {err}"));
    }
}

#[test]
fn truncations_fail_cleanly() {
    for (name, input) in encodings() {
        let step = (input.len() / SAMPLES).max(1);
        for len in (0..input.len()).step_by(step) {
            let truncated = input.get(..len).unwrap_or_default();
            if name.ends_with(".der") || len == 0 {
                let err =
                    PrivateKey::from_bytes(truncated, Some(PASSPHRASE.as_bytes())).unwrap_err();
                assert_eq!(
                    err.reason(),
                    Reason::KeyLoad,
                    "{name} cut to {len} bytes: {err}"
                );
            } else {
                load_never_panics(&format!("{name} cut to {len} bytes"), truncated);
            }
        }
    }
}

#[test]
fn bit_flips_fail_cleanly() {
    for (name, input) in encodings() {
        let bits = input.len() * 8;
        let step = (bits / SAMPLES).max(1);
        for bit in (0..bits).step_by(step) {
            let mut flipped = input.clone();
            if let Some(byte) = flipped.get_mut(bit / 8) {
                *byte ^= 1 << (bit % 8);
            }
            load_never_panics(&format!("{name} with bit {bit} flipped"), &flipped);
        }
    }
}

#[test]
fn garbage_fails_cleanly() {
    let cases: [&[u8]; 10] = [
        b"",
        b"\n",
        b"not a key at all",
        b"-----BEGIN PRIVATE KEY-----\n",
        b"-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
        b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
        b"-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n",
        &[0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00],
        &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00],
    ];
    for input in cases {
        load_never_panics(&format!("{:?}", String::from_utf8_lossy(input)), input);
    }
}

#[test]
fn missing_passphrase_is_a_password_error() {
    for (name, input) in encodings() {
        if let Err(err) = PrivateKey::from_bytes(&input, None) {
            assert!(
                name.contains("legacy") || name.contains("pbes2"),
                "{name}: {err}"
            );
            assert_eq!(err.reason(), Reason::Password, "{name}: {err}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..600)) {
        load_never_panics("random bytes", &input);
    }

    #[test]
    fn random_pem_bodies_never_panic(
        label in prop::sample::select(vec!["PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"]),
        body in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        use base64ct::Encoding;
        let pem = format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            base64ct::Base64::encode_string(&body)
        );
        load_never_panics("random PEM body", pem.as_bytes());
    }

    #[test]
    fn random_der_sequences_never_panic(body in proptest::collection::vec(any::<u8>(), 0..120)) {
        // A SEQUENCE around random content reaches the structure detection
        // and the decoders rather than failing on the outer tag.
        let mut input = vec![0x30, u8::try_from(body.len()).unwrap()];
        input.extend_from_slice(&body);
        load_never_panics("random DER", &input);
    }
}
