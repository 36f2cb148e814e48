//! Streamed client bodies (`send_streaming` / `body_chunk` / `body_end`):
//! the same DATA bytes as the whole-body path for any chunking, the same
//! message at the server for BDAT, bounded buffering, and smuggling safety.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{App, fwd, host};
use mailwire_smtp_proto::UsageError;
use mailwire_smtp_proto::client::{self, Client, Envelope, Event, MessageHandle};
use mailwire_smtp_proto::data::{BareLineEndings, encode_body};
use mailwire_smtp_proto::path::ReversePath;
use mailwire_smtp_proto::server::{self, Server};
use proptest::prelude::*;

struct Run {
    /// Everything the client wrote.
    wire: Vec<u8>,
    events: Vec<Event>,
    app: App,
    /// Largest untransmitted client output seen.
    max_tx: usize,
}

/// A streamed body in progress: handle, remaining pieces as (start, end)
/// (last first), whether `body_end` was called.
type Pieces = (MessageHandle, Vec<(usize, usize)>, bool);

fn envelope(rcpts: &[&str]) -> Envelope {
    Envelope::new(ReversePath::Null, rcpts.iter().map(|r| fwd(r)))
}

fn configs(chunking: bool, high_water: usize) -> (server::Config, client::Config) {
    let mut sc = server::Config::new("mx.example");
    sc.chunking = chunking;
    let mut cc = client::Config::new(host("c.example"));
    cc.declare_size = false;
    cc.stream_high_water = high_water;
    (sc, cc)
}

/// Runs one message; `pieces` = None sends the whole body with `send`.
fn run(
    sc: server::Config,
    cc: client::Config,
    rcpts: &[&str],
    body: &[u8],
    pieces: Option<&[usize]>,
) -> Run {
    let mut s = Server::new(sc);
    let mut c = Client::new(cc);
    let mut app = App::default();
    let mut wire = Vec::new();
    let mut events = Vec::new();
    let mut max_tx = 0;
    let mut stream: Option<Pieces> = match pieces {
        None => {
            c.send(envelope(rcpts), body.to_vec());
            None
        }
        Some(cuts) => {
            let h = c.send_streaming(envelope(rcpts)).unwrap();
            let mut v = Vec::new();
            let mut pos = 0;
            for &cut in cuts {
                let cut = cut.clamp(pos, body.len());
                v.push((pos, cut));
                pos = cut;
            }
            v.push((pos, body.len()));
            v.reverse();
            Some((h, v, false))
        }
    };
    let mut quit = false;
    for _ in 0..100_000 {
        let mut progress = app.run(&mut s);
        while let Some(b) = s.poll_transmit() {
            c.feed(&b);
            progress = true;
        }
        if let Some((h, v, ended)) = stream.as_mut() {
            while let Some((a, b)) = v.last_mut() {
                let n = c.body_chunk(*h, &body[*a..*b]).unwrap();
                if n == 0 && a != b {
                    break;
                }
                *a += n;
                progress |= n > 0;
                if a == b {
                    v.pop();
                }
            }
            if v.is_empty() && !*ended {
                c.body_end(*h).unwrap();
                *ended = true;
                progress = true;
            }
        }
        if !quit && stream.as_ref().is_none_or(|s| s.2) {
            c.quit().unwrap();
            quit = true;
            progress = true;
        }
        let mut tx = 0;
        while let Some(b) = c.poll_transmit() {
            tx += b.len();
            wire.extend_from_slice(&b);
            s.feed(&b);
            progress = true;
        }
        max_tx = max_tx.max(tx);
        while let Some(e) = c.poll_event() {
            events.push(e);
            progress = true;
        }
        if !progress {
            break;
        }
    }
    assert!(c.is_closed(), "client not closed: {events:?}");
    Run {
        wire,
        events,
        app,
        max_tx,
    }
}

fn message_results(r: &Run) -> Vec<&client::MessageResult> {
    r.events
        .iter()
        .filter_map(|e| match e {
            Event::Message(m) => Some(m),
            _ => None,
        })
        .collect()
}

/// What the server must receive: the body with CRLF line ends.
fn expected(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    encode_body(body, BareLineEndings::Normalize, false, &mut out).unwrap();
    out
}

fn bodies() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![Just(b'.'), Just(b'\r'), Just(b'\n'), Just(b'a'), Just(b' ')],
        0..80,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn data_same_wire_bytes_as_whole_body(
        body in bodies(),
        mut cuts in prop::collection::vec(0usize..80, 0..6),
        high_water in 8usize..64,
    ) {
        cuts.sort_unstable();
        let (sc, cc) = configs(false, high_water);
        let whole = run(sc.clone(), cc.clone(), &["a@b.c"], &body, None);
        let streamed = run(sc, cc, &["a@b.c"], &body, Some(&cuts));
        prop_assert_eq!(&streamed.wire, &whole.wire);
        prop_assert_eq!(streamed.app.delivered.len(), 1);
        prop_assert_eq!(&streamed.app.delivered[0].body, &expected(&body));
        prop_assert!(message_results(&streamed)[0].is_complete_success());
    }

    #[test]
    fn bdat_same_message_as_whole_body(
        body in bodies(),
        mut cuts in prop::collection::vec(0usize..80, 0..6),
        high_water in 8usize..64,
    ) {
        cuts.sort_unstable();
        let (sc, cc) = configs(true, high_water);
        let whole = run(sc.clone(), cc.clone(), &["a@b.c"], &body, None);
        let streamed = run(sc, cc, &["a@b.c"], &body, Some(&cuts));
        prop_assert_eq!(&streamed.app.delivered, &whole.app.delivered);
        prop_assert_eq!(&streamed.app.delivered[0].body, &expected(&body));
        prop_assert!(message_results(&streamed)[0].is_complete_success());
        let wire = String::from_utf8_lossy(&streamed.wire);
        prop_assert!(wire.contains(" LAST\r\n"), "{}", wire);
        prop_assert!(!wire.contains("\r\nDATA\r\n"), "{}", wire);
    }
}

#[test]
fn smuggling_bodies_split_everywhere_data_and_bdat() {
    let bodies: [&[u8]; 5] = [
        b"a\r\n.\r\nMAIL FROM:<x@y.z>\r\n",
        b"a\n.\nRCPT TO:<evil@y.z>\n",
        b".\r\nsecond",
        b".first line\r\n..\r\n.",
        b"x\r\n.\r",
    ];
    for chunking in [false, true] {
        for body in bodies {
            for i in 0..=body.len() {
                let (sc, cc) = configs(chunking, 1 << 16);
                let r = run(sc, cc, &["a@b.c"], body, Some(&[i]));
                assert_eq!(r.app.delivered.len(), 1, "{body:?} at {i}");
                assert_eq!(r.app.delivered[0].body, expected(body), "{body:?} at {i}");
                assert!(message_results(&r)[0].is_complete_success());
            }
        }
    }
}

#[test]
fn large_body_bounded_buffering_many_bdat_chunks() {
    let line = b"0123456789 .abcdefghijklmnopqrstuvwxyz\r\n.dot line\r\n";
    let body: Vec<u8> = line.iter().copied().cycle().take(200_000).collect();
    let cuts: Vec<usize> = (1..200).map(|k| k * 1000).collect();
    for chunking in [false, true] {
        let (sc, cc) = configs(chunking, 4096);
        let r = run(sc, cc, &["a@b.c", "d@e.f"], &body, Some(&cuts));
        assert_eq!(r.app.delivered[0].body, expected(&body));
        // high water 4096; dot stuffing at most doubles; plus commands.
        assert!(r.max_tx <= 2 * 4096 + 256, "{}", r.max_tx);
        let bdats = String::from_utf8_lossy(&r.wire).matches("BDAT ").count();
        if chunking {
            assert!(bdats >= 200_000 / 4096, "{bdats}");
        } else {
            assert_eq!(bdats, 0);
        }
    }
}

#[test]
fn refused_recipients_drop_the_body() {
    for chunking in [false, true] {
        let (sc, cc) = configs(chunking, 64);
        let body = b"Subject: x\r\n\r\nhello\r\n".repeat(20);
        let r = run(sc, cc, &["bad@b.c"], &body, Some(&[5, 100]));
        assert!(r.app.delivered.is_empty());
        let m = message_results(&r);
        assert_eq!(m.len(), 1);
        assert!(m[0].delivered().is_empty());
        assert!(!String::from_utf8_lossy(&r.wire).contains("hello"));
    }
}

#[test]
fn reject_mode_bare_lf_abandons() {
    // BDAT: the message is reset and reported; nothing is delivered.
    let (sc, mut cc) = configs(true, 1 << 16);
    cc.bare_line_endings = BareLineEndings::Reject;
    let r = run(sc, cc, &["a@b.c"], b"ok\r\nbad\nline\r\n", Some(&[3]));
    assert!(r.app.delivered.is_empty());
    assert!(message_results(&r)[0].local_error.is_some());
    // DATA after the 354: no terminating dot, the session ends.
    let (sc, mut cc) = configs(false, 1 << 16);
    cc.bare_line_endings = BareLineEndings::Reject;
    let mut s = Server::new(sc);
    let mut c = Client::new(cc);
    let mut app = App::default();
    let h = c.send_streaming(envelope(&["a@b.c"])).unwrap();
    common::drive(&mut c, &mut s, &mut app);
    assert_eq!(c.body_chunk(h, b"ok\r\n.\r\n").unwrap(), 7);
    assert_eq!(c.body_chunk(h, b"bad\n").unwrap(), 4);
    let events = common::drive(&mut c, &mut s, &mut app);
    assert!(c.is_closed());
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Error(client::ClientError::Body(_)))),
        "{events:?}"
    );
    assert!(app.delivered.is_empty());
}

#[test]
fn usage_errors() {
    let (_, cc) = configs(true, 16);
    let mut c = Client::new(cc);
    let h = c.send_streaming(envelope(&["a@b.c"])).unwrap();
    assert_eq!(
        c.send_streaming(envelope(&["a@b.c"])),
        Err(UsageError::InvalidState)
    );
    // Before the session is ready, octets are staged up to the high water.
    assert_eq!(c.body_chunk(h, &[b'x'; 40]).unwrap(), 16);
    assert_eq!(c.body_chunk(h, b"y").unwrap(), 0);
    c.body_end(h).unwrap();
    assert_eq!(c.body_end(h), Err(UsageError::InvalidState));
    assert_eq!(c.body_chunk(h, b"z"), Err(UsageError::InvalidState));
}

#[test]
fn bdat_without_pipelining_waits_for_each_reply() {
    let body = b"line one\r\n.line two\r\n".repeat(50);
    let cuts: Vec<usize> = (1..20).map(|k| k * 50).collect();
    let (mut sc, cc) = configs(true, 256);
    sc.pipelining = false;
    let r = run(sc, cc, &["a@b.c"], &body, Some(&cuts));
    assert_eq!(r.app.delivered[0].body, expected(&body));
    assert!(message_results(&r)[0].is_complete_success());
    let wire = String::from_utf8_lossy(&r.wire);
    assert!(wire.matches("BDAT ").count() > 3, "{wire}");
}

#[test]
fn bdat_chunk_refused_stops_the_message() {
    // The server's size limit is exceeded in the middle of the chunks.
    for pipelining in [true, false] {
        let (mut sc, cc) = configs(true, 256);
        sc.limits.message_size = 300;
        sc.pipelining = pipelining;
        let body = b"0123456789\r\n".repeat(100);
        let cuts: Vec<usize> = (1..12).map(|k| k * 100).collect();
        let r = run(sc, cc, &["a@b.c"], &body, Some(&cuts));
        assert!(r.app.delivered.is_empty());
        let m = message_results(&r);
        assert_eq!(m.len(), 1, "{:?}", r.events);
        assert!(!m[0].is_complete_success());
        assert!(
            m[0].data.iter().any(|d| d.code().get() == 552),
            "{:?}",
            m[0]
        );
        assert!(
            !r.events.iter().any(|e| matches!(e, Event::Error(_))),
            "{:?}",
            r.events
        );
        if !pipelining {
            // RFC 3030 §2: no BDAT after the refused one.
            let wire = String::from_utf8_lossy(&r.wire);
            assert!(!wire.contains("LAST"), "{wire}");
        }
    }
}

#[test]
fn lmtp_streamed_gets_one_reply_per_recipient() {
    for chunking in [false, true] {
        let (mut sc, mut cc) = configs(chunking, 64);
        sc.lmtp = true;
        cc.lmtp = true;
        let body = b"Subject: x\r\n\r\n.hello\r\n".repeat(10);
        let r = run(sc, cc, &["a@b.c", "d@e.f"], &body, Some(&[7, 70, 150]));
        assert_eq!(r.app.delivered[0].body, expected(&body));
        let m = message_results(&r);
        assert_eq!(m[0].data.len(), 2, "{:?}", m[0]);
        assert!(m[0].is_complete_success());
    }
}
