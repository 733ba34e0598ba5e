//! Private keys in every form `PrivateKey::from_bytes` reads: PEM or DER
//! PKCS#8 (plain and PBES2-encrypted), PKCS#1, SEC1 and legacy PEM
//! encryption. Each input is read without a passphrase and with the
//! passphrase of the seed corpus, `fuzz`. A loaded key re-encodes as PKCS#8
//! that loads as the same key.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tsrs::keys::{PrivateKey, Signer};

/// The passphrase the seed corpus encrypts its keys with.
const PASSPHRASE: &[u8] = b"fuzz";

fuzz_target!(|data: &[u8]| {
    if let Ok(key) = PrivateKey::from_bytes(data, None) {
        check_key(&key);
    }
    if let Ok(key) = PrivateKey::from_bytes(data, Some(PASSPHRASE)) {
        check_key(&key);
    }
});

fn check_key(key: &PrivateKey) {
    let der = key.to_pkcs8_der().expect("a loaded key encodes as PKCS#8");
    let again = PrivateKey::from_bytes(&der, None).expect("the PKCS#8 encoding loads");
    assert_eq!(again.kind(), key.kind());
    assert_eq!(
        *again.to_pkcs8_der().expect("encodes twice"),
        *der,
        "PKCS#8 encoding is not a fixed point"
    );

    let pem = key.to_pkcs8_pem().expect("a loaded key encodes as PEM");
    let from_pem = PrivateKey::from_bytes(pem.as_bytes(), None).expect("the PEM encoding loads");
    assert_eq!(from_pem.kind(), key.kind());

    let spki = key
        .public_key_info()
        .expect("a loaded key has a public key");
    assert_eq!(
        spki,
        again
            .public_key_info()
            .expect("the reloaded key has a public key")
    );
}
