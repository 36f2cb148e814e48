//! Security: the SMTP smuggling matrix, STARTTLS injection, the first line
//! being `.`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::server_transcript;
use mailwire_smtp_proto::data::BareLineEndings;
use mailwire_smtp_proto::server::{Config, Event, Server};

const SEQUENCES: &[&[u8]] = &[
    b"\n.\n",
    b"\n.\r\n",
    b"\r\n.\n",
    b"\r.\r\n",
    b"\r\n.\r",
    b"\r\n.\r\r\n",
    b"\r.\r",
    b"\n.\r",
    b"\r\n\r.\r\n",
    b"\r\n.\n\r\n",
    b"\r\r\n.\r\r\n",
];

fn smuggle_input(seq: &[u8]) -> Vec<u8> {
    let mut v =
        b"EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\nhello"
            .to_vec();
    v.extend_from_slice(seq);
    v.extend_from_slice(b"MAIL FROM:<evil@x.example>\r\nRCPT TO:<victim@d.example>\r\nDATA\r\nsmuggled\r\n.\r\nQUIT\r\n");
    v
}

#[test]
fn smuggling_matrix_rejected_by_default() {
    for seq in SEQUENCES {
        let (out, app, s) = server_transcript(Config::new("mx.example"), &smuggle_input(seq));
        assert!(app.delivered.is_empty(), "{seq:?} delivered: {out}");
        assert!(
            !app.events.iter().any(|e| e.contains("evil")),
            "{seq:?} smuggled MAIL seen"
        );
        assert_eq!(out.matches("354 ").count(), 1, "{seq:?}: {out}");
        assert!(out.contains("554 5.6.0"), "{seq:?}: {out}");
        assert!(
            app.events.iter().any(|e| e.starts_with("MessageAborted")),
            "{seq:?}"
        );
        assert!(
            s.is_closed(),
            "{seq:?}: QUIT after the real end must be read as a command"
        );
    }
}

#[test]
fn smuggling_matrix_normalized_is_one_message() {
    for seq in SEQUENCES {
        let mut config = Config::new("mx.example");
        config.bare_line_endings = BareLineEndings::Normalize;
        let (out, app, _) = server_transcript(config, &smuggle_input(seq));
        assert_eq!(app.delivered.len(), 1, "{seq:?}: {out}");
        let body = String::from_utf8_lossy(&app.delivered[0].body).into_owned();
        assert!(
            body.contains("MAIL FROM:<evil@x.example>"),
            "{seq:?}: {body:?}"
        );
        assert!(
            !body.contains('\n') || !body.replace("\r\n", "").contains(['\r', '\n']),
            "{seq:?}: bare ending left in {body:?}"
        );
        assert!(
            !app.events
                .iter()
                .any(|e| e.starts_with("MailFrom") && e.contains("evil"))
        );
        assert_eq!(out.matches("354 ").count(), 1, "{seq:?}");
    }
}

#[test]
fn first_line_dot_ends_empty_message() {
    let (out, app, _) = server_transcript(
        Config::new("mx.example"),
        b"EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<u@x.example>\r\nDATA\r\n.\r\nNOOP\r\n",
    );
    assert_eq!(app.delivered.len(), 1, "{out}");
    assert!(app.delivered[0].body.is_empty());
    assert!(
        out.ends_with("250 2.0.0 Message accepted\r\n250 2.0.0 OK\r\n"),
        "{out}"
    );
}

#[test]
fn dot_stuffed_first_line_is_unstuffed() {
    let (_, app, _) = server_transcript(
        Config::new("mx.example"),
        b"EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<u@x.example>\r\nDATA\r\n..\r\n.x\r\n.\r\n",
    );
    assert_eq!(app.delivered[0].body, b".\r\nx\r\n");
}

#[test]
fn starttls_drops_pipelined_plaintext() {
    let mut config = Config::new("mx.example");
    config.starttls = true;
    let (out, app, mut s) = server_transcript(
        config,
        b"EHLO c\r\nSTARTTLS\r\nNOOP\r\nMAIL FROM:<a@b.c>\r\n",
    );
    assert!(out.ends_with("220 2.0.0 Ready to start TLS\r\n"), "{out}");
    assert!(!out.contains("250 2.0.0 OK"), "{out}");
    assert!(!app.events.iter().any(|e| e.starts_with("MailFrom")));
    assert!(s.wants_tls_upgrade());
    // bytes arriving before the handshake are dropped too
    s.feed(b"NOOP\r\n");
    assert!(s.poll_transmit().is_none());
    s.tls_established().unwrap();
    assert_eq!(s.poll_event(), Some(Event::TlsEstablished));
    // state was reset: MAIL needs a new EHLO
    s.feed(b"MAIL FROM:<a@b.c>\r\n");
    assert!(s.poll_transmit().unwrap().starts_with(b"503"));
    s.feed(b"EHLO c\r\n");
    while let Some(ev) = s.poll_event() {
        if matches!(ev, Event::Helo { .. }) {
            s.accept().unwrap();
        }
    }
    let ehlo = s.poll_transmit().unwrap();
    assert!(
        !String::from_utf8_lossy(&ehlo).contains("STARTTLS"),
        "still advertised"
    );
    s.feed(b"STARTTLS\r\n");
    assert!(s.poll_transmit().unwrap().starts_with(b"503 5.5.1"));
    assert!(!s.wants_tls_upgrade());
}

#[test]
fn starttls_not_offered_is_refused() {
    let (out, _, s) =
        server_transcript(Config::new("mx.example"), b"EHLO c\r\nSTARTTLS\r\nNOOP\r\n");
    assert!(out.contains("502 5.5.1"), "{out}");
    assert!(out.ends_with("250 2.0.0 OK\r\n"));
    assert!(!s.wants_tls_upgrade());
}

#[test]
fn bdat_bytes_are_never_commands() {
    // A BDAT that is refused (no transaction) still consumes its octets.
    let (out, app, _) = server_transcript(
        Config::new("mx.example"),
        b"EHLO c\r\nBDAT 19\r\nMAIL FROM:<e@x.y>\r\nNOOP\r\n",
    );
    assert!(out.contains("503 5.5.1"), "{out}");
    assert!(
        !app.events.iter().any(|e| e.starts_with("MailFrom")),
        "{out}"
    );
    assert!(out.ends_with("250 2.0.0 OK\r\n"));
}

#[test]
fn refused_connection_answers_503_until_quit() {
    let mut s = Server::new(Config::new("mx.example"));
    assert_eq!(s.poll_event(), Some(Event::Connect));
    s.reject(mailwire_smtp_proto::Reply::from_code(554, None, "go away"))
        .unwrap();
    assert_eq!(s.poll_transmit().unwrap(), &b"554 go away\r\n"[..]);
    s.feed(b"EHLO c\r\nMAIL FROM:<>\r\nQUIT\r\n");
    let out = s.poll_transmit().unwrap();
    assert_eq!(
        &out[..],
        b"503 No service, send QUIT\r\n503 No service, send QUIT\r\n221 Bye\r\n"
    );
    assert!(s.is_closed());
}

#[test]
fn auth_credentials_not_in_debug() {
    let c = mailwire_smtp_proto::Command::parse(b"AUTH PLAIN AHRpbQB0YW5zdGFhZg==\r\n")
        .unwrap()
        .0;
    assert!(!format!("{c:?}").contains("AHRpbQ"));
}

/// The smuggling matrix through `Server::feed_bytes` (zero-copy content),
/// the data part split into reads of every size from 1 to 9 octets and
/// whole: the same replies, events and delivered messages as `feed` of the
/// whole input, in both bare-line-ending modes. Content may be cut into
/// other pieces, so runs of `MessageChunk` are joined before comparing
/// (content released before an abort must still be the same).
#[test]
fn smuggling_matrix_feed_bytes_equals_feed() {
    fn joined(events: &[String]) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        let mut prev_chunk = false;
        for e in events {
            if let Some(inner) = e
                .strip_prefix("MessageChunk(b\"")
                .and_then(|r| r.strip_suffix("\")"))
            {
                if prev_chunk && let Some(last) = v.last_mut() {
                    last.push_str(inner);
                } else {
                    v.push(inner.to_owned());
                }
                prev_chunk = true;
            } else {
                v.push(e.clone());
                prev_chunk = false;
            }
        }
        v
    }
    fn owned(config: Config, input: &[u8], read: usize) -> (String, common::App) {
        let mut s = Server::new(config);
        let mut app = common::App::default();
        let mut out = Vec::new();
        let mut step = |s: &mut Server, app: &mut common::App| loop {
            let mut any = false;
            while let Some(b) = s.poll_transmit() {
                out.extend_from_slice(&b);
                any = true;
            }
            any |= app.run(s);
            if !any {
                break;
            }
        };
        step(&mut s, &mut app);
        for piece in input.chunks(read) {
            s.feed_bytes(bytes::Bytes::copy_from_slice(piece));
            step(&mut s, &mut app);
        }
        (String::from_utf8_lossy(&out).into_owned(), app)
    }
    for normalize in [false, true] {
        for seq in SEQUENCES {
            let mut config = Config::new("mx.example");
            if normalize {
                config.bare_line_endings = BareLineEndings::Normalize;
            }
            let input = smuggle_input(seq);
            let (out, app, _) = server_transcript(config.clone(), &input);
            for read in (1..10).chain([input.len()]) {
                let (o, a) = owned(config.clone(), &input, read);
                assert_eq!(o, out, "{seq:?} read {read}");
                assert_eq!(a.delivered, app.delivered, "{seq:?} read {read}");
                assert_eq!(
                    joined(&a.events),
                    joined(&app.events),
                    "{seq:?} read {read}"
                );
            }
        }
    }
}
