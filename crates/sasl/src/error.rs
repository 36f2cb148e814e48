//! The one error type of this crate.

use crate::Mechanism;

/// Everything that can go wrong in a SASL exchange, on either side.
///
/// Errors caused by the peer (malformed messages, wrong credentials) and
/// errors caused by the caller (missing configuration, calling a method in
/// the wrong state) are different variants; [`Error::category`] sorts them
/// into the few groups a protocol crate maps to its own replies.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A mechanism name that is not one of [`Mechanism`]'s, or not a valid
    /// SASL mechanism name (RFC 4422 §3.1: 1 to 20 of `A-Z 0-9 - _`).
    #[error(
        "unknown sasl mechanism (expected one of PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1[-PLUS], SCRAM-SHA-256[-PLUS], XOAUTH2, OAUTHBEARER, EXTERNAL, ANONYMOUS)"
    )]
    UnknownMechanism,
    /// A message does not follow the mechanism's grammar. `reason` names
    /// the rule or the expected syntax.
    #[error("malformed {mechanism} message at offset {offset}: {reason}")]
    MalformedMessage {
        /// The mechanism whose grammar was violated.
        mechanism: Mechanism,
        /// Byte offset in the (decoded) message where the problem was found.
        offset: usize,
        /// What was expected.
        reason: &'static str,
    },
    /// A field that must be UTF-8 is not.
    #[error("invalid utf-8 in {mechanism} message at offset {offset}")]
    InvalidUtf8 {
        /// The mechanism.
        mechanism: Mechanism,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// A field inside a message is not valid base64 (SCRAM `c=`, `p=`,
    /// `s=`, `v=`) or hex (CRAM-MD5 digest).
    #[error("bad {what} encoding in {mechanism} message")]
    BadEncoding {
        /// The mechanism.
        mechanism: Mechanism,
        /// Which encoding (`"base64"`, `"hex"`).
        what: &'static str,
    },
    /// A message is longer than [`Limits::max_message_len`](crate::Limits).
    #[error("sasl message too large ({len} bytes, limit {max})")]
    TooLarge {
        /// Length of the message.
        len: usize,
        /// The configured limit.
        max: usize,
    },
    /// More client responses than [`Limits::max_round_trips`](crate::Limits).
    #[error("too many sasl round trips (limit {max})")]
    TooManyRoundTrips {
        /// The configured limit.
        max: u32,
    },
    /// The client cancelled the exchange (`*` in SMTP, POP3 and IMAP).
    #[error("authentication cancelled by the client")]
    Cancelled,
    /// Credentials were wrong, unknown, or the authentication identity may
    /// not act as the requested authorization identity.
    #[error("authentication failed")]
    AuthenticationFailed,
    /// SCRAM: the nonce in the client-final message is not the combined
    /// nonce of the server-first message, or the server's nonce does not
    /// start with the client's.
    #[error("scram nonce mismatch")]
    NonceMismatch,
    /// SCRAM: the client proof is invalid (wrong password).
    #[error("invalid scram client proof")]
    InvalidProof,
    /// SCRAM client: the server signature in server-final does not verify;
    /// the server does not know the password (or the exchange was tampered).
    #[error("invalid scram server signature")]
    InvalidServerSignature,
    /// SCRAM: the channel binding data (`c=`) does not match the gs2 header
    /// and the TLS channel, or names an unsupported channel binding type.
    #[error("scram channel binding mismatch")]
    ChannelBindingMismatch,
    /// SCRAM: the gs2 header's channel binding flag does not fit the
    /// mechanism (`p=` with a non-PLUS mechanism, `n`/`y` with a PLUS one),
    /// or the client says `y` ("I support channel binding but think you
    /// don't") while this server offers the PLUS variants: a downgrade.
    #[error("scram channel binding flag not acceptable: {reason}")]
    ChannelBindingFlag {
        /// What is wrong.
        reason: &'static str,
    },
    /// SCRAM: the client sent a mandatory extension (`m=`) this
    /// implementation does not know.
    #[error("unsupported mandatory scram extension")]
    UnsupportedExtension,
    /// SCRAM client: the server's iteration count is outside the client's
    /// accepted range.
    #[error("scram iteration count {iterations} outside accepted range {min}..={max}")]
    IterationCount {
        /// The count the server sent.
        iterations: u32,
        /// The lowest accepted count.
        min: u32,
        /// The highest accepted count.
        max: u32,
    },
    /// SCRAM client: the server ended the exchange with `e=VALUE`.
    #[error("scram server error: {0}")]
    ServerError(String),
    /// OAUTHBEARER/XOAUTH2: the token was rejected. On the client side the
    /// string is the server's JSON error document.
    #[error("oauth token rejected: {0}")]
    TokenRejected(String),
    /// A server-first mechanism (CRAM-MD5) was given an initial response.
    #[error("{0} does not allow an initial response")]
    UnexpectedInitialResponse(Mechanism),
    /// The caller's configuration lacks something this mechanism needs
    /// (a server nonce, a CRAM-MD5 challenge, channel binding data,
    /// credentials of the right kind).
    #[error("sasl not configured for this mechanism: missing {0}")]
    Misconfigured(&'static str),
    /// The caller used the API out of order (e.g. `step` while an answer is
    /// outstanding, `answer` of the wrong kind, anything after the end).
    #[error("sasl api misuse: {0}")]
    InvalidState(&'static str),
}

/// Broad groups of [`Error`]s, for mapping to protocol replies.
///
/// | category | SMTP (RFC 4954) | IMAP | POP3 |
/// |---|---|---|---|
/// | `Cancelled` | `501 5.7.0` | `BAD` | `-ERR` |
/// | `Malformed` | `501 5.5.2` | `BAD` | `-ERR` |
/// | `TooLarge` | `500 5.5.6` | `BAD` | `-ERR` |
/// | `Rejected` | `535 5.7.8` | `NO [AUTHENTICATIONFAILED]` | `-ERR [AUTH]` |
/// | `Temporary` | `454 4.7.0` | `NO [UNAVAILABLE]` | `-ERR [SYS/TEMP]` |
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCategory {
    /// The client cancelled.
    Cancelled,
    /// The client's message broke the mechanism's syntax or protocol.
    Malformed,
    /// A size or round-trip limit was exceeded.
    TooLarge,
    /// Authentication failed: wrong credentials, bad proof, bad token.
    Rejected,
    /// The fault is local (configuration, API misuse): try again later.
    Temporary,
}

impl Error {
    /// Which group this error belongs to.
    #[must_use]
    pub fn category(&self) -> ErrorCategory {
        match self {
            Self::Cancelled => ErrorCategory::Cancelled,
            Self::TooLarge { .. } | Self::TooManyRoundTrips { .. } => ErrorCategory::TooLarge,
            Self::AuthenticationFailed
            | Self::InvalidProof
            | Self::InvalidServerSignature
            | Self::TokenRejected(_)
            | Self::ServerError(_)
            | Self::NonceMismatch
            | Self::ChannelBindingMismatch
            | Self::ChannelBindingFlag { .. } => ErrorCategory::Rejected,
            Self::Misconfigured(_) | Self::InvalidState(_) => ErrorCategory::Temporary,
            Self::UnknownMechanism
            | Self::MalformedMessage { .. }
            | Self::InvalidUtf8 { .. }
            | Self::BadEncoding { .. }
            | Self::UnsupportedExtension
            | Self::IterationCount { .. }
            | Self::UnexpectedInitialResponse(_) => ErrorCategory::Malformed,
        }
    }

    pub(crate) fn malformed(mechanism: Mechanism, offset: usize, reason: &'static str) -> Self {
        Self::MalformedMessage {
            mechanism,
            offset,
            reason,
        }
    }
}
