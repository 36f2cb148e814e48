//! RFC 2046 §5.1.1 and RFC 2049 Appendix A examples, IMAP part numbering
//! and sections (RFC 3501 §6.4.5), and structural torture cases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mailwire_mime::{DefectKind, Message, PartKind};

fn crlf(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &c in s {
        if c == b'\n' {
            out.push(b'\r');
        }
        out.push(c);
    }
    out
}

#[test]
fn rfc2046_simple_boundary_example() {
    let raw = crlf(include_bytes!("corpus/rfc2046_simple.eml"));
    let msg = Message::parse(&raw).unwrap();
    assert!(msg.defects().is_empty());
    let root = msg.root();
    assert_eq!(
        root.content_type().param("boundary").as_deref(),
        Some("simple boundary")
    );
    assert!(root.preamble().starts_with(b"This is the preamble."));
    assert!(
        root.preamble()
            .ends_with(b"non-MIME conformant readers.\r\n")
    );
    assert_eq!(
        root.epilogue(),
        b"\r\nThis is the epilogue.  It is also to be ignored.\r\n"
    );
    let parts: Vec<_> = root.children().collect();
    assert_eq!(parts.len(), 2);
    // The CRLF before a delimiter belongs to the delimiter.
    assert_eq!(
        parts[0].body(),
        b"This is implicitly typed plain US-ASCII text.\r\nIt does NOT end with a linebreak."
    );
    assert_eq!(parts[0].header_bytes(), b"\r\n");
    assert_eq!(parts[0].content_type().mime_type(), "text/plain");
    assert_eq!(
        parts[1].body(),
        b"This is explicitly typed plain US-ASCII text.\r\nIt DOES end with a linebreak.\r\n"
    );
    assert_eq!(parts[1].body_lines(), 2);
    assert_eq!(parts[0].body_lines(), 2);
    assert_eq!(parts[1].imap_path(), vec![2]);
    assert_eq!(msg.body_parts().text.len(), 2);
}

#[test]
fn rfc2049_complex_example() {
    let raw = crlf(include_bytes!("corpus/rfc2049_complex.eml"));
    let msg = Message::parse(&raw).unwrap();
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    let root = msg.root();
    let kids: Vec<_> = root.children().collect();
    let types: Vec<String> = kids.iter().map(|p| p.content_type().mime_type()).collect();
    assert_eq!(
        types,
        [
            "text/plain",
            "text/plain",
            "multipart/parallel",
            "text/enriched",
            "message/rfc822"
        ]
    );
    let parallel: Vec<_> = kids[2].children().collect();
    assert_eq!(parallel[0].content_type().mime_type(), "audio/basic");
    assert_eq!(
        parallel[0].decoded().bytes.as_ref(),
        (0u8..200).collect::<Vec<_>>().as_slice()
    );
    assert_eq!(parallel[1].imap_path(), vec![3, 2]);
    // message/rfc822: part 5; its encapsulated single-part body is 5.1.
    let m = msg.find_imap(&[5]).unwrap();
    assert_eq!(m.kind(), PartKind::Message);
    assert_eq!(m.header_bytes(), b"Content-Type: message/rfc822\r\n\r\n");
    let inner = m.encapsulated().unwrap();
    assert_eq!(
        inner.header_text("subject").as_deref(),
        Some("(subject in US-ASCII)")
    );
    assert!(
        inner
            .header_bytes()
            .starts_with(b"From: (mailbox in US-ASCII)\r\n")
    );
    assert!(inner.header_bytes().ends_with(b"Quoted-printable\r\n\r\n"));
    assert_eq!(inner.imap_path(), vec![5, 1]);
    let leaf = msg.find_imap(&[5, 1]).unwrap();
    assert_eq!(leaf.id(), inner.id());
    assert_eq!(
        leaf.text().text,
        "  ... Additional text in ISO-8859-1 goes here: André ...\r\n"
    );
    assert!(msg.find_imap(&[5, 2]).is_none());
    assert!(msg.find_imap(&[6]).is_none());
    assert!(msg.find_imap(&[0]).is_none());
    assert_eq!(msg.find_imap(&[3, 1]).unwrap().id(), parallel[0].id());
    // RFC 8621: text/plain parts and the inline audio/image of the
    // parallel part are the text body; enriched and the message are
    // attachments.
    let b = msg.body_parts();
    assert_eq!(b.text.len(), 4);
    assert_eq!(b.html.len(), 4);
    assert_eq!(b.attachments.len(), 2);
}

#[test]
fn imap_sections_for_nested_multipart_message() {
    let raw = b"Subject: top\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n\
--o\r\nContent-Type: text/plain\r\n\r\nfirst\r\n\
--o\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n\
--i\r\nContent-Type: text/plain\r\n\r\ninner plain\r\n--i\r\nContent-Type: text/html\r\n\r\n<b>x</b>\r\n--i--\r\n\
--o--\r\n";
    let msg = Message::parse(raw).unwrap();
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    assert_eq!(msg.root().imap_path(), Vec::<u32>::new());
    let p2 = msg.find_imap(&[2]).unwrap();
    assert_eq!(p2.kind(), PartKind::Message);
    // BODY[2.HEADER] and BODY[2.TEXT]
    let inner = p2.encapsulated().unwrap();
    assert!(inner.header_bytes().starts_with(b"Subject: inner\r\n"));
    assert!(inner.body().starts_with(b"--i\r\n"));
    // The encapsulated multipart is numbered like its message part.
    assert_eq!(inner.imap_path(), vec![2]);
    let p21 = msg.find_imap(&[2, 1]).unwrap();
    assert_eq!(p21.text().text, "inner plain");
    assert_eq!(p21.imap_path(), vec![2, 1]);
    assert_eq!(
        msg.find_imap(&[2, 2]).unwrap().content_type().mime_type(),
        "text/html"
    );
    // BODY[1]<0.3>
    let p1 = msg.find_imap(&[1]).unwrap();
    assert_eq!(&p1.body()[..3], b"fir");
    // BODY[2] is the whole encapsulated message.
    assert_eq!(p2.body(), inner.raw());
    // Ranges index the input.
    assert_eq!(&raw[p21.body_range()], b"inner plain");
    assert_eq!(
        &raw[p2.header_range()],
        b"Content-Type: message/rfc822\r\n\r\n"
    );
}

#[test]
fn single_part_message_is_part_1() {
    let msg = Message::parse(b"Subject: x\r\n\r\nline1\r\nline2").unwrap();
    let root = msg.root();
    assert_eq!(root.imap_path(), vec![1]);
    assert_eq!(msg.find_imap(&[1]).unwrap().id(), root.id());
    assert_eq!(msg.find_imap(&[]).unwrap().id(), root.id());
    assert_eq!(root.body_size(), 12);
    assert_eq!(root.body_lines(), 2);
    let lf = Message::parse(b"Subject: x\n\nline1\nline2\n").unwrap();
    assert_eq!(lf.root().body_size(), 12);
    assert_eq!(lf.root().body_size_crlf(), 14);
    assert_eq!(lf.root().body_lines(), 2);
}

#[test]
fn boundary_that_extends_the_outer_one() {
    // Inner boundary = outer boundary + suffix: outer lines must not match
    // inner delimiters and vice versa.
    let raw = b"Content-Type: multipart/mixed; boundary=\"==P\"\r\n\r\n\
--==P\r\nContent-Type: multipart/alternative; boundary=\"==P_1\"\r\n\r\n\
--==P_1\r\n\r\nA\r\n--==P_1\r\n\r\nB\r\n--==P_1--\r\n\
--==P\r\n\r\nC\r\n--==P--\r\n";
    let msg = Message::parse(raw).unwrap();
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    let texts: Vec<String> = msg
        .parts()
        .filter(|p| p.kind() == PartKind::Leaf)
        .map(|p| p.text().text.into_owned())
        .collect();
    assert_eq!(texts, ["A", "B", "C"]);
}

#[test]
fn prefix_and_mid_line_boundaries_are_content() {
    let raw = include_bytes!("corpus/boundary_prefix.eml");
    let msg = Message::parse(raw).unwrap();
    let kids: Vec<_> = msg.root().children().collect();
    assert_eq!(kids.len(), 2);
    let first = kids[0].text().text.into_owned();
    for line in [
        "--abcdef is not",
        "--abc- neither",
        "x --abc mid-line",
        " --abc indented",
        "--abc--x not",
    ] {
        assert!(first.contains(line), "{line}");
    }
    assert_eq!(msg.root().epilogue(), b"epilogue\n");
}

#[test]
fn missing_close_delimiter_is_a_defect() {
    let raw = include_bytes!("corpus/missing_close.eml");
    let msg = Message::parse(raw).unwrap();
    assert_eq!(msg.root().children().count(), 2);
    assert_eq!(msg.defects()[0].kind, DefectKind::MissingCloseDelimiter);
    assert_eq!(
        msg.root().children().nth(1).unwrap().body(),
        b"<p>html, and the message just ends"
    );
}

#[test]
fn encoded_message_rfc822_is_parsed() {
    let raw = include_bytes!("corpus/encoded_rfc822.eml");
    let msg = Message::parse(raw).unwrap();
    let p1 = msg.find_imap(&[1]).unwrap();
    let inner = p1.encapsulated().unwrap();
    assert!(!inner.in_input());
    assert_eq!(
        inner.header_text("message-id").as_deref(),
        Some("<inner@example.org>")
    );
    assert_eq!(
        msg.find_imap(&[1, 1]).unwrap().text().text,
        "Grüße aus dem Inneren"
    );
    assert_eq!(
        msg.find_imap(&[2, 1]).unwrap().text().text,
        "just téxt inside\n"
    );
    assert!(
        msg.defects()
            .iter()
            .all(|d| d.kind == DefectKind::EncodedComposite)
    );
}

#[test]
fn lazy_decoding_borrows() {
    let raw = b"Content-Type: text/plain; charset=utf-8\r\n\r\nplain \xc3\xa9";
    let msg = Message::parse(raw).unwrap();
    let d = msg.root().decoded();
    assert!(matches!(d.bytes, std::borrow::Cow::Borrowed(_)));
    assert!(matches!(
        msg.root().text().text,
        std::borrow::Cow::Borrowed("plain é")
    ));
    let owned = msg.into_owned();
    assert_eq!(owned.root().text().text, "plain é");
}

#[test]
fn unknown_charset_keeps_raw_bytes() {
    let raw = b"Content-Type: text/plain; charset=x-klingon\r\n\r\n\xe9\xff";
    let msg = Message::parse(raw).unwrap();
    let t = msg.root().text();
    assert!(t.unknown_charset);
    assert_eq!(msg.root().decoded().bytes.as_ref(), b"\xe9\xff");
}

#[test]
fn header_ranges_include_blank_line() {
    let raw = b"A: 1\r\n\r\nbody";
    let msg = Message::parse(raw).unwrap();
    assert_eq!(msg.root().header_range(), 0..8);
    assert_eq!(msg.root().body_range(), 8..12);
    let f = msg.root().header("a").unwrap();
    assert_eq!(f.name(), "A");
    assert_eq!(f.raw_value(), b" 1");
    assert_eq!(f.offset(), 0);
}

#[test]
fn multipart_with_close_delimiter_first_is_a_leaf() {
    let raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\ntext\r\n--b--\r\n";
    let msg = Message::parse(raw).unwrap();
    assert_eq!(msg.root().kind(), PartKind::Leaf);
    assert_eq!(msg.root().imap_path(), vec![1]);
    assert_eq!(msg.defects()[0].kind, DefectKind::StartBoundaryNotFound);
}
