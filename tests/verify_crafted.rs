//! Verification of tokens changed after signing, through the library: each
//! change must fail with its own reason, and OpenSSL must agree.

mod common;

use std::fs;

use common::{Pki, Tool, ts};
use tsrs::asn1::SetOf;
use tsrs::asn1::cms::TimeStampToken;
use tsrs::error::Reason;
use tsrs::verify::{self, VerifyContext, flags};
use tsrs::x509::TrustStore;

/// A token signed by `openssl ts -reply` for `data.txt`, and a context that
/// checks it against the data and the test root.
fn token_and_context(pki: &Pki) -> (TimeStampToken, VerifyContext) {
    let d = pki.path();
    let out = ts(
        Tool::Openssl,
        d,
        &[
            "-query", "-config", "tsa.cnf", "-data", "data.txt", "-cert", "-out", "q.tsq",
        ],
        false,
        None,
    );
    assert!(out.status.success());
    let out = ts(
        Tool::Openssl,
        d,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "q.tsq",
            "-token_out",
            "-out",
            "t.tok",
        ],
        false,
        None,
    );
    assert!(out.status.success());
    let token = TimeStampToken::from_ber(&fs::read(d.join("t.tok")).unwrap()).unwrap();
    let mut store = TrustStore::new();
    store.load_file(&d.join("ca.pem")).unwrap();
    let ctx = VerifyContext {
        flags: flags::SIGNATURE | flags::VERSION | flags::DATA,
        store,
        data: Some(verify::Data::File(d.join("data.txt"))),
        ..VerifyContext::default()
    };
    (token, ctx)
}

/// Re-encodes `token` and checks that `openssl ts -verify` rejects it too.
fn openssl_rejects(pki: &Pki, token: &TimeStampToken) {
    let d = pki.path();
    fs::write(d.join("changed.tok"), token.to_der().unwrap()).unwrap();
    let out = ts(
        Tool::Openssl,
        d,
        &[
            "-verify",
            "-config",
            "tsa.cnf",
            "-token_in",
            "-in",
            "changed.tok",
            "-data",
            "data.txt",
            "-CAfile",
            "ca.pem",
        ],
        false,
        None,
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Verification: FAILED\n"
    );
}

#[test]
fn untouched_token_verifies() {
    let pki = Pki::new();
    let (token, ctx) = token_and_context(&pki);
    verify::verify_token(&ctx, &token).unwrap();
}

#[test]
fn digest_missing_from_digest_algorithms_fails() {
    let pki = Pki::new();
    let (mut token, ctx) = token_and_context(&pki);
    token.signed_data.digest_algorithms = SetOf(Vec::new());
    let err = verify::verify_token(&ctx, &token).unwrap_err();
    assert_eq!(err.reason(), Reason::SignatureFailure);
    assert!(
        err.records()
            .iter()
            .any(|r| r.reason == "unable to find message digest"),
        "{err:?}"
    );
    openssl_rejects(&pki, &token);
}

#[test]
fn changed_tst_info_fails_digest_check() {
    let pki = Pki::new();
    let (mut token, ctx) = token_and_context(&pki);
    let last = token.tst_info_der.len() - 1;
    token.tst_info_der[last] ^= 1;
    let err = verify::verify_token(&ctx, &token).unwrap_err();
    assert_eq!(err.reason(), Reason::SignatureFailure);
    assert!(
        err.records().iter().any(|r| r.reason == "digest failure"),
        "{err:?}"
    );
}

#[test]
fn two_signers_fail() {
    let pki = Pki::new();
    let (mut token, ctx) = token_and_context(&pki);
    let signer = token.signed_data.signer_infos.0[0].clone();
    token.signed_data.signer_infos.0.push(signer);
    let err = verify::verify_token(&ctx, &token).unwrap_err();
    assert_eq!(err.reason(), Reason::SignerCount);
    openssl_rejects(&pki, &token);
}

#[test]
fn missing_certificates_fail_to_find_signer() {
    let pki = Pki::new();
    let (mut token, ctx) = token_and_context(&pki);
    token.signed_data.certificates = None;
    let err = verify::verify_token(&ctx, &token).unwrap_err();
    assert_eq!(err.reason(), Reason::SignerNotFound);
    openssl_rejects(&pki, &token);
}
