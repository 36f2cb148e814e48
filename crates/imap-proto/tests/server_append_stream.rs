//! Streamed APPEND: the message literal comes to the application in chunks
//! (`Event::AppendStart` / `AppendData` / `AppendEnd`), never buffered whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod server_util;

use mailwire_imap_proto::command::CommandBody;
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::server::{BadReason, CommandId, Event};
use server_util::{Harness, plain_config};

fn message(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// The streamed events, in order: (start length, data) per message, and
/// whether the command ended (`AppendEnd`) or was aborted, and the
/// largest chunk.
type Streamed = (Vec<(u64, Vec<u8>)>, Option<bool>, usize);

fn streamed(events: &[Event]) -> Streamed {
    let mut msgs: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut end = None;
    let mut max_chunk = 0;
    for e in events {
        match e {
            Event::AppendStart { length, .. } => msgs.push((*length, Vec::new())),
            Event::AppendData { chunk, .. } => {
                assert!(!chunk.is_empty());
                max_chunk = max_chunk.max(chunk.len());
                msgs.last_mut().unwrap().1.extend_from_slice(chunk);
            }
            Event::AppendEnd { .. } => end = Some(true),
            Event::AppendAborted { .. } => end = Some(false),
            _ => {}
        }
    }
    (msgs, end, max_chunk)
}

fn end_id(events: &[Event]) -> CommandId {
    events
        .iter()
        .find_map(|e| match e {
            Event::AppendEnd { id } => Some(*id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no AppendEnd: {events:?}"))
}

#[test]
fn five_mib_in_random_chunks_streams_with_bounded_chunks() {
    let mut h = Harness::logged_in(plain_config());
    let msg = message(5 * 1024 * 1024);
    h.feed(
        format!(
            "a APPEND Drafts (\\Seen $Work) \"17-Jul-1996 02:44:25 -0700\" {{{}}}\r\n",
            msg.len()
        )
        .as_bytes(),
    );
    assert!(matches!(
        h.events.last(),
        Some(Event::LiteralAnnounced {
            length: 5_242_880,
            ..
        })
    ));
    assert!(
        !h.events
            .iter()
            .any(|e| matches!(e, Event::AppendStart { .. }))
    );
    h.server.accept_literal().unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "+ Ready for literal data\r\n");
    let start = h
        .events
        .iter()
        .find_map(|e| match e {
            Event::AppendStart {
                mailbox,
                flags,
                internal_date,
                length,
                binary,
                ..
            } => Some((
                mailbox.clone(),
                flags.clone(),
                *internal_date,
                *length,
                *binary,
            )),
            _ => None,
        })
        .unwrap();
    assert_eq!(start.0.as_bytes(), b"Drafts");
    assert_eq!(start.1.len(), 2);
    assert_eq!(start.1[0], Flag::Seen);
    assert!(start.2.is_some());
    assert_eq!(start.3, msg.len() as u64);
    assert!(!start.4);

    let mut rest = msg.clone();
    rest.extend_from_slice(b"\r\n");
    let mut x: u32 = 12345;
    let mut at = 0;
    let mut max_feed = 0;
    while at < rest.len() {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let n = ((x >> 8) as usize % 100_000 + 1).min(rest.len() - at);
        max_feed = max_feed.max(n);
        h.feed(&rest[at..at + n]);
        at += n;
    }
    let (msgs, end, max_chunk) = streamed(&h.events);
    assert_eq!(msgs.len(), 1);
    assert!(msgs[0].1 == msg, "streamed data differs");
    assert_eq!(end, Some(true));
    assert!(max_chunk <= max_feed, "{max_chunk} > {max_feed}");
    // No whole-message Command event.
    assert!(!h.events.iter().any(|e| matches!(e, Event::Command { .. })));
    let id = end_id(&h.events);
    h.server.ok(id, "APPEND completed").unwrap();
    h.drain();
    h.events.clear();
    assert_eq!(h.take_wire(), "a OK APPEND completed\r\n");
    h.feed(b"b NOOP\r\n");
    assert_eq!(h.take_wire(), "b OK NOOP completed\r\n");
}

#[test]
fn multiappend_two_messages() {
    let mut c = plain_config();
    c.append_stream_threshold = 1000;
    let mut h = Harness::logged_in(c);
    let one = message(70_000);
    let mut input = b"a APPEND INBOX {70000+}\r\n".to_vec();
    input.extend_from_slice(&one);
    input.extend_from_slice(b" (\\Flagged) ~{5}\r\n");
    h.feed(&input);
    // The second literal is synchronizing: streamed whatever its size,
    // after the usual decision.
    assert!(matches!(
        h.events.last(),
        Some(Event::LiteralAnnounced {
            length: 5,
            binary: true,
            ..
        })
    ));
    h.server.accept_literal().unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "+ Ready for literal data\r\n");
    h.feed(b"he\0lo\r\n");
    let (msgs, end, _) = streamed(&h.events);
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0], (70_000, one));
    assert_eq!(msgs[1], (5, b"he\0lo".to_vec()));
    assert_eq!(end, Some(true));
    let starts: Vec<_> = h
        .events
        .iter()
        .filter_map(|e| match e {
            Event::AppendStart {
                id,
                mailbox,
                flags,
                binary,
                ..
            } => Some((*id, mailbox.as_bytes().to_vec(), flags.clone(), *binary)),
            _ => None,
        })
        .collect();
    assert_eq!(starts[0].0, starts[1].0);
    assert_eq!(starts[1].1, b"INBOX");
    assert_eq!(starts[1].2, vec![Flag::Flagged]);
    assert_eq!((starts[0].3, starts[1].3), (false, true));
    let id = end_id(&h.events);
    assert_eq!(starts[0].0, id);
    h.server.ok(id, "APPEND completed").unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "a OK APPEND completed\r\n");
}

#[test]
fn malformed_tail_is_a_tagged_bad_and_the_session_goes_on() {
    let mut h = Harness::logged_in(plain_config());
    let one = message(100_000);
    let mut input = b"a APPEND INBOX {100000+}\r\n".to_vec();
    input.extend_from_slice(&one);
    input.extend_from_slice(b" junk\r\nb NOOP\r\n");
    h.feed(&input);
    let (msgs, end, _) = streamed(&h.events);
    assert_eq!(msgs[0].1.len(), 100_000);
    assert_eq!(end, Some(false));
    assert!(h.events.iter().any(|e| matches!(
        e,
        Event::BadCommand {
            reason: BadReason::Syntax(_),
            ..
        }
    )));
    let wire = h.take_wire();
    assert!(wire.starts_with("a BAD "), "{wire}");
    assert!(wire.ends_with("b OK NOOP completed\r\n"), "{wire}");

    // A bad tail announcing a non-synchronizing literal: skipped whole.
    h.events.clear();
    let mut input = b"c APPEND INBOX {100000+}\r\n".to_vec();
    input.extend_from_slice(&one);
    input.extend_from_slice(b" junk {6+}\r\nd NOOP\r\n\r\ne NOOP\r\n");
    h.feed(&input);
    let (_, end, _) = streamed(&h.events);
    assert_eq!(end, Some(false));
    let wire = h.take_wire();
    assert!(wire.starts_with("c BAD "), "{wire}");
    assert!(wire.ends_with("e OK NOOP completed\r\n"), "{wire}");
    assert!(!wire.contains("d OK"), "{wire}");
}

#[test]
fn refused_literal_gives_no_data_events() {
    let mut h = Harness::logged_in(plain_config());
    h.feed(b"a APPEND INBOX {200000}\r\n");
    h.server.reject_literal().unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "a NO [TOOBIG] Literal too large\r\n");
    let (msgs, end, _) = streamed(&h.events);
    assert!(msgs.is_empty() && end.is_none(), "{:?}", h.events);
    h.feed(b"b NOOP\r\n");
    assert_eq!(h.take_wire(), "b OK NOOP completed\r\n");

    // A refused second literal of a MULTIAPPEND aborts the command.
    let mut c = plain_config();
    c.auto_literal_limit = Some(100_000);
    let mut h = Harness::logged_in(c);
    let mut input = b"a APPEND INBOX {100000+}\r\n".to_vec();
    input.extend_from_slice(&message(100_000));
    input.extend_from_slice(b" {100001}\r\n");
    h.feed(&input);
    let (msgs, end, _) = streamed(&h.events);
    assert_eq!((msgs.len(), end), (1, Some(false)));
    assert_eq!(h.take_wire(), "a NO [TOOBIG] Literal too large\r\n");
    h.feed(b"b NOOP\r\n");
    assert_eq!(h.take_wire(), "b OK NOOP completed\r\n");
}

#[test]
fn threshold_at_n_streams_and_below_buffers() {
    let mut c = plain_config();
    c.append_stream_threshold = 100;
    c.auto_literal_limit = Some(1000);
    let mut h = Harness::logged_in(c);
    let m = message(99);
    let mut input = b"a APPEND INBOX {99}\r\n".to_vec();
    input.extend_from_slice(&m);
    input.extend_from_slice(b"\r\n");
    h.feed(&input);
    let (id, cmd) = h.command();
    assert!(matches!(cmd.body, CommandBody::Append { .. }));
    h.server.ok(id, "done").unwrap();
    h.drain();
    h.events.clear();
    h.take_wire();

    let m = message(100);
    let mut input = b"b APPEND INBOX {100}\r\n".to_vec();
    input.extend_from_slice(&m);
    input.extend_from_slice(b"\r\n");
    h.feed(&input);
    let (msgs, end, _) = streamed(&h.events);
    assert_eq!(msgs, vec![(100, m)]);
    assert_eq!(end, Some(true));
    // A mailbox sent as a literal, then a big message literal: streamed too.
    let id = end_id(&h.events);
    h.server.ok(id, "done").unwrap();
    h.drain();
    h.events.clear();
    h.take_wire();
    let m = message(500);
    let mut input = b"c APPEND {5+}\r\nTrash {500+}\r\n".to_vec();
    input.extend_from_slice(&m);
    input.extend_from_slice(b"\r\n");
    h.feed(&input);
    let start = h.events.iter().find_map(|e| match e {
        Event::AppendStart { mailbox, .. } => Some(mailbox.as_bytes().to_vec()),
        _ => None,
    });
    assert_eq!(start.as_deref(), Some(&b"Trash"[..]));
    let (msgs, end, _) = streamed(&h.events);
    assert_eq!(msgs, vec![(500, m)]);
    assert_eq!(end, Some(true));
}
