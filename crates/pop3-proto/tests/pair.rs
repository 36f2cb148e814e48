//! The client and server machines talking to each other in memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod util;

use bytes::BytesMut;
use mailwire_pop3_proto::client::{self, Event, TlsPolicy};
use mailwire_pop3_proto::server;
use mailwire_pop3_proto::{ResponseCode, Secret};
use util::{Pair, plaintext_config};

fn tls_server() -> server::Config {
    let mut c = server::Config::default();
    c.stls = true;
    c.apop_timestamp = Some("<42.1@example.org>".into());
    c
}

fn message_of(events: &[Event], h: client::CommandHandle) -> Vec<u8> {
    let mut m = BytesMut::new();
    let mut started = false;
    let mut ended = false;
    for e in events {
        match e {
            Event::MessageStart { handle } if *handle == h => started = true,
            Event::MessageChunk { handle, data } if *handle == h => {
                assert!(started && !ended);
                m.extend_from_slice(data);
            }
            Event::MessageEnd { handle } if *handle == h => ended = true,
            _ => {}
        }
    }
    assert!(started && ended, "message {h:?} incomplete in {events:?}");
    m.to_vec()
}

#[test]
fn full_session_with_stls_and_pipelining() {
    let mut p = Pair::new(client::Config::default(), tls_server());
    p.store.messages.push((
        "dots".into(),
        b"Subject: dots\r\n\r\n.\r\n..\r\n.x\r\nend".to_vec(),
    ));
    let dots = p.store.messages[2].1.len() as u64;
    p.drive();
    assert_eq!(p.tls_upgrades, 1);
    let ev = p.events();
    assert!(matches!(ev[0], Event::StartTls), "{ev:?}");
    let Event::Ready {
        capabilities,
        apop_timestamp,
    } = &ev[1]
    else {
        panic!("{ev:?}")
    };
    // Re-asked after TLS: USER now offered, STLS no longer.
    assert!(capabilities.user() && !capabilities.stls() && capabilities.pipelining());
    assert_eq!(apop_timestamp.as_deref(), Some("<42.1@example.org>"));
    assert!(p.client.is_tls() && p.server.is_tls());

    let login = p.client.login("mrose", Secret::from("tanstaaf")).unwrap();
    p.drive();
    assert_eq!(p.events(), [Event::Authenticated { handle: login }]);

    let c2s_before = p.c2s.len();
    let stat = p.client.stat().unwrap();
    let list = p.client.list(None).unwrap();
    let uidl = p.client.uidl(Some(2)).unwrap();
    let r1 = p.client.retr(1).unwrap();
    let r3 = p.client.retr(3).unwrap();
    let top = p.client.top(2, 1).unwrap();
    let dele = p.client.dele(1).unwrap();
    // PIPELINING: all seven commands went out before any answer.
    let sent = p.client.poll_transmit().unwrap();
    assert_eq!(
        &sent[..],
        b"STAT\r\nLIST\r\nUIDL 2\r\nRETR 1\r\nRETR 3\r\nTOP 2 1\r\nDELE 1\r\n"
    );
    p.server.feed(&sent);
    p.c2s.extend_from_slice(&sent);
    assert!(p.c2s.len() > c2s_before);
    p.drive();
    let ev = p.events();
    assert!(ev.contains(&Event::Stat {
        handle: stat,
        stat: mailwire_pop3_proto::response::Stat {
            count: 3,
            size: 320 + dots
        }
    }));
    let Some(Event::List { entries, .. }) = ev
        .iter()
        .find(|e| matches!(e, Event::List { handle, .. } if *handle == list))
    else {
        panic!()
    };
    assert_eq!(
        entries.iter().map(|e| (e.msg, e.size)).collect::<Vec<_>>(),
        [(1, 120), (2, 200), (3, dots)]
    );
    assert!(ev.iter().any(|e| matches!(e, Event::Uidl { handle, entries } if *handle == uidl && entries[0].uid == "QhdPYR:00WBw1Ph7x7")));
    assert_eq!(message_of(&ev, r1), p.store.messages[0].1);
    // Dot lines survive the round trip; the unterminated last line gets CRLF.
    assert_eq!(
        message_of(&ev, r3),
        b"Subject: dots\r\n\r\n.\r\n..\r\n.x\r\nend\r\n"
    );
    let t = message_of(&ev, top);
    assert!(
        t.starts_with(b"Subject: message 2\r\n\r\nxx")
            && t.iter().filter(|&&b| b == b'\n').count() == 3,
        "{t:?}"
    );
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::Done { handle, .. } if *handle == dele))
    );
    // Answers arrive in command order.
    let order: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            Event::Stat { handle, .. }
            | Event::List { handle, .. }
            | Event::Uidl { handle, .. }
            | Event::MessageEnd { handle }
            | Event::Done { handle, .. } => Some(*handle),
            _ => None,
        })
        .collect();
    assert_eq!(order, [stat, list, uidl, r1, r3, top, dele]);

    assert!(p.store.deleted.is_empty(), "nothing deleted before QUIT");
    let capa = p.client.capa().unwrap();
    p.drive();
    let ev = p.events();
    let [
        Event::Capabilities {
            handle,
            capabilities,
        },
    ] = ev.as_slice()
    else {
        panic!("{ev:?}")
    };
    assert_eq!(*handle, capa);
    assert!(
        capabilities.top() && !capabilities.user(),
        "TRANSACTION capabilities"
    );
    let quit = p.client.quit().unwrap();
    p.drive();
    let ev = p.events();
    assert!(
        matches!(&ev[0], Event::Done { handle, response } if *handle == quit && response.text.contains("2 messages left"))
    );
    assert_eq!(ev[1], Event::Closed);
    assert_eq!(p.store.deleted, ["whqtswO00WBw418f9t5JxYwZ"]);
    assert!(p.server.is_closed() && p.client.is_closed());
}

#[test]
fn without_pipelining_commands_go_one_at_a_time() {
    let mut sc = plaintext_config();
    sc.pipelining = false;
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    let mut p = Pair::new(cc, sc);
    p.drive();
    p.events();
    p.client.login("mrose", Secret::from("tanstaaf")).unwrap();
    p.drive();
    p.events();
    p.client.stat().unwrap();
    p.client.noop().unwrap();
    assert_eq!(&p.client.poll_transmit().unwrap()[..], b"STAT\r\n");
    assert!(p.client.poll_transmit().is_none());
    p.server.feed(b"STAT\r\n");
    let out = p.store.drain(&mut p.server);
    p.client.feed(&out);
    assert_eq!(&p.client.poll_transmit().unwrap()[..], b"NOOP\r\n");
}

#[test]
fn apop_and_auth_plain_logins() {
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::Opportunistic;
    let mut p = Pair::new(cc.clone(), plaintext_config());
    p.drive();
    p.events();
    let h = p.client.apop("mrose", &Secret::from("tanstaaf")).unwrap();
    p.drive();
    assert_eq!(p.events(), [Event::Authenticated { handle: h }]);
    assert!(
        p.c2s
            .ends_with(b"APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n")
    );

    // AUTH PLAIN with an initial response.
    let mut p = Pair::new(cc.clone(), plaintext_config());
    p.drive();
    p.events();
    let h = p
        .client
        .authenticate("PLAIN", Some(Secret::new(&b"\0mrose\0tanstaaf"[..])))
        .unwrap();
    p.drive();
    assert_eq!(p.events(), [Event::Authenticated { handle: h }]);

    // AUTH PLAIN without: empty challenge, then the response.
    let mut p = Pair::new(cc.clone(), plaintext_config());
    p.drive();
    p.events();
    let h = p.client.authenticate("PLAIN", None).unwrap();
    p.drive();
    assert_eq!(
        p.events(),
        [Event::SaslChallenge {
            handle: h,
            challenge: vec![]
        }]
    );
    p.client.sasl_respond(b"\0mrose\0wrong").unwrap();
    p.drive();
    let ev = p.events();
    assert!(
        matches!(&ev[0], Event::Failed { handle, response } if *handle == h && response.code == Some(ResponseCode::Auth)),
        "{ev:?}"
    );

    // An initial response too long for 255 octets goes after the empty challenge.
    let mut p = Pair::new(cc, plaintext_config());
    p.store.users.push(("long".into(), "p".repeat(300)));
    p.drive();
    p.events();
    let ir = [&b"\0long\0"[..], "p".repeat(300).as_bytes()].concat();
    let h = p
        .client
        .authenticate("PLAIN", Some(Secret::new(ir)))
        .unwrap();
    p.drive();
    assert_eq!(p.events(), [Event::Authenticated { handle: h }]);
    assert!(p.c2s.windows(12).any(|w| w == b"AUTH PLAIN\r\n"));
}

#[test]
fn in_use_and_bad_password_are_typed() {
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    let mut p = Pair::new(cc, plaintext_config());
    p.store.locked = true;
    p.drive();
    p.events();
    let h = p.client.login("mrose", Secret::from("tanstaaf")).unwrap();
    p.drive();
    let ev = p.events();
    assert!(
        matches!(&ev[0], Event::Failed { handle, response } if *handle == h && response.code == Some(ResponseCode::InUse)),
        "{ev:?}"
    );
    // Still in AUTHORIZATION: a second attempt works once unlocked.
    p.store.locked = false;
    let h = p.client.login("mrose", Secret::from("tanstaaf")).unwrap();
    p.drive();
    assert_eq!(p.events(), [Event::Authenticated { handle: h }]);
}

#[test]
fn client_requires_tls_when_not_offered() {
    let mut p = Pair::new(client::Config::default(), plaintext_config());
    p.drive();
    let ev = p.events();
    assert_eq!(
        ev,
        [
            Event::Error(mailwire_pop3_proto::ProtocolError::TlsUnavailable),
            Event::Closed
        ]
    );
}

#[test]
fn dropped_connection_deletes_nothing() {
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    let mut p = Pair::new(cc, plaintext_config());
    p.drive();
    p.client.login("mrose", Secret::from("tanstaaf")).unwrap();
    p.drive();
    p.client.dele(1).unwrap();
    p.client.dele(2).unwrap();
    p.drive();
    assert_eq!(
        p.events()
            .iter()
            .filter(|e| matches!(e, Event::Done { .. }))
            .count(),
        2
    );
    // The connection drops here: both machines are simply discarded.
    drop(p.client);
    drop(p.server);
    assert!(p.store.deleted.is_empty());
    assert_eq!(p.store.updates, 0);
    assert!(
        !p.store
            .server_events
            .iter()
            .any(|e| matches!(e, server::Event::Update { .. }))
    );
}

#[test]
fn sasl_crate_drives_both_sides() {
    use mailwire_sasl::client::{Client as SaslClient, Config as SaslClientConfig, Credentials};
    use mailwire_sasl::{Mechanism, Policy};
    for (mechanism, password, ok) in [
        (Mechanism::CramMd5, "tanstaaf", true),
        (Mechanism::CramMd5, "wrong", false),
        (Mechanism::Plain, "tanstaaf", true),
        (Mechanism::Login, "tanstaaf", true),
        (Mechanism::Login, "wrong", false),
        (Mechanism::ScramSha256, "tanstaaf", true),
        (Mechanism::ScramSha256, "wrong", false),
        (Mechanism::ScramSha1, "tanstaaf", true),
    ] {
        let mut sc = plaintext_config();
        sc.sasl = Policy::none()
            .allow_after_tls(Mechanism::CramMd5)
            .allow_after_tls(Mechanism::Plain)
            .allow_after_tls(Mechanism::Login)
            .allow_after_tls(Mechanism::ScramSha256)
            .allow_after_tls(Mechanism::ScramSha1);
        sc.sasl_config = mailwire_sasl::server::Config::new()
            .with_cram_md5_challenge("<1.2@example.org>")
            .with_random(&[7; 32]);
        let mut cc = client::Config::default();
        cc.tls = TlsPolicy::InsecureNever;
        let mut p = Pair::new(cc, sc);
        p.drive();
        let ev = p.events();
        let Event::Ready { capabilities, .. } = &ev[0] else {
            panic!("{ev:?}")
        };
        assert!(capabilities.sasl_supports(mechanism.as_str()));
        let sasl = SaslClient::new(
            mechanism,
            Credentials::password("mrose", password),
            &SaslClientConfig::new()
                .with_random(&[9; 32])
                .with_iteration_range(64, 100_000),
        )
        .unwrap();
        let h = p.client.authenticate_sasl(sasl).unwrap();
        p.drive();
        let ev = p.events();
        if ok {
            assert_eq!(ev, [Event::Authenticated { handle: h }], "{mechanism:?}");
        } else {
            assert!(
                matches!(&ev[0], Event::Failed { handle, response } if *handle == h && response.code == Some(ResponseCode::Auth)),
                "{mechanism:?} {ev:?}"
            );
        }
    }
}

#[test]
fn utf8_mode_and_utf8_user_names() {
    let mut sc = plaintext_config();
    sc.utf8 = Some(true);
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    let mut p = Pair::new(cc.clone(), sc);
    p.store.users.push(("jörg".into(), "pässwort".into()));
    p.drive();
    let ev = p.events();
    let [Event::Ready { capabilities, .. }] = ev.as_slice() else {
        panic!("{ev:?}")
    };
    assert_eq!(capabilities.utf8(), Some(true));
    let u = p.client.utf8().unwrap();
    let l = p.client.login("jörg", Secret::from("pässwort")).unwrap();
    p.drive();
    let ev = p.events();
    assert!(
        matches!(&ev[0], Event::Done { handle, .. } if *handle == u),
        "{ev:?}"
    );
    assert_eq!(ev[1], Event::Authenticated { handle: l });
    assert!(p.server.is_utf8());

    // Without "UTF8 USER" the client refuses to send UTF-8 credentials.
    let mut p = Pair::new(cc, plaintext_config());
    p.drive();
    assert_eq!(
        p.client.login("jörg", Secret::from("x")),
        Err(mailwire_pop3_proto::MisuseError::InvalidArgument)
    );
}

#[test]
fn nothing_after_quit() {
    let mut cc = client::Config::default();
    cc.tls = TlsPolicy::InsecureNever;
    let mut p = Pair::new(cc, plaintext_config());
    p.drive();
    p.client.quit().unwrap();
    assert_eq!(
        p.client.stat(),
        Err(mailwire_pop3_proto::MisuseError::Closed)
    );
    p.drive();
    assert!(p.client.is_closed() && p.server.is_closed());
    assert_eq!(p.store.updates, 0, "QUIT in AUTHORIZATION: no UPDATE");
}
