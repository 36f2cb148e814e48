//! Every limit at N (accepted) and N+1 (refused), empty units included.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod util;

use mailwire_pop3_proto::client::{self, Client, Event as CEvent, TlsPolicy};
use mailwire_pop3_proto::server::{Event, Server};
use mailwire_pop3_proto::{Limits, ProtocolError};
use util::{Store, plaintext_config};

fn out(s: &mut Server, store: &mut Store) -> String {
    String::from_utf8(store.drain(s)).unwrap()
}

fn server() -> (Server, Store) {
    let mut store = Store::new();
    let mut s = Server::new(plaintext_config());
    out(&mut s, &mut store);
    (s, store)
}

#[test]
fn command_line_255_accepted_256_refused() {
    let (mut s, mut store) = server();
    // "USER " + name + CRLF = 255 octets.
    let name = "a".repeat(255 - 7);
    s.feed(format!("USER {name}\r\n").as_bytes());
    assert_eq!(out(&mut s, &mut store), "+OK send PASS\r\n");
    let name = "a".repeat(256 - 7);
    s.feed(format!("USER {name}\r\n").as_bytes());
    assert_eq!(out(&mut s, &mut store), "-ERR command line too long\r\n");
    // The rest of the long line is skipped; the next command works.
    s.feed(b"QUIT\r\n");
    assert_eq!(out(&mut s, &mut store), "+OK POP3 server signing off\r\n");
}

#[test]
fn bad_commands_n_tolerated_n_plus_1_closes() {
    let (mut s, mut store) = server();
    let n = Limits::default().max_bad_commands;
    // Empty lines count too.
    for _ in 0..n {
        s.feed(b"\r\n");
    }
    let o = out(&mut s, &mut store);
    assert_eq!(o.matches("-ERR unknown command\r\n").count(), n);
    assert!(!s.is_closed());
    s.feed(b"STAT\r\n");
    assert_eq!(
        out(&mut s, &mut store),
        "-ERR too many bad commands, closing\r\n"
    );
    assert!(s.is_closed());
    s.feed(b"QUIT\r\n");
    assert_eq!(out(&mut s, &mut store), "");
}

#[test]
fn auth_failures_n_closes() {
    let (mut s, mut store) = server();
    let n = Limits::default().max_auth_failures;
    for i in 0..n {
        s.feed(b"USER mrose\r\nPASS wrong\r\n");
        let o = out(&mut s, &mut store);
        assert_eq!(s.is_closed(), i + 1 == n, "{o}");
    }
    assert_eq!(
        store
            .server_events
            .iter()
            .filter(|e| matches!(e, Event::VerifyPassword { .. }))
            .count(),
        n
    );
}

#[test]
fn auth_line_limit() {
    let mut config = plaintext_config();
    config.limits.max_auth_line = 30;
    // A PLAIN message whose base64 line is exactly 28 + CRLF = 30 octets.
    let msg = b"\0mrose\0tanstaaf\0\0\0\0\0"; // 20 octets -> 28 base64 chars
    let b64 = base64_encode(msg);
    assert_eq!(b64.len(), 28);
    let mut store = Store::new();
    let mut s = Server::new(config.clone());
    out(&mut s, &mut store);
    s.feed(format!("AUTH PLAIN\r\n{b64}\r\n").as_bytes());
    // Accepted by the framer, refused by PLAIN (NUL in the password).
    let o = out(&mut s, &mut store);
    assert!(o.starts_with("+ \r\n-ERR malformed PLAIN"), "{o}");
    let mut s = Server::new(config);
    out(&mut s, &mut store);
    s.feed(format!("AUTH PLAIN\r\n{b64}A\r\n").as_bytes());
    assert_eq!(
        out(&mut s, &mut store),
        "+ \r\n-ERR authentication line too long\r\n"
    );
    // Back to the command limit afterwards.
    s.feed(b"QUIT\r\n");
    assert_eq!(out(&mut s, &mut store), "+OK POP3 server signing off\r\n");
}

fn base64_encode(b: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[test]
fn auth_steps_limit() {
    use mailwire_sasl::{Mechanism, Policy};
    for (max, ok) in [(2, true), (1, false)] {
        let mut config = plaintext_config();
        config.sasl = Policy::none().allow_after_tls(Mechanism::Login);
        config.limits.max_auth_steps = max;
        let mut store = Store::new();
        let mut s = Server::new(config);
        out(&mut s, &mut store);
        s.feed(b"AUTH LOGIN\r\nbXJvc2U=\r\ndGFuc3RhYWY=\r\n");
        let o = out(&mut s, &mut store);
        assert_eq!(o.contains("+OK mrose's maildrop"), ok, "{o}");
    }
}

#[test]
fn pipelined_input_buffer_limit() {
    let mut config = plaintext_config();
    config.limits.max_buffered_input = 100;
    let mut s = Server::new(config);
    while s.poll_transmit().is_some() {}
    s.feed(b"USER mrose\r\nPASS tanstaaf\r\n");
    assert!(matches!(s.poll_event(), Some(Event::VerifyPassword { .. })));
    // Not answered yet: pipelined commands wait, up to the limit.
    s.feed(&[b'N'; 100]);
    assert!(!s.is_closed());
    s.feed(b"N");
    assert!(s.is_closed());
    let mut o = Vec::new();
    while let Some(b) = s.poll_transmit() {
        o.extend_from_slice(&b);
    }
    assert!(o.ends_with(b"-ERR too much pipelined input, closing\r\n"));
}

fn ready_client(limits: Limits) -> Client {
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    cc.limits = limits;
    let mut c = Client::new(cc);
    c.feed(b"+OK hi\r\n-ERR\r\n");
    assert!(matches!(c.poll_event(), Some(CEvent::Ready { .. })));
    c
}

#[test]
fn client_response_line_512_ok_513_refused() {
    let mut c = ready_client(Limits::default());
    c.noop().unwrap();
    c.noop().unwrap();
    let text = "x".repeat(512 - 6);
    c.feed(format!("+OK {text}\r\n").as_bytes());
    assert!(matches!(c.poll_event(), Some(CEvent::Done { .. })));
    let text = "x".repeat(513 - 6);
    c.feed(format!("+OK {text}\r\n").as_bytes());
    assert_eq!(
        c.poll_event(),
        Some(CEvent::Error(ProtocolError::LimitExceeded {
            what: "response line"
        }))
    );
}

#[test]
fn client_listing_entries_limit() {
    let mut limits = Limits::default();
    limits.max_listing_entries = 2;
    let mut c = ready_client(limits.clone());
    c.list(None).unwrap();
    c.feed(b"+OK\r\n1 10\r\n2 20\r\n.\r\n");
    assert!(matches!(c.poll_event(), Some(CEvent::List { entries, .. }) if entries.len() == 2));
    let mut c = ready_client(limits);
    c.uidl(None).unwrap();
    c.feed(b"+OK\r\n1 a\r\n2 b\r\n3 c\r\n.\r\n");
    assert_eq!(
        c.poll_event(),
        Some(CEvent::Error(ProtocolError::LimitExceeded {
            what: "listing entries"
        }))
    );
}

#[test]
fn client_capability_limit_counts_lines() {
    let mut limits = Limits::default();
    limits.max_capabilities = 2;
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    cc.limits = limits;
    let mut c = Client::new(cc.clone());
    c.feed(b"+OK hi\r\n+OK\r\nTOP\r\nUIDL\r\n.\r\n");
    assert!(matches!(c.poll_event(), Some(CEvent::Ready { .. })));
    let mut c = Client::new(cc);
    c.feed(b"+OK hi\r\n+OK\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n");
    assert_eq!(
        c.poll_event(),
        Some(CEvent::Error(ProtocolError::LimitExceeded {
            what: "listing entries"
        }))
    );
}

#[test]
fn client_body_line_limit() {
    let mut limits = Limits::default();
    limits.max_body_line = 10;
    let mut c = ready_client(limits.clone());
    c.retr(1).unwrap();
    c.feed(b"+OK\r\n0123456789\r");
    c.feed(b"\n.\r\n");
    let ev: Vec<_> = std::iter::from_fn(|| c.poll_event()).collect();
    assert!(
        matches!(ev.last(), Some(CEvent::MessageEnd { .. })),
        "{ev:?}"
    );
    let mut c = ready_client(limits);
    c.retr(1).unwrap();
    c.feed(b"+OK\r\n0123456789A");
    let ev: Vec<_> = std::iter::from_fn(|| c.poll_event()).collect();
    assert!(
        ev.contains(&CEvent::Error(ProtocolError::LimitExceeded {
            what: "message line"
        })),
        "{ev:?}"
    );
}

#[test]
fn input_after_quit_is_ignored_while_update_runs() {
    let mut config = plaintext_config();
    config.limits.max_buffered_input = 10;
    let mut s = Server::new(config);
    let mut store = Store::new();
    s.feed(b"USER mrose\r\nPASS tanstaaf\r\n");
    out(&mut s, &mut store);
    s.feed(b"DELE 1\r\nQUIT\r\n");
    while s.poll_transmit().is_some() {}
    let Some(Event::Update { deleted, .. }) = s.poll_event() else {
        panic!()
    };
    assert_eq!(deleted.len(), 1);
    s.feed(&[b'x'; 100]);
    assert!(!s.is_closed());
    s.update_done().unwrap();
    let mut o = Vec::new();
    while let Some(b) = s.poll_transmit() {
        o.extend_from_slice(&b);
    }
    assert_eq!(o, b"+OK POP3 server signing off (1 message left)\r\n");
}
