//! The openssl.cnf reader.
//!
//! [`Config`] reads OpenSSL's configuration syntax the way libcrypto 3.0's
//! default `NCONF` method does (`crypto/conf/conf_def.c`): sections, quoting
//! and escapes, `$var` expansion, `.include` and `.pragma`, with the same line
//! numbers in its errors. [`Config::get`] looks values up the way
//! `NCONF_get_string` does. The helpers [`parse_number`] and [`parse_list`]
//! read values the way the TSA code of OpenSSL does, and [`apply_oid_config`]
//! adds the object names of `oid_file` and `oid_section` as `openssl ts` does.
//! [`modules`] applies the library configuration that `openssl_conf` names.

mod lists;
pub mod modules;
mod oid;
mod parser;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Reason};

pub use lists::{parse_list, parse_number};
pub use oid::apply_oid_config;

/// The name OpenSSL gives the section before the first `[section]` line.
pub const DEFAULT_SECTION: &str = "default";

/// The section whose missing keys are read from the process environment.
pub const ENV_SECTION: &str = "ENV";

/// The configuration file `openssl` reads when none is given on the command line.
const SYSTEM_CONFIG_PATH: &str = "/usr/lib/ssl/openssl.cnf";

/// Returns the configuration file `openssl` 3.0 reads by default: the value of
/// `OPENSSL_CONF` when that variable is set (even to an empty string), otherwise
/// `/usr/lib/ssl/openssl.cnf`, the path Debian's OpenSSL build uses.
pub fn default_config_path() -> PathBuf {
    match std::env::var_os("OPENSSL_CONF") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(SYSTEM_CONFIG_PATH),
    }
}

/// A name or value as read from the file: its bytes, and the text that
/// [`Entry::value`] and [`Config::get`] return. Bytes that are not UTF-8 are
/// replaced by U+FFFD in the text; the bytes stay available unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Text {
    text: String,
    /// The original bytes, kept only when they are not valid UTF-8.
    raw: Option<Box<[u8]>>,
}

impl Text {
    fn new(bytes: Vec<u8>) -> Text {
        match String::from_utf8(bytes) {
            Ok(text) => Text { text, raw: None },
            Err(err) => {
                let bytes = err.into_bytes();
                Text {
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                    raw: Some(bytes.into_boxed_slice()),
                }
            }
        }
    }

    fn bytes(&self) -> &[u8] {
        match &self.raw {
            Some(raw) => raw,
            None => self.text.as_bytes(),
        }
    }
}

/// One `name = value` line of a section, after quote removal and expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    name: Text,
    value: Text,
}

impl Entry {
    /// The key, as written in the file (escapes in keys are kept as written).
    pub fn name(&self) -> &str {
        &self.name.text
    }

    /// The key's bytes, exactly as libcrypto stores them.
    pub fn name_bytes(&self) -> &[u8] {
        self.name.bytes()
    }

    /// The value, with bytes that are not UTF-8 replaced by U+FFFD.
    pub fn value(&self) -> &str {
        &self.value.text
    }

    /// The value's bytes, exactly as libcrypto stores them.
    pub fn value_bytes(&self) -> &[u8] {
        self.value.bytes()
    }
}

/// A section: its entries in the order `NCONF_get_section` lists them.
#[derive(Debug, Clone)]
struct Section {
    name: Text,
    /// Entries in file order. While the file is read, a repeated key leaves
    /// its old entry in place, marked dead in `live`; `compact` drops those.
    entries: Vec<Entry>,
    live: Vec<bool>,
    /// Key bytes to index in `entries`.
    index: HashMap<Vec<u8>, usize>,
}

impl Section {
    fn new(name: Vec<u8>) -> Section {
        Section {
            name: Text::new(name),
            entries: Vec::new(),
            live: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Adds an entry. A key seen before moves to the end with its new value,
    /// as `_CONF_add_string` does.
    fn insert(&mut self, name: Vec<u8>, value: Vec<u8>) {
        let position = self.entries.len();
        if let Some(old) = self.index.insert(name.clone(), position)
            && let Some(live) = self.live.get_mut(old)
        {
            *live = false;
        }
        self.entries.push(Entry {
            name: Text::new(name),
            value: Text::new(value),
        });
        self.live.push(true);
    }

    fn get(&self, name: &[u8]) -> Option<&Entry> {
        self.entries.get(*self.index.get(name)?)
    }

    /// Drops the entries of replaced keys.
    fn compact(&mut self) {
        let mut live = std::mem::take(&mut self.live).into_iter();
        self.entries.retain(|_| live.next().unwrap_or(true));
        self.index.clear();
        for (position, entry) in self.entries.iter().enumerate() {
            self.index.insert(entry.name.bytes().to_vec(), position);
        }
    }
}

/// A loaded configuration: sections in the order they first appear, each with
/// its entries, plus the process environment as it was when the file was read.
#[derive(Debug, Clone)]
pub struct Config {
    sections: Vec<Section>,
    /// Section name bytes to index in `sections`.
    section_index: HashMap<Vec<u8>, usize>,
    /// The environment for `ENV` lookups; `None` for [`Config::empty`], which,
    /// like a `CONF` that was never loaded, finds nothing at all.
    environment: Option<HashMap<Vec<u8>, Text>>,
    /// The error-queue entries of the `.include` files that were skipped.
    skipped_includes: Vec<crate::error::Record>,
}

impl Config {
    /// Reads a configuration file, as `openssl` does for `-config PATH`.
    ///
    /// Fails with a [`LoadError`] whose [`LoadError::line`] is `None` when the
    /// file cannot be opened, and `Some(n)` for a syntax error. Relative
    /// `.include` paths are resolved against the current directory, as
    /// libcrypto resolves them.
    pub fn load(path: &Path) -> Result<Config, LoadError> {
        let file = std::fs::File::open(path).map_err(|err| LoadError::open(path, &err))?;
        let input = Box::new(std::io::BufReader::new(file));
        parser::parse(input, path, &parser::process_environment())
    }

    /// Reads configuration text; `origin` names it in error messages. Relative
    /// `.include` paths are resolved against the current directory, not
    /// against `origin`, as libcrypto resolves them.
    pub fn parse(text: impl AsRef<[u8]>, origin: &Path) -> Result<Config, LoadError> {
        let input = Box::new(std::io::Cursor::new(text.as_ref().to_vec()));
        parser::parse(input, origin, &parser::process_environment())
    }

    /// The configuration `openssl` uses for `-config ""`: no sections, and
    /// every lookup, `ENV` included, finds nothing.
    pub fn empty() -> Config {
        Config {
            sections: Vec::new(),
            section_index: HashMap::new(),
            environment: None,
            skipped_includes: Vec::new(),
        }
    }

    fn with_environment(environment: HashMap<Vec<u8>, Text>) -> Config {
        let mut config = Config::empty();
        config.environment = Some(environment);
        config.section_mut(DEFAULT_SECTION.as_bytes());
        config
    }

    /// Looks `name` up as `NCONF_get_string(conf, section, name)` does: in
    /// `section`, then in the environment when `section` is `ENV`, then in the
    /// default section. `None` for `section` searches the default section only.
    pub fn get(&self, section: Option<&str>, name: &str) -> Option<&str> {
        self.lookup(section.map(str::as_bytes), name.as_bytes())
            .map(|text| text.text.as_str())
    }

    /// Looks a value up like [`Config::get`] and returns its bytes unchanged.
    pub fn get_bytes(&self, section: Option<&str>, name: &str) -> Option<&[u8]> {
        self.lookup(section.map(str::as_bytes), name.as_bytes())
            .map(Text::bytes)
    }

    /// The entries of a section in `NCONF_get_section` order: file order, with
    /// a repeated key at the place of its last assignment. `None` when the file
    /// has no such section.
    pub fn section(&self, name: &str) -> Option<&[Entry]> {
        let index = *self.section_index.get(name.as_bytes())?;
        Some(&self.sections.get(index)?.entries)
    }

    /// The entries libcrypto leaves on its error queue for the `.include`
    /// files it skips, which load silently: a file or directory that does not
    /// exist or cannot be opened, or a directory included from a directory.
    /// OpenSSL prints them only when a later failure prints the whole queue.
    pub fn skipped_include_records(&self) -> &[crate::error::Record] {
        &self.skipped_includes
    }

    /// The names of all sections in the order they first appear. A loaded
    /// file always has `default`, and lists it first.
    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections
            .iter()
            .map(|section| section.name.text.as_str())
    }

    fn lookup(&self, section: Option<&[u8]>, name: &[u8]) -> Option<&Text> {
        let environment = self.environment.as_ref()?;
        if let Some(section) = section {
            if let Some(entry) = self.entry(section, name) {
                return Some(&entry.value);
            }
            if section == ENV_SECTION.as_bytes()
                && let Some(value) = environment.get(name)
            {
                return Some(value);
            }
        }
        self.entry(DEFAULT_SECTION.as_bytes(), name)
            .map(|entry| &entry.value)
    }

    fn entry(&self, section: &[u8], name: &[u8]) -> Option<&Entry> {
        let index = *self.section_index.get(section)?;
        self.sections.get(index)?.get(name)
    }

    fn section_mut(&mut self, name: &[u8]) -> &mut Section {
        let index = match self.section_index.get(name) {
            Some(index) => *index,
            None => {
                self.sections.push(Section::new(name.to_vec()));
                let index = self.sections.len() - 1;
                self.section_index.insert(name.to_vec(), index);
                index
            }
        };
        &mut self.sections[index]
    }

    fn compact(&mut self) {
        for section in &mut self.sections {
            section.compact();
        }
    }
}

/// A failure to load a configuration, with the line libcrypto reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    kind: LoadErrorKind,
    path: PathBuf,
    line: Option<u64>,
    detail: String,
}

/// The failures of `NCONF_load`, each with the reason text libcrypto gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LoadErrorKind {
    /// The file could not be opened because it does not exist.
    NoSuchFile,
    /// The file could not be opened for another reason.
    Open,
    MissingCloseSquareBracket,
    MissingEqualSign,
    NoCloseBrace,
    VariableHasNoValue,
    VariableExpansionTooLong,
    InvalidPragma,
    RelativePath,
    /// More included files than this reader opens; libcrypto has no such limit.
    TooManyIncludes,
}

impl LoadErrorKind {
    fn reason_text(self) -> &'static str {
        match self {
            LoadErrorKind::NoSuchFile => "no such file",
            LoadErrorKind::Open => "system lib",
            LoadErrorKind::MissingCloseSquareBracket => "missing close square bracket",
            LoadErrorKind::MissingEqualSign => "missing equal sign",
            LoadErrorKind::NoCloseBrace => "no close brace",
            LoadErrorKind::VariableHasNoValue => "variable has no value",
            LoadErrorKind::VariableExpansionTooLong => "variable expansion too long",
            LoadErrorKind::InvalidPragma => "invalid pragma",
            LoadErrorKind::RelativePath => "relative path",
            LoadErrorKind::TooManyIncludes => "too many included files",
        }
    }
}

impl LoadError {
    fn open(path: &Path, err: &std::io::Error) -> LoadError {
        let kind = if err.kind() == std::io::ErrorKind::NotFound {
            LoadErrorKind::NoSuchFile
        } else {
            LoadErrorKind::Open
        };
        LoadError {
            kind,
            path: path.to_path_buf(),
            line: None,
            detail: os_error_text(err),
        }
    }

    fn syntax(kind: LoadErrorKind, path: &Path, line: u64, detail: String) -> LoadError {
        LoadError {
            kind,
            path: path.to_path_buf(),
            line: Some(line),
            detail,
        }
    }

    /// The line of the syntax error, counted as libcrypto counts it: physical
    /// lines read so far, through every included file. `None` when the file
    /// could not be opened.
    pub fn line(&self) -> Option<u64> {
        self.line
    }

    /// The path that was given to [`Config::load`] or [`Config::parse`].
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// libcrypto's reason text for this failure, such as `missing equal sign`.
    pub fn openssl_reason(&self) -> &'static str {
        self.kind.reason_text()
    }

    /// The stable reason: [`Reason::ConfigOpen`] or [`Reason::ConfigSyntax`].
    pub fn reason(&self) -> Reason {
        match self.kind {
            LoadErrorKind::NoSuchFile | LoadErrorKind::Open => Reason::ConfigOpen,
            _ => Reason::ConfigSyntax,
        }
    }

    /// The entries OpenSSL's error queue holds for this failure: those of
    /// `BIO_new_file` when the file could not be opened, none for a syntax
    /// error (`openssl` prints only the line).
    pub fn openssl_records(&self) -> Vec<crate::error::Record> {
        use crate::error::{Record, lib};
        if self.line.is_some() {
            return Vec::new();
        }
        vec![
            Record::new(
                lib::SYS,
                "BIO_new_file",
                self.detail.clone(),
                format!("calling fopen({}, r)", self.path.display()),
            ),
            Record::new(lib::BIO, "BIO_new_file", self.kind.reason_text(), ""),
        ]
    }

    /// The line `openssl PROGRAM` prints for this failure: `Can't open "PATH"
    /// for reading, OS ERROR` or `PROGRAM: Error on line N of config file "PATH"`.
    pub fn openssl_message(&self, program: &str) -> String {
        match self.line {
            None => self.to_string(),
            Some(line) => format!(
                "{program}: Error on line {line} of config file \"{}\"",
                self.path.display()
            ),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match self.line {
            None => write!(f, "Can't open \"{path}\" for reading, {}", self.detail),
            Some(line) => {
                write!(f, "Error on line {line} of config file \"{path}\": ")?;
                f.write_str(self.kind.reason_text())?;
                if !self.detail.is_empty() {
                    write!(f, " ({})", self.detail)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

impl From<LoadError> for Error {
    fn from(err: LoadError) -> Error {
        Error::new(err.reason(), err.to_string())
    }
}

/// Returns the C library's text for an I/O error.
fn os_error_text(err: &std::io::Error) -> String {
    crate::error::os_error_text(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Config {
        Config::parse(text, Path::new("test.cnf")).unwrap()
    }

    fn parse_err(text: &str) -> LoadError {
        Config::parse(text, Path::new("test.cnf")).unwrap_err()
    }

    #[test]
    fn get_falls_back_to_default() {
        let config = parse("a = top\n[ tsa ]\nb = 1\n");
        assert_eq!(config.get(Some("tsa"), "b"), Some("1"));
        assert_eq!(config.get(Some("tsa"), "a"), Some("top"));
        assert_eq!(config.get(Some("other"), "a"), Some("top"));
        assert_eq!(config.get(None, "b"), None);
        assert_eq!(config.get(None, "a"), Some("top"));
    }

    #[test]
    fn repeated_key_moves_to_end() {
        let config = parse("[s]\na = 1\nb = 2\na = 3\n");
        let entries: Vec<_> = config
            .section("s")
            .unwrap()
            .iter()
            .map(|entry| (entry.name(), entry.value()))
            .collect();
        assert_eq!(entries, [("b", "2"), ("a", "3")]);
    }

    #[test]
    fn section_names_in_file_order() {
        let config = parse("[ b ]\n[a]\n[b]\nx::y = 1\n");
        let names: Vec<_> = config.section_names().collect();
        assert_eq!(names, ["default", "b", "a", "x"]);
        assert!(config.section("a").unwrap().is_empty());
        assert!(config.section("c").is_none());
    }

    #[test]
    fn values_unquoted_and_expanded() {
        let config = parse("d = /etc\n[s]\npath = $d\"/a b\"\\tx # comment\nq = \"$d\"\n");
        assert_eq!(config.get(Some("s"), "path"), Some("/etc/a b\tx"));
        assert_eq!(config.get(Some("s"), "q"), Some("$d"));
    }

    #[test]
    fn invalid_utf8_value_kept_as_bytes() {
        let config = Config::parse(b"a = x\xffy\n", Path::new("t.cnf")).unwrap();
        assert_eq!(config.get(None, "a"), Some("x\u{fffd}y"));
        assert_eq!(config.get_bytes(None, "a"), Some(&b"x\xffy"[..]));
    }

    #[test]
    fn empty_config_finds_nothing() {
        let config = Config::empty();
        assert_eq!(config.get(Some("ENV"), "PATH"), None);
        assert_eq!(config.section_names().count(), 0);
    }

    #[test]
    fn loaded_config_reads_environment() {
        let config = parse("");
        assert_eq!(
            config.get(Some("ENV"), "PATH").map(str::to_owned),
            std::env::var("PATH").ok()
        );
    }

    #[test]
    fn syntax_error_carries_line() {
        let err = parse_err("a = 1\n\n# c\nb = $missing\n");
        assert_eq!(err.line(), Some(4));
        assert_eq!(err.reason(), Reason::ConfigSyntax);
        assert_eq!(err.openssl_reason(), "variable has no value");
        assert_eq!(
            err.openssl_message("ts"),
            "ts: Error on line 4 of config file \"test.cnf\""
        );
        assert_eq!(
            err.to_string(),
            "Error on line 4 of config file \"test.cnf\": variable has no value \
             (variable \"missing\" in section \"default\")"
        );
    }

    #[test]
    fn open_error_uses_os_text() {
        let err = Config::load(Path::new("/nonexistent-tsrs/x.cnf")).unwrap_err();
        assert_eq!(err.line(), None);
        assert_eq!(err.reason(), Reason::ConfigOpen);
        assert_eq!(err.openssl_reason(), "no such file");
        assert_eq!(
            err.to_string(),
            "Can't open \"/nonexistent-tsrs/x.cnf\" for reading, No such file or directory"
        );
        let converted = Error::from(err);
        assert_eq!(converted.reason(), Reason::ConfigOpen);
    }

    #[test]
    fn expansion_limit_enforced() {
        let text = format!("a = {}\nb = $a$a\n", "x".repeat(40000));
        let err = parse_err(&text);
        assert_eq!(err.openssl_reason(), "variable expansion too long");
        assert_eq!(err.line(), Some(2));
    }

    #[test]
    fn default_path_is_system_or_env() {
        let path = default_config_path();
        match std::env::var_os("OPENSSL_CONF") {
            Some(value) => assert_eq!(path, PathBuf::from(value)),
            None => assert_eq!(path, Path::new("/usr/lib/ssl/openssl.cnf")),
        }
    }
}
