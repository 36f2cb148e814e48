//! The view driving the server machine: how an application combines
//! `MailboxView::take_updates` with `Server::expunge_allowed` and
//! `Server::respond` / `Server::push_update`, checked on the wire.
//!
//! The contract: take the view's updates with the server's verdict
//! (`take_updates(server.expunge_allowed())`) and get them on the wire
//! *before* any response of the command that uses message numbers — written
//! with `respond` during the command (as here), or with `push_update`, which
//! the machine writes at once when it may (`tests/server_view.rs`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use mailwire_imap_proto::code::Code;
use mailwire_imap_proto::command::CommandBody;
use mailwire_imap_proto::flag::Flag;
use mailwire_imap_proto::response::{Data, FetchItem, Response, StatusKind};
use mailwire_imap_proto::server::{CommandId, Config, Event, Server};
use mailwire_imap_proto::view::{MailboxView, SelectOptions, ViewBuilder};

struct App {
    server: Server,
    view: MailboxView,
    wire: String,
}

impl App {
    fn new() -> App {
        let mut config = Config::default();
        config.allow_plaintext_auth = true;
        config.capability_codes = false;
        config.relay_noop = true;
        let mut b = ViewBuilder::new(77, 41);
        for uid in [10, 20, 30] {
            b.push(uid, &[], 1, false).unwrap();
        }
        let mut app = App {
            server: Server::new(config),
            view: b.build(),
            wire: String::new(),
        };
        app.drain();
        app.wire.clear();
        app
    }

    fn drain(&mut self) {
        while let Some(b) = self.server.poll_transmit() {
            self.wire.push_str(std::str::from_utf8(&b).unwrap());
        }
    }

    /// The view's updates, written as part of command `id`.
    fn updates_in(&mut self, id: CommandId) {
        for d in self.view.take_updates(self.server.expunge_allowed()) {
            self.server.respond(id, d).unwrap();
        }
    }

    fn run(&mut self, line: &str) -> String {
        self.server.feed(line.as_bytes());
        loop {
            self.drain();
            let Some(ev) = self.server.poll_event() else {
                break;
            };
            match ev {
                Event::Login { id, .. } => self.server.accept_login(id).unwrap(),
                Event::Command { id, command } => match command.body {
                    CommandBody::Select { .. } => {
                        for r in self.view.select_responses(&SelectOptions::default()) {
                            match r {
                                Response::Data(d) => self.server.respond(id, d).unwrap(),
                                Response::Status(s) => self
                                    .server
                                    .respond_status(
                                        id,
                                        s.kind,
                                        s.code,
                                        std::str::from_utf8(&s.text).unwrap(),
                                    )
                                    .unwrap(),
                                _ => unreachable!(),
                            }
                        }
                        self.server
                            .complete(
                                id,
                                StatusKind::Ok,
                                Some(Code::ReadWrite),
                                "SELECT completed",
                            )
                            .unwrap();
                    }
                    CommandBody::Fetch { set, uid, .. } => {
                        self.updates_in(id);
                        let items: Vec<(u32, u32)> = match self.view.resolve(&set, uid) {
                            Ok(r) => r.iter().map(|m| (m.seq, m.uid)).collect(),
                            Err(e) => {
                                self.server.bad(id, &e.to_string()).unwrap();
                                continue;
                            }
                        };
                        for (seq, u) in items {
                            let d = Data::Fetch {
                                seq,
                                items: vec![FetchItem::Uid(u)],
                            };
                            self.server.respond(id, d).unwrap();
                        }
                        self.server.ok(id, "FETCH completed").unwrap();
                    }
                    CommandBody::Noop => {
                        self.updates_in(id);
                        self.server.ok(id, "NOOP completed").unwrap();
                    }
                    _ => self.server.bad(id, "not in this test").unwrap(),
                },
                _ => {}
            }
        }
        self.drain();
        std::mem::take(&mut self.wire)
    }
}

#[test]
fn fetch_keeps_old_numbers_noop_expunges() {
    let mut app = App::new();
    app.run("a LOGIN joe pw\r\n");
    let sel = app.run("b SELECT INBOX\r\n");
    assert!(
        sel.starts_with("* 3 EXISTS\r\n* OK [UIDVALIDITY 77]"),
        "{sel}"
    );
    assert!(sel.ends_with("b OK [READ-WRITE] SELECT completed\r\n"));

    // Another session expunges UID 20 and delivers UID 40.
    app.view.expunge(&[20]);
    app.view.append(40, &[Flag::Seen], 2, false).unwrap();

    // FETCH: no EXPUNGE allowed; EXISTS goes out before the FETCH data that
    // names message 4, and message 2 keeps its number.
    assert_eq!(
        app.run("c FETCH 2:* (UID)\r\n"),
        "* 4 EXISTS\r\n\
         * 2 FETCH (UID 20)\r\n\
         * 3 FETCH (UID 30)\r\n\
         * 4 FETCH (UID 40)\r\n\
         c OK FETCH completed\r\n"
    );
    // The client may still name 4 messages.
    assert!(
        app.run("d FETCH 4 (UID)\r\n")
            .contains("* 4 FETCH (UID 40)")
    );

    // NOOP: the expunge goes out; then the numbers shift.
    assert_eq!(
        app.run("e NOOP\r\n"),
        "* 2 EXPUNGE\r\ne OK NOOP completed\r\n"
    );
    assert_eq!(
        app.run("f FETCH 1:* (UID)\r\n"),
        "* 1 FETCH (UID 10)\r\n* 2 FETCH (UID 30)\r\n* 3 FETCH (UID 40)\r\nf OK FETCH completed\r\n"
    );
    // Number 4 no longer exists: BAD (RFC 9051 §9).
    let bad = app.run("g FETCH 4 (UID)\r\n");
    assert!(bad.starts_with("g BAD "), "{bad}");
}

#[test]
fn uid_fetch_may_expunge() {
    let mut app = App::new();
    app.run("a LOGIN joe pw\r\n");
    app.run("b SELECT INBOX\r\n");
    app.view.expunge(&[10]);
    // RFC 9051 §7.5.1: an EXPUNGE may be sent during a UID command.
    assert_eq!(
        app.run("c UID FETCH 1:* (UID)\r\n"),
        "* 1 EXPUNGE\r\n* 1 FETCH (UID 20)\r\n* 2 FETCH (UID 30)\r\nc OK FETCH completed\r\n"
    );
}

#[test]
fn between_commands_updates_are_pushed() {
    let mut app = App::new();
    app.run("a LOGIN joe pw\r\n");
    app.run("b SELECT INBOX\r\n");
    app.view.append(50, &[], 3, false).unwrap();
    app.view.expunge(&[30]);
    // No command in progress: EXISTS now, the EXPUNGE waits in the view.
    assert!(!app.server.expunge_allowed());
    for d in app.view.take_updates(app.server.expunge_allowed()) {
        app.server.push_update(d).unwrap();
    }
    app.drain();
    assert_eq!(std::mem::take(&mut app.wire), "* 4 EXISTS\r\n");
    assert_eq!(
        app.run("c NOOP\r\n"),
        "* 3 EXPUNGE\r\nc OK NOOP completed\r\n"
    );
}
