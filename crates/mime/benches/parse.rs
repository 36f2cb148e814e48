//! Side-by-side parse throughput on one mixed corpus: mailwire-mime
//! (structure only, and full: structure + every part decoded + header
//! fields decoded and typed), mail-parser 0.11 (its full parse, with MIME,
//! address, date and message-id headers) and mailparse 0.18 (parse_mail plus
//! every body decoded and every header value decoded).
//!
//! `cargo bench -p mailwire-mime --bench parse -- --warm-up-time 1 --measurement-time 3`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_mime::builder::{MessageBuilder, PartBuilder};
use mailwire_mime::{Message, Part, PartKind};
use mailwire_rfc5322::address::AddressList;
use mailwire_rfc5322::datetime::DateTime;

/// The golden corpus plus generated messages of realistic shapes: plain
/// replies, newsletters (text + HTML, QP), messages with base64
/// attachments, forwarded messages, in LF and CRLF forms.
fn corpus() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names {
        if p.extension().is_some_and(|e| e == "eml") {
            out.push(std::fs::read(p).unwrap());
        }
    }
    let para = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Grüße, café, naïve.\n";
    let html = "<p>Lorem ipsum <b>dolor</b> sit amet, consectetur adipiscing elit, sed do eiusmod tempor, café.</p>\n";
    for i in 0..24u32 {
        let text = para.repeat(3 + (i as usize % 7) * 4);
        let mut b = MessageBuilder::new()
            .from(Some("Alice Lidén"), "alice@example.org")
            .unwrap()
            .to(Some("Bob"), "bob@example.net")
            .unwrap()
            .cc(None, "team@example.net")
            .unwrap()
            .subject(&format!("Re: quarterly figures #{i} — résumé"))
            .message_id(&format!("m{i}@example.org"))
            .unwrap()
            .header("X-Mailer", "bench")
            .text(&text);
        if i % 2 == 0 {
            b = b.html(&html.repeat(10 + i as usize * 3));
        }
        if i % 3 == 0 {
            let data: Vec<u8> = (0..(20_000 + i * 4_000))
                .map(|k| (k.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect();
            b = b.attachment(PartBuilder::attachment(
                "application/pdf",
                &format!("report-{i}.pdf"),
                data,
            ));
        }
        if i % 5 == 0 {
            b = b.attachment(PartBuilder::message(
                MessageBuilder::new()
                    .subject("forwarded")
                    .text(&para.repeat(5))
                    .html(&html.repeat(5)),
            ));
        }
        let bytes = b.build().unwrap();
        if i % 4 == 1 {
            // Some stored with LF line endings, as in a Maildir.
            out.push(bytes.iter().copied().filter(|&c| c != b'\r').collect());
        } else {
            out.push(bytes);
        }
    }
    out
}

fn header_work(p: Part<'_>) -> usize {
    let mut n = 0;
    for f in p.headers() {
        n += f.text().len();
        let name = f.name();
        if ["from", "to", "cc", "bcc", "reply-to", "sender"]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h))
        {
            n += AddressList::parse(f.raw_value()).value.addresses.len();
        } else if name.eq_ignore_ascii_case("date") {
            n += usize::from(DateTime::parse(f.raw_value()).is_ok());
        } else if name.eq_ignore_ascii_case("message-id") {
            n += usize::from(
                mailwire_rfc5322::msgid::parse_msg_id(f.raw_value())
                    .value
                    .is_some(),
            );
        }
    }
    n
}

fn mailwire_full(raw: &[u8]) -> usize {
    let msg = Message::parse(raw).unwrap();
    let mut n = 0;
    for p in msg.parts() {
        let is_message_root = p.parent().is_none_or(|q| q.kind() == PartKind::Message);
        if is_message_root {
            n += header_work(p);
        }
        if p.kind() == PartKind::Leaf {
            let ct = p.content_type();
            n += p.filename().map_or(0, |f| f.len());
            if ct.main_type() == "text" {
                n += p.text().text.len();
            } else {
                n += p.decoded().bytes.len();
            }
        }
    }
    n
}

fn mail_parser_full(raw: &[u8]) -> usize {
    let parser = mail_parser::MessageParser::new()
        .with_mime_headers()
        .with_date_headers()
        .with_address_headers()
        .with_message_ids();
    parser
        .parse(raw)
        .map_or(0, |m| m.parts.len() + m.subject().map_or(0, str::len))
}

fn mailparse_full(raw: &[u8]) -> usize {
    fn walk(p: &mailparse::ParsedMail<'_>) -> usize {
        let mut n = 0;
        for h in &p.headers {
            n += h.get_value().len();
        }
        if p.subparts.is_empty() {
            if p.ctype.mimetype.starts_with("text/") {
                n += p.get_body().map_or(0, |b| b.len());
            } else {
                n += p.get_body_raw().map_or(0, |b| b.len());
            }
        }
        n + p.subparts.iter().map(walk).sum::<usize>()
    }
    mailparse::parse_mail(raw).map_or(0, |m| walk(&m))
}

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let total: usize = corpus.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("mime_corpus");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("mailwire_structure", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|m| Message::parse(black_box(m)).unwrap().part_count())
                .sum::<usize>()
        });
    });
    g.bench_function("mailwire_full", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|m| mailwire_full(black_box(m)))
                .sum::<usize>()
        });
    });
    g.bench_function("mail_parser_full", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|m| mail_parser_full(black_box(m)))
                .sum::<usize>()
        });
    });
    g.bench_function("mailparse_full", |b| {
        b.iter(|| {
            corpus
                .iter()
                .map(|m| mailparse_full(black_box(m)))
                .sum::<usize>()
        });
    });
    g.finish();
    eprintln!("corpus: {} messages, {} bytes", corpus.len(), total);
}

criterion_group!(benches, bench);
criterion_main!(benches);
