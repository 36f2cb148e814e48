//! The server state machine (RFC 5321 §3, §4.1.4 sequencing; RFC 2920,
//! 3207, 4954, 3030, 2033).
//!
//! Drive it like this after every [`Server::feed`] and every answer: first
//! drain [`Server::poll_transmit`] and send the bytes, then drain
//! [`Server::poll_event`]. When an event needs a decision (see [`Event`]),
//! nothing more is processed until it is answered with [`Server::accept`],
//! [`Server::accept_with`], [`Server::reject`], [`Server::auth_answer`] or
//! [`Server::lmtp_results`]. With pipelining the machine has already
//! buffered the following commands; their replies leave in order.
//!
//! Message content ([`Event::MessageChunk`]) is handed out as slices of
//! the input, not copies: [`Server::feed`] copies each read once into the
//! machine's buffer, [`Server::feed_bytes`] takes an owned buffer and does
//! not copy it at all.

use core::net::IpAddr;
use std::collections::VecDeque;
use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use bytes::{Bytes, BytesMut};
use mailwire_sasl::server::{self as sasl_server, Answer, Request, Step};
use mailwire_sasl::{ErrorCategory, Mechanism, Policy};

use crate::capability::{Capabilities, Capability, EhloReply};
use crate::command::{Command, InitialResponse, Quirks};
use crate::data::{BareLineEndings, DataDecoder, DataError};
use crate::error::{SyntaxError, UsageError};
use crate::limits::Limits;
use crate::line::{Frame, LineFramer};
use crate::param::{Body, MailParam, MailParams, RcptParam, RcptParams};
use crate::path::{ForwardPath, Host, ReversePath};
use crate::reply::{Reply, ReplyCode};

/// Server configuration. Build with [`Config::new`] and adjust the fields.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// The server's host name (greeting, EHLO reply, Received).
    pub hostname: String,
    /// Speak LMTP (RFC 2033): LHLO instead of EHLO/HELO, one reply per
    /// recipient after the data.
    pub lmtp: bool,
    /// Limits.
    pub limits: Limits,
    /// Parser leniencies.
    pub quirks: Quirks,
    /// Bare CR / LF in DATA: reject (default) or normalize.
    pub bare_line_endings: BareLineEndings,
    /// Offer STARTTLS (the driver can upgrade the connection).
    pub starttls: bool,
    /// The connection is already TLS (implicit TLS, port 465).
    pub implicit_tls: bool,
    /// Which SASL mechanisms to offer before and after TLS.
    pub auth_policy: Policy,
    /// Configuration for the SASL server mechanisms.
    pub sasl: sasl_server::Config,
    /// Require AUTH before MAIL (submission): 530 otherwise.
    pub auth_required: bool,
    /// Advertise and accept PIPELINING.
    pub pipelining: bool,
    /// Advertise and accept CHUNKING (BDAT) and BINARYMIME.
    pub chunking: bool,
    /// Advertise and accept SMTPUTF8.
    pub smtputf8: bool,
    /// Advertise and accept DSN parameters.
    pub dsn: bool,
    /// Advertise ENHANCEDSTATUSCODES and send enhanced codes in replies.
    pub enhanced_status_codes: bool,
    /// Advertise 8BITMIME.
    pub eightbitmime: bool,
    /// Advertise REQUIRETLS (only after TLS).
    pub requiretls: bool,
    /// Accept MAIL/RCPT parameters this crate does not know (passed on in
    /// the events) instead of answering 555.
    pub accept_unknown_params: bool,
    /// VRFY and EXPN (RFC 5321 §3.5, §4.1.1.6–7): `false` (the default)
    /// answers them automatically, VRFY with `252 2.5.0` (cannot verify,
    /// but will accept the message) and EXPN with `502 5.5.1`, which §7.3
    /// allows and which reveals nothing. `true` relays them to the
    /// application as [`Event::Vrfy`] / [`Event::Expn`] decisions.
    pub relay_vrfy_expn: bool,
}

impl Config {
    /// Defaults: SMTP, PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES,
    /// SMTPUTF8, CHUNKING, DSN; no STARTTLS, no AUTH mechanisms before TLS
    /// that send passwords ([`Policy::new`]).
    pub fn new(hostname: impl Into<String>) -> Config {
        Config {
            hostname: hostname.into(),
            lmtp: false,
            limits: Limits::default(),
            quirks: Quirks::default(),
            bare_line_endings: BareLineEndings::Reject,
            starttls: false,
            implicit_tls: false,
            auth_policy: Policy::new(),
            sasl: sasl_server::Config::new(),
            auth_required: false,
            pipelining: true,
            chunking: true,
            smtputf8: true,
            dsn: true,
            enhanced_status_codes: true,
            eightbitmime: true,
            requiretls: true,
            accept_unknown_params: false,
            relay_vrfy_expn: false,
        }
    }
}

/// Which greeting command the client used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HeloKind {
    /// `HELO` (plain SMTP).
    Helo,
    /// `EHLO` (ESMTP).
    Ehlo,
    /// `LHLO` (LMTP).
    Lhlo,
}

/// Why the session closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// The client sent QUIT.
    Quit,
    /// The application refused the connection and the client quit.
    Refused,
    /// Too many protocol errors.
    TooManyErrors,
    /// Too many commands without progress.
    NoProgress,
    /// Too many failed AUTH attempts.
    AuthFailures,
    /// Too much pipelined input while a decision was outstanding.
    InputOverflow,
    /// The application called [`Server::close`].
    Application,
}

/// What the application must know or decide.
///
/// Variants marked *decision* block the machine until answered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// *Decision*: a client connected. [`Server::accept`] sends the 220
    /// greeting, [`Server::reject`] a 554 (RFC 5321 §3.1; the server then
    /// answers 503 to everything but QUIT).
    Connect,
    /// *Decision*: EHLO/HELO/LHLO with this name. Accepting sends the
    /// capability list (EHLO/LHLO) or a 250 (HELO).
    Helo {
        /// The command used.
        kind: HeloKind,
        /// The client's claimed name.
        name: Host<'static>,
    },
    /// *Decision*: the SASL mechanism needs the application (check a
    /// password, a token...). Answer with [`Server::auth_answer`].
    AuthRequest {
        /// The mechanism.
        mechanism: Mechanism,
        /// The question.
        request: Request,
    },
    /// AUTH succeeded; the session acts as `identity`.
    Authenticated {
        /// The mechanism.
        mechanism: Mechanism,
        /// The authorization identity.
        identity: String,
    },
    /// AUTH failed (the reply was sent).
    AuthFailed {
        /// The mechanism.
        mechanism: Mechanism,
        /// The failure.
        error: mailwire_sasl::Error,
    },
    /// *Decision*: MAIL FROM (syntax, sequence, SIZE and extension checks
    /// already passed).
    MailFrom {
        /// The reverse path.
        from: ReversePath<'static>,
        /// Its parameters.
        params: MailParams<'static>,
    },
    /// *Decision*: RCPT TO.
    RcptTo {
        /// The forward path.
        to: ForwardPath<'static>,
        /// Its parameters.
        params: RcptParams<'static>,
    },
    /// Message content follows (after DATA's 354, or the first BDAT).
    MessageStart,
    /// A piece of message content (dot-unstuffed for DATA).
    MessageChunk(Bytes),
    /// The message is being discarded (too large, bare CR/LF...); the
    /// server replies by itself once the data ends and resets the transaction.
    MessageAborted {
        /// Why.
        error: DataError,
    },
    /// *Decision*: the complete message was received. SMTP: accept or
    /// reject. LMTP: [`Server::lmtp_results`] with one reply per recipient.
    MessageEnd {
        /// Content size in octets.
        size: u64,
        /// The accepted recipients, in order.
        recipients: Vec<ForwardPath<'static>>,
    },
    /// *Decision* (only with [`Config::relay_vrfy_expn`]): `VRFY argument`
    /// (RFC 5321 §3.5.1, §4.1.1.6). [`Server::accept`] sends `252 2.5.0`
    /// (cannot verify, but will accept a message for it);
    /// [`Server::accept_with`] a `250` naming the mailbox (e.g.
    /// `250 Fred Smith <Smith@USC-ISIF.ARPA>`) or your own `252`;
    /// [`Server::reject`] e.g. `550` (no such user), `551`/`553`
    /// (ambiguous, a multi-line reply listing the candidates) or `502`
    /// (not allowed, §7.3).
    Vrfy {
        /// The string to verify, as the client sent it.
        argument: String,
    },
    /// *Decision* (only with [`Config::relay_vrfy_expn`]): `EXPN argument`
    /// (RFC 5321 §3.5.2, §4.1.1.7). [`Server::accept_with`] a `250` reply
    /// with one line per member; [`Server::accept`] sends `252 2.5.0`;
    /// [`Server::reject`] e.g. `550` (no such list) or `502` (not allowed,
    /// §7.3).
    Expn {
        /// The mailing list to expand, as the client sent it.
        argument: String,
    },
    /// The current transaction was dropped (RSET, EHLO, STARTTLS, error).
    TransactionReset,
    /// A command was refused for its syntax (the reply was sent).
    ProtocolError {
        /// The error.
        error: SyntaxError,
    },
    /// TLS is now established (after [`Server::tls_established`]); all
    /// session state was reset.
    TlsEstablished,
    /// The server has sent its last reply; close the connection once
    /// [`Server::poll_transmit`] is drained.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

#[derive(Debug)]
enum Pending {
    Connect,
    Helo(HeloKind, Host<'static>),
    Auth,
    Mail { smtputf8: bool, body: Option<Body> },
    Rcpt(ForwardPath<'static>),
    MessageEnd(usize),
    Vrfy,
    Expn,
}

#[derive(Debug)]
enum Phase {
    Greeting,
    Refused,
    Command,
    Data(Box<DataDecoder>),
    Bdat {
        remaining: u64,
        last: bool,
        discard: bool,
    },
    AuthLine,
    TlsPending,
    Closed,
}

#[derive(Debug, Default)]
struct Transaction {
    smtputf8: bool,
    body: Option<Body>,
    rcpts: Vec<ForwardPath<'static>>,
    started: bool,
    bdat: bool,
    size: u64,
    aborted: Option<DataError>,
}

/// An SMTP/LMTP server session. See the [module documentation](self).
#[derive(Debug)]
pub struct Server {
    config: Config,
    phase: Phase,
    pending: Option<Pending>,
    rx: BytesMut,
    tx: BytesMut,
    scratch: BytesMut,
    chunks: Vec<Bytes>,
    events: VecDeque<Event>,
    framer: LineFramer,
    helo: Option<HeloKind>,
    helo_name: Option<String>,
    tls: bool,
    identity: Option<String>,
    last_smtputf8: bool,
    txn: Option<Transaction>,
    sasl: Option<sasl_server::Server>,
    auth_steps: usize,
    errors: usize,
    no_progress: usize,
    auth_failures: usize,
}

/// Longest partial data line held back before it is released anyway.
const HOLD_BACK: usize = 64 * 1024;

fn r(code: u16, enh: (u8, u16, u16), text: &str) -> Reply {
    Reply::from_code(code, Some(enh), text)
}

impl Server {
    /// A new session; the first event is [`Event::Connect`].
    pub fn new(config: Config) -> Server {
        let framer = LineFramer::new(config.limits.command_line, config.quirks.bare_lf_line_end);
        let tls = config.implicit_tls;
        let mut s = Server {
            config,
            phase: Phase::Greeting,
            pending: Some(Pending::Connect),
            rx: BytesMut::new(),
            tx: BytesMut::new(),
            scratch: BytesMut::new(),
            chunks: Vec::new(),
            events: VecDeque::new(),
            framer,
            helo: None,
            helo_name: None,
            tls,
            identity: None,
            last_smtputf8: false,
            txn: None,
            sasl: None,
            auth_steps: 0,
            errors: 0,
            no_progress: 0,
            auth_failures: 0,
        };
        s.events.push_back(Event::Connect);
        s
    }

    /// Feeds bytes received from the client.
    ///
    /// They are copied once into the machine's buffer; message content
    /// ([`Event::MessageChunk`]) is then handed out as slices of that
    /// buffer, not copied again. [`Server::feed_bytes`] avoids the copy.
    pub fn feed(&mut self, input: &[u8]) {
        if !self.accepts_input() {
            return;
        }
        self.rx.extend_from_slice(input);
        self.process();
        self.check_overflow();
    }

    /// [`Server::feed`] for a buffer the driver already owns (e.g. a
    /// `BytesMut` read buffer, `freeze()`d): during DATA and BDAT, message
    /// content is handed out as slices of `input` itself, with no copy
    /// (except a line split across reads, which is joined in a small
    /// buffer). Same events and replies as `feed` with the same octets.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use mailwire_smtp_proto::server::{Config, Event, Server};
    /// let mut s = Server::new(Config::new("mx.example"));
    /// let mut body = Vec::new();
    /// let mut drive = |s: &mut Server, body: &mut Vec<Bytes>| {
    ///     while let Some(ev) = s.poll_event() {
    ///         match ev {
    ///             Event::MessageChunk(b) => body.push(b),
    ///             Event::Connect | Event::Helo { .. } | Event::MailFrom { .. }
    ///             | Event::RcptTo { .. } | Event::MessageEnd { .. } => s.accept().unwrap(),
    ///             _ => {}
    ///         }
    ///     }
    /// };
    /// drive(&mut s, &mut body);
    /// s.feed(b"EHLO c.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n");
    /// drive(&mut s, &mut body);
    /// s.feed(b"DATA\r\n");
    /// drive(&mut s, &mut body);
    /// let read = Bytes::from_static(b"Subject: hi\r\n\r\nbody\r\n.\r\n");
    /// s.feed_bytes(read.clone());
    /// drive(&mut s, &mut body);
    /// assert_eq!(body.concat(), b"Subject: hi\r\n\r\nbody\r\n");
    /// // The content is a view of the fed buffer, not a copy.
    /// assert_eq!(body[0].as_ptr(), read.as_ptr());
    /// ```
    pub fn feed_bytes(&mut self, input: Bytes) {
        if !self.accepts_input() {
            return;
        }
        if !self.rx.is_empty() || self.pending.is_some() {
            self.rx.extend_from_slice(&input);
        } else {
            match self.phase {
                Phase::Data(_) => {
                    self.data_step(&input);
                }
                Phase::Bdat {
                    remaining,
                    last,
                    discard,
                } => {
                    let take = usize::try_from(remaining)
                        .unwrap_or(usize::MAX)
                        .min(input.len());
                    if take > 0 || remaining == 0 {
                        let mut chunk = input;
                        let rest = chunk.split_off(take);
                        self.rx.extend_from_slice(&rest);
                        self.bdat_chunk(chunk, remaining, last, discard);
                    }
                }
                _ => self.rx.extend_from_slice(&input),
            }
        }
        self.process();
        self.check_overflow();
    }

    fn accepts_input(&self) -> bool {
        match self.phase {
            Phase::Closed => false,
            // Bytes after the 220 to STARTTLS and before the handshake are
            // plaintext injections: drop them (RFC 3207 §4.2, CVE-2011-0411).
            Phase::TlsPending => false,
            _ => true,
        }
    }

    fn check_overflow(&mut self) {
        if self.pending.is_some() && self.rx.len() > self.config.limits.input_buffer {
            self.rx.clear();
            self.pending = None;
            self.close_with(
                r(421, (4, 7, 0), "Too much pipelined input, closing"),
                CloseReason::InputOverflow,
            );
        }
    }

    /// The next bytes to send, if any.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        if self.tx.is_empty() {
            None
        } else {
            Some(self.tx.split().freeze())
        }
    }

    /// The next event, if any.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// True once the 220 reply to STARTTLS has been taken by
    /// [`Server::poll_transmit`]: start the TLS handshake now, then call
    /// [`Server::tls_established`].
    pub fn wants_tls_upgrade(&self) -> bool {
        matches!(self.phase, Phase::TlsPending) && self.tx.is_empty()
    }

    /// The TLS handshake completed: all session state is reset (RFC 3207
    /// §4.2) and the client must send EHLO again.
    pub fn tls_established(&mut self) -> Result<(), UsageError> {
        if !matches!(self.phase, Phase::TlsPending) {
            return Err(UsageError::InvalidState);
        }
        self.rx.clear();
        self.framer.reset();
        self.tls = true;
        self.helo = None;
        self.helo_name = None;
        self.identity = None;
        self.txn = None;
        self.sasl = None;
        self.phase = Phase::Command;
        self.events.push_back(Event::TlsEstablished);
        Ok(())
    }

    /// Whether the session is closed (QUIT, 421...).
    pub fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }

    /// Whether TLS is active.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The authenticated identity, if any.
    pub fn identity(&self) -> Option<&str> {
        self.identity.as_deref()
    }

    /// The HELO/EHLO/LHLO name of the client, if any.
    pub fn helo_name(&self) -> Option<&str> {
        self.helo_name.as_deref()
    }

    /// The RFC 3848 / RFC 6531 `with` keyword describing this session
    /// (for [`received_header`]).
    pub fn with_protocol(&self) -> WithProtocol {
        WithProtocol {
            lmtp: self.config.lmtp,
            esmtp: !matches!(self.helo, Some(HeloKind::Helo)),
            tls: self.tls,
            auth: self.identity.is_some(),
            utf8: self.last_smtputf8,
        }
    }

    /// Closes the session with `421 4.3.2` (e.g. shutdown).
    pub fn close(&mut self) {
        self.pending = None;
        self.close_with(
            r(421, (4, 3, 2), "Service shutting down"),
            CloseReason::Application,
        );
    }

    /// Accepts the pending decision with the default positive reply.
    pub fn accept(&mut self) -> Result<(), UsageError> {
        let reply = match &self.pending {
            None | Some(Pending::Auth) => return Err(UsageError::NoPendingDecision),
            Some(Pending::Connect) => r(220, (2, 0, 0), ""),
            Some(Pending::Helo(..)) => r(250, (2, 0, 0), ""),
            Some(Pending::Mail { .. }) => r(250, (2, 1, 0), "Sender OK"),
            Some(Pending::Rcpt(..)) => r(250, (2, 1, 5), "Recipient OK"),
            Some(Pending::MessageEnd(_)) => r(250, (2, 0, 0), "Message accepted"),
            Some(Pending::Vrfy) => r(252, (2, 5, 0), "Cannot VRFY user, but will accept message"),
            Some(Pending::Expn) => r(252, (2, 5, 0), "Cannot EXPN list"),
        };
        self.answer(reply, true)
    }

    /// Accepts with a custom positive reply (2yz), e.g. carrying a queue id.
    pub fn accept_with(&mut self, reply: Reply) -> Result<(), UsageError> {
        if !reply.is_positive() {
            return Err(UsageError::InvalidAnswer);
        }
        self.answer(reply, true)
    }

    /// Rejects the pending decision with a 4yz/5yz reply.
    pub fn reject(&mut self, reply: Reply) -> Result<(), UsageError> {
        if !reply.code().is_negative() {
            return Err(UsageError::InvalidAnswer);
        }
        self.answer(reply, false)
    }

    /// LMTP: one reply per accepted recipient, in order (RFC 2033 §4.2).
    pub fn lmtp_results(&mut self, replies: Vec<Reply>) -> Result<(), UsageError> {
        match self.pending {
            Some(Pending::MessageEnd(n)) if self.config.lmtp => {
                if replies.len() != n {
                    return Err(UsageError::InvalidAnswer);
                }
            }
            _ => return Err(UsageError::NoPendingDecision),
        }
        self.pending = None;
        for reply in replies {
            self.send(reply);
        }
        self.end_transaction();
        self.no_progress = 0;
        self.process();
        Ok(())
    }

    /// Answers an [`Event::AuthRequest`].
    pub fn auth_answer(&mut self, answer: Answer) -> Result<(), UsageError> {
        if !matches!(self.pending, Some(Pending::Auth)) {
            return Err(UsageError::NoPendingDecision);
        }
        self.pending = None;
        let Some(sasl) = self.sasl.as_mut() else {
            return Err(UsageError::InvalidState);
        };
        let step = sasl.answer(answer);
        self.auth_step(step);
        self.process();
        Ok(())
    }

    fn answer(&mut self, reply: Reply, positive: bool) -> Result<(), UsageError> {
        let Some(pending) = self.pending.take() else {
            return Err(UsageError::NoPendingDecision);
        };
        match pending {
            Pending::Auth => {
                self.pending = Some(Pending::Auth);
                return Err(UsageError::NoPendingDecision);
            }
            Pending::Connect => {
                if positive {
                    let text = reply.text();
                    let proto = if self.config.lmtp { "LMTP" } else { "ESMTP" };
                    let text = if text.is_empty() {
                        format!("{} {proto} ready", self.config.hostname)
                    } else {
                        text
                    };
                    self.send(Reply::new(ReplyCode::SERVICE_READY, text));
                    self.phase = Phase::Command;
                } else {
                    self.send(reply.without_enhanced());
                    self.phase = Phase::Refused;
                }
            }
            Pending::Helo(kind, name) => {
                if positive {
                    self.helo = Some(kind);
                    self.helo_name = Some(name.to_string());
                    if kind == HeloKind::Helo {
                        let text = if reply.text().is_empty() {
                            self.config.hostname.clone()
                        } else {
                            reply.text()
                        };
                        self.send(Reply::new(ReplyCode::OK, text));
                    } else {
                        let ehlo = EhloReply {
                            domain: self.config.hostname.clone(),
                            greeting: Some(format!("Hello {name}")),
                            capabilities: self.capabilities(),
                        };
                        self.send(ehlo.to_reply());
                    }
                } else {
                    self.send(reply);
                }
            }
            Pending::Mail { smtputf8, body } => {
                if positive {
                    self.txn = Some(Transaction {
                        smtputf8,
                        body,
                        ..Transaction::default()
                    });
                } else {
                    self.no_progress += 1;
                }
                self.send(reply);
            }
            Pending::Rcpt(to) => {
                if positive {
                    if let Some(t) = self.txn.as_mut() {
                        t.rcpts.push(to);
                    }
                    self.no_progress = 0;
                } else {
                    self.no_progress += 1;
                }
                self.send(reply);
            }
            Pending::MessageEnd(n) => {
                if self.config.lmtp {
                    for _ in 0..n {
                        self.send(reply.clone());
                    }
                } else {
                    self.send(reply);
                }
                if positive {
                    self.no_progress = 0;
                }
                self.end_transaction();
            }
            Pending::Vrfy | Pending::Expn => self.send(reply),
        }
        self.process();
        Ok(())
    }

    /// The capabilities this session advertises now.
    pub fn capabilities(&self) -> Capabilities {
        let c = &self.config;
        let mut caps = Capabilities::new();
        caps.insert(Capability::Size(Some(c.limits.message_size)));
        if c.pipelining {
            caps.insert(Capability::Pipelining);
        }
        if c.eightbitmime {
            caps.insert(Capability::EightBitMime);
        }
        if c.enhanced_status_codes {
            caps.insert(Capability::EnhancedStatusCodes);
        }
        if c.smtputf8 {
            caps.insert(Capability::SmtpUtf8);
        }
        if c.chunking {
            caps.insert(Capability::Chunking);
            caps.insert(Capability::BinaryMime);
        }
        if c.dsn {
            caps.insert(Capability::Dsn);
        }
        if c.requiretls && self.tls {
            caps.insert(Capability::RequireTls);
        }
        if c.starttls && !self.tls {
            caps.insert(Capability::StartTls);
        }
        if self.identity.is_none() {
            let mechs: Vec<String> = c
                .auth_policy
                .offered(self.tls)
                .map(|m| m.as_str().to_string())
                .collect();
            if !mechs.is_empty() {
                caps.insert(Capability::Auth(mechs));
            }
        }
        caps.insert(Capability::Help);
        caps
    }

    fn esmtp(&self) -> bool {
        matches!(self.helo, Some(HeloKind::Ehlo | HeloKind::Lhlo))
    }

    fn send(&mut self, reply: Reply) {
        if self.esmtp() && self.config.enhanced_status_codes {
            reply.write_to(&mut self.tx);
        } else {
            reply.without_enhanced().write_to(&mut self.tx);
        }
    }

    fn close_with(&mut self, reply: Reply, reason: CloseReason) {
        if matches!(self.phase, Phase::Closed) {
            return;
        }
        self.send(reply);
        self.phase = Phase::Closed;
        self.rx.clear();
        self.events.push_back(Event::Closed { reason });
    }

    /// A protocol error reply (syntax or sequence), counted towards the limit.
    fn error_reply(&mut self, reply: Reply) {
        self.send(reply);
        self.errors += 1;
        if self.errors >= self.config.limits.errors_before_disconnect {
            self.close_with(
                r(421, (4, 7, 0), "Too many errors, closing"),
                CloseReason::TooManyErrors,
            );
        }
    }

    fn bad_sequence(&mut self, text: &str) {
        self.error_reply(r(503, (5, 5, 1), text));
    }

    fn end_transaction(&mut self) {
        if let Some(t) = self.txn.take() {
            self.last_smtputf8 = t.smtputf8;
        }
    }

    fn reset_transaction(&mut self) {
        if self.txn.take().is_some() {
            self.events.push_back(Event::TransactionReset);
        }
    }

    /// Runs until input is exhausted, a decision is pending, or closed.
    fn process(&mut self) {
        while self.pending.is_none() {
            let progressed = match &mut self.phase {
                Phase::Greeting | Phase::TlsPending | Phase::Closed => false,
                Phase::Data(_) => {
                    let input = self.rx.split().freeze();
                    self.data_step(&input)
                }
                Phase::Bdat {
                    remaining,
                    last,
                    discard,
                } => {
                    let (rem, last, discard) = (*remaining, *last, *discard);
                    self.bdat_progress(rem, last, discard)
                }
                Phase::Refused | Phase::Command | Phase::AuthLine => self.next_line(),
            };
            if !progressed {
                break;
            }
        }
    }

    /// Decodes `input` (all the unprocessed input, `rx` being empty) in
    /// DATA mode; what follows the end of data, or the first error, goes
    /// back to `rx`. Returns whether progress was made.
    fn data_step(&mut self, input: &Bytes) -> bool {
        let Phase::Data(dec) = &mut self.phase else {
            self.rx.extend_from_slice(input);
            return false;
        };
        let had_error = dec.error().is_some();
        let mut chunks = core::mem::take(&mut self.chunks);
        let (used, done) = dec.decode_bytes(input, &mut chunks);
        let err = dec.error();
        let size = dec.size();
        if let Some(rest) = input.get(used..)
            && !rest.is_empty()
        {
            self.rx.extend_from_slice(rest);
        }
        self.data_progress(&mut chunks, err, size, done);
        chunks.clear();
        self.chunks = chunks;
        // A call that stopped at a new error may have consumed nothing; it
        // still made progress.
        done || (!self.rx.is_empty() && (used > 0 || had_error != err.is_some()))
    }

    fn data_progress(
        &mut self,
        chunks: &mut Vec<Bytes>,
        err: Option<DataError>,
        size: u64,
        done: bool,
    ) {
        let Some(t) = self.txn.as_mut() else { return };
        // Content is released in whole lines, so the events do not depend on
        // how the input was split (a partial line is held back in `scratch`,
        // copied, up to HOLD_BACK octets); on an error the partial line is
        // dropped. Whole lines are released as the decoder's slices of the
        // input, without a copy.
        if t.aborted.is_some() {
            self.scratch.clear();
            chunks.clear();
        } else {
            // Release the held partial line, `chunks[..k]` and `chunks[k][..p]`.
            let cut = if done && err.is_none() {
                Some((chunks.len(), 0))
            } else {
                let last_lf = chunks
                    .iter()
                    .enumerate()
                    .rev()
                    .find_map(|(k, c)| memchr::memrchr(b'\n', c).map(|i| (k, i + 1)));
                match last_lf {
                    Some(c) => Some(c),
                    None if err.is_none()
                        && self.scratch.len() + chunks.iter().map(Bytes::len).sum::<usize>()
                            > HOLD_BACK =>
                    {
                        Some((chunks.len(), 0))
                    }
                    None => None,
                }
            };
            match cut {
                Some((k, p)) => {
                    if !self.scratch.is_empty() {
                        let held = self.scratch.split().freeze();
                        self.events.push_back(Event::MessageChunk(held));
                    }
                    for (j, c) in chunks.drain(..).enumerate() {
                        if j < k {
                            self.events.push_back(Event::MessageChunk(c));
                        } else if j == k {
                            if p > 0 {
                                self.events.push_back(Event::MessageChunk(c.slice(..p)));
                            }
                            self.scratch.extend_from_slice(c.get(p..).unwrap_or(&[]));
                        } else {
                            self.scratch.extend_from_slice(&c);
                        }
                    }
                }
                None => {
                    for c in chunks.drain(..) {
                        self.scratch.extend_from_slice(&c);
                    }
                }
            }
            // On an error the partial line is dropped.
            if err.is_some() {
                self.scratch.clear();
            }
        }
        if let Some(e) = err
            && t.aborted.is_none()
        {
            t.aborted = Some(e);
            self.events.push_back(Event::MessageAborted { error: e });
        }
        t.size = size;
        if done {
            self.phase = Phase::Command;
            self.finish_message();
        }
    }

    fn finish_message(&mut self) {
        let Some(t) = self.txn.as_ref() else { return };
        if let Some(e) = t.aborted {
            let reply = e.reply();
            if self.config.lmtp {
                for _ in 0..t.rcpts.len() {
                    self.send(reply.clone());
                }
            } else {
                self.send(reply);
            }
            self.txn = None;
            self.events.push_back(Event::TransactionReset);
        } else {
            let recipients = t.rcpts.clone();
            self.pending = Some(Pending::MessageEnd(recipients.len()));
            self.events.push_back(Event::MessageEnd {
                size: t.size,
                recipients,
            });
        }
    }

    fn bdat_progress(&mut self, remaining: u64, last: bool, discard: bool) -> bool {
        let take = usize::try_from(remaining)
            .unwrap_or(usize::MAX)
            .min(self.rx.len());
        if take == 0 && remaining > 0 {
            return false;
        }
        let chunk = self.rx.split_to(take).freeze();
        self.bdat_chunk(chunk, remaining, last, discard)
    }

    /// The next `chunk` (at most `remaining` octets, none only if
    /// `remaining` is 0) of a BDAT chunk.
    fn bdat_chunk(&mut self, chunk: Bytes, remaining: u64, last: bool, discard: bool) -> bool {
        let take = chunk.len();
        let remaining = remaining.saturating_sub(take as u64);
        if !discard
            && !chunk.is_empty()
            && let Some(t) = self.txn.as_mut()
            && t.aborted.is_none()
        {
            self.events.push_back(Event::MessageChunk(chunk));
        }
        if remaining > 0 {
            self.phase = Phase::Bdat {
                remaining,
                last,
                discard,
            };
            return take > 0;
        }
        self.phase = Phase::Command;
        if discard {
            return true;
        }
        let aborted = self.txn.as_ref().and_then(|t| t.aborted);
        if last || aborted.is_some() {
            if last {
                self.finish_message();
            } else if let Some(e) = aborted {
                // A failed chunk: reply now; the transaction is over
                // (RFC 3030 §3: later BDATs get 503).
                self.send(e.reply());
                self.txn = None;
                self.events.push_back(Event::TransactionReset);
            }
        } else {
            self.send(Reply::from_code(250, Some((2, 0, 0)), "Chunk received"));
        }
        true
    }

    fn next_line(&mut self) -> bool {
        let Some(frame) = self.framer.next_frame(&mut self.rx) else {
            return false;
        };
        let line = match frame {
            Frame::Line(l) => l,
            Frame::TooLong => {
                if matches!(self.phase, Phase::AuthLine) {
                    self.auth_fail_reply(r(
                        500,
                        (5, 5, 6),
                        "Authentication exchange line too long",
                    ));
                } else {
                    self.error_reply(r(500, (5, 5, 2), "Line too long"));
                }
                return true;
            }
            Frame::BareLineEnding => {
                self.error_reply(r(500, (5, 5, 2), "Bare LF not allowed"));
                return true;
            }
        };
        if matches!(self.phase, Phase::AuthLine) {
            self.auth_line(&line);
            return true;
        }
        match Command::parse_line(&line, self.config.quirks) {
            Ok(cmd) => {
                let cmd = cmd.into_owned();
                self.command(cmd);
            }
            Err(e) => {
                self.events
                    .push_back(Event::ProtocolError { error: e.clone() });
                self.error_reply(e.reply());
            }
        }
        true
    }

    fn no_progress_step(&mut self) -> bool {
        self.no_progress += 1;
        if self.no_progress > self.config.limits.commands_without_progress {
            self.close_with(
                r(
                    421,
                    (4, 7, 0),
                    "Too many commands without progress, closing",
                ),
                CloseReason::NoProgress,
            );
            return false;
        }
        true
    }

    fn command(&mut self, cmd: Command<'static>) {
        if matches!(self.phase, Phase::Refused) {
            if cmd == Command::Quit {
                self.close_with(r(221, (2, 0, 0), "Bye"), CloseReason::Refused);
            } else {
                self.bad_sequence("No service, send QUIT");
            }
            return;
        }
        match cmd {
            Command::Ehlo(name) => self.hello(HeloKind::Ehlo, name),
            Command::Helo(name) => self.hello(HeloKind::Helo, name),
            Command::Lhlo(name) => self.hello(HeloKind::Lhlo, name),
            Command::Mail { from, params } => self.mail(from, params),
            Command::Rcpt { to, params } => self.rcpt(to, params),
            Command::Data => self.data(),
            Command::Bdat { size, last } => self.bdat(size, last),
            Command::Rset => {
                if self.no_progress_step() {
                    self.reset_transaction();
                    self.send(r(250, (2, 0, 0), "OK"));
                }
            }
            Command::Noop(_) => {
                if self.no_progress_step() {
                    self.send(r(250, (2, 0, 0), "OK"));
                }
            }
            Command::Vrfy(argument) => {
                if self.no_progress_step() {
                    if self.config.relay_vrfy_expn {
                        self.pending = Some(Pending::Vrfy);
                        self.events.push_back(Event::Vrfy {
                            argument: argument.into_owned(),
                        });
                        return;
                    }
                    self.send(r(
                        252,
                        (2, 5, 0),
                        "Cannot VRFY user, but will accept message",
                    ));
                }
            }
            Command::Expn(argument) => {
                if self.no_progress_step() {
                    if self.config.relay_vrfy_expn {
                        self.pending = Some(Pending::Expn);
                        self.events.push_back(Event::Expn {
                            argument: argument.into_owned(),
                        });
                        return;
                    }
                    self.send(r(502, (5, 5, 1), "EXPN not available"));
                }
            }
            Command::Help(_) => {
                if self.no_progress_step() {
                    self.send(r(214, (2, 0, 0), "See RFC 5321"));
                }
            }
            Command::Quit => self.close_with(r(221, (2, 0, 0), "Bye"), CloseReason::Quit),
            Command::StartTls => self.starttls(),
            Command::Auth {
                mechanism,
                initial_response,
            } => self.auth(&mechanism, initial_response),
        }
    }

    fn hello(&mut self, kind: HeloKind, name: Host<'static>) {
        if self.config.lmtp != (kind == HeloKind::Lhlo) {
            let text = if self.config.lmtp {
                "This is an LMTP server, use LHLO"
            } else {
                "Command unrecognized"
            };
            self.error_reply(r(500, (5, 5, 1), text));
            return;
        }
        if self.helo.is_some() && !self.no_progress_step() {
            return;
        }
        self.reset_transaction();
        self.pending = Some(Pending::Helo(kind, name.clone()));
        self.events.push_back(Event::Helo { kind, name });
    }

    fn mail(&mut self, from: ReversePath<'static>, params: MailParams<'static>) {
        if self.helo.is_none() {
            return self.bad_sequence("Send EHLO/HELO first");
        }
        if self.txn.is_some() {
            return self.bad_sequence("Nested MAIL command");
        }
        if self.config.auth_required && self.identity.is_none() {
            self.error_reply(r(530, (5, 7, 0), "Authentication required"));
            return;
        }
        let c = &self.config;
        let esmtp = self.esmtp();
        // The common case from the bits read at parse time; the typed
        // parameters are only walked to name the first refused one.
        let body_ok = match params.body() {
            Some(Body::BinaryMime) => c.chunking,
            Some(Body::EightBitMime) => c.eightbitmime,
            _ => true,
        };
        let allowed = if esmtp {
            use crate::param::mail_bits as b;
            let mut a = b::SIZE | b::BODY | b::AUTH;
            if c.smtputf8 {
                a |= b::SMTPUTF8;
            }
            if c.dsn {
                a |= b::RET | b::ENVID;
            }
            if c.requiretls && self.tls {
                a |= b::REQUIRETLS;
            }
            a
        } else {
            0
        };
        let all_ok = body_ok && params.only(allowed, esmtp && c.accept_unknown_params);
        for p in params.iter().filter(|_| !all_ok) {
            let ok = esmtp
                && match p {
                    MailParam::Size(_) => true,
                    MailParam::Body(Body::BinaryMime) => c.chunking,
                    MailParam::Body(Body::EightBitMime) => c.eightbitmime,
                    MailParam::Body(_) => true,
                    MailParam::SmtpUtf8 => c.smtputf8,
                    MailParam::Auth(_) => true,
                    MailParam::Ret(_) | MailParam::EnvId(_) => c.dsn,
                    MailParam::RequireTls => c.requiretls && self.tls,
                    MailParam::Unknown { .. } => c.accept_unknown_params,
                    _ => c.accept_unknown_params,
                };
            if !ok {
                let reply = r(555, (5, 5, 4), &format!("Parameter {p} not supported"));
                self.error_reply(reply);
                return;
            }
        }
        if let Some(size) = params.size()
            && size > c.limits.message_size
        {
            self.send(r(552, (5, 3, 4), "Message size exceeds fixed maximum"));
            return;
        }
        if let ReversePath::Mailbox(m) = &from
            && !m.is_ascii()
            && !params.smtputf8()
        {
            self.send(r(553, (5, 6, 7), "Non-ASCII address requires SMTPUTF8"));
            return;
        }
        self.pending = Some(Pending::Mail {
            smtputf8: params.smtputf8(),
            body: params.body(),
        });
        self.events.push_back(Event::MailFrom { from, params });
    }

    fn rcpt(&mut self, to: ForwardPath<'static>, params: RcptParams<'static>) {
        let Some(t) = self.txn.as_ref() else {
            return self.bad_sequence("Need MAIL before RCPT");
        };
        if t.started {
            return self.bad_sequence("RCPT after message data");
        }
        if t.rcpts.len() >= self.config.limits.recipients {
            self.send(r(452, (4, 5, 3), "Too many recipients"));
            return;
        }
        let smtputf8 = t.smtputf8;
        let all_ok = params.only(self.config.dsn, self.config.accept_unknown_params);
        for p in params.iter().filter(|_| !all_ok) {
            let ok = match p {
                RcptParam::Notify(_) | RcptParam::Orcpt { .. } => self.config.dsn,
                _ => self.config.accept_unknown_params,
            };
            if !ok {
                let reply = r(555, (5, 5, 4), &format!("Parameter {p} not supported"));
                self.error_reply(reply);
                return;
            }
        }
        if !to.is_ascii() && !smtputf8 {
            self.send(r(553, (5, 6, 7), "Non-ASCII address requires SMTPUTF8"));
            return;
        }
        self.pending = Some(Pending::Rcpt(to.clone()));
        self.events.push_back(Event::RcptTo { to, params });
    }

    fn data(&mut self) {
        let Some(t) = self.txn.as_mut() else {
            return self.bad_sequence("Need MAIL before DATA");
        };
        if t.rcpts.is_empty() {
            // RFC 5321 §3.3: 503 or 554; 554 tells pipelining clients that
            // no recipient was accepted.
            self.send(r(554, (5, 5, 1), "No valid recipients"));
            return;
        }
        if t.bdat || t.body == Some(Body::BinaryMime) {
            return self.bad_sequence("Use BDAT for this transaction");
        }
        t.started = true;
        let dec = DataDecoder::new(
            self.config.bare_line_endings,
            self.config.limits.message_size,
            self.config.limits.data_line,
        );
        self.phase = Phase::Data(Box::new(dec));
        self.send(Reply::new(
            ReplyCode::START_MAIL_INPUT,
            "Start mail input; end with <CRLF>.<CRLF>",
        ));
        self.events.push_back(Event::MessageStart);
    }

    fn bdat(&mut self, size: u64, last: bool) {
        let discard = |s: &mut Server| {
            s.phase = Phase::Bdat {
                remaining: size,
                last,
                discard: true,
            }
        };
        if !self.config.chunking {
            // Still consume the announced octets so they are never read as commands.
            discard(self);
            self.error_reply(r(502, (5, 5, 1), "BDAT not available"));
            return;
        }
        let max = self.config.limits.message_size;
        let Some(t) = self.txn.as_mut() else {
            discard(self);
            return self.bad_sequence("Need MAIL before BDAT");
        };
        if t.rcpts.is_empty() {
            discard(self);
            self.send(r(554, (5, 5, 1), "No valid recipients"));
            return;
        }
        if t.started && !t.bdat {
            discard(self);
            return self.bad_sequence("BDAT after DATA");
        }
        let first = !t.started;
        t.started = true;
        t.bdat = true;
        if first {
            self.events.push_back(Event::MessageStart);
        }
        if t.size.saturating_add(size) > max {
            t.aborted = Some(DataError::TooLarge { limit: max });
            self.events.push_back(Event::MessageAborted {
                error: DataError::TooLarge { limit: max },
            });
            // The chunk is consumed and dropped; the 552 follows it.
            self.phase = Phase::Bdat {
                remaining: size,
                last,
                discard: false,
            };
            return;
        }
        t.size += size;
        self.phase = Phase::Bdat {
            remaining: size,
            last,
            discard: false,
        };
    }

    fn starttls(&mut self) {
        if self.tls {
            return self.bad_sequence("TLS already active");
        }
        if !self.config.starttls {
            self.error_reply(r(502, (5, 5, 1), "STARTTLS not available"));
            return;
        }
        self.send(r(220, (2, 0, 0), "Ready to start TLS"));
        // Everything the client pipelined after STARTTLS is dropped.
        self.rx.clear();
        self.framer.reset();
        self.phase = Phase::TlsPending;
    }

    fn auth(&mut self, mechanism: &str, ir: Option<InitialResponse<'static>>) {
        if self.helo.is_none() {
            return self.bad_sequence("Send EHLO first");
        }
        if self.identity.is_some() {
            return self.bad_sequence("Already authenticated");
        }
        if self.txn.is_some() {
            return self.bad_sequence("AUTH not allowed during a transaction");
        }
        let mech = match Mechanism::parse(mechanism.as_bytes()) {
            Ok(m) if self.config.auth_policy.allows(m, self.tls) => m,
            Ok(m) if self.config.auth_policy.allows(m, true) => {
                self.error_reply(r(
                    538,
                    (5, 7, 11),
                    "Encryption required for requested authentication mechanism",
                ));
                return;
            }
            _ => {
                self.error_reply(r(504, (5, 5, 4), "Unrecognized authentication type"));
                return;
            }
        };
        let mut sasl = sasl_server::Server::new(mech, &self.config.sasl).final_data_as_challenge();
        self.auth_steps = 0;
        let step = match ir {
            None => sasl.start(),
            Some(InitialResponse::Empty) => sasl.step(b""),
            Some(InitialResponse::Base64(b)) => match B64.decode(b.as_bytes()) {
                Ok(bytes) => sasl.step(&bytes),
                Err(_) => {
                    self.error_reply(r(501, (5, 5, 2), "Invalid base64 in initial response"));
                    return;
                }
            },
        };
        self.sasl = Some(sasl);
        self.auth_step(step);
    }

    fn auth_line(&mut self, line: &[u8]) {
        self.phase = Phase::Command;
        let Some(sasl) = self.sasl.as_mut() else {
            return;
        };
        let step = if line == b"*" {
            sasl.cancel()
        } else {
            match B64.decode(line) {
                Ok(bytes) => sasl.step(&bytes),
                Err(_) => {
                    self.sasl = None;
                    self.auth_fail_reply(r(501, (5, 5, 2), "Invalid base64 in response"));
                    return;
                }
            }
        };
        self.auth_step(step);
    }

    fn auth_step(&mut self, step: Step) {
        let mech = self
            .sasl
            .as_ref()
            .map_or(Mechanism::Plain, sasl_server::Server::mechanism);
        match step {
            Step::Challenge(c) => {
                self.auth_steps += 1;
                if self.auth_steps > self.config.limits.auth_steps {
                    self.sasl = None;
                    self.auth_fail_reply(r(500, (5, 5, 6), "Authentication exchange too long"));
                    return;
                }
                let text = B64.encode(c);
                self.tx.extend_from_slice(b"334 ");
                self.tx.extend_from_slice(text.as_bytes());
                self.tx.extend_from_slice(b"\r\n");
                self.framer = LineFramer::new(
                    self.config.limits.auth_line,
                    self.config.quirks.bare_lf_line_end,
                );
                self.phase = Phase::AuthLine;
            }
            Step::Need(request) => {
                self.pending = Some(Pending::Auth);
                self.events.push_back(Event::AuthRequest {
                    mechanism: mech,
                    request,
                });
            }
            Step::Success(outcome) => {
                self.sasl = None;
                let identity = outcome.identity().to_string();
                self.identity = Some(identity.clone());
                self.no_progress = 0;
                self.send(r(235, (2, 7, 0), "Authentication successful"));
                self.events.push_back(Event::Authenticated {
                    mechanism: mech,
                    identity,
                });
            }
            Step::Failure(error) => {
                self.sasl = None;
                let reply = match error.category() {
                    ErrorCategory::Cancelled => r(501, (5, 0, 0), "Authentication cancelled"),
                    ErrorCategory::Malformed => {
                        r(501, (5, 5, 2), "Malformed authentication response")
                    }
                    ErrorCategory::TooLarge => {
                        r(500, (5, 5, 6), "Authentication exchange too long")
                    }
                    ErrorCategory::Rejected => {
                        r(535, (5, 7, 8), "Authentication credentials invalid")
                    }
                    _ => r(454, (4, 7, 0), "Temporary authentication failure"),
                };
                self.events.push_back(Event::AuthFailed {
                    mechanism: mech,
                    error,
                });
                self.auth_fail_reply(reply);
            }
            _ => {
                self.sasl = None;
                self.auth_fail_reply(r(454, (4, 7, 0), "Temporary authentication failure"));
            }
        }
        if !matches!(self.phase, Phase::AuthLine) {
            self.framer = LineFramer::new(
                self.config.limits.command_line,
                self.config.quirks.bare_lf_line_end,
            );
        }
    }

    fn auth_fail_reply(&mut self, reply: Reply) {
        if matches!(self.phase, Phase::AuthLine) {
            self.phase = Phase::Command;
        }
        self.sasl = None;
        self.framer = LineFramer::new(
            self.config.limits.command_line,
            self.config.quirks.bare_lf_line_end,
        );
        self.send(reply);
        self.auth_failures += 1;
        if self.auth_failures >= self.config.limits.auth_failures {
            self.close_with(
                r(421, (4, 7, 0), "Too many authentication failures, closing"),
                CloseReason::AuthFailures,
            );
        }
    }
}

/// The `with` protocol keyword of a Received field (RFC 3848, RFC 6531 §3.7.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct WithProtocol {
    /// LMTP.
    pub lmtp: bool,
    /// ESMTP (EHLO/LHLO) rather than HELO.
    pub esmtp: bool,
    /// TLS was active.
    pub tls: bool,
    /// The client authenticated.
    pub auth: bool,
    /// The transaction used SMTPUTF8.
    pub utf8: bool,
}

impl WithProtocol {
    /// The keyword: `SMTP`, `ESMTP`, `ESMTPA`, `ESMTPS`, `ESMTPSA`, `LMTP`,
    /// `LMTPA`, `LMTPS`, `LMTPSA`, or the `UTF8SMTP…`/`UTF8LMTP…` forms.
    ///
    /// ```
    /// use mailwire_smtp_proto::server::WithProtocol;
    /// let w = WithProtocol { esmtp: true, tls: true, auth: true, ..Default::default() };
    /// assert_eq!(w.keyword(), "ESMTPSA");
    /// ```
    pub fn keyword(&self) -> String {
        let base = match (self.lmtp, self.esmtp || self.utf8) {
            (true, _) => "LMTP",
            (false, true) => "SMTP",
            (false, false) => return "SMTP".into(),
        };
        let mut s = String::new();
        if self.utf8 {
            s.push_str("UTF8");
        } else if !self.lmtp {
            s.push('E');
        }
        s.push_str(base);
        if self.tls {
            s.push('S');
        }
        if self.auth {
            s.push('A');
        }
        s
    }
}

/// The inputs of a Received trace field (RFC 5321 §4.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedInfo<'a> {
    /// The client's EHLO/HELO name.
    pub helo: &'a str,
    /// The client's reverse-DNS name, if known.
    pub remote_host: Option<&'a str>,
    /// The client's IP address.
    pub remote_ip: Option<IpAddr>,
    /// This server's name.
    pub by: &'a str,
    /// The protocol keyword (e.g. from [`Server::with_protocol`]).
    pub with: WithProtocol,
    /// A queue or message id.
    pub id: Option<&'a str>,
    /// The single recipient, when there is exactly one.
    pub for_recipient: Option<&'a str>,
    /// RFC 5322 date-time (the machine has no clock).
    pub date: &'a str,
}

/// Builds a complete `Received:` header field, folded, CRLF-terminated.
///
/// ```
/// use mailwire_smtp_proto::server::{received_header, ReceivedInfo, WithProtocol};
/// let h = received_header(&ReceivedInfo {
///     helo: "client.example",
///     remote_host: None,
///     remote_ip: Some("192.0.2.1".parse().unwrap()),
///     by: "mx.example",
///     with: WithProtocol { esmtp: true, tls: true, ..Default::default() },
///     id: Some("abc123"),
///     for_recipient: Some("<u@mx.example>"),
///     date: "Mon, 2 Jan 2023 10:00:00 +0000",
/// });
/// assert_eq!(h, "Received: from client.example ([192.0.2.1])\r\n\tby mx.example with ESMTPS id abc123\r\n\tfor <u@mx.example>; Mon, 2 Jan 2023 10:00:00 +0000\r\n");
/// ```
pub fn received_header(info: &ReceivedInfo<'_>) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_control() && !matches!(c, '(' | ')' | ';'))
            .collect()
    };
    let mut h = format!("Received: from {}", clean(info.helo));
    let ip = info.remote_ip.map(|ip| match ip {
        IpAddr::V4(a) => format!("[{a}]"),
        IpAddr::V6(a) => format!("[IPv6:{a}]"),
    });
    match (info.remote_host, ip) {
        (Some(host), Some(ip)) => {
            let _ = write!(h, " ({} {ip})", clean(host));
        }
        (Some(host), None) => {
            let _ = write!(h, " ({})", clean(host));
        }
        (None, Some(ip)) => {
            let _ = write!(h, " ({ip})");
        }
        (None, None) => {}
    }
    let _ = write!(
        h,
        "\r\n\tby {} with {}",
        clean(info.by),
        info.with.keyword()
    );
    if let Some(id) = info.id {
        let _ = write!(h, " id {}", clean(id));
    }
    h.push_str("\r\n\t");
    if let Some(rcpt) = info.for_recipient {
        let _ = write!(h, "for {}", clean(rcpt));
    }
    let _ = write!(h, "; {}\r\n", clean(info.date));
    if info.for_recipient.is_none() {
        h = h.replacen("\r\n\t; ", ";\r\n\t", 1);
    }
    h
}
