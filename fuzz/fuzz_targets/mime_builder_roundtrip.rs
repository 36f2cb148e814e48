//! Build a message from fuzzer-chosen parts, parse it back, and check the
//! tree and decoded content are the same; also encoders round-trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_mime::builder::{MessageBuilder, Mode, PartBuilder};
use mailwire_mime::transfer::{decode_base64, decode_quoted_printable, encode_base64, encode_quoted_printable};
use mailwire_mime::{Message, PartKind};

fn canonical(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' => {
                out.extend_from_slice(b"\r\n");
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => out.extend_from_slice(b"\r\n"),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// What the QP encoder does to line breaks: LF and CRLF become CRLF, a
/// lone CR is escaped (and so kept).
fn lf_to_crlf(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' && (i == 0 || b[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(c);
    }
    out
}

fuzz_target!(|data: &[u8]| {
    // Encoders.
    assert_eq!(decode_base64(&encode_base64(data)), (data.to_vec(), None));
    let (qp, issue) = decode_quoted_printable(&encode_quoted_printable(data));
    assert_eq!(issue, None);
    assert_eq!(qp, lf_to_crlf(data));

    // Split the input into up to 4 chunks; the first byte picks kinds.
    let Some((&sel, rest)) = data.split_first() else { return };
    let chunks: Vec<&[u8]> = rest.splitn(4, |&c| c == 0xFF).collect();
    let mode = if sel & 1 == 1 { Mode::Utf8 } else { Mode::SevenBit };
    let mut parts = Vec::new();
    let mut expect: Vec<(bool, Vec<u8>)> = Vec::new();
    for (i, c) in chunks.iter().enumerate() {
        if (sel >> (i + 1)) & 1 == 1 {
            let text = String::from_utf8_lossy(c).into_owned();
            parts.push(PartBuilder::text(&text));
            expect.push((true, canonical(text.as_bytes())));
        } else {
            let name = String::from_utf8_lossy(&c[..c.len().min(40)]).into_owned();
            parts.push(PartBuilder::attachment("application/octet-stream", &format!("f{name}"), c.to_vec()));
            expect.push((false, c.to_vec()));
        }
    }
    let body = if sel & 0x40 != 0 {
        PartBuilder::message(MessageBuilder::new().mode(mode).subject("inner").body(PartBuilder::mixed(parts)))
    } else {
        PartBuilder::mixed(parts)
    };
    let Ok(bytes) = MessageBuilder::new().mode(mode).subject("fuzz").body(body).build() else {
        // Only content we cannot express (e.g. control characters in a
        // file name) may fail.
        return;
    };
    let msg = Message::parse(&bytes).expect("builder output must parse");
    assert!(msg.defects().is_empty(), "{:?}", msg.defects());
    let mut root = msg.root();
    if root.kind() == PartKind::Message {
        root = root.encapsulated().expect("encapsulated");
    }
    let kids: Vec<_> = root.children().collect();
    assert_eq!(kids.len(), expect.len());
    for (p, (text, want)) in kids.iter().zip(&expect) {
        if *text {
            assert_eq!(p.text().text.as_bytes(), want.as_slice());
        } else {
            assert_eq!(p.decoded().bytes.as_ref(), want.as_slice());
        }
    }
});
