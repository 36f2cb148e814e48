//! Parse errors, kept apart from "need more input", each mapping to the SMTP
//! reply it deserves (RFC 5321 §4.2.2, §4.5.3.1.10).

use crate::reply::{EnhancedCode, Reply, ReplyCode};

/// The outcome of a parser that did not produce a value.
///
/// `Incomplete` is not an error of the peer: the caller must supply more
/// bytes. Everything else is a [`SyntaxError`] that maps to a reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// More input is needed (no line terminator yet).
    #[error("incomplete input")]
    Incomplete,
    /// The input is malformed.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
}

impl ParseError {
    /// The syntax error, when this is not `Incomplete`.
    pub fn syntax(&self) -> Option<&SyntaxError> {
        match self {
            ParseError::Incomplete => None,
            ParseError::Syntax(e) => Some(e),
        }
    }
}

/// A malformed command, parameter or path, with the byte offset where
/// parsing failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at offset {offset}")]
pub struct SyntaxError {
    /// What went wrong.
    pub kind: SyntaxErrorKind,
    /// Byte offset into the parsed input.
    pub offset: usize,
}

/// The kinds of [`SyntaxError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SyntaxErrorKind {
    /// The command verb is not known (500).
    #[error("unrecognized command")]
    UnknownCommand,
    /// The grammar was not followed; `expected` is the syntax of the command (501).
    #[error("syntax error, expected {expected}")]
    Expected {
        /// The expected syntax, e.g. `MAIL FROM:<reverse-path> [SP <mail-parameters>]`.
        expected: &'static str,
    },
    /// The command line exceeds the configured limit (500, §4.5.3.1.4).
    #[error("line too long")]
    LineTooLong,
    /// A bare CR or LF inside a command line (500).
    #[error("bare CR or LF in command line")]
    BareLineEnding,
    /// A path, local part or domain exceeds the limits of §4.5.3.1 (501).
    #[error("path too long")]
    PathTooLong,
    /// A parameter keyword that this implementation does not know (555).
    #[error("unrecognized parameter {keyword}")]
    UnknownParameter {
        /// The keyword as sent.
        keyword: String,
    },
    /// A parameter given twice (501).
    #[error("duplicate parameter {keyword}")]
    DuplicateParameter {
        /// The keyword as sent.
        keyword: String,
    },
    /// A known parameter with a malformed value (501).
    #[error("invalid parameter value, expected {expected}")]
    InvalidParameter {
        /// The expected syntax of the value.
        expected: &'static str,
    },
    /// A parameter or argument the command does not accept (504).
    #[error("parameter not implemented")]
    ParameterNotImplemented,
    /// Bytes that are not UTF-8 where text is required (501).
    #[error("invalid UTF-8")]
    InvalidUtf8,
}

impl SyntaxError {
    pub(crate) fn new(kind: SyntaxErrorKind, offset: usize) -> Self {
        SyntaxError { kind, offset }
    }

    pub(crate) fn expected(expected: &'static str, offset: usize) -> Self {
        SyntaxError {
            kind: SyntaxErrorKind::Expected { expected },
            offset,
        }
    }

    /// The reply a server sends for this error (500, 501, 504 or 555, with an
    /// RFC 3463 enhanced code).
    ///
    /// ```
    /// use mailwire_smtp_proto::Command;
    /// let err = Command::parse(b"MAIL FROM:foo\r\n").unwrap_err();
    /// let reply = err.syntax().unwrap().reply();
    /// assert_eq!(reply.code().get(), 501);
    /// assert!(reply.text().contains("MAIL FROM:<reverse-path>"));
    /// ```
    pub fn reply(&self) -> Reply {
        let (code, enh, text): (u16, (u8, u16, u16), String) = match &self.kind {
            SyntaxErrorKind::UnknownCommand => (500, (5, 5, 1), "Command unrecognized".into()),
            SyntaxErrorKind::Expected { expected } => {
                (501, (5, 5, 4), format!("Syntax: {expected}"))
            }
            SyntaxErrorKind::LineTooLong => (500, (5, 5, 2), "Line too long".into()),
            SyntaxErrorKind::BareLineEnding => (500, (5, 5, 2), "Bare CR or LF not allowed".into()),
            SyntaxErrorKind::PathTooLong => (501, (5, 1, 3), "Path too long".into()),
            SyntaxErrorKind::UnknownParameter { keyword } => (
                555,
                (5, 5, 4),
                format!("Parameter {} not recognized", sanitize(keyword)),
            ),
            SyntaxErrorKind::DuplicateParameter { keyword } => (
                501,
                (5, 5, 4),
                format!("Duplicate parameter {}", sanitize(keyword)),
            ),
            SyntaxErrorKind::InvalidParameter { expected } => (
                501,
                (5, 5, 4),
                format!("Invalid parameter value, expected {expected}"),
            ),
            SyntaxErrorKind::ParameterNotImplemented => {
                (504, (5, 5, 4), "Command parameter not implemented".into())
            }
            SyntaxErrorKind::InvalidUtf8 => (501, (5, 6, 7), "Invalid UTF-8".into()),
        };
        Reply::new_enhanced(
            ReplyCode::new_or_500(code),
            EnhancedCode::new(enh.0, enh.1, enh.2),
            text,
        )
    }
}

/// Keeps peer-supplied text short and printable inside a reply.
fn sanitize(s: &str) -> String {
    s.chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// A caller error: an answer method was called while no matching decision
/// was outstanding. Distinct from peer errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UsageError {
    /// No decision of this kind is pending.
    #[error("no matching decision is pending")]
    NoPendingDecision,
    /// The answer does not fit the pending decision (e.g. a positive reply
    /// passed to `reject`, or the wrong number of LMTP replies).
    #[error("answer does not fit the pending decision")]
    InvalidAnswer,
    /// The machine is closed or in a state where this call is not allowed.
    #[error("not allowed in the current state")]
    InvalidState,
}
