//! Primitives: cheapest-form writers, round trips (generate → write → parse →
//! equal), the prefix rule, modified UTF-7 vectors (RFC 3501 §5.1.3), dates,
//! sequence sets, flags, sections, capabilities, status items.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::borrow::Cow;
use std::num::NonZeroU32;

use mailwire_imap_proto::capability::{Capability, capability};
use mailwire_imap_proto::datetime::{Date, DateTime, date, date_time};
use mailwire_imap_proto::error::{PResult, ParseError, finish};
use mailwire_imap_proto::flag::{
    Flag, FlagFetch, FlagPerm, MailboxAttribute, flag, flag_fetch, flag_perm, mailbox_attribute,
};
use mailwire_imap_proto::mailbox::{Mailbox, Utf7Error, decode_utf7, encode_utf7, mailbox};
use mailwire_imap_proto::primitive::{
    Atom, EncodeOptions, Encoder, IString, LiteralMode, Tag, astring, atom, nstring, number,
    number64, string, tag,
};
use mailwire_imap_proto::sequence::{SeqItem, SeqNumber, SequenceSet, sequence_set};
use mailwire_imap_proto::status::{StatusValue, status_value};
use proptest::prelude::*;

/// Parses `input` followed by a delimiter the rule cannot consume.
fn parse_all<'a, O>(input: &'a [u8], p: impl FnOnce(&'a [u8]) -> PResult<'a, O>) -> O {
    let (rest, o) =
        p(input).unwrap_or_else(|e| panic!("{:?}: {e:?}", String::from_utf8_lossy(input)));
    assert_eq!(rest, b"\r\n", "{:?}", String::from_utf8_lossy(input));
    o
}

fn enc(opts: EncodeOptions, f: impl FnOnce(&mut Encoder)) -> Vec<u8> {
    let mut e = Encoder::new(opts);
    f(&mut e);
    e.raw(b"\r\n");
    e.into_bytes()
}

macro_rules! assert_prefixes_incomplete {
    ($full:expr, $p:expr) => {{
        let full: &[u8] = &$full;
        for i in 0..full.len() - 2 {
            let r = finish(&full[..i], $p(&full[..i]));
            assert!(
                matches!(r, Err(ParseError::Incomplete { .. })),
                "prefix {:?} of {:?}: {r:?}",
                String::from_utf8_lossy(&full[..i]),
                String::from_utf8_lossy(full)
            );
        }
    }};
}

#[test]
fn cheapest_forms() {
    let d = EncodeOptions::default();
    let cases: &[(&[u8], &[u8])] = &[
        (b"INBOX", b"INBOX"),
        (b"a]b", b"a]b"),
        (b"", b"\"\""),
        (b"two words", b"\"two words\""),
        (b"quote\"back\\", b"\"quote\\\"back\\\\\""),
        (b"%*", b"\"%*\""),
        (b"{5}", b"\"{5}\""),
        (b"line\r\nbreak", b"{11}\r\nline\r\nbreak"),
        (b"\xff\xfe", b"{2}\r\n\xff\xfe"),
    ];
    for (v, w) in cases {
        assert_eq!(enc(d, |e| e.astring(v)), [*w, b"\r\n"].concat(), "{v:?}");
    }
    // string never writes an atom; nstring writes NIL only for None.
    assert_eq!(enc(d, |e| e.string(b"abc")), b"\"abc\"\r\n");
    assert_eq!(enc(d, |e| e.nstring(None)), b"NIL\r\n");
    assert_eq!(enc(d, |e| e.nstring(Some(b"NIL"))), b"\"NIL\"\r\n");
    // Long strings go into literals.
    let long = vec![b'a'; 2000];
    assert!(enc(d, |e| e.string(&long)).starts_with(b"{2000}\r\n"));
    // UTF-8 is quoted only when allowed.
    let u = EncodeOptions {
        literal: LiteralMode::Sync,
        utf8_quoted: true,
    };
    assert_eq!(
        enc(u, |e| e.astring("Entwürfe".as_bytes())),
        "\"Entwürfe\"\r\n".as_bytes()
    );
    assert_eq!(
        enc(d, |e| e.astring("Entwürfe".as_bytes())),
        [&b"{9}\r\n"[..], "Entwürfe".as_bytes(), b"\r\n"].concat()
    );
}

#[test]
fn unrepresentable_values_are_unconstructible() {
    assert!(IString::new(&b"a\0b"[..]).is_err());
    assert!(Atom::new("a b").is_err());
    assert!(Atom::new("a(b").is_err());
    assert!(Atom::new("").is_err());
    assert!(Tag::new("a+").is_err());
    assert!(Tag::new("*").is_err());
    assert!(Date::new(2023, 2, 29).is_none());
    assert!(Date::new(10000, 1, 1).is_none());
    assert!(Date::new(2024, 13, 1).is_none());
    let d = Date::new(2024, 2, 29).unwrap();
    assert!(DateTime::new(d, 24, 0, 0, 0).is_none());
    assert!(DateTime::new(d, 0, 0, 0, 6000).is_none());
    assert!(Mailbox::new(&b"a\0"[..]).is_err());
    assert!(mailwire_imap_proto::status::ObjectId::new("a b").is_none());
    assert!(mailwire_imap_proto::search::Charset::new("a\r\n").is_err());
}

#[test]
fn modified_utf7_rfc3501_and_more() {
    // RFC 3501 §5.1.3
    assert_eq!(
        encode_utf7("~peter/mail/台北/日本語"),
        "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
    );
    assert_eq!(
        decode_utf7("~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(),
        "~peter/mail/台北/日本語"
    );
    // RFC 3501 §5.1.3: "&Jjo!" is the right encoding of "☺!"; "&U,BTFw-&ZeVnLIqe-" is not canonical.
    assert_eq!(encode_utf7("☺!"), "&Jjo-!");
    assert_eq!(decode_utf7("&Jjo-!").unwrap(), "☺!");
    assert!(matches!(
        decode_utf7("&U,BTFw-&ZeVnLIqe-"),
        Err(Utf7Error::Shift(8))
    ));
    for (plain, wire) in [
        ("INBOX", "INBOX"),
        ("&", "&-"),
        ("a&b&c", "a&-b&-c"),
        ("Entwürfe", "Entw&APw-rfe"),
        ("Gelöschte Elemente", "Gel&APY-schte Elemente"),
        ("Корзина", "&BBoEPgRABDcEOAQ9BDA-"),
        ("🎉", "&2DzfiQ-"),
        ("\u{7f}", "&AH8-"),
    ] {
        assert_eq!(encode_utf7(plain), wire, "{plain}");
        assert_eq!(decode_utf7(wire).unwrap(), plain, "{wire}");
    }
    for bad in [
        "&",
        "&-&",
        "&AGE-",
        "&ZeVnLIqe",
        "&ZeVnLIqe=-",
        "ü",
        "&2Dz-",
        "&3gA-",
        "&AP-",
    ] {
        assert!(decode_utf7(bad).is_err(), "{bad}");
    }
}

#[test]
fn mailbox_names_parse_and_write() {
    for (wire, name) in [
        ("INBOX", "INBOX"),
        ("iNbOx", "INBOX"),
        ("\"INBOX.Sent Items\"", "INBOX.Sent Items"),
        ("Entw&APw-rfe", "Entwürfe"),
        ("{3}\r\nabc", "abc"),
    ] {
        let input = format!("{wire}\r\n");
        let m = parse_all(input.as_bytes(), mailbox);
        assert_eq!(m.to_string(), name);
    }
    assert!(parse_all(b"inbox\r\n", mailbox).is_inbox());
    // A UTF-8 name (UTF8=ACCEPT) is kept as sent.
    let m = parse_all("\"Entwürfe\"\r\n".as_bytes(), mailbox);
    assert_eq!(m.as_bytes(), "Entwürfe".as_bytes());
    assert_eq!(m.name().unwrap(), "Entwürfe");
}

#[test]
fn known_answers_for_small_rules() {
    assert_eq!(parse_all(b"0\r\n", number), 0);
    assert_eq!(
        parse_all(b"9223372036854775807\r\n", number64),
        i64::MAX as u64
    );
    assert_eq!(parse_all(b"A001\r\n", tag).as_str(), "A001");
    assert_eq!(parse_all(b"\\Seen\r\n", flag), Flag::Seen);
    assert_eq!(parse_all(b"$Junk\r\n", flag).to_string(), "$Junk");
    assert_eq!(parse_all(b"\\Recent\r\n", flag_fetch), FlagFetch::Recent);
    assert_eq!(parse_all(b"\\*\r\n", flag_perm), FlagPerm::Any);
    assert_eq!(
        parse_all(b"\\HasNoChildren\r\n", mailbox_attribute),
        MailboxAttribute::HasNoChildren
    );
    assert_eq!(
        parse_all(b"\\Junk\r\n", mailbox_attribute),
        MailboxAttribute::Junk
    );
    assert_eq!(
        parse_all(b"AUTH=PLAIN\r\n", capability).to_string(),
        "AUTH=PLAIN"
    );
    assert_eq!(
        parse_all(b"UIDNEXT 4392\r\n", status_value),
        StatusValue::UidNext(NonZeroU32::new(4392).unwrap())
    );
    assert_eq!(
        parse_all(b"\"17-Jul-1996 02:44:25 -0700\"\r\n", date_time).to_string(),
        "\"17-Jul-1996 02:44:25 -0700\""
    );
    assert_eq!(parse_all(b"1-Feb-1994\r\n", date).to_string(), "1-Feb-1994");
    assert_eq!(
        parse_all(b"\"1-Feb-1994\"\r\n", date).to_string(),
        "1-Feb-1994"
    );
    // Errors name what was expected.
    assert_eq!(
        finish(b"(x", atom(b"(x")),
        Err(ParseError::Syntax {
            offset: 0,
            expected: "atom"
        })
    );
    assert_eq!(
        finish(b"\"a\\x\"", string(b"\"a\\x\"")),
        Err(ParseError::Syntax {
            offset: 2,
            expected: "quoted-specials after backslash"
        })
    );
}

// --- proptest round trips -------------------------------------------------

fn opts() -> impl Strategy<Value = EncodeOptions> {
    (
        prop_oneof![
            Just(LiteralMode::Sync),
            Just(LiteralMode::NonSync),
            Just(LiteralMode::NonSyncUpTo4096)
        ],
        any::<bool>(),
    )
        .prop_map(|(literal, utf8_quoted)| EncodeOptions {
            literal,
            utf8_quoted,
        })
}

fn bytes_no_nul() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[!-~]{0,16}".prop_map(String::into_bytes),
        "\\PC{0,8}".prop_map(String::into_bytes),
        proptest::collection::vec(1u8..=255, 0..24),
    ]
}

fn seq_set() -> impl Strategy<Value = SequenceSet> {
    let n = prop_oneof![
        (1u32..=u32::MAX).prop_map(|n| SeqNumber::Value(NonZeroU32::new(n).unwrap())),
        Just(SeqNumber::Largest)
    ];
    prop_oneof![
        Just(SequenceSet::Saved),
        proptest::collection::vec(
            prop_oneof![
                n.clone().prop_map(SeqItem::Single),
                (n.clone(), n).prop_map(|(a, b)| SeqItem::Range(a, b))
            ],
            1..6
        )
        .prop_map(|v| SequenceSet::Items(mailwire_imap_proto::primitive::Vec1::new(v).unwrap())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn astring_round_trip(v in bytes_no_nul(), o in opts()) {
        let w = enc(o, |e| e.astring(&v));
        let got = parse_all(&w, astring);
        prop_assert_eq!(got.as_bytes(), &v[..]);
        assert_prefixes_incomplete!(w, astring);
    }

    #[test]
    fn string_round_trip(v in bytes_no_nul(), o in opts()) {
        let w = enc(o, |e| e.string(&v));
        let got = parse_all(&w, string);
        prop_assert_eq!(got.as_bytes(), &v[..]);
        assert_prefixes_incomplete!(w, string);
    }

    #[test]
    fn nstring_round_trip(v in proptest::option::of(bytes_no_nul()), o in opts()) {
        let w = enc(o, |e| e.nstring(v.as_deref()));
        let got = parse_all(&w, nstring);
        prop_assert_eq!(got.as_ref().map(IString::as_bytes), v.as_deref());
        assert_prefixes_incomplete!(w, nstring);
    }

    #[test]
    fn literal8_round_trip(v in proptest::collection::vec(any::<u8>(), 0..40), o in opts()) {
        let w = enc(o, |e| e.literal8(&v));
        prop_assert_eq!(parse_all(&w, mailwire_imap_proto::primitive::literal8), &v[..]);
    }

    #[test]
    fn number_round_trip(n in any::<u32>(), m in 0u64..=i64::MAX as u64) {
        let w = enc(EncodeOptions::default(), |e| e.number(u64::from(n)));
        prop_assert_eq!(parse_all(&w, number), n);
        let w = enc(EncodeOptions::default(), |e| e.number(m));
        prop_assert_eq!(parse_all(&w, number64), m);
    }

    #[test]
    fn utf7_round_trip(s in "\\PC{0,16}") {
        let w = encode_utf7(&s);
        prop_assert!(w.bytes().all(|b| (0x20..=0x7e).contains(&b)));
        prop_assert_eq!(decode_utf7(&w).unwrap(), Cow::<str>::Owned(s));
    }

    #[test]
    fn mailbox_round_trip(s in "\\PC{0,16}", utf8 in any::<bool>(), o in opts()) {
        let m = Mailbox::from_name(&s, utf8).unwrap();
        let w = enc(o, |e| m.write(e));
        let back = parse_all(&w, mailbox);
        prop_assert_eq!(&back, &m);
        if !back.is_inbox() {
            prop_assert_eq!(back.name().unwrap(), Cow::<str>::Borrowed(&s));
        }
    }

    #[test]
    fn sequence_set_round_trip(s in seq_set()) {
        let w = enc(EncodeOptions::default(), |e| s.write(e));
        prop_assert_eq!(&parse_all(&w, sequence_set), &s);
        assert_prefixes_incomplete!(w, sequence_set);
        prop_assert_eq!(format!("{s}\r\n").into_bytes(), w);
    }

    #[test]
    fn date_time_round_trip(y in 0u16..=9999, mo in 1u8..=12, d in 1u8..=31, h in 0u8..24, mi in 0u8..60, s in 0u8..=60, z in -5999i16..=5999) {
        if let Some(dt) = Date::new(y, mo, d).and_then(|date| DateTime::new(date, h, mi, s, z)) {
            let w = enc(EncodeOptions::default(), |e| dt.write(e));
            prop_assert_eq!(parse_all(&w, date_time), dt);
            assert_prefixes_incomplete!(w, date_time);
            let w = enc(EncodeOptions::default(), |e| dt.date().write(e));
            prop_assert_eq!(parse_all(&w, date), dt.date());
        }
    }

    #[test]
    fn atom_and_flag_round_trip(a in "[!#$&'+,./0-9:;<=>?@A-Z\\[^_`a-z|}~-]{1,12}") {
        let atom_v = Atom::new(a).unwrap();
        let w = enc(EncodeOptions::default(), |e| e.raw(atom_v.as_str().as_bytes()));
        prop_assert_eq!(parse_all(&w, atom), atom_v.clone());
        let f = Flag::keyword(atom_v.clone());
        let w = enc(EncodeOptions::default(), |e| f.write(e));
        prop_assert_eq!(parse_all(&w, flag), f);
        let x = Flag::extension(atom_v.clone());
        let w = enc(EncodeOptions::default(), |e| x.write(e));
        prop_assert_eq!(parse_all(&w, flag), x);
        let c = Capability::from_atom(atom_v.clone());
        let w = enc(EncodeOptions::default(), |e| c.write(e));
        prop_assert_eq!(parse_all(&w, capability), c);
        let m = MailboxAttribute::from_name(atom_v);
        let w = enc(EncodeOptions::default(), |e| m.write(e));
        prop_assert_eq!(parse_all(&w, mailbox_attribute), m);
    }
}
