//! Client ↔ server round trips for every mechanism, right and wrong
//! credentials.
#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]

mod util;

use mailwire_sasl::client::{self, Credentials};
use mailwire_sasl::{ChannelBinding, ChannelBindingType, Error, Mechanism};
use util::{End, TestStore, binding, client_config, run, run_with, server_config};

const PASSWORD_MECHS: [Mechanism; 5] = [
    Mechanism::Plain,
    Mechanism::Login,
    Mechanism::CramMd5,
    Mechanism::ScramSha1,
    Mechanism::ScramSha256,
];

fn ok(end: End) -> mailwire_sasl::server::Outcome {
    match end {
        End::Ok(o) => o,
        other => panic!("expected success, got {other:?}"),
    }
}

#[test]
fn password_mechanisms_right_credentials_all_variants() {
    let store = TestStore::default();
    for m in PASSWORD_MECHS {
        for ir in [true, false] {
            for as_challenge in [true, false] {
                let end = run_with(
                    m,
                    Credentials::password("tim", "tanstaaftanstaaf"),
                    &server_config(),
                    &client_config(),
                    &store,
                    ir,
                    as_challenge,
                );
                let o = ok(end);
                assert_eq!(o.authcid, "tim", "{m}");
                assert_eq!(o.identity(), "tim");
            }
        }
    }
}

#[test]
fn password_mechanisms_wrong_password() {
    for m in PASSWORD_MECHS {
        let end = run(m, Credentials::password("tim", "wrong"));
        let End::Server(e) = end else {
            panic!("{m}: {end:?}")
        };
        let expected = if m.is_scram() {
            Error::InvalidProof
        } else {
            Error::AuthenticationFailed
        };
        assert_eq!(e, expected, "{m}");
    }
}

#[test]
fn password_mechanisms_unknown_user() {
    for m in PASSWORD_MECHS {
        let end = run(m, Credentials::password("nobody", "tanstaaftanstaaf"));
        let End::Server(e) = end else {
            panic!("{m}: {end:?}")
        };
        // SCRAM simulates the user and only fails at the proof.
        assert_eq!(e, Error::AuthenticationFailed, "{m}");
    }
}

#[test]
fn authzid_acting_as_another_user() {
    for m in [
        Mechanism::Plain,
        Mechanism::ScramSha1,
        Mechanism::ScramSha256,
    ] {
        let o = ok(run(
            m,
            Credentials::password("admin", "s3cret,=x").with_authzid("tim"),
        ));
        assert_eq!((o.authcid.as_str(), o.identity()), ("admin", "tim"), "{m}");
        let end = run(
            m,
            Credentials::password("tim", "tanstaaftanstaaf").with_authzid("admin"),
        );
        assert!(
            matches!(end, End::Server(Error::AuthenticationFailed)),
            "{m}: {end:?}"
        );
    }
}

#[test]
fn scram_saslname_escaping_round_trip() {
    for m in [Mechanism::ScramSha1, Mechanism::ScramSha256] {
        let o = ok(run(m, Credentials::password("a,b=c", "weird name")));
        assert_eq!(o.authcid, "a,b=c");
        let o = ok(run(
            m,
            Credentials::password("admin", "s3cret,=x").with_authzid("x,=y"),
        ));
        assert_eq!(o.identity(), "x,=y");
    }
}

#[test]
fn scram_plus_with_matching_binding() {
    let store = TestStore::default();
    for m in [Mechanism::ScramSha1Plus, Mechanism::ScramSha256Plus] {
        for kind in [
            ChannelBindingType::TlsExporter,
            ChannelBindingType::TlsServerEndPoint,
        ] {
            let cb = ChannelBinding::new(kind, vec![7; 32]);
            let end = run_with(
                m,
                Credentials::password("user", "pencil"),
                &server_config()
                    .with_channel_binding(ChannelBinding::new(
                        ChannelBindingType::TlsUnique,
                        vec![1; 12],
                    ))
                    .with_channel_binding(cb.clone()),
                &client_config().with_channel_binding(cb),
                &store,
                true,
                true,
            );
            assert_eq!(ok(end).authcid, "user");
        }
    }
}

#[test]
fn scram_plus_with_different_binding_data_fails() {
    let store = TestStore::default();
    let end = run_with(
        Mechanism::ScramSha256Plus,
        Credentials::password("user", "pencil"),
        &server_config().with_channel_binding(binding()),
        &client_config().with_channel_binding(ChannelBinding::new(
            ChannelBindingType::TlsExporter,
            vec![0xCD; 32],
        )),
        &store,
        true,
        false,
    );
    assert!(
        matches!(end, End::Server(Error::ChannelBindingMismatch)),
        "{end:?}"
    );
    // A type the server does not have.
    let end = run_with(
        Mechanism::ScramSha256Plus,
        Credentials::password("user", "pencil"),
        &server_config().with_channel_binding(binding()),
        &client_config().with_channel_binding(ChannelBinding::new(
            ChannelBindingType::TlsServerEndPoint,
            vec![0xAB; 32],
        )),
        &store,
        true,
        false,
    );
    assert!(
        matches!(end, End::Server(Error::ChannelBindingMismatch)),
        "{end:?}"
    );
}

#[test]
fn scram_plus_needs_binding_on_both_sides() {
    let store = TestStore::default();
    let end = run_with(
        Mechanism::ScramSha256Plus,
        Credentials::password("user", "pencil"),
        &server_config().with_channel_binding(binding()),
        &client_config(),
        &store,
        true,
        false,
    );
    assert!(
        matches!(end, End::Client(Error::Misconfigured(_))),
        "{end:?}"
    );
    let end = run_with(
        Mechanism::ScramSha256Plus,
        Credentials::password("user", "pencil"),
        &server_config(),
        &client_config().with_channel_binding(binding()),
        &store,
        true,
        false,
    );
    assert!(
        matches!(end, End::Server(Error::Misconfigured(_))),
        "{end:?}"
    );
}

#[test]
fn scram_downgrade_y_flag_is_detected() {
    let store = TestStore::default();
    // The client supports binding but chose SCRAM-SHA-256: it sends "y".
    // A server that offers -PLUS treats that as a downgrade.
    let end = run_with(
        Mechanism::ScramSha256,
        Credentials::password("user", "pencil"),
        &server_config().with_channel_binding(binding()),
        &client_config().with_channel_binding(binding()),
        &store,
        true,
        false,
    );
    assert!(
        matches!(end, End::Server(Error::ChannelBindingFlag { .. })),
        "{end:?}"
    );
    // A server without binding accepts "y".
    let end = run_with(
        Mechanism::ScramSha256,
        Credentials::password("user", "pencil"),
        &server_config(),
        &client_config().with_channel_binding(binding()),
        &store,
        true,
        false,
    );
    ok(end);
    // A client without binding ("n") is fine with a server that has it.
    let end = run_with(
        Mechanism::ScramSha1,
        Credentials::password("user", "pencil"),
        &server_config().with_channel_binding(binding()),
        &client_config(),
        &store,
        true,
        false,
    );
    ok(end);
}

#[test]
fn oauth_mechanisms() {
    for m in [Mechanism::XOAuth2, Mechanism::OAuthBearer] {
        let o = ok(run(m, Credentials::token("user@example.com", "good-token")));
        assert_eq!(o.authcid, "user@example.com", "{m}");
        let end = run(m, Credentials::token("user@example.com", "bad-token"));
        let End::Server(Error::TokenRejected(json)) = end else {
            panic!("{m}: {end:?}")
        };
        assert_eq!(json, r#"{"status":"invalid_token"}"#);
        let end = run(m, Credentials::token("someone@example.com", "good-token"));
        assert!(
            matches!(end, End::Server(Error::TokenRejected(_))),
            "{m}: {end:?}"
        );
        // Without an initial response.
        let store = TestStore::default();
        let end = run_with(
            m,
            Credentials::token("user@example.com", "good-token"),
            &server_config(),
            &client_config(),
            &store,
            false,
            false,
        );
        ok(end);
    }
    // OAUTHBEARER without a user: identity from the token.
    let o = ok(run(
        Mechanism::OAuthBearer,
        Credentials::token("", "good-token").with_host("mx.example.org", 993),
    ));
    assert_eq!(o.authcid, "user@example.com");
    assert_eq!(o.authzid, None);
}

#[test]
fn external() {
    let o = ok(run(Mechanism::External, Credentials::external()));
    assert_eq!(
        (o.authcid.as_str(), o.identity()),
        ("cert-user", "cert-user")
    );
    let o = ok(run(
        Mechanism::External,
        Credentials::external().with_authzid("cert-user"),
    ));
    assert_eq!(o.identity(), "cert-user");
    let end = run(
        Mechanism::External,
        Credentials::external().with_authzid("tim"),
    );
    assert!(
        matches!(end, End::Server(Error::AuthenticationFailed)),
        "{end:?}"
    );
    let store = TestStore::default();
    let end = run_with(
        Mechanism::External,
        Credentials::external(),
        &server_config(),
        &client_config(),
        &store,
        false,
        false,
    );
    ok(end);
}

#[test]
fn anonymous() {
    let o = ok(run(
        Mechanism::Anonymous,
        Credentials::anonymous("sirhc@example.org"),
    ));
    assert_eq!(o.authcid, "anonymous");
    ok(run(Mechanism::Anonymous, Credentials::anonymous("")));
    let store = TestStore {
        anonymous: false,
        ..TestStore::default()
    };
    let end = run_with(
        Mechanism::Anonymous,
        Credentials::anonymous("x"),
        &server_config(),
        &client_config(),
        &store,
        true,
        false,
    );
    assert!(
        matches!(end, End::Server(Error::AuthenticationFailed)),
        "{end:?}"
    );
}

#[test]
fn credentials_must_fit_the_mechanism() {
    let cfg = client_config();
    for (m, creds) in [
        (Mechanism::Plain, Credentials::token("u", "t")),
        (Mechanism::XOAuth2, Credentials::password("u", "p")),
        (Mechanism::External, Credentials::anonymous("x")),
        (Mechanism::Anonymous, Credentials::external()),
    ] {
        assert!(matches!(
            client::Client::new(m, creds, &cfg),
            Err(Error::Misconfigured(_))
        ));
    }
    // SCRAM needs a nonce (drawn from the OS with the getrandom feature).
    let c = client::Client::new(
        Mechanism::ScramSha256,
        Credentials::password("u", "p"),
        &client::Config::new(),
    );
    assert_eq!(c.is_ok(), cfg!(feature = "getrandom"));
}

#[test]
fn choose_picks_the_strongest_usable_mechanism() {
    use mailwire_sasl::client::choose;
    let all = Mechanism::ALL;
    let pw = Credentials::password("u", "p");
    let plain_cfg = client::Config::new();
    let cb_cfg = client::Config::new().with_channel_binding(binding());
    assert_eq!(
        choose(all, &pw, &cb_cfg, true),
        Some(Mechanism::ScramSha256Plus)
    );
    assert_eq!(
        choose(all, &pw, &plain_cfg, true),
        Some(Mechanism::ScramSha256)
    );
    assert_eq!(
        choose(
            [Mechanism::Login, Mechanism::CramMd5],
            &pw,
            &plain_cfg,
            false
        ),
        Some(Mechanism::CramMd5)
    );
    assert_eq!(
        choose([Mechanism::Login, Mechanism::Plain], &pw, &plain_cfg, true),
        Some(Mechanism::Plain)
    );
    let tok = Credentials::token("u", "t");
    assert_eq!(
        choose(all, &tok, &plain_cfg, true),
        Some(Mechanism::OAuthBearer)
    );
    assert_eq!(choose(all, &tok, &plain_cfg, false), None);
    assert_eq!(
        choose([Mechanism::XOAuth2], &tok, &plain_cfg, true),
        Some(Mechanism::XOAuth2)
    );
    assert_eq!(
        choose(all, &Credentials::external(), &plain_cfg, true),
        Some(Mechanism::External)
    );
    assert_eq!(
        choose(
            [Mechanism::Plain],
            &Credentials::anonymous(""),
            &plain_cfg,
            true
        ),
        None
    );
}

#[test]
fn scram_passwords_are_saslprepped_on_both_sides() {
    let mut store = TestStore::default();
    store.passwords.insert("roman", "\u{2168}"); // ROMAN NUMERAL NINE
    for m in [Mechanism::ScramSha1, Mechanism::ScramSha256] {
        for typed in ["IX", "I\u{AD}X", "\u{2168}"] {
            let end = run_with(
                m,
                Credentials::password("roman", typed),
                &server_config(),
                &client_config(),
                &store,
                true,
                false,
            );
            assert_eq!(ok(end).authcid, "roman", "{m} {typed:?}");
        }
        let end = run_with(
            m,
            Credentials::password("roman", "XI"),
            &server_config(),
            &client_config(),
            &store,
            true,
            false,
        );
        assert!(matches!(end, End::Server(Error::InvalidProof)), "{end:?}");
    }
}

#[test]
fn credentials_that_would_break_framing_are_refused() {
    let cfg = client_config();
    for (m, creds) in [
        (Mechanism::Plain, Credentials::password("t\0m", "p")),
        (
            Mechanism::Plain,
            Credentials::password("tim", "p").with_authzid("a\0b"),
        ),
        (Mechanism::ScramSha256, Credentials::password("t\0m", "p")),
        (Mechanism::XOAuth2, Credentials::token("u\u{1}", "t")),
        (Mechanism::OAuthBearer, Credentials::token("u", "t\u{1}x")),
        (
            Mechanism::OAuthBearer,
            Credentials::token("u", "t").with_host("a\u{1}b", 1),
        ),
    ] {
        assert!(
            matches!(
                client::Client::new(m, creds, &cfg),
                Err(Error::Misconfigured(_))
            ),
            "{m}"
        );
    }
}
