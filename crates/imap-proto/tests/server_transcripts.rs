//! The sample sessions of RFC 3501 §8 and RFC 9051 §8 played against the
//! server machine: the client lines are fed, the application answers each
//! command event with the untagged and tagged responses of the transcript,
//! and the bytes the machine writes must equal the transcript's server side.
//!
//! Texts the machine writes itself (greeting, STARTTLS, LOGIN/AUTHENTICATE,
//! ENABLE, LOGOUT) are configured to the RFC's where the machine allows it;
//! where it does not, the expected line carries the machine's text and a
//! comment says so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod rfc_sessions;

use base64::Engine as _;
use mailwire_imap_proto::capability::Capability;
use mailwire_imap_proto::response::Response;
use mailwire_imap_proto::server::{Config, Event, Server, State};
use mailwire_sasl::server::{Answer, Request, ScramCredentials, ScramHash};
use mailwire_sasl::{Mechanism, Policy};
use rfc_sessions::{Dir, FETCH_FULL, HEADER_342, unit};

/// Answers a command event with the server lines that follow it.
fn answer(server: &mut Server, id: mailwire_imap_proto::server::CommandId, lines: &[Vec<u8>]) {
    for bytes in lines {
        let (r, n) = Response::parse(bytes).unwrap();
        assert_eq!(n, bytes.len());
        match r {
            Response::Data(d) => server.respond(id, d).unwrap(),
            Response::Status(s) if s.tag.is_none() => {
                let text = s.text_lossy().into_owned();
                server.respond_status(id, s.kind, s.code, &text).unwrap();
            }
            Response::Status(s) => {
                let text = s.text_lossy().into_owned();
                server.complete(id, s.kind, s.code, &text).unwrap();
            }
            other => panic!("{other:?}"),
        }
    }
}

fn play(config: Config, session: &[(Dir, String)]) -> Server {
    let mut server = Server::new(config);
    let expected: Vec<u8> = session
        .iter()
        .filter(|(d, _)| *d == Dir::S)
        .flat_map(|(_, t)| unit(t))
        .collect();
    let mut wire = Vec::new();
    let mut i = 0;
    loop {
        while let Some(b) = server.poll_transmit() {
            wire.extend_from_slice(&b);
        }
        if server.wants_tls_upgrade() {
            server.tls_established().unwrap();
        }
        if let Some(ev) = server.poll_event() {
            match ev {
                Event::Command { id, .. } => {
                    // The server lines after the last client line fed.
                    let lines: Vec<Vec<u8>> = session[i..]
                        .iter()
                        .take_while(|(d, _)| *d == Dir::S)
                        .map(|(_, t)| unit(t))
                        .collect();
                    answer(&mut server, id, &lines);
                }
                Event::Login { id, .. } => server.accept_login(id).unwrap(),
                Event::Sasl {
                    id,
                    request: Request::ScramCredentials { authcid, hash, .. },
                    ..
                } => {
                    assert_eq!((authcid.as_str(), hash), ("user", ScramHash::Sha256));
                    let salt = base64::engine::general_purpose::STANDARD
                        .decode("W22ZaJ0SNY7soEsUEjb6gQ==")
                        .unwrap();
                    let creds = ScramCredentials::derive(ScramHash::Sha256, b"pencil", &salt, 4096);
                    server
                        .sasl_answer(id, Answer::ScramCredentials(creds))
                        .unwrap();
                }
                Event::BadCommand { .. } => panic!("{ev:?}"),
                _ => {}
            }
            continue;
        }
        // Feed the next client line.
        while i < session.len() && session[i].0 == Dir::S {
            i += 1;
        }
        if i == session.len() {
            break;
        }
        server.feed(&unit(&session[i].1));
        i += 1;
    }
    assert_eq!(
        String::from_utf8_lossy(&wire),
        String::from_utf8_lossy(&expected)
    );
    server
}

fn s(v: &[(Dir, &str)]) -> Vec<(Dir, String)> {
    v.iter().map(|(d, t)| (*d, (*t).to_owned())).collect()
}

/// RFC 3501 §8 (the literal announces the real length of the header as
/// printed, not the RFC's {342}).
#[test]
fn rfc3501_section8() {
    let mut config = Config::default();
    config.greeting_text = "IMAP4rev1 Service Ready".into();
    config.logout_text = "IMAP4rev1 server terminating connection".into();
    config.capability_codes = false;
    config.allow_plaintext_auth = true;
    let fetch_body = format!("* 12 FETCH (BODY[HEADER] {{LIT:{HEADER_342}:LIT}})");
    let session = s(&[
        (Dir::S, "* OK IMAP4rev1 Service Ready"),
        (Dir::C, "a001 login mrc secret"),
        (Dir::S, "a001 OK LOGIN completed"),
        (Dir::C, "a002 select inbox"),
        (Dir::S, "* 18 EXISTS"),
        (
            Dir::S,
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
        ),
        (Dir::S, "* 2 RECENT"),
        (
            Dir::S,
            "* OK [UNSEEN 17] Message 17 is the first unseen message",
        ),
        (Dir::S, "* OK [UIDVALIDITY 3857529045] UIDs valid"),
        (Dir::S, "a002 OK [READ-WRITE] SELECT completed"),
        (Dir::C, "a003 fetch 12 full"),
        (Dir::S, FETCH_FULL),
        (Dir::S, "a003 OK FETCH completed"),
        (Dir::C, "a004 fetch 12 body[header]"),
        (Dir::S, &fetch_body),
        (Dir::S, "a004 OK FETCH completed"),
        (Dir::C, "a005 store 12 +flags \\deleted"),
        (Dir::S, "* 12 FETCH (FLAGS (\\Seen \\Deleted))"),
        (Dir::S, "a005 OK +FLAGS completed"),
        (Dir::C, "a006 logout"),
        (Dir::S, "* BYE IMAP4rev1 server terminating connection"),
        (Dir::S, "a006 OK LOGOUT completed"),
    ]);
    let server = play(config, &session);
    assert_eq!(server.state(), State::Logout);
}

/// RFC 9051 §8 with the SCRAM-SHA-256 exchange of RFC 7677 (password
/// "pencil", the RFC's server nonce). The machine's own texts differ from
/// the RFC's for STARTTLS, AUTHENTICATE and ENABLE; the capability order of
/// the greeting is the machine's (order is not significant).
#[test]
fn rfc9051_section8() {
    let mut config = Config::default();
    config.greeting_text = "IMAP4rev2 Service Ready".into();
    config.logout_text = "IMAP4rev2 server terminating connection".into();
    config.capability_codes = true;
    config.capabilities = vec![Capability::Imap4Rev2];
    config.capabilities_authenticated = vec![];
    config.starttls = true;
    config.sasl = Policy::none().allow(Mechanism::ScramSha256);
    config.sasl_ir = false;
    config.sasl_config =
        mailwire_sasl::server::Config::new().with_nonce("%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
    let fetch_body = format!(
        "* 12 FETCH (BODY[HEADER] {{LIT:{}:LIT}})",
        HEADER_342.replace("IMAP4rev1", "IMAP4rev2")
    );
    let fetch_full = FETCH_FULL
        .replace("IMAP4rev1", "IMAP4rev2")
        .replace("washington.edu>", "washington.ed>");
    let session = s(&[
        (
            Dir::S,
            "* OK [CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED AUTH=SCRAM-SHA-256] IMAP4rev2 Service Ready",
        ),
        (Dir::C, "a000 starttls"),
        (Dir::S, "a000 OK Begin TLS negotiation now"),
        (
            Dir::C,
            "A001 AUTHENTICATE SCRAM-SHA-256 biwsbj11c2VyLHI9ck9wck5HZndFYmVSV2diTkVrcU8=",
        ),
        (
            Dir::S,
            "+ cj1yT3ByTkdmd0ViZVJXZ2JORWtxTyVodllEcFdVYTJSYVRDQWZ1eEZJbGopaE5sRiRrMCxzPVcyMlphSjBTTlk3c29Fc1VFamI2Z1E9PSxpPTQwOTY=",
        ),
        (
            Dir::A,
            "Yz1iaXdzLHI9ck9wck5HZndFYmVSV2diTkVrcU8laHZZRHBXVWEyUmFUQ0FmdXhGSWxqKWhObEYkazAscD1kSHpiWmFwV0lrNGpVaE4rVXRlOXl0YWc5empmTUhnc3FtbWl6N0FuZFZRPQ==",
        ),
        (
            Dir::S,
            "+ dj02cnJpVFJCaTIzV3BSUi93dHVwK21NaFVaVW4vZEI1bkxUSlJzamw5NUc0PQ==",
        ),
        (Dir::A, ""),
        (
            Dir::S,
            "A001 OK [CAPABILITY IMAP4rev2] AUTHENTICATE completed",
        ),
        (Dir::C, "babc ENABLE IMAP4rev2"),
        (Dir::S, "* ENABLED IMAP4rev2"),
        (Dir::S, "babc OK ENABLE completed"),
        (Dir::C, "a002 select inbox"),
        (Dir::S, "* 18 EXISTS"),
        (
            Dir::S,
            "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
        ),
        (Dir::S, "* OK [UIDVALIDITY 3857529045] UIDs valid"),
        // RFC: `* LIST () "/" INBOX ("OLDNAME" ("inbox"))`; the response
        // writer uses the atom form and the canonical name INBOX.
        (Dir::S, "* LIST () \"/\" INBOX (OLDNAME (INBOX))"),
        (Dir::S, "a002 OK [READ-WRITE] SELECT completed"),
        (Dir::C, "a003 fetch 12 full"),
        (Dir::S, &fetch_full),
        (Dir::S, "a003 OK FETCH completed"),
        (Dir::C, "a004 fetch 12 body[header]"),
        (Dir::S, &fetch_body),
        (Dir::S, "a004 OK FETCH completed"),
        (Dir::C, "a005 store 12 +flags \\deleted"),
        (Dir::S, "* 12 FETCH (FLAGS (\\Seen \\Deleted))"),
        (Dir::S, "a005 OK +FLAGS completed"),
        (Dir::C, "a006 logout"),
        (Dir::S, "* BYE IMAP4rev2 server terminating connection"),
        (Dir::S, "a006 OK LOGOUT completed"),
    ]);
    let server = play(config, &session);
    assert!(server.enabled().imap4rev2);
    assert_eq!(server.user(), Some("user"));
    assert_eq!(server.state(), State::Logout);
}

/// RFC 2177 §3 (IDLE) and RFC 5161 §4 (ENABLE), server side.
#[test]
fn rfc2177_idle_example() {
    let mut config = Config::default();
    config.greeting_text = "ready".into();
    config.capability_codes = false;
    config.allow_plaintext_auth = true;
    let mut server = Server::new(config);
    let _ = server.poll_transmit();
    server.feed(b"a LOGIN u p\r\nb SELECT INBOX\r\nA001 IDLE\r\n");
    let mut wire = Vec::new();
    let mut idle = false;
    while let Some(ev) = server.poll_event() {
        match ev {
            Event::Login { id, .. } => server.accept_login(id).unwrap(),
            Event::Command { id, .. } => server.ok(id, "SELECT completed").unwrap(),
            Event::Idle { .. } => idle = true,
            _ => {}
        }
    }
    assert!(idle);
    while let Some(b) = server.poll_transmit() {
        wire.extend_from_slice(&b);
    }
    wire.clear();
    // "S: * 4 EXISTS" then "* 281 EXPUNGE" arrive while idling.
    use mailwire_imap_proto::response::Data;
    server.push_update(Data::Exists(4)).unwrap();
    server.push_update(Data::Expunge(281)).unwrap();
    server.feed(b"DONE\r\n");
    while let Some(b) = server.poll_transmit() {
        wire.extend_from_slice(&b);
    }
    assert_eq!(
        String::from_utf8(wire).unwrap(),
        "* 4 EXISTS\r\n* 281 EXPUNGE\r\nA001 OK IDLE terminated\r\n"
    );
}
