//! Server responses: status responses, untagged data, FETCH data items and continuation requests, parsed and written.
//!
//! [`Response::parse`] reads one complete response unit — a line and any
//! literals it announces — from the start of the input and returns the
//! response and the number of bytes it used. Every proper prefix of a valid
//! response is reported as [`ParseError::Incomplete`], never as a syntax
//! error, so a client can call it again when more bytes arrive (or, better,
//! frame first with [`crate::framer`]).
//!
//! Values borrow from the input: a 1 MiB `BODY[]` literal is a slice of the
//! input buffer, not a copy. [`Response::into_owned`] detaches a response.
//!
//! ```
//! use mailwire_imap_proto::response::{Data, FetchItem, Response};
//! let input = b"* 12 FETCH (UID 7 RFC822.SIZE 44827)\r\n";
//! let (resp, used) = Response::parse(input).unwrap();
//! assert_eq!(used, input.len());
//! let Response::Data(Data::Fetch { seq, items }) = &resp else { panic!() };
//! assert_eq!(*seq, 12);
//! assert_eq!(items[0], FetchItem::Uid(7));
//! assert_eq!(resp.to_bytes(), input);
//! ```
//!
//! Real servers deviate from the grammar in a few well-known ways; a client
//! can accept each deviation by switching it on in [`ResponseOptions`].

use std::borrow::Cow;

use base64::Engine as _;

use crate::body::Body;
use crate::capability::Capability;
use crate::code::Code;
use crate::datetime::DateTime;
use crate::envelope::{Envelope, NString};
use crate::error::ParseError;
use crate::flag::{Flag, FlagFetch, FlagPerm, MailboxAttribute};
use crate::mailbox::Mailbox;
use crate::primitive::{Encoder, IString, Tag};
use crate::section::{Part, Section};
use crate::sequence::SequenceSet;
use crate::status::{ObjectId, StatusAttribute, StatusValue};

pub(crate) mod lex;

use lex::{Cursor, LexError, PResult};

// ---------------------------------------------------------------------------
// Options

/// Limits and opt-in leniency switches for parsing server responses.
///
/// The defaults follow the grammar strictly; each `bool` accepts one
/// deviation seen in real servers. [`ResponseOptions::lenient`] switches all
/// of them on, which is what most clients want.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseOptions {
    /// Deepest nesting of body structures, thread lists and parenthesized
    /// extension data (default 32).
    pub max_depth: usize,
    /// Largest literal accepted, in octets (default 256 MiB).
    pub max_literal: usize,
    /// Accept a space before the CRLF of untagged data, e.g. after the lists
    /// of `* SEARCH`, `* SORT`, `* THREAD`, `* CAPABILITY` (`* SEARCH 1 2 \r\n`)
    /// or after `* STATUS x (...) ` and `* ID (...) ` (seen from several servers).
    pub trailing_space: bool,
    /// Accept `NIL` where a string is required (e.g. the body encoding or
    /// subtype), read as an empty string.
    pub nil_as_empty_string: bool,
    /// Accept `()` where the grammar wants a non-empty list or `NIL` (body
    /// parameters, envelope address lists) and a space between multipart
    /// children or addresses.
    pub empty_lists: bool,
    /// Accept a status response without text: `a1 OK\r\n`, `* OK [READ-WRITE]\r\n`.
    pub missing_status_text: bool,
    /// Accept a continuation request without the space: `+\r\n`.
    pub continuation_without_space: bool,
    /// Keep a known response code with unexpected arguments as [`Code::Other`]
    /// instead of failing, e.g. `[UIDNEXT abc]`.
    pub unknown_code_arguments: bool,
}

impl Default for ResponseOptions {
    fn default() -> Self {
        ResponseOptions {
            max_depth: 32,
            max_literal: 256 * 1024 * 1024,
            trailing_space: false,
            nil_as_empty_string: false,
            empty_lists: false,
            missing_status_text: false,
            continuation_without_space: false,
            unknown_code_arguments: false,
        }
    }
}

impl ResponseOptions {
    /// Every leniency switch on, default limits.
    #[must_use]
    pub fn lenient() -> Self {
        ResponseOptions {
            trailing_space: true,
            nil_as_empty_string: true,
            empty_lists: true,
            missing_status_text: true,
            continuation_without_space: true,
            unknown_code_arguments: true,
            ..ResponseOptions::default()
        }
    }
}

pub(crate) fn lex_to_error(e: LexError) -> ParseError {
    match e {
        LexError::Incomplete => ParseError::Incomplete { needed: None },
        LexError::Syntax { at, expected } => ParseError::Syntax {
            offset: at,
            expected,
        },
        LexError::Limit { at, what } => ParseError::Limit { offset: at, what },
    }
}

// ---------------------------------------------------------------------------
// Types

/// One server response (RFC 9051 §7, §9 `response`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Response<'a> {
    /// A status response, tagged or untagged: OK, NO, BAD, PREAUTH, BYE.
    Status(Status<'a>),
    /// Untagged data: `* ...` other than a status.
    Data(Data<'a>),
    /// A continuation request: `+ ...`.
    Continue(Continue<'a>),
}

/// The condition of a status response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusKind {
    /// `OK`.
    Ok,
    /// `NO`.
    No,
    /// `BAD`.
    Bad,
    /// `PREAUTH` (untagged greeting only).
    PreAuth,
    /// `BYE` (untagged only).
    Bye,
}

impl StatusKind {
    fn name(self) -> &'static [u8] {
        match self {
            StatusKind::Ok => b"OK",
            StatusKind::No => b"NO",
            StatusKind::Bad => b"BAD",
            StatusKind::PreAuth => b"PREAUTH",
            StatusKind::Bye => b"BYE",
        }
    }
}

/// A status response: `tag OK [code] text` or `* NO text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status<'a> {
    /// The tag; `None` for an untagged (`*`) response.
    pub tag: Option<Tag<'a>>,
    /// OK, NO, BAD, PREAUTH or BYE.
    pub kind: StatusKind,
    /// The response code in brackets, if any.
    pub code: Option<Code<'a>>,
    /// The human-readable text (may be empty), bytes as sent. When written,
    /// CR, LF and NUL (which a parsed text never holds) become spaces, so a
    /// text can't inject a line.
    pub text: Cow<'a, [u8]>,
}

impl Status<'_> {
    /// The text as UTF-8, invalid sequences replaced.
    #[must_use]
    pub fn text_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.text)
    }
}

/// A continuation request (`continue-req`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Continue<'a> {
    /// `+ [code] text`, e.g. before a literal or during IDLE. An empty
    /// challenge (`+ \r\n`) also comes out as empty text.
    Text {
        /// A response code, if any.
        code: Option<Code<'a>>,
        /// The text.
        text: Cow<'a, [u8]>,
    },
    /// `+ base64`: a SASL challenge, already decoded.
    ///
    /// A line that is valid base64 is always read as a challenge (the grammar
    /// is ambiguous: `+ Done` could be either).
    Base64(Cow<'a, [u8]>),
}

/// Untagged response data (`* ...` other than status responses).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Data<'a> {
    /// `* CAPABILITY ...`.
    Capability(Vec<Capability<'a>>),
    /// `* ENABLED ...` (RFC 5161).
    Enabled(Vec<Capability<'a>>),
    /// `* LIST ...`.
    List(ListItem<'a>),
    /// `* LSUB ...` (IMAP4rev1).
    Lsub(ListItem<'a>),
    /// `* NAMESPACE personal other shared` (RFC 2342); an empty list is `NIL`.
    Namespace {
        /// Personal namespaces.
        personal: Vec<Namespace<'a>>,
        /// Other users' namespaces.
        other: Vec<Namespace<'a>>,
        /// Shared namespaces.
        shared: Vec<Namespace<'a>>,
    },
    /// `* STATUS mailbox (...)`.
    Status {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Its status items.
        items: Vec<StatusItem<'a>>,
    },
    /// `* ESEARCH ...` (RFC 4731, RFC 9051).
    Esearch(Esearch<'a>),
    /// `* SEARCH ...` with the optional `(MODSEQ n)` of RFC 7162.
    Search {
        /// Matching message numbers or UIDs.
        ids: Vec<u32>,
        /// Highest mod-sequence of the matches (RFC 7162 allows it only after at
        /// least one id; it is not written when `ids` is empty).
        modseq: Option<u64>,
    },
    /// `* SORT ...` (RFC 5256) with the optional `(MODSEQ n)` of RFC 7162.
    Sort {
        /// Message numbers or UIDs in sort order.
        ids: Vec<u32>,
        /// Highest mod-sequence of the matches.
        modseq: Option<u64>,
    },
    /// `* THREAD ...` (RFC 5256).
    Thread(Vec<Thread>),
    /// `* FLAGS (...)`.
    Flags(Vec<Flag<'a>>),
    /// `* n EXISTS`.
    Exists(u32),
    /// `* n RECENT` (IMAP4rev1).
    Recent(u32),
    /// `* n EXPUNGE`.
    Expunge(u32),
    /// `* VANISHED [(EARLIER)] uids` (RFC 7162).
    Vanished {
        /// `(EARLIER)` was given.
        earlier: bool,
        /// The expunged UIDs.
        uids: SequenceSet,
    },
    /// `* n FETCH (...)`.
    Fetch {
        /// The message sequence number.
        seq: u32,
        /// The data items, in the order sent.
        items: Vec<FetchItem<'a>>,
    },
    /// `* ID (...)` / `* ID NIL` (RFC 2971): field/value pairs; `None` is `NIL`.
    Id(Option<Vec<(IString<'a>, NString<'a>)>>),
    /// `* QUOTA root (...)` (RFC 9208).
    Quota {
        /// The quota root.
        root: IString<'a>,
        /// Resource usage and limits.
        resources: Vec<QuotaResource<'a>>,
    },
    /// `* QUOTAROOT mailbox root...` (RFC 9208).
    QuotaRoot {
        /// The mailbox.
        mailbox: Mailbox<'a>,
        /// Its quota roots.
        roots: Vec<IString<'a>>,
    },
    /// Untagged data this crate does not know (e.g. `* METADATA ...` or a
    /// vendor response): the keyword and everything after its space, up to
    /// CRLF, verbatim (literals included). RFC 9051 §7: clients ignore such
    /// data, so it must not break the connection.
    Other {
        /// The response keyword (an atom).
        name: Cow<'a, [u8]>,
        /// The rest of the line after the space, if any.
        data: Option<Cow<'a, [u8]>>,
    },
}

/// The body of a LIST or LSUB response (`mailbox-list`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem<'a> {
    /// Mailbox attributes, e.g. `\HasNoChildren`, `\Sent`.
    pub attributes: Vec<MailboxAttribute<'a>>,
    /// The hierarchy delimiter; `None` is `NIL` (flat namespace).
    pub delimiter: Option<char>,
    /// The mailbox name.
    pub mailbox: Mailbox<'a>,
    /// LIST-EXTENDED data items (RFC 5258, RFC 9051 `mbox-list-extended`).
    pub extended: Vec<ListExtended<'a>>,
}

/// A LIST-EXTENDED data item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListExtended<'a> {
    /// `CHILDINFO ("SUBSCRIBED" ...)` (RFC 5258 §4).
    ChildInfo(Vec<IString<'a>>),
    /// `OLDNAME (mailbox)` (RFC 9051 §6.3.9.7).
    OldName(Mailbox<'a>),
    /// Any other item: its tag and the raw value (`tagged-ext-val`) as sent.
    Other {
        /// The item tag.
        tag: IString<'a>,
        /// The value, verbatim.
        value: Cow<'a, [u8]>,
    },
}

/// One namespace description (RFC 2342, RFC 9051 `namespace-descr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace<'a> {
    /// The prefix, e.g. `""` or `"#shared."`.
    pub prefix: IString<'a>,
    /// The hierarchy delimiter; `None` is `NIL`.
    pub delimiter: Option<char>,
    /// Extension data: (name, values).
    pub extensions: Vec<(IString<'a>, Vec<IString<'a>>)>,
}

/// One item of a STATUS response (`status-att-val` and extensions).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatusItem<'a> {
    /// An item this crate knows, e.g. `MESSAGES 12` or `MAILBOXID (F1)`.
    Value(StatusValue<'a>),
    /// Any other item: its name and raw value.
    Other {
        /// The item name.
        name: Cow<'a, [u8]>,
        /// The value, verbatim.
        value: Cow<'a, [u8]>,
    },
}

/// An ESEARCH response (RFC 4731, RFC 9051 `esearch-response`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Esearch<'a> {
    /// The tag of the SEARCH command this answers (`(TAG "a1")`).
    pub tag: Option<IString<'a>>,
    /// The results are UIDs.
    pub uid: bool,
    /// The return data.
    pub items: Vec<EsearchItem<'a>>,
}

/// One item of ESEARCH return data (`search-return-data`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EsearchItem<'a> {
    /// `MIN n`.
    Min(u32),
    /// `MAX n`.
    Max(u32),
    /// `ALL sequence-set`.
    All(SequenceSet),
    /// `COUNT n`.
    Count(u32),
    /// `MODSEQ n` (RFC 7162).
    ModSeq(u64),
    /// Any other item: its name and raw value.
    Other {
        /// The item name.
        name: Cow<'a, [u8]>,
        /// The value, verbatim.
        value: Cow<'a, [u8]>,
    },
}

/// A thread (RFC 5256 `thread-list`): a chain of messages, then either
/// nothing or two or more sub-threads branching off the last one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Thread {
    /// The chain of message numbers (may be empty when the thread starts
    /// with branches, e.g. `((1)(2))`).
    pub ids: Vec<u32>,
    /// Sub-threads following the chain.
    pub children: Vec<Thread>,
}

impl Drop for Thread {
    /// Drops nested sub-threads without recursion (see `write_thread`: a
    /// server-built thread tree can be deeper than the stack).
    fn drop(&mut self) {
        let mut pending = std::mem::take(&mut self.children);
        while let Some(mut t) = pending.pop() {
            pending.append(&mut t.children);
        }
    }
}

/// A QUOTA resource (RFC 9208 `quota-resource`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaResource<'a> {
    /// The resource name, e.g. `STORAGE`.
    pub name: Cow<'a, [u8]>,
    /// Current usage.
    pub usage: u64,
    /// Limit.
    pub limit: u64,
}

/// A FETCH data item (`msg-att`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchItem<'a> {
    /// `FLAGS (...)`.
    Flags(Vec<FlagFetch<'a>>),
    /// `ENVELOPE (...)`.
    Envelope(Box<Envelope<'a>>),
    /// `INTERNALDATE "..."`.
    InternalDate(DateTime),
    /// `RFC822.SIZE n`.
    Rfc822Size(u64),
    /// `RFC822 nstring` (IMAP4rev1).
    Rfc822(Option<Cow<'a, [u8]>>),
    /// `RFC822.HEADER nstring` (IMAP4rev1).
    Rfc822Header(Option<Cow<'a, [u8]>>),
    /// `RFC822.TEXT nstring` (IMAP4rev1).
    Rfc822Text(Option<Cow<'a, [u8]>>),
    /// `BODY (...)`: the non-extensible body structure.
    Body(Box<Body<'a>>),
    /// `BODYSTRUCTURE (...)`.
    BodyStructure(Box<Body<'a>>),
    /// `BODY[section]<origin> nstring`.
    BodySection {
        /// The section.
        section: Section<'a>,
        /// The origin octet of a partial fetch.
        origin: Option<u32>,
        /// The data, borrowed from the input.
        data: Option<Cow<'a, [u8]>>,
    },
    /// `BINARY[part]<origin> nstring/literal8` (RFC 3516, RFC 9051 §7.5.2).
    Binary {
        /// The part (`None`: `BINARY[]`, the whole message).
        part: Option<Part>,
        /// The origin octet of a partial fetch (in the decoded data).
        origin: Option<u32>,
        /// The decoded data, borrowed from the input.
        data: Option<Cow<'a, [u8]>>,
    },
    /// `BINARY.SIZE[part] n` (RFC 3516).
    BinarySize {
        /// The part (`None`: `BINARY.SIZE[]`).
        part: Option<Part>,
        /// The decoded size.
        size: u32,
    },
    /// `UID n`.
    Uid(u32),
    /// `MODSEQ (n)` (RFC 7162).
    ModSeq(u64),
    /// `EMAILID (id)` (RFC 8474).
    EmailId(ObjectId<'a>),
    /// `THREADID (id)` / `THREADID NIL` (RFC 8474).
    ThreadId(Option<ObjectId<'a>>),
    /// `PREVIEW nstring` (RFC 8970).
    Preview(Option<Cow<'a, [u8]>>),
    /// `SAVEDATE date-time` / `SAVEDATE NIL` (RFC 8514).
    SaveDate(Option<DateTime>),
    /// Any other item (e.g. vendor items such as `X-GM-MSGID`): its name and raw value.
    Other {
        /// The item name.
        name: Cow<'a, [u8]>,
        /// The value, verbatim.
        value: Cow<'a, [u8]>,
    },
}

// ---------------------------------------------------------------------------
// Parsing entry points

impl<'a> Response<'a> {
    /// Parses one response from the start of `input` with the default
    /// (strict) options. Returns the response and the bytes consumed.
    pub fn parse(input: &'a [u8]) -> Result<(Response<'a>, usize), ParseError> {
        Self::parse_with(input, &ResponseOptions::default())
    }

    /// Parses one response with the given options.
    ///
    /// ```
    /// use mailwire_imap_proto::response::{Data, Response, ResponseOptions};
    /// let input = b"* SEARCH 2 3 \r\n";
    /// assert!(Response::parse(input).is_err());
    /// let (r, _) = Response::parse_with(input, &ResponseOptions::lenient()).unwrap();
    /// assert_eq!(r, Response::Data(Data::Search { ids: vec![2, 3], modseq: None }));
    /// ```
    pub fn parse_with(
        input: &'a [u8],
        opts: &ResponseOptions,
    ) -> Result<(Response<'a>, usize), ParseError> {
        let mut c = Cursor::new(input, *opts);
        match parse_response(&mut c) {
            Ok(r) => Ok((r, c.pos)),
            Err(e) => Err(lex_to_error(e)),
        }
    }

    /// Writes the response, CRLF included.
    pub fn write(&self, enc: &mut Encoder) {
        match self {
            Response::Status(s) => {
                match &s.tag {
                    Some(t) => enc.raw(t.as_str().as_bytes()),
                    None => enc.raw(b"*"),
                }
                enc.raw(b" ");
                enc.raw(s.kind.name());
                enc.raw(b" ");
                write_resp_text(enc, s.code.as_ref(), &s.text);
            }
            Response::Continue(Continue::Text { code, text }) => {
                enc.raw(b"+ ");
                write_resp_text(enc, code.as_ref(), text);
            }
            Response::Continue(Continue::Base64(data)) => {
                enc.raw(b"+ ");
                let s = base64::engine::general_purpose::STANDARD.encode(data);
                enc.raw(s.as_bytes());
            }
            Response::Data(d) => {
                enc.raw(b"* ");
                d.write(enc);
            }
        }
        enc.raw(b"\r\n");
    }

    /// The response as bytes, CRLF included.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut enc = Encoder::default();
        self.write(&mut enc);
        enc.into_bytes()
    }

    /// Converts into a value that owns all its data.
    #[must_use]
    pub fn into_owned(self) -> Response<'static> {
        match self {
            Response::Status(s) => Response::Status(Status {
                tag: s.tag.map(Tag::into_owned),
                kind: s.kind,
                code: s.code.map(Code::into_owned),
                text: own(s.text),
            }),
            Response::Continue(Continue::Text { code, text }) => {
                Response::Continue(Continue::Text {
                    code: code.map(Code::into_owned),
                    text: own(text),
                })
            }
            Response::Continue(Continue::Base64(d)) => Response::Continue(Continue::Base64(own(d))),
            Response::Data(d) => Response::Data(d.into_owned()),
        }
    }
}

fn own(c: Cow<'_, [u8]>) -> Cow<'static, [u8]> {
    Cow::Owned(c.into_owned())
}

fn own_opt(c: Option<Cow<'_, [u8]>>) -> Option<Cow<'static, [u8]>> {
    c.map(own)
}

fn nown(c: NString<'_>) -> NString<'static> {
    c.map(IString::into_owned)
}

// ---------------------------------------------------------------------------
// Bridges to the shared primitives of the crate

impl<'a> Cursor<'a> {
    /// Runs one of the crate's `nom` parsers at the cursor.
    pub(crate) fn nom<T>(
        &mut self,
        f: impl FnOnce(&'a [u8]) -> crate::error::PResult<'a, T>,
    ) -> PResult<T> {
        let buf = self.buf;
        match f(self.rest()) {
            Ok((rest, v)) => {
                self.pos = buf.len() - rest.len();
                Ok(v)
            }
            Err(nom::Err::Incomplete(_)) => Err(LexError::Incomplete),
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
                let at = buf.len().saturating_sub(e.remaining);
                Err(match e.kind {
                    crate::error::NomErrorKind::Limit => LexError::Limit {
                        at,
                        what: e.expected,
                    },
                    _ => LexError::Syntax {
                        at,
                        expected: e.expected,
                    },
                })
            }
        }
    }

    fn mailbox(&mut self) -> PResult<Mailbox<'a>> {
        Ok(Mailbox::from_istring(self.astring()?))
    }
}

pub(crate) fn parse_capability<'a>(c: &mut Cursor<'a>) -> PResult<Capability<'a>> {
    c.nom(crate::capability::capability)
}

pub(crate) fn parse_perm_flags<'a>(c: &mut Cursor<'a>) -> PResult<Vec<FlagPerm<'a>>> {
    c.byte(b'(', "flag list")?;
    let mut v = Vec::new();
    if c.eat(b')')? {
        return Ok(v);
    }
    loop {
        v.push(c.nom(crate::flag::flag_perm)?);
        if c.eat(b')')? {
            return Ok(v);
        }
        c.sp()?;
    }
}

pub(crate) fn write_perm_flags(enc: &mut Encoder, v: &[FlagPerm<'_>]) {
    enc.raw(b"(");
    for (i, f) in v.iter().enumerate() {
        if i > 0 {
            enc.raw(b" ");
        }
        f.write(enc);
    }
    enc.raw(b")");
}

fn parse_fetch_flags<'a>(c: &mut Cursor<'a>) -> PResult<Vec<FlagFetch<'a>>> {
    c.byte(b'(', "flag list")?;
    let mut v = Vec::new();
    if c.eat(b')')? {
        return Ok(v);
    }
    loop {
        v.push(c.nom(crate::flag::flag_fetch)?);
        if c.eat(b')')? {
            return Ok(v);
        }
        c.sp()?;
    }
}

/// `uid-set` (no `*`, no `$`).
pub(crate) fn parse_uid_set(c: &mut Cursor<'_>) -> PResult<SequenceSet> {
    c.nom(crate::sequence::uid_set).map(SequenceSet::Items)
}

/// `sequence-set`.
pub(crate) fn parse_seq_set(c: &mut Cursor<'_>) -> PResult<SequenceSet> {
    c.nom(crate::sequence::sequence_set)
}

/// `objectid` (RFC 8474).
pub(crate) fn parse_objectid<'a>(c: &mut Cursor<'a>) -> PResult<ObjectId<'a>> {
    c.nom(crate::status::objectid)
}

/// A `tagged-ext-val` or similar value, captured verbatim: a parenthesized
/// list (balanced, strings and literals skipped properly), a string, or a
/// run of atom-like characters.
fn raw_value<'a>(c: &mut Cursor<'a>) -> PResult<Cow<'a, [u8]>> {
    let start = c.pos;
    match c.peek()? {
        b'(' => {
            let mut depth = 0usize;
            loop {
                match c.peek()? {
                    b'(' => {
                        c.enter()?;
                        depth += 1;
                        c.pos += 1;
                    }
                    b')' => {
                        c.leave();
                        depth -= 1;
                        c.pos += 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    b'"' => {
                        c.quoted()?;
                    }
                    b'{' => {
                        c.literal(false)?;
                    }
                    b'~' if c.peek2()? == b'{' => {
                        c.literal(true)?;
                    }
                    b'\r' | b'\n' | 0 => return c.err(")"),
                    _ => c.pos += 1,
                }
            }
        }
        b'"' => {
            c.quoted()?;
        }
        b'{' => {
            c.literal(false)?;
        }
        _ => {
            c.take_while1(
                |b| !matches!(b, b' ' | b'(' | b')' | b'\r' | b'\n' | b'"' | b'{' | 0),
                "value",
            )?;
        }
    }
    Ok(Cow::Borrowed(c.buf.get(start..c.pos).unwrap_or_default()))
}

/// The rest of a line up to CRLF (not consumed), with quoted strings and
/// literals stepped over as units, so a literal's bytes are never read as
/// the end of the line.
fn raw_line<'a>(c: &mut Cursor<'a>) -> PResult<Cow<'a, [u8]>> {
    let start = c.pos;
    loop {
        match c.peek()? {
            b'\r' => break,
            b'\n' | 0 => return c.err("CRLF"),
            b'"' => {
                // A lone DQUOTE in free text is allowed: fall back to a byte.
                let save = c.pos;
                if c.quoted().is_err() {
                    c.pos = save;
                    if memchr::memchr(b'\r', c.rest()).is_none() {
                        return Err(LexError::Incomplete);
                    }
                    c.pos += 1;
                }
            }
            b'{' => {
                // A literal if it is one; otherwise a plain byte of text.
                let save = c.pos;
                match c.literal(false) {
                    Ok(_) => {}
                    Err(LexError::Syntax { .. }) => c.pos = save + 1,
                    Err(e) => return Err(e),
                }
            }
            _ => c.pos += 1,
        }
    }
    Ok(Cow::Borrowed(c.buf.get(start..c.pos).unwrap_or_default()))
}

/// `DQUOTE QUOTED-CHAR DQUOTE / nil` — a hierarchy delimiter.
fn parse_delimiter(c: &mut Cursor<'_>) -> PResult<Option<char>> {
    if c.nil()? {
        return Ok(None);
    }
    let at = c.pos;
    let q = c.quoted()?;
    let s = std::str::from_utf8(&q).map_err(|_| LexError::Syntax {
        at,
        expected: "delimiter character",
    })?;
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(ch), None) => Ok(Some(ch)),
        _ => Err(LexError::Syntax {
            at,
            expected: "one delimiter character",
        }),
    }
}

fn write_delimiter(enc: &mut Encoder, d: Option<char>) {
    match d {
        None => enc.raw(b"NIL"),
        Some(ch) => {
            let mut b = [0u8; 4];
            enc.string(ch.encode_utf8(&mut b).as_bytes());
        }
    }
}

// ---------------------------------------------------------------------------
// The grammar

fn parse_response<'a>(c: &mut Cursor<'a>) -> PResult<Response<'a>> {
    match c.peek()? {
        b'+' => {
            c.pos += 1;
            if c.opts.continuation_without_space && c.peek()? == b'\r' {
                c.crlf()?;
                return Ok(Response::Continue(Continue::Text {
                    code: None,
                    text: Cow::Borrowed(&[]),
                }));
            }
            c.sp()?;
            let start = c.pos;
            let t = c.text()?;
            let r = if !t.is_empty() && is_base64(t) {
                match base64::engine::general_purpose::STANDARD.decode(t) {
                    Ok(d) => Continue::Base64(Cow::Owned(d)),
                    Err(_) => {
                        c.pos = start;
                        let (code, text) = resp_text(c)?;
                        Continue::Text { code, text }
                    }
                }
            } else {
                c.pos = start;
                let (code, text) = resp_text(c)?;
                Continue::Text { code, text }
            };
            c.crlf()?;
            Ok(Response::Continue(r))
        }
        b'*' => {
            c.pos += 1;
            c.sp()?;
            let r = parse_untagged(c)?;
            // `* STATUS x (...) \r\n`, `* ID (...) \r\n`, ...
            at_line_end(c)?;
            c.crlf()?;
            Ok(r)
        }
        _ => {
            let t = c.take_while1(crate::primitive::is_tag_char, "tag, * or +")?;
            let tag = Tag::unchecked(String::from_utf8_lossy(t));
            c.sp()?;
            let at = c.pos;
            let Some(kind @ (StatusKind::Ok | StatusKind::No | StatusKind::Bad)) =
                status_kind(c.atom()?)
            else {
                return Err(LexError::Syntax {
                    at,
                    expected: "OK, NO or BAD",
                });
            };
            let r = status_rest(c, Some(tag), kind)?;
            c.crlf()?;
            Ok(r)
        }
    }
}

fn is_base64(t: &[u8]) -> bool {
    if !t.len().is_multiple_of(4) {
        return false;
    }
    let body = t.iter().rposition(|&b| b != b'=').map_or(0, |p| p + 1);
    t.len() - body <= 2
        && t.get(..body).is_some_and(|b| {
            b.iter()
                .all(|&x| x.is_ascii_alphanumeric() || x == b'+' || x == b'/')
        })
}

fn status_kind(a: &[u8]) -> Option<StatusKind> {
    Some(match a {
        _ if a.eq_ignore_ascii_case(b"OK") => StatusKind::Ok,
        _ if a.eq_ignore_ascii_case(b"NO") => StatusKind::No,
        _ if a.eq_ignore_ascii_case(b"BAD") => StatusKind::Bad,
        _ if a.eq_ignore_ascii_case(b"PREAUTH") => StatusKind::PreAuth,
        _ if a.eq_ignore_ascii_case(b"BYE") => StatusKind::Bye,
        _ => return None,
    })
}

fn status_rest<'a>(
    c: &mut Cursor<'a>,
    tag: Option<Tag<'a>>,
    kind: StatusKind,
) -> PResult<Response<'a>> {
    if c.opts.missing_status_text && c.peek()? == b'\r' {
        return Ok(Response::Status(Status {
            tag,
            kind,
            code: None,
            text: Cow::Borrowed(&[]),
        }));
    }
    c.sp()?;
    let (code, text) = resp_text(c)?;
    Ok(Response::Status(Status {
        tag,
        kind,
        code,
        text,
    }))
}

/// `resp-text = ["[" resp-text-code "]" SP] [text]`, up to CRLF (not consumed).
fn resp_text<'a>(c: &mut Cursor<'a>) -> PResult<(Option<Code<'a>>, Cow<'a, [u8]>)> {
    let code = if c.peek()? == b'[' {
        c.pos += 1;
        let code = Code::parse_at(c)?;
        c.byte(b']', "]")?;
        if !c.eat(b' ')? {
            if c.opts.missing_status_text && c.peek()? == b'\r' {
                return Ok((Some(code), Cow::Borrowed(&[])));
            }
            return c.err("SP");
        }
        Some(code)
    } else {
        None
    };
    Ok((code, Cow::Borrowed(c.text()?)))
}

fn write_resp_text(enc: &mut Encoder, code: Option<&Code<'_>>, text: &[u8]) {
    if let Some(code) = code {
        enc.raw(b"[");
        code.write(enc);
        enc.raw(b"] ");
    }
    lex::write_text(enc, text, false);
}

fn eq(a: &[u8], b: &str) -> bool {
    a.eq_ignore_ascii_case(b.as_bytes())
}

/// End of a space-separated list: true at CRLF (allowing a trailing space
/// before it when the option is on).
fn at_line_end(c: &mut Cursor<'_>) -> PResult<bool> {
    match c.peek()? {
        b'\r' => Ok(true),
        b' ' if c.opts.trailing_space && c.peek2()? == b'\r' => {
            c.pos += 1;
            Ok(true)
        }
        _ => Ok(false),
    }
}

fn parse_untagged<'a>(c: &mut Cursor<'a>) -> PResult<Response<'a>> {
    if c.peek()?.is_ascii_digit() {
        let n = c.number()?;
        c.sp()?;
        let at = c.pos;
        let name = c.atom()?;
        let d = if eq(name, "EXISTS") {
            Data::Exists(n)
        } else if eq(name, "RECENT") {
            Data::Recent(n)
        } else if eq(name, "EXPUNGE") {
            Data::Expunge(n)
        } else if eq(name, "FETCH") {
            c.sp()?;
            Data::Fetch {
                seq: n,
                items: parse_fetch_items(c)?,
            }
        } else {
            return Err(LexError::Syntax {
                at,
                expected: "EXISTS, RECENT, EXPUNGE or FETCH",
            });
        };
        return Ok(Response::Data(d));
    }
    let at = c.pos;
    let name = c.atom()?;
    if let Some(kind) = status_kind(name) {
        return status_rest(c, None, kind);
    }
    let d = if eq(name, "CAPABILITY") {
        Data::Capability(parse_caps(c)?)
    } else if eq(name, "ENABLED") {
        Data::Enabled(parse_caps(c)?)
    } else if eq(name, "LIST") {
        c.sp()?;
        Data::List(parse_list(c)?)
    } else if eq(name, "LSUB") {
        c.sp()?;
        Data::Lsub(parse_list(c)?)
    } else if eq(name, "FLAGS") {
        c.sp()?;
        Data::Flags(c.nom(crate::flag::flag_list)?)
    } else if eq(name, "SEARCH") {
        let (ids, modseq) = parse_id_list(c)?;
        Data::Search { ids, modseq }
    } else if eq(name, "SORT") {
        let (ids, modseq) = parse_id_list(c)?;
        Data::Sort { ids, modseq }
    } else if eq(name, "ESEARCH") {
        Data::Esearch(parse_esearch(c)?)
    } else if eq(name, "STATUS") {
        c.sp()?;
        let mailbox = c.mailbox()?;
        c.sp()?;
        Data::Status {
            mailbox,
            items: parse_status_items(c)?,
        }
    } else if eq(name, "THREAD") {
        let mut threads = Vec::new();
        if !at_line_end(c)? {
            c.sp()?;
            while c.peek()? == b'(' {
                threads.push(parse_thread(c)?);
            }
            at_line_end(c)?;
        }
        Data::Thread(threads)
    } else if eq(name, "VANISHED") {
        c.sp()?;
        let mut earlier = false;
        if c.peek()? == b'(' {
            c.pos += 1;
            c.keyword("EARLIER")?;
            c.byte(b')', ")")?;
            c.sp()?;
            earlier = true;
        }
        Data::Vanished {
            earlier,
            uids: parse_uid_set(c)?,
        }
    } else if eq(name, "NAMESPACE") {
        c.sp()?;
        let personal = parse_namespaces(c)?;
        c.sp()?;
        let other = parse_namespaces(c)?;
        c.sp()?;
        let shared = parse_namespaces(c)?;
        Data::Namespace {
            personal,
            other,
            shared,
        }
    } else if eq(name, "ID") {
        c.sp()?;
        Data::Id(parse_id_params(c)?)
    } else if eq(name, "QUOTA") {
        c.sp()?;
        let root = c.astring()?;
        c.sp()?;
        c.byte(b'(', "quota list")?;
        let mut resources = Vec::new();
        if !c.eat(b')')? {
            loop {
                let name = Cow::Borrowed(c.atom()?);
                c.sp()?;
                let usage = c.number64()?;
                c.sp()?;
                let limit = c.number64()?;
                resources.push(QuotaResource { name, usage, limit });
                if c.eat(b')')? {
                    break;
                }
                c.sp()?;
            }
        }
        Data::Quota { root, resources }
    } else if eq(name, "QUOTAROOT") {
        c.sp()?;
        let mailbox = c.mailbox()?;
        let mut roots = Vec::new();
        while !at_line_end(c)? {
            c.sp()?;
            roots.push(c.astring()?);
        }
        Data::QuotaRoot { mailbox, roots }
    } else if eq(name, "EXISTS") || eq(name, "RECENT") || eq(name, "EXPUNGE") || eq(name, "FETCH") {
        return Err(LexError::Syntax {
            at,
            expected: "a number before EXISTS, RECENT, EXPUNGE or FETCH",
        });
    } else {
        let data = if c.eat(b' ')? {
            Some(raw_line(c)?)
        } else {
            None
        };
        Data::Other {
            name: Cow::Borrowed(name),
            data,
        }
    };
    Ok(Response::Data(d))
}

fn parse_caps<'a>(c: &mut Cursor<'a>) -> PResult<Vec<Capability<'a>>> {
    let mut v = Vec::new();
    while !at_line_end(c)? {
        c.sp()?;
        v.push(parse_capability(c)?);
    }
    Ok(v)
}

/// `*(SP nz-number) [SP "(" "MODSEQ" SP n ")"]` up to CRLF.
fn parse_id_list(c: &mut Cursor<'_>) -> PResult<(Vec<u32>, Option<u64>)> {
    // Each number takes at least two bytes (" 1"); reserve for a typical width.
    let line = memchr::memchr(b'\r', c.rest()).unwrap_or(0);
    let mut ids = Vec::with_capacity(line / 4);
    let mut modseq = None;
    space_numbers(c, &mut ids)?;
    while !at_line_end(c)? {
        c.sp()?;
        if c.peek()? == b'(' && !ids.is_empty() {
            c.pos += 1;
            c.keyword("MODSEQ")?;
            c.sp()?;
            modseq = Some(c.number64()?);
            c.byte(b')', ")")?;
            at_line_end(c)?;
            break;
        }
        ids.push(c.nz_number()?);
    }
    Ok((ids, modseq))
}

/// The hot loop of SEARCH/SORT: consumes `*(SP nz-number)` as far as it
/// goes, stopping (without consuming) before a space that is not followed
/// by a digit or at any other byte.
fn space_numbers(c: &mut Cursor<'_>, out: &mut Vec<u32>) -> PResult<()> {
    let buf = c.buf;
    let mut i = c.pos;
    loop {
        if buf.get(i) != Some(&b' ') {
            break;
        }
        let start = i + 1;
        let mut j = start;
        let mut v: u64 = 0;
        loop {
            match buf.get(j) {
                Some(&d) if d.is_ascii_digit() => {
                    v = v * 10 + u64::from(d - b'0');
                    if v > u64::from(u32::MAX) {
                        return Err(LexError::Syntax {
                            at: start,
                            expected: "number (32-bit)",
                        });
                    }
                    j += 1;
                }
                Some(_) => break,
                None => return Err(LexError::Incomplete),
            }
        }
        if j == start {
            break;
        }
        if v == 0 {
            return Err(LexError::Syntax {
                at: start,
                expected: "nz-number",
            });
        }
        out.push(v as u32);
        i = j;
    }
    c.pos = i;
    Ok(())
}

fn parse_thread(c: &mut Cursor<'_>) -> PResult<Thread> {
    c.byte(b'(', "thread list")?;
    c.enter()?;
    let mut t = Thread::default();
    loop {
        match c.peek()? {
            b'(' => t.children.push(parse_thread(c)?),
            b')' if !t.ids.is_empty() || !t.children.is_empty() => {
                c.pos += 1;
                break;
            }
            _ if t.children.is_empty() => {
                if !t.ids.is_empty() {
                    c.sp()?;
                    if c.peek()? == b'(' {
                        continue;
                    }
                }
                t.ids.push(c.nz_number()?);
            }
            _ => return c.err(")"),
        }
    }
    c.leave();
    Ok(t)
}

/// Writes one `thread-list` without recursion: a server builds threads from
/// stored messages (RFC 5256), and a crafted mailbox can nest them as deep
/// as it has messages, deeper than any stack.
fn write_thread(enc: &mut Encoder, t: &Thread) {
    fn open(enc: &mut Encoder, t: &Thread) {
        enc.raw(b"(");
        for (i, id) in t.ids.iter().enumerate() {
            if i > 0 {
                enc.raw(b" ");
            }
            enc.number(u64::from(*id));
        }
        if !t.ids.is_empty() && !t.children.is_empty() {
            enc.raw(b" ");
        }
    }
    open(enc, t);
    let mut stack: Vec<std::slice::Iter<'_, Thread>> = vec![t.children.iter()];
    while let Some(children) = stack.last_mut() {
        if let Some(child) = children.next() {
            open(enc, child);
            stack.push(child.children.iter());
        } else {
            stack.pop();
            enc.raw(b")");
        }
    }
}

fn parse_esearch<'a>(c: &mut Cursor<'a>) -> PResult<Esearch<'a>> {
    let mut e = Esearch::default();
    if at_line_end(c)? {
        return Ok(e);
    }
    c.sp()?;
    if c.peek()? == b'(' {
        c.pos += 1;
        c.keyword("TAG")?;
        c.sp()?;
        e.tag = Some(c.astring()?);
        c.byte(b')', ")")?;
        if at_line_end(c)? {
            return Ok(e);
        }
        c.sp()?;
    }
    loop {
        let at = c.pos;
        let name = c.atom()?;
        if eq(name, "UID") && !e.uid && e.items.is_empty() {
            e.uid = true;
        } else {
            c.sp()?;
            let item = if eq(name, "MIN") {
                EsearchItem::Min(c.nz_number()?)
            } else if eq(name, "MAX") {
                EsearchItem::Max(c.nz_number()?)
            } else if eq(name, "COUNT") {
                EsearchItem::Count(c.number()?)
            } else if eq(name, "ALL") {
                let s = parse_seq_set(c)?;
                if s == SequenceSet::Saved {
                    return Err(LexError::Syntax {
                        at,
                        expected: "sequence set (no $)",
                    });
                }
                EsearchItem::All(s)
            } else if eq(name, "MODSEQ") {
                EsearchItem::ModSeq(c.number64()?)
            } else {
                EsearchItem::Other {
                    name: Cow::Borrowed(name),
                    value: raw_value(c)?,
                }
            };
            e.items.push(item);
        }
        if at_line_end(c)? {
            return Ok(e);
        }
        c.sp()?;
    }
}

fn parse_list<'a>(c: &mut Cursor<'a>) -> PResult<ListItem<'a>> {
    c.byte(b'(', "mailbox attribute list")?;
    let mut attributes = Vec::new();
    if !c.eat(b')')? {
        loop {
            attributes.push(c.nom(crate::flag::mailbox_attribute)?);
            if c.eat(b')')? {
                break;
            }
            c.sp()?;
        }
    }
    c.sp()?;
    let delimiter = parse_delimiter(c)?;
    c.sp()?;
    let mailbox = c.mailbox()?;
    let mut extended = Vec::new();
    if !at_line_end(c)? {
        c.sp()?;
        c.byte(b'(', "extended list data")?;
        if !c.eat(b')')? {
            loop {
                let tag = c.astring()?;
                c.sp()?;
                let item = if eq(tag.as_bytes(), "CHILDINFO") {
                    c.byte(b'(', "(")?;
                    let mut v = vec![c.string()?];
                    while !c.eat(b')')? {
                        c.sp()?;
                        v.push(c.string()?);
                    }
                    ListExtended::ChildInfo(v)
                } else if eq(tag.as_bytes(), "OLDNAME") {
                    c.byte(b'(', "(")?;
                    let m = c.mailbox()?;
                    c.byte(b')', ")")?;
                    ListExtended::OldName(m)
                } else {
                    ListExtended::Other {
                        tag,
                        value: raw_value(c)?,
                    }
                };
                extended.push(item);
                if c.eat(b')')? {
                    break;
                }
                c.sp()?;
            }
        }
    }
    Ok(ListItem {
        attributes,
        delimiter,
        mailbox,
        extended,
    })
}

fn parse_status_items<'a>(c: &mut Cursor<'a>) -> PResult<Vec<StatusItem<'a>>> {
    c.byte(b'(', "status list")?;
    let mut v = Vec::new();
    if c.eat(b')')? {
        return Ok(v);
    }
    loop {
        let start = c.pos;
        let name = c.atom()?;
        let item = if StatusAttribute::from_name(name).is_some() {
            c.pos = start;
            StatusItem::Value(c.nom(crate::status::status_value)?)
        } else {
            c.sp()?;
            StatusItem::Other {
                name: Cow::Borrowed(name),
                value: raw_value(c)?,
            }
        };
        v.push(item);
        if c.eat(b')')? {
            return Ok(v);
        }
        c.sp()?;
    }
}

fn parse_namespaces<'a>(c: &mut Cursor<'a>) -> PResult<Vec<Namespace<'a>>> {
    if c.nil()? {
        return Ok(Vec::new());
    }
    c.byte(b'(', "namespace list or NIL")?;
    let mut v = Vec::new();
    loop {
        c.byte(b'(', "namespace")?;
        let prefix = c.string()?;
        c.sp()?;
        let delimiter = parse_delimiter(c)?;
        let mut extensions = Vec::new();
        while c.eat(b' ')? {
            let name = c.string()?;
            c.sp()?;
            c.byte(b'(', "(")?;
            let mut vals = vec![c.string()?];
            while !c.eat(b')')? {
                c.sp()?;
                vals.push(c.string()?);
            }
            extensions.push((name, vals));
        }
        c.byte(b')', ")")?;
        v.push(Namespace {
            prefix,
            delimiter,
            extensions,
        });
        if c.eat(b')')? {
            return Ok(v);
        }
        // Some servers separate the descriptions with a space.
        if c.opts.empty_lists {
            c.eat(b' ')?;
        }
    }
}

type IdParams<'a> = Option<Vec<(IString<'a>, NString<'a>)>>;

fn parse_id_params<'a>(c: &mut Cursor<'a>) -> PResult<IdParams<'a>> {
    if c.nil()? {
        return Ok(None);
    }
    c.byte(b'(', "ID parameter list or NIL")?;
    let mut v = Vec::new();
    if c.eat(b')')? {
        return Ok(Some(v));
    }
    loop {
        let k = c.string()?;
        c.sp()?;
        let val = c.nstring()?;
        v.push((k, val));
        if c.eat(b')')? {
            return Ok(Some(v));
        }
        c.sp()?;
    }
}

fn fetch_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')
}

fn parse_fetch_items<'a>(c: &mut Cursor<'a>) -> PResult<Vec<FetchItem<'a>>> {
    c.byte(b'(', "(")?;
    let mut items = Vec::with_capacity(4);
    loop {
        items.push(parse_fetch_item(c)?);
        if c.eat(b')')? {
            return Ok(items);
        }
        c.sp()?;
    }
}

fn parse_fetch_item<'a>(c: &mut Cursor<'a>) -> PResult<FetchItem<'a>> {
    let at = c.pos;
    let name = c.take_while1(fetch_name_char, "FETCH data item")?;
    // BODY[...] and BINARY[...] have no space before the bracket.
    if c.peek()? == b'[' {
        if eq(name, "BODY") {
            let section = c.nom(crate::section::section)?;
            let origin = if c.eat(b'<')? {
                let n = c.number()?;
                c.byte(b'>', ">")?;
                Some(n)
            } else {
                None
            };
            c.sp()?;
            let data = c.nstring_payload()?;
            return Ok(FetchItem::BodySection {
                section,
                origin,
                data,
            });
        } else if eq(name, "BINARY") {
            let part = c.nom(crate::section::section_binary)?;
            // RFC 9051 §7.5.2 `BINARY[<section-binary>]<<number>>`: the
            // origin of a partial BINARY fetch (sent by Dovecot, among others).
            let origin = if c.eat(b'<')? {
                let n = c.number()?;
                c.byte(b'>', ">")?;
                Some(n)
            } else {
                None
            };
            c.sp()?;
            let data = c.nstring_payload()?;
            return Ok(FetchItem::Binary { part, origin, data });
        } else if eq(name, "BINARY.SIZE") {
            let part = c.nom(crate::section::section_binary)?;
            c.sp()?;
            let size = c.number()?;
            return Ok(FetchItem::BinarySize { part, size });
        }
        return Err(LexError::Syntax {
            at,
            expected: "BODY[, BINARY[ or BINARY.SIZE[",
        });
    }
    c.sp()?;
    let item = match name.len() {
        _ if eq(name, "UID") => FetchItem::Uid(c.nz_number()?),
        _ if eq(name, "FLAGS") => FetchItem::Flags(parse_fetch_flags(c)?),
        _ if eq(name, "RFC822.SIZE") => FetchItem::Rfc822Size(c.number64()?),
        _ if eq(name, "INTERNALDATE") => {
            FetchItem::InternalDate(c.nom(crate::datetime::date_time)?)
        }
        _ if eq(name, "ENVELOPE") => FetchItem::Envelope(Box::new(Envelope::parse_at(c)?)),
        _ if eq(name, "BODYSTRUCTURE") => FetchItem::BodyStructure(Box::new(Body::parse_at(c)?)),
        _ if eq(name, "BODY") => FetchItem::Body(Box::new(Body::parse_at(c)?)),
        _ if eq(name, "MODSEQ") => {
            c.byte(b'(', "(")?;
            let n = c.number64()?;
            c.byte(b')', ")")?;
            FetchItem::ModSeq(n)
        }
        _ if eq(name, "RFC822") => FetchItem::Rfc822(c.nstring_payload()?),
        _ if eq(name, "RFC822.HEADER") => FetchItem::Rfc822Header(c.nstring_payload()?),
        _ if eq(name, "RFC822.TEXT") => FetchItem::Rfc822Text(c.nstring_payload()?),
        _ if eq(name, "EMAILID") => {
            c.byte(b'(', "(")?;
            let id = parse_objectid(c)?;
            c.byte(b')', ")")?;
            FetchItem::EmailId(id)
        }
        _ if eq(name, "THREADID") => {
            if c.nil()? {
                FetchItem::ThreadId(None)
            } else {
                c.byte(b'(', "( or NIL")?;
                let id = parse_objectid(c)?;
                c.byte(b')', ")")?;
                FetchItem::ThreadId(Some(id))
            }
        }
        _ if eq(name, "PREVIEW") => FetchItem::Preview(c.nstring_payload()?),
        _ if eq(name, "SAVEDATE") => FetchItem::SaveDate(if c.nil()? {
            None
        } else {
            Some(c.nom(crate::datetime::date_time)?)
        }),
        _ => FetchItem::Other {
            name: Cow::Borrowed(name),
            value: raw_value(c)?,
        },
    };
    Ok(item)
}

// ---------------------------------------------------------------------------
// Writers

/// Writes message payload data: NIL, a quoted string when short and
/// quotable, a literal otherwise, and a literal8 when it holds NUL and
/// `binary` allows it.
fn write_payload(enc: &mut Encoder, data: Option<&[u8]>, binary: bool) {
    match data {
        None => enc.raw(b"NIL"),
        Some(d) if binary && memchr::memchr(0, d).is_some() => enc.literal8(d),
        Some(d) => enc.string(d),
    }
}

impl FetchItem<'_> {
    /// Writes the data item.
    pub fn write(&self, enc: &mut Encoder) {
        match self {
            FetchItem::Flags(v) => {
                enc.raw(b"FLAGS (");
                for (i, f) in v.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    f.write(enc);
                }
                enc.raw(b")");
            }
            FetchItem::Envelope(e) => {
                enc.raw(b"ENVELOPE ");
                e.write(enc);
            }
            FetchItem::InternalDate(d) => {
                enc.raw(b"INTERNALDATE ");
                d.write(enc);
            }
            FetchItem::Rfc822Size(n) => {
                enc.raw(b"RFC822.SIZE ");
                enc.number(*n);
            }
            FetchItem::Rfc822(d) => {
                enc.raw(b"RFC822 ");
                write_payload(enc, d.as_deref(), false);
            }
            FetchItem::Rfc822Header(d) => {
                enc.raw(b"RFC822.HEADER ");
                write_payload(enc, d.as_deref(), false);
            }
            FetchItem::Rfc822Text(d) => {
                enc.raw(b"RFC822.TEXT ");
                write_payload(enc, d.as_deref(), false);
            }
            FetchItem::Body(b) => {
                enc.raw(b"BODY ");
                b.write(enc);
            }
            FetchItem::BodyStructure(b) => {
                enc.raw(b"BODYSTRUCTURE ");
                b.write(enc);
            }
            FetchItem::BodySection {
                section,
                origin,
                data,
            } => {
                enc.raw(b"BODY");
                section.write(enc);
                if let Some(o) = origin {
                    enc.raw(b"<");
                    enc.number(u64::from(*o));
                    enc.raw(b">");
                }
                enc.raw(b" ");
                write_payload(enc, data.as_deref(), false);
            }
            FetchItem::Binary { part, origin, data } => {
                enc.raw(b"BINARY");
                crate::section::write_section_binary(enc, part.as_ref());
                if let Some(o) = origin {
                    enc.raw(b"<");
                    enc.number(u64::from(*o));
                    enc.raw(b">");
                }
                enc.raw(b" ");
                write_payload(enc, data.as_deref(), true);
            }
            FetchItem::BinarySize { part, size } => {
                enc.raw(b"BINARY.SIZE");
                crate::section::write_section_binary(enc, part.as_ref());
                enc.raw(b" ");
                enc.number(u64::from(*size));
            }
            FetchItem::Uid(n) => {
                enc.raw(b"UID ");
                enc.number(u64::from(*n));
            }
            FetchItem::ModSeq(n) => {
                enc.raw(b"MODSEQ (");
                enc.number(*n);
                enc.raw(b")");
            }
            FetchItem::EmailId(id) => {
                enc.raw(b"EMAILID (");
                enc.raw(id.as_str().as_bytes());
                enc.raw(b")");
            }
            FetchItem::ThreadId(id) => match id {
                None => enc.raw(b"THREADID NIL"),
                Some(id) => {
                    enc.raw(b"THREADID (");
                    enc.raw(id.as_str().as_bytes());
                    enc.raw(b")");
                }
            },
            FetchItem::Preview(d) => {
                enc.raw(b"PREVIEW ");
                write_payload(enc, d.as_deref(), false);
            }
            FetchItem::SaveDate(d) => {
                enc.raw(b"SAVEDATE ");
                match d {
                    None => enc.raw(b"NIL"),
                    Some(d) => d.write(enc),
                }
            }
            FetchItem::Other { name, value } => {
                enc.raw(name);
                enc.raw(b" ");
                enc.raw(value);
            }
        }
    }

    /// Converts into a value that owns all its data.
    #[must_use]
    pub fn into_owned(self) -> FetchItem<'static> {
        match self {
            FetchItem::Flags(v) => {
                FetchItem::Flags(v.into_iter().map(FlagFetch::into_owned).collect())
            }
            FetchItem::Envelope(e) => FetchItem::Envelope(Box::new(e.into_owned())),
            FetchItem::InternalDate(d) => FetchItem::InternalDate(d),
            FetchItem::Rfc822Size(n) => FetchItem::Rfc822Size(n),
            FetchItem::Rfc822(d) => FetchItem::Rfc822(own_opt(d)),
            FetchItem::Rfc822Header(d) => FetchItem::Rfc822Header(own_opt(d)),
            FetchItem::Rfc822Text(d) => FetchItem::Rfc822Text(own_opt(d)),
            FetchItem::Body(b) => FetchItem::Body(Box::new(b.into_owned())),
            FetchItem::BodyStructure(b) => FetchItem::BodyStructure(Box::new(b.into_owned())),
            FetchItem::BodySection {
                section,
                origin,
                data,
            } => FetchItem::BodySection {
                section: section.into_owned(),
                origin,
                data: own_opt(data),
            },
            FetchItem::Binary { part, origin, data } => FetchItem::Binary {
                part,
                origin,
                data: own_opt(data),
            },
            FetchItem::BinarySize { part, size } => FetchItem::BinarySize { part, size },
            FetchItem::Uid(n) => FetchItem::Uid(n),
            FetchItem::ModSeq(n) => FetchItem::ModSeq(n),
            FetchItem::EmailId(id) => FetchItem::EmailId(id.into_owned()),
            FetchItem::ThreadId(id) => FetchItem::ThreadId(id.map(ObjectId::into_owned)),
            FetchItem::Preview(d) => FetchItem::Preview(own_opt(d)),
            FetchItem::SaveDate(d) => FetchItem::SaveDate(d),
            FetchItem::Other { name, value } => FetchItem::Other {
                name: own(name),
                value: own(value),
            },
        }
    }
}

fn write_list_item(enc: &mut Encoder, l: &ListItem<'_>) {
    enc.raw(b"(");
    for (i, a) in l.attributes.iter().enumerate() {
        if i > 0 {
            enc.raw(b" ");
        }
        a.write(enc);
    }
    enc.raw(b") ");
    write_delimiter(enc, l.delimiter);
    enc.raw(b" ");
    l.mailbox.write(enc);
    if !l.extended.is_empty() {
        enc.raw(b" (");
        for (i, x) in l.extended.iter().enumerate() {
            if i > 0 {
                enc.raw(b" ");
            }
            match x {
                ListExtended::ChildInfo(v) => {
                    enc.raw(b"CHILDINFO (");
                    for (j, s) in v.iter().enumerate() {
                        if j > 0 {
                            enc.raw(b" ");
                        }
                        enc.string(s.as_bytes());
                    }
                    enc.raw(b")");
                }
                ListExtended::OldName(m) => {
                    enc.raw(b"OLDNAME (");
                    m.write(enc);
                    enc.raw(b")");
                }
                ListExtended::Other { tag, value } => {
                    enc.astring(tag.as_bytes());
                    enc.raw(b" ");
                    enc.raw(value);
                }
            }
        }
        enc.raw(b")");
    }
}

fn write_namespaces(enc: &mut Encoder, v: &[Namespace<'_>]) {
    if v.is_empty() {
        enc.raw(b"NIL");
        return;
    }
    enc.raw(b"(");
    for n in v {
        enc.raw(b"(");
        enc.string(n.prefix.as_bytes());
        enc.raw(b" ");
        write_delimiter(enc, n.delimiter);
        for (name, vals) in &n.extensions {
            enc.raw(b" ");
            enc.string(name.as_bytes());
            enc.raw(b" (");
            for (i, s) in vals.iter().enumerate() {
                if i > 0 {
                    enc.raw(b" ");
                }
                enc.string(s.as_bytes());
            }
            enc.raw(b")");
        }
        enc.raw(b")");
    }
    enc.raw(b")");
}

fn write_ids(enc: &mut Encoder, ids: &[u32], modseq: Option<u64>) {
    for id in ids {
        enc.raw(b" ");
        enc.number(u64::from(*id));
    }
    // The grammar only allows the MODSEQ item after at least one number.
    if let (Some(m), false) = (modseq, ids.is_empty()) {
        enc.raw(b" (MODSEQ ");
        enc.number(m);
        enc.raw(b")");
    }
}

impl StatusItem<'_> {
    /// Writes the item.
    pub fn write(&self, enc: &mut Encoder) {
        match self {
            StatusItem::Value(v) => v.write(enc),
            StatusItem::Other { name, value } => {
                enc.raw(name);
                enc.raw(b" ");
                enc.raw(value);
            }
        }
    }
}

impl<'a> Data<'a> {
    /// Writes the data (after `* `, without CRLF).
    pub fn write(&self, enc: &mut Encoder) {
        match self {
            Data::Capability(v) | Data::Enabled(v) => {
                enc.raw(if matches!(self, Data::Capability(_)) {
                    b"CAPABILITY"
                } else {
                    b"ENABLED"
                });
                for cap in v {
                    enc.raw(b" ");
                    cap.write(enc);
                }
            }
            Data::List(l) => {
                enc.raw(b"LIST ");
                write_list_item(enc, l);
            }
            Data::Lsub(l) => {
                enc.raw(b"LSUB ");
                write_list_item(enc, l);
            }
            Data::Namespace {
                personal,
                other,
                shared,
            } => {
                enc.raw(b"NAMESPACE ");
                write_namespaces(enc, personal);
                enc.raw(b" ");
                write_namespaces(enc, other);
                enc.raw(b" ");
                write_namespaces(enc, shared);
            }
            Data::Status { mailbox, items } => {
                enc.raw(b"STATUS ");
                mailbox.write(enc);
                enc.raw(b" (");
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    it.write(enc);
                }
                enc.raw(b")");
            }
            Data::Esearch(e) => {
                enc.raw(b"ESEARCH");
                if let Some(t) = &e.tag {
                    enc.raw(b" (TAG ");
                    enc.string(t.as_bytes());
                    enc.raw(b")");
                }
                if e.uid {
                    enc.raw(b" UID");
                }
                for it in &e.items {
                    enc.raw(b" ");
                    match it {
                        EsearchItem::Min(n) => {
                            enc.raw(b"MIN ");
                            enc.number(u64::from(*n));
                        }
                        EsearchItem::Max(n) => {
                            enc.raw(b"MAX ");
                            enc.number(u64::from(*n));
                        }
                        EsearchItem::Count(n) => {
                            enc.raw(b"COUNT ");
                            enc.number(u64::from(*n));
                        }
                        EsearchItem::ModSeq(n) => {
                            enc.raw(b"MODSEQ ");
                            enc.number(*n);
                        }
                        EsearchItem::All(s) => {
                            enc.raw(b"ALL ");
                            s.write(enc);
                        }
                        EsearchItem::Other { name, value } => {
                            enc.raw(name);
                            enc.raw(b" ");
                            enc.raw(value);
                        }
                    }
                }
            }
            Data::Search { ids, modseq } => {
                enc.raw(b"SEARCH");
                write_ids(enc, ids, *modseq);
            }
            Data::Sort { ids, modseq } => {
                enc.raw(b"SORT");
                write_ids(enc, ids, *modseq);
            }
            Data::Thread(ts) => {
                enc.raw(b"THREAD");
                if !ts.is_empty() {
                    enc.raw(b" ");
                }
                for t in ts {
                    write_thread(enc, t);
                }
            }
            Data::Flags(v) => {
                enc.raw(b"FLAGS ");
                crate::flag::write_flag_list(enc, v);
            }
            Data::Exists(n) | Data::Recent(n) | Data::Expunge(n) => {
                enc.number(u64::from(*n));
                enc.raw(match self {
                    Data::Exists(_) => b" EXISTS",
                    Data::Recent(_) => b" RECENT",
                    _ => b" EXPUNGE",
                });
            }
            Data::Vanished { earlier, uids } => {
                enc.raw(if *earlier {
                    b"VANISHED (EARLIER) "
                } else {
                    b"VANISHED "
                });
                uids.write(enc);
            }
            Data::Fetch { seq, items } => {
                enc.number(u64::from(*seq));
                enc.raw(b" FETCH (");
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    it.write(enc);
                }
                enc.raw(b")");
            }
            Data::Id(params) => {
                enc.raw(b"ID ");
                match params {
                    None => enc.raw(b"NIL"),
                    Some(v) => {
                        enc.raw(b"(");
                        for (i, (k, val)) in v.iter().enumerate() {
                            if i > 0 {
                                enc.raw(b" ");
                            }
                            enc.string(k.as_bytes());
                            enc.raw(b" ");
                            enc.nstring(val.as_ref().map(IString::as_bytes));
                        }
                        enc.raw(b")");
                    }
                }
            }
            Data::Quota { root, resources } => {
                enc.raw(b"QUOTA ");
                enc.astring(root.as_bytes());
                enc.raw(b" (");
                for (i, r) in resources.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    enc.raw(&r.name);
                    enc.raw(b" ");
                    enc.number(r.usage);
                    enc.raw(b" ");
                    enc.number(r.limit);
                }
                enc.raw(b")");
            }
            Data::Other { name, data } => {
                enc.raw(name);
                if let Some(d) = data {
                    enc.raw(b" ");
                    enc.raw(d);
                }
            }
            Data::QuotaRoot { mailbox, roots } => {
                enc.raw(b"QUOTAROOT ");
                mailbox.write(enc);
                for r in roots {
                    enc.raw(b" ");
                    enc.astring(r.as_bytes());
                }
            }
        }
    }

    /// Converts into a value that owns all its data.
    #[must_use]
    pub fn into_owned(self) -> Data<'static> {
        fn list(l: ListItem<'_>) -> ListItem<'static> {
            ListItem {
                attributes: l
                    .attributes
                    .into_iter()
                    .map(MailboxAttribute::into_owned)
                    .collect(),
                delimiter: l.delimiter,
                mailbox: l.mailbox.into_owned(),
                extended: l
                    .extended
                    .into_iter()
                    .map(|x| match x {
                        ListExtended::ChildInfo(v) => ListExtended::ChildInfo(
                            v.into_iter().map(IString::into_owned).collect(),
                        ),
                        ListExtended::OldName(m) => ListExtended::OldName(m.into_owned()),
                        ListExtended::Other { tag, value } => ListExtended::Other {
                            tag: tag.into_owned(),
                            value: own(value),
                        },
                    })
                    .collect(),
            }
        }
        fn nss(v: Vec<Namespace<'_>>) -> Vec<Namespace<'static>> {
            v.into_iter()
                .map(|n| Namespace {
                    prefix: n.prefix.into_owned(),
                    delimiter: n.delimiter,
                    extensions: n
                        .extensions
                        .into_iter()
                        .map(|(k, v)| {
                            (
                                k.into_owned(),
                                v.into_iter().map(IString::into_owned).collect(),
                            )
                        })
                        .collect(),
                })
                .collect()
        }
        match self {
            Data::Capability(v) => {
                Data::Capability(v.into_iter().map(Capability::into_owned).collect())
            }
            Data::Enabled(v) => Data::Enabled(v.into_iter().map(Capability::into_owned).collect()),
            Data::List(l) => Data::List(list(l)),
            Data::Lsub(l) => Data::Lsub(list(l)),
            Data::Namespace {
                personal,
                other,
                shared,
            } => Data::Namespace {
                personal: nss(personal),
                other: nss(other),
                shared: nss(shared),
            },
            Data::Status { mailbox, items } => Data::Status {
                mailbox: mailbox.into_owned(),
                items: items
                    .into_iter()
                    .map(|i| match i {
                        StatusItem::Value(v) => StatusItem::Value(v.into_owned()),
                        StatusItem::Other { name, value } => StatusItem::Other {
                            name: own(name),
                            value: own(value),
                        },
                    })
                    .collect(),
            },
            Data::Esearch(e) => Data::Esearch(Esearch {
                tag: e.tag.map(IString::into_owned),
                uid: e.uid,
                items: e
                    .items
                    .into_iter()
                    .map(|i| match i {
                        EsearchItem::Min(n) => EsearchItem::Min(n),
                        EsearchItem::Max(n) => EsearchItem::Max(n),
                        EsearchItem::All(s) => EsearchItem::All(s),
                        EsearchItem::Count(n) => EsearchItem::Count(n),
                        EsearchItem::ModSeq(n) => EsearchItem::ModSeq(n),
                        EsearchItem::Other { name, value } => EsearchItem::Other {
                            name: own(name),
                            value: own(value),
                        },
                    })
                    .collect(),
            }),
            Data::Search { ids, modseq } => Data::Search { ids, modseq },
            Data::Sort { ids, modseq } => Data::Sort { ids, modseq },
            Data::Thread(t) => Data::Thread(t),
            Data::Flags(v) => Data::Flags(v.into_iter().map(Flag::into_owned).collect()),
            Data::Exists(n) => Data::Exists(n),
            Data::Recent(n) => Data::Recent(n),
            Data::Expunge(n) => Data::Expunge(n),
            Data::Vanished { earlier, uids } => Data::Vanished { earlier, uids },
            Data::Fetch { seq, items } => Data::Fetch {
                seq,
                items: items.into_iter().map(FetchItem::into_owned).collect(),
            },
            Data::Id(p) => Data::Id(p.map(|v| {
                v.into_iter()
                    .map(|(k, val)| (k.into_owned(), nown(val)))
                    .collect()
            })),
            Data::Quota { root, resources } => Data::Quota {
                root: root.into_owned(),
                resources: resources
                    .into_iter()
                    .map(|r| QuotaResource {
                        name: own(r.name),
                        usage: r.usage,
                        limit: r.limit,
                    })
                    .collect(),
            },
            Data::Other { name, data } => Data::Other {
                name: own(name),
                data: own_opt(data),
            },
            Data::QuotaRoot { mailbox, roots } => Data::QuotaRoot {
                mailbox: mailbox.into_owned(),
                roots: roots.into_iter().map(IString::into_owned).collect(),
            },
        }
    }
}
