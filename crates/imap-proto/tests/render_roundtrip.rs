//! Round trips: for generated messages (proptest) and the corpus in
//! `tests/data/render/msgs/`, every FETCH data item is rendered; the fast
//! path (`write_fetch`) must write exactly what writing the typed items of
//! `render` gives, and `Response::parse` must read it back to the same
//! typed items.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::fetch::{FetchAttribute, fetch_items};
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::primitive::Encoder;
use mailwire_imap_proto::render::{RenderOptions, render, write_fetch};
use mailwire_imap_proto::response::{Data, Response, ResponseOptions};
use proptest::prelude::*;

const ITEMS: &[&str] = &[
    "(FLAGS UID MODSEQ INTERNALDATE RFC822.SIZE ENVELOPE BODY BODYSTRUCTURE)",
    "(BODY[] BODY.PEEK[HEADER] BODY[TEXT]<3.40> BODY[1] BODY[1.MIME] BODY[2] BODY[2.1] BODY[2.HEADER])",
    "(BODY.PEEK[HEADER.FIELDS (FROM To Subject)] BODY.PEEK[HEADER.FIELDS.NOT (Received)] BODY[3.TEXT])",
    "(RFC822 RFC822.HEADER RFC822.TEXT BODY[1.2.3] BODY[]<100000.5>)",
    "(BINARY.PEEK[1] BINARY.SIZE[1] BINARY[2]<1.5> BINARY.SIZE[2.1] BINARY[] UID)",
    "ALL",
    "FULL",
    "FAST",
];

fn check(raw: &[u8], max_depth: usize) {
    let parsed = mailwire_mime::Message::parse(raw).unwrap();
    let (date, _) = DateTime::parse(b"\"01-Feb-2024 10:00:00 +0100\"").unwrap();
    let flags = [Flag::Answered];
    let msg = StoredMessage {
        raw,
        parsed: &parsed,
        meta: MessageMeta {
            seq: 3,
            uid: 77,
            flags: &flags,
            recent: true,
            internal_date: date,
            modseq: 9,
        },
    };
    let opts = RenderOptions::default().max_depth(max_depth);
    for spec in ITEMS {
        let cmd = format!("{spec}\r\n");
        let (_, items) = fetch_items(cmd.as_bytes()).unwrap();
        let attrs: Vec<FetchAttribute<'_>> = items.expand();
        let typed = match render(&msg, &attrs, &opts) {
            Ok(t) => t,
            Err(e) => {
                // Only BINARY of an unknown encoding may fail.
                assert!(spec.contains("BINARY"), "{spec}: {e}");
                let mut enc = Encoder::default();
                assert!(write_fetch(&mut enc, &msg, &attrs, &opts).is_err());
                assert!(enc.as_bytes().is_empty());
                continue;
            }
        };
        let mut slow = Encoder::default();
        Response::Data(Data::Fetch {
            seq: 3,
            items: typed.items.clone(),
        })
        .write(&mut slow);
        let mut fast = Encoder::default();
        let outcome = write_fetch(&mut fast, &msg, &attrs, &opts).unwrap();
        assert_eq!(outcome.set_seen, typed.set_seen);
        assert_eq!(
            String::from_utf8_lossy(fast.as_bytes()),
            String::from_utf8_lossy(slow.as_bytes()),
            "{spec}"
        );
        let mut parse_opts = ResponseOptions::default();
        parse_opts.max_depth = max_depth + 2;
        let (back, used) = Response::parse_with(fast.as_bytes(), &parse_opts).unwrap_or_else(|e| {
            panic!("{spec}: {e}\n{}", String::from_utf8_lossy(fast.as_bytes()))
        });
        assert_eq!(used, fast.as_bytes().len());
        let Response::Data(Data::Fetch { seq, items }) = back else {
            panic!("not a FETCH")
        };
        assert_eq!(seq, 3);
        assert_eq!(items, typed.items, "{spec}");
    }
}

#[test]
fn corpus_round_trips() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/render/msgs");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let raw = std::fs::read(e.unwrap().path()).unwrap();
        check(&raw, 32);
        check(&raw, 2);
        n += 1;
    }
    assert!(n >= 10);
}

/// Inputs the `imap_render_fetch` fuzz target once failed on (its input
/// format: `[n][n % 96 bytes of FETCH items][message]`).
#[test]
fn fuzz_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/render/fuzz");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(e.unwrap().path()).unwrap();
        let Some((&k, rest)) = data.split_first() else {
            continue;
        };
        let raw = &rest[usize::from(k).min(rest.len()) % 96..];
        check(raw, 32);
        check(raw, 2);
        n += 1;
    }
    assert!(n >= 1);
}

// ---------------------------------------------------------------------------
// Generated messages

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 .,;:<>@\"()\\\\=?_-]{0,30}",
        Just("=?UTF-8?Q?Caf=C3=A9?= <cafe@example.org>".to_string()),
        Just("A Group: a@b.c, \"x, y\" <x@y.z>;, d@e".to_string()),
        Just("undisclosed-recipients:;".to_string()),
        Just("<@r.test:u@h.test> (comment)".to_string()),
        Just("caf\u{e9} <\u{fc}@b.example>".to_string()),
    ]
}

fn headers() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            prop_oneof![
                Just("From"),
                Just("To"),
                Just("Cc"),
                Just("Sender"),
                Just("Reply-To"),
                Just("Subject"),
                Just("Date"),
                Just("Message-ID"),
                Just("In-Reply-To"),
                Just("Content-ID"),
                Just("Content-Description"),
                Just("Content-Language"),
                Just("Content-Disposition"),
                Just("X-Other"),
            ],
            header_value(),
            any::<bool>(),
        ),
        0..6,
    )
    .prop_map(|v| {
        v.into_iter()
            .map(|(n, val, fold)| {
                if fold && val.len() > 4 {
                    let (a, b) = val.split_at(val.len() / 2);
                    if b.is_char_boundary(0) && a.is_char_boundary(a.len()) {
                        return format!("{n}: {a}\r\n {b}\r\n");
                    }
                }
                format!("{n}: {val}\r\n")
            })
            .collect()
    })
}

#[derive(Debug, Clone)]
enum Node {
    Leaf {
        ctype: &'static str,
        cte: &'static str,
        body: String,
    },
    Multi(&'static str, Vec<Node>),
    Message(String, Box<Node>),
}

fn leaf() -> impl Strategy<Value = Node> {
    (
        prop_oneof![
            Just(""),
            Just("Content-Type: text/plain\r\n"),
            Just("Content-Type: text/html; charset=utf-8\r\n"),
            Just("Content-Type: application/pdf; name*=utf-8''r%C3%A9sum%C3%A9.pdf\r\n"),
            Just("Content-Type: image/png; name=\"a b.png\"\r\n"),
            Just("Content-Type: multipart/mixed\r\n"),
            Just("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: x-weird\r\n"),
        ],
        prop_oneof![
            Just(""),
            Just("Content-Transfer-Encoding: base64\r\n"),
            Just("Content-Transfer-Encoding: quoted-printable\r\n"),
            Just("Content-Transfer-Encoding: 8bit\r\n"),
            Just("Content-Transfer-Encoding: x-unknown\r\n"),
        ],
        "[a-zA-Z0-9+/= \r\n.]{0,60}",
    )
        .prop_map(|(ctype, cte, body)| Node::Leaf { ctype, cte, body })
}

fn tree() -> impl Strategy<Value = Node> {
    leaf().prop_recursive(4, 16, 4, |inner| {
        prop_oneof![
            (
                prop_oneof![Just("mixed"), Just("alternative"), Just("digest")],
                proptest::collection::vec(inner.clone(), 0..4)
            )
                .prop_map(|(s, v)| Node::Multi(s, v)),
            (headers(), inner).prop_map(|(h, n)| Node::Message(h, Box::new(n))),
        ]
    })
}

fn render_node(n: &Node, out: &mut String, depth: usize) {
    match n {
        Node::Leaf { ctype, cte, body } => {
            out.push_str(ctype);
            out.push_str(cte);
            out.push_str("\r\n");
            out.push_str(body);
        }
        Node::Multi(sub, parts) => {
            let b = format!("b{depth}x");
            out.push_str(&format!(
                "Content-Type: multipart/{sub}; boundary=\"{b}\"\r\n\r\npreamble\r\n"
            ));
            for p in parts {
                out.push_str(&format!("--{b}\r\n"));
                render_node(p, out, depth + 1);
                out.push_str("\r\n");
            }
            out.push_str(&format!("--{b}--\r\n"));
        }
        Node::Message(h, inner) => {
            out.push_str("Content-Type: message/rfc822\r\n\r\n");
            out.push_str(h);
            render_node(inner, out, depth + 1);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn generated_messages_round_trip(h in headers(), t in tree()) {
        let mut m = h;
        m.push_str("MIME-Version: 1.0\r\n");
        render_node(&t, &mut m, 0);
        check(m.as_bytes(), 32);
        check(m.as_bytes(), 3);
    }
}
