//! The client's limits at N and N+1, and the streaming of large FETCH bodies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_imap_proto::client::{Client, ClientError, Config, Event, Limits, TlsPolicy};
use mailwire_imap_proto::command::Command;
use mailwire_imap_proto::response::{Data, FetchItem, StatusKind};

fn client(limits: Limits) -> Client {
    let mut config = Config::default();
    config.tls = TlsPolicy::Implicit;
    config.limits = limits;
    let mut c = Client::new(config);
    c.feed(b"* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
    c.send(
        Command::parse(b"x SELECT INBOX\r\n")
            .unwrap()
            .0
            .into_owned()
            .body,
    )
    .unwrap();
    c.feed(b"A1 OK\r\n");
    c.send(
        Command::parse(b"x FETCH 1:* BODY[]\r\n")
            .unwrap()
            .0
            .into_owned()
            .body,
    )
    .unwrap();
    while c.poll_event().is_some() {}
    while c.poll_transmit().is_some() {}
    c
}

fn events(c: &mut Client) -> Vec<Event> {
    std::iter::from_fn(|| c.poll_event()).collect()
}

fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_line_length = 100;
    l.max_response_size = 1000;
    l.max_literal_size = 500;
    l.max_literals_per_response = 3;
    l.stream_threshold = 600;
    l.max_streamed_literal = 5000;
    l
}

/// `* OK` padded to exactly `n` octets with CRLF.
fn ok_line(n: usize) -> Vec<u8> {
    let mut v = b"* OK ".to_vec();
    v.resize(n - 2, b'x');
    v.extend_from_slice(b"\r\n");
    v
}

#[test]
fn line_length_at_n_and_n_plus_1() {
    let mut c = client(limits());
    c.feed(&ok_line(100));
    assert!(matches!(&events(&mut c)[..], [Event::Status { .. }]));
    c.feed(&ok_line(101));
    assert_eq!(
        events(&mut c),
        vec![Event::Error(ClientError::LineTooLong { limit: 100 })]
    );
    // The connection goes on.
    c.feed(b"* 3 EXISTS\r\n");
    assert_eq!(events(&mut c), vec![Event::Unsolicited(Data::Exists(3))]);
    // A long line without its end yet is refused before it is all there.
    c.feed(&[b'x'; 150]);
    assert_eq!(events(&mut c).len(), 1);
    c.feed(b"yyy\r\n* 4 EXISTS\r\n");
    assert_eq!(events(&mut c), vec![Event::Unsolicited(Data::Exists(4))]);
}

#[test]
fn literal_size_at_n_and_n_plus_1() {
    let mut c = client(limits());
    let list = |n: usize| {
        let mut v = format!("* LIST () \"/\" {{{n}}}\r\n").into_bytes();
        v.extend(std::iter::repeat_n(b'm', n));
        v.extend_from_slice(b"\r\n");
        v
    };
    c.feed(&list(500));
    assert!(matches!(
        &events(&mut c)[..],
        [Event::Unsolicited(Data::List(_))]
    ));
    c.feed(&list(501));
    assert_eq!(
        events(&mut c),
        vec![Event::Error(ClientError::LiteralTooLarge {
            length: 501,
            limit: 500
        })]
    );
    c.feed(b"* 3 EXISTS\r\n");
    assert_eq!(events(&mut c), vec![Event::Unsolicited(Data::Exists(3))]);
}

#[test]
fn response_size_at_n_and_n_plus_1() {
    let mut c = client(limits());
    // 2 lines + literal: total exactly 1000, then 1001.
    let resp = |total: usize| {
        let head = b"* 1 FETCH (BODY[] {";
        let mut v = Vec::new();
        // literal size so that head + digits + "}\r\n" + lit + ")\r\n" == total
        let lit = total - head.len() - 3 - 3 - 3;
        v.extend_from_slice(head);
        v.extend_from_slice(format!("{lit}").as_bytes());
        v.extend_from_slice(b"}\r\n");
        v.extend(std::iter::repeat_n(b'z', lit));
        v.extend_from_slice(b")\r\n");
        assert_eq!(v.len(), total);
        v
    };
    let mut l = limits();
    l.max_literal_size = 1000;
    l.stream_threshold = 2000;
    let mut c2 = client(l);
    c2.feed(&resp(1000));
    assert!(matches!(&events(&mut c2)[..], [Event::Data { .. }]));
    c2.feed(&resp(1001));
    assert_eq!(
        events(&mut c2),
        vec![Event::Error(ClientError::ResponseTooLarge { limit: 1000 })]
    );
    c2.feed(b"A2 OK\r\n");
    assert!(matches!(&events(&mut c2)[..], [Event::Completed { .. }]));
    c.feed(b"* 3 EXISTS\r\n");
    assert_eq!(events(&mut c), vec![Event::Unsolicited(Data::Exists(3))]);
}

#[test]
fn literals_per_response_at_n_and_n_plus_1() {
    let mut c = client(limits());
    c.feed(b"* 1 FETCH (BODY[1] {0}\r\n BODY[2] {0}\r\n BODY[3] {0}\r\n)\r\n");
    assert!(matches!(&events(&mut c)[..], [Event::Data { .. }]));
    c.feed(b"* 1 FETCH (BODY[1] {0}\r\n BODY[2] {0}\r\n BODY[3] {0}\r\n BODY[4] {0}\r\n)\r\n");
    assert_eq!(
        events(&mut c),
        vec![Event::Error(ClientError::TooManyLiterals)]
    );
    c.feed(b"* 3 EXISTS\r\n");
    assert_eq!(events(&mut c), vec![Event::Unsolicited(Data::Exists(3))]);
}

fn fetch_body(n: usize) -> (Vec<u8>, Vec<u8>) {
    let body: Vec<u8> = (0..n).map(|i| b'A' + (i % 26) as u8).collect();
    let mut v = format!("* 7 FETCH (UID 9 BODY[]<0> {{{n}}}\r\n").into_bytes();
    v.extend_from_slice(&body);
    v.extend_from_slice(b" FLAGS (\\Seen))\r\n");
    (v, body)
}

#[test]
fn stream_threshold_at_n_minus_1_and_n() {
    let mut c = client(limits());
    let (v, _) = fetch_body(499);
    c.feed(&v);
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::Data { data: Data::Fetch { items, .. }, .. }]
        if matches!(&items[1], FetchItem::BodySection { data: Some(d), .. } if d.len() == 499))
    );
    // 599: below the threshold, so buffered, and above max_literal_size.
    let (v, _) = fetch_body(599);
    c.feed(&v);
    assert_eq!(
        events(&mut c),
        vec![Event::Error(ClientError::LiteralTooLarge {
            length: 599,
            limit: 500
        })]
    );
    let (v, body) = fetch_body(600);
    // Fed in pieces: each piece of the literal is a chunk.
    for piece in v.chunks(128) {
        c.feed(piece);
    }
    let ev = events(&mut c);
    let chunks: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            Event::FetchChunk(c) => Some(c),
            _ => None,
        })
        .collect();
    assert!(chunks.len() >= 4);
    let joined: Vec<u8> = chunks.iter().flat_map(|c| c.data.to_vec()).collect();
    assert_eq!(joined, body);
    assert!(
        chunks
            .iter()
            .all(|c| c.seq == 7 && &c.item[..] == b"BODY[]<0>" && c.total == 600)
    );
    assert!(chunks.last().unwrap().is_last());
    assert!(!chunks[0].is_last());
    assert!(chunks.iter().all(|c| c.handle.is_some()));
    match ev.last() {
        Some(Event::Data {
            data: Data::Fetch { seq: 7, items },
            ..
        }) => {
            assert_eq!(items[0], FetchItem::Uid(9));
            assert!(
                matches!(&items[1], FetchItem::BodySection { origin: Some(0), data: Some(d), .. } if d.is_empty())
            );
            assert!(matches!(&items[2], FetchItem::Flags(_)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn streamed_literal_limit_at_n_and_n_plus_1() {
    let mut c = client(limits());
    let (v, _) = fetch_body(5000);
    c.feed(&v);
    assert!(events(&mut c).iter().all(|e| !matches!(e, Event::Error(_))));
    let (v, _) = fetch_body(5001);
    c.feed(&v);
    assert_eq!(
        events(&mut c),
        vec![Event::Error(ClientError::LiteralTooLarge {
            length: 5001,
            limit: 5000
        })]
    );
    c.feed(b"A2 OK done\r\n");
    assert!(
        matches!(&events(&mut c)[..], [Event::Completed { status, .. }] if status.kind == StatusKind::Ok)
    );
}

#[test]
fn fifty_mib_body_is_never_buffered_whole() {
    let mut c = client(Limits::default());
    let n: usize = 50 * 1024 * 1024;
    c.feed(format!("* 1 FETCH (BODY[] {{{n}}}\r\n").as_bytes());
    let piece = vec![b'q'; 64 * 1024];
    let mut got = 0usize;
    let mut fed = 0usize;
    while fed < n {
        let k = piece.len().min(n - fed);
        c.feed(&piece[..k]);
        fed += k;
        while let Some(e) = c.poll_event() {
            match e {
                Event::FetchChunk(ch) => {
                    assert!(ch.data.len() <= piece.len());
                    got += ch.data.len();
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert_eq!(got, n);
    c.feed(b")\r\nA2 OK\r\n");
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::Data { .. }, Event::Completed { .. }]),
        "{ev:?}"
    );
}

#[test]
fn oversized_tagged_response_still_completes() {
    let mut c = client(limits());
    let mut line = b"A2 OK ".to_vec();
    line.resize(300, b'x');
    line.extend_from_slice(b"\r\n");
    c.feed(&line);
    let ev = events(&mut c);
    assert_eq!(ev[0], Event::Error(ClientError::LineTooLong { limit: 100 }));
    assert!(
        matches!(&ev[1], Event::Completed { status, .. } if status.kind == StatusKind::Ok && status.text.is_empty())
    );
}
