//! Header parsing throughput, side by side with `mail-parser` and
//! `mailparse` on the same bytes (the golden corpus in CRLF form, repeated).
//!
//! Run: `cargo bench -p mailwire-rfc5322 --bench headers -- --warm-up-time 1 --measurement-time 3`
//!
//! Two groups, because the crates do different amounts of work:
//! - `split`: find the fields (name and raw value of each).
//! - `typed`: also parse the registered fields the way `mail-parser`'s
//!   default parser does — address lists, dates, msg-ids, Received, and
//!   RFC 2047-decoded unstructured text (Subject, Comments, …); other
//!   fields (`X-*`) stay raw, as in `mail-parser`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_rfc5322::Message;

const CORPUS: &[&[u8]] = &[
    include_bytes!("../tests/golden/01_simple.eml"),
    include_bytes!("../tests/golden/02_encoded_words.eml"),
    include_bytes!("../tests/golden/03_obsolete.eml"),
    include_bytes!("../tests/golden/04_comments_groups.eml"),
    include_bytes!("../tests/golden/05_utf8_headers.eml"),
    include_bytes!("../tests/golden/06_trace.eml"),
    include_bytes!("../tests/golden/07_references.eml"),
    include_bytes!("../tests/golden/08_malformed.eml"),
    include_bytes!("../tests/golden/09_mbox_from.eml"),
    include_bytes!("../tests/golden/10_no_body.eml"),
    include_bytes!("../tests/golden/11_dates.eml"),
    include_bytes!("../tests/golden/12_mime.eml"),
    include_bytes!("../tests/golden/13_realistic.eml"),
    include_bytes!("../tests/golden/14_real_oddities.eml"),
];

fn corpus() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for _ in 0..10 {
        for m in CORPUS {
            let mut v = Vec::with_capacity(m.len() + 64);
            for (i, &b) in m.iter().enumerate() {
                if b == b'\n' && (i == 0 || m[i - 1] != b'\r') {
                    v.push(b'\r');
                }
                v.push(b);
            }
            out.push(v);
        }
    }
    out
}

/// Bytes of the header sections (what every parser reads).
fn header_bytes(c: &[Vec<u8>]) -> u64 {
    c.iter()
        .map(|m| Message::parse(m).map_or(0, |p| p.body_offset() as u64))
        .sum()
}

fn is_address(name: &str) -> bool {
    [
        "from",
        "to",
        "cc",
        "bcc",
        "reply-to",
        "sender",
        "resent-from",
        "resent-to",
    ]
    .iter()
    .any(|n| name.eq_ignore_ascii_case(n))
}

fn is_msgid(name: &str) -> bool {
    ["message-id", "in-reply-to", "references"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

fn is_date(name: &str) -> bool {
    name.eq_ignore_ascii_case("date") || name.eq_ignore_ascii_case("resent-date")
}

fn is_unstructured(name: &str) -> bool {
    ["subject", "comments", "content-description", "keywords"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
}

fn split(c: &mut Criterion) {
    let corpus = corpus();
    let mut g = c.benchmark_group("split");
    g.throughput(Throughput::Bytes(header_bytes(&corpus)));
    g.bench_function("mailwire", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for m in &corpus {
                let msg = Message::parse(black_box(m)).unwrap();
                for f in msg.headers() {
                    n += f.name().len() + f.value().len();
                }
            }
            n
        });
    });
    g.bench_function("mailparse", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for m in &corpus {
                let (headers, _) = mailparse::parse_headers(black_box(m)).unwrap();
                for h in &headers {
                    n += h.get_key_ref().len() + h.get_value_raw().len();
                }
            }
            n
        });
    });
    g.finish();
}

fn typed(c: &mut Criterion) {
    let corpus = corpus();
    let mut g = c.benchmark_group("typed");
    g.throughput(Throughput::Bytes(header_bytes(&corpus)));
    g.bench_function("mailwire", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for m in &corpus {
                let msg = Message::parse(black_box(m)).unwrap();
                for f in msg.headers() {
                    let name = f.name();
                    n += if is_address(name) {
                        f.addresses().value.addresses.len()
                    } else if is_date(name) {
                        f.date().map_or(0, |d| d.value.day as usize)
                    } else if is_msgid(name) {
                        f.msg_ids().value.len()
                    } else if name.eq_ignore_ascii_case("received") {
                        mailwire_rfc5322::received::Received::parse(f.value())
                            .value
                            .tokens
                            .len()
                    } else if is_unstructured(name) {
                        f.decoded().len()
                    } else {
                        f.value().len()
                    };
                }
            }
            n
        });
    });
    g.bench_function("mail-parser", |b| {
        let parser = mail_parser::MessageParser::new();
        b.iter(|| {
            let mut n = 0usize;
            for m in &corpus {
                let msg = parser.parse_headers(black_box(m.as_slice())).unwrap();
                n += msg.headers().len();
            }
            n
        });
    });
    g.bench_function("mailparse", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for m in &corpus {
                let (headers, _) = mailparse::parse_headers(black_box(m)).unwrap();
                for h in &headers {
                    let name = h.get_key_ref();
                    n += if is_address(&name) {
                        mailparse::addrparse_header(h).map_or(0, |l| l.len())
                    } else if is_date(&name) {
                        mailparse::dateparse(&h.get_value()).map_or(0, |d| d as usize & 1)
                    } else if is_unstructured(&name) {
                        h.get_value().len()
                    } else {
                        h.get_value_raw().len()
                    };
                }
            }
            n
        });
    });
    g.finish();
}

criterion_group!(benches, split, typed);
criterion_main!(benches);
