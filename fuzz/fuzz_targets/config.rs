//! The openssl.cnf reader (the NCONF syntax: sections, quoting, escapes,
//! `$var` and `${section::var}` expansion, pragmas) and the object names that
//! `oid_section` adds.
//!
//! Inputs that contain `include` are skipped, because `.include` opens files
//! and directories by name: a fuzzer that found `/dev/zero` or a FIFO would
//! report the host's files, not the parser.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use tsrs::conf::{self, Config};
use tsrs::oid::Objects;

fuzz_target!(|data: &[u8]| {
    if names_files(data) {
        return;
    }
    let config = match Config::parse(data, Path::new("fuzz.cnf")) {
        Ok(config) => config,
        Err(err) => {
            let _ = err.line();
            let _ = err.openssl_records();
            let _ = err.openssl_message("ts");
            return;
        }
    };

    // Every entry a section lists is what a lookup of its name in that
    // section returns, because `section` lists each key at its last assignment.
    let names: Vec<String> = config.section_names().map(str::to_owned).collect();
    assert_eq!(names.first().map(String::as_str), Some("default"));
    for section in names.iter().filter(|name| !name.contains('\u{FFFD}')) {
        let entries = config.section(section).expect("a listed section exists");
        for entry in entries {
            let _ = conf::parse_list(entry.value());
            let _ = conf::parse_number(entry.value());
            if entry.name().contains('\u{FFFD}') {
                continue;
            }
            assert_eq!(
                config.get_bytes(Some(section), entry.name()),
                Some(entry.value_bytes()),
                "lookup of [{section}] {}",
                entry.name()
            );
        }
    }

    if config.get(None, "oid_file").is_none() {
        let _ = conf::apply_oid_config(&config, &mut Objects::new());
    }
});

/// Whether the input could name a file for the reader to open: any
/// `include`, also one split by a line continuation.
fn names_files(data: &[u8]) -> bool {
    let joined: Vec<u8> = data
        .iter()
        .copied()
        .filter(|b| !matches!(b, b'\\' | b'\r' | b'\n'))
        .collect();
    joined
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"include"))
}
