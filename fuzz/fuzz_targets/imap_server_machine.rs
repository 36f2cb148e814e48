#![no_main]
//! The IMAP server machine fed arbitrary client bytes in arbitrary chunks,
//! with an application that answers every event (and pushes updates):
//! never panics, every answer the application gives is accepted, output is
//! whole CRLF-terminated lines and stays proportional to the input.
use libfuzzer_sys::fuzz_target;
use mailwire_imap_proto::command::CommandBody;
use mailwire_imap_proto::response::Data;
use mailwire_imap_proto::server::{Config, Event, Server};
use mailwire_sasl::server::Answer;
use std::time::{Duration, Instant};

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else { return };
    let mut config = Config::default();
    config.allow_plaintext_auth = ctl & 1 != 0;
    config.starttls = ctl & 2 != 0;
    config.auto_literal_limit = (ctl & 4 != 0).then_some(64);
    config.relay_noop = ctl & 8 != 0;
    config.framer.max_line_length = 1024;
    config.framer.max_unit_size = 4096;
    config.framer.max_literals_per_unit = 8;
    config.max_buffered_input = 8192;
    config.max_pending_output = 4096;
    config.max_queued_updates = 16;
    config.append_stream_threshold = 16;
    let chunk = usize::from(ctl >> 4) * 7 + 1;
    let t0 = Instant::now();
    let mut s = Server::new(config);
    let mut out = Vec::new();
    let mut n: u32 = 0;
    for (i, piece) in rest.chunks(chunk).enumerate() {
        s.feed(piece);
        s.handle_timeout(t0 + Duration::from_secs(i as u64));
        loop {
            let mut progressed = false;
            while let Some(b) = s.poll_transmit() {
                out.extend_from_slice(&b);
                progressed = true;
            }
            if s.wants_tls_upgrade() {
                s.tls_established().unwrap();
            }
            let Some(ev) = s.poll_event() else {
                if !progressed {
                    break;
                }
                continue;
            };
            n = n.wrapping_add(1);
            match ev {
                Event::Command { id, command } => {
                    s.respond(id, Data::Exists(n)).unwrap();
                    if n % 3 == 0 {
                        let _ = s.push_update(Data::Expunge(1));
                    }
                    let _ = s.expunge_allowed();
                    match command.body {
                        CommandBody::Select { .. } | CommandBody::Examine { .. } if n % 2 == 0 => {
                            s.no(id, "no").unwrap()
                        }
                        _ => s.ok(id, "ok").unwrap(),
                    }
                }
                Event::AppendData { chunk, .. } => assert!(!chunk.is_empty()),
                Event::AppendEnd { id } => {
                    if n % 2 == 0 {
                        s.ok(id, "ok").unwrap();
                    } else {
                        s.no(id, "no").unwrap();
                    }
                }
                Event::Login { id, .. } => {
                    if n % 2 == 0 {
                        s.accept_login(id).unwrap();
                    } else {
                        s.reject_login(id).unwrap();
                    }
                }
                Event::Sasl { id, .. } => s.sasl_answer(id, Answer::Reject).unwrap(),
                Event::LiteralAnnounced { length, .. } => {
                    if length <= 100 {
                        s.accept_literal().unwrap();
                    } else {
                        s.reject_literal().unwrap();
                    }
                }
                Event::Idle { .. } => {
                    let _ = s.push_update(Data::Exists(n));
                }
                _ => {}
            }
        }
    }
    assert!(out.is_empty() || out.ends_with(b"\r\n"));
    assert!(out.len() <= 2048 + 64 * data.len(), "{} for {}", out.len(), data.len());
});
