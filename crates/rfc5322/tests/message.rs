//! Message splitting: line endings, defects, strict mode, limits at N and N+1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use mailwire_rfc5322::{DefectKind, Error, Limits, Message, ParseOptions};

fn kinds(m: &Message<'_>) -> Vec<DefectKind> {
    m.defects().iter().map(|d| d.kind).collect()
}

#[test]
fn crlf_and_lf_give_same_fields() {
    let crlf = b"A: 1\r\nB: two\r\n  folded\r\n\r\nbody\r\n";
    let lf = b"A: 1\nB: two\n  folded\n\nbody\n";
    let m1 = Message::parse(crlf).unwrap();
    let m2 = Message::parse(lf).unwrap();
    assert!(m1.defects().is_empty());
    assert_eq!(kinds(&m2), [DefectKind::BareLf]);
    assert_eq!(m2.defects()[0].offset, 4);
    for (a, b) in m1.headers().iter().zip(m2.headers()) {
        assert_eq!(a.name(), b.name());
        assert_eq!(a.unfolded(), b.unfolded());
    }
    assert_eq!(m1.headers().get("b").unwrap().value(), b" two\r\n  folded");
    assert_eq!(m2.headers().get("b").unwrap().value(), b" two\n  folded");
    assert_eq!(
        m1.headers().get("B").unwrap().unfolded(),
        &b"two  folded"[..]
    );
    assert_eq!(m1.body(), b"body\r\n");
    assert_eq!(m2.body(), b"body\n");
    assert_eq!(m1.body_offset(), crlf.len() - 6);
    assert_eq!(m1.header_section(), &crlf[..crlf.len() - 6]);
}

#[test]
fn offsets_and_raw_bytes() {
    let input = b"X-A:v\r\nSubject: hi\r\n there\r\nx-a: second\r\n\r\n";
    let m = Message::parse(input).unwrap();
    let f: Vec<_> = m.headers().iter().collect();
    assert_eq!(f.len(), 3);
    assert_eq!(f[0].range(), 0..7);
    assert_eq!(f[1].raw(), b"Subject: hi\r\n there\r\n");
    assert_eq!(f[1].offset(), 7);
    assert_eq!(f[1].raw_name(), b"Subject");
    assert_eq!(f[1].value_offset(), 15);
    assert_eq!(&input[f[2].range()], b"x-a: second\r\n");
    // Case-insensitive lookup, first and all.
    assert_eq!(m.headers().get("X-a").unwrap().value(), b"v");
    let all: Vec<_> = m.headers().get_all("x-A").map(|f| f.text()).collect();
    assert_eq!(all, ["v", "second"]);
    assert!(m.headers().contains("SUBJECT"));
    assert!(m.headers().get("nope").is_none());
    assert!(m.body().is_empty());
}

#[test]
fn no_body_no_separator() {
    let m = Message::parse(b"A: 1\r\nB: 2").unwrap();
    assert_eq!(m.headers().len(), 2);
    assert_eq!(m.headers().get("b").unwrap().raw(), b"B: 2");
    assert!(m.body().is_empty());
    assert!(m.defects().is_empty());
    let m = Message::parse(b"").unwrap();
    assert!(m.headers().is_empty());
    let m = Message::parse(b"\r\nonly body").unwrap();
    assert!(m.headers().is_empty());
    assert_eq!(m.body(), b"only body");
}

#[test]
fn malformed_lines_are_defects() {
    let m = Message::parse(b" cont\r\nA: 1\r\nnot a header line\r\nB: 2\r\n").unwrap();
    assert_eq!(
        kinds(&m),
        [
            DefectKind::FirstLineIsContinuation,
            DefectKind::MissingHeaderBodySeparator
        ]
    );
    assert_eq!(m.headers().len(), 1);
    assert_eq!(m.body(), b"not a header line\r\nB: 2\r\n");

    let m = Message::parse(b": empty\r\nA\t: tab\r\n\r\n").unwrap();
    assert_eq!(
        kinds(&m),
        [
            DefectKind::EmptyFieldName,
            DefectKind::WhitespaceBeforeColon
        ]
    );
    assert_eq!(m.headers().as_slice()[1].name(), "A");

    let m = Message::parse(b"A: x\ry\r\n\r\n").unwrap();
    assert_eq!(kinds(&m), [DefectKind::BareCr]);

    // Non-ASCII in a name: not a field.
    let m = Message::parse("Sübject: x\r\n\r\n".as_bytes()).unwrap();
    assert_eq!(kinds(&m), [DefectKind::MissingHeaderBodySeparator]);
}

#[test]
fn mbox_from_line() {
    let m = Message::parse(b"From alice@example.com Thu Jan  1 00:00:00 1970\r\nA: 1\r\n\r\nb")
        .unwrap();
    assert_eq!(
        m.unix_from().unwrap(),
        b"From alice@example.com Thu Jan  1 00:00:00 1970"
    );
    assert_eq!(m.headers().len(), 1);
    // "From :" is a field with obsolete whitespace, not an mbox line.
    let m = Message::parse(b"From : a@b\r\n\r\n").unwrap();
    assert!(m.unix_from().is_none());
    assert_eq!(m.headers().get("from").unwrap().text(), "a@b");
}

#[test]
fn strict_turns_defects_into_errors() {
    let strict = ParseOptions::strict();
    assert!(Message::parse_with(b"A: 1\r\n\r\n", &strict).is_ok());
    for bad in [
        &b"A: 1\n\n"[..],
        b" x\r\nA: 1\r\n\r\n",
        b"A: 1\r\nbad line\r\n",
        b"A : 1\r\n\r\n",
        b"A: \rx\r\n\r\n",
    ] {
        let e = Message::parse_with(bad, &strict).unwrap_err();
        assert!(matches!(e, Error::Defect(_)), "{e}");
        assert!(Message::parse(bad).is_ok());
    }
}

fn headers(n: usize) -> Vec<u8> {
    let mut v = Vec::new();
    for i in 0..n {
        v.extend_from_slice(format!("X-H{i}: v\r\n").as_bytes());
    }
    v.extend_from_slice(b"\r\nbody");
    v
}

#[test]
fn limit_header_count_n_and_n_plus_1() {
    let opts = ParseOptions::new().with_limits(Limits::DEFAULT.max_header_count(10));
    let ten = headers(10);
    let m = Message::parse_with(&ten, &opts).unwrap();
    assert_eq!(m.headers().len(), 10);
    let e = Message::parse_with(&headers(11), &opts).unwrap_err();
    assert!(matches!(e, Error::TooManyHeaders { limit: 10, .. }), "{e}");
    // The default limit.
    assert!(Message::parse(&headers(1000)).is_ok());
    assert!(Message::parse(&headers(1001)).is_err());
}

#[test]
fn limit_line_length_n_and_n_plus_1() {
    let opts = ParseOptions::new().with_limits(Limits::DEFAULT.max_line_length(20));
    // "X: " + 17 = 20 bytes of content.
    let ok = format!("X: {}\r\n\r\n", "a".repeat(17));
    assert!(Message::parse_with(ok.as_bytes(), &opts).is_ok());
    let bad = format!("X: {}\r\n\r\n", "a".repeat(18));
    let e = Message::parse_with(bad.as_bytes(), &opts).unwrap_err();
    assert_eq!(
        e,
        Error::LineTooLong {
            limit: 20,
            offset: 0
        }
    );
    // Continuation lines count too.
    let bad = format!("X: a\r\n {}\r\n\r\n", "a".repeat(20));
    assert!(Message::parse_with(bad.as_bytes(), &opts).is_err());
    // 998 is the RFC limit: over it is a defect only.
    let ok = format!("X: {}\r\n\r\n", "a".repeat(995));
    assert!(Message::parse(ok.as_bytes()).unwrap().defects().is_empty());
    let long = format!("X: {}\r\n\r\n", "a".repeat(996));
    let m = Message::parse(long.as_bytes()).unwrap();
    assert_eq!(kinds(&m), [DefectKind::LineTooLong]);
    assert!(Message::parse_with(long.as_bytes(), &ParseOptions::strict()).is_err());
}

#[test]
fn limit_header_section_n_and_n_plus_1() {
    // "A: 1\r\n" (6) + "\r\n" (2) = 8 bytes of header section.
    let input = b"A: 1\r\n\r\nbody";
    let at = |n| ParseOptions::new().with_limits(Limits::DEFAULT.max_header_section(n));
    assert!(Message::parse_with(input, &at(8)).is_ok());
    let e = Message::parse_with(input, &at(7)).unwrap_err();
    assert_eq!(e, Error::HeaderSectionTooLarge { limit: 7 });
    // The body does not count.
    let big_body = [&input[..], &[b'x'; 100][..]].concat();
    assert!(Message::parse_with(&big_body, &at(8)).is_ok());
}

#[test]
fn limits_count_empty_and_tiny_units() {
    // Blank continuation lines (whitespace only) still count against the
    // section size.
    let mut v = b"A: 1\r\n".to_vec();
    for _ in 0..1000 {
        v.extend_from_slice(b" \r\n");
    }
    v.extend_from_slice(b"\r\n");
    let opts = ParseOptions::new().with_limits(Limits::DEFAULT.max_header_section(1000));
    assert!(Message::parse_with(&v, &opts).is_err());
    // Empty-named fields count against the header count.
    let v = ":\r\n".repeat(11) + "\r\n";
    let opts = ParseOptions::new().with_limits(Limits::DEFAULT.max_header_count(10));
    assert!(Message::parse_with(v.as_bytes(), &opts).is_err());
}

#[test]
fn rfc6532_utf8_values() {
    let m = Message::parse(
        "Subject: Grüße 🎉\r\nFrom: Jöran <jöran@bücher.example>\r\n\r\n".as_bytes(),
    )
    .unwrap();
    assert_eq!(m.headers().get("subject").unwrap().decoded(), "Grüße 🎉");
    let from = m.headers().get("from").unwrap().addresses();
    assert!(from.defects.is_empty());
    let mb = from.value.mailboxes().next().unwrap();
    assert_eq!(mb.name.as_deref(), Some("Jöran"));
    assert_eq!(mb.addr_spec(), "jöran@bücher.example");
    // Invalid UTF-8 is replaced, with a defect.
    let m = Message::parse(b"Subject: caf\xe9\r\n\r\n").unwrap();
    let d = m.headers().get("subject").unwrap().decoded_with_defects();
    assert_eq!(d.value, "caf\u{fffd}");
    assert_eq!(d.defects[0].kind, DefectKind::InvalidUtf8);
}

/// Adversarial values of 256 KiB parse in linear time (each would take
/// minutes if any parser were quadratic).
#[test]
fn adversarial_inputs_are_linear() {
    use mailwire_rfc5322::address::AddressList;
    use mailwire_rfc5322::encoded_word::decode_unstructured;
    use mailwire_rfc5322::msgid::parse_msg_id_list;
    use mailwire_rfc5322::received::{Received, keywords};
    let start = std::time::Instant::now();
    let n = 1 << 18;
    for unit in [
        "=?a?Q?",
        "=?",
        "<",
        "(",
        "\"",
        "[",
        "a.",
        "a@",
        ",",
        "\\",
        "@,",
        "<@",
        "a ",
        "=?utf-8?Q?x?= ",
    ] {
        let v = unit.repeat(n / unit.len());
        let b = v.as_bytes();
        let _ = decode_unstructured(b);
        let _ = AddressList::parse(b);
        let _ = parse_msg_id_list(b);
        let _ = Received::parse(b);
        let _ = keywords(b);
        let _ = mailwire_rfc5322::datetime::DateTime::parse(b);
    }
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
}
