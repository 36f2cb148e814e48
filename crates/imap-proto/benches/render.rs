//! FETCH rendering: `FETCH 1:1000 (FLAGS ENVELOPE BODYSTRUCTURE)` over a
//! varied corpus of 1,000 generated messages (plain text, multipart/
//! alternative, attachments, nested message/rfc822), written with
//! `render::write_fetch` into one `Encoder`, the way a server answers.
//!
//! Two cases: `preparsed` (the server caches each message's MIME parse, as
//! Dovecot caches BODYSTRUCTURE inputs) and `with_parse` (every message is
//! parsed with `mailwire_mime::Message::parse` inside the timed loop).
//!
//! Run: `cargo bench -p mailwire-imap-proto --bench render -- --warm-up-time 1 --measurement-time 3`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_imap_proto::datetime::DateTime;
use mailwire_imap_proto::fetch::FetchAttribute;
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
use mailwire_imap_proto::primitive::Encoder;
use mailwire_imap_proto::render::{RenderOptions, write_fetch};

const N: usize = 1000;

fn header(i: usize, extra: &str) -> String {
    format!(
        "Return-Path: <list-bounces+{i}@lists.example.org>\r\n\
         Received: from mx.example.org (mx.example.org [192.0.2.{r}]) by imap.example.net with ESMTPS id {i:08x}; Mon, 6 May 2024 10:{m:02}:00 +0000\r\n\
         Date: Mon, 6 May 2024 10:{m:02}:{s:02} +0200\r\n\
         From: \"Sender Number {i}\" <sender{i}@example.org>\r\n\
         To: Alice Example <alice@example.net>, bob@example.net\r\n\
         Cc: Team:carol@example.com, \"Dave, D.\" <dave@example.com>;\r\n\
         Subject: =?UTF-8?Q?Status_report_n=C2=B0{i}?= about the quarterly numbers\r\n\
         Message-ID: <{i}.{r}@mail.example.org>\r\n\
         In-Reply-To: <{p}.{r}@mail.example.org>\r\n\
         MIME-Version: 1.0\r\n{extra}",
        r = i % 250,
        m = i % 60,
        s = (i * 7) % 60,
        p = i.saturating_sub(1),
    )
}

fn para(i: usize, lines: usize) -> String {
    (0..lines)
        .map(|l| {
            format!("Line {l} of message {i}: the quick brown fox jumps over the lazy dog.\r\n")
        })
        .collect()
}

fn message(i: usize) -> Vec<u8> {
    let m = match i % 4 {
        0 => format!(
            "{}\r\n{}",
            header(
                i,
                "Content-Type: text/plain; charset=utf-8; format=flowed\r\n"
            ),
            para(i, 20)
        ),
        1 => format!(
            "{}\r\nThis is a multi-part message in MIME format.\r\n--alt{i}\r\n\
             Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{}\
             --alt{i}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>{}</body></html>\r\n--alt{i}--\r\n",
            header(
                i,
                &format!("Content-Type: multipart/alternative; boundary=\"alt{i}\"\r\n")
            ),
            para(i, 10),
            para(i, 10)
        ),
        2 => format!(
            "{}\r\n--mix{i}\r\nContent-Type: multipart/alternative; boundary=\"alt{i}\"\r\n\r\n--alt{i}\r\n\
             Content-Type: text/plain; charset=us-ascii\r\n\r\n{}--alt{i}\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<p>{}</p>\r\n--alt{i}--\r\n\
             --mix{i}\r\nContent-Type: application/pdf; name=\"report-{i}.pdf\"\r\nContent-Disposition: attachment; filename=\"report-{i}.pdf\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}--mix{i}\r\nContent-Type: image/png; name=\"chart.png\"\r\nContent-ID: <chart{i}@example.org>\r\n\
             Content-Disposition: inline; filename=\"chart.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}--mix{i}--\r\n",
            header(
                i,
                &format!("Content-Type: multipart/mixed; boundary=\"mix{i}\"\r\n")
            ),
            para(i, 8),
            para(i, 8),
            "JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PC9MZW5ndGggMiAwIFIvRmlsdGVyIC9GbGF0ZURlY29kZT4+\r\n"
                .repeat(40),
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAA\r\n"
                .repeat(10),
        ),
        _ => format!(
            "{}\r\n--fwd{i}\r\nContent-Type: text/plain\r\n\r\nForwarded message below.\r\n--fwd{i}\r\n\
             Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n{}\r\n--in{i}\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n{}\
             --in{i}\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<div>{}</div>\r\n--in{i}--\r\n--fwd{i}--\r\n",
            header(
                i,
                &format!("Content-Type: multipart/mixed; boundary=\"fwd{i}\"\r\n")
            ),
            header(
                i + 1,
                &format!("Content-Type: multipart/alternative; boundary=\"in{i}\"\r\n")
            ),
            para(i, 6),
            para(i, 6),
        ),
    };
    m.into_bytes()
}

fn bench(c: &mut Criterion) {
    let raws: Vec<Vec<u8>> = (0..N).map(message).collect();
    let parsed: Vec<mailwire_mime::Message<'_>> = raws
        .iter()
        .map(|r| mailwire_mime::Message::parse(r).unwrap())
        .collect();
    let (date, _) = DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
    let flags = [Flag::Seen, Flag::Answered];
    let attrs = [
        FetchAttribute::Flags,
        FetchAttribute::Envelope,
        FetchAttribute::BodyStructure,
    ];
    let opts = RenderOptions::default();
    let meta = |i: usize| MessageMeta {
        seq: i as u32 + 1,
        uid: i as u32 + 1,
        flags: &flags,
        recent: false,
        internal_date: date,
        modseq: 1,
    };
    let mut g = c.benchmark_group("render");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("fetch_1000_flags_envelope_bodystructure/preparsed", |b| {
        b.iter(|| {
            let mut enc = Encoder::default();
            for (i, (raw, p)) in raws.iter().zip(&parsed).enumerate() {
                let msg = StoredMessage {
                    raw,
                    parsed: p,
                    meta: meta(i),
                };
                write_fetch(&mut enc, &msg, &attrs, &opts).unwrap();
            }
            black_box(enc.as_bytes().len());
        });
    });
    g.bench_function("fetch_1000_flags_envelope_bodystructure/with_parse", |b| {
        b.iter(|| {
            let mut enc = Encoder::default();
            for (i, raw) in raws.iter().enumerate() {
                let p = mailwire_mime::Message::parse(raw).unwrap();
                let msg = StoredMessage {
                    raw,
                    parsed: &p,
                    meta: meta(i),
                };
                write_fetch(&mut enc, &msg, &attrs, &opts).unwrap();
            }
            black_box(enc.as_bytes().len());
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
