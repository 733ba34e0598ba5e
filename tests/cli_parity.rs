//! `tsrs ts` against `openssl ts`: the same arguments in two copies of the
//! same folder, under the same frozen clock, must give the same exit status,
//! stdout and files, byte for byte.

mod common;

use std::fs;

use common::{Pki, Tool, assert_same, assert_same_with_stdin, require, ts};

/// A PKI folder with requests made by `openssl ts -query`:
/// `full.tsq` (sha512, policy tsa_policy2, nonce, certReq),
/// `plain.tsq` (sha256, nonce, no certReq), `sha1.tsq` (sha1, no nonce, certReq).
fn fixture() -> Pki {
    require("faketime");
    let pki = Pki::new();
    let d = pki.path();
    for (name, extra) in [
        (
            "full.tsq",
            &["-sha512", "-tspolicy", "tsa_policy2", "-cert"][..],
        ),
        ("plain.tsq", &[][..]),
        ("cert256.tsq", &["-cert"][..]),
        ("sha1.tsq", &["-sha1", "-no_nonce", "-cert"][..]),
        ("md5.tsq", &["-md5", "-cert"][..]),
        ("policy3.tsq", &["-tspolicy", "1.2.3.4.5.7", "-cert"][..]),
        ("badpolicy.tsq", &["-tspolicy", "1.2.3.9", "-cert"][..]),
    ] {
        let mut args = vec![
            "-query", "-config", "tsa.cnf", "-data", "data.txt", "-out", name,
        ];
        args.extend_from_slice(extra);
        let out = ts(Tool::Openssl, d, &args, false, None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    pki
}

#[test]
fn query_matches_for_every_digest() {
    let pki = fixture();
    for digest in [
        "-md5",
        "-sha1",
        "-sha224",
        "-sha256",
        "-sha384",
        "-sha512",
        "-sha512-224",
        "-sha512-256",
        "-sha3-224",
        "-sha3-256",
        "-sha3-384",
        "-sha3-512",
    ] {
        assert_same(
            pki.path(),
            &[
                "-query",
                "-config",
                "tsa.cnf",
                "-data",
                "data.txt",
                digest,
                "-no_nonce",
                "-out",
                "q.tsq",
            ],
            false,
        );
        assert_same(
            pki.path(),
            &[
                "-query",
                "-config",
                "tsa.cnf",
                "-data",
                "data.txt",
                digest,
                "-no_nonce",
                "-cert",
                "-text",
            ],
            false,
        );
    }
}

#[test]
fn query_options_match() {
    let pki = fixture();
    let cases: &[&[&str]] = &[
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-data",
            "data.txt",
            "-no_nonce",
            "-tspolicy",
            "tsa_policy2",
            "-text",
        ],
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-data",
            "data.txt",
            "-no_nonce",
            "-tspolicy",
            "1.2.3.4.5.6.7",
            "-cert",
            "-out",
            "x.tsq",
        ],
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-digest",
            "8c26167519a24f740e92ef06f940c8a2281bf824b96ad80032a78110c5d0772b",
            "-no_nonce",
            "-text",
        ],
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-sha1",
            "-digest",
            "fb:13:fd:b5:4c:11:5e:51:ee:e6:98:02:ad:0f:bc:82:fb:21:4c:f6",
            "-no_nonce",
            "-out",
            "d.tsq",
        ],
        &["-query", "-config", "tsa.cnf", "-in", "full.tsq", "-text"],
        &[
            "-query", "-config", "tsa.cnf", "-in", "full.tsq", "-out", "copy.tsq",
        ],
        &[
            "-query", "-config", "tsa.cnf", "-in", "sha1.tsq", "-text", "-cert", "-sha512",
        ],
        &["-query", "-config", "/dev/null", "-in", "full.tsq", "-text"],
    ];
    for args in cases {
        assert_same(pki.path(), args, false);
    }
}

#[test]
fn query_reads_standard_input() {
    let pki = fixture();
    assert_same_with_stdin(
        pki.path(),
        &["-query", "-config", "tsa.cnf", "-no_nonce", "-text"],
        false,
        Some(b"from stdin\n"),
    );
    let request = fs::read(pki.join("full.tsq")).unwrap();
    assert_same_with_stdin(
        pki.path(),
        &["-query", "-config", "tsa.cnf", "-in", "-", "-text"],
        false,
        Some(&request),
    );
}

#[test]
fn query_errors_match() {
    let pki = fixture();
    fs::write(pki.join("garbage.tsq"), b"\x30\x82\x01garbage").unwrap();
    let cases: &[&[&str]] = &[
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-digest",
            "abcd",
            "-no_nonce",
        ],
        &["-query", "-config", "tsa.cnf", "-digest", "zz", "-no_nonce"],
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-data",
            "data.txt",
            "-tspolicy",
            "not_an_oid",
        ],
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-data",
            "missing.txt",
            "-out",
            "q.tsq",
        ],
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-in",
            "garbage.tsq",
            "-out",
            "q.tsq",
        ],
        &["-query", "-config", "tsa.cnf", "-in", "data.txt", "-text"],
        &[
            "-query", "-config", "tsa.cnf", "-data", "data.txt", "-digest", "00",
        ],
        &[
            "-query",
            "-config",
            "tsa.cnf",
            "-data",
            "data.txt",
            "-nosuchdigest",
        ],
        &["-query", "-config", "missing.cnf", "-data", "data.txt"],
        &["-query", "-reply"],
        &["-query", "-data"],
        &["-query", "-text=yes"],
        &["-query", "-data", "data.txt", "leftover"],
        &[
            "-query", "-config", "tsa.cnf", "-data", "data.txt", "-attime", "5",
        ],
        &[],
    ];
    for args in cases {
        assert_same(pki.path(), args, false);
    }
}

#[test]
fn reply_matches_byte_for_byte() {
    let pki = fixture();
    let cases: &[&[&str]] = &[
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "plain.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "sha1.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "policy3.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-text",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-token_out",
            "-out",
            "t.tok",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-token_out",
            "-text",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            "tsa_min",
            "-queryfile",
            "plain.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            "tsa_min",
            "-queryfile",
            "full.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            "tsa_v1",
            "-queryfile",
            "sha1.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            "tsa_v1",
            "-queryfile",
            "md5.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            "tsa_v2_384",
            "-queryfile",
            "plain.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            "tsa_san",
            "-queryfile",
            "full.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-sha384",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-tspolicy",
            "1.2.3.4.5.6",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-chain",
            "tsa.pem",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            "tsa_min",
            "-queryfile",
            "full.tsq",
            "-signer",
            "tsa-san.pem",
            "-out",
            "r.tsr",
        ],
    ];
    for args in cases {
        assert_same(pki.path(), args, true);
    }
}

#[test]
fn reply_serial_file_matches() {
    let pki = fixture();
    for content in ["01\n", "FF\n", "7FFFFFFFFFFFFFFFFFFF\n", "00\n"] {
        fs::write(pki.join("serial"), content).unwrap();
        assert_same(
            pki.path(),
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-queryfile",
                "full.tsq",
                "-out",
                "r.tsr",
            ],
            true,
        );
    }
}

#[test]
fn reply_rejections_match() {
    let pki = fixture();
    let cases: &[&[&str]] = &[
        // sha1 is not among tsa_min's digests
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            "tsa_min",
            "-queryfile",
            "sha1.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            "tsa_min",
            "-queryfile",
            "sha1.tsq",
            "-text",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "badpolicy.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "data.txt",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "data.txt",
            "-text",
        ],
    ];
    for args in cases {
        assert_same(pki.path(), args, true);
    }
}

#[test]
fn reply_conversions_match() {
    let pki = fixture();
    let d = pki.path();
    let out = ts(
        Tool::Openssl,
        d,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-out",
            "r.tsr",
        ],
        true,
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
            "-in",
            "r.tsr",
            "-token_out",
            "-out",
            "r.tok",
        ],
        false,
        None,
    );
    assert!(out.status.success());
    let cases: &[&[&str]] = &[
        &["-reply", "-config", "tsa.cnf", "-in", "r.tsr", "-text"],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-in",
            "r.tsr",
            "-token_out",
            "-out",
            "t.tok",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-in",
            "r.tsr",
            "-token_out",
            "-text",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-in",
            "r.tok",
            "-token_in",
            "-out",
            "back.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-in",
            "r.tok",
            "-token_in",
            "-text",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-in",
            "r.tok",
            "-token_in",
            "-token_out",
            "-out",
            "t2.tok",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-in",
            "r.tok",
            "-token_in",
            "-token_out",
            "-text",
        ],
        &["-reply", "-config", "/dev/null", "-in", "r.tsr", "-text"],
    ];
    for args in cases {
        assert_same(d, args, false);
    }
    // The round trip token -> response gives back the original bytes.
    let out = ts(
        Tool::Tsrs,
        d,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-in",
            "r.tok",
            "-token_in",
            "-out",
            "back.tsr",
        ],
        false,
        None,
    );
    assert!(out.status.success());
    assert_eq!(
        fs::read(d.join("back.tsr")).unwrap(),
        fs::read(d.join("r.tsr")).unwrap()
    );
}

#[test]
fn reply_config_errors_match_exit_status() {
    let pki = fixture();
    let cases: &[&[&str]] = &[
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            "nosuch",
            "-queryfile",
            "full.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "missing.tsq",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-signer",
            "nontsa.pem",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-signer",
            "missing.pem",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-inkey",
            "missing.key",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-chain",
            "missing.pem",
            "-out",
            "r.tsr",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-in",
            "full.tsq",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-token_in",
            "-queryfile",
            "full.tsq",
        ],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-in",
            "missing.tsr",
            "-text",
        ],
        &["-reply", "-config", "tsa.cnf", "-in", "full.tsq", "-text"],
    ];
    for args in cases {
        assert_same(pki.path(), args, true);
    }
}

#[test]
fn reply_with_mismatched_key_is_rejected_like_openssl() {
    let pki = fixture();
    // OpenSSL answers with a rejection ("Error during signature generation.") and exits 0.
    assert_same(
        pki.path(),
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "full.tsq",
            "-inkey",
            "tsa-ec.key",
            "-out",
            "r.tsr",
        ],
        true,
    );
}

#[test]
fn ecdsa_replies_print_the_same() {
    let pki = fixture();
    // ECDSA signatures differ per run: compare the text, then cross-verify.
    for section in ["tsa_ec", "tsa_p384"] {
        assert_same(
            pki.path(),
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-section",
                section,
                "-queryfile",
                "full.tsq",
                "-token_out",
                "-text",
            ],
            true,
        );
    }
}

fn make_response(tool: Tool, pki: &Pki, section: &str, query: &str, out: &str) {
    let result = ts(
        tool,
        pki.path(),
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-section",
            section,
            "-queryfile",
            query,
            "-out",
            out,
        ],
        false,
        None,
    );
    assert!(
        result.status.success(),
        "{tool:?} reply failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
}

#[test]
fn each_verifies_the_others_responses() {
    let pki = fixture();
    let d = pki.path();
    for section in [
        "tsa_full",
        "tsa_min",
        "tsa_v1",
        "tsa_v2_384",
        "tsa_ec",
        "tsa_p384",
        "tsa_san",
    ] {
        for (maker, checker) in [
            (Tool::Openssl, Tool::Tsrs),
            (Tool::Tsrs, Tool::Openssl),
            (Tool::Tsrs, Tool::Tsrs),
        ] {
            let response = format!("{section}-{maker:?}.tsr");
            make_response(maker, &pki, section, "cert256.tsq", &response);
            for args in [
                vec![
                    "-verify",
                    "-config",
                    "tsa.cnf",
                    "-queryfile",
                    "cert256.tsq",
                    "-in",
                    &response,
                    "-CAfile",
                    "ca.pem",
                ],
                vec![
                    "-verify", "-config", "tsa.cnf", "-data", "data.txt", "-in", &response,
                    "-CAfile", "ca.pem",
                ],
            ] {
                let out = ts(checker, d, &args, false, None);
                assert_eq!(
                    String::from_utf8_lossy(&out.stdout),
                    "Verification: OK\n",
                    "{checker:?} rejected {maker:?}'s {section} response: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                assert!(out.status.success());
            }
        }
    }
}

#[test]
fn verify_outcomes_match() {
    let pki = fixture();
    let d = pki.path();
    make_response(Tool::Openssl, &pki, "tsa_full", "full.tsq", "full.tsr");
    make_response(Tool::Openssl, &pki, "tsa_min", "plain.tsq", "plain.tsr");
    let out = ts(
        Tool::Openssl,
        d,
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-in",
            "full.tsr",
            "-token_out",
            "-out",
            "full.tok",
        ],
        false,
        None,
    );
    assert!(out.status.success());
    fs::write(d.join("other.txt"), b"other data\n").unwrap();
    let digest = common_digest(&pki);
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "-verify",
            "-queryfile",
            "full.tsq",
            "-in",
            "full.tsr",
            "-CAfile",
            "ca.pem",
        ],
        vec![
            "-verify", "-data", "data.txt", "-in", "full.tsr", "-CAfile", "ca.pem",
        ],
        vec![
            "-verify",
            "-digest",
            &digest,
            "-in",
            "plain.tsr",
            "-CAfile",
            "ca.pem",
        ],
        vec![
            "-verify",
            "-queryfile",
            "full.tsq",
            "-in",
            "full.tok",
            "-token_in",
            "-CAfile",
            "ca.pem",
        ],
        vec![
            "-verify",
            "-data",
            "other.txt",
            "-in",
            "full.tsr",
            "-CAfile",
            "ca.pem",
        ],
        vec![
            "-verify",
            "-queryfile",
            "plain.tsq",
            "-in",
            "full.tsr",
            "-CAfile",
            "ca.pem",
        ],
        vec![
            "-verify",
            "-queryfile",
            "full.tsq",
            "-in",
            "plain.tsr",
            "-CAfile",
            "ca.pem",
        ],
        vec![
            "-verify",
            "-data",
            "data.txt",
            "-in",
            "full.tsr",
            "-CAfile",
            "other-ca.pem",
        ],
        vec!["-verify", "-data", "data.txt", "-in", "full.tsr"],
        vec![
            "-verify",
            "-data",
            "data.txt",
            "-in",
            "plain.tsr",
            "-CAfile",
            "ca.pem",
        ],
        vec![
            "-verify",
            "-data",
            "data.txt",
            "-in",
            "plain.tsr",
            "-CAfile",
            "ca.pem",
            "-untrusted",
            "tsa.pem",
        ],
        vec![
            "-verify",
            "-data",
            "data.txt",
            "-in",
            "full.tsr",
            "-CAfile",
            "ca.pem",
            "-attime",
            "4102444800",
        ],
        vec![
            "-verify", "-data", "data.txt", "-in", "full.tok", "-CAfile", "ca.pem",
        ],
        vec![
            "-verify",
            "-data",
            "data.txt",
            "-in",
            "missing.tsr",
            "-CAfile",
            "ca.pem",
        ],
        vec![
            "-verify",
            "-data",
            "missing.txt",
            "-in",
            "full.tsr",
            "-CAfile",
            "ca.pem",
        ],
        vec![
            "-verify",
            "-data",
            "data.txt",
            "-in",
            "full.tsr",
            "-CAfile",
            "missing.pem",
        ],
        vec![
            "-verify",
            "-digest",
            "zz",
            "-in",
            "plain.tsr",
            "-CAfile",
            "ca.pem",
        ],
        vec![
            "-verify",
            "-data",
            "data.txt",
            "-queryfile",
            "full.tsq",
            "-in",
            "full.tsr",
        ],
        vec!["-verify", "-data", "data.txt"],
    ];
    for args in &cases {
        let mut full = args.clone();
        full.extend_from_slice(&["-config", "tsa.cnf"]);
        assert_same(d, &full, false);
    }
}

fn common_digest(pki: &Pki) -> String {
    use std::process::Command;
    let out = Command::new("openssl")
        .args(["dgst", "-sha256", "-r"])
        .arg(pki.join("data.txt"))
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned()
}
