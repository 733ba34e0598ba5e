//! Tokens made by hand for the verification tests: a TSTInfo written with
//! `openssl asn1parse -genconf`, signed with `openssl cms -sign` (which signs
//! with any key and any certificate, unlike `openssl ts -reply`), then
//! optionally given other signed attributes and signed again in Rust. Each
//! token is verified by `openssl ts -verify` and `tsrs ts -verify` with the
//! same arguments.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use der::Encode;
use der::asn1::{Any, OctetString};
use tsrs::asn1::SetOf;
use tsrs::asn1::cms::{Attribute, TimeStampToken};
use tsrs::digest::DigestAlgorithm;
use tsrs::keys::{PrivateKey, Signer};

use crate::common::{Tool, normalize_stderr, ts};
use crate::x509_pki::{Issued, Pki};

/// The data every token stamps.
pub const DATA: &str = "hand-made time-stamp data\n";

/// Writes `data.txt` and a DER TSTInfo (`tst.der`) for its SHA-256, with
/// policy 1.2.3.4.1, serial 42 and genTime 2024-01-02 03:04:05 UTC.
pub fn write_tst_info(pki: &Pki) -> PathBuf {
    fs::write(pki.path("data.txt"), DATA).unwrap();
    let digest = DigestAlgorithm::Sha256.digest(DATA.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    let config = format!(
        "asn1 = SEQUENCE:tst\n\
         [tst]\nversion = INT:1\npolicy = OID:1.2.3.4.1\nimprint = SEQUENCE:imprint\n\
         serial = INT:42\ngen_time = GENTIME:20240102030405Z\n\
         [imprint]\nalgorithm = SEQUENCE:sha256\nhash = FORMAT:HEX,OCTETSTRING:{hex}\n\
         [sha256]\noid = OID:sha256\nparameters = NULL\n"
    );
    fs::write(pki.path("tst.cnf"), config).unwrap();
    let out = pki.path("tst.der");
    pki.run(&[
        "asn1parse",
        "-genconf",
        pki.path("tst.cnf").to_str().unwrap(),
        "-noout",
        "-out",
        out.to_str().unwrap(),
    ]);
    out
}

/// Signs `tst.der` as a time-stamp token with `openssl cms -sign -cades`,
/// which adds a signingCertificateV2 attribute naming the signer. `extra`
/// holds further `openssl cms` arguments (`-md`, `-keyopt`, `-keyid`,
/// `-certfile`).
pub fn cms_sign(pki: &Pki, name: &str, signer: &Issued, extra: &[&str]) -> PathBuf {
    let out = pki.path(name);
    let mut args = vec![
        "cms",
        "-sign",
        "-binary",
        "-nodetach",
        "-cades",
        "-econtent_type",
        "id-smime-ct-TSTInfo",
        "-outform",
        "DER",
        "-in",
        "tst.der",
        "-signer",
        signer.cert.to_str().unwrap(),
        "-inkey",
        signer.key.to_str().unwrap(),
        "-out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    pki.run(&args);
    out
}

/// Rewrites the signed attributes of the token `from` with `edit`, signs them
/// again with `signer`'s key and the token's digest, and writes the token to
/// `to`.
pub fn resign(
    pki: &Pki,
    from: &Path,
    to: &str,
    signer: &Issued,
    edit: impl FnOnce(&mut Vec<Attribute>),
) -> PathBuf {
    let mut token = TimeStampToken::from_ber(&fs::read(from).unwrap()).unwrap();
    let signer_info = &mut token.signed_data.signer_infos.0[0];
    let mut attributes = signer_info.signed_attrs.take().unwrap().0;
    edit(&mut attributes);
    let attributes = SetOf::sorted(attributes).unwrap();
    let digest =
        DigestAlgorithm::from_oid(&signer_info.digest_algorithm.known_oid().unwrap()).unwrap();
    let key = PrivateKey::load(&signer.key, None).unwrap();
    let signature = key.sign(digest, &attributes.to_der().unwrap()).unwrap();
    signer_info.signature = OctetString::new(signature).unwrap();
    signer_info.signed_attrs = Some(attributes);
    let path = pki.path(to);
    fs::write(&path, token.to_der().unwrap()).unwrap();
    path
}

/// Replaces every attribute of type `oid` by one with `value`, or removes
/// them when `value` is `None`.
pub fn set_attribute(
    attributes: &mut Vec<Attribute>,
    oid: der::asn1::ObjectIdentifier,
    value: Option<Any>,
) {
    attributes.retain(|attribute| attribute.attr_type != oid);
    if let Some(value) = value {
        attributes.push(Attribute::single(oid, value));
    }
}

/// What one `ts -verify` run printed.
#[derive(Debug)]
pub struct Outcome {
    pub ok: bool,
    /// stderr with OpenSSL's queue prefixes normalized (see `normalize_stderr`).
    pub stderr: String,
}

fn outcome(output: &Output) -> Outcome {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let ok = output.status.success();
    assert_eq!(
        stdout,
        if ok {
            "Verification: OK\n"
        } else {
            "Verification: FAILED\n"
        }
    );
    Outcome {
        ok,
        stderr: normalize_stderr(&output.stderr, false),
    }
}

/// Runs `TOOL ts -verify -token_in -in TOKEN -data data.txt ARGS` in the PKI's folder.
pub fn verify_with(tool: Tool, pki: &Pki, token: &Path, args: &[&str]) -> Outcome {
    let mut all = vec![
        "-verify",
        "-token_in",
        "-in",
        token.to_str().unwrap(),
        "-data",
        "data.txt",
    ];
    all.extend_from_slice(args);
    outcome(&ts(tool, &pki.dir, &all, false, None))
}

/// Verifies `token` with both tools and asserts the same verdict and the
/// same normalized stderr. Returns OpenSSL's outcome.
pub fn verify_both(pki: &Pki, token: &Path, args: &[&str]) -> Outcome {
    let openssl = verify_with(Tool::Openssl, pki, token, args);
    let tsrs = verify_with(Tool::Tsrs, pki, token, args);
    assert_eq!(
        tsrs.ok,
        openssl.ok,
        "verdicts differ for {} {args:?}\n--- openssl:\n{}\n--- tsrs:\n{}",
        token.display(),
        openssl.stderr,
        tsrs.stderr
    );
    assert_eq!(
        tsrs.stderr,
        openssl.stderr,
        "stderr differs for {} {args:?}",
        token.display()
    );
    openssl
}

/// Asserts that `outcome` failed with an error whose normalized line contains `reason`.
pub fn assert_fails_with(outcome: &Outcome, reason: &str) {
    assert!(!outcome.ok, "verification passed, expected {reason}");
    assert!(
        outcome.stderr.contains(reason),
        "expected {reason:?} in:\n{}",
        outcome.stderr
    );
}

/// `openssl cms -verify` of a DER token against `ca_file`, with any purpose:
/// OpenSSL's CMS code checks RSA-PSS and Ed25519 signatures that `ts` cannot.
pub fn cms_verifies(pki: &Pki, token: &Path, ca_file: &Path, untrusted: Option<&Path>) -> bool {
    let mut args = vec![
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        token.to_str().unwrap(),
        "-CAfile",
        ca_file.to_str().unwrap(),
        "-purpose",
        "any",
        "-out",
        "/dev/null",
    ];
    if let Some(untrusted) = untrusted {
        args.extend(["-certfile", untrusted.to_str().unwrap()]);
    }
    let output = std::process::Command::new("openssl")
        .args(&args)
        .current_dir(&pki.dir)
        .output()
        .unwrap();
    output.status.success()
}
