#![no_main]
//! DATA receiver: the vectorized fast path, the zero-copy form and
//! byte-at-a-time feeding agree (content, consumed octets, end, error) for
//! any input, chunking, limits and bare-line-ending mode.
use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use mailwire_smtp_proto::data::{BareLineEndings, DataDecoder};

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
