//! `ASN1_GENERALIZEDTIME_print` of OpenSSL 3.0 (`crypto/asn1/a_time.c`).
//!
//! OpenSSL parses the value with `ossl_asn1_time_to_tm` in its lenient mode:
//! seconds may be left out, a time-zone offset `+hhmm`/`-hhmm` may replace the
//! `Z`, fractional seconds need at least one digit. Anything else prints
//! `Bad time value`. Every value that parses prints with ` GMT`.

use crate::asn1::gentime::{civil_from_unix, days_from_civil};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Lowest and highest value of each two-digit field: century, year, month,
/// day, hour, minute, second, offset hours, offset minutes.
const FIELD_MIN: [u32; 9] = [0, 0, 1, 1, 0, 0, 0, 0, 0];
const FIELD_MAX: [u32; 9] = [99, 99, 12, 31, 23, 59, 59, 12, 59];

/// A broken-down UTC time, as `struct tm` stores it after parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tm {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

fn is_leap(year: i64) -> bool {
    year % 400 == 0 || (year % 100 != 0 && year % 4 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses a GeneralizedTime value the way `ossl_asn1_time_to_tm` does outside
/// its strict RFC 5280 mode.
fn parse(value: &[u8]) -> Option<Tm> {
    if value.len() < 13 {
        return None;
    }
    let mut pos = 0;
    let mut fields = [0u32; 7];
    for index in 0..fields.len() {
        if index == 6 && matches!(value.get(pos), Some(b'Z' | b'+' | b'-')) {
            break;
        }
        let number = two_digits(value, &mut pos)?;
        if pos == value.len() || !(FIELD_MIN[index]..=FIELD_MAX[index]).contains(&number) {
            return None;
        }
        if index == 3 {
            let year = i64::from(fields[0] * 100 + fields[1]);
            if number > days_in_month(year, fields[2]) {
                return None;
            }
        }
        fields[index] = number;
    }

    if value.get(pos) == Some(&b'.') {
        pos += 1;
        let digits = value[pos..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        pos += digits;
        if digits == 0 || pos == value.len() {
            return None;
        }
    }

    let mut tm = Tm {
        year: i64::from(fields[0] * 100 + fields[1]),
        month: fields[2],
        day: fields[3],
        hour: fields[4],
        minute: fields[5],
        second: fields[6],
    };
    match value.get(pos)? {
        b'Z' => pos += 1,
        sign @ (b'+' | b'-') => {
            pos += 1;
            if pos + 4 != value.len() {
                return None;
            }
            let hours = two_digits(value, &mut pos)?;
            let minutes = two_digits(value, &mut pos)?;
            if hours > FIELD_MAX[7] || minutes > FIELD_MAX[8] {
                return None;
            }
            let offset = i64::from(hours * 3600 + minutes * 60);
            if offset != 0 {
                // A time east of UTC is ahead of it, so the offset is subtracted.
                let towards_utc = if *sign == b'-' { offset } else { -offset };
                tm = adjust(tm, towards_utc)?;
            }
        }
        _ => return None,
    }
    (pos == value.len()).then_some(tm)
}

fn two_digits(value: &[u8], pos: &mut usize) -> Option<u32> {
    let tens = *value.get(*pos)?;
    if !tens.is_ascii_digit() {
        return None;
    }
    *pos += 1;
    if *pos == value.len() {
        return None;
    }
    let units = value[*pos];
    if !units.is_ascii_digit() {
        return None;
    }
    *pos += 1;
    Some(u32::from(tens - b'0') * 10 + u32::from(units - b'0'))
}

/// Moves `tm` by `seconds`, as `OPENSSL_gmtime_adj`, which fails outside the
/// years 1900 to 9999.
fn adjust(tm: Tm, seconds: i64) -> Option<Tm> {
    let days = days_from_civil(tm.year, tm.month, tm.day);
    let time_of_day = i64::from(tm.hour * 3600 + tm.minute * 60 + tm.second);
    let total = days
        .checked_mul(86_400)?
        .checked_add(time_of_day + seconds)?;
    let (year, month, day, hour, minute, second) = civil_from_unix(total)?;
    if !(1900..=9999).contains(&year) {
        return None;
    }
    Some(Tm {
        year,
        month,
        day,
        hour,
        minute,
        second,
    })
}

/// Writes `value` as `Mon DD HH:MM:SS[.fff] YYYY GMT` and returns true, or
/// writes `Bad time value` and returns false.
///
/// The fraction is copied as written. A value with an offset prints
/// converted to UTC, with ` GMT` like any other.
pub fn generalized_time(out: &mut Vec<u8>, value: &[u8]) -> bool {
    let Some(tm) = parse(value) else {
        out.extend_from_slice(b"Bad time value");
        return false;
    };
    let mut fraction: &[u8] = b"";
    if value.len() > 15 && value[14] == b'.' {
        let digits = value[15..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        fraction = &value[14..15 + digits];
    }
    let month = MONTHS[(tm.month - 1) as usize];
    let head = format!(
        "{month} {:2} {:02}:{:02}:{:02}",
        tm.day, tm.hour, tm.minute, tm.second
    );
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(fraction);
    out.extend_from_slice(format!(" {} GMT", tm.year).as_bytes());
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> String {
        let mut out = Vec::new();
        generalized_time(&mut out, value.as_bytes());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn whole_and_fractional_seconds() {
        assert_eq!(text("20240102030405Z"), "Jan  2 03:04:05 2024 GMT");
        assert_eq!(text("20240102030405.185Z"), "Jan  2 03:04:05.185 2024 GMT");
        assert_eq!(text("20241231235959.000Z"), "Dec 31 23:59:59.000 2024 GMT");
    }

    #[test]
    fn seconds_may_be_missing() {
        assert_eq!(text("202401020304Z"), "Jan  2 03:04:00 2024 GMT");
    }

    #[test]
    fn offsets_convert_to_utc() {
        assert_eq!(text("20240102030405+0100"), "Jan  2 02:04:05 2024 GMT");
        assert_eq!(text("20240101003000-0100"), "Jan  1 01:30:00 2024 GMT");
        assert_eq!(text("20240102030405+0000"), "Jan  2 03:04:05 2024 GMT");
    }

    #[test]
    fn malformed_values() {
        for bad in [
            "",
            "20240102030405",
            "20240102030405.Z",
            "20240230030405Z",
            "20240102030460Z",
            "20240102030405Zx",
            "2024010203040Z",
            "20240102030405+01",
            "20240102030405+1300",
            "18991231233000+0100",
        ] {
            assert_eq!(text(bad), "Bad time value", "{bad}");
        }
    }

    #[test]
    fn leap_day() {
        assert_eq!(text("20000229000000Z"), "Feb 29 00:00:00 2000 GMT");
        assert_eq!(text("19000229000000Z"), "Bad time value");
    }
}
