//! Loading every private key format that `openssl` writes, compared with
//! what `openssl pkey` reads from the same files.

mod keys_support;

use der::Encode;
use keys_support::{PASSPHRASE, Workdir, pass_arg};
use tsrs::Reason;
use tsrs::keys::{KeyKind, PrivateKey, Signer};

/// A key file made by `openssl` and the kind tsrs must load from it.
struct Fixture {
    file: String,
    kind: KeyKind,
    encrypted: bool,
}

fn fixture(file: &str, kind: KeyKind, encrypted: bool) -> Fixture {
    Fixture {
        file: file.to_owned(),
        kind,
        encrypted,
    }
}

/// RSA keys: PKCS#1 and PKCS#8, PEM and DER, every encryption.
fn rsa_fixtures(work: &Workdir) -> Vec<Fixture> {
    let pass = pass_arg();
    work.run("genrsa -traditional -out rsa-pkcs1.pem 2048");
    work.run(&format!(
        "genrsa -traditional -aes256 -passout {pass} -out rsa-genrsa-aes256.pem 2048"
    ));
    work.run(&format!(
        "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes256 -pass {pass} -out rsa-genpkey-aes256.pem"
    ));
    work.run("pkey -in rsa-pkcs1.pem -out rsa-pkcs8.pem");
    work.run("pkey -in rsa-pkcs1.pem -outform DER -out rsa-pkcs8.der");
    work.run("rsa -in rsa-pkcs1.pem -traditional -outform DER -out rsa-pkcs1.der");
    let mut fixtures = vec![
        fixture("rsa-pkcs1.pem", KeyKind::Rsa, false),
        fixture("rsa-pkcs1.der", KeyKind::Rsa, false),
        fixture("rsa-pkcs8.pem", KeyKind::Rsa, false),
        fixture("rsa-pkcs8.der", KeyKind::Rsa, false),
        fixture("rsa-genrsa-aes256.pem", KeyKind::Rsa, true),
        fixture("rsa-genpkey-aes256.pem", KeyKind::Rsa, true),
    ];

    for cipher in ["aes128", "aes192", "aes256", "des3"] {
        let file = format!("rsa-legacy-{cipher}.pem");
        work.run(&format!(
            "rsa -in rsa-pkcs1.pem -traditional -{cipher} -passout {pass} -out {file}"
        ));
        fixtures.push(fixture(&file, KeyKind::Rsa, true));
    }

    let pbes2 = [
        ("rsa-pbes2-aes256.pem", "-v2 aes-256-cbc"),
        (
            "rsa-pbes2-aes128-sha1.pem",
            "-v2 aes-128-cbc -v2prf hmacWithSHA1",
        ),
        (
            "rsa-pbes2-aes192-sha512.pem",
            "-v2 aes-192-cbc -v2prf hmacWithSHA512",
        ),
        ("rsa-pbes2-des3.pem", "-v2 des3"),
        ("rsa-scrypt.pem", "-scrypt"),
        ("rsa-pbes2.der", "-v2 aes-256-cbc -outform DER"),
    ];
    for (file, options) in pbes2 {
        work.run(&format!(
            "pkcs8 -topk8 -in rsa-pkcs1.pem -passout {pass} -out {file} {options}"
        ));
        fixtures.push(fixture(file, KeyKind::Rsa, true));
    }

    work.run("req -new -x509 -key rsa-pkcs8.pem -subj /CN=tsrs -out rsa.crt");
    work.shell("cat rsa.crt rsa-pkcs8.pem > rsa-after-cert.pem");
    fixtures.push(fixture("rsa-after-cert.pem", KeyKind::Rsa, false));
    fixtures
}

/// EC keys on each curve: SEC1 with and without EC PARAMETERS, PKCS#8,
/// compressed, without the public key, encrypted both ways.
fn ec_fixtures(work: &Workdir) -> Vec<Fixture> {
    let pass = pass_arg();
    let mut fixtures = Vec::new();
    for (name, kind) in [
        ("prime256v1", KeyKind::EcP256),
        ("secp384r1", KeyKind::EcP384),
        ("secp521r1", KeyKind::EcP521),
    ] {
        let params = format!("ec-{name}-params.pem");
        work.run(&format!("ecparam -name {name} -genkey -out {params}"));
        work.run(&format!(
            "ecparam -name {name} -genkey -noout -out ec-{name}-noout.pem"
        ));
        work.run(&format!("ec -in {params} -out ec-{name}-sec1.pem"));
        work.run(&format!(
            "ec -in {params} -outform DER -out ec-{name}-sec1.der"
        ));
        work.run(&format!("pkey -in {params} -out ec-{name}-pkcs8.pem"));
        work.run(&format!(
            "pkey -in {params} -outform DER -out ec-{name}-pkcs8.der"
        ));
        work.run(&format!(
            "ec -in {params} -conv_form compressed -out ec-{name}-compressed.pem"
        ));
        work.run(&format!(
            "ec -in {params} -no_public -out ec-{name}-nopublic.pem"
        ));
        work.run(&format!(
            "ec -in {params} -aes256 -passout {pass} -out ec-{name}-legacy.pem"
        ));
        work.run(&format!(
            "pkcs8 -topk8 -in {params} -v2 aes-256-cbc -passout {pass} -out ec-{name}-pbes2.pem"
        ));
        work.run(&format!(
            "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:{name} -aes256 -pass {pass} \
             -out ec-{name}-genpkey-aes256.pem"
        ));

        let plain = [
            "params.pem",
            "noout.pem",
            "sec1.pem",
            "sec1.der",
            "pkcs8.pem",
            "pkcs8.der",
            "compressed.pem",
            "nopublic.pem",
        ];
        for suffix in plain {
            fixtures.push(fixture(&format!("ec-{name}-{suffix}"), kind, false));
        }
        for suffix in ["legacy.pem", "pbes2.pem", "genpkey-aes256.pem"] {
            fixtures.push(fixture(&format!("ec-{name}-{suffix}"), kind, true));
        }
    }
    fixtures
}

/// Ed25519 and RSA-PSS keys, with and without PSS parameters.
fn other_fixtures(work: &Workdir) -> Vec<Fixture> {
    let pass = pass_arg();
    work.run("genpkey -algorithm ED25519 -out ed25519.pem");
    work.run("pkey -in ed25519.pem -outform DER -out ed25519.der");
    work.run(&format!(
        "genpkey -algorithm ED25519 -aes256 -pass {pass} -out ed25519-aes256.pem"
    ));

    work.run("genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out pss-plain.pem");
    work.run("pkey -in pss-plain.pem -outform DER -out pss-plain.der");
    work.run(
        "genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha256 \
         -pkeyopt rsa_pss_keygen_mgf1_md:sha256 -pkeyopt rsa_pss_keygen_saltlen:32 -out pss-sha256.pem"
            ,
    );
    work.run(
        "genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha384 \
         -pkeyopt rsa_pss_keygen_mgf1_md:sha256 -pkeyopt rsa_pss_keygen_saltlen:20 \
         -out pss-sha384-mgf1-sha256.pem"
            ,
    );
    work.run(&format!(
        "pkcs8 -topk8 -in pss-sha256.pem -v2 aes-256-cbc -passout {pass} -out pss-sha256-pbes2.pem"
    ));

    vec![
        fixture("ed25519.pem", KeyKind::Ed25519, false),
        fixture("ed25519.der", KeyKind::Ed25519, false),
        fixture("ed25519-aes256.pem", KeyKind::Ed25519, true),
        fixture("pss-plain.pem", KeyKind::RsaPss, false),
        fixture("pss-plain.der", KeyKind::RsaPss, false),
        fixture("pss-sha256.pem", KeyKind::RsaPss, false),
        fixture("pss-sha384-mgf1-sha256.pem", KeyKind::RsaPss, false),
        fixture("pss-sha256-pbes2.pem", KeyKind::RsaPss, true),
    ]
}

/// Loads `fixture` and compares it with `openssl pkey` on the same file.
fn check_fixture(work: &Workdir, fixture: &Fixture) {
    let name = &fixture.file;
    let path = work.path(name);
    let passphrase = fixture.encrypted.then_some(PASSPHRASE.as_bytes());
    let key = PrivateKey::load(&path, passphrase).unwrap_or_else(|err| panic!("{name}: {err}"));
    assert_eq!(key.kind(), fixture.kind, "{name}: kind");

    let pass = pass_arg();
    let spki = key.public_key_info().unwrap().to_der().unwrap();
    let expected_spki = work.openssl(&[
        "pkey", "-in", name, "-passin", &pass, "-pubout", "-outform", "DER",
    ]);
    assert_eq!(
        spki, expected_spki,
        "{name}: SubjectPublicKeyInfo differs from openssl pkey -pubout"
    );

    let pkcs8 = key.to_pkcs8_pem().unwrap();
    let expected_pkcs8 = work.openssl(&["pkey", "-in", name, "-passin", &pass]);
    assert_eq!(
        pkcs8.as_bytes(),
        expected_pkcs8.as_slice(),
        "{name}: PKCS#8 differs from openssl pkey"
    );

    let from_bytes = PrivateKey::from_bytes(&work.read(name), passphrase).unwrap();
    assert_eq!(
        from_bytes.public_key_info().unwrap().to_der().unwrap(),
        spki,
        "{name}: from_bytes"
    );

    let reloaded = PrivateKey::from_bytes(pkcs8.as_bytes(), None).unwrap();
    assert_eq!(reloaded.kind(), fixture.kind, "{name}: PKCS#8 round trip");

    if fixture.encrypted {
        check_encrypted_errors(work, fixture);
    }
}

fn check_encrypted_errors(work: &Workdir, fixture: &Fixture) {
    let name = &fixture.file;
    let path = work.path(name);

    let missing = PrivateKey::load(&path, None).unwrap_err();
    assert_eq!(missing.reason(), Reason::Password, "{name}: {missing}");
    assert!(
        missing.message().contains(name.as_str()),
        "{name}: {missing}"
    );

    let wrong = PrivateKey::load(&path, Some(b"wrong horse")).unwrap_err();
    assert_eq!(wrong.reason(), Reason::KeyLoad, "{name}: {wrong}");
    assert!(wrong.message().contains("bad decrypt"), "{name}: {wrong}");
    assert!(wrong.message().contains(name.as_str()), "{name}: {wrong}");
}

#[test]
fn rsa_formats_load() {
    let work = Workdir::new();
    for fixture in rsa_fixtures(&work) {
        check_fixture(&work, &fixture);
    }
}

#[test]
fn ec_formats_load() {
    let work = Workdir::new();
    for fixture in ec_fixtures(&work) {
        check_fixture(&work, &fixture);
    }
}

#[test]
fn ed25519_and_pss_formats_load() {
    let work = Workdir::new();
    for fixture in other_fixtures(&work) {
        check_fixture(&work, &fixture);
    }
}

#[test]
fn unencrypted_key_ignores_passphrase() {
    let work = Workdir::new();
    work.openssl(&["genpkey", "-algorithm", "ED25519", "-out", "key.pem"]);
    let key = PrivateKey::load(&work.path("key.pem"), Some(b"unused")).unwrap();
    assert_eq!(key.kind(), KeyKind::Ed25519);
}

#[test]
fn unsupported_keys_are_named() {
    let work = Workdir::new();
    let pass = pass_arg();
    work.openssl(&["genpkey", "-algorithm", "ED448", "-out", "ed448.pem"]);
    work.openssl(&["genpkey", "-algorithm", "X25519", "-out", "x25519.pem"]);
    work.openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:secp256k1",
        "-out",
        "k1.pem",
    ]);
    work.openssl(&[
        "ecparam",
        "-name",
        "brainpoolP256r1",
        "-genkey",
        "-noout",
        "-out",
        "bp.pem",
    ]);
    work.openssl(&[
        "ecparam",
        "-name",
        "prime256v1",
        "-param_enc",
        "explicit",
        "-genkey",
        "-noout",
        "-out",
        "explicit.pem",
    ]);
    work.openssl(&["dsaparam", "-genkey", "-noout", "-out", "dsa.pem", "1024"]);
    work.openssl(&["genpkey", "-algorithm", "ED25519", "-out", "ed.pem"]);
    // OpenSSL 3.0 writes these only with its legacy provider and reads them
    // only with it too.
    work.openssl(&[
        "pkcs8",
        "-topk8",
        "-provider",
        "legacy",
        "-provider",
        "default",
        "-in",
        "ed.pem",
        "-v1",
        "PBE-SHA1-RC4-128",
        "-passout",
        &pass,
        "-out",
        "pkcs12pbe.pem",
    ]);
    work.openssl(&[
        "pkcs8",
        "-topk8",
        "-provider",
        "legacy",
        "-provider",
        "default",
        "-in",
        "ed.pem",
        "-v2",
        "des-cbc",
        "-passout",
        &pass,
        "-out",
        "des.pem",
    ]);
    work.openssl(&[
        "pkey",
        "-in",
        "ed.pem",
        "-aes256",
        "-passout",
        &pass,
        "-out",
        "ed-enc.pem",
    ]);
    let legacy =
        String::from_utf8(work.openssl(&["ec", "-in", "bp.pem", "-aes256", "-passout", &pass]))
            .unwrap();
    work.write(
        "blowfish-legacy.pem",
        legacy.replace("AES-256-CBC", "BF-CBC").as_bytes(),
    );

    let cases = [
        ("ed448.pem", "ED448"),
        ("x25519.pem", "X25519"),
        ("k1.pem", "secp256k1"),
        ("bp.pem", "brainpoolP256r1"),
        ("explicit.pem", "explicit EC curve parameters"),
        ("dsa.pem", "DSA"),
        ("pkcs12pbe.pem", "PKCS#12 password-based encryption"),
        ("des.pem", "DES-CBC"),
        ("blowfish-legacy.pem", "BF-CBC"),
    ];
    for (file, expected) in cases {
        let err = PrivateKey::load(&work.path(file), Some(PASSPHRASE.as_bytes())).unwrap_err();
        assert_eq!(err.reason(), Reason::KeyLoad, "{file}: {err}");
        assert!(err.message().contains(expected), "{file}: {err}");
        assert!(err.message().contains(file), "{file}: {err}");
    }
}

#[test]
fn missing_and_empty_files() {
    let work = Workdir::new();
    let missing = PrivateKey::load(&work.path("absent.pem"), None).unwrap_err();
    assert_eq!(missing.reason(), Reason::Io, "{missing}");
    assert!(missing.message().contains("absent.pem"), "{missing}");

    work.write("empty.pem", b"");
    let empty = PrivateKey::load(&work.path("empty.pem"), None).unwrap_err();
    assert_eq!(empty.reason(), Reason::KeyLoad, "{empty}");
    assert!(empty.message().contains("empty.pem"), "{empty}");

    work.openssl(&[
        "req", "-new", "-x509", "-newkey", "ED25519", "-nodes", "-keyout", "k.pem", "-subj",
        "/CN=x", "-out", "cert.pem",
    ]);
    let cert_only = PrivateKey::load(&work.path("cert.pem"), None).unwrap_err();
    assert_eq!(cert_only.reason(), Reason::KeyLoad, "{cert_only}");
    assert!(cert_only.message().contains("CERTIFICATE"), "{cert_only}");
}

#[test]
fn oversized_input_is_rejected() {
    let input = vec![b'A'; tsrs::keys::MAX_KEY_FILE_LEN + 1];
    let err = PrivateKey::from_bytes(&input, None).unwrap_err();
    assert_eq!(err.reason(), Reason::TooLarge, "{err}");
}

#[test]
fn generated_keys_round_trip() {
    for kind in [
        KeyKind::Rsa,
        KeyKind::RsaPss,
        KeyKind::EcP256,
        KeyKind::EcP384,
        KeyKind::EcP521,
        KeyKind::Ed25519,
    ] {
        let key = PrivateKey::generate(kind).unwrap();
        assert_eq!(key.kind(), kind);
        let work = Workdir::new();
        work.write("key.pem", key.to_pkcs8_pem().unwrap().as_bytes());
        let expected = work.openssl(&["pkey", "-in", "key.pem", "-pubout", "-outform", "DER"]);
        assert_eq!(
            key.public_key_info().unwrap().to_der().unwrap(),
            expected,
            "{kind}"
        );
        let text = String::from_utf8(work.openssl(&["pkey", "-in", "key.pem", "-noout", "-text"]))
            .unwrap();
        if matches!(kind, KeyKind::Rsa | KeyKind::RsaPss) {
            assert!(text.contains("(2048 bit"), "{kind}: {text}");
        }
    }
}
