//! SORT (RFC 5256 §3, DISPLAYFROM/DISPLAYTO of RFC 5957).
//!
//! Keys are computed once per message, then the messages are sorted by the
//! criteria in order, each possibly REVERSE, with the sequence number as
//! the final, never reversed, tie-breaker. Strings collate with
//! [`subject::casemap`](super::subject::casemap) (i;ascii-casemap on ASCII);
//! an absent header is the empty string, which sorts first.
//!
//! ```
//! use mailwire_imap_proto::datetime::DateTime;
//! use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
//! use mailwire_imap_proto::query::sort::sort;
//! use mailwire_imap_proto::search::sort_criteria;
//!
//! let raws: [&[u8]; 3] = [b"Subject: b\r\n\r\n", b"Subject: Re: a\r\n\r\n", b"Subject: c\r\n\r\n"];
//! let parsed: Vec<_> = raws.iter().map(|r| mailwire_mime::Message::parse(r).unwrap()).collect();
//! let (internal_date, _) = DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
//! let msgs = (0..3).map(|i| StoredMessage { raw: raws[i], parsed: &parsed[i],
//!     meta: MessageMeta { seq: i as u32 + 1, uid: i as u32 + 100, flags: &[], recent: false,
//!     internal_date, modseq: 0 } });
//! let (_, criteria) = sort_criteria(b"(SUBJECT)").unwrap();
//! assert_eq!(sort(&criteria, msgs, false), vec![2, 1, 3]);
//! ```

use std::cmp::Ordering;

use mailwire_rfc5322::address::{AddressList, Mailbox};

use super::subject::{base_subject, casemap};
use crate::message::StoredMessage;
use crate::search::{SortCriterion, SortKey};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Num(i64),
    Str(String),
}

/// Sorts `messages` by `criteria`; returns their sequence numbers (UIDs
/// when `uid`) in order.
pub fn sort<'m>(
    criteria: &[SortCriterion],
    messages: impl IntoIterator<Item = StoredMessage<'m>>,
    uid: bool,
) -> Vec<u32> {
    let mut rows: Vec<(Vec<Value>, u32, u32)> = messages
        .into_iter()
        .map(|m| {
            let keys = criteria.iter().map(|c| value(c.key, &m)).collect();
            (keys, m.meta.seq, m.meta.uid)
        })
        .collect();
    rows.sort_by(|a, b| {
        for (i, c) in criteria.iter().enumerate() {
            let o = a.0.get(i).cmp(&b.0.get(i));
            let o = if c.reverse { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.1.cmp(&b.1)
    });
    rows.into_iter()
        .map(|(_, seq, u)| if uid { u } else { seq })
        .collect()
}

fn value(key: SortKey, m: &StoredMessage<'_>) -> Value {
    match key {
        SortKey::Arrival => Value::Num(super::imap_timestamp(&m.meta.internal_date)),
        SortKey::Date => Value::Num(super::sent_date(m)),
        SortKey::Size => Value::Num(i64::try_from(m.size()).unwrap_or(i64::MAX)),
        SortKey::Subject => Value::Str(base_subject(&super::header_text(m, "subject")).key()),
        SortKey::From => Value::Str(addr_mailbox(m, "from")),
        SortKey::To => Value::Str(addr_mailbox(m, "to")),
        SortKey::Cc => Value::Str(addr_mailbox(m, "cc")),
        SortKey::DisplayFrom => Value::Str(display(m, "from")),
        SortKey::DisplayTo => Value::Str(display(m, "to")),
    }
}

fn first_mailbox<R>(
    m: &StoredMessage<'_>,
    field: &str,
    f: impl FnOnce(&Mailbox<'_>) -> R,
) -> Option<R> {
    let h = m.parsed.root().header(field)?;
    let list = AddressList::parse(h.raw_value()).value;
    list.mailboxes().next().map(f)
}

/// RFC 5256: the IMAP addr-mailbox (local part) of the first address.
fn addr_mailbox(m: &StoredMessage<'_>, field: &str) -> String {
    first_mailbox(m, field, |mb| casemap(&mb.local_part)).unwrap_or_default()
}

/// RFC 5957 §3: the display name of the first address when present and
/// not empty, else its addr-spec.
fn display(m: &StoredMessage<'_>, field: &str) -> String {
    first_mailbox(m, field, |mb| match mb.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => casemap(n),
        _ => casemap(&mb.addr_spec()),
    })
    .unwrap_or_default()
}
