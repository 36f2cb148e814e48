//! Client machine against server transcripts: RFC 3501 §8 and RFC 9051 §8
//! (with STARTTLS and SCRAM-SHA-256), setup policies, STARTTLS response
//! injection, greetings, unsolicited data. Asserts the events and every
//! byte the client writes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod rfc_sessions;

use mailwire_imap_proto::capability::Capability;
use mailwire_imap_proto::client::{
    Client, ClientError, Config, Event, MisuseError, SessionState, TlsPolicy,
};
use mailwire_imap_proto::code::Code;
use mailwire_imap_proto::command::{Command, CommandBody};
use mailwire_imap_proto::response::{Data, FetchItem, StatusKind};
use mailwire_sasl::Mechanism;
use mailwire_sasl::client::{Client as SaslClient, Config as SaslConfig, Credentials};
use rfc_sessions::{FETCH_FULL, HEADER_342};

fn cmd(text: &str) -> CommandBody<'static> {
    let line = format!("x {text}\r\n");
    Command::parse(line.as_bytes()).unwrap().0.into_owned().body
}

fn config(tls: TlsPolicy) -> Config {
    let mut c = Config::default();
    c.tls = tls;
    c
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

fn completed_kind(ev: &Event) -> Option<StatusKind> {
    match ev {
        Event::Completed { status, .. } => Some(status.kind),
        _ => None,
    }
}

/// RFC 3501 §8 (our tags; the greeting has no capabilities, so the client
/// asks first). The RFC's `{342}` does not match the printed header; the
/// real length is announced.
#[test]
fn rfc3501_section8() {
    let mut c = Client::new(config(TlsPolicy::InsecureNever));
    c.feed(b"* OK IMAP4rev1 Service Ready\r\n");
    assert_eq!(out(&mut c), "A1 CAPABILITY\r\n");
    let login = c.login("mrc", "secret").unwrap();
    assert_eq!(out(&mut c), "", "LOGIN waits for the setup");
    c.feed(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA1 OK done\r\n");
    assert_eq!(out(&mut c), "A2 LOGIN mrc secret\r\n");
    let ev = events(&mut c);
    assert!(matches!(&ev[0], Event::Greeting(s) if s.kind == StatusKind::Ok));
    assert!(matches!(&ev[1], Event::Capabilities(caps) if caps.len() == 2));
    assert_eq!(ev[2], Event::Ready);
    assert_eq!(ev.len(), 3);

    // SELECT waits for LOGIN; the capability re-read comes first.
    let select = c.send(cmd("select inbox")).unwrap();
    assert_eq!(out(&mut c), "");
    c.feed(b"A2 OK LOGIN completed\r\n");
    assert_eq!(out(&mut c), "A3 CAPABILITY\r\n");
    assert!(matches!(&events(&mut c)[..], [Event::Completed { handle, .. }] if *handle == login));
    c.feed(b"* CAPABILITY IMAP4rev1 IDLE\r\nA3 OK\r\n");
    assert_eq!(out(&mut c), "A4 SELECT INBOX\r\n");
    assert!(matches!(&events(&mut c)[..], [Event::Capabilities(_)]));
    assert!(c.has_capability(&Capability::Idle));

    c.feed(
        b"* 18 EXISTS\r\n* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 2 RECENT\r\n\
* OK [UNSEEN 17] Message 17 is the first unseen message\r\n\
* OK [UIDVALIDITY 3857529045] UIDs valid\r\nA4 OK [READ-WRITE] SELECT completed\r\n",
    );
    let ev = events(&mut c);
    assert_eq!(ev.len(), 6);
    assert_eq!(
        ev[0],
        Event::Data {
            handle: select,
            data: Data::Exists(18)
        }
    );
    assert!(
        matches!(&ev[1], Event::Data { handle, data: Data::Flags(f) } if *handle == select && f.len() == 5)
    );
    assert!(matches!(
        &ev[2],
        Event::Data {
            data: Data::Recent(2),
            ..
        }
    ));
    assert!(
        matches!(&ev[3], Event::Status { handle: Some(h), status } if *h == select && status.code == Some(Code::Unseen(17)))
    );
    assert!(
        matches!(&ev[4], Event::Status { status, .. } if status.code == Some(Code::UidValidity(3_857_529_045)))
    );
    assert!(
        matches!(&ev[5], Event::Completed { handle, status } if *handle == select && status.code == Some(Code::ReadWrite))
    );
    assert_eq!(c.state(), SessionState::Selected);

    let full = c.send(cmd("fetch 12 full")).unwrap();
    let header = c.send(cmd("fetch 12 body[header]")).unwrap();
    let store = c.send(cmd("store 12 +flags \\deleted")).unwrap();
    assert_eq!(
        out(&mut c),
        "A5 FETCH 12 FULL\r\nA6 FETCH 12 BODY[HEADER]\r\nA7 STORE 12 +FLAGS (\\Deleted)\r\n"
    );
    c.feed(format!("{FETCH_FULL}\r\n").as_bytes());
    c.feed(b"A5 OK FETCH completed\r\n");
    c.feed(
        format!(
            "* 12 FETCH (BODY[HEADER] {{{}}}\r\n{HEADER_342})\r\n",
            HEADER_342.len()
        )
        .as_bytes(),
    );
    c.feed(b"A6 OK FETCH completed\r\n* 12 FETCH (FLAGS (\\Seen \\Deleted))\r\nA7 OK +FLAGS completed\r\n");
    let ev = events(&mut c);
    assert_eq!(ev.len(), 6, "{ev:?}");
    assert!(
        matches!(&ev[0], Event::Data { handle, data: Data::Fetch { seq: 12, items } } if *handle == full && items.len() == 5)
    );
    assert!(matches!(&ev[1], Event::Completed { handle, .. } if *handle == full));
    // The header is small: not streamed, the data is in the FETCH item.
    assert!(
        matches!(&ev[2], Event::Data { handle, data: Data::Fetch { items, .. } }
        if *handle == header && matches!(&items[0], FetchItem::BodySection { data: Some(d), .. } if d.len() == HEADER_342.len()))
    );
    assert!(matches!(&ev[3], Event::Completed { handle, .. } if *handle == header));
    assert!(matches!(&ev[4], Event::Data { handle, .. } if *handle == store));
    assert!(matches!(&ev[5], Event::Completed { handle, .. } if *handle == store));

    let logout = c.logout().unwrap();
    assert_eq!(c.send(CommandBody::Noop), Err(MisuseError::Closed));
    assert_eq!(out(&mut c), "A8 LOGOUT\r\n");
    c.feed(b"* BYE IMAP4rev1 server terminating connection\r\nA8 OK LOGOUT completed\r\n");
    let ev = events(&mut c);
    assert!(matches!(&ev[0], Event::Bye(_)));
    assert!(
        matches!(&ev[1], Event::Completed { handle, status } if *handle == logout && status.kind == StatusKind::Ok)
    );
    assert_eq!(ev[2], Event::Closed);
    assert!(c.is_closed());
    assert_eq!(c.state(), SessionState::Logout);
}

/// RFC 9051 §8: STARTTLS, AUTHENTICATE SCRAM-SHA-256 with the RFC 7677
/// example exchange (initial response per IMAP4rev2), ENABLE, SELECT,
/// FETCH, STORE, LOGOUT.
#[test]
fn rfc9051_section8_starttls_scram() {
    let mut c = Client::new(config(TlsPolicy::Required));
    let sasl = SaslClient::new(
        Mechanism::ScramSha256,
        Credentials::password("user", "pencil"),
        &SaslConfig::new().with_nonce("rOprNGfwEbeRWgbNEkqO"),
    )
    .unwrap();
    let auth = c.authenticate_sasl(sasl).unwrap();
    c.feed(b"* OK [CAPABILITY STARTTLS AUTH=SCRAM-SHA-256 LOGINDISABLED IMAP4rev2] IMAP4rev2 Service Ready\r\n");
    assert_eq!(out(&mut c), "A1 STARTTLS\r\n");
    assert!(
        c.login("a", "b")
            .is_err_and(|e| e == MisuseError::LoginDisabled)
    );
    c.feed(b"A1 OK Proceed with TLS negotiation\r\n");
    let ev = events(&mut c);
    assert_eq!(ev.last(), Some(&Event::StartTls));
    assert!(c.wants_tls_upgrade());
    assert_eq!(out(&mut c), "", "nothing in cleartext after the OK");
    c.tls_established().unwrap();
    assert!(c.is_tls());
    assert!(c.capabilities().is_empty(), "capabilities forgotten");
    assert_eq!(out(&mut c), "A2 CAPABILITY\r\n");
    c.feed(b"* CAPABILITY IMAP4rev2 AUTH=SCRAM-SHA-256 AUTH=PLAIN\r\nA2 OK\r\n");
    assert_eq!(
        out(&mut c),
        "A3 AUTHENTICATE SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=\r\n"
    );
    c.feed(b"+ cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=\r\n");
    assert_eq!(
        out(&mut c),
        "Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==\r\n"
    );
    c.feed(b"+ dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==\r\n");
    assert_eq!(out(&mut c), "\r\n");
    c.feed(b"A3 OK SCRAM-SHA-256 authentication successful\r\n");
    assert_eq!(out(&mut c), "A4 CAPABILITY\r\n");
    let ev = events(&mut c);
    assert!(ev.contains(&Event::Ready));
    assert!(
        matches!(ev.last(), Some(Event::Completed { handle, status }) if *handle == auth && status.kind == StatusKind::Ok)
    );
    c.feed(b"* CAPABILITY IMAP4rev2 IDLE\r\nA4 OK\r\n");
    let enable = c.send(cmd("ENABLE IMAP4rev2")).unwrap();
    assert_eq!(out(&mut c), "A5 ENABLE IMAP4rev2\r\n");
    c.feed(b"* ENABLED IMAP4rev2\r\nA5 OK Some capabilities enabled\r\n");
    let ev = events(&mut c);
    assert!(
        ev.iter().any(
            |e| matches!(e, Event::Data { handle, data: Data::Enabled(_) } if *handle == enable)
        )
    );
    assert_eq!(c.enabled(), &[Capability::Imap4Rev2]);

    let select = c.send(cmd("select inbox")).unwrap();
    assert_eq!(out(&mut c), "A6 SELECT INBOX\r\n");
    c.feed(
        b"* 18 EXISTS\r\n* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n\
* OK [UIDVALIDITY 3857529045] UIDs valid\r\n* LIST () \"/\" INBOX (\"OLDNAME\" (\"inbox\"))\r\n\
A6 OK [READ-WRITE] SELECT completed\r\n",
    );
    let ev = events(&mut c);
    // The LIST is nobody's: unsolicited, not lost.
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::Unsolicited(Data::List(_)))),
        "{ev:?}"
    );
    assert!(matches!(ev.last(), Some(Event::Completed { handle, .. }) if *handle == select));

    let store = c.send(cmd("store 12 +flags \\deleted")).unwrap();
    c.feed(b"* 12 FETCH (FLAGS (\\Seen \\Deleted))\r\nA7 OK +FLAGS completed\r\n");
    assert!(
        matches!(&events(&mut c)[..], [Event::Data { handle: a, .. }, Event::Completed { handle: b, .. }] if *a == store && *b == store)
    );
    c.logout().unwrap();
    assert_eq!(
        out(&mut c),
        "A7 STORE 12 +FLAGS (\\Deleted)\r\nA8 LOGOUT\r\n"
    );
    c.feed(b"* BYE IMAP4rev2 server terminating connection\r\nA8 OK LOGOUT completed\r\n");
    assert_eq!(events(&mut c).last(), Some(&Event::Closed));
}

#[test]
fn scram_server_that_does_not_prove_itself_is_fatal() {
    let mut c = Client::new(config(TlsPolicy::Implicit));
    let sasl = SaslClient::new(
        Mechanism::ScramSha256,
        Credentials::password("user", "pencil"),
        &SaslConfig::new().with_nonce("rOprNGfwEbeRWgbNEkqO"),
    )
    .unwrap();
    c.feed(b"* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=SCRAM-SHA-256] hi\r\n");
    c.authenticate_sasl(sasl).unwrap();
    c.feed(b"+ cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=\r\n");
    // Success without the server-final message.
    c.feed(b"A1 OK welcome\r\n");
    let ev = events(&mut c);
    assert!(
        ev.contains(&Event::Error(ClientError::ServerNotVerified)),
        "{ev:?}"
    );
    assert_eq!(ev.last(), Some(&Event::Closed));
    assert_ne!(c.state(), SessionState::Authenticated);
}

/// Bytes after the tagged OK to STARTTLS (in the same read) would be
/// processed as if they came over TLS: a response injection (the class of
/// CVE-2011-0411). The client must refuse.
#[test]
fn starttls_response_injection_is_fatal() {
    let mut c = Client::new(config(TlsPolicy::Required));
    c.login("joe", "secret").unwrap();
    c.feed(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n");
    assert_eq!(out(&mut c), "A1 STARTTLS\r\n");
    c.feed(b"A1 OK begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n");
    let ev = events(&mut c);
    assert!(
        ev.contains(&Event::Error(ClientError::DataAfterStartTls)),
        "{ev:?}"
    );
    assert_eq!(ev.last(), Some(&Event::Closed));
    assert!(!c.wants_tls_upgrade());
    assert!(c.is_closed());
    assert_eq!(out(&mut c), "", "the queued LOGIN never goes out");

    // Bytes arriving while the handshake should run: fatal too.
    let mut c = Client::new(config(TlsPolicy::Required));
    c.feed(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\nA1 OK begin TLS\r\n");
    assert!(c.wants_tls_upgrade());
    c.feed(b"* OK injected\r\n");
    let ev = events(&mut c);
    assert!(ev.contains(&Event::Error(ClientError::DataAfterStartTls)));
    assert!(c.is_closed());
    assert_eq!(c.tls_established(), Err(MisuseError::NotPending));
}

#[test]
fn tls_policies() {
    // Required, not offered.
    let mut c = Client::new(config(TlsPolicy::Required));
    c.feed(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n");
    let ev = events(&mut c);
    assert!(ev.contains(&Event::Error(ClientError::TlsUnavailable)));
    assert!(c.is_closed());
    // Required, refused.
    let mut c = Client::new(config(TlsPolicy::Required));
    c.feed(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\nA1 NO not now\r\n");
    assert!(
        events(&mut c)
            .iter()
            .any(|e| matches!(e, Event::Error(ClientError::TlsRejected(_))))
    );
    // Opportunistic, refused: go on in cleartext.
    let mut c = Client::new(config(TlsPolicy::Opportunistic));
    c.feed(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\nA1 NO not now\r\n");
    assert_eq!(events(&mut c).last(), Some(&Event::Ready));
    // Opportunistic, not offered.
    let mut c = Client::new(config(TlsPolicy::Opportunistic));
    c.feed(b"* OK [CAPABILITY IMAP4rev1] hi\r\n");
    assert_eq!(events(&mut c).last(), Some(&Event::Ready));
    assert_eq!(out(&mut c), "");
    // Never: STARTTLS offered but not used.
    let mut c = Client::new(config(TlsPolicy::InsecureNever));
    c.feed(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n");
    assert_eq!(events(&mut c).last(), Some(&Event::Ready));
    assert_eq!(out(&mut c), "");
    assert_eq!(
        c.send(CommandBody::StartTls),
        Err(MisuseError::Unsupported("STARTTLS"))
    );
}

#[test]
fn greetings() {
    // PREAUTH over cleartext while TLS is required: close (RFC 9051 §7.1.4).
    let mut c = Client::new(config(TlsPolicy::Required));
    c.feed(b"* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] hi joe\r\n");
    assert!(events(&mut c).contains(&Event::Error(ClientError::PreAuthWithoutTls)));
    assert!(c.is_closed());
    // PREAUTH under implicit TLS: authenticated at once.
    let mut c = Client::new(config(TlsPolicy::Implicit));
    c.feed(b"* PREAUTH [CAPABILITY IMAP4rev1] hi joe\r\n");
    assert_eq!(events(&mut c).last(), Some(&Event::Ready));
    assert_eq!(c.state(), SessionState::Authenticated);
    assert!(matches!(
        c.login("a", "b"),
        Err(MisuseError::WrongState { .. })
    ));
    assert!(c.send(cmd("SELECT INBOX")).is_ok());
    // BYE greeting.
    let mut c = Client::new(config(TlsPolicy::Implicit));
    c.feed(b"* BYE too busy\r\n");
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::Greeting(_), Event::Bye(_), Event::Closed]),
        "{ev:?}"
    );
    // Not a greeting.
    for bad in [
        &b"a1 OK hi\r\n"[..],
        b"+ hi\r\n",
        b"* 3 EXISTS\r\n",
        b"* NO hi\r\n",
        b"garbage\r\n",
    ] {
        let mut c = Client::new(config(TlsPolicy::Implicit));
        c.feed(bad);
        let ev = events(&mut c);
        assert!(
            matches!(&ev[..], [Event::Error(_), Event::Closed]),
            "{bad:?} {ev:?}"
        );
    }
}

#[test]
fn state_tracking_and_misuse() {
    let mut c = Client::new(config(TlsPolicy::Implicit));
    c.feed(b"* OK [CAPABILITY IMAP4rev1] hi\r\n");
    let _ = events(&mut c);
    assert!(matches!(
        c.send(cmd("FETCH 1 FLAGS")),
        Err(MisuseError::WrongState {
            command: "FETCH",
            state: SessionState::NotAuthenticated
        })
    ));
    // Projected: after LOGIN and SELECT succeed, FETCH is fine.
    c.login("joe", "pw").unwrap();
    let select = c.send(cmd("SELECT INBOX")).unwrap();
    c.send(cmd("FETCH 1 FLAGS")).unwrap();
    assert_eq!(
        c.send(cmd("COMPRESS DEFLATE")),
        Err(MisuseError::Unsupported("COMPRESS"))
    );
    assert_eq!(c.auth_respond(b"x"), Err(MisuseError::NotPending));
    assert_eq!(c.idle_done(), Err(MisuseError::NotPending));
    c.feed(b"A1 OK [CAPABILITY IMAP4rev1] in\r\n");
    assert_eq!(c.state(), SessionState::Authenticated);
    c.feed(b"A2 NO no such mailbox\r\n");
    // A failed SELECT leaves the authenticated state (RFC 9051 §6.3.2).
    assert_eq!(c.state(), SessionState::Authenticated);
    let ev = events(&mut c);
    assert!(ev.iter().any(|e| matches!(e, Event::Completed { handle, status } if *handle == select && status.kind == StatusKind::No)));
    assert_eq!(
        out(&mut c),
        "A1 LOGIN joe pw\r\nA2 SELECT INBOX\r\nA3 FETCH 1 FLAGS\r\n"
    );
    c.feed(b"A3 BAD no mailbox selected\r\n");
    assert_eq!(
        events(&mut c)
            .iter()
            .filter_map(completed_kind)
            .collect::<Vec<_>>(),
        vec![StatusKind::Bad]
    );
    c.send(cmd("EXAMINE INBOX")).unwrap();
    c.feed(b"A4 OK [READ-ONLY] done\r\n");
    assert_eq!(c.state(), SessionState::Selected);
    c.send(CommandBody::Unselect).unwrap();
    c.feed(b"A5 OK done\r\n");
    assert_eq!(c.state(), SessionState::Authenticated);
}

#[test]
fn untagged_routing_and_unsolicited_data() {
    let mut c = Client::new(config(TlsPolicy::Implicit));
    c.feed(b"* PREAUTH [CAPABILITY IMAP4rev1 ESEARCH] hi\r\n");
    let _ = events(&mut c);
    c.send(cmd("SELECT INBOX")).unwrap();
    c.feed(b"* 3 EXISTS\r\nA1 OK [READ-WRITE] ok\r\n");
    let _ = events(&mut c);
    assert_eq!(out(&mut c), "A1 SELECT INBOX\r\n");
    let search = c.send(cmd("UID SEARCH RETURN (ALL) ALL")).unwrap();
    let list = c.send(cmd("LIST \"\" *")).unwrap();
    let status = c.send(cmd("STATUS INBOX (MESSAGES)")).unwrap();
    assert_eq!(
        out(&mut c),
        "A2 UID SEARCH RETURN (ALL) ALL\r\nA3 LIST \"\" *\r\nA4 STATUS INBOX (MESSAGES)\r\n"
    );
    // Out of order, interleaved with unsolicited updates and an unknown response.
    c.feed(b"* 4 EXISTS\r\n* STATUS INBOX (MESSAGES 4)\r\n* LIST () \"/\" INBOX\r\n\
* ESEARCH (TAG \"A2\") UID ALL 1:4\r\n* 2 EXPUNGE\r\n* XVENDOR stuff here\r\n* NO [ALERT] disk full\r\n\
A4 OK\r\nA3 OK\r\nA2 OK\r\nA9 OK who?\r\n");
    let ev = events(&mut c);
    let expect_handles = [None, Some(status), Some(list), Some(search), None, None];
    for (e, h) in ev.iter().zip(expect_handles) {
        match (e, h) {
            (Event::Data { handle, .. }, Some(h)) => assert_eq!(*handle, h),
            (Event::Unsolicited(_), None) => {}
            other => panic!("{other:?} in {ev:?}"),
        }
    }
    assert!(matches!(&ev[0], Event::Unsolicited(Data::Exists(4))));
    assert!(matches!(&ev[4], Event::Unsolicited(Data::Expunge(2))));
    assert!(matches!(&ev[5], Event::Unsolicited(Data::Other { .. })));
    assert!(
        matches!(&ev[6], Event::Status { handle: None, status } if status.code == Some(Code::Alert))
    );
    let done: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            Event::Completed { handle, .. } => Some(*handle),
            _ => None,
        })
        .collect();
    assert_eq!(done, vec![status, list, search]);
    assert!(matches!(
        ev.last(),
        Some(Event::Error(ClientError::UnknownTag { .. }))
    ));
    // A malformed untagged response is reported with its bytes; the session goes on.
    c.feed(b"* 5 FETCH (UID)\r\n");
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::Error(ClientError::Malformed { raw, .. })] if raw.starts_with(b"* 5 FETCH"))
    );
    assert!(!c.is_closed());
    // A `+` nobody asked for.
    c.feed(b"+ hi\r\n");
    assert_eq!(
        events(&mut c),
        vec![Event::Error(ClientError::UnexpectedContinuation)]
    );
    // An unsolicited BYE ends the session.
    c.feed(b"* BYE shutting down\r\n");
    let ev = events(&mut c);
    assert!(matches!(&ev[..], [Event::Bye(_), Event::Closed]));
    assert_eq!(c.send(CommandBody::Noop), Err(MisuseError::Closed));
}

#[test]
fn idle_with_pushed_updates() {
    let mut c = Client::new(config(TlsPolicy::Implicit));
    c.feed(b"* PREAUTH [CAPABILITY IMAP4rev1 IDLE] hi\r\n");
    let _ = events(&mut c);
    c.send(cmd("SELECT INBOX")).unwrap();
    let idle = c.idle().unwrap();
    let noop = c.send(CommandBody::Noop).unwrap();
    assert_eq!(out(&mut c), "A1 SELECT INBOX\r\n");
    c.feed(b"A1 OK done\r\n");
    assert_eq!(out(&mut c), "A2 IDLE\r\n");
    c.feed(b"+ idling\r\n");
    let ev = events(&mut c);
    assert!(matches!(ev.last(), Some(Event::Continuation { handle, .. }) if *handle == idle));
    c.feed(b"* 4 EXISTS\r\n* 2 EXPUNGE\r\n");
    assert_eq!(
        events(&mut c),
        vec![
            Event::Unsolicited(Data::Exists(4)),
            Event::Unsolicited(Data::Expunge(2))
        ]
    );
    assert_eq!(out(&mut c), "", "NOOP waits for the end of IDLE");
    c.idle_done().unwrap();
    assert_eq!(out(&mut c), "DONE\r\n");
    c.feed(b"A2 OK IDLE terminated\r\n");
    assert_eq!(out(&mut c), "A3 NOOP\r\n");
    c.feed(b"A3 OK\r\n");
    let ev = events(&mut c);
    assert_eq!(ev.iter().filter_map(completed_kind).count(), 2);
    assert!(matches!(ev.last(), Some(Event::Completed { handle, .. }) if *handle == noop));

    // DONE asked for before the server's "+": sent when it arrives.
    let idle = c.idle().unwrap();
    c.idle_done().unwrap();
    assert_eq!(out(&mut c), "A4 IDLE\r\n");
    c.feed(b"+ idling\r\n");
    assert_eq!(out(&mut c), "DONE\r\n");
    c.feed(b"A4 OK\r\n");
    assert!(
        events(&mut c)
            .iter()
            .any(|e| matches!(e, Event::Completed { handle, .. } if *handle == idle))
    );
}

#[test]
fn authenticate_by_hand_without_sasl_ir() {
    let mut c = Client::new(config(TlsPolicy::Implicit));
    c.feed(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2] hi\r\n");
    let _ = events(&mut c);
    let h = c.authenticate("PLAIN", Some(b"\0joe\0pw")).unwrap();
    // No SASL-IR: the initial response waits for the empty challenge.
    assert_eq!(out(&mut c), "A1 AUTHENTICATE PLAIN\r\n");
    c.feed(b"+ \r\n");
    assert_eq!(out(&mut c), "AGpvZQBwdw==\r\n");
    assert!(events(&mut c).is_empty());
    c.feed(b"+ bW9yZQ==\r\n");
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::Continuation { handle, request: mailwire_imap_proto::response::Continue::Base64(d) }] if *handle == h && d.as_ref() == b"more"),
        "{ev:?}"
    );
    c.auth_cancel().unwrap();
    assert_eq!(out(&mut c), "*\r\n");
    c.feed(b"A1 BAD cancelled\r\n");
    assert_eq!(
        events(&mut c)
            .iter()
            .filter_map(completed_kind)
            .collect::<Vec<_>>(),
        vec![StatusKind::Bad]
    );
    assert_eq!(c.state(), SessionState::NotAuthenticated);

    // XOAUTH2 through the SASL client: an error challenge is answered with
    // an empty response, then NO.
    let sasl = SaslClient::new(
        Mechanism::XOAuth2,
        Credentials::token("joe@example.org", "tok"),
        &SaslConfig::new(),
    )
    .unwrap();
    let h = c.authenticate_sasl(sasl).unwrap();
    assert_eq!(out(&mut c), "A2 AUTHENTICATE XOAUTH2\r\n");
    c.feed(b"+ \r\n");
    assert_eq!(
        out(&mut c),
        "dXNlcj1qb2VAZXhhbXBsZS5vcmcBYXV0aD1CZWFyZXIgdG9rAQE=\r\n"
    );
    c.feed(b"+ eyJzdGF0dXMiOiI0MDEifQ==\r\n");
    assert_eq!(out(&mut c), "\r\n");
    c.feed(b"A2 NO [AUTHENTICATIONFAILED] invalid token\r\n");
    let ev = events(&mut c);
    assert!(
        matches!(&ev[..], [Event::Completed { handle, status }] if *handle == h && status.code == Some(Code::AuthenticationFailed)),
        "{ev:?}"
    );
}

#[test]
fn idle_refresh_timer() {
    use std::time::{Duration, Instant};
    let mut config = config(TlsPolicy::Implicit);
    config.idle_refresh = Duration::from_secs(60);
    let mut c = Client::new(config);
    c.feed(b"* PREAUTH [CAPABILITY IMAP4rev1 IDLE] hi\r\n");
    let t0 = Instant::now();
    c.handle_timeout(t0);
    assert_eq!(c.poll_timeout(), None);
    let idle = c.idle().unwrap();
    assert_eq!(out(&mut c), "A1 IDLE\r\n");
    c.feed(b"+ idling\r\n");
    c.handle_timeout(t0 + Duration::from_secs(1));
    assert_eq!(c.poll_timeout(), Some(t0 + Duration::from_secs(60)));
    c.handle_timeout(t0 + Duration::from_secs(59));
    assert_eq!(out(&mut c), "");
    c.handle_timeout(t0 + Duration::from_secs(60));
    assert_eq!(out(&mut c), "DONE\r\n");
    assert_eq!(c.poll_timeout(), None);
    c.feed(b"A1 OK done\r\n");
    assert!(
        events(&mut c)
            .iter()
            .any(|e| matches!(e, Event::Completed { handle, .. } if *handle == idle))
    );
}

#[test]
fn malformed_responses() {
    let mut c = Client::new(config(TlsPolicy::Implicit));
    c.feed(b"* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
    let _ = events(&mut c);
    let h = c.send(CommandBody::Noop).unwrap();
    let next = c.send(CommandBody::Noop).unwrap();
    // An unterminated response code: the completion still counts.
    c.feed(b"A1 OK [UIDNEXT oops\r\n");
    let ev = events(&mut c);
    assert!(
        matches!(&ev[0], Event::Error(ClientError::Malformed { .. })),
        "{ev:?}"
    );
    assert!(
        matches!(&ev[1], Event::Completed { handle, status } if *handle == h && status.kind == StatusKind::Ok && status.text.is_empty())
    );
    assert!(!c.is_closed());
    // Nonsense that is neither data, completion nor continuation: fatal.
    c.feed(b"hello there\r\n");
    let ev = events(&mut c);
    assert!(
        matches!(
            &ev[..],
            [
                Event::Error(ClientError::Unrecoverable { .. }),
                Event::Closed
            ]
        ),
        "{ev:?}"
    );
    assert!(
        !ev.iter()
            .any(|e| matches!(e, Event::Completed { handle, .. } if *handle == next))
    );
}

/// The SASL mechanisms of the issue through `authenticate_sasl`: LOGIN (no
/// initial response: challenges answered by the machine), OAUTHBEARER and
/// XOAUTH2 with SASL-IR (initial response on the command line, RFC 4959).
#[test]
fn sasl_mechanisms_through_the_machine() {
    use base64::Engine as _;
    let b64 = |v: &[u8]| base64::engine::general_purpose::STANDARD.encode(v);
    let ready = || {
        let mut c = Client::new(config(TlsPolicy::Implicit));
        c.feed(
            b"* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=LOGIN AUTH=OAUTHBEARER AUTH=XOAUTH2] hi\r\n",
        );
        let _ = events(&mut c);
        c
    };
    // LOGIN.
    let mut c = ready();
    let sasl = SaslClient::new(
        Mechanism::Login,
        Credentials::password("joe", "pw d"),
        &SaslConfig::new(),
    )
    .unwrap();
    let h = c.authenticate_sasl(sasl).unwrap();
    assert_eq!(out(&mut c), "A1 AUTHENTICATE LOGIN\r\n");
    c.feed(format!("+ {}\r\n", b64(b"Username:")).as_bytes());
    assert_eq!(out(&mut c), format!("{}\r\n", b64(b"joe")));
    c.feed(format!("+ {}\r\n", b64(b"Password:")).as_bytes());
    assert_eq!(out(&mut c), format!("{}\r\n", b64(b"pw d")));
    c.feed(b"A1 OK [CAPABILITY IMAP4rev1] welcome\r\n");
    assert!(events(&mut c).iter().any(|e| matches!(e, Event::Completed { handle, status } if *handle == h && status.kind == StatusKind::Ok)));
    assert_eq!(c.state(), SessionState::Authenticated);

    // OAUTHBEARER (RFC 7628 §3.1 message layout).
    let mut c = ready();
    let sasl = SaslClient::new(
        Mechanism::OAuthBearer,
        Credentials::token(
            "user@example.com",
            "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==",
        )
        .with_host("server.example.com", 143),
        &SaslConfig::new(),
    )
    .unwrap();
    c.authenticate_sasl(sasl).unwrap();
    let expect = b64(b"n,a=user@example.com,\x01host=server.example.com\x01port=143\x01auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\x01\x01");
    assert_eq!(
        out(&mut c),
        format!("A1 AUTHENTICATE OAUTHBEARER {expect}\r\n")
    );
    // A failure: the server sends the JSON error as a challenge; the
    // client answers with the dummy response (RFC 7628 §3.2.3), then NO.
    c.feed(format!("+ {}\r\n", b64(br#"{"status":"invalid_token"}"#)).as_bytes());
    assert_eq!(out(&mut c), format!("{}\r\n", b64(b"\x01")));
    c.feed(b"A1 NO [AUTHENTICATIONFAILED] no\r\n");
    assert_eq!(
        events(&mut c)
            .iter()
            .filter_map(completed_kind)
            .collect::<Vec<_>>(),
        vec![StatusKind::No]
    );

    // XOAUTH2 with SASL-IR.
    let mut c = ready();
    let sasl = SaslClient::new(
        Mechanism::XOAuth2,
        Credentials::token("joe@example.org", "tok"),
        &SaslConfig::new(),
    )
    .unwrap();
    c.authenticate_sasl(sasl).unwrap();
    assert_eq!(
        out(&mut c),
        format!(
            "A1 AUTHENTICATE XOAUTH2 {}\r\n",
            b64(b"user=joe@example.org\x01auth=Bearer tok\x01\x01")
        )
    );
    c.feed(b"A1 OK done\r\n");
    assert_eq!(c.state(), SessionState::Authenticated);
    // The post-login capability re-read (no code in the OK).
    assert_eq!(out(&mut c), "A2 CAPABILITY\r\n");
}
