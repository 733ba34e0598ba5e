//! Prints every time-stamp of the real-world corpus and compares the text with
//! the output of OpenSSL 3.0.19 stored beside it.
//!
//! The corpus lives outside the repository. Its location comes from
//! `TSRS_CORPUS_DIR`, by default `../shared/corpus` relative to the crate. For
//! an artifact `X` in `realworld/<source>/`, `X.openssl.txt` is the stdout of
//! `openssl ts -query -in X.tsq -text`, `openssl ts -reply -in X.tsr -text` or
//! `openssl ts -reply -in X.tst -token_in -text`, run with the Debian default
//! configuration, and `X.openssl.stderr.txt`, when present, ends with the exit
//! status of that run.

mod print_support;

use std::path::{Path, PathBuf};

use print_support::{Mode, describe_difference, render};
use tsrs::oid::Objects;

/// Artifacts OpenSSL cannot print and tsrs rejects too, because they are
/// malformed: vectors other projects broke on purpose.
const REJECTED_BY_BOTH: &[&str] = &[
    "tspclient-go/malformed-utf8-mangled.tsr",
    "tspclient-go/neg-cms-invalid-signing-time.tst",
    "tspclient-go/neg-outer-contenttype.tst",
    "tspclient-go/neg-tstinfo-genTime-constructed.tst",
];

/// Where tsrs's own output is pinned for the artifacts OpenSSL cannot print:
/// `tests/corpus-pinned/<source>/<artifact>.txt`. Set `TSRS_UPDATE_PINNED=1`
/// to write the files after checking the new output by hand.
fn pinned_path(artifact: &Path) -> PathBuf {
    let source = artifact
        .parent()
        .and_then(Path::file_name)
        .unwrap_or_default();
    let name = artifact.file_name().unwrap_or_default();
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus-pinned")
        .join(source)
        .join(format!("{}.txt", name.to_string_lossy()))
}

/// Compares tsrs's output for an artifact OpenSSL cannot print with the pinned one.
fn check_pinned(
    artifact: &Path,
    mode: Mode,
    input: &[u8],
    objects: &Objects,
) -> Result<(), String> {
    let rejected = REJECTED_BY_BOTH
        .iter()
        .any(|suffix| artifact.ends_with(suffix));
    match (render(mode, input, objects), rejected) {
        (Err(_), true) => Ok(()),
        (Ok(_), true) => Err(format!(
            "{}: expected a decoding error, tsrs printed it",
            artifact.display()
        )),
        (Err(e), false) => Err(format!(
            "{}: tsrs could not decode it: {e}",
            artifact.display()
        )),
        (Ok(actual), false) => {
            let pinned = pinned_path(artifact);
            if std::env::var_os("TSRS_UPDATE_PINNED").is_some() {
                std::fs::create_dir_all(pinned.parent().unwrap()).unwrap();
                std::fs::write(&pinned, &actual).unwrap();
            }
            let expected = std::fs::read(&pinned).map_err(|e| {
                format!(
                    "{}: cannot read {}: {e}",
                    artifact.display(),
                    pinned.display()
                )
            })?;
            if expected == actual {
                Ok(())
            } else {
                Err(format!(
                    "{}: differs from {}: {}",
                    artifact.display(),
                    pinned.display(),
                    describe_difference(&expected, &actual)
                ))
            }
        }
    }
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("TSRS_CORPUS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

/// Returns an object table with the names that the Debian
/// `/usr/lib/ssl/openssl.cnf` adds in its `oid_section`, which the stored
/// outputs were printed with.
fn debian_default_objects() -> Objects {
    let mut objects = Objects::new();
    for (name, dotted) in [
        ("tsa_policy1", "1.2.3.4.1"),
        ("tsa_policy2", "1.2.3.4.5.6"),
        ("tsa_policy3", "1.2.3.4.5.7"),
    ] {
        objects
            .create(dotted, name, name)
            .expect("the policy names are new");
    }
    objects
}

/// Returns whether the stored stderr of the OpenSSL run shows a non-zero exit
/// status.
fn openssl_failed(stderr_path: &Path) -> bool {
    let Ok(stderr) = std::fs::read_to_string(stderr_path) else {
        return false;
    };
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix("# exit code: "))
        .any(|code| code.trim() != "0")
}

/// Finds the artifact that `X.openssl.txt` describes and the command that
/// printed it.
fn artifact_for(text_path: &Path) -> Option<(PathBuf, Mode)> {
    let file_name = text_path.file_name()?.to_str()?;
    let stem = file_name.strip_suffix(".openssl.txt")?;
    [
        ("tsq", Mode::Query),
        ("tsr", Mode::Reply),
        ("tst", Mode::TokenIn),
    ]
    .into_iter()
    .map(|(extension, mode)| {
        (
            text_path.with_file_name(format!("{stem}.{extension}")),
            mode,
        )
    })
    .find(|(path, _)| path.is_file())
}

fn expected_outputs(realworld: &Path) -> Vec<PathBuf> {
    let mut outputs = Vec::new();
    let sources = std::fs::read_dir(realworld)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", realworld.display()));
    for source in sources.flatten() {
        let Ok(files) = std::fs::read_dir(source.path()) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            if path.to_string_lossy().ends_with(".openssl.txt") {
                outputs.push(path);
            }
        }
    }
    outputs.sort();
    outputs
}

#[test]
fn corpus_prints_as_openssl() {
    let corpus = corpus_dir();
    let realworld = corpus.join("realworld");
    assert!(
        realworld.is_dir(),
        "the time-stamp corpus is missing: {} is not a directory; set TSRS_CORPUS_DIR \
         to the directory that holds realworld/",
        realworld.display()
    );

    let objects = debian_default_objects();
    let mut compared = 0;
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    for text_path in expected_outputs(&realworld) {
        let Some((artifact, mode)) = artifact_for(&text_path) else {
            failures.push(format!(
                "{}: no .tsq, .tsr or .tst beside it",
                text_path.display()
            ));
            continue;
        };
        let stem = text_path.to_string_lossy().replace(".openssl.txt", "");
        let input = std::fs::read(&artifact).expect("cannot read the artifact");
        if openssl_failed(Path::new(&format!("{stem}.openssl.stderr.txt"))) {
            // OpenSSL cannot print it (attribute certificates, OCSP responses
            // in the CRL field, malformed vectors): tsrs's output is pinned.
            if let Err(problem) = check_pinned(&artifact, mode, &input, &objects) {
                failures.push(problem);
            }
            skipped.push(artifact.display().to_string());
            continue;
        }
        let expected = std::fs::read(&text_path).expect("cannot read the stored output");
        compared += 1;
        match render(mode, &input, &objects) {
            Err(error) => failures.push(format!(
                "{}: tsrs could not decode it: {error}",
                artifact.display()
            )),
            Ok(actual) if actual != expected => failures.push(format!(
                "{}: {}",
                artifact.display(),
                describe_difference(&expected, &actual)
            )),
            Ok(_) => {}
        }
    }
    assert!(compared > 0, "no corpus artifact was compared");
    assert!(
        failures.is_empty(),
        "{} of {} artifacts print differently ({} checked against pinned output because OpenSSL failed on them):\n\n{}",
        failures.len(),
        compared,
        skipped.len(),
        failures.join("\n\n")
    );
}
