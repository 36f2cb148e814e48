//! Malformed input, limits and API misuse: typed errors, never panics.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod util;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use mailwire_sasl::client::{self, Client, Credentials};
use mailwire_sasl::server::{self, Answer, Request, ScramCredentials, ScramHash, Server, Step};
use mailwire_sasl::{Error, ErrorCategory, Limits, Mechanism, Secret};

fn fail(step: Step) -> Error {
    match step {
        Step::Failure(e) => e,
        other => panic!("expected failure, got {other:?}"),
    }
}

fn first(m: Mechanism, input: &[u8]) -> Error {
    let mut s = Server::new(m, &util::server_config());
    fail(s.step(input))
}

fn malformed_at(e: &Error) -> usize {
    match e {
        Error::MalformedMessage { offset, .. } | Error::InvalidUtf8 { offset, .. } => *offset,
        other => panic!("expected malformed, got {other:?}"),
    }
}

#[test]
fn plain_malformed() {
    let m = Mechanism::Plain;
    assert_eq!(malformed_at(&first(m, b"")), 0);
    assert_eq!(malformed_at(&first(m, b"tim\0secret")), 10);
    assert_eq!(malformed_at(&first(m, b"\0\0secret")), 1); // empty authcid
    assert_eq!(malformed_at(&first(m, b"\0tim\0")), 5); // empty password
    assert_eq!(malformed_at(&first(m, b"\0tim\0pa\0ss")), 7); // NUL in password
    assert_eq!(
        first(m, b"\0t\xffm\0pass"),
        Error::InvalidUtf8 {
            mechanism: m,
            offset: 2
        }
    );
    assert_eq!(
        first(m, b"\xc3\0tim\0pass"),
        Error::InvalidUtf8 {
            mechanism: m,
            offset: 0
        }
    );
    assert_eq!(
        first(m, b"\0tim\0p\xfe"),
        Error::InvalidUtf8 {
            mechanism: m,
            offset: 6
        }
    );
    assert_eq!(first(m, b"").category(), ErrorCategory::Malformed);
}

#[test]
fn login_malformed() {
    let m = Mechanism::Login;
    assert_eq!(malformed_at(&first(m, b"")), 0);
    assert_eq!(malformed_at(&first(m, b"ti\0m")), 2);
    assert_eq!(
        first(m, b"t\xffm"),
        Error::InvalidUtf8 {
            mechanism: m,
            offset: 1
        }
    );
    let mut s = Server::new(m, &util::server_config());
    assert_eq!(s.start(), Step::Challenge(b"Username:".to_vec()));
    assert_eq!(s.step(b"tim"), Step::Challenge(b"Password:".to_vec()));
    assert_eq!(malformed_at(&fail(s.step(b"pa\0ss"))), 2);
}

#[test]
fn cram_md5_malformed() {
    let m = Mechanism::CramMd5;
    // Server-first: no initial response allowed.
    assert_eq!(
        first(m, b"tim b913a602c7eda7a495b4e6e7334d3890"),
        Error::UnexpectedInitialResponse(m)
    );
    let step_after_start = |input: &[u8]| {
        let mut s = Server::new(m, &util::server_config());
        assert!(matches!(s.start(), Step::Challenge(_)));
        fail(s.step(input))
    };
    assert_eq!(
        malformed_at(&step_after_start(b"timb913a602c7eda7a495b4e6e7334d3890")),
        35
    );
    assert_eq!(malformed_at(&step_after_start(b"tim b913a602c7")), 4);
    assert_eq!(
        malformed_at(&step_after_start(b" b913a602c7eda7a495b4e6e7334d3890")),
        0
    );
    assert_eq!(
        step_after_start(b"tim b913a602c7eda7a495b4e6e7334d38zz"),
        Error::BadEncoding {
            mechanism: m,
            what: "hex"
        }
    );
    assert_eq!(
        malformed_at(&step_after_start(b"t\0m b913a602c7eda7a495b4e6e7334d3890")),
        1
    );
    // Upper-case hex is accepted.
    let mut s = Server::new(
        m,
        &server::Config::new()
            .with_cram_md5_challenge("<1896.697170952@postoffice.reston.mci.net>"),
    );
    let _ = s.start();
    assert!(matches!(
        s.step(b"tim B913A602C7EDA7A495B4E6E7334D3890"),
        Step::Need(_)
    ));
    assert!(matches!(
        s.answer(Answer::Secret("tanstaaftanstaaf".into())),
        Step::Success(_)
    ));
}

// ---- SCRAM ----

const CNONCE: &str = "fyko+d2lbbFgONRv9qkxdawL";
const SNONCE: &str = "3rfcNHYJY1ZVvWVs7j";
const NONCE: &str = "fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j";
const PROOF: &str = "v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";

/// A SCRAM-SHA-1 server that has sent the RFC 5802 server-first.
fn scram_at_final() -> Server {
    let mut s = Server::new(
        Mechanism::ScramSha1,
        &server::Config::new().with_nonce(SNONCE),
    );
    assert!(matches!(
        s.step(format!("n,,n=user,r={CNONCE}").as_bytes()),
        Step::Need(_)
    ));
    let salt = B64.decode("QSXCR+Q6sek8bf92").unwrap();
    let c = ScramCredentials::derive(ScramHash::Sha1, b"pencil", &salt, 4096);
    assert!(matches!(
        s.answer(Answer::ScramCredentials(c)),
        Step::Challenge(_)
    ));
    s
}

fn scram_final(msg: &str) -> Error {
    fail(scram_at_final().step(msg.as_bytes()))
}

#[test]
fn scram_client_final_errors() {
    assert_eq!(
        scram_final(&format!("c=biws,r={NONCE}x,p={PROOF}")),
        Error::NonceMismatch
    );
    assert_eq!(
        scram_final(&format!("c=biws,r={CNONCE},p={PROOF}")),
        Error::NonceMismatch
    );
    assert_eq!(
        scram_final(&format!("c=biws,r={NONCE},p=w0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")),
        Error::InvalidProof
    );
    // Non-canonical base64 (non-zero padding bits) is a bad encoding.
    assert!(matches!(
        scram_final(&format!("c=biws,r={NONCE},p=v0X8v3Bz2T0CJGbJQyF0X+HI4Tt=")),
        Error::BadEncoding { .. }
    ));
    assert_eq!(
        scram_final(&format!("c=biws,r={NONCE},p=AAAA")),
        Error::InvalidProof
    );
    assert_eq!(
        scram_final(&format!("c=eSws,r={NONCE},p={PROOF}")),
        Error::ChannelBindingMismatch
    );
    assert_eq!(
        scram_final(&format!("c=bi!s,r={NONCE},p={PROOF}")),
        Error::BadEncoding {
            mechanism: Mechanism::ScramSha1,
            what: "base64"
        }
    );
    assert!(matches!(
        scram_final(&format!("c=biws,r={NONCE}")),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        scram_final(&format!("r={NONCE},c=biws,p={PROOF}")),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        scram_final(&format!("c=biws,r={NONCE},p={PROOF},x=1")),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        scram_final(&format!("c=biws,r={NONCE},1=x,p={PROOF}")),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        scram_final("c=biws\u{0}"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(scram_final(""), Error::MalformedMessage { .. }));
    assert!(matches!(
        fail(scram_at_final().step(b"c=biws,r=\xff")),
        Error::InvalidUtf8 { offset: 9, .. }
    ));
    // Extensions before the proof are allowed (and ignored) — but the
    // proof then covers them, so the RFC proof no longer verifies.
    assert_eq!(
        scram_final(&format!("c=biws,r={NONCE},x=ext,p={PROOF}")),
        Error::InvalidProof
    );
    // The right message still passes (sanity check of the fixture).
    let mut s = scram_at_final();
    assert!(matches!(
        s.step(format!("c=biws,r={NONCE},p={PROOF}").as_bytes()),
        Step::Success(_)
    ));
}

#[test]
fn scram_client_first_errors() {
    let m = Mechanism::ScramSha256;
    let e = |s: &str| first(m, s.as_bytes());
    assert_eq!(e("n,,m=ext,n=user,r=abc"), Error::UnsupportedExtension);
    assert!(matches!(
        e("n,,r=abc,n=user"),
        Error::MalformedMessage { offset: 3, .. }
    ));
    assert!(matches!(e("n,,n=user"), Error::MalformedMessage { .. }));
    assert!(matches!(
        e("n,,n=user,r="),
        Error::MalformedMessage { offset: 10, .. }
    ));
    assert!(matches!(e("n,,n=,r=abc"), Error::MalformedMessage { .. }));
    assert!(matches!(
        e("n,,n=us=er,r=abc"),
        Error::MalformedMessage { offset: 7, .. }
    ));
    assert!(matches!(
        e("n,,n=us\0er,r=abc"),
        Error::MalformedMessage { offset: 7, .. }
    ));
    assert!(matches!(
        e("n,,n=user,r=abc,1=x"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        e("x,,n=user,r=abc"),
        Error::MalformedMessage { offset: 0, .. }
    ));
    assert!(matches!(
        e("n,b=x,n=user,r=abc"),
        Error::MalformedMessage { offset: 2, .. }
    ));
    assert!(matches!(e("n"), Error::MalformedMessage { .. }));
    assert!(matches!(e(""), Error::MalformedMessage { .. }));
    assert!(matches!(
        e("n,a=,n=user,r=abc"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        first(m, b"n,,n=\xc3(,r=abc"),
        Error::InvalidUtf8 { offset: 5, .. }
    ));
    assert!(matches!(
        e("p=tls-exporter,,n=user,r=abc"),
        Error::ChannelBindingFlag { .. }
    ));
    assert!(matches!(
        first(Mechanism::ScramSha256Plus, b"n,,n=user,r=abc"),
        Error::ChannelBindingFlag { .. }
    ));
    assert!(matches!(
        first(Mechanism::ScramSha256Plus, b"y,,n=user,r=abc"),
        Error::ChannelBindingFlag { .. }
    ));
    // Nonce characters: printable ASCII except ','.
    assert!(matches!(
        e("n,,n=user,r=a b"),
        Error::MalformedMessage { .. }
    ));
    // A valid one with extensions and an authzid gets through.
    let mut s = Server::new(m, &util::server_config());
    assert_eq!(
        s.step(b"n,a=bo=2Cb,n=us=3Der,r=abc,x=1"),
        Step::Need(Request::ScramCredentials {
            authcid: "us=er".into(),
            authzid: Some("bo,b".into()),
            hash: ScramHash::Sha256
        })
    );
    // Credentials for the wrong hash are a caller error.
    let c = ScramCredentials::derive(ScramHash::Sha1, b"x", b"salt", 1);
    assert!(matches!(
        s.answer(Answer::ScramCredentials(c)),
        Step::Failure(Error::InvalidState(_))
    ));
}

#[test]
fn scram_client_rejects_bad_server_messages() {
    let cfg = client::Config::new().with_nonce(CNONCE);
    let step = |challenge: &str| {
        let mut c = Client::new(
            Mechanism::ScramSha1,
            Credentials::password("user", "pencil"),
            &cfg,
        )
        .unwrap();
        let _ = c.initial_response();
        c.step(challenge.as_bytes())
    };
    assert_eq!(
        step(&format!("r=other{SNONCE},s=QSXCR+Q6sek8bf92,i=4096")),
        Err(Error::NonceMismatch)
    );
    assert_eq!(
        step(&format!("r={CNONCE},s=QSXCR+Q6sek8bf92,i=4096")),
        Err(Error::NonceMismatch)
    );
    assert_eq!(
        step(&format!("m=x,r={NONCE},s=QSXCR+Q6sek8bf92,i=4096")),
        Err(Error::UnsupportedExtension)
    );
    assert!(matches!(
        step(&format!("r={NONCE},i=4096")),
        Err(Error::MalformedMessage { .. })
    ));
    assert!(matches!(
        step(&format!("r={NONCE},s=QSXCR+Q6sek8bf92")),
        Err(Error::MalformedMessage { .. })
    ));
    assert!(matches!(
        step(&format!("r={NONCE},s=QSXCR+Q6sek8bf92,i=0")),
        Err(Error::MalformedMessage { .. })
    ));
    assert!(matches!(
        step(&format!("r={NONCE},s=QSXCR+Q6sek8bf92,i=04096")),
        Err(Error::MalformedMessage { .. })
    ));
    assert!(matches!(
        step(&format!("r={NONCE},s=QSXCR+Q6sek8bf92,i=4096x")),
        Err(Error::MalformedMessage { .. })
    ));
    assert_eq!(
        step(&format!("r={NONCE},s=QSXCR+Q6sek8bf92,i=1")),
        Err(Error::IterationCount {
            iterations: 1,
            min: 4096,
            max: 1_000_000
        })
    );
    assert!(matches!(
        step(&format!("r={NONCE},s=QSXCR+Q6sek8bf92,i=99999999999")),
        Err(Error::IterationCount { .. })
    ));
    assert!(matches!(
        step(&format!("r={NONCE},s=***,i=4096")),
        Err(Error::BadEncoding { .. })
    ));
    // Server error in server-final.
    let mut c = Client::new(
        Mechanism::ScramSha1,
        Credentials::password("user", "pencil"),
        &cfg,
    )
    .unwrap();
    let _ = c.initial_response();
    let _ = c
        .step(format!("r={NONCE},s=QSXCR+Q6sek8bf92,i=4096").as_bytes())
        .unwrap();
    assert_eq!(
        c.step(b"e=invalid-proof"),
        Err(Error::ServerError("invalid-proof".into()))
    );
    // Once failed, always failed.
    assert!(matches!(
        c.step(b"v=rmF9pqV8S7suAoZWja4dJRkFsKQ="),
        Err(Error::InvalidState(_))
    ));
}

#[test]
fn oauth_malformed() {
    let ob = Mechanism::OAuthBearer;
    let e = |s: &[u8]| first(ob, s);
    assert!(matches!(e(b"\x01"), Error::MalformedMessage { .. }));
    assert!(matches!(
        e(b"n,,auth=Bearer x\x01\x01"),
        Error::MalformedMessage { .. }
    )); // no kvsep after header
    assert!(matches!(
        e(b"n,,\x01host=x\x01\x01"),
        Error::MalformedMessage { .. }
    )); // no auth
    assert!(matches!(
        e(b"n,,\x01auth=Bearer x\x01"),
        Error::MalformedMessage { .. }
    )); // no final kvsep
    assert!(matches!(
        e(b"n,,\x01auth=Bearer x\x01\x01junk"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        e(b"n,,\x01au th=Bearer x\x01\x01"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        e(b"n,,\x01auth=Bearer x\x01auth=Bearer y\x01\x01"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        e(b"n,,\x01auth=Bearer \x7f\x01\x01"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        e(b"n,,\x01port=0143\x01auth=Bearer x\x01\x01"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        e(b"n,,\x01port=70000\x01auth=Bearer x\x01\x01"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        e(b"p=tls-exporter,,\x01auth=Bearer x\x01\x01"),
        Error::ChannelBindingFlag { .. }
    ));
    assert!(matches!(
        e(b"n,a=\xff,\x01auth=Bearer x\x01\x01"),
        Error::InvalidUtf8 { offset: 4, .. }
    ));
    // Unknown keys are ignored; scheme is case-insensitive.
    let mut s = Server::new(ob, &server::Config::new());
    let Step::Need(Request::VerifyToken { token, user, .. }) =
        s.step(b"y,,\x01mthd=POST\x01auth=bEaReR  tok.en~+/==\x01\x01")
    else {
        panic!()
    };
    assert_eq!((token, user), (Secret::from("tok.en~+/=="), None));
    // Not a bearer token: the error challenge, no request.
    let mut s = Server::new(ob, &server::Config::new());
    assert!(matches!(
        s.step(b"n,,\x01auth=OAuth realm=x\x01\x01"),
        Step::Challenge(_)
    ));

    let x = Mechanism::XOAuth2;
    assert!(matches!(
        first(x, b"auth=Bearer x\x01\x01"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        first(x, b"user=u\x01\x01"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(
        first(x, b"user=u\x01auth=Bearer x"),
        Error::MalformedMessage { .. }
    ));
    let mut s = Server::new(x, &server::Config::new());
    assert!(matches!(
        s.step(b"user=u@x\x01auth=Bearer tok\x01\x01"),
        Step::Need(Request::VerifyToken { .. })
    ));
}

#[test]
fn external_and_anonymous_malformed() {
    assert!(matches!(
        first(Mechanism::External, b"a\0b"),
        Error::MalformedMessage { offset: 1, .. }
    ));
    assert!(matches!(
        first(Mechanism::External, b"\xff"),
        Error::InvalidUtf8 { .. }
    ));
    let a = Mechanism::Anonymous;
    assert!(matches!(
        first(a, "x".repeat(256).as_bytes()),
        Error::MalformedMessage { .. }
    ));
    let mut s = Server::new(a, &server::Config::new());
    assert!(matches!(s.step("é".repeat(255).as_bytes()), Step::Need(_)));
    assert!(matches!(
        first(a, b"a\x07b"),
        Error::MalformedMessage { offset: 1, .. }
    ));
    assert!(matches!(
        first(a, b"@example.org"),
        Error::MalformedMessage { .. }
    ));
    assert!(matches!(first(a, b"a@b@c"), Error::MalformedMessage { .. }));
    assert!(matches!(first(a, b"\xc0"), Error::InvalidUtf8 { .. }));
}

// ---- limits ----

fn limits(max_len: usize, max_rt: u32) -> server::Config {
    let mut l = Limits::default();
    l.max_message_len = max_len;
    l.max_round_trips = max_rt;
    util::server_config().with_limits(l)
}

#[test]
fn message_size_limit_at_n_and_n_plus_1() {
    let n = 64;
    let cfg = limits(n, 8);
    let mut msg = b"\0tim\0".to_vec();
    msg.resize(n, b'x');
    assert!(matches!(
        Server::new(Mechanism::Plain, &cfg).step(&msg),
        Step::Need(_)
    ));
    msg.push(b'x');
    assert_eq!(
        fail(Server::new(Mechanism::Plain, &cfg).step(&msg)),
        Error::TooLarge { len: n + 1, max: n }
    );
    assert_eq!(
        Error::TooLarge { len: 1, max: 0 }.category(),
        ErrorCategory::TooLarge
    );
    // Client side too.
    let mut l = Limits::default();
    l.max_message_len = 10;
    let mut c = Client::new(
        Mechanism::CramMd5,
        Credentials::password("u", "p"),
        &client::Config::new().with_limits(l),
    )
    .unwrap();
    assert!(matches!(
        c.step(&[b'<'; 11]),
        Err(Error::TooLarge { len: 11, max: 10 })
    ));
}

#[test]
fn round_trip_limit_at_n_and_n_plus_1() {
    // LOGIN needs two responses after start().
    let mut s = Server::new(Mechanism::Login, &limits(8192, 2));
    let _ = s.start();
    let _ = s.step(b"tim");
    assert!(matches!(s.step(b"pw"), Step::Need(_)));
    let mut s = Server::new(Mechanism::Login, &limits(8192, 1));
    let _ = s.start();
    let _ = s.step(b"tim");
    assert_eq!(fail(s.step(b"pw")), Error::TooManyRoundTrips { max: 1 });
    // Empty responses count too.
    let mut s = Server::new(Mechanism::Login, &limits(8192, 1));
    let _ = s.start();
    assert!(matches!(s.step(b""), Step::Failure(_)));
    // Client: max 1 challenge.
    let mut l = Limits::default();
    l.max_round_trips = 1;
    let mut c = Client::new(
        Mechanism::Login,
        Credentials::password("u", "p"),
        &client::Config::new().with_limits(l),
    )
    .unwrap();
    assert_eq!(c.step(b"Username:").unwrap(), b"u");
    assert_eq!(
        c.step(b"Password:"),
        Err(Error::TooManyRoundTrips { max: 1 })
    );
}

// ---- misuse and configuration ----

#[test]
fn api_misuse_is_typed() {
    let mut s = Server::new(Mechanism::Plain, &server::Config::new());
    assert!(matches!(
        s.answer(Answer::Accept),
        Step::Failure(Error::InvalidState(_))
    ));
    assert!(s.is_finished());
    assert!(matches!(
        s.step(b"\0a\0b"),
        Step::Failure(Error::InvalidState(_))
    ));
    let mut s = Server::new(Mechanism::Plain, &server::Config::new());
    let _ = s.start();
    assert!(matches!(s.start(), Step::Failure(Error::InvalidState(_))));
    let mut s = Server::new(Mechanism::Plain, &server::Config::new());
    let _ = s.step(b"\0a\0b");
    assert!(matches!(
        s.step(b"\0a\0b"),
        Step::Failure(Error::InvalidState(_))
    ));
    let mut s = Server::new(Mechanism::Plain, &server::Config::new());
    let _ = s.step(b"\0a\0b");
    assert!(matches!(
        s.answer(Answer::Secret("x".into())),
        Step::Failure(Error::InvalidState(_))
    ));
    assert_eq!(
        Error::InvalidState("x").category(),
        ErrorCategory::Temporary
    );
}

#[test]
fn cancellation() {
    for m in Mechanism::ALL {
        let mut s = Server::new(m, &util::server_config());
        let _ = s.start();
        assert_eq!(s.cancel(), Step::Failure(Error::Cancelled));
        assert!(s.is_finished());
        assert_eq!(Error::Cancelled.category(), ErrorCategory::Cancelled);
    }
}

#[test]
fn missing_configuration() {
    let mut s = Server::new(Mechanism::CramMd5, &server::Config::new());
    assert_eq!(fail(s.start()), Error::Misconfigured("cram-md5 challenge"));
    // Without any randomness: only an error without the getrandom feature.
    let mut s = Server::new(Mechanism::ScramSha256, &server::Config::new());
    let step = s.step(b"n,,n=u,r=abc");
    if cfg!(feature = "getrandom") {
        assert!(matches!(step, Step::Need(_)));
    } else {
        assert!(matches!(fail(step), Error::Misconfigured(_)));
    }
    let mut s = Server::new(
        Mechanism::ScramSha256,
        &server::Config::new().with_random(b"short"),
    );
    assert!(matches!(
        fail(s.step(b"n,,n=u,r=abc")),
        Error::Misconfigured(_)
    ));
    let mut s = Server::new(
        Mechanism::ScramSha256,
        &server::Config::new().with_nonce("a,b"),
    );
    assert!(matches!(
        fail(s.step(b"n,,n=u,r=abc")),
        Error::Misconfigured(_)
    ));
    let mut s = Server::new(
        Mechanism::ScramSha256Plus,
        &server::Config::new().with_random(&[1; 16]),
    );
    assert!(matches!(
        fail(s.step(b"p=tls-exporter,,n=u,r=abc")),
        Error::Misconfigured(_)
    ));
}

#[cfg(feature = "getrandom")]
#[test]
fn os_random_nonces_differ_per_exchange() {
    let nonce = || {
        let mut s = Server::new(
            Mechanism::ScramSha256,
            &server::Config::new().with_random(&[1; 16]),
        );
        let _ = s.step(b"n,,n=user,r=abc");
        let c = ScramCredentials::derive(ScramHash::Sha256, b"p", b"salt", 1);
        let Step::Challenge(ch) = s.answer(Answer::ScramCredentials(c)) else {
            panic!()
        };
        String::from_utf8(ch).unwrap()
    };
    assert_ne!(nonce(), nonce());
    let client_first = || {
        let mut c = Client::new(
            Mechanism::ScramSha1,
            Credentials::password("u", "p"),
            &client::Config::new(),
        )
        .unwrap();
        c.initial_response().unwrap()
    };
    assert_ne!(client_first(), client_first());
}

#[test]
fn derived_nonces_differ_per_client_nonce_and_connection() {
    let nonce = |random: &[u8], cnonce: &str| {
        let mut s = Server::new(
            Mechanism::ScramSha256,
            &server::Config::new().with_random(random),
        );
        let _ = s.step(format!("n,,n=user,r={cnonce}").as_bytes());
        let c = ScramCredentials::derive(ScramHash::Sha256, b"p", b"salt", 1);
        let Step::Challenge(ch) = s.answer(Answer::ScramCredentials(c)) else {
            panic!()
        };
        String::from_utf8(ch).unwrap()
    };
    let a = nonce(&[1; 16], "abc");
    assert!(a.starts_with("r=abc"));
    assert_ne!(a, nonce(&[1; 16], "abd"));
    assert_ne!(a, nonce(&[2; 16], "abc"));
}

#[test]
fn secrets_never_in_debug_output() {
    let mut s = Server::new(Mechanism::Plain, &server::Config::new());
    let step = s.step(b"\0tim\0hunter2-secret");
    let dbg = format!("{step:?}");
    assert!(!dbg.contains("hunter2"), "{dbg}");
    let c = Credentials::password("tim", "hunter2-secret");
    assert!(!format!("{c:?}").contains("hunter2"));
    let client = Client::new(Mechanism::Plain, c, &client::Config::new()).unwrap();
    assert!(!format!("{client:?}").contains("hunter2"));
    let creds = ScramCredentials::derive(ScramHash::Sha256, b"hunter2", b"salt", 1);
    assert!(!format!("{creds:?}").contains("key"));
}

#[test]
fn scram_unknown_user_looks_like_a_known_one() {
    let server_first = |cnonce: &str| {
        let config = server::Config::new().with_random(&[8; 16]);
        let mut s = Server::new(Mechanism::ScramSha256, &config);
        let _ = s.step(format!("n,,n=ghost,r={cnonce}").as_bytes());
        let Step::Challenge(ch) = s.answer(Answer::Reject) else {
            panic!()
        };
        let ch = String::from_utf8(ch).unwrap();
        let (nonce, rest) = ch.split_once(',').unwrap();
        assert!(nonce.starts_with(&format!("r={cnonce}")));
        let p = rest.to_owned();
        // The exchange goes on and fails only at the proof.
        let fin = format!("c=biws,{nonce},p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assert_eq!(fail(s.step(fin.as_bytes())), Error::AuthenticationFailed);
        p
    };
    let a = server_first("abc");
    assert!(a.ends_with(",i=4096"));
    assert_eq!(a, server_first("xyz"), "same salt on every attempt");
}

#[test]
fn login_password_bytes_pass_through() {
    let mut s = Server::new(Mechanism::Login, &util::server_config());
    let _ = s.step(b"tim");
    let Step::Need(Request::VerifyPassword { password, .. }) = s.step(b"caf\xe9") else {
        panic!()
    };
    assert_eq!(password.expose(), b"caf\xe9");
}
