//! The client machine: server bytes in, events out (parse, route, own).
//!
//! * `fetch_flags_1000`: 1,000 `* n FETCH (UID m FLAGS (...))` responses and
//!   the tagged OK, fed in 16 KiB reads, every event drained.
//! * `body_10mib_streamed`: a 10 MiB `BODY[]` literal fed in 64 KiB reads,
//!   streamed as `FetchChunk`s (never buffered whole).
//! * `body_10mib_buffered`: the same with the stream threshold raised above
//!   it, so the literal is buffered and the FETCH parsed and copied whole.
//!
//! Run: `cargo bench -p mailwire-imap-proto --bench client -- --warm-up-time 1 --measurement-time 3`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_imap_proto::client::{Client, Config, Limits, TlsPolicy};
use mailwire_imap_proto::command::Command;

fn selected(limits: Limits) -> Client {
    let mut config = Config::default();
    config.tls = TlsPolicy::Implicit;
    config.limits = limits;
    let mut c = Client::new(config);
    c.feed(b"* PREAUTH [CAPABILITY IMAP4rev1 LITERAL+] hi\r\n");
    c.send(
        Command::parse(b"x SELECT INBOX\r\n")
            .unwrap()
            .0
            .into_owned()
            .body,
    )
    .unwrap();
    c.feed(b"A1 OK [READ-WRITE] ok\r\n");
    c.send(
        Command::parse(b"x UID FETCH 1:* (FLAGS BODY.PEEK[])\r\n")
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

fn run(c: &mut Client, input: &[u8], read: usize) -> usize {
    let mut n = 0;
    for piece in input.chunks(read) {
        c.feed(piece);
        while let Some(e) = c.poll_event() {
            black_box(&e);
            n += 1;
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let mut flags = Vec::new();
    for i in 1..=1000 {
        flags.extend_from_slice(
            format!(
                "* {i} FETCH (UID {} FLAGS (\\Seen $Label{}))\r\n",
                i + 100,
                i % 7
            )
            .as_bytes(),
        );
    }
    flags.extend_from_slice(b"A2 OK done\r\n");
    let mut g = c.benchmark_group("client");
    g.throughput(Throughput::Bytes(flags.len() as u64));
    g.bench_function("fetch_flags_1000", |b| {
        b.iter(|| {
            let mut cl = selected(Limits::default());
            assert_eq!(run(&mut cl, &flags, 16 * 1024), 1001);
        });
    });

    let n = 10 * 1024 * 1024;
    let mut body = format!("* 1 FETCH (UID 5 BODY[] {{{n}}}\r\n").into_bytes();
    body.extend((0..n).map(|i| b'a' + (i % 26) as u8));
    body.extend_from_slice(b")\r\nA2 OK done\r\n");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("body_10mib_streamed", |b| {
        b.iter(|| {
            let mut cl = selected(Limits::default());
            assert!(run(&mut cl, &body, 64 * 1024) > 100);
        });
    });
    g.bench_function("body_10mib_buffered", |b| {
        let mut limits = Limits::default();
        limits.stream_threshold = u64::MAX;
        b.iter(|| {
            let mut cl = selected(limits);
            assert_eq!(run(&mut cl, &body, 64 * 1024), 2);
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
