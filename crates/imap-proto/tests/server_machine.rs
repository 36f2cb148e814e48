//! The server machine's own behaviour: states, capabilities, STARTTLS,
//! authentication, literals, ENABLE, IDLE, updates, limits, autologout.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod server_util;

use std::time::{Duration, Instant};

use mailwire_imap_proto::code::Code;
use mailwire_imap_proto::command::CommandBody;
use mailwire_imap_proto::response::{Data, StatusKind};
use mailwire_imap_proto::sequence::SequenceSet;
use mailwire_imap_proto::server::{
    BadReason, CloseReason, Config, Event, Greeting, MisuseError, Server, State, UpdateError,
};
use mailwire_sasl::Mechanism;
use server_util::{Harness, plain_config};

#[test]
fn greeting_announces_capabilities_before_tls() {
    let h = Harness::new(Config::default());
    assert_eq!(
        String::from_utf8(h.wire.clone()).unwrap(),
        "* OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ ENABLE IDLE LOGINDISABLED] IMAP server ready\r\n"
    );
    assert_eq!(h.server.state(), State::NotAuthenticated);
}

#[test]
fn greeting_preauth_and_bye() {
    let mut c = plain_config();
    c.greeting = Greeting::PreAuth { user: "joe".into() };
    c.greeting_text = "welcome back".into();
    let mut h = Harness::new(c);
    assert_eq!(h.take_wire(), "* PREAUTH welcome back\r\n");
    assert_eq!(h.server.state(), State::Authenticated);
    assert_eq!(h.server.user(), Some("joe"));

    let mut c = plain_config();
    c.greeting = Greeting::Bye;
    c.greeting_text = "go away".into();
    let mut h = Harness::new(c);
    assert_eq!(h.take_wire(), "* BYE go away\r\n");
    assert!(h.server.is_closed());
    assert!(matches!(
        h.events[..],
        [Event::Closed {
            reason: CloseReason::Refused
        }]
    ));
    h.feed(b"a NOOP\r\n");
    assert_eq!(h.take_wire(), "");
}

#[test]
fn capability_per_state() {
    let mut c = Config::default();
    c.tls_active = true;
    c.capability_codes = false;
    let mut h = Harness::new(c);
    h.take_wire();
    h.feed(b"c1 CAPABILITY\r\n");
    assert_eq!(
        h.take_wire(),
        "* CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ ENABLE IDLE AUTH=PLAIN AUTH=LOGIN SASL-IR\r\n\
         c1 OK CAPABILITY completed\r\n"
    );
    h.feed(b"c2 LOGIN joe secret\r\n");
    let id = h.login_id();
    h.server.accept_login(id).unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "c2 OK LOGIN completed\r\n");
    h.feed(b"c3 CAPABILITY\r\n");
    assert_eq!(
        h.take_wire(),
        "* CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE\r\n\
         c3 OK CAPABILITY completed\r\n"
    );
}

#[test]
fn login_ok_carries_capability_code() {
    let mut c = Config::default();
    c.tls_active = true;
    let mut h = Harness::new(c);
    h.take_wire();
    h.feed(b"a LOGIN joe secret\r\n");
    let id = h.login_id();
    h.server.accept_login(id).unwrap();
    h.drain();
    assert_eq!(
        h.take_wire(),
        "a OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ ENABLE IDLE NAMESPACE UNSELECT UIDPLUS MOVE] LOGIN completed\r\n"
    );
    assert!(matches!(&h.events[..], [Event::Authenticated { user, .. }] if user == "joe"));
}

#[test]
fn login_before_tls_is_refused_unless_configured() {
    let mut h = Harness::new(Config::default());
    h.take_wire();
    h.feed(b"a LOGIN joe secret\r\n");
    assert_eq!(
        h.take_wire(),
        "a NO [PRIVACYREQUIRED] LOGIN disabled without TLS\r\n"
    );
    assert!(matches!(
        &h.events[..],
        [Event::BadCommand {
            reason: BadReason::PrivacyRequired,
            ..
        }]
    ));
    h.feed(b"b AUTHENTICATE PLAIN AGpvZQBzZWNyZXQ=\r\n");
    assert_eq!(
        h.take_wire(),
        "b NO [PRIVACYREQUIRED] Mechanism not available without TLS\r\n"
    );
    assert_eq!(h.server.state(), State::NotAuthenticated);
    // No event carried the password.
    assert!(!h.events.iter().any(|e| matches!(e, Event::Login { .. })));

    // Configured: allowed.
    let mut h = Harness::new(plain_config());
    h.take_wire();
    h.feed(b"a LOGIN joe secret\r\n");
    let id = h.login_id();
    h.server.reject_login(id).unwrap();
    h.drain();
    assert_eq!(
        h.take_wire(),
        "a NO [AUTHENTICATIONFAILED] Authentication failed\r\n"
    );
    assert_eq!(h.server.state(), State::NotAuthenticated);
}

#[test]
fn login_event_redacts_password() {
    let mut h = Harness::new(plain_config());
    h.feed(b"a LOGIN joe \"hunter2\"\r\n");
    let dbg = format!("{:?}", h.events);
    assert!(!dbg.contains("hunter2"), "{dbg}");
    let Some(Event::Login {
        user,
        password,
        mechanism,
        ..
    }) = h.events.pop()
    else {
        panic!()
    };
    assert_eq!(user, "joe");
    assert_eq!(password.expose(), b"hunter2");
    assert_eq!(mechanism, None);
}

#[test]
fn starttls_discards_pipelined_plaintext() {
    let mut c = Config::default();
    c.starttls = true;
    let mut h = Harness::new(c);
    h.take_wire();
    h.server.feed(b"a STARTTLS\r\nb NOOP\r\n");
    assert!(!h.server.wants_tls_upgrade());
    h.drain();
    assert_eq!(h.take_wire(), "a OK Begin TLS negotiation now\r\n");
    assert!(matches!(h.events[..], [Event::TlsUpgrade]));
    assert!(h.server.wants_tls_upgrade());
    // Injected bytes before the handshake: ignored.
    h.feed(b"c NOOP\r\n");
    assert_eq!(h.take_wire(), "");
    h.server.tls_established().unwrap();
    assert!(h.server.is_tls());
    assert_eq!(h.server.tls_established(), Err(MisuseError::NotPending));
    h.feed(b"d CAPABILITY\r\n");
    assert_eq!(
        h.take_wire(),
        "* CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ ENABLE IDLE AUTH=PLAIN AUTH=LOGIN SASL-IR\r\n\
         d OK CAPABILITY completed\r\n"
    );
    h.feed(b"e STARTTLS\r\n");
    assert_eq!(h.take_wire(), "e BAD STARTTLS not available\r\n");
}

#[test]
fn starttls_not_offered() {
    let mut h = Harness::new(Config::default());
    h.take_wire();
    h.feed(b"a STARTTLS\r\n");
    assert_eq!(h.take_wire(), "a BAD STARTTLS not available\r\n");
}

#[test]
fn wrong_state_commands_get_tagged_bad() {
    let mut h = Harness::new(plain_config());
    h.take_wire();
    h.feed(b"a SELECT INBOX\r\nb FETCH 1 FLAGS\r\nc ENABLE CONDSTORE\r\n");
    assert_eq!(
        h.take_wire(),
        "a BAD Command not valid in this state\r\n\
         b BAD Command not valid in this state\r\n\
         c BAD Command not valid in this state\r\n"
    );
    assert!(matches!(
        &h.events[0],
        Event::BadCommand { tag: Some(t), reason: BadReason::WrongState { command: "SELECT" } } if t == "a"
    ));
    let mut h = Harness::logged_in(plain_config());
    h.feed(b"d LOGIN x y\r\ne FETCH 1 FLAGS\r\nf AUTHENTICATE PLAIN\r\n");
    assert_eq!(
        h.take_wire(),
        "d BAD Command not valid in this state\r\n\
         e BAD Command not valid in this state\r\n\
         f BAD Command not valid in this state\r\n"
    );
    let mut h = Harness::selected(plain_config());
    h.feed(b"g ENABLE CONDSTORE\r\n");
    assert_eq!(h.take_wire(), "g BAD Command not valid in this state\r\n");
}

#[test]
fn syntax_errors_get_tagged_bad() {
    let mut h = Harness::new(plain_config());
    h.take_wire();
    h.feed(b"a7 FETCH x\r\n\r\n");
    let wire = h.take_wire();
    assert!(wire.starts_with("a7 BAD "), "{wire}");
    assert!(
        wire.ends_with("* BAD incomplete command\r\n") || wire.contains("\r\n* BAD "),
        "{wire}"
    );
}

#[test]
fn authenticate_plain_with_and_without_initial_response() {
    let mut c = plain_config();
    c.tls_active = true;
    let mut h = Harness::new(c.clone());
    h.take_wire();
    // SASL-IR: \0joe\0secret
    h.feed(b"a AUTHENTICATE PLAIN AGpvZQBzZWNyZXQ=\r\n");
    let Some(Event::Login {
        id,
        user,
        password,
        mechanism,
        ..
    }) = h.events.pop()
    else {
        panic!("{:?}", h.events)
    };
    assert_eq!(
        (user.as_str(), password.expose(), mechanism),
        ("joe", &b"secret"[..], Some(Mechanism::Plain))
    );
    h.server.accept_login(id).unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "a OK AUTHENTICATE completed\r\n");
    assert_eq!(h.server.state(), State::Authenticated);

    let mut h = Harness::new(c);
    h.take_wire();
    h.feed(b"a AUTHENTICATE PLAIN\r\n");
    assert_eq!(h.take_wire(), "+ \r\n");
    h.feed(b"AGpvZQB3cm9uZw==\r\n");
    let id = h.login_id();
    h.server.reject_login(id).unwrap();
    h.drain();
    assert_eq!(
        h.take_wire(),
        "a NO [AUTHENTICATIONFAILED] Authentication failed\r\n"
    );
    // Cancelled exchange: tagged BAD.
    h.feed(b"b AUTHENTICATE PLAIN\r\n*\r\n");
    assert_eq!(h.take_wire(), "+ \r\nb BAD AUTHENTICATE cancelled\r\n");
    // Garbage instead of base64.
    h.feed(b"c AUTHENTICATE PLAIN\r\n!!!\r\n");
    let wire = h.take_wire();
    assert!(wire.starts_with("+ \r\nc BAD "), "{wire}");
    // Unknown mechanism.
    h.feed(b"d AUTHENTICATE X-FOO\r\n");
    assert_eq!(
        h.take_wire(),
        "d NO Unsupported authentication mechanism\r\n"
    );
}

#[test]
fn authenticate_login_mechanism() {
    let mut c = plain_config();
    c.tls_active = true;
    let mut h = Harness::new(c);
    h.take_wire();
    h.feed(b"a AUTHENTICATE LOGIN\r\n");
    assert_eq!(h.take_wire(), "+ VXNlcm5hbWU6\r\n");
    h.feed(b"am9l\r\n");
    assert_eq!(h.take_wire(), "+ UGFzc3dvcmQ6\r\n");
    h.feed(b"c2VjcmV0\r\n");
    let Some(Event::Login {
        id,
        user,
        mechanism,
        ..
    }) = h.events.pop()
    else {
        panic!()
    };
    assert_eq!((user.as_str(), mechanism), ("joe", Some(Mechanism::Login)));
    assert_eq!(
        h.server
            .sasl_answer(id, mailwire_sasl::server::Answer::Accept),
        Ok(())
    );
    h.drain();
    assert_eq!(h.take_wire(), "a OK AUTHENTICATE completed\r\n");
    assert_eq!(h.server.user(), Some("joe"));
}

#[test]
fn auth_failures_close_the_session() {
    let mut h = Harness::new(plain_config());
    h.take_wire();
    for i in 0..3 {
        h.feed(format!("a{i} LOGIN joe wrong\r\n").as_bytes());
        let id = h.login_id();
        h.server.reject_login(id).unwrap();
        h.drain();
    }
    let wire = h.take_wire();
    assert!(
        wire.ends_with("* BYE Too many authentication failures\r\n"),
        "{wire}"
    );
    assert!(h.server.is_closed());
    assert!(h.events.iter().any(|e| matches!(
        e,
        Event::Closed {
            reason: CloseReason::AuthFailures
        }
    )));
}

#[test]
fn literal_decided_by_the_application() {
    let mut h = Harness::new(plain_config());
    h.take_wire();
    h.feed(b"a LOGIN {3}\r\n");
    assert_eq!(h.take_wire(), "");
    assert!(matches!(
        &h.events[..],
        [Event::LiteralAnnounced { tag: Some(t), length: 3, binary: false, .. }] if t == "a"
    ));
    h.events.clear();
    h.server.accept_literal().unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "+ Ready for literal data\r\n");
    h.feed(b"joe {6}\r\n");
    h.server.accept_literal().unwrap();
    h.drain();
    h.feed(b"secret\r\n");
    let id = h.login_id();
    h.server.accept_login(id).unwrap();
    h.drain();
    assert_eq!(
        h.take_wire(),
        "+ Ready for literal data\r\na OK LOGIN completed\r\n"
    );

    h.feed(b"b APPEND INBOX {100000}\r\n");
    assert!(matches!(
        h.events.last(),
        Some(Event::LiteralAnnounced {
            length: 100_000,
            ..
        })
    ));
    h.server.reject_literal().unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "b NO [TOOBIG] Literal too large\r\n");
    assert_eq!(h.server.reject_literal(), Err(MisuseError::NotPending));
    // The connection goes on.
    h.feed(b"c NOOP\r\n");
    assert_eq!(h.take_wire(), "c OK NOOP completed\r\n");
}

#[test]
fn literal_auto_limit_at_n_and_n_plus_1() {
    let mut c = plain_config();
    c.auto_literal_limit = Some(10);
    let mut h = Harness::logged_in(c);
    h.feed(b"a APPEND INBOX {10}\r\n");
    assert_eq!(h.take_wire(), "+ Ready for literal data\r\n");
    h.feed(b"0123456789\r\n");
    let (id, cmd) = h.command();
    assert!(matches!(cmd.body, CommandBody::Append { .. }));
    h.server.ok(id, "APPEND completed").unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "a OK APPEND completed\r\n");
    h.feed(b"b APPEND INBOX {11}\r\n");
    assert_eq!(h.take_wire(), "b NO [TOOBIG] Literal too large\r\n");
    assert!(h.events.is_empty(), "{:?}", h.events);
}

#[test]
fn literal_over_the_unit_budget_is_refused_before_reading() {
    let mut c = plain_config();
    c.framer.max_unit_size = 1000;
    let mut h = Harness::logged_in(c);
    // "a APPEND INBOX {N}\r\n" is 20 + digits bytes; the literal must fit the rest.
    let head = b"a APPEND INBOX {979}\r\n".len();
    assert_eq!(head, 22);
    h.feed(format!("a APPEND INBOX {{{}}}\r\n", 1000 - head).as_bytes());
    assert!(
        matches!(h.events.last(), Some(Event::LiteralAnnounced { .. })),
        "{:?}",
        h.events
    );
    h.server.reject_literal().unwrap();
    h.drain();
    h.take_wire();
    h.events.clear();
    h.feed(format!("b APPEND INBOX {{{}}}\r\n", 1000 - head + 1).as_bytes());
    assert_eq!(
        h.take_wire(),
        "b NO [TOOBIG] literal too large (979 octets)\r\n"
    );
    assert!(matches!(
        &h.events[..],
        [Event::BadCommand {
            reason: BadReason::Frame(_),
            ..
        }]
    ));
}

#[test]
fn non_sync_literal_flood_is_bounded() {
    let mut c = plain_config();
    c.framer.max_literals_per_unit = 50;
    let mut h = Harness::logged_in(c);
    let mut cmd = b"a APPEND INBOX".to_vec();
    for _ in 0..60 {
        cmd.extend_from_slice(b" {0+}\r\n");
    }
    cmd.extend_from_slice(b"\r\nb NOOP\r\n");
    h.feed(&cmd);
    let wire = h.take_wire();
    assert!(wire.starts_with("a BAD too many literals\r\n"), "{wire}");
    assert!(wire.ends_with("b OK NOOP completed\r\n"), "{wire}");
}

#[test]
fn line_too_long_at_n_and_n_plus_1() {
    let mut c = plain_config();
    c.framer.max_line_length = 64;
    let mut h = Harness::new(c);
    h.take_wire();
    // 64 octets with CRLF: fine.
    let ok = format!("a NOOP{}\r\n", " ".repeat(64 - 8));
    assert_eq!(ok.len(), 64);
    h.feed(ok.as_bytes());
    // (Trailing spaces are a syntax error, but not a size error.)
    let wire = h.take_wire();
    assert!(!wire.contains("TOOBIG"), "{wire}");
    let long = format!("b NOOP{}\r\n", " ".repeat(64 - 7));
    h.feed(long.as_bytes());
    assert_eq!(h.take_wire(), "b BAD [TOOBIG] line too long\r\n");
}

#[test]
fn bad_command_flood_closes() {
    let mut c = plain_config();
    c.max_bad_commands = 5;
    let mut h = Harness::new(c);
    h.take_wire();
    h.feed(&b"\r\n".repeat(100));
    let wire = h.take_wire();
    assert_eq!(wire.matches("* BAD").count(), 5, "{wire}");
    assert!(wire.ends_with("* BYE Too many invalid commands\r\n"));
    assert!(h.server.is_closed());
}

#[test]
fn noop_flood_is_bounded_in_memory_and_output() {
    let mut c = plain_config();
    c.max_pending_output = 4096;
    c.max_buffered_input = 64 * 1024;
    let mut server = Server::new(c);
    let _ = server.poll_transmit();
    // The client never reads: output stops growing, input overflows, BYE.
    let chunk = b"a NOOP\r\n".repeat(1000);
    let mut fed = 0;
    while !server.is_closed() && fed < 10_000_000 {
        server.feed(&chunk);
        fed += chunk.len();
    }
    assert!(server.is_closed(), "fed {fed}");
    assert!(fed < 200_000, "fed {fed}");
    let mut out = Vec::new();
    while let Some(b) = server.poll_transmit() {
        out.extend_from_slice(&b);
    }
    assert!(out.len() < 4096 + 100, "{}", out.len());
    assert!(out.ends_with(b"* BYE Too much pipelined input\r\n"));
    let mut closed = false;
    while let Some(e) = server.poll_event() {
        closed |= matches!(
            e,
            Event::Closed {
                reason: CloseReason::InputOverflow
            }
        );
    }
    assert!(closed);
}

#[test]
fn noop_flood_with_a_reading_client_is_answered_in_order() {
    let mut h = Harness::new(plain_config());
    h.take_wire();
    let mut input = Vec::new();
    for i in 0..5000 {
        input.extend_from_slice(format!("n{i} NOOP\r\n").as_bytes());
    }
    h.feed(&input);
    let wire = h.take_wire();
    let lines: Vec<&str> = wire.lines().collect();
    assert_eq!(lines.len(), 5000);
    assert_eq!(lines[4999], "n4999 OK NOOP completed");
}

#[test]
fn pipelined_commands_wait_for_the_current_one() {
    let mut h = Harness::logged_in(plain_config());
    h.feed(b"a1 SELECT INBOX\r\na2 NOOP\r\na3 LIST \"\" *\r\n");
    let (id, _) = h.command();
    assert!(h.events.is_empty());
    assert_eq!(h.take_wire(), "");
    h.server.respond(id, Data::Exists(1)).unwrap();
    h.server.ok(id, "SELECT completed").unwrap();
    h.drain();
    assert_eq!(
        h.take_wire(),
        "* 1 EXISTS\r\na1 OK SELECT completed\r\na2 OK NOOP completed\r\n"
    );
    let (id3, cmd) = h.command();
    assert!(matches!(cmd.body, CommandBody::List { .. }));
    assert_eq!(cmd.tag.as_str(), "a3");
    assert_eq!(h.server.ok(id, "late"), Err(MisuseError::UnknownCommand));
    h.server.ok(id3, "LIST completed").unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "a3 OK LIST completed\r\n");
}

#[test]
fn select_examine_close_transitions() {
    let mut c = plain_config();
    c.capabilities
        .push(mailwire_imap_proto::capability::Capability::CondStore);
    let mut h = Harness::logged_in(c);
    h.feed(b"a EXAMINE INBOX\r\n");
    let (id, _) = h.command();
    assert_eq!(
        h.server.complete(id, StatusKind::PreAuth, None, "x"),
        Err(MisuseError::InvalidStatus)
    );
    h.server.ok(id, "EXAMINE completed").unwrap();
    assert_eq!(h.server.state(), State::Selected { read_only: true });
    // A failed SELECT leaves no mailbox selected.
    h.feed(b"b SELECT nosuch\r\n");
    assert_eq!(h.server.state(), State::Authenticated);
    let (id, _) = h.command();
    h.server
        .complete(
            id,
            StatusKind::No,
            Some(Code::NonExistent),
            "No such mailbox",
        )
        .unwrap();
    h.drain();
    assert_eq!(h.server.state(), State::Authenticated);
    assert!(
        h.take_wire()
            .ends_with("b NO [NONEXISTENT] No such mailbox\r\n")
    );
    // SELECT answered [READ-ONLY].
    h.feed(b"c SELECT INBOX\r\n");
    let (id, _) = h.command();
    h.server
        .complete(id, StatusKind::Ok, Some(Code::ReadOnly), "SELECT completed")
        .unwrap();
    assert_eq!(h.server.state(), State::Selected { read_only: true });
    h.feed(b"d UNSELECT\r\n");
    let (id, _) = h.command();
    h.server.ok(id, "UNSELECT completed").unwrap();
    assert_eq!(h.server.state(), State::Authenticated);
    // With IMAP4rev2 enabled, a SELECT in the selected state sends [CLOSED].
    h.feed(b"e ENABLE IMAP4rev2 CONDSTORE X-UNKNOWN\r\n");
    h.feed(b"f SELECT INBOX\r\n");
    let (id, _) = h.command();
    h.server.ok(id, "SELECT completed").unwrap();
    h.drain();
    h.take_wire();
    h.feed(b"g SELECT Other\r\n");
    assert_eq!(
        h.take_wire(),
        "* OK [CLOSED] Previous mailbox is now closed\r\n"
    );
    let (id, _) = h.command();
    h.server.ok(id, "SELECT completed").unwrap();
    h.feed(b"h CLOSE\r\n");
    let (id, _) = h.command();
    h.server.ok(id, "CLOSE completed").unwrap();
    assert_eq!(h.server.state(), State::Authenticated);
}

#[test]
fn enable_bookkeeping() {
    let mut c = plain_config();
    c.capabilities_authenticated
        .push(mailwire_imap_proto::capability::Capability::QResync);
    c.capabilities_authenticated
        .push(mailwire_imap_proto::capability::Capability::CondStore);
    let mut h = Harness::logged_in(c);
    h.feed(b"a ENABLE QRESYNC UTF8=ACCEPT\r\n");
    assert_eq!(
        h.take_wire(),
        "* ENABLED QRESYNC\r\na OK ENABLE completed\r\n"
    );
    let e = h.server.enabled();
    assert!(e.qresync && e.condstore && !e.utf8_accept && !e.imap4rev2);
    assert!(
        matches!(&h.events[..], [Event::Enabled { capabilities, .. }] if capabilities.len() == 1)
    );
    h.events.clear();
    // Already enabled: nothing new.
    h.feed(b"b ENABLE CONDSTORE QRESYNC\r\n");
    assert_eq!(h.take_wire(), "* ENABLED\r\nb OK ENABLE completed\r\n");
    assert!(h.events.is_empty());
    h.feed(b"c ENABLE IMAP4rev2\r\n");
    assert_eq!(
        h.take_wire(),
        "* ENABLED IMAP4rev2\r\nc OK ENABLE completed\r\n"
    );
    assert!(h.server.enabled().imap4rev2);
    assert!(h.server.encode_options().utf8_quoted);
}

#[test]
fn updates_are_sent_only_where_allowed() {
    let mut h = Harness::selected(plain_config());
    // No command in progress: EXISTS goes out at once, EXPUNGE is held,
    // and so is everything behind it.
    h.server.push_update(Data::Exists(4)).unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "* 4 EXISTS\r\n");
    assert!(!h.server.expunge_allowed());
    h.server.push_update(Data::Expunge(2)).unwrap();
    h.server.push_update(Data::Exists(5)).unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "");
    assert_eq!(h.server.queued_updates(), 2);
    // FETCH without UID: still held, also at its completion.
    h.feed(b"f1 FETCH 1 FLAGS\r\n");
    let (id, _) = h.command();
    assert!(!h.server.expunge_allowed());
    h.server
        .respond(
            id,
            Data::Fetch {
                seq: 1,
                items: vec![],
            },
        )
        .unwrap();
    h.server.ok(id, "FETCH completed").unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "* 1 FETCH ()\r\nf1 OK FETCH completed\r\n");
    // UID FETCH: allowed; the held updates go out before the tagged OK
    // (between whole responses, never inside the FETCH data).
    h.feed(b"f2 UID FETCH 1:* FLAGS\r\n");
    let (id, _) = h.command();
    assert!(h.server.expunge_allowed());
    h.server
        .respond(
            id,
            Data::Fetch {
                seq: 1,
                items: vec![],
            },
        )
        .unwrap();
    h.server.ok(id, "UID FETCH completed").unwrap();
    h.drain();
    assert_eq!(
        h.take_wire(),
        "* 1 FETCH ()\r\n* 2 EXPUNGE\r\n* 5 EXISTS\r\nf2 OK UID FETCH completed\r\n"
    );
    // Pushed during a command: written at once, in order with the command's
    // own responses (the view renumbers right after take_updates).
    h.feed(b"f3 UID FETCH 1:* FLAGS\r\n");
    let (id, _) = h.command();
    h.server.push_update(Data::Expunge(1)).unwrap();
    h.server.push_update(Data::Exists(6)).unwrap();
    h.server
        .respond(
            id,
            Data::Fetch {
                seq: 1,
                items: vec![],
            },
        )
        .unwrap();
    h.server.ok(id, "UID FETCH completed").unwrap();
    h.drain();
    assert_eq!(
        h.take_wire(),
        "* 1 EXPUNGE\r\n* 6 EXISTS\r\n* 1 FETCH ()\r\nf3 OK UID FETCH completed\r\n"
    );
    // During FETCH without UID: EXISTS at once, EXPUNGE held.
    h.feed(b"f4 FETCH 1 FLAGS\r\n");
    let (id, _) = h.command();
    h.server.push_update(Data::Exists(7)).unwrap();
    h.server.push_update(Data::Expunge(3)).unwrap();
    h.server
        .respond(
            id,
            Data::Fetch {
                seq: 1,
                items: vec![],
            },
        )
        .unwrap();
    h.server.ok(id, "FETCH completed").unwrap();
    h.drain();
    assert_eq!(
        h.take_wire(),
        "* 7 EXISTS\r\n* 1 FETCH ()\r\nf4 OK FETCH completed\r\n"
    );
    assert_eq!(h.server.queued_updates(), 1);
    // NOOP answered by the machine flushes everything.
    h.server.push_update(Data::Expunge(1)).unwrap();
    h.feed(b"n NOOP\r\n");
    assert_eq!(
        h.take_wire(),
        "* 3 EXPUNGE\r\n* 1 EXPUNGE\r\nn OK NOOP completed\r\n"
    );
    assert_eq!(h.server.queued_updates(), 0);
    // VANISHED (not EARLIER) is held like EXPUNGE.
    h.server
        .push_update(Data::Vanished {
            earlier: false,
            uids: SequenceSet::parse(b"4 ").unwrap().0,
        })
        .unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "");
    assert_eq!(h.server.queued_updates(), 1);
}

#[test]
fn update_queue_is_bounded() {
    let mut c = plain_config();
    c.max_queued_updates = 3;
    let mut h = Harness::selected(c);
    for i in 0..3 {
        h.server.push_update(Data::Expunge(i + 1)).unwrap();
    }
    assert_eq!(
        h.server.push_update(Data::Exists(1)),
        Err(UpdateError::QueueFull { limit: 3 })
    );
    // Closing the mailbox drops its pending updates.
    h.feed(b"c CLOSE\r\n");
    let (id, _) = h.command();
    h.server.ok(id, "CLOSE completed").unwrap();
    assert_eq!(h.server.queued_updates(), 0);
}

#[test]
fn idle_pushes_updates_until_done() {
    let mut h = Harness::selected(plain_config());
    h.server.push_update(Data::Expunge(3)).unwrap();
    h.feed(b"i IDLE\r\n");
    assert_eq!(h.take_wire(), "+ idling\r\n* 3 EXPUNGE\r\n");
    assert!(matches!(h.events[..], [Event::Idle { .. }]));
    assert!(h.server.expunge_allowed());
    h.server.push_update(Data::Exists(7)).unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "* 7 EXISTS\r\n");
    h.feed(b"DONE\r\nn NOOP\r\n");
    assert_eq!(
        h.take_wire(),
        "i OK IDLE terminated\r\nn OK NOOP completed\r\n"
    );
    assert!(matches!(h.events[1], Event::IdleDone { .. }));
    // Something else than DONE ends IDLE with BAD.
    h.feed(b"j IDLE\r\nk NOOP\r\n");
    assert_eq!(h.take_wire(), "+ idling\r\nj BAD Expected DONE\r\n");
}

#[test]
fn logout() {
    let mut h = Harness::selected(plain_config());
    h.server.push_update(Data::Expunge(1)).unwrap();
    h.feed(b"z LOGOUT\r\nq NOOP\r\n");
    assert_eq!(
        h.take_wire(),
        "* BYE Logging out\r\nz OK LOGOUT completed\r\n"
    );
    assert_eq!(h.server.state(), State::Logout);
    assert!(matches!(
        h.events[..],
        [Event::Closed {
            reason: CloseReason::Logout
        }]
    ));
    assert_eq!(
        h.server.push_update(Data::Exists(1)),
        Err(UpdateError::Closed)
    );
    assert_eq!(h.server.bye("x"), Err(MisuseError::Closed));
}

#[test]
fn application_bye() {
    let mut h = Harness::selected(plain_config());
    h.server.bye("Server shutting down").unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "* BYE Server shutting down\r\n");
    assert!(h.server.is_closed());
}

#[test]
fn autologout_via_handle_timeout() {
    let t0 = Instant::now();
    let mut h = Harness::new(plain_config());
    h.take_wire();
    assert_eq!(h.server.poll_timeout(), None);
    h.server.handle_timeout(t0);
    assert_eq!(h.server.poll_timeout(), Some(t0 + Duration::from_secs(300)));
    h.server.handle_timeout(t0 + Duration::from_secs(299));
    assert!(!h.server.is_closed());
    // Activity restarts the timer.
    h.feed(b"a NOOP\r\n");
    h.server.handle_timeout(t0 + Duration::from_secs(299));
    assert_eq!(h.server.poll_timeout(), Some(t0 + Duration::from_secs(599)));
    h.server.handle_timeout(t0 + Duration::from_secs(598));
    assert!(!h.server.is_closed());
    h.server.handle_timeout(t0 + Duration::from_secs(599));
    h.drain();
    assert!(
        h.take_wire()
            .ends_with("* BYE Autologout; idle for too long\r\n")
    );
    assert!(h.events.iter().any(|e| matches!(
        e,
        Event::Closed {
            reason: CloseReason::Autologout
        }
    )));
    assert_eq!(h.server.poll_timeout(), None);
}

#[test]
fn autologout_is_longer_once_authenticated_and_paused_for_the_app() {
    let t0 = Instant::now();
    let mut h = Harness::logged_in(plain_config());
    h.server.handle_timeout(t0);
    assert_eq!(
        h.server.poll_timeout(),
        Some(t0 + Duration::from_secs(30 * 60))
    );
    h.feed(b"a LIST \"\" *\r\n");
    h.server.handle_timeout(t0 + Duration::from_secs(3600));
    assert_eq!(h.server.poll_timeout(), None);
    assert!(!h.server.is_closed());
    let (id, _) = h.command();
    h.server.ok(id, "LIST completed").unwrap();
    h.server.handle_timeout(t0 + Duration::from_secs(3600));
    assert_eq!(
        h.server.poll_timeout(),
        Some(t0 + Duration::from_secs(3600 + 1800))
    );
}

#[test]
fn relayed_noop() {
    let mut c = plain_config();
    c.relay_noop = true;
    let mut h = Harness::selected(c);
    h.feed(b"n NOOP\r\n");
    let (id, cmd) = h.command();
    assert_eq!(cmd.body, CommandBody::Noop);
    assert!(h.server.expunge_allowed());
    h.server.push_update(Data::Expunge(2)).unwrap();
    h.server.ok(id, "NOOP completed").unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "* 2 EXPUNGE\r\nn OK NOOP completed\r\n");
}

#[test]
fn misuse_is_reported() {
    let mut h = Harness::logged_in(plain_config());
    h.feed(b"a LIST \"\" *\r\n");
    let (id, _) = h.command();
    assert_eq!(h.server.accept_login(id), Err(MisuseError::UnknownCommand));
    assert_eq!(h.server.accept_literal(), Err(MisuseError::NotPending));
    h.server
        .respond_status(id, StatusKind::Ok, Some(Code::Alert), "hello")
        .unwrap();
    assert_eq!(
        h.server.respond_status(id, StatusKind::Bye, None, "x"),
        Err(MisuseError::InvalidStatus)
    );
    h.server.ok(id, "done").unwrap();
    assert_eq!(
        h.server.respond(id, Data::Exists(1)),
        Err(MisuseError::UnknownCommand)
    );
    h.drain();
    assert_eq!(h.take_wire(), "* OK [ALERT] hello\r\na OK done\r\n");
}

#[test]
fn status_text_cannot_inject_lines() {
    let mut h = Harness::logged_in(plain_config());
    h.feed(b"a LIST \"\" *\r\n");
    let (id, _) = h.command();
    h.server.no(id, "oops\r\n* 1 EXPUNGE").unwrap();
    h.drain();
    assert_eq!(h.take_wire(), "a NO oops  * 1 EXPUNGE\r\n");
}

#[test]
fn idle_updates_to_a_client_that_does_not_read_are_bounded() {
    let mut c = plain_config();
    c.max_pending_output = 1000;
    c.max_queued_updates = 50;
    let mut h = Harness::selected(c);
    h.feed(b"i IDLE\r\n");
    h.take_wire();
    let mut pushed = 0u32;
    let err = loop {
        match h.server.push_update(Data::Exists(pushed)) {
            Ok(()) => pushed += 1,
            Err(e) => break e,
        }
        assert!(pushed < 10_000);
    };
    assert_eq!(err, UpdateError::QueueFull { limit: 50 });
    // Nothing was lost: once the client reads, everything goes out, in order.
    h.drain();
    let wire = h.take_wire();
    let expected: String = (0..pushed).map(|n| format!("* {n} EXISTS\r\n")).collect();
    assert_eq!(wire, expected);
    assert_eq!(h.server.queued_updates(), 0);
}

#[test]
fn pipelined_input_limit_at_n_and_n_plus_1() {
    let mut c = plain_config();
    c.max_buffered_input = 100;
    let mut h = Harness::logged_in(c);
    h.feed(b"a LIST \"\" *\r\n");
    let (id, _) = h.command();
    // The application is busy with LIST; 100 octets may wait.
    h.feed(&[b'x'; 100]);
    assert!(!h.server.is_closed());
    assert_eq!(h.take_wire(), "");
    h.feed(b"x");
    assert!(h.server.is_closed());
    assert_eq!(h.take_wire(), "* BYE Too much pipelined input\r\n");
    assert!(h.events.iter().any(|e| matches!(
        e,
        Event::Closed {
            reason: CloseReason::InputOverflow
        }
    )));
    assert_eq!(h.server.ok(id, "late"), Err(MisuseError::Closed));
}

#[test]
fn auth_steps_limit_at_n_and_n_plus_1() {
    // AUTHENTICATE LOGIN takes two client responses after two challenges.
    for (limit, ok) in [(2, true), (1, false)] {
        let mut c = plain_config();
        c.max_auth_steps = limit;
        let mut h = Harness::new(c);
        h.take_wire();
        h.feed(b"a AUTHENTICATE LOGIN\r\nam9l\r\n");
        if ok {
            h.feed(b"c2VjcmV0\r\n");
            let id = h.login_id();
            h.server.accept_login(id).unwrap();
            h.drain();
            assert!(h.take_wire().ends_with("a OK AUTHENTICATE completed\r\n"));
        } else {
            assert_eq!(
                h.take_wire(),
                "+ VXNlcm5hbWU6\r\na NO Too many authentication steps\r\n"
            );
        }
    }
}

#[test]
fn sasl_ir_empty_and_bad_tags() {
    let mut c = plain_config();
    c.tls_active = true;
    let mut h = Harness::new(c);
    h.take_wire();
    // "=" is an empty initial response: PLAIN cannot use it.
    h.feed(b"a AUTHENTICATE PLAIN =\r\n");
    let wire = h.take_wire();
    assert!(wire.starts_with("a BAD "), "{wire}");
    // A command without a valid tag gets an untagged BAD.
    h.feed(b"* NOOP\r\n+x NOOP\r\n");
    let wire = h.take_wire();
    assert_eq!(wire.matches("* BAD ").count(), 2, "{wire}");
}

#[test]
fn condstore_enabling_commands_turn_it_on() {
    use mailwire_imap_proto::capability::Capability;
    for (cmd, on) in [("SELECT INBOX (CONDSTORE)", true), ("SELECT INBOX", false)] {
        let mut c = plain_config();
        c.capabilities_authenticated.push(Capability::CondStore);
        let mut h = Harness::logged_in(c);
        h.feed(format!("a {cmd}\r\n").as_bytes());
        assert_eq!(h.server.enabled().condstore, on, "{cmd}");
        assert_eq!(
            h.events.iter().any(|e| matches!(e, Event::Enabled { .. })),
            on,
            "{cmd}"
        );
    }
    for (cmd, on) in [
        ("FETCH 1 (FLAGS MODSEQ)", true),
        ("FETCH 1 (FLAGS) (CHANGEDSINCE 12345)", true),
        ("FETCH 1 FAST", false),
        ("STORE 1 (UNCHANGEDSINCE 12) +FLAGS (\\Seen)", true),
        ("SEARCH OR NOT MODSEQ 5 SEEN ALL", true),
        ("UID SEARCH SEEN", false),
    ] {
        let mut c = plain_config();
        c.capabilities_authenticated.push(Capability::CondStore);
        let mut h = Harness::selected(c);
        h.feed(format!("a {cmd}\r\n").as_bytes());
        assert_eq!(h.server.enabled().condstore, on, "{cmd}");
    }
    // Not advertised: nothing is turned on.
    let mut h = Harness::selected(plain_config());
    h.feed(b"a FETCH 1 (MODSEQ)\r\n");
    assert!(!h.server.enabled().condstore);
}

/// RFC 4959 §3: without SASL-IR (and without IMAP4rev2, which includes it)
/// an initial response is not in the grammar: tagged BAD, nothing relayed.
/// With IMAP4rev2 offered it is accepted even when SASL-IR is off.
#[test]
fn initial_response_needs_sasl_ir_or_imap4rev2() {
    use mailwire_imap_proto::capability::Capability;
    // "\0joe\0secret" in base64.
    let plain_ir = b"a AUTHENTICATE PLAIN AGpvZQBzZWNyZXQ=\r\n";

    let mut c = plain_config();
    c.tls_active = true;
    c.sasl_ir = false;
    c.capabilities.retain(|cap| *cap != Capability::Imap4Rev2);
    let mut h = Harness::new(c);
    h.take_wire();
    h.feed(plain_ir);
    let wire = h.take_wire();
    assert!(wire.starts_with("a BAD "), "{wire}");
    assert!(
        !h.events.iter().any(|e| matches!(e, Event::Login { .. })),
        "{:?}",
        h.events
    );
    // Without the initial response the exchange still works.
    h.feed(b"b AUTHENTICATE PLAIN\r\n");
    assert_eq!(h.take_wire(), "+ \r\n");

    let mut c = plain_config();
    c.tls_active = true;
    c.sasl_ir = false;
    assert!(c.capabilities.contains(&Capability::Imap4Rev2));
    let mut h = Harness::new(c);
    h.take_wire();
    h.feed(plain_ir);
    assert!(
        h.events.iter().any(|e| matches!(e, Event::Login { .. })),
        "{:?}",
        h.events
    );
}
