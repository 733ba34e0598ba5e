//! OBJECT IDENTIFIERs that OpenSSL 3.0 decodes but `const_oid` rejects, in
//! each OID field of a time-stamp response: `tsrs ts -reply -text` and `tsrs
//! ts -verify` must exit and print as `openssl ts` does.
//!
//! OpenSSL rejects only empty content, a last octet with its high bit set and
//! a subidentifier that starts with 0x80. Setting the high bit of an OID's
//! first content octet merges its first two subidentifiers into one that
//! takes several octets, such as `2.688888` in place of `1.2.840`, which
//! `const_oid` rejects.

mod common;

use std::fs;
use std::path::Path;

use der::Encode;
use der::asn1::{Any, OctetString};
use tsrs::asn1::ber::{der_children, der_element};
use tsrs::asn1::cms::TimeStampToken;
use tsrs::asn1::tsp::TimeStampResp;
use tsrs::asn1::{self, Oid};

use common::{Pki, Tool, require, ts};

/// One step from an element to the one the flip changes.
#[derive(Clone, Copy)]
enum Step {
    /// The n-th element inside a constructed element.
    Child(usize),
    /// The DER element that fills a primitive element's content, such as
    /// the TSTInfo inside the eContent OCTET STRING.
    Inside,
}

use Step::{Child, Inside};

/// What `openssl ts -verify` does with the changed token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Both tools give the same exit status and output.
    Same,
    /// OpenSSL ignores the signatureAlgorithm and verifies, but tsrs rejects
    /// a signature algorithm it does not know.
    OpensslOnly,
}

/// An XOR of `mask` into the first content octet of the OID at `path`.
struct Flip {
    what: &'static str,
    /// From the token's ContentInfo.
    path: &'static [Step],
    mask: u8,
    verdict: Verdict,
    /// Text that tsrs's stderr for `-reply -text` must contain.
    reply_error: Option<&'static str>,
}

/// Paths start at the token's ContentInfo. The TSTInfo is at ContentInfo
/// `[0]`, SignedData, encapContentInfo, eContent `[0]`, the OCTET STRING,
/// then inside its content. SignedData fields are 0 version,
/// 1 digestAlgorithms, 2 encapContentInfo, 3 certificates, 4 signerInfos.
/// SignerInfo fields are 0 version, 1 sid, 2 digestAlgorithm, 3 signedAttrs,
/// 4 signatureAlgorithm, 5 signature.
const FLIPS: &[Flip] = &[
    Flip {
        what: "TSTInfo messageImprint hashAlgorithm, high bit set",
        path: &[
            Child(1),
            Child(0),
            Child(2),
            Child(1),
            Child(0),
            Inside,
            Child(2),
            Child(0),
            Child(0),
        ],
        mask: 0x80,
        verdict: Verdict::Same,
        reply_error: None,
    },
    Flip {
        what: "TSTInfo messageImprint hashAlgorithm, 60 86 48 as 9f 86 48",
        path: &[
            Child(1),
            Child(0),
            Child(2),
            Child(1),
            Child(0),
            Inside,
            Child(2),
            Child(0),
            Child(0),
        ],
        mask: 0xff,
        verdict: Verdict::Same,
        reply_error: None,
    },
    Flip {
        what: "SignedData digestAlgorithms",
        path: &[Child(1), Child(0), Child(1), Child(0), Child(0)],
        mask: 0x80,
        verdict: Verdict::Same,
        reply_error: None,
    },
    Flip {
        what: "SignerInfo digestAlgorithm",
        path: &[Child(1), Child(0), Child(4), Child(0), Child(2), Child(0)],
        mask: 0x80,
        verdict: Verdict::Same,
        reply_error: None,
    },
    Flip {
        what: "SignerInfo signatureAlgorithm",
        path: &[Child(1), Child(0), Child(4), Child(0), Child(4), Child(0)],
        mask: 0x80,
        verdict: Verdict::OpensslOnly,
        reply_error: None,
    },
    Flip {
        what: "signed attribute 0 type",
        path: &[
            Child(1),
            Child(0),
            Child(4),
            Child(0),
            Child(3),
            Child(0),
            Child(0),
        ],
        mask: 0x80,
        verdict: Verdict::Same,
        reply_error: None,
    },
    Flip {
        what: "signed attribute 1 type",
        path: &[
            Child(1),
            Child(0),
            Child(4),
            Child(0),
            Child(3),
            Child(1),
            Child(0),
        ],
        mask: 0x80,
        verdict: Verdict::Same,
        reply_error: None,
    },
    Flip {
        what: "signed attribute 2 type",
        path: &[
            Child(1),
            Child(0),
            Child(4),
            Child(0),
            Child(3),
            Child(2),
            Child(0),
        ],
        mask: 0x80,
        verdict: Verdict::Same,
        reply_error: None,
    },
    Flip {
        what: "signed attribute 3 type",
        path: &[
            Child(1),
            Child(0),
            Child(4),
            Child(0),
            Child(3),
            Child(3),
            Child(0),
        ],
        mask: 0x80,
        verdict: Verdict::Same,
        reply_error: None,
    },
    Flip {
        what: "ContentInfo contentType",
        path: &[Child(0)],
        mask: 0x80,
        verdict: Verdict::Same,
        reply_error: Some("not signed data"),
    },
    Flip {
        what: "EncapsulatedContentInfo eContentType",
        path: &[Child(1), Child(0), Child(2), Child(0)],
        mask: 0x80,
        verdict: Verdict::Same,
        reply_error: Some("not id-smime-ct-TSTInfo"),
    },
];

/// Returns the offset of the element at the end of `path`, from the element at `start`.
fn locate(der: &[u8], start: usize, path: &[Step]) -> usize {
    let mut offset = start;
    for step in path {
        offset = match step {
            Child(index) => der_children(der, offset).expect("constructed element")[*index],
            Inside => offset + header_len(der, offset),
        };
    }
    offset
}

/// Returns the length of the identifier and length octets of the element at `offset`.
fn header_len(der: &[u8], offset: usize) -> usize {
    let element = der_element(der, offset).expect("an element");
    let first = der[offset + 1];
    let content_len = if first & 0x80 == 0 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        der[offset + 2..offset + 2 + count]
            .iter()
            .fold(0, |len, &byte| (len << 8) | usize::from(byte))
    };
    element.len() - content_len
}

/// Runs `args` with both tools in `dir` and asserts equal exit status and
/// stdout. Returns tsrs's exit status and stderr.
fn assert_parity(dir: &Path, what: &str, args: &[&str]) -> (bool, String) {
    let ours = ts(Tool::Tsrs, dir, args, false, None);
    let theirs = ts(Tool::Openssl, dir, args, false, None);
    let stderr = String::from_utf8_lossy(&ours.stderr).into_owned();
    assert_eq!(
        ours.status.code(),
        theirs.status.code(),
        "{what}: exit status of ts {}\ntsrs: {stderr}\nopenssl: {}",
        args.join(" "),
        String::from_utf8_lossy(&theirs.stderr),
    );
    assert_eq!(
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&theirs.stdout),
        "{what}: output of ts {}",
        args.join(" "),
    );
    (ours.status.success(), stderr)
}

fn reply_args(input: &str, token: bool) -> Vec<&str> {
    let mut args = vec!["-reply", "-in", input, "-text"];
    if token {
        args.push("-token_in");
    }
    args
}

fn verify_args(input: &str, token: bool) -> Vec<&str> {
    let mut args = vec![
        "-verify", "-data", "data.txt", "-in", input, "-CAfile", "ca.pem",
    ];
    if token {
        args.push("-token_in");
    }
    args
}

/// Makes `r.tsr`, a granted response with the signer's certificate, with
/// the system `openssl`, and returns its bytes.
fn make_response(dir: &Path) -> Vec<u8> {
    for args in [
        &[
            "-query", "-config", "tsa.cnf", "-data", "data.txt", "-cert", "-out", "q.tsq",
        ][..],
        &[
            "-reply",
            "-config",
            "tsa.cnf",
            "-queryfile",
            "q.tsq",
            "-out",
            "r.tsr",
        ][..],
    ] {
        let out = ts(Tool::Openssl, dir, args, false, None);
        assert!(
            out.status.success(),
            "openssl ts {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    fs::read(dir.join("r.tsr")).unwrap()
}

/// Returns the token inside a response, as DER.
fn token_of(response: &[u8]) -> Vec<u8> {
    let token = der_children(response, 0).expect("a TimeStampResp")[1];
    der_element(response, token).expect("the token").to_vec()
}

/// Writes `token` as `x.tok` and in a granted response as `x.tsr`.
fn write_both(dir: &Path, response: &[u8], token: &[u8]) {
    let status = der_children(response, 0).expect("a TimeStampResp")[0];
    let status = der_element(response, status).expect("the status");
    let mut content = status.to_vec();
    content.extend_from_slice(token);
    let mut der = vec![0x30];
    let len = content.len();
    if len < 0x80 {
        der.push(len as u8);
    } else {
        let octets: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        der.push(0x80 | octets.len() as u8);
        der.extend_from_slice(&octets);
    }
    der.extend_from_slice(&content);
    fs::write(dir.join("x.tsr"), der).unwrap();
    fs::write(dir.join("x.tok"), token).unwrap();
}

/// Runs `-reply -text` and `-verify` on `x.tsr` and `x.tok` with both tools.
/// Returns whether tsrs printed and verified them.
fn check_both(dir: &Path, what: &str, verdict: Verdict) -> (bool, bool) {
    let mut printed = true;
    let mut verified = true;
    for (input, token) in [("x.tsr", false), ("x.tok", true)] {
        let (ok, _) = assert_parity(dir, what, &reply_args(input, token));
        printed &= ok;
        let args = verify_args(input, token);
        match verdict {
            Verdict::Same => {
                let (ok, _) = assert_parity(dir, what, &args);
                verified &= ok;
            }
            Verdict::OpensslOnly => {
                let theirs = ts(Tool::Openssl, dir, &args, false, None);
                assert!(theirs.status.success(), "{what}: openssl verifies");
                let ours = ts(Tool::Tsrs, dir, &args, false, None);
                let stderr = String::from_utf8_lossy(&ours.stderr);
                assert!(!ours.status.success(), "{what}: tsrs rejects");
                assert!(
                    stderr.contains("unsupported signature algorithm"),
                    "{what}: {stderr}"
                );
                assert_eq!(
                    String::from_utf8_lossy(&ours.stdout),
                    "Verification: FAILED\n",
                    "{what}"
                );
                verified = false;
            }
        }
    }
    (printed, verified)
}

#[test]
fn flipped_first_octets_match_openssl() {
    require("openssl");
    let pki = Pki::new();
    let d = pki.path();
    let response = make_response(d);
    let token = token_of(&response);

    for flip in FLIPS {
        let oid = locate(&token, 0, flip.path);
        assert_eq!(token[oid], 0x06, "{}: the path leads to an OID", flip.what);
        let first = oid + header_len(&token, oid);
        let mut changed = token.clone();
        changed[first] ^= flip.mask;
        assert!(
            Oid::from_content(&changed[first..oid + der_element(&token, oid).unwrap().len()])
                .is_some_and(|oid| oid.to_object_identifier().is_none()),
            "{}: the changed OID is valid for OpenSSL and too large for const_oid",
            flip.what
        );
        write_both(d, &response, &changed);

        let (printed, _) = check_both(d, flip.what, flip.verdict);
        match flip.reply_error {
            None => assert!(printed, "{}: tsrs prints the response", flip.what),
            Some(message) => {
                let (ok, stderr) = assert_parity(d, flip.what, &reply_args("x.tsr", false));
                assert!(!ok, "{}: tsrs rejects the content type", flip.what);
                assert!(stderr.contains(message), "{}: {stderr}", flip.what);
            }
        }
    }
}

#[test]
fn unchanged_response_verifies() {
    require("openssl");
    let pki = Pki::new();
    let d = pki.path();
    let response = make_response(d);
    write_both(d, &response, &token_of(&response));
    assert_eq!(
        check_both(d, "unchanged", Verdict::Same),
        (true, true),
        "the response before any change prints and verifies"
    );
}

/// A UUID OID (`2.25.<128-bit number>`, 20 content octets) with an arc above
/// 2^32, and the same with more arcs, 41 content octets in all, beyond the 39
/// that `const_oid` accepts.
const LARGE_OIDS: [&str; 2] = [
    "2.25.329800735698586629295641978511506172918",
    "2.25.329800735698586629295641978511506172918.4294967296.4294967296.4294967296.4294967296.1",
];

/// The OID fields [`large_oids_match_openssl`] replaces.
const FIELDS: [&str; 5] = [
    "hashAlgorithm",
    "digestAlgorithms",
    "SignerInfo digestAlgorithm",
    "SignerInfo signatureAlgorithm",
    "signed attribute type",
];

/// Rebuilds the token with `oid` in `field` (one of [`FIELDS`]),
/// re-encoding the TSTInfo.
fn rebuild(token: &[u8], field: &str, oid: &Oid) -> Vec<u8> {
    let mut token = TimeStampToken::from_ber(token).unwrap();
    let signer_info = &mut token.signed_data.signer_infos.0[0];
    let target = match field {
        "hashAlgorithm" => &mut token.tst_info.message_imprint.hash_algorithm.oid,
        "digestAlgorithms" => &mut token.signed_data.digest_algorithms.0[0].oid,
        "SignerInfo digestAlgorithm" => &mut signer_info.digest_algorithm.oid,
        "SignerInfo signatureAlgorithm" => &mut signer_info.signature_algorithm.oid,
        "signed attribute type" => &mut signer_info.signed_attrs.as_mut().unwrap().0[0].attr_type,
        other => panic!("no field {other}"),
    };
    *target = oid.clone();
    let tst_info = token.tst_info.to_der().unwrap();
    let econtent = Any::encode_from(&OctetString::new(tst_info).unwrap()).unwrap();
    token.signed_data.encap_content_info.econtent = Some(econtent);
    token.to_der().unwrap()
}

#[test]
fn large_oids_match_openssl() {
    require("openssl");
    let pki = Pki::new();
    let d = pki.path();
    let response = make_response(d);
    let token = token_of(&response);
    let parsed: TimeStampResp = asn1::decode("response", &response).unwrap();
    assert!(parsed.time_stamp_token.is_some());

    for text in LARGE_OIDS {
        let oid = Oid::parse_dotted(text).unwrap();
        assert_eq!(oid.to_object_identifier(), None, "{text}");
        assert!([20, 41].contains(&oid.as_bytes().len()), "{text}");
        for field in FIELDS {
            let what = format!("{field} {text}");
            write_both(d, &response, &rebuild(&token, field, &oid));
            let verdict = if field == "SignerInfo signatureAlgorithm" {
                Verdict::OpensslOnly
            } else {
                Verdict::Same
            };
            let (printed, verified) = check_both(d, &what, verdict);
            assert!(printed, "{what}: tsrs prints the response");
            assert!(!verified, "{what}: tsrs rejects the changed token");
        }
    }
}
