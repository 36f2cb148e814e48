//! Flags, keywords, permanent flags and mailbox (LIST) attributes (RFC 9051 §2.3.2, §7.3.1; RFC 6154; RFC 3348).
//!
//! ```
//! use mailwire_imap_proto::flag::{Flag, flag_list};
//! let (_, flags) = flag_list(b"(\\Seen $Forwarded) ").unwrap();
//! assert_eq!(flags[0], Flag::Seen);
//! assert_eq!(flags[1].to_string(), "$Forwarded");
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::primitive::{Atom, Encoder, PResult, atom, byte, fail, paren_list, peek};

/// A message flag (`flag` in RFC 9051 §9).
///
/// Parsing maps the system flags to their variants case-insensitively; use
/// [`Flag::keyword`] and [`Flag::extension`] to build the others, which keep
/// every value writable and parsing back to the same variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Flag<'a> {
    /// `\Answered`.
    Answered,
    /// `\Flagged`.
    Flagged,
    /// `\Deleted`.
    Deleted,
    /// `\Seen`.
    Seen,
    /// `\Draft`.
    Draft,
    /// A keyword (`flag-keyword`), e.g. `$Forwarded`, `$MDNSent`, `Junk`.
    Keyword(Atom<'a>),
    /// A `\`-flag that is not a system flag (`flag-extension`).
    Extension(Atom<'a>),
}

impl<'a> Flag<'a> {
    /// A keyword flag.
    #[must_use]
    pub fn keyword(a: Atom<'a>) -> Self {
        Flag::Keyword(a)
    }

    /// A `\name` flag: a system flag variant if `name` is one, else an extension.
    #[must_use]
    pub fn extension(name: Atom<'a>) -> Self {
        match system_flag(name.as_str()) {
            Some(f) => f,
            None => Flag::Extension(name),
        }
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> Flag<'static> {
        match self {
            Flag::Answered => Flag::Answered,
            Flag::Flagged => Flag::Flagged,
            Flag::Deleted => Flag::Deleted,
            Flag::Seen => Flag::Seen,
            Flag::Draft => Flag::Draft,
            Flag::Keyword(a) => Flag::Keyword(a.into_owned()),
            Flag::Extension(a) => Flag::Extension(a.into_owned()),
        }
    }

    /// Writes the flag.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(self.to_string().as_bytes());
    }
}

fn system_flag(name: &str) -> Option<Flag<'static>> {
    Some(match name.to_ascii_lowercase().as_str() {
        "answered" => Flag::Answered,
        "flagged" => Flag::Flagged,
        "deleted" => Flag::Deleted,
        "seen" => Flag::Seen,
        "draft" => Flag::Draft,
        _ => return None,
    })
}

impl fmt::Display for Flag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Flag::Answered => f.write_str("\\Answered"),
            Flag::Flagged => f.write_str("\\Flagged"),
            Flag::Deleted => f.write_str("\\Deleted"),
            Flag::Seen => f.write_str("\\Seen"),
            Flag::Draft => f.write_str("\\Draft"),
            Flag::Keyword(a) => f.write_str(a.as_str()),
            Flag::Extension(a) => write!(f, "\\{a}"),
        }
    }
}

/// A flag in a FETCH response (`flag-fetch`): a flag or `\Recent` (IMAP4rev1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlagFetch<'a> {
    /// A flag.
    Flag(Flag<'a>),
    /// `\Recent` (RFC 3501; gone in IMAP4rev2).
    Recent,
}

impl FlagFetch<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> FlagFetch<'static> {
        match self {
            FlagFetch::Flag(f) => FlagFetch::Flag(f.into_owned()),
            FlagFetch::Recent => FlagFetch::Recent,
        }
    }

    /// Writes the flag.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(self.to_string().as_bytes());
    }
}

impl fmt::Display for FlagFetch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlagFetch::Flag(x) => write!(f, "{x}"),
            FlagFetch::Recent => f.write_str("\\Recent"),
        }
    }
}

/// A flag in a PERMANENTFLAGS response code (`flag-perm`): a flag or `\*`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FlagPerm<'a> {
    /// A flag.
    Flag(Flag<'a>),
    /// `\*`: new keywords may be created.
    Any,
}

impl FlagPerm<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> FlagPerm<'static> {
        match self {
            FlagPerm::Flag(f) => FlagPerm::Flag(f.into_owned()),
            FlagPerm::Any => FlagPerm::Any,
        }
    }

    /// Writes the flag.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(self.to_string().as_bytes());
    }
}

impl fmt::Display for FlagPerm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlagPerm::Flag(x) => write!(f, "{x}"),
            FlagPerm::Any => f.write_str("\\*"),
        }
    }
}

/// A mailbox attribute in LIST/LSUB responses and LIST-EXTENDED
/// (`mbx-list-flags`, RFC 9051 §7.3.1; RFC 5258; SPECIAL-USE RFC 6154;
/// CHILDREN RFC 3348).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MailboxAttribute<'a> {
    /// `\Noinferiors`.
    NoInferiors,
    /// `\Noselect`.
    NoSelect,
    /// `\Marked`.
    Marked,
    /// `\Unmarked`.
    Unmarked,
    /// `\NonExistent` (RFC 5258, RFC 9051).
    NonExistent,
    /// `\Subscribed`.
    Subscribed,
    /// `\Remote`.
    Remote,
    /// `\HasChildren` (RFC 3348).
    HasChildren,
    /// `\HasNoChildren` (RFC 3348).
    HasNoChildren,
    /// `\All` (SPECIAL-USE).
    All,
    /// `\Archive` (SPECIAL-USE).
    Archive,
    /// `\Drafts` (SPECIAL-USE).
    Drafts,
    /// `\Flagged` (SPECIAL-USE).
    Flagged,
    /// `\Junk` (SPECIAL-USE).
    Junk,
    /// `\Sent` (SPECIAL-USE).
    Sent,
    /// `\Trash` (SPECIAL-USE).
    Trash,
    /// Any other `\name`. Build it with [`MailboxAttribute::from_name`].
    Extension(Atom<'a>),
}

const ATTRS: &[(&str, MailboxAttribute<'static>)] = &[
    ("Noinferiors", MailboxAttribute::NoInferiors),
    ("Noselect", MailboxAttribute::NoSelect),
    ("Marked", MailboxAttribute::Marked),
    ("Unmarked", MailboxAttribute::Unmarked),
    ("NonExistent", MailboxAttribute::NonExistent),
    ("Subscribed", MailboxAttribute::Subscribed),
    ("Remote", MailboxAttribute::Remote),
    ("HasChildren", MailboxAttribute::HasChildren),
    ("HasNoChildren", MailboxAttribute::HasNoChildren),
    ("All", MailboxAttribute::All),
    ("Archive", MailboxAttribute::Archive),
    ("Drafts", MailboxAttribute::Drafts),
    ("Flagged", MailboxAttribute::Flagged),
    ("Junk", MailboxAttribute::Junk),
    ("Sent", MailboxAttribute::Sent),
    ("Trash", MailboxAttribute::Trash),
];

impl<'a> MailboxAttribute<'a> {
    /// The attribute named `\name` (case-insensitive for the known ones).
    #[must_use]
    pub fn from_name(name: Atom<'a>) -> Self {
        for (n, a) in ATTRS {
            if n.eq_ignore_ascii_case(name.as_str()) {
                return a.clone();
            }
        }
        MailboxAttribute::Extension(name)
    }

    /// `true` for the SPECIAL-USE attributes (RFC 6154 §2).
    #[must_use]
    pub fn is_special_use(&self) -> bool {
        matches!(
            self,
            MailboxAttribute::All
                | MailboxAttribute::Archive
                | MailboxAttribute::Drafts
                | MailboxAttribute::Flagged
                | MailboxAttribute::Junk
                | MailboxAttribute::Sent
                | MailboxAttribute::Trash
        )
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> MailboxAttribute<'static> {
        match self {
            MailboxAttribute::Extension(a) => MailboxAttribute::Extension(a.into_owned()),
            MailboxAttribute::NoInferiors => MailboxAttribute::NoInferiors,
            MailboxAttribute::NoSelect => MailboxAttribute::NoSelect,
            MailboxAttribute::Marked => MailboxAttribute::Marked,
            MailboxAttribute::Unmarked => MailboxAttribute::Unmarked,
            MailboxAttribute::NonExistent => MailboxAttribute::NonExistent,
            MailboxAttribute::Subscribed => MailboxAttribute::Subscribed,
            MailboxAttribute::Remote => MailboxAttribute::Remote,
            MailboxAttribute::HasChildren => MailboxAttribute::HasChildren,
            MailboxAttribute::HasNoChildren => MailboxAttribute::HasNoChildren,
            MailboxAttribute::All => MailboxAttribute::All,
            MailboxAttribute::Archive => MailboxAttribute::Archive,
            MailboxAttribute::Drafts => MailboxAttribute::Drafts,
            MailboxAttribute::Flagged => MailboxAttribute::Flagged,
            MailboxAttribute::Junk => MailboxAttribute::Junk,
            MailboxAttribute::Sent => MailboxAttribute::Sent,
            MailboxAttribute::Trash => MailboxAttribute::Trash,
        }
    }

    /// Writes the attribute.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(self.to_string().as_bytes());
    }
}

impl fmt::Display for MailboxAttribute<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let MailboxAttribute::Extension(a) = self {
            return write!(f, "\\{a}");
        }
        for (n, a) in ATTRS {
            if a == self {
                return write!(f, "\\{n}");
            }
        }
        Ok(())
    }
}

fn backslash_atom(input: &[u8]) -> PResult<'_, Atom<'_>> {
    let (r, ()) = byte(b'\\', "\\")(input)?;
    atom(r)
}

/// `flag`.
pub fn flag(input: &[u8]) -> PResult<'_, Flag<'_>> {
    match peek(input)? {
        (_, b'\\') => {
            let (r, a) = backslash_atom(input)?;
            Ok((r, Flag::extension(a)))
        }
        _ => match atom(input) {
            Ok((r, a)) => Ok((r, Flag::Keyword(a))),
            Err(nom::Err::Error(_)) => fail(input, "flag"),
            Err(e) => Err(e),
        },
    }
}

/// `flag-fetch`: flag / `\Recent`.
pub fn flag_fetch(input: &[u8]) -> PResult<'_, FlagFetch<'_>> {
    let (r, f) = flag(input)?;
    Ok((
        r,
        match f {
            Flag::Extension(a) if a.as_str().eq_ignore_ascii_case("recent") => FlagFetch::Recent,
            f => FlagFetch::Flag(f),
        },
    ))
}

/// `flag-perm`: flag / `\*`.
pub fn flag_perm(input: &[u8]) -> PResult<'_, FlagPerm<'_>> {
    if input.starts_with(b"\\*") {
        return Ok((&input[2..], FlagPerm::Any));
    }
    if input == b"\\" {
        return Err(nom::Err::Incomplete(nom::Needed::new(1)));
    }
    let (r, f) = flag(input)?;
    Ok((r, FlagPerm::Flag(f)))
}

/// `flag-keyword`: an atom (RFC 9051 also lists `$MDNSent` etc. by name).
pub fn flag_keyword(input: &[u8]) -> PResult<'_, Atom<'_>> {
    atom(input)
}

/// `flag-list`: `"(" [flag *(SP flag)] ")"`.
pub fn flag_list(input: &[u8]) -> PResult<'_, Vec<Flag<'_>>> {
    paren_list(flag)(input)
}

/// A mailbox attribute (`mbx-list-flag` / `mbx-list-oflag` / `use-attr`).
pub fn mailbox_attribute(input: &[u8]) -> PResult<'_, MailboxAttribute<'_>> {
    let (r, a) = match backslash_atom(input) {
        Err(nom::Err::Error(_)) => return fail(input, "mailbox attribute"),
        other => other?,
    };
    Ok((r, MailboxAttribute::from_name(a)))
}

/// Writes `"(" flag *(SP flag) ")"`.
pub fn write_flag_list(enc: &mut Encoder, flags: &[Flag<'_>]) {
    enc.raw(b"(");
    for (i, f) in flags.iter().enumerate() {
        if i > 0 {
            enc.raw(b" ");
        }
        f.write(enc);
    }
    enc.raw(b")");
}

/// Builds a keyword flag from text, if it is an atom.
pub fn keyword_from_str(s: &str) -> Option<Flag<'static>> {
    Atom::new(Cow::Owned(s.to_owned())).ok().map(Flag::Keyword)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn system_flags_case_insensitive() {
        assert_eq!(flag(b"\\SEEN ").unwrap().1, Flag::Seen);
        assert_eq!(flag(b"\\answered)").unwrap().1, Flag::Answered);
        assert_eq!(flag(b"\\Foo ").unwrap().1.to_string(), "\\Foo");
        assert_eq!(flag_fetch(b"\\Recent ").unwrap().1, FlagFetch::Recent);
        assert_eq!(flag_perm(b"\\* ").unwrap().1, FlagPerm::Any);
        assert!(flag(b"(x").is_err());
        assert!(matches!(flag_perm(b"\\"), Err(nom::Err::Incomplete(_))));
    }

    #[test]
    fn attributes() {
        let (_, a) =
            paren_list(mailbox_attribute)(b"(\\HasNoChildren \\Sent \\X-Custom) ").unwrap();
        assert_eq!(a[0], MailboxAttribute::HasNoChildren);
        assert!(a[1].is_special_use());
        assert_eq!(a[2].to_string(), "\\X-Custom");
        assert_eq!(MailboxAttribute::NoInferiors.to_string(), "\\Noinferiors");
    }

    #[test]
    fn write_list() {
        let mut e = Encoder::default();
        write_flag_list(&mut e, &[Flag::Seen, keyword_from_str("$Junk").unwrap()]);
        assert_eq!(e.as_bytes(), b"(\\Seen $Junk)");
    }
}
