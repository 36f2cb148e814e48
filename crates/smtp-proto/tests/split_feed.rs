//! Split-feed equivalence: the same bytes fed in random chunk sizes give
//! the same events and the same output, for the server and the client.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mailwire_smtp_proto::Reply;
use mailwire_smtp_proto::client::{self, Client, Envelope};
use mailwire_smtp_proto::path::{Domain, ForwardPath, Host, Mailbox, ReversePath};
use mailwire_smtp_proto::server::{Config, Event, Server};
use proptest::prelude::*;

const SESSION: &[u8] = b"EHLO client.example\r\n\
MAIL FROM:<a@b.example> SIZE=100 BODY=8BITMIME\r\n\
RCPT TO:<c@d.example> NOTIFY=SUCCESS,FAILURE\r\n\
RCPT TO:<bad@d.example>\r\n\
DATA\r\n\
..stuffed\r\nline two\r\n.x\r\n\r\n.\r\n\
BOGUS\r\n\
MAIL FROM:<>\r\nRCPT TO:<e@f.example>\r\nBDAT 5\r\n12\r\n4BDAT 3 LAST\r\nxyz\
RSET\r\nNOOP hi\r\nVRFY someone\r\n\
MAIL FROM:<a@b.example>\r\nRCPT TO:<x@y.example>\r\nDATA\r\nbare\nlf\r\n.\r\n\
QUIT\r\n";

fn run_server(chunks: &[usize]) -> (Vec<String>, Vec<u8>) {
    run_server_with(chunks, false)
}

/// With `owned`, the reads go through `Server::feed_bytes`.
fn run_server_with(chunks: &[usize], owned: bool) -> (Vec<String>, Vec<u8>) {
    let mut s = Server::new(Config::new("mx.example"));
    let mut events = Vec::new();
    let mut out = Vec::new();
    let mut body = Vec::new();
    let mut pos = 0;
    let mut i = 0;
    loop {
        while let Some(ev) = s.poll_event() {
            match &ev {
                Event::MessageChunk(b) => {
                    body.extend_from_slice(b);
                    continue;
                }
                Event::Connect
                | Event::Helo { .. }
                | Event::MailFrom { .. }
                | Event::MessageEnd { .. } => {
                    s.accept().unwrap();
                }
                Event::RcptTo { to, .. } => {
                    if to.to_string().contains("bad") {
                        s.reject(Reply::from_code(550, None, "no")).unwrap();
                    } else {
                        s.accept().unwrap();
                    }
                }
                _ => {}
            }
            if !body.is_empty() {
                events.push(format!("body {:?}", String::from_utf8_lossy(&body)));
                body.clear();
            }
            events.push(format!("{ev:?}"));
        }
        while let Some(b) = s.poll_transmit() {
            out.extend_from_slice(&b);
        }
        if pos >= SESSION.len() {
            break;
        }
        let n = chunks.get(i).copied().unwrap_or(7).max(1);
        i += 1;
        let end = (pos + n).min(SESSION.len());
        if owned {
            s.feed_bytes(bytes::Bytes::copy_from_slice(&SESSION[pos..end]));
        } else {
            s.feed(&SESSION[pos..end]);
        }
        pos = end;
    }
    (events, out)
}

fn client_replies() -> Vec<u8> {
    b"220 mx ready\r\n250-mx\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 1000\r\n\
250 2.1.0 ok\r\n250 2.1.5 ok\r\n550 5.1.1 no\r\n354 go\r\n250 2.0.0 queued\r\n221 bye\r\n"
        .to_vec()
}

fn run_client(chunks: &[usize]) -> (Vec<String>, Vec<u8>) {
    let mut c = Client::new(client::Config::new(Host::Domain(
        Domain::parse("c.example").unwrap().into_owned(),
    )));
    let mb = |s: &str| ForwardPath::Mailbox(Mailbox::parse(s).unwrap().into_owned());
    c.send(
        Envelope::new(ReversePath::Null, [mb("a@x.example"), mb("b@x.example")]),
        &b"hello\r\n.dot\r\n"[..],
    );
    c.quit().unwrap();
    let input = client_replies();
    let (mut events, mut out) = (Vec::new(), Vec::new());
    let (mut pos, mut i) = (0, 0);
    loop {
        while let Some(e) = c.poll_event() {
            events.push(format!("{e:?}"));
        }
        while let Some(b) = c.poll_transmit() {
            out.extend_from_slice(&b);
        }
        if pos >= input.len() {
            break;
        }
        let n = chunks.get(i).copied().unwrap_or(5).max(1);
        i += 1;
        let end = (pos + n).min(input.len());
        c.feed(&input[pos..end]);
        pos = end;
    }
    (events, out)
}

#[test]
fn reference_session_is_sane() {
    let (events, out) = run_server(&[usize::MAX]);
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("554 5.6.0"), "{out}");
    assert!(out.ends_with("221 2.0.0 Bye\r\n"), "{out}");
    assert!(
        events
            .iter()
            .any(|e| e == "body \".stuffed\\r\\nline two\\r\\nx\\r\\n\\r\\n\""),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| e == "body \"12\\r\\n4xyz\""),
        "{events:?}"
    );
    let (events, out) = run_client(&[usize::MAX]);
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("..dot\r\n.\r\nQUIT\r\n")
    );
    assert!(events.last().unwrap().contains("Closed"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn server_split_feed(chunks in proptest::collection::vec(1usize..40, 1..400)) {
        let reference = run_server(&[usize::MAX]);
        prop_assert_eq!(run_server(&chunks), reference);
    }

    #[test]
    fn server_split_feed_bytes(chunks in proptest::collection::vec(1usize..40, 1..400)) {
        // `feed_bytes` (zero-copy DATA/BDAT content) == `feed`.
        let reference = run_server(&[usize::MAX]);
        prop_assert_eq!(&run_server_with(&chunks, true), &reference);
        prop_assert_eq!(&run_server_with(&[usize::MAX], true), &reference);
    }

    #[test]
    fn client_split_feed(chunks in proptest::collection::vec(1usize..20, 1..200)) {
        let reference = run_client(&[usize::MAX]);
        prop_assert_eq!(run_client(&chunks), reference);
    }
}
