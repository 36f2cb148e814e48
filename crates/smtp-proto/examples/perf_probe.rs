//! Callgrind probe for the side-by-side benches: runs one workload N times.
//!
//! Instructions per iteration are the difference between two runs divided
//! by the difference in N (start-up cost cancels out):
//!
//! ```text
//! cargo build --release -p mailwire-smtp-proto --example perf_probe
//! for n in 100 1100; do
//!   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.$n \
//!     target/release/examples/perf_probe commands-ours $n 2>&1 | grep refs
//! done
//! ```
//!
//! Workloads: `commands-{ours,stalwart}`, `ehlo-{ours,view,stalwart}`,
//! `data-{ours,zerocopy,stalwart}` (the same inputs as `benches/smtp.rs`),
//! `server-data-{feed,bytes}` (the server machine: EHLO/MAIL/RCPT/DATA,
//! then the 1 MiB body in 64 KiB reads through `feed` / `feed_bytes`).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use bytes::{Bytes, BytesMut};
use mailwire_smtp_proto::data::{BareLineEndings, DataDecoder};
use mailwire_smtp_proto::{Command, EhloReply, EhloView};

#[path = "../benches/inputs/mod.rs"]
mod inputs;

use inputs::{COMMANDS, EHLO, message};

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let msg = Bytes::from(message(1 << 20));
    let mut out = BytesMut::with_capacity(msg.len());
    let mut vout = Vec::with_capacity(msg.len());
    let mut chunks: Vec<Bytes> = Vec::with_capacity(1024);
    for _ in 0..n {
        match what.as_str() {
            "commands-ours" => {
                for cmd in COMMANDS {
                    black_box(Command::parse(black_box(cmd)).unwrap());
                }
            }
            "commands-stalwart" => {
                for cmd in COMMANDS {
                    black_box(
                        peer_smtp_proto::Request::parse(&mut black_box(*cmd).iter()).unwrap(),
                    );
                }
            }
            "ehlo-ours" => {
                black_box(EhloReply::parse(black_box(EHLO)).unwrap().0.unwrap());
            }
            "ehlo-view" => {
                black_box(EhloView::parse(black_box(EHLO)).unwrap().0.unwrap());
            }
            "ehlo-stalwart" => {
                black_box(
                    peer_smtp_proto::EhloResponse::<String>::parse(&mut black_box(EHLO).iter())
                        .unwrap(),
                );
            }
            "data-ours" => {
                out.clear();
                let mut d = DataDecoder::new(BareLineEndings::Reject, u64::MAX, None);
                let (used, done) = d.decode(black_box(&msg), &mut out);
                assert!(done && used == msg.len());
                black_box(&out);
            }
            "data-zerocopy" => {
                chunks.clear();
                let mut d = DataDecoder::new(BareLineEndings::Reject, u64::MAX, None);
                let (used, done) = d.decode_bytes(black_box(&msg), &mut chunks);
                assert!(done && used == msg.len());
                black_box(&chunks);
            }
            "data-linelimit" => {
                out.clear();
                let mut d = DataDecoder::new(BareLineEndings::Reject, u64::MAX, Some(1000));
                let (used, done) = d.decode(black_box(&msg), &mut out);
                assert!(done && used == msg.len());
                black_box(&out);
            }
            "data-stalwart" => {
                vout.clear();
                let mut d = peer_smtp_proto::request::receiver::DataReceiver::new();
                assert!(d.ingest(&mut black_box(&msg[..]).iter(), &mut vout));
                black_box(&vout);
            }
            "server-data-bytes" | "server-data-feed" => {
                use mailwire_smtp_proto::server::{Config, Event, Server};
                let mut cfg = Config::new("mx.example");
                cfg.limits.message_size = 64 << 20;
                let mut s = Server::new(cfg);
                let mut total = 0usize;
                let drive = |s: &mut Server, total: &mut usize| {
                    while let Some(ev) = s.poll_event() {
                        match ev {
                            Event::MessageChunk(b) => *total += b.len(),
                            Event::Connect
                            | Event::Helo { .. }
                            | Event::MailFrom { .. }
                            | Event::RcptTo { .. }
                            | Event::MessageEnd { .. } => s.accept().unwrap(),
                            _ => {}
                        }
                    }
                    while let Some(t) = s.poll_transmit() {
                        black_box(t);
                    }
                };
                drive(&mut s, &mut total);
                s.feed(b"EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n");
                drive(&mut s, &mut total);
                let mut pos = 0;
                while pos < msg.len() {
                    let end = (pos + 65536).min(msg.len());
                    if what == "server-data-bytes" {
                        s.feed_bytes(msg.slice(pos..end));
                    } else {
                        s.feed(&msg[pos..end]);
                    }
                    drive(&mut s, &mut total);
                    pos = end;
                }
                black_box(total);
            }
            w if w.starts_with("command-") => {
                let i: usize = w["command-".len()..].parse().unwrap();
                black_box(Command::parse(black_box(COMMANDS[i])).unwrap());
            }
            w if w.starts_with("stalwart-") => {
                let i: usize = w["stalwart-".len()..].parse().unwrap();
                black_box(
                    peer_smtp_proto::Request::parse(&mut black_box(COMMANDS[i]).iter()).unwrap(),
                );
            }
            _ => panic!("unknown workload {what:?}"),
        }
        chunks.clear();
    }
}
