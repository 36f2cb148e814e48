//! Split-feed equivalence: the same bytes in any chunking give the same
//! replies (server) and the same events (client, message chunks merged).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod util;

use bytes::BytesMut;
use mailwire_pop3_proto::Secret;
use mailwire_pop3_proto::client::{self, Client, Event as CEvent, TlsPolicy};
use mailwire_pop3_proto::server::Server;
use proptest::prelude::*;
use util::{Pair, Store, plaintext_config};

const SCRIPT: &[u8] = b"CAPA\r\nUSER mrose\r\nPASS tanstaaf\r\nSTAT\r\nLIST\r\nUIDL\r\nLIST 2\r\n\
RETR 1\r\nRETR 3\r\nTOP 3 1\r\nDELE 1\r\nbogus\r\nRSET\r\nDELE 2\r\nNOOP\r\nQUIT\r\n";

fn store() -> Store {
    let mut s = Store::new();
    s.messages.push((
        "dots".into(),
        b"A: b\r\n\r\n.\r\n..x\r\n.\r\nend\r\n".to_vec(),
    ));
    s.chunk = 3;
    s
}

fn server_output(chunks: &[&[u8]]) -> (Vec<u8>, Vec<String>) {
    let mut st = store();
    let mut s = Server::new(plaintext_config());
    let mut out = st.drain(&mut s);
    for c in chunks {
        s.feed(c);
        out.extend(st.drain(&mut s));
    }
    (out, st.deleted)
}

fn split_at<'a>(data: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (data.len() + 1)).collect();
    cuts.sort_unstable();
    let mut v = Vec::new();
    let mut prev = 0;
    for c in cuts {
        v.push(&data[prev..c]);
        prev = c;
    }
    v.push(&data[prev..]);
    v
}

/// Client events with message chunks merged (their boundaries follow the
/// input's).
fn normalise(events: Vec<CEvent>) -> Vec<CEvent> {
    let mut v: Vec<CEvent> = Vec::new();
    for e in events {
        if let (
            Some(CEvent::MessageChunk {
                handle: h1,
                data: d1,
            }),
            CEvent::MessageChunk {
                handle: h2,
                data: d2,
            },
        ) = (v.last_mut(), &e)
            && h1 == h2
        {
            let mut m = BytesMut::from(&d1[..]);
            m.extend_from_slice(d2);
            *d1 = m.freeze();
            continue;
        }
        v.push(e);
    }
    v
}

fn client_with_commands() -> Client {
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    let mut c = Client::new(cc);
    c.login("mrose", Secret::from("tanstaaf")).unwrap();
    c.stat().unwrap();
    c.list(None).unwrap();
    c.uidl(None).unwrap();
    c.retr(1).unwrap();
    c.retr(3).unwrap();
    c.top(3, 0).unwrap();
    c.dele(1).unwrap();
    c.quit().unwrap();
    c
}

/// What the server says to `client_with_commands`, recorded once.
fn recorded_session() -> (Vec<u8>, Vec<CEvent>) {
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    let mut p = Pair::new(cc, plaintext_config());
    p.store = store();
    p.client = client_with_commands();
    p.drive();
    (p.s2c.clone(), normalise(p.events()))
}

fn client_events(chunks: &[&[u8]]) -> Vec<CEvent> {
    let mut c = client_with_commands();
    let mut ev = Vec::new();
    for ch in chunks {
        c.feed(ch);
        while c.poll_transmit().is_some() {}
        ev.extend(std::iter::from_fn(|| c.poll_event()));
    }
    normalise(ev)
}

#[test]
fn byte_by_byte_equals_one_write() {
    let whole = server_output(&[SCRIPT]);
    let bytes: Vec<&[u8]> = SCRIPT.chunks(1).collect();
    assert_eq!(server_output(&bytes), whole);
    assert_eq!(whole.1, ["QhdPYR:00WBw1Ph7x7"]);

    let (s2c, events) = recorded_session();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, CEvent::MessageEnd { .. }))
    );
    assert!(events.last() == Some(&CEvent::Closed), "{events:?}");
    let bytes: Vec<&[u8]> = s2c.chunks(1).collect();
    assert_eq!(client_events(&bytes), events);
    assert_eq!(client_events(&[&s2c]), events);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn server_any_chunking(cuts in proptest::collection::vec(any::<usize>(), 0..12)) {
        let whole = server_output(&[SCRIPT]);
        prop_assert_eq!(server_output(&split_at(SCRIPT, &cuts)), whole);
    }

    #[test]
    fn client_any_chunking(cuts in proptest::collection::vec(any::<usize>(), 0..12)) {
        let (s2c, events) = recorded_session();
        prop_assert_eq!(client_events(&split_at(&s2c, &cuts)), events);
    }
}
