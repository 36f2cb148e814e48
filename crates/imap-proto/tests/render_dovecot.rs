//! Golden comparison with Dovecot: `tests/data/render/dovecot.golden` holds
//! what Dovecot 2.3.19's imap answered to single FETCH items for the
//! messages in `tests/data/render/msgs/` (regenerate with
//! `tests/data/render/dovecot_golden.py`). Our rendering of the same item
//! must say the same thing: both sides are parsed with `Response::parse`
//! and written back (so that quoting choices do not matter) and compared
//! ASCII-case-insensitively (Dovecot keeps media types as written, we
//! upper-case them like the RFC examples).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::fetch::fetch_items;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::primitive::Encoder;
use mailwire_imap_proto::render::{RenderError, RenderOptions, write_fetch};
use mailwire_imap_proto::response::Response;

struct Record {
    msg: String,
    status: String,
    item: String,
    data: Vec<u8>,
}

fn records() -> Vec<Record> {
    let golden = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/render/dovecot.golden"),
    )
    .unwrap();
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < golden.len() {
        let eol = pos + golden[pos..].iter().position(|&b| b == b'\n').unwrap();
        let line = std::str::from_utf8(&golden[pos..eol]).unwrap();
        let mut f = line.splitn(5, ' ');
        assert_eq!(f.next(), Some("@@"));
        let msg = f.next().unwrap().to_string();
        let status = f.next().unwrap().to_string();
        let len: usize = f.next().unwrap().parse().unwrap();
        let item = f.next().unwrap().to_string();
        let data = golden[eol + 1..eol + 1 + len].to_vec();
        pos = eol + 1 + len + 1;
        out.push(Record {
            msg,
            status,
            item,
            data,
        });
    }
    out
}

/// Parses every response in `data` and writes them back; on a parse error,
/// the error and the rest of the input.
fn normalise(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        match Response::parse(rest) {
            Ok((r, n)) => {
                out.extend_from_slice(&r.to_bytes());
                rest = &rest[n..];
            }
            Err(e) => {
                out.extend_from_slice(format!("UNPARSABLE ({e}): ").as_bytes());
                out.extend_from_slice(rest);
                break;
            }
        }
    }
    out.to_ascii_lowercase()
}

/// Where we differ from Dovecot on purpose.
const DEVIATIONS: &[(&str, &str, &str)] = &[
    // Dovecot counts the CRLF after an inner close-delimiter (`--b2--`) into
    // the message/rfc822 part (290 octets, 16 lines); RFC 2046 §5.1.1 gives
    // that CRLF to the outer delimiter that follows (288, 15).
    ("04-nested-rfc822.eml", "BODY", "nested size"),
    ("04-nested-rfc822.eml", "BODYSTRUCTURE", "nested size"),
    ("04-nested-rfc822.eml", "BODY.PEEK[2]", "nested size"),
    ("04-nested-rfc822.eml", "BODY.PEEK[2.TEXT]", "nested size"),
    ("04-nested-rfc822.eml", "BINARY.PEEK[2]", "nested size"),
    ("04-nested-rfc822.eml", "BINARY.SIZE[2]", "nested size"),
    // Dovecot fails BINARY.SIZE of the 7bit part 1 because *another* part
    // has an unknown encoding; BINARY[1] itself works there.
    ("07-rfc2231.eml", "BINARY.SIZE[1]", "dovecot bug"),
    ("07-rfc2231.eml", "BINARY.SIZE[1.1]", "dovecot bug"),
    // Base64 text "hello\nworld\n": RFC 9051 §7.5.2 says textual BINARY
    // data MUST go with CRLF line ends; Dovecot sends the bare LFs.
    ("10-base64-text.eml", "BINARY.PEEK[1]", "crlf"),
    ("10-base64-text.eml", "BINARY.SIZE[1]", "crlf"),
    // Part 1 is a base64-encoded message/rfc822 (RFC 2046 §5.2.1 forbids
    // the encoding, but it is seen): we decode it and describe and number
    // the message inside; Dovecot gives it an empty envelope and no parts
    // (and a size with the delimiter's CRLF). Part 2 is message/global,
    // which RFC 9051 §7.5.2 (body-type-msg) and RFC 6532 describe like
    // message/rfc822; Dovecot 2.3 treats it as a basic part (with a BODY
    // our own client parser, following the RFC grammar, rejects).
    ("12-encoded-parts.eml", "BODY", "encoded or global message"),
    (
        "12-encoded-parts.eml",
        "BODYSTRUCTURE",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BODY.PEEK[1]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BODY.PEEK[2.HEADER]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BODY.PEEK[2.TEXT]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BODY.PEEK[2.1]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BODY.PEEK[2.1.MIME]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BODY.PEEK[2.HEADER.FIELDS (subject)]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BODY.PEEK[1.1]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BODY.PEEK[1.HEADER]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BODY.PEEK[1.TEXT]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BINARY.PEEK[1]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BINARY.SIZE[1]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BINARY.PEEK[1.1]",
        "encoded or global message",
    ),
    (
        "12-encoded-parts.eml",
        "BINARY.SIZE[1.1]",
        "encoded or global message",
    ),
];

#[test]
fn fetch_items_match_dovecot() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/render/msgs");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".eml"))
        .collect();
    names.sort();
    let (date, _) = DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for rec in records() {
        let seq = names.iter().position(|n| *n == rec.msg).unwrap() as u32 + 1;
        let raw = std::fs::read(dir.join(&rec.msg)).unwrap();
        let parsed = mailwire_mime::Message::parse(&raw).unwrap();
        let meta = MessageMeta {
            seq,
            uid: seq,
            flags: &[],
            recent: false,
            internal_date: date,
            modseq: 1,
        };
        let msg = StoredMessage {
            raw: &raw,
            parsed: &parsed,
            meta,
        };
        if DEVIATIONS
            .iter()
            .any(|(m, i, _)| *m == rec.msg && *i == rec.item)
        {
            continue;
        }
        let cmd = format!("({})\r\n", rec.item);
        let (_, items) = fetch_items(cmd.as_bytes()).unwrap();
        let attrs = items.expand();
        let mut enc = Encoder::default();
        let got = write_fetch(&mut enc, &msg, &attrs, &RenderOptions::default());
        checked += 1;
        match rec.status.as_str() {
            "OK" => {
                if let Err(e) = got {
                    failures.push(format!("{} {}: error {e}", rec.msg, rec.item));
                    continue;
                }
                let ours = normalise(enc.as_bytes());
                let theirs = normalise(&rec.data);
                if ours != theirs {
                    failures.push(format!(
                        "{} {}:\n  dovecot: {}\n  ours:    {}",
                        rec.msg,
                        rec.item,
                        String::from_utf8_lossy(&theirs).trim_end(),
                        String::from_utf8_lossy(&ours).trim_end()
                    ));
                }
            }
            "NO:UNKNOWN-CTE" => {
                if !matches!(got, Err(RenderError::UnknownCte { .. })) {
                    failures.push(format!(
                        "{} {}: expected UNKNOWN-CTE, got {got:?}",
                        rec.msg, rec.item
                    ));
                }
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert!(checked >= 400 - DEVIATIONS.len(), "{checked}");
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
