//! Shared test harness: an in-memory maildrop application and a
//! deterministic client/server pair (no sockets).
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use mailwire_pop3_proto::client::{self, Client};
use mailwire_pop3_proto::server::{self, Event, MessageInfo, Server};
use mailwire_pop3_proto::{Response, ResponseCode, Secret};
use mailwire_sasl::server::{Answer, Request};

/// The application side of a server: users, one maildrop, a lock.
#[derive(Debug, Clone)]
pub struct Store {
    pub users: Vec<(String, String)>,
    pub messages: Vec<(String, Vec<u8>)>,
    pub locked: bool,
    /// Uids the server asked to delete (only in UPDATE).
    pub deleted: Vec<String>,
    pub updates: usize,
    /// Chunk size for message streaming.
    pub chunk: usize,
    pub server_events: Vec<Event>,
}

impl Store {
    pub fn new() -> Self {
        Self {
            users: vec![("mrose".into(), "tanstaaf".into())],
            messages: vec![
                ("whqtswO00WBw418f9t5JxYwZ".into(), sized(1, 120)),
                ("QhdPYR:00WBw1Ph7x7".into(), sized(2, 200)),
            ],
            locked: false,
            deleted: Vec::new(),
            updates: 0,
            chunk: 7,
            server_events: Vec::new(),
        }
    }

    fn password(&self, user: &str) -> Option<&str> {
        self.users
            .iter()
            .find(|(u, _)| u == user)
            .map(|(_, p)| p.as_str())
    }

    /// Answers one server event.
    pub fn answer(&mut self, server: &mut Server, ev: Event) {
        match &ev {
            Event::VerifyPassword { user, password, .. } => {
                if self.password(user).map(str::as_bytes) == Some(password.expose()) {
                    server.accept_credentials().unwrap();
                } else {
                    server
                        .reject(Response::err("invalid credentials").with_code(ResponseCode::Auth))
                        .unwrap();
                }
            }
            Event::ApopSecret { user } => match self.password(user) {
                Some(p) => {
                    let p = Secret::from(p);
                    server.apop_secret(&p).unwrap();
                }
                None => server
                    .reject(Response::err("no such user").with_code(ResponseCode::Auth))
                    .unwrap(),
            },
            Event::OpenMaildrop { .. } => {
                if self.locked {
                    server.maildrop_in_use().unwrap();
                } else {
                    self.locked = true;
                    let list = self
                        .messages
                        .iter()
                        .map(|(uid, m)| MessageInfo {
                            size: m.len() as u64,
                            uid: uid.clone(),
                        })
                        .collect();
                    server.open_maildrop(list).unwrap();
                }
            }
            Event::Message { index, .. } => {
                let m = self.messages[*index].1.clone();
                for c in m.chunks(self.chunk.max(1)) {
                    if !server.message_data(c).unwrap() {
                        break;
                    }
                }
                server.message_end().unwrap();
            }
            Event::Update { deleted, .. } => {
                self.updates += 1;
                self.deleted.extend(deleted.iter().map(|d| d.uid.clone()));
                self.messages
                    .retain(|(uid, _)| !deleted.iter().any(|d| &d.uid == uid));
                self.locked = false;
                server.update_done().unwrap();
            }
            Event::Sasl {
                request: Request::Secret { authcid },
                ..
            } => match self.password(authcid) {
                Some(p) => server.sasl_answer(Answer::Secret(Secret::from(p))).unwrap(),
                None => server.sasl_answer(Answer::Reject).unwrap(),
            },
            Event::Sasl { request, .. } => {
                // Everything else (SCRAM credentials...) from the SASL
                // crate's password map.
                let mut map =
                    mailwire_sasl::server::PasswordMap::new(b"test-salt-key").with_iterations(64);
                for (u, p) in &self.users {
                    map.insert(u.clone(), p.as_str());
                }
                let answer = mailwire_sasl::server::answer(&map, request);
                server.sasl_answer(answer).unwrap();
            }
            _ => {}
        }
        self.server_events.push(ev);
    }

    /// Drains the server, answering every event; returns what it sent.
    pub fn drain(&mut self, server: &mut Server) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            while let Some(b) = server.poll_transmit() {
                out.extend_from_slice(&b);
            }
            match server.poll_event() {
                Some(ev) => self.answer(server, ev),
                None => break,
            }
        }
        out
    }
}

/// A message of exactly `size` octets (CRLF lines, no leading dots).
pub fn sized(n: usize, size: usize) -> Vec<u8> {
    let mut m = format!("Subject: message {n}\r\n\r\n").into_bytes();
    while m.len() + 2 < size {
        let room = size - m.len() - 2;
        let line = "x".repeat(room.min(60));
        m.extend_from_slice(line.as_bytes());
        m.extend_from_slice(b"\r\n");
    }
    while m.len() < size {
        m.insert(m.len() - 2, b'y');
    }
    assert_eq!(m.len(), size);
    m
}

pub fn plaintext_config() -> server::Config {
    let mut c = server::Config::default();
    c.insecure_allow_plaintext_auth = true;
    c.apop_timestamp = Some("<1896.697170952@dbc.mtview.ca.us>".into());
    c
}

/// Runs a `C:`/`S:` transcript against a server. `S: <message N>` expands
/// to message N's content. Panics with a diff on mismatch.
pub fn run_transcript(config: server::Config, store: &mut Store, transcript: &str) -> Server {
    let mut server = Server::new(config);
    let mut expected = Vec::new();
    let mut actual = store.drain(&mut server);
    for line in transcript.lines() {
        let line = line.trim_start();
        if let Some(c) = line.strip_prefix("C: ") {
            assert_eq!(
                String::from_utf8_lossy(&actual),
                String::from_utf8_lossy(&expected),
                "server output before `{c}`"
            );
            actual.clear();
            expected.clear();
            server.feed(format!("{c}\r\n").as_bytes());
            actual = store.drain(&mut server);
        } else if let Some(s) = line.strip_prefix("S: ") {
            if let Some(n) = s
                .strip_prefix("<message ")
                .and_then(|r| r.strip_suffix('>'))
            {
                let n: usize = n.parse().unwrap();
                expected.extend_from_slice(&store.messages[n - 1].1);
            } else {
                expected.extend_from_slice(s.as_bytes());
                expected.extend_from_slice(b"\r\n");
            }
        } else if line.is_empty() || line.starts_with('#') {
        } else {
            panic!("bad transcript line {line:?}");
        }
    }
    assert_eq!(
        String::from_utf8_lossy(&actual),
        String::from_utf8_lossy(&expected),
        "server output at end"
    );
    server
}

/// A deterministic in-memory client/server pair.
pub struct Pair {
    pub client: Client,
    pub server: Server,
    pub store: Store,
    pub client_events: Vec<client::Event>,
    /// Every byte the client sent, and the server sent.
    pub c2s: Vec<u8>,
    pub s2c: Vec<u8>,
    pub tls_upgrades: usize,
}

impl Pair {
    pub fn new(cc: client::Config, sc: server::Config) -> Self {
        Self {
            client: Client::new(cc),
            server: Server::new(sc),
            store: Store::new(),
            client_events: Vec::new(),
            c2s: Vec::new(),
            s2c: Vec::new(),
            tls_upgrades: 0,
        }
    }

    /// Moves bytes both ways until nothing moves.
    pub fn drive(&mut self) {
        for _ in 0..10_000 {
            let mut moved = false;
            while let Some(b) = self.client.poll_transmit() {
                self.c2s.extend_from_slice(&b);
                self.server.feed(&b);
                moved = true;
            }
            let out = self.store.drain(&mut self.server);
            if !out.is_empty() {
                self.s2c.extend_from_slice(&out);
                self.client.feed(&out);
                moved = true;
            }
            while let Some(ev) = self.client.poll_event() {
                self.client_events.push(ev);
                moved = true;
            }
            if self.server.wants_tls_upgrade() && self.client.wants_tls_upgrade() {
                self.server.tls_established().unwrap();
                self.client.tls_established().unwrap();
                self.tls_upgrades += 1;
                moved = true;
            }
            if !moved {
                return;
            }
        }
        panic!("pair did not settle");
    }

    /// Takes the client events gathered so far.
    pub fn events(&mut self) -> Vec<client::Event> {
        std::mem::take(&mut self.client_events)
    }
}
