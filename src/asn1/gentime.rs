//! genTime: a GeneralizedTime that keeps its fractional seconds as written.
//!
//! RFC 3161 section 2.4.2 allows fractional seconds without trailing zeros
//! (`20240102030405.185Z`), which the `der` crate's `GeneralizedTime` rejects.
//! [`GenTime`] stores the string as encoded, so a token prints and re-encodes
//! exactly, and parses it on demand.

use der::{DecodeValue, EncodeValue, FixedTag, Header, Length, Reader, Tag, Writer};

use crate::error::{Error, Reason, Result};

/// The maximum number of fraction digits [`GenTime::from_unix`] writes (microseconds).
pub const MAX_PRECISION: u8 = 6;

/// A GeneralizedTime value, stored as its encoded characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GenTime(Vec<u8>);

/// The fields of a well-formed `YYYYMMDDHHMMSS[.f+]Z` time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeParts {
    /// Four-digit year.
    pub year: u32,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
    /// Hour, 0 to 23.
    pub hour: u32,
    /// Minute, 0 to 59.
    pub minute: u32,
    /// Second, 0 to 60 (a leap second is accepted).
    pub second: u32,
    /// Fraction digits after the dot, as written (may be empty).
    pub fraction: String,
}

impl GenTime {
    /// Wraps encoded characters without checking them; printing reports bad values.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        GenTime(bytes.into())
    }

    /// The encoded characters.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Builds the time OpenSSL's TSA writes for `seconds` and `micros` since the
    /// Unix epoch: the fraction is truncated to `precision` digits, then
    /// trailing zeros and a bare dot are removed.
    pub fn from_unix(seconds: i64, micros: u32, precision: u8) -> Result<Self> {
        if precision > MAX_PRECISION {
            return Err(Error::new(
                Reason::Time,
                format!(
                    "clock precision of {precision} digits is above the maximum of {MAX_PRECISION}"
                ),
            ));
        }
        if micros >= 1_000_000 {
            return Err(Error::new(
                Reason::Time,
                format!("microseconds value {micros} is not below 1000000"),
            ));
        }
        let (year, month, day, hour, minute, second) = civil_from_unix(seconds)
            .filter(|parts| (0..=9999).contains(&parts.0))
            .ok_or_else(|| {
                Error::new(
                    Reason::Time,
                    format!("time {seconds} is outside the years 0000 to 9999"),
                )
            })?;
        let mut text = format!("{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}");
        if precision > 0 {
            let digits = format!("{micros:06}");
            let fraction = digits[..usize::from(precision)].trim_end_matches('0');
            if !fraction.is_empty() {
                text.push('.');
                text.push_str(fraction);
            }
        }
        text.push('Z');
        Ok(GenTime(text.into_bytes()))
    }

    /// Parses `YYYYMMDDHHMMSS[.f+]Z`, the form RFC 3161 requires.
    pub fn parts(&self) -> Option<TimeParts> {
        let s = core::str::from_utf8(&self.0).ok()?;
        let body = s.strip_suffix('Z')?;
        let (main, fraction) = match body.split_once('.') {
            Some((main, fraction)) => {
                if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                (main, fraction)
            }
            None => (body, ""),
        };
        if main.len() != 14 || !main.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let num = |range: core::ops::Range<usize>| main[range].parse::<u32>().ok();
        let parts = TimeParts {
            year: num(0..4)?,
            month: num(4..6)?,
            day: num(6..8)?,
            hour: num(8..10)?,
            minute: num(10..12)?,
            second: num(12..14)?,
            fraction: fraction.to_owned(),
        };
        let valid = (1..=12).contains(&parts.month)
            && (1..=days_in_month(parts.year, parts.month)).contains(&parts.day)
            && parts.hour < 24
            && parts.minute < 60
            && parts.second <= 60;
        valid.then_some(parts)
    }

    /// Seconds since the Unix epoch, ignoring the fraction.
    pub fn unix_seconds(&self) -> Option<i64> {
        let p = self.parts()?;
        let days = days_from_civil(i64::from(p.year), p.month, p.day);
        Some(
            days * 86_400
                + i64::from(p.hour) * 3600
                + i64::from(p.minute) * 60
                + i64::from(p.second),
        )
    }
}

impl FixedTag for GenTime {
    const TAG: Tag = Tag::GeneralizedTime;
}

impl<'a> DecodeValue<'a> for GenTime {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, header: Header) -> der::Result<Self> {
        Ok(GenTime(reader.read_vec(header.length())?))
    }
}

impl EncodeValue for GenTime {
    fn value_len(&self) -> der::Result<Length> {
        Length::try_from(self.0.len())
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        writer.write(&self.0)
    }
}

fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `(year, month, day, hour, minute, second)` in UTC for seconds since the Unix epoch.
pub(crate) fn civil_from_unix(seconds: i64) -> Option<(i64, u32, u32, u32, u32, u32)> {
    let days = seconds.div_euclid(86_400);
    let secs_of_day = seconds.rem_euclid(86_400);
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let hour = (secs_of_day / 3600) as u32;
    let minute = (secs_of_day % 3600 / 60) as u32;
    let second = (secs_of_day % 60) as u32;
    Some((year, month, day, hour, minute, second))
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN_2_2024: i64 = 1_704_164_645; // 2024-01-02 03:04:05 UTC

    fn text(t: &GenTime) -> &str {
        core::str::from_utf8(t.as_bytes()).unwrap()
    }

    #[test]
    fn whole_seconds() {
        let t = GenTime::from_unix(JAN_2_2024, 0, 0).unwrap();
        assert_eq!(text(&t), "20240102030405Z");
    }

    #[test]
    fn fraction_truncated_and_trimmed() {
        let cases = [
            (185_000, 3, "20240102030405.185Z"),
            (185_999, 3, "20240102030405.185Z"),
            (262_510, 6, "20240102030405.26251Z"),
            (0, 3, "20240102030405Z"),
            (100_000, 6, "20240102030405.1Z"),
            (999_999, 1, "20240102030405.9Z"),
            (50_000, 1, "20240102030405Z"),
        ];
        for (micros, precision, expected) in cases {
            let t = GenTime::from_unix(JAN_2_2024, micros, precision).unwrap();
            assert_eq!(text(&t), expected, "{micros} at {precision}");
        }
    }

    #[test]
    fn precision_above_six_fails() {
        assert!(GenTime::from_unix(0, 0, 7).is_err());
    }

    #[test]
    fn parts_round_trip() {
        let t = GenTime::from_bytes(*b"20240102030405.5Z");
        let p = t.parts().unwrap();
        assert_eq!((p.year, p.month, p.day), (2024, 1, 2));
        assert_eq!((p.hour, p.minute, p.second), (3, 4, 5));
        assert_eq!(p.fraction, "5");
        assert_eq!(t.unix_seconds(), Some(JAN_2_2024));
    }

    #[test]
    fn malformed_times_have_no_parts() {
        for bad in [
            &b"2024010203040Z"[..],
            b"20240102030405",
            b"20241302030405Z",
            b"20240230030405Z",
            b"20240102030405.Z",
            b"20240102030405.5aZ",
            b"",
        ] {
            assert_eq!(GenTime::from_bytes(bad).parts(), None, "{bad:?}");
        }
    }

    #[test]
    fn civil_conversion_matches_known_dates() {
        assert_eq!(civil_from_unix(0), Some((1970, 1, 1, 0, 0, 0)));
        assert_eq!(civil_from_unix(951_782_400), Some((2000, 2, 29, 0, 0, 0)));
        assert_eq!(civil_from_unix(-1), Some((1969, 12, 31, 23, 59, 59)));
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
    }
}
