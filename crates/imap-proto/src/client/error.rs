//! Errors of the client machine: what the server did wrong
//! ([`ClientError`]) and what the caller did wrong ([`MisuseError`]).

use bytes::Bytes;

use crate::error::ParseError;
use crate::primitive::InvalidValue;
use crate::response::Status;

/// A problem with what the server sent. [`ClientError::is_fatal`] errors end
/// the session: [`super::Event::Closed`] follows them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The first response was not a greeting (`* OK`, `* PREAUTH`, `* BYE`).
    #[error("bad greeting")]
    BadGreeting,
    /// TLS is required but the server does not offer STARTTLS.
    #[error("server does not offer starttls")]
    TlsUnavailable,
    /// TLS is required but the server refused STARTTLS.
    #[error("server refused starttls")]
    TlsRejected(Status<'static>),
    /// TLS is required but the server greeted with `PREAUTH` on a
    /// cleartext connection (RFC 9051 §7.1.4: the client must close; a
    /// man in the middle can strip STARTTLS this way).
    #[error("preauth greeting on a cleartext connection")]
    PreAuthWithoutTls,
    /// Bytes followed the tagged OK to STARTTLS before the TLS handshake
    /// (in the same read, or while the handshake should run): a response
    /// injection attempt (the CVE-2011-0411 class). Fatal.
    #[error("data after the starttls reply")]
    DataAfterStartTls,
    /// A response line longer than [`super::Limits::max_line_length`]; the
    /// response was skipped.
    #[error("response line too long (limit {limit})")]
    LineTooLong {
        /// The limit.
        limit: usize,
    },
    /// A response larger than [`super::Limits::max_response_size`] (streamed
    /// literals not counted); the response was skipped.
    #[error("response too large (limit {limit})")]
    ResponseTooLarge {
        /// The limit.
        limit: usize,
    },
    /// A literal above [`super::Limits::max_literal_size`] (or, for a
    /// streamed FETCH body, above [`super::Limits::max_streamed_literal`]);
    /// the response was skipped.
    #[error("literal of {length} octets too large (limit {limit})")]
    LiteralTooLarge {
        /// Announced size.
        length: u64,
        /// The limit that applied.
        limit: u64,
    },
    /// More literals in one response than [`super::Limits::max_literals_per_response`].
    #[error("too many literals in one response")]
    TooManyLiterals,
    /// A response that does not parse. An untagged one is skipped (and
    /// handed over here, so no data is silently lost); a tagged one still
    /// completes its command with the status its start shows (no code, no
    /// text); a broken continuation request counts as an empty one.
    #[error("malformed response: {error}")]
    Malformed {
        /// The parse error.
        error: ParseError,
        /// The response as received (streamed literals emptied).
        raw: Bytes,
    },
    /// A response that does not parse and cannot be read as data, a
    /// completion or a continuation request. Fatal.
    #[error("unreadable response: {error}")]
    Unrecoverable {
        /// The parse error.
        error: ParseError,
        /// The response as received.
        raw: Bytes,
    },
    /// A tagged response whose tag names no command in flight.
    #[error("tagged response for an unknown tag")]
    UnknownTag {
        /// The tag.
        tag: Bytes,
    },
    /// A continuation request (`+`) while no command waits for one.
    #[error("unexpected continuation request")]
    UnexpectedContinuation,
    /// The server said AUTHENTICATE succeeded but the SASL exchange did not
    /// complete (e.g. SCRAM's server signature is missing or wrong). Fatal.
    #[error("server did not prove its identity")]
    ServerNotVerified,
}

impl ClientError {
    /// `true` if the session cannot go on.
    #[must_use]
    pub fn is_fatal(&self) -> bool {
        !matches!(
            self,
            ClientError::LineTooLong { .. }
                | ClientError::ResponseTooLarge { .. }
                | ClientError::LiteralTooLarge { .. }
                | ClientError::TooManyLiterals
                | ClientError::Malformed { .. }
                | ClientError::UnknownTag { .. }
                | ClientError::UnexpectedContinuation
        )
    }
}

/// A call the machine cannot honour in its current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MisuseError {
    /// The session is over (or LOGOUT was sent).
    #[error("connection closed")]
    Closed,
    /// The command is not valid in the state the session will be in when it
    /// is sent (RFC 9051 §3).
    #[error("{command} not allowed in the {state:?} state")]
    WrongState {
        /// The command name.
        command: &'static str,
        /// The (projected) session state.
        state: super::SessionState,
    },
    /// An argument cannot be sent (e.g. NUL in a string, a bad mechanism name).
    #[error("invalid argument: {0}")]
    InvalidArgument(#[from] InvalidValue),
    /// The server announced `LOGINDISABLED` (RFC 9051 §6.2.3).
    #[error("login is disabled by the server")]
    LoginDisabled,
    /// No decision of that kind is pending (no AUTHENTICATE challenge, no IDLE).
    #[error("nothing of that kind is pending")]
    NotPending,
    /// The machine runs this itself (STARTTLS: see [`super::TlsPolicy`]) or
    /// cannot run it (COMPRESS).
    #[error("{0} is not available through send")]
    Unsupported(&'static str),
}
