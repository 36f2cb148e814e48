//! Errors and defects.
//!
//! A *defect* is a deviation from RFC 5322 that the lenient parser recovers
//! from (like Python's `email.errors`); an [`Error`] is a failure: a limit
//! was exceeded, the input cannot be parsed at all, or strict mode turned a
//! defect into an error.

use core::fmt;

/// A recoverable deviation from the RFCs, found while parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Defect {
    /// What is wrong.
    pub kind: DefectKind,
    /// Byte offset where it was found, relative to the input given to the
    /// parser that reported it (the whole message for [`crate::Message`],
    /// the field value for the field parsers).
    pub offset: usize,
}

impl Defect {
    /// A defect of `kind` at `offset`.
    #[must_use]
    pub const fn new(kind: DefectKind, offset: usize) -> Self {
        Self { kind, offset }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.kind, self.offset)
    }
}

/// The kinds of defect. New kinds may be added in minor releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DefectKind {
    /// A line ended with a bare LF instead of CRLF (RFC 5322 §2.1). Reported
    /// once per message, at the first occurrence.
    BareLf,
    /// A bare CR not followed by LF (RFC 5322 §2.1).
    BareCr,
    /// A line is longer than 998 characters (RFC 5322 §2.1.1).
    LineTooLong,
    /// The first header line starts with whitespace (a continuation of
    /// nothing); it was skipped.
    FirstLineIsContinuation,
    /// A line in the header section is not a field and the blank separator
    /// line is missing; the body starts at that line.
    MissingHeaderBodySeparator,
    /// A field name is empty.
    EmptyFieldName,
    /// Whitespace between a field name and its colon (obs-optional,
    /// RFC 5322 §4.5).
    WhitespaceBeforeColon,
    /// The input ended inside the header section (no blank line, no body).
    MissingBody,
    /// Non-ASCII bytes that are not valid UTF-8 in a header (RFC 6532 §3.2).
    InvalidUtf8,
    /// Raw NUL or other control bytes where the grammar does not allow them.
    InvalidControlCharacter,
    /// An RFC 2047 encoded word that could not be decoded; it was left as
    /// written.
    InvalidEncodedWord,
    /// An RFC 2047 encoded word names a charset that is not known; it was
    /// left as written.
    UnknownCharset,
    /// Bytes that are not valid in the encoded word's charset; they were
    /// replaced by U+FFFD.
    CharsetDecodeError,
    /// An RFC 2047 encoded word not separated from surrounding text by
    /// whitespace (RFC 2047 §5); it was decoded anyway.
    EncodedWordNotDelimited,
    /// An RFC 2047 encoded word inside a quoted string (RFC 2047 §5(3)
    /// forbids it); it was decoded anyway.
    EncodedWordInQuotedString,
    /// An RFC 2047 encoded word longer than 75 characters (RFC 2047 §2); it
    /// was decoded anyway.
    EncodedWordTooLong,
    /// Raw 8-bit bytes inside an RFC 2047 encoded word (RFC 2047 §5 allows
    /// only printable ASCII there); they were decoded in the word's charset.
    EightBitInEncodedWord,
    /// Obsolete syntax of RFC 5322 §4 was used (accepted).
    ObsoleteSyntax,
    /// An unterminated comment, quoted string or angle address.
    Unterminated,
    /// Syntax outside RFC 5322 (even its obsolete part) that is common and
    /// was accepted: full day or month names, a missing comma after the day
    /// of week, a one-digit hour, the `UTC` zone name.
    NonStandardSyntax,
    /// Text that does not fit the field's grammar was skipped.
    UnexpectedText,
    /// An empty element in an address or msg-id list (`a@b,,c@d`; obs-mbox-list).
    EmptyListElement,
    /// An address without a domain (`<user>`); accepted as local part only.
    MissingDomain,
    /// The day of week does not match the date (RFC 5322 §3.3).
    DayOfWeekMismatch,
    /// An unknown time-zone name, or a military zone (RFC 5322 §4.3: taken
    /// as `-0000`).
    UnknownTimeZone,
    /// A two- or three-digit year (RFC 5322 §4.3).
    ObsoleteYear,
    /// Nesting of comments deeper than the parser allows.
    NestingTooDeep,
}

impl fmt::Display for DefectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::BareLf => "bare lf line ending",
            Self::BareCr => "bare cr",
            Self::LineTooLong => "line longer than 998 characters",
            Self::FirstLineIsContinuation => "first header line is a continuation",
            Self::MissingHeaderBodySeparator => "missing blank line between header and body",
            Self::EmptyFieldName => "empty field name",
            Self::WhitespaceBeforeColon => "whitespace before colon in field name",
            Self::MissingBody => "input ends inside the header section",
            Self::InvalidUtf8 => "invalid utf-8 in header",
            Self::InvalidControlCharacter => "invalid control character",
            Self::InvalidEncodedWord => "invalid encoded word",
            Self::UnknownCharset => "unknown charset",
            Self::CharsetDecodeError => "bytes invalid in charset",
            Self::EncodedWordNotDelimited => "encoded word not delimited by whitespace",
            Self::EncodedWordInQuotedString => "encoded word inside quoted string",
            Self::EncodedWordTooLong => "encoded word longer than 75 characters",
            Self::EightBitInEncodedWord => "raw 8-bit bytes inside encoded word",
            Self::ObsoleteSyntax => "obsolete syntax",
            Self::Unterminated => "unterminated comment, quoted string or angle address",
            Self::NonStandardSyntax => "non-standard syntax accepted",
            Self::UnexpectedText => "unexpected text skipped",
            Self::EmptyListElement => "empty list element",
            Self::MissingDomain => "address without domain",
            Self::DayOfWeekMismatch => "day of week does not match date",
            Self::UnknownTimeZone => "unknown or military time zone",
            Self::ObsoleteYear => "two- or three-digit year",
            Self::NestingTooDeep => "comments nested too deeply",
        })
    }
}

/// A failure to parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// More header fields than [`crate::Limits::max_header_count`].
    #[error("too many header fields (limit {limit}) at offset {offset}")]
    TooManyHeaders {
        /// The limit.
        limit: usize,
        /// Offset of the first field over the limit.
        offset: usize,
    },
    /// A header line longer than [`crate::Limits::max_line_length`].
    #[error("header line too long (limit {limit}) at offset {offset}")]
    LineTooLong {
        /// The limit.
        limit: usize,
        /// Offset of the start of the line.
        offset: usize,
    },
    /// A header section larger than [`crate::Limits::max_header_section`].
    #[error("header section too large (limit {limit})")]
    HeaderSectionTooLarge {
        /// The limit.
        limit: usize,
    },
    /// Strict mode: the lenient parser would have reported this defect.
    #[error("strict mode: {0}")]
    Defect(Defect),
    /// The input does not match the grammar at all.
    #[error("syntax error at offset {offset}: expected {expected}")]
    Syntax {
        /// Offset in the parsed input.
        offset: usize,
        /// The syntax that was expected (an ABNF rule name).
        expected: &'static str,
    },
}

impl Error {
    pub(crate) const fn syntax(offset: usize, expected: &'static str) -> Self {
        Self::Syntax { offset, expected }
    }
}

/// A parsed value together with the defects found while parsing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The value.
    pub value: T,
    /// The defects, in input order.
    pub defects: Vec<Defect>,
}

impl<T> Parsed<T> {
    /// The value if there were no defects, else the first defect as an
    /// [`Error::Defect`].
    ///
    /// # Errors
    /// [`Error::Defect`] with the first defect.
    pub fn strict(self) -> Result<T, Error> {
        match self.defects.first() {
            Some(d) => Err(Error::Defect(*d)),
            None => Ok(self.value),
        }
    }

    /// The value, ignoring defects.
    pub fn into_value(self) -> T {
        self.value
    }
}

/// A value that cannot be written safely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// A field name that is empty, longer than 100 bytes, or has a byte
    /// outside printable ASCII other than `:` (RFC 5322 §2.2).
    #[error("invalid field name")]
    InvalidFieldName,
    /// An address that cannot be written: control characters or line
    /// breaks in it, a malformed domain, or non-ASCII in 7-bit mode (RFC
    /// 2047 does not allow encoded words in addresses).
    #[error("address cannot be written: {reason}")]
    InvalidAddress {
        /// What is wrong.
        reason: &'static str,
    },
    /// A msg-id that is not `dot-atom-text@(dot-atom-text / no-fold-literal)`.
    #[error("invalid msg-id")]
    InvalidMsgId,
    /// A pre-formatted structured value that cannot be written safely.
    #[error("value cannot be written: {reason}")]
    InvalidValue {
        /// What is wrong.
        reason: &'static str,
    },
}
