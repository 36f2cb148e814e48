//! Review tests for the client machine: unsolicited responses while nothing
//! is in flight, completions out of order, BYE during a command.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use mailwire_imap_proto::client::{
    Client, ClientError, Config, Event, MisuseError, SessionState, TlsPolicy,
};
use mailwire_imap_proto::command::{Command, CommandBody};
use mailwire_imap_proto::response::{Data, StatusKind};

fn cmd(text: &str) -> CommandBody<'static> {
    let line = format!("x {text}\r\n");
    Command::parse(line.as_bytes()).unwrap().0.into_owned().body
}

fn out(c: &mut Client) -> String {
    let mut s = Vec::new();
    while let Some(b) = c.poll_transmit() {
        s.extend_from_slice(&b);
    }
    String::from_utf8(s).unwrap()
}

fn events(c: &mut Client) -> Vec<Event> {
    std::iter::from_fn(|| c.poll_event()).collect()
}

fn selected() -> Client {
    let mut config = Config::default();
    config.tls = TlsPolicy::Implicit;
    let mut c = Client::new(config);
    c.feed(b"* PREAUTH [CAPABILITY IMAP4rev1 IDLE] hi\r\n");
    let _ = events(&mut c);
    c.send(cmd("SELECT INBOX")).unwrap();
    assert_eq!(out(&mut c), "A1 SELECT INBOX\r\n");
    c.feed(b"* 5 EXISTS\r\nA1 OK [READ-WRITE] done\r\n");
    let _ = events(&mut c);
    assert_eq!(c.state(), SessionState::Selected);
    assert_eq!(c.in_flight(), 0);
    c
}

#[test]
fn unsolicited_updates_with_nothing_in_flight_are_surfaced() {
    let mut c = selected();
    // Split across feeds, and with nothing in flight.
    c.feed(b"* 3 EXPU");
    assert!(events(&mut c).is_empty());
    c.feed(b"NGE\r\n* 6 EXISTS\r\n* 1 FETCH (FLAGS (\\Seen))\r\n* 1 RECENT\r\n");
    let ev = events(&mut c);
    assert_eq!(ev.len(), 4, "{ev:?}");
    assert_eq!(ev[0], Event::Unsolicited(Data::Expunge(3)));
    assert_eq!(ev[1], Event::Unsolicited(Data::Exists(6)));
    assert!(
        matches!(&ev[2], Event::Unsolicited(Data::Fetch { seq: 1, .. })),
        "{ev:?}"
    );
    assert_eq!(ev[3], Event::Unsolicited(Data::Recent(1)));
    assert!(!c.is_closed());
    // A command still works afterwards.
    let noop = c.send(CommandBody::Noop).unwrap();
    assert_eq!(out(&mut c), "A2 NOOP\r\n");
    c.feed(b"* 2 EXPUNGE\r\nA2 OK\r\n");
    let ev = events(&mut c);
    assert!(
        ev.iter().any(|e| matches!(
            e,
            Event::Unsolicited(Data::Expunge(2))
                | Event::Data {
                    data: Data::Expunge(2),
                    ..
                }
        )),
        "{ev:?}"
    );
    assert!(matches!(ev.last(), Some(Event::Completed { handle, .. }) if *handle == noop));
}

#[test]
fn completions_out_of_order_match_their_handles() {
    let mut c = selected();
    let f = c.send(cmd("UID FETCH 1:* FLAGS")).unwrap();
    let s = c.send(cmd("UID SEARCH ALL")).unwrap();
    let l = c.send(cmd("LIST \"\" *")).unwrap();
    assert_eq!(
        out(&mut c),
        "A2 UID FETCH 1:* FLAGS\r\nA3 UID SEARCH ALL\r\nA4 LIST \"\" *\r\n"
    );
    assert_eq!(c.in_flight(), 3);
    c.feed(b"A4 NO no list\r\nA2 OK fetched\r\nA3 BAD bad search\r\n");
    let done: Vec<_> = events(&mut c)
        .into_iter()
        .filter_map(|e| match e {
            Event::Completed { handle, status } => Some((handle, status.kind)),
            _ => None,
        })
        .collect();
    assert_eq!(
        done,
        vec![
            (l, StatusKind::No),
            (f, StatusKind::Ok),
            (s, StatusKind::Bad)
        ]
    );
    assert_eq!(c.in_flight(), 0);
    // A tag already completed is an error, not a second completion.
    c.feed(b"A2 OK again\r\n");
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::Error(ClientError::UnknownTag { .. })]),
        "{ev:?}"
    );
}

#[test]
fn bye_during_a_command_closes_the_session() {
    let mut c = selected();
    c.send(cmd("UID FETCH 1:* FLAGS")).unwrap();
    let _ = out(&mut c);
    c.feed(b"* 1 FETCH (UID 1 FLAGS ())\r\n* BYE server shutting down\r\n");
    let ev = events(&mut c);
    assert!(matches!(&ev[0], Event::Data { .. }), "{ev:?}");
    assert!(
        matches!(&ev[1..], [Event::Bye(s), Event::Closed] if s.kind == StatusKind::Bye),
        "{ev:?}"
    );
    assert!(c.is_closed());
    assert_eq!(c.state(), SessionState::Logout);
    assert_eq!(c.send(CommandBody::Noop), Err(MisuseError::Closed));
    assert_eq!(out(&mut c), "");

    // During LOGOUT the BYE comes first and the tagged OK still completes it.
    let mut c = selected();
    let logout = c.send(CommandBody::Logout).unwrap();
    assert_eq!(out(&mut c), "A2 LOGOUT\r\n");
    c.feed(b"* BYE bye\r\n");
    let ev = events(&mut c);
    assert!(matches!(&ev[..], [Event::Bye(_)]), "{ev:?}");
    c.feed(b"A2 OK LOGOUT completed\r\n");
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::Completed { handle, status }, Event::Closed]
            if *handle == logout && status.kind == StatusKind::Ok),
        "{ev:?}"
    );
}

#[test]
fn deeply_nested_response_is_an_error_not_a_crash() {
    let mut c = selected();
    let f = c.send(cmd("UID FETCH 1 BODYSTRUCTURE")).unwrap();
    let _ = out(&mut c);
    let mut deep = b"* 1 FETCH (UID 1 BODYSTRUCTURE ".to_vec();
    deep.extend(std::iter::repeat_n(b'(', 100_000));
    deep.extend(std::iter::repeat_n(b')', 100_000));
    deep.extend_from_slice(b")\r\nA2 OK done\r\n");
    c.feed(&deep);
    let ev = events(&mut c);
    assert!(
        matches!(&ev[0], Event::Error(ClientError::Malformed { .. })),
        "{:?}",
        &ev[..ev.len().min(2)]
    );
    assert!(matches!(ev.last(), Some(Event::Completed { handle, .. }) if *handle == f));
    assert!(!c.is_closed());
}

/// RFC 9051 §6.2.3: a client MUST NOT send LOGIN when the server advertises
/// LOGINDISABLED, also when LOGIN was queued before the greeting.
#[test]
fn queued_login_is_not_sent_under_logindisabled() {
    for tls in [TlsPolicy::InsecureNever, TlsPolicy::Opportunistic] {
        let mut config = Config::default();
        config.tls = tls;
        let mut c = Client::new(config);
        let login = c.login("joe", "secret").unwrap();
        let noop = c.send(CommandBody::Noop).unwrap();
        c.feed(b"* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] hi\r\n");
        let ev = events(&mut c);
        assert!(
            ev.iter()
                .any(|e| matches!(e, Event::Completed { handle, status }
                if *handle == login && status.kind == StatusKind::No && status.tag.is_none())),
            "{tls:?}: {ev:?}"
        );
        let wire = out(&mut c);
        assert!(!wire.contains("LOGIN"), "{tls:?}: {wire}");
        assert!(!wire.contains("secret"), "{tls:?}: {wire}");
        assert_eq!(wire, "A1 NOOP\r\n", "{tls:?}");
        c.feed(b"A1 OK\r\n");
        let ev = events(&mut c);
        assert!(
            matches!(&ev[..], [Event::Completed { handle, .. }] if *handle == noop),
            "{ev:?}"
        );
        assert_eq!(c.state(), SessionState::NotAuthenticated);
    }
    // Without LOGINDISABLED the queued LOGIN goes out.
    let mut config = Config::default();
    config.tls = TlsPolicy::InsecureNever;
    let mut c = Client::new(config);
    c.login("joe", "secret").unwrap();
    c.feed(b"* OK [CAPABILITY IMAP4rev1] hi\r\n");
    assert_eq!(out(&mut c), "A1 LOGIN joe secret\r\n");
}
