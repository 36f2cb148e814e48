//! Errors (limits) and defects (everything else that is wrong but readable).

use crate::PartId;

/// Parse limits. Every size a sender controls is bounded; the defaults are
/// safe for untrusted mail.
///
/// ```
/// use mailwire_mime::Limits;
/// let mut limits = Limits::default();
/// limits.max_depth = 16;
/// assert_eq!(limits.max_parts, 10_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Maximum nesting depth of an entity (the root has depth 0; each
    /// multipart or message/rfc822 level adds one). Default 64.
    pub max_depth: usize,
    /// Maximum number of entities in the tree, root included. Default 10,000.
    pub max_parts: usize,
    /// Maximum number of base64/quoted-printable encoded message/rfc822
    /// levels on one path (each needs a decoded copy). Default 8.
    pub max_encoded_nesting: usize,
    /// Maximum number of header fields in one entity. Default 10,000.
    pub max_header_fields: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 64,
            max_parts: 10_000,
            max_encoded_nesting: 8,
            max_header_fields: 10_000,
        }
    }
}

/// How to parse: limits, and what to do when one is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ParseOptions {
    /// The limits.
    pub limits: Limits,
    /// When false (the default) exceeding a limit is an [`Error`]. When
    /// true, the entity that would exceed it is not expanded (its parent
    /// keeps the bytes as an opaque body) and a [`DefectKind::LimitReached`]
    /// is recorded instead.
    pub truncate_at_limits: bool,
}

/// Which limit was exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitKind {
    /// [`Limits::max_depth`].
    Depth,
    /// [`Limits::max_parts`].
    Parts,
    /// [`Limits::max_encoded_nesting`].
    EncodedNesting,
    /// [`Limits::max_header_fields`].
    HeaderFields,
}

impl std::fmt::Display for LimitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Depth => "nesting depth",
            Self::Parts => "part count",
            Self::EncodedNesting => "encoded message nesting",
            Self::HeaderFields => "header field count",
        })
    }
}

/// A parse failure: only limits make parsing fail; malformed input gives
/// [`Defect`]s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A limit was exceeded.
    #[error("{kind} limit of {limit} exceeded at offset {offset}")]
    LimitExceeded {
        /// Which limit.
        kind: LimitKind,
        /// Its configured value.
        limit: usize,
        /// Offset of the offending entity in its source (the input, or the
        /// decoded body of an encoded message/rfc822 part).
        offset: usize,
    },
}

/// What is wrong with a message that was still parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DefectKind {
    /// A header line that is neither a field nor a continuation; the body
    /// was taken to start there (no blank line separated them).
    MissingHeaderBodySeparator,
    /// A continuation line before the first field; ignored.
    ContinuationWithoutField,
    /// Content-Type was not `type/subtype`; text/plain assumed.
    InvalidContentType,
    /// multipart/* without a boundary parameter; treated as a leaf.
    MissingBoundary,
    /// No delimiter line for the boundary was found; the entity is then a
    /// leaf whose body is the raw text.
    StartBoundaryNotFound,
    /// The close-delimiter (`--boundary--`) is missing; the last part runs
    /// to the end of the multipart body.
    MissingCloseDelimiter,
    /// An unrecognised Content-Transfer-Encoding; the body is left as is.
    UnknownTransferEncoding,
    /// A multipart or message/rfc822 body with base64 or quoted-printable
    /// encoding (RFC 2045 §6.4 forbids it); multiparts are split as-is,
    /// messages are decoded first.
    EncodedComposite,
    /// A limit was reached with [`ParseOptions::truncate_at_limits`].
    LimitReached(LimitKind),
}

impl std::fmt::Display for DefectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MissingHeaderBodySeparator => {
                f.write_str("missing blank line between header and body")
            }
            Self::ContinuationWithoutField => {
                f.write_str("continuation line before the first header field")
            }
            Self::InvalidContentType => f.write_str("invalid content-type"),
            Self::MissingBoundary => f.write_str("multipart without boundary parameter"),
            Self::StartBoundaryNotFound => f.write_str("boundary delimiter not found"),
            Self::MissingCloseDelimiter => f.write_str("missing close-delimiter"),
            Self::UnknownTransferEncoding => f.write_str("unknown content-transfer-encoding"),
            Self::EncodedComposite => f.write_str("encoded multipart or message body"),
            Self::LimitReached(k) => write!(f, "{k} limit reached; rest left unparsed"),
        }
    }
}

/// A defect found while parsing the structure.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Defect {
    /// The entity it concerns.
    pub part: PartId,
    /// What is wrong.
    pub kind: DefectKind,
    /// Offset in the entity's source where it was noticed.
    pub offset: usize,
}

impl std::fmt::Display for Defect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at offset {}", self.kind, self.offset)
    }
}
