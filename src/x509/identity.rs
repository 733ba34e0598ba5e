//! Host name, email address and IP address checks on the leaf certificate, as
//! OpenSSL 3.0's `check_id` runs them with `X509_check_host`,
//! `X509_check_email` and `X509_check_ip` (crypto/x509/v3_utl.c) and the
//! default host flags.
//!
//! The subjectAltName entries of the checked type come first. Only when there
//! are none does the subject's commonName or emailAddress count.

use der::Tagged;
use der::asn1::Any;

use super::Cert;
use super::codes::VerifyCode;
use super::oids;
use super::verify::{ChainError, Context};
use crate::asn1::GeneralName;

/// `check_id`: the host names (any one may match), then the email address,
/// then the IP address, each reported at depth 0.
pub(crate) fn check_identity(context: &Context<'_>) -> Result<(), ChainError> {
    let options = context.options;
    let leaf = &context.chain[0];
    if !options.hosts.is_empty() && !options.hosts.iter().any(|host| check_host(leaf, host)) {
        return Err(context.fail(VerifyCode::HostnameMismatch, 0));
    }
    if let Some(email) = &options.email
        && !check_email(leaf, email)
    {
        return Err(context.fail(VerifyCode::EmailMismatch, 0));
    }
    if let Some(ip) = &options.ip
        && !check_ip(leaf, ip)
    {
        return Err(context.fail(VerifyCode::IpAddressMismatch, 0));
    }
    Ok(())
}

/// Checks whether `cert` matches the DNS name `host` (`X509_check_host` with no flags).
/// A `host` starting with `.` matches that domain and its subdomains.
pub fn check_host(cert: &Cert, host: &str) -> bool {
    let host = host.as_bytes();
    let subdomains = host.len() > 1 && host[0] == b'.';
    let matches = |pattern: &[u8]| wildcard_equal(pattern, host, subdomains);
    check(cert, Kind::Dns, &matches)
}

/// Checks whether `cert` carries the email address `email`
/// (`X509_check_email`). The local part compares exactly, the domain without
/// regard to ASCII case.
pub fn check_email(cert: &Cert, email: &str) -> bool {
    check(cert, Kind::Email, &|pattern| {
        email_equal(pattern, email.as_bytes())
    })
}

/// Checks whether `cert` has the IP address `ip` (4 or 16 bytes) in an
/// iPAddress subjectAltName (`X509_check_ip`).
pub fn check_ip(cert: &Cert, ip: &[u8]) -> bool {
    check(cert, Kind::Ip, &|pattern| pattern == ip)
}

/// The subjectAltName type and subject attribute a check reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dns,
    Email,
    Ip,
}

/// `do_x509_check`: the alternative names of `kind`, else (for DNS names and
/// email addresses) the matching subject attributes. An empty name matches
/// nothing. A name that cannot be converted to UTF-8 ends the check as a
/// failure, because OpenSSL's conversion error does.
fn check(cert: &Cert, kind: Kind, matches: &dyn Fn(&[u8]) -> bool) -> bool {
    if let Some(alt_names) = &cert.extensions().subject_alt_name {
        let mut present = false;
        // After an SmtpUTF8Mailbox entry OpenSSL converts every later email
        // entry to UTF-8 before comparing, rather than comparing its bytes.
        let mut convert = false;
        for name in alt_names {
            let candidate = match (kind, name) {
                (Kind::Dns, GeneralName::DnsName(value)) => Some(value.clone()),
                (Kind::Ip, GeneralName::IpAddress(value)) => Some(value.clone()),
                (Kind::Email, GeneralName::Rfc822Name(value)) if convert => {
                    Some(latin1_to_utf8(value))
                }
                (Kind::Email, GeneralName::Rfc822Name(value)) => Some(value.clone()),
                (Kind::Email, GeneralName::OtherName { type_id, value })
                    if *type_id == oids::SMTP_UTF8_MAILBOX
                        && value.tag() == der::Tag::Utf8String =>
                {
                    convert = true;
                    if value.value().is_empty() {
                        Some(Vec::new())
                    } else if std::str::from_utf8(value.value()).is_ok() {
                        Some(value.value().to_vec())
                    } else {
                        // OpenSSL's conversion error ends the whole check.
                        return false;
                    }
                }
                _ => None,
            };
            let Some(candidate) = candidate else {
                continue;
            };
            present = true;
            if !candidate.is_empty() && matches(&candidate) {
                return true;
            }
        }
        if present {
            return false;
        }
    }
    let attribute = match kind {
        Kind::Dns => oids::COMMON_NAME,
        Kind::Email => oids::EMAIL_ADDRESS,
        Kind::Ip => return false,
    };
    for entry in cert.subject().iter().filter(|entry| entry.oid == attribute) {
        let Some(text) = string_to_utf8(&entry.value) else {
            return false;
        };
        if !text.is_empty() && matches(&text) {
            return true;
        }
    }
    false
}

/// `ASN1_STRING_to_UTF8`: the text of a string attribute as UTF-8, or `None`
/// for a value that is not a string type OpenSSL converts or that contains an
/// invalid character.
fn string_to_utf8(value: &Any) -> Option<Vec<u8>> {
    use der::Tag;

    let content = value.value();
    let code_points: Vec<u32> = match value.tag() {
        Tag::Utf8String => {
            return std::str::from_utf8(content)
                .ok()
                .map(|s| s.as_bytes().to_vec());
        }
        Tag::NumericString
        | Tag::PrintableString
        | Tag::TeletexString
        | Tag::Ia5String
        | Tag::UtcTime
        | Tag::GeneralizedTime
        | Tag::VisibleString => content.iter().map(|b| u32::from(*b)).collect(),
        Tag::BmpString if content.len().is_multiple_of(2) => content
            .chunks_exact(2)
            .map(|pair| u32::from(u16::from_be_bytes([pair[0], pair[1]])))
            .collect(),
        _ => return None,
    };
    let text: String = code_points
        .into_iter()
        .map(char::from_u32)
        .collect::<Option<String>>()?;
    Some(text.into_bytes())
}

fn latin1_to_utf8(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .map(|b| char::from(*b))
        .collect::<String>()
        .into_bytes()
}

/// `equal_email`: equal lengths; from the last `@` of either side on, ASCII
/// case is ignored, and before it the bytes must be equal.
fn email_equal(pattern: &[u8], subject: &[u8]) -> bool {
    if pattern.len() != subject.len() {
        return false;
    }
    let at = (0..pattern.len())
        .rev()
        .find(|&i| pattern[i] == b'@' || subject[i] == b'@');
    let split = match at {
        Some(at) => {
            if !equal_nocase(&pattern[at..], &subject[at..]) {
                return false;
            }
            at
        }
        None => pattern.len(),
    };
    // A match found at index 0 compares the whole string case-insensitively,
    // so OpenSSL then also compares all of it exactly.
    let split = if split == 0 { pattern.len() } else { split };
    pattern[..split] == subject[..split]
}

/// `equal_nocase` without the subdomain rule: equal lengths, no NUL in the
/// pattern, ASCII letters compared without regard to case.
fn equal_nocase(pattern: &[u8], subject: &[u8]) -> bool {
    pattern.len() == subject.len()
        && pattern
            .iter()
            .zip(subject)
            .all(|(p, s)| *p != 0 && p.eq_ignore_ascii_case(s))
}

/// `equal_nocase` with the subdomain rule OpenSSL applies to a host starting
/// with `.`: a longer pattern may match by its suffix from a `.` on.
fn equal_nocase_host(pattern: &[u8], subject: &[u8], subdomains: bool) -> bool {
    equal_nocase(skip_prefix(pattern, subject.len(), subdomains), subject)
}

/// `skip_prefix`: drops leading pattern bytes (stopping at a NUL) until the
/// pattern is as long as the subject, when that is possible.
fn skip_prefix(pattern: &[u8], subject_len: usize, subdomains: bool) -> &[u8] {
    if !subdomains {
        return pattern;
    }
    let mut start = 0;
    while pattern.len() - start > subject_len && pattern[start] != 0 {
        start += 1;
    }
    if pattern.len() - start == subject_len {
        &pattern[start..]
    } else {
        pattern
    }
}

/// `equal_wildcard`: a certificate name with one valid `*` in its first label
/// matches a single label of letters, digits and hyphens.
fn wildcard_equal(pattern: &[u8], subject: &[u8], subdomains: bool) -> bool {
    let star = if subject.len() > 1 && subject[0] == b'.' {
        None
    } else {
        valid_star(pattern)
    };
    match star {
        None => equal_nocase_host(pattern, subject, subdomains),
        Some(star) => wildcard_match(&pattern[..star], &pattern[star + 1..], subject, subdomains),
    }
}

/// `wildcard_match`: prefix and suffix around the `*` match the subject's,
/// and the part in between is one label (never part of an IDNA label).
fn wildcard_match(prefix: &[u8], suffix: &[u8], subject: &[u8], subdomains: bool) -> bool {
    if subject.len() < prefix.len() + suffix.len() {
        return false;
    }
    if !equal_nocase_host(prefix, &subject[..prefix.len()], subdomains) {
        return false;
    }
    let end = subject.len() - suffix.len();
    if !equal_nocase_host(&subject[end..], suffix, subdomains) {
        return false;
    }
    let middle = &subject[prefix.len()..end];
    let whole_label = prefix.is_empty() && suffix.first() == Some(&b'.');
    if whole_label && middle.is_empty() {
        return false;
    }
    if !whole_label && subject.len() >= 4 && subject[..4].eq_ignore_ascii_case(b"xn--") {
        return false;
    }
    if middle == b"*" {
        return true;
    }
    middle
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// `valid_star`: the position of the only `*` of a pattern when it is a legal
/// wildcard: in the first label, at its start or end, not in an IDNA label,
/// and followed by at least two more labels. Any other character than
/// letters, digits, `-`, `.` and that `*` disqualifies the pattern.
fn valid_star(pattern: &[u8]) -> Option<usize> {
    let mut star = None;
    let mut label_start = true;
    let mut hyphen = false;
    let mut idna = false;
    let mut dots = 0;
    for (i, &c) in pattern.iter().enumerate() {
        if c == b'*' {
            let at_start = label_start;
            let at_end = i + 1 == pattern.len() || pattern[i + 1] == b'.';
            if star.is_some() || idna || dots > 0 || (!at_start && !at_end) {
                return None;
            }
            star = Some(i);
            label_start = false;
        } else if c.is_ascii_alphanumeric() {
            if label_start
                && pattern[i..].len() >= 4
                && pattern[i..i + 4].eq_ignore_ascii_case(b"xn--")
            {
                idna = true;
            }
            hyphen = false;
            label_start = false;
        } else if c == b'.' {
            if hyphen || label_start {
                return None;
            }
            label_start = true;
            idna = false;
            dots += 1;
        } else if c == b'-' {
            if label_start {
                return None;
            }
            hyphen = true;
        } else {
            return None;
        }
    }
    if label_start || hyphen || dots < 2 {
        return None;
    }
    star
}

/// Parses an IPv4 or IPv6 address as OpenSSL's `a2i_ipadd` does and returns
/// its 4 or 16 bytes, or `None` when OpenSSL rejects it.
///
/// A text with a `:` is IPv6 (up to eight groups of up to four hex digits,
/// one `::`, an optional dotted IPv4 tail). Any other text is IPv4: four
/// decimal numbers as C's `sscanf("%d.%d.%d.%d")` reads them (blanks before a
/// number, a sign and leading zeros are allowed), each 0 to 255, followed by
/// the end of the text or a blank.
pub fn parse_ip_address(text: &str) -> Option<Vec<u8>> {
    if text.contains(':') {
        parse_ipv6(text.as_bytes()).map(|bytes| bytes.to_vec())
    } else {
        parse_ipv4(text.as_bytes()).map(|bytes| bytes.to_vec())
    }
}

fn parse_ipv4(text: &[u8]) -> Option<[u8; 4]> {
    let mut position = 0;
    let mut out = [0u8; 4];
    for (index, byte) in out.iter_mut().enumerate() {
        if index > 0 {
            if text.get(position) != Some(&b'.') {
                return None;
            }
            position += 1;
        }
        let value = scan_decimal(text, &mut position)?;
        *byte = u8::try_from(value).ok()?;
    }
    match text.get(position) {
        None => Some(out),
        Some(c) if is_c_space(*c) => Some(out),
        Some(_) => None,
    }
}

/// Reads an `int` the way glibc's `scanf("%d")` does: blanks, an optional
/// sign, at least one digit. An overflowing value saturates as `strtol`
/// makes it and is then truncated to 32 bits.
fn scan_decimal(text: &[u8], position: &mut usize) -> Option<i32> {
    while text.get(*position).is_some_and(|c| is_c_space(*c)) {
        *position += 1;
    }
    let negative = match text.get(*position) {
        Some(b'-') => {
            *position += 1;
            true
        }
        Some(b'+') => {
            *position += 1;
            false
        }
        _ => false,
    };
    let start = *position;
    let mut value: i64 = 0;
    while let Some(digit) = text.get(*position).filter(|c| c.is_ascii_digit()) {
        value = value
            .saturating_mul(10)
            .saturating_add(i64::from(digit - b'0'));
        *position += 1;
    }
    if *position == start {
        return None;
    }
    let value = if negative {
        if value == i64::MAX { i64::MIN } else { -value }
    } else {
        value
    };
    Some(value as i32)
}

fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

fn parse_ipv6(text: &[u8]) -> Option<[u8; 16]> {
    let mut bytes: Vec<u8> = Vec::with_capacity(16);
    let mut zero_position: Option<usize> = None;
    let mut zero_count = 0;
    let elements: Vec<&[u8]> = text.split(|c| *c == b':').collect();
    let last = elements.len() - 1;
    for (index, element) in elements.iter().enumerate() {
        if bytes.len() == 16 {
            return None;
        }
        if element.is_empty() {
            match zero_position {
                None => zero_position = Some(bytes.len()),
                Some(position) if position != bytes.len() => return None,
                Some(_) => {}
            }
            zero_count += 1;
        } else if element.len() > 4 {
            if bytes.len() > 12 || index != last {
                return None;
            }
            bytes.extend_from_slice(&parse_ipv4(element)?);
        } else {
            let mut value: u16 = 0;
            for c in element.iter() {
                let digit = char::from(*c).to_digit(16)?;
                value = (value << 4) | digit as u16;
            }
            bytes.extend_from_slice(&value.to_be_bytes());
        }
    }
    let total = bytes.len();
    let mut out = [0u8; 16];
    match zero_position {
        None => {
            if total != 16 {
                return None;
            }
            out.copy_from_slice(&bytes);
        }
        Some(position) => {
            let valid = match zero_count {
                1 => position != 0 && position != total,
                2 => position == 0 || position == total,
                3 => total == 0,
                _ => false,
            };
            if total == 16 || !valid {
                return None;
            }
            out[..position].copy_from_slice(&bytes[..position]);
            out[16 - (total - position)..].copy_from_slice(&bytes[position..]);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_forms_openssl_accepts() {
        assert_eq!(parse_ip_address("192.0.2.7"), Some(vec![192, 0, 2, 7]));
        assert_eq!(parse_ip_address("0192.0.2.7"), Some(vec![192, 0, 2, 7]));
        assert_eq!(parse_ip_address(" 1. +2.3.4 x"), Some(vec![1, 2, 3, 4]));
        assert_eq!(parse_ip_address("1.2.3.4294967300"), Some(vec![1, 2, 3, 4]));
    }

    #[test]
    fn ipv4_forms_openssl_rejects() {
        for text in [
            "192.0.2.7abc",
            "1.2.3",
            "1.2.3.256",
            "1.2.3.-1",
            "",
            "1..2.3.4",
        ] {
            assert_eq!(parse_ip_address(text), None, "{text:?}");
        }
    }

    #[test]
    fn ipv6_forms() {
        let mut expected = vec![0x20, 0x01, 0x0d, 0xb8];
        expected.extend_from_slice(&[0; 11]);
        expected.push(7);
        assert_eq!(parse_ip_address("2001:db8::7"), Some(expected.clone()));
        assert_eq!(parse_ip_address("2001:db8:0:0:0:0:0:7"), Some(expected));
        assert_eq!(parse_ip_address("::"), Some(vec![0; 16]));
        // A lone colon reads as two empty groups, which OpenSSL takes as "::".
        assert_eq!(parse_ip_address(":"), Some(vec![0; 16]));
        let mut mapped = vec![0; 10];
        mapped.extend_from_slice(&[0xff, 0xff, 1, 2, 3, 4]);
        assert_eq!(parse_ip_address("::ffff:1.2.3.4"), Some(mapped));
        for text in [
            ":::",
            "1:",
            "1::2::3",
            "1:2:3:4:5:6:7:8:9",
            "12345::",
            "1:2",
            "::1.2.3.4:5",
        ] {
            assert_eq!(parse_ip_address(text), None, "{text:?}");
        }
    }

    #[test]
    fn wildcards_follow_openssl_rules() {
        assert!(wildcard_equal(b"*.example.com", b"www.example.com", false));
        assert!(wildcard_equal(b"*.Example.com", b"WWW.example.COM", false));
        assert!(!wildcard_equal(b"*.example.com", b"a.b.example.com", false));
        assert!(!wildcard_equal(b"*.example.com", b"example.com", false));
        assert!(!wildcard_equal(b"*.com", b"example.com", false));
        assert!(wildcard_equal(b"w*.example.com", b"www.example.com", false));
        assert!(!wildcard_equal(
            b"w*.example.com",
            b"xn--w.example.com",
            false
        ));
        assert!(!wildcard_equal(
            b"a*b.example.com",
            b"axb.example.com",
            false
        ));
        assert!(wildcard_equal(
            b"*.example.com",
            b"xn--ls8h.example.com",
            false
        ));
        assert!(!wildcard_equal(
            b"xn--*.example.com",
            b"xn--a.example.com",
            false
        ));
        assert!(wildcard_equal(b"www.example.com", b".example.com", true));
        assert!(!wildcard_equal(b"www.example.com", b".other.com", true));
    }

    #[test]
    fn email_domain_ignores_case() {
        assert!(email_equal(b"tsa@Example.COM", b"tsa@example.com"));
        assert!(!email_equal(b"tsa@example.com", b"TSA@example.com"));
        assert!(email_equal(b"no-at-sign", b"no-at-sign"));
        assert!(!email_equal(b"no-at-sign", b"NO-AT-SIGN"));
    }
}
