//! Security properties: STLS injection, plaintext auth, stuffing that no
//! peer can misread, secrets out of Debug, deletions only after QUIT.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod util;

use mailwire_pop3_proto::client::{self, Client, Event as CEvent, TlsPolicy};
use mailwire_pop3_proto::server::{self, Event, Server};
use mailwire_pop3_proto::{ProtocolError, Secret};
use util::{Store, plaintext_config};

fn stls_server() -> server::Config {
    let mut c = server::Config::default();
    c.stls = true;
    c
}

fn all(server: &mut Server, store: &mut Store) -> String {
    String::from_utf8(store.drain(server)).unwrap()
}

#[test]
fn stls_then_capa_in_one_write_gets_only_the_ok() {
    let mut store = Store::new();
    let mut s = Server::new(stls_server());
    all(&mut s, &mut store);
    s.feed(b"STLS\r\nCAPA\r\n");
    assert_eq!(all(&mut s, &mut store), "+OK Begin TLS negotiation\r\n");
    assert!(s.wants_tls_upgrade());
    // Plaintext arriving before the handshake completes is dropped too.
    s.feed(b"USER mrose\r\nPASS tanstaaf\r\n");
    assert_eq!(all(&mut s, &mut store), "");
    s.tls_established().unwrap();
    assert_eq!(
        all(&mut s, &mut store),
        "",
        "the injected CAPA was discarded"
    );
    assert!(
        !store
            .server_events
            .iter()
            .any(|e| matches!(e, Event::VerifyPassword { .. }))
    );
    s.feed(b"CAPA\r\n");
    let caps = all(&mut s, &mut store);
    assert!(
        caps.contains("\r\nUSER\r\n") && !caps.contains("STLS"),
        "{caps}"
    );
    // STLS cannot run twice.
    s.feed(b"STLS\r\n");
    assert_eq!(
        all(&mut s, &mut store),
        "-ERR command not valid in this state\r\n"
    );
}

#[test]
fn stls_resets_authorization_state() {
    let mut store = Store::new();
    let mut config = stls_server();
    config.insecure_allow_plaintext_auth = true;
    let mut s = Server::new(config);
    all(&mut s, &mut store);
    s.feed(b"USER mrose\r\n");
    assert_eq!(all(&mut s, &mut store), "+OK send PASS\r\n");
    s.feed(b"STLS\r\n");
    all(&mut s, &mut store);
    s.tls_established().unwrap();
    s.feed(b"PASS tanstaaf\r\n");
    assert_eq!(
        all(&mut s, &mut store),
        "-ERR command not valid in this state\r\n"
    );
}

#[test]
fn tls_established_without_request_is_misuse() {
    let mut s = Server::new(stls_server());
    assert!(s.tls_established().is_err());
    let mut c = Client::new(client::Config::default());
    assert!(c.tls_established().is_err());
}

fn client_at_stls() -> Client {
    let mut c = Client::new(client::Config::default());
    c.feed(b"+OK hi\r\n+OK\r\nSTLS\r\n.\r\n");
    assert_eq!(&c.poll_transmit().unwrap()[..], b"CAPA\r\nSTLS\r\n");
    c
}

#[test]
fn client_rejects_data_after_stls_ok() {
    let mut c = client_at_stls();
    c.feed(b"+OK go\r\n+OK injected\r\n");
    let ev: Vec<_> = std::iter::from_fn(|| c.poll_event()).collect();
    assert_eq!(
        ev,
        [
            CEvent::Error(ProtocolError::DataAfterStls { len: 14 }),
            CEvent::Closed
        ]
    );
    assert!(!c.wants_tls_upgrade());

    let mut c = client_at_stls();
    c.feed(b"+OK go\r\n");
    assert_eq!(c.poll_event(), Some(CEvent::StartTls));
    assert!(c.wants_tls_upgrade());
    c.feed(b"x");
    assert_eq!(
        c.poll_event(),
        Some(CEvent::Error(ProtocolError::DataAfterStls { len: 1 }))
    );
}

#[test]
fn client_drops_plaintext_capabilities_after_tls() {
    let mut c = client_at_stls();
    c.feed(b"+OK go\r\n");
    assert_eq!(c.poll_event(), Some(CEvent::StartTls));
    c.tls_established().unwrap();
    assert!(c.capabilities().is_empty());
    assert_eq!(&c.poll_transmit().unwrap()[..], b"CAPA\r\n");
    c.feed(b"+OK\r\nUSER\r\n.\r\n");
    let Some(CEvent::Ready { capabilities, .. }) = c.poll_event() else {
        panic!()
    };
    assert!(capabilities.user() && !capabilities.stls());
}

#[test]
fn client_refuses_stls_rejection_when_required() {
    let mut c = client_at_stls();
    c.feed(b"-ERR no\r\n");
    assert_eq!(
        c.poll_event(),
        Some(CEvent::Error(ProtocolError::TlsRejected))
    );
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::Opportunistic;
    let mut c = Client::new(cc);
    c.feed(b"+OK hi\r\n+OK\r\nSTLS\r\n.\r\n-ERR no\r\n");
    assert!(matches!(c.poll_event(), Some(CEvent::Ready { .. })));
}

#[test]
fn message_content_cannot_fake_a_terminator() {
    let mut store = Store::new();
    store.messages = vec![
        ("a".into(), b"H: 1\r\n\r\nline\r\n.\r\nafter".to_vec()),
        ("b".into(), b"H: 1\n\nline\n.\nafter\n".to_vec()),
        ("c".into(), b".\r\n".to_vec()),
    ];
    let mut s = Server::new(plaintext_config());
    all(&mut s, &mut store);
    s.feed(b"USER mrose\r\nPASS tanstaaf\r\nRETR 1\r\nRETR 2\r\nRETR 3\r\n");
    let out = all(&mut s, &mut store);
    assert!(
        out.contains("+OK 22 octets\r\nH: 1\r\n\r\nline\r\n..\r\nafter\r\n.\r\n"),
        "{out:?}"
    );
    // Bare LF is normalised, so lenient LF-splitting readers see "..", not ".".
    assert!(
        out.contains("octets\r\nH: 1\r\n\r\nline\r\n..\r\nafter\r\n.\r\n+OK 3"),
        "{out:?}"
    );
    assert!(out.ends_with("+OK 3 octets\r\n..\r\n.\r\n"), "{out:?}");
}

#[test]
fn client_terminator_only_at_crlf_dot_crlf() {
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    let mut c = Client::new(cc);
    c.feed(b"+OK hi\r\n-ERR no capa\r\n");
    assert!(matches!(c.poll_event(), Some(CEvent::Ready { .. })));
    let h = c.retr(1).unwrap();
    c.feed(b"+OK\r\nabc\n.\nx\r.\r\n..\r\n.y\r\n.\r\n+OK extra");
    let mut body = Vec::new();
    let mut ended = false;
    while let Some(e) = c.poll_event() {
        match e {
            CEvent::MessageChunk { handle, data } if handle == h => body.extend_from_slice(&data),
            CEvent::MessageEnd { handle } if handle == h => ended = true,
            CEvent::MessageStart { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(ended);
    assert_eq!(body, b"abc\n.\nx\r.\r\n.\r\ny\r\n");
    // The bytes after the terminator are a response with nothing outstanding.
    c.feed(b"\r\n");
    assert_eq!(
        c.poll_event(),
        Some(CEvent::Error(ProtocolError::Unsolicited))
    );
}

#[test]
fn secrets_never_in_debug() {
    let mut store = Store::new();
    let mut s = Server::new(plaintext_config());
    s.feed(b"USER mrose\r\nPASS hunter2-secret\r\n");
    let ev = s.poll_event().unwrap();
    assert!(matches!(ev, Event::VerifyPassword { .. }));
    assert!(!format!("{ev:?}").contains("hunter2"));
    assert!(!format!("{s:?}").contains("hunter2"));
    store.answer(&mut s, ev);
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    let mut c = Client::new(cc);
    c.login("mrose", Secret::from("hunter2-secret")).unwrap();
    assert!(!format!("{c:?}").contains("hunter2"));
}

#[test]
fn deletions_only_after_quit() {
    let mut store = Store::new();
    let mut s = Server::new(plaintext_config());
    s.feed(b"USER mrose\r\nPASS tanstaaf\r\nDELE 1\r\nDELE 2\r\nRETR 1\r\n");
    let out = all(&mut s, &mut store);
    assert!(
        out.ends_with("+OK message 2 deleted\r\n-ERR message 1 already deleted\r\n"),
        "{out}"
    );
    // Connection dropped mid-session: the machine is dropped, nothing deleted.
    drop(s);
    assert_eq!(store.updates, 0);
    assert!(store.deleted.is_empty());
    // Reconnect: both messages are still there.
    store.locked = false;
    let mut s = Server::new(plaintext_config());
    s.feed(b"USER mrose\r\nPASS tanstaaf\r\nSTAT\r\nDELE 2\r\nQUIT\r\nDELE 1\r\n");
    let out = all(&mut s, &mut store);
    assert!(out.contains("+OK 2 320\r\n"));
    assert!(
        out.ends_with("+OK POP3 server signing off (1 message left)\r\n"),
        "{out}"
    );
    assert_eq!(
        store.deleted,
        ["QhdPYR:00WBw1Ph7x7"],
        "commands after QUIT are not run"
    );
    assert!(s.is_closed());
}

#[test]
fn failed_update_is_reported() {
    let mut s = Server::new(plaintext_config());
    let mut store = Store::new();
    s.feed(b"USER mrose\r\nPASS tanstaaf\r\nDELE 1\r\nQUIT\r\n");
    let mut out = Vec::new();
    loop {
        while let Some(b) = s.poll_transmit() {
            out.extend_from_slice(&b);
        }
        match s.poll_event() {
            Some(Event::Update { deleted, .. }) => {
                assert_eq!(deleted.len(), 1);
                s.reject(
                    mailwire_pop3_proto::Response::err("some deleted messages not removed")
                        .with_code(mailwire_pop3_proto::ResponseCode::SysTemp),
                )
                .unwrap();
            }
            Some(ev) => store.answer(&mut s, ev),
            None => break,
        }
    }
    assert!(
        String::from_utf8(out)
            .unwrap()
            .ends_with("-ERR [SYS/TEMP] some deleted messages not removed\r\n")
    );
    assert!(s.is_closed());
}

#[test]
fn message_aborted_mid_stream_closes() {
    let mut s = Server::new(plaintext_config());
    let mut store = Store::new();
    s.feed(b"USER mrose\r\nPASS tanstaaf\r\nRETR 1\r\nNOOP\r\n");
    loop {
        while s.poll_transmit().is_some() {}
        match s.poll_event() {
            Some(Event::Message { .. }) => {
                assert!(s.message_data(b"partial").unwrap());
                s.reject(mailwire_pop3_proto::Response::err("io error"))
                    .unwrap();
            }
            Some(Event::Closed) => break,
            Some(ev) => store.answer(&mut s, ev),
            None => panic!("not closed"),
        }
    }
    assert!(s.is_closed());
    assert!(s.message_data(b"x").is_err());
}

#[test]
fn client_reports_rejected_greeting() {
    let mut c = Client::new(client::Config::default());
    c.feed(b"-ERR [SYS/TEMP] overloaded\r\n");
    let Some(CEvent::Error(ProtocolError::GreetingRejected(r))) = c.poll_event() else {
        panic!()
    };
    assert_eq!(r.code, Some(mailwire_pop3_proto::ResponseCode::SysTemp));
    assert_eq!(c.poll_event(), Some(CEvent::Closed));
    assert!(c.poll_transmit().is_none());
}

/// RFC 2449 section 8.1.1: the application refuses a login too soon after
/// the last one; the session stays in AUTHORIZATION.
#[test]
fn login_delay_reject_keeps_authorization() {
    let mut s = Server::new(plaintext_config());
    while s.poll_transmit().is_some() {}
    s.feed(b"USER mrose\r\nPASS tanstaaf\r\nSTAT\r\n");
    let mut out = Vec::new();
    while let Some(ev) = s.poll_event() {
        match ev {
            Event::VerifyPassword { .. } => s.accept_credentials().unwrap(),
            Event::OpenMaildrop { .. } => s
                .reject(
                    mailwire_pop3_proto::Response::err("wait 900 seconds")
                        .with_code(mailwire_pop3_proto::ResponseCode::LoginDelay),
                )
                .unwrap(),
            _ => {}
        }
        while let Some(b) = s.poll_transmit() {
            out.extend_from_slice(&b);
        }
    }
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "+OK send PASS\r\n-ERR [LOGIN-DELAY] wait 900 seconds\r\n-ERR command not valid in this state\r\n"
    );
    assert!(s.user().is_none() && !s.is_closed());
}
