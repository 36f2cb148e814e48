//! The client state machine (RFC 9051 §3, RFC 3501): greeting, capabilities,
//! STARTTLS, authentication, commands in flight, IDLE.
//!
//! [`Client`] owns no socket. Feed it what the server sent
//! ([`Client::feed`]), then drain [`Client::poll_transmit`] (bytes to
//! write) and [`Client::poll_event`] (what happened), in that order, after
//! every `feed` and every call that issues a command.
//!
//! The machine runs the session setup by itself: it reads the greeting
//! (`OK`, `PREAUTH` or `BYE`), learns the capabilities (from the greeting's
//! `[CAPABILITY]` code or with a `CAPABILITY` command), runs STARTTLS as the
//! [`TlsPolicy`] says (re-reading the capabilities afterwards) and reports
//! [`Event::Ready`]. Commands sent earlier are queued until then.
//!
//! Every command gets a [`CommandHandle`]; the machine picks the tags.
//! Several commands are in flight at once (RFC 9051 §5.5), except that a
//! command which changes the session state (LOGIN, AUTHENTICATE, SELECT,
//! EXAMINE, CLOSE, UNSELECT, ENABLE, IDLE, LOGOUT) waits for the commands
//! before it and holds the ones after it, and a command that names
//! messages by sequence number waits while a command that allows EXPUNGE
//! responses (anything but FETCH, STORE, SEARCH, SORT, THREAD without UID)
//! is in flight: `FETCH + STORE + SEARCH + NOOP` go together, in
//! `FETCH + NOOP + STORE` the STORE waits for the NOOP. A synchronizing literal waits for
//! the server's `+` (nothing else is sent meanwhile); with `LITERAL+` every
//! literal is sent at once, with `LITERAL-` (or `IMAP4rev2`) those up to
//! 4096 octets (RFC 7888). A tagged `NO`/`BAD` instead of `+` completes the
//! command and the rest of it is never sent.
//!
//! Untagged data is never dropped: it comes as [`Event::Data`] when a
//! command in flight asked for that kind of data (see [`Event::Data`] for
//! the rule), as [`Event::Unsolicited`] otherwise. Large FETCH body
//! literals (at least [`Limits::stream_threshold`] octets) are not
//! buffered: they come as [`Event::FetchChunk`]s, each a slice of the
//! input as it arrived, so memory stays bounded by
//! [`Limits::max_response_size`] plus the size of one `feed`.
//!
//! ```
//! use mailwire_imap_proto::client::{Client, Config, Event, SessionState, TlsPolicy};
//! use mailwire_imap_proto::response::StatusKind;
//!
//! let mut config = Config::default();
//! config.tls = TlsPolicy::Implicit; // port 993: TLS is already up
//! let mut client = Client::new(config);
//! client.feed(b"* OK [CAPABILITY IMAP4rev1 LITERAL+ AUTH=PLAIN] ready\r\n");
//! assert!(matches!(client.poll_event(), Some(Event::Greeting(_))));
//! assert!(matches!(client.poll_event(), Some(Event::Capabilities(_))));
//! assert!(matches!(client.poll_event(), Some(Event::Ready)));
//!
//! let login = client.login("joe", "pass word").unwrap();
//! assert_eq!(client.poll_transmit().unwrap(), &b"A1 LOGIN joe \"pass word\"\r\n"[..]);
//! client.feed(b"A1 OK [CAPABILITY IMAP4rev1 LITERAL+ IDLE] done\r\n");
//! assert!(matches!(client.poll_event(), Some(Event::Capabilities(_))));
//! match client.poll_event() {
//!     Some(Event::Completed { handle, status }) => {
//!         assert_eq!(handle, login);
//!         assert_eq!(status.kind, StatusKind::Ok);
//!     }
//!     other => panic!("{other:?}"),
//! }
//! assert_eq!(client.state(), SessionState::Authenticated);
//! ```

mod error;
mod reader;

use std::borrow::Cow;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::{BufMut, Bytes, BytesMut};

pub use self::error::{ClientError, MisuseError};
use self::reader::{Budget, Poison, Read, Reader, head_tag};
use crate::capability::Capability;
use crate::code::Code;
use crate::command::{Command, CommandBody, InitialResponse, Secret};
use crate::primitive::{Atom, EncodeOptions, Encoder, IString, LiteralMode, Tag};
use crate::response::{Continue, Data, Response, ResponseOptions, Status, StatusKind};
use mailwire_sasl::client::Client as SaslClient;

/// When to use TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TlsPolicy {
    /// The connection already runs under TLS (port 993).
    Implicit,
    /// Use STARTTLS; fail if the server does not offer it or refuses it.
    Required,
    /// Use STARTTLS when offered, go on in cleartext otherwise.
    Opportunistic,
    /// **Insecure**: never use STARTTLS.
    InsecureNever,
}

/// Limits on what the server sends. Each has a safe default; exceeding one
/// yields a typed [`ClientError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Longest response line (between literals), CRLF included. Default 1 MiB.
    pub max_line_length: usize,
    /// Largest response held in memory: lines plus buffered literals
    /// (streamed literals do not count). Default 32 MiB.
    pub max_response_size: usize,
    /// Largest literal buffered in a response. Default 16 MiB.
    pub max_literal_size: u64,
    /// Most literals in one response (empty ones count too). Default 100 000.
    pub max_literals_per_response: usize,
    /// FETCH body literals (`BODY[...]`, `BINARY[...]`, `RFC822*`) of at
    /// least this size are streamed as [`Event::FetchChunk`]s. Default 64 KiB.
    pub stream_threshold: u64,
    /// Largest streamed literal accepted. Default 4 GiB.
    pub max_streamed_literal: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_length: 1024 * 1024,
            max_response_size: 32 * 1024 * 1024,
            max_literal_size: 16 * 1024 * 1024,
            max_literals_per_response: 100_000,
            stream_threshold: 64 * 1024,
            max_streamed_literal: 4 * 1024 * 1024 * 1024,
        }
    }
}

/// Client configuration.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// TLS policy. Default [`TlsPolicy::Required`].
    pub tls: TlsPolicy,
    /// Send commands while others are in flight. Default on.
    pub pipelining: bool,
    /// Use non-synchronizing literals when the server allows them
    /// (`LITERAL+`, `LITERAL-`, `IMAP4rev2`). Default on; off, every literal
    /// waits for the server's `+`.
    pub non_sync_literals: bool,
    /// Limits on responses.
    pub limits: Limits,
    /// Response parser options. Default [`ResponseOptions::lenient`].
    pub response_options: ResponseOptions,
    /// IDLE ends by itself (`DONE`) this long after it started, so the
    /// application can re-issue it: RFC 2177 §3 asks clients to do so at
    /// least every 29 minutes (servers log out idle clients after 30).
    /// Default 29 minutes. Needs [`Client::handle_timeout`].
    pub idle_refresh: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            tls: TlsPolicy::Required,
            pipelining: true,
            non_sync_literals: true,
            limits: Limits::default(),
            response_options: ResponseOptions::lenient(),
            idle_refresh: Duration::from_secs(29 * 60),
        }
    }
}

/// Names one command; events about it carry the same handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommandHandle(u64);

/// The session state (RFC 9051 §3), as far as completed commands tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionState {
    /// Before LOGIN/AUTHENTICATE.
    NotAuthenticated,
    /// Logged in, no mailbox selected.
    Authenticated,
    /// A mailbox is selected.
    Selected,
    /// LOGOUT was sent or the server said BYE.
    Logout,
}

/// A piece of a large FETCH body literal, streamed instead of buffered.
///
/// The chunks of one literal come in order (`offset` grows from 0 to
/// `total`), before the [`Event::Data`] (or [`Event::Unsolicited`]) of the
/// FETCH response they belong to. In that response the streamed item's
/// data is empty (`Some` of zero bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchChunk {
    /// The FETCH (or STORE...) command in flight the data belongs to.
    pub handle: Option<CommandHandle>,
    /// The message sequence number.
    pub seq: u32,
    /// The item name as the server sent it, e.g. `BODY[]<0>`, `BINARY[1]`.
    pub item: Bytes,
    /// Position of `data` in the literal.
    pub offset: u64,
    /// Size of the whole literal.
    pub total: u64,
    /// The octets.
    pub data: Bytes,
}

impl FetchChunk {
    /// `true` for the last chunk of the literal.
    #[must_use]
    pub fn is_last(&self) -> bool {
        self.offset + self.data.len() as u64 == self.total
    }
}

/// Something the application must know or answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The greeting (`* OK`, `* PREAUTH` or `* BYE`).
    Greeting(Status<'static>),
    /// The server's capabilities changed (greeting code, CAPABILITY data, a
    /// `[CAPABILITY]` code, or cleared by STARTTLS); see [`Client::capabilities`].
    Capabilities(Vec<Capability<'static>>),
    /// Setup is done (greeting, capabilities, STARTTLS per policy): log in
    /// now (unless [`Client::state`] is already authenticated: PREAUTH).
    Ready,
    /// The server accepted STARTTLS: run the TLS handshake on the socket
    /// now, then call [`Client::tls_established`].
    StartTls,
    /// Untagged data for a command in flight: the oldest command that asks
    /// for this kind of data (FETCH and STORE for FETCH data, SEARCH/SORT/THREAD for
    /// their results (ESEARCH by its tag), LIST/LSUB/STATUS/NAMESPACE/ID/
    /// ENABLE/CAPABILITY/GETQUOTA* for theirs, SELECT/EXAMINE for FLAGS,
    /// EXISTS, RECENT, VANISHED; EXPUNGE/MOVE for EXPUNGE and VANISHED).
    Data {
        /// The command.
        handle: CommandHandle,
        /// The data.
        data: Data<'static>,
    },
    /// Untagged data no command in flight asked for (e.g. EXISTS during IDLE).
    Unsolicited(Data<'static>),
    /// An untagged `OK`/`NO`/`BAD` (e.g. `* OK [UIDVALIDITY 3]` during
    /// SELECT, `* NO` warnings, `[ALERT]`s).
    Status {
        /// The SELECT/EXAMINE in flight, if any.
        handle: Option<CommandHandle>,
        /// The response.
        status: Status<'static>,
    },
    /// A piece of a large FETCH body literal.
    FetchChunk(FetchChunk),
    /// A continuation request for IDLE (the server is idling now: call
    /// [`Client::idle_done`] to stop) or for an AUTHENTICATE challenge not
    /// driven by a SASL client (answer [`Client::auth_respond`] or
    /// [`Client::auth_cancel`]).
    Continuation {
        /// The IDLE or AUTHENTICATE command.
        handle: CommandHandle,
        /// The request (a SASL challenge is [`Continue::Base64`], decoded).
        request: Continue<'static>,
    },
    /// A command completed with a tagged `OK`, `NO` or `BAD`.
    Completed {
        /// The command.
        handle: CommandHandle,
        /// The tagged response.
        status: Status<'static>,
    },
    /// `* BYE`: the server is closing the connection.
    Bye(Status<'static>),
    /// A problem with the server's output; [`Event::Closed`] follows a fatal one.
    Error(ClientError),
    /// The session is over; close the connection.
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Greeting,
    Setup,
    Upgrading,
    Ready,
    Closed,
}

/// Which untagged data a command asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Nothing,
    Capability,
    Enable,
    List,
    ListStatus,
    Lsub,
    Status,
    Namespace,
    Search,
    Sort,
    Thread,
    Fetch,
    Select,
    Expunge,
    Id,
    Quota,
}

#[derive(Debug)]
enum Kind {
    Internal,
    StartTls,
    Login,
    Auth {
        ir: Option<Secret<Vec<u8>>>,
        /// The initial response waits for the first `+` (no SASL-IR).
        deferred: bool,
        sasl: Option<Box<SaslClient>>,
    },
    Select,
    Close,
    Logout,
    Idle {
        idling: bool,
        done: bool,
    },
    Enable,
    Other,
}

impl Kind {
    fn barrier(&self) -> bool {
        !matches!(self, Kind::Other)
    }
}

#[derive(Debug)]
struct Queued {
    handle: CommandHandle,
    body: CommandBody<'static>,
    kind: Kind,
    route: Route,
}

/// RFC 9051 §5.5: what a command means for pipelining.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seq {
    /// It names messages by sequence number.
    uses_msn: bool,
    /// The server may send EXPUNGE while it runs (anything but FETCH,
    /// STORE, SEARCH, SORT and THREAD without UID).
    allows_expunge: bool,
}

fn seq_of(body: &CommandBody<'_>) -> Seq {
    use CommandBody as C;
    let uses_msn = match body {
        C::Fetch { uid, .. } | C::Store { uid, .. } | C::Copy { uid, .. } | C::Move { uid, .. } => {
            !*uid
        }
        C::Search { uid, keys, .. } | C::Sort { uid, keys, .. } | C::Thread { uid, keys, .. } => {
            !*uid || keys.iter().any(key_uses_msn)
        }
        _ => false,
    };
    let allows_expunge = !matches!(
        body,
        C::Fetch { uid: false, .. }
            | C::Store { uid: false, .. }
            | C::Search { uid: false, .. }
            | C::Sort { uid: false, .. }
            | C::Thread { uid: false, .. }
    );
    Seq {
        uses_msn,
        allows_expunge,
    }
}

/// A search key naming messages by sequence number (a UID SEARCH with one
/// must wait like a command with sequence numbers, RFC 9051 §5.5).
fn key_uses_msn(k: &crate::search::SearchKey<'_>) -> bool {
    use crate::search::SearchKey as K;
    match k {
        K::SequenceSet(_) => true,
        K::Not(k) => key_uses_msn(k),
        K::Or(a, b) => key_uses_msn(a) || key_uses_msn(b),
        K::And(v) => v.iter().any(key_uses_msn),
        _ => false,
    }
}

/// `Debug` shows how many fragments wait, not their bytes (a LOGIN
/// password can be in a literal).
struct InFlight {
    handle: CommandHandle,
    tag: String,
    kind: Kind,
    route: Route,
    seq: Seq,
    /// Fragments waiting for a `+` each.
    rest: VecDeque<Bytes>,
}

impl std::fmt::Debug for InFlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InFlight")
            .field("handle", &self.handle)
            .field("tag", &self.tag)
            .field("kind", &self.kind)
            .field("route", &self.route)
            .field("seq", &self.seq)
            .field("waiting_fragments", &self.rest.len())
            .finish()
    }
}

impl InFlight {
    /// Waits for a continuation request, or holds the line (IDLE, AUTHENTICATE).
    fn holds_line(&self) -> bool {
        !self.rest.is_empty() || matches!(self.kind, Kind::Auth { .. } | Kind::Idle { .. })
    }
}

/// The IMAP client state machine for one connection. See the [module
/// documentation](self).
///
/// `Debug` leaves out the bytes waiting in the output buffer (they can
/// hold a password).
pub struct Client {
    config: Config,
    reader: Reader,
    out: BytesMut,
    events: VecDeque<Event>,
    phase: Phase,
    state: SessionState,
    tls: bool,
    caps: Vec<Capability<'static>>,
    caps_known: bool,
    enabled: Vec<Capability<'static>>,
    queue: VecDeque<Queued>,
    in_flight: VecDeque<InFlight>,
    next_handle: u64,
    next_tag: u64,
    /// LOGOUT was queued or BYE received: no more commands.
    closing: bool,
    /// The last instant given to [`Client::handle_timeout`].
    now: Option<Instant>,
    /// When the running IDLE ends by itself.
    idle_deadline: Option<Instant>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("phase", &self.phase)
            .field("state", &self.state)
            .field("tls", &self.tls)
            .field("caps", &self.caps)
            .field("enabled", &self.enabled)
            .field("in_flight", &self.in_flight)
            .field("queued", &self.queue.len())
            .field("output_pending", &self.out.len())
            .field("events_pending", &self.events.len())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A machine for a new connection, waiting for the greeting.
    #[must_use]
    pub fn new(config: Config) -> Self {
        let l = config.limits;
        let reader = Reader::new(Budget {
            max_line: l.max_line_length,
            max_response: l.max_response_size,
            max_literal: l.max_literal_size,
            max_literals: l.max_literals_per_response,
            stream_threshold: l.stream_threshold.max(1),
            max_streamed_literal: l.max_streamed_literal,
        });
        let tls = config.tls == TlsPolicy::Implicit;
        Client {
            config,
            reader,
            out: BytesMut::with_capacity(256),
            events: VecDeque::new(),
            phase: Phase::Greeting,
            state: SessionState::NotAuthenticated,
            tls,
            caps: Vec::new(),
            caps_known: false,
            enabled: Vec::new(),
            queue: VecDeque::new(),
            in_flight: VecDeque::new(),
            next_handle: 0,
            next_tag: 0,
            closing: false,
            now: None,
            idle_deadline: None,
        }
    }

    /// Feeds bytes received from the server.
    pub fn feed(&mut self, input: &[u8]) {
        match self.phase {
            Phase::Closed => return,
            Phase::Upgrading => {
                if !input.is_empty() {
                    self.fatal(ClientError::DataAfterStartTls);
                }
                return;
            }
            _ => {}
        }
        self.reader.push(input);
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

    /// When [`Client::handle_timeout`] must be called next (the IDLE
    /// refresh), if ever.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.idle_deadline
    }

    /// Tells the machine the time. Call it after every [`Client::feed`]
    /// and when [`Client::poll_timeout`] passes: a running IDLE is ended
    /// with `DONE` once [`Config::idle_refresh`] has passed since the
    /// server's `+` (as far as the calls tell).
    pub fn handle_timeout(&mut self, now: Instant) {
        self.now = Some(now);
        if self.idle_deadline.is_some_and(|d| d <= now) {
            self.idle_deadline = None;
            let _ = self.idle_done();
        }
    }

    /// `true` between the OK to STARTTLS and [`Client::tls_established`].
    #[must_use]
    pub fn wants_tls_upgrade(&self) -> bool {
        self.phase == Phase::Upgrading
    }

    /// The TLS handshake completed: the capabilities are forgotten and asked
    /// again (RFC 9051 §6.2.1).
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no upgrade was requested.
    pub fn tls_established(&mut self) -> Result<(), MisuseError> {
        if self.phase != Phase::Upgrading {
            return Err(MisuseError::NotPending);
        }
        self.phase = Phase::Setup;
        self.tls = true;
        self.caps.clear();
        self.caps_known = false;
        self.events.push_back(Event::Capabilities(Vec::new()));
        self.send_internal(CommandBody::Capability, Kind::Internal, Route::Capability);
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

    /// The session state.
    #[must_use]
    pub fn state(&self) -> SessionState {
        self.state
    }

    /// The server's current capabilities (empty until known).
    #[must_use]
    pub fn capabilities(&self) -> &[Capability<'static>] {
        &self.caps
    }

    /// Whether the server announced `cap`.
    #[must_use]
    pub fn has_capability(&self, cap: &Capability<'_>) -> bool {
        self.caps.iter().any(|c| c == cap)
    }

    /// Capabilities the server confirmed with `* ENABLED` (RFC 5161).
    #[must_use]
    pub fn enabled(&self) -> &[Capability<'static>] {
        &self.enabled
    }

    /// Commands sent and not completed yet.
    #[must_use]
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    // ---- commands ------------------------------------------------------

    /// Sends (or queues) a command; the machine picks its tag.
    ///
    /// LOGIN, AUTHENTICATE and IDLE sent this way behave as
    /// [`Client::login`], [`Client::authenticate`] and [`Client::idle`].
    ///
    /// # Errors
    /// [`MisuseError::Closed`] after LOGOUT or BYE;
    /// [`MisuseError::WrongState`] when the command is not valid in the state
    /// the session will be in (assuming the commands before it succeed);
    /// [`MisuseError::Unsupported`] for STARTTLS (see [`TlsPolicy`]) and
    /// COMPRESS; [`MisuseError::LoginDisabled`] for LOGIN under `LOGINDISABLED`.
    /// A LOGIN queued before the capabilities are known is never sent if
    /// the server then advertises `LOGINDISABLED` (RFC 9051 §6.2.3): it
    /// completes with an untagged `NO` made by the machine.
    pub fn send(&mut self, body: CommandBody<'_>) -> Result<CommandHandle, MisuseError> {
        let body = body.into_owned();
        let (kind, route) = match &body {
            CommandBody::StartTls => return Err(MisuseError::Unsupported("STARTTLS")),
            CommandBody::Compress(_) => return Err(MisuseError::Unsupported("COMPRESS")),
            CommandBody::Login { .. } => {
                if self.has_capability(&Capability::LoginDisabled) {
                    return Err(MisuseError::LoginDisabled);
                }
                (Kind::Login, Route::Nothing)
            }
            CommandBody::Authenticate {
                initial_response, ..
            } => {
                let ir = initial_response.as_ref().map(|r| match r {
                    InitialResponse::Empty => Secret::new(Vec::new()),
                    InitialResponse::Data(d) => Secret::new(d.expose().to_vec()),
                });
                (
                    Kind::Auth {
                        ir,
                        deferred: false,
                        sasl: None,
                    },
                    Route::Nothing,
                )
            }
            CommandBody::Idle => (
                Kind::Idle {
                    idling: false,
                    done: false,
                },
                Route::Nothing,
            ),
            CommandBody::Select { .. } | CommandBody::Examine { .. } => {
                (Kind::Select, Route::Select)
            }
            CommandBody::Close | CommandBody::Unselect => (Kind::Close, Route::Nothing),
            CommandBody::Logout => (Kind::Logout, Route::Nothing),
            CommandBody::Enable(_) => (Kind::Enable, Route::Enable),
            other => (Kind::Other, route_of(other)),
        };
        self.enqueue(body, kind, route)
    }

    /// `LOGIN user password` (RFC 9051 §6.2.3). Prefer AUTHENTICATE.
    ///
    /// # Errors
    /// As [`Client::send`]; [`MisuseError::InvalidArgument`] for a NUL.
    pub fn login(&mut self, user: &str, password: &str) -> Result<CommandHandle, MisuseError> {
        let username = IString::new(user.as_bytes().to_vec())?;
        let password = Secret::new(IString::new(password.as_bytes().to_vec())?);
        self.send(CommandBody::Login { username, password })
    }

    /// `AUTHENTICATE mechanism` with an optional initial response, sent on
    /// the command line when the server has `SASL-IR` (RFC 4959), after its
    /// first (empty) challenge otherwise. Further challenges come as
    /// [`Event::Continuation`].
    ///
    /// # Errors
    /// As [`Client::send`]; [`MisuseError::InvalidArgument`] for a bad name.
    pub fn authenticate(
        &mut self,
        mechanism: &str,
        initial_response: Option<&[u8]>,
    ) -> Result<CommandHandle, MisuseError> {
        let mechanism = Atom::new(Cow::Owned(mechanism.to_owned()))?;
        let kind = Kind::Auth {
            ir: initial_response.map(|r| Secret::new(r.to_vec())),
            deferred: false,
            sasl: None,
        };
        self.auth_enqueue(mechanism, kind)
    }

    /// AUTHENTICATE driven by a [`mailwire_sasl::client::Client`] (PLAIN,
    /// LOGIN, XOAUTH2, OAUTHBEARER, SCRAM, ...): the machine answers the
    /// challenges itself (cancelling with `*` when the SASL client fails)
    /// and, on OK, checks the exchange completed; a server that claims
    /// success without proving it is a fatal [`ClientError::ServerNotVerified`].
    ///
    /// # Errors
    /// As [`Client::send`].
    pub fn authenticate_sasl(
        &mut self,
        mut sasl: SaslClient,
    ) -> Result<CommandHandle, MisuseError> {
        let mechanism = Atom::new(Cow::Owned(sasl.mechanism().as_str().to_owned()))?;
        let ir = sasl.initial_response().map(Secret::new);
        let kind = Kind::Auth {
            ir,
            deferred: false,
            sasl: Some(Box::new(sasl)),
        };
        self.auth_enqueue(mechanism, kind)
    }

    fn auth_enqueue(
        &mut self,
        mechanism: Atom<'static>,
        kind: Kind,
    ) -> Result<CommandHandle, MisuseError> {
        let body = CommandBody::Authenticate {
            mechanism,
            initial_response: None,
        };
        self.enqueue(body, kind, Route::Nothing)
    }

    /// Answers the AUTHENTICATE challenge of the last [`Event::Continuation`].
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no AUTHENTICATE is in flight.
    pub fn auth_respond(&mut self, response: &[u8]) -> Result<(), MisuseError> {
        self.manual_auth()?;
        let line = base64::engine::general_purpose::STANDARD.encode(response);
        self.out.put_slice(line.as_bytes());
        self.out.put_slice(b"\r\n");
        Ok(())
    }

    /// Cancels the AUTHENTICATE exchange (`*`); the server answers BAD.
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no AUTHENTICATE is in flight.
    pub fn auth_cancel(&mut self) -> Result<(), MisuseError> {
        self.manual_auth()?;
        self.out.put_slice(b"*\r\n");
        Ok(())
    }

    fn manual_auth(&self) -> Result<(), MisuseError> {
        if self
            .in_flight
            .iter()
            .any(|f| matches!(f.kind, Kind::Auth { sasl: None, .. }))
        {
            Ok(())
        } else {
            Err(MisuseError::NotPending)
        }
    }

    /// `IDLE` (RFC 2177). [`Event::Continuation`] says the server idles;
    /// untagged data meanwhile comes as [`Event::Unsolicited`]. End it with
    /// [`Client::idle_done`] (RFC 2177 asks to re-issue IDLE at least every
    /// 29 minutes).
    ///
    /// # Errors
    /// As [`Client::send`].
    pub fn idle(&mut self) -> Result<CommandHandle, MisuseError> {
        self.send(CommandBody::Idle)
    }

    /// Ends IDLE with `DONE` (at once, or as soon as the server's `+`
    /// arrives); [`Event::Completed`] follows.
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no IDLE is queued or in flight.
    pub fn idle_done(&mut self) -> Result<(), MisuseError> {
        let kind = self
            .in_flight
            .iter_mut()
            .map(|f| &mut f.kind)
            .chain(self.queue.iter_mut().map(|q| &mut q.kind))
            .find(|k| matches!(k, Kind::Idle { done: false, .. }));
        let Some(Kind::Idle { idling, done }) = kind else {
            return Err(MisuseError::NotPending);
        };
        *done = true;
        if *idling {
            self.out.put_slice(b"DONE\r\n");
        }
        self.idle_deadline = None;
        Ok(())
    }

    /// `LOGOUT`; no command can follow ([`MisuseError::Closed`]).
    ///
    /// # Errors
    /// [`MisuseError::Closed`].
    pub fn logout(&mut self) -> Result<CommandHandle, MisuseError> {
        self.send(CommandBody::Logout)
    }

    // ---- internals -----------------------------------------------------

    fn handle(&mut self) -> CommandHandle {
        self.next_handle += 1;
        CommandHandle(self.next_handle)
    }

    /// The state once the commands queued and in flight succeed.
    fn projected_state(&self) -> SessionState {
        let kinds = self
            .in_flight
            .iter()
            .map(|f| &f.kind)
            .chain(self.queue.iter().map(|q| &q.kind));
        kinds.fold(self.state, |s, k| match k {
            Kind::Login | Kind::Auth { .. } => SessionState::Authenticated,
            Kind::Select => SessionState::Selected,
            Kind::Close => SessionState::Authenticated,
            Kind::Logout => SessionState::Logout,
            _ => s,
        })
    }

    fn enqueue(
        &mut self,
        body: CommandBody<'static>,
        kind: Kind,
        route: Route,
    ) -> Result<CommandHandle, MisuseError> {
        if self.phase == Phase::Closed || self.closing {
            return Err(MisuseError::Closed);
        }
        let state = self.projected_state();
        let valid = body.valid_in();
        let ok = match state {
            SessionState::NotAuthenticated => valid.not_authenticated,
            SessionState::Authenticated => valid.authenticated,
            SessionState::Selected => valid.selected,
            SessionState::Logout => false,
        };
        if !ok {
            return Err(MisuseError::WrongState {
                command: body.name(),
                state,
            });
        }
        if matches!(kind, Kind::Logout) {
            self.closing = true;
        }
        let handle = self.handle();
        self.queue.push_back(Queued {
            handle,
            body,
            kind,
            route,
        });
        self.pump();
        Ok(handle)
    }

    fn encode_options(&self) -> EncodeOptions {
        let literal = if !self.config.non_sync_literals {
            LiteralMode::Sync
        } else if self.has_capability(&Capability::LiteralPlus) {
            LiteralMode::NonSync
        } else if self.has_capability(&Capability::LiteralMinus)
            || self.has_capability(&Capability::Imap4Rev2)
        {
            LiteralMode::NonSyncUpTo4096
        } else {
            LiteralMode::Sync
        };
        let utf8_quoted = self
            .enabled
            .iter()
            .any(|c| matches!(c, Capability::Utf8Accept | Capability::Imap4Rev2));
        EncodeOptions {
            literal,
            utf8_quoted,
        }
    }

    /// Encodes and writes the first fragment; returns the in-flight entry.
    fn transmit(
        &mut self,
        handle: CommandHandle,
        mut body: CommandBody<'static>,
        mut kind: Kind,
        route: Route,
    ) {
        self.next_tag += 1;
        let tag = format!("A{}", self.next_tag);
        if let Kind::Auth { ir, deferred, .. } = &mut kind
            && let CommandBody::Authenticate {
                initial_response, ..
            } = &mut body
        {
            // SASL-IR is part of IMAP4rev2 (RFC 9051 §6.2.2).
            if self.has_capability(&Capability::SaslIr)
                || self.has_capability(&Capability::Imap4Rev2)
            {
                *initial_response = ir.take().map(|r| {
                    let r = r.into_inner();
                    if r.is_empty() {
                        InitialResponse::Empty
                    } else {
                        InitialResponse::Data(Secret::new(Cow::Owned(r)))
                    }
                });
            } else {
                *deferred = ir.is_some();
            }
        }
        let seq = seq_of(&body);
        let mut enc = Encoder::new(self.encode_options());
        Command::new(Tag::unchecked(Cow::Owned(tag.clone())), body).encode(&mut enc);
        let points = enc.sync_points().to_vec();
        let all = Bytes::from(enc.into_bytes());
        let mut rest = VecDeque::new();
        let mut start = 0;
        for p in points {
            rest.push_back(all.slice(start..p));
            start = p;
        }
        rest.push_back(all.slice(start..));
        if let Some(first) = rest.pop_front() {
            self.out.put_slice(&first);
        }
        self.in_flight.push_back(InFlight {
            handle,
            tag,
            kind,
            route,
            seq,
            rest,
        });
    }

    fn send_internal(&mut self, body: CommandBody<'static>, kind: Kind, route: Route) {
        let handle = self.handle();
        self.transmit(handle, body, kind, route);
    }

    /// Moves queued commands to the wire as far as the rules allow.
    fn pump(&mut self) {
        if self.phase != Phase::Ready {
            return;
        }
        while let Some(front) = self.queue.front() {
            let busy = !self.in_flight.is_empty();
            // RFC 9051 §5.5: sequence numbers wait until no command that
            // may bring EXPUNGE is in flight.
            let msn_hazard =
                seq_of(&front.body).uses_msn && self.in_flight.iter().any(|f| f.seq.allows_expunge);
            if self
                .in_flight
                .iter()
                .any(|f| f.holds_line() || f.kind.barrier())
                || (busy && (front.kind.barrier() || !self.config.pipelining))
                || msn_hazard
            {
                break;
            }
            let Some(q) = self.queue.pop_front() else {
                break;
            };
            if matches!(q.kind, Kind::Login) && self.has_capability(&Capability::LoginDisabled) {
                // Queued before the capabilities were known: RFC 9051
                // §6.2.3, the password must not go out.
                self.events.push_back(Event::Completed {
                    handle: q.handle,
                    status: Status {
                        tag: None,
                        kind: StatusKind::No,
                        code: None,
                        text: Cow::Borrowed(b"LOGIN not sent: the server advertises LOGINDISABLED"),
                    },
                });
                continue;
            }
            self.transmit(q.handle, q.body, q.kind, q.route);
        }
    }

    fn fatal(&mut self, e: ClientError) {
        if self.phase != Phase::Closed {
            self.events.push_back(Event::Error(e));
            self.close();
        }
    }

    fn close(&mut self) {
        if self.phase != Phase::Closed {
            self.phase = Phase::Closed;
            self.state = SessionState::Logout;
            self.reader.clear();
            self.queue.clear();
            self.in_flight.clear();
            self.events.push_back(Event::Closed);
        }
    }

    fn process(&mut self) {
        while matches!(self.phase, Phase::Greeting | Phase::Setup | Phase::Ready) {
            let Some(read) = self.reader.next() else {
                break;
            };
            match read {
                Read::Unit(unit) => self.unit(&unit),
                Read::Chunk {
                    seq,
                    item,
                    offset,
                    total,
                    data,
                } => {
                    let handle = self.route_fetch();
                    self.events.push_back(Event::FetchChunk(FetchChunk {
                        handle,
                        seq,
                        item,
                        offset,
                        total,
                        data,
                    }));
                }
                Read::Poisoned { why, head } => {
                    self.poisoned(why, &head);
                    self.pump();
                }
            }
        }
    }

    fn limit_error(&self, why: Poison) -> ClientError {
        let l = &self.config.limits;
        match why {
            Poison::LineTooLong => ClientError::LineTooLong {
                limit: l.max_line_length,
            },
            Poison::ResponseTooLarge => ClientError::ResponseTooLarge {
                limit: l.max_response_size,
            },
            Poison::LiteralTooLarge(length) => ClientError::LiteralTooLarge {
                length,
                limit: l.max_literal_size,
            },
            Poison::StreamedTooLarge(length) => ClientError::LiteralTooLarge {
                length,
                limit: l.max_streamed_literal,
            },
            Poison::TooManyLiterals => ClientError::TooManyLiterals,
        }
    }

    /// A response broke a limit and was skipped. A tagged one still
    /// completes its command, with the status its head shows and no text.
    fn poisoned(&mut self, why: Poison, head: &[u8]) {
        let err = self.limit_error(why);
        if self.phase == Phase::Greeting {
            self.fatal(err);
            return;
        }
        self.events.push_back(Event::Error(err));
        if head.starts_with(b"+") {
            self.continuation(Continue::Text {
                code: None,
                text: Cow::Borrowed(b""),
            });
            return;
        }
        if head.starts_with(b"* ") {
            return;
        }
        match salvage_status(head) {
            Some(status) => self.tagged(status),
            None => {
                if let Some(tag) = head_tag(head) {
                    self.events.push_back(Event::Error(ClientError::UnknownTag {
                        tag: Bytes::copy_from_slice(tag),
                    }));
                }
            }
        }
    }

    /// A unit that does not parse: untagged data is reported and skipped, a
    /// tagged completion still completes, anything else ends the session.
    fn malformed(&mut self, error: crate::error::ParseError, raw: &Bytes) {
        if self.phase == Phase::Greeting {
            self.fatal(ClientError::BadGreeting);
            return;
        }
        let raw = raw.clone();
        if raw.starts_with(b"* ") {
            self.events
                .push_back(Event::Error(ClientError::Malformed { error, raw }));
        } else if raw.starts_with(b"+") {
            self.events
                .push_back(Event::Error(ClientError::Malformed { error, raw }));
            self.continuation(Continue::Text {
                code: None,
                text: Cow::Borrowed(b""),
            });
        } else if let Some(status) = salvage_status(&raw) {
            self.events
                .push_back(Event::Error(ClientError::Malformed { error, raw }));
            self.tagged(status);
        } else {
            self.fatal(ClientError::Unrecoverable { error, raw });
        }
    }

    fn unit(&mut self, unit: &Bytes) {
        let parsed = Response::parse_with(unit, &self.config.response_options);
        let resp = match parsed {
            Ok((r, _)) => r.into_owned(),
            Err(error) => {
                self.malformed(error, unit);
                self.pump();
                return;
            }
        };
        if self.phase == Phase::Greeting {
            self.greeting(resp);
            return;
        }
        match resp {
            Response::Status(s) if s.tag.is_some() => self.tagged(s),
            Response::Status(s) => self.untagged_status(s),
            Response::Data(d) => self.data(d),
            Response::Continue(c) => self.continuation(c),
        }
        self.pump();
    }

    fn greeting(&mut self, resp: Response<'static>) {
        let Response::Status(s) = resp else {
            self.fatal(ClientError::BadGreeting);
            return;
        };
        if s.tag.is_some()
            || !matches!(
                s.kind,
                StatusKind::Ok | StatusKind::PreAuth | StatusKind::Bye
            )
        {
            self.fatal(ClientError::BadGreeting);
            return;
        }
        let kind = s.kind;
        let code = s.code.clone();
        self.events.push_back(Event::Greeting(s.clone()));
        match kind {
            StatusKind::Bye => {
                self.events.push_back(Event::Bye(s));
                self.close();
                return;
            }
            StatusKind::PreAuth => {
                if !self.tls && self.config.tls == TlsPolicy::Required {
                    self.fatal(ClientError::PreAuthWithoutTls);
                    return;
                }
                self.state = SessionState::Authenticated;
            }
            _ => {}
        }
        self.phase = Phase::Setup;
        if let Some(Code::Capability(caps)) = code {
            self.set_caps(caps);
            self.after_caps();
        } else {
            self.send_internal(CommandBody::Capability, Kind::Internal, Route::Capability);
        }
    }

    fn set_caps(&mut self, caps: Vec<Capability<'static>>) {
        self.caps = caps.clone();
        self.caps_known = true;
        self.events.push_back(Event::Capabilities(caps));
    }

    /// Setup: the capabilities are known; STARTTLS per policy, or ready.
    fn after_caps(&mut self) {
        if self.phase != Phase::Setup {
            return;
        }
        if !self.tls && self.state == SessionState::NotAuthenticated {
            let offered = self.has_capability(&Capability::StartTls);
            match self.config.tls {
                TlsPolicy::Required | TlsPolicy::Opportunistic if offered => {
                    self.send_internal(CommandBody::StartTls, Kind::StartTls, Route::Nothing);
                    return;
                }
                TlsPolicy::Required => {
                    self.fatal(ClientError::TlsUnavailable);
                    return;
                }
                _ => {}
            }
        }
        self.ready();
    }

    fn ready(&mut self) {
        self.phase = Phase::Ready;
        self.events.push_back(Event::Ready);
        self.pump();
    }

    fn tagged(&mut self, status: Status<'static>) {
        let tag = status
            .tag
            .as_ref()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default();
        let Some(pos) = self.in_flight.iter().position(|f| f.tag == tag) else {
            self.events.push_back(Event::Error(ClientError::UnknownTag {
                tag: Bytes::from(tag.into_bytes()),
            }));
            return;
        };
        let Some(f) = self.in_flight.remove(pos) else {
            return;
        };
        let ok = status.kind == StatusKind::Ok;
        if let Some(Code::Capability(caps)) = &status.code {
            self.set_caps(caps.clone());
        }
        let handle = f.handle;
        match f.kind {
            Kind::Internal => {
                self.caps_known = true;
                self.after_caps();
                return;
            }
            Kind::StartTls => {
                if ok {
                    self.phase = Phase::Upgrading;
                    self.events.push_back(Event::StartTls);
                    // Bytes after the OK (now, or before the handshake is
                    // done) are an injection: the same verdict either way.
                    if self.reader.buffered() > 0 {
                        self.fatal(ClientError::DataAfterStartTls);
                    }
                } else if self.config.tls == TlsPolicy::Required {
                    self.fatal(ClientError::TlsRejected(status));
                } else {
                    self.ready();
                }
                return;
            }
            Kind::Auth {
                sasl: Some(mut sasl),
                ..
            } if ok => {
                if sasl.finish(None).is_err() {
                    self.fatal(ClientError::ServerNotVerified);
                    return;
                }
                self.authenticated(&status);
            }
            Kind::Login | Kind::Auth { .. } if ok => self.authenticated(&status),
            Kind::Select => {
                self.state = if ok {
                    SessionState::Selected
                } else {
                    SessionState::Authenticated
                };
            }
            Kind::Close if ok => self.state = SessionState::Authenticated,
            Kind::Idle { .. } => self.idle_deadline = None,
            Kind::Logout => {
                self.events.push_back(Event::Completed { handle, status });
                self.close();
                return;
            }
            _ => {}
        }
        self.events.push_back(Event::Completed { handle, status });
    }

    fn authenticated(&mut self, status: &Status<'_>) {
        self.state = SessionState::Authenticated;
        if !matches!(status.code, Some(Code::Capability(_))) {
            // Capabilities may change after login (RFC 9051 §6.2.2): ask
            // before anything queued is encoded.
            let handle = self.handle();
            self.queue.push_front(Queued {
                handle,
                body: CommandBody::Capability,
                kind: Kind::Internal,
                route: Route::Capability,
            });
        }
    }

    fn untagged_status(&mut self, s: Status<'static>) {
        if let Some(Code::Capability(caps)) = &s.code {
            self.set_caps(caps.clone());
        }
        match s.kind {
            StatusKind::Bye => {
                self.state = SessionState::Logout;
                self.closing = true;
                self.events.push_back(Event::Bye(s));
                if !self
                    .in_flight
                    .iter()
                    .any(|f| matches!(f.kind, Kind::Logout))
                {
                    self.close();
                }
            }
            _ => {
                let handle = self
                    .in_flight
                    .iter()
                    .find(|f| f.route == Route::Select)
                    .map(|f| f.handle);
                self.events.push_back(Event::Status { handle, status: s });
            }
        }
    }

    fn data(&mut self, d: Data<'static>) {
        match &d {
            Data::Capability(caps) => {
                let caps = caps.clone();
                self.set_caps(caps);
            }
            Data::Enabled(caps) => {
                for c in caps {
                    if !self.enabled.contains(c) {
                        self.enabled.push(c.clone());
                    }
                }
            }
            _ => {}
        }
        let target = match &d {
            Data::Esearch(e) => {
                let tag = e.tag.as_ref().map(|t| t.as_bytes().to_vec());
                self.in_flight
                    .iter()
                    .find(|f| tag.as_deref() == Some(f.tag.as_bytes()))
                    .or_else(|| self.in_flight.iter().find(|f| wants(f.route, &d)))
            }
            _ => self.in_flight.iter().find(|f| wants(f.route, &d)),
        };
        match target {
            Some(f) if matches!(f.kind, Kind::Internal) => {}
            Some(f) => {
                let handle = f.handle;
                self.events.push_back(Event::Data { handle, data: d });
            }
            None => self.events.push_back(Event::Unsolicited(d)),
        }
    }

    fn route_fetch(&self) -> Option<CommandHandle> {
        self.in_flight
            .iter()
            .find(|f| f.route == Route::Fetch)
            .map(|f| f.handle)
    }

    fn continuation(&mut self, c: Continue<'static>) {
        let Some(f) = self.in_flight.iter_mut().find(|f| f.holds_line()) else {
            self.events
                .push_back(Event::Error(ClientError::UnexpectedContinuation));
            return;
        };
        if let Some(next) = f.rest.pop_front() {
            self.out.put_slice(&next);
            return;
        }
        let handle = f.handle;
        match &mut f.kind {
            Kind::Idle { idling, done } => {
                if *idling {
                    return;
                }
                *idling = true;
                if *done {
                    self.out.put_slice(b"DONE\r\n");
                } else {
                    self.idle_deadline = self.now.map(|n| n + self.config.idle_refresh);
                }
                self.events
                    .push_back(Event::Continuation { handle, request: c });
            }
            Kind::Auth {
                ir, deferred, sasl, ..
            } => {
                if *deferred {
                    *deferred = false;
                    let r = ir.take().map(Secret::into_inner).unwrap_or_default();
                    let line = base64::engine::general_purpose::STANDARD.encode(r);
                    self.out.put_slice(line.as_bytes());
                    self.out.put_slice(b"\r\n");
                    return;
                }
                let challenge = match &c {
                    Continue::Base64(d) => Some(d.to_vec()),
                    Continue::Text { text, .. } if text.is_empty() => Some(Vec::new()),
                    Continue::Text { .. } => None,
                };
                if let Some(sasl) = sasl {
                    // RFC 9051 §6.2.2: a challenge that is not base64 is
                    // answered with `*`.
                    match challenge.map(|ch| sasl.step(&ch)) {
                        Some(Ok(r)) => {
                            let line = base64::engine::general_purpose::STANDARD.encode(r);
                            self.out.put_slice(line.as_bytes());
                            self.out.put_slice(b"\r\n");
                        }
                        _ => self.out.put_slice(b"*\r\n"),
                    }
                } else {
                    let request = match challenge {
                        Some(ch) => Continue::Base64(Cow::Owned(ch)),
                        None => c,
                    };
                    self.events
                        .push_back(Event::Continuation { handle, request });
                }
            }
            _ => self
                .events
                .push_back(Event::Error(ClientError::UnexpectedContinuation)),
        }
    }
}

/// The untagged data a command asks for.
fn route_of(body: &CommandBody<'_>) -> Route {
    use crate::command::ListReturnOption;
    use CommandBody as C;
    match body {
        C::Capability => Route::Capability,
        C::List { return_opts, .. } => {
            if return_opts
                .as_ref()
                .is_some_and(|o| o.iter().any(|x| matches!(x, ListReturnOption::Status(_))))
            {
                Route::ListStatus
            } else {
                Route::List
            }
        }
        C::Lsub { .. } => Route::Lsub,
        C::Status { .. } => Route::Status,
        C::Namespace => Route::Namespace,
        C::Search { .. } => Route::Search,
        C::Sort { .. } => Route::Sort,
        C::Thread { .. } => Route::Thread,
        C::Fetch { .. } | C::Store { .. } => Route::Fetch,
        C::Expunge | C::UidExpunge(_) | C::Move { .. } => Route::Expunge,
        C::Id(_) => Route::Id,
        C::GetQuota(_) | C::GetQuotaRoot(_) | C::SetQuota { .. } => Route::Quota,
        _ => Route::Nothing,
    }
}

fn wants(route: Route, d: &Data<'_>) -> bool {
    match route {
        Route::Nothing => false,
        Route::Capability => matches!(d, Data::Capability(_)),
        Route::Enable => matches!(d, Data::Enabled(_)),
        Route::List => matches!(d, Data::List(_)),
        Route::ListStatus => matches!(d, Data::List(_) | Data::Status { .. }),
        Route::Lsub => matches!(d, Data::Lsub(_)),
        Route::Status => matches!(d, Data::Status { .. }),
        Route::Namespace => matches!(d, Data::Namespace { .. }),
        Route::Search => matches!(d, Data::Search { .. } | Data::Esearch(_)),
        Route::Sort => matches!(d, Data::Sort { .. } | Data::Esearch(_)),
        Route::Thread => matches!(d, Data::Thread(_)),
        Route::Fetch => matches!(d, Data::Fetch { .. } | Data::Vanished { .. }),
        Route::Select => matches!(
            d,
            Data::Flags(_)
                | Data::Exists(_)
                | Data::Recent(_)
                | Data::Vanished { .. }
                | Data::Fetch { .. }
        ),
        Route::Expunge => matches!(d, Data::Expunge(_) | Data::Vanished { .. }),
        Route::Id => matches!(d, Data::Id(_)),
        Route::Quota => matches!(d, Data::Quota { .. } | Data::QuotaRoot { .. }),
    }
}

/// `tag SP ("OK" / "NO" / "BAD") (SP / CRLF)` at the start of a response
/// that did not parse (or broke a limit): its completion, without code or text.
fn salvage_status(head: &[u8]) -> Option<Status<'static>> {
    let tag = head_tag(head)?;
    let after = head.get(tag.len() + 1..)?;
    let kind = [
        (&b"OK"[..], StatusKind::Ok),
        (b"NO", StatusKind::No),
        (b"BAD", StatusKind::Bad),
    ]
    .into_iter()
    .find(|(k, _)| {
        after
            .get(..k.len())
            .is_some_and(|a| a.eq_ignore_ascii_case(k))
            && matches!(after.get(k.len()), Some(b' ' | b'\r') | None)
    })
    .map(|(_, s)| s)?;
    let tag = String::from_utf8(tag.to_vec()).ok()?;
    Some(Status {
        tag: Some(Tag::unchecked(Cow::Owned(tag))),
        kind,
        code: None,
        text: Cow::Borrowed(b""),
    })
}
