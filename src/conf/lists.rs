//! Readers for the value formats of OpenSSL's TSA section keys.

/// Reads a number as `_CONF_get_number` does (`clock_precision_digits`): the
/// leading ASCII digits of `value`, in decimal. A value that starts with
/// anything else, a sign included, reads as 0, and so does a number too large
/// for an `i64`.
pub fn parse_number(value: &str) -> i64 {
    let mut number: i64 = 0;
    for byte in value.bytes().take_while(u8::is_ascii_digit) {
        let digit = i64::from(byte - b'0');
        match number.checked_mul(10).and_then(|n| n.checked_add(digit)) {
            Some(next) => number = next,
            None => return 0,
        }
    }
    number
}

/// Splits a comma-separated list as `X509V3_parse_list` does (`digests`,
/// `other_policies`, `accuracy`): each item is `name` or `name:value`, with
/// surrounding whitespace removed. Only the first `:` of an item separates.
/// Separators after the first CR or LF are not seen, so the last item runs from
/// there to the end of the text (or to a NUL byte), line ends included.
///
/// Returns `None` where OpenSSL's function returns NULL: for an empty name
/// (an empty list included, or `a,,b`) and for an empty value (`a:`).
pub fn parse_list(value: &str) -> Option<Vec<(String, Option<String>)>> {
    let text = value.as_bytes();
    let text = &text[..text.iter().position(|&b| b == 0).unwrap_or(text.len())];
    let scanned = text
        .iter()
        .position(|&b| matches!(b, b'\r' | b'\n'))
        .unwrap_or(text.len());

    let mut items = Vec::new();
    let mut name: Option<&[u8]> = None;
    let mut item_start = 0;
    for (i, &byte) in text[..scanned].iter().enumerate() {
        match name {
            None if byte == b':' => {
                name = Some(strip_spaces(&text[item_start..i])?);
                item_start = i + 1;
            }
            None if byte == b',' => {
                items.push((lossy(strip_spaces(&text[item_start..i])?), None));
                item_start = i + 1;
            }
            Some(item_name) if byte == b',' => {
                let item_value = strip_spaces(&text[item_start..i])?;
                items.push((lossy(item_name), Some(lossy(item_value))));
                name = None;
                item_start = i + 1;
            }
            _ => {}
        }
    }
    let last = strip_spaces(&text[item_start..])?;
    match name {
        Some(item_name) => items.push((lossy(item_name), Some(lossy(last)))),
        None => items.push((lossy(last), None)),
    }
    Some(items)
}

/// Trims whitespace as `strip_spaces` in `crypto/x509/v3_utl.c` does, and
/// returns `None` for text that is empty or only whitespace. Like libcrypto,
/// it keeps the trailing whitespace after a single remaining character: `"a "`
/// stays `"a "`.
fn strip_spaces(text: &[u8]) -> Option<&[u8]> {
    let start = text.iter().position(|&b| !is_space(b))?;
    let text = &text[start..];
    let mut last = text.len() - 1;
    while last != 0 && is_space(text[last]) {
        last -= 1;
    }
    if last == 0 {
        return Some(text);
    }
    Some(&text[..=last])
}

/// Tests for whitespace as the C locale's `isspace` does.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn lossy(text: &[u8]) -> String {
    String::from_utf8_lossy(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, value: Option<&str>) -> (String, Option<String>) {
        (name.to_owned(), value.map(str::to_owned))
    }

    #[test]
    fn number_reads_leading_digits() {
        assert_eq!(parse_number("6"), 6);
        assert_eq!(parse_number("12abc"), 12);
        assert_eq!(parse_number(""), 0);
        assert_eq!(parse_number(" 3"), 0);
        assert_eq!(parse_number("-3"), 0);
        assert_eq!(parse_number("+3"), 0);
    }

    #[test]
    fn number_too_large_reads_zero() {
        assert_eq!(parse_number("9223372036854775807"), i64::MAX);
        assert_eq!(parse_number("9223372036854775808"), 0);
        assert_eq!(parse_number("99999999999999999999999"), 0);
    }

    #[test]
    fn list_of_names_and_values() {
        assert_eq!(
            parse_list("secs:1, millisecs:500 ,microsecs:100"),
            Some(vec![
                item("secs", Some("1")),
                item("millisecs", Some("500")),
                item("microsecs", Some("100")),
            ])
        );
        assert_eq!(
            parse_list("sha256, sha384,sha512"),
            Some(vec![
                item("sha256", None),
                item("sha384", None),
                item("sha512", None)
            ])
        );
    }

    #[test]
    fn list_value_keeps_later_colons() {
        assert_eq!(parse_list("a:b:c"), Some(vec![item("a", Some("b:c"))]));
    }

    #[test]
    fn list_keeps_space_after_single_character() {
        assert_eq!(parse_list("a :b"), Some(vec![item("a ", Some("b"))]));
        assert_eq!(parse_list("a "), Some(vec![item("a ", None)]));
        assert_eq!(parse_list("ab "), Some(vec![item("ab", None)]));
    }

    #[test]
    fn list_last_item_takes_line_end() {
        assert_eq!(
            parse_list("a,b\nc,d"),
            Some(vec![item("a", None), item("b\nc,d", None)])
        );
        assert_eq!(parse_list("a\r,b"), Some(vec![item("a\r,b", None)]));
    }

    #[test]
    fn list_rejects_empty_parts() {
        assert_eq!(parse_list(""), None);
        assert_eq!(parse_list("  "), None);
        assert_eq!(parse_list("a,,b"), None);
        assert_eq!(parse_list("a,"), None);
        assert_eq!(parse_list("a:"), None);
        assert_eq!(parse_list(":b"), None);
        assert_eq!(parse_list("a: ,b"), None);
    }
}
