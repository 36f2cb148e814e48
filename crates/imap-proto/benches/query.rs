//! SEARCH / SORT / THREAD over 1,000 generated messages of mixed shapes:
//! plain text, multipart/alternative with quoted-printable ISO-8859-1 and
//! HTML, base64 text parts, and base64 binary attachments.
//!
//! Run: `cargo bench -p mailwire-imap-proto --bench query -- --warm-up-time 1 --measurement-time 3`
//!
//! Throughput is over every byte of every message (attachments included,
//! although SEARCH TEXT skips binary attachments).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::query::search::{Context, Query};
use mailwire_imap_proto::query::sort::sort;
use mailwire_imap_proto::query::thread::thread;
use mailwire_imap_proto::search::{ThreadAlgorithm, search_keys, sort_criteria};

#[path = "../tests/query_corpus/mod.rs"]
mod query_corpus;
use query_corpus::corpus;

fn bench(c: &mut Criterion) {
    let raws = corpus();
    let total: u64 = raws.iter().map(|r| r.len() as u64).sum();
    let parsed: Vec<mailwire_mime::Message<'_>> = raws
        .iter()
        .map(|r| mailwire_mime::Message::parse(r).unwrap())
        .collect();
    let (internal_date, _) = DateTime::parse(b"\"17-Jul-2024 02:44:25 -0700\"").unwrap();
    let seen = [Flag::Seen];
    let flagged = [Flag::Seen, Flag::Flagged];
    let msgs: Vec<StoredMessage<'_>> = raws
        .iter()
        .zip(&parsed)
        .enumerate()
        .map(|(i, (raw, parsed))| StoredMessage {
            raw,
            parsed,
            meta: MessageMeta {
                seq: i as u32 + 1,
                uid: i as u32 + 1000,
                flags: match i % 7 {
                    0 => &[],
                    1 => &flagged,
                    _ => &seen,
                },
                recent: false,
                internal_date,
                modseq: i as u64,
            },
        })
        .collect();
    let ctx = Context::new(msgs.len() as u32, 1999);
    let query = |s: &str| {
        let line = format!("{s}\r\n");
        let (_, k) = search_keys(line.as_bytes()).unwrap();
        Query::new(&k, None).unwrap()
    };

    let mut g = c.benchmark_group("query");
    g.throughput(Throughput::Bytes(total));
    let text = query("TEXT \"needle\"");
    eprintln!(
        "corpus: {} messages, {} bytes; TEXT needle matches {}",
        msgs.len(),
        total,
        text.evaluate(msgs.iter().copied(), &ctx).hits.len()
    );
    g.bench_function("search_text_needle", |b| {
        b.iter(|| black_box(text.evaluate(msgs.iter().copied(), &ctx)));
    });
    let body = query("BODY \"straße\"");
    g.bench_function("search_body_non_ascii", |b| {
        b.iter(|| black_box(body.evaluate(msgs.iter().copied(), &ctx)));
    });
    g.bench_function("parse_and_search_text_needle", |b| {
        b.iter(|| {
            let mut n = 0;
            for (i, raw) in raws.iter().enumerate() {
                let parsed = mailwire_mime::Message::parse(raw).unwrap();
                let m = StoredMessage {
                    raw,
                    parsed: &parsed,
                    meta: msgs[i].meta,
                };
                n += usize::from(text.matches(&m, &ctx));
            }
            black_box(n)
        });
    });
    g.throughput(Throughput::Elements(msgs.len() as u64));
    let flags = query("UNSEEN OR FLAGGED UID 1000:1500");
    g.bench_function("search_flags", |b| {
        b.iter(|| black_box(flags.evaluate(msgs.iter().copied(), &ctx)));
    });
    let (_, crit) = sort_criteria(b"(SUBJECT DATE)").unwrap();
    g.bench_function("sort_subject_date", |b| {
        b.iter(|| black_box(sort(&crit, msgs.iter().copied(), false)));
    });
    g.bench_function("thread_references", |b| {
        b.iter(|| {
            black_box(thread(&ThreadAlgorithm::References, msgs.iter().copied(), false).unwrap())
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
