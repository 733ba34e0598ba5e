//! The reader behind [`Config::load`]: a line-by-line port of the behaviour of
//! `def_load_bio` and `str_copy` in libcrypto 3.0's `crypto/conf/conf_def.c`.
//!
//! Input is read in the pieces `fgets` returns (at most 510 bytes, or through a
//! newline), because line numbers, long lines, NUL bytes and CR LF pairs split
//! across pieces all depend on it.

use std::collections::HashMap;
use std::fs::{File, ReadDir};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::{Config, DEFAULT_SECTION, LoadError, LoadErrorKind, Text};
use crate::error::{Record, lib};

/// The maximum number of bytes one `fgets` call of `def_load_bio` returns (its
/// buffer is 511 bytes).
const PIECE_SIZE: usize = 510;

/// The maximum length of a value after variable expansion (`MAX_CONF_VALUE_LENGTH`).
const MAX_VALUE_LENGTH: usize = 65536;

/// The deepest `.include` nesting that is followed; deeper includes are
/// skipped. libcrypto's only limit is the process's open-file limit.
const MAX_INCLUDE_DEPTH: usize = 64;

/// The maximum number of files one load opens through `.include`, so that a file
/// that includes itself twice cannot make the load run for ever.
const MAX_INCLUDED_FILES: usize = 4096;

/// The byte classes of libcrypto's `CONF_type_default` table.
mod class {
    pub const NUMBER: u16 = 1;
    pub const UPPER: u16 = 2;
    pub const LOWER: u16 = 4;
    pub const EOF: u16 = 8;
    pub const WS: u16 = 16;
    pub const ESC: u16 = 32;
    pub const QUOTE: u16 = 64;
    pub const COMMENT: u16 = 128;
    pub const UNDER: u16 = 256;
    pub const PUNCT: u16 = 512;
    pub const DOLLAR: u16 = 4096;
    pub const ALNUM: u16 = UPPER | LOWER | NUMBER | UNDER;
    pub const ALNUM_PUNCT: u16 = ALNUM | PUNCT;
}

fn classes(byte: u8) -> u16 {
    match byte {
        0 => class::EOF,
        b'\t' | b'\n' | b'\r' | b' ' => class::WS,
        b'"' | b'\'' | b'`' => class::QUOTE,
        b'#' => class::COMMENT,
        b'$' => class::DOLLAR,
        b'\\' => class::ESC,
        b'0'..=b'9' => class::NUMBER,
        b'A'..=b'Z' => class::UPPER,
        b'a'..=b'z' => class::LOWER,
        b'_' => class::UNDER,
        b'!' | b'%' | b'&' | b'*' | b'+' | b',' | b'-' | b'.' | b'/' | b';' | b'?' | b'@'
        | b'^' | b'|' | b'~' => class::PUNCT,
        _ => 0,
    }
}

fn is(byte: u8, class: u16) -> bool {
    classes(byte) & class != 0
}

/// Returns the byte at `i`, or NUL past the end, because the text is a C string
/// in libcrypto.
fn at(text: &[u8], i: usize) -> u8 {
    text.get(i).copied().unwrap_or(0)
}

fn eat_ws(text: &[u8], mut i: usize) -> usize {
    while is(at(text, i), class::WS) {
        i += 1;
    }
    i
}

/// Returns the end of `text[start..end]` without its trailing whitespace.
fn trim_end(text: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && is(at(text, end - 1), class::WS) {
        end -= 1;
    }
    end
}

/// Skips a backslash and the byte it escapes, if there is one.
fn scan_esc(text: &[u8], i: usize) -> usize {
    if at(text, i + 1) == 0 { i + 1 } else { i + 2 }
}

/// Skips a quoted string that starts at `i`, closing quote included.
fn scan_quote(text: &[u8], mut i: usize) -> usize {
    let quote = at(text, i);
    i += 1;
    while at(text, i) != 0 && at(text, i) != quote {
        if is(at(text, i), class::ESC) {
            i += 1;
            if at(text, i) == 0 {
                return i;
            }
        }
        i += 1;
    }
    if at(text, i) == quote {
        i += 1;
    }
    i
}

/// Cuts the line at its comment: the first `#` outside quotes and escapes.
fn clear_comments(line: &mut Vec<u8>) {
    let mut i = 0;
    loop {
        let byte = at(line, i);
        if is(byte, class::COMMENT) {
            line.truncate(i);
            return;
        }
        if is(byte, class::QUOTE) {
            i = scan_quote(line, i);
        } else if is(byte, class::ESC) {
            i = scan_esc(line, i);
        } else if byte == 0 {
            return;
        } else {
            i += 1;
        }
    }
}

/// Copies the process environment, name bytes to value.
pub(super) fn process_environment() -> HashMap<Vec<u8>, Text> {
    std::env::vars_os()
        .map(|(name, value)| (os_bytes(name), Text::new(os_bytes(value))))
        .collect()
}

#[cfg(unix)]
fn os_bytes(text: std::ffi::OsString) -> Vec<u8> {
    std::os::unix::ffi::OsStringExt::into_vec(text)
}

#[cfg(not(unix))]
fn os_bytes(text: std::ffi::OsString) -> Vec<u8> {
    text.to_string_lossy().into_owned().into_bytes()
}

#[cfg(unix)]
fn bytes_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes))
}

#[cfg(not(unix))]
fn bytes_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// Reads one piece the way `fgets(buf, 511, file)` followed by `strlen` does:
/// up to 510 bytes, stopping after a newline, and cut at the first NUL byte.
/// A read error ends the piece, as it makes `fgets` return NULL.
fn read_piece(input: &mut dyn BufRead, piece: &mut Vec<u8>) {
    piece.clear();
    while piece.len() < PIECE_SIZE {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        if available.is_empty() {
            break;
        }
        let limit = available.len().min(PIECE_SIZE - piece.len());
        let (taken, complete) = match available[..limit].iter().position(|&b| b == b'\n') {
            Some(newline) => (newline + 1, true),
            None => (limit, false),
        };
        piece.extend_from_slice(&available[..taken]);
        input.consume(taken);
        if complete {
            break;
        }
    }
    if let Some(nul) = piece.iter().position(|&b| b == 0) {
        piece.truncate(nul);
    }
}

/// The files being read: the current one, the ones that included it, and
/// the directory whose files are being read one after the other.
struct Inputs {
    current: Box<dyn BufRead>,
    parents: Vec<Box<dyn BufRead>>,
    /// The directory of a `.include DIR`; libcrypto keeps only one at a time.
    directory: Option<ReadDir>,
    directory_path: Vec<u8>,
    opened: usize,
    /// The entries libcrypto leaves on its error queue for includes it skips.
    skipped: Vec<Record>,
}

impl Inputs {
    /// Opens the next `*.cnf` or `*.conf` file of the directory being read, in
    /// the order the directory lists them (`readdir` order, as libcrypto).
    fn next_directory_file(&mut self) -> Option<Box<dyn BufRead>> {
        let entries = self.directory.as_mut()?;
        for entry in entries.by_ref() {
            let Ok(entry) = entry else { continue };
            let name = os_bytes(entry.file_name());
            if !has_config_suffix(&name) {
                continue;
            }
            let mut path = self.directory_path.clone();
            path.push(b'/');
            path.extend_from_slice(&name);
            if let Ok(file) = File::open(bytes_path(&path)) {
                self.opened += 1;
                return Some(Box::new(BufReader::new(file)));
            }
        }
        self.directory = None;
        None
    }

    /// Opens what `.include PATH` names, as `process_include` does. A path that
    /// cannot be opened is skipped, as in libcrypto.
    fn open_include(&mut self, path: &[u8]) -> Option<Box<dyn BufRead>> {
        let fs_path = bytes_path(path);
        let display_path = String::from_utf8_lossy(path);
        let metadata = match std::fs::metadata(&fs_path) {
            Ok(metadata) => metadata,
            Err(err) => {
                log::debug!("skipping .include {display_path}: {err}");
                self.skipped.push(Record::new(
                    lib::SYS,
                    "process_include",
                    crate::error::os_error_text(&err),
                    format!("calling stat({display_path})"),
                ));
                return None;
            }
        };
        if !metadata.is_dir() {
            let file = match File::open(&fs_path) {
                Ok(file) => file,
                Err(err) => {
                    log::debug!("skipping .include {display_path}: {err}");
                    let records = crate::error::Error::fopen_records(&display_path, "r", &err);
                    self.skipped.extend(records);
                    return None;
                }
            };
            self.opened += 1;
            return Some(Box::new(BufReader::new(file)));
        }
        if self.directory.is_some() {
            log::warn!(
                "skipping .include {display_path}: a directory included while another is read"
            );
            self.skipped.push(Record::new(
                lib::CONF,
                "process_include",
                "recursive directory include",
                display_path.into_owned(),
            ));
            return None;
        }
        self.directory = Some(std::fs::read_dir(&fs_path).ok()?);
        self.directory_path = path.to_vec();
        self.next_directory_file()
    }
}

fn has_config_suffix(name: &[u8]) -> bool {
    let ends_with = |suffix: &[u8]| {
        name.len() > suffix.len() && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    ends_with(b".conf") || ends_with(b".cnf")
}

/// The reader's next step after a line.
enum Action {
    Continue,
    Include(Vec<u8>),
}

/// A syntax error before the line number is attached.
struct Syntax {
    kind: LoadErrorKind,
    detail: String,
}

impl Syntax {
    fn new(kind: LoadErrorKind, detail: String) -> Syntax {
        Syntax { kind, detail }
    }
}

struct Parser<'e> {
    config: Config,
    environment: &'e HashMap<Vec<u8>, Text>,
    section: Vec<u8>,
    dollarid: bool,
    abspath: bool,
    includedir: Option<Vec<u8>>,
}

/// Reads `input` and everything it includes into a [`Config`].
pub(super) fn parse(
    input: Box<dyn BufRead>,
    origin: &Path,
    environment: &HashMap<Vec<u8>, Text>,
) -> Result<Config, LoadError> {
    let mut parser = Parser {
        config: Config::with_environment(environment.clone()),
        environment,
        section: DEFAULT_SECTION.as_bytes().to_vec(),
        dollarid: false,
        abspath: false,
        includedir: None,
    };
    let mut inputs = Inputs {
        current: input,
        parents: Vec::new(),
        directory: None,
        directory_path: Vec::new(),
        opened: 0,
        skipped: Vec::new(),
    };
    let mut line_number: u64 = 0;
    parser
        .read_all(&mut inputs, &mut line_number)
        .map_err(|err| LoadError::syntax(err.kind, origin, line_number, err.detail))?;
    let mut config = parser.config;
    config.compact();
    config.skipped_includes = inputs.skipped;
    Ok(config)
}

impl Parser<'_> {
    /// The main loop of `def_load_bio`: joins pieces into logical lines
    /// (long lines, trailing-backslash continuations) and processes each one.
    fn read_all(&mut self, inputs: &mut Inputs, line_number: &mut u64) -> Result<(), Syntax> {
        let mut line: Vec<u8> = Vec::new();
        let mut piece: Vec<u8> = Vec::new();
        let mut again = false;
        let mut first_piece = true;
        loop {
            read_piece(inputs.current.as_mut(), &mut piece);
            if first_piece {
                // A UTF-8 byte order mark is dropped from the first file only.
                if piece.starts_with(&[0xEF, 0xBB, 0xBF]) {
                    piece.drain(..3);
                }
                first_piece = false;
            }
            if piece.is_empty() && !again {
                if let Some(next) = inputs.next_directory_file() {
                    inputs.current = next;
                    continue;
                }
                match inputs.parents.pop() {
                    Some(parent) => {
                        inputs.current = parent;
                        continue;
                    }
                    None => return Ok(()),
                }
            }
            again = false;
            let full = piece.len();
            let mut content_end = full;
            while content_end > 0 && matches!(piece[content_end - 1], b'\r' | b'\n') {
                content_end -= 1;
            }
            if full != 0 && content_end == full {
                // No line end in this piece: the line goes on in the next one.
                again = true;
            } else {
                *line_number += 1;
            }
            line.extend_from_slice(&piece[..content_end]);
            if !again && line.last() == Some(&b'\\') {
                let escaped = line.len() >= 2 && line[line.len() - 2] == b'\\';
                if !escaped {
                    line.pop();
                    again = true;
                }
            }
            if again {
                continue;
            }
            let action = self.process_line(&mut line)?;
            line.clear();
            if let Action::Include(path) = action {
                self.include(inputs, &path)?;
            }
        }
    }

    fn include(&mut self, inputs: &mut Inputs, path: &[u8]) -> Result<(), Syntax> {
        let display_path = String::from_utf8_lossy(path);
        if inputs.parents.len() >= MAX_INCLUDE_DEPTH {
            log::warn!(
                "skipping .include {display_path}: includes nested deeper than {MAX_INCLUDE_DEPTH}"
            );
            return Ok(());
        }
        if inputs.opened >= MAX_INCLUDED_FILES {
            return Err(Syntax::new(
                LoadErrorKind::TooManyIncludes,
                format!("more than {MAX_INCLUDED_FILES} files opened, at .include {display_path}"),
            ));
        }
        if let Some(next) = inputs.open_include(path) {
            let parent = std::mem::replace(&mut inputs.current, next);
            inputs.parents.push(parent);
        }
        Ok(())
    }

    /// Processes one logical line: a comment or blank line, a section header,
    /// a pragma, an include or an assignment.
    fn process_line(&mut self, line: &mut Vec<u8>) -> Result<Action, Syntax> {
        clear_comments(line);
        let start = eat_ws(line, 0);
        if at(line, start) == 0 {
            return Ok(Action::Continue);
        }
        if at(line, start) == b'[' {
            self.section_header(line, start + 1)?;
            return Ok(Action::Continue);
        }

        let mut name_start = start;
        let mut name_end = self.eat_alpha_numeric(line, start);
        let mut target_section = None;
        if at(line, name_end) == b':' && at(line, name_end + 1) == b':' {
            target_section = Some(line[name_start..name_end].to_vec());
            name_start = name_end + 2;
            name_end = self.eat_alpha_numeric(line, name_start);
        }
        let target_section = target_section.unwrap_or_else(|| self.section.clone());
        let p = eat_ws(line, name_end);
        let name = &line[name_start..];
        if is_directive(name, b".pragma", p - name_start, at(line, p)) {
            self.pragma(line, p)?;
            return Ok(Action::Continue);
        }
        if is_directive(name, b".include", p - name_start, at(line, p)) {
            return self
                .include_path(line, p, &target_section)
                .map(Action::Include);
        }
        if at(line, p) != b'=' {
            let rest = String::from_utf8_lossy(&line[p..]);
            return Err(Syntax::new(
                LoadErrorKind::MissingEqualSign,
                format!("HERE-->{rest}"),
            ));
        }
        let value_start = eat_ws(line, p + 1);
        let value_end = trim_end(line, value_start, line.len());
        let value = self.str_copy(Some(&target_section), &line[value_start..value_end])?;
        let name = line[name_start..name_end].to_vec();
        self.config.section_mut(&target_section).insert(name, value);
        Ok(Action::Continue)
    }

    /// Reads `[ name ]` and makes it the current section. Words separated by
    /// whitespace form one name, which is then unquoted and expanded like a value.
    fn section_header(&mut self, line: &[u8], after_bracket: usize) -> Result<(), Syntax> {
        let start = eat_ws(line, after_bracket);
        let mut word = start;
        let end = loop {
            let end = self.eat_alpha_numeric(line, word);
            let p = eat_ws(line, end);
            if at(line, p) == b']' {
                break end;
            }
            if at(line, p) == 0 || p == word {
                return Err(Syntax::new(
                    LoadErrorKind::MissingCloseSquareBracket,
                    format!("in {:?}", String::from_utf8_lossy(line)),
                ));
            }
            word = p;
        };
        let name = self.str_copy(None, &line[start..end])?;
        self.config.section_mut(&name);
        self.section = name;
        Ok(())
    }

    /// Applies `.pragma [=] keyword:value`.
    fn pragma(&mut self, line: &[u8], mut p: usize) -> Result<(), Syntax> {
        if at(line, p) == b'=' {
            p = eat_ws(line, p + 1);
        }
        let end = trim_end(line, p, line.len());
        let text = &line[p..end];
        let invalid = || {
            Syntax::new(
                LoadErrorKind::InvalidPragma,
                format!(".pragma {:?}", String::from_utf8_lossy(text)),
            )
        };
        let colon = text.iter().position(|&b| b == b':').ok_or_else(invalid)?;
        if colon == 0 || colon + 1 == text.len() {
            return Err(invalid());
        }
        let keyword = &text[..trim_end(text, 0, colon)];
        let value = &text[eat_ws(text, colon + 1)..];
        match keyword {
            b"dollarid" => self.dollarid = parse_bool(value).ok_or_else(invalid)?,
            b"abspath" => self.abspath = parse_bool(value).ok_or_else(invalid)?,
            b"includedir" => self.includedir = Some(value.to_vec()),
            _ => log::debug!("ignoring unknown .pragma {}", String::from_utf8_lossy(text)),
        }
        Ok(())
    }

    /// Returns the path of `.include [=] path`, expanded and prefixed with the
    /// include directory (`OPENSSL_CONF_INCLUDE`, else `.pragma includedir`).
    fn include_path(&self, line: &[u8], mut p: usize, section: &[u8]) -> Result<Vec<u8>, Syntax> {
        if at(line, p) == b'=' {
            p = eat_ws(line, p + 1);
        }
        let end = trim_end(line, p, line.len());
        let include = self.str_copy(Some(section), &line[p..end])?;
        let directory = self
            .environment
            .get(b"OPENSSL_CONF_INCLUDE".as_slice())
            .map(|dir| dir.bytes().to_vec())
            .or_else(|| self.includedir.clone());
        let path = match directory {
            Some(mut directory) if !is_absolute(&include) => {
                if directory.last() != Some(&b'/') {
                    directory.push(b'/');
                }
                directory.extend_from_slice(&include);
                directory
            }
            _ => include,
        };
        if self.abspath && !is_absolute(&path) {
            return Err(Syntax::new(
                LoadErrorKind::RelativePath,
                format!(
                    ".include {:?} with .pragma abspath:on",
                    String::from_utf8_lossy(&path)
                ),
            ));
        }
        Ok(path)
    }

    fn eat_alpha_numeric(&self, text: &[u8], mut i: usize) -> usize {
        loop {
            let byte = at(text, i);
            if is(byte, class::ESC) {
                i = scan_esc(text, i);
                continue;
            }
            if !(is(byte, class::ALNUM_PUNCT) || (self.dollarid && is(byte, class::DOLLAR))) {
                return i;
            }
            i += 1;
        }
    }

    fn is_variable_byte(&self, byte: u8) -> bool {
        is(byte, class::ALNUM) || (self.dollarid && is(byte, class::DOLLAR))
    }

    /// Removes quotes and escapes and expands variables, as `str_copy` does.
    /// `section` is where unqualified variables are looked up first; `None`
    /// (section headers) looks in the default section only.
    fn str_copy(&self, section: Option<&[u8]>, from: &[u8]) -> Result<Vec<u8>, Syntax> {
        let mut out = Vec::with_capacity(from.len());
        // The length libcrypto checks against MAX_VALUE_LENGTH: the input length
        // plus one, adjusted by each expansion.
        let mut accounted = from.len() + 1;
        let mut i = 0;
        loop {
            let byte = at(from, i);
            if is(byte, class::QUOTE) {
                i += 1;
                while at(from, i) != 0 && at(from, i) != byte {
                    if is(at(from, i), class::ESC) {
                        i += 1;
                        if at(from, i) == 0 {
                            break;
                        }
                    }
                    out.push(at(from, i));
                    i += 1;
                }
                if at(from, i) == byte {
                    i += 1;
                }
            } else if is(byte, class::ESC) {
                let escaped = at(from, i + 1);
                i += 2;
                if escaped == 0 {
                    break;
                }
                out.push(match escaped {
                    b'r' => b'\r',
                    b'n' => b'\n',
                    b'b' => 0x08,
                    b't' => b'\t',
                    other => other,
                });
            } else if byte == 0 {
                break;
            } else if byte == b'$' && (!self.dollarid || matches!(at(from, i + 1), b'{' | b'(')) {
                let (value, end) = self.expand(section, from, i)?;
                let new_length = (value.len() + accounted).saturating_sub(end - i);
                if new_length > MAX_VALUE_LENGTH {
                    return Err(Syntax::new(
                        LoadErrorKind::VariableExpansionTooLong,
                        format!("a value grows past {MAX_VALUE_LENGTH} bytes"),
                    ));
                }
                accounted = new_length;
                out.extend_from_slice(value);
                i = end;
            } else {
                out.push(byte);
                i += 1;
            }
        }
        Ok(out)
    }

    /// Reads the variable reference at `from[dollar..]` (`$name`, `${name}`,
    /// `$(name)`, each with an optional `section::`) and returns its value and
    /// the index just past the reference.
    fn expand<'a>(
        &'a self,
        section: Option<&'a [u8]>,
        from: &'a [u8],
        dollar: usize,
    ) -> Result<(&'a [u8], usize), Syntax> {
        let mut start = dollar + 1;
        let close = match at(from, start) {
            b'{' => Some(b'}'),
            b'(' => Some(b')'),
            _ => None,
        };
        if close.is_some() {
            start += 1;
        }
        let mut lookup_section = section;
        let mut end = start;
        while self.is_variable_byte(at(from, end)) {
            end += 1;
        }
        if at(from, end) == b':' && at(from, end + 1) == b':' {
            lookup_section = Some(&from[start..end]);
            start = end + 2;
            end = start;
            while self.is_variable_byte(at(from, end)) {
                end += 1;
            }
        }
        let name = &from[start..end];
        if let Some(close) = close {
            if at(from, end) != close {
                return Err(Syntax::new(
                    LoadErrorKind::NoCloseBrace,
                    format!(
                        "expected {:?} after variable {:?}",
                        char::from(close),
                        String::from_utf8_lossy(name)
                    ),
                ));
            }
            end += 1;
        }
        match self.config.lookup(lookup_section, name) {
            Some(value) => Ok((value.bytes(), end)),
            None => Err(Syntax::new(
                LoadErrorKind::VariableHasNoValue,
                match lookup_section {
                    Some(section) => format!(
                        "variable {:?} in section {:?}",
                        String::from_utf8_lossy(name),
                        String::from_utf8_lossy(section)
                    ),
                    None => format!("variable {:?}", String::from_utf8_lossy(name)),
                },
            )),
        }
    }
}

/// Tests whether a key is the directive `word`, as libcrypto does: the key
/// starts with `word`, and either more key bytes or whitespace follow `word`,
/// or `=` does. `after_name` is the offset of the first byte after the key and
/// its trailing whitespace, `next` that byte.
fn is_directive(name: &[u8], word: &[u8], after_name: usize, next: u8) -> bool {
    name.starts_with(word) && (after_name != word.len() || next == b'=')
}

fn parse_bool(value: &[u8]) -> Option<bool> {
    if value.eq_ignore_ascii_case(b"on") || value.eq_ignore_ascii_case(b"true") {
        Some(true)
    } else if value.eq_ignore_ascii_case(b"off") || value.eq_ignore_ascii_case(b"false") {
        Some(false)
    } else {
        None
    }
}

fn is_absolute(path: &[u8]) -> bool {
    path.first() == Some(&b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_with(text: &str, environment: &[(&str, &str)]) -> Result<Config, LoadError> {
        let environment = environment
            .iter()
            .map(|(name, value)| {
                (
                    name.as_bytes().to_vec(),
                    Text::new(value.as_bytes().to_vec()),
                )
            })
            .collect();
        let input = Box::new(std::io::Cursor::new(text.as_bytes().to_vec()));
        parse(input, Path::new("test.cnf"), &environment)
    }

    #[test]
    fn pieces_split_at_510_bytes() {
        let text = format!("{}\nb", "a".repeat(600));
        let mut input = std::io::Cursor::new(text.into_bytes());
        let mut piece = Vec::new();
        read_piece(&mut input, &mut piece);
        assert_eq!(piece.len(), 510);
        read_piece(&mut input, &mut piece);
        assert_eq!(piece.len(), 91);
        read_piece(&mut input, &mut piece);
        assert_eq!(piece, b"b");
        read_piece(&mut input, &mut piece);
        assert!(piece.is_empty());
    }

    #[test]
    fn piece_stops_at_nul() {
        let mut input = std::io::Cursor::new(b"ab\0cd\nef".to_vec());
        let mut piece = Vec::new();
        read_piece(&mut input, &mut piece);
        assert_eq!(piece, b"ab");
        read_piece(&mut input, &mut piece);
        assert_eq!(piece, b"ef");
    }

    #[test]
    fn comment_outside_quotes_only() {
        let mut line = b"a = \"x#y\" \\# z # comment".to_vec();
        clear_comments(&mut line);
        assert_eq!(line, b"a = \"x#y\" \\# z ");
    }

    #[test]
    fn env_section_reads_environment() {
        let config = parse_with("a = $ENV::HOME\n", &[("HOME", "/root")]).unwrap();
        assert_eq!(config.get(None, "a"), Some("/root"));
        assert_eq!(config.get(Some("ENV"), "HOME"), Some("/root"));
    }

    #[test]
    fn env_include_directory_prefixes_relative_path() {
        let config = parse_with(
            ".include = sub.cnf\n",
            &[("OPENSSL_CONF_INCLUDE", "/nonexistent-tsrs-dir")],
        );
        assert!(config.is_ok());
    }

    #[test]
    fn abspath_rejects_prefixed_relative_include() {
        let err = parse_with(
            ".pragma abspath:on\n.include sub.cnf\n",
            &[("OPENSSL_CONF_INCLUDE", "relative")],
        )
        .unwrap_err();
        assert_eq!(err.openssl_reason(), "relative path");
        assert_eq!(err.line(), Some(2));
    }

    #[test]
    fn directive_needs_separator() {
        assert!(is_directive(b".include x", b".include", 9, b'x'));
        assert!(is_directive(b".include=x", b".include", 8, b'='));
        assert!(!is_directive(b".include", b".include", 8, 0));
        assert!(is_directive(b".includex = y", b".include", 10, b'='));
    }

    #[test]
    fn config_suffixes() {
        assert!(has_config_suffix(b"a.cnf"));
        assert!(has_config_suffix(b"a.CONF"));
        assert!(!has_config_suffix(b".cnf"));
        assert!(!has_config_suffix(b".conf"));
        assert!(!has_config_suffix(b"a.cnf~"));
    }

    /// Creates an empty directory for one test under the system temporary directory.
    fn scratch_directory(name: &str) -> PathBuf {
        let directory =
            std::env::temp_dir().join(format!("tsrs-conf-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&directory);
        std::fs::create_dir_all(&directory).unwrap();
        directory
    }

    #[test]
    fn include_fan_out_bounded() {
        let directory = scratch_directory("fan-out");
        let path = directory.join("twice.cnf");
        let line = format!(".include {}\n", path.display());
        std::fs::write(&path, format!("a = 1\n{line}{line}")).unwrap();
        let err = Config::load(&path).unwrap_err();
        assert_eq!(err.openssl_reason(), "too many included files");
        let _ = std::fs::remove_dir_all(&directory);
    }

    #[test]
    fn include_self_stops_at_depth() {
        let directory = scratch_directory("self");
        let path = directory.join("self.cnf");
        std::fs::write(
            &path,
            format!("a = x\n.include {}\nb = $a\n", path.display()),
        )
        .unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(config.get(None, "b"), Some("x"));
        let _ = std::fs::remove_dir_all(&directory);
    }
}
