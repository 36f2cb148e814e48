//! The client state machine: greeting → CAPA → STLS → authentication →
//! transaction commands → QUIT, with pipelining when the server offers it.

use std::collections::VecDeque;

use bytes::{BufMut, Bytes, BytesMut};

use crate::capability::{Capabilities, Capability};
use crate::command::{Command, Secret};
use crate::error::{MisuseError, ProtocolError};
use crate::limits::Limits;
use crate::line::{Line, LineReader};
use crate::multiline::Unstuffer;
use crate::response::{
    Response, ScanListing, Stat, UidListing, apop_timestamp, encode_base64, parse_continuation,
};
use crate::server::apop_digest;
use mailwire_sasl::client::Client as SaslClient;

/// When to use TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsPolicy {
    /// The connection is already under TLS (port 995).
    Implicit,
    /// Use STLS; fail if the server does not offer it or refuses it.
    Required,
    /// Use STLS when offered, continue in plaintext otherwise.
    Opportunistic,
    /// **Insecure**: never use STLS.
    InsecureNever,
}

/// Client configuration.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// TLS policy.
    pub tls: TlsPolicy,
    /// Pipeline commands when the server announces `PIPELINING`.
    pub pipelining: bool,
    /// Limits on what the server sends.
    pub limits: Limits,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            tls: TlsPolicy::Required,
            pipelining: true,
            limits: Limits::default(),
        }
    }
}

/// Names one command; events about it carry the same handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommandHandle(u64);

/// Something the application must know or answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// Greeting, CAPA and (per policy) STLS are done: authenticate now.
    Ready {
        /// The server's capabilities (empty if it has no CAPA).
        capabilities: Capabilities,
        /// The APOP timestamp of the greeting, if any.
        apop_timestamp: Option<String>,
    },
    /// Answer to [`Client::capa`] (also cached, see [`Client::capabilities`]).
    Capabilities {
        /// The command.
        handle: CommandHandle,
        /// The capabilities in the current state.
        capabilities: Capabilities,
    },
    /// STLS accepted: run the TLS handshake now (nothing may be buffered),
    /// then call [`Client::tls_established`].
    StartTls,
    /// A SASL challenge: answer [`Client::sasl_respond`] or
    /// [`Client::sasl_cancel`].
    SaslChallenge {
        /// The AUTH command.
        handle: CommandHandle,
        /// Decoded challenge.
        challenge: Vec<u8>,
    },
    /// Login (USER/PASS, APOP or AUTH) succeeded: TRANSACTION state.
    Authenticated {
        /// The login command.
        handle: CommandHandle,
    },
    /// STAT answer.
    Stat {
        /// The command.
        handle: CommandHandle,
        /// Count and size.
        stat: Stat,
    },
    /// LIST answer (one entry for `LIST n`).
    List {
        /// The command.
        handle: CommandHandle,
        /// Entries.
        entries: Vec<ScanListing>,
    },
    /// UIDL answer (one entry for `UIDL n`).
    Uidl {
        /// The command.
        handle: CommandHandle,
        /// Entries.
        entries: Vec<UidListing>,
    },
    /// RETR/TOP: the `+OK` arrived, chunks follow.
    MessageStart {
        /// The command.
        handle: CommandHandle,
    },
    /// RETR/TOP: unstuffed message content.
    MessageChunk {
        /// The command.
        handle: CommandHandle,
        /// Content (CRLF line ends as sent).
        data: Bytes,
    },
    /// RETR/TOP: the terminating `.` arrived.
    MessageEnd {
        /// The command.
        handle: CommandHandle,
    },
    /// `+OK` to DELE, RSET, NOOP, UTF8 or QUIT.
    Done {
        /// The command.
        handle: CommandHandle,
        /// The response.
        response: Response<'static>,
    },
    /// `-ERR` to a command (including a failed login).
    Failed {
        /// The command.
        handle: CommandHandle,
        /// The response, with its code.
        response: Response<'static>,
    },
    /// A fatal protocol error; [`Event::Closed`] follows.
    Error(ProtocolError),
    /// The session is over; close the connection.
    Closed,
}

#[derive(Debug)]
enum Expect {
    Greeting,
    Capa,
    /// CAPA asked by the application.
    UserCapa,
    Stls,
    User {
        password: Secret,
    },
    Login,
    Auth {
        deferred_initial: Option<Secret>,
        sasl: Option<Box<SaslClient>>,
    },
    Stat,
    List {
        one: bool,
    },
    Uidl {
        one: bool,
    },
    Message,
    Simple,
    Quit,
}

impl Expect {
    /// Commands that change the session state wait for everything before
    /// them and hold everything after them.
    fn barrier(&self) -> bool {
        matches!(
            self,
            Self::Stls | Self::User { .. } | Self::Login | Self::Auth { .. } | Self::Capa
        )
    }
}

#[derive(Debug)]
struct InFlight {
    handle: CommandHandle,
    expect: Expect,
}

#[derive(Debug)]
struct Queued {
    wire: Vec<u8>,
    flight: InFlight,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Handshake,
    Upgrading,
    Ready,
    Closed,
}

#[derive(Debug)]
enum Body {
    Capa(Capabilities, bool),
    List(Vec<ScanListing>),
    Uidl(Vec<UidListing>),
    Message,
}

#[derive(Debug)]
struct Multi {
    handle: CommandHandle,
    body: Body,
    unstuffer: Unstuffer,
    /// Partial line of a listing body.
    acc: BytesMut,
}

/// The POP3 client state machine for one connection.
///
/// Drain [`Client::poll_transmit`] then [`Client::poll_event`] after every
/// [`Client::feed`] or command. The machine reads the greeting, asks CAPA,
/// runs STLS per [`TlsPolicy`] (re-asking CAPA afterwards), then reports
/// [`Event::Ready`]. Commands issued earlier are queued until then.
///
/// ```
/// use mailwire_pop3_proto::client::{Client, Config, Event, TlsPolicy};
/// let mut config = Config::default();
/// config.tls = TlsPolicy::Implicit;
/// let mut c = Client::new(config);
/// c.feed(b"+OK ready\r\n+OK\r\nUSER\r\n.\r\n");
/// assert_eq!(c.poll_transmit().unwrap(), &b"CAPA\r\n"[..]);
/// assert!(matches!(c.poll_event(), Some(Event::Ready { .. })));
/// let h = c.stat().unwrap();
/// assert_eq!(c.poll_transmit().unwrap(), &b"STAT\r\n"[..]);
/// c.feed(b"+OK 2 320\r\n");
/// assert!(matches!(c.poll_event(), Some(Event::Stat { handle, stat }) if handle == h && stat.count == 2));
/// ```
#[derive(Debug)]
pub struct Client {
    config: Config,
    reader: LineReader,
    out: BytesMut,
    events: VecDeque<Event>,
    phase: Phase,
    tls: bool,
    caps: Capabilities,
    timestamp: Option<String>,
    in_flight: VecDeque<InFlight>,
    queue: VecDeque<Queued>,
    multi: Option<Multi>,
    next_handle: u64,
    authenticated: bool,
    /// QUIT was issued: no more commands.
    quitting: bool,
}

impl Client {
    /// A machine for a new connection (waiting for the greeting).
    #[must_use]
    pub fn new(config: Config) -> Self {
        let reader = LineReader::new(config.limits.max_response_line);
        let tls = config.tls == TlsPolicy::Implicit;
        let mut c = Self {
            config,
            reader,
            out: BytesMut::with_capacity(256),
            events: VecDeque::new(),
            phase: Phase::Handshake,
            tls,
            caps: Capabilities::new(),
            timestamp: None,
            in_flight: VecDeque::new(),
            queue: VecDeque::new(),
            multi: None,
            next_handle: 0,
            authenticated: false,
            quitting: false,
        };
        let handle = c.handle();
        c.in_flight.push_back(InFlight {
            handle,
            expect: Expect::Greeting,
        });
        c
    }

    /// Feeds bytes received from the server.
    pub fn feed(&mut self, input: &[u8]) {
        match self.phase {
            Phase::Closed => return,
            Phase::Upgrading => {
                if !input.is_empty() {
                    self.fatal(ProtocolError::DataAfterStls { len: input.len() });
                }
                return;
            }
            _ => {}
        }
        if self.multi.is_some() && self.reader.buffered() == 0 {
            // Fast path: decode a body straight from the input.
            let used = self.body(input);
            if used < input.len() && self.phase != Phase::Closed {
                self.reader.push(&input[used..]);
            }
        } else {
            self.reader.push(input);
        }
        self.process();
    }

    /// The next bytes to send.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        if self.out.is_empty() {
            None
        } else {
            Some(self.out.split().freeze())
        }
    }

    /// The next event.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// True between the `+OK` to STLS and [`Client::tls_established`].
    #[must_use]
    pub fn wants_tls_upgrade(&self) -> bool {
        self.phase == Phase::Upgrading
    }

    /// The TLS handshake completed: cached capabilities are dropped and
    /// CAPA is asked again (RFC 2595 section 4).
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no upgrade was requested.
    pub fn tls_established(&mut self) -> Result<(), MisuseError> {
        if self.phase != Phase::Upgrading {
            return Err(MisuseError::NotPending);
        }
        self.phase = Phase::Handshake;
        self.tls = true;
        self.caps = Capabilities::new();
        self.send_internal(&Command::Capa, Expect::Capa);
        Ok(())
    }

    /// Whether the connection runs under TLS.
    #[must_use]
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// Whether the session is over.
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.phase == Phase::Closed
    }

    /// The server's capabilities (empty until CAPA was answered).
    #[must_use]
    pub fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    /// The APOP timestamp from the greeting.
    #[must_use]
    pub fn apop_timestamp(&self) -> Option<&str> {
        self.timestamp.as_deref()
    }

    // ---- commands ------------------------------------------------------

    /// USER then PASS (RFC 1939 section 7).
    ///
    /// # Errors
    /// [`MisuseError`] if already authenticated, closed, or an argument
    /// contains CR, LF or (for the name) SP.
    pub fn login(&mut self, user: &str, password: Secret) -> Result<CommandHandle, MisuseError> {
        self.check_auth()?;
        if user.is_empty()
            || user.bytes().any(|b| b <= b' ')
            || password.is_empty()
            || bad_arg(password.expose())
        {
            return Err(MisuseError::InvalidArgument);
        }
        // RFC 6856 section 2.2: UTF-8 credentials only with "UTF8 USER".
        if (!user.is_ascii() || !password.expose().is_ascii()) && self.caps.utf8() != Some(true) {
            return Err(MisuseError::InvalidArgument);
        }
        self.enqueue(
            &Command::User { name: user.into() },
            Expect::User { password },
        )
    }

    /// APOP with the greeting's timestamp (RFC 1939 section 7).
    ///
    /// # Errors
    /// [`MisuseError::NoApopTimestamp`] without a timestamp, and as [`Client::login`].
    pub fn apop(&mut self, user: &str, secret: &Secret) -> Result<CommandHandle, MisuseError> {
        self.check_auth()?;
        let ts = self
            .timestamp
            .as_deref()
            .ok_or(MisuseError::NoApopTimestamp)?;
        if user.is_empty() || user.bytes().any(|b| b <= b' ') {
            return Err(MisuseError::InvalidArgument);
        }
        let digest = apop_digest(ts, secret.expose());
        self.enqueue(
            &Command::Apop {
                name: user.into(),
                digest: digest.into(),
            },
            Expect::Login,
        )
    }

    /// AUTH with a SASL mechanism (RFC 5034). The initial response is sent
    /// on the command line when it fits in 255 octets, otherwise after the
    /// server's empty challenge. Challenges come as [`Event::SaslChallenge`].
    ///
    /// # Errors
    /// As [`Client::login`]; [`MisuseError::InvalidArgument`] for a bad
    /// mechanism name.
    pub fn authenticate(
        &mut self,
        mechanism: &str,
        initial_response: Option<Secret>,
    ) -> Result<CommandHandle, MisuseError> {
        self.auth_command(mechanism, initial_response, None)
    }

    /// AUTH driven by a [`mailwire_sasl::client::Client`]: the machine
    /// answers the challenges itself (cancelling with `*` when the SASL
    /// client fails) and, on `+OK`, checks the exchange completed (SCRAM's
    /// server signature); a server that claims success without proving it
    /// is a fatal [`ProtocolError::ServerNotVerified`].
    ///
    /// # Errors
    /// As [`Client::login`].
    pub fn authenticate_sasl(
        &mut self,
        mut sasl: SaslClient,
    ) -> Result<CommandHandle, MisuseError> {
        let mechanism = sasl.mechanism().as_str();
        let ir = sasl.initial_response().map(Secret::new);
        self.auth_command(mechanism, ir, Some(Box::new(sasl)))
    }

    fn auth_command(
        &mut self,
        mechanism: &str,
        initial_response: Option<Secret>,
        sasl: Option<Box<SaslClient>>,
    ) -> Result<CommandHandle, MisuseError> {
        self.check_auth()?;
        if mechanism.is_empty()
            || mechanism.len() > 20
            || !mechanism
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(MisuseError::InvalidArgument);
        }
        let cmd = Command::Auth {
            mechanism: mechanism.into(),
            initial_response: initial_response.clone(),
        };
        let mut wire = Vec::new();
        cmd.write_to(&mut wire);
        if wire.len() <= self.config.limits.max_command_line {
            return self.enqueue(
                &cmd,
                Expect::Auth {
                    deferred_initial: None,
                    sasl,
                },
            );
        }
        let cmd = Command::Auth {
            mechanism: mechanism.into(),
            initial_response: None,
        };
        self.enqueue(
            &cmd,
            Expect::Auth {
                deferred_initial: initial_response,
                sasl,
            },
        )
    }

    /// Answers the last [`Event::SaslChallenge`].
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no AUTH is in progress.
    pub fn sasl_respond(&mut self, response: &[u8]) -> Result<(), MisuseError> {
        if !matches!(
            self.in_flight.front(),
            Some(InFlight {
                expect: Expect::Auth { .. },
                ..
            })
        ) {
            return Err(MisuseError::NotPending);
        }
        self.out.put_slice(encode_base64(response).as_bytes());
        self.out.put_slice(b"\r\n");
        Ok(())
    }

    /// Cancels the AUTH exchange (`*`); the server answers `-ERR`.
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no AUTH is in progress.
    pub fn sasl_cancel(&mut self) -> Result<(), MisuseError> {
        if !matches!(
            self.in_flight.front(),
            Some(InFlight {
                expect: Expect::Auth { .. },
                ..
            })
        ) {
            return Err(MisuseError::NotPending);
        }
        self.out.put_slice(b"*\r\n");
        Ok(())
    }

    /// CAPA again, e.g. after login (capabilities may differ per state,
    /// RFC 2449 section 5).
    ///
    /// # Errors
    /// [`MisuseError::Closed`].
    pub fn capa(&mut self) -> Result<CommandHandle, MisuseError> {
        self.enqueue(&Command::Capa, Expect::UserCapa)
    }

    /// STAT.
    ///
    /// # Errors
    /// [`MisuseError::Closed`] after the session ended.
    pub fn stat(&mut self) -> Result<CommandHandle, MisuseError> {
        self.enqueue(&Command::Stat, Expect::Stat)
    }

    /// LIST (all) or `LIST n`.
    ///
    /// # Errors
    /// [`MisuseError::InvalidArgument`] for message 0, [`MisuseError::Closed`].
    pub fn list(&mut self, msg: Option<u32>) -> Result<CommandHandle, MisuseError> {
        check_msg(msg)?;
        self.enqueue(&Command::List { msg }, Expect::List { one: msg.is_some() })
    }

    /// UIDL (all) or `UIDL n`.
    ///
    /// # Errors
    /// As [`Client::list`].
    pub fn uidl(&mut self, msg: Option<u32>) -> Result<CommandHandle, MisuseError> {
        check_msg(msg)?;
        self.enqueue(&Command::Uidl { msg }, Expect::Uidl { one: msg.is_some() })
    }

    /// RETR: the message comes as [`Event::MessageStart`],
    /// [`Event::MessageChunk`]s and [`Event::MessageEnd`].
    ///
    /// # Errors
    /// As [`Client::list`].
    pub fn retr(&mut self, msg: u32) -> Result<CommandHandle, MisuseError> {
        check_msg(Some(msg))?;
        self.enqueue(&Command::Retr { msg }, Expect::Message)
    }

    /// TOP: the header and `lines` body lines, as for [`Client::retr`].
    ///
    /// # Errors
    /// As [`Client::list`].
    pub fn top(&mut self, msg: u32, lines: u32) -> Result<CommandHandle, MisuseError> {
        check_msg(Some(msg))?;
        self.enqueue(&Command::Top { msg, lines }, Expect::Message)
    }

    /// DELE.
    ///
    /// # Errors
    /// As [`Client::list`].
    pub fn dele(&mut self, msg: u32) -> Result<CommandHandle, MisuseError> {
        check_msg(Some(msg))?;
        self.enqueue(&Command::Dele { msg }, Expect::Simple)
    }

    /// RSET.
    ///
    /// # Errors
    /// [`MisuseError::Closed`].
    pub fn rset(&mut self) -> Result<CommandHandle, MisuseError> {
        self.enqueue(&Command::Rset, Expect::Simple)
    }

    /// NOOP.
    ///
    /// # Errors
    /// [`MisuseError::Closed`].
    pub fn noop(&mut self) -> Result<CommandHandle, MisuseError> {
        self.enqueue(&Command::Noop, Expect::Simple)
    }

    /// UTF8 (RFC 6856): before authentication.
    ///
    /// # Errors
    /// [`MisuseError::WrongState`] after authentication.
    pub fn utf8(&mut self) -> Result<CommandHandle, MisuseError> {
        self.check_auth()?;
        self.enqueue(&Command::Utf8, Expect::Simple)
    }

    /// QUIT: in TRANSACTION, the server deletes the marked messages. No
    /// command can follow ([`MisuseError::Closed`]).
    ///
    /// # Errors
    /// [`MisuseError::Closed`].
    pub fn quit(&mut self) -> Result<CommandHandle, MisuseError> {
        let h = self.enqueue(&Command::Quit, Expect::Quit)?;
        self.quitting = true;
        Ok(h)
    }

    // ---- internals -----------------------------------------------------

    fn handle(&mut self) -> CommandHandle {
        self.next_handle += 1;
        CommandHandle(self.next_handle)
    }

    fn check_auth(&self) -> Result<(), MisuseError> {
        if self.phase == Phase::Closed {
            Err(MisuseError::Closed)
        } else if self.authenticated {
            Err(MisuseError::WrongState)
        } else {
            Ok(())
        }
    }

    fn enqueue(&mut self, cmd: &Command<'_>, expect: Expect) -> Result<CommandHandle, MisuseError> {
        if self.phase == Phase::Closed || self.quitting {
            return Err(MisuseError::Closed);
        }
        let handle = self.handle();
        let mut wire = Vec::new();
        cmd.write_to(&mut wire);
        self.queue.push_back(Queued {
            wire,
            flight: InFlight { handle, expect },
        });
        self.pump();
        Ok(handle)
    }

    fn send_internal(&mut self, cmd: &Command<'_>, expect: Expect) {
        let handle = self.handle();
        cmd.write_to(&mut self.out);
        self.in_flight.push_back(InFlight { handle, expect });
    }

    /// Moves queued commands to the wire as pipelining allows.
    fn pump(&mut self) {
        if self.phase != Phase::Ready {
            return;
        }
        let pipelining = self.config.pipelining && self.caps.pipelining();
        while let Some(front) = self.queue.front() {
            let can = self.in_flight.is_empty()
                || (pipelining
                    && !front.flight.expect.barrier()
                    && !self.in_flight.iter().any(|f| f.expect.barrier()));
            if !can {
                break;
            }
            let Some(q) = self.queue.pop_front() else {
                break;
            };
            self.out.put_slice(&q.wire);
            self.in_flight.push_back(q.flight);
        }
    }

    fn fatal(&mut self, e: ProtocolError) {
        if self.phase != Phase::Closed {
            self.events.push_back(Event::Error(e));
            self.close();
        }
    }

    fn close(&mut self) {
        if self.phase != Phase::Closed {
            self.phase = Phase::Closed;
            self.reader.clear();
            self.multi = None;
            self.queue.clear();
            self.in_flight.clear();
            self.events.push_back(Event::Closed);
        }
    }

    fn process(&mut self) {
        while self.phase != Phase::Closed && self.phase != Phase::Upgrading {
            if self.multi.is_some() {
                if self.reader.buffered() == 0 {
                    break;
                }
                let raw = self.reader.take_raw();
                let used = self.body(&raw);
                if used < raw.len() && self.phase != Phase::Closed {
                    self.reader.push(&raw[used..]);
                }
                continue;
            }
            match self.reader.next_line() {
                None => break,
                Some(Line::TooLong) => self.fatal(ProtocolError::LimitExceeded {
                    what: "response line",
                }),
                Some(Line::Complete(line)) => self.status_line(&line),
            }
        }
    }

    /// Decodes body bytes; returns the octets used.
    fn body(&mut self, input: &[u8]) -> usize {
        let Some(m) = self.multi.as_mut() else {
            return 0;
        };
        let mut decoded = BytesMut::with_capacity(input.len());
        let end = m.unstuffer.decode(input, &mut decoded);
        let handle = m.handle;
        let max_line = self.config.limits.max_body_line;
        let result = match &mut m.body {
            Body::Message => {
                if !decoded.is_empty() {
                    self.events.push_back(Event::MessageChunk {
                        handle,
                        data: decoded.freeze(),
                    });
                }
                if max_line > 0 && m.unstuffer.line_len() > max_line {
                    Err(ProtocolError::LimitExceeded {
                        what: "message line",
                    })
                } else {
                    Ok(())
                }
            }
            _ => {
                m.acc.extend_from_slice(&decoded);
                listing_lines(m, &self.config.limits)
            }
        };
        if let Err(e) = result {
            self.fatal(e);
            return input.len();
        }
        match end {
            None => input.len(),
            Some(used) => {
                if let Some(m) = self.multi.take() {
                    self.finish_multi(m);
                }
                used
            }
        }
    }

    fn finish_multi(&mut self, m: Multi) {
        let handle = m.handle;
        if !m.acc.is_empty() {
            self.fatal(ProtocolError::Invalid { what: "listing" });
            return;
        }
        match m.body {
            Body::Message => self.events.push_back(Event::MessageEnd { handle }),
            Body::List(entries) => self.events.push_back(Event::List { handle, entries }),
            Body::Uidl(entries) => self.events.push_back(Event::Uidl { handle, entries }),
            Body::Capa(caps, true) => {
                self.caps = caps.clone();
                self.events.push_back(Event::Capabilities {
                    handle,
                    capabilities: caps,
                });
            }
            Body::Capa(caps, false) => {
                self.caps = caps;
                self.after_capa();
            }
        }
        self.pump();
    }

    fn after_capa(&mut self) {
        let offered = self.caps.stls();
        if !self.tls {
            match self.config.tls {
                TlsPolicy::Required | TlsPolicy::Opportunistic if offered => {
                    self.send_internal(&Command::Stls, Expect::Stls);
                    return;
                }
                TlsPolicy::Required => {
                    self.fatal(ProtocolError::TlsUnavailable);
                    return;
                }
                _ => {}
            }
        }
        self.ready();
    }

    fn ready(&mut self) {
        self.phase = Phase::Ready;
        self.events.push_back(Event::Ready {
            capabilities: self.caps.clone(),
            apop_timestamp: self.timestamp.clone(),
        });
        self.pump();
    }

    fn start_multi(&mut self, handle: CommandHandle, body: Body) {
        self.multi = Some(Multi {
            handle,
            body,
            unstuffer: Unstuffer::new(),
            acc: BytesMut::new(),
        });
    }

    fn status_line(&mut self, line: &[u8]) {
        let Some(front) = self.in_flight.front_mut() else {
            self.fatal(ProtocolError::Unsolicited);
            return;
        };
        let handle = front.handle;
        // SASL continuation.
        if let Expect::Auth {
            deferred_initial,
            sasl,
        } = &mut front.expect
            && let Some(challenge) = parse_continuation(line)
        {
            match challenge {
                Ok(challenge) => {
                    if let Some(ir) = deferred_initial.take() {
                        let ir = encode_base64(ir.expose());
                        self.out.put_slice(ir.as_bytes());
                        self.out.put_slice(b"\r\n");
                    } else if let Some(sasl) = sasl {
                        match sasl.step(&challenge) {
                            Ok(r) => {
                                self.out.put_slice(encode_base64(&r).as_bytes());
                                self.out.put_slice(b"\r\n");
                            }
                            Err(_) => self.out.put_slice(b"*\r\n"),
                        }
                    } else {
                        self.events
                            .push_back(Event::SaslChallenge { handle, challenge });
                    }
                }
                // RFC 5034: a client that cannot decode MUST cancel.
                Err(_) => self.out.put_slice(b"*\r\n"),
            }
            return;
        }
        let response = match Response::parse_line(line) {
            Ok(r) => r.into_owned(),
            Err(e) => {
                self.fatal(e.into());
                return;
            }
        };
        let Some(InFlight { expect, .. }) = self.in_flight.pop_front() else {
            return;
        };
        let ok = response.is_ok();
        match expect {
            Expect::Greeting => {
                if !ok {
                    self.fatal(ProtocolError::GreetingRejected(response));
                    return;
                }
                self.timestamp = apop_timestamp(&response.text).map(str::to_owned);
                self.send_internal(&Command::Capa, Expect::Capa);
            }
            Expect::Capa => {
                if ok {
                    self.start_multi(handle, Body::Capa(Capabilities::new(), false));
                } else {
                    self.caps = Capabilities::new();
                    self.after_capa();
                }
            }
            Expect::Stls => {
                if ok {
                    let len = self.reader.buffered();
                    if len > 0 {
                        self.fatal(ProtocolError::DataAfterStls { len });
                        return;
                    }
                    self.phase = Phase::Upgrading;
                    self.events.push_back(Event::StartTls);
                } else if self.config.tls == TlsPolicy::Required {
                    self.fatal(ProtocolError::TlsRejected);
                } else {
                    self.ready();
                }
            }
            Expect::User { password } => {
                if ok {
                    let cmd = Command::Pass { password };
                    cmd.write_to(&mut self.out);
                    self.in_flight.push_front(InFlight {
                        handle,
                        expect: Expect::Login,
                    });
                } else {
                    self.events.push_back(Event::Failed { handle, response });
                }
            }
            Expect::Auth {
                sasl: Some(mut sasl),
                ..
            } if ok => {
                if sasl.finish(None).is_err() {
                    self.fatal(ProtocolError::ServerNotVerified);
                } else {
                    self.authenticated = true;
                    self.events.push_back(Event::Authenticated { handle });
                }
            }
            Expect::Login | Expect::Auth { .. } => {
                if ok {
                    self.authenticated = true;
                    self.events.push_back(Event::Authenticated { handle });
                } else {
                    self.events.push_back(Event::Failed { handle, response });
                }
            }
            _ if !ok => {
                let quit = matches!(expect, Expect::Quit);
                self.events.push_back(Event::Failed { handle, response });
                if quit {
                    self.close();
                }
            }
            Expect::Stat => match Stat::parse(&response.text) {
                Ok(stat) => self.events.push_back(Event::Stat { handle, stat }),
                Err(e) => self.fatal(e.into()),
            },
            Expect::List { one: true } => match ScanListing::parse(&response.text) {
                Ok(e) => self.events.push_back(Event::List {
                    handle,
                    entries: vec![e],
                }),
                Err(e) => self.fatal(e.into()),
            },
            Expect::Uidl { one: true } => match UidListing::parse(&response.text) {
                Ok(e) => self.events.push_back(Event::Uidl {
                    handle,
                    entries: vec![e],
                }),
                Err(e) => self.fatal(e.into()),
            },
            Expect::List { one: false } => self.start_multi(handle, Body::List(Vec::new())),
            Expect::Uidl { one: false } => self.start_multi(handle, Body::Uidl(Vec::new())),
            Expect::UserCapa => self.start_multi(handle, Body::Capa(Capabilities::new(), true)),
            Expect::Message => {
                self.events.push_back(Event::MessageStart { handle });
                self.start_multi(handle, Body::Message);
            }
            Expect::Simple => self.events.push_back(Event::Done { handle, response }),
            Expect::Quit => {
                self.events.push_back(Event::Done { handle, response });
                self.close();
            }
        }
        self.pump();
    }
}

/// Parses the complete lines accumulated in a listing body.
fn listing_lines(m: &mut Multi, limits: &Limits) -> Result<(), ProtocolError> {
    while let Some(i) = memchr::memchr(b'\n', &m.acc) {
        let line = m.acc.split_to(i + 1);
        let Some(line) = line.strip_suffix(b"\r\n") else {
            return Err(ProtocolError::Invalid { what: "listing" });
        };
        let text =
            std::str::from_utf8(line).map_err(|_| ProtocolError::Invalid { what: "listing" })?;
        let count = match &mut m.body {
            Body::Capa(caps, _) => {
                caps.insert(Capability::parse(line)?);
                (caps.len(), limits.max_capabilities)
            }
            Body::List(v) => {
                v.push(ScanListing::parse(text)?);
                (v.len(), limits.max_listing_entries)
            }
            Body::Uidl(v) => {
                v.push(UidListing::parse(text)?);
                (v.len(), limits.max_listing_entries)
            }
            Body::Message => (0, 1),
        };
        if count.0 > count.1 {
            return Err(ProtocolError::LimitExceeded {
                what: "listing entries",
            });
        }
    }
    if m.acc.len() > limits.max_response_line {
        return Err(ProtocolError::LimitExceeded {
            what: "listing line",
        });
    }
    Ok(())
}

fn check_msg(msg: Option<u32>) -> Result<(), MisuseError> {
    if msg == Some(0) {
        Err(MisuseError::InvalidArgument)
    } else {
        Ok(())
    }
}

fn bad_arg(s: &[u8]) -> bool {
    s.iter().any(|&b| b == b'\r' || b == b'\n' || b == 0)
}
