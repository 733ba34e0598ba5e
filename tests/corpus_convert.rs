//! Converting real TSAs' responses and tokens (`-token_out`, `-token_in`)
//! must write the same bytes as `openssl ts`, so conversions never break the
//! signature of archived evidence.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::tsrs;

fn corpus_dir() -> PathBuf {
    match std::env::var_os("TSRS_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

fn artifacts(realworld: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for source in std::fs::read_dir(realworld)
        .expect("list the corpus")
        .flatten()
    {
        for file in std::fs::read_dir(source.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = file.path();
            let extension = path.extension().and_then(|e| e.to_str());
            if matches!(extension, Some("tsr" | "tst")) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Runs `TOOL ts ARGS` and returns its exit status and stdout.
fn run(program: &Path, args: &[&str]) -> (Option<i32>, Vec<u8>) {
    let out = Command::new(program)
        .arg("ts")
        .args(args)
        .args(["-config", "/dev/null"])
        .output()
        .expect("run");
    (out.status.code(), out.stdout)
}

#[test]
fn conversions_match_openssl() {
    let realworld = corpus_dir().join("realworld");
    assert!(
        realworld.is_dir(),
        "the time-stamp corpus is missing: {} is not a directory; set TSRS_CORPUS_DIR",
        realworld.display()
    );
    let mut failures = Vec::new();
    let mut compared = 0;
    for artifact in artifacts(&realworld) {
        let path = artifact.to_str().expect("UTF-8 corpus path");
        let token_in = path.ends_with(".tst");
        let conversions: Vec<Vec<&str>> = if token_in {
            vec![
                vec!["-reply", "-in", path, "-token_in", "-token_out"],
                vec!["-reply", "-in", path, "-token_in"],
            ]
        } else {
            vec![
                vec!["-reply", "-in", path, "-token_out"],
                vec!["-reply", "-in", path],
            ]
        };
        for args in conversions {
            let expected = run(Path::new("openssl"), &args);
            if expected.0 != Some(0) {
                continue;
            }
            compared += 1;
            let actual = run(&tsrs(), &args);
            if actual != expected {
                failures.push(format!(
                    "ts {}: openssl exit {:?} with {} bytes, tsrs exit {:?} with {} bytes",
                    args.join(" "),
                    expected.0,
                    expected.1.len(),
                    actual.0,
                    actual.1.len()
                ));
            }
        }
    }
    assert!(compared > 50, "only {compared} conversions were compared");
    assert!(
        failures.is_empty(),
        "{} conversions differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
