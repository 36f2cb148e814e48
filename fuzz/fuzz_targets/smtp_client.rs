#![no_main]
//! The client machine fed arbitrary server bytes: never panics, never
//! writes a bare CR or LF.
use libfuzzer_sys::fuzz_target;
use mailwire_sasl::client::Credentials;
use mailwire_smtp_proto::client::{Client, Config, Envelope};
use mailwire_smtp_proto::path::{Domain, ForwardPath, Host, Mailbox, ReversePath};

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else { return };
    let mut config = Config::new(Host::Domain(Domain::parse("c.example").unwrap().into_owned()));
    config.lmtp = ctl & 1 != 0;
    if ctl & 2 != 0 {
        config.credentials = Some(Credentials::password("tim", "tanstaaf"));
        config.implicit_tls = true;
    }
    let chunk = usize::from(ctl >> 4) + 1;
    let mut c = Client::new(config);
    let mb = |s: &str| Mailbox::parse(s).unwrap().into_owned();
    let env = Envelope::new(ReversePath::Mailbox(mb("a@b.example")), [ForwardPath::Mailbox(mb("c@d.example")), ForwardPath::Postmaster]);
    let body = &b"line\n.dot\r\nbare\rcr\r"[..];
    // Streamed mode: the body in pieces of 1..=4 octets, offered between feeds.
    let mut stream = None;
    if ctl & 4 != 0 {
        stream = Some((c.send_streaming(env).unwrap(), 0usize));
    } else {
        c.send(env, body);
    }
    let _ = c.quit();
    let mut out = Vec::new();
    for piece in rest.chunks(chunk) {
        c.feed(piece);
        if let Some((h, pos)) = stream.as_mut() {
            if *pos < body.len() {
                let end = (*pos + usize::from(ctl >> 6) + 1).min(body.len());
                *pos += c.body_chunk(*h, &body[*pos..end]).unwrap_or(end - *pos);
                if *pos == body.len() {
                    let _ = c.body_end(*h);
                }
            }
        }
        while let Some(b) = c.poll_transmit() {
            out.extend_from_slice(&b);
        }
        if c.wants_tls_upgrade() {
            c.tls_established().unwrap();
        }
        while c.poll_event().is_some() {}
    }
    for (i, &b) in out.iter().enumerate() {
        if b == b'\n' {
            assert!(i > 0 && out[i - 1] == b'\r', "bare LF written");
        }
        if b == b'\r' {
            assert_eq!(out.get(i + 1), Some(&b'\n'), "bare CR written");
        }
    }
});
