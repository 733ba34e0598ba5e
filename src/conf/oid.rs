//! The object names a configuration adds: `oid_file` and `oid_section`, as
//! `load_config_file` in OpenSSL 3.0's `apps/ts.c` applies them.

use std::fs::File;
use std::io::{BufRead, BufReader};

use super::Config;
use crate::error::{Error, Reason};
use crate::oid::Objects;

/// The maximum number of bytes one `BIO_gets(in, buf, 512)` call of
/// `OBJ_create_objects` returns.
const OID_LINE_SIZE: usize = 511;

/// Adds the objects that the default-section keys `oid_file` and `oid_section`
/// name, in the order `openssl ts` does, and returns the problems in the order
/// it reports them. Neither step stops the other, and objects created before
/// a problem stay created.
///
/// `oid_file` names a file in the `OBJ_create_objects` format: one object a
/// line, `DOTTED-OID SHORT-NAME LONG-NAME`. Reading stops silently, as in
/// libcrypto, at the first line that does not start with a letter or digit or
/// that names an object that cannot be created. A file that cannot be opened
/// is a problem.
///
/// `oid_section` names a section of `name = DOTTED-OID` lines, each creating
/// an object whose short and long names are both `name`. A missing section
/// gives `problem loading oid section NAME`; the first object that cannot be
/// created (a name or OID already known, or a value that is not a dotted OID,
/// such as the `long name, 1.2.3` form that only OpenSSL's `oid_section`
/// configuration module accepts) gives `problem creating object NAME=VALUE`,
/// with the error-queue entries of `OBJ_create`, and ends the section.
pub fn apply_oid_config(config: &Config, objects: &mut Objects) -> Vec<Error> {
    let mut problems = Vec::new();
    if let Some(path) = config.get(None, "oid_file") {
        match File::open(path) {
            Ok(file) => create_objects(&mut BufReader::new(file), objects),
            Err(err) => problems.push(Error::io("open oid_file", path, &err)),
        }
    }
    if let Err(problem) = add_oid_section(config, objects) {
        problems.push(problem);
    }
    problems
}

/// Runs the `add_oid_section` step of OpenSSL's apps.
fn add_oid_section(config: &Config, objects: &mut Objects) -> Result<(), Error> {
    let Some(section_name) = config.get(None, "oid_section") else {
        return Ok(());
    };
    let Some(entries) = config.section(section_name) else {
        return Err(Error::new(
            Reason::ConfigMissing,
            format!("problem loading oid section {section_name}"),
        ));
    };
    for entry in entries {
        let created =
            super::modules::obj_create(objects, entry.value(), entry.name(), entry.name());
        if let Err(records) = created {
            let problem = Error::new(
                Reason::ConfigBadValue,
                format!("problem creating object {}={}", entry.name(), entry.value()),
            );
            return Err(problem.with_earlier_records(records));
        }
    }
    Ok(())
}

/// Creates an object as `OBJ_create` does, which also rejects an OID that
/// already has a name.
fn create_object(objects: &mut Objects, dotted: &str, short_name: &str, long_name: &str) -> bool {
    objects.create(dotted, short_name, long_name).is_ok()
}

/// Reads object lines as `OBJ_create_objects` does.
fn create_objects(input: &mut dyn BufRead, objects: &mut Objects) {
    let mut line = Vec::new();
    loop {
        read_oid_line(input, &mut line);
        // libcrypto drops the last byte read, newline or not.
        if line.pop().is_none() {
            return;
        }
        let Some((dotted, short_name, long_name)) = split_object_line(&line) else {
            return;
        };
        // NOTE: libcrypto also accepts a line without names, creating a nameless
        // object; such an object changes no output, so it is skipped here.
        let Some(short_name) = short_name else {
            log::debug!("oid_file: skipping {dotted} without a short name");
            continue;
        };
        let long_name = long_name.unwrap_or(short_name);
        if !create_object(objects, dotted, short_name, long_name) {
            log::debug!("oid_file: stopping at {dotted} {short_name} {long_name}");
            return;
        }
    }
}

/// Splits `OID [SHORT [LONG]]`; `None` ends the file, as in libcrypto.
fn split_object_line(line: &[u8]) -> Option<(&str, Option<&str>, Option<&str>)> {
    let line = std::str::from_utf8(line).ok()?;
    if !line.as_bytes().first()?.is_ascii_alphanumeric() {
        return None;
    }
    let oid_end = line
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(line.len());
    let dotted = &line[..oid_end];
    if dotted.is_empty() {
        return None;
    }
    // The byte after the OID is a separator, whatever it is.
    let rest = line.get(oid_end + 1..).unwrap_or("");
    let rest = rest.trim_start_matches(is_space);
    if rest.is_empty() {
        return Some((dotted, None, None));
    }
    let short_end = rest.find(is_space).unwrap_or(rest.len());
    let short_name = &rest[..short_end];
    let long_name = rest
        .get(short_end + 1..)
        .map(|tail| tail.trim_start_matches(is_space))
        .filter(|tail| !tail.is_empty());
    Some((dotted, Some(short_name), long_name))
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// Reads what `BIO_gets(in, buf, 512)` returns: up to 511 bytes, through a
/// newline, cut at the first NUL.
fn read_oid_line(input: &mut dyn BufRead, line: &mut Vec<u8>) {
    line.clear();
    while line.len() < OID_LINE_SIZE {
        let available = match input.fill_buf() {
            Ok(available) if !available.is_empty() => available,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            _ => break,
        };
        let limit = available.len().min(OID_LINE_SIZE - line.len());
        let (taken, complete) = match available[..limit].iter().position(|&b| b == b'\n') {
            Some(newline) => (newline + 1, true),
            None => (limit, false),
        };
        line.extend_from_slice(&available[..taken]);
        input.consume(taken);
        if complete {
            break;
        }
    }
    if let Some(nul) = line.iter().position(|&b| b == 0) {
        line.truncate(nul);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_line_fields() {
        assert_eq!(
            split_object_line(b"1.2.3.4 short Long Name"),
            Some(("1.2.3.4", Some("short"), Some("Long Name")))
        );
        assert_eq!(
            split_object_line(b"1.2.3.4 short"),
            Some(("1.2.3.4", Some("short"), None))
        );
        assert_eq!(split_object_line(b"1.2.3.4"), Some(("1.2.3.4", None, None)));
        assert_eq!(split_object_line(b"# comment"), None);
        assert_eq!(split_object_line(b""), None);
        assert_eq!(split_object_line(b"abc def"), None);
    }

    #[test]
    fn oid_file_lines_create_objects() {
        let mut objects = Objects::new();
        let text = b"1.2.3.4.1 tsrsOne tsrs one\n1.2.3.4.2 tsrsTwo\n\n1.2.3.4.3 tsrsThree\n";
        create_objects(&mut &text[..], &mut objects);
        assert_eq!(
            objects.resolve("tsrsOne").map(|o| o.to_string()).as_deref(),
            Some("1.2.3.4.1")
        );
        assert_eq!(
            objects
                .resolve("tsrs one")
                .map(|o| o.to_string())
                .as_deref(),
            Some("1.2.3.4.1")
        );
        assert!(objects.resolve("tsrsTwo").is_some());
        assert!(objects.resolve("tsrsThree").is_none());
    }

    #[test]
    fn oid_section_creates_and_reports() {
        let config = Config::parse(
            "oid_section = oids\n[oids]\ntsrs_a = 1.2.3.4.5\ntsrs_b = 1.2.3.4.5\n",
            std::path::Path::new("test.cnf"),
        )
        .unwrap();
        let mut objects = Objects::new();
        let problems = apply_oid_config(&config, &mut objects);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].message(),
            "problem creating object tsrs_b=1.2.3.4.5"
        );
        assert!(objects.resolve("tsrs_a").is_some());
    }

    #[test]
    fn missing_oid_section_reported() {
        let config =
            Config::parse("oid_section = nowhere\n", std::path::Path::new("t.cnf")).unwrap();
        let problems = apply_oid_config(&config, &mut Objects::new());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].message(), "problem loading oid section nowhere");
    }
}
