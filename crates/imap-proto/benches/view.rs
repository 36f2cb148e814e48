//! `MailboxView` benchmarks: resolving `1:*` and a UID set on a 100k-message
//! view, and announcing 1,000 pending expunges.
//!
//! Run: `cargo bench -p mailwire-imap-proto --bench view -- --warm-up-time 1 --measurement-time 3`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::sequence::SequenceSet;
use mailwire_imap_proto::view::{MailboxView, ViewBuilder};

const N: u32 = 100_000;

fn view(qresync: bool) -> MailboxView {
    let mut b = ViewBuilder::new(1, 1)
        .with_capacity(N as usize)
        .qresync(qresync);
    let seen = [Flag::Seen];
    for i in 1..=N {
        // UIDs with gaps, two flag sets.
        let flags: &[Flag<'_>] = if i % 3 == 0 { &[] } else { &seen };
        b.push(i * 3 + (i % 2), flags, u64::from(i), false).unwrap();
    }
    b.build()
}

fn set(s: &str) -> SequenceSet {
    SequenceSet::parse(format!("{s} ").as_bytes()).unwrap().0
}

fn bench(c: &mut Criterion) {
    let v = view(false);
    let all = set("1:*");
    c.bench_function("view/resolve_seq 1:* (100k) + iterate", |b| {
        b.iter(|| {
            let r = v.resolve_seq(black_box(&all)).unwrap();
            r.iter().fold(0u64, |acc, m| acc + u64::from(m.uid))
        });
    });
    let uid_set = set("1:60000,120001:120300,150000,180000:240000,290000:*");
    c.bench_function("view/resolve_uid 5 ranges (100k) + iterate", |b| {
        b.iter(|| {
            let r = v.resolve_uid(black_box(&uid_set));
            r.iter().fold(0u64, |acc, m| acc + u64::from(m.seq))
        });
    });
    let many: Vec<String> = (1..=1000).map(|i| (i * 300).to_string()).collect();
    let many = set(&many.join(","));
    c.bench_function("view/resolve_uid 1000 singles (100k)", |b| {
        b.iter(|| v.resolve_uid(black_box(&many)).len());
    });
    let expunged: Vec<u32> = v.uids().step_by(100).collect();
    assert_eq!(expunged.len(), 1000);
    for qresync in [false, true] {
        let base = view(qresync);
        let name = if qresync {
            "view/take_updates 1000 expunges as VANISHED (100k)"
        } else {
            "view/take_updates 1000 expunges as EXPUNGE (100k)"
        };
        c.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let mut v = base.clone();
                    v.expunge(&expunged);
                    v
                },
                |mut v| v.take_updates(true),
                BatchSize::LargeInput,
            );
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
