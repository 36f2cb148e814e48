//! The header writer: folding, encoding, quoting, and header injection.
#![allow(clippy::unwrap_used, clippy::panic, missing_docs)]

use mailwire_rfc5322::address::{Address, AddressList, Group, Mailbox};
use mailwire_rfc5322::datetime::DateTime;
use mailwire_rfc5322::msgid::MsgId;
use mailwire_rfc5322::writer::{HeaderWriter, Mode};
use mailwire_rfc5322::{Message, WriteError};
use std::borrow::Cow;

fn lines(b: &[u8]) -> Vec<String> {
    String::from_utf8(b.to_vec())
        .unwrap()
        .split("\r\n")
        .map(str::to_owned)
        .collect()
}

fn mbox<'a>(name: Option<&'a str>, local: &'a str, domain: &'a str) -> Mailbox<'a> {
    Mailbox {
        name: name.map(Cow::Borrowed),
        local_part: Cow::Borrowed(local),
        domain: Some(Cow::Borrowed(domain)),
        route: Vec::new(),
    }
}

#[test]
fn folds_at_78_before_whitespace() {
    let text = "word ".repeat(40);
    let mut w = HeaderWriter::new(Mode::SevenBit);
    w.unstructured("Subject", text.trim()).unwrap();
    let out = w.finish();
    let ls = lines(&out);
    assert!(ls.len() > 2);
    for l in &ls {
        assert!(l.len() <= 78, "{l:?}");
    }
    for l in &ls[1..ls.len() - 1] {
        assert!(l.starts_with(' '), "{l:?}");
    }
    let msg = Message::parse(&out).unwrap();
    assert_eq!(msg.headers().get("subject").unwrap().decoded(), text.trim());
}

#[test]
fn long_word_stays_under_hard_limit() {
    // A 900-character word cannot be folded: it is encoded, so it can be
    // split, and every line stays under 998.
    let text = format!("short {} tail", "x".repeat(900));
    for mode in [Mode::SevenBit, Mode::Utf8] {
        let mut w = HeaderWriter::new(mode);
        w.unstructured("Subject", &text).unwrap();
        let out = w.finish();
        for l in lines(&out) {
            assert!(l.len() <= 998);
            assert!(l.len() <= 78, "{l:?}");
        }
        let msg = Message::parse(&out).unwrap();
        assert_eq!(msg.headers().get("subject").unwrap().decoded(), text);
    }
    // A 700-character word is kept literal: over the soft limit, under the
    // hard one.
    let text = "y".repeat(700);
    let mut w = HeaderWriter::new(Mode::SevenBit);
    w.unstructured("X", &text).unwrap();
    assert_eq!(w.as_bytes(), format!("X: {text}\r\n").as_bytes());
}

#[test]
fn encoded_words_never_split_a_char_and_stay_short() {
    let text = "日本語のテキスト ".repeat(20) + "🎉🎉🎉 ok";
    let mut w = HeaderWriter::new(Mode::SevenBit);
    w.unstructured("Subject", &text).unwrap();
    let out = w.finish();
    assert!(out.is_ascii());
    for l in lines(&out) {
        assert!(l.len() <= 78, "{l:?}");
        for word in l.split(' ') {
            if word.starts_with("=?") {
                assert!(word.len() <= 75, "{word}");
                // Each word decodes on its own to valid UTF-8.
                let d = mailwire_rfc5322::encoded_word::decode_unstructured(word.as_bytes());
                assert!(d.defects.is_empty(), "{word}: {:?}", d.defects);
            }
        }
    }
    let msg = Message::parse(&out).unwrap();
    assert_eq!(msg.headers().get("subject").unwrap().decoded(), text.trim());
}

#[test]
fn utf8_mode_writes_raw_utf8() {
    let mut w = HeaderWriter::new(Mode::Utf8);
    w.unstructured("Subject", "Grüße aus Köln").unwrap();
    let to = AddressList::parse("Jöran <jöran@bücher.example>".as_bytes()).value;
    w.addresses("To", &to).unwrap();
    assert_eq!(
        String::from_utf8(w.finish()).unwrap(),
        "Subject: Grüße aus Köln\r\nTo: Jöran <jöran@bücher.example>\r\n"
    );
    // 7-bit mode refuses a non-ASCII address (RFC 2047 §5 forbids encoded
    // words in an addr-spec) but encodes the display name.
    let mut w = HeaderWriter::new(Mode::SevenBit);
    assert!(matches!(
        w.addresses("To", &to),
        Err(WriteError::InvalidAddress { .. })
    ));
    let to = AddressList::parse("Jöran <joran@example.com>".as_bytes()).value;
    w.addresses("To", &to).unwrap();
    assert_eq!(
        w.as_bytes(),
        b"To: =?utf-8?B?SsO2cmFu?= <joran@example.com>\r\n"
    );
}

#[test]
fn display_names_quoted_or_encoded_as_needed() {
    let cases: &[(&str, &str)] = &[
        ("John Doe", "John Doe <a@b.c>"),
        ("Doe, John", "\"Doe, John\" <a@b.c>"),
        ("Joe Q. Public", "\"Joe Q. Public\" <a@b.c>"),
        ("Say \"hi\"", "\"Say \\\"hi\\\"\" <a@b.c>"),
        ("back\\slash", "\"back\\\\slash\" <a@b.c>"),
        ("two  spaces", "\"two  spaces\" <a@b.c>"),
        ("", "\"\" <a@b.c>"),
        ("=?utf-8?Q?x?=", "=?utf-8?B?PT91dGYtOD9RP3g/PQ==?= <a@b.c>"),
        ("André", "=?utf-8?B?QW5kcsOp?= <a@b.c>"),
        ("a café", "=?utf-8?Q?a_caf=C3=A9?= <a@b.c>"),
    ];
    for (name, want) in cases {
        let list = AddressList {
            addresses: vec![Address::Mailbox(mbox(Some(name), "a", "b.c"))],
        };
        let mut w = HeaderWriter::new(Mode::SevenBit);
        w.addresses("To", &list).unwrap();
        let out = w.finish();
        assert_eq!(String::from_utf8_lossy(&out), format!("To: {want}\r\n"));
        let msg = Message::parse(&out).unwrap();
        let back = msg.headers().get("to").unwrap().addresses();
        assert_eq!(back.value, list, "{name}");
    }
}

#[test]
fn local_parts_quoted_when_needed() {
    for (local, want) in [
        ("a.b", "a.b@x.test"),
        ("a b", "\"a b\"@x.test"),
        ("a..b", "\"a..b\"@x.test"),
        (".a", "\".a\"@x.test"),
        ("", "\"\"@x.test"),
        ("q\"t", "\"q\\\"t\"@x.test"),
    ] {
        let m = mbox(None, local, "x.test");
        assert_eq!(m.addr_spec(), want);
        let mut w = HeaderWriter::new(Mode::SevenBit);
        w.mailbox("Sender", &m).unwrap();
        let out = w.finish();
        let msg = Message::parse(&out).unwrap();
        let back = Mailbox::parse(msg.headers().get("sender").unwrap().value()).value;
        assert_eq!(back.as_ref(), Some(&m), "{}", String::from_utf8_lossy(&out));
    }
}

#[test]
fn groups_and_dates_and_ids() {
    let list = AddressList {
        addresses: vec![
            Address::Group(Group {
                name: Cow::Borrowed("Undisclosed recipients"),
                members: vec![],
            }),
            Address::Group(Group {
                name: Cow::Borrowed("Team"),
                members: vec![mbox(Some("A"), "a", "x.test"), mbox(None, "b", "x.test")],
            }),
        ],
    };
    let mut w = HeaderWriter::new(Mode::SevenBit);
    w.addresses("To", &list).unwrap();
    let d = DateTime::new(1997, 11, 21, 9, 55, 6, -360).unwrap();
    w.date("Date", &d).unwrap();
    let ids = [
        MsgId {
            left: "1234".into(),
            right: "local.machine.example".into(),
        },
        MsgId {
            left: "a.b".into(),
            right: "[127.0.0.1]".into(),
        },
    ];
    w.msg_ids("References", &ids).unwrap();
    let out = w.finish();
    assert_eq!(
        String::from_utf8_lossy(&out),
        "To: Undisclosed recipients:;, Team: A <a@x.test>, b@x.test;\r\n\
         Date: Fri, 21 Nov 1997 09:55:06 -0600\r\n\
         References: <1234@local.machine.example> <a.b@[127.0.0.1]>\r\n"
    );
    let msg = Message::parse(&out).unwrap();
    assert_eq!(msg.headers().get("to").unwrap().addresses().value, list);
    assert_eq!(msg.headers().get("date").unwrap().date().unwrap().value, d);
    assert_eq!(
        msg.headers().get("references").unwrap().msg_ids().value,
        ids
    );
    let bad = MsgId {
        left: "a>b".into(),
        right: "x".into(),
    };
    assert_eq!(
        HeaderWriter::new(Mode::Utf8)
            .msg_ids("Message-ID", &[bad])
            .unwrap_err(),
        WriteError::InvalidMsgId
    );
}

#[test]
fn invalid_field_names_rejected() {
    for name in [
        "",
        "Sub ject",
        "Sub:ject",
        "Subject\r\nBcc",
        "Ä",
        &"x".repeat(101),
    ] {
        let mut w = HeaderWriter::new(Mode::Utf8);
        assert_eq!(
            w.unstructured(name, "v").unwrap_err(),
            WriteError::InvalidFieldName
        );
        assert!(w.as_bytes().is_empty());
    }
}

/// CR and LF in any value can never become a line break in the output.
#[test]
fn header_injection_impossible() {
    let evil = [
        "hi\r\nBcc: victim@example.com",
        "hi\nBcc: victim@example.com",
        "hi\rBcc: victim@example.com",
        "\r\n\r\nbody injection",
        "x\r\n\tcontinued",
        "=?utf-8?Q?a=0D=0ABcc:_x?=",
    ];
    for v in evil {
        for mode in [Mode::SevenBit, Mode::Utf8] {
            let mut w = HeaderWriter::new(mode);
            w.unstructured("Subject", v).unwrap();
            let list = AddressList {
                addresses: vec![
                    Address::Mailbox(mbox(Some(v), "a", "b.c")),
                    Address::Group(Group {
                        name: Cow::Borrowed(v),
                        members: vec![mbox(Some(v), "d", "e.f")],
                    }),
                ],
            };
            w.addresses("To", &list).unwrap();
            // Local parts and domains with line breaks are refused.
            if v.contains(['\r', '\n']) {
                assert!(w.mailbox("Sender", &mbox(None, v, "b.c")).is_err());
            }
            assert!(w.mailbox("Sender", &mbox(None, "a", v)).is_err());
            let out = w.finish();
            let msg = Message::parse(&out).unwrap();
            assert!(msg.defects().is_empty(), "{v:?}: {:?}", msg.defects());
            let names: Vec<&str> = msg.headers().iter().map(|f| f.name()).collect();
            assert_eq!(
                names,
                ["Subject", "To"],
                "{v:?}\n{}",
                String::from_utf8_lossy(&out)
            );
            assert!(msg.body().is_empty());
            // Every line break is a fold (followed by WSP) or ends a field.
            for (i, _) in out.windows(2).enumerate().filter(|(_, w)| w == b"\r\n") {
                let next = out.get(i + 2).copied();
                assert!(
                    matches!(next, None | Some(b' ' | b'\t' | b'S' | b'T')),
                    "{v:?}"
                );
            }
            assert_eq!(
                out.iter().filter(|&&b| b == b'\r').count(),
                out.iter().filter(|&&b| b == b'\n').count()
            );
            let to = msg.headers().get("to").unwrap().addresses();
            assert_eq!(to.value.mailboxes().count(), 2);
        }
    }
}

#[test]
fn structured_values_fold_but_never_encode() {
    let v = format!(
        "multipart/mixed; boundary=\"{}\"; x=\"a b\"",
        "b".repeat(60)
    );
    let mut w = HeaderWriter::new(Mode::SevenBit);
    w.structured("Content-Type", &v).unwrap();
    let out = w.finish();
    let ls = lines(&out);
    assert_eq!(ls[0], "Content-Type: multipart/mixed;");
    assert!(ls[1].starts_with(" boundary="));
    let msg = Message::parse(&out).unwrap();
    assert_eq!(msg.headers().get("content-type").unwrap().text(), v);
    // Line breaks cannot get through; controls and (7-bit) non-ASCII are refused.
    let mut w = HeaderWriter::new(Mode::SevenBit);
    w.structured("X", "a\r\nBcc: b").unwrap();
    assert_eq!(w.as_bytes(), b"X: a  Bcc: b\r\n");
    assert!(w.structured("X", "a\0b").is_err());
    assert!(w.structured("X", "é").is_err());
    assert!(HeaderWriter::new(Mode::Utf8).structured("X", "é").is_ok());
    assert!(w.structured("X", &"x".repeat(900)).is_err());
}

#[test]
fn mailbox_display() {
    assert_eq!(
        mbox(Some("Doe, J"), "a", "b.c").to_string(),
        "\"Doe, J\" <a@b.c>"
    );
    assert_eq!(mbox(None, "a b", "b.c").to_string(), "\"a b\"@b.c");
    assert_eq!(
        mbox(Some("Jöran"), "jöran", "bücher.example").to_string(),
        "Jöran <jöran@bücher.example>"
    );
    // Unwritable input is shown with its control characters replaced.
    assert_eq!(mbox(None, "a\r\nb", "c.d").to_string(), "a??b@c.d");
}
