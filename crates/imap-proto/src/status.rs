//! STATUS data item names (RFC 9051 §6.3.11, RFC 7162, RFC 8438, RFC 8474).
//!
//! [`StatusAttribute`] is the item name a client asks for (STATUS command,
//! LIST-STATUS); [`StatusValue`] is the item with its value in a STATUS
//! response (`status-att-val`).
//!
//! ```
//! use mailwire_imap_proto::status::{status_att_list, status_value, StatusAttribute, StatusValue};
//! let (_, atts) = status_att_list(b"(UIDNEXT MESSAGES) ").unwrap();
//! assert_eq!(atts[0], StatusAttribute::UidNext);
//! let (_, v) = status_value(b"MESSAGES 231 ").unwrap();
//! assert_eq!(v, StatusValue::Messages(231));
//! ```

use std::borrow::Cow;
use std::fmt;
use std::num::{NonZeroU32, NonZeroU64};

use crate::primitive::{
    Encoder, PResult, Vec1, byte, fail, is_atom_char, keyword, nil, number, number64, nz_number,
    nz_number64, paren_list1, peek, sp,
};

/// A STATUS data item name (`status-att`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusAttribute {
    /// `MESSAGES`.
    Messages,
    /// `UIDNEXT`.
    UidNext,
    /// `UIDVALIDITY`.
    UidValidity,
    /// `UNSEEN`.
    Unseen,
    /// `DELETED` (IMAP4rev2).
    Deleted,
    /// `SIZE` (IMAP4rev2, STATUS=SIZE RFC 8438).
    Size,
    /// `RECENT` (IMAP4rev1).
    Recent,
    /// `HIGHESTMODSEQ` (CONDSTORE, RFC 7162).
    HighestModSeq,
    /// `APPENDLIMIT` (RFC 7889).
    AppendLimit,
    /// `MAILBOXID` (OBJECTID, RFC 8474).
    MailboxId,
    /// `DELETED-STORAGE` (QUOTA, RFC 9208).
    DeletedStorage,
}

const NAMES: &[(&str, StatusAttribute)] = &[
    ("MESSAGES", StatusAttribute::Messages),
    ("UIDNEXT", StatusAttribute::UidNext),
    ("UIDVALIDITY", StatusAttribute::UidValidity),
    ("UNSEEN", StatusAttribute::Unseen),
    ("DELETED", StatusAttribute::Deleted),
    ("SIZE", StatusAttribute::Size),
    ("RECENT", StatusAttribute::Recent),
    ("HIGHESTMODSEQ", StatusAttribute::HighestModSeq),
    ("APPENDLIMIT", StatusAttribute::AppendLimit),
    ("MAILBOXID", StatusAttribute::MailboxId),
    ("DELETED-STORAGE", StatusAttribute::DeletedStorage),
];

impl StatusAttribute {
    /// The item name.
    #[must_use]
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("MESSAGES", |(n, _)| n)
    }

    /// The item for a name (case-insensitive).
    #[must_use]
    pub fn from_name(n: &[u8]) -> Option<Self> {
        NAMES
            .iter()
            .find(|(name, _)| name.as_bytes().eq_ignore_ascii_case(n))
            .map(|(_, a)| *a)
    }
}

impl fmt::Display for StatusAttribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `status-att`.
pub fn status_att(input: &[u8]) -> PResult<'_, StatusAttribute> {
    let (r, k) = match keyword(input) {
        Err(nom::Err::Error(_)) => return fail(input, "status item"),
        other => other?,
    };
    match StatusAttribute::from_name(k) {
        Some(a) => Ok((r, a)),
        None => fail(input, "status item"),
    }
}

/// `"(" status-att *(SP status-att) ")"`.
pub fn status_att_list(input: &[u8]) -> PResult<'_, Vec1<StatusAttribute>> {
    paren_list1(status_att)(input)
}

/// Writes `"(" status-att *(SP status-att) ")"`.
pub fn write_status_att_list(enc: &mut Encoder, atts: &[StatusAttribute]) {
    enc.raw(b"(");
    for (i, a) in atts.iter().enumerate() {
        if i > 0 {
            enc.raw(b" ");
        }
        enc.raw(a.name().as_bytes());
    }
    enc.raw(b")");
}

/// An object identifier (`objectid`, RFC 8474 §7): 1*255 of letters, digits, `-`, `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectId<'a>(Cow<'a, str>);

fn is_objectid_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

impl<'a> ObjectId<'a> {
    /// `None` unless 1–255 characters of `A-Za-z0-9-_`.
    #[must_use]
    pub fn new(s: impl Into<Cow<'a, str>>) -> Option<Self> {
        let s = s.into();
        (!s.is_empty() && s.len() <= 255 && s.bytes().all(is_objectid_char)).then_some(ObjectId(s))
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> ObjectId<'static> {
        ObjectId(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Display for ObjectId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `objectid`.
pub fn objectid(input: &[u8]) -> PResult<'_, ObjectId<'_>> {
    let (r, b) = match nom::bytes::streaming::take_while1::<_, _, crate::error::NomError>(
        is_objectid_char,
    )(input)
    {
        Err(nom::Err::Error(_)) => return fail(input, "object id"),
        other => other?,
    };
    // The next byte must not be an atom char (the id ended).
    if b.len() > 255 || r.first().is_some_and(|&c| is_atom_char(c)) {
        return fail(input, "object id");
    }
    let s = String::from_utf8_lossy(b);
    Ok((r, ObjectId(s)))
}

/// A STATUS item with its value (`status-att-val`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusValue<'a> {
    /// `MESSAGES n`.
    Messages(u32),
    /// `UIDNEXT n`.
    UidNext(NonZeroU32),
    /// `UIDVALIDITY n`.
    UidValidity(NonZeroU32),
    /// `UNSEEN n`.
    Unseen(u32),
    /// `DELETED n`.
    Deleted(u32),
    /// `SIZE n` (number64).
    Size(u64),
    /// `RECENT n`.
    Recent(u32),
    /// `HIGHESTMODSEQ n` (0 when the mailbox doesn't support mod-sequences).
    HighestModSeq(u64),
    /// `APPENDLIMIT n` / `APPENDLIMIT NIL` (no limit).
    AppendLimit(Option<u32>),
    /// `MAILBOXID (id)`.
    MailboxId(ObjectId<'a>),
    /// `DELETED-STORAGE n`.
    DeletedStorage(u64),
}

impl StatusValue<'_> {
    /// The item name.
    #[must_use]
    pub fn attribute(&self) -> StatusAttribute {
        match self {
            StatusValue::Messages(_) => StatusAttribute::Messages,
            StatusValue::UidNext(_) => StatusAttribute::UidNext,
            StatusValue::UidValidity(_) => StatusAttribute::UidValidity,
            StatusValue::Unseen(_) => StatusAttribute::Unseen,
            StatusValue::Deleted(_) => StatusAttribute::Deleted,
            StatusValue::Size(_) => StatusAttribute::Size,
            StatusValue::Recent(_) => StatusAttribute::Recent,
            StatusValue::HighestModSeq(_) => StatusAttribute::HighestModSeq,
            StatusValue::AppendLimit(_) => StatusAttribute::AppendLimit,
            StatusValue::MailboxId(_) => StatusAttribute::MailboxId,
            StatusValue::DeletedStorage(_) => StatusAttribute::DeletedStorage,
        }
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> StatusValue<'static> {
        match self {
            StatusValue::Messages(n) => StatusValue::Messages(n),
            StatusValue::UidNext(n) => StatusValue::UidNext(n),
            StatusValue::UidValidity(n) => StatusValue::UidValidity(n),
            StatusValue::Unseen(n) => StatusValue::Unseen(n),
            StatusValue::Deleted(n) => StatusValue::Deleted(n),
            StatusValue::Size(n) => StatusValue::Size(n),
            StatusValue::Recent(n) => StatusValue::Recent(n),
            StatusValue::HighestModSeq(n) => StatusValue::HighestModSeq(n),
            StatusValue::AppendLimit(n) => StatusValue::AppendLimit(n),
            StatusValue::MailboxId(id) => StatusValue::MailboxId(id.into_owned()),
            StatusValue::DeletedStorage(n) => StatusValue::DeletedStorage(n),
        }
    }

    /// Writes `NAME value`.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(self.attribute().name().as_bytes());
        enc.raw(b" ");
        match self {
            StatusValue::Messages(n)
            | StatusValue::Unseen(n)
            | StatusValue::Deleted(n)
            | StatusValue::Recent(n) => {
                enc.number(u64::from(*n));
            }
            StatusValue::UidNext(n) | StatusValue::UidValidity(n) => enc.number(u64::from(n.get())),
            StatusValue::Size(n)
            | StatusValue::HighestModSeq(n)
            | StatusValue::DeletedStorage(n) => enc.number(*n),
            StatusValue::AppendLimit(Some(n)) => enc.number(u64::from(*n)),
            StatusValue::AppendLimit(None) => enc.raw(b"NIL"),
            StatusValue::MailboxId(id) => {
                enc.raw(b"(");
                enc.raw(id.as_str().as_bytes());
                enc.raw(b")");
            }
        }
    }
}

/// `status-att-val`.
pub fn status_value(input: &[u8]) -> PResult<'_, StatusValue<'_>> {
    let (r, att) = status_att(input)?;
    let (r, ()) = sp(r)?;
    Ok(match att {
        StatusAttribute::Messages => {
            let (r, n) = number(r)?;
            (r, StatusValue::Messages(n))
        }
        StatusAttribute::UidNext => {
            let (r, n) = nz_number(r)?;
            (r, StatusValue::UidNext(n))
        }
        StatusAttribute::UidValidity => {
            let (r, n) = nz_number(r)?;
            (r, StatusValue::UidValidity(n))
        }
        StatusAttribute::Unseen => {
            let (r, n) = number(r)?;
            (r, StatusValue::Unseen(n))
        }
        StatusAttribute::Deleted => {
            let (r, n) = number(r)?;
            (r, StatusValue::Deleted(n))
        }
        StatusAttribute::Recent => {
            let (r, n) = number(r)?;
            (r, StatusValue::Recent(n))
        }
        StatusAttribute::Size => {
            let (r, n) = number64(r)?;
            (r, StatusValue::Size(n))
        }
        StatusAttribute::HighestModSeq => {
            let (r, n) = number64(r)?;
            (r, StatusValue::HighestModSeq(n))
        }
        StatusAttribute::DeletedStorage => {
            let (r, n) = number64(r)?;
            (r, StatusValue::DeletedStorage(n))
        }
        StatusAttribute::AppendLimit => match peek(r)? {
            (_, b'N' | b'n') => {
                let (r, ()) = nil(r)?;
                (r, StatusValue::AppendLimit(None))
            }
            _ => {
                let (r, n) = number(r)?;
                (r, StatusValue::AppendLimit(Some(n)))
            }
        },
        StatusAttribute::MailboxId => {
            let (r, ()) = byte(b'(', "(")(r)?;
            let (r, id) = objectid(r)?;
            let (r, ()) = byte(b')', ")")(r)?;
            (r, StatusValue::MailboxId(id))
        }
    })
}

/// Parses a non-zero mod-sequence (`mod-sequence-value`, RFC 7162).
pub fn mod_sequence_value(input: &[u8]) -> PResult<'_, NonZeroU64> {
    nz_number64(input)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn values_round_trip() {
        for s in [
            "MESSAGES 231",
            "UIDNEXT 44292",
            "UIDVALIDITY 1",
            "UNSEEN 0",
            "DELETED 3",
            "SIZE 9223372036854775807",
            "RECENT 1",
            "HIGHESTMODSEQ 7011231777",
            "APPENDLIMIT NIL",
            "APPENDLIMIT 257890",
            "MAILBOXID (F2212ea87-6097-4256-9d51-71338625)",
            "DELETED-STORAGE 12",
        ] {
            let input = format!("{s})");
            let (r, v) = status_value(input.as_bytes()).unwrap();
            assert_eq!(r, b")");
            let mut e = Encoder::default();
            v.write(&mut e);
            assert_eq!(e.as_bytes(), s.as_bytes());
        }
        assert!(status_value(b"UIDNEXT 0)").is_err());
        assert!(status_value(b"BOGUS 1)").is_err());
        assert!(matches!(
            status_value(b"MESSAGES 23"),
            Err(nom::Err::Incomplete(_))
        ));
    }

    #[test]
    fn names() {
        let (_, l) = status_att_list(b"(messages RECENT deleted-storage) ").unwrap();
        assert_eq!(
            l.as_slice(),
            &[
                StatusAttribute::Messages,
                StatusAttribute::Recent,
                StatusAttribute::DeletedStorage
            ]
        );
        assert!(status_att_list(b"() ").is_err());
    }
}
