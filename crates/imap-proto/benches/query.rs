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

use base64::Engine as _;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::query::search::{Context, Query};
use mailwire_imap_proto::query::sort::sort;
use mailwire_imap_proto::query::thread::thread;
use mailwire_imap_proto::search::{ThreadAlgorithm, search_keys, sort_criteria};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> usize {
        (self.next() % n) as usize
    }
}

const WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by",
    "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an",
    "had", "they", "you", "were", "their", "one", "all", "we", "can", "her", "has", "there",
    "been", "if", "more", "when", "will", "would", "who", "so", "no", "meeting", "report",
    "project", "deadline", "server", "mailbox", "message", "thanks", "regards", "please",
    "attached", "schedule", "budget", "review", "release", "customer", "invoice", "needs", "idle",
    "handle", "candle", "noodle", "needed", "eel", "lenient", "Müller", "Straße", "café", "naïve",
    "déjà",
];

fn text(rng: &mut Rng, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 80);
    let mut line = 0;
    while s.len() < bytes {
        let w = WORDS[rng.below(WORDS.len() as u64)];
        s.push_str(w);
        line += w.len() + 1;
        if line > 70 {
            s.push_str("\r\n");
            line = 0;
        } else {
            s.push(' ');
        }
    }
    s.push_str("\r\n");
    s
}

fn qp_latin1(s: &str) -> String {
    let mut out = String::new();
    let mut col = 0;
    for c in s.chars() {
        let enc = match c {
            '\r' => continue,
            '\n' => {
                out.push_str("\r\n");
                col = 0;
                continue;
            }
            c if (c as u32) < 0x80 && c != '=' => c.to_string(),
            c => format!("={:02X}", (c as u32).min(0xff)),
        };
        if col + enc.len() > 73 {
            out.push_str("=\r\n");
            col = 0;
        }
        col += enc.len();
        out.push_str(&enc);
    }
    out
}

fn b64_lines(data: &[u8]) -> String {
    let e = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = String::with_capacity(e.len() + e.len() / 38);
    for chunk in e.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(chunk).unwrap());
        out.push_str("\r\n");
    }
    out
}

fn corpus() -> Vec<Vec<u8>> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..1000)
        .map(|i| {
            let subject = format!(
                "{}{} {}",
                ["", "Re: ", "Fwd: ", "Re: [list] "][rng.below(4)],
                WORDS[rng.below(WORDS.len() as u64)],
                WORDS[rng.below(WORDS.len() as u64)]
            );
            let mut m = format!(
                "Return-Path: <user{i}@example.com>\r\nReceived: from mx.example.com (mx.example.com [192.0.2.1])\r\n\tby mail.example.org with ESMTPS id {i:08x}\r\n\tfor <me@example.org>; Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <{i}@example.com>\r\nIn-Reply-To: <{}@example.com>\r\nDate: {} Jan 2024 {:02}:00:00 +0100\r\nFrom: =?UTF-8?Q?J=C3=B6rg_{i}?= <user{i}@example.com>\r\nTo: Me <me@example.org>\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n",
                i / 3,
                1 + i % 28,
                i % 24
            );
            let body_len = [800, 2_000, 4_000, 12_000, 40_000][rng.below(5)];
            match i % 10 {
                0..=3 => {
                    m.push_str("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
                    m.push_str(&text(&mut rng, body_len));
                }
                4..=6 => {
                    let t = text(&mut rng, body_len);
                    m.push_str("Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
                    m.push_str(&qp_latin1(&t));
                    m.push_str("\r\n--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>");
                    m.push_str(&t.replace("\r\n", "</p>\r\n<p>"));
                    m.push_str("</p></body></html>\r\n--b1--\r\n");
                }
                7 => {
                    m.push_str("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
                    m.push_str(&b64_lines(text(&mut rng, body_len).as_bytes()));
                }
                _ => {
                    let att: Vec<u8> = (0..body_len * 2).map(|_| rng.next() as u8).collect();
                    m.push_str("Content-Type: multipart/mixed; boundary=\"b2\"\r\n\r\n--b2\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
                    m.push_str(&text(&mut rng, 600));
                    m.push_str("\r\n--b2\r\nContent-Type: application/pdf; name=\"doc.pdf\"\r\nContent-Disposition: attachment; filename=\"doc.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
                    m.push_str(&b64_lines(&att));
                    m.push_str("--b2--\r\n");
                }
            }
            m.into_bytes()
        })
        .collect()
}

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
