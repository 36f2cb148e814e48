//! Capabilities and ENABLE-able extensions (RFC 9051 §7.2.2 and the extension RFCs).
//!
//! ```
//! use mailwire_imap_proto::capability::Capability;
//! let c = Capability::from_name("auth=plain").unwrap();
//! assert_eq!(c.to_string(), "AUTH=PLAIN");
//! assert_eq!(Capability::from_name("LITERAL+").unwrap(), Capability::LiteralPlus);
//! assert_eq!(Capability::from_name("X-FOO").unwrap().to_string(), "X-FOO");
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::primitive::{Atom, Encoder, InvalidValue, PResult, atom, fail};

/// One capability name. Known names get a variant (compared case-insensitively);
/// unknown ones are kept as [`Capability::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability<'a> {
    /// `IMAP4rev1` (RFC 3501).
    Imap4Rev1,
    /// `IMAP4rev2` (RFC 9051).
    Imap4Rev2,
    /// `STARTTLS`.
    StartTls,
    /// `LOGINDISABLED`.
    LoginDisabled,
    /// `AUTH=<mechanism>` (mechanism name upper-cased).
    Auth(Atom<'a>),
    /// `SASL-IR` (RFC 4959).
    SaslIr,
    /// `LITERAL+` (RFC 7888).
    LiteralPlus,
    /// `LITERAL-` (RFC 7888).
    LiteralMinus,
    /// `IDLE` (RFC 2177).
    Idle,
    /// `UIDPLUS` (RFC 4315).
    UidPlus,
    /// `MOVE` (RFC 6851).
    Move,
    /// `ENABLE` (RFC 5161).
    Enable,
    /// `NAMESPACE` (RFC 2342).
    Namespace,
    /// `ID` (RFC 2971).
    Id,
    /// `CONDSTORE` (RFC 7162).
    CondStore,
    /// `QRESYNC` (RFC 7162).
    QResync,
    /// `ESEARCH` (RFC 4731).
    ESearch,
    /// `SEARCHRES` (RFC 5182).
    SearchRes,
    /// `SPECIAL-USE` (RFC 6154).
    SpecialUse,
    /// `CREATE-SPECIAL-USE` (RFC 6154).
    CreateSpecialUse,
    /// `LIST-EXTENDED` (RFC 5258).
    ListExtended,
    /// `LIST-STATUS` (RFC 5819).
    ListStatus,
    /// `UNSELECT` (RFC 3691).
    Unselect,
    /// `CHILDREN` (RFC 3348).
    Children,
    /// `BINARY` (RFC 3516).
    Binary,
    /// `APPENDLIMIT` / `APPENDLIMIT=<n>` (RFC 7889).
    AppendLimit(Option<u64>),
    /// `UTF8=ACCEPT` (RFC 6855).
    Utf8Accept,
    /// `UTF8=ONLY` (RFC 6855).
    Utf8Only,
    /// `STATUS=SIZE` (RFC 8438).
    StatusSize,
    /// `SORT` (RFC 5256).
    Sort,
    /// `SORT=DISPLAY` (RFC 5957).
    SortDisplay,
    /// `THREAD=<algorithm>` (RFC 5256).
    Thread(Atom<'a>),
    /// `QUOTA` (RFC 9208).
    Quota,
    /// `QUOTASET` (RFC 9208).
    QuotaSet,
    /// `QUOTA=RES-<resource>` (RFC 9208).
    QuotaRes(Atom<'a>),
    /// `MULTIAPPEND` (RFC 3502).
    MultiAppend,
    /// `COMPRESS=<algorithm>`, e.g. `DEFLATE` (RFC 4978).
    Compress(Atom<'a>),
    /// `OBJECTID` (RFC 8474).
    ObjectId,
    /// Any other capability, as sent.
    Other(Atom<'a>),
}

const SIMPLE: &[(&str, Capability<'static>)] = &[
    ("IMAP4rev1", Capability::Imap4Rev1),
    ("IMAP4rev2", Capability::Imap4Rev2),
    ("STARTTLS", Capability::StartTls),
    ("LOGINDISABLED", Capability::LoginDisabled),
    ("SASL-IR", Capability::SaslIr),
    ("LITERAL+", Capability::LiteralPlus),
    ("LITERAL-", Capability::LiteralMinus),
    ("IDLE", Capability::Idle),
    ("UIDPLUS", Capability::UidPlus),
    ("MOVE", Capability::Move),
    ("ENABLE", Capability::Enable),
    ("NAMESPACE", Capability::Namespace),
    ("ID", Capability::Id),
    ("CONDSTORE", Capability::CondStore),
    ("QRESYNC", Capability::QResync),
    ("ESEARCH", Capability::ESearch),
    ("SEARCHRES", Capability::SearchRes),
    ("SPECIAL-USE", Capability::SpecialUse),
    ("CREATE-SPECIAL-USE", Capability::CreateSpecialUse),
    ("LIST-EXTENDED", Capability::ListExtended),
    ("LIST-STATUS", Capability::ListStatus),
    ("UNSELECT", Capability::Unselect),
    ("CHILDREN", Capability::Children),
    ("BINARY", Capability::Binary),
    ("APPENDLIMIT", Capability::AppendLimit(None)),
    ("UTF8=ACCEPT", Capability::Utf8Accept),
    ("UTF8=ONLY", Capability::Utf8Only),
    ("STATUS=SIZE", Capability::StatusSize),
    ("SORT", Capability::Sort),
    ("SORT=DISPLAY", Capability::SortDisplay),
    ("QUOTA", Capability::Quota),
    ("QUOTASET", Capability::QuotaSet),
    ("MULTIAPPEND", Capability::MultiAppend),
    ("OBJECTID", Capability::ObjectId),
];

fn prefixed<'a>(a: &Atom<'a>, prefix: &str) -> Option<Atom<'a>> {
    let s = a.as_str();
    if s.len() > prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Atom::new(Cow::Owned(s[prefix.len()..].to_ascii_uppercase())).ok()
    } else {
        None
    }
}

impl<'a> Capability<'a> {
    /// The capability for an atom (the normal constructor; it never yields
    /// `Other` for a name that has a variant).
    #[must_use]
    pub fn from_atom(a: Atom<'a>) -> Self {
        let s = a.as_str();
        for (n, c) in SIMPLE {
            if n.eq_ignore_ascii_case(s) {
                return c.clone();
            }
        }
        if let Some(m) = prefixed(&a, "AUTH=") {
            return Capability::Auth(m);
        }
        if let Some(m) = prefixed(&a, "THREAD=") {
            return Capability::Thread(m);
        }
        if let Some(m) = prefixed(&a, "COMPRESS=") {
            return Capability::Compress(m);
        }
        if let Some(m) = prefixed(&a, "QUOTA=RES-") {
            return Capability::QuotaRes(m);
        }
        if let Some(m) = prefixed(&a, "APPENDLIMIT=")
            && let Ok(n) = m.as_str().parse::<u64>()
            && m.as_str().bytes().all(|b| b.is_ascii_digit())
        {
            return Capability::AppendLimit(Some(n));
        }
        Capability::Other(a)
    }

    /// The capability for a name; fails if the name is not an atom.
    pub fn from_name(name: &str) -> Result<Capability<'static>, InvalidValue> {
        Ok(Capability::from_atom(Atom::new(Cow::Owned(
            name.to_owned(),
        ))?))
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> Capability<'static> {
        match self {
            Capability::Auth(a) => Capability::Auth(a.into_owned()),
            Capability::Thread(a) => Capability::Thread(a.into_owned()),
            Capability::QuotaRes(a) => Capability::QuotaRes(a.into_owned()),
            Capability::Compress(a) => Capability::Compress(a.into_owned()),
            Capability::Other(a) => Capability::Other(a.into_owned()),
            Capability::AppendLimit(n) => Capability::AppendLimit(n),
            other => {
                for (_, c) in SIMPLE {
                    if *c == other {
                        return c.clone();
                    }
                }
                Capability::Imap4Rev1
            }
        }
    }

    /// Writes the name.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(self.to_string().as_bytes());
    }
}

impl fmt::Display for Capability<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Capability::Auth(m) => write!(f, "AUTH={m}"),
            Capability::Thread(m) => write!(f, "THREAD={m}"),
            Capability::Compress(m) => write!(f, "COMPRESS={m}"),
            Capability::QuotaRes(m) => write!(f, "QUOTA=RES-{m}"),
            Capability::AppendLimit(Some(n)) => write!(f, "APPENDLIMIT={n}"),
            Capability::Other(a) => f.write_str(a.as_str()),
            other => {
                for (n, c) in SIMPLE {
                    if c == other {
                        return f.write_str(n);
                    }
                }
                Ok(())
            }
        }
    }
}

/// `capability`: an atom, mapped to a [`Capability`].
pub fn capability(input: &[u8]) -> PResult<'_, Capability<'_>> {
    match atom(input) {
        Ok((r, a)) => Ok((r, Capability::from_atom(a))),
        Err(nom::Err::Error(_)) => fail(input, "capability"),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn names_round_trip() {
        for n in [
            "IMAP4rev1",
            "IMAP4rev2",
            "AUTH=PLAIN",
            "AUTH=SCRAM-SHA-256",
            "LITERAL+",
            "LITERAL-",
            "APPENDLIMIT",
            "APPENDLIMIT=35651584",
            "THREAD=REFERENCES",
            "QUOTA=RES-STORAGE",
            "COMPRESS=DEFLATE",
            "UTF8=ACCEPT",
            "STATUS=SIZE",
            "X-GM-EXT-1",
        ] {
            let c = Capability::from_name(n).unwrap();
            assert_eq!(c.to_string(), n);
            let input = format!("{n} ");
            let (_, parsed) = capability(input.as_bytes()).unwrap();
            assert_eq!(parsed, c);
        }
        assert_eq!(Capability::from_name("idle").unwrap(), Capability::Idle);
        assert!(matches!(
            Capability::from_name("APPENDLIMIT=x").unwrap(),
            Capability::Other(_)
        ));
        assert!(Capability::from_name("A B").is_err());
    }
}
