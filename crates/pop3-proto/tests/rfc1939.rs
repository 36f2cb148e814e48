//! RFC 1939 example sessions (and RFC 2449 / 5034 examples) as `C:`/`S:`
//! transcripts against the server machine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod util;

use mailwire_pop3_proto::server::{Config, Event};
use util::{Store, plaintext_config, run_transcript};

/// RFC 1939 section 10, with our free-form texts.
#[test]
fn section_10_example_session() {
    let mut store = Store::new();
    run_transcript(
        plaintext_config(),
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
        S: +OK mrose's maildrop has 2 messages (320 octets)
        C: STAT
        S: +OK 2 320
        C: LIST
        S: +OK 2 messages (320 octets)
        S: 1 120
        S: 2 200
        S: .
        C: RETR 1
        S: +OK 120 octets
        S: <message 1>
        S: .
        C: DELE 1
        S: +OK message 1 deleted
        C: RETR 2
        S: +OK 200 octets
        S: <message 2>
        S: .
        C: DELE 2
        S: +OK message 2 deleted
        C: QUIT
        S: +OK POP3 server signing off (maildrop empty)
        ",
    );
    assert_eq!(
        store.deleted,
        ["whqtswO00WBw418f9t5JxYwZ", "QhdPYR:00WBw1Ph7x7"]
    );
    assert_eq!(store.updates, 1);
}

/// RFC 1939 section 7 (USER, PASS examples), including the lock case.
#[test]
fn user_pass_and_locked_maildrop() {
    let mut store = Store::new();
    store.locked = true;
    run_transcript(
        plaintext_config(),
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: USER mrose
        S: +OK send PASS
        C: PASS secret
        S: -ERR [AUTH] invalid credentials
        C: PASS tanstaaf
        S: -ERR command not valid in this state
        C: user mrose
        S: +OK send PASS
        C: pass tanstaaf
        S: -ERR [IN-USE] maildrop already locked
        ",
    );
    store.locked = false;
    run_transcript(
        plaintext_config(),
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: USER mrose
        S: +OK send PASS
        C: PASS tanstaaf
        S: +OK mrose's maildrop has 2 messages (320 octets)
        ",
    );
}

/// RFC 1939 sections 5 and 7: LIST, DELE, NOOP, RSET, UIDL, TOP, QUIT
/// examples.
#[test]
fn transaction_commands() {
    let mut store = Store::new();
    let server = run_transcript(
        plaintext_config(),
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: USER mrose
        S: +OK send PASS
        C: PASS tanstaaf
        S: +OK mrose's maildrop has 2 messages (320 octets)
        C: LIST 2
        S: +OK 2 200
        C: LIST 3
        S: -ERR no such message, only 2 messages in maildrop
        C: DELE 1
        S: +OK message 1 deleted
        C: DELE 1
        S: -ERR message 1 already deleted
        C: LIST 1
        S: -ERR message 1 already deleted
        C: RETR 1
        S: -ERR message 1 already deleted
        C: STAT
        S: +OK 1 200
        C: LIST
        S: +OK 1 messages (200 octets)
        S: 2 200
        S: .
        C: NOOP
        S: +OK
        C: RSET
        S: +OK maildrop has 2 messages (320 octets)
        C: UIDL
        S: +OK
        S: 1 whqtswO00WBw418f9t5JxYwZ
        S: 2 QhdPYR:00WBw1Ph7x7
        S: .
        C: UIDL 2
        S: +OK 2 QhdPYR:00WBw1Ph7x7
        C: UIDL 3
        S: -ERR no such message, only 2 messages in maildrop
        C: TOP 1 0
        S: +OK
        S: Subject: message 1
        S: 
        S: .
        C: TOP 1 1
        S: +OK
        S: Subject: message 1
        S: 
        S: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
        S: .
        C: TOP 100 3
        S: -ERR no such message, only 2 messages in maildrop
        C: RETR 0
        S: -ERR syntax error at offset 5: expected message number
        C: QUIT
        S: +OK POP3 server signing off (2 messages left)
        ",
    );
    assert!(server.is_closed());
    assert!(store.deleted.is_empty(), "RSET unmarked the deletion");
    assert_eq!(store.updates, 1);
}

/// RFC 1939 section 6: QUIT in AUTHORIZATION enters no UPDATE state.
#[test]
fn quit_in_authorization_updates_nothing() {
    let mut store = Store::new();
    let server = run_transcript(
        plaintext_config(),
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: STAT
        S: -ERR command not valid in this state
        C: FOO
        S: -ERR unknown command
        C: QUIT
        S: +OK POP3 server signing off
        ",
    );
    assert!(server.is_closed());
    assert_eq!(store.updates, 0);
    assert!(
        store
            .server_events
            .iter()
            .any(|e| matches!(e, Event::Closed))
    );
}

/// RFC 1939 section 7: a wrong APOP digest fails, and the right one works.
#[test]
fn apop() {
    let mut store = Store::new();
    run_transcript(
        plaintext_config(),
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: APOP mrose c4c9334bac560ecc979e58001b3e22fc
        S: -ERR [AUTH] authentication failed
        C: APOP nobody c4c9334bac560ecc979e58001b3e22fb
        S: -ERR [AUTH] no such user
        C: APOP mrose C4C9334BAC560ECC979E58001B3E22FB
        S: +OK mrose's maildrop has 2 messages (320 octets)
        ",
    );
    // Without a timestamp APOP is not offered.
    let mut config = plaintext_config();
    config.apop_timestamp = None;
    run_transcript(
        config,
        &mut store,
        "
        S: +OK POP3 server ready
        C: APOP mrose c4c9334bac560ecc979e58001b3e22fb
        S: -ERR command not valid in this state
        ",
    );
}

/// RFC 2449 section 5: CAPA in both states.
#[test]
fn capa() {
    let mut store = Store::new();
    let mut config = plaintext_config();
    config.login_delay = Some(900);
    config.expire = Some(mailwire_pop3_proto::capability::Expire::Days(60));
    config.implementation = Some("Shlemazle-Plotz-v302".into());
    config.stls = true;
    run_transcript(
        config,
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: CAPA
        S: +OK Capability list follows
        S: TOP
        S: UIDL
        S: RESP-CODES
        S: PIPELINING
        S: LOGIN-DELAY 900
        S: EXPIRE 60
        S: USER
        S: SASL PLAIN
        S: STLS
        S: IMPLEMENTATION Shlemazle-Plotz-v302
        S: .
        C: USER mrose
        S: +OK send PASS
        C: PASS tanstaaf
        S: +OK mrose's maildrop has 2 messages (320 octets)
        C: CAPA
        S: +OK Capability list follows
        S: TOP
        S: UIDL
        S: RESP-CODES
        S: PIPELINING
        S: LOGIN-DELAY 900
        S: EXPIRE 60
        S: IMPLEMENTATION Shlemazle-Plotz-v302
        S: .
        ",
    );
}

/// RFC 5034 section 6 (AUTH PLAIN, with and without initial response,
/// `=`, cancel, bad base64).
#[test]
fn auth_plain() {
    let mut store = Store::new();
    // "\0mrose\0tanstaaf"
    run_transcript(
        plaintext_config(),
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: AUTH CRAM-MD5
        S: -ERR unsupported authentication mechanism
        C: AUTH PLAIN
        S: + 
        C: *
        S: -ERR authentication cancelled
        C: AUTH PLAIN
        S: + 
        C: =AAA
        S: -ERR invalid base64
        C: AUTH PLAIN =
        S: -ERR malformed PLAIN message at offset 0: expected [authzid] NUL authcid NUL passwd
        S: -ERR too many authentication failures
        ",
    );
    let mut store = Store::new();
    run_transcript(
        plaintext_config(),
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: AUTH plain
        S: + 
        C: AG1yb3NlAHRhbnN0YWFm
        S: +OK mrose's maildrop has 2 messages (320 octets)
        C: AUTH PLAIN AG1yb3NlAHRhbnN0YWFm
        S: -ERR command not valid in this state
        ",
    );
    let mut store = Store::new();
    run_transcript(
        plaintext_config(),
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: AUTH PLAIN AG1yb3NlAHRhbnN0YWFm
        S: +OK mrose's maildrop has 2 messages (320 octets)
        ",
    );
}

/// RFC 6856: UTF8 in AUTHORIZATION only, STLS refused after it.
#[test]
fn utf8() {
    let mut store = Store::new();
    let mut config = plaintext_config();
    config.utf8 = Some(true);
    config.stls = true;
    let server = run_transcript(
        config,
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: UTF8
        S: +OK UTF8 enabled
        C: STLS
        S: -ERR command not valid in this state
        C: USER mrose
        S: +OK send PASS
        C: PASS tanstaaf
        S: +OK mrose's maildrop has 2 messages (320 octets)
        C: UTF8
        S: -ERR command not valid in this state
        ",
    );
    assert!(server.is_utf8());
    // Without UTF8 USER, a non-ASCII user name is refused with [UTF8].
    let mut store = Store::new();
    run_transcript(
        plaintext_config(),
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: USER jörg
        S: -ERR [UTF8] non-ASCII user name not accepted
        ",
    );
}

/// A server without plaintext auth: USER and AUTH PLAIN refused before TLS
/// and not announced (RFC 2595 section 4).
#[test]
fn plaintext_auth_refused_without_tls() {
    let mut store = Store::new();
    let mut config = Config::default();
    config.stls = true;
    run_transcript(
        config,
        &mut store,
        "
        S: +OK POP3 server ready
        C: CAPA
        S: +OK Capability list follows
        S: TOP
        S: UIDL
        S: RESP-CODES
        S: PIPELINING
        S: STLS
        S: .
        C: USER mrose
        S: -ERR [AUTH] plaintext authentication disallowed without TLS (use STLS)
        C: PASS tanstaaf
        S: -ERR command not valid in this state
        C: AUTH PLAIN AG1yb3NlAHRhbnN0YWFm
        S: -ERR [AUTH] plaintext authentication disallowed without TLS (use STLS)
        ",
    );
    assert_eq!(store.updates, 0);
}

/// RFC 2195 section 2 example, CRAM-MD5 run by the SASL crate and
/// relayed through the machine (the application supplies the secret).
#[test]
fn auth_cram_md5_relayed() {
    let mut store = Store::new();
    store.users.push(("tim".into(), "tanstaaftanstaaf".into()));
    let mut config = plaintext_config();
    config.sasl = mailwire_sasl::Policy::none().allow_after_tls(mailwire_sasl::Mechanism::CramMd5);
    config.sasl_config = mailwire_sasl::server::Config::new()
        .with_cram_md5_challenge("<1896.697170952@postoffice.reston.mci.net>");
    run_transcript(
        config,
        &mut store,
        "
        S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>
        C: AUTH CRAM-MD5
        S: + PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+
        C: dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw
        S: +OK tim's maildrop has 2 messages (320 octets)
        ",
    );
    assert!(
        store
            .server_events
            .iter()
            .any(|e| matches!(e, Event::Sasl { .. }))
    );
}
