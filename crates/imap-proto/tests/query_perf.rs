//! A fixed-work timing of SEARCH TEXT over the bench corpus, for runs under
//! `perf stat` on a loaded machine (criterion's wall-clock numbers are
//! noisy there). Ignored by default:
//! `cargo test --release -p mailwire-imap-proto --test query_perf -- --ignored --nocapture`
#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

mod query_corpus;

use std::time::Instant;

use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::query::search::{Context, Query};
use mailwire_imap_proto::search::search_keys;

#[test]
#[ignore = "timing only"]
fn search_text_timing() {
    let raws = query_corpus::corpus();
    let total: usize = raws.iter().map(Vec::len).sum();
    let parsed: Vec<_> = raws
        .iter()
        .map(|r| mailwire_mime::Message::parse(r).unwrap())
        .collect();
    let (internal_date, _) = DateTime::parse(b"\"17-Jul-2024 02:44:25 -0700\"").unwrap();
    let msgs: Vec<StoredMessage<'_>> = raws
        .iter()
        .zip(&parsed)
        .enumerate()
        .map(|(i, (raw, parsed))| StoredMessage {
            raw,
            parsed,
            meta: MessageMeta {
                seq: i as u32 + 1,
                uid: i as u32 + 1,
                flags: &[],
                recent: false,
                internal_date,
                modseq: 0,
            },
        })
        .collect();
    let ctx = Context::new(1000, 1000);
    for keys in [&b"TEXT needle\r\n"[..], "BODY \"straße\"\r\n".as_bytes()] {
        let (_, k) = search_keys(keys).unwrap();
        let q = Query::new(&k, None).unwrap();
        let mut best = f64::MAX;
        for _ in 0..20 {
            let t = Instant::now();
            let r = q.evaluate(msgs.iter().copied(), &ctx);
            std::hint::black_box(r);
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "{}: best {:.2} ms, {:.0} MB/s over {total} bytes",
            String::from_utf8_lossy(keys).trim(),
            best * 1e3,
            total as f64 / best / 1e6
        );
    }
}
