//! Parse errors for the whole crate: where the input went wrong and what was expected.
//!
//! Two layers:
//!
//! * [`ParseError`] is what the public `parse` functions return. It keeps
//!   "need more input" ([`ParseError::Incomplete`]) apart from real syntax
//!   errors: every proper prefix of a valid unit yields `Incomplete`, never
//!   `Syntax`. Syntax errors carry the byte offset (from the start of the
//!   unit) and a short description of what was expected, and
//!   [`ParseError::bad_text`] turns them into the text of a tagged `BAD`.
//! * [`NomError`] is the error type inside the `nom` parsers ([`PResult`]).
//!   It records how much input was left where the error happened, so the
//!   offset can be computed at the top without carrying a lifetime.

use std::borrow::Cow;
use std::num::NonZeroUsize;

/// The result type of every `nom` parser in this crate.
pub type PResult<'a, O> = nom::IResult<&'a [u8], O, NomError>;

/// What kind of failure a [`NomError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NomErrorKind {
    /// The input does not match the grammar.
    Syntax,
    /// The input is well formed so far but exceeds a limit (nesting depth, count).
    Limit,
}

/// The error type used inside the `nom` parsers of this crate.
///
/// `remaining` is the length of the input left at the failure point; the
/// top-level `parse` functions turn it into an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NomError {
    /// Bytes of input left where the error happened.
    pub remaining: usize,
    /// What the grammar expected there (a rule name such as `"atom"`).
    pub expected: &'static str,
    /// Syntax error or exceeded limit.
    pub kind: NomErrorKind,
}

impl NomError {
    /// A syntax error at `input`, expecting `expected`.
    #[must_use]
    pub fn at(input: &[u8], expected: &'static str) -> Self {
        NomError {
            remaining: input.len(),
            expected,
            kind: NomErrorKind::Syntax,
        }
    }

    /// A limit error at `input`, describing the limit.
    #[must_use]
    pub fn limit(input: &[u8], what: &'static str) -> Self {
        NomError {
            remaining: input.len(),
            expected: what,
            kind: NomErrorKind::Limit,
        }
    }
}

impl<'a> nom::error::ParseError<&'a [u8]> for NomError {
    fn from_error_kind(input: &'a [u8], _kind: nom::error::ErrorKind) -> Self {
        NomError::at(input, "valid syntax")
    }

    fn append(_input: &'a [u8], _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }

    /// Of two alternatives, the one that got furthest explains the failure best.
    fn or(self, other: Self) -> Self {
        if other.remaining < self.remaining {
            other
        } else {
            self
        }
    }
}

impl<'a> nom::error::ContextError<&'a [u8]> for NomError {
    fn add_context(input: &'a [u8], ctx: &'static str, other: Self) -> Self {
        if other.remaining == input.len() && other.kind == NomErrorKind::Syntax {
            NomError {
                expected: ctx,
                ..other
            }
        } else {
            other
        }
    }
}

impl<'a, E> nom::error::FromExternalError<&'a [u8], E> for NomError {
    fn from_external_error(input: &'a [u8], _kind: nom::error::ErrorKind, _e: E) -> Self {
        NomError::at(input, "valid syntax")
    }
}

/// Builds a `nom` error result at `input`.
pub fn fail<'a, T>(input: &'a [u8], expected: &'static str) -> PResult<'a, T> {
    Err(nom::Err::Error(NomError::at(input, expected)))
}

/// Names a parser for error messages: if `p` fails right at the start of its
/// input, the error says `expected` instead of the inner rule's name.
pub fn expect<'a, O>(
    expected: &'static str,
    mut p: impl FnMut(&'a [u8]) -> PResult<'a, O>,
) -> impl FnMut(&'a [u8]) -> PResult<'a, O> {
    move |input: &'a [u8]| match p(input) {
        Err(nom::Err::Error(e)) if e.remaining == input.len() && e.kind == NomErrorKind::Syntax => {
            Err(nom::Err::Error(NomError { expected, ..e }))
        }
        other => other,
    }
}

/// An error from a public `parse` function.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The input is a proper prefix of something that may still be valid;
    /// feed more bytes. `needed` is a lower bound of the missing bytes when known.
    #[error("incomplete input")]
    Incomplete {
        /// Bytes still missing, when known (e.g. the rest of a literal).
        needed: Option<NonZeroUsize>,
    },
    /// The input does not match the grammar.
    #[error("syntax error at offset {offset}: expected {expected}")]
    Syntax {
        /// Byte offset from the start of the unit.
        offset: usize,
        /// What the grammar expected at that offset.
        expected: &'static str,
    },
    /// The input exceeds a limit of this crate (nesting depth, element count).
    #[error("limit exceeded at offset {offset}: {what}")]
    Limit {
        /// Byte offset from the start of the unit.
        offset: usize,
        /// Which limit.
        what: &'static str,
    },
}

impl ParseError {
    /// Converts a `nom` error on an input of `input_len` bytes.
    #[must_use]
    #[allow(clippy::needless_pass_by_value)]
    pub fn from_nom(input_len: usize, err: nom::Err<NomError>) -> Self {
        match err {
            nom::Err::Incomplete(nom::Needed::Size(n)) => {
                ParseError::Incomplete { needed: Some(n) }
            }
            nom::Err::Incomplete(nom::Needed::Unknown) => ParseError::Incomplete { needed: None },
            nom::Err::Error(e) | nom::Err::Failure(e) => {
                let offset = input_len.saturating_sub(e.remaining);
                match e.kind {
                    NomErrorKind::Syntax => ParseError::Syntax {
                        offset,
                        expected: e.expected,
                    },
                    NomErrorKind::Limit => ParseError::Limit {
                        offset,
                        what: e.expected,
                    },
                }
            }
        }
    }

    /// `true` for [`ParseError::Incomplete`].
    #[must_use]
    pub fn is_incomplete(&self) -> bool {
        matches!(self, ParseError::Incomplete { .. })
    }

    /// The byte offset of a syntax or limit error.
    #[must_use]
    pub fn offset(&self) -> Option<usize> {
        match self {
            ParseError::Incomplete { .. } => None,
            ParseError::Syntax { offset, .. } | ParseError::Limit { offset, .. } => Some(*offset),
        }
    }

    /// The text to send in a tagged (or untagged, if there is no tag) `BAD`
    /// response for this error, e.g. `"syntax error at offset 9: expected sequence set"`.
    ///
    /// ```
    /// use mailwire_imap_proto::sequence::SequenceSet;
    /// let err = SequenceSet::parse(b"x FLAGS\r\n").unwrap_err();
    /// assert_eq!(err.bad_text(), "syntax error at offset 0: expected sequence set");
    /// ```
    #[must_use]
    pub fn bad_text(&self) -> Cow<'static, str> {
        match self {
            ParseError::Incomplete { .. } => Cow::Borrowed("incomplete command"),
            other => Cow::Owned(other.to_string()),
        }
    }
}

/// Converts a `nom` result on `input` into `(value, consumed)`.
pub fn finish<'a, O>(input: &'a [u8], res: PResult<'a, O>) -> Result<(O, usize), ParseError> {
    match res {
        Ok((rest, out)) => Ok((out, input.len() - rest.len())),
        Err(e) => Err(ParseError::from_nom(input.len(), e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_computed_from_remaining() {
        let input = b"abcdef";
        let e = nom::Err::Error(NomError::at(&input[4..], "digit"));
        assert_eq!(
            ParseError::from_nom(input.len(), e),
            ParseError::Syntax {
                offset: 4,
                expected: "digit"
            }
        );
        let inc = ParseError::from_nom(6, nom::Err::Incomplete(nom::Needed::Unknown));
        assert!(inc.is_incomplete());
        assert_eq!(inc.offset(), None);
    }

    #[test]
    fn or_keeps_the_furthest() {
        use nom::error::ParseError as _;
        let a = NomError::at(b"abc", "a");
        let b = NomError::at(b"c", "b");
        assert_eq!(a.or(b).expected, "b");
        assert_eq!(b.or(a).expected, "b");
    }
}
