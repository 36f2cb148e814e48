//! Split-feed equivalence: the same client bytes fed whole or in random
//! chunks give the same events and the same output, with an application
//! that answers every event the same way. (STARTTLS is left out: bytes
//! after it in the same read are dropped, bytes in a later read come after
//! the handshake, by design. Updates are pushed only while a command is in
//! progress: an update pushed in reaction to an informational event such as
//! `Event::Idle` may legitimately land before or after a `DONE` that came
//! in the same read.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use mailwire_imap_proto::response::Data;
use mailwire_imap_proto::server::{Config, Event, Server};
use mailwire_sasl::server::Answer;
use proptest::prelude::*;

const PIECES: &[&[u8]] = &[
    b"a NOOP\r\n",
    b"b LOGIN joe secret\r\n",
    b"b2 LOGIN {3}\r\njoe {6}\r\nsecret\r\n",
    b"c SELECT INBOX\r\n",
    b"c2 EXAMINE INBOX\r\n",
    b"d FETCH 1:* FLAGS\r\n",
    b"d2 UID FETCH 1 BODY.PEEK[]\r\n",
    b"e IDLE\r\n",
    b"DONE\r\n",
    b"f APPEND INBOX {5}\r\nhello\r\n",
    b"f2 APPEND INBOX {500}\r\n",
    b"g APPEND INBOX {5+}\r\nhello\r\n",
    b"h AUTHENTICATE PLAIN\r\n",
    b"h2 AUTHENTICATE PLAIN AGpvZQBzZWNyZXQ=\r\n",
    b"h3 AUTHENTICATE LOGIN\r\n",
    b"AGpvZQBzZWNyZXQ=\r\n",
    b"am9l\r\n",
    b"*\r\n",
    b"\r\n",
    b"garbage\r\n",
    b"i ENABLE IMAP4rev2 CONDSTORE\r\n",
    b"k CLOSE\r\n",
    b"k2 UNSELECT\r\n",
    b"m CAPABILITY\r\n",
    b"n STATUS INBOX (MESSAGES)\r\n",
    b"o STORE 1 +FLAGS (\\Seen)\r\n",
    b"q SEARCH {3}\r\nALL\r\n",
    b"r LOGOUT\r\n",
    b"s LIST \"\" *\r\n",
    b"t NOOP {2+}\r\n",
    // Streamed APPENDs (threshold 8): one message, MULTIAPPEND, bad tails.
    b"u APPEND INBOX {10+}\r\n0123456789\r\n",
    b"u2 APPEND INBOX (\\Seen) ~{12}\r\n0123\x0056789ab\r\n",
    b"v APPEND INBOX {9+}\r\nabcdefghi (\\Draft) {3}\r\nxyz\r\n",
    b"w APPEND INBOX {9+}\r\nabcdefghi junk\r\n",
    b"w2 APPEND INBOX {9+}\r\nabcdefghi junk {4+}\r\nabcd\r\n",
];

fn config(small_output: bool) -> Config {
    let mut c = Config::default();
    if small_output {
        // Backpressure after almost every response.
        c.max_pending_output = 16;
    }
    c.allow_plaintext_auth = true;
    c.starttls = true;
    c.max_bad_commands = 1000;
    c.max_auth_failures = 1000;
    c.append_stream_threshold = 8;
    c
}

/// Answers everything deterministically.
fn pump(server: &mut Server, out: &mut Vec<u8>, events: &mut Vec<String>, n: &mut u32) {
    loop {
        while let Some(b) = server.poll_transmit() {
            out.extend_from_slice(&b);
        }
        if server.wants_tls_upgrade() {
            server.tls_established().unwrap();
        }
        let Some(ev) = server.poll_event() else {
            break;
        };
        // Streamed data is cut where the input was: compare the octets.
        if let Event::AppendData { chunk, .. } = &ev {
            let text = chunk.escape_ascii().to_string();
            match events.last_mut() {
                Some(last) if last.starts_with("AppendData ") => last.push_str(&text),
                _ => events.push(format!("AppendData {text}")),
            }
            continue;
        }
        events.push(format!("{ev:?}"));
        *n += 1;
        match ev {
            Event::Command { id, .. } | Event::AppendEnd { id } => {
                server.respond(id, Data::Exists(*n)).unwrap();
                if (*n).is_multiple_of(3) {
                    let _ = server.push_update(Data::Expunge(1));
                }
                if (*n).is_multiple_of(4) {
                    server.no(id, "no").unwrap();
                } else {
                    server.ok(id, "done").unwrap();
                }
            }
            Event::Login { id, .. } => {
                if (*n).is_multiple_of(2) {
                    server.accept_login(id).unwrap();
                } else {
                    server.reject_login(id).unwrap();
                }
            }
            Event::Sasl { id, .. } => server.sasl_answer(id, Answer::Reject).unwrap(),
            Event::LiteralAnnounced { length, .. } => {
                if length < 100 {
                    server.accept_literal().unwrap();
                } else {
                    server.reject_literal().unwrap();
                }
            }
            _ => {}
        }
    }
}

fn run(input: &[u8], chunks: &[usize], small_output: bool) -> (Vec<u8>, Vec<String>) {
    let mut server = Server::new(config(small_output));
    let mut out = Vec::new();
    let mut events = Vec::new();
    let mut n = 0;
    pump(&mut server, &mut out, &mut events, &mut n);
    let mut pos = 0;
    let mut i = 0;
    while pos < input.len() {
        let size = if chunks.is_empty() {
            input.len()
        } else {
            chunks[i % chunks.len()]
        };
        let end = (pos + size.max(1)).min(input.len());
        server.feed(&input[pos..end]);
        pump(&mut server, &mut out, &mut events, &mut n);
        pos = end;
        i += 1;
    }
    (out, events)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn chunking_does_not_matter(
        pieces in prop::collection::vec(0..PIECES.len(), 1..40),
        noise in prop::collection::vec(any::<u8>(), 0..16),
        chunks in prop::collection::vec(1usize..24, 1..8),
        small_output in any::<bool>(),
    ) {
        let mut input: Vec<u8> = pieces.iter().flat_map(|&i| PIECES[i].iter().copied()).collect();
        input.extend_from_slice(&noise);
        let whole = run(&input, &[], small_output);
        let split = run(&input, &chunks, small_output);
        prop_assert_eq!(&whole.1, &split.1);
        prop_assert_eq!(String::from_utf8_lossy(&whole.0), String::from_utf8_lossy(&split.0));
        let bytes = run(&input, &[1], !small_output);
        prop_assert_eq!(&whole.1, &bytes.1);
        prop_assert_eq!(whole.0, bytes.0);
    }
}

#[test]
fn a_session_gives_the_same_result_byte_by_byte() {
    let input: Vec<u8> = PIECES.iter().flat_map(|p| p.iter().copied()).collect();
    let whole = run(&input, &[], false);
    let split = run(&input, &[1], false);
    assert_eq!(whole, split);
    assert_eq!(whole, run(&input, &[], true));
    // The session did something: logged in, selected, idled, logged out.
    let events = whole.1.join("\n");
    assert!(events.contains("Authenticated"), "{events}");
    assert!(events.contains("Idle {"), "{events}");
    assert!(events.contains("Closed"), "{events}");
}

#[test]
fn streamed_appends_give_the_same_result_byte_by_byte() {
    // The first LOGIN is refused, the second accepted (see `pump`).
    let mut input = b"b LOGIN joe secret\r\nb LOGIN joe secret\r\n".to_vec();
    for p in PIECES
        .iter()
        .filter(|p| p.starts_with(b"u") || p.starts_with(b"v") || p.starts_with(b"w"))
    {
        input.extend_from_slice(p);
    }
    input.extend_from_slice(b"x NOOP\r\n");
    let whole = run(&input, &[], false);
    assert_eq!(whole, run(&input, &[1], false));
    assert_eq!(whole, run(&input, &[3, 7, 1], true));
    let events = whole.1.join("\n");
    assert_eq!(events.matches("AppendStart").count(), 6, "{events}");
    assert!(events.contains("AppendData 0123\\x0056789ab"), "{events}");
    assert!(events.contains("AppendData xyz"), "{events}");
    assert_eq!(events.matches("AppendEnd").count(), 3, "{events}");
    assert_eq!(events.matches("AppendAborted").count(), 2, "{events}");
    let out = String::from_utf8_lossy(&whole.0);
    assert!(out.contains("w BAD "), "{out}");
    assert!(out.contains("w2 BAD "), "{out}");
    assert!(out.ends_with("x OK NOOP completed\r\n"), "{out}");
}
