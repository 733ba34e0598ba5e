//! Encrypted key formats against the system `openssl`. The tests write every
//! scheme and cipher that `openssl` can write at test time. tsrs must load
//! exactly the files that `openssl pkey` (OpenSSL 3.0) loads, with the same
//! public key, and reject the others with a message that names the
//! algorithm, both without the legacy provider and with it (where tsrs
//! lacks SEED). `tsrs ts -reply` must sign with each loaded PEM key as
//! `openssl ts -reply` does, and fail as it does on a wrong passphrase or
//! when a key needs the legacy provider and it is not loaded.

mod common;
mod keys_support;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Stdio};

use common::{Pki, Tool, assert_same, require, ts};
use der::Encode;
use der::asn1::{AnyRef, ObjectIdentifier, OctetString};
use keys_support::{PASSPHRASE, Workdir, pass_arg};
use tsrs::keys::{DecryptOptions, PrivateKey, Signer};
use tsrs::{Error, Reason};

/// The `-provider` arguments that let `openssl` write the schemes that only
/// its legacy provider has. Files are always read back without them.
const WITH_LEGACY: [&str; 4] = ["-provider", "legacy", "-provider", "default"];

/// Runs `openssl` with the legacy provider loaded after the subcommand, and
/// reports whether it succeeded and wrote `out`.
fn openssl_writes(work: &Workdir, subcommand: &str, args: &[&str], out: &str) -> bool {
    let mut all = vec![subcommand];
    all.extend_from_slice(&WITH_LEGACY);
    all.extend_from_slice(args);
    all.extend_from_slice(&["-out", out]);
    let output = work.openssl_output(&all);
    output.status.success() && std::fs::metadata(work.path(out)).is_ok_and(|m| m.len() > 0)
}

/// Reports whether `openssl pkey` loads `file` with `passphrase`.
fn openssl_loads(work: &Workdir, file: &str, passphrase: &[u8]) -> bool {
    openssl_loads_with(work, file, passphrase, &[])
}

/// Reports whether `openssl pkey PROVIDERS` loads `file` with `passphrase`.
fn openssl_loads_with(work: &Workdir, file: &str, passphrase: &[u8], providers: &[&str]) -> bool {
    let mut source = b"pass:".to_vec();
    source.extend_from_slice(passphrase);
    Command::new("openssl")
        .arg("pkey")
        .args(providers)
        .args(["-in", file, "-noout", "-passin"])
        .arg(OsStr::from_bytes(&source))
        .current_dir(work.dir())
        .env_remove("OPENSSL_CONF")
        .stdin(Stdio::null())
        .output()
        .expect("run openssl")
        .status
        .success()
}

/// What tsrs did with a file that `openssl pkey` treated the same way.
enum Verdict {
    Loaded,
    Rejected(Error),
}

/// Loads `file` with tsrs and checks it against `openssl pkey`: both load it,
/// with the same SubjectPublicKeyInfo, or both reject it.
fn check_against_openssl(work: &Workdir, file: &str) -> Verdict {
    check_against_openssl_with(work, file, false)
}

/// [`check_against_openssl`], with the legacy provider loaded in both tools
/// when `legacy` is true.
fn check_against_openssl_with(work: &Workdir, file: &str, legacy: bool) -> Verdict {
    let providers: &[&str] = if legacy { &WITH_LEGACY } else { &[] };
    let options = DecryptOptions {
        legacy_provider: legacy,
    };
    let expected = openssl_loads_with(work, file, PASSPHRASE.as_bytes(), providers);
    let actual =
        PrivateKey::load_with_options(&work.path(file), Some(PASSPHRASE.as_bytes()), options);
    match (expected, actual) {
        (true, Ok(key)) => {
            check_public_key(work, file, &key, providers);
            check_passphrase_errors(work, file, options);
            Verdict::Loaded
        }
        (false, Err(err)) => {
            assert_eq!(err.reason(), Reason::KeyLoad, "{file}: {err}");
            assert!(err.message().contains(file), "{file}: {err}");
            Verdict::Rejected(err)
        }
        (true, Err(err)) => panic!("{file}: openssl pkey loads it, tsrs does not: {err}"),
        (false, Ok(key)) => panic!(
            "{file}: tsrs loads it as {}, openssl pkey does not",
            key.kind()
        ),
    }
}

fn check_public_key(work: &Workdir, file: &str, key: &PrivateKey, providers: &[&str]) {
    let pass = pass_arg();
    let mut args = vec!["pkey"];
    args.extend_from_slice(providers);
    args.extend_from_slice(&["-in", file, "-passin", &pass, "-pubout", "-outform", "DER"]);
    let expected = work.openssl(&args);
    let actual = key.public_key_info().unwrap().to_der().unwrap();
    assert!(
        actual == expected,
        "{file}: SubjectPublicKeyInfo differs from openssl pkey -pubout"
    );
}

/// Checks the errors for a wrong and a missing passphrase, when `file` is
/// encrypted.
fn check_passphrase_errors(work: &Workdir, file: &str, options: DecryptOptions) {
    let path = work.path(file);
    if PrivateKey::load_with_options(&path, None, options).is_ok() {
        return;
    }
    let wrong = PrivateKey::load_with_options(&path, Some(b"wrong horse"), options).unwrap_err();
    assert_eq!(wrong.reason(), Reason::KeyLoad, "{file}: {wrong}");
    assert!(wrong.message().contains("bad decrypt"), "{file}: {wrong}");

    let missing = PrivateKey::load_with_options(&path, None, options).unwrap_err();
    assert_eq!(missing.reason(), Reason::Password, "{file}: {missing}");
}

/// Asserts that a rejection names `algorithm` and tells what to do, in the
/// part of the message after the file name.
fn assert_explained(file: &str, err: &Error, algorithm: &str) {
    let full = err.message().to_ascii_lowercase();
    let prefix = format!("{}: ", file.to_ascii_lowercase());
    let message = full
        .split_once(&prefix)
        .map_or(full.as_str(), |(_, rest)| rest);
    assert!(
        message.contains(&algorithm.to_ascii_lowercase()),
        "{file}: the error does not name {algorithm}: {err}"
    );
    assert!(
        message.contains("re-encrypt"),
        "{file}: the error does not say what to do: {err}"
    );
}

/// Lists every cipher name that `openssl enc -list` prints, without the dash.
fn openssl_cipher_names(work: &Workdir) -> Vec<String> {
    let listing = String::from_utf8(work.openssl(&["enc", "-list"])).unwrap();
    listing
        .split_ascii_whitespace()
        .filter_map(|word| word.strip_prefix('-'))
        .map(str::to_owned)
        .collect()
}

fn generate_ec_key(work: &Workdir) {
    work.openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        "ec.pem",
    ]);
}

fn generate_rsa_key(work: &Workdir, file: &str) {
    work.openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        file,
    ]);
}

#[test]
fn pkcs8_pbes1_schemes_match_openssl() {
    let work = Workdir::new();
    generate_rsa_key(&work, "rsa.pem");
    let pass = pass_arg();
    let schemes = [
        "PBE-SHA1-3DES",
        "PBE-SHA1-2DES",
        "PBE-SHA1-RC2-40",
        "PBE-SHA1-RC2-128",
        "PBE-SHA1-RC4-40",
        "PBE-SHA1-RC4-128",
        "PBE-MD5-DES",
        "PBE-SHA1-DES",
        "PBE-MD5-RC2-64",
        "PBE-SHA1-RC2-64",
    ];
    let mut loaded = BTreeSet::new();
    for scheme in schemes {
        for (suffix, form) in [("pem", "PEM"), ("der", "DER")] {
            let file = format!("{scheme}.{suffix}");
            let args = [
                "-topk8", "-in", "rsa.pem", "-v1", scheme, "-passout", &pass, "-outform", form,
            ];
            assert!(
                openssl_writes(&work, "pkcs8", &args, &file),
                "openssl cannot write {file}"
            );
            match check_against_openssl(&work, &file) {
                Verdict::Loaded => {
                    loaded.insert(scheme);
                }
                Verdict::Rejected(err) => {
                    assert_explained(&file, &err, scheme);
                    assert!(err.message().contains("legacy provider"), "{file}: {err}");
                }
            }
        }
    }
    // OpenSSL 3.0.19 without the legacy provider reads these two only.
    assert_eq!(
        loaded,
        BTreeSet::from(["PBE-SHA1-2DES", "PBE-SHA1-3DES"]),
        "schemes loaded"
    );
}

/// Writes `file` with `openssl SUBCOMMAND -provider legacy -provider
/// default ARGS -passout PASS -out FILE`, and panics when it cannot.
fn write_with_legacy(work: &Workdir, subcommand: &str, args: &[&str], file: &str) {
    let pass = pass_arg();
    let mut all = args.to_vec();
    all.extend_from_slice(&["-passout", &pass]);
    assert!(
        openssl_writes(work, subcommand, &all, file),
        "openssl cannot write {file}"
    );
}

/// Checks `file` against `openssl pkey` without and with the legacy
/// provider. Without it, both reject the file and tsrs names `algorithm`,
/// the provider option and the re-encryption. With it, `openssl pkey`
/// loads the file, and this returns `Ok` when tsrs loads it too, or the
/// error with which tsrs rejects a cipher it lacks.
fn check_legacy_file(work: &Workdir, file: &str, algorithm: &str) -> Result<(), Error> {
    match check_against_openssl_with(work, file, false) {
        Verdict::Loaded => panic!("{file}: loaded without the legacy provider"),
        Verdict::Rejected(err) => {
            assert_explained(file, &err, algorithm);
            assert!(err.message().contains("legacy provider"), "{file}: {err}");
            assert!(err.message().contains("-provider legacy"), "{file}: {err}");
            assert!(err.message().contains("-v2 aes-256-cbc"), "{file}: {err}");
        }
    }
    assert!(
        openssl_loads_with(work, file, PASSPHRASE.as_bytes(), &WITH_LEGACY),
        "{file}: openssl pkey -provider legacy does not load it"
    );
    let options = DecryptOptions {
        legacy_provider: true,
    };
    match PrivateKey::load_with_options(&work.path(file), Some(PASSPHRASE.as_bytes()), options) {
        Ok(_) => {
            assert!(
                matches!(
                    check_against_openssl_with(work, file, true),
                    Verdict::Loaded
                ),
                "{file}"
            );
            Ok(())
        }
        Err(err) => {
            assert_explained(file, &err, algorithm);
            assert!(
                err.message().contains("tsrs implements only"),
                "{file}: {err}"
            );
            Err(err)
        }
    }
}

#[test]
fn legacy_pbes1_and_pkcs12_schemes_with_provider() {
    let work = Workdir::new();
    generate_ec_key(&work);
    let schemes = [
        "PBE-MD5-DES",
        "PBE-SHA1-DES",
        "PBE-MD5-RC2-64",
        "PBE-SHA1-RC2-64",
        "PBE-SHA1-RC2-40",
        "PBE-SHA1-RC2-128",
        "PBE-SHA1-RC4-40",
        "PBE-SHA1-RC4-128",
    ];
    for scheme in schemes {
        for (suffix, form) in [("pem", "PEM"), ("der", "DER")] {
            let file = format!("{scheme}.{suffix}");
            let args = ["-topk8", "-in", "ec.pem", "-v1", scheme, "-outform", form];
            write_with_legacy(&work, "pkcs8", &args, &file);
            if let Err(err) = check_legacy_file(&work, &file, scheme) {
                panic!("{file}: tsrs does not read it with the legacy provider: {err}");
            }
        }
    }
    // OpenSSL 3.0 without `enable-md2` has no MD2, so it cannot write these.
    for scheme in ["PBE-MD2-DES", "PBE-MD2-RC2-64"] {
        let file = format!("{scheme}.pem");
        let args = [
            "-topk8", "-in", "ec.pem", "-v1", scheme, "-passout", "pass:x",
        ];
        assert!(!openssl_writes(&work, "pkcs8", &args, &file), "{scheme}");
    }
}

#[test]
fn legacy_pbes2_ciphers_with_provider() {
    let work = Workdir::new();
    generate_ec_key(&work);
    // Each cipher with the name that the messages give it.
    let ciphers = [
        ("des-cbc", "DES-CBC"),
        ("des-ecb", "DES-ECB"),
        ("des-cfb", "DES-CFB"),
        ("des-ofb", "DES-OFB"),
        ("rc2-cbc", "RC2-CBC"),
        ("rc2-64-cbc", "RC2-64-CBC"),
        ("rc2-40-cbc", "RC2-40-CBC"),
        ("rc4", "RC4"),
        // OpenSSL writes RC4-40 with the RC4 OID and no key length, and
        // reads it back as 128-bit RC4.
        ("rc4-40", "RC4"),
        ("bf-cbc", "BF-CBC"),
        ("cast5-cbc", "CAST5-CBC"),
        ("seed-cbc", "SEED-CBC"),
        ("seed-cfb", "SEED-CFB"),
        ("seed-ofb", "SEED-OFB"),
        ("seed-ecb", "SEED-ECB"),
    ];
    let mut missing = BTreeSet::new();
    for (cipher, name) in ciphers {
        let file = format!("v2-{cipher}.der");
        let args = ["-topk8", "-in", "ec.pem", "-v2", cipher, "-outform", "DER"];
        write_with_legacy(&work, "pkcs8", &args, &file);
        if check_legacy_file(&work, &file, name).is_err() {
            missing.insert(cipher);
        }
    }
    // SEED has no RustCrypto crate.
    assert_eq!(
        missing,
        BTreeSet::from(["seed-cbc", "seed-cfb", "seed-ofb", "seed-ecb"]),
        "ciphers tsrs lacks"
    );
    // These have no OID, so OpenSSL cannot write them in PBES2.
    for cipher in [
        "bf-cfb",
        "bf-ofb",
        "bf-ecb",
        "cast5-cfb",
        "cast5-ofb",
        "cast5-ecb",
        "desx-cbc",
    ] {
        let file = format!("v2-{cipher}.der");
        let args = [
            "-topk8", "-in", "ec.pem", "-v2", cipher, "-passout", "pass:x", "-outform", "DER",
        ];
        assert!(!openssl_writes(&work, "pkcs8", &args, &file), "{cipher}");
    }
}

/// Builds a PBES2 key with PBKDF2 (HMAC-SHA1, 2048 iterations), the 64-bit
/// block cipher `cipher` (an `openssl enc` name, keyed with 16 bytes) under
/// `cipher_oid`, and `key_length` as the PBKDF2 keyLength when given.
fn craft_pbes2_key_length(
    work: &Workdir,
    cipher_oid: &str,
    cipher: &str,
    key_length: Option<u32>,
) -> Vec<u8> {
    let salt = [7u8; 8];
    let iv = [9u8; 8];
    let key = unhex(
        &String::from_utf8(work.openssl(&[
            "kdf",
            "-keylen",
            "16",
            "-kdfopt",
            "digest:SHA1",
            "-kdfopt",
            &format!("pass:{PASSPHRASE}"),
            "-kdfopt",
            &format!("hexsalt:{}", hex(&salt)),
            "-kdfopt",
            "iter:2048",
            "PBKDF2",
        ]))
        .unwrap(),
    );
    let plaintext = pkcs8_der(work, "ec.pem");
    work.write("plain.bin", &plaintext);
    let mut args = vec!["enc".to_owned(), format!("-{cipher}")];
    args.extend(WITH_LEGACY.map(str::to_owned));
    args.extend(["-K", &hex(&key), "-iv", &hex(&iv), "-in", "plain.bin"].map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let ciphertext = work.openssl(&args);

    let algorithm = |oid: &str, parameters: Vec<u8>| {
        let mut content = ObjectIdentifier::new(oid).unwrap().to_der().unwrap();
        content.extend(parameters);
        der_sequence(&content)
    };
    let mut pbkdf2_params = OctetString::new(salt.to_vec()).unwrap().to_der().unwrap();
    pbkdf2_params.extend(2048u32.to_der().unwrap());
    if let Some(length) = key_length {
        pbkdf2_params.extend(length.to_der().unwrap());
    }
    let mut pbes2_params = algorithm("1.2.840.113549.1.5.12", der_sequence(&pbkdf2_params));
    pbes2_params.extend(algorithm(
        cipher_oid,
        OctetString::new(iv.to_vec()).unwrap().to_der().unwrap(),
    ));
    let mut info = algorithm("1.2.840.113549.1.5.13", der_sequence(&pbes2_params));
    info.extend(OctetString::new(ciphertext).unwrap().to_der().unwrap());
    der_sequence(&info)
}

/// Blowfish and CAST5 take keys of several lengths, but OpenSSL 3.0 keys
/// them in PBES2 with 16 bytes and rejects any other PBKDF2 keyLength.
#[test]
fn blowfish_and_cast5_pbes2_key_lengths_match_openssl() {
    let work = Workdir::new();
    generate_ec_key(&work);
    let ciphers = [
        ("1.3.6.1.4.1.3029.1.2", "bf-cbc"),
        ("1.2.840.113533.7.66.10", "cast5-cbc"),
    ];
    for (oid, cipher) in ciphers {
        for key_length in [None, Some(16), Some(5), Some(8), Some(20), Some(56)] {
            let file = format!("{cipher}-{key_length:?}.der");
            work.write(
                &file,
                &craft_pbes2_key_length(&work, oid, cipher, key_length),
            );
            let loads = matches!(key_length, None | Some(16));
            assert_eq!(
                openssl_loads_with(&work, &file, PASSPHRASE.as_bytes(), &WITH_LEGACY),
                loads,
                "{file}"
            );
            match check_against_openssl_with(&work, &file, true) {
                Verdict::Loaded => assert!(loads, "{file}"),
                Verdict::Rejected(err) => {
                    assert!(!loads, "{file}: {err}");
                    assert!(err.message().contains("key length"), "{file}: {err}");
                }
            }
        }
    }
}

#[test]
fn legacy_pem_ciphers_with_provider() {
    let work = Workdir::new();
    generate_ec_key(&work);
    let ciphers = [
        "des",
        "des-cbc",
        "des-cfb",
        "des-cfb1",
        "des-cfb8",
        "des-ofb",
        "rc2",
        "rc2-cbc",
        "rc2-40-cbc",
        "rc2-64-cbc",
        "rc2-cfb",
        "rc2-ofb",
        "bf-cbc",
        "bf-cfb",
        "bf-ofb",
        "cast5-cbc",
        "cast5-cfb",
        "cast5-ofb",
        "seed-cbc",
        "seed-cfb",
        "seed-ofb",
        "desx-cbc",
    ];
    let mut missing = BTreeSet::new();
    for cipher in ciphers {
        let file = format!("legacy-{cipher}.pem");
        let option = format!("-{cipher}");
        write_with_legacy(&work, "ec", &["-in", "ec.pem", &option], &file);
        let written = String::from_utf8(work.read(&file)).unwrap();
        let name = written
            .lines()
            .find_map(|line| line.strip_prefix("DEK-Info: "))
            .and_then(|dek_info| dek_info.split(',').next())
            .unwrap_or_else(|| panic!("{file} has no DEK-Info header"))
            .to_owned();
        if check_legacy_file(&work, &file, &name).is_err() {
            missing.insert(name);
        }
    }
    assert_eq!(
        missing,
        BTreeSet::from(["SEED-CBC", "SEED-CFB", "SEED-OFB"].map(str::to_owned)),
        "ciphers tsrs lacks"
    );
}

#[test]
fn pkcs12_pbe_passphrase_encodings() {
    let work = Workdir::new();
    generate_ec_key(&work);
    // UTF-8 text becomes UTF-16; other bytes are taken as Latin-1.
    let passphrases: [&[u8]; 4] = [
        b"",
        "pässwörd €".as_bytes(),
        b"p\xe4ssw\xf6rd",
        b"\xf0\x9f\x94\x91",
    ];
    for (index, passphrase) in passphrases.into_iter().enumerate() {
        let file = format!("pass{index}.pem");
        let mut source = b"pass:".to_vec();
        source.extend_from_slice(passphrase);
        let output = Command::new("openssl")
            .args([
                "pkcs8",
                "-topk8",
                "-in",
                "ec.pem",
                "-v1",
                "PBE-SHA1-3DES",
                "-out",
                &file,
            ])
            .arg("-passout")
            .arg(OsStr::from_bytes(&source))
            .current_dir(work.dir())
            .output()
            .unwrap();
        assert!(output.status.success(), "openssl cannot write {file}");
        assert!(openssl_loads(&work, &file, passphrase), "{file}");
        let key = PrivateKey::load(&work.path(&file), Some(passphrase))
            .unwrap_or_else(|err| panic!("{file}: {err}"));
        assert_eq!(key.kind(), tsrs::keys::KeyKind::EcP256, "{file}");
    }
}

#[test]
fn pbes2_ciphers_match_openssl() {
    let work = Workdir::new();
    generate_ec_key(&work);
    let pass = pass_arg();
    let mut loaded = BTreeSet::new();
    for cipher in openssl_cipher_names(&work) {
        let file = format!("v2-{cipher}.der");
        let args = [
            "-topk8", "-in", "ec.pem", "-v2", &cipher, "-passout", &pass, "-outform", "DER",
        ];
        if !openssl_writes(&work, "pkcs8", &args, &file) {
            continue;
        }
        if cipher.ends_with("-wrap-pad") {
            // NOTE: OpenSSL writes AES key wrap with an invalid parameter
            // encoding (tag bytes 3F 80 00 00) and reads it back; tsrs
            // rejects the malformed DER.
            let err = PrivateKey::load(&work.path(&file), Some(PASSPHRASE.as_bytes())).unwrap_err();
            let cipher_named = format!("for the cipher {cipher} (");
            assert!(err.message().contains(&cipher_named), "{file}: {err}");
            continue;
        }
        match check_against_openssl(&work, &file) {
            Verdict::Loaded => {
                loaded.insert(cipher);
            }
            Verdict::Rejected(err) => {
                assert!(err.message().contains("PBES2 cipher"), "{file}: {err}");
                assert!(err.message().contains("re-encrypt"), "{file}: {err}");
            }
        }
    }
    for cipher in [
        "aes-256-cbc",
        "aes-128-cfb8",
        "aria-256-cbc",
        "aria-128-ctr",
        "camellia-256-cbc",
        "camellia-128-ofb",
        "sm4-cbc",
        "des-ede",
        "des-ede3-cbc",
    ] {
        assert!(loaded.contains(cipher), "{cipher} not covered: {loaded:?}");
    }
}

#[test]
fn pbes2_prfs_match_openssl() {
    let work = Workdir::new();
    generate_ec_key(&work);
    let pass = pass_arg();
    let prfs = [
        "hmacWithSHA1",
        "hmacWithSHA224",
        "hmacWithSHA256",
        "hmacWithSHA384",
        "hmacWithSHA512",
        "hmacWithSHA512-224",
        "hmacWithSHA512-256",
        "hmacWithMD5",
        "hmac-md5",
        "hmac-sha1",
    ];
    for prf in prfs {
        let file = format!("prf-{prf}.pem");
        let args = [
            "-topk8",
            "-in",
            "ec.pem",
            "-v2",
            "camellia-128-cbc",
            "-v2prf",
            prf,
            "-passout",
            &pass,
        ];
        assert!(
            openssl_writes(&work, "pkcs8", &args, &file),
            "openssl cannot write {file}"
        );
        assert!(
            matches!(check_against_openssl(&work, &file), Verdict::Loaded),
            "{file}"
        );
    }
}

/// The PKCS#8 DER of the key in `file`, unencrypted.
fn pkcs8_der(work: &Workdir, file: &str) -> Vec<u8> {
    work.openssl(&[
        "pkcs8", "-topk8", "-nocrypt", "-in", file, "-outform", "DER",
    ])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

/// Encrypts `plaintext` with `openssl enc -CIPHER -K KEY -iv IV`.
fn openssl_encrypt(
    work: &Workdir,
    cipher: &str,
    key: &[u8],
    iv: &[u8],
    plaintext: &[u8],
) -> Vec<u8> {
    work.write("plain.bin", plaintext);
    let mut args = vec![
        "enc".to_owned(),
        format!("-{cipher}"),
        "-K".to_owned(),
        hex(key),
        "-in".to_owned(),
        "plain.bin".to_owned(),
    ];
    if !iv.is_empty() {
        args.extend(["-iv".to_owned(), hex(iv)]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    work.openssl(&args)
}

/// Builds an EncryptedPrivateKeyInfo with PBES2, PBKDF2 (2048 iterations,
/// the PRF `prf`, keyed with `digest` by `openssl kdf`) and the cipher
/// `cipher_oid`, encrypting the key in ec.pem with `openssl enc`.
fn craft_pbes2(work: &Workdir, prf: &str, digest: &str, cipher_oid: &str, cipher: &str) -> Vec<u8> {
    let salt = [7u8; 16];
    let iv = [9u8; 16];
    let key = unhex(
        &String::from_utf8(work.openssl(&[
            "kdf",
            "-keylen",
            "16",
            "-kdfopt",
            &format!("digest:{digest}"),
            "-kdfopt",
            &format!("pass:{PASSPHRASE}"),
            "-kdfopt",
            &format!("hexsalt:{}", hex(&salt)),
            "-kdfopt",
            "iter:2048",
            "PBKDF2",
        ]))
        .unwrap(),
    );
    let ciphertext = openssl_encrypt(work, cipher, &key, &iv, &pkcs8_der(work, "ec.pem"));

    let algorithm = |oid: &str, parameters: Option<Vec<u8>>| {
        let mut content = ObjectIdentifier::new(oid).unwrap().to_der().unwrap();
        content.extend(parameters.unwrap_or_default());
        der_sequence(&content)
    };
    let mut pbkdf2_params = OctetString::new(salt.to_vec()).unwrap().to_der().unwrap();
    pbkdf2_params.extend(2048u32.to_der().unwrap());
    pbkdf2_params.extend(algorithm(prf, Some(vec![5, 0])));
    let kdf = algorithm("1.2.840.113549.1.5.12", Some(der_sequence(&pbkdf2_params)));
    let scheme = algorithm(
        cipher_oid,
        Some(OctetString::new(iv.to_vec()).unwrap().to_der().unwrap()),
    );
    let mut pbes2_params = kdf;
    pbes2_params.extend(scheme);
    let mut info = algorithm("1.2.840.113549.1.5.13", Some(der_sequence(&pbes2_params)));
    info.extend(OctetString::new(ciphertext).unwrap().to_der().unwrap());
    der_sequence(&info)
}

fn der_sequence(content: &[u8]) -> Vec<u8> {
    AnyRef::new(der::Tag::Sequence, content)
        .unwrap()
        .to_der()
        .unwrap()
}

#[test]
fn crafted_pbes2_prfs_match_openssl() {
    let work = Workdir::new();
    generate_ec_key(&work);
    let aes_128_cbc = "2.16.840.1.101.3.4.1.2";
    let cases = [
        ("1.2.840.113549.2.9", "SHA256", "hmacWithSHA256"),
        (
            "2.16.840.1.101.3.4.2.13",
            "SHA3-224",
            "2.16.840.1.101.3.4.2.13",
        ),
        (
            "2.16.840.1.101.3.4.2.14",
            "SHA3-256",
            "2.16.840.1.101.3.4.2.14",
        ),
        (
            "2.16.840.1.101.3.4.2.16",
            "SHA3-512",
            "2.16.840.1.101.3.4.2.16",
        ),
        ("1.2.156.10197.1.401.3.1", "SM3", "1.2.156.10197.1.401.3.1"),
    ];
    for (oid, digest, name) in cases {
        let file = format!("crafted-{digest}.der");
        work.write(
            &file,
            &craft_pbes2(&work, oid, digest, aes_128_cbc, "aes-128-cbc"),
        );
        match check_against_openssl(&work, &file) {
            Verdict::Loaded => assert_eq!(digest, "SHA256", "{file}"),
            Verdict::Rejected(err) => {
                assert!(err.message().contains("PBKDF2 PRF"), "{file}: {err}");
                assert_explained(&file, &err, name);
            }
        }
    }
}

#[test]
fn rustcrypto_aes_gcm_form_loads() {
    use tsrs::keys::KeyKind;

    let work = Workdir::new();
    generate_ec_key(&work);
    let plaintext = pkcs8_der(&work, "ec.pem");
    let scrypt = pkcs8::pkcs5::scrypt::Params::new(14, 8, 1).unwrap();
    let params =
        pkcs8::pkcs5::pbes2::Parameters::scrypt_aes256gcm(scrypt, &[1u8; 16], [2u8; 12]).unwrap();
    let ciphertext = params.encrypt(PASSPHRASE, &plaintext).unwrap();
    let info = pkcs8::EncryptedPrivateKeyInfo {
        encryption_algorithm: pkcs8::pkcs5::EncryptionScheme::Pbes2(params),
        encrypted_data: OctetString::new(ciphertext).unwrap(),
    };
    work.write("gcm.der", &info.to_der().unwrap());

    // NOTE: a deliberate difference. RustCrypto's pkcs5 crate writes AES-GCM
    // with the bare nonce as parameters; OpenSSL 3.0 rejects that form, tsrs
    // reads it as it did before it read the OpenSSL-only schemes.
    assert!(!openssl_loads(&work, "gcm.der", PASSPHRASE.as_bytes()));
    let key = PrivateKey::load(&work.path("gcm.der"), Some(PASSPHRASE.as_bytes())).unwrap();
    assert_eq!(key.kind(), KeyKind::EcP256);
    let wrong = PrivateKey::load(&work.path("gcm.der"), Some(b"wrong")).unwrap_err();
    assert!(wrong.message().contains("bad decrypt"), "{wrong}");
}

#[test]
fn legacy_pem_ciphers_match_openssl() {
    let work = Workdir::new();
    generate_ec_key(&work);
    let pass = pass_arg();
    let mut loaded = BTreeSet::new();
    for cipher in openssl_cipher_names(&work) {
        let file = format!("legacy-{cipher}.pem");
        let option = format!("-{cipher}");
        let args = ["-in", "ec.pem", &option, "-passout", &pass];
        if !openssl_writes(&work, "ec", &args, &file) {
            continue;
        }
        let written = String::from_utf8(work.read(&file)).unwrap();
        let Some(dek_info) = written
            .lines()
            .find_map(|line| line.strip_prefix("DEK-Info: "))
        else {
            continue;
        };
        let name = dek_info.split(',').next().unwrap().to_owned();
        match check_against_openssl(&work, &file) {
            Verdict::Loaded => {
                loaded.insert(name);
            }
            Verdict::Rejected(err) => assert_explained(&file, &err, &name),
        }
    }
    for name in [
        "AES-256-CBC",
        "AES-128-CFB1",
        "ARIA-128-CBC",
        "ARIA-256-CBC",
        "ARIA-192-CFB8",
        "CAMELLIA-128-CBC",
        "CAMELLIA-256-CBC",
        "CAMELLIA-192-CTR",
        "SM4-OFB",
        "DES-EDE-CFB",
        "DES-EDE3-CFB1",
        "ChaCha20",
    ] {
        assert!(loaded.contains(name), "{name} not covered: {loaded:?}");
    }
}

#[test]
fn genrsa_genpkey_and_pkey_ciphers_load() {
    let work = Workdir::new();
    let pass = pass_arg();
    let commands: [&[&str]; 7] = [
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-aes256",
            "-pass",
            &pass,
            "-out",
            "genpkey-aes.pem",
        ],
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-384",
            "-des3",
            "-pass",
            &pass,
            "-out",
            "genpkey-des3.pem",
        ],
        &[
            "genrsa",
            "-camellia256",
            "-passout",
            &pass,
            "-out",
            "genrsa-camellia.pem",
            "2048",
        ],
        &[
            "genrsa",
            "-aria128",
            "-passout",
            &pass,
            "-out",
            "genrsa-aria.pem",
            "2048",
        ],
        &[
            "genrsa",
            "-traditional",
            "-aria256",
            "-passout",
            &pass,
            "-out",
            "genrsa-traditional-aria.pem",
            "2048",
        ],
        &[
            "pkey",
            "-in",
            "genrsa-aria.pem",
            "-passin",
            &pass,
            "-traditional",
            "-camellia192",
            "-passout",
            &pass,
            "-out",
            "pkey-traditional-camellia.pem",
        ],
        &[
            "pkey",
            "-in",
            "genrsa-aria.pem",
            "-passin",
            &pass,
            "-chacha20",
            "-traditional",
            "-passout",
            &pass,
            "-out",
            "pkey-traditional-chacha20.pem",
        ],
    ];
    for command in commands {
        work.openssl(command);
    }
    for file in [
        "genrsa-camellia.pem",
        "genrsa-aria.pem",
        "genrsa-traditional-aria.pem",
        "pkey-traditional-camellia.pem",
        "pkey-traditional-chacha20.pem",
        "genpkey-aes.pem",
        "genpkey-des3.pem",
    ] {
        assert!(
            matches!(check_against_openssl(&work, file), Verdict::Loaded),
            "{file}"
        );
    }
}

/// The DER of the PKCS#1 or SEC1 key in `file`, as a legacy PEM block holds it.
fn traditional_der(work: &Workdir, file: &str) -> Vec<u8> {
    work.openssl(&["ec", "-in", file, "-outform", "DER"])
}

/// Writes a legacy encrypted EC PEM block with a chosen IV, keyed as
/// OpenSSL keys it: EVP_BytesToKey with MD5 over the passphrase and the
/// first 8 bytes of the IV.
fn craft_legacy_pem(work: &Workdir, file: &str, cipher: &str, iv: &[u8]) {
    let derived = String::from_utf8(work.openssl(&[
        "enc",
        &format!("-{cipher}"),
        "-md",
        "md5",
        "-pass",
        &format!("pass:{PASSPHRASE}"),
        "-S",
        &hex(&iv[..8]),
        "-P",
    ]))
    .unwrap();
    let key = derived
        .lines()
        .find_map(|line| line.strip_prefix("key="))
        .map(unhex)
        .unwrap();
    let ciphertext = openssl_encrypt(work, cipher, &key, iv, &traditional_der(work, "ec.pem"));
    let body =
        pem_rfc7468::encode_string("EC PRIVATE KEY", pem_rfc7468::LineEnding::LF, &ciphertext)
            .unwrap();
    let headers = format!(
        "Proc-Type: 4,ENCRYPTED\nDEK-Info: {},{}\n\n",
        cipher.to_ascii_uppercase(),
        hex(iv)
    );
    let pem = body.replacen('\n', &format!("\n{headers}"), 1);
    work.write(file, pem.as_bytes());
}

#[test]
fn stream_counters_carry_as_in_openssl() {
    let work = Workdir::new();
    generate_ec_key(&work);
    let cases: [(&str, &str, [u8; 16]); 3] = [
        // ChaCha20: the 32-bit low counter word wraps after one block.
        (
            "chacha.pem",
            "chacha20",
            [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8],
        ),
        // AES-CTR: the low 64 bits of the counter wrap.
        (
            "ctr.pem",
            "aes-128-ctr",
            [
                0, 0, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
            ],
        ),
        (
            "cfb1.pem",
            "camellia-128-cfb1",
            [0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
        ),
    ];
    for (file, cipher, iv) in cases {
        craft_legacy_pem(&work, file, cipher, &iv);
        assert!(
            matches!(check_against_openssl(&work, file), Verdict::Loaded),
            "{file}"
        );
    }
}

#[test]
fn byte_order_mark_matches_openssl() {
    let work = Workdir::new();
    generate_ec_key(&work);
    let pass = pass_arg();
    work.openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        "ec.pem",
        "-v1",
        "PBE-SHA1-3DES",
        "-passout",
        &pass,
        "-out",
        "p12.pem",
    ]);
    work.openssl(&[
        "ec",
        "-in",
        "ec.pem",
        "-camellia256",
        "-passout",
        &pass,
        "-out",
        "legacy.pem",
    ]);
    let bom = "\u{FEFF}";
    let mut loaded = Vec::new();
    for source in ["ec.pem", "p12.pem", "legacy.pem"] {
        let pem = String::from_utf8(work.read(source)).unwrap();
        let variants = [
            ("bom", format!("{bom}{pem}")),
            ("bom-text", format!("{bom}comment\n{pem}")),
            ("bom-line", format!("{bom}\n{pem}")),
            ("two-boms", format!("{bom}{bom}{pem}")),
            ("late-bom", format!("comment\n{bom}{pem}")),
        ];
        for (variant, contents) in variants {
            let file = format!("{variant}-{source}");
            work.write(&file, contents.as_bytes());
            if let Verdict::Loaded = check_against_openssl(&work, &file) {
                loaded.push(file);
            }
        }
    }
    assert_eq!(
        loaded,
        [
            "bom-ec.pem",
            "bom-text-ec.pem",
            "bom-line-ec.pem",
            "bom-p12.pem",
            "bom-text-p12.pem",
            "bom-line-p12.pem",
            "bom-legacy.pem",
            "bom-text-legacy.pem",
            "bom-line-legacy.pem",
        ]
    );

    let mut der = "\u{FEFF}".as_bytes().to_vec();
    der.extend(pkcs8_der(&work, "ec.pem"));
    work.write("bom.der", &der);
    assert!(matches!(
        check_against_openssl(&work, "bom.der"),
        Verdict::Rejected(_)
    ));
}

/// Cuts and flips each encoding at many places: each attempt gives a key
/// or an error, never a panic.
#[test]
fn damaged_encrypted_keys_never_panic() {
    let work = Workdir::new();
    generate_ec_key(&work);
    let pass = pass_arg();
    let writes: [(&str, &[&str]); 7] = [
        (
            "pkcs8",
            &[
                "-topk8",
                "-in",
                "ec.pem",
                "-v1",
                "PBE-SHA1-3DES",
                "-outform",
                "DER",
                "-out",
                "p12.der",
            ],
        ),
        (
            "pkcs8",
            &[
                "-topk8",
                "-in",
                "ec.pem",
                "-v1",
                "PBE-SHA1-2DES",
                "-out",
                "p12-2des.pem",
            ],
        ),
        (
            "pkcs8",
            &[
                "-topk8",
                "-in",
                "ec.pem",
                "-v2",
                "camellia-256-cbc",
                "-outform",
                "DER",
                "-out",
                "camellia.der",
            ],
        ),
        (
            "pkcs8",
            &[
                "-topk8",
                "-in",
                "ec.pem",
                "-v2",
                "aria-128-ctr",
                "-v2prf",
                "hmacWithSHA512",
                "-outform",
                "DER",
                "-out",
                "aria.der",
            ],
        ),
        (
            "ec",
            &["-in", "ec.pem", "-aria-256-cfb1", "-out", "aria-cfb1.pem"],
        ),
        ("ec", &["-in", "ec.pem", "-chacha20", "-out", "chacha.pem"]),
        ("ec", &["-in", "ec.pem", "-sm4-ofb", "-out", "sm4.pem"]),
    ];
    for (subcommand, args) in writes {
        let mut all = vec![subcommand];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-passout", &pass]);
        work.openssl(&all);
    }
    for file in [
        "p12.der",
        "p12-2des.pem",
        "camellia.der",
        "aria.der",
        "aria-cfb1.pem",
        "chacha.pem",
        "sm4.pem",
    ] {
        let input = work.read(file);
        let passphrase = Some(PASSPHRASE.as_bytes());
        assert!(PrivateKey::from_bytes(&input, passphrase).is_ok(), "{file}");
        // Each attempt runs the key derivation, which is slow in debug
        // builds: about 40 cuts and 40 flips per file, plus one flip in each
        // of the first 100 bytes of a DER file, where the parameters are.
        let step = (input.len() / 40).max(1);
        for len in (0..input.len()).step_by(step) {
            let _ = PrivateKey::from_bytes(input.get(..len).unwrap(), passphrase);
        }
        let parameter_bytes = if file.ends_with(".der") { 100 } else { 0 };
        let positions = (0..parameter_bytes).chain((0..input.len()).step_by(step));
        for (attempt, position) in positions.enumerate() {
            let mut damaged = input.clone();
            if let Some(byte) = damaged.get_mut(position) {
                *byte ^= 1 << (attempt % 8);
            }
            let _ = PrivateKey::from_bytes(&damaged, passphrase);
        }
    }
}

/// Cuts and flips keys in the legacy provider's schemes, read with that
/// provider: each attempt gives a key or an error, never a panic.
#[test]
fn damaged_legacy_keys_never_panic() {
    let work = Workdir::new();
    generate_ec_key(&work);
    let writes: [(&str, &[&str], &str); 8] = [
        (
            "pkcs8",
            &["-v1", "PBE-SHA1-RC2-64", "-outform", "DER"],
            "pbes1.der",
        ),
        (
            "pkcs8",
            &["-v1", "PBE-SHA1-RC4-40", "-outform", "DER"],
            "rc4.der",
        ),
        (
            "pkcs8",
            &["-v2", "rc2-40-cbc", "-outform", "DER"],
            "rc2.der",
        ),
        ("pkcs8", &["-v2", "des-cfb", "-outform", "DER"], "des.der"),
        ("ec", &["-rc2-ofb"], "rc2-ofb.pem"),
        ("pkcs8", &["-v2", "bf-cbc", "-outform", "DER"], "bf.der"),
        ("ec", &["-cast5-ofb"], "cast5-ofb.pem"),
        ("ec", &["-desx"], "desx.pem"),
    ];
    let options = DecryptOptions {
        legacy_provider: true,
    };
    let passphrase = Some(PASSPHRASE.as_bytes());
    for (subcommand, args, file) in writes {
        let mut all = if subcommand == "pkcs8" {
            vec!["-topk8", "-in", "ec.pem"]
        } else {
            vec!["-in", "ec.pem"]
        };
        all.extend_from_slice(args);
        write_with_legacy(&work, subcommand, &all, file);
        let input = work.read(file);
        assert!(
            PrivateKey::from_bytes_with_options(&input, passphrase, options).is_ok(),
            "{file}"
        );
        let step = (input.len() / 40).max(1);
        for len in (0..input.len()).step_by(step) {
            let cut = input.get(..len).unwrap();
            let _ = PrivateKey::from_bytes_with_options(cut, passphrase, options);
        }
        let parameter_bytes = if file.ends_with(".der") { 100 } else { 0 };
        let positions = (0..parameter_bytes).chain((0..input.len()).step_by(step));
        for (attempt, position) in positions.enumerate() {
            let mut damaged = input.clone();
            if let Some(byte) = damaged.get_mut(position) {
                *byte ^= 1 << (attempt % 8);
            }
            let _ = PrivateKey::from_bytes_with_options(&damaged, passphrase, options);
        }
    }
}

/// The `openssl` commands that convert tsa.key into the formats that the
/// end-to-end comparison signs with; each writes the file its last word names.
const REPLY_KEY_COMMANDS: [&str; 16] = [
    "pkcs8 -topk8 -in tsa.key -v1 PBE-SHA1-3DES -out p12-3des.pem",
    "pkcs8 -topk8 -in tsa.key -v1 PBE-SHA1-2DES -out p12-2des.pem",
    "pkcs8 -topk8 -in tsa.key -v2 aes-256-cbc -out aes256.pem",
    "pkcs8 -topk8 -in tsa.key -v2 aes-128-cbc -v2prf hmacWithSHA1 -out aes128-sha1.pem",
    "pkcs8 -topk8 -in tsa.key -v2 aes-192-cbc -v2prf hmacWithSHA384 -out aes192.pem",
    "pkcs8 -topk8 -in tsa.key -v2 des3 -v2prf hmacWithSHA512-256 -out des3.pem",
    "pkcs8 -topk8 -in tsa.key -scrypt -out scrypt.pem",
    "pkcs8 -topk8 -in tsa.key -v2 camellia-256-cbc -out camellia.pem",
    "pkcs8 -topk8 -in tsa.key -v2 aria-256-cbc -v2prf hmacWithSHA512 -out aria.pem",
    "rsa -in tsa.key -aes256 -out rsa-aes256.pem",
    "rsa -in tsa.key -traditional -aes256 -out legacy-aes256.pem",
    "rsa -in tsa.key -traditional -des3 -out legacy-des3.pem",
    "rsa -in tsa.key -traditional -camellia128 -out legacy-camellia.pem",
    "rsa -in tsa.key -traditional -aria-192-cfb8 -out legacy-aria.pem",
    "rsa -in tsa.key -traditional -chacha20 -out legacy-chacha.pem",
    "pkcs8 -topk8 -provider legacy -provider default -in tsa.key -v1 PBE-SHA1-RC4-128 -out rc4.pem",
];

/// Lists the files of [`REPLY_KEY_COMMANDS`] that `openssl ts` reads
/// without the legacy provider.
fn reply_key_files() -> Vec<&'static str> {
    REPLY_KEY_COMMANDS
        .iter()
        .filter_map(|command| command.split_ascii_whitespace().last())
        .filter(|file| *file != "rc4.pem")
        .collect()
}

/// Builds a test PKI with a time-stamp request `req.tsq` and tsa.key in
/// every format of [`REPLY_KEY_COMMANDS`], encrypted with [`PASSPHRASE`].
/// It adds `bom.pem`, which is camellia.pem after a UTF-8 byte-order mark.
fn reply_fixture() -> Pki {
    require("faketime");
    let pki = Pki::new();
    let dir = pki.path();
    let query = ts(
        Tool::Openssl,
        dir,
        &[
            "-query", "-config", "tsa.cnf", "-data", "data.txt", "-cert", "-out", "req.tsq",
        ],
        false,
        None,
    );
    assert!(
        query.status.success(),
        "{}",
        String::from_utf8_lossy(&query.stderr)
    );
    let pass = pass_arg();
    for command in REPLY_KEY_COMMANDS {
        let mut args: Vec<&str> = command.split_ascii_whitespace().collect();
        args.extend_from_slice(&["-passout", &pass]);
        common::openssl_ok(dir, &args);
    }
    let camellia = std::fs::read(dir.join("camellia.pem")).unwrap();
    std::fs::write(
        dir.join("bom.pem"),
        [b"\xEF\xBB\xBF".as_slice(), &camellia].concat(),
    )
    .unwrap();
    pki
}

/// Writes `KEY.cnf`, a copy of tsa.cnf whose `signer_key` is `key`, and
/// returns its name.
fn config_with_key(pki: &Pki, key: &str) -> String {
    let original = std::fs::read_to_string(pki.join("tsa.cnf")).unwrap();
    let replaced = original.replace(
        "signer_key = $dir/tsa.key",
        &format!("signer_key = $dir/{key}"),
    );
    assert_ne!(
        original, replaced,
        "tsa.cnf has no signer_key line to replace"
    );
    let name = format!("{key}.cnf");
    std::fs::write(pki.join(&name), replaced).unwrap();
    name
}

// `openssl ts` reads keys with PEM_read_bio_PrivateKey, so only PEM files
// are compared here.
#[test]
fn reply_signs_with_encrypted_keys_as_openssl() {
    let pki = reply_fixture();
    let pass = pass_arg();
    let mut files: Vec<&str> = reply_key_files();
    files.extend(["bom.pem", "rc4.pem"]);
    for file in files {
        let args = [
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "req.tsq",
            "-inkey",
            file,
            "-passin",
            &pass,
            "-out",
            "resp.tsr",
        ];
        let (openssl, _) = assert_same(pki.path(), &args, true);
        let expected_success = file != "rc4.pem";
        assert_eq!(openssl.status.success(), expected_success, "{file}");
    }
}

#[test]
fn reply_reads_encrypted_signer_key_from_config() {
    let pki = reply_fixture();
    let pass = pass_arg();
    for file in ["p12-3des.pem", "scrypt.pem", "legacy-aes256.pem", "bom.pem"] {
        let config = config_with_key(&pki, file);
        let args = [
            "-reply",
            "-config",
            &config,
            "-queryfile",
            "req.tsq",
            "-passin",
            &pass,
            "-out",
            "resp.tsr",
        ];
        let (openssl, _) = assert_same(pki.path(), &args, true);
        assert!(openssl.status.success(), "{file}");
    }
}

/// A wrong passphrase: both tools exit with the same status and write no
/// response, and tsrs reports that decryption failed and on which file.
#[test]
fn reply_wrong_passphrase_fails_as_openssl() {
    let pki = reply_fixture();
    for file in reply_key_files() {
        let config = config_with_key(&pki, file);
        let inkey = [
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "req.tsq",
            "-inkey",
            file,
            "-passin",
            "pass:wrong horse",
            "-out",
            "resp.tsr",
        ];
        let from_config = [
            "-reply",
            "-config",
            &config,
            "-queryfile",
            "req.tsq",
            "-passin",
            "pass:wrong horse",
            "-out",
            "resp.tsr",
        ];
        for args in [&inkey[..], &from_config[..]] {
            let (openssl, tsrs) = assert_same(pki.path(), args, true);
            let openssl_stderr = String::from_utf8_lossy(&openssl.stderr);
            let tsrs_stderr = String::from_utf8_lossy(&tsrs.stderr);
            assert_eq!(openssl.status.code(), Some(1), "{file}: {openssl_stderr}");
            // OpenSSL prints "bad decrypt" only when the padding is wrong, so
            // not for stream modes, nor for the 1 in about 256 wrong keys
            // whose padding happens to be valid. tsrs prints it in every case.
            assert!(
                openssl_stderr.contains("cannot load private key"),
                "{file}: {openssl_stderr}"
            );
            assert!(
                tsrs_stderr.contains("cannot load private key"),
                "{file}: {tsrs_stderr}"
            );
            assert!(tsrs_stderr.contains("bad decrypt"), "{file}: {tsrs_stderr}");
            assert!(
                tsrs_stderr.contains(&format!("from {file}"))
                    || tsrs_stderr.contains(&format!("/{file}")),
                "{file}: the error does not name the key file: {tsrs_stderr}"
            );
        }
    }
}

/// The `openssl` commands, run with the legacy provider, that convert
/// tsa.key into the formats that need it; each writes the file its last
/// word names. With each, the name of the scheme or cipher that tsrs's
/// message must contain when the provider is not loaded.
const LEGACY_REPLY_KEYS: [(&str, &str); 21] = [
    (
        "pkcs8 -topk8 -in tsa.key -v1 PBE-MD5-DES -out pbe-md5-des.pem",
        "PBE-MD5-DES",
    ),
    (
        "pkcs8 -topk8 -in tsa.key -v1 PBE-SHA1-DES -out pbe-sha1-des.pem",
        "PBE-SHA1-DES",
    ),
    (
        "pkcs8 -topk8 -in tsa.key -v1 PBE-MD5-RC2-64 -out pbe-md5-rc2.pem",
        "PBE-MD5-RC2-64",
    ),
    (
        "pkcs8 -topk8 -in tsa.key -v1 PBE-SHA1-RC2-64 -out pbe-sha1-rc2.pem",
        "PBE-SHA1-RC2-64",
    ),
    (
        "pkcs8 -topk8 -in tsa.key -v1 PBE-SHA1-RC4-128 -out p12-rc4-128.pem",
        "PBE-SHA1-RC4-128",
    ),
    (
        "pkcs8 -topk8 -in tsa.key -v1 PBE-SHA1-RC4-40 -out p12-rc4-40.pem",
        "PBE-SHA1-RC4-40",
    ),
    (
        "pkcs8 -topk8 -in tsa.key -v1 PBE-SHA1-RC2-128 -out p12-rc2-128.pem",
        "PBE-SHA1-RC2-128",
    ),
    (
        "pkcs8 -topk8 -in tsa.key -v1 PBE-SHA1-RC2-40 -out p12-rc2-40.pem",
        "PBE-SHA1-RC2-40",
    ),
    (
        "pkcs8 -topk8 -in tsa.key -v2 des-cbc -out v2-des.pem",
        "DES-CBC",
    ),
    (
        "pkcs8 -topk8 -in tsa.key -v2 rc2-40-cbc -out v2-rc2-40.pem",
        "RC2-40-CBC",
    ),
    ("pkcs8 -topk8 -in tsa.key -v2 rc4 -out v2-rc4.pem", "RC4"),
    (
        "pkcs8 -topk8 -in tsa.key -v2 bf-cbc -out v2-bf.pem",
        "BF-CBC",
    ),
    (
        "pkcs8 -topk8 -in tsa.key -v2 cast5-cbc -out v2-cast5.pem",
        "CAST5-CBC",
    ),
    (
        "rsa -in tsa.key -traditional -des -out legacy-des.pem",
        "DES-CBC",
    ),
    (
        "rsa -in tsa.key -traditional -rc2-64-cbc -out legacy-rc2-64.pem",
        "RC2-64-CBC",
    ),
    (
        "rsa -in tsa.key -traditional -des-cfb8 -out legacy-des-cfb8.pem",
        "DES-CFB8",
    ),
    (
        "rsa -in tsa.key -traditional -bf -out legacy-bf.pem",
        "BF-CBC",
    ),
    (
        "rsa -in tsa.key -traditional -bf-ofb -out legacy-bf-ofb.pem",
        "BF-OFB",
    ),
    (
        "rsa -in tsa.key -traditional -cast5-cfb -out legacy-cast5-cfb.pem",
        "CAST5-CFB",
    ),
    (
        "rsa -in tsa.key -traditional -desx -out legacy-desx.pem",
        "DESX-CBC",
    ),
    (
        "rsa -in tsa.key -traditional -cast -out legacy-cast.pem",
        "CAST5-CBC",
    ),
];

/// An `openssl_conf` section that activates the legacy and default providers.
const LEGACY_PROVIDER_CONF: &str = "[init]\nproviders = provider_sect\n\
    [provider_sect]\nlegacy = legacy_sect\ndefault = default_sect\n\
    [legacy_sect]\nactivate = 1\n[default_sect]\nactivate = 1\n";

/// Builds the test PKI of [`reply_fixture`] with tsa.key in every format of
/// [`LEGACY_REPLY_KEYS`], and `legacy.cnf`, tsa.cnf with an `openssl_conf`
/// that activates the legacy provider.
fn legacy_reply_fixture() -> Pki {
    let pki = reply_fixture();
    let pass = pass_arg();
    for (command, _) in LEGACY_REPLY_KEYS {
        let words: Vec<&str> = command.split_ascii_whitespace().collect();
        let (subcommand, rest) = words.split_first().unwrap();
        let mut args = vec![*subcommand];
        args.extend_from_slice(&WITH_LEGACY);
        args.extend_from_slice(rest);
        args.extend_from_slice(&["-passout", &pass]);
        common::openssl_ok(pki.path(), &args);
    }
    let original = std::fs::read_to_string(pki.join("tsa.cnf")).unwrap();
    let with_providers = format!("openssl_conf = init\n{original}\n{LEGACY_PROVIDER_CONF}");
    std::fs::write(pki.join("legacy.cnf"), with_providers).unwrap();
    pki
}

/// Returns the file that a command of [`LEGACY_REPLY_KEYS`] writes.
fn written_file(command: &str) -> &str {
    command.split_ascii_whitespace().last().unwrap()
}

#[test]
fn reply_signs_with_legacy_keys_given_provider() {
    let pki = legacy_reply_fixture();
    let pass = pass_arg();
    for (command, _) in LEGACY_REPLY_KEYS {
        let file = written_file(command);
        let setup = [
            "-provider",
            "legacy",
            "-provider",
            "default",
            "-config",
            "tsa.cnf",
        ];
        assert_both_sign(pki.path(), &setup, file, &pass);
    }
}

/// Replies with `file` as the signer key after the `setup` options, and
/// checks that both tools sign and write the same bytes.
fn assert_both_sign(dir: &std::path::Path, setup: &[&str], file: &str, pass: &str) {
    let mut args = vec!["-reply"];
    args.extend_from_slice(setup);
    args.extend_from_slice(&[
        "-queryfile",
        "req.tsq",
        "-inkey",
        file,
        "-passin",
        pass,
        "-out",
        "resp.tsr",
    ]);
    let (openssl, _) = assert_same(dir, &args, true);
    assert!(
        openssl.status.success(),
        "{file}: {}",
        String::from_utf8_lossy(&openssl.stderr)
    );
}

#[test]
fn reply_signs_with_legacy_keys_from_openssl_conf() {
    let pki = legacy_reply_fixture();
    let pass = pass_arg();
    for file in [
        "pbe-sha1-des.pem",
        "p12-rc2-40.pem",
        "legacy-des.pem",
        "v2-bf.pem",
        "legacy-desx.pem",
    ] {
        assert_both_sign(pki.path(), &["-config", "legacy.cnf"], file, &pass);
    }
}

/// Without the legacy provider both tools fail with the same status and
/// write no response, and tsrs names the scheme and both ways out.
#[test]
fn reply_rejects_legacy_keys_without_provider() {
    let pki = legacy_reply_fixture();
    let pass = pass_arg();
    for (command, algorithm) in LEGACY_REPLY_KEYS {
        let file = written_file(command);
        let args = [
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "req.tsq",
            "-inkey",
            file,
            "-passin",
            &pass,
            "-out",
            "resp.tsr",
        ];
        let (openssl, tsrs) = assert_same(pki.path(), &args, true);
        let tsrs_stderr = String::from_utf8_lossy(&tsrs.stderr);
        assert_eq!(openssl.status.code(), Some(1), "{file}");
        assert!(
            tsrs_stderr.contains("cannot load private key"),
            "{file}: {tsrs_stderr}"
        );
        assert!(tsrs_stderr.contains(algorithm), "{file}: {tsrs_stderr}");
        assert!(
            tsrs_stderr.contains("-provider legacy"),
            "{file}: {tsrs_stderr}"
        );
        assert!(
            tsrs_stderr.contains("openssl pkcs8 -topk8"),
            "{file}: {tsrs_stderr}"
        );
        assert!(
            tsrs_stderr.contains("-v2 aes-256-cbc"),
            "{file}: {tsrs_stderr}"
        );
    }
}
