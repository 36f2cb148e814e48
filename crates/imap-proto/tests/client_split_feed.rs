//! Split-feed equivalence: the same server bytes fed whole, byte by byte or
//! in random chunks give the same events (streamed FETCH chunks joined) and
//! the same client output.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_imap_proto::client::{Client, Config, Event, FetchChunk, Limits, TlsPolicy};
use mailwire_imap_proto::command::Command;
use proptest::prelude::*;

fn body(text: &str) -> mailwire_imap_proto::CommandBody<'static> {
    let line = format!("x {text}\r\n");
    Command::parse(line.as_bytes()).unwrap().0.into_owned().body
}

fn new_client() -> Client {
    let mut config = Config::default();
    config.tls = TlsPolicy::Required;
    let mut l = Limits::default();
    l.stream_threshold = 64;
    l.max_line_length = 512;
    l.max_literal_size = 200;
    config.limits = l;
    let mut c = Client::new(config);
    c.login("joe", "s\u{e9}cret").unwrap();
    c.send(body("SELECT INBOX")).unwrap();
    c.send(body("FETCH 1:2 (UID BODY[])")).unwrap();
    c.send(body("UID SEARCH ALL")).unwrap();
    let mut append = b"x APPEND INBOX {5}\r\nhello\r\n".to_vec();
    let (cmd, _) = Command::parse(&append).unwrap();
    let cmd = cmd.into_owned().body;
    append.clear();
    c.send(cmd).unwrap();
    c.send(mailwire_imap_proto::CommandBody::Noop).unwrap();
    c
}

fn transcript() -> Vec<u8> {
    let mut s = Vec::new();
    s.extend_from_slice(b"* OK IMAP4rev1 ready\r\n");
    s.extend_from_slice(b"* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\nA1 OK\r\n");
    s.extend_from_slice(b"A2 OK begin TLS\r\n");
    s
}

fn after_tls() -> Vec<u8> {
    let mut s = Vec::new();
    s.extend_from_slice(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA3 OK\r\n");
    s.extend_from_slice(b"+ send the password\r\n");
    s.extend_from_slice(b"A4 OK [CAPABILITY IMAP4rev1 IDLE] logged in\r\n");
    s.extend_from_slice(
        b"* 2 EXISTS\r\n* FLAGS (\\Seen)\r\n* OK [UIDVALIDITY 7] ok\r\nA5 OK [READ-WRITE] ok\r\n",
    );
    let big: Vec<u8> = (0..300u32).map(|i| b'a' + (i % 26) as u8).collect();
    s.extend_from_slice(format!("* 1 FETCH (UID 5 BODY[] {{{}}}\r\n", big.len()).as_bytes());
    s.extend_from_slice(&big);
    s.extend_from_slice(b")\r\n* 3 EXISTS\r\n* 2 FETCH (UID 6 BODY[] {10}\r\n0123456789)\r\n");
    s.extend_from_slice(b"* 2 FETCH (FLAGS (\\Seen) BODY[HEADER] {70}\r\n");
    s.extend(std::iter::repeat_n(b'h', 70));
    s.extend_from_slice(b" BODY[TEXT] {80}\r\n");
    s.extend(std::iter::repeat_n(b't', 80));
    s.extend_from_slice(b")\r\nA6 OK fetched\r\n* SEARCH 5 6\r\nA7 OK\r\n");
    s.extend_from_slice(b"* LIST () \"/\" {300}\r\n");
    s.extend(std::iter::repeat_n(b'L', 300));
    s.extend_from_slice(b"\r\n* garbage here\r\n+ go\r\nA8 OK [APPENDUID 7 8] ok\r\n");
    s.extend_from_slice(&[b'x'; 600]);
    s.extend_from_slice(b"\r\nA9 OK\r\n* BYE bye\r\n");
    s
}

/// Events with consecutive chunks of one literal joined.
fn normalize(events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for e in events {
        if let Event::FetchChunk(c) = &e
            && let Some(Event::FetchChunk(prev)) = out.last_mut()
            && prev.seq == c.seq
            && prev.item == c.item
            && prev.offset + prev.data.len() as u64 == c.offset
        {
            let mut joined = prev.data.to_vec();
            joined.extend_from_slice(&c.data);
            *prev = FetchChunk {
                data: joined.into(),
                ..prev.clone()
            };
            continue;
        }
        out.push(e);
    }
    out
}

fn run(splits: &[usize]) -> (Vec<Event>, Vec<u8>) {
    let mut c = new_client();
    let mut events = Vec::new();
    let mut out = Vec::new();
    let drain = |c: &mut Client, events: &mut Vec<Event>, out: &mut Vec<u8>| {
        while let Some(b) = c.poll_transmit() {
            out.extend_from_slice(&b);
        }
        while let Some(e) = c.poll_event() {
            events.push(e);
        }
    };
    for part in [transcript(), after_tls()] {
        let mut rest = &part[..];
        for &n in splits.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let k = n.clamp(1, rest.len());
            c.feed(&rest[..k]);
            rest = &rest[k..];
            drain(&mut c, &mut events, &mut out);
        }
        drain(&mut c, &mut events, &mut out);
        if c.wants_tls_upgrade() {
            c.tls_established().unwrap();
            drain(&mut c, &mut events, &mut out);
        }
    }
    (normalize(events), out)
}

#[test]
fn whole_transcript_behaves() {
    let (events, out) = run(&[usize::MAX]);
    let out = String::from_utf8_lossy(&out);
    assert!(
        out.starts_with("A1 CAPABILITY\r\nA2 STARTTLS\r\nA3 CAPABILITY\r\nA4 LOGIN joe {7}\r\n"),
        "{out}"
    );
    assert!(
        out.contains("A8 APPEND INBOX {5}\r\nhello\r\nA9 NOOP\r\n"),
        "{out}"
    );
    let chunks = events
        .iter()
        .filter(|e| matches!(e, Event::FetchChunk(_)))
        .count();
    // The 300-octet body, the 70- and 80-octet sections; not the 10-octet body.
    assert_eq!(chunks, 3, "{events:?}");
    assert!(events.iter().any(|e| matches!(e, Event::Bye(_))));
    assert_eq!(events.last(), Some(&Event::Closed));
    let errors = events
        .iter()
        .filter(|e| matches!(e, Event::Error(_)))
        .count();
    // LIST literal over max_literal_size, the long line; the unknown
    // response is unsolicited data, not an error.
    assert_eq!(errors, 2, "{events:?}");
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Unsolicited(mailwire_imap_proto::response::Data::Other { .. })
    )));
}

#[test]
fn byte_by_byte_equals_whole() {
    assert_eq!(run(&[1]), run(&[usize::MAX]));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_chunks_equal_whole(splits in proptest::collection::vec(1usize..200, 1..20)) {
        let whole = run(&[usize::MAX]);
        prop_assert_eq!(run(&splits), whole);
    }

    #[test]
    fn random_server_lines_never_panic_and_split_equally(
        lines in proptest::collection::vec(
            prop_oneof![
                Just(b"* 1 EXISTS\r\n".to_vec()),
                Just(b"+ go\r\n".to_vec()),
                Just(b"A1 OK\r\n".to_vec()),
                Just(b"A2 NO [TRYCREATE] x\r\n".to_vec()),
                Just(b"* 1 FETCH (BODY[] {70}\r\n".to_vec()),
                Just(b"* 1 FETCH (BODY[] {3}\r\n".to_vec()),
                Just(b"* BYE x\r\n".to_vec()),
                Just(b"* CAPABILITY IMAP4rev1 LITERAL+\r\n".to_vec()),
                proptest::collection::vec(any::<u8>(), 0..40),
            ],
            0..30,
        ),
        splits in proptest::collection::vec(1usize..50, 1..10),
    ) {
        let input: Vec<u8> = [b"* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n".to_vec(), lines.concat()].concat();
        let feed = |splits: &[usize]| {
            let mut c = new_client();
            let mut ev = Vec::new();
            let mut out = Vec::new();
            let mut rest = &input[..];
            for &n in splits.iter().cycle() {
                if rest.is_empty() { break; }
                let k = n.clamp(1, rest.len());
                c.feed(&rest[..k]);
                rest = &rest[k..];
                while let Some(b) = c.poll_transmit() { out.extend_from_slice(&b); }
                while let Some(e) = c.poll_event() { ev.push(e); }
            }
            (normalize(ev), out)
        };
        prop_assert_eq!(feed(&splits), feed(&[usize::MAX]));
    }
}
