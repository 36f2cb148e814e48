//! The server state machine (RFC 9051 §3, RFC 3501 §3): not authenticated →
//! authenticated → selected → logout, with tags, literal continuations,
//! AUTHENTICATE, STARTTLS, ENABLE, IDLE and untagged updates.
//!
//! The machine owns the protocol; the application owns the mailboxes. Every
//! command that needs the store comes out as an [`Event`]; the application
//! answers with typed methods ([`Server::respond`], [`Server::complete`],
//! [`Server::accept_login`], ...), never by formatting protocol text.
//!
//! The machine answers by itself: the greeting, CAPABILITY (per state), NOOP
//! (unless [`Config::relay_noop`]), LOGOUT, STARTTLS, ENABLE, the framing of
//! IDLE, the AUTHENTICATE exchange (PLAIN and LOGIN checked through
//! [`Event::Login`], other mechanisms relayed as [`Event::Sasl`]), literal
//! continuations (`+` or `NO [TOOBIG]`, decided by the application from the
//! announced size), syntax errors and commands in the wrong state (tagged
//! `BAD`), and autologout.
//!
//! # Driving it
//!
//! After [`Server::new`] (which queues the greeting) and after every
//! [`Server::feed`] or answer, drain [`Server::poll_transmit`] and then
//! [`Server::poll_event`]. Time comes in as a value: call
//! [`Server::handle_timeout`] after each `feed` and whenever the instant of
//! [`Server::poll_timeout`] passes.
//!
//! One command runs at a time: pipelined commands wait in the (bounded)
//! input buffer until the current one completes, so tagged responses leave
//! in order (RFC 9051 §5.5 allows a server to serialize).
//!
//! ```
//! use mailwire_imap_proto::command::CommandBody;
//! use mailwire_imap_proto::response::Data;
//! use mailwire_imap_proto::server::{Config, Event, Server, State};
//!
//! let mut config = Config::default();
//! config.allow_plaintext_auth = true; // a test: no TLS
//! config.capability_codes = false;
//! let mut server = Server::new(config);
//! let mut wire = Vec::new();
//! server.feed(b"a1 LOGIN joe secret\r\na2 SELECT INBOX\r\na3 LOGOUT\r\n");
//! loop {
//!     while let Some(bytes) = server.poll_transmit() {
//!         wire.extend_from_slice(&bytes);
//!     }
//!     match server.poll_event() {
//!         Some(Event::Login { id, user, password, .. }) => {
//!             if user == "joe" && password.expose() == b"secret" {
//!                 server.accept_login(id).unwrap();
//!             } else {
//!                 server.reject_login(id).unwrap();
//!             }
//!         }
//!         Some(Event::Command { id, command }) => match command.body {
//!             CommandBody::Select { .. } => {
//!                 server.respond(id, Data::Exists(2)).unwrap();
//!                 // Completing SELECT selects INBOX; the pipelined LOGOUT
//!                 // is read right after.
//!                 server.ok(id, "SELECT completed").unwrap();
//!             }
//!             _ => server.bad(id, "not implemented").unwrap(),
//!         },
//!         Some(Event::Closed { .. }) => break,
//!         Some(_) => {}
//!         None => break,
//!     }
//! }
//! assert_eq!(
//!     String::from_utf8(wire).unwrap(),
//!     "* OK IMAP server ready\r\n\
//!      a1 OK LOGIN completed\r\n\
//!      * 2 EXISTS\r\n\
//!      a2 OK SELECT completed\r\n\
//!      * BYE Logging out\r\n\
//!      a3 OK LOGOUT completed\r\n"
//! );
//! assert_eq!(server.state(), State::Logout);
//! ```
//!
//! # Streamed APPEND
//!
//! Once authenticated, an APPEND whose message literal is at least
//! [`Config::append_stream_threshold`] octets (64 KiB by default) is not
//! buffered: after the literal is accepted ([`Event::LiteralAnnounced`] or
//! [`Config::auto_literal_limit`]; `{n+}` needs no decision) the machine
//! emits [`Event::AppendStart`] (mailbox, flags, date, length), the octets
//! as [`Event::AppendData`] chunks as they arrive, and [`Event::AppendEnd`]
//! when the line ends, which the application completes like a command
//! (e.g. OK `[APPENDUID ...]`). MULTIAPPEND's next messages bring further
//! `AppendStart`s; a bad rest of line ends the command with a tagged `BAD`
//! and [`Event::AppendAborted`].
//!
//! ```
//! use mailwire_imap_proto::server::{Config, Event, Server};
//! let mut config = Config::default();
//! config.allow_plaintext_auth = true;
//! config.capability_codes = false;
//! config.append_stream_threshold = 4;
//! let mut server = Server::new(config);
//! server.feed(b"a LOGIN joe pw\r\n");
//! let Some(Event::Login { id, .. }) = server.poll_event() else { panic!() };
//! server.accept_login(id).unwrap();
//! let _ = server.poll_event(); // Authenticated
//! server.feed(b"b APPEND INBOX {10+}\r\nHello");
//! let Some(Event::AppendStart { length: 10, .. }) = server.poll_event() else { panic!() };
//! let Some(Event::AppendData { chunk, .. }) = server.poll_event() else { panic!() };
//! assert_eq!(&chunk[..], b"Hello");
//! server.feed(b"World\r\n");
//! let Some(Event::AppendData { chunk, .. }) = server.poll_event() else { panic!() };
//! assert_eq!(&chunk[..], b"World");
//! let Some(Event::AppendEnd { id }) = server.poll_event() else { panic!() };
//! server.ok(id, "APPEND completed").unwrap();
//! ```
//!
//! # Untagged updates
//!
//! [`Server::push_update`] queues an update (EXISTS, EXPUNGE, FETCH FLAGS,
//! an `OK [ALERT]`...) at any time. Updates go out only where the protocol
//! allows them, always between whole responses: at once when no command is
//! in progress (RFC 3501 §5.3, except EXPUNGE), while an application command
//! is in progress (so they stay in order with what [`Server::respond`]
//! writes) and while idling; held during an AUTHENTICATE exchange, a
//! literal decision and STARTTLS, and sent at the latest before the next
//! tagged completion.
//!
//! EXPUNGE and VANISHED (without EARLIER) renumber messages, so they may
//! only go out while [`Server::expunge_allowed`] is true: not while no
//! command is in progress, not during FETCH, STORE, SEARCH (and SORT,
//! THREAD) without UID (RFC 9051 §7.5.1, RFC 3501 §7.4.1), not during CLOSE
//! or UNSELECT (RFC 9051 §6.4.1). Such an update is
//! *held*: it stays at the head of the queue with everything pushed after
//! it, and all of them leave, in order, at the next point where it is
//! allowed. Nothing is dropped or reordered among the updates, except that
//! closing the selected mailbox (CLOSE, UNSELECT, a new SELECT/EXAMINE)
//! discards queued updates about it. Responses written with
//! [`Server::respond`] are not held: an application that pushes an EXPUNGE
//! while it is not allowed must keep numbering its own responses the old
//! way until it is sent. [`crate::view::MailboxView::take_updates`] with
//! `expunge_allowed()` never produces such an EXPUNGE.

mod config;
mod dispatch;
mod error;
mod event;
mod state;
mod updates;

use std::collections::VecDeque;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use mailwire_sasl::Mechanism;
use mailwire_sasl::server::{Answer, Server as SaslServer};

use crate::capability::Capability;
use crate::code::Code;
use crate::framer::Framer;
use crate::primitive::{Atom, EncodeOptions, Encoder, LiteralMode, Tag};
use crate::response::{Data, Response, StatusKind};

pub use config::{Config, Greeting};
pub use error::{MisuseError, UpdateError};
pub use event::{BadReason, CloseReason, CommandId, Event};
pub use state::{Enabled, State};

use updates::Updates;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tls {
    Plain,
    /// The OK to STARTTLS is queued, not yet taken by `poll_transmit`.
    ReplyQueued,
    /// Waiting for the driver's handshake.
    Upgrading,
    Active,
}

/// What an application command means to the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// SELECT / EXAMINE: selected on OK.
    Select {
        read_only: bool,
    },
    /// CLOSE / UNSELECT: authenticated on OK.
    Leave,
    /// FETCH, STORE, SEARCH, SORT, THREAD without UID: no EXPUNGE meanwhile.
    NoExpunge,
    Other,
}

#[derive(Debug)]
enum Busy {
    /// No command in progress.
    None,
    /// An application command.
    App {
        id: CommandId,
        tag: Tag<'static>,
        kind: Kind,
    },
    /// LOGIN waiting for `accept_login` / `reject_login`.
    Login {
        id: CommandId,
        tag: Tag<'static>,
        user: String,
    },
    /// AUTHENTICATE waiting for the application.
    SaslAnswer {
        id: CommandId,
        tag: Tag<'static>,
        sm: Box<SaslServer>,
        password: bool,
        steps: usize,
    },
    /// AUTHENTICATE waiting for the client's next line.
    SaslLine {
        id: CommandId,
        tag: Tag<'static>,
        sm: Box<SaslServer>,
        steps: usize,
    },
    /// IDLE, until DONE.
    Idling { id: CommandId, tag: Tag<'static> },
    /// A synchronizing literal waiting for `accept_literal` / `reject_literal`.
    Literal { tag: Option<Tag<'static>> },
    /// Streaming an APPEND: message octets, then the rest of the line.
    Append {
        id: CommandId,
        tag: Tag<'static>,
        mailbox: crate::mailbox::Mailbox<'static>,
    },
}

/// An APPEND message literal to stream once it is accepted.
#[derive(Debug)]
struct StreamPlan {
    /// The APPEND in progress (MULTIAPPEND's next message), if any.
    id: Option<CommandId>,
    tag: Tag<'static>,
    mailbox: crate::mailbox::Mailbox<'static>,
    flags: Vec<crate::flag::Flag<'static>>,
    date: Option<crate::datetime::DateTime>,
    length: u64,
    binary: bool,
}

/// The IMAP server state machine for one connection. See the
/// [module documentation](self).
#[derive(Debug)]
pub struct Server {
    config: Config,
    framer: Framer,
    out: BytesMut,
    events: VecDeque<Event>,
    state: State,
    tls: Tls,
    enabled: Enabled,
    busy: Busy,
    next_id: u64,
    updates: Updates,
    bad_in_a_row: usize,
    auth_failures: usize,
    /// Input arrived since the timer was last armed.
    activity: bool,
    deadline: Option<Instant>,
    user: Option<String>,
    /// The literal announced is an APPEND message to stream once accepted.
    pending_stream: Option<StreamPlan>,
}

impl Server {
    /// A machine for a new connection; the greeting is queued.
    #[must_use]
    pub fn new(config: Config) -> Self {
        let framer = Framer::new(config.framer);
        let tls = if config.tls_active {
            Tls::Active
        } else {
            Tls::Plain
        };
        let updates = Updates::new(config.max_queued_updates);
        let mut s = Server {
            config,
            framer,
            out: BytesMut::with_capacity(1024),
            events: VecDeque::new(),
            state: State::NotAuthenticated,
            tls,
            enabled: Enabled::default(),
            busy: Busy::None,
            next_id: 0,
            updates,
            bad_in_a_row: 0,
            auth_failures: 0,
            activity: true,
            deadline: None,
            user: None,
            pending_stream: None,
        };
        s.greet();
        s.set_literal_limits();
        s
    }

    // ---- I/O -----------------------------------------------------------

    /// Feeds bytes received from the client. Ignored after logout and
    /// between the OK to STARTTLS and [`Server::tls_established`] (bytes
    /// sent before the handshake are plaintext injections, RFC 9051 §11.1).
    pub fn feed(&mut self, input: &[u8]) {
        if self.state == State::Logout || matches!(self.tls, Tls::ReplyQueued | Tls::Upgrading) {
            return;
        }
        if input.is_empty() {
            return;
        }
        self.activity = true;
        self.framer.feed(input);
        self.process();
    }

    /// The next bytes to send, split from the output buffer.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        if self.out.is_empty() {
            return None;
        }
        let was_full = self.out.len() > self.config.max_pending_output;
        let bytes = self.out.split().freeze();
        if self.tls == Tls::ReplyQueued {
            self.tls = Tls::Upgrading;
        }
        if was_full {
            // Backpressure released: send the updates and read the commands
            // that waited.
            self.flush_if_possible();
            self.process();
        }
        Some(bytes)
    }

    /// The next event.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When [`Server::handle_timeout`] must be called next (the autologout
    /// deadline), if a timer is armed. `None` after logout and while the
    /// machine waits for the application.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.state == State::Logout || self.waiting_for_app() {
            None
        } else {
            self.deadline
        }
    }

    /// Time passes. Arms the autologout timer (from `now`) if input arrived
    /// since the last call or no timer is armed; otherwise, once the
    /// deadline has passed, logs the client out with `* BYE` (RFC 9051
    /// §5.4; [`Config::autologout_not_authenticated`] /
    /// [`Config::autologout_authenticated`]).
    ///
    /// Call it once after [`Server::new`] (to arm the timer) and after
    /// every [`Server::feed`] so the timer restarts at each command; a
    /// driver that only calls it when the deadline passes logs an inactive
    /// client out after between one and two timeouts.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.state == State::Logout {
            return;
        }
        if self.waiting_for_app() {
            // The client waits for us; re-armed once the answer is in.
            self.deadline = None;
            return;
        }
        match self.deadline {
            Some(deadline) if !self.activity => {
                if now >= deadline {
                    self.close(CloseReason::Autologout, "Autologout; idle for too long");
                }
            }
            _ => {
                self.activity = false;
                let timeout = if self.state.is_authenticated() {
                    self.config.autologout_authenticated
                } else {
                    self.config.autologout_not_authenticated
                };
                self.deadline = now.checked_add(timeout);
            }
        }
    }

    /// True once the OK to STARTTLS has been taken by
    /// [`Server::poll_transmit`]: run the TLS handshake now, then call
    /// [`Server::tls_established`].
    #[must_use]
    pub fn wants_tls_upgrade(&self) -> bool {
        self.tls == Tls::Upgrading
    }

    /// The TLS handshake completed. Nothing received before it is kept;
    /// the capabilities change (no STARTTLS, no LOGINDISABLED, the password
    /// mechanisms appear), which the next CAPABILITY (and the
    /// `[CAPABILITY]` code of the login OK) announces (RFC 9051 §6.2.1).
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no upgrade was requested.
    pub fn tls_established(&mut self) -> Result<(), MisuseError> {
        if self.tls != Tls::Upgrading {
            return Err(MisuseError::NotPending);
        }
        self.tls = Tls::Active;
        self.framer = self.fresh_framer();
        self.activity = true;
        Ok(())
    }

    // ---- observers -----------------------------------------------------

    /// The protocol state.
    #[must_use]
    pub fn state(&self) -> State {
        self.state
    }

    /// The extensions turned on with ENABLE.
    #[must_use]
    pub fn enabled(&self) -> Enabled {
        self.enabled
    }

    /// Whether the connection runs under TLS.
    #[must_use]
    pub fn is_tls(&self) -> bool {
        self.tls == Tls::Active
    }

    /// Whether the session is over ([`State::Logout`]).
    #[must_use]
    pub fn is_closed(&self) -> bool {
        self.state == State::Logout
    }

    /// The authenticated identity.
    #[must_use]
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// Untagged updates queued and not yet sent.
    #[must_use]
    pub fn queued_updates(&self) -> usize {
        self.updates.len()
    }

    /// The options the machine writes responses with (synchronizing
    /// literals; UTF-8 in quoted strings once UTF8=ACCEPT or IMAP4rev2 is
    /// enabled), for helpers that encode response data themselves.
    #[must_use]
    pub fn encode_options(&self) -> EncodeOptions {
        EncodeOptions {
            literal: LiteralMode::Sync,
            utf8_quoted: self.enabled.utf8(),
        }
    }

    /// The capabilities announced in the current state.
    ///
    /// ```
    /// use mailwire_imap_proto::server::{Config, Server};
    /// let mut config = Config::default();
    /// config.starttls = true;
    /// let server = Server::new(config);
    /// let caps: Vec<String> = server.capabilities().iter().map(|c| c.to_string()).collect();
    /// assert_eq!(caps, ["IMAP4rev1", "IMAP4rev2", "LITERAL+", "ENABLE", "IDLE", "STARTTLS", "LOGINDISABLED"]);
    /// ```
    #[must_use]
    pub fn capabilities(&self) -> Vec<Capability<'static>> {
        let mut caps = self.config.capabilities.clone();
        if self.state.is_authenticated() {
            caps.extend(self.config.capabilities_authenticated.iter().cloned());
            return caps;
        }
        if self.config.starttls && self.tls == Tls::Plain {
            caps.push(Capability::StartTls);
        }
        if !self.plaintext_ok() {
            caps.push(Capability::LoginDisabled);
        }
        let mut any = false;
        for m in Mechanism::ALL {
            if self.mechanism_allowed(m)
                && let Ok(a) = Atom::new(m.as_str())
            {
                caps.push(Capability::Auth(a));
                any = true;
            }
        }
        if any && self.config.sasl_ir {
            caps.push(Capability::SaslIr);
        }
        caps
    }

    /// Whether an EXPUNGE or VANISHED may be sent now: a mailbox is
    /// selected and a command is in progress that is not FETCH, STORE,
    /// SEARCH, SORT or THREAD without UID (RFC 9051 §7.5.1) nor CLOSE or
    /// UNSELECT (RFC 9051 §6.4.1: no untagged EXPUNGE during CLOSE), or
    /// the client is idling.
    #[must_use]
    pub fn expunge_allowed(&self) -> bool {
        self.state.is_selected()
            && match &self.busy {
                Busy::Idling { .. } => true,
                Busy::App { kind, .. } => !matches!(kind, Kind::NoExpunge | Kind::Leave),
                _ => false,
            }
    }

    // ---- updates -------------------------------------------------------

    /// Queues an untagged update; it is sent at the next point where the
    /// protocol allows it (see the [module documentation](self)).
    ///
    /// # Errors
    /// [`UpdateError::QueueFull`] above [`Config::max_queued_updates`],
    /// [`UpdateError::Closed`] after logout.
    pub fn push_update(&mut self, data: Data<'static>) -> Result<(), UpdateError> {
        if self.state == State::Logout {
            return Err(UpdateError::Closed);
        }
        self.updates.push(data)?;
        self.flush_if_possible();
        Ok(())
    }

    // ---- answers to Event::Command --------------------------------------

    /// Sends one untagged response of command `id` (written at once, whole).
    ///
    /// # Errors
    /// [`MisuseError::UnknownCommand`] if `id` is not the application
    /// command in progress.
    pub fn respond(&mut self, id: CommandId, data: Data<'_>) -> Result<(), MisuseError> {
        self.check_app(id)?;
        self.write(&Response::Data(data));
        Ok(())
    }

    /// Lets `write` encode untagged responses of command `id` straight into
    /// an [`Encoder`] with [`Server::encode_options`] (e.g.
    /// [`render::write_fetch`](crate::render::write_fetch), which writes
    /// `* n FETCH (...)` CRLF without building a [`Data`]). `write` must
    /// write whole responses, each ending in CRLF; what it writes goes out
    /// as is. Returns what `write` returned.
    ///
    /// ```
    /// use mailwire_imap_proto::response::{Data, Response};
    /// use mailwire_imap_proto::server::{Config, Event, Server};
    /// let mut config = Config::default();
    /// config.allow_plaintext_auth = true;
    /// config.capability_codes = false;
    /// let mut server = Server::new(config);
    /// server.feed(b"a LOGIN joe pw\r\nb STATUS INBOX (MESSAGES)\r\n");
    /// let Some(Event::Login { id, .. }) = server.poll_event() else { panic!() };
    /// server.accept_login(id).unwrap();
    /// let _ = server.poll_event(); // Authenticated
    /// let Some(Event::Command { id, .. }) = server.poll_event() else { panic!() };
    /// let n = server
    ///     .respond_with(id, |enc| {
    ///         Response::Data(Data::Exists(3)).write(enc);
    ///         1
    ///     })
    ///     .unwrap();
    /// assert_eq!(n, 1);
    /// ```
    ///
    /// # Errors
    /// [`MisuseError::UnknownCommand`] if `id` is not the application
    /// command in progress (`write` is not called).
    pub fn respond_with<R>(
        &mut self,
        id: CommandId,
        write: impl FnOnce(&mut Encoder) -> R,
    ) -> Result<R, MisuseError> {
        self.check_app(id)?;
        let mut enc = Encoder::new(self.encode_options());
        let r = write(&mut enc);
        self.out.extend_from_slice(enc.as_bytes());
        Ok(r)
    }

    /// Sends an untagged status response of command `id`, e.g.
    /// `* OK [UIDVALIDITY 3857529045] UIDs valid` during SELECT.
    ///
    /// # Errors
    /// [`MisuseError::UnknownCommand`] if `id` is not the application
    /// command in progress; [`MisuseError::InvalidStatus`] unless `kind` is
    /// OK, NO or BAD.
    pub fn respond_status(
        &mut self,
        id: CommandId,
        kind: StatusKind,
        code: Option<Code<'_>>,
        text: &str,
    ) -> Result<(), MisuseError> {
        self.check_app(id)?;
        if !matches!(kind, StatusKind::Ok | StatusKind::No | StatusKind::Bad) {
            return Err(MisuseError::InvalidStatus);
        }
        self.write_status(None, kind, code, text);
        Ok(())
    }

    /// Ends command `id` with a tagged OK, NO or BAD. Queued updates that
    /// may go out are sent first. SELECT/EXAMINE answered OK enter the
    /// selected state (read-only for EXAMINE or with `[READ-ONLY]`); a
    /// failed SELECT leaves no mailbox selected (RFC 9051 §6.3.2);
    /// CLOSE/UNSELECT answered OK return to the authenticated state.
    ///
    /// # Errors
    /// [`MisuseError::UnknownCommand`] if `id` is not the application
    /// command in progress; [`MisuseError::InvalidStatus`] unless `kind` is
    /// OK, NO or BAD.
    pub fn complete(
        &mut self,
        id: CommandId,
        kind: StatusKind,
        code: Option<Code<'_>>,
        text: &str,
    ) -> Result<(), MisuseError> {
        self.check_app(id)?;
        if !matches!(kind, StatusKind::Ok | StatusKind::No | StatusKind::Bad) {
            return Err(MisuseError::InvalidStatus);
        }
        let Busy::App {
            tag, kind: what, ..
        } = std::mem::replace(&mut self.busy, Busy::None)
        else {
            return Err(MisuseError::UnknownCommand);
        };
        let ok = kind == StatusKind::Ok;
        if what == Kind::Leave && ok {
            // RFC 9051 §6.4.1: no untagged EXPUNGE during CLOSE; what was
            // queued about the mailbox no longer means anything.
            self.updates.mailbox_closed();
        }
        self.flush_updates(
            self.state.is_selected() && !matches!(what, Kind::NoExpunge | Kind::Leave),
        );
        match what {
            Kind::Select { read_only } if ok => {
                let read_only = read_only || matches!(code, Some(Code::ReadOnly));
                self.state = State::Selected { read_only };
            }
            Kind::Leave if ok => {
                self.state = State::Authenticated;
                self.updates.mailbox_closed();
            }
            _ => {}
        }
        self.write_status(Some(tag), kind, code, text);
        self.process();
        Ok(())
    }

    /// [`Server::complete`] with OK and no code.
    ///
    /// # Errors
    /// As [`Server::complete`].
    pub fn ok(&mut self, id: CommandId, text: &str) -> Result<(), MisuseError> {
        self.complete(id, StatusKind::Ok, None, text)
    }

    /// [`Server::complete`] with NO and no code.
    ///
    /// # Errors
    /// As [`Server::complete`].
    pub fn no(&mut self, id: CommandId, text: &str) -> Result<(), MisuseError> {
        self.complete(id, StatusKind::No, None, text)
    }

    /// [`Server::complete`] with BAD and no code.
    ///
    /// # Errors
    /// As [`Server::complete`].
    pub fn bad(&mut self, id: CommandId, text: &str) -> Result<(), MisuseError> {
        self.complete(id, StatusKind::Bad, None, text)
    }

    // ---- answers to authentication events ------------------------------

    /// Accepts the credentials of [`Event::Login`]: the session is
    /// authenticated (tagged OK, with `[CAPABILITY ...]` if
    /// [`Config::capability_codes`]).
    ///
    /// # Errors
    /// [`MisuseError::UnknownCommand`] / [`MisuseError::NotPending`] if no
    /// password check with this id is outstanding.
    pub fn accept_login(&mut self, id: CommandId) -> Result<(), MisuseError> {
        self.login_answer(id, true)
    }

    /// Rejects the credentials of [`Event::Login`]:
    /// `NO [AUTHENTICATIONFAILED]`. After [`Config::max_auth_failures`]
    /// failures the connection is closed with `BYE`.
    ///
    /// # Errors
    /// As [`Server::accept_login`].
    pub fn reject_login(&mut self, id: CommandId) -> Result<(), MisuseError> {
        self.login_answer(id, false)
    }

    /// Answers [`Event::Sasl`] (or [`Event::Login`] from a SASL exchange)
    /// with the SASL crate's [`Answer`].
    ///
    /// # Errors
    /// [`MisuseError::UnknownCommand`] if no SASL decision with this id is
    /// outstanding.
    pub fn sasl_answer(&mut self, id: CommandId, answer: Answer) -> Result<(), MisuseError> {
        match &self.busy {
            Busy::SaslAnswer { id: cur, .. } if *cur == id => {}
            _ => return Err(self.misuse()),
        }
        let Busy::SaslAnswer {
            id,
            tag,
            mut sm,
            steps,
            ..
        } = std::mem::replace(&mut self.busy, Busy::None)
        else {
            return Err(MisuseError::UnknownCommand);
        };
        let step = sm.answer(answer);
        self.sasl_step(id, tag, sm, step, steps);
        self.process();
        Ok(())
    }

    // ---- answers to Event::LiteralAnnounced ----------------------------

    /// Accepts the announced literal: the machine sends `+ Ready for
    /// literal data` and reads it.
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no literal is announced.
    pub fn accept_literal(&mut self) -> Result<(), MisuseError> {
        if !matches!(self.busy, Busy::Literal { .. }) {
            return Err(MisuseError::NotPending);
        }
        self.busy = Busy::None;
        self.literal_accepted();
        self.process();
        Ok(())
    }

    /// Refuses the announced literal: the machine sends a tagged
    /// `NO [TOOBIG]`; the client will not send the literal and the command
    /// is over.
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no literal is announced.
    pub fn reject_literal(&mut self) -> Result<(), MisuseError> {
        let Busy::Literal { tag } = std::mem::replace(&mut self.busy, Busy::None) else {
            return Err(MisuseError::NotPending);
        };
        self.literal_rejected(tag);
        self.process();
        Ok(())
    }

    // ---- closing -------------------------------------------------------

    /// Ends the session from the server side (shutdown, mailbox deleted
    /// under the client...): `* BYE text`, then [`Event::Closed`].
    ///
    /// # Errors
    /// [`MisuseError::Closed`] if the session is already over.
    pub fn bye(&mut self, text: &str) -> Result<(), MisuseError> {
        if self.state == State::Logout {
            return Err(MisuseError::Closed);
        }
        self.close(CloseReason::Application, text);
        Ok(())
    }

    // ---- helpers used by the answers -----------------------------------

    fn misuse(&self) -> MisuseError {
        if self.state == State::Logout {
            MisuseError::Closed
        } else {
            MisuseError::UnknownCommand
        }
    }

    fn check_app(&self, id: CommandId) -> Result<(), MisuseError> {
        match &self.busy {
            Busy::App { id: cur, .. } if *cur == id => Ok(()),
            _ => Err(self.misuse()),
        }
    }

    fn waiting_for_app(&self) -> bool {
        matches!(
            self.busy,
            Busy::App { .. } | Busy::Login { .. } | Busy::SaslAnswer { .. } | Busy::Literal { .. }
        )
    }

    fn plaintext_ok(&self) -> bool {
        self.tls == Tls::Active || self.config.allow_plaintext_auth
    }

    fn mechanism_allowed(&self, m: Mechanism) -> bool {
        self.config.sasl.allows(m, self.plaintext_ok())
            && (self.tls == Tls::Active || !m.uses_channel_binding())
    }

    fn fresh_framer(&self) -> Framer {
        let mut framer = Framer::new(self.config.framer);
        framer.set_max_non_sync_literal(self.non_sync_limit());
        framer
    }

    /// The non-synchronizing literal limit: the one the capabilities
    /// announce, capped by [`Config::max_input_not_authenticated`] before
    /// authentication.
    fn non_sync_limit(&self) -> Option<u64> {
        let announced = non_sync_limit(&self.config.capabilities);
        if self.state.is_authenticated() {
            return announced;
        }
        let cap = u64::try_from(self.config.max_input_not_authenticated).unwrap_or(u64::MAX);
        Some(announced.map_or(cap, |n| n.min(cap)))
    }

    /// Applies [`Server::non_sync_limit`] to the framer (at the start and
    /// once authenticated).
    fn set_literal_limits(&mut self) {
        let limit = self.non_sync_limit();
        self.framer.set_max_non_sync_literal(limit);
    }

    /// How much input the framer may hold in the current state.
    fn input_limit(&self) -> usize {
        if self.state.is_authenticated() {
            self.config.max_buffered_input
        } else {
            self.config
                .max_buffered_input
                .min(self.config.max_input_not_authenticated)
        }
    }

    fn write(&mut self, r: &Response<'_>) {
        let mut enc = Encoder::new(self.encode_options());
        r.write(&mut enc);
        self.out.extend_from_slice(enc.as_bytes());
    }

    fn write_status(
        &mut self,
        tag: Option<Tag<'static>>,
        kind: StatusKind,
        code: Option<Code<'_>>,
        text: &str,
    ) {
        let status = crate::response::Status {
            tag,
            kind,
            code,
            text: std::borrow::Cow::Borrowed(text.as_bytes()),
        };
        self.write(&Response::Status(status));
    }

    /// Sends what may go out now, unless untagged data would land inside an
    /// exchange (AUTHENTICATE, a literal decision, STARTTLS).
    fn flush_if_possible(&mut self) {
        if matches!(self.tls, Tls::ReplyQueued | Tls::Upgrading) || self.state == State::Logout {
            return;
        }
        match self.busy {
            // Nobody waits for these: leave them queued (and let the queue
            // limit push back) while the client does not read.
            Busy::None | Busy::Idling { .. } if self.out.len() > self.config.max_pending_output => {
            }
            Busy::None | Busy::App { .. } | Busy::Idling { .. } => {
                self.flush_updates(self.expunge_allowed());
            }
            _ => {}
        }
    }

    /// Sends the queued updates that may go out now.
    fn flush_updates(&mut self, expunge_allowed: bool) {
        while let Some(d) = self.updates.pop_sendable(expunge_allowed) {
            self.write(&Response::Data(d));
        }
    }

    fn id(&mut self) -> CommandId {
        self.next_id += 1;
        CommandId(self.next_id)
    }
}

/// The framer's non-synchronizing literal limit for the announced
/// capabilities (RFC 7888): none with LITERAL+, 4096 with LITERAL- (which
/// IMAP4rev2 includes), else none accepted.
fn non_sync_limit(caps: &[Capability<'_>]) -> Option<u64> {
    if caps.contains(&Capability::LiteralPlus) {
        None
    } else if caps.contains(&Capability::LiteralMinus) || caps.contains(&Capability::Imap4Rev2) {
        Some(4096)
    } else {
        Some(0)
    }
}
