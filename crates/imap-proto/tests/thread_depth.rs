//! A THREAD tree built by a server from stored messages can nest as deep as
//! the mailbox has messages (RFC 5256 §4: every reply with a sibling opens a
//! level). Writing and dropping such a tree must not recurse.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use mailwire_imap_proto::error::ParseError;
use mailwire_imap_proto::response::{Data, Response, Thread};

/// `(1 (2 (3 ... (n)(n+1)) ...)(k))`: each level is a message with two
/// replies, one of which branches again.
fn deep(levels: u32) -> Thread {
    let mut t = Thread {
        ids: vec![levels],
        children: Vec::new(),
    };
    for id in (1..levels).rev() {
        let leaf = Thread {
            ids: vec![levels + id],
            children: Vec::new(),
        };
        t = Thread {
            ids: vec![id],
            children: vec![t, leaf],
        };
    }
    t
}

#[test]
fn deep_thread_writes_and_drops_without_recursion() {
    let levels = 200_000;
    let bytes = Response::Data(Data::Thread(vec![deep(levels)])).to_bytes();
    assert!(bytes.starts_with(b"* THREAD (1 (2 (3 (4 "));
    assert!(bytes.ends_with(b")(200002))(200001))\r\n"));
    let opens = bytes.iter().filter(|&&b| b == b'(').count();
    let closes = bytes.iter().filter(|&&b| b == b')').count();
    assert_eq!(opens, closes);
    assert_eq!(opens, 2 * levels as usize - 1);
    // Our own parser refuses the nesting by its limit instead of overflowing.
    assert!(matches!(
        Response::parse(&bytes),
        Err(ParseError::Limit { .. })
    ));
}

#[test]
fn shallow_threads_round_trip() {
    let line = b"* THREAD (2)(3 6 (4 23)(44 7 96))((1)(5))\r\n";
    let (resp, n) = Response::parse(line).unwrap();
    assert_eq!(n, line.len());
    assert_eq!(resp.to_bytes(), line);
}
