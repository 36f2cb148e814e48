//! Side-by-side parsing benchmarks: mailwire-imap-proto vs imap-codec
//! 2.0.0-alpha.10 vs imap-proto 0.17 (responses only: it has no command parser).
//!
//! Run: `cargo bench -p mailwire-imap-proto --bench imap -- --warm-up-time 1 --measurement-time 3`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use imap_codec::decode::Decoder;
use mailwire_imap_proto::command::Command;
use mailwire_imap_proto::response::Response;

const RFC3501_FETCH: &[u8] = b"* 12 FETCH (FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" \
RFC822.SIZE 4286 ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" \
\"IMAP4rev1 WG mtg summary and minutes\" \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) \
((NIL NIL \"imap\" \"cac.washington.edu\")) \
((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \
\"<B27397-0100000@cac.washington.edu>\") \
BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 23)\
(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") \
\"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73) \"MIXED\"))\r\n";

fn literal_fetch() -> Vec<u8> {
    let mut v = b"* 1 FETCH (UID 42 BODY[] {1048576}\r\n".to_vec();
    let pat = b"abcdefghijklmnopqrstuvwxyz0123456789 \r\n";
    v.extend((0..1_048_576usize).map(|i| pat[i % pat.len()]));
    v.extend_from_slice(b")\r\n");
    v
}

fn search_10k() -> Vec<u8> {
    let mut v = b"* SEARCH".to_vec();
    for i in 1..=10_000u32 {
        v.extend_from_slice(format!(" {}", i * 3).as_bytes());
    }
    v.extend_from_slice(b"\r\n");
    v
}

const UID_FETCH: &[u8] =
    b"A654 UID FETCH 1:100,200,300:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE FROM SUBJECT TO CC MESSAGE-ID)] BODYSTRUCTURE)\r\n";
const UID_SEARCH: &[u8] =
    b"A655 UID SEARCH CHARSET UTF-8 OR (FROM \"smith\" SINCE 1-Feb-2024) (NOT SEEN SUBJECT {5}\r\nhello) UID 1:5000 LARGER 1024\r\n";

fn responses(c: &mut Criterion) {
    let lit = literal_fetch();
    let search = search_10k();
    let inputs: [(&str, &[u8]); 3] = [
        ("rfc3501_fetch", RFC3501_FETCH),
        ("fetch_1mib_literal", &lit),
        ("search_10k", &search),
    ];
    let codec = imap_codec::ResponseCodec::new();
    for (name, input) in inputs {
        // Every parser must accept the whole input, or the comparison is void.
        assert_eq!(Response::parse(input).unwrap().1, input.len());
        assert!(codec.decode(input).unwrap().0.is_empty());
        assert!(
            peer_imap_proto::Response::parse(input)
                .unwrap()
                .0
                .is_empty()
        );

        let mut g = c.benchmark_group(format!("response/{name}"));
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_with_input(BenchmarkId::new("mailwire", name), input, |b, i| {
            b.iter(|| Response::parse(black_box(i)).unwrap());
        });
        g.bench_with_input(BenchmarkId::new("imap-codec", name), input, |b, i| {
            b.iter(|| codec.decode(black_box(i)).unwrap());
        });
        g.bench_with_input(BenchmarkId::new("imap-proto-0.17", name), input, |b, i| {
            b.iter(|| peer_imap_proto::Response::parse(black_box(i)).unwrap());
        });
        g.finish();
    }
}

fn commands(c: &mut Criterion) {
    let codec = imap_codec::CommandCodec::new();
    for (name, input) in [("uid_fetch", UID_FETCH), ("uid_search", UID_SEARCH)] {
        assert_eq!(Command::parse(input).unwrap().1, input.len());
        assert!(codec.decode(input).unwrap().0.is_empty());
        let mut g = c.benchmark_group(format!("command/{name}"));
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_with_input(BenchmarkId::new("mailwire", name), input, |b, i| {
            b.iter(|| Command::parse(black_box(i)).unwrap());
        });
        g.bench_with_input(BenchmarkId::new("imap-codec", name), input, |b, i| {
            b.iter(|| codec.decode(black_box(i)).unwrap());
        });
        g.finish();
    }
}

criterion_group!(benches, responses, commands);
criterion_main!(benches);
