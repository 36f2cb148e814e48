//! Our client machine against our server machine, in memory (no sockets):
//! STARTTLS, LOGIN, AUTHENTICATE with SASL-IR, literals of each kind,
//! APPEND with a large literal, a large FETCH body streamed, IDLE with a
//! pushed EXPUNGE, pipelined commands, ENABLE QRESYNC and a QRESYNC SELECT.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;

use mailwire_imap_proto::capability::Capability;
use mailwire_imap_proto::client::{self, Client, CommandHandle, SessionState, TlsPolicy};
use mailwire_imap_proto::code::Code;
use mailwire_imap_proto::command::{AppendData, Command, CommandBody};
use mailwire_imap_proto::response::{Data, FetchItem, StatusKind};
use mailwire_imap_proto::section::Section;
use mailwire_imap_proto::server::{self, Server};
use mailwire_sasl::Mechanism;
use mailwire_sasl::client::{Client as SaslClient, Config as SaslConfig, Credentials};

/// What the application behind the server does with a command.
type App<'a> = dyn FnMut(&mut Server, server::Event) + 'a;

struct Pair {
    client: Client,
    server: Server,
    /// Client events, in order.
    events: Vec<client::Event>,
    /// Everything the client wrote.
    c2s: Vec<u8>,
    /// Server events the app did not consume.
    server_events: Vec<server::Event>,
}

fn cmd(text: &str) -> CommandBody<'static> {
    let line = format!("x {text}\r\n");
    Command::parse(line.as_bytes()).unwrap().0.into_owned().body
}

fn append(message: &[u8]) -> CommandBody<'static> {
    let mut line = format!("x APPEND INBOX {{{}+}}\r\n", message.len()).into_bytes();
    line.extend_from_slice(message);
    line.extend_from_slice(b"\r\n");
    Command::parse(&line).unwrap().0.into_owned().body
}

impl Pair {
    fn new(client_config: client::Config, server_config: server::Config) -> Self {
        Pair {
            client: Client::new(client_config),
            server: Server::new(server_config),
            events: Vec::new(),
            c2s: Vec::new(),
            server_events: Vec::new(),
        }
    }

    /// Moves bytes both ways until nothing moves; the app answers server
    /// events; a pending TLS upgrade completes on both sides at once.
    fn drive(&mut self, app: &mut App<'_>) {
        for _ in 0..10_000 {
            let mut moved = false;
            while let Some(b) = self.server.poll_transmit() {
                moved = true;
                self.client.feed(&b);
            }
            while let Some(e) = self.server.poll_event() {
                moved = true;
                match e {
                    server::Event::Command { .. }
                    | server::Event::Login { .. }
                    | server::Event::LiteralAnnounced { .. }
                    | server::Event::AppendStart { .. }
                    | server::Event::AppendData { .. }
                    | server::Event::AppendEnd { .. }
                    | server::Event::Idle { .. } => app(&mut self.server, e),
                    other => self.server_events.push(other),
                }
            }
            while let Some(b) = self.client.poll_transmit() {
                moved = true;
                self.c2s.extend_from_slice(&b);
                self.server.feed(&b);
            }
            while let Some(e) = self.client.poll_event() {
                moved = true;
                self.events.push(e);
            }
            if self.client.wants_tls_upgrade() && self.server.wants_tls_upgrade() {
                self.client.tls_established().unwrap();
                self.server.tls_established().unwrap();
                moved = true;
            }
            if !moved {
                return;
            }
        }
        panic!("the pair does not settle");
    }

    fn take_events(&mut self) -> Vec<client::Event> {
        std::mem::take(&mut self.events)
    }

    /// Sends `body`, drives, returns the events of the exchange and the status.
    fn run(
        &mut self,
        body: CommandBody<'static>,
        app: &mut App<'_>,
    ) -> (CommandHandle, Vec<client::Event>) {
        let h = self.client.send(body).unwrap();
        self.drive(app);
        (h, self.take_events())
    }
}

fn completed(events: &[client::Event], h: CommandHandle) -> (StatusKind, Option<Code<'static>>) {
    events
        .iter()
        .find_map(|e| match e {
            client::Event::Completed { handle, status } if *handle == h => {
                Some((status.kind, status.code.clone()))
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("{h:?} did not complete: {events:?}"))
}

/// A password-checking app that answers a few commands like a tiny store.
fn app() -> impl FnMut(&mut Server, server::Event) {
    // Octets of the streamed APPEND message in progress.
    let mut streamed = 0usize;
    move |s: &mut Server, e: server::Event| match e {
        server::Event::AppendStart { length, .. } => {
            assert!(length >= 64 * 1024);
            streamed = 0;
        }
        server::Event::AppendData { chunk, .. } => {
            assert!(!chunk.is_empty());
            streamed += chunk.len();
        }
        server::Event::AppendEnd { id } => {
            s.complete(
                id,
                StatusKind::Ok,
                None,
                &format!("streamed {streamed} octets"),
            )
            .unwrap();
        }
        server::Event::Login {
            id, user, password, ..
        } => {
            if user == "joe" && password.expose() == b"s\xc3\xa9cret pw" {
                s.accept_login(id).unwrap();
            } else {
                s.reject_login(id).unwrap();
            }
        }
        server::Event::LiteralAnnounced { length, .. } => {
            if length <= 10_000_000 {
                s.accept_literal().unwrap();
            } else {
                s.reject_literal().unwrap();
            }
        }
        server::Event::Command { id, command } => match command.body {
            CommandBody::Select { .. } | CommandBody::Examine { .. } => {
                s.respond(id, Data::Exists(3)).unwrap();
                s.respond_status(id, StatusKind::Ok, Some(Code::UidValidity(7)), "ok")
                    .unwrap();
                s.ok(id, "selected").unwrap();
            }
            CommandBody::Append { messages, .. } => {
                let len = match &messages.first().data {
                    AppendData::Literal(l) => l.as_bytes().len(),
                    _ => 0,
                };
                s.complete(id, StatusKind::Ok, None, &format!("appended {len} octets"))
                    .unwrap();
            }
            CommandBody::Search { .. } => {
                s.respond(
                    id,
                    Data::Search {
                        ids: vec![1, 3],
                        modseq: None,
                    },
                )
                .unwrap();
                s.ok(id, "searched").unwrap();
            }
            CommandBody::Status { .. } => {
                s.ok(id, "status").unwrap();
            }
            CommandBody::Fetch { .. } => {
                let big: Vec<u8> = (0..1_000_000u32).map(|i| b'a' + (i % 26) as u8).collect();
                s.respond(
                    id,
                    Data::Fetch {
                        seq: 2,
                        items: vec![
                            FetchItem::Uid(12),
                            FetchItem::BodySection {
                                section: Section::Full,
                                origin: None,
                                data: Some(Cow::Owned(big)),
                            },
                        ],
                    },
                )
                .unwrap();
                s.ok(id, "fetched").unwrap();
            }
            _ => s.ok(id, "done").unwrap(),
        },
        server::Event::Idle { .. } => {
            s.push_update(Data::Expunge(2)).unwrap();
            s.push_update(Data::Exists(4)).unwrap();
        }
        _ => {}
    }
}

fn client_config(tls: TlsPolicy) -> client::Config {
    let mut c = client::Config::default();
    c.tls = tls;
    c
}

fn server_config() -> server::Config {
    let mut c = server::Config::default();
    c.starttls = true;
    c.capabilities_authenticated.push(Capability::CondStore);
    c.capabilities_authenticated.push(Capability::QResync);
    c
}

const PASSWORD: &str = "s\u{e9}cret pw";

#[test]
fn starttls_then_login_with_a_literal_password() {
    let mut app = app();
    let mut p = Pair::new(client_config(TlsPolicy::Required), server_config());
    let login = p.client.login("joe", PASSWORD).unwrap();
    p.drive(&mut app);
    assert!(p.client.is_tls());
    let ev = p.take_events();
    assert!(ev.contains(&client::Event::StartTls));
    assert!(ev.contains(&client::Event::Ready));
    assert_eq!(completed(&ev, login).0, StatusKind::Ok);
    assert_eq!(p.client.state(), SessionState::Authenticated);
    // LOGIN went after STARTTLS, never in cleartext.
    let wire = String::from_utf8_lossy(&p.c2s).into_owned();
    let starttls = wire.find("STARTTLS").unwrap();
    assert!(wire.find("LOGIN").unwrap() > starttls, "{wire}");
    // The server announced LITERAL+: the UTF-8 password went at once.
    assert!(wire.contains("LOGIN joe {10+}\r\n"), "{wire}");
    // Capabilities after login came in the OK's code.
    assert!(p.client.has_capability(&Capability::Unselect));
}

#[test]
fn authenticate_plain_with_sasl_ir_and_a_wrong_password() {
    let mut app = app();
    let mut config = server_config();
    config.starttls = false;
    config.tls_active = true;
    let mut p = Pair::new(client_config(TlsPolicy::Implicit), config);
    p.drive(&mut app);
    assert!(p.client.has_capability(&Capability::SaslIr));
    let wrong = SaslClient::new(
        Mechanism::Plain,
        Credentials::password("joe", "nope"),
        &SaslConfig::new(),
    )
    .unwrap();
    let h = p.client.authenticate_sasl(wrong).unwrap();
    p.drive(&mut app);
    let ev = p.take_events();
    assert_eq!(
        completed(&ev, h),
        (StatusKind::No, Some(Code::AuthenticationFailed))
    );
    let right = SaslClient::new(
        Mechanism::Plain,
        Credentials::password("joe", PASSWORD),
        &SaslConfig::new(),
    )
    .unwrap();
    let h = p.client.authenticate_sasl(right).unwrap();
    p.drive(&mut app);
    let ev = p.take_events();
    assert_eq!(completed(&ev, h).0, StatusKind::Ok);
    assert_eq!(p.client.state(), SessionState::Authenticated);
    let wire = String::from_utf8_lossy(&p.c2s).into_owned();
    // The initial response was on the command line: no empty challenge.
    assert!(
        wire.contains("AUTHENTICATE PLAIN AGpvZQBub3Bl\r\n"),
        "{wire}"
    );
    assert_eq!(wire.matches("AUTHENTICATE").count(), 2);
}

fn logged_in(server: server::Config) -> (Pair, impl FnMut(&mut Server, server::Event)) {
    let mut app = app();
    let mut server = server;
    server.allow_plaintext_auth = true;
    server.starttls = false;
    let mut p = Pair::new(client_config(TlsPolicy::InsecureNever), server);
    let h = p.client.login("joe", PASSWORD).unwrap();
    p.drive(&mut app);
    let ev = p.take_events();
    assert_eq!(completed(&ev, h).0, StatusKind::Ok);
    (p, app)
}

#[test]
fn literals_of_each_kind() {
    let msg = |n: usize| -> Vec<u8> { (0..n).map(|i| b'A' + (i % 26) as u8).collect() };
    // Synchronizing only: the server decides, the client waits.
    let mut config = server_config();
    config.capabilities = vec![Capability::Imap4Rev1, Capability::Enable, Capability::Idle];
    let (mut p, mut app) = logged_in(config);
    let mark = p.c2s.len();
    let (h, ev) = p.run(append(&msg(5000)), &mut app);
    assert_eq!(completed(&ev, h).0, StatusKind::Ok);
    assert!(String::from_utf8_lossy(&p.c2s[mark..]).contains("APPEND INBOX {5000}\r\n"));
    // Refused by size: NO [TOOBIG], the literal never sent, the session goes on.
    let mark = p.c2s.len();
    let (h, ev) = p.run(append(&msg(10_000_001)), &mut app);
    assert_eq!(completed(&ev, h), (StatusKind::No, Some(Code::TooBig)));
    assert!(p.c2s.len() - mark < 100);
    let (h, ev) = p.run(cmd("SELECT INBOX"), &mut app);
    assert_eq!(completed(&ev, h).0, StatusKind::Ok);

    // LITERAL-: up to 4096 at once, above that with a wait.
    let mut config = server_config();
    config.capabilities = vec![Capability::Imap4Rev1, Capability::LiteralMinus];
    let (mut p, mut app) = logged_in(config);
    for (n, form) in [(4096, "{4096+}"), (4097, "{4097}")] {
        let mark = p.c2s.len();
        let (h, ev) = p.run(append(&msg(n)), &mut app);
        assert_eq!(completed(&ev, h).0, StatusKind::Ok, "{ev:?}");
        assert!(String::from_utf8_lossy(&p.c2s[mark..]).contains(form));
    }

    // LITERAL+ (the default): a 3 MB APPEND in one go, streamed to the
    // application (Event::AppendStart / AppendData / AppendEnd).
    let (mut p, mut app) = logged_in(server_config());
    let mark = p.c2s.len();
    let (h, ev) = p.run(append(&msg(3_000_000)), &mut app);
    assert_eq!(completed(&ev, h).0, StatusKind::Ok);
    assert!(String::from_utf8_lossy(&p.c2s[mark..mark + 40]).contains("{3000000+}"));
    assert!(ev.iter().any(|e| matches!(e, client::Event::Completed { status, .. } if status.text.as_ref() == b"streamed 3000000 octets")));
}

#[test]
fn large_fetch_body_streams_and_commands_pipeline() {
    let (mut p, mut app) = logged_in(server_config());
    let (h, _) = p.run(cmd("SELECT INBOX"), &mut app);
    assert_eq!(p.client.state(), SessionState::Selected);
    let _ = h;
    let fetch = p.client.send(cmd("FETCH 2 (UID BODY[])")).unwrap();
    let search = p.client.send(cmd("SEARCH ALL")).unwrap();
    let status = p.client.send(cmd("STATUS Sent (MESSAGES)")).unwrap();
    assert_eq!(p.client.in_flight(), 3);
    p.drive(&mut app);
    let ev = p.take_events();
    let mut body = Vec::new();
    for e in &ev {
        if let client::Event::FetchChunk(c) = e {
            assert_eq!(c.handle, Some(fetch));
            body.extend_from_slice(&c.data);
        }
    }
    assert_eq!(body.len(), 1_000_000);
    assert!(
        body.iter()
            .enumerate()
            .all(|(i, &b)| b == b'a' + (i % 26) as u8)
    );
    assert!(ev.iter().any(|e| matches!(e, client::Event::Data { handle, data: Data::Search { ids, .. } } if *handle == search && ids == &vec![1, 3])));
    let order: Vec<_> = ev
        .iter()
        .filter_map(|e| match e {
            client::Event::Completed { handle, .. } => Some(*handle),
            _ => None,
        })
        .collect();
    assert_eq!(order, vec![fetch, search, status]);
}

#[test]
fn idle_with_pushed_expunge() {
    let (mut p, mut app) = logged_in(server_config());
    p.run(cmd("SELECT INBOX"), &mut app);
    let idle = p.client.idle().unwrap();
    p.drive(&mut app);
    let ev = p.take_events();
    assert!(matches!(&ev[0], client::Event::Continuation { handle, .. } if *handle == idle));
    assert_eq!(
        &ev[1..],
        &[
            client::Event::Unsolicited(Data::Expunge(2)),
            client::Event::Unsolicited(Data::Exists(4))
        ]
    );
    p.client.idle_done().unwrap();
    p.drive(&mut app);
    let ev = p.take_events();
    assert_eq!(completed(&ev, idle).0, StatusKind::Ok);
    assert!(
        p.server_events
            .iter()
            .any(|e| matches!(e, server::Event::IdleDone { .. }))
    );
}

#[test]
fn enable_qresync_and_resync_select() {
    let (mut p, mut app) = logged_in(server_config());
    let (h, ev) = p.run(cmd("ENABLE QRESYNC"), &mut app);
    assert_eq!(completed(&ev, h).0, StatusKind::Ok);
    assert!(p.client.enabled().contains(&Capability::QResync), "{ev:?}");
    // The app answers a QRESYNC SELECT with VANISHED (EARLIER).
    let (h, ev) = {
        let mut qapp = |s: &mut Server, e: server::Event| match e {
            server::Event::Command { id, command } => {
                assert!(
                    matches!(command.body, CommandBody::Select { ref params, .. } if !params.is_empty())
                );
                let (uids, _) =
                    mailwire_imap_proto::sequence::SequenceSet::parse(b"41,43:116 ").unwrap();
                s.respond(
                    id,
                    Data::Vanished {
                        earlier: true,
                        uids,
                    },
                )
                .unwrap();
                s.respond(id, Data::Exists(100)).unwrap();
                s.respond_status(
                    id,
                    StatusKind::Ok,
                    Some(Code::HighestModSeq(20010715194045319)),
                    "ok",
                )
                .unwrap();
                s.ok(id, "resynced").unwrap();
            }
            other => app(s, other),
        };
        p.run(
            cmd("SELECT INBOX (QRESYNC (67890007 20050715194045000 41:211,214:541))"),
            &mut qapp,
        )
    };
    assert_eq!(completed(&ev, h).0, StatusKind::Ok);
    assert!(ev.iter().any(|e| matches!(e, client::Event::Data { handle, data: Data::Vanished { earlier: true, .. } } if *handle == h)), "{ev:?}");
    assert!(ev.iter().any(|e| matches!(e, client::Event::Status { handle: Some(x), status } if *x == h && status.code == Some(Code::HighestModSeq(20010715194045319)))));
    assert_eq!(p.client.state(), SessionState::Selected);
    // LOGOUT ends both sides.
    let h = p.client.logout().unwrap();
    p.drive(&mut app);
    let ev = p.take_events();
    assert_eq!(completed(&ev, h).0, StatusKind::Ok);
    assert_eq!(ev.last(), Some(&client::Event::Closed));
    assert!(p.server.is_closed());
}
