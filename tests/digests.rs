//! Message digests by every name libcrypto has for them, against libcrypto itself.
//!
//! `tests/tools/digest_probe.c`, built here against the system libcrypto,
//! lists every digest name and OID of OpenSSL 3.0 and what each lookup
//! (`EVP_MD_fetch`, `EVP_get_digestbyname`, the verifier's OID lookup, the
//! responder's `EVP_MD_is_a`) makes of it; tsrs's lookups must agree. Then
//! `tsrs ts` must answer like `openssl ts` for each digest: `-query -NAME`,
//! a TSA section with `digests = NAME`, `signer_digest` and `ess_cert_id_alg`,
//! and `-verify -data` of OpenSSL's tokens. The probe needs a C compiler and
//! OpenSSL 3.0's headers (Debian: `gcc` and `libssl-dev`).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::{Pki, TempDir, Tool, assert_same, copy_dir, normalize_stderr, require, ts};
use der::asn1::ObjectIdentifier;
use tsrs::asn1::tsp::TimeStampReq;
use tsrs::digest::DigestAlgorithm;

/// Builds the probe once per test run and returns its path.
fn probe() -> &'static Path {
    static PROBE: OnceLock<PathBuf> = OnceLock::new();
    PROBE.get_or_init(|| {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/digest_probe.c");
        let binary = Path::new(env!("CARGO_TARGET_TMPDIR")).join("digest_probe");
        let output = Command::new("cc")
            .arg("-Wall")
            .arg("-o")
            .arg(&binary)
            .arg(&source)
            .arg("-lcrypto")
            .output()
            .unwrap_or_else(|err| {
                panic!(
                    "cannot run cc to build {}: {err}; install a C compiler and OpenSSL's \
                     development files (Debian: apt-get install gcc libssl-dev)",
                    source.display()
                )
            });
        assert!(
            output.status.success(),
            "cannot build {} against libcrypto; install OpenSSL's development files \
             (Debian: apt-get install libssl-dev):\n{}",
            source.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        binary
    })
}

/// Runs the probe and returns its standard output.
fn run_probe(args: &[&str]) -> String {
    let output = Command::new(probe())
        .args(args)
        .output()
        .expect("digest_probe runs");
    assert!(
        output.status.success(),
        "digest_probe {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("digest_probe prints ASCII")
}

/// Formats a digest as the probe prints it: `SN/SIZE/OID/FLAGS/USABLE`, or `-`.
fn describe(digest: Option<DigestAlgorithm>, usable: bool) -> String {
    let Some(digest) = digest else {
        return "-".to_owned();
    };
    // libcrypto has no object for the digests that have no legacy name, so
    // their type is NID_undef.
    let short_name = if DigestAlgorithm::from_name(digest.short_name()).is_some() {
        digest.short_name()
    } else {
        "UNDEF"
    };
    let oid = digest.oid().map_or("-".to_owned(), |oid| oid.to_string());
    let mut flags = 0;
    if digest.is_xof() {
        flags |= 0x2;
    }
    if !digest.has_null_parameters() {
        flags |= 0x8;
    }
    let usable = if usable { "ok" } else { "fails" };
    format!(
        "{short_name}/{}/{oid}/{flags:x}/{usable}",
        digest.output_len()
    )
}

/// Every name the probe lists, with its upper-case, lower-case and
/// alternating-case forms, and names that libcrypto must not resolve.
fn candidate_names() -> Vec<String> {
    let listing = run_probe(&["names"]);
    let mut names = BTreeSet::new();
    for line in listing.lines() {
        let (_, name) = line.split_once(' ').expect("`KIND NAME` lines");
        names.insert(name.to_owned());
        names.insert(name.to_ascii_uppercase());
        names.insert(name.to_ascii_lowercase());
        names.insert(alternate_case(name));
    }
    for name in [
        "1.2.840.113549.2.4",
        "1.0.10118.3.0.55",
        "1.2.840.113549.1.1.11",
        "2.16.840.1.101.3.4.3.10",
        "md2",
        "mdc2",
        "sha999",
        "sha1WithRSA",
        "SHA256 ",
        "SHA2_256",
        "KECCAK-KMAC",
        "SHAKE",
        "blake2b",
        "UNDEF",
    ] {
        names.insert(name.to_owned());
    }
    names.into_iter().collect()
}

fn alternate_case(name: &str) -> String {
    name.chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

#[test]
fn name_lookups_match_libcrypto() {
    let names = candidate_names();
    let mut args = vec!["resolve"];
    args.extend(names.iter().map(String::as_str));
    let listing = run_probe(&args);
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), names.len(), "one line per name");
    for (name, line) in names.iter().zip(lines) {
        let fetched = DigestAlgorithm::fetch(name);
        let legacy = DigestAlgorithm::from_name(name);
        let expected = format!(
            "{name} fetch={} legacy={}",
            describe(fetched, true),
            describe(legacy, legacy.is_some_and(|d| d.is_provided()))
        );
        assert_eq!(expected, line, "name {name:?}");
        assert_eq!(
            DigestAlgorithm::from_option(name, true),
            fetched.or(legacy),
            "opt_md of {name:?}"
        );
        assert_eq!(
            DigestAlgorithm::from_option(name, false),
            fetched,
            "opt_md of {name:?} with a provider option"
        );
    }
}

#[test]
fn oid_lookups_match_libcrypto() {
    let listing = run_probe(&["oids"]);
    let mut checked = 0;
    for line in listing.lines() {
        // Long names may contain spaces, so the text is what the other fields leave.
        let fields: Vec<&str> = line.rsplitn(3, ' ').collect();
        let [accepts, verify, start] = fields[..] else {
            panic!("unexpected probe line {line:?}");
        };
        let (dotted, text) = start
            .split_once(' ')
            .expect("`DOTTED TEXT` starts each line");
        let oid = ObjectIdentifier::new(dotted).expect("the probe prints dotted OIDs");
        let found = DigestAlgorithm::from_oid_name(&oid);
        assert_eq!(
            format!(
                "verify={}",
                describe(found, found.is_some_and(|d| d.is_provided()))
            ),
            verify,
            "verifier lookup of {dotted} ({text})"
        );
        // The responder accepts a request whose OID is exactly a configured
        // digest's, for every digest EVP_get_digestbyname returns.
        let accepted: Vec<&str> = DigestAlgorithm::ALL
            .into_iter()
            .filter(|d| DigestAlgorithm::from_name(d.short_name()).is_some())
            .filter(|d| d.oid() == Some(oid))
            .map(|d| d.short_name())
            .collect();
        let accepted = if accepted.is_empty() {
            "-".to_owned()
        } else {
            accepted.join(",")
        };
        assert_eq!(
            format!("accepts={accepted}"),
            accepts,
            "responder check of {dotted} ({text})"
        );
        checked += 1;
    }
    assert!(checked > 1000, "the probe listed only {checked} OIDs");
}

/// Builds a hex string of `len` bytes for `-digest`.
fn hex_digest(len: usize) -> String {
    (0..len)
        .map(|i| format!("{:02x}", (i * 7 + 1) % 256))
        .collect()
}

/// Asserts the same status, stdout and files (through [`assert_same`]) and
/// the same stderr once both are normalized.
fn assert_same_with_stderr(fixture: &Path, args: &[&str], frozen: bool) -> (Output, Output) {
    let (expected, actual) = assert_same(fixture, args, frozen);
    assert_eq!(
        normalize_stderr(&expected.stderr, false),
        normalize_stderr(&actual.stderr, false),
        "stderr differs: ts {}",
        args.join(" ")
    );
    (expected, actual)
}

/// Lists the names of every algorithm as the probe prints them, without the
/// case variants that `name_lookups_match_libcrypto` covers.
fn listed_names() -> BTreeSet<String> {
    run_probe(&["names"])
        .lines()
        .filter_map(|line| line.split_once(' ').map(|(_, name)| name.to_owned()))
        .collect()
}

#[test]
fn query_matches_for_every_name() {
    require("openssl");
    let pki = Pki::new();
    for name in listed_names() {
        for spelling in [name.clone(), alternate_case(&name)] {
            let option = format!("-{spelling}");
            assert_same_with_stderr(
                pki.path(),
                &[
                    "-query",
                    "-data",
                    "data.txt",
                    &option,
                    "-no_nonce",
                    "-out",
                    "q.tsq",
                ],
                false,
            );
        }
    }
}

#[test]
fn query_text_and_digest_match() {
    require("openssl");
    let pki = Pki::new();
    for digest in DigestAlgorithm::ALL {
        let option = format!("-{}", digest.name());
        assert_same_with_stderr(
            pki.path(),
            &[
                "-query",
                "-data",
                "data.txt",
                &option,
                "-no_nonce",
                "-cert",
                "-text",
            ],
            false,
        );
        let hex = hex_digest(digest.output_len().max(1));
        assert_same_with_stderr(
            pki.path(),
            &[
                "-query",
                "-digest",
                &hex,
                &option,
                "-no_nonce",
                "-out",
                "q.tsq",
            ],
            false,
        );
        // A provider option turns the legacy names off, and the default
        // provider lacks MD4 and whirlpool.
        assert_same_with_stderr(
            pki.path(),
            &[
                "-query",
                "-provider",
                "default",
                "-data",
                "data.txt",
                &option,
                "-no_nonce",
                "-out",
                "q.tsq",
            ],
            false,
        );
    }
    for alias in [
        "-RSA-SHA256",
        "-ssl3-md5",
        "-rmd160",
        "-sha256WithRSAEncryption",
    ] {
        assert_same_with_stderr(
            pki.path(),
            &[
                "-query",
                "-provider",
                "default",
                "-data",
                "data.txt",
                alias,
                "-no_nonce",
                "-out",
                "q.tsq",
            ],
            false,
        );
    }
}

/// The TSA sections this file adds to the test PKI's configuration.
const DIGEST_SECTIONS: &str = "
[ tsa_digests ]
serial = ./serial
signer_cert = ./tsa.pem
certs = ./ca.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = md5, SHA1, SHA2-224, sha256, RSA-SHA384, sha512WithRSAEncryption, SHA512-224, sha-512/256, sha3-224, SHA3-256, 2.16.840.1.101.3.4.2.9, Sha3-512, RIPEMD-160, sm3, BLAKE2b512, blake2s-256, SHAKE128, shake-256, Md4, WHIRLPOOL, md5-sha1

[ tsa_signer ]
serial = ./serial
signer_cert = ./tsa.pem
signer_key = ./tsa.key
default_policy = 1.2.3.4.1
digests = sha256

[ tsa_signer_ec ]
serial = ./serial
signer_cert = ./tsa-ec.pem
signer_key = ./tsa-ec.key
default_policy = 1.2.3.4.1
digests = sha256
";

/// The test PKI with [`DIGEST_SECTIONS`] and a SHA-256 request `sha256.tsq`.
fn reply_fixture() -> Pki {
    require("faketime");
    let pki = Pki::new();
    let mut config = fs::read_to_string(pki.join("tsa.cnf")).unwrap();
    config.push_str(DIGEST_SECTIONS);
    fs::write(pki.join("tsa.cnf"), config).unwrap();
    make_request(&pki, DigestAlgorithm::Sha256, "sha256.tsq");
    pki
}

/// Writes a request made by `openssl ts -query`, with `-digest` for the
/// digests it cannot compute.
fn make_request(pki: &Pki, digest: DigestAlgorithm, out: &str) {
    let option = format!("-{}", digest.name());
    let hex = hex_digest(digest.output_len());
    let mut args = vec!["-query", &option, "-cert", "-no_nonce", "-out", out];
    if digest.is_provided() {
        args.extend(["-data", "data.txt"]);
    } else {
        args.extend(["-digest", &hex]);
    }
    let output = ts(Tool::Openssl, pki.path(), &args, false, None);
    assert!(
        output.status.success(),
        "openssl ts {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The algorithms a request can name: those with an OID.
fn imprint_algorithms() -> impl Iterator<Item = DigestAlgorithm> {
    DigestAlgorithm::ALL
        .into_iter()
        .filter(|d| d.oid().is_some())
}

#[test]
fn reply_accepts_configured_digests() {
    let pki = reply_fixture();
    for digest in imprint_algorithms() {
        let request = format!("{}.tsq", digest.name());
        make_request(&pki, digest, &request);
        for section in ["tsa_digests", "tsa_min"] {
            assert_same_with_stderr(
                pki.path(),
                &[
                    "-reply",
                    "-config",
                    "tsa.cnf",
                    "-section",
                    section,
                    "-queryfile",
                    &request,
                    "-out",
                    "r.tsr",
                ],
                true,
            );
        }
    }
}

#[test]
fn reply_digests_key_matches() {
    let pki = reply_fixture();
    let base = fs::read_to_string(pki.join("tsa.cnf")).unwrap();
    for digests in [
        "md5-sha1",
        "KECCAK-KMAC-128",
        "NULL",
        "sha256, md5-sha1",
        "Sha256WithRsaEncryption",
        "SHA2-256",
        "2.16.840.1.101.3.4.2.1",
        "rsa-sha1-2, sha256",
        "sha256, sha999",
    ] {
        let config = format!(
            "{base}\n[ tsa_list ]\nserial = ./serial\nsigner_cert = ./tsa.pem\nsigner_key = ./tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = {digests}\n"
        );
        fs::write(pki.join("list.cnf"), config).unwrap();
        assert_same_with_stderr(
            pki.path(),
            &[
                "-reply",
                "-config",
                "list.cnf",
                "-section",
                "tsa_list",
                "-queryfile",
                "sha256.tsq",
                "-out",
                "r.tsr",
            ],
            true,
        );
    }
}

#[test]
fn reply_signer_digest_matches() {
    let pki = reply_fixture();
    for digest in DigestAlgorithm::ALL {
        let option = format!("-{}", digest.name());
        let (expected, _) = assert_same_with_stderr(
            pki.path(),
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-section",
                "tsa_signer",
                &option,
                "-queryfile",
                "sha256.tsq",
                "-out",
                "r.tsr",
            ],
            true,
        );
        assert!(expected.status.success(), "{option}");
    }
}

/// ECDSA signatures differ per run, so the EC signer's responses are
/// compared as `-reply -in FILE -text` prints them, after the same status and
/// stderr.
#[test]
fn reply_ec_signer_digest_matches() {
    let pki = reply_fixture();
    for digest in DigestAlgorithm::ALL {
        let option = format!("-{}", digest.name());
        let mut texts = Vec::new();
        let mut stderrs = Vec::new();
        for tool in [Tool::Openssl, Tool::Tsrs] {
            let work = TempDir::new("ec-signer");
            copy_dir(pki.path(), work.path());
            let reply = ts(
                tool,
                work.path(),
                &[
                    "-reply",
                    "-config",
                    "tsa.cnf",
                    "-section",
                    "tsa_signer_ec",
                    &option,
                    "-queryfile",
                    "sha256.tsq",
                    "-out",
                    "ec.tsr",
                ],
                true,
                None,
            );
            assert!(reply.status.success(), "{tool:?} {option}");
            stderrs.push(normalize_stderr(&reply.stderr, false));
            let text = ts(
                Tool::Openssl,
                work.path(),
                &["-reply", "-in", "ec.tsr", "-text"],
                false,
                None,
            );
            texts.push(String::from_utf8_lossy(&text.stdout).into_owned());
        }
        assert_eq!(stderrs[0], stderrs[1], "stderr of {option}");
        assert_eq!(texts[0], texts[1], "response of {option}");
    }
}

#[test]
fn reply_ess_cert_id_alg_matches() {
    let pki = reply_fixture();
    let base = fs::read_to_string(pki.join("tsa.cnf")).unwrap();
    for digest in DigestAlgorithm::ALL {
        for spelling in [
            digest.name().to_owned(),
            alternate_case(digest.short_name()),
        ] {
            let config = format!(
                "{base}\n[ tsa_ess ]\nserial = ./serial\nsigner_cert = ./tsa.pem\ncerts = ./ca.pem\nsigner_key = ./tsa.key\nsigner_digest = sha256\ndefault_policy = 1.2.3.4.1\ndigests = sha256\ness_cert_id_chain = yes\ness_cert_id_alg = {spelling}\n"
            );
            fs::write(pki.join("ess.cnf"), config).unwrap();
            assert_same_with_stderr(
                pki.path(),
                &[
                    "-reply",
                    "-config",
                    "ess.cnf",
                    "-section",
                    "tsa_ess",
                    "-queryfile",
                    "sha256.tsq",
                    "-out",
                    "r.tsr",
                ],
                true,
            );
        }
    }
}

#[test]
fn verify_data_matches_for_every_imprint() {
    let pki = reply_fixture();
    for digest in imprint_algorithms() {
        let request = format!("{}.tsq", digest.name());
        let response = format!("{}.tsr", digest.name());
        make_request(&pki, digest, &request);
        let output = ts(
            Tool::Openssl,
            pki.path(),
            &[
                "-reply",
                "-config",
                "tsa.cnf",
                "-section",
                "tsa_digests",
                "-queryfile",
                &request,
                "-out",
                &response,
            ],
            false,
            None,
        );
        assert!(output.status.success(), "reply for {digest}");
        for data in ["data.txt", "tsa.cnf"] {
            let (expected, _) = assert_same_with_stderr(
                pki.path(),
                &[
                    "-verify",
                    "-data",
                    data,
                    "-in",
                    &response,
                    "-CAfile",
                    "ca.pem",
                    "-untrusted",
                    "tsa.pem",
                ],
                false,
            );
            let verified = expected.status.success();
            assert_eq!(
                verified,
                data == "data.txt" && digest.is_provided(),
                "openssl verifies {data} against the {digest} token"
            );
        }
        let request = fs::read(pki.join(&request)).unwrap();
        let request = TimeStampReq::from_ber(&request).expect("openssl writes valid requests");
        let imprint: String = request
            .message_imprint
            .hashed_message
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_same_with_stderr(
            pki.path(),
            &[
                "-verify",
                "-digest",
                &imprint,
                "-in",
                &response,
                "-CAfile",
                "ca.pem",
                "-untrusted",
                "tsa.pem",
            ],
            false,
        );
    }
}
