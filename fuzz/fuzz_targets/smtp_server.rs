#![no_main]
//! The server machine fed arbitrary bytes in arbitrary chunks, with an
//! application that accepts or rejects from the input: never panics, and
//! everything it writes parses as replies. The same input through
//! `feed_bytes` (zero-copy content) gives the same output and events.
use libfuzzer_sys::fuzz_target;
use mailwire_sasl::server::Answer;
use mailwire_smtp_proto::server::{Config, Event, Server};
use mailwire_smtp_proto::{Reply, data::BareLineEndings};

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else { return };
    let a = run(ctl, rest, false);
    let b = run(ctl, rest, true);
    assert_eq!(a, b, "feed_bytes differs from feed");
});

/// The replies written and the events (content joined between them).
fn run(ctl: u8, rest: &[u8], owned: bool) -> (Vec<u8>, Vec<String>) {
    let mut config = Config::new("mx.example");
    config.starttls = ctl & 1 != 0;
    config.lmtp = ctl & 2 != 0;
    config.bare_line_endings = if ctl & 4 != 0 { BareLineEndings::Normalize } else { BareLineEndings::Reject };
    config.limits.message_size = 200;
    config.limits.command_line = 128;
    config.implicit_tls = ctl & 8 != 0;
    config.relay_vrfy_expn = ctl & 16 != 0;
    let chunk = usize::from(ctl >> 4) + 1;
    let mut s = Server::new(config);
    let mut out = Vec::new();
    let mut k = 0usize;
    let mut events = Vec::new();
    let mut body = Vec::new();
    for piece in rest.chunks(chunk) {
        if owned {
            s.feed_bytes(bytes::Bytes::copy_from_slice(piece));
        } else {
            s.feed(piece);
        }
        loop {
            let mut any = false;
            while let Some(b) = s.poll_transmit() {
                out.extend_from_slice(&b);
                any = true;
            }
            if s.wants_tls_upgrade() {
                s.tls_established().unwrap();
            }
            while let Some(ev) = s.poll_event() {
                any = true;
                if let Event::MessageChunk(c) = &ev {
                    body.extend_from_slice(c);
                    continue;
                }
                if !body.is_empty() {
                    events.push(format!("body {body:?}"));
                    body.clear();
                }
                events.push(format!("{ev:?}"));
                k += 1;
                let yes = k % 3 != 0;
                match ev {
                    Event::AuthRequest { .. } => {
                        let _ = s.auth_answer(if yes { Answer::Accept } else { Answer::Reject });
                    }
                    Event::MessageEnd { recipients, .. } if s.with_protocol().lmtp => {
                        let replies = recipients.iter().map(|_| Reply::from_code(250, None, "ok")).collect();
                        s.lmtp_results(replies).unwrap();
                    }
                    Event::Connect | Event::Helo { .. } | Event::MailFrom { .. } | Event::RcptTo { .. } | Event::MessageEnd { .. } | Event::Vrfy { .. } | Event::Expn { .. } => {
                        if yes {
                            s.accept().unwrap();
                        } else {
                            s.reject(Reply::from_code(550, Some((5, 0, 0)), "no")).unwrap();
                        }
                    }
                    _ => {}
                }
            }
            if !any {
                break;
            }
        }
    }
    let mut rest = &out[..];
    while !rest.is_empty() {
        let (_, n) = Reply::parse_with(rest, usize::MAX, usize::MAX).expect("server output must be replies");
        rest = &rest[n..];
    }
    if !body.is_empty() {
        events.push(format!("body {body:?}"));
    }
    (out, events)
}
