//! Known-answer tests from the RFCs.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod util;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use mailwire_sasl::client::{self, Client, Credentials};
use mailwire_sasl::server::{
    self, Answer, OAuthError, Request, ScramCredentials, ScramHash, Server, Step, drive,
};
use mailwire_sasl::{Error, Mechanism, Secret};
use util::TestStore;

/// RFC 4616 §4, first example: `<NUL>tim<NUL>tanstaaftanstaaf` after an
/// empty challenge.
#[test]
fn rfc4616_example_1() {
    let mut s = Server::new(Mechanism::Plain, &server::Config::new());
    assert_eq!(s.start(), Step::Challenge(Vec::new()));
    let step = s.step(b"\0tim\0tanstaaftanstaaf");
    assert_eq!(
        step,
        Step::Need(Request::VerifyPassword {
            authcid: "tim".into(),
            authzid: None,
            password: Secret::from("tanstaaftanstaaf"),
        })
    );
    let Step::Success(o) = s.answer(Answer::Accept) else {
        panic!()
    };
    assert_eq!((o.authcid.as_str(), o.identity()), ("tim", "tim"));
    assert!(s.is_finished());

    let mut c = Client::new(
        Mechanism::Plain,
        Credentials::password("tim", "tanstaaftanstaaf"),
        &client::Config::new(),
    )
    .unwrap();
    // Without an initial response: the empty challenge yields the message.
    assert_eq!(c.step(b"").unwrap(), b"\0tim\0tanstaaftanstaaf");
}

/// RFC 4616 §4, second example: Kurt asks to act as Ursel (initial
/// response) and is refused.
#[test]
fn rfc4616_example_2() {
    let store = TestStore {
        passwords: {
            let mut p = server::PasswordMap::new(b"k");
            p.insert("Kurt", "xipj3plmq");
            p
        },
        anonymous: false,
    };
    let mut s = Server::new(Mechanism::Plain, &server::Config::new());
    let step = s.step(b"Ursel\0Kurt\0xipj3plmq");
    let Step::Need(Request::VerifyPassword {
        authcid, authzid, ..
    }) = &step
    else {
        panic!()
    };
    assert_eq!(
        (authcid.as_str(), authzid.as_deref()),
        ("Kurt", Some("Ursel"))
    );
    assert_eq!(
        drive(&mut s, &store, step),
        Step::Failure(Error::AuthenticationFailed)
    );

    let mut c = Client::new(
        Mechanism::Plain,
        Credentials::password("Kurt", "xipj3plmq").with_authzid("Ursel"),
        &client::Config::new(),
    )
    .unwrap();
    assert_eq!(c.initial_response().unwrap(), b"Ursel\0Kurt\0xipj3plmq");
}

const CRAM_CHALLENGE: &str = "<1896.697170952@postoffice.reston.mci.net>";

/// RFC 2195 §2: tim / tanstaaftanstaaf.
#[test]
fn rfc2195_example() {
    let config = server::Config::new().with_cram_md5_challenge(CRAM_CHALLENGE);
    let mut s = Server::new(Mechanism::CramMd5, &config);
    let Step::Challenge(ch) = s.start() else {
        panic!()
    };
    assert_eq!(ch, CRAM_CHALLENGE.as_bytes());
    // The RFC's base64 of the challenge.
    assert_eq!(
        B64.encode(&ch),
        "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"
    );
    let step = s.step(b"tim b913a602c7eda7a495b4e6e7334d3890");
    assert_eq!(
        step,
        Step::Need(Request::Secret {
            authcid: "tim".into()
        })
    );
    let Step::Success(o) = s.answer(Answer::Secret("tanstaaftanstaaf".into())) else {
        panic!()
    };
    assert_eq!(o.authcid, "tim");

    // Wrong secret.
    let mut s = Server::new(Mechanism::CramMd5, &config);
    let _ = s.start();
    let _ = s.step(b"tim b913a602c7eda7a495b4e6e7334d3890");
    assert_eq!(
        s.answer(Answer::Secret("tanstaaf".into())),
        Step::Failure(Error::AuthenticationFailed)
    );

    let mut c = Client::new(
        Mechanism::CramMd5,
        Credentials::password("tim", "tanstaaftanstaaf"),
        &client::Config::new(),
    )
    .unwrap();
    assert_eq!(c.initial_response(), None);
    let r = c.step(CRAM_CHALLENGE.as_bytes()).unwrap();
    assert_eq!(r, b"tim b913a602c7eda7a495b4e6e7334d3890");
    assert_eq!(
        B64.encode(&r),
        "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"
    );
}

struct ScramVector {
    mechanism: Mechanism,
    hash: ScramHash,
    cnonce: &'static str,
    snonce: &'static str,
    client_first: &'static str,
    server_first: &'static str,
    client_final: &'static str,
    server_final: &'static str,
    salt: &'static str,
}

/// RFC 5802 §5.
const RFC5802: ScramVector = ScramVector {
    mechanism: Mechanism::ScramSha1,
    hash: ScramHash::Sha1,
    cnonce: "fyko+d2lbbFgONRv9qkxdawL",
    snonce: "3rfcNHYJY1ZVvWVs7j",
    client_first: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
    server_first: "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
    client_final: "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
    server_final: "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
    salt: "QSXCR+Q6sek8bf92",
};

/// RFC 7677 §3.
const RFC7677: ScramVector = ScramVector {
    mechanism: Mechanism::ScramSha256,
    hash: ScramHash::Sha256,
    cnonce: "rOprNGfwEbeRWgbNEkqO",
    snonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
    client_first: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
    server_first: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
    client_final: "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
    server_final: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
    salt: "W22ZaJ0SNY7soEsUEjb6gQ==",
};

fn scram_server_kat(v: &ScramVector) {
    let config = server::Config::new().with_nonce(v.snonce);
    let mut s = Server::new(v.mechanism, &config);
    let step = s.step(v.client_first.as_bytes());
    assert_eq!(
        step,
        Step::Need(Request::ScramCredentials {
            authcid: "user".into(),
            authzid: None,
            hash: v.hash,
        })
    );
    let salt = B64.decode(v.salt).unwrap();
    let creds = ScramCredentials::derive(v.hash, b"pencil", &salt, 4096);
    assert_eq!(
        s.answer(Answer::ScramCredentials(creds)),
        Step::Challenge(v.server_first.as_bytes().to_vec())
    );
    let Step::Success(o) = s.step(v.client_final.as_bytes()) else {
        panic!()
    };
    assert_eq!(o.authcid, "user");
    assert_eq!(
        o.additional_data.as_deref(),
        Some(v.server_final.as_bytes())
    );
}

fn scram_client_kat(v: &ScramVector) {
    let config = client::Config::new().with_nonce(v.cnonce);
    let mut c = Client::new(
        v.mechanism,
        Credentials::password("user", "pencil"),
        &config,
    )
    .unwrap();
    assert_eq!(c.initial_response().unwrap(), v.client_first.as_bytes());
    assert!(!c.is_complete());
    assert_eq!(
        c.step(v.server_first.as_bytes()).unwrap(),
        v.client_final.as_bytes()
    );
    assert!(c.is_complete());
    c.finish(Some(v.server_final.as_bytes())).unwrap();

    // A server that does not know the password is caught.
    let mut c = Client::new(
        v.mechanism,
        Credentials::password("user", "pencil"),
        &config,
    )
    .unwrap();
    let _ = c.initial_response();
    let _ = c.step(v.server_first.as_bytes()).unwrap();
    let mut forged = v.server_final.as_bytes().to_vec();
    forged[3] ^= 1;
    assert_eq!(c.finish(Some(&forged)), Err(Error::InvalidServerSignature));

    // Success without server-final is not success.
    let mut c = Client::new(
        v.mechanism,
        Credentials::password("user", "pencil"),
        &config,
    )
    .unwrap();
    let _ = c.initial_response();
    let _ = c.step(v.server_first.as_bytes()).unwrap();
    assert_eq!(c.finish(None), Err(Error::InvalidServerSignature));

    // server-final as a challenge (SMTP): empty response, then finish(None).
    let mut c = Client::new(
        v.mechanism,
        Credentials::password("user", "pencil"),
        &config,
    )
    .unwrap();
    let _ = c.initial_response();
    let _ = c.step(v.server_first.as_bytes()).unwrap();
    assert_eq!(c.step(v.server_final.as_bytes()).unwrap(), b"");
    c.finish(None).unwrap();
}

#[test]
fn rfc5802_scram_sha1_server() {
    scram_server_kat(&RFC5802);
}

#[test]
fn rfc5802_scram_sha1_client() {
    scram_client_kat(&RFC5802);
}

#[test]
fn rfc7677_scram_sha256_server() {
    scram_server_kat(&RFC7677);
}

#[test]
fn rfc7677_scram_sha256_client() {
    scram_client_kat(&RFC7677);
}

/// RFC 5802 §5 with the server-final sent as a challenge (RFC 4954 style).
#[test]
fn rfc5802_final_data_as_challenge() {
    let v = RFC5802;
    let config = server::Config::new().with_nonce(v.snonce);
    let mut s = Server::new(v.mechanism, &config).final_data_as_challenge();
    let _ = s.step(v.client_first.as_bytes());
    let salt = B64.decode(v.salt).unwrap();
    let _ = s.answer(Answer::ScramCredentials(ScramCredentials::derive(
        v.hash, b"pencil", &salt, 4096,
    )));
    assert_eq!(
        s.step(v.client_final.as_bytes()),
        Step::Challenge(v.server_final.as_bytes().to_vec())
    );
    let Step::Success(o) = s.step(b"") else {
        panic!()
    };
    assert_eq!(o.additional_data, None);
}

const RFC7628_41_IR: &str = "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB";

/// RFC 7628 §4.1: a successful bearer token exchange (IMAP).
#[test]
fn rfc7628_4_1_success() {
    let ir = B64.decode(RFC7628_41_IR).unwrap();
    assert_eq!(
        ir,
        b"n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01"
    );
    let mut s = Server::new(Mechanism::OAuthBearer, &server::Config::new());
    assert_eq!(
        s.step(&ir),
        Step::Need(Request::VerifyToken {
            user: Some("user@example.com".into()),
            token: Secret::from("vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=="),
            host: Some("server.example.com".into()),
            port: Some(143),
        })
    );
    let Step::Success(o) = s.answer(Answer::Accept) else {
        panic!()
    };
    assert_eq!(o.identity(), "user@example.com");

    let mut c = Client::new(
        Mechanism::OAuthBearer,
        Credentials::token(
            "user@example.com",
            "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==",
        )
        .with_host("server.example.com", 143),
        &client::Config::new(),
    )
    .unwrap();
    assert_eq!(B64.encode(c.initial_response().unwrap()), RFC7628_41_IR);
}

/// RFC 7628 §4.3: a failed exchange (empty `auth=`), error JSON as a
/// challenge, then the dummy response `AQ==`.
#[test]
fn rfc7628_4_3_failure() {
    let ir = B64
        .decode(
            "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9AQE=",
        )
        .unwrap();
    assert_eq!(
        ir,
        b"n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=\x01\x01"
    );
    let config = server::Config::new().with_oauth_error(
        OAuthError::new("invalid_token")
            .with_scope("example_scope")
            .with_openid_configuration("https://example.com/.well-known/openid-configuration"),
    );
    let mut s = Server::new(Mechanism::OAuthBearer, &config);
    let Step::Challenge(ch) = s.step(&ir) else {
        panic!()
    };
    assert_eq!(
        B64.encode(&ch),
        "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJleGFtcGxlX3Njb3BlIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2V4YW1wbGUuY29tLy53ZWxsLWtub3duL29wZW5pZC1jb25maWd1cmF0aW9uIn0="
    );
    assert_eq!(B64.decode("AQ==").unwrap(), [1]);
    let Step::Failure(Error::TokenRejected(json)) = s.step(&[1]) else {
        panic!()
    };
    assert!(json.contains("example_scope"));

    // The IMAP variant cancels with "*" instead.
    let mut s = Server::new(Mechanism::OAuthBearer, &config);
    let _ = s.step(&ir);
    assert_eq!(s.cancel(), Step::Failure(Error::Cancelled));

    // The client answers an error challenge with the dummy response.
    let mut c = Client::new(
        Mechanism::OAuthBearer,
        Credentials::token("user@example.com", "x"),
        &client::Config::new(),
    )
    .unwrap();
    let _ = c.initial_response();
    assert_eq!(c.step(&ch).unwrap(), [1]);
    assert!(c.oauth_error().unwrap().contains("invalid_token"));
}

/// RFC 7628 §4.4: the SMTP example's initial response has `user=` in the
/// gs2 header, which the ABNF does not allow (a known erratum): rejected
/// as malformed, not misread.
#[test]
fn rfc7628_4_4_erratum_is_rejected() {
    let ir = B64
        .decode("bix1c2VyPXNvbWV1c2VyQGV4YW1wbGUuY29tLAFhdXRoPUJlYXJlciB2RjlkZnQ0cW1UYzJOdmIzUmxja0JoZEhSaGRtbHpkR0V1WTI5dENnPT0BAQ==")
        .unwrap();
    assert!(ir.starts_with(b"n,user=someuser@example.com,\x01auth=Bearer "));
    let mut s = Server::new(Mechanism::OAuthBearer, &server::Config::new());
    assert!(matches!(
        s.step(&ir),
        Step::Failure(Error::MalformedMessage { .. })
    ));
    // The server's error document of that example, rebuilt.
    let e = OAuthError::new("invalid_token")
        .with_schemes("bearer mac")
        .with_scope("https://mail.example.com/");
    assert_eq!(
        B64.encode(e.to_json()),
        "eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NoZW1lcyI6ImJlYXJlciBtYWMiLCJzY29wZSI6Imh0dHBzOi8vbWFpbC5leGFtcGxlLmNvbS8ifQ=="
    );
}

/// RFC 4954 §8: `AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=` (with and without the
/// initial response) and the CRAM-MD5 exchange of user `rjs3`.
#[test]
fn rfc4954_examples() {
    let response = B64.decode("dGVzdAB0ZXN0ADEyMzQ=").unwrap();
    let expected = Step::Need(Request::VerifyPassword {
        authcid: "test".into(),
        authzid: Some("test".into()),
        password: Secret::from("1234"),
    });
    let mut s = Server::new(Mechanism::Plain, &server::Config::new());
    assert_eq!(s.step(&response), expected);
    let mut s = Server::new(Mechanism::Plain, &server::Config::new());
    // "334 " with no text, then the response.
    assert_eq!(s.start(), Step::Challenge(Vec::new()));
    assert_eq!(s.step(&response), expected);
    let Step::Success(o) = s.answer(Answer::Accept) else {
        panic!()
    };
    assert_eq!(o.identity(), "test");

    let challenge = B64
        .decode("PDQxOTI5NDIzNDEuMTI4Mjg0NzJAc291cmNlZm91ci5hbmRyZXcuY211LmVkdT4=")
        .unwrap();
    assert_eq!(
        challenge,
        b"<4192942341.12828472@sourcefour.andrew.cmu.edu>"
    );
    let config = server::Config::new()
        .with_cram_md5_challenge(String::from_utf8(challenge.clone()).unwrap());
    let mut s = Server::new(Mechanism::CramMd5, &config);
    assert_eq!(s.start(), Step::Challenge(challenge));
    let response = B64
        .decode("cmpzMyBlYzNhNTlmZWQzOTVhYmExZWM2MzY3YzRmNGI0MWFjMA==")
        .unwrap();
    assert_eq!(
        s.step(&response),
        Step::Need(Request::Secret {
            authcid: "rjs3".into()
        })
    );
    // The RFC does not give rjs3's secret: any guess fails.
    assert_eq!(
        s.answer(Answer::Secret("guess".into())),
        Step::Failure(Error::AuthenticationFailed)
    );
}
