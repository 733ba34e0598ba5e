//! The openssl.cnf reader against libcrypto itself.
//!
//! Each case writes configuration files into its own directory, then runs
//! `tests/tools/conf_probe.c` (built here against the system libcrypto) and the
//! Rust reader on the same queries, and compares their outputs line by line.
//! The probe needs a C compiler and OpenSSL 3.0's headers (Debian: `gcc` and
//! `libssl-dev`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use tsrs::Reason;
use tsrs::conf::{Config, apply_oid_config, parse_list, parse_number};
use tsrs::oid::Objects;

/// Builds the probe once per test run and returns its path.
fn probe() -> &'static Path {
    static PROBE: OnceLock<PathBuf> = OnceLock::new();
    PROBE.get_or_init(|| {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/conf_probe.c");
        let binary = Path::new(env!("CARGO_TARGET_TMPDIR")).join("conf_probe");
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
fn run_probe(args: &[&str], directory: &Path) -> String {
    let output = Command::new(probe())
        .args(args)
        .current_dir(directory)
        .output()
        .expect("conf_probe runs");
    assert!(
        output.status.success(),
        "conf_probe {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("conf_probe prints ASCII")
}

fn hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "-".to_owned();
    }
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

fn section_arg(arg: &str) -> Option<&str> {
    if arg == "(null)" { None } else { Some(arg) }
}

/// Runs the probe's `load FILE QUERY...` with the Rust reader and returns its output.
fn rust_output(path: &Path, queries: &[String]) -> String {
    let config = match Config::load(path) {
        Ok(config) => config,
        Err(err) => {
            let line = err.line().map_or(-1, |line| line as i64);
            return format!("error line={line} reason={}\n", err.openssl_reason());
        }
    };
    let mut out = String::from("loaded\n");
    let mut objects = Objects::new();
    let mut i = 0;
    while i < queries.len() {
        match queries[i].as_str() {
            "get" => {
                let (section, name) = (&queries[i + 1], &queries[i + 2]);
                match config.get_bytes(section_arg(section), name) {
                    Some(value) => writeln!(out, "get {section} {name} = {}", hex(value)),
                    None => writeln!(out, "get {section} {name} missing"),
                }
                .unwrap();
                i += 3;
            }
            "section" => {
                let name = &queries[i + 1];
                write!(out, "section {name}").unwrap();
                match config.section(name) {
                    None => out.push_str(" missing"),
                    Some(entries) => {
                        for entry in entries {
                            let name = hex(entry.name_bytes());
                            write!(out, " {name}={}", hex(entry.value_bytes())).unwrap();
                        }
                    }
                }
                out.push('\n');
                i += 2;
            }
            "number" => {
                let (section, name) = (&queries[i + 1], &queries[i + 2]);
                let number = config
                    .get(section_arg(section), name)
                    .map_or(0, parse_number);
                writeln!(out, "number {section} {name} = {number}").unwrap();
                i += 3;
            }
            "oid" => {
                let problems = apply_oid_config(&config, &mut objects);
                let mut section_problem = None;
                for problem in &problems {
                    if problem.reason() == Reason::Io {
                        out.push_str("oid open-failed\n");
                    } else {
                        section_problem = Some(problem.message().to_owned());
                    }
                }
                match section_problem {
                    Some(message) => writeln!(out, "oid {message}").unwrap(),
                    None => out.push_str("oid done\n"),
                }
                i += 1;
            }
            "obj" => {
                let text = &queries[i + 1];
                match objects.resolve(text) {
                    Some(oid) => writeln!(out, "obj {text} = {} {oid}", objects.text(&oid)),
                    None => writeln!(out, "obj {text} unknown"),
                }
                .unwrap();
                i += 2;
            }
            other => panic!("unknown query {other}"),
        }
    }
    out
}

/// One comparison: files to write (the first is loaded) and the queries.
struct Case {
    name: String,
    /// The file to load; the first file written when `None`.
    main: Option<String>,
    files: Vec<(String, Vec<u8>)>,
    directories: Vec<String>,
    queries: Vec<String>,
}

fn case(name: &str) -> Case {
    Case {
        name: name.to_owned(),
        main: None,
        files: Vec::new(),
        directories: Vec::new(),
        queries: Vec::new(),
    }
}

impl Case {
    fn file(mut self, path: &str, content: impl Into<Vec<u8>>) -> Case {
        self.files.push((path.to_owned(), content.into()));
        self
    }

    fn load(mut self, path: &str) -> Case {
        self.main = Some(path.to_owned());
        self
    }

    fn directory(mut self, path: &str) -> Case {
        self.directories.push(path.to_owned());
        self
    }

    fn get(mut self, section: &str, name: &str) -> Case {
        self.queries
            .extend(["get", section, name].map(str::to_owned));
        self
    }

    fn section(mut self, name: &str) -> Case {
        self.queries.extend(["section", name].map(str::to_owned));
        self
    }

    fn number(mut self, section: &str, name: &str) -> Case {
        self.queries
            .extend(["number", section, name].map(str::to_owned));
        self
    }

    fn oid(mut self) -> Case {
        self.queries.push("oid".to_owned());
        self
    }

    fn obj(mut self, text: &str) -> Case {
        self.queries.extend(["obj", text].map(str::to_owned));
        self
    }

    /// Writes the files, replacing `@DIR@` with the case directory, and
    /// returns the outputs of libcrypto and of the Rust reader.
    fn run(&self, root: &Path) -> (String, String) {
        let directory = root.join(&self.name);
        std::fs::create_dir_all(&directory).unwrap();
        let directory_text = directory.to_str().expect("temporary path is UTF-8");
        for path in &self.directories {
            std::fs::create_dir_all(directory.join(path)).unwrap();
        }
        for (path, content) in &self.files {
            let content = replace_bytes(content, b"@DIR@", directory_text.as_bytes());
            let path = directory.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        let first = self.files.first().map(|(path, _)| path.as_str());
        let main = self.main.as_deref().or(first).unwrap_or("main.cnf");
        let mut args = vec!["load", main];
        args.extend(self.queries.iter().map(String::as_str));
        let expected = run_probe(&args, &directory);

        // Relative .include paths resolve against the current directory, as
        // in libcrypto; only this test changes it.
        std::env::set_current_dir(&directory).unwrap();
        let actual = rust_output(Path::new(main), &self.queries);
        (expected, actual)
    }
}

fn replace_bytes(text: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    out
}

fn temporary_root(name: &str) -> PathBuf {
    let root =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    root
}

/// Returns the cases for syntax, quoting, escapes and lookups.
fn syntax_cases() -> Vec<Case> {
    vec![
        case("basic")
            .file("main.cnf", "a = 1\nb=2\n  c   =   three four  \n")
            .get("(null)", "a")
            .get("(null)", "b")
            .get("(null)", "c")
            .get("(null)", "d")
            .get("default", "a")
            .section("default"),
        case("sections_with_spaces")
            .file(
                "main.cnf",
                "[ sec ]\nx=1\n[sec2]\ny=2\n[  multi word  ]\nz=3\n[\ttab\t]\nw=4\n",
            )
            .get("sec", "x")
            .get("sec2", "y")
            .get("multi word", "z")
            .get("tab", "w")
            .section("sec")
            .section("multi word")
            .section("nosuch"),
        case("default_section_by_name")
            .file("main.cnf", "a=1\n[default]\nb=2\n[s]\nc=3\n")
            .get("(null)", "a")
            .get("(null)", "b")
            .get("default", "b")
            .section("default"),
        case("fallback_to_default")
            .file("main.cnf", "a=top\n[s]\nb=1\n")
            .get("s", "a")
            .get("s", "b")
            .get("(null)", "b")
            .get("nosuch", "a")
            .get("nosuch", "b"),
        case("comments_and_blank_lines")
            .file(
                "main.cnf",
                "# comment\n\n   # indented comment\na = 1 # trailing\nb = x#y\n\t\n[s] # c\nc=3\n",
            )
            .get("(null)", "a")
            .get("(null)", "b")
            .get("s", "c"),
        case("repeated_key_last_wins")
            .file("main.cnf", "a=1\nb=2\na=3\nc=4\n")
            .get("(null)", "a")
            .section("default"),
        case("section_twice")
            .file("main.cnf", "[s]\na=1\n[t]\nb=2\n[s]\nc=3\na=4\n")
            .get("s", "a")
            .get("s", "c")
            .get("t", "b")
            .section("s")
            .section("t"),
        case("empty_values")
            .file("main.cnf", "a =\nb = \"\"\nc = ''\n = empty name\n")
            .get("(null)", "a")
            .get("(null)", "b")
            .get("(null)", "c")
            .get("(null)", "")
            .section("default"),
        case("key_punctuation")
            .file("main.cnf", "a.b-c_d!%&*+,/;?@^|~ = 1\nA9 = 2\n")
            .get("(null)", "a.b-c_d!%&*+,/;?@^|~")
            .get("(null)", "A9"),
        case("escaped_key")
            .file("main.cnf", "a\\ b = 1\nc\\=d = 2\n")
            .get("(null)", "a\\ b")
            .get("(null)", "c\\=d")
            .section("default"),
        case("qualified_key")
            .file("main.cnf", "s::k = v\n[t]\nu::k2 = w\nk3 = x\n")
            .get("s", "k")
            .get("u", "k2")
            .get("t", "k3")
            .section("s")
            .section("u"),
        case("double_quotes")
            .file(
                "main.cnf",
                "a = \"x y\"  z\nb = \"in \\\" side\"\nc = pre\"mid\"post\n",
            )
            .get("(null)", "a")
            .get("(null)", "b")
            .get("(null)", "c"),
        case("single_quotes_and_backticks")
            .file("main.cnf", "a = 'x \\' y'\nb = 'it''s'\nc = `tick`\n")
            .get("(null)", "a")
            .get("(null)", "b")
            .get("(null)", "c"),
        case("escapes")
            .file(
                "main.cnf",
                r#"a = x\ny\rz\bw\tq\\e\"f\'g\$h\#i\qj"#.to_owned() + "\n",
            )
            .get("(null)", "a"),
        case("hash_inside_quotes")
            .file("main.cnf", "a = \"x # y\" # c\nb = 'p#q'\nc = x\\#y\n")
            .get("(null)", "a")
            .get("(null)", "b")
            .get("(null)", "c"),
        case("quoted_whitespace_kept")
            .file("main.cnf", "a = \"  x  \"   \nb =   '\t'\n")
            .get("(null)", "a")
            .get("(null)", "b"),
        case("unterminated_quotes")
            .file("main.cnf", "a = \"abc\nb = 'x # not a comment\nc = `z\\\n")
            .get("(null)", "a")
            .get("(null)", "b")
            .get("(null)", "c"),
        case("line_continuation")
            .file(
                "main.cnf",
                "a = one \\\n  two\nb = x\\\\\nc = 3\nd = p\\\nq\\\nr\n",
            )
            .get("(null)", "a")
            .get("(null)", "b")
            .get("(null)", "c")
            .get("(null)", "d"),
        case("continuation_at_end_of_file")
            .file("main.cnf", "a = 1\\")
            .get("(null)", "a"),
        case("continuation_then_error_line").file("main.cnf", "a = 1\\\n2\\\n3\nbad\n"),
        case("crlf_line_ends")
            .file(
                "main.cnf",
                "a = 1\r\nb = 2\r\n[s]\r\nc = 3\r\nd = x\\\r\ny\r\n",
            )
            .get("(null)", "a")
            .get("(null)", "b")
            .get("s", "c")
            .get("s", "d"),
        case("crlf_error_line").file("main.cnf", "a = 1\r\n\r\nb = 2\r\nbad\r\n"),
        case("lone_cr_inside_line")
            .file("main.cnf", "a = 1\rb = 2\n")
            .get("(null)", "a")
            .get("(null)", "b"),
        case("no_final_newline")
            .file("main.cnf", "a = 1\nb = 2")
            .get("(null)", "a")
            .get("(null)", "b"),
        case("long_line")
            .file("main.cnf", format!("a = {}\nb = 2\n", "x".repeat(2000)))
            .get("(null)", "a")
            .get("(null)", "b"),
        case("cr_lf_split_across_pieces").file(
            "main.cnf",
            format!("a = {}\r\nb = 2\nbad\n", "x".repeat(505)),
        ),
        case("long_key_line")
            .file("main.cnf", format!("{} = v\n", "k".repeat(1500)))
            .get("(null)", &"k".repeat(1500)),
        case("equals_in_value")
            .file("main.cnf", "a = b = c\n")
            .get("(null)", "a"),
        case("section_header_trailing_text")
            .file("main.cnf", "[s] junk here\nk=1\n")
            .get("s", "k"),
        case("section_escape")
            .file("main.cnf", "[a\\]b]\nk=1\n")
            .get("a]b", "k")
            .section("a]b"),
        case("empty_section_name")
            .file("main.cnf", "[ ]\nk=1\n")
            .get("", "k")
            .section(""),
        case("empty_file")
            .file("main.cnf", "")
            .get("(null)", "a")
            .section("default"),
        case("only_comments")
            .file("main.cnf", "# a\n   # b\n\n")
            .section("default"),
        case("many_keys")
            .file(
                "main.cnf",
                (0..5000).fold(String::from("[big]\n"), |mut text, i| {
                    let _ = writeln!(text, "key{i} = value{i}");
                    text
                }),
            )
            .get("big", "key0")
            .get("big", "key4999")
            .get("big", "key5000"),
        case("numbers")
            .file(
                "main.cnf",
                "n1 = 42\nn2 = 42abc\nn3 = -5\nn4 = 99999999999999999999\nn5 =\n\
                 n6 = 9223372036854775807\n[s]\nn7 = 6\n",
            )
            .number("(null)", "n1")
            .number("(null)", "n2")
            .number("(null)", "n3")
            .number("(null)", "n4")
            .number("(null)", "n5")
            .number("(null)", "n6")
            .number("s", "n7")
            .number("s", "n1")
            .number("(null)", "missing"),
    ]
}

/// Returns the cases for syntax errors and hostile input.
fn error_cases() -> Vec<Case> {
    vec![
        case("missing_equal_sign").file("main.cnf", "a = 1\njunk\n"),
        case("space_in_key").file("main.cnf", "a b = 1\n"),
        case("quoted_key").file("main.cnf", "\"a\" = 1\n"),
        case("missing_close_bracket").file("main.cnf", "a=1\n\n[sec\n"),
        case("quote_in_section_name").file("main.cnf", "[ \"x\" ]\n"),
        case("dollar_in_section_name").file("main.cnf", "name = s1\n[$name]\nk=1\n"),
        case("missing_config_file")
            .file("other.cnf", "a=1\n")
            .load("main.cnf"),
        case("config_is_directory")
            .directory("main.cnf")
            .load("main.cnf")
            .get("(null)", "a"),
        case("nul_inside_line")
            .file("main.cnf", b"a = 1\0junk\nb = 2\nc = 3\n".to_vec())
            .get("(null)", "a")
            .get("(null)", "b")
            .get("(null)", "c"),
        case("nul_at_line_start")
            .file("main.cnf", b"a = 1\n\0b = 2\nc = 3\n".to_vec())
            .get("(null)", "a")
            .get("(null)", "c"),
        case("byte_order_mark")
            .file("main.cnf", b"\xef\xbb\xbfa = 1\n".to_vec())
            .get("(null)", "a"),
        case("byte_order_mark_in_include")
            .file("main.cnf", ".include @DIR@/inc.cnf\n")
            .file("inc.cnf", b"\xef\xbb\xbfb = 2\n".to_vec()),
        case("high_bytes_in_value")
            .file("main.cnf", b"a = caf\xc3\xa9 \xff\xfe\n\xe9 = 1\n".to_vec())
            .get("(null)", "a"),
        case("high_byte_in_section_name").file("main.cnf", b"[s\xe9]\n".to_vec()),
        case("high_byte_escaped_in_key")
            .file("main.cnf", b"k\\\xe9 = 1\n[s\\\xe9]\nv = 2\n".to_vec())
            .section("default")
            .get("s\u{e9}", "v"),
        case("control_bytes")
            .file("main.cnf", b"a = x\x0by\x0cz\x01\n".to_vec())
            .get("(null)", "a"),
    ]
}

/// Returns the cases for variable expansion.
fn variable_cases() -> Vec<Case> {
    vec![
        case("variable_forms")
            .file(
                "main.cnf",
                "a = 1\nb = $a\nc = ${a}x\nd = $(a)y\ne = pre$a.post\n",
            )
            .get("(null)", "b")
            .get("(null)", "c")
            .get("(null)", "d")
            .get("(null)", "e"),
        case("variable_in_other_section")
            .file(
                "main.cnf",
                "[s]\nx = 1\n[t]\ny = $s::x\nz = ${s::x}\nw = $(s::x)\n",
            )
            .get("t", "y")
            .get("t", "z")
            .get("t", "w"),
        case("variable_falls_back_to_default")
            .file("main.cnf", "x = top\n[s]\ny = $x\nz = $nosuch::x\n")
            .get("s", "y")
            .get("s", "z"),
        case("variable_prefers_own_section")
            .file("main.cnf", "x = top\n[s]\nx = local\ny = $x\n[t]\ny = $x\n")
            .get("s", "y")
            .get("t", "y"),
        case("variable_sees_earlier_value")
            .file("main.cnf", "a = 1\nb = $a\na = 2\nc = $a\n")
            .get("(null)", "b")
            .get("(null)", "c"),
        case("variable_in_quotes_expands")
            .file("main.cnf", "a = 1\nb = \"$a\"\nc = '$a'\nd = \\$a\n")
            .get("(null)", "b")
            .get("(null)", "c")
            .get("(null)", "d"),
        case("variable_undefined").file("main.cnf", "a = 1\nb = $nope\n"),
        case("variable_undefined_section").file("main.cnf", "a = $s::x\n"),
        case("variable_no_close_brace").file("main.cnf", "a = 1\nb = ${a\n"),
        case("variable_mismatched_brace").file("main.cnf", "a=1\nb = ${a)\n"),
        case("bare_dollar").file("main.cnf", "price = 5$\n"),
        case("empty_braces")
            .file("main.cnf", " = e\na = ${}\n")
            .get("(null)", "a"),
        case("variable_loop").file("main.cnf", "a = $b\nb = $a\n"),
        case("variable_self_reference")
            .file("main.cnf", "a = x\na = $a$a\na = ${a}${a}\n")
            .get("(null)", "a"),
        case("variable_doubling_past_limit").file(
            "main.cnf",
            std::iter::repeat_n("a = $a$a\n", 20).fold(String::from("a = xx\n"), |t, l| t + l),
        ),
        case("huge_expansion").file(
            "main.cnf",
            format!("a = {}\nb = {}\n", "x".repeat(1000), "$a".repeat(70)),
        ),
        case("expansion_at_limit")
            .file("main.cnf", format!("a = {}\nb = $a\n", "x".repeat(65535)))
            .get("(null)", "b"),
        case("expansion_one_past_limit")
            .file("main.cnf", format!("a = {}\nb = y$a\n", "x".repeat(65535))),
        case("env_variables")
            .file(
                "main.cnf",
                "a = $ENV::PATH\nb = ${ENV::CARGO_MANIFEST_DIR}\n",
            )
            .get("(null)", "a")
            .get("(null)", "b")
            .get("ENV", "PATH")
            .get("ENV", "TSRS_CONF_TEST_UNSET"),
        case("env_unset_variable").file("main.cnf", "a = $ENV::TSRS_CONF_TEST_UNSET\n"),
        case("env_section_in_file_wins")
            .file("main.cnf", "[ENV]\nPATH = mine\n[s]\na = $ENV::PATH\n")
            .get("s", "a")
            .get("ENV", "PATH"),
        case("env_falls_back_to_default")
            .file(
                "main.cnf",
                "TSRS_CONF_TEST_UNSET = dflt\na = $ENV::TSRS_CONF_TEST_UNSET\n",
            )
            .get("(null)", "a")
            .get("ENV", "TSRS_CONF_TEST_UNSET"),
        case("dollarid_on")
            .file(
                "main.cnf",
                ".pragma dollarid:on\na$b = 1\nc = $a$b\nd = ${a$b}\ne = $(a$b)\n",
            )
            .get("(null)", "a$b")
            .get("(null)", "c")
            .get("(null)", "d")
            .get("(null)", "e"),
        case("dollarid_on_then_off")
            .file(
                "main.cnf",
                ".pragma dollarid:on\n.pragma dollarid:off\na=1\nb=$a\n",
            )
            .get("(null)", "b"),
        case("pragma_with_equals")
            .file("main.cnf", ".pragma = dollarid : TRUE\nx$y = 1\n")
            .get("(null)", "x$y"),
        case("pragma_invalid_bool").file("main.cnf", "a=1\n.pragma dollarid:maybe\n"),
        case("pragma_without_colon").file("main.cnf", ".pragma dollarid\n"),
        case("pragma_empty_value").file("main.cnf", ".pragma dollarid:\n"),
        case("pragma_empty_keyword").file("main.cnf", ".pragma :on\n"),
        case("pragma_unknown")
            .file("main.cnf", ".pragma foo:bar\na=1\n")
            .get("(null)", "a"),
        case("pragma_bare").file("main.cnf", ".pragma\n"),
        case("pragma_prefix_word")
            .file("main.cnf", ".pragmas = dollarid:on\na$ = 1\n")
            .get("(null)", "a$"),
    ]
}

/// Returns the cases for `.include`.
fn include_cases() -> Vec<Case> {
    vec![
        case("include_absolute")
            .file("main.cnf", ".include @DIR@/inc.cnf\nb = $a\n")
            .file("inc.cnf", "a = from_inc\n")
            .get("(null)", "a")
            .get("(null)", "b"),
        case("include_with_equals")
            .file("main.cnf", ".include = @DIR@/inc.cnf\n")
            .file("inc.cnf", "a = 1\n")
            .get("(null)", "a"),
        case("include_relative")
            .file("main.cnf", ".include inc.cnf\n.include sub/inc2.cnf\n")
            .file("inc.cnf", "a = 1\n")
            .file("sub/inc2.cnf", "b = 2\n")
            .get("(null)", "a")
            .get("(null)", "b"),
        case("include_missing_file")
            .file("main.cnf", ".include @DIR@/missing.cnf\na = 1\n")
            .get("(null)", "a"),
        case("include_keeps_section")
            .file("main.cnf", "[s]\n.include @DIR@/inc.cnf\nb = 2\n")
            .file("inc.cnf", "a = 1\n[t]\nc = 3\n")
            .get("s", "a")
            .get("t", "b")
            .get("s", "b")
            .get("t", "c"),
        case("include_path_variable")
            .file("main.cnf", "d = @DIR@\n.include $d/inc.cnf\n")
            .file("inc.cnf", "a = 1\n")
            .get("(null)", "a"),
        case("include_undefined_variable").file("main.cnf", "a=1\n.include $nope/inc.cnf\n"),
        case("include_quoted_path")
            .file("main.cnf", ".include \"@DIR@/in c.cnf\"\n")
            .file("in c.cnf", "a = 1\n")
            .get("(null)", "a"),
        case("include_without_space")
            .file("main.cnf", ".include@DIR@/inc.cnf\na = 2\n")
            .file("inc.cnf", "a = 1\n")
            .get("(null)", "a"),
        case("include_bare").file("main.cnf", "a=1\n.include\n"),
        case("include_empty_path")
            .file("main.cnf", ".include =\na = 1\n")
            .get("(null)", "a"),
        case("include_line_numbers_add_up")
            .file("main.cnf", "a=1\n.include @DIR@/inc.cnf\nbad line\n")
            .file("inc.cnf", "b=2\nc=3\n"),
        case("include_error_inside")
            .file("main.cnf", "a=1\n\n.include @DIR@/inc.cnf\nc=3\n")
            .file("inc.cnf", "b=2\n[unclosed\n"),
        case("include_without_final_newline")
            .file("main.cnf", ".include @DIR@/inc.cnf\nb = 2\n")
            .file("inc.cnf", "a = 1")
            .get("(null)", "a")
            .get("(null)", "b"),
        case("include_continuation_at_end")
            .file("main.cnf", ".include @DIR@/inc.cnf\nb = 2\n")
            .file("inc.cnf", "a = 1\\\n")
            .get("(null)", "a")
            .get("(null)", "b"),
        case("include_directory")
            .file("main.cnf", "k = start\n.include @DIR@/d\nafter = $k\n")
            .file("d/b.cnf", "k = ${k}-b\n")
            .file("d/a.conf", "k = ${k}-a\n")
            .file("d/C.CNF", "k = ${k}-C\n")
            .file("d/z.txt", "k = ${k}-txt\n")
            .file("d/.cnf", "k = ${k}-dot\n")
            .file("d/y.cnf~", "k = ${k}-backup\n")
            .get("(null)", "k")
            .get("(null)", "after"),
        case("include_directory_order")
            .file("main.cnf", "k = \n.include @DIR@/d\n")
            .file("d/5.cnf", "k = ${k}5\n")
            .file("d/3.cnf", "k = ${k}3\n")
            .file("d/9.cnf", "k = ${k}9\n")
            .file("d/1.cnf", "k = ${k}1\n")
            .file("d/7.cnf", "k = ${k}7\n")
            .file("d/0.cnf", "k = ${k}0\n")
            .get("(null)", "k"),
        case("include_directory_empty")
            .file("main.cnf", ".include @DIR@/d\na = 1\n")
            .directory("d")
            .get("(null)", "a"),
        case("include_directory_from_directory")
            .file("main.cnf", "k = m\n.include @DIR@/d\nk = ${k}-end\n")
            .file("d/a.cnf", ".include @DIR@/e\nk = ${k}-a\n")
            .file("e/x.cnf", "k = ${k}-x\n")
            .get("(null)", "k"),
        case("include_file_from_directory_file")
            .file("main.cnf", "k = m\n.include @DIR@/d\nk = ${k}-end\n")
            .file("d/a.cnf", ".include @DIR@/x.cnf\nk = ${k}-a\n")
            .file("d/b.cnf", "k = ${k}-b\n")
            .file("x.cnf", "k = ${k}-x\n")
            .get("(null)", "k"),
        case("include_directory_twice")
            .file("main.cnf", "k = m\n.include @DIR@/d\n.include @DIR@/d\n")
            .file("d/a.cnf", "k = ${k}-a\n")
            .get("(null)", "k"),
        case("includedir_pragma")
            .file(
                "main.cnf",
                ".pragma includedir:@DIR@/incs\n.include x.cnf\n.include @DIR@/y.cnf\n",
            )
            .file("incs/x.cnf", "x = 1\n")
            .file("y.cnf", "y = 2\n")
            .get("(null)", "x")
            .get("(null)", "y"),
        case("includedir_with_slash")
            .file(
                "main.cnf",
                ".pragma includedir:@DIR@/incs/\n.include x.cnf\n",
            )
            .file("incs/x.cnf", "x = 1\n")
            .get("(null)", "x"),
        case("abspath_rejects_relative")
            .file("main.cnf", "a=1\n.pragma abspath:on\n.include inc.cnf\n")
            .file("inc.cnf", "b = 1\n"),
        case("abspath_accepts_absolute")
            .file("main.cnf", ".pragma abspath:on\n.include @DIR@/inc.cnf\n")
            .file("inc.cnf", "b = 1\n")
            .get("(null)", "b"),
        case("abspath_with_includedir")
            .file(
                "main.cnf",
                ".pragma includedir:@DIR@\n.pragma abspath:on\n.include inc.cnf\n",
            )
            .file("inc.cnf", "b = 1\n")
            .get("(null)", "b"),
        case("include_self_cycle")
            .file("main.cnf", "x = 1\n.include @DIR@/main.cnf\ny = $x\n")
            .get("(null)", "x")
            .get("(null)", "y"),
        case("include_two_file_cycle")
            .file("main.cnf", "a = 1\n.include @DIR@/b.cnf\nc = $b\n")
            .file("b.cnf", "b = 2\n.include @DIR@/main.cnf\n")
            .get("(null)", "a")
            .get("(null)", "b")
            .get("(null)", "c"),
        case("include_relative_cycle")
            .file("main.cnf", "n = x\n.include main.cnf\n")
            .get("(null)", "n"),
    ]
}

/// Returns the cases for `oid_section` and `oid_file`.
fn oid_cases() -> Vec<Case> {
    vec![
        case("oid_section")
            .file(
                "main.cnf",
                "oid_section = new_oids\n[ new_oids ]\ntsa_policy1 = 1.2.3.4.1\n\
                 tsa_policy2 = 1.2.3.4.5.6\ntsa_policy3 = 1.2.3.4.5.7\n",
            )
            .oid()
            .obj("tsa_policy1")
            .obj("tsa_policy2")
            .obj("1.2.3.4.5.6")
            .obj("1.2.3.4.5.8"),
        case("oid_section_missing")
            .file("main.cnf", "oid_section = nope\n")
            .oid(),
        case("oid_section_known_oid")
            .file(
                "main.cnf",
                "oid_section = o\n[o]\nfoo = 2.16.840.1.101.3.4.2.1\nbar = 1.2.3.9\n",
            )
            .oid()
            .obj("foo")
            .obj("bar"),
        case("oid_section_known_name")
            .file("main.cnf", "oid_section = o\n[o]\nsha256 = 1.2.3.9\n")
            .oid(),
        case("oid_section_long_name_form")
            .file(
                "main.cnf",
                "oid_section = o\n[o]\nshort = a long name, 1.2.3.10\n",
            )
            .oid()
            .obj("short"),
        case("oid_section_same_oid_twice")
            .file(
                "main.cnf",
                "oid_section = o\n[o]\nfirst = 1.2.3.11\nsecond = 1.2.3.11\n",
            )
            .oid()
            .obj("first")
            .obj("second"),
        case("oid_section_not_dotted")
            .file("main.cnf", "oid_section = o\n[o]\nx = not.an.oid\n")
            .oid(),
        case("oid_file")
            .file("main.cnf", "oid_file = @DIR@/oids.txt\n")
            .file(
                "oids.txt",
                "1.2.3.20 tsrsShort tsrs long name\n1.2.3.21 tsrsOnlyShort\n\
                 # stops here\n1.2.3.22 tsrsAfter after\n",
            )
            .oid()
            .obj("tsrsShort")
            .obj("tsrs long name")
            .obj("1.2.3.20")
            .obj("tsrsOnlyShort")
            .obj("tsrsAfter"),
        case("oid_file_last_line_without_newline")
            .file("main.cnf", "oid_file = @DIR@/oids.txt\n")
            .file("oids.txt", "1.2.3.30 tsrsA a\n1.2.3.31 tsrsB bb")
            .oid()
            .obj("tsrsA")
            .obj("tsrsB")
            .obj("bb")
            .obj("b"),
        case("oid_file_missing")
            .file(
                "main.cnf",
                "oid_file = @DIR@/none.txt\noid_section = o\n[o]\nq = 1.2.3.40\n",
            )
            .oid()
            .obj("q"),
        case("oid_file_then_section")
            .file(
                "main.cnf",
                "oid_file = @DIR@/oids.txt\noid_section = o\n[o]\nsame = 1.2.3.51\n",
            )
            .file("oids.txt", "1.2.3.50 same same\n")
            .oid()
            .obj("same"),
    ]
}

/// A small deterministic generator (a 64-bit linear congruential one).
struct Random(u64);

impl Random {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }

    fn pick<'a>(&mut self, choices: &[&'a [u8]]) -> &'a [u8] {
        choices[self.next() % choices.len()]
    }
}

/// Generates pseudo-random files of plausible lines whose values mix quotes,
/// escapes, comments and variable references, so that these meet in odd
/// orders. A few more files are arbitrary bytes.
fn generated_cases() -> Vec<Case> {
    const KEYS: &[&[u8]] = &[
        b"a", b"b", b"ab", b"x", b"s::a", b"t::b", b"a\\ b", b".pragma", b"",
    ];
    const TOKENS: &[&[u8]] = &[
        b"x",
        b"yz",
        b" ",
        b"\\t",
        b"\"",
        b"'",
        b"`",
        b"\\",
        b"\\n",
        b"\\\"",
        b"$a",
        b"${a}",
        b"$(b)",
        b"$s::a",
        b"${t::b}",
        b"$ENV::PATH",
        b"#",
        b" # c",
        b"\r",
        b"\t",
        b"\xff",
        b"::",
        b"{",
        b"}",
        b"$",
        b"=",
        b"[",
        b"]",
        b"\\\n",
        b"\0",
    ];
    const LINES: &[&[u8]] = &[
        b"[s]",
        b"[ t ]",
        b"[default]",
        b"[ s t ]",
        b"# comment",
        b"",
        b"   ",
        b".pragma dollarid:on",
        b".pragma dollarid:off",
        b"[s",
        b"junk",
    ];
    const ENDS: &[&[u8]] = &[b"\n", b"\n", b"\n", b"\r\n", b"\\\n"];
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let mut cases = Vec::new();
    for i in 0..60 {
        let mut text = b"a = seed\nb = $a\n".to_vec();
        for _ in 0..(3 + random.next() % 8) {
            if random.next().is_multiple_of(4) {
                text.extend_from_slice(random.pick(LINES));
            } else {
                text.extend_from_slice(random.pick(KEYS));
                text.extend_from_slice(b" = ");
                for _ in 0..(random.next() % 7) {
                    text.extend_from_slice(random.pick(TOKENS));
                }
            }
            text.extend_from_slice(random.pick(ENDS));
        }
        cases.push(
            case(&format!("generated_{i:02}"))
                .file("main.cnf", text)
                .get("(null)", "a")
                .get("(null)", "b")
                .get("(null)", "ab")
                .get("s", "a")
                .get("t", "b")
                .section("default")
                .section("s")
                .section("t")
                .section("s t"),
        );
    }
    for i in 0..10 {
        let length = 50 + random.next() % 1000;
        let bytes: Vec<u8> = (0..length).map(|_| (random.next() % 256) as u8).collect();
        cases.push(
            case(&format!("binary_garbage_{i:02}"))
                .file("main.cnf", bytes)
                .section("default"),
        );
    }
    cases
}

#[test]
fn conf_matches_libcrypto() {
    assert!(
        std::env::var_os("OPENSSL_CONF_INCLUDE").is_none(),
        "unset OPENSSL_CONF_INCLUDE: it changes how both readers resolve .include"
    );
    let root = temporary_root("conf_openssl");
    let cases: Vec<Case> = [
        syntax_cases(),
        error_cases(),
        variable_cases(),
        include_cases(),
        oid_cases(),
        generated_cases(),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(cases.len() >= 60, "only {} cases", cases.len());

    let mut mismatches = Vec::new();
    for case in &cases {
        let (expected, actual) = case.run(&root);
        if expected != actual {
            mismatches.push(format!(
                "case {}:\n  libcrypto: {expected:?}\n  tsrs:      {actual:?}",
                case.name
            ));
        }
    }
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ from libcrypto:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}

#[test]
fn parse_list_matches_libcrypto() {
    let inputs = [
        "secs:1, millisecs:500 ,microsecs:100",
        "sha256, sha384,sha512",
        "a:b:c",
        "a :b",
        "a ",
        "ab  ",
        " x : y z ",
        "a,b\nc",
        "a\r,b",
        "",
        "   ",
        "a,,b",
        "a,",
        ",a",
        "a:",
        ":b",
        "a: ,b",
        "a:1,b",
        "a\t:\t1\t,\tb\t",
        "1.2.3.4, 1.2.3.5:x",
    ];
    let root = temporary_root("conf_lists");
    let mut args = vec!["list"];
    args.extend(inputs);
    let expected = run_probe(&args, &root);
    let actual: String = inputs
        .iter()
        .map(|input| match parse_list(input) {
            None => "list error\n".to_owned(),
            Some(items) => {
                let mut line = String::from("list");
                for (name, value) in items {
                    let value = value.map_or("(none)".to_owned(), |v| hex(v.as_bytes()));
                    write!(line, " {}:{value}", hex(name.as_bytes())).unwrap();
                }
                line + "\n"
            }
        })
        .collect();
    assert_eq!(actual, expected);
}

#[test]
fn open_error_message_matches_openssl() {
    let path = Path::new("/nonexistent-tsrs-dir/tsa.cnf");
    let err = Config::load(path).unwrap_err();
    assert_eq!(err.line(), None);
    assert_eq!(err.reason(), Reason::ConfigOpen);
    assert_eq!(
        err.openssl_message("ts"),
        "Can't open \"/nonexistent-tsrs-dir/tsa.cnf\" for reading, No such file or directory"
    );
}

#[test]
fn syntax_error_message_matches_openssl() {
    let root = temporary_root("conf_messages");
    let path = root.join("bad.cnf");
    std::fs::write(&path, "a = 1\n\nb = $undefined\n").unwrap();
    let err = Config::load(&path).unwrap_err();
    assert_eq!(err.line(), Some(3));
    assert_eq!(err.reason(), Reason::ConfigSyntax);
    assert_eq!(
        err.openssl_message("ts"),
        format!("ts: Error on line 3 of config file \"{}\"", path.display())
    );
}

/// `openssl ts` prints these lines for a missing file and a syntax error.
#[test]
fn cli_messages_match_openssl_ts() {
    let root = temporary_root("conf_cli");
    let bad = root.join("bad.cnf");
    std::fs::write(&bad, "a = 1\n[unclosed\n").unwrap();
    let missing = root.join("missing.cnf");
    for path in [&bad, &missing] {
        let output = Command::new("openssl")
            .args(["ts", "-query", "-digest"])
            .arg("0".repeat(64))
            .arg("-config")
            .arg(path)
            .output()
            .expect("openssl runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let err = Config::load(path).unwrap_err();
        let message = err.openssl_message("ts");
        assert!(
            stderr.lines().any(|line| line == message),
            "openssl ts printed {stderr:?}, expected a line {message:?}"
        );
    }
}
