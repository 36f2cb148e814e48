//! Side-by-side benches: mailwire-smtp-proto vs Stalwart's smtp-proto 0.2
//! (`peer_smtp_proto`) on the same inputs.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use bytes::BytesMut;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use mailwire_smtp_proto::data::{BareLineEndings, DataDecoder};
use mailwire_smtp_proto::{Command, EhloReply, EhloView, Reply};

mod inputs;

use inputs::{COMMANDS, EHLO, message};

fn commands(c: &mut Criterion) {
    let total: usize = COMMANDS.iter().map(|c| c.len()).sum();
    let mut g = c.benchmark_group("command_parse");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("mailwire", |b| {
        b.iter(|| {
            for cmd in COMMANDS {
                black_box(Command::parse(black_box(cmd)).unwrap());
            }
        });
    });
    g.bench_function("stalwart", |b| {
        b.iter(|| {
            for cmd in COMMANDS {
                black_box(peer_smtp_proto::Request::parse(&mut black_box(*cmd).iter()).unwrap());
            }
        });
    });
    // The same, with each result inspected where it was returned instead
    // of moved out of its `Result` (as a caller matching on it does): no
    // copy of the command between the parser's stores and the reads.
    g.bench_function("mailwire_in_place", |b| {
        b.iter(|| {
            for cmd in COMMANDS {
                let r = Command::parse(black_box(cmd));
                assert!(r.is_ok());
                black_box(&r);
            }
        });
    });
    g.bench_function("stalwart_in_place", |b| {
        b.iter(|| {
            for cmd in COMMANDS {
                let r = peer_smtp_proto::Request::parse(&mut black_box(*cmd).iter());
                assert!(r.is_ok());
                black_box(&r);
            }
        });
    });
    g.finish();
}

fn ehlo(c: &mut Criterion) {
    let mut g = c.benchmark_group("ehlo_reply_parse");
    g.throughput(Throughput::Bytes(EHLO.len() as u64));
    g.bench_function("mailwire", |b| {
        b.iter(|| {
            let (r, _) = Reply::parse(black_box(EHLO)).unwrap();
            black_box(EhloReply::from_reply(&r).unwrap());
        });
    });
    g.bench_function("mailwire_direct", |b| {
        b.iter(|| {
            black_box(EhloReply::parse(black_box(EHLO)).unwrap().0.unwrap());
        });
    });
    g.bench_function("mailwire_view", |b| {
        b.iter(|| {
            black_box(EhloView::parse(black_box(EHLO)).unwrap().0.unwrap());
        });
    });
    g.bench_function("stalwart", |b| {
        b.iter(|| {
            black_box(
                peer_smtp_proto::EhloResponse::<String>::parse(&mut black_box(EHLO).iter())
                    .unwrap(),
            );
        });
    });
    g.finish();
}

fn data(c: &mut Criterion) {
    let msg = message(1 << 20);
    let mut g = c.benchmark_group("data_receive_1MiB");
    g.throughput(Throughput::Bytes(msg.len() as u64));
    g.bench_function("mailwire", |b| {
        let mut out = BytesMut::with_capacity(msg.len());
        b.iter(|| {
            out.clear();
            let mut d = DataDecoder::new(BareLineEndings::Reject, u64::MAX, None);
            let (n, done) = d.decode(black_box(&msg), &mut out);
            assert!(done && n == msg.len());
            black_box(&out);
        });
    });
    let src = bytes::Bytes::from(msg.clone());
    g.bench_function("mailwire_zero_copy", |b| {
        let mut chunks = Vec::with_capacity(1024);
        b.iter(|| {
            chunks.clear();
            let mut d = DataDecoder::new(BareLineEndings::Reject, u64::MAX, None);
            let (n, done) = d.decode_bytes(black_box(&src), &mut chunks);
            assert!(done && n == src.len());
            black_box(&chunks);
        });
    });
    g.bench_function("stalwart", |b| {
        let mut out = Vec::with_capacity(msg.len());
        b.iter(|| {
            out.clear();
            let mut d = peer_smtp_proto::request::receiver::DataReceiver::new();
            assert!(d.ingest(&mut black_box(&msg).iter(), &mut out));
            black_box(&out);
        });
    });
    g.finish();
}

/// The server machine: EHLO/MAIL/RCPT/DATA (set up outside the timed
/// part), then a 1 MiB body fed in 64 KiB reads, events drained. Stalwart's row is its DATA
/// receiver alone on the same body bytes in the same reads.
fn server_data(c: &mut Criterion) {
    use mailwire_smtp_proto::server::{Config, Event, Server};
    const READ: usize = 64 * 1024;
    let msg = message(1 << 20);
    let expected = {
        let mut out = BytesMut::new();
        let mut d = DataDecoder::new(BareLineEndings::Reject, u64::MAX, None);
        d.decode(&msg, &mut out);
        out.len()
    };
    let mut g = c.benchmark_group("server_data_1mib");
    g.throughput(Throughput::Bytes(msg.len() as u64));
    let mut cfg = Config::new("mx.example");
    cfg.limits.message_size = 64 << 20;
    let drive = |s: &mut Server, body_len: &mut usize, ended: &mut bool| {
        while let Some(ev) = s.poll_event() {
            match ev {
                Event::MessageChunk(b) => *body_len += b.len(),
                Event::Connect
                | Event::Helo { .. }
                | Event::MailFrom { .. }
                | Event::RcptTo { .. } => {
                    s.accept().unwrap();
                }
                Event::MessageEnd { .. } => {
                    *ended = true;
                    s.accept().unwrap();
                }
                _ => {}
            }
        }
        while let Some(t) = s.poll_transmit() {
            black_box(t);
        }
    };
    let setup = |cfg: &Config| {
        let mut s = Server::new(cfg.clone());
        let (mut n, mut e) = (0, false);
        drive(&mut s, &mut n, &mut e);
        for line in [
            &b"EHLO client.example.org\r\n"[..],
            b"MAIL FROM:<a@example.org>\r\n",
            b"RCPT TO:<b@example.net>\r\n",
            b"DATA\r\n",
        ] {
            s.feed(line);
            drive(&mut s, &mut n, &mut e);
        }
        s
    };
    g.bench_function("mailwire_feed", |b| {
        b.iter_batched(
            || setup(&cfg),
            |mut s| {
                let (mut n, mut ended) = (0, false);
                for read in msg.chunks(READ) {
                    s.feed(black_box(read));
                    drive(&mut s, &mut n, &mut ended);
                }
                assert!(ended && n == expected);
                s
            },
            BatchSize::SmallInput,
        );
    });
    // The reads as a tokio driver would hand them over (`freeze()`d).
    let reads: Vec<bytes::Bytes> = msg
        .chunks(READ)
        .map(bytes::Bytes::copy_from_slice)
        .collect();
    g.bench_function("mailwire_feed_bytes", |b| {
        b.iter_batched(
            || setup(&cfg),
            |mut s| {
                let (mut n, mut ended) = (0, false);
                for read in &reads {
                    s.feed_bytes(black_box(read.clone()));
                    drive(&mut s, &mut n, &mut ended);
                }
                assert!(ended && n == expected);
                s
            },
            BatchSize::SmallInput,
        );
    });
    g.bench_function("stalwart", |b| {
        let mut out = Vec::with_capacity(msg.len());
        b.iter(|| {
            out.clear();
            let mut d = peer_smtp_proto::request::receiver::DataReceiver::new();
            let mut done = false;
            for read in msg.chunks(READ) {
                done = d.ingest(&mut black_box(read).iter(), &mut out);
            }
            assert!(done);
            black_box(&out);
        });
    });
    g.finish();
}

/// Each command of [`COMMANDS`] alone (in place, as above): the branch
/// predictor learns one command at a time here, all ten in turn above.
fn each(c: &mut Criterion) {
    let mut g = c.benchmark_group("command_each");
    for (i, cmd) in COMMANDS.iter().enumerate() {
        g.bench_function(format!("{i}/ours"), |b| {
            b.iter(|| {
                let r = Command::parse(black_box(cmd));
                assert!(r.is_ok());
                black_box(&r);
            });
        });
        g.bench_function(format!("{i}/stalwart"), |b| {
            b.iter(|| {
                let r = peer_smtp_proto::Request::parse(&mut black_box(*cmd).iter());
                assert!(r.is_ok());
                black_box(&r);
            });
        });
    }
    g.finish();
}

/// The client side of DATA: a 1 MiB body (CRLF lines, every 50th starting
/// with ".") dot-stuffed and checked for bare CR/LF by `encode_body`, and
/// the same text with LF line ends normalized.
/// Stalwart's crate has no body encoder, so this one stands alone.
fn data_encode(c: &mut Criterion) {
    let body = message(1 << 20);
    let mut g = c.benchmark_group("data_encode_1MiB");
    g.throughput(Throughput::Bytes(body.len() as u64));
    let mut out = BytesMut::with_capacity(body.len() + body.len() / 32);
    g.bench_function("mailwire", |b| {
        b.iter(|| {
            out.clear();
            mailwire_smtp_proto::data::encode_body(
                black_box(&body),
                BareLineEndings::Reject,
                true,
                &mut out,
            )
            .unwrap();
            black_box(&out);
        });
    });
    // The same text with bare LF line ends, normalized to CRLF.
    let lf: Vec<u8> = body.iter().copied().filter(|&c| c != b'\r').collect();
    g.bench_function("mailwire_lf_normalized", |b| {
        b.iter(|| {
            out.clear();
            mailwire_smtp_proto::data::encode_body(
                black_box(&lf),
                BareLineEndings::Normalize,
                true,
                &mut out,
            )
            .unwrap();
            black_box(&out);
        });
    });
    g.finish();
}

criterion_group!(
    benches,
    commands,
    ehlo,
    data,
    server_data,
    each,
    data_encode
);
criterion_main!(benches);
