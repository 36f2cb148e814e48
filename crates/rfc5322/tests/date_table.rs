//! A table of date-time cases (RFC 5322 §3.3 and the obsolete forms of
//! §4.3): input, expected value, expected defect kinds.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

mod common;

use mailwire_rfc5322::datetime::DateTime;

const CASES: &[(&str, &str, &str)] = &[
    (
        "Fri, 21 Nov 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "Tue, 1 Jul 2003 10:52:37 +0200",
        "2003-07-01 10:52:37 +0200 [Tue]",
        "",
    ),
    (
        "Thu, 13 Feb 1969 23:32:54 -0330",
        "1969-02-13 23:32:54 -0330 [Thu]",
        "",
    ),
    (
        "Mon, 24 Nov 1997 14:22:01 -0800",
        "1997-11-24 14:22:01 -0800 [Mon]",
        "",
    ),
    (
        "21 Nov 1997 10:05:43 -0600",
        "1997-11-21 10:05:43 -0600",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 +0000",
        "1997-11-21 09:55:06 +0000 [Fri]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 -0000",
        "1997-11-21 09:55:06 -0000 [Fri]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55 -0600",
        "1997-11-21 09:55:00 -0600 [Fri]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 +1400",
        "1997-11-21 09:55:06 +1400 [Fri]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 -1200",
        "1997-11-21 09:55:06 -1200 [Fri]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 +0545",
        "1997-11-21 09:55:06 +0545 [Fri]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 +9959",
        "1997-11-21 09:55:06 +9959 [Fri]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 +0560",
        "error: syntax error at offset 26: expected zone",
        "",
    ),
    (
        "Sat, 1 Jan 2000 00:00:00 +0000",
        "2000-01-01 00:00:00 +0000 [Sat]",
        "",
    ),
    (
        "Fri, 31 Dec 1999 23:59:59 +0000",
        "1999-12-31 23:59:59 +0000 [Fri]",
        "",
    ),
    (
        "Sat, 31 Dec 2016 23:59:60 +0000",
        "2016-12-31 23:59:60 +0000 [Sat]",
        "",
    ),
    (
        "Tue, 29 Feb 2000 12:00:00 +0000",
        "2000-02-29 12:00:00 +0000 [Tue]",
        "",
    ),
    (
        "Sun, 29 Feb 2004 12:00:00 +0000",
        "2004-02-29 12:00:00 +0000 [Sun]",
        "",
    ),
    (
        "Thu, 29 Feb 2024 12:00:00 +0000",
        "2024-02-29 12:00:00 +0000 [Thu]",
        "",
    ),
    (
        "Thu, 1 Jan 1970 00:00:00 +0000",
        "1970-01-01 00:00:00 +0000 [Thu]",
        "",
    ),
    (
        "Tue, 19 Jan 2038 03:14:08 +0000",
        "2038-01-19 03:14:08 +0000 [Tue]",
        "",
    ),
    (
        "Fri, 31 Dec 9999 23:59:59 +0000",
        "9999-12-31 23:59:59 +0000 [Fri]",
        "",
    ),
    (
        "Mon, 1 Jan 1900 00:00:00 +0000",
        "1900-01-01 00:00:00 +0000 [Mon]",
        "",
    ),
    (
        " Fri, 21 Nov 1997 09:55:06 -0600 ",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 -0600 (CST)",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 -0600 (Central Standard Time)",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "(comment) Fri, 21 Nov 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "Fri,21 Nov 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "Fri , 21 Nov 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "Thu,\r\n 13\r\n Feb\r\n 1969\r\n 23:32\r\n -0330 (Newfoundland Time)",
        "1969-02-13 23:32:00 -0330 [Thu]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09(comment):   55  :  06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09 : 55 : 06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "fri, 21 nov 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "FRI, 21 NOV 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "Fri, 21 Nov 1997 9:55:06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "NonStandardSyntax",
    ),
    (
        "Fri, 05 Nov 1997 09:55:06 -0600",
        "1997-11-05 09:55:06 -0600 [Fri]",
        "DayOfWeekMismatch",
    ),
    (
        "Wed, 5 Nov 1997 09:55:06 -0600",
        "1997-11-05 09:55:06 -0600 [Wed]",
        "",
    ),
    (
        "Friday, 21 Nov 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "NonStandardSyntax",
    ),
    (
        "Fri, 21 November 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "NonStandardSyntax",
    ),
    (
        "Fri 21 Nov 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "NonStandardSyntax",
    ),
    (
        "21 Nov 97 09:55:06 GMT",
        "1997-11-21 09:55:06 +0000",
        "ObsoleteYear,ObsoleteSyntax",
    ),
    (
        "21 Nov 49 09:55:06 GMT",
        "2049-11-21 09:55:06 +0000",
        "ObsoleteYear,ObsoleteSyntax",
    ),
    (
        "21 Nov 50 09:55:06 GMT",
        "1950-11-21 09:55:06 +0000",
        "ObsoleteYear,ObsoleteSyntax",
    ),
    (
        "21 Nov 00 09:55:06 GMT",
        "2000-11-21 09:55:06 +0000",
        "ObsoleteYear,ObsoleteSyntax",
    ),
    (
        "21 Nov 99 09:55:06 GMT",
        "1999-11-21 09:55:06 +0000",
        "ObsoleteYear,ObsoleteSyntax",
    ),
    (
        "21 Nov 103 09:55:06 GMT",
        "2003-11-21 09:55:06 +0000",
        "ObsoleteYear,ObsoleteSyntax",
    ),
    (
        "21 Nov 097 09:55:06 GMT",
        "1997-11-21 09:55:06 +0000",
        "ObsoleteYear,ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 UT",
        "1997-11-21 09:55:06 +0000 [Fri]",
        "ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 GMT",
        "1997-11-21 09:55:06 +0000 [Fri]",
        "ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 EST",
        "1997-11-21 09:55:06 -0500 [Fri]",
        "ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 EDT",
        "1997-11-21 09:55:06 -0400 [Fri]",
        "ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 CST",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 CDT",
        "1997-11-21 09:55:06 -0500 [Fri]",
        "ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 MST",
        "1997-11-21 09:55:06 -0700 [Fri]",
        "ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 MDT",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 PST",
        "1997-11-21 09:55:06 -0800 [Fri]",
        "ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 PDT",
        "1997-11-21 09:55:06 -0700 [Fri]",
        "ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 gmt",
        "1997-11-21 09:55:06 +0000 [Fri]",
        "ObsoleteSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 UTC",
        "1997-11-21 09:55:06 +0000 [Fri]",
        "NonStandardSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 Z",
        "1997-11-21 09:55:06 -0000 [Fri]",
        "ObsoleteSyntax,UnknownTimeZone",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 A",
        "1997-11-21 09:55:06 -0000 [Fri]",
        "ObsoleteSyntax,UnknownTimeZone",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 M",
        "1997-11-21 09:55:06 -0000 [Fri]",
        "ObsoleteSyntax,UnknownTimeZone",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 N",
        "1997-11-21 09:55:06 -0000 [Fri]",
        "ObsoleteSyntax,UnknownTimeZone",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 Y",
        "1997-11-21 09:55:06 -0000 [Fri]",
        "ObsoleteSyntax,UnknownTimeZone",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 a",
        "1997-11-21 09:55:06 -0000 [Fri]",
        "ObsoleteSyntax,UnknownTimeZone",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 J",
        "1997-11-21 09:55:06 -0000 [Fri]",
        "ObsoleteSyntax,UnknownTimeZone",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 CEST",
        "1997-11-21 09:55:06 -0000 [Fri]",
        "ObsoleteSyntax,UnknownTimeZone",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 XYZ",
        "1997-11-21 09:55:06 -0000 [Fri]",
        "ObsoleteSyntax,UnknownTimeZone",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06",
        "1997-11-21 09:55:06 -0000 [Fri]",
        "UnknownTimeZone",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 -0600 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "UnexpectedText",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 -0600 garbage",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "UnexpectedText",
    ),
    (
        "Sat, 21 Nov 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600 [Sat]",
        "DayOfWeekMismatch",
    ),
    (
        "Mon, 1 Jan 2001 00:00:00 +0000",
        "2001-01-01 00:00:00 +0000 [Mon]",
        "",
    ),
    (
        "Tue, 1 Jan 2001 00:00:00 +0000",
        "2001-01-01 00:00:00 +0000 [Tue]",
        "DayOfWeekMismatch",
    ),
    (
        "Mon, 30 Feb 2004 12:00:00 +0000",
        "error: syntax error at offset 5: expected day",
        "",
    ),
    (
        "Tue, 29 Feb 2100 12:00:00 +0000",
        "error: syntax error at offset 5: expected day",
        "",
    ),
    (
        "Fri, 31 Apr 1997 09:55:06 -0600",
        "error: syntax error at offset 5: expected day",
        "",
    ),
    (
        "Fri, 32 Nov 1997 09:55:06 -0600",
        "error: syntax error at offset 5: expected day",
        "",
    ),
    (
        "Fri, 0 Nov 1997 09:55:06 -0600",
        "error: syntax error at offset 5: expected day",
        "",
    ),
    (
        "Fri, 21 Nov 1997 24:00:00 -0600",
        "error: syntax error at offset 5: expected time-of-day",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:60:06 -0600",
        "error: syntax error at offset 5: expected time-of-day",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:61 -0600",
        "error: syntax error at offset 5: expected time-of-day",
        "",
    ),
    (
        "Fri, 21 Foo 1997 09:55:06 -0600",
        "error: syntax error at offset 8: expected month",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 0600",
        "1997-11-21 09:55:06 +0600 [Fri]",
        "NonStandardSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 +06",
        "error: syntax error at offset 27: expected zone",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 +06000",
        "error: syntax error at offset 27: expected zone",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09.55.06 -0600",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "NonStandardSyntax",
    ),
    (
        "Xyz, 21 Nov 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600",
        "NonStandardSyntax",
    ),
    (
        "21 Nov 1997",
        "error: syntax error at offset 11: expected hour",
        "",
    ),
    (
        "Fri, 21 Nov 1997 095506 -0600",
        "error: syntax error at offset 17: expected hour",
        "",
    ),
    (
        "Fri, 21 Nov 1 09:55:06 -0600",
        "error: syntax error at offset 12: expected year",
        "",
    ),
    (
        "Fri, 121 Nov 1997 09:55:06 -0600",
        "error: syntax error at offset 5: expected day",
        "",
    ),
    (
        "1997-11-21T09:55:06Z",
        "error: syntax error at offset 0: expected day",
        "",
    ),
    ("", "error: syntax error at offset 0: expected day", ""),
    (
        "Fri, 21 Nov 19971 09:55:06 -0600",
        "error: syntax error at offset 5: expected year",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 -0600\r\n",
        "1997-11-21 09:55:06 -0600 [Fri]",
        "",
    ),
    (
        "Mo, 21 Nov 1997 09:55:06 -0600",
        "1997-11-21 09:55:06 -0600",
        "NonStandardSyntax",
    ),
    (
        "Xyz 21 Nov 1997 09:55:06 -0600",
        "error: syntax error at offset 0: expected day-name",
        "",
    ),
    (
        "Fri, 21 Nov 1997 09.55 -0600",
        "1997-11-21 09:55:00 -0600 [Fri]",
        "NonStandardSyntax",
    ),
    (
        "Fri, 21 Nov 1997 09:55:06 06000",
        "error: syntax error at offset 26: expected zone",
        "",
    ),
];

#[test]
fn date_table() {
    assert!(CASES.len() >= 80, "{}", CASES.len());
    let mut failures = Vec::new();
    for (input, want, want_defects) in CASES {
        let (got, got_defects) = common::render_date(&DateTime::parse(input.as_bytes()));
        if got != *want || got_defects != *want_defects {
            failures.push(format!(
                "input:   {input:?}\n  want:  {want} [{want_defects}]\n  got:   {got} [{got_defects}]"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

/// Every accepted date written back in the RFC 5322 form parses to the
/// same instant, with no defects.
#[test]
fn display_reparses() {
    for (input, _, _) in CASES {
        let Ok(p) = DateTime::parse(input.as_bytes()) else {
            continue;
        };
        let d = p.value;
        let s = d.to_string();
        let back = DateTime::parse(s.as_bytes()).unwrap();
        assert!(back.defects.is_empty(), "{s}: {:?}", back.defects);
        assert_eq!(back.value.unix_timestamp(), d.unix_timestamp(), "{s}");
        assert_eq!(back.value.offset_unknown, d.offset_unknown, "{s}");
    }
}

#[test]
fn timestamps() {
    let ts = |s: &str| {
        DateTime::parse(s.as_bytes())
            .unwrap()
            .value
            .unix_timestamp()
    };
    assert_eq!(ts("Thu, 1 Jan 1970 00:00:00 +0000"), 0);
    assert_eq!(ts("Thu, 1 Jan 1970 01:00:00 +0100"), 0);
    assert_eq!(ts("Wed, 31 Dec 1969 23:00:00 -0100"), 0);
    assert_eq!(ts("Tue, 19 Jan 2038 03:14:08 +0000"), 1 << 31);
    assert_eq!(ts("Sat, 1 Jan 2000 00:00:00 +0000"), 946_684_800);
    assert!(DateTime::new(2023, 2, 29, 0, 0, 0, 0).is_err());
    let d = DateTime::new(2024, 2, 29, 23, 59, 59, -90).unwrap();
    assert_eq!(d.to_string(), "Thu, 29 Feb 2024 23:59:59 -0130");
}
