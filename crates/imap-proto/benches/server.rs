//! The server machine's own cost: command dispatch, answers and output,
//! with a trivial application (no store).
//!
//! Run: `cargo bench -p mailwire-imap-proto --bench server -- --warm-up-time 1 --measurement-time 3`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_imap_proto::response::{Data, FetchItem};
use mailwire_imap_proto::server::{Config, Event, Server};

fn config() -> Config {
    let mut c = Config::default();
    c.allow_plaintext_auth = true;
    c
}

/// Drains output and answers commands with one FETCH response each.
fn pump(s: &mut Server, out: &mut usize) {
    loop {
        while let Some(b) = s.poll_transmit() {
            *out += b.len();
        }
        match s.poll_event() {
            Some(Event::Login { id, .. }) => s.accept_login(id).unwrap(),
            Some(Event::Command { id, .. }) => {
                s.respond(
                    id,
                    Data::Fetch {
                        seq: 1,
                        items: vec![FetchItem::Uid(42)],
                    },
                )
                .unwrap();
                s.ok(id, "done").unwrap();
            }
            Some(_) => {}
            None => break,
        }
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("server");

    let noops: Vec<u8> = (0..1000)
        .flat_map(|i| format!("n{i} NOOP\r\n").into_bytes())
        .collect();
    g.throughput(Throughput::Elements(1000));
    g.bench_function("1000 pipelined NOOP", |b| {
        b.iter(|| {
            let mut s = Server::new(config());
            let mut out = 0;
            s.feed(black_box(&noops));
            pump(&mut s, &mut out);
            black_box(out)
        });
    });

    let mut session = b"a LOGIN joe secret\r\nb SELECT INBOX\r\n".to_vec();
    for i in 0..1000 {
        session.extend_from_slice(format!("f{i} UID FETCH 42 (UID)\r\n").as_bytes());
    }
    g.bench_function("login, select, 1000 UID FETCH answered", |b| {
        b.iter(|| {
            let mut s = Server::new(config());
            let mut out = 0;
            s.feed(black_box(&session));
            pump(&mut s, &mut out);
            black_box(out)
        });
    });

    g.bench_function("IDLE with 1000 pushed EXISTS", |b| {
        b.iter(|| {
            let mut s = Server::new(config());
            let mut out = 0;
            s.feed(b"a LOGIN joe secret\r\nb SELECT INBOX\r\nc IDLE\r\n");
            pump(&mut s, &mut out);
            for n in 0..1000 {
                s.push_update(Data::Exists(n)).unwrap();
                while let Some(b) = s.poll_transmit() {
                    out += b.len();
                }
            }
            s.feed(b"DONE\r\n");
            pump(&mut s, &mut out);
            black_box(out)
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
