//! Shared test helpers: an in-memory application and a Client <-> Server pair.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    unreachable_pub
)]

use mailwire_sasl::server::{Answer, Request};
use mailwire_smtp_proto::Reply;
use mailwire_smtp_proto::client::{self, Client};
use mailwire_smtp_proto::path::{ForwardPath, Host};
use mailwire_smtp_proto::server::{self, Event, Server};

/// A delivered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub recipients: Vec<String>,
    pub body: Vec<u8>,
}

/// A scripted application for the server.
#[derive(Debug, Default)]
pub struct App {
    pub body: Vec<u8>,
    pub delivered: Vec<Delivered>,
    pub events: Vec<String>,
    pub lmtp: bool,
    pub identity: Option<String>,
}

impl App {
    /// Answers every pending decision; returns whether anything happened.
    pub fn run(&mut self, s: &mut Server) -> bool {
        let mut any = false;
        while let Some(ev) = s.poll_event() {
            any = true;
            self.events
                .push(format!("{ev:?}").chars().take(120).collect());
            match ev {
                Event::Connect | Event::Helo { .. } | Event::MailFrom { .. } => s.accept().unwrap(),
                Event::RcptTo { to, .. } => {
                    let bad = to
                        .mailbox()
                        .is_some_and(|m| m.local_part().starts_with("bad"));
                    if bad {
                        s.reject(Reply::from_code(550, Some((5, 1, 1)), "No such user"))
                            .unwrap();
                    } else {
                        s.accept().unwrap();
                    }
                }
                Event::AuthRequest { request, .. } => {
                    let ok = match request {
                        Request::VerifyPassword {
                            authcid, password, ..
                        } => authcid == "tim" && password.expose() == b"tanstaaf",
                        Request::VerifyToken { token, .. } => token.expose() == b"token123",
                        _ => false,
                    };
                    s.auth_answer(if ok { Answer::Accept } else { Answer::Reject })
                        .unwrap();
                }
                Event::Authenticated { identity, .. } => self.identity = Some(identity),
                Event::MessageStart => self.body.clear(),
                Event::MessageChunk(b) => self.body.extend_from_slice(&b),
                Event::MessageEnd { recipients, .. } => {
                    let names: Vec<String> = recipients.iter().map(ToString::to_string).collect();
                    if self.lmtp {
                        let replies = recipients
                            .iter()
                            .map(|r| {
                                if r.mailbox()
                                    .is_some_and(|m| m.local_part().starts_with("full"))
                                {
                                    Reply::from_code(452, Some((4, 2, 2)), "Mailbox full")
                                } else {
                                    Reply::from_code(250, Some((2, 0, 0)), "Delivered")
                                }
                            })
                            .collect();
                        s.lmtp_results(replies).unwrap();
                    } else {
                        s.accept().unwrap();
                    }
                    self.delivered.push(Delivered {
                        recipients: names,
                        body: std::mem::take(&mut self.body),
                    });
                }
                _ => {}
            }
        }
        any
    }
}

/// Feeds `input` to a fresh server (after accepting the connection) and
/// returns everything the server wrote plus the app.
pub fn server_transcript(config: server::Config, input: &[u8]) -> (String, App, Server) {
    let mut s = Server::new(config);
    let mut app = App {
        lmtp: config_lmtp(&s),
        ..App::default()
    };
    app.run(&mut s);
    let mut out = Vec::new();
    while let Some(b) = s.poll_transmit() {
        out.extend_from_slice(&b);
    }
    s.feed(input);
    loop {
        let mut any = false;
        while let Some(b) = s.poll_transmit() {
            out.extend_from_slice(&b);
            any = true;
        }
        any |= app.run(&mut s);
        if !any {
            break;
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), app, s)
}

/// Runs client and server against each other until quiet.
pub fn drive(c: &mut Client, s: &mut Server, app: &mut App) -> Vec<client::Event> {
    let mut events = Vec::new();
    for _ in 0..10_000 {
        let mut progress = app.run(s);
        while let Some(b) = s.poll_transmit() {
            c.feed(&b);
            progress = true;
        }
        if s.wants_tls_upgrade() && c.wants_tls_upgrade() {
            s.tls_established().unwrap();
            c.tls_established().unwrap();
            progress = true;
        }
        while let Some(b) = c.poll_transmit() {
            s.feed(&b);
            progress = true;
        }
        while let Some(e) = c.poll_event() {
            events.push(e);
            progress = true;
        }
        if !progress {
            break;
        }
    }
    events
}

pub fn config_lmtp(s: &Server) -> bool {
    s.with_protocol().lmtp
}

pub fn host(s: &str) -> Host<'static> {
    Host::Domain(
        mailwire_smtp_proto::path::Domain::parse(s)
            .unwrap()
            .into_owned(),
    )
}

pub fn fwd(s: &str) -> ForwardPath<'static> {
    ForwardPath::Mailbox(
        mailwire_smtp_proto::path::Mailbox::parse(s)
            .unwrap()
            .into_owned(),
    )
}
