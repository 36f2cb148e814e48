//! How the client sends literals (RFC 9051 §4.3, §7.5; RFC 7888): a
//! synchronizing literal waits for `+`, LITERAL+ sends at once, LITERAL-
//! only up to 4096 octets, a NO instead of `+` fails the command cleanly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_imap_proto::client::{Client, Config, Event, TlsPolicy};
use mailwire_imap_proto::code::Code;
use mailwire_imap_proto::command::{Command, CommandBody};
use mailwire_imap_proto::response::StatusKind;

fn client(caps: &str) -> Client {
    let mut config = Config::default();
    config.tls = TlsPolicy::Implicit;
    let mut c = Client::new(config);
    let caps = format!("IMAP4rev1 {caps}");
    c.feed(format!("* PREAUTH [CAPABILITY {}] hi\r\n", caps.trim_end()).as_bytes());
    while c.poll_event().is_some() {}
    assert_eq!(out(&mut c), b"");
    c
}

fn out(c: &mut Client) -> Vec<u8> {
    let mut s = Vec::new();
    while let Some(b) = c.poll_transmit() {
        s.extend_from_slice(&b);
    }
    s
}

fn events(c: &mut Client) -> Vec<Event> {
    std::iter::from_fn(|| c.poll_event()).collect()
}

fn append(mailbox: &str, message: &[u8]) -> CommandBody<'static> {
    let mut line = format!("x APPEND {mailbox} {{{}+}}\r\n", message.len()).into_bytes();
    line.extend_from_slice(message);
    line.extend_from_slice(b"\r\n");
    Command::parse(&line).unwrap().0.into_owned().body
}

fn msg(n: usize) -> Vec<u8> {
    (0..n).map(|i| b'a' + (i % 26) as u8).collect()
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

#[test]
fn synchronizing_literal_waits_for_continuation() {
    let mut c = client("");
    let m = msg(10);
    let h = c.send(append("INBOX", &m)).unwrap();
    let noop = c.send(CommandBody::Noop).unwrap();
    assert_eq!(out(&mut c), b"A1 APPEND INBOX {10}\r\n");
    // Nothing else goes out while the literal waits (not even the NOOP).
    c.feed(b"* 3 EXISTS\r\n");
    assert_eq!(out(&mut c), b"");
    c.feed(b"+ Ready for literal data\r\n");
    assert_eq!(out(&mut c), cat(&[&m, b"\r\nA2 NOOP\r\n"]));
    c.feed(b"A1 OK [APPENDUID 1 5] done\r\nA2 OK\r\n");
    let ev = events(&mut c);
    assert_eq!(ev.len(), 3, "{ev:?}");
    assert!(matches!(&ev[0], Event::Unsolicited(_)));
    assert!(matches!(&ev[1], Event::Completed { handle, .. } if *handle == h));
    assert!(matches!(&ev[2], Event::Completed { handle, .. } if *handle == noop));
}

#[test]
fn login_with_literal_password() {
    let mut config = Config::default();
    config.tls = TlsPolicy::Implicit;
    let mut c = Client::new(config);
    c.feed(b"* OK [CAPABILITY IMAP4rev1] hi\r\n");
    c.login("joe", "p\u{e4}ss").unwrap();
    assert_eq!(out(&mut c), b"A1 LOGIN joe {5}\r\n");
    // The password waits in the machine; Debug does not show it.
    let debug = format!("{c:?}");
    assert!(debug.contains("waiting_fragments: 1"), "{debug}");
    assert!(
        !debug.contains("xc3") && !debug.contains("p\u{e4}ss"),
        "{debug}"
    );
    c.feed(b"+ go ahead\r\n");
    assert_eq!(out(&mut c), "p\u{e4}ss\r\n".as_bytes());
}

#[test]
fn literal_plus_sends_at_once() {
    let mut c = client("LITERAL+");
    let m = msg(100_000);
    c.send(append("INBOX", &m)).unwrap();
    c.send(CommandBody::Noop).unwrap();
    assert_eq!(
        out(&mut c),
        cat(&[b"A1 APPEND INBOX {100000+}\r\n", &m, b"\r\nA2 NOOP\r\n"])
    );
}

#[test]
fn literal_minus_up_to_4096() {
    for caps in ["LITERAL-", "IMAP4rev2"] {
        let mut c = client(caps);
        let m = msg(4096);
        c.send(append("INBOX", &m)).unwrap();
        assert_eq!(
            out(&mut c),
            cat(&[b"A1 APPEND INBOX {4096+}\r\n", &m, b"\r\n"])
        );
        c.feed(b"A1 OK\r\n");
        let m = msg(4097);
        c.send(append("INBOX", &m)).unwrap();
        assert_eq!(out(&mut c), b"A2 APPEND INBOX {4097}\r\n");
        c.feed(b"+ go\r\n");
        assert_eq!(out(&mut c), cat(&[&m, b"\r\n"]));
    }
}

#[test]
fn non_sync_literals_can_be_switched_off() {
    let mut config = Config::default();
    config.tls = TlsPolicy::Implicit;
    config.non_sync_literals = false;
    let mut c = Client::new(config);
    c.feed(b"* PREAUTH [CAPABILITY IMAP4rev1 LITERAL+] hi\r\n");
    c.send(append("INBOX", b"abc")).unwrap();
    assert_eq!(out(&mut c), b"A1 APPEND INBOX {3}\r\n");
}

#[test]
fn no_instead_of_continuation_fails_cleanly() {
    let mut c = client("");
    let m = msg(50);
    let h = c.send(append("INBOX", &m)).unwrap();
    let next = c.send(CommandBody::Noop).unwrap();
    assert_eq!(out(&mut c), b"A1 APPEND INBOX {50}\r\n");
    c.feed(b"A1 NO [TOOBIG] message too large\r\n");
    // The literal is never sent; the queue goes on.
    assert_eq!(out(&mut c), b"A2 NOOP\r\n");
    let ev = events(&mut c);
    assert!(matches!(&ev[..], [Event::Completed { handle, status }]
        if *handle == h && status.kind == StatusKind::No && status.code == Some(Code::TooBig)));
    // A later "+" is not applied to anything.
    c.feed(b"A2 OK\r\n");
    assert!(matches!(&events(&mut c)[..], [Event::Completed { handle, .. }] if *handle == next));
}

#[test]
fn several_literals_in_one_command() {
    // MULTIAPPEND: two synchronizing literals, two waits.
    let mut c = client("MULTIAPPEND");
    let line = b"x APPEND INBOX {3+}\r\nabc (\\Seen) {4+}\r\ndefg\r\n";
    let body = Command::parse(line).unwrap().0.into_owned().body;
    c.send(body).unwrap();
    assert_eq!(out(&mut c), b"A1 APPEND INBOX {3}\r\n");
    c.feed(b"+ ok\r\n");
    assert_eq!(out(&mut c), b"abc (\\Seen) {4}\r\n");
    c.feed(b"+ ok\r\n");
    assert_eq!(out(&mut c), b"defg\r\n");
    // A NO after the first "+": the second literal is not sent.
    c.feed(b"A1 OK\r\n");
    let body = Command::parse(line).unwrap().0.into_owned().body;
    c.send(body).unwrap();
    assert_eq!(out(&mut c), b"A2 APPEND INBOX {3}\r\n");
    c.feed(b"+ ok\r\n");
    assert_eq!(out(&mut c), b"abc (\\Seen) {4}\r\n");
    c.feed(b"A2 NO [OVERQUOTA] full\r\n+ late\r\n");
    assert_eq!(out(&mut c), b"");
    let ev = events(&mut c);
    assert_eq!(ev.len(), 3, "{ev:?}");
    assert!(matches!(&ev[2], Event::Error(_)), "{ev:?}");
}

#[test]
fn commands_pipeline_without_literals() {
    let mut c = client("");
    c.send(
        Command::parse(b"x SELECT INBOX\r\n")
            .unwrap()
            .0
            .into_owned()
            .body,
    )
    .unwrap();
    for _ in 0..3 {
        c.send(CommandBody::Noop).unwrap();
    }
    // SELECT is a barrier; the NOOPs follow it together.
    assert_eq!(out(&mut c), b"A1 SELECT INBOX\r\n");
    c.feed(b"A1 OK\r\n");
    assert_eq!(out(&mut c), b"A2 NOOP\r\nA3 NOOP\r\nA4 NOOP\r\n");
    assert_eq!(c.in_flight(), 3);

    let mut config = Config::default();
    config.tls = TlsPolicy::Implicit;
    config.pipelining = false;
    let mut c = Client::new(config);
    c.feed(b"* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
    c.send(CommandBody::Noop).unwrap();
    c.send(CommandBody::Noop).unwrap();
    assert_eq!(out(&mut c), b"A1 NOOP\r\n");
    c.feed(b"A1 OK\r\n");
    assert_eq!(out(&mut c), b"A2 NOOP\r\n");
}

/// RFC 9051 §5.5: a command with sequence numbers waits while a command
/// that allows EXPUNGE responses is in flight.
#[test]
fn sequence_number_ambiguity_rules() {
    let body = |t: &str| {
        Command::parse(format!("x {t}\r\n").as_bytes())
            .unwrap()
            .0
            .into_owned()
            .body
    };
    let mut c = client("");
    c.send(body("SELECT INBOX")).unwrap();
    c.feed(b"A1 OK\r\n");
    let _ = out(&mut c);
    // Valid together: FETCH + STORE + SEARCH + NOOP.
    for t in [
        "FETCH 1 FLAGS",
        "STORE 1 +FLAGS (\\Seen)",
        "SEARCH UNSEEN",
        "NOOP",
    ] {
        c.send(body(t)).unwrap();
    }
    assert_eq!(
        out(&mut c),
        b"A2 FETCH 1 FLAGS\r\nA3 STORE 1 +FLAGS (\\Seen)\r\nA4 SEARCH UNSEEN\r\nA5 NOOP\r\n"
    );
    // FETCH + NOOP + STORE: the STORE waits for the NOOP (and what is before it).
    c.send(body("STORE 2 +FLAGS (\\Seen)")).unwrap();
    c.send(body("UID FETCH 1:* FLAGS")).unwrap();
    assert_eq!(out(&mut c), b"");
    c.feed(b"A2 OK\r\nA3 OK\r\nA4 OK\r\n");
    assert_eq!(out(&mut c), b"");
    c.feed(b"A5 OK\r\n");
    // The STORE goes; the UID FETCH uses no sequence numbers and follows.
    assert_eq!(
        out(&mut c),
        b"A6 STORE 2 +FLAGS (\\Seen)\r\nA7 UID FETCH 1:* FLAGS\r\n"
    );
    // COPY + COPY: the second waits; a UID SEARCH naming a sequence set too.
    c.feed(b"A6 OK\r\nA7 OK\r\n");
    c.send(body("COPY 1 Trash")).unwrap();
    c.send(body("COPY 2 Trash")).unwrap();
    c.send(body("UID SEARCH 1:3")).unwrap();
    assert_eq!(out(&mut c), b"A8 COPY 1 Trash\r\n");
    c.feed(b"A8 OK\r\n");
    assert_eq!(out(&mut c), b"A9 COPY 2 Trash\r\n");
    c.feed(b"A9 OK\r\n");
    assert_eq!(out(&mut c), b"A10 UID SEARCH 1:3\r\n");
    // UID SEARCH without sequence numbers goes with other UID commands.
    c.feed(b"A10 OK\r\n");
    c.send(body("UID STORE 5 +FLAGS (\\Seen)")).unwrap();
    c.send(body("UID SEARCH UID 1:9")).unwrap();
    assert_eq!(
        out(&mut c),
        b"A11 UID STORE 5 +FLAGS (\\Seen)\r\nA12 UID SEARCH UID 1:9\r\n"
    );
}
