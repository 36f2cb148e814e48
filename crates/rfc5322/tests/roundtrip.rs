//! proptest round trips: generated address lists, dates and unstructured
//! values written with the header writer, then parsed, give back the same
//! value; and no input whatsoever makes a parser panic.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use std::borrow::Cow;

use mailwire_rfc5322::address::{Address, AddressList, Group, Mailbox};
use mailwire_rfc5322::datetime::DateTime;
use mailwire_rfc5322::msgid::MsgId;
use mailwire_rfc5322::writer::{HeaderWriter, Mode};
use mailwire_rfc5322::{Message, ParseOptions};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

/// Display names: atoms, specials, quotes, backslashes, inner whitespace,
/// non-ASCII, control characters; never leading or trailing whitespace
/// outside quotes matters (the writer quotes or encodes as needed).
fn display_name(ascii_only: bool) -> BoxedStrategy<String> {
    let ascii = prop_oneof![
        "[A-Za-z]{1,8}( [A-Za-z]{1,8}){0,3}",
        "[ -~]{0,30}",
        "[A-Za-z .,;:\"\\\\()<>@\\[\\]]{0,20}",
        "=\\?[a-z0-9-]{1,8}\\?[QB]\\?[a-z]{0,5}\\?=",
    ];
    if ascii_only {
        ascii.boxed()
    } else {
        prop_oneof![
            ascii,
            "[a-zäöüß日本語🎉 ]{1,20}",
            "\\PC{0,25}",
            "[a-z\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]{1,10}",
        ]
        .boxed()
    }
}

fn local_part(ascii_only: bool) -> BoxedStrategy<String> {
    let ascii = prop_oneof![
        "[a-z0-9!#$%&'*+/=?^_`{|}~-]{1,10}(\\.[a-z0-9_-]{1,8}){0,2}",
        "[ -~]{0,20}",
    ];
    if ascii_only {
        ascii.boxed()
    } else {
        prop_oneof![ascii, "[a-zäöü用户]{1,10}"].boxed()
    }
}

fn domain() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\\.[a-z]{2,6}){0,3}",
        "\\[[0-9]{1,3}(\\.[0-9]{1,3}){3}\\]",
        Just("[IPv6:2001:db8::1]".to_string()),
    ]
}

fn mailbox(ascii_only: bool) -> impl Strategy<Value = Mailbox<'static>> {
    (
        proptest::option::of(display_name(ascii_only)),
        local_part(ascii_only),
        domain(),
    )
        .prop_map(|(name, local, dom)| Mailbox {
            name: name.map(Cow::Owned),
            local_part: Cow::Owned(local),
            domain: Some(Cow::Owned(dom)),
            route: Vec::new(),
        })
}

fn address_list(ascii_only: bool) -> impl Strategy<Value = AddressList<'static>> {
    let addr = prop_oneof![
        3 => mailbox(ascii_only).prop_map(Address::Mailbox),
        1 => (display_name(ascii_only), proptest::collection::vec(mailbox(ascii_only), 0..3))
            .prop_map(|(n, members)| Address::Group(Group { name: Cow::Owned(n), members })),
    ];
    proptest::collection::vec(addr, 1..6).prop_map(|addresses| AddressList { addresses })
}

fn date() -> impl Strategy<Value = DateTime> {
    (
        1900u32..=9999,
        1u8..=12,
        1u8..=31,
        0u8..24,
        0u8..60,
        0u8..=60,
        -5999i16..=5999,
    )
        .prop_filter_map("valid date", |(y, mo, d, h, mi, s, off)| {
            // Offsets are hhmm with mm < 60.
            let off = off / 100 * 60 + (off % 100) % 60;
            DateTime::new(y, mo, d, h, mi, s, off).ok()
        })
}

/// Unstructured text: any characters but CR and LF, no whitespace at the
/// ends (the parser trims it).
fn unstructured() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,200}",
        "\\PC{0,120}",
        "[a-z =?_\t]{0,80}",
        "[a-zé日本 \t]{0,300}",
        "[a-z]{700,900}",
    ]
    .prop_map(|s| {
        s.replace(['\r', '\n'], "")
            .trim_matches([' ', '\t'])
            .to_string()
    })
}

fn reparse(bytes: &[u8]) -> Message<'_> {
    let msg = Message::parse_with(bytes, &ParseOptions::strict())
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(bytes)));
    for line in bytes.split(|&b| b == b'\n') {
        assert!(line.len() <= 999, "line over 998");
    }
    msg
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn address_lists_round_trip_utf8(list in address_list(false)) {
        let mut w = HeaderWriter::new(Mode::Utf8);
        w.addresses("To", &list).unwrap();
        let out = w.finish();
        let msg = reparse(&out);
        let back = msg.headers().get("to").unwrap().addresses();
        prop_assert_eq!(&back.value, &list, "{}", String::from_utf8_lossy(&out));
    }

    #[test]
    fn address_lists_round_trip_7bit(list in address_list(true), names in proptest::collection::vec(display_name(false), 1..3)) {
        // ASCII addresses, display names of any kind (encoded as needed).
        let mut list = list;
        if let Some(Address::Mailbox(m)) = list.addresses.first_mut() {
            m.name = Some(Cow::Owned(names[0].clone()));
        }
        let mut w = HeaderWriter::new(Mode::SevenBit);
        w.addresses("Cc", &list).unwrap();
        let out = w.finish();
        prop_assert!(out.is_ascii());
        let msg = reparse(&out);
        let back = msg.headers().get("cc").unwrap().addresses();
        prop_assert_eq!(&back.value, &list, "{}", String::from_utf8_lossy(&out));
    }

    #[test]
    fn dates_round_trip(d in date()) {
        let mut w = HeaderWriter::new(Mode::SevenBit);
        w.date("Date", &d).unwrap();
        let out = w.finish();
        let msg = reparse(&out);
        let back = msg.headers().get("date").unwrap().date().unwrap();
        prop_assert!(back.defects.is_empty());
        prop_assert_eq!(back.value, d);
    }

    #[test]
    fn unstructured_round_trips(text in unstructured(), utf8 in any::<bool>()) {
        let mode = if utf8 { Mode::Utf8 } else { Mode::SevenBit };
        let mut w = HeaderWriter::new(mode);
        w.unstructured("Subject", &text).unwrap();
        let out = w.finish();
        if !utf8 {
            prop_assert!(out.is_ascii());
        }
        let msg = reparse(&out);
        let back = msg.headers().get("subject").unwrap().decoded_with_defects();
        prop_assert!(back.defects.is_empty(), "{:?}", back.defects);
        prop_assert_eq!(&*back.value, text.as_str(), "{}", String::from_utf8_lossy(&out));
    }

    #[test]
    fn msg_ids_round_trip(ids in proptest::collection::vec(("[a-z0-9$%.]{1,20}", domain()), 1..5)) {
        let ids: Vec<MsgId<'static>> = ids
            .into_iter()
            .filter(|(l, _)| mailwire_rfc5322::address::is_dot_atom_text(l))
            .map(|(l, r)| MsgId { left: l.into(), right: r.into() })
            .collect();
        let mut w = HeaderWriter::new(Mode::SevenBit);
        w.msg_ids("References", &ids).unwrap();
        let out = w.finish();
        let msg = reparse(&out);
        let back = msg.headers().get("references").unwrap().msg_ids();
        prop_assert!(back.defects.is_empty());
        prop_assert_eq!(back.value, ids);
    }

    /// Any bytes: no parser panics, and the split is consistent.
    #[test]
    fn no_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(msg) = Message::parse(&bytes) {
            for f in msg.headers() {
                prop_assert_eq!(&bytes[f.range()], f.raw());
                let _ = f.decoded();
                let _ = f.addresses();
                let _ = f.date();
                let _ = f.msg_ids();
            }
            prop_assert_eq!(msg.body_offset() + msg.body().len(), bytes.len());
        }
        let _ = AddressList::parse(&bytes);
        let _ = DateTime::parse(&bytes);
        let _ = mailwire_rfc5322::received::Received::parse(&bytes);
        let _ = mailwire_rfc5322::received::keywords(&bytes);
        let _ = Mailbox::parse_return_path(&bytes);
        let _ = mailwire_rfc5322::lexical::comments(&bytes);
        let _ = mailwire_rfc5322::charset::decode_utf7(&bytes);
    }

    /// Structured-looking noise: more likely to reach deep parser states.
    #[test]
    fn no_panic_on_structured_noise(s in "[a-zA-Z0-9 <>@,;:.\"\\\\()\\[\\]=?\r\n\t_-]{0,200}") {
        let b = s.as_bytes();
        let _ = AddressList::parse(b);
        let _ = DateTime::parse(b);
        let _ = mailwire_rfc5322::msgid::parse_msg_id_list(b);
        let _ = mailwire_rfc5322::received::Received::parse(b);
        let _ = mailwire_rfc5322::encoded_word::decode_unstructured(b);
        let _ = Message::parse(b);
    }

    /// Writing any parsed address list and parsing it again is stable.
    #[test]
    fn parse_write_parse_is_stable(s in "[a-zA-Z0-9 <>@,;:.\"\\\\()=?_-]{0,80}") {
        let first = AddressList::parse(s.as_bytes()).value;
        let mut w = HeaderWriter::new(Mode::Utf8);
        if w.addresses("To", &first).is_ok() {
            let out = w.finish();
            let msg = Message::parse(&out).unwrap();
            let second = msg.headers().get("to").unwrap().addresses().value;
            // Mailboxes without a domain may legitimately change shape;
            // compare the well-formed ones.
            let ok = |l: &AddressList<'_>| l.mailboxes().filter(|m| m.domain.is_some()).map(|m| m.addr_spec()).collect::<Vec<_>>();
            prop_assert_eq!(ok(&first), ok(&second), "{}", String::from_utf8_lossy(&out));
        }
    }
}
