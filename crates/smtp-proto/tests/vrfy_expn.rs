//! VRFY and EXPN (RFC 5321 §3.5, §4.1.1.6–7, §7.3): answered automatically
//! by default, relayed to the application with `Config::relay_vrfy_expn`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mailwire_smtp_proto::server::{Config, Event, Server};
use mailwire_smtp_proto::{Reply, UsageError};

fn drain(s: &mut Server) -> String {
    let mut out = Vec::new();
    while let Some(b) = s.poll_transmit() {
        out.extend_from_slice(&b);
    }
    String::from_utf8(out).unwrap()
}

/// Connects and says EHLO; returns the server with the greeting drained.
fn session(relay: bool) -> Server {
    let mut config = Config::new("mx.example");
    config.relay_vrfy_expn = relay;
    let mut s = Server::new(config);
    assert_eq!(s.poll_event(), Some(Event::Connect));
    s.accept().unwrap();
    s.feed(b"EHLO c\r\n");
    assert!(matches!(s.poll_event(), Some(Event::Helo { .. })));
    s.accept().unwrap();
    drain(&mut s);
    s
}

#[test]
fn default_mode_answers_automatically() {
    let mut s = session(false);
    s.feed(b"VRFY Smith\r\nEXPN Example-People\r\n");
    assert_eq!(
        drain(&mut s),
        "252 2.5.0 Cannot VRFY user, but will accept message\r\n\
         502 5.5.1 EXPN not available\r\n"
    );
    assert_eq!(s.poll_event(), None);
    assert_eq!(s.accept(), Err(UsageError::NoPendingDecision));
}

#[test]
fn relay_mode_vrfy_decisions() {
    let mut s = session(true);
    s.feed(b"VRFY Smith\r\n");
    assert_eq!(drain(&mut s), "");
    assert_eq!(
        s.poll_event(),
        Some(Event::Vrfy {
            argument: "Smith".into()
        })
    );
    // §3.5.1: a unique match names the mailbox.
    s.accept_with(Reply::from_code(
        250,
        Some((2, 1, 5)),
        "Fred Smith <Smith@USC-ISIF.ARPA>",
    ))
    .unwrap();
    assert_eq!(
        drain(&mut s),
        "250 2.1.5 Fred Smith <Smith@USC-ISIF.ARPA>\r\n"
    );
    assert_eq!(s.accept(), Err(UsageError::NoPendingDecision));

    // Default positive answer: 252.
    s.feed(b"VRFY Jones\r\n");
    assert_eq!(
        s.poll_event(),
        Some(Event::Vrfy {
            argument: "Jones".into()
        })
    );
    s.accept().unwrap();
    assert_eq!(
        drain(&mut s),
        "252 2.5.0 Cannot VRFY user, but will accept message\r\n"
    );

    // Ambiguous: a multi-line 553; unknown: 550.
    s.feed(b"VRFY Jo\r\nVRFY Nobody\r\n");
    assert_eq!(
        s.poll_event(),
        Some(Event::Vrfy {
            argument: "Jo".into()
        })
    );
    // The second pipelined VRFY waits for the first decision.
    assert_eq!(s.poll_event(), None);
    s.reject(Reply::from_code(
        553,
        Some((5, 1, 4)),
        "Ambiguous; Possibilities are\nJoe Smith <jsmith@foo.com>\nJohn Jones <jj@foo.com>",
    ))
    .unwrap();
    assert_eq!(
        s.poll_event(),
        Some(Event::Vrfy {
            argument: "Nobody".into()
        })
    );
    // A positive reply to reject is refused, the decision stays pending.
    assert_eq!(
        s.reject(Reply::from_code(250, None, "x")),
        Err(UsageError::InvalidAnswer)
    );
    s.reject(Reply::from_code(550, Some((5, 1, 1)), "No such user"))
        .unwrap();
    assert_eq!(
        drain(&mut s),
        "553-5.1.4 Ambiguous; Possibilities are\r\n\
         553-5.1.4 Joe Smith <jsmith@foo.com>\r\n\
         553 5.1.4 John Jones <jj@foo.com>\r\n\
         550 5.1.1 No such user\r\n"
    );
}

#[test]
fn relay_mode_expn_decisions() {
    let mut s = session(true);
    s.feed(b"EXPN Example-People\r\n");
    assert_eq!(
        s.poll_event(),
        Some(Event::Expn {
            argument: "Example-People".into()
        })
    );
    s.accept_with(Reply::from_code(
        250,
        Some((2, 1, 5)),
        "Jon Postel <Postel@isi.edu>\nFred Fonebone <Fonebone@physics.foo-u.edu>",
    ))
    .unwrap();
    assert_eq!(
        drain(&mut s),
        "250-2.1.5 Jon Postel <Postel@isi.edu>\r\n\
         250 2.1.5 Fred Fonebone <Fonebone@physics.foo-u.edu>\r\n"
    );
    // §7.3: the application may refuse it.
    s.feed(b"EXPN Staff\r\n");
    assert_eq!(
        s.poll_event(),
        Some(Event::Expn {
            argument: "Staff".into()
        })
    );
    s.reject(Reply::from_code(502, Some((5, 5, 1)), "EXPN not available"))
        .unwrap();
    s.feed(b"EXPN Other\r\n");
    assert!(matches!(s.poll_event(), Some(Event::Expn { .. })));
    s.accept().unwrap();
    assert_eq!(
        drain(&mut s),
        "502 5.5.1 EXPN not available\r\n252 2.5.0 Cannot EXPN list\r\n"
    );
}

#[test]
fn relay_mode_still_counts_no_progress() {
    // VRFY/EXPN are commands without progress (tests/limits.rs): N are
    // relayed, the N+1st closes the session without reaching the application.
    let limit = Config::new("x").limits.commands_without_progress;
    let mut s = session(true);
    let mut relayed = 0;
    for _ in 0..=limit {
        s.feed(b"VRFY x\r\n");
        while let Some(ev) = s.poll_event() {
            if matches!(ev, Event::Vrfy { .. }) {
                relayed += 1;
                s.accept().unwrap();
            }
        }
    }
    let out = drain(&mut s);
    assert!(
        out.ends_with("421 4.7.0 Too many commands without progress, closing\r\n"),
        "{out}"
    );
    assert!(s.is_closed());
    assert_eq!(relayed, limit);
}
