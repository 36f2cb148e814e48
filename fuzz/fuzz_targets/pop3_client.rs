#![no_main]
//! The client machine with a full command queue, fed arbitrary server
//! bytes in arbitrary chunks: never panics, and what it writes is always
//! CRLF-terminated lines.
use libfuzzer_sys::fuzz_target;
use mailwire_pop3_proto::client::{Client, Config, Event, TlsPolicy};
use mailwire_pop3_proto::limits::Limits;
use mailwire_pop3_proto::Secret;

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else { return };
    let mut config = Config::default();
    config.tls = match ctl & 3 {
        0 => TlsPolicy::Required,
        1 => TlsPolicy::Opportunistic,
        2 => TlsPolicy::Implicit,
        _ => TlsPolicy::InsecureNever,
    };
    let mut limits = Limits::default();
    limits.max_listing_entries = 16;
    limits.max_body_line = if ctl & 4 != 0 { 64 } else { 0 };
    config.limits = limits;
    let chunk = usize::from(ctl >> 3) + 1;
    let mut c = Client::new(config);
    let _ = match ctl & 0x60 {
        0 => c.login("u", Secret::from("p")),
        0x20 => c.apop("u", &Secret::from("p")),
        _ => c.authenticate("PLAIN", None),
    };
    let _ = c.stat();
    let _ = c.list(None);
    let _ = c.uidl(Some(1));
    let _ = c.retr(1);
    let _ = c.top(2, 3);
    let _ = c.dele(1);
    let _ = c.quit();
    let mut out = Vec::new();
    for piece in rest.chunks(chunk) {
        c.feed(piece);
        if c.wants_tls_upgrade() {
            c.tls_established().unwrap();
        }
        while let Some(ev) = c.poll_event() {
            if let Event::SaslChallenge { .. } = ev {
                let _ = c.sasl_respond(b"\0u\0p");
            }
        }
        while let Some(b) = c.poll_transmit() {
            out.extend_from_slice(&b);
        }
    }
    assert!(out.is_empty() || out.ends_with(b"\r\n"));
});
