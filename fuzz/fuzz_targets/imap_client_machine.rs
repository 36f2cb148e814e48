#![no_main]
//! The IMAP client machine with several commands queued (LOGIN with a
//! literal, SELECT, FETCH of bodies, APPEND, SEARCH, IDLE, AUTHENTICATE),
//! fed arbitrary server bytes in arbitrary chunks: never panics, memory
//! stays bounded (small limits; buffered input is checked), streamed
//! chunks stay in their literal, and after a fatal error nothing more is
//! written.
use libfuzzer_sys::fuzz_target;
use mailwire_imap_proto::client::{Client, Config, Event, Limits, TlsPolicy};
use mailwire_imap_proto::command::Command;

fn body(text: &[u8]) -> mailwire_imap_proto::CommandBody<'static> {
    match Command::parse(text) {
        Ok((c, _)) => c.into_owned().body,
        Err(_) => mailwire_imap_proto::CommandBody::Noop,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else { return };
    let mut config = Config::default();
    config.tls = match ctl & 3 {
        0 => TlsPolicy::Required,
        1 => TlsPolicy::Opportunistic,
        2 => TlsPolicy::Implicit,
        _ => TlsPolicy::InsecureNever,
    };
    config.pipelining = ctl & 4 == 0;
    let mut limits = Limits::default();
    limits.max_line_length = 256;
    limits.max_response_size = 4096;
    limits.max_literal_size = 1024;
    limits.max_literals_per_response = 8;
    limits.stream_threshold = 32;
    limits.max_streamed_literal = 1 << 20;
    config.limits = limits;
    let chunk = usize::from(ctl >> 3) + 1;
    let mut c = Client::new(config);
    let _ = c.login("joe", "p\u{e4}ss");
    let _ = c.send(body(b"x SELECT INBOX (CONDSTORE)\r\n"));
    let _ = c.send(body(b"x UID FETCH 1:* (UID FLAGS BODY.PEEK[] BINARY[1])\r\n"));
    let _ = c.send(body(b"x APPEND INBOX {5}\r\nhello\r\n"));
    let _ = c.send(body(b"x UID SEARCH RETURN (ALL) ALL\r\n"));
    let _ = c.idle();
    let _ = c.send(body(b"x STATUS INBOX (MESSAGES)\r\n"));
    let mut closed = false;
    let mut stream: Option<(u32, u64)> = None;
    for piece in rest.chunks(chunk) {
        let was_closed = closed;
        c.feed(piece);
        if c.wants_tls_upgrade() {
            let _ = c.tls_established();
        }
        while let Some(ev) = c.poll_event() {
            match ev {
                Event::Continuation { .. } => {
                    let _ = c.auth_respond(b"\0joe\0pw");
                    let _ = c.idle_done();
                }
                Event::FetchChunk(ch) => {
                    assert!(!ch.data.is_empty());
                    assert!(ch.offset + ch.data.len() as u64 <= ch.total);
                    assert!(ch.total <= 1 << 20);
                    if ch.offset != 0 {
                        assert_eq!(stream, Some((ch.seq, ch.offset)));
                    }
                    stream = Some((ch.seq, ch.offset + ch.data.len() as u64));
                }
                Event::Closed => closed = true,
                _ => {}
            }
        }
        let mut out = Vec::new();
        while let Some(b) = c.poll_transmit() {
            out.extend_from_slice(&b);
        }
        if was_closed {
            assert!(out.is_empty(), "wrote after the session closed");
            assert!(c.is_closed());
        }
        if !closed {
            let _ = c.send(mailwire_imap_proto::CommandBody::Noop);
        }
    }
});
