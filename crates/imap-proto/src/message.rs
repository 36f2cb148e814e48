//! What a server knows about one stored message, shared by the server-side
//! helpers ([`crate::render`] for FETCH, [`crate::query`] for SEARCH, SORT and
//! THREAD).
//!
//! The helpers are pure functions: the application keeps its messages
//! wherever it likes and lends each one as a [`StoredMessage`]: the raw bytes
//! (with CRLF line endings, as IMAP sends them), the parsed MIME tree over
//! those bytes, and the per-mailbox metadata.
//!
//! ```
//! use mailwire_imap_proto::datetime::DateTime;
//! use mailwire_imap_proto::flag::Flag;
//! use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
//!
//! let raw = b"Subject: hi\r\n\r\nbody\r\n";
//! let parsed = mailwire_mime::Message::parse(raw).unwrap();
//! let flags = [Flag::Seen];
//! let (internal_date, _) = DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
//! let meta = MessageMeta { seq: 1, uid: 4827, flags: &flags, recent: false, internal_date, modseq: 7 };
//! let msg = StoredMessage { raw, parsed: &parsed, meta };
//! assert_eq!(msg.size(), 21);
//! ```

use crate::datetime::DateTime;
use crate::flag::Flag;

/// Per-mailbox facts about a message that are not in its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageMeta<'a> {
    /// The message sequence number in the session's current view (1-based).
    pub seq: u32,
    /// The UID (RFC 9051 §2.3.1.1), never 0.
    pub uid: u32,
    /// The stored flags, without `\Recent`.
    pub flags: &'a [Flag<'a>],
    /// `\Recent` for this session (IMAP4rev1 only; RFC 9051 drops it).
    pub recent: bool,
    /// The INTERNALDATE (RFC 9051 §2.3.3).
    pub internal_date: DateTime,
    /// The per-message mod-sequence (RFC 7162 §3.1); 0 where CONDSTORE is not
    /// kept.
    pub modseq: u64,
}

/// One message lent to the server-side helpers.
#[derive(Debug, Clone, Copy)]
pub struct StoredMessage<'a> {
    /// The whole message, CRLF line endings. RFC822.SIZE is its length.
    pub raw: &'a [u8],
    /// The MIME tree parsed from `raw`.
    pub parsed: &'a mailwire_mime::Message<'a>,
    /// The metadata.
    pub meta: MessageMeta<'a>,
}

impl StoredMessage<'_> {
    /// RFC822.SIZE: the number of octets in the message (RFC 9051 §2.3.4).
    #[must_use]
    pub fn size(&self) -> u64 {
        self.raw.len() as u64
    }

    /// Whether the message carries `flag` (`\Recent` is [`MessageMeta::recent`]).
    #[must_use]
    pub fn has_flag(&self, flag: &Flag<'_>) -> bool {
        self.meta.flags.iter().any(|f| flag_eq(f, flag))
    }
}

/// Flag equality as IMAP defines it: system flags and keywords compare
/// case-insensitively (RFC 9051 §2.3.2: "flag names are case-insensitive").
#[must_use]
pub fn flag_eq(a: &Flag<'_>, b: &Flag<'_>) -> bool {
    match (a, b) {
        (Flag::Keyword(x), Flag::Keyword(y)) | (Flag::Extension(x), Flag::Extension(y)) => {
            x.as_str().eq_ignore_ascii_case(y.as_str())
        }
        _ => a == b,
    }
}
