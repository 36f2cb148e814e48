//! SEARCH evaluation, SORT and THREAD (RFC 9051 §6.4.4, RFC 3501 §6.4.4,
//! RFC 4731, RFC 7162 §3.1.5, RFC 5256, RFC 5957) over messages a server
//! holds, lent as [`StoredMessage`]s.
//!
//! - [`search`]: compile search keys once into a [`search::Query`]
//!   (search strings converted from the command's CHARSET, unknown charsets
//!   refused with a typed [`QueryError::BadCharset`]), evaluate it per
//!   message, and render the result as `* SEARCH` or `* ESEARCH`.
//! - [`sort`]: RFC 5256 SORT with every criterion, REVERSE, and the
//!   sequence-number tie-breaker.
//! - [`thread`]: THREAD=ORDEREDSUBJECT and THREAD=REFERENCES (RFC 5256 §3).
//! - [`subject`]: the RFC 5256 §2.1 base subject.
//! - [`text`]: the case-insensitive substring matcher behind every string
//!   key (memchr-based on raw bytes for ASCII needles, Unicode lowercase
//!   otherwise).
//!
//! ```
//! use mailwire_imap_proto::datetime::DateTime;
//! use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
//! use mailwire_imap_proto::query::search::{Context, Query};
//! use mailwire_imap_proto::search::search_keys;
//!
//! let raw = b"Subject: =?ISO-8859-1?Q?caf=E9?=\r\nFrom: Joe <joe@example.com>\r\n\r\nHello world\r\n";
//! let parsed = mailwire_mime::Message::parse(raw).unwrap();
//! let (internal_date, _) = DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
//! let meta = MessageMeta { seq: 1, uid: 10, flags: &[], recent: false, internal_date, modseq: 1 };
//! let msg = StoredMessage { raw, parsed: &parsed, meta };
//!
//! let (_, keys) = search_keys(b"SUBJECT CAF\xc3\x89 BODY world UNSEEN\r\n").unwrap();
//! let query = Query::new(&keys, None).unwrap();
//! let ctx = Context::new(1, 10);
//! assert!(query.matches(&msg, &ctx));
//! let result = query.evaluate([msg], &ctx);
//! assert_eq!(result.ids(true), vec![10]);
//! ```

use std::borrow::Cow;

use crate::code::Code;
use crate::datetime::DateTime;
use crate::message::StoredMessage;
use crate::primitive::IString;

pub mod search;
pub mod sort;
pub mod subject;
pub mod text;
pub mod thread;

/// Why a SEARCH, SORT or THREAD cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The CHARSET of the command is not supported (RFC 9051 §6.4.4: the
    /// server answers `NO [BADCHARSET]`, see [`QueryError::code`]).
    #[error("unsupported charset {charset:?}")]
    BadCharset {
        /// The charset name as the client sent it.
        charset: String,
    },
    /// The THREAD algorithm is not one this module implements.
    #[error("unsupported threading algorithm {algorithm:?}")]
    UnsupportedAlgorithm {
        /// The algorithm name as the client sent it.
        algorithm: String,
    },
}

impl QueryError {
    /// The response code for the tagged `NO`: `[BADCHARSET (UTF-8 US-ASCII)]`
    /// for a charset error, listing the charsets that are always supported;
    /// `None` otherwise.
    #[must_use]
    pub fn code(&self) -> Option<Code<'static>> {
        match self {
            QueryError::BadCharset { .. } => Some(Code::BadCharset(
                ["UTF-8", "US-ASCII"]
                    .into_iter()
                    .filter_map(|s| IString::new(s.as_bytes()).ok())
                    .map(IString::into_owned)
                    .collect(),
            )),
            QueryError::UnsupportedAlgorithm { .. } => None,
        }
    }
}

/// Seconds since the Unix epoch of an IMAP date-time (its zone applied).
pub(crate) fn imap_timestamp(d: &DateTime) -> i64 {
    let date = d.date();
    days_from_civil(
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    ) * 86_400
        + i64::from(d.hour()) * 3600
        + i64::from(d.minute()) * 60
        + i64::from(d.second())
        - i64::from(d.zone_minutes()) * 60
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The parsed `Date:` header of a message, if present and valid.
pub(crate) fn date_header(msg: &StoredMessage<'_>) -> Option<mailwire_rfc5322::datetime::DateTime> {
    let f = msg.parsed.root().header("date")?;
    mailwire_rfc5322::datetime::DateTime::parse(f.raw_value())
        .ok()
        .map(|p| p.value)
}

/// The RFC 5256 §2.2 sent date: the `Date:` header in UTC seconds, or the
/// INTERNALDATE when the header is missing or unparsable.
#[must_use]
pub fn sent_date(msg: &StoredMessage<'_>) -> i64 {
    match date_header(msg) {
        Some(d) => d.unix_timestamp(),
        None => imap_timestamp(&msg.meta.internal_date),
    }
}

/// The first field named `name` of the top-level header, unfolded and
/// RFC 2047-decoded; empty when absent.
pub(crate) fn header_text<'m>(msg: &StoredMessage<'m>, name: &str) -> Cow<'m, str> {
    msg.parsed
        .root()
        .header(name)
        .map_or(Cow::Borrowed(""), |f| f.text())
}
