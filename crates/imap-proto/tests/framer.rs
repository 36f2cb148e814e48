//! Framer: literal announcements, LITERAL+/LITERAL- limits, literal8, size
//! budgets at N and N+1, zero-length literal floods, poisoned units skipped,
//! literal bytes never scanned, split-feed equivalence.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use mailwire_imap_proto::command::Command;
use mailwire_imap_proto::framer::{
    FrameErrorKind, FrameEvent, Framer, FramerConfig, LiteralAnnouncement, Role,
};
use proptest::prelude::*;

fn drain(f: &mut Framer) -> Vec<FrameEvent> {
    let mut v = Vec::new();
    while let Some(e) = f.poll() {
        v.push(e);
    }
    v
}

fn units(events: &[FrameEvent]) -> Vec<Vec<u8>> {
    events
        .iter()
        .filter_map(|e| match e {
            FrameEvent::Unit(u) => Some(u.to_vec()),
            _ => None,
        })
        .collect()
}

fn errors(events: &[FrameEvent]) -> Vec<(FrameErrorKind, Option<Vec<u8>>, bool)> {
    events
        .iter()
        .filter_map(|e| match e {
            FrameEvent::Error(er) => Some((er.kind, er.tag.as_ref().map(|t| t.to_vec()), er.fatal)),
            _ => None,
        })
        .collect()
}

fn literals(events: &[FrameEvent]) -> Vec<LiteralAnnouncement> {
    events
        .iter()
        .filter_map(|e| match e {
            FrameEvent::Literal(a) => Some(a.clone()),
            _ => None,
        })
        .collect()
}

fn server(f: impl FnOnce(&mut FramerConfig)) -> Framer {
    let mut c = FramerConfig::server();
    f(&mut c);
    Framer::new(c)
}

#[test]
fn sync_literal_waits_for_a_decision() {
    let mut f = Framer::new(FramerConfig::server());
    f.feed(b"A001 LOGIN {11}\r\n");
    let ev = drain(&mut f);
    assert_eq!(ev.len(), 1);
    let FrameEvent::Literal(a) = &ev[0] else {
        panic!("{ev:?}")
    };
    assert_eq!(
        (a.length, a.non_sync, a.binary, a.needs_continuation),
        (11, false, false, true)
    );
    assert_eq!(a.tag.as_deref(), Some(&b"A001"[..]));
    assert_eq!(a.unit_so_far, 17);
    assert!(f.awaiting_decision());
    // Bytes that arrive anyway are not framed until the decision.
    f.feed(b"FRED FOOBAR {7}\r\n");
    assert!(drain(&mut f).is_empty());
    f.accept_literal();
    let ev = drain(&mut f);
    assert_eq!(literals(&ev).len(), 1);
    f.accept_literal();
    f.feed(b"fat man\r\n");
    let ev = drain(&mut f);
    assert_eq!(
        units(&ev),
        vec![b"A001 LOGIN {11}\r\nFRED FOOBAR {7}\r\nfat man\r\n".to_vec()]
    );
    let u = units(&ev);
    let (cmd, _) = Command::parse(&u[0]).unwrap();
    assert_eq!(cmd.body.name(), "LOGIN");
}

#[test]
fn rejected_literal_ends_the_unit() {
    let mut f = Framer::new(FramerConfig::server());
    f.feed(b"A044 BLURDYBLOOP {102856}\r\n");
    let ev = drain(&mut f);
    assert_eq!(literals(&ev)[0].length, 102856);
    f.reject_literal();
    assert!(!f.awaiting_decision());
    f.feed(b"A045 NOOP\r\n");
    assert_eq!(units(&drain(&mut f)), vec![b"A045 NOOP\r\n".to_vec()]);
    assert_eq!(f.buffered(), 0);
}

#[test]
fn non_sync_literals_are_reported_and_read_at_once() {
    let mut f = Framer::new(FramerConfig::server());
    f.feed(b"A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n");
    let ev = drain(&mut f);
    let lits = literals(&ev);
    assert_eq!(lits.len(), 2);
    assert!(lits.iter().all(|l| l.non_sync && !l.needs_continuation));
    assert_eq!(units(&ev).len(), 1);
}

#[test]
fn literal8_is_recognized() {
    let mut f = Framer::new(FramerConfig::server());
    f.feed(b"A APPEND Drafts ~{5+}\r\na\0\r\nc\r\n");
    let ev = drain(&mut f);
    assert!(literals(&ev)[0].binary);
    assert_eq!(
        units(&ev),
        vec![b"A APPEND Drafts ~{5+}\r\na\0\r\nc\r\n".to_vec()]
    );
}

#[test]
fn literal_bytes_are_never_scanned_as_commands() {
    let mut f = Framer::new(FramerConfig::server());
    let payload = b"x\r\nA2 LOGOUT\r\n{5}\r\n";
    let mut input = format!("A1 APPEND INBOX {{{}+}}\r\n", payload.len()).into_bytes();
    input.extend_from_slice(payload);
    input.extend_from_slice(b"\r\nA3 NOOP\r\n");
    f.feed(&input);
    let ev = drain(&mut f);
    let u = units(&ev);
    assert_eq!(u.len(), 2, "{ev:?}");
    assert!(u[0].ends_with(b"{5}\r\n\r\n"));
    assert_eq!(u[1], b"A3 NOOP\r\n");
    assert_eq!(literals(&ev).len(), 1);
}

#[test]
fn literal_minus_limit_at_n_and_n_plus_1() {
    let mut f = server(|c| c.max_non_sync_literal = Some(4096));
    let ok = [
        b"a APPEND x {4096+}\r\n".to_vec(),
        vec![b'a'; 4096],
        b"\r\n".to_vec(),
    ]
    .concat();
    f.feed(&ok);
    let ev = drain(&mut f);
    assert_eq!(units(&ev).len(), 1);
    assert!(errors(&ev).is_empty());

    let bad = [
        b"b APPEND x {4097+}\r\n".to_vec(),
        vec![b'a'; 4097],
        b" more\r\nc NOOP\r\n".to_vec(),
    ]
    .concat();
    f.feed(&bad);
    let ev = drain(&mut f);
    assert_eq!(
        errors(&ev),
        vec![(
            FrameErrorKind::NonSyncLiteralTooLarge(4097),
            Some(b"b".to_vec()),
            false
        )]
    );
    // The literal and the rest of its line were skipped; the next command is intact.
    assert_eq!(units(&ev), vec![b"c NOOP\r\n".to_vec()]);
    // A synchronizing literal above 4096 is the server's decision, not an error.
    f.feed(b"d APPEND x {5000}\r\n");
    assert_eq!(literals(&drain(&mut f))[0].length, 5000);
}

#[test]
fn line_length_at_n_and_n_plus_1() {
    let n = 100;
    let mut f = server(|c| c.max_line_length = n);
    let line = |len: usize, tag: &str| {
        let mut v = format!("{tag} X ").into_bytes();
        v.resize(len - 2, b'a');
        v.extend_from_slice(b"\r\n");
        v
    };
    f.feed(&line(n, "t1"));
    let ev = drain(&mut f);
    assert_eq!(units(&ev).len(), 1);
    assert!(errors(&ev).is_empty());
    f.feed(&line(n + 1, "t2"));
    f.feed(b"t3 NOOP\r\n");
    let ev = drain(&mut f);
    assert_eq!(
        errors(&ev),
        vec![(FrameErrorKind::LineTooLong, Some(b"t2".to_vec()), false)]
    );
    assert_eq!(units(&ev), vec![b"t3 NOOP\r\n".to_vec()]);
}

#[test]
fn endless_line_is_bounded_in_memory() {
    let mut f = server(|c| c.max_line_length = 1000);
    f.feed(b"t9 ");
    let mut errs = Vec::new();
    for _ in 0..1000 {
        f.feed(&[b'x'; 100]);
        errs.extend(errors(&drain(&mut f)));
        assert!(f.buffered() <= 1100);
    }
    assert_eq!(
        errs,
        vec![(FrameErrorKind::LineTooLong, Some(b"t9".to_vec()), false)]
    );
    f.feed(b"\r\nt10 NOOP\r\n");
    assert_eq!(units(&drain(&mut f)), vec![b"t10 NOOP\r\n".to_vec()]);
}

#[test]
fn unit_budget_at_n_and_n_plus_1() {
    // unit = "a X {k+}\r\n" + k + "\r\n"
    let n = 200;
    let unit = |tag: &str, k: usize| {
        let head = format!("{tag} X {{{k}+}}\r\n").into_bytes();
        [head, vec![b'z'; k], b"\r\n".to_vec()].concat()
    };
    let head_len = "a X {000+}\r\n".len();
    let k = n - head_len - 2;
    assert_eq!(unit("a", k).len(), n);
    let mut f = server(|c| c.max_unit_size = n);
    f.feed(&unit("a", k));
    let ev = drain(&mut f);
    assert_eq!(units(&ev).len(), 1);
    assert!(errors(&ev).is_empty());
    // N+1 octets: the final line goes over.
    f.feed(&unit("b", k + 1));
    f.feed(b"c NOOP\r\n");
    let ev = drain(&mut f);
    assert_eq!(
        errors(&ev),
        vec![(FrameErrorKind::UnitTooLarge, Some(b"b".to_vec()), false)]
    );
    assert_eq!(units(&ev), vec![b"c NOOP\r\n".to_vec()]);
    // A literal that alone goes over is refused at its announcement.
    f.feed(&unit("d", n));
    f.feed(b"e NOOP\r\n");
    let ev = drain(&mut f);
    assert_eq!(
        errors(&ev),
        vec![(
            FrameErrorKind::LiteralTooLarge(n as u64),
            Some(b"d".to_vec()),
            false
        )]
    );
    assert!(
        literals(&ev).is_empty(),
        "no announcement for a refused literal"
    );
    assert_eq!(units(&ev), vec![b"e NOOP\r\n".to_vec()]);
}

#[test]
fn sync_literal_over_budget_is_refused_without_waiting() {
    let mut f = server(|c| c.max_unit_size = 1000);
    f.feed(b"a APPEND x {5000}\r\nb NOOP\r\n");
    let ev = drain(&mut f);
    assert_eq!(
        errors(&ev),
        vec![(
            FrameErrorKind::LiteralTooLarge(5000),
            Some(b"a".to_vec()),
            false
        )]
    );
    // The client never got "+", so it sends no literal: the next line is a new unit.
    assert_eq!(units(&ev), vec![b"b NOOP\r\n".to_vec()]);
    assert!(ev[0].clone() != FrameEvent::Unit(Default::default()));
}

#[test]
fn zero_length_literal_floods_are_counted() {
    let n = 50;
    let flood = |tag: &str, count: usize| {
        let mut v = format!("{tag} X").into_bytes();
        for _ in 0..count {
            v.extend_from_slice(b" {0+}\r\n");
        }
        v.extend_from_slice(b"\r\n");
        v
    };
    let mut f = server(|c| c.max_literals_per_unit = n);
    f.feed(&flood("a", n));
    let ev = drain(&mut f);
    assert_eq!(units(&ev).len(), 1);
    assert_eq!(literals(&ev).len(), n);
    f.feed(&flood("b", n + 1));
    f.feed(&flood("c", 3));
    let ev = drain(&mut f);
    assert_eq!(
        errors(&ev),
        vec![(FrameErrorKind::TooManyLiterals, Some(b"b".to_vec()), false)]
    );
    let u = units(&ev);
    assert_eq!(u.len(), 1, "{ev:?}");
    assert!(u[0].starts_with(b"c X"));
}

#[test]
fn empty_lines_are_units_and_counted() {
    let mut f = Framer::new(FramerConfig::server());
    f.feed(b"\r\n\r\n\r\na NOOP\r\n");
    let ev = drain(&mut f);
    assert_eq!(units(&ev).len(), 4);
    assert_eq!(f.units(), 4);
}

#[test]
fn huge_non_sync_literal_in_poisoned_unit_is_fatal() {
    let mut f = server(|c| {
        c.max_unit_size = 1000;
        c.max_skip = 10_000;
    });
    f.feed(b"a APPEND x {99999999+}\r\n");
    let ev = drain(&mut f);
    assert_eq!(
        errors(&ev),
        vec![(
            FrameErrorKind::LiteralTooLarge(99_999_999),
            Some(b"a".to_vec()),
            true
        )]
    );
}

#[test]
fn long_line_with_huge_literal_is_fatal_in_any_chunking() {
    let mut input = b"a X ".to_vec();
    input.extend_from_slice(&[b'y'; 300]);
    input.extend_from_slice(b" {99999999+}\r\n");
    let cfg = |c: &mut FramerConfig| {
        c.max_line_length = 100;
        c.max_skip = 10_000;
    };
    let mut whole = server(cfg);
    whole.feed(&input);
    let a = drain(&mut whole);
    let mut split = server(cfg);
    let mut b = Vec::new();
    for chunk in input.chunks(10) {
        split.feed(chunk);
        b.extend(drain(&mut split));
    }
    assert_eq!(a, b);
    assert_eq!(
        errors(&a),
        vec![
            (FrameErrorKind::LineTooLong, Some(b"a".to_vec()), false),
            (
                FrameErrorKind::LiteralTooLarge(99_999_999),
                Some(b"a".to_vec()),
                true
            ),
        ]
    );
}

#[test]
fn long_tag_is_reported_the_same_in_any_chunking() {
    // Found by the imap_framer fuzz target: a 130-byte "tag" on a too-long line.
    let mut input = b"}\r\nab1".to_vec();
    input.extend_from_slice(&[b'`'; 127]);
    input.extend_from_slice(b" L\n");
    let cfg = |c: &mut FramerConfig| c.max_line_length = 128;
    let mut whole = server(cfg);
    whole.feed(&input);
    let a = drain(&mut whole);
    let mut split = server(cfg);
    let mut b = Vec::new();
    for chunk in input.chunks(11) {
        split.feed(chunk);
        b.extend(drain(&mut split));
    }
    assert_eq!(a, b);
    assert_eq!(errors(&a), vec![(FrameErrorKind::LineTooLong, None, false)]);
    // A normal tag is still reported.
    let mut f = server(cfg);
    f.feed(&[&b"A0001 X "[..], &[b'x'; 200], b"\r\n"].concat());
    assert_eq!(
        errors(&drain(&mut f)),
        vec![(FrameErrorKind::LineTooLong, Some(b"A0001".to_vec()), false)]
    );
}

#[test]
fn client_role_reads_literals_without_events() {
    let mut f = Framer::new(FramerConfig::client());
    assert_eq!(f.config().role, Role::Client);
    f.feed(b"* 12 FETCH (BODY[] {7}\r\nab\r\ncd) ~{2}\r\n\0\0)\r\n* OK done\r\n");
    let ev = drain(&mut f);
    assert_eq!(
        ev,
        vec![
            FrameEvent::Unit(b"* 12 FETCH (BODY[] {7}\r\nab\r\ncd) ~{2}\r\n\0\0)\r\n"[..].into()),
            FrameEvent::Unit(b"* OK done\r\n"[..].into()),
        ]
    );
}

#[test]
fn reply_text_names_toobig() {
    let mut f = server(|c| c.max_line_length = 10);
    f.feed(b"a1 XXXXXXXXXXXXXXXX\r\n");
    let ev = drain(&mut f);
    let FrameEvent::Error(e) = &ev[0] else {
        panic!()
    };
    assert_eq!(e.reply_text(), "[TOOBIG] line too long");
}

fn feed_in_chunks(input: &[u8], cuts: &[usize], cfg: FramerConfig) -> Vec<FrameEvent> {
    let mut f = Framer::new(cfg);
    let mut out = Vec::new();
    let mut pos = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    cuts.sort_unstable();
    cuts.push(input.len());
    for c in cuts {
        if c < pos {
            continue;
        }
        f.feed(&input[pos..c]);
        pos = c;
        while let Some(e) = f.poll() {
            if let FrameEvent::Literal(a) = &e
                && a.needs_continuation
            {
                f.accept_literal();
            }
            out.push(e);
        }
    }
    out
}

fn unit_strategy() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        "[a-zA-Z0-9 ()]{0,20}".prop_map(String::into_bytes),
        (
            proptest::collection::vec(any::<u8>(), 0..30),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(data, plus, eight)| {
                let mut v = Vec::new();
                if eight {
                    v.push(b'~');
                }
                v.extend_from_slice(
                    format!("{{{}{}}}\r\n", data.len(), if plus { "+" } else { "" }).as_bytes(),
                );
                v.extend_from_slice(&data);
                v
            }),
    ];
    proptest::collection::vec(piece, 0..5).prop_map(|pieces| {
        let mut v = b"t ".to_vec();
        for p in pieces {
            v.extend_from_slice(&p);
        }
        v.extend_from_slice(b"\r\n");
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The same bytes in any chunking give the same events, and the units
    /// put together are the input.
    #[test]
    fn split_feed_equivalence(us in proptest::collection::vec(unit_strategy(), 1..5),
                              cuts in proptest::collection::vec(any::<usize>(), 0..10)) {
        let input: Vec<u8> = us.concat();
        let cfg = FramerConfig::server();
        let whole = feed_in_chunks(&input, &[], cfg);
        let split = feed_in_chunks(&input, &cuts, cfg);
        prop_assert_eq!(&whole, &split);
        let joined: Vec<u8> = units(&whole).concat();
        prop_assert_eq!(joined, input);
        prop_assert_eq!(units(&whole).len(), us.len());
    }

    /// Arbitrary bytes never panic and never make the buffer exceed the budget by much.
    #[test]
    fn arbitrary_input_is_bounded(data in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut c = FramerConfig::server();
        c.max_line_length = 64;
        c.max_unit_size = 256;
        let mut f = Framer::new(c);
        for chunk in data.chunks(7) {
            f.feed(chunk);
            while let Some(e) = f.poll() {
                if let FrameEvent::Unit(u) = &e {
                    prop_assert!(u.len() <= 256);
                }
                if f.awaiting_decision() {
                    f.accept_literal();
                }
            }
            prop_assert!(f.buffered() <= 256 + 7);
        }
    }
}
