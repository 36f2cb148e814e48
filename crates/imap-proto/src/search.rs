//! SEARCH keys: the full key grammar with OR/NOT/parentheses, and ESEARCH return options (RFC 9051 §6.4.4, RFC 4731).
//!
//! Also: MODSEQ search (RFC 7162 §3.1.5), EMAILID/THREADID (RFC 8474),
//! SORT criteria and THREAD algorithms (RFC 5256, RFC 5957).
//! Nesting (parentheses, NOT, OR) is bounded by [`MAX_SEARCH_DEPTH`].
//!
//! ```
//! use mailwire_imap_proto::search::{search_key, SearchKey};
//! let (_, k) = search_key(b"OR (FROM smith SINCE 1-Feb-1994) NOT SEEN\r\n").unwrap();
//! assert!(matches!(k, SearchKey::Or(..)));
//! assert_eq!(k.to_string(), "OR (FROM smith SINCE 1-Feb-1994) NOT SEEN");
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::datetime::{Date, date};
use crate::error::NomError;
use crate::flag::flag_keyword;
use crate::primitive::{
    Atom, Encoder, IString, InvalidValue, PResult, Vec1, astring, atom, charset as charset_p, fail,
    is_atom_char, is_text_char, keyword, number64, paren_list, paren_list1, peek, quoted, sp,
};
use crate::sequence::{SequenceSet, sequence_set};
use crate::status::{ObjectId, objectid};

/// The deepest nesting of parentheses, NOT and OR in one search.
pub const MAX_SEARCH_DEPTH: usize = 32;

/// A charset name (`charset`: atom / quoted).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Charset<'a>(Cow<'a, str>);

impl<'a> Charset<'a> {
    /// Fails unless 7-bit text without CR/LF (so it can be quoted).
    pub fn new(s: impl Into<Cow<'a, str>>) -> Result<Self, InvalidValue> {
        let s = s.into();
        if let Some(index) = s.bytes().position(|b| !is_text_char(b)) {
            return Err(InvalidValue::Byte {
                byte: s.as_bytes()[index],
                index,
            });
        }
        Ok(Charset(s))
    }

    /// The name.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> Charset<'static> {
        Charset(Cow::Owned(self.0.into_owned()))
    }

    /// Writes an atom when possible, else a quoted string.
    pub fn write(&self, enc: &mut Encoder) {
        if !self.0.is_empty() && self.0.bytes().all(is_atom_char) {
            enc.raw(self.0.as_bytes());
        } else {
            enc.string(self.0.as_bytes());
        }
    }
}

/// `charset` as a [`Charset`].
pub fn charset(input: &[u8]) -> PResult<'_, Charset<'_>> {
    let (r, c) = charset_p(input)?;
    match String::from_utf8(c.into_owned())
        .ok()
        .and_then(|s| Charset::new(s).ok())
    {
        Some(c) => Ok((r, c)),
        None => fail(input, "charset"),
    }
}

/// Which metadata entry a MODSEQ search refers to (`entry-type-req`, RFC 7162).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryType {
    /// `priv`.
    Private,
    /// `shared`.
    Shared,
    /// `all`.
    All,
}

/// One search key (`search-key`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SearchKey<'a> {
    /// `ALL`.
    All,
    /// `ANSWERED`.
    Answered,
    /// `BCC string`.
    Bcc(IString<'a>),
    /// `BEFORE date`.
    Before(Date),
    /// `BODY string`.
    Body(IString<'a>),
    /// `CC string`.
    Cc(IString<'a>),
    /// `DELETED`.
    Deleted,
    /// `DRAFT`.
    Draft,
    /// `FLAGGED`.
    Flagged,
    /// `FROM string`.
    From(IString<'a>),
    /// `HEADER field-name string`.
    Header(IString<'a>, IString<'a>),
    /// `KEYWORD flag-keyword`.
    Keyword(Atom<'a>),
    /// `LARGER n`.
    Larger(u64),
    /// `NEW` (IMAP4rev1).
    New,
    /// `NOT key`.
    Not(Box<SearchKey<'a>>),
    /// `OLD` (IMAP4rev1).
    Old,
    /// `ON date`.
    On(Date),
    /// `OR key key`.
    Or(Box<SearchKey<'a>>, Box<SearchKey<'a>>),
    /// `RECENT` (IMAP4rev1).
    Recent,
    /// `SEEN`.
    Seen,
    /// `SENTBEFORE date`.
    SentBefore(Date),
    /// `SENTON date`.
    SentOn(Date),
    /// `SENTSINCE date`.
    SentSince(Date),
    /// `SINCE date`.
    Since(Date),
    /// `SMALLER n`.
    Smaller(u64),
    /// `SUBJECT string`.
    Subject(IString<'a>),
    /// `TEXT string`.
    Text(IString<'a>),
    /// `TO string`.
    To(IString<'a>),
    /// `UID sequence-set`.
    Uid(SequenceSet),
    /// `UNANSWERED`.
    Unanswered,
    /// `UNDELETED`.
    Undeleted,
    /// `UNDRAFT`.
    Undraft,
    /// `UNFLAGGED`.
    Unflagged,
    /// `UNKEYWORD flag-keyword`.
    Unkeyword(Atom<'a>),
    /// `UNSEEN`.
    Unseen,
    /// A message sequence set.
    SequenceSet(SequenceSet),
    /// `( key *(SP key) )`: all must match.
    And(Vec1<SearchKey<'a>>),
    /// `MODSEQ [entry-name entry-type] mod-sequence-valzer` (RFC 7162).
    ModSeq {
        /// `"/flags/\\Seen" priv` etc.
        entry: Option<(IString<'a>, EntryType)>,
        /// The minimum mod-sequence.
        modseq: u64,
    },
    /// `EMAILID objectid` (RFC 8474).
    EmailId(ObjectId<'a>),
    /// `THREADID objectid` (RFC 8474).
    ThreadId(ObjectId<'a>),
}

impl SearchKey<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> SearchKey<'static> {
        use SearchKey as K;
        match self {
            K::All => K::All,
            K::Answered => K::Answered,
            K::Bcc(s) => K::Bcc(s.into_owned()),
            K::Before(d) => K::Before(d),
            K::Body(s) => K::Body(s.into_owned()),
            K::Cc(s) => K::Cc(s.into_owned()),
            K::Deleted => K::Deleted,
            K::Draft => K::Draft,
            K::Flagged => K::Flagged,
            K::From(s) => K::From(s.into_owned()),
            K::Header(a, b) => K::Header(a.into_owned(), b.into_owned()),
            K::Keyword(a) => K::Keyword(a.into_owned()),
            K::Larger(n) => K::Larger(n),
            K::New => K::New,
            K::Not(k) => K::Not(Box::new(k.into_owned())),
            K::Old => K::Old,
            K::On(d) => K::On(d),
            K::Or(a, b) => K::Or(Box::new(a.into_owned()), Box::new(b.into_owned())),
            K::Recent => K::Recent,
            K::Seen => K::Seen,
            K::SentBefore(d) => K::SentBefore(d),
            K::SentOn(d) => K::SentOn(d),
            K::SentSince(d) => K::SentSince(d),
            K::Since(d) => K::Since(d),
            K::Smaller(n) => K::Smaller(n),
            K::Subject(s) => K::Subject(s.into_owned()),
            K::Text(s) => K::Text(s.into_owned()),
            K::To(s) => K::To(s.into_owned()),
            K::Uid(s) => K::Uid(s),
            K::Unanswered => K::Unanswered,
            K::Undeleted => K::Undeleted,
            K::Undraft => K::Undraft,
            K::Unflagged => K::Unflagged,
            K::Unkeyword(a) => K::Unkeyword(a.into_owned()),
            K::Unseen => K::Unseen,
            K::SequenceSet(s) => K::SequenceSet(s),
            K::And(v) => K::And(v.map(SearchKey::into_owned)),
            K::ModSeq { entry, modseq } => K::ModSeq {
                entry: entry.map(|(n, t)| (n.into_owned(), t)),
                modseq,
            },
            K::EmailId(o) => K::EmailId(o.into_owned()),
            K::ThreadId(o) => K::ThreadId(o.into_owned()),
        }
    }

    /// Writes the key.
    pub fn write(&self, enc: &mut Encoder) {
        use SearchKey as K;
        let kw_str = |enc: &mut Encoder, k: &[u8], s: &IString<'_>| {
            enc.raw(k);
            enc.raw(b" ");
            enc.astring(s.as_bytes());
        };
        let kw_date = |enc: &mut Encoder, k: &[u8], d: &Date| {
            enc.raw(k);
            enc.raw(b" ");
            d.write(enc);
        };
        match self {
            K::All => enc.raw(b"ALL"),
            K::Answered => enc.raw(b"ANSWERED"),
            K::Bcc(s) => kw_str(enc, b"BCC", s),
            K::Before(d) => kw_date(enc, b"BEFORE", d),
            K::Body(s) => kw_str(enc, b"BODY", s),
            K::Cc(s) => kw_str(enc, b"CC", s),
            K::Deleted => enc.raw(b"DELETED"),
            K::Draft => enc.raw(b"DRAFT"),
            K::Flagged => enc.raw(b"FLAGGED"),
            K::From(s) => kw_str(enc, b"FROM", s),
            K::Header(n, v) => {
                enc.raw(b"HEADER ");
                enc.astring(n.as_bytes());
                enc.raw(b" ");
                enc.astring(v.as_bytes());
            }
            K::Keyword(a) => {
                enc.raw(b"KEYWORD ");
                enc.raw(a.as_str().as_bytes());
            }
            K::Larger(n) => {
                enc.raw(b"LARGER ");
                enc.number(*n);
            }
            K::New => enc.raw(b"NEW"),
            K::Not(k) => {
                enc.raw(b"NOT ");
                k.write(enc);
            }
            K::Old => enc.raw(b"OLD"),
            K::On(d) => kw_date(enc, b"ON", d),
            K::Or(a, b) => {
                enc.raw(b"OR ");
                a.write(enc);
                enc.raw(b" ");
                b.write(enc);
            }
            K::Recent => enc.raw(b"RECENT"),
            K::Seen => enc.raw(b"SEEN"),
            K::SentBefore(d) => kw_date(enc, b"SENTBEFORE", d),
            K::SentOn(d) => kw_date(enc, b"SENTON", d),
            K::SentSince(d) => kw_date(enc, b"SENTSINCE", d),
            K::Since(d) => kw_date(enc, b"SINCE", d),
            K::Smaller(n) => {
                enc.raw(b"SMALLER ");
                enc.number(*n);
            }
            K::Subject(s) => kw_str(enc, b"SUBJECT", s),
            K::Text(s) => kw_str(enc, b"TEXT", s),
            K::To(s) => kw_str(enc, b"TO", s),
            K::Uid(s) => {
                enc.raw(b"UID ");
                s.write(enc);
            }
            K::Unanswered => enc.raw(b"UNANSWERED"),
            K::Undeleted => enc.raw(b"UNDELETED"),
            K::Undraft => enc.raw(b"UNDRAFT"),
            K::Unflagged => enc.raw(b"UNFLAGGED"),
            K::Unkeyword(a) => {
                enc.raw(b"UNKEYWORD ");
                enc.raw(a.as_str().as_bytes());
            }
            K::Unseen => enc.raw(b"UNSEEN"),
            K::SequenceSet(s) => s.write(enc),
            K::And(v) => {
                enc.raw(b"(");
                write_keys(enc, v);
                enc.raw(b")");
            }
            K::ModSeq { entry, modseq } => {
                enc.raw(b"MODSEQ ");
                if let Some((name, t)) = entry {
                    enc.string(name.as_bytes());
                    enc.raw(match t {
                        EntryType::Private => b" priv ",
                        EntryType::Shared => b" shared ",
                        EntryType::All => b" all ",
                    });
                }
                enc.number(*modseq);
            }
            K::EmailId(o) => {
                enc.raw(b"EMAILID ");
                enc.raw(o.as_str().as_bytes());
            }
            K::ThreadId(o) => {
                enc.raw(b"THREADID ");
                enc.raw(o.as_str().as_bytes());
            }
        }
    }
}

impl fmt::Display for SearchKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut e = Encoder::default();
        self.write(&mut e);
        f.write_str(&String::from_utf8_lossy(e.as_bytes()))
    }
}

/// Writes keys separated by SP.
pub fn write_keys(enc: &mut Encoder, keys: &[SearchKey<'_>]) {
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            enc.raw(b" ");
        }
        k.write(enc);
    }
}

/// `search-key`, with nesting bounded by [`MAX_SEARCH_DEPTH`].
pub fn search_key(input: &[u8]) -> PResult<'_, SearchKey<'_>> {
    key(input, 0)
}

fn key(input: &[u8], depth: usize) -> PResult<'_, SearchKey<'_>> {
    use SearchKey as K;
    if depth > MAX_SEARCH_DEPTH {
        return Err(nom::Err::Failure(NomError::limit(
            input,
            "search keys nested too deeply",
        )));
    }
    match peek(input)? {
        (_, b'(') => {
            let (r, v) = paren_list1(|i| key(i, depth + 1))(input)?;
            return Ok((r, K::And(v)));
        }
        (_, b'0'..=b'9' | b'*' | b'$') => {
            let (r, s) = sequence_set(input)?;
            return Ok((r, K::SequenceSet(s)));
        }
        _ => {}
    }
    let (r, k) = match keyword(input) {
        Err(nom::Err::Error(_)) => return fail(input, "search key"),
        other => other?,
    };
    let up = crate::primitive::Upper::new(k);
    let up = up.as_slice();
    let simple = match up {
        b"ALL" => Some(K::All),
        b"ANSWERED" => Some(K::Answered),
        b"DELETED" => Some(K::Deleted),
        b"DRAFT" => Some(K::Draft),
        b"FLAGGED" => Some(K::Flagged),
        b"NEW" => Some(K::New),
        b"OLD" => Some(K::Old),
        b"RECENT" => Some(K::Recent),
        b"SEEN" => Some(K::Seen),
        b"UNANSWERED" => Some(K::Unanswered),
        b"UNDELETED" => Some(K::Undeleted),
        b"UNDRAFT" => Some(K::Undraft),
        b"UNFLAGGED" => Some(K::Unflagged),
        b"UNSEEN" => Some(K::Unseen),
        _ => None,
    };
    if let Some(k) = simple {
        return Ok((r, k));
    }
    let (r, ()) = match up {
        b"BCC" | b"BODY" | b"CC" | b"FROM" | b"SUBJECT" | b"TEXT" | b"TO" | b"HEADER"
        | b"BEFORE" | b"ON" | b"SINCE" | b"SENTBEFORE" | b"SENTON" | b"SENTSINCE" | b"KEYWORD"
        | b"UNKEYWORD" | b"LARGER" | b"SMALLER" | b"NOT" | b"OR" | b"UID" | b"MODSEQ"
        | b"EMAILID" | b"THREADID" => sp(r)?,
        _ => return fail(input, "search key"),
    };
    let s = with_astring;
    let d = with_date;
    match up {
        b"BCC" => s(r, K::Bcc),
        b"BODY" => s(r, K::Body),
        b"CC" => s(r, K::Cc),
        b"FROM" => s(r, K::From),
        b"SUBJECT" => s(r, K::Subject),
        b"TEXT" => s(r, K::Text),
        b"TO" => s(r, K::To),
        b"HEADER" => {
            let (r, n) = astring(r)?;
            let (r, ()) = sp(r)?;
            let (r, v) = astring(r)?;
            Ok((r, K::Header(n, v)))
        }
        b"BEFORE" => d(r, K::Before),
        b"ON" => d(r, K::On),
        b"SINCE" => d(r, K::Since),
        b"SENTBEFORE" => d(r, K::SentBefore),
        b"SENTON" => d(r, K::SentOn),
        b"SENTSINCE" => d(r, K::SentSince),
        b"KEYWORD" => {
            let (r, a) = flag_keyword(r)?;
            Ok((r, K::Keyword(a)))
        }
        b"UNKEYWORD" => {
            let (r, a) = flag_keyword(r)?;
            Ok((r, K::Unkeyword(a)))
        }
        b"LARGER" => {
            let (r, n) = number64(r)?;
            Ok((r, K::Larger(n)))
        }
        b"SMALLER" => {
            let (r, n) = number64(r)?;
            Ok((r, K::Smaller(n)))
        }
        b"NOT" => {
            let (r, k) = key(r, depth + 1)?;
            Ok((r, K::Not(Box::new(k))))
        }
        b"OR" => {
            let (r, a) = key(r, depth + 1)?;
            let (r, ()) = sp(r)?;
            let (r, b) = key(r, depth + 1)?;
            Ok((r, K::Or(Box::new(a), Box::new(b))))
        }
        b"UID" => {
            let (r, s) = sequence_set(r)?;
            Ok((r, K::Uid(s)))
        }
        b"MODSEQ" => {
            if let (_, b'"') = peek(r)? {
                let (r, name) = quoted(r)?;
                let (r, ()) = sp(r)?;
                let (r, t) = keyword(r)?;
                let t = if t.eq_ignore_ascii_case(b"priv") {
                    EntryType::Private
                } else if t.eq_ignore_ascii_case(b"shared") {
                    EntryType::Shared
                } else if t.eq_ignore_ascii_case(b"all") {
                    EntryType::All
                } else {
                    return fail(r, "priv, shared or all");
                };
                let (r, ()) = sp(r)?;
                let (r, n) = number64(r)?;
                Ok((
                    r,
                    K::ModSeq {
                        entry: Some((IString::unchecked(name), t)),
                        modseq: n,
                    },
                ))
            } else {
                let (r, n) = number64(r)?;
                Ok((
                    r,
                    K::ModSeq {
                        entry: None,
                        modseq: n,
                    },
                ))
            }
        }
        b"EMAILID" => {
            let (r, o) = objectid(r)?;
            Ok((r, K::EmailId(o)))
        }
        b"THREADID" => {
            let (r, o) = objectid(r)?;
            Ok((r, K::ThreadId(o)))
        }
        _ => fail(input, "search key"),
    }
}

fn with_astring<'a>(
    r: &'a [u8],
    f: fn(IString<'a>) -> SearchKey<'a>,
) -> PResult<'a, SearchKey<'a>> {
    let (r, v) = astring(r)?;
    Ok((r, f(v)))
}

fn with_date<'a>(r: &'a [u8], f: fn(Date) -> SearchKey<'a>) -> PResult<'a, SearchKey<'a>> {
    let (r, v) = date(r)?;
    Ok((r, f(v)))
}

/// `1*(SP search-key)` after the first: keys separated by spaces, at least one.
pub fn search_keys(input: &[u8]) -> PResult<'_, Vec1<SearchKey<'_>>> {
    let (mut r, first) = search_key(input)?;
    let mut v = vec![first];
    while let Some(b' ') = r.first() {
        let (r2, k) = search_key(&r[1..])?;
        v.push(k);
        r = r2;
    }
    match Vec1::new(v) {
        Some(v) => Ok((r, v)),
        None => fail(input, "search key"),
    }
}

/// An ESEARCH return option (`search-return-opt`, RFC 4731, RFC 5182).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SearchReturnOption<'a> {
    /// `MIN`.
    Min,
    /// `MAX`.
    Max,
    /// `ALL`.
    All,
    /// `COUNT`.
    Count,
    /// `SAVE` (SEARCHRES, RFC 5182).
    Save,
    /// Another option name (`search-ret-opt-ext` without value).
    Other(Atom<'a>),
}

impl SearchReturnOption<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> SearchReturnOption<'static> {
        match self {
            SearchReturnOption::Min => SearchReturnOption::Min,
            SearchReturnOption::Max => SearchReturnOption::Max,
            SearchReturnOption::All => SearchReturnOption::All,
            SearchReturnOption::Count => SearchReturnOption::Count,
            SearchReturnOption::Save => SearchReturnOption::Save,
            SearchReturnOption::Other(a) => SearchReturnOption::Other(a.into_owned()),
        }
    }

    fn name(&self) -> &str {
        match self {
            SearchReturnOption::Min => "MIN",
            SearchReturnOption::Max => "MAX",
            SearchReturnOption::All => "ALL",
            SearchReturnOption::Count => "COUNT",
            SearchReturnOption::Save => "SAVE",
            SearchReturnOption::Other(a) => a.as_str(),
        }
    }
}

fn search_return_option(input: &[u8]) -> PResult<'_, SearchReturnOption<'_>> {
    let (r, a) = match atom(input) {
        Err(nom::Err::Error(_)) => return fail(input, "search return option"),
        other => other?,
    };
    let o = match a.as_str().to_ascii_uppercase().as_str() {
        "MIN" => SearchReturnOption::Min,
        "MAX" => SearchReturnOption::Max,
        "ALL" => SearchReturnOption::All,
        "COUNT" => SearchReturnOption::Count,
        "SAVE" => SearchReturnOption::Save,
        _ => SearchReturnOption::Other(a),
    };
    Ok((r, o))
}

/// `"(" [search-return-opt *(SP search-return-opt)] ")"`.
pub fn search_return_options(input: &[u8]) -> PResult<'_, Vec<SearchReturnOption<'_>>> {
    paren_list(search_return_option)(input)
}

/// Writes `RETURN (...)`.
pub fn write_return_options(enc: &mut Encoder, opts: &[SearchReturnOption<'_>]) {
    enc.raw(b"RETURN (");
    for (i, o) in opts.iter().enumerate() {
        if i > 0 {
            enc.raw(b" ");
        }
        enc.raw(o.name().as_bytes());
    }
    enc.raw(b")");
}

/// A SORT key (`sort-key`, RFC 5256; DISPLAYFROM/DISPLAYTO RFC 5957).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SortKey {
    /// `ARRIVAL`.
    Arrival,
    /// `CC`.
    Cc,
    /// `DATE`.
    Date,
    /// `FROM`.
    From,
    /// `SIZE`.
    Size,
    /// `SUBJECT`.
    Subject,
    /// `TO`.
    To,
    /// `DISPLAYFROM` (RFC 5957).
    DisplayFrom,
    /// `DISPLAYTO` (RFC 5957).
    DisplayTo,
}

const SORT_KEYS: &[(&str, SortKey)] = &[
    ("ARRIVAL", SortKey::Arrival),
    ("CC", SortKey::Cc),
    ("DATE", SortKey::Date),
    ("FROM", SortKey::From),
    ("SIZE", SortKey::Size),
    ("SUBJECT", SortKey::Subject),
    ("TO", SortKey::To),
    ("DISPLAYFROM", SortKey::DisplayFrom),
    ("DISPLAYTO", SortKey::DisplayTo),
];

/// `sort-criterion`: `["REVERSE" SP] sort-key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortCriterion {
    /// `REVERSE`.
    pub reverse: bool,
    /// The key.
    pub key: SortKey,
}

fn sort_key(input: &[u8]) -> PResult<'_, SortKey> {
    let (r, k) = match keyword(input) {
        Err(nom::Err::Error(_)) => return fail(input, "sort key"),
        other => other?,
    };
    match SORT_KEYS
        .iter()
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(k))
    {
        Some((_, key)) => Ok((r, *key)),
        None => fail(input, "sort key"),
    }
}

fn sort_criterion(input: &[u8]) -> PResult<'_, SortCriterion> {
    let (r, k) = match keyword(input) {
        Err(nom::Err::Error(_)) => return fail(input, "sort criterion"),
        other => other?,
    };
    if k.eq_ignore_ascii_case(b"REVERSE") {
        let (r, ()) = sp(r)?;
        let (r, key) = sort_key(r)?;
        Ok((r, SortCriterion { reverse: true, key }))
    } else {
        let (r, key) = sort_key(input)?;
        Ok((
            r,
            SortCriterion {
                reverse: false,
                key,
            },
        ))
    }
}

/// `sort-criteria`: `"(" sort-criterion *(SP sort-criterion) ")"`.
pub fn sort_criteria(input: &[u8]) -> PResult<'_, Vec1<SortCriterion>> {
    paren_list1(sort_criterion)(input)
}

/// Writes `sort-criteria`.
pub fn write_sort_criteria(enc: &mut Encoder, c: &[SortCriterion]) {
    enc.raw(b"(");
    for (i, c) in c.iter().enumerate() {
        if i > 0 {
            enc.raw(b" ");
        }
        if c.reverse {
            enc.raw(b"REVERSE ");
        }
        let name = SORT_KEYS
            .iter()
            .find(|(_, k)| *k == c.key)
            .map_or("ARRIVAL", |(n, _)| n);
        enc.raw(name.as_bytes());
    }
    enc.raw(b")");
}

/// A THREAD algorithm (`thread-alg`, RFC 5256).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ThreadAlgorithm<'a> {
    /// `ORDEREDSUBJECT`.
    OrderedSubject,
    /// `REFERENCES`.
    References,
    /// Another algorithm (`thread-alg-ext`).
    Other(Atom<'a>),
}

impl ThreadAlgorithm<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> ThreadAlgorithm<'static> {
        match self {
            ThreadAlgorithm::OrderedSubject => ThreadAlgorithm::OrderedSubject,
            ThreadAlgorithm::References => ThreadAlgorithm::References,
            ThreadAlgorithm::Other(a) => ThreadAlgorithm::Other(a.into_owned()),
        }
    }

    /// Writes the name.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(match self {
            ThreadAlgorithm::OrderedSubject => b"ORDEREDSUBJECT",
            ThreadAlgorithm::References => b"REFERENCES",
            ThreadAlgorithm::Other(a) => a.as_str().as_bytes(),
        });
    }
}

/// `thread-alg`.
pub fn thread_algorithm(input: &[u8]) -> PResult<'_, ThreadAlgorithm<'_>> {
    let (r, a) = atom(input)?;
    let t = if a.as_str().eq_ignore_ascii_case("ORDEREDSUBJECT") {
        ThreadAlgorithm::OrderedSubject
    } else if a.as_str().eq_ignore_ascii_case("REFERENCES") {
        ThreadAlgorithm::References
    } else {
        ThreadAlgorithm::Other(a)
    };
    Ok((r, t))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keys_round_trip() {
        for s in [
            "ALL",
            "ANSWERED",
            "BCC joe",
            "BEFORE 1-Feb-1994",
            "BODY \"hello world\"",
            "CC x",
            "DELETED",
            "DRAFT",
            "FLAGGED",
            "FROM \"Smith\"",
            "HEADER X-Foo bar",
            "KEYWORD $Forwarded",
            "LARGER 1000",
            "NEW",
            "NOT SEEN",
            "OLD",
            "ON 5-Mar-2020",
            "OR SEEN FLAGGED",
            "RECENT",
            "SEEN",
            "SENTBEFORE 1-Jan-2000",
            "SENTON 1-Jan-2000",
            "SENTSINCE 1-Jan-2000",
            "SINCE 1-Jan-2000",
            "SMALLER 10",
            "SUBJECT {3}\r\na\nb",
            "TEXT x",
            "TO y",
            "UID 1:*",
            "UNANSWERED",
            "UNDELETED",
            "UNDRAFT",
            "UNFLAGGED",
            "UNKEYWORD foo",
            "UNSEEN",
            "2:4,7",
            "$",
            "(SEEN FLAGGED)",
            "MODSEQ 620162338",
            "MODSEQ \"/flags/\\\\draft\" all 620162338",
            "EMAILID M6d99ac3275bb4e",
            "THREADID T64b478a75b7ea9",
        ] {
            let input = format!("{s}\r\n");
            let (r, k) = search_key(input.as_bytes()).unwrap();
            assert_eq!(r, b"\r\n", "{s}");
            let mut e = Encoder::default();
            k.write(&mut e);
            let s2 = if s == "FROM \"Smith\"" {
                "FROM Smith"
            } else {
                s
            };
            assert_eq!(String::from_utf8_lossy(e.as_bytes()), s2);
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}ALL{}\r\n", "(".repeat(40), ")".repeat(40));
        assert!(matches!(
            search_key(deep.as_bytes()),
            Err(nom::Err::Failure(_))
        ));
        let nots = format!("{}ALL\r\n", "NOT ".repeat(40));
        assert!(matches!(
            search_key(nots.as_bytes()),
            Err(nom::Err::Failure(_))
        ));
        let ok = format!("{}ALL{}\r\n", "(".repeat(10), ")".repeat(10));
        assert!(search_key(ok.as_bytes()).is_ok());
    }

    #[test]
    fn errors_and_prefixes() {
        assert!(search_key(b"BOGUS\r\n").is_err());
        assert!(search_key(b"SINCE 31-Feb-2000\r\n").is_err());
        assert!(matches!(
            search_key(b"OR SEEN"),
            Err(nom::Err::Incomplete(_))
        ));
        assert!(matches!(search_key(b"(SEEN"), Err(nom::Err::Incomplete(_))));
        let (_, v) = search_keys(b"SEEN NOT DELETED\r\n").unwrap();
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn sort_and_thread() {
        let (_, c) = sort_criteria(b"(REVERSE DATE subject) ").unwrap();
        assert!(c[0].reverse && c[0].key == SortKey::Date && c[1].key == SortKey::Subject);
        let mut e = Encoder::default();
        write_sort_criteria(&mut e, &c);
        assert_eq!(e.as_bytes(), b"(REVERSE DATE SUBJECT)");
        assert_eq!(
            thread_algorithm(b"references ").unwrap().1,
            ThreadAlgorithm::References
        );
        let (_, o) = search_return_options(b"(MIN COUNT SAVE) ").unwrap();
        assert_eq!(
            o,
            vec![
                SearchReturnOption::Min,
                SearchReturnOption::Count,
                SearchReturnOption::Save
            ]
        );
    }
}
