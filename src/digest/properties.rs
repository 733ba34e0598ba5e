//! OpenSSL 3.0 property queries, such as `fips=yes`, `?provider=default` or
//! `-fips`: the text that `-propquery` and the `default_properties` key of
//! an `alg_section` take. Parsing and matching follow
//! `crypto/property/property_parse.c`, including its errors.

use crate::error::Record;

/// The library text OpenSSL 3.0 prints for `ERR_LIB_PROP`, which has no name
/// in its error-string table.
const PROP_LIB: &str = "lib(55)";

/// The property names libcrypto defines before any provider loads. Other
/// names are known only once created, and a query creates only names that
/// contain a dot.
const PREDEFINED_NAMES: [&str; 6] = [
    "provider",
    "version",
    "fips",
    "output",
    "input",
    "structure",
];

/// The maximum name and value lengths `property_parse.c` copies, in bytes.
const MAX_NAME_LEN: usize = 99;
const MAX_VALUE_LEN: usize = 999;

/// The Boolean values, which a name without a value compares against.
pub(crate) const TRUE: &str = "yes";
pub(crate) const FALSE: &str = "no";

/// A property value as libcrypto stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// A string: lower case when it was written unquoted.
    Text(String),
    Number(i64),
    /// A value that could not be parsed, or a string libcrypto did not know
    /// when the query was parsed without creating values.
    Undefined,
}

/// The comparison of a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Equal,
    NotEqual,
    /// `-name`: drops the name from the default properties when merged.
    Override,
}

/// One clause of a query, such as `?fips=yes`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Clause {
    /// The lower-case name, or `None` for a name libcrypto does not know
    /// (all unknown names share libcrypto's name index 0).
    name: Option<String>,
    operator: Operator,
    optional: bool,
    value: Value,
}

/// A parsed property query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query {
    clauses: Vec<Clause>,
}

/// A failed parse: the entries of libcrypto's error queue, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub(crate) records: Vec<Record>,
}

impl Query {
    /// Parses a query as `ossl_parse_query` does. With `create_values`, every
    /// string value is accepted, as for `default_properties`. Without it, a
    /// string for which `is_known` is false becomes [`Value::Undefined`], as
    /// for `-propquery`.
    pub(crate) fn parse(
        text: &str,
        create_values: bool,
        is_known: &dyn Fn(&str) -> bool,
    ) -> Result<Query, ParseError> {
        let mut parser = Parser {
            input: text.as_bytes(),
            position: 0,
            records: Vec::new(),
        };
        match parser.query(create_values, is_known) {
            Some(query) => Ok(query),
            None => Err(ParseError {
                records: parser.records,
            }),
        }
    }

    /// Merges `defaults` into a copy of `self`: the clauses of `self`, then
    /// those of `defaults` whose names `self` does not have, as
    /// `ossl_property_merge` combines a fetch's query with the default properties.
    pub(crate) fn merged_with(&self, defaults: &Query) -> Query {
        let mut clauses = self.clauses.clone();
        for clause in &defaults.clauses {
            if !clauses.iter().any(|own| own.name == clause.name) {
                clauses.push(clause.clone());
            }
        }
        Query { clauses }
    }

    /// Returns the string values of the clauses, which parsing created.
    pub(crate) fn text_values(&self) -> impl Iterator<Item = &str> {
        self.clauses
            .iter()
            .filter_map(|clause| match &clause.value {
                Value::Text(text) => Some(text.as_str()),
                _ => None,
            })
    }

    /// Returns whether an implementation defined by `definition` (name and
    /// value pairs, such as `provider=default`) satisfies every clause that is
    /// not optional, as `ossl_property_match_count` decides.
    pub(crate) fn matches(&self, definition: &[(&str, &str)]) -> bool {
        self.clauses.iter().all(|clause| clause.accepts(definition))
    }
}

impl Clause {
    fn accepts(&self, definition: &[(&str, &str)]) -> bool {
        if self.operator == Operator::Override {
            return true;
        }
        let defined = self.name.as_deref().and_then(|name| {
            definition
                .iter()
                .find(|(defined, _)| *defined == name)
                .map(|(_, value)| *value)
        });
        let satisfied = match defined {
            Some(value) => {
                let equal = matches!(&self.value, Value::Text(text) if text == value);
                equal == (self.operator == Operator::Equal)
            }
            // A name the implementation does not define compares as the
            // Boolean false, and an undefined value only as unequal.
            None => match &self.value {
                Value::Undefined => self.operator == Operator::NotEqual,
                Value::Number(_) => false,
                Value::Text(text) => (text == FALSE) == (self.operator == Operator::Equal),
            },
        };
        satisfied || self.optional
    }
}

struct Parser<'a> {
    input: &'a [u8],
    position: usize,
    records: Vec<Record>,
}

impl Parser<'_> {
    fn peek(&self) -> u8 {
        self.input.get(self.position).copied().unwrap_or(0)
    }

    fn peek_at(&self, offset: usize) -> u8 {
        self.input.get(self.position + offset).copied().unwrap_or(0)
    }

    /// Returns the rest of the input from `position`, as the `HERE-->` data shows it.
    fn rest_from(&self, position: usize) -> String {
        String::from_utf8_lossy(self.input.get(position..).unwrap_or_default()).into_owned()
    }

    fn skip_space(&mut self) {
        while is_space(self.peek()) {
            self.position += 1;
        }
    }

    fn raise(&mut self, function: &'static str, reason: &'static str, data: String) {
        self.records
            .push(Record::new(PROP_LIB, function, reason, data));
    }

    /// Consumes `expected` and the spaces after it.
    fn accept(&mut self, expected: &[u8]) -> bool {
        let end = self.position + expected.len();
        match self.input.get(self.position..end) {
            Some(found) if found.eq_ignore_ascii_case(expected) => {
                self.position = end;
                self.skip_space();
                true
            }
            _ => false,
        }
    }

    fn query(&mut self, create_values: bool, is_known: &dyn Fn(&str) -> bool) -> Option<Query> {
        let mut clauses = Vec::new();
        self.skip_space();
        let mut done = self.peek() == 0;
        while !done {
            let clause = if self.accept(b"-") {
                Clause {
                    name: self.name()?,
                    operator: Operator::Override,
                    optional: false,
                    value: Value::Undefined,
                }
            } else {
                let optional = self.accept(b"?");
                let name = self.name()?;
                let operator = if self.accept(b"=") {
                    Some(Operator::Equal)
                } else if self.accept(b"!=") {
                    Some(Operator::NotEqual)
                } else {
                    None
                };
                match operator {
                    // A name alone is a comparison with true.
                    None => Clause {
                        name,
                        operator: Operator::Equal,
                        optional,
                        value: Value::Text(TRUE.to_owned()),
                    },
                    Some(operator) => Clause {
                        name,
                        operator,
                        optional,
                        value: self.value(create_values, is_known),
                    },
                }
            };
            clauses.push(clause);
            done = !self.accept(b",");
        }
        if self.peek() != 0 {
            let data = format!("HERE-->{}", self.rest_from(self.position));
            self.raise("ossl_parse_query", "trailing characters", data);
            return None;
        }
        for (index, clause) in clauses.iter().enumerate() {
            if clauses[..index]
                .iter()
                .any(|other| other.name == clause.name)
            {
                let name = clause.name.as_deref().unwrap_or("(null)");
                let data = format!("Duplicated name `{name}'");
                self.raise("stack_to_property_list", "parse failed", data);
                return None;
            }
        }
        Some(Query { clauses })
    }

    /// `parse_name`: letters, digits and `_`, in parts separated by dots,
    /// each starting with a letter.
    fn name(&mut self) -> Option<Option<String>> {
        let start = self.position;
        let mut name = String::new();
        let mut user_name = false;
        loop {
            if !self.peek().is_ascii_alphabetic() {
                let data = format!("HERE-->{}", self.rest_from(start));
                self.raise("parse_name", "not an identifier", data);
                return None;
            }
            loop {
                name.push(char::from(self.peek().to_ascii_lowercase()));
                self.position += 1;
                let next = self.peek();
                if !(next == b'_' || next.is_ascii_alphanumeric()) {
                    break;
                }
            }
            if self.peek() != b'.' {
                break;
            }
            user_name = true;
            name.push('.');
            self.position += 1;
        }
        if name.len() > MAX_NAME_LEN {
            let data = format!("HERE-->{}", self.rest_from(start));
            self.raise("parse_name", "name too long", data);
            return None;
        }
        self.skip_space();
        let known = user_name || PREDEFINED_NAMES.contains(&name.as_str());
        Some(known.then_some(name))
    }

    /// `parse_value`. A value that cannot be parsed leaves the position where
    /// it was and gives [`Value::Undefined`]; its error stays queued.
    fn value(&mut self, create_values: bool, is_known: &dyn Fn(&str) -> bool) -> Value {
        let start = self.position;
        let first = self.peek();
        let parsed = match first {
            b'"' | b'\'' => {
                self.position += 1;
                self.quoted(first)
            }
            b'+' => {
                self.position += 1;
                self.number(10)
            }
            b'-' => {
                self.position += 1;
                self.number(10).map(|value| match value {
                    Value::Number(n) => Value::Number(n.wrapping_neg()),
                    other => other,
                })
            }
            b'0' if self.peek_at(1) == b'x' => {
                self.position += 2;
                self.number(16)
            }
            b'0' if self.peek_at(1).is_ascii_digit() => {
                self.position += 1;
                self.number(8)
            }
            _ if first.is_ascii_digit() => self.number(10),
            _ if first.is_ascii_alphabetic() => self.unquoted(),
            _ => None,
        };
        let value = match parsed {
            Some(value) => value,
            None => {
                self.position = start;
                return Value::Undefined;
            }
        };
        match value {
            Value::Text(text) if !create_values && !is_known(&text) => Value::Undefined,
            other => other,
        }
    }

    fn quoted(&mut self, delimiter: u8) -> Option<Value> {
        let start = self.position;
        let remaining = self.input.get(start..).unwrap_or_default();
        let end = match remaining.iter().position(|&b| b == delimiter) {
            Some(offset) => start + offset,
            None => {
                let data = format!("HERE-->{}{}", char::from(delimiter), self.rest_from(start));
                self.raise("parse_string", "no matching string delimiter", data);
                return None;
            }
        };
        let text =
            String::from_utf8_lossy(remaining.get(..end - start).unwrap_or_default()).into_owned();
        self.position = end + 1;
        self.skip_space();
        if text.len() > MAX_VALUE_LEN {
            let data = format!("HERE-->{}", self.rest_from(start));
            self.raise("parse_string", "string too long", data);
            return None;
        }
        Some(Value::Text(text))
    }

    fn unquoted(&mut self) -> Option<Value> {
        let start = self.position;
        let mut text = String::new();
        while is_print(self.peek()) && !is_space(self.peek()) && self.peek() != b',' {
            text.push(char::from(self.peek().to_ascii_lowercase()));
            self.position += 1;
        }
        let next = self.peek();
        if !is_space(next) && next != 0 && next != b',' {
            let data = format!("HERE-->{}", self.rest_from(self.position));
            self.raise("parse_unquoted", "not an ascii character", data);
            return None;
        }
        self.skip_space();
        if text.len() > MAX_VALUE_LEN {
            let data = format!("HERE-->{}", self.rest_from(start));
            self.raise("parse_unquoted", "string too long", data);
            return None;
        }
        Some(Value::Text(text))
    }

    /// `parse_number`, `parse_hex` and `parse_oct`.
    fn number(&mut self, radix: u32) -> Option<Value> {
        let (function, reason) = match radix {
            16 => ("parse_hex", "not an hexadecimal digit"),
            8 => ("parse_oct", "not an octal digit"),
            _ => ("parse_number", "not a decimal digit"),
        };
        let start = self.position;
        let mut value: i64 = 0;
        let mut digits = 0;
        while let Some(digit) = char::from(self.peek()).to_digit(radix) {
            let digit = i64::from(digit);
            if value > (i64::MAX - digit) / i64::from(radix) {
                let data = format!("Property {} overflows", self.rest_from(start));
                self.raise(function, "parse failed", data);
                return None;
            }
            value = value * i64::from(radix) + digit;
            digits += 1;
            self.position += 1;
        }
        let next = self.peek();
        if digits == 0 {
            // parse_hex names the text without the HERE--> marker.
            let data = match radix {
                16 => self.rest_from(start),
                _ => format!("HERE-->{}", self.rest_from(start)),
            };
            self.raise(function, reason, data);
            return None;
        }
        if !is_space(next) && next != 0 && next != b',' {
            let data = format!("HERE-->{}", self.rest_from(start));
            self.raise(function, reason, data);
            return None;
        }
        self.skip_space();
        Some(Value::Number(value))
    }
}

/// `ossl_isspace`: space, tab, newline, vertical tab, form feed, carriage return.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `ossl_isprint`: printable ASCII, space included.
fn is_print(byte: u8) -> bool {
    (0x20..0x7f).contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &[(&str, &str)] = &[("provider", "default")];
    const FIPS: &[(&str, &str)] = &[("provider", "fips"), ("fips", "yes")];

    fn known(value: &str) -> bool {
        ["yes", "no", "default", "legacy"].contains(&value)
    }

    fn query(text: &str) -> Query {
        Query::parse(text, false, &known).unwrap()
    }

    fn parse_error(text: &str) -> Vec<String> {
        let error = Query::parse(text, true, &|_| true).unwrap_err();
        error
            .records
            .iter()
            .map(|r| format!("{}:{}:{}", r.function, r.reason, r.data))
            .collect()
    }

    #[test]
    fn fips_queries_match_as_openssl() {
        assert!(query("fips=no").matches(DEFAULT));
        assert!(!query("fips=yes").matches(DEFAULT));
        assert!(query("fips=yes").matches(FIPS));
        assert!(!query("fips").matches(DEFAULT));
        assert!(query("?fips=yes").matches(DEFAULT));
        assert!(query("-fips").matches(DEFAULT));
        assert!(query("").matches(DEFAULT));
    }

    #[test]
    fn provider_queries_match_by_name() {
        assert!(query("provider=default").matches(DEFAULT));
        assert!(query("provider=DEFAULT").matches(DEFAULT));
        assert!(!query("provider=legacy").matches(DEFAULT));
        assert!(!query("provider!=default").matches(DEFAULT));
        assert!(query("provider!=legacy").matches(DEFAULT));
        // A value libcrypto does not know is undefined: equal to nothing.
        assert!(!query("provider=foo").matches(DEFAULT));
        assert!(query("provider!=foo").matches(DEFAULT));
    }

    #[test]
    fn unknown_names_compare_as_false() {
        assert!(!query("x=1").matches(DEFAULT));
        assert!(query("?x=1").matches(DEFAULT));
        assert!(query("x=no").matches(DEFAULT));
        assert!(query("my.name=no").matches(DEFAULT));
    }

    #[test]
    fn merge_prefers_own_clauses() {
        let defaults = Query::parse("fips=yes", true, &|_| true).unwrap();
        assert!(!query("").merged_with(&defaults).matches(DEFAULT));
        assert!(query("fips=no").merged_with(&defaults).matches(DEFAULT));
        assert!(query("-fips").merged_with(&defaults).matches(DEFAULT));
    }

    #[test]
    fn parse_errors_have_openssl_records() {
        assert_eq!(
            parse_error("fips=="),
            ["ossl_parse_query:trailing characters:HERE-->="]
        );
        assert_eq!(
            parse_error("1abc"),
            ["parse_name:not an identifier:HERE-->1abc"]
        );
        assert_eq!(
            parse_error("fips=1x"),
            [
                "parse_number:not a decimal digit:HERE-->1x",
                "ossl_parse_query:trailing characters:HERE-->1x"
            ]
        );
        assert_eq!(
            parse_error("fips=yes,fips=no"),
            ["stack_to_property_list:parse failed:Duplicated name `fips'"]
        );
        assert_eq!(
            parse_error("a=1,b=2"),
            ["stack_to_property_list:parse failed:Duplicated name `(null)'"]
        );
        assert_eq!(
            parse_error("fips='yes"),
            [
                "parse_string:no matching string delimiter:HERE-->'yes",
                "ossl_parse_query:trailing characters:HERE-->'yes"
            ]
        );
    }

    #[test]
    fn values_of_every_form_parse() {
        let parsed = Query::parse(
            " a.b = 'Quoted' , c.d=+12, e.f=-3, g.h=0x1F, i.j=017, k.l ",
            true,
            &|_| true,
        )
        .unwrap();
        let values: Vec<&Value> = parsed.clauses.iter().map(|c| &c.value).collect();
        assert_eq!(
            values,
            [
                &Value::Text("Quoted".into()),
                &Value::Number(12),
                &Value::Number(-3),
                &Value::Number(31),
                &Value::Number(15),
                &Value::Text("yes".into()),
            ]
        );
    }

    #[test]
    fn hostile_input_never_panics() {
        for text in [
            "", ",", "=", "a=", "a=0x", "a=09", "'", "a='", "é", "a=é", "a.", "-",
        ] {
            let _ = Query::parse(text, true, &|_| true);
            let _ = Query::parse(text, false, &known);
        }
        let long = "a".repeat(200);
        assert_eq!(parse_error(&long).len(), 1);
        let overflow = format!("a.b={}", "9".repeat(30));
        assert!(Query::parse(&overflow, true, &|_| true).is_err());
    }
}
