//! IMAP date and date-time values (RFC 9051 §9 date, date-time).
//!
//! ```
//! use mailwire_imap_proto::datetime::{DateTime, Date};
//! let (dt, _) = DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
//! assert_eq!(dt.date().year(), 1996);
//! assert_eq!(dt.zone_minutes(), -420);
//! assert_eq!(dt.to_string(), "\"17-Jul-1996 02:44:25 -0700\"");
//! let (d, _) = Date::parse(b"1-Feb-1994 ").unwrap();
//! assert_eq!(d.to_string(), "1-Feb-1994");
//! ```

use std::fmt;

use crate::error::{ParseError, finish};
use crate::primitive::{Encoder, PResult, byte, fail, peek};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// A calendar date (`date` in SEARCH keys). Only valid dates can be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// `None` unless `year` has four digits and the day exists in that month.
    #[must_use]
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if year > 9999 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month)
        {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Year (0–9999).
    #[must_use]
    pub fn year(&self) -> u16 {
        self.year
    }

    /// Month (1–12).
    #[must_use]
    pub fn month(&self) -> u8 {
        self.month
    }

    /// Day of month (1–31).
    #[must_use]
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Parses a `date` (optionally quoted).
    pub fn parse(input: &[u8]) -> Result<(Date, usize), ParseError> {
        finish(input, date(input))
    }

    /// Writes `d-Mon-yyyy`.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(self.to_string().as_bytes());
    }

    fn month_name(&self) -> &'static str {
        MONTHS
            .get(usize::from(self.month.saturating_sub(1)))
            .copied()
            .unwrap_or("Jan")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:04}", self.day, self.month_name(), self.year)
    }
}

/// A `date-time` (INTERNALDATE, APPEND): date, time and zone offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    date: Date,
    hour: u8,
    minute: u8,
    second: u8,
    zone_minutes: i16,
}

impl DateTime {
    /// `None` for an invalid time (hour > 23, minute > 59, second > 60) or a
    /// zone beyond ±99:59 or with minutes > 59.
    #[must_use]
    pub fn new(
        date: Date,
        hour: u8,
        minute: u8,
        second: u8,
        zone_minutes: i16,
    ) -> Option<DateTime> {
        if hour > 23 || minute > 59 || second > 60 || zone_minutes.unsigned_abs() > 99 * 60 + 59 {
            return None;
        }
        Some(DateTime {
            date,
            hour,
            minute,
            second,
            zone_minutes,
        })
    }

    /// The date.
    #[must_use]
    pub fn date(&self) -> Date {
        self.date
    }

    /// Hour (0–23).
    #[must_use]
    pub fn hour(&self) -> u8 {
        self.hour
    }

    /// Minute (0–59).
    #[must_use]
    pub fn minute(&self) -> u8 {
        self.minute
    }

    /// Second (0–60).
    #[must_use]
    pub fn second(&self) -> u8 {
        self.second
    }

    /// Zone offset from UTC in minutes (`-0700` is -420).
    #[must_use]
    pub fn zone_minutes(&self) -> i16 {
        self.zone_minutes
    }

    /// Parses a quoted `date-time`.
    pub fn parse(input: &[u8]) -> Result<(DateTime, usize), ParseError> {
        finish(input, date_time(input))
    }

    /// Writes the quoted form.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(self.to_string().as_bytes());
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.zone_minutes < 0 { '-' } else { '+' };
        let z = self.zone_minutes.unsigned_abs();
        write!(
            f,
            "\"{:02}-{}-{:04} {:02}:{:02}:{:02} {}{:02}{:02}\"",
            self.date.day,
            self.date.month_name(),
            self.date.year,
            self.hour,
            self.minute,
            self.second,
            sign,
            z / 60,
            z % 60
        )
    }
}

fn fixed_digits(input: &[u8], n: usize) -> PResult<'_, u16> {
    let mut v: u16 = 0;
    for i in 0..n {
        match input.get(i) {
            None => return Err(nom::Err::Incomplete(nom::Needed::new(n - i))),
            Some(b) if b.is_ascii_digit() => v = v * 10 + u16::from(b - b'0'),
            Some(_) => return fail(&input[i..], "digit"),
        }
    }
    Ok((&input[n..], v))
}

fn month(input: &[u8]) -> PResult<'_, u8> {
    if input.len() < 3 {
        // Could still become a month name.
        let ok = MONTHS
            .iter()
            .any(|m| m.as_bytes()[..input.len()].eq_ignore_ascii_case(input));
        return if ok {
            Err(nom::Err::Incomplete(nom::Needed::new(3 - input.len())))
        } else {
            fail(input, "month name")
        };
    }
    for (i, m) in MONTHS.iter().enumerate() {
        if input[..3].eq_ignore_ascii_case(m.as_bytes()) {
            return Ok((&input[3..], i as u8 + 1));
        }
    }
    fail(input, "month name")
}

fn date_text(input: &[u8]) -> PResult<'_, Date> {
    // date-day = 1*2DIGIT
    let (r, d1) = fixed_digits(input, 1)?;
    let (r, day) = match peek(r)? {
        (_, b) if b.is_ascii_digit() => (&r[1..], d1 * 10 + u16::from(b - b'0')),
        _ => (r, d1),
    };
    let (r, ()) = byte(b'-', "-")(r)?;
    let (r, m) = month(r)?;
    let (r, ()) = byte(b'-', "-")(r)?;
    let (r, y) = fixed_digits(r, 4)?;
    match u8::try_from(day).ok().and_then(|d| Date::new(y, m, d)) {
        Some(d) => Ok((r, d)),
        None => fail(input, "valid date"),
    }
}

/// `date`: date-text / DQUOTE date-text DQUOTE.
pub fn date(input: &[u8]) -> PResult<'_, Date> {
    match peek(input)? {
        (_, b'"') => {
            let (r, d) = date_text(&input[1..])?;
            let (r, ()) = byte(b'"', "\"")(r)?;
            Ok((r, d))
        }
        _ => match date_text(input) {
            Err(nom::Err::Error(e)) if e.remaining == input.len() && e.expected != "valid date" => {
                fail(input, "date")
            }
            other => other,
        },
    }
}

/// `date-time`: DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE.
pub fn date_time(input: &[u8]) -> PResult<'_, DateTime> {
    let (r, ()) = byte(b'"', "date-time")(input)?;
    // date-day-fixed = (SP DIGIT) / 2DIGIT
    let (r, day) = match peek(r)? {
        (_, b' ') => fixed_digits(&r[1..], 1)?,
        _ => fixed_digits(r, 2)?,
    };
    let (r, ()) = byte(b'-', "-")(r)?;
    let (r, m) = month(r)?;
    let (r, ()) = byte(b'-', "-")(r)?;
    let (r, y) = fixed_digits(r, 4)?;
    let (r, ()) = byte(b' ', "SP")(r)?;
    let (r, hh) = fixed_digits(r, 2)?;
    let (r, ()) = byte(b':', ":")(r)?;
    let (r, mm) = fixed_digits(r, 2)?;
    let (r, ()) = byte(b':', ":")(r)?;
    let (r, ss) = fixed_digits(r, 2)?;
    let (r, ()) = byte(b' ', "SP")(r)?;
    let (r, neg) = match peek(r)? {
        (_, b'+') => (&r[1..], false),
        (_, b'-') => (&r[1..], true),
        _ => return fail(r, "zone"),
    };
    let (r, zh) = fixed_digits(r, 2)?;
    let (r, zm) = fixed_digits(r, 2)?;
    let (r, ()) = byte(b'"', "\"")(r)?;
    if zm > 59 {
        return fail(input, "valid zone");
    }
    let zone = (zh * 60 + zm) as i16;
    let zone = if neg { -zone } else { zone };
    let dt = u8::try_from(day)
        .ok()
        .and_then(|d| Date::new(y, m, d))
        .and_then(|d| DateTime::new(d, hh as u8, mm as u8, ss as u8, zone));
    match dt {
        Some(dt) => Ok((r, dt)),
        None => fail(input, "valid date-time"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn date_times() {
        let (d, n) = DateTime::parse(b"\" 7-Feb-1994 21:52:25 -0800\"").unwrap();
        assert_eq!(n, 28);
        assert_eq!(d.date().day(), 7);
        assert_eq!(d.to_string(), "\"07-Feb-1994 21:52:25 -0800\"");
        assert!(DateTime::parse(b"\"30-Feb-1994 21:52:25 -0800\"").is_err());
        assert!(DateTime::parse(b"\"07-Feb-1994 24:52:25 -0800\"").is_err());
        assert!(
            DateTime::parse(b"\"07-Feb-1994 21:52")
                .unwrap_err()
                .is_incomplete()
        );
        assert!(DateTime::parse(b"\"07-Fe").unwrap_err().is_incomplete());
        assert!(DateTime::parse(b"\"07-Fx").is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse(b"\"29-Feb-2000\"").unwrap().0,
            Date::new(2000, 2, 29).unwrap()
        );
        assert!(Date::parse(b"29-Feb-1900 ").is_err());
        assert_eq!(
            Date::parse(b"01-jan-2020 ").unwrap().0.to_string(),
            "1-Jan-2020"
        );
        assert!(Date::parse(b"1-Jan-202").unwrap_err().is_incomplete());
    }
}
