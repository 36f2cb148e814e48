//! The streaming body encoder writes exactly what `encode_body` writes for
//! the whole body, for every chunking (one octet at a time included, where
//! only the line-by-line path runs); no dot line gets through.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use bytes::BytesMut;
use mailwire_smtp_proto::data::{
    BareLineEndings, BodyEncoder, DataDecoder, EncodeError, encode_body,
};
use proptest::prelude::*;

fn whole(body: &[u8], bare: BareLineEndings, dot: bool) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::new();
    encode_body(body, bare, dot, &mut out).map(|()| out)
}

fn streamed(
    body: &[u8],
    cuts: &[usize],
    bare: BareLineEndings,
    dot: bool,
) -> Result<Vec<u8>, EncodeError> {
    let mut enc = BodyEncoder::new(bare, dot);
    let mut out = Vec::new();
    let mut pos = 0;
    for &c in cuts {
        let c = c.clamp(pos, body.len());
        enc.encode(&body[pos..c], &mut out)?;
        pos = c;
    }
    enc.encode(&body[pos..], &mut out)?;
    enc.finish(&mut out)?;
    Ok(out)
}

fn bodies() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            Just(b'.'),
            Just(b'\r'),
            Just(b'\n'),
            Just(b'a'),
            any::<u8>()
        ],
        0..64,
    )
}

/// The body fed one octet at a time: the block kernel needs 65 octets, so
/// this takes the line-by-line path for every line (the reference for the
/// block-copying path).
fn octet_by_octet(body: &[u8], bare: BareLineEndings, dot: bool) -> Result<Vec<u8>, EncodeError> {
    let cuts: Vec<usize> = (1..body.len()).collect();
    streamed(body, &cuts, bare, dot)
}

/// Long bodies of mostly clean CRLF lines (so the block kernel runs), with
/// dots, bare CRs and LFs sprinkled in.
fn long_bodies() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            8 => Just(&b"Lorem ipsum dolor sit amet, consectetur adipiscing\r\n"[..]),
            1 => Just(&b".dot first\r\n"[..]),
            1 => Just(&b"bare lf\n"[..]),
            1 => Just(&b"bare cr\rx\r\n"[..]),
            1 => Just(&b"\r"[..]),
            1 => Just(&b"."[..]),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn same_bytes_as_octet_by_octet(
        body in prop_oneof![bodies(), long_bodies()],
        reject in any::<bool>(),
        dot in any::<bool>(),
    ) {
        let bare = if reject { BareLineEndings::Reject } else { BareLineEndings::Normalize };
        prop_assert_eq!(whole(&body, bare, dot), octet_by_octet(&body, bare, dot));
    }

    #[test]
    fn long_bodies_stream_as_whole(
        body in long_bodies(),
        mut cuts in prop::collection::vec(0usize..2000, 0..8),
        reject in any::<bool>(),
        dot in any::<bool>(),
    ) {
        cuts.sort_unstable();
        let bare = if reject { BareLineEndings::Reject } else { BareLineEndings::Normalize };
        prop_assert_eq!(streamed(&body, &cuts, bare, dot), octet_by_octet(&body, bare, dot));
    }

    #[test]
    fn same_bytes_as_whole_body(
        body in bodies(),
        mut cuts in prop::collection::vec(0usize..64, 0..8),
        reject in any::<bool>(),
        dot in any::<bool>(),
    ) {
        cuts.sort_unstable();
        let bare = if reject { BareLineEndings::Reject } else { BareLineEndings::Normalize };
        prop_assert_eq!(streamed(&body, &cuts, bare, dot), whole(&body, bare, dot));
    }
}

/// Decodes DATA output and checks it ends exactly at its end.
fn decode(wire: &[u8]) -> Vec<u8> {
    let mut d = DataDecoder::new(BareLineEndings::Reject, 1 << 20, None);
    let mut out = BytesMut::new();
    let (n, done) = d.decode(wire, &mut out);
    assert!(done && n == wire.len(), "ended at {n} of {}", wire.len());
    assert_eq!(d.error(), None);
    out.to_vec()
}

#[test]
fn smuggling_bodies_split_everywhere() {
    let bodies: [&[u8]; 8] = [
        b"a\r\n.\r\nMAIL FROM:<x@y.z>\r\n",
        b"a\n.\nMAIL FROM:<x@y.z>\n",
        b".\r\nrest",
        b".",
        b"..\r\n.\r\n.",
        b"x\r\n.\r",
        b"x\r.\r\n.\n",
        b"\r\n.\r\n",
    ];
    for body in bodies {
        let reference = whole(body, BareLineEndings::Normalize, true).unwrap();
        // What the server must get: the body with CRLF line ends, ending in CRLF.
        let mut expected = Vec::new();
        encode_body(body, BareLineEndings::Normalize, false, &mut expected).unwrap();
        for i in 0..=body.len() {
            for j in i..=body.len() {
                let wire = streamed(body, &[i, j], BareLineEndings::Normalize, true).unwrap();
                assert_eq!(wire, reference, "{body:?} split at {i},{j}");
                assert_eq!(decode(&wire), expected, "{body:?} split at {i},{j}");
            }
        }
    }
}

#[test]
fn reject_reports_offset_across_chunks() {
    let mut enc = BodyEncoder::new(BareLineEndings::Reject, true);
    let mut out = Vec::new();
    enc.encode(b"ab\r", &mut out).unwrap();
    assert_eq!(
        enc.encode(b"x", &mut out),
        Err(EncodeError::BareLineEnding { offset: 2 })
    );
    let mut enc = BodyEncoder::new(BareLineEndings::Reject, false);
    enc.encode(b"ab\r", &mut out).unwrap();
    assert_eq!(
        enc.finish(&mut out),
        Err(EncodeError::BareLineEnding { offset: 2 })
    );
    let mut enc = BodyEncoder::new(BareLineEndings::Reject, true);
    enc.encode(b"ab\r", &mut out).unwrap();
    enc.encode(b"", &mut out).unwrap();
    assert_eq!(
        enc.encode(b"c\nd", &mut out),
        Err(EncodeError::BareLineEnding { offset: 2 })
    );
}
