//! Date and time (RFC 5322 §3.3, obsolete forms of §4.3).
//!
//! ```
//! use mailwire_rfc5322::datetime::DateTime;
//! use mailwire_rfc5322::DefectKind;
//!
//! let d = DateTime::parse(b"Fri, 21 Nov 1997 09:55:06 -0600").unwrap().value;
//! assert_eq!((d.year, d.month, d.day, d.hour, d.minute, d.second), (1997, 11, 21, 9, 55, 6));
//! assert_eq!(d.offset_minutes, -360);
//! assert_eq!(d.to_string(), "Fri, 21 Nov 1997 09:55:06 -0600");
//! assert_eq!(d.unix_timestamp(), 880127706);
//!
//! // Obsolete forms are accepted, with defects.
//! let p = DateTime::parse(b"21 Nov 97 09:55:06 GMT").unwrap();
//! assert_eq!(p.value.year, 1997);
//! assert!(p.defects.iter().any(|d| d.kind == DefectKind::ObsoleteYear));
//! ```

use std::fmt;

use nom::IResult;
use nom::Parser;
use nom::bytes::complete::take_while1;
use nom::character::complete::digit1;
use nom::error::ErrorKind;

use crate::error::{DefectKind, Error, Parsed};
use crate::lexical::Cursor;

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

const WEEKDAYS: [(Weekday, &str); 7] = [
    (Weekday::Mon, "Mon"),
    (Weekday::Tue, "Tue"),
    (Weekday::Wed, "Wed"),
    (Weekday::Thu, "Thu"),
    (Weekday::Fri, "Fri"),
    (Weekday::Sat, "Sat"),
    (Weekday::Sun, "Sun"),
];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Weekday {
    /// The three-letter name used in RFC 5322.
    #[must_use]
    pub fn name(self) -> &'static str {
        WEEKDAYS
            .iter()
            .find(|(w, _)| *w == self)
            .map_or("Mon", |(_, n)| n)
    }

    fn from_days_since_epoch(days: i64) -> Self {
        // 1970-01-01 was a Thursday.
        let idx = (days + 3).rem_euclid(7);
        WEEKDAYS
            .get(usize::try_from(idx).unwrap_or(0))
            .map_or(Self::Mon, |(w, _)| *w)
    }
}

/// A date-time as written in a message.
///
/// Fields hold the local time as written; `offset_minutes` is the zone
/// offset (east positive). `-0000` (and every obsolete zone RFC 5322 §4.3
/// says to treat as unknown) sets `offset_unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// The day of week if one was written.
    pub day_of_week: Option<Weekday>,
    /// Year (four digits after §4.3 obsolete-year interpretation).
    pub year: u32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31 (valid for the month).
    pub day: u8,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–60 (60 for a leap second); 0 when not written.
    pub second: u8,
    /// Zone offset in minutes east of UTC.
    pub offset_minutes: i16,
    /// Whether the zone was `-0000` or an unknown/military zone: the time
    /// is UTC but the local zone is unknown.
    pub offset_unknown: bool,
}

impl DateTime {
    /// A date-time; checks ranges (day valid for the month, leap years).
    ///
    /// # Errors
    /// [`Error::Syntax`] when a field is out of range.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        year: u32,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        offset_minutes: i16,
    ) -> Result<Self, Error> {
        let d = Self {
            day_of_week: None,
            year,
            month,
            day,
            hour,
            minute,
            second,
            offset_minutes,
            offset_unknown: false,
        };
        d.check(0)?;
        Ok(Self {
            day_of_week: Some(d.weekday()),
            ..d
        })
    }

    fn check(&self, offset: usize) -> Result<(), Error> {
        if !(1..=12).contains(&self.month) {
            return Err(Error::syntax(offset, "month"));
        }
        if self.day == 0 || self.day > days_in_month(self.year, self.month) {
            return Err(Error::syntax(offset, "day"));
        }
        if self.hour > 23 || self.minute > 59 || self.second > 60 {
            return Err(Error::syntax(offset, "time-of-day"));
        }
        if self.year > 9999 {
            return Err(Error::syntax(offset, "year"));
        }
        if self.offset_minutes.unsigned_abs() >= 100 * 60 {
            return Err(Error::syntax(offset, "zone"));
        }
        Ok(())
    }

    /// Days since 1970-01-01 of the written (local) date.
    fn days(&self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        )
    }

    /// The day of week the date falls on (whatever was written).
    #[must_use]
    pub fn weekday(&self) -> Weekday {
        Weekday::from_days_since_epoch(self.days())
    }

    /// Seconds since the Unix epoch (UTC); a leap second counts as the
    /// next second.
    #[must_use]
    pub fn unix_timestamp(&self) -> i64 {
        self.days() * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.offset_minutes) * 60
    }

    /// Parse a date-time field value (RFC 5322 §3.3 with the obsolete
    /// syntax of §4.3): optional day of week (checked against the date, a
    /// mismatch is a defect), 1–2 digit day, case-insensitive month name,
    /// 2-, 3- or 4-digit year (2 digits: < 50 → 20xx, else 19xx; 3 digits:
    /// plus 1900), optional seconds, numeric or named zone (`UT`, `GMT`, US
    /// zones; military and unknown zones are `-0000`), CFWS anywhere.
    ///
    /// # Errors
    /// [`Error::Syntax`] with the offset and the expected element when the
    /// value is not a date.
    pub fn parse(value: &[u8]) -> Result<Parsed<Self>, Error> {
        let mut c = Cursor::new(value);
        let d = parse_date_time(&mut c)?;
        Ok(Parsed {
            value: d,
            defects: c.defects,
        })
    }
}

fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn days_in_month(y: u32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Howard Hinnant's days_from_civil.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `min*maxDIGIT`, and not followed by another digit.
fn digits(min: usize, max: usize) -> impl Fn(&[u8]) -> IResult<&[u8], &[u8]> {
    move |i| {
        let (rest, d) = digit1(i)?;
        if (min..=max).contains(&d.len()) {
            Ok((rest, d))
        } else {
            Err(nom::Err::Error(nom::error::Error::new(i, ErrorKind::Digit)))
        }
    }
}

fn alpha(i: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|b: u8| b.is_ascii_alphabetic()).parse(i)
}

/// Run a nom parser at the cursor.
fn run<'a, O>(
    c: &mut Cursor<'a>,
    mut p: impl FnMut(&'a [u8]) -> IResult<&'a [u8], O>,
    expected: &'static str,
) -> Result<O, Error> {
    let rest = c.rest();
    match p(rest) {
        Ok((left, o)) => {
            c.advance(rest.len() - left.len());
            Ok(o)
        }
        Err(_) => Err(Error::syntax(c.pos(), expected)),
    }
}

fn number(b: &[u8]) -> u32 {
    b.iter().fold(0u32, |n, &d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    })
}

fn parse_date_time(c: &mut Cursor<'_>) -> Result<DateTime, Error> {
    c.skip_cfws();
    // [ day-of-week "," ]
    let mut day_of_week = None;
    if c.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
        let at = c.pos();
        let name = run(c, alpha, "day-name")?;
        let wd = WEEKDAYS
            .iter()
            .find(|(_, n)| name.eq_ignore_ascii_case(n.as_bytes()))
            .map(|(w, _)| *w)
            .or_else(|| full_day_name(name));
        // An unknown (e.g. localised) day name is ignored with a defect,
        // as long as a comma follows it.
        if wd.is_none() && !c.rest().trim_ascii_start().starts_with(b",") {
            return Err(Error::syntax(at, "day-name"));
        }
        if wd.is_none_or(|_| name.len() != 3) {
            c.defect_at(DefectKind::NonStandardSyntax, at);
        }
        day_of_week = wd;
        c.skip_cfws();
        if !c.eat(b',') {
            // A missing comma is common enough to accept.
            c.defect(DefectKind::NonStandardSyntax);
        }
        c.skip_cfws();
    }
    // day
    let at = c.pos();
    let day = run(c, digits(1, 2), "day")?;
    let day = number(day);
    c.skip_cfws();
    // month
    let mat = c.pos();
    let mname = run(c, alpha, "month")?;
    let month = match MONTHS
        .iter()
        .position(|m| mname.eq_ignore_ascii_case(m.as_bytes()))
    {
        Some(m) => m,
        None => {
            let m = full_month_name(mname).ok_or(Error::syntax(mat, "month"))?;
            c.defect_at(DefectKind::NonStandardSyntax, mat);
            m
        }
    };
    c.skip_cfws();
    // year
    let yat = c.pos();
    let ydigits = run(c, digits(2, 9), "year")?;
    let mut year = number(ydigits);
    match ydigits.len() {
        2 => {
            c.defect_at(DefectKind::ObsoleteYear, yat);
            year += if year < 50 { 2000 } else { 1900 };
        }
        3 => {
            c.defect_at(DefectKind::ObsoleteYear, yat);
            year += 1900;
        }
        _ => {}
    }
    c.skip_cfws();
    // time-of-day = hour ":" minute [ ":" second ]
    let tat = c.pos();
    let hour = run(c, digits(1, 2), "hour")?;
    if hour.len() != 2 {
        c.defect_at(DefectKind::NonStandardSyntax, tat);
    }
    let hour = number(hour);
    c.skip_cfws();
    // A '.' separator (`09.55.06`) is not RFC 5322 but seen in the wild.
    let dots = c.peek() == Some(b'.');
    if dots {
        c.defect(DefectKind::NonStandardSyntax);
    }
    if !c.eat(if dots { b'.' } else { b':' }) {
        return Err(Error::syntax(c.pos(), "\":\""));
    }
    c.skip_cfws();
    let minute = number(run(c, digits(2, 2), "minute")?);
    c.skip_cfws();
    let mut second = 0;
    if c.eat(if dots { b'.' } else { b':' }) {
        c.skip_cfws();
        second = number(run(c, digits(2, 2), "second")?);
    }
    c.skip_cfws();
    // zone
    let zat = c.pos();
    // A zone of four digits without a sign is taken as `+hhmm`.
    let unsigned = c.rest().len() >= 4
        && c.rest()[..4].iter().all(u8::is_ascii_digit)
        && !c.rest().get(4).is_some_and(u8::is_ascii_digit);
    if unsigned {
        c.defect(DefectKind::NonStandardSyntax);
    }
    let (offset_minutes, offset_unknown) = match c.peek() {
        Some(sign @ (b'+' | b'-' | b'0'..=b'9')) => {
            if sign == b'+' || sign == b'-' {
                c.advance(1);
            } else if !unsigned {
                return Err(Error::syntax(zat, "zone"));
            }
            let z = run(c, digits(4, 4), "zone")?;
            let z = number(z);
            let (h, m) = (z / 100, z % 100);
            if m > 59 {
                return Err(Error::syntax(zat, "zone"));
            }
            let mins = i16::try_from(h * 60 + m).unwrap_or(0);
            if sign == b'-' {
                (-mins, mins == 0)
            } else {
                (mins, false)
            }
        }
        Some(b) if b.is_ascii_alphabetic() => {
            let name = run(c, alpha, "zone")?;
            c.defect_at(
                if name.eq_ignore_ascii_case(b"UTC") {
                    DefectKind::NonStandardSyntax
                } else {
                    DefectKind::ObsoleteSyntax
                },
                zat,
            );
            match obs_zone(name) {
                Some(off) => (off, false),
                None => {
                    c.defect_at(DefectKind::UnknownTimeZone, zat);
                    (0, true)
                }
            }
        }
        _ => {
            c.defect_at(DefectKind::UnknownTimeZone, zat);
            (0, true)
        }
    };
    c.skip_cfws();
    if !c.at_end() {
        c.recover_to(b"");
    }
    let d = DateTime {
        day_of_week,
        year,
        month: u8::try_from(month + 1).unwrap_or(0),
        day: u8::try_from(day).unwrap_or(0),
        hour: u8::try_from(hour).unwrap_or(u8::MAX),
        minute: u8::try_from(minute).unwrap_or(u8::MAX),
        second: u8::try_from(second).unwrap_or(u8::MAX),
        offset_minutes,
        offset_unknown,
    };
    d.check(at)?;
    if let Some(w) = day_of_week
        && w != d.weekday()
    {
        c.defect_at(DefectKind::DayOfWeekMismatch, 0);
    }
    Ok(d)
}

fn full_day_name(name: &[u8]) -> Option<Weekday> {
    const FULL: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    FULL.iter()
        .position(|f| name.eq_ignore_ascii_case(f.as_bytes()))
        .and_then(|i| WEEKDAYS.get(i))
        .map(|(w, _)| *w)
}

fn full_month_name(name: &[u8]) -> Option<usize> {
    const FULL: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    FULL.iter()
        .position(|f| name.eq_ignore_ascii_case(f.as_bytes()))
}

/// obs-zone (RFC 5322 §4.3). Military zones (one letter except J) are
/// returned as `None`: their meaning was defined wrongly in RFC 822, so
/// they are taken as `-0000`, as are unknown names.
fn obs_zone(name: &[u8]) -> Option<i16> {
    const ZONES: [(&str, i16); 10] = [
        ("UT", 0),
        ("GMT", 0),
        ("EST", -5 * 60),
        ("EDT", -4 * 60),
        ("CST", -6 * 60),
        ("CDT", -5 * 60),
        ("MST", -7 * 60),
        ("MDT", -6 * 60),
        ("PST", -8 * 60),
        ("PDT", -7 * 60),
    ];
    ZONES
        .iter()
        .find(|(n, _)| name.eq_ignore_ascii_case(n.as_bytes()))
        .map(|(_, o)| *o)
        .or_else(|| name.eq_ignore_ascii_case(b"UTC").then_some(0))
}

impl fmt::Display for DateTime {
    /// The RFC 5322 §3.3 form, e.g. `Fri, 21 Nov 1997 09:55:06 -0600`
    /// (always with day of week and seconds, `-0000` for an unknown zone).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let month = MONTHS
            .get(usize::from(self.month.saturating_sub(1)))
            .copied()
            .unwrap_or("Jan");
        let sign = if self.offset_minutes < 0 || self.offset_unknown {
            '-'
        } else {
            '+'
        };
        let off = self.offset_minutes.unsigned_abs();
        write!(
            f,
            "{}, {} {} {:04} {:02}:{:02}:{:02} {}{:02}{:02}",
            self.weekday().name(),
            self.day,
            month,
            self.year,
            self.hour,
            self.minute,
            self.second,
            sign,
            off / 60,
            off % 60
        )
    }
}
