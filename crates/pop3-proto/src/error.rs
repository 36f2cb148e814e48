//! Error types: parse errors (with the `-ERR` reply they map to), peer
//! protocol errors seen by the client, and caller-misuse errors.

use crate::response::{Response, ResponseCode};

/// A command, response or capability line that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// No complete line yet: feed more bytes and try again.
    #[error("incomplete input")]
    Incomplete,
    /// The line is longer than the configured limit (CRLF included).
    #[error("line too long: more than {limit} octets")]
    LineTooLong {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The keyword is not a POP3 command we know.
    #[error("unknown command at offset {offset}")]
    UnknownCommand {
        /// Offset of the keyword.
        offset: usize,
    },
    /// The line does not match the grammar.
    #[error("syntax error at offset {offset}: expected {expected}")]
    Syntax {
        /// Offset of the first offending octet.
        offset: usize,
        /// The syntax that was expected there.
        expected: &'static str,
    },
    /// A text argument is not valid UTF-8.
    #[error("invalid utf-8 at offset {offset}")]
    Utf8 {
        /// Offset of the first invalid octet.
        offset: usize,
    },
}

impl ParseError {
    /// The `-ERR` reply a server sends for this error.
    ///
    /// ```
    /// use mailwire_pop3_proto::{Command, ParseError};
    /// let err = Command::parse(b"RETR x\r\n").unwrap_err();
    /// assert!(matches!(err, ParseError::Syntax { offset: 5, .. }));
    /// assert_eq!(err.to_response().to_string(), "-ERR syntax error at offset 5: expected message number");
    /// ```
    #[must_use]
    pub fn to_response(&self) -> Response<'static> {
        match self {
            Self::UnknownCommand { .. } => Response::err("unknown command"),
            Self::LineTooLong { .. } => Response::err("command line too long"),
            other => Response::err(other.to_string()),
        }
    }
}

/// A protocol violation by the server, seen by the [`Client`](crate::Client).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// A response line could not be parsed.
    #[error("malformed response: {0}")]
    Parse(#[from] ParseError),
    /// The greeting was `-ERR` (the server refuses service).
    #[error("server refused the connection: {0}")]
    GreetingRejected(Response<'static>),
    /// Bytes followed the `+OK` to STLS before the TLS handshake
    /// (a plaintext injection attempt, RFC 2595 section 4 / CVE-2011-0411 class).
    #[error("unexpected {len} octets after the STLS reply")]
    DataAfterStls {
        /// How many octets were buffered.
        len: usize,
    },
    /// TLS is required by the configuration but the server does not offer STLS.
    #[error("server does not offer STLS")]
    TlsUnavailable,
    /// The server rejected STLS while TLS is required.
    #[error("server rejected STLS")]
    TlsRejected,
    /// The server accepted a SASL exchange the client could not verify
    /// (e.g. a wrong SCRAM server signature).
    #[error("server not verified by the sasl exchange")]
    ServerNotVerified,
    /// A response arrived with no command outstanding.
    #[error("unsolicited response")]
    Unsolicited,
    /// A multi-line body line or listing exceeded a limit.
    #[error("limit exceeded: {what}")]
    LimitExceeded {
        /// Which limit.
        what: &'static str,
    },
    /// A challenge or listing line did not match the grammar.
    #[error("invalid {what} line")]
    Invalid {
        /// What was being parsed.
        what: &'static str,
    },
}

/// The caller used the machine in a way its current state does not allow.
/// These are bugs in the application, not peer errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MisuseError {
    /// The answer does not match the decision the machine is waiting for.
    #[error("no such decision is pending")]
    NotPending,
    /// The command is not allowed in the current session state.
    #[error("command not allowed in the current state")]
    WrongState,
    /// The connection is closed.
    #[error("connection closed")]
    Closed,
    /// An argument is invalid (contains CR/LF, too long, or empty).
    #[error("invalid argument")]
    InvalidArgument,
    /// APOP was requested but the greeting carried no timestamp.
    #[error("server greeting has no apop timestamp")]
    NoApopTimestamp,
}

/// Shorthand for the reply code of [`ResponseCode::Auth`] failures.
pub(crate) fn auth_failed() -> Response<'static> {
    Response::err("authentication failed").with_code(ResponseCode::Auth)
}
