//! Property: whatever the builder writes, the parser reads back to the same
//! tree and the same decoded content (text in canonical CRLF form, other
//! data byte for byte), with no defects, CRLF lines of at most 998 octets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mailwire_mime::builder::{MessageBuilder, Mode, PartBuilder};
use mailwire_mime::{Message, Part, PartKind};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Spec {
    Text(String),
    Html(String),
    Data {
        media: String,
        data: Vec<u8>,
        filename: Option<String>,
        cid: Option<String>,
    },
    Multi(String, Vec<Spec>),
    Msg(String, Box<Spec>),
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 .,\n]{0,200}",
        "[a-zA-Zéü€漢\u{1F600} \r\n\t=-]{0,300}",
        // Long lines and things that look like delimiters or QP.
        "(--=_mw0_[0-9a-f]{4}|=3D|From |\\.|x{900,1100}|\r|\n){0,6}",
    ]
}

fn leaf() -> impl Strategy<Value = Spec> {
    prop_oneof![
        text_strategy().prop_map(Spec::Text),
        text_strategy().prop_map(Spec::Html),
        (
            prop_oneof![
                Just("application/octet-stream"),
                Just("image/png"),
                Just("text/csv")
            ],
            prop::collection::vec(any::<u8>(), 0..400),
            prop::option::of("[a-zA-Z0-9 ._éü漢\"\\\\;=-]{1,120}"),
            prop::option::of("[a-z0-9.]{1,20}@[a-z0-9.]{1,20}"),
        )
            .prop_map(|(m, data, filename, cid)| {
                // text/* data is text: keep it valid UTF-8.
                let data = if m.starts_with("text/") {
                    String::from_utf8_lossy(&data).into_owned().into_bytes()
                } else {
                    data
                };
                Spec::Data {
                    media: m.to_string(),
                    data,
                    filename,
                    cid,
                }
            }),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    leaf().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            (
                prop_oneof![Just("mixed"), Just("alternative"), Just("related")],
                prop::collection::vec(inner.clone(), 1..4)
            )
                .prop_map(|(s, v)| Spec::Multi(s.to_string(), v)),
            ("[a-zA-Z0-9 äö]{0,30}", inner).prop_map(|(s, b)| Spec::Msg(s, Box::new(b))),
        ]
    })
}

fn canonical(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n")
}

fn build(spec: &Spec, mode: Mode) -> PartBuilder {
    match spec {
        Spec::Text(t) => PartBuilder::text(t),
        Spec::Html(t) => PartBuilder::html(t),
        Spec::Data {
            media,
            data,
            filename,
            cid,
        } => {
            let mut p = PartBuilder::data(media, data.clone());
            if let Some(f) = filename {
                p = p.disposition("attachment").filename(f);
            }
            if let Some(c) = cid {
                p = p.content_id(c);
            }
            p
        }
        Spec::Multi(sub, parts) => {
            PartBuilder::multipart(sub, parts.iter().map(|p| build(p, mode)).collect())
        }
        Spec::Msg(subject, body) => PartBuilder::message(
            MessageBuilder::new()
                .mode(mode)
                .subject(subject)
                .body(build(body, mode)),
        ),
    }
}

fn check(spec: &Spec, part: Part<'_>) {
    match spec {
        Spec::Text(t) | Spec::Html(t) => {
            let want = if matches!(spec, Spec::Text(_)) {
                "text/plain"
            } else {
                "text/html"
            };
            assert_eq!(part.content_type().mime_type(), want);
            let got = part.text();
            assert_eq!(got.issue, None);
            assert!(!got.had_errors);
            assert_eq!(got.text, canonical(t));
        }
        Spec::Data {
            media,
            data,
            filename,
            cid,
        } => {
            assert_eq!(part.kind(), PartKind::Leaf);
            assert_eq!(&part.content_type().mime_type(), media);
            let d = part.decoded();
            assert_eq!(d.issue, None);
            if media.starts_with("text/") {
                assert_eq!(
                    String::from_utf8(d.bytes.into_owned()).unwrap(),
                    canonical(std::str::from_utf8(data).unwrap())
                );
            } else {
                assert_eq!(d.bytes.as_ref(), data.as_slice());
            }
            assert_eq!(part.filename().as_deref(), filename.as_deref());
            assert_eq!(part.content_id().as_deref(), cid.as_deref());
        }
        Spec::Multi(sub, parts) => {
            assert_eq!(part.kind(), PartKind::Multipart);
            assert_eq!(part.content_type().subtype(), sub);
            let kids: Vec<_> = part.children().collect();
            assert_eq!(kids.len(), parts.len());
            for (s, p) in parts.iter().zip(kids) {
                check(s, p);
            }
        }
        Spec::Msg(subject, body) => {
            assert_eq!(part.kind(), PartKind::Message);
            let inner = part.encapsulated().unwrap();
            assert_eq!(
                inner.header_text("subject").unwrap_or_default(),
                subject.trim()
            );
            check(body, inner);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn builder_output_parses_back(spec in spec(), utf8 in any::<bool>(), subject in "[a-zA-Z0-9 äöß漢]{0,60}") {
        let mode = if utf8 { Mode::Utf8 } else { Mode::SevenBit };
        let bytes = MessageBuilder::new()
            .mode(mode)
            .from(Some("Jörg Ünal"), "joerg@example.org").unwrap()
            .subject(&subject)
            .body(build(&spec, mode))
            .build()
            .unwrap();
        let lines: Vec<&[u8]> = bytes.split_inclusive(|&c| c == b'\n').collect();
        for (i, line) in lines.iter().enumerate() {
            // Every line ends in CRLF (the last may have no line break).
            prop_assert!(line.ends_with(b"\r\n") || (i + 1 == lines.len() && !line.ends_with(b"\n")), "bare LF");
            prop_assert!(!line[..line.len().saturating_sub(2)].contains(&b'\r'), "bare CR");
            prop_assert!(line.len() <= 1000, "line of {}", line.len());
            if !utf8 {
                prop_assert!(line.is_ascii());
            }
        }
        let msg = Message::parse(&bytes).unwrap();
        prop_assert!(msg.defects().is_empty(), "{:?}", msg.defects());
        let root = msg.root();
        prop_assert_eq!(root.header_text("subject").unwrap_or_default(), subject.trim());
        let version = root.header_text("mime-version");
        prop_assert_eq!(version.as_deref(), Some("1.0"));
        check(&spec, root);
    }
}
