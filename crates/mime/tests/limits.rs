//! Every limit at N (parses) and N+1 (typed error, or a defect in
//! truncating mode).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mailwire_mime::transfer::encode_base64;
use mailwire_mime::{DefectKind, Error, LimitKind, Limits, Message, ParseOptions, PartKind};

/// `levels` nested multiparts around one text leaf: the leaf has depth
/// `levels`.
fn nested_multiparts(levels: usize) -> Vec<u8> {
    fn inner(i: usize, levels: usize) -> String {
        if i == levels {
            return "Content-Type: text/plain\r\n\r\nleaf".to_string();
        }
        format!(
            "Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n{}\r\n--b{i}--\r\n",
            inner(i + 1, levels)
        )
    }
    inner(0, levels).into_bytes()
}

fn many_parts(leaves: usize) -> Vec<u8> {
    let mut s = String::from("Content-Type: multipart/mixed; boundary=x\r\n\r\n");
    for _ in 0..leaves {
        s.push_str("--x\r\n\r\n.\r\n");
    }
    s.push_str("--x--\r\n");
    s.into_bytes()
}

/// `levels` base64-encoded message/rfc822 layers around a text message.
fn encoded_nesting(levels: usize) -> Vec<u8> {
    let mut msg = b"Subject: core\r\n\r\ncore text".to_vec();
    for _ in 0..levels {
        let mut outer =
            b"Subject: layer\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n".to_vec();
        outer.extend_from_slice(&encode_base64(&msg));
        msg = outer;
    }
    msg
}

fn options(f: impl FnOnce(&mut Limits)) -> ParseOptions {
    let mut o = ParseOptions::default();
    f(&mut o.limits);
    o
}

fn truncating(mut o: ParseOptions) -> ParseOptions {
    o.truncate_at_limits = true;
    o
}

#[test]
fn default_limits() {
    let l = Limits::default();
    assert_eq!(
        (
            l.max_depth,
            l.max_parts,
            l.max_encoded_nesting,
            l.max_header_fields
        ),
        (64, 10_000, 8, 10_000)
    );
}

#[test]
fn depth_default_64_and_65() {
    let ok = nested_multiparts(64);
    let msg = Message::parse(&ok).unwrap();
    let deepest = msg.parts().last().unwrap();
    assert_eq!(deepest.depth(), 64);
    assert_eq!(deepest.text().text, "leaf");
    let err = Message::parse(&nested_multiparts(65)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::LimitExceeded {
                kind: LimitKind::Depth,
                limit: 64,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn depth_configured_n_and_n_plus_1() {
    for n in [0usize, 1, 5] {
        let o = options(|l| l.max_depth = n);
        assert!(
            Message::parse_with(&nested_multiparts(n), &o).is_ok(),
            "depth {n}"
        );
        let e = Message::parse_with(&nested_multiparts(n + 1), &o).unwrap_err();
        assert!(matches!(
            e,
            Error::LimitExceeded {
                kind: LimitKind::Depth,
                ..
            }
        ));
        // Truncating: the deepest multipart becomes an opaque leaf.
        let input = nested_multiparts(n + 1);
        let msg = Message::parse_with(&input, &truncating(o)).unwrap();
        assert_eq!(msg.part_count(), n + 1);
        let last = msg.parts().last().unwrap();
        assert_eq!(last.kind(), PartKind::Leaf);
        assert_eq!(last.content_type().mime_type(), "multipart/mixed");
        assert!(
            msg.defects()
                .iter()
                .any(|d| d.kind == DefectKind::LimitReached(LimitKind::Depth))
        );
    }
}

#[test]
fn part_count_n_and_n_plus_1() {
    // Default: 10,000 entities = root + 9,999 leaves.
    let input = many_parts(9_999);
    let msg = Message::parse(&input).unwrap();
    assert_eq!(msg.part_count(), 10_000);
    let e = Message::parse(&many_parts(10_000)).unwrap_err();
    assert!(matches!(
        e,
        Error::LimitExceeded {
            kind: LimitKind::Parts,
            limit: 10_000,
            ..
        }
    ));
    let o = options(|l| l.max_parts = 3);
    assert_eq!(
        Message::parse_with(&many_parts(2), &o)
            .unwrap()
            .part_count(),
        3
    );
    assert!(Message::parse_with(&many_parts(3), &o).is_err());
    let input = many_parts(50);
    let msg = Message::parse_with(&input, &truncating(o)).unwrap();
    assert_eq!(msg.part_count(), 3);
    assert_eq!(msg.root().children().count(), 2);
    assert!(
        msg.defects()
            .iter()
            .any(|d| d.kind == DefectKind::LimitReached(LimitKind::Parts))
    );
}

#[test]
fn empty_parts_count_too() {
    // Empty body parts (a flood of bare delimiters) are counted.
    let mut s = String::from("Content-Type: multipart/mixed; boundary=x\r\n\r\n");
    for _ in 0..20 {
        s.push_str("--x\r\n");
    }
    let o = options(|l| l.max_parts = 10);
    assert!(Message::parse_with(s.as_bytes(), &o).is_err());
}

#[test]
fn encoded_nesting_n_and_n_plus_1() {
    let input = encoded_nesting(8);
    let msg = Message::parse(&input).unwrap();
    let core = msg.parts().last().unwrap();
    assert_eq!(core.text().text, "core text");
    assert!(!core.in_input());
    let e = Message::parse(&encoded_nesting(9)).unwrap_err();
    assert!(matches!(
        e,
        Error::LimitExceeded {
            kind: LimitKind::EncodedNesting,
            limit: 8,
            ..
        }
    ));
    let o = options(|l| l.max_encoded_nesting = 2);
    assert!(Message::parse_with(&encoded_nesting(2), &o).is_ok());
    assert!(Message::parse_with(&encoded_nesting(3), &o).is_err());
    let input = encoded_nesting(3);
    let msg = Message::parse_with(&input, &truncating(o)).unwrap();
    assert_eq!(msg.parts().last().unwrap().kind(), PartKind::Leaf);
}

#[test]
fn header_fields_n_and_n_plus_1() {
    let header = |n: usize| {
        let mut s = String::new();
        for i in 0..n {
            s.push_str(&format!("X-F{i}: v\r\n"));
        }
        s.push_str("\r\nbody");
        s.into_bytes()
    };
    let o = options(|l| l.max_header_fields = 5);
    let input = header(5);
    let msg = Message::parse_with(&input, &o).unwrap();
    assert_eq!(msg.root().headers().count(), 5);
    let e = Message::parse_with(&header(6), &o).unwrap_err();
    assert!(matches!(
        e,
        Error::LimitExceeded {
            kind: LimitKind::HeaderFields,
            limit: 5,
            ..
        }
    ));
    let input = header(6);
    let msg = Message::parse_with(&input, &truncating(o)).unwrap();
    assert_eq!(msg.root().headers().count(), 5);
    assert_eq!(msg.root().body(), b"body");
}
