//! The TSA section keys read on top of the openssl.cnf reader, as
//! `openssl ts -reply` reads them.
//!
//! The signer certificate, chain and key come from a fixed key pair that
//! `openssl` makes once per process, given as overrides (`-signer`, `-chain`,
//! `-inkey`) so that no path in the input is opened. Inputs that contain
//! `include` or `oid_file` are skipped for the same reason.

#![no_main]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tsrs::conf::{self, Config};
use tsrs::oid::Objects;
use tsrs::tsa_conf::{self, Overrides};

struct Signer {
    cert: PathBuf,
    key: PathBuf,
}

fn signer() -> &'static Signer {
    static SIGNER: OnceLock<Signer> = OnceLock::new();
    SIGNER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("tsrs-fuzz-tsa-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the signer folder");
        let cert = dir.join("signer.pem");
        let key = dir.join("signer.key");
        let status = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
            ])
            .args(["-nodes", "-days", "2", "-subj", "/CN=tsrs fuzz TSA"])
            .args(["-addext", "extendedKeyUsage=critical,timeStamping"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .output()
            .expect("run openssl to make the signer certificate");
        assert!(
            status.status.success(),
            "openssl req failed: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        Signer { cert, key }
    })
}

fuzz_target!(|data: &[u8]| {
    if names_files(data) {
        return;
    }
    let Ok(config) = Config::parse(data, Path::new("fuzz.cnf")) else {
        return;
    };
    let mut objects = Objects::new();
    let _ = conf::apply_oid_config(&config, &mut objects);

    let section = tsa_conf::tsa_section(&config, None).unwrap_or_else(|_| "tsa_config1".to_owned());
    let signer = signer();
    let overrides = Overrides {
        signer: Some(&signer.cert),
        chain: Some(&signer.cert),
        inkey: Some(&signer.key),
        ..Overrides::default()
    };
    if let Err(err) = tsa_conf::load_tsa(&config, &section, &objects, &overrides) {
        let _ = err.to_string();
    }
    let _ = tsa_conf::load_tsa(
        &config,
        &section,
        &objects,
        &Overrides {
            engine: Some("builtin"),
            policy: Some("1.2.3.4"),
            ..overrides.clone()
        },
    );
});

/// Whether the input could name a file for the reader to open: `include`
/// or `oid_file`, also split by a line continuation.
fn names_files(data: &[u8]) -> bool {
    let joined: Vec<u8> = data
        .iter()
        .copied()
        .filter(|b| !matches!(b, b'\\' | b'\r' | b'\n'))
        .collect();
    let contains = |word: &[u8]| {
        joined
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word))
    };
    contains(b"include") || contains(b"oid_file")
}
