#![no_main]
//! The server machine fed arbitrary bytes in arbitrary chunks, with an
//! application answering from the input: never panics, every reply line
//! ends with CRLF and parses, deletions only reach the application after
//! QUIT.
use libfuzzer_sys::fuzz_target;
use mailwire_pop3_proto::server::{Config, Event, MessageInfo, Server};
use mailwire_pop3_proto::{Response, ResponseCode, Secret};
use mailwire_sasl::server::Answer;

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else { return };
    let mut config = Config::default();
    config.stls = ctl & 1 != 0;
    config.insecure_allow_plaintext_auth = ctl & 2 != 0;
    config.apop_timestamp = (ctl & 4 != 0).then(|| "<1.2@x>".to_owned());
    config.utf8 = (ctl & 8 != 0).then_some(true);
    config.sasl = mailwire_sasl::Policy::none()
        .allow_before_tls_even_if_insecure(mailwire_sasl::Mechanism::Plain)
        .allow_before_tls_even_if_insecure(mailwire_sasl::Mechanism::Login)
        .allow_before_tls_even_if_insecure(mailwire_sasl::Mechanism::CramMd5);
    config.sasl_config = mailwire_sasl::server::Config::new().with_cram_md5_challenge("<1.2@x>");
    config.limits.max_buffered_input = 512;
    let chunk = usize::from(ctl >> 4) + 1;
    let mut s = Server::new(config);
    let mut out = Vec::new();
    let mut k = 0usize;
    let mut quit_seen = false;
    let pieces = std::iter::once(&[][..]).chain(rest.chunks(chunk));
    for piece in pieces {
        s.feed(piece);
        quit_seen |= piece.windows(4).any(|w| w.eq_ignore_ascii_case(b"QUIT"));
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
                k += 1;
                let yes = k % 4 != 0;
                let no = || Response::err("no").with_code(ResponseCode::Auth);
                match ev {
                    Event::VerifyPassword { .. } => {
                        if yes { s.accept_credentials().unwrap() } else { s.reject(no()).unwrap() }
                    }
                    Event::ApopSecret { .. } => s.apop_secret(&Secret::from("pw")).unwrap(),
                    Event::Sasl { .. } => {
                        s.sasl_answer(if yes { Answer::Secret(Secret::from("pw")) } else { Answer::Reject }).unwrap()
                    }
                    Event::OpenMaildrop { .. } => {
                        if yes {
                            let list = (0..3).map(|i| MessageInfo { size: 10 + i, uid: format!("u{i}") }).collect();
                            s.open_maildrop(list).unwrap();
                        } else {
                            s.maildrop_in_use().unwrap();
                        }
                    }
                    Event::Message { .. } => {
                        for c in rest.chunks(7).take(5) {
                            if !s.message_data(c).unwrap() {
                                break;
                            }
                        }
                        s.message_end().unwrap();
                    }
                    Event::Update { .. } => {
                        assert!(quit_seen, "update without QUIT");
                        s.update_done().unwrap();
                    }
                    _ => {}
                }
            }
            if !any {
                break;
            }
        }
    }
    // Status lines (outside multi-line bodies) parse: check the first one.
    assert!(out.starts_with(b"+OK "));
    assert!(out.ends_with(b"\r\n"));
});
