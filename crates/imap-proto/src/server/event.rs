//! What the server machine asks of, or tells, the application.

use std::fmt;

use mailwire_sasl::server::Request;
use mailwire_sasl::{Mechanism, Secret};

use bytes::Bytes;

use crate::capability::Capability;
use crate::command::Command;
use crate::datetime::DateTime;
use crate::error::ParseError;
use crate::flag::Flag;
use crate::framer::FrameErrorKind;
use crate::mailbox::Mailbox;

/// Names one command in progress; answers quote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommandId(pub(super) u64);

impl CommandId {
    /// The number (increasing per connection, from 1).
    #[must_use]
    pub fn value(self) -> u64 {
        self.0
    }
}

impl fmt::Display for CommandId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Something the application must decide or know. Events marked
/// *decision* wait for an answer; the machine reads no further command
/// until it comes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// *Decision*: a command for the application (everything the machine
    /// does not answer itself). Send its untagged data with
    /// [`Server::respond`](super::Server::respond) /
    /// [`Server::respond_status`](super::Server::respond_status) /
    /// [`Server::respond_with`](super::Server::respond_with), then end it
    /// with [`Server::complete`](super::Server::complete) (or
    /// [`ok`](super::Server::ok) / [`no`](super::Server::no) /
    /// [`bad`](super::Server::bad)). The machine tracks SELECT/EXAMINE,
    /// CLOSE and UNSELECT from the completion.
    Command {
        /// The id to answer with.
        id: CommandId,
        /// The command (tag included).
        command: Command<'static>,
    },
    /// An APPEND message is streamed (its literal is at least
    /// [`Config::append_stream_threshold`](super::Config::append_stream_threshold)
    /// octets, and the literal was accepted): its octets follow as
    /// [`Event::AppendData`]. With MULTIAPPEND (RFC 3502) one command may
    /// bring several `AppendStart`s with the same `id`. The command ends
    /// with [`Event::AppendEnd`] (then answer it like an
    /// [`Event::Command`], e.g. OK with `[APPENDUID ...]`) or
    /// [`Event::AppendAborted`] (the machine answered; store nothing).
    AppendStart {
        /// The id of the APPEND command.
        id: CommandId,
        /// Target mailbox.
        mailbox: Mailbox<'static>,
        /// Flags to set (empty: none given).
        flags: Vec<Flag<'static>>,
        /// INTERNALDATE to set, if given.
        internal_date: Option<DateTime>,
        /// Octets of the message.
        length: u64,
        /// A `~{n}` literal8 (BINARY, RFC 3516): may contain NUL.
        binary: bool,
    },
    /// Octets of the message announced by the last [`Event::AppendStart`],
    /// in order, as they arrive (never empty; each at most the input
    /// buffered: what one [`Server::feed`](super::Server::feed) brought,
    /// or pipelined input that waited while an earlier command was in
    /// progress, bounded by
    /// [`Config::max_buffered_input`](super::Config::max_buffered_input)).
    AppendData {
        /// The id of the APPEND command.
        id: CommandId,
        /// The next octets.
        chunk: Bytes,
    },
    /// *Decision*: the streamed APPEND command is complete (every message
    /// had all its octets and the line ended). Answer with
    /// [`Server::complete`](super::Server::complete) (or `ok`/`no`/`bad`).
    AppendEnd {
        /// The id of the APPEND command.
        id: CommandId,
    },
    /// The streamed APPEND failed after [`Event::AppendStart`] (a syntax
    /// error after a message, a refused or too large next literal): the
    /// machine sent the tagged `BAD`/`NO`; discard what was received.
    /// Informational.
    AppendAborted {
        /// The id of the APPEND command.
        id: CommandId,
    },
    /// *Decision*: check a user name and password, from `LOGIN` or from
    /// `AUTHENTICATE PLAIN` / `LOGIN`. Answer
    /// [`Server::accept_login`](super::Server::accept_login) or
    /// [`Server::reject_login`](super::Server::reject_login).
    Login {
        /// The id to answer with.
        id: CommandId,
        /// The user name (authentication identity).
        user: String,
        /// The authorization identity asked for (SASL PLAIN), if any.
        authzid: Option<String>,
        /// The password.
        password: Secret,
        /// `None` for the LOGIN command, else the SASL mechanism.
        mechanism: Option<Mechanism>,
    },
    /// *Decision*: an AUTHENTICATE exchange with a mechanism other than
    /// PLAIN/LOGIN needs the application (CRAM-MD5 secret, SCRAM
    /// credentials, a token, EXTERNAL, ANONYMOUS). Answer
    /// [`Server::sasl_answer`](super::Server::sasl_answer).
    Sasl {
        /// The id to answer with.
        id: CommandId,
        /// The mechanism.
        mechanism: Mechanism,
        /// What it needs.
        request: Request,
    },
    /// The session is now authenticated (after LOGIN or AUTHENTICATE
    /// succeeded). Informational.
    Authenticated {
        /// The command that authenticated.
        id: CommandId,
        /// The identity the session acts as.
        user: String,
    },
    /// *Decision*: a client announced a synchronizing literal of `length`
    /// octets and waits for `+` before sending it. Answer
    /// [`Server::accept_literal`](super::Server::accept_literal) or
    /// [`Server::reject_literal`](super::Server::reject_literal) (a tagged
    /// `NO [TOOBIG]`). Not asked when `Config::auto_literal_limit` is set.
    LiteralAnnounced {
        /// The tag of the command being sent, if it could be read.
        tag: Option<String>,
        /// Announced octets.
        length: u64,
        /// A `~{n}` literal8 (RFC 3516).
        binary: bool,
        /// Octets of the command received before the literal.
        received: usize,
    },
    /// ENABLE turned on these extensions (only those newly enabled; the
    /// machine answered), or a CONDSTORE-enabling command (SELECT
    /// `(CONDSTORE)`, FETCH `MODSEQ`/`CHANGEDSINCE`, STORE `UNCHANGEDSINCE`,
    /// SEARCH `MODSEQ`, RFC 7162 §3.1) turned on CONDSTORE, in which case the
    /// command's [`Event::Command`] follows. Informational: see
    /// [`Server::enabled`](super::Server::enabled).
    Enabled {
        /// The ENABLE command.
        id: CommandId,
        /// Newly enabled.
        capabilities: Vec<Capability<'static>>,
    },
    /// The client is idling (RFC 2177); the machine sent `+ idling`.
    /// Updates pushed with [`Server::push_update`](super::Server::push_update)
    /// go out at once until [`Event::IdleDone`].
    Idle {
        /// The IDLE command.
        id: CommandId,
    },
    /// IDLE ended (`DONE`, or a bad line answered with a tagged BAD); the
    /// machine sent the queued updates and the tagged response.
    /// Informational.
    IdleDone {
        /// The IDLE command.
        id: CommandId,
    },
    /// STARTTLS was accepted: drain
    /// [`Server::poll_transmit`](super::Server::poll_transmit), then run the
    /// TLS handshake once [`Server::wants_tls_upgrade`](super::Server::wants_tls_upgrade)
    /// is true, then call [`Server::tls_established`](super::Server::tls_established).
    TlsUpgrade,
    /// A command was refused by the machine with a tagged (or untagged)
    /// `BAD` or `NO`. Informational.
    BadCommand {
        /// Its tag, if it could be read.
        tag: Option<String>,
        /// Why.
        reason: BadReason,
    },
    /// The session is over: send what `poll_transmit` still has, then close
    /// the connection.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}

/// Why the machine refused a command.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BadReason {
    /// The command does not parse.
    Syntax(ParseError),
    /// The framer poisoned the unit (too long, too many literals, literal
    /// too large...).
    Frame(FrameErrorKind),
    /// The command is not valid in this state (RFC 9051 §6).
    WrongState {
        /// The command name.
        command: &'static str,
    },
    /// The command is not available here (STARTTLS not offered or TLS
    /// already active, an unknown or disallowed SASL mechanism).
    NotAvailable {
        /// The command name.
        command: &'static str,
    },
    /// LOGIN or a password mechanism before TLS (`NO [PRIVACYREQUIRED]`).
    PrivacyRequired,
    /// A line other than `DONE` during IDLE.
    NotDone,
}

/// Why the session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CloseReason {
    /// The client sent LOGOUT.
    Logout,
    /// No activity for the autologout time (RFC 9051 §5.4).
    Autologout,
    /// The greeting was `BYE`.
    Refused,
    /// Too many bad commands in a row.
    TooManyErrors,
    /// Too many failed authentication attempts.
    AuthFailures,
    /// Too much pipelined input while a command was in progress.
    InputOverflow,
    /// A non-synchronizing literal too large to skip.
    Fatal,
    /// The application called [`Server::bye`](super::Server::bye).
    Application,
}
