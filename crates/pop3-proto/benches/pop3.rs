//! RETR of a large message through the server and client machines, and
//! command parsing.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mailwire_pop3_proto::client::{self, Client, Event as CEvent, TlsPolicy};
use mailwire_pop3_proto::multiline::{Stuffer, Unstuffer};
use mailwire_pop3_proto::server::{self, Event, MessageInfo, Server};
use mailwire_pop3_proto::{Command, Secret};

const SIZE: usize = 10 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;

fn message() -> Vec<u8> {
    let mut m = b"Subject: big\r\n\r\n".to_vec();
    let mut i = 0u32;
    while m.len() < SIZE {
        if i.is_multiple_of(10) {
            m.extend_from_slice(b".");
        }
        m.extend_from_slice(
            format!("{i:08} lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do\r\n")
                .as_bytes(),
        );
        i += 1;
    }
    m.truncate(SIZE - 2);
    m.extend_from_slice(b"\r\n");
    m
}

/// A server and client in TRANSACTION state.
fn session(size: u64) -> (Server, Client) {
    let mut sc = server::Config::default();
    sc.insecure_allow_plaintext_auth = true;
    let mut server = Server::new(sc);
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    let mut client = Client::new(cc);
    client.login("u", Secret::from("p")).unwrap();
    for _ in 0..20 {
        while let Some(b) = server.poll_transmit() {
            client.feed(&b);
        }
        while let Some(b) = client.poll_transmit() {
            server.feed(&b);
        }
        while let Some(ev) = server.poll_event() {
            match ev {
                Event::VerifyPassword { .. } => server.accept_credentials().unwrap(),
                Event::OpenMaildrop { .. } => server
                    .open_maildrop(vec![MessageInfo {
                        size,
                        uid: "big".into(),
                    }])
                    .unwrap(),
                _ => {}
            }
        }
        while let Some(ev) = client.poll_event() {
            if matches!(ev, CEvent::Authenticated { .. }) {
                return (server, client);
            }
        }
    }
    panic!("no session");
}

fn retr(c: &mut Criterion) {
    let msg = message();
    let mut g = c.benchmark_group("retr_10MiB");
    g.throughput(Throughput::Bytes(msg.len() as u64));
    g.sample_size(10);

    g.bench_function("server+client", |b| {
        let (mut server, mut client) = session(msg.len() as u64);
        b.iter(|| {
            client.retr(1).unwrap();
            while let Some(bytes) = client.poll_transmit() {
                server.feed(&bytes);
            }
            let Some(Event::Message { .. }) = server.poll_event() else {
                panic!()
            };
            let mut got = 0usize;
            for chunk in msg.chunks(CHUNK) {
                server.message_data(chunk).unwrap();
                while let Some(bytes) = server.poll_transmit() {
                    client.feed(&bytes);
                }
                while let Some(ev) = client.poll_event() {
                    if let CEvent::MessageChunk { data, .. } = ev {
                        got += data.len();
                    }
                }
            }
            server.message_end().unwrap();
            while let Some(bytes) = server.poll_transmit() {
                client.feed(&bytes);
            }
            let mut ended = false;
            while let Some(ev) = client.poll_event() {
                match ev {
                    CEvent::MessageChunk { data, .. } => got += data.len(),
                    CEvent::MessageEnd { .. } => ended = true,
                    _ => {}
                }
            }
            assert!(ended && got == msg.len());
        });
    });

    g.bench_function("stuffer", |b| {
        let mut out = Vec::with_capacity(SIZE + SIZE / 50);
        b.iter(|| {
            out.clear();
            let mut s = Stuffer::new();
            for chunk in msg.chunks(CHUNK) {
                s.write(chunk, &mut out);
            }
            s.finish(&mut out);
            black_box(out.len())
        });
    });

    let mut wire = Vec::new();
    let mut s = Stuffer::new();
    s.write(&msg, &mut wire);
    s.finish(&mut wire);
    g.bench_function("unstuffer", |b| {
        let mut out = Vec::with_capacity(SIZE);
        b.iter(|| {
            out.clear();
            let mut u = Unstuffer::new();
            let mut end = None;
            for chunk in wire.chunks(CHUNK) {
                end = u.decode(chunk, &mut out);
            }
            assert!(end.is_some());
            black_box(out.len())
        });
    });
    g.finish();
}

fn parse(c: &mut Criterion) {
    let cmds: &[&[u8]] = &[
        b"USER mrose\r\n",
        b"PASS tanstaaf\r\n",
        b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n",
        b"STAT\r\n",
        b"LIST\r\n",
        b"LIST 42\r\n",
        b"RETR 1\r\n",
        b"TOP 10 5\r\n",
        b"UIDL 7\r\n",
        b"DELE 3\r\n",
        b"AUTH PLAIN AG1yb3NlAHRhbnN0YWFm\r\n",
        b"QUIT\r\n",
    ];
    let total: usize = cmds.iter().map(|c| c.len()).sum();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Elements(cmds.len() as u64));
    g.bench_function("command_x12", |b| {
        b.iter(|| {
            for c in cmds {
                black_box(Command::parse(black_box(c)).unwrap());
            }
        });
    });
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("command_x12_bytes", |b| {
        b.iter(|| {
            for c in cmds {
                black_box(Command::parse(black_box(c)).unwrap());
            }
        });
    });
    let line: &[u8] = b"-ERR [IN-USE] maildrop already locked\r\n";
    g.throughput(Throughput::Bytes(line.len() as u64));
    g.bench_function("response_line", |b| {
        b.iter(|| black_box(mailwire_pop3_proto::Response::parse(black_box(line)).unwrap()));
    });
    g.finish();
}

criterion_group!(benches, retr, parse);
criterion_main!(benches);
