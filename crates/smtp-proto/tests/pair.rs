//! In-memory Client <-> Server pair: plain, pipelined, STARTTLS, AUTH, BDAT,
//! LMTP and failures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{App, drive, fwd, host};
use mailwire_sasl::client::Credentials;
use mailwire_sasl::{Mechanism, Policy};
use mailwire_smtp_proto::client::{
    self, Client, ClientError, Envelope, Event, MessageResult, TlsMode,
};
use mailwire_smtp_proto::path::{Mailbox, ReversePath};
use mailwire_smtp_proto::server::{self, Server};

fn from() -> ReversePath<'static> {
    ReversePath::Mailbox(Mailbox::parse("alice@example.org").unwrap().into_owned())
}

fn results(events: &[Event]) -> Vec<MessageResult> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Message(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

fn run(
    sc: server::Config,
    cc: client::Config,
    msgs: &[(&[&str], &[u8])],
) -> (Vec<Event>, App, Server, Client) {
    let lmtp = sc.lmtp;
    let mut s = Server::new(sc);
    let mut c = Client::new(cc);
    let mut app = App {
        lmtp,
        ..App::default()
    };
    for (rcpts, body) in msgs {
        c.send(
            Envelope::new(from(), rcpts.iter().map(|r| fwd(r))),
            body.to_vec(),
        );
    }
    c.quit().unwrap();
    let ev = drive(&mut c, &mut s, &mut app);
    (ev, app, s, c)
}

#[test]
fn plain_pipelined_two_messages() {
    let (ev, app, s, c) = run(
        server::Config::new("mx.example"),
        client::Config::new(host("client.example")),
        &[
            (&["bob@example.net"], b".leading dot\nline2"),
            (&["carol@example.net", "dave@example.net"], b"hi\r\n"),
        ],
    );
    let r = results(&ev);
    assert_eq!(r.len(), 2);
    assert!(r.iter().all(MessageResult::is_complete_success), "{r:?}");
    assert_eq!(app.delivered.len(), 2);
    // CHUNKING is offered by default: the body goes through BDAT, normalized.
    assert_eq!(app.delivered[0].body, b".leading dot\r\nline2\r\n");
    assert_eq!(
        app.delivered[1].recipients,
        ["<carol@example.net>", "<dave@example.net>"]
    );
    assert!(s.is_closed() && c.is_closed());
    assert!(matches!(ev.last(), Some(Event::Closed)));
}

#[test]
fn data_path_without_chunking_dot_stuffs_first_line() {
    let mut sc = server::Config::new("mx.example");
    sc.chunking = false;
    let (ev, app, _, _) = run(
        sc,
        client::Config::new(host("client.example")),
        &[(&["bob@example.net"], b".\n..x\r\n.y")],
    );
    assert!(results(&ev)[0].is_complete_success());
    assert_eq!(app.delivered[0].body, b".\r\n..x\r\n.y\r\n");
}

#[test]
fn not_pipelined_mixed_recipients() {
    let mut sc = server::Config::new("mx.example");
    sc.pipelining = false;
    sc.chunking = false;
    let (ev, app, _, _) = run(
        sc,
        client::Config::new(host("client.example")),
        &[(&["bad1@x.org", "ok@x.org", "bad2@x.org"], b"body")],
    );
    let r = &results(&ev)[0];
    assert_eq!(r.delivered().len(), 1);
    assert!(!r.recipients[0].1.as_ref().unwrap().is_positive());
    assert_eq!(app.delivered[0].recipients, ["<ok@x.org>"]);
}

#[test]
fn all_recipients_fail_pipelined_data() {
    let mut sc = server::Config::new("mx.example");
    sc.chunking = false;
    let (ev, app, _, c) = run(
        sc,
        client::Config::new(host("c.example")),
        &[(&["bad@x.org"], b"body"), (&["ok@x.org"], b"second")],
    );
    let r = results(&ev);
    assert_eq!(r[0].delivered().len(), 0);
    assert!(r[0].data.is_empty());
    // the next transaction still works (RSET ended the failed one)
    assert!(r[1].is_complete_success());
    assert_eq!(app.delivered.len(), 1);
    assert!(c.is_closed());
}

#[test]
fn helo_fallback() {
    // A server config rejecting EHLO is emulated with a scripted server below.
    let mut c = Client::new(client::Config::new(host("c.example")));
    c.send(
        Envelope::new(ReversePath::Null, [fwd("u@x.org")]),
        b"x".to_vec(),
    );
    c.feed(b"220 old.example\r\n");
    assert_eq!(c.poll_transmit().unwrap(), &b"EHLO c.example\r\n"[..]);
    c.feed(b"500 what\r\n");
    assert_eq!(c.poll_transmit().unwrap(), &b"HELO c.example\r\n"[..]);
    c.feed(b"250 old.example\r\n");
    // no PIPELINING: MAIL alone
    assert_eq!(c.poll_transmit().unwrap(), &b"MAIL FROM:<>\r\n"[..]);
    c.feed(b"250 ok\r\n");
    assert_eq!(c.poll_transmit().unwrap(), &b"RCPT TO:<u@x.org>\r\n"[..]);
    c.feed(b"250 ok\r\n");
    assert_eq!(c.poll_transmit().unwrap(), &b"DATA\r\n"[..]);
    c.feed(b"354 go\r\n");
    assert_eq!(c.poll_transmit().unwrap(), &b"x\r\n.\r\n"[..]);
    c.feed(b"250 queued\r\n");
    let ev: Vec<Event> = std::iter::from_fn(|| c.poll_event()).collect();
    assert!(results(&ev)[0].is_complete_success());
}

#[test]
fn starttls_then_auth_plain() {
    let mut sc = server::Config::new("mx.example");
    sc.starttls = true;
    sc.auth_required = true;
    let mut cc = client::Config::new(host("c.example"));
    cc.tls = TlsMode::Required;
    cc.credentials = Some(Credentials::password("tim", "tanstaaf"));
    let (ev, app, s, _) = run(sc, cc, &[(&["bob@x.org"], b"secret mail")]);
    assert!(ev.contains(&Event::TlsEstablished));
    assert!(
        ev.contains(&Event::Authenticated {
            mechanism: Mechanism::Plain
        }),
        "{ev:?}"
    );
    assert!(results(&ev)[0].is_complete_success());
    assert_eq!(app.identity.as_deref(), Some("tim"));
    assert!(s.is_tls());
}

#[test]
fn auth_login_and_wrong_password() {
    let mut sc = server::Config::new("mx.example");
    sc.implicit_tls = true;
    sc.auth_policy = Policy::none().allow_after_tls(Mechanism::Login);
    let mut cc = client::Config::new(host("c.example"));
    cc.implicit_tls = true;
    cc.credentials = Some(Credentials::password("tim", "tanstaaf"));
    let (ev, ..) = run(sc.clone(), cc.clone(), &[]);
    assert!(
        ev.contains(&Event::Authenticated {
            mechanism: Mechanism::Login
        }),
        "{ev:?}"
    );

    cc.credentials = Some(Credentials::password("tim", "wrong"));
    let (ev, ..) = run(sc, cc, &[(&["bob@x.org"], b"x")]);
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::Error(ClientError::Auth(r)) if r.code().get() == 535)),
        "{ev:?}"
    );
    assert!(results(&ev).is_empty());
}

#[test]
fn auth_xoauth2() {
    let mut sc = server::Config::new("mx.example");
    sc.implicit_tls = true;
    sc.auth_policy = Policy::none().allow_after_tls(Mechanism::XOAuth2);
    let mut cc = client::Config::new(host("c.example"));
    cc.implicit_tls = true;
    cc.credentials = Some(Credentials::token("tim", "token123"));
    let (ev, app, ..) = run(sc, cc, &[]);
    assert!(
        ev.contains(&Event::Authenticated {
            mechanism: Mechanism::XOAuth2
        }),
        "{ev:?}"
    );
    assert_eq!(app.identity.as_deref(), Some("tim"));
}

#[test]
fn auth_not_offered_without_tls() {
    let sc = server::Config::new("mx.example");
    let mut cc = client::Config::new(host("c.example"));
    cc.credentials = Some(Credentials::password("tim", "tanstaaf"));
    let (ev, ..) = run(sc, cc, &[]);
    assert!(
        ev.contains(&Event::Error(ClientError::AuthNotAvailable)),
        "{ev:?}"
    );
}

#[test]
fn starttls_required_but_missing() {
    let mut cc = client::Config::new(host("c.example"));
    cc.tls = TlsMode::Required;
    let (ev, ..) = run(server::Config::new("mx.example"), cc, &[(&["a@b.c"], b"x")]);
    assert!(ev.contains(&Event::Error(ClientError::StartTlsNotOffered)));
    assert!(results(&ev).is_empty());
}

#[test]
fn lmtp_per_recipient() {
    let mut sc = server::Config::new("lmtp.example");
    sc.lmtp = true;
    sc.chunking = false;
    let mut cc = client::Config::new(host("c.example"));
    cc.lmtp = true;
    let (ev, app, ..) = run(
        sc,
        cc,
        &[(&["a@x.org", "bad@x.org", "full@x.org", "b@x.org"], b"hello")],
    );
    let r = &results(&ev)[0];
    assert_eq!(r.data.len(), 3);
    let delivered: Vec<String> = r.delivered().iter().map(ToString::to_string).collect();
    assert_eq!(delivered, ["<a@x.org>", "<b@x.org>"]);
    assert_eq!(app.delivered.len(), 1);
}

#[test]
fn lmtp_bdat() {
    let mut sc = server::Config::new("lmtp.example");
    sc.lmtp = true;
    let mut cc = client::Config::new(host("c.example"));
    cc.lmtp = true;
    let (ev, app, ..) = run(sc, cc, &[(&["a@x.org", "full@x.org"], b"hello")]);
    let r = &results(&ev)[0];
    assert_eq!(r.data.len(), 2);
    assert_eq!(r.delivered().len(), 1);
    assert_eq!(app.delivered[0].body, b"hello\r\n");
}

#[test]
fn size_limit_rejects_message() {
    let mut sc = server::Config::new("mx.example");
    sc.limits.message_size = 10;
    sc.chunking = false;
    // The client would refuse locally (SIZE); make the server enforce it.
    let mut cc = client::Config::new(host("c.example"));
    cc.declare_size = false;
    let (ev, app, ..) = run(
        sc.clone(),
        cc.clone(),
        &[(&["a@x.org"], b"0123456789abcdef")],
    );
    let r = &results(&ev)[0];
    assert_eq!(r.data[0].code().get(), 552);
    assert!(app.delivered.is_empty());
    sc.chunking = true;
    let (ev, app, ..) = run(
        sc,
        cc,
        &[(&["a@x.org"], b"0123456789abcdef"), (&["a@x.org"], b"ok")],
    );
    let r = results(&ev);
    assert_eq!(r[0].data[0].code().get(), 552);
    assert!(r[1].is_complete_success());
    assert_eq!(app.delivered.len(), 1);
}

#[test]
fn client_declares_size_and_refuses_too_large() {
    let mut sc = server::Config::new("mx.example");
    sc.limits.message_size = 10;
    let (ev, app, ..) = run(
        sc,
        client::Config::new(host("c.example")),
        &[(&["a@x.org"], b"0123456789abcdef"), (&["a@x.org"], b"ok")],
    );
    let r = results(&ev);
    assert!(matches!(
        r[0].local_error,
        Some(client::LocalError::TooLarge {
            size: 16,
            limit: 10
        })
    ));
    assert!(r[0].mail.is_none());
    assert!(r[1].is_complete_success());
    assert!(
        app.events.iter().any(|e| e.contains("MailParams([Size")),
        "{:?}",
        app.events
    );
}

#[test]
fn client_declares_smtputf8_and_8bitmime() {
    let (ev, app, ..) = run(
        server::Config::new("mx.example"),
        client::Config::new(host("c.example")),
        &[(
            &["j\u{f6}rg@b\u{fc}cher.example"],
            "Gr\u{fc}\u{df}e\r\n".as_bytes(),
        )],
    );
    assert!(results(&ev)[0].is_complete_success(), "{ev:?}");
    assert_eq!(app.delivered[0].body, "Gr\u{fc}\u{df}e\r\n".as_bytes());
    // The server answers 553 5.6.7 to a non-ASCII RCPT without SMTPUTF8,
    // so this delivery proves the client declared it.
    assert_eq!(app.delivered[0].recipients.len(), 1);
}

#[test]
fn client_rejects_bare_lf_when_configured() {
    let mut cc = client::Config::new(host("c.example"));
    cc.bare_line_endings = mailwire_smtp_proto::data::BareLineEndings::Reject;
    let (ev, app, ..) = run(
        server::Config::new("mx.example"),
        cc,
        &[(&["a@x.org"], b"a\nb")],
    );
    assert!(results(&ev)[0].local_error.is_some());
    assert!(app.delivered.is_empty());
}
