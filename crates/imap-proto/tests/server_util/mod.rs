//! Shared helpers of the `server_*` tests: drive a `Server` in memory.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mailwire_imap_proto::command::Command;
use mailwire_imap_proto::server::{CommandId, Config, Event, Server};

/// A config for tests over plaintext: LOGIN allowed, no capability codes.
pub(crate) fn plain_config() -> Config {
    let mut c = Config::default();
    c.allow_plaintext_auth = true;
    c.capability_codes = false;
    c
}

/// A server and everything it said.
pub(crate) struct Harness {
    pub(crate) server: Server,
    pub(crate) wire: Vec<u8>,
    pub(crate) events: Vec<Event>,
}

impl Harness {
    pub(crate) fn new(config: Config) -> Self {
        let mut h = Harness {
            server: Server::new(config),
            wire: Vec::new(),
            events: Vec::new(),
        };
        h.drain();
        h
    }

    /// A harness past the greeting, logged in as `joe` (LOGIN accepted).
    pub(crate) fn logged_in(config: Config) -> Self {
        let mut h = Harness::new(config);
        h.feed(b"L1 LOGIN joe secret\r\n");
        let id = h.login_id();
        h.server.accept_login(id).unwrap();
        h.drain();
        h.take_wire();
        h.events.clear();
        h
    }

    /// Logged in and INBOX selected (read-write).
    pub(crate) fn selected(config: Config) -> Self {
        let mut h = Harness::logged_in(config);
        h.feed(b"S1 SELECT INBOX\r\n");
        let (id, _) = h.command();
        h.server
            .respond(id, mailwire_imap_proto::response::Data::Exists(3))
            .unwrap();
        h.server.ok(id, "SELECT completed").unwrap();
        h.drain();
        h.take_wire();
        h.events.clear();
        h
    }

    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        self.server.feed(bytes);
        self.drain();
    }

    pub(crate) fn drain(&mut self) {
        loop {
            let mut progressed = false;
            while let Some(b) = self.server.poll_transmit() {
                self.wire.extend_from_slice(&b);
                progressed = true;
            }
            while let Some(e) = self.server.poll_event() {
                self.events.push(e);
                progressed = true;
            }
            if !progressed {
                break;
            }
        }
    }

    /// Everything written since the last call, as text.
    pub(crate) fn take_wire(&mut self) -> String {
        String::from_utf8(std::mem::take(&mut self.wire)).unwrap()
    }

    /// Removes and returns the first `Event::Command`.
    pub(crate) fn command(&mut self) -> (CommandId, Command<'static>) {
        let i = self
            .events
            .iter()
            .position(|e| matches!(e, Event::Command { .. }))
            .unwrap_or_else(|| panic!("no command event in {:?}", self.events));
        match self.events.remove(i) {
            Event::Command { id, command } => (id, command),
            _ => unreachable!(),
        }
    }

    /// Removes and returns the id of the first `Event::Login`.
    pub(crate) fn login_id(&mut self) -> CommandId {
        let i = self
            .events
            .iter()
            .position(|e| matches!(e, Event::Login { .. }))
            .unwrap_or_else(|| panic!("no login event in {:?}", self.events));
        match self.events.remove(i) {
            Event::Login { id, .. } => id,
            _ => unreachable!(),
        }
    }
}
