#![no_main]
//! DATA receiver: the vectorized fast path, the zero-copy form and
//! byte-at-a-time feeding agree (content, consumed octets, end, error) for
//! any input, chunking, limits and bare-line-ending mode. DATA sender: any
//! body, encoded whole or streamed in chunks (same bytes), is received as
//! exactly the body with every line end made CRLF, ending at its end.
use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use mailwire_smtp_proto::data::{BareLineEndings, BodyEncoder, DataDecoder, encode_body};

/// The body with CRLF, bare CR and bare LF each made CRLF, and a CRLF
/// after a last line without one (the encoder's contract, written plainly).
fn normalized(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'\r' if body.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(b"\r\n");
                i += 2;
                continue;
            }
            b'\r' | b'\n' => out.extend_from_slice(b"\r\n"),
            b => out.push(b),
        }
        i += 1;
    }
    if !out.is_empty() && !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn check_encoder(body: &[u8], chunk: usize) {
    let mut whole = Vec::new();
    encode_body(body, BareLineEndings::Normalize, true, &mut whole).unwrap();
    let mut enc = BodyEncoder::new(BareLineEndings::Normalize, true);
    let mut streamed = Vec::new();
    for piece in body.chunks(chunk) {
        enc.encode(piece, &mut streamed).unwrap();
    }
    enc.finish(&mut streamed).unwrap();
    assert_eq!(whole, streamed);
    let mut d = DataDecoder::new(BareLineEndings::Reject, u64::MAX, None);
    let mut got = BytesMut::new();
    let (used, done) = d.decode(&whole, &mut got);
    assert!(done && used == whole.len() && d.error().is_none(), "{whole:?}");
    assert_eq!(&got[..], &normalized(body)[..]);
}

fn run(input: &[u8], chunk: usize, bare: BareLineEndings, max: u64, line: Option<usize>, zero_copy: bool) -> (Vec<u8>, usize, bool, Option<String>) {
    let src = Bytes::copy_from_slice(input);
    let mut d = DataDecoder::new(bare, max, line);
    let mut out = BytesMut::new();
    let mut chunks = Vec::new();
    let mut pos = 0;
    let mut done = false;
    while pos < input.len() && !done {
        let end = pos.saturating_add(chunk).min(input.len());
        let (n, fin) = if zero_copy {
            d.decode_bytes(&src.slice(pos..end), &mut chunks)
        } else {
            d.decode(&input[pos..end], &mut out)
        };
        if n == 0 && !fin && d.error().is_none() {
            break;
        }
        pos += n;
        done = fin;
    }
    let content = if zero_copy { chunks.iter().flat_map(|c| c.iter().copied()).collect() } else { out.to_vec() };
    (content, pos, done, d.error().map(|e| format!("{e:?}")))
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, input)) = data.split_first() else { return };
    let bare = if flags & 1 == 0 { BareLineEndings::Reject } else { BareLineEndings::Normalize };
    let max = if flags & 2 == 0 { u64::MAX } else { u64::from(flags) * 4 };
    let chunk = usize::from(flags >> 2).max(1);
    check_encoder(input, chunk);
    let whole = run(input, usize::MAX, bare, max, None, false);
    let zero = run(input, usize::MAX, bare, max, None, true);
    assert_eq!(whole, zero);
    let bytewise = run(input, 1, bare, max, None, false);
    let chunked = run(input, chunk, bare, max, None, true);
    if whole.3.is_none() {
        assert_eq!(whole, bytewise);
        assert_eq!(whole, chunked);
    } else {
        // After an error, how much of the partial line was produced depends
        // on the split; what was consumed, the end and the error do not.
        assert_eq!((whole.1, whole.2, &whole.3), (bytewise.1, bytewise.2, &bytewise.3));
        assert_eq!((whole.1, whole.2, &whole.3), (chunked.1, chunked.2, &chunked.3));
    }
});
