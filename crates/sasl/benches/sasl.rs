//! What authentication costs: SCRAM at 4096 iterations (RFC 7677's
//! minimum) is dominated by PBKDF2; PLAIN is parsing only.
#![allow(missing_docs, clippy::unwrap_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use mailwire_sasl::Mechanism;
use mailwire_sasl::client::{self, Client, Credentials};
use mailwire_sasl::server::{self, Answer, ScramCredentials, ScramHash, Server, Step};
use std::hint::black_box;

fn scram_exchange(m: Mechanism, creds: &ScramCredentials) {
    let mut c = Client::new(
        m,
        Credentials::password("user", "pencil"),
        &client::Config::new().with_nonce("rOprNGfwEbeRWgbNEkqO"),
    )
    .unwrap();
    let mut s = Server::new(m, &server::Config::new().with_nonce("snonce123"));
    let Step::Need(_) = s.step(&c.initial_response().unwrap()) else {
        panic!()
    };
    let Step::Challenge(first) = s.answer(Answer::ScramCredentials(creds.clone())) else {
        panic!()
    };
    let fin = c.step(&first).unwrap();
    let Step::Success(o) = s.step(&fin) else {
        panic!()
    };
    c.finish(o.additional_data.as_deref()).unwrap();
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sasl");
    g.bench_function("scram_sha256_derive_4096", |b| {
        b.iter(|| {
            ScramCredentials::derive(
                ScramHash::Sha256,
                black_box(b"pencil"),
                b"0123456789abcdef",
                4096,
            )
        });
    });
    let c256 = ScramCredentials::derive(ScramHash::Sha256, b"pencil", b"0123456789abcdef", 4096);
    g.bench_function("scram_sha256_exchange_4096", |b| {
        b.iter(|| scram_exchange(Mechanism::ScramSha256, &c256));
    });
    let c1 = ScramCredentials::derive(ScramHash::Sha1, b"pencil", b"0123456789abcdef", 4096);
    g.bench_function("scram_sha1_exchange_4096", |b| {
        b.iter(|| scram_exchange(Mechanism::ScramSha1, &c1));
    });
    g.bench_function("plain_server_step", |b| {
        let config = server::Config::new();
        b.iter(|| {
            let mut s = Server::new(Mechanism::Plain, &config);
            let step = s.step(black_box(b"\0tim\0tanstaaftanstaaf"));
            let Step::Need(_) = step else { panic!() };
            s.answer(Answer::Accept)
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
