//! Client commands: every IMAP4rev1/IMAP4rev2 command and the extension commands, parsed and written.
//!
//! [`Command::parse`] takes one complete unit (the command line with any
//! literals inline, as the [`framer`](crate::framer) delivers it, ending in
//! CRLF) and returns the command and the bytes consumed. Every proper prefix
//! of a valid command yields [`ParseError::Incomplete`].
//!
//! [`Command::encode`] writes into an [`Encoder`], which records where a
//! synchronizing literal makes the client wait for `+`.
//!
//! ```
//! use mailwire_imap_proto::command::{Command, CommandBody};
//! use mailwire_imap_proto::primitive::{Encoder, EncodeOptions};
//!
//! let (cmd, used) = Command::parse(b"A142 SELECT INBOX (CONDSTORE)\r\n").unwrap();
//! assert_eq!(used, 31);
//! assert_eq!(cmd.tag.as_str(), "A142");
//! assert!(matches!(cmd.body, CommandBody::Select { .. }));
//!
//! let mut enc = Encoder::new(EncodeOptions::default());
//! cmd.encode(&mut enc);
//! assert_eq!(enc.as_bytes(), b"A142 SELECT INBOX (CONDSTORE)\r\n");
//! ```
//!
//! Extensions covered: LITERAL+/LITERAL- (7888), IDLE (2177), UIDPLUS
//! (4315), MOVE (6851), ENABLE (5161), NAMESPACE (2342), ID (2971), SASL-IR
//! (4959), CONDSTORE/QRESYNC (7162), ESEARCH (4731), SEARCHRES (5182),
//! SPECIAL-USE/CREATE-SPECIAL-USE (6154), LIST-EXTENDED (5258), LIST-STATUS
//! (5819), UNSELECT (3691), BINARY (3516), UTF8=ACCEPT (6855), SORT/THREAD
//! (5256), QUOTA (9208), MULTIAPPEND (3502), COMPRESS (4978), OBJECTID (8474).

use std::borrow::Cow;
use std::fmt;
use std::num::{NonZeroU32, NonZeroU64};

use base64::Engine as _;

use crate::capability::{Capability, capability};
use crate::datetime::{DateTime, date_time};
use crate::error::{NomError, ParseError, finish};
use crate::fetch::{FetchItems, fetch_items};
use crate::flag::{Flag, MailboxAttribute, flag, flag_list, mailbox_attribute, write_flag_list};
use crate::mailbox::{ListMailbox, Mailbox, list_mailbox, mailbox};
use crate::primitive::{
    Atom, Encoder, IString, Literal8, PResult, Tag, Vec1, astring, atom, base64, byte, crlf, fail,
    keyword, literal, literal8, nil, number64, nz_number, nz_number64, paren_list, paren_list1,
    peek, sp, string, tag,
};
use crate::search::{
    Charset, SearchKey, SearchReturnOption, SortCriterion, ThreadAlgorithm, charset, search_keys,
    search_return_options, sort_criteria, thread_algorithm, write_keys, write_return_options,
    write_sort_criteria,
};
use crate::sequence::{SequenceSet, sequence_set};
use crate::status::{StatusAttribute, status_att_list, write_status_att_list};

/// A value whose `Debug` output is redacted (passwords, SASL responses).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(v: T) -> Self {
        Secret(v)
    }

    /// The value. Take care not to log it.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// A tagged client command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command<'a> {
    /// The tag.
    pub tag: Tag<'a>,
    /// The command proper.
    pub body: CommandBody<'a>,
}

/// The SASL initial response of AUTHENTICATE (RFC 4959).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InitialResponse<'a> {
    /// `=`: an empty initial response.
    Empty,
    /// Decoded bytes (sent in base64).
    Data(Secret<Cow<'a, [u8]>>),
}

/// A generic extension parameter value (`tagged-ext-val`, RFC 4466 §2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaggedExtVal<'a> {
    /// A number (`number` / `number64`).
    Number(u64),
    /// A sequence set other than a single number.
    SequenceSet(SequenceSet),
    /// `"(" [tagged-ext-comp] ")"`.
    Comp(Vec<TaggedExtComp<'a>>),
}

/// A component of a [`TaggedExtVal`] list (`tagged-ext-comp`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaggedExtComp<'a> {
    /// An astring.
    AString(IString<'a>),
    /// A parenthesized non-empty list.
    List(Vec1<TaggedExtComp<'a>>),
}

impl TaggedExtVal<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> TaggedExtVal<'static> {
        match self {
            TaggedExtVal::Number(n) => TaggedExtVal::Number(n),
            TaggedExtVal::SequenceSet(s) => TaggedExtVal::SequenceSet(s),
            TaggedExtVal::Comp(v) => {
                TaggedExtVal::Comp(v.into_iter().map(TaggedExtComp::into_owned).collect())
            }
        }
    }

    /// Writes the value.
    pub fn write(&self, enc: &mut Encoder) {
        match self {
            TaggedExtVal::Number(n) => enc.number(*n),
            TaggedExtVal::SequenceSet(s) => s.write(enc),
            TaggedExtVal::Comp(v) => {
                enc.raw(b"(");
                write_comps(enc, v);
                enc.raw(b")");
            }
        }
    }
}

impl TaggedExtComp<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> TaggedExtComp<'static> {
        match self {
            TaggedExtComp::AString(s) => TaggedExtComp::AString(s.into_owned()),
            TaggedExtComp::List(v) => TaggedExtComp::List(v.map(TaggedExtComp::into_owned)),
        }
    }
}

fn write_comps(enc: &mut Encoder, v: &[TaggedExtComp<'_>]) {
    for (i, c) in v.iter().enumerate() {
        if i > 0 {
            enc.raw(b" ");
        }
        match c {
            TaggedExtComp::AString(s) => enc.astring(s.as_bytes()),
            TaggedExtComp::List(l) => {
                enc.raw(b"(");
                write_comps(enc, l);
                enc.raw(b")");
            }
        }
    }
}

/// Deepest nesting of `tagged-ext-comp` parentheses.
pub const MAX_EXT_DEPTH: usize = 16;

/// `tagged-ext-val` (RFC 4466 §2.1), nesting bounded by [`MAX_EXT_DEPTH`].
pub fn tagged_ext_val(input: &[u8]) -> PResult<'_, TaggedExtVal<'_>> {
    match peek(input)? {
        (_, b'(') => {
            let (r, v) = paren_list(|i| ext_comp(i, 1))(input)?;
            Ok((r, TaggedExtVal::Comp(v)))
        }
        (_, b'0') => {
            let (r, n) = number64(input)?;
            Ok((r, TaggedExtVal::Number(n)))
        }
        _ => {
            if let Ok((r, n)) = number64(input)
                && !matches!(r.first(), Some(b':' | b','))
                && !r.is_empty()
            {
                return Ok((r, TaggedExtVal::Number(n)));
            }
            let (r, s) = sequence_set(input)?;
            Ok((r, TaggedExtVal::SequenceSet(s)))
        }
    }
}

fn ext_comp(input: &[u8], depth: usize) -> PResult<'_, TaggedExtComp<'_>> {
    if depth > MAX_EXT_DEPTH {
        return Err(nom::Err::Failure(NomError::limit(
            input,
            "extension value nested too deeply",
        )));
    }
    if let (_, b'(') = peek(input)? {
        let (r, v) = paren_list1(|i| ext_comp(i, depth + 1))(input)?;
        return Ok((r, TaggedExtComp::List(v)));
    }
    let (r, s) = astring(input)?;
    Ok((r, TaggedExtComp::AString(s)))
}

/// A SELECT/EXAMINE parameter (RFC 4466 §2.1, RFC 7162).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SelectParam<'a> {
    /// `CONDSTORE`.
    CondStore,
    /// `QRESYNC (uidvalidity modseq [known-uids] [(seqs uids)])`.
    QResync {
        /// Last known UIDVALIDITY.
        uid_validity: NonZeroU32,
        /// Last known mod-sequence.
        mod_seq: NonZeroU64,
        /// UIDs the client knows.
        known_uids: Option<SequenceSet>,
        /// Message sequence numbers and their UIDs (`seq-match-data`).
        seq_match: Option<(SequenceSet, SequenceSet)>,
    },
    /// Another parameter (`select-param-name [SP select-param-value]`).
    Other {
        /// Parameter name.
        name: Atom<'a>,
        /// Value.
        value: Option<TaggedExtVal<'a>>,
    },
}

impl SelectParam<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> SelectParam<'static> {
        match self {
            SelectParam::CondStore => SelectParam::CondStore,
            SelectParam::QResync {
                uid_validity,
                mod_seq,
                known_uids,
                seq_match,
            } => SelectParam::QResync {
                uid_validity,
                mod_seq,
                known_uids,
                seq_match,
            },
            SelectParam::Other { name, value } => SelectParam::Other {
                name: name.into_owned(),
                value: value.map(TaggedExtVal::into_owned),
            },
        }
    }
}

/// A LIST selection option (RFC 5258 §3, RFC 6154 §5).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListSelectOption<'a> {
    /// `SUBSCRIBED`.
    Subscribed,
    /// `REMOTE`.
    Remote,
    /// `RECURSIVEMATCH`.
    RecursiveMatch,
    /// `SPECIAL-USE`.
    SpecialUse,
    /// Another option (without value).
    Other(Atom<'a>),
}

/// A LIST return option (RFC 5258 §3, RFC 5819, RFC 6154 §5).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListReturnOption<'a> {
    /// `SUBSCRIBED`.
    Subscribed,
    /// `CHILDREN`.
    Children,
    /// `SPECIAL-USE`.
    SpecialUse,
    /// `STATUS (items)` (LIST-STATUS).
    Status(Vec1<StatusAttribute>),
    /// Another option (without value).
    Other(Atom<'a>),
}

/// The data of one APPEND message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AppendData<'a> {
    /// A `literal` (no NUL octets).
    Literal(IString<'a>),
    /// A `literal8` (BINARY, RFC 3516): any octets.
    Binary(Literal8<'a>),
    /// `UTF8 (literal8)` (UTF8=ACCEPT, RFC 6855 §4).
    Utf8(Literal8<'a>),
}

/// One message of APPEND (several with MULTIAPPEND, RFC 3502).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendMessage<'a> {
    /// Flags to set (empty: none given).
    pub flags: Vec<Flag<'a>>,
    /// INTERNALDATE to set.
    pub date: Option<DateTime>,
    /// The message.
    pub data: AppendData<'a>,
}

/// A FETCH modifier (RFC 7162 §3.1.4, §3.2.6; RFC 4466 §2.4).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchModifier<'a> {
    /// `CHANGEDSINCE n`.
    ChangedSince(NonZeroU64),
    /// `VANISHED` (UID FETCH only).
    Vanished,
    /// Another modifier (`fetch-modifier-name [SP fetch-modif-params]`).
    Other {
        /// Modifier name.
        name: Atom<'a>,
        /// Value.
        value: Option<TaggedExtVal<'a>>,
    },
}

/// A STORE modifier (RFC 7162 §3.1.3; RFC 4466 §2.5).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreModifier<'a> {
    /// `UNCHANGEDSINCE n` (0 allowed).
    UnchangedSince(u64),
    /// Another modifier (`store-modifier-name [SP store-modif-params]`).
    Other {
        /// Modifier name.
        name: Atom<'a>,
        /// Value.
        value: Option<TaggedExtVal<'a>>,
    },
}

impl FetchModifier<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> FetchModifier<'static> {
        match self {
            FetchModifier::ChangedSince(n) => FetchModifier::ChangedSince(n),
            FetchModifier::Vanished => FetchModifier::Vanished,
            FetchModifier::Other { name, value } => FetchModifier::Other {
                name: name.into_owned(),
                value: value.map(TaggedExtVal::into_owned),
            },
        }
    }
}

impl StoreModifier<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> StoreModifier<'static> {
        match self {
            StoreModifier::UnchangedSince(n) => StoreModifier::UnchangedSince(n),
            StoreModifier::Other { name, value } => StoreModifier::Other {
                name: name.into_owned(),
                value: value.map(TaggedExtVal::into_owned),
            },
        }
    }
}

/// `FLAGS`, `+FLAGS` or `-FLAGS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreKind {
    /// `FLAGS`: replace.
    Replace,
    /// `+FLAGS`: add.
    Add,
    /// `-FLAGS`: remove.
    Remove,
}

/// A command without its tag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandBody<'a> {
    /// `CAPABILITY`.
    Capability,
    /// `NOOP`.
    Noop,
    /// `LOGOUT`.
    Logout,
    /// `STARTTLS`.
    StartTls,
    /// `AUTHENTICATE mechanism [initial-response]`.
    Authenticate {
        /// SASL mechanism name.
        mechanism: Atom<'a>,
        /// SASL-IR initial response.
        initial_response: Option<InitialResponse<'a>>,
    },
    /// `LOGIN user password`.
    Login {
        /// User name.
        username: IString<'a>,
        /// Password.
        password: Secret<IString<'a>>,
    },
    /// `ENABLE cap...` (RFC 5161).
    Enable(Vec1<Capability<'a>>),
    /// `SELECT mailbox [params]`.
    Select {
        /// Mailbox.
        mailbox: Mailbox<'a>,
        /// CONDSTORE / QRESYNC.
        params: Vec<SelectParam<'a>>,
    },
    /// `EXAMINE mailbox [params]`.
    Examine {
        /// Mailbox.
        mailbox: Mailbox<'a>,
        /// CONDSTORE / QRESYNC.
        params: Vec<SelectParam<'a>>,
    },
    /// `CREATE mailbox [(USE (attrs))]`.
    Create {
        /// Mailbox.
        mailbox: Mailbox<'a>,
        /// CREATE-SPECIAL-USE attributes (RFC 6154 §3); `None` without a USE parameter.
        special_use: Option<Vec<MailboxAttribute<'a>>>,
    },
    /// `DELETE mailbox`.
    Delete(Mailbox<'a>),
    /// `RENAME from to`.
    Rename {
        /// Existing name.
        from: Mailbox<'a>,
        /// New name.
        to: Mailbox<'a>,
    },
    /// `SUBSCRIBE mailbox`.
    Subscribe(Mailbox<'a>),
    /// `UNSUBSCRIBE mailbox`.
    Unsubscribe(Mailbox<'a>),
    /// `LIST [(select-opts)] reference pattern(s) [RETURN (opts)]`.
    List {
        /// Selection options (LIST-EXTENDED); `None` when absent.
        select: Option<Vec<ListSelectOption<'a>>>,
        /// Reference name.
        reference: Mailbox<'a>,
        /// One or more patterns (several: LIST-EXTENDED).
        patterns: Vec1<ListMailbox<'a>>,
        /// Return options; `None` when absent.
        return_opts: Option<Vec<ListReturnOption<'a>>>,
    },
    /// `LSUB reference pattern` (IMAP4rev1).
    Lsub {
        /// Reference name.
        reference: Mailbox<'a>,
        /// Pattern.
        pattern: ListMailbox<'a>,
    },
    /// `NAMESPACE`.
    Namespace,
    /// `STATUS mailbox (items)`.
    Status {
        /// Mailbox.
        mailbox: Mailbox<'a>,
        /// Requested items.
        items: Vec1<StatusAttribute>,
    },
    /// `APPEND mailbox message...`.
    Append {
        /// Target mailbox.
        mailbox: Mailbox<'a>,
        /// One message, or several with MULTIAPPEND.
        messages: Vec1<AppendMessage<'a>>,
    },
    /// `IDLE` (RFC 2177); ended by `DONE` ([`parse_idle_done`]).
    Idle,
    /// `CHECK` (IMAP4rev1).
    Check,
    /// `CLOSE`.
    Close,
    /// `UNSELECT`.
    Unselect,
    /// `EXPUNGE`.
    Expunge,
    /// `UID EXPUNGE set` (UIDPLUS).
    UidExpunge(SequenceSet),
    /// `[UID] SEARCH [RETURN (...)] [CHARSET x] keys`.
    Search {
        /// `UID SEARCH`.
        uid: bool,
        /// ESEARCH return options; `None` when absent.
        return_opts: Option<Vec<SearchReturnOption<'a>>>,
        /// `CHARSET`.
        charset: Option<Charset<'a>>,
        /// Keys, all of which must match.
        keys: Vec1<SearchKey<'a>>,
    },
    /// `[UID] FETCH set items [(modifiers)]`.
    Fetch {
        /// `UID FETCH`.
        uid: bool,
        /// Messages.
        set: SequenceSet,
        /// What to fetch.
        items: FetchItems<'a>,
        /// CHANGEDSINCE / VANISHED.
        modifiers: Vec<FetchModifier<'a>>,
    },
    /// `[UID] STORE set [(modifiers)] [+|-]FLAGS[.SILENT] flags`.
    Store {
        /// `UID STORE`.
        uid: bool,
        /// Messages.
        set: SequenceSet,
        /// UNCHANGEDSINCE.
        modifiers: Vec<StoreModifier<'a>>,
        /// Replace, add or remove.
        kind: StoreKind,
        /// `.SILENT`.
        silent: bool,
        /// The flags.
        flags: Vec<Flag<'a>>,
    },
    /// `[UID] COPY set mailbox`.
    Copy {
        /// `UID COPY`.
        uid: bool,
        /// Messages.
        set: SequenceSet,
        /// Target.
        mailbox: Mailbox<'a>,
    },
    /// `[UID] MOVE set mailbox` (RFC 6851).
    Move {
        /// `UID MOVE`.
        uid: bool,
        /// Messages.
        set: SequenceSet,
        /// Target.
        mailbox: Mailbox<'a>,
    },
    /// `ID (params) / NIL` (RFC 2971).
    Id(Option<Vec<(IString<'a>, Option<IString<'a>>)>>),
    /// `COMPRESS algorithm` (RFC 4978).
    Compress(Atom<'a>),
    /// `GETQUOTA root` (RFC 9208).
    GetQuota(IString<'a>),
    /// `GETQUOTAROOT mailbox` (RFC 9208).
    GetQuotaRoot(Mailbox<'a>),
    /// `SETQUOTA root (resource limit ...)` (RFC 9208).
    SetQuota {
        /// Quota root.
        root: IString<'a>,
        /// Resource names and limits.
        limits: Vec<(Atom<'a>, u64)>,
    },
    /// `[UID] SORT (criteria) charset keys` (RFC 5256).
    Sort {
        /// `UID SORT`.
        uid: bool,
        /// Sort criteria.
        criteria: Vec1<SortCriterion>,
        /// Charset (required).
        charset: Charset<'a>,
        /// Keys.
        keys: Vec1<SearchKey<'a>>,
    },
    /// `[UID] THREAD algorithm charset keys` (RFC 5256).
    Thread {
        /// `UID THREAD`.
        uid: bool,
        /// Algorithm.
        algorithm: ThreadAlgorithm<'a>,
        /// Charset (required).
        charset: Charset<'a>,
        /// Keys.
        keys: Vec1<SearchKey<'a>>,
    },
}

impl CommandBody<'_> {
    /// The command name as written (`"UID FETCH"`, `"SELECT"`, ...).
    #[must_use]
    pub fn name(&self) -> &'static str {
        use CommandBody as C;
        match self {
            C::Capability => "CAPABILITY",
            C::Noop => "NOOP",
            C::Logout => "LOGOUT",
            C::StartTls => "STARTTLS",
            C::Authenticate { .. } => "AUTHENTICATE",
            C::Login { .. } => "LOGIN",
            C::Enable(_) => "ENABLE",
            C::Select { .. } => "SELECT",
            C::Examine { .. } => "EXAMINE",
            C::Create { .. } => "CREATE",
            C::Delete(_) => "DELETE",
            C::Rename { .. } => "RENAME",
            C::Subscribe(_) => "SUBSCRIBE",
            C::Unsubscribe(_) => "UNSUBSCRIBE",
            C::List { .. } => "LIST",
            C::Lsub { .. } => "LSUB",
            C::Namespace => "NAMESPACE",
            C::Status { .. } => "STATUS",
            C::Append { .. } => "APPEND",
            C::Idle => "IDLE",
            C::Check => "CHECK",
            C::Close => "CLOSE",
            C::Unselect => "UNSELECT",
            C::Expunge => "EXPUNGE",
            C::UidExpunge(_) => "UID EXPUNGE",
            C::Search { uid: false, .. } => "SEARCH",
            C::Search { uid: true, .. } => "UID SEARCH",
            C::Fetch { uid: false, .. } => "FETCH",
            C::Fetch { uid: true, .. } => "UID FETCH",
            C::Store { uid: false, .. } => "STORE",
            C::Store { uid: true, .. } => "UID STORE",
            C::Copy { uid: false, .. } => "COPY",
            C::Copy { uid: true, .. } => "UID COPY",
            C::Move { uid: false, .. } => "MOVE",
            C::Move { uid: true, .. } => "UID MOVE",
            C::Id(_) => "ID",
            C::Compress(_) => "COMPRESS",
            C::GetQuota(_) => "GETQUOTA",
            C::GetQuotaRoot(_) => "GETQUOTAROOT",
            C::SetQuota { .. } => "SETQUOTA",
            C::Sort { uid: false, .. } => "SORT",
            C::Sort { uid: true, .. } => "UID SORT",
            C::Thread { uid: false, .. } => "THREAD",
            C::Thread { uid: true, .. } => "UID THREAD",
        }
    }

    /// The protocol states (RFC 9051 §3) in which the command is valid.
    #[must_use]
    pub fn valid_in(&self) -> StateSet {
        use CommandBody as C;
        match self {
            C::Capability | C::Noop | C::Logout | C::Id(_) => StateSet::ANY,
            C::StartTls | C::Authenticate { .. } | C::Login { .. } => StateSet::NOT_AUTHENTICATED,
            C::Enable(_) => StateSet::AUTHENTICATED,
            C::Select { .. }
            | C::Examine { .. }
            | C::Create { .. }
            | C::Delete(_)
            | C::Rename { .. }
            | C::Subscribe(_)
            | C::Unsubscribe(_)
            | C::List { .. }
            | C::Lsub { .. }
            | C::Namespace
            | C::Status { .. }
            | C::Append { .. }
            | C::Idle
            | C::Compress(_)
            | C::GetQuota(_)
            | C::GetQuotaRoot(_)
            | C::SetQuota { .. } => StateSet::AUTHENTICATED_OR_SELECTED,
            C::Check
            | C::Close
            | C::Unselect
            | C::Expunge
            | C::UidExpunge(_)
            | C::Search { .. }
            | C::Fetch { .. }
            | C::Store { .. }
            | C::Copy { .. }
            | C::Move { .. }
            | C::Sort { .. }
            | C::Thread { .. } => StateSet::SELECTED,
        }
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> CommandBody<'static> {
        use CommandBody as C;
        let mb = Mailbox::into_owned;
        match self {
            C::Capability => C::Capability,
            C::Noop => C::Noop,
            C::Logout => C::Logout,
            C::StartTls => C::StartTls,
            C::Authenticate {
                mechanism,
                initial_response,
            } => C::Authenticate {
                mechanism: mechanism.into_owned(),
                initial_response: initial_response.map(|r| match r {
                    InitialResponse::Empty => InitialResponse::Empty,
                    InitialResponse::Data(d) => {
                        InitialResponse::Data(Secret(Cow::Owned(d.0.into_owned())))
                    }
                }),
            },
            C::Login { username, password } => C::Login {
                username: username.into_owned(),
                password: Secret(password.0.into_owned()),
            },
            C::Enable(v) => C::Enable(v.map(Capability::into_owned)),
            C::Select { mailbox, params } => C::Select {
                mailbox: mb(mailbox),
                params: params.into_iter().map(SelectParam::into_owned).collect(),
            },
            C::Examine { mailbox, params } => C::Examine {
                mailbox: mb(mailbox),
                params: params.into_iter().map(SelectParam::into_owned).collect(),
            },
            C::Create {
                mailbox,
                special_use,
            } => C::Create {
                mailbox: mb(mailbox),
                special_use: special_use
                    .map(|v| v.into_iter().map(MailboxAttribute::into_owned).collect()),
            },
            C::Delete(m) => C::Delete(mb(m)),
            C::Rename { from, to } => C::Rename {
                from: mb(from),
                to: mb(to),
            },
            C::Subscribe(m) => C::Subscribe(mb(m)),
            C::Unsubscribe(m) => C::Unsubscribe(mb(m)),
            C::List {
                select,
                reference,
                patterns,
                return_opts,
            } => C::List {
                select: select.map(|v| {
                    v.into_iter()
                        .map(|o| match o {
                            ListSelectOption::Subscribed => ListSelectOption::Subscribed,
                            ListSelectOption::Remote => ListSelectOption::Remote,
                            ListSelectOption::RecursiveMatch => ListSelectOption::RecursiveMatch,
                            ListSelectOption::SpecialUse => ListSelectOption::SpecialUse,
                            ListSelectOption::Other(a) => ListSelectOption::Other(a.into_owned()),
                        })
                        .collect()
                }),
                reference: mb(reference),
                patterns: patterns.map(ListMailbox::into_owned),
                return_opts: return_opts.map(|v| {
                    v.into_iter()
                        .map(|o| match o {
                            ListReturnOption::Subscribed => ListReturnOption::Subscribed,
                            ListReturnOption::Children => ListReturnOption::Children,
                            ListReturnOption::SpecialUse => ListReturnOption::SpecialUse,
                            ListReturnOption::Status(s) => ListReturnOption::Status(s),
                            ListReturnOption::Other(a) => ListReturnOption::Other(a.into_owned()),
                        })
                        .collect()
                }),
            },
            C::Lsub { reference, pattern } => C::Lsub {
                reference: mb(reference),
                pattern: pattern.into_owned(),
            },
            C::Namespace => C::Namespace,
            C::Status { mailbox, items } => C::Status {
                mailbox: mb(mailbox),
                items,
            },
            C::Append { mailbox, messages } => C::Append {
                mailbox: mb(mailbox),
                messages: messages.map(|m| AppendMessage {
                    flags: m.flags.into_iter().map(Flag::into_owned).collect(),
                    date: m.date,
                    data: match m.data {
                        AppendData::Literal(s) => AppendData::Literal(s.into_owned()),
                        AppendData::Binary(l) => AppendData::Binary(l.into_owned()),
                        AppendData::Utf8(l) => AppendData::Utf8(l.into_owned()),
                    },
                }),
            },
            C::Idle => C::Idle,
            C::Check => C::Check,
            C::Close => C::Close,
            C::Unselect => C::Unselect,
            C::Expunge => C::Expunge,
            C::UidExpunge(s) => C::UidExpunge(s),
            C::Search {
                uid,
                return_opts,
                charset,
                keys,
            } => C::Search {
                uid,
                return_opts: return_opts
                    .map(|v| v.into_iter().map(SearchReturnOption::into_owned).collect()),
                charset: charset.map(Charset::into_owned),
                keys: keys.map(SearchKey::into_owned),
            },
            C::Fetch {
                uid,
                set,
                items,
                modifiers,
            } => C::Fetch {
                uid,
                set,
                items: items.into_owned(),
                modifiers: modifiers
                    .into_iter()
                    .map(FetchModifier::into_owned)
                    .collect(),
            },
            C::Store {
                uid,
                set,
                modifiers,
                kind,
                silent,
                flags,
            } => C::Store {
                uid,
                set,
                modifiers: modifiers
                    .into_iter()
                    .map(StoreModifier::into_owned)
                    .collect(),
                kind,
                silent,
                flags: flags.into_iter().map(Flag::into_owned).collect(),
            },
            C::Copy { uid, set, mailbox } => C::Copy {
                uid,
                set,
                mailbox: mb(mailbox),
            },
            C::Move { uid, set, mailbox } => C::Move {
                uid,
                set,
                mailbox: mb(mailbox),
            },
            C::Id(p) => C::Id(p.map(|v| {
                v.into_iter()
                    .map(|(k, v)| (k.into_owned(), v.map(IString::into_owned)))
                    .collect()
            })),
            C::Compress(a) => C::Compress(a.into_owned()),
            C::GetQuota(r) => C::GetQuota(r.into_owned()),
            C::GetQuotaRoot(m) => C::GetQuotaRoot(mb(m)),
            C::SetQuota { root, limits } => C::SetQuota {
                root: root.into_owned(),
                limits: limits
                    .into_iter()
                    .map(|(a, n)| (a.into_owned(), n))
                    .collect(),
            },
            C::Sort {
                uid,
                criteria,
                charset,
                keys,
            } => C::Sort {
                uid,
                criteria,
                charset: charset.into_owned(),
                keys: keys.map(SearchKey::into_owned),
            },
            C::Thread {
                uid,
                algorithm,
                charset,
                keys,
            } => C::Thread {
                uid,
                algorithm: algorithm.into_owned(),
                charset: charset.into_owned(),
                keys: keys.map(SearchKey::into_owned),
            },
        }
    }
}

/// A set of protocol states (RFC 9051 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StateSet {
    /// Not Authenticated.
    pub not_authenticated: bool,
    /// Authenticated.
    pub authenticated: bool,
    /// Selected.
    pub selected: bool,
}

impl StateSet {
    /// Every state.
    pub const ANY: StateSet = StateSet {
        not_authenticated: true,
        authenticated: true,
        selected: true,
    };
    /// Not Authenticated only.
    pub const NOT_AUTHENTICATED: StateSet = StateSet {
        not_authenticated: true,
        authenticated: false,
        selected: false,
    };
    /// Authenticated only (ENABLE, RFC 5161 §3.1).
    pub const AUTHENTICATED: StateSet = StateSet {
        not_authenticated: false,
        authenticated: true,
        selected: false,
    };
    /// Authenticated and Selected.
    pub const AUTHENTICATED_OR_SELECTED: StateSet = StateSet {
        not_authenticated: false,
        authenticated: true,
        selected: true,
    };
    /// Selected only.
    pub const SELECTED: StateSet = StateSet {
        not_authenticated: false,
        authenticated: false,
        selected: true,
    };
}

impl<'a> Command<'a> {
    /// A command.
    #[must_use]
    pub fn new(tag: Tag<'a>, body: CommandBody<'a>) -> Self {
        Command { tag, body }
    }

    /// Parses one command unit (through its final CRLF). Returns the command
    /// and the number of bytes used.
    pub fn parse(input: &'a [u8]) -> Result<(Command<'a>, usize), ParseError> {
        finish(input, command(input))
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> Command<'static> {
        Command {
            tag: self.tag.into_owned(),
            body: self.body.into_owned(),
        }
    }

    /// Writes the command, CRLF included.
    pub fn encode(&self, enc: &mut Encoder) {
        enc.raw(self.tag.as_str().as_bytes());
        enc.raw(b" ");
        write_body(enc, &self.body);
        enc.raw(b"\r\n");
    }

    /// Writes the command with default options (synchronizing literals,
    /// 7-bit quoted strings) into `buf`, ignoring continuation waits.
    pub fn write_to(&self, buf: &mut impl bytes::BufMut) {
        let mut enc = Encoder::default();
        self.encode(&mut enc);
        buf.put_slice(enc.as_bytes());
    }

    /// The encoded bytes with default options.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut enc = Encoder::default();
        self.encode(&mut enc);
        enc.into_bytes()
    }
}

/// Best-effort tag of a unit that failed to parse, for a tagged BAD reply.
///
/// ```
/// use mailwire_imap_proto::command::tag_of;
/// assert_eq!(tag_of(b"a7 FETCH x\r\n").unwrap().as_str(), "a7");
/// assert!(tag_of(b"+ x\r\n").is_none());
/// ```
#[must_use]
pub fn tag_of(unit: &[u8]) -> Option<Tag<'_>> {
    match tag(unit) {
        Ok((rest, t)) if rest.first() == Some(&b' ') => Some(t),
        _ => None,
    }
}

/// Parses `DONE` CRLF, the end of IDLE (RFC 2177). Returns bytes used.
pub fn parse_idle_done(input: &[u8]) -> Result<usize, ParseError> {
    let p = |i| -> PResult<'_, ()> {
        let (r, ()) = crate::primitive::kw("DONE")(i)?;
        crlf(r)
    };
    finish(input, p(input)).map(|((), n)| n)
}

/// A client's answer to an AUTHENTICATE challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthenticateData<'a> {
    /// Decoded response bytes.
    Response(Secret<Cow<'a, [u8]>>),
    /// `*`: the client cancels the exchange.
    Cancel,
}

impl AuthenticateData<'_> {
    /// Parses a line `base64 CRLF` or `* CRLF` (an empty line is an empty response).
    pub fn parse(input: &[u8]) -> Result<(AuthenticateData<'static>, usize), ParseError> {
        finish(input, authenticate_data(input))
    }

    /// Writes the line, CRLF included.
    pub fn encode(&self, enc: &mut Encoder) {
        match self {
            AuthenticateData::Cancel => enc.raw(b"*"),
            AuthenticateData::Response(d) => {
                enc.raw(
                    base64::engine::general_purpose::STANDARD
                        .encode(d.expose())
                        .as_bytes(),
                );
            }
        }
        enc.raw(b"\r\n");
    }
}

fn authenticate_data(input: &[u8]) -> PResult<'_, AuthenticateData<'static>> {
    if let (_, b'*') = peek(input)? {
        let (r, ()) = crlf(&input[1..])?;
        return Ok((r, AuthenticateData::Cancel));
    }
    if let (_, b'\r') = peek(input)? {
        let (r, ()) = crlf(input)?;
        return Ok((r, AuthenticateData::Response(Secret(Cow::Borrowed(b"")))));
    }
    let (r, b) = base64(input)?;
    let (r, ()) = crlf(r)?;
    match base64::engine::general_purpose::STANDARD.decode(b) {
        Ok(v) => Ok((r, AuthenticateData::Response(Secret(Cow::Owned(v))))),
        Err(_) => fail(input, "base64"),
    }
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

/// `command`: tag SP command-body CRLF.
pub fn command(input: &[u8]) -> PResult<'_, Command<'_>> {
    let (r, t) = tag(input)?;
    let (r, ()) = sp(r)?;
    let (r, body) = command_body(r)?;
    let (r, ()) = crlf(r)?;
    Ok((r, Command { tag: t, body }))
}

fn name(input: &[u8]) -> PResult<'_, &[u8]> {
    match nom::bytes::streaming::take_while1::<_, _, NomError>(|b: u8| b.is_ascii_alphabetic())(
        input,
    ) {
        Err(nom::Err::Error(_)) => fail(input, "command name"),
        other => other,
    }
}

fn up(b: &[u8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    for (o, c) in out.iter_mut().zip(b) {
        *o = c.to_ascii_uppercase();
    }
    out
}

fn is(u: &[u8; 16], len: usize, name: &[u8]) -> bool {
    len == name.len() && &u[..len] == name
}

/// The command body after `tag SP`, before CRLF.
pub fn command_body(input: &[u8]) -> PResult<'_, CommandBody<'_>> {
    let (r, n) = name(input)?;
    if n.len() > 16 {
        return fail(input, "command name");
    }
    let u = up(n);
    let l = n.len();
    let simple = [
        (&b"CAPABILITY"[..], CommandBody::Capability),
        (b"NOOP", CommandBody::Noop),
        (b"LOGOUT", CommandBody::Logout),
        (b"STARTTLS", CommandBody::StartTls),
        (b"NAMESPACE", CommandBody::Namespace),
        (b"IDLE", CommandBody::Idle),
        (b"CHECK", CommandBody::Check),
        (b"CLOSE", CommandBody::Close),
        (b"UNSELECT", CommandBody::Unselect),
        (b"EXPUNGE", CommandBody::Expunge),
    ];
    for (k, c) in simple {
        if is(&u, l, k) {
            return Ok((r, c));
        }
    }
    if is(&u, l, b"UID") {
        let (r, ()) = sp(r)?;
        let (r2, n2) = name(r)?;
        let u2 = up(n2);
        let l2 = n2.len();
        if is(&u2, l2, b"EXPUNGE") {
            let (r2, ()) = sp(r2)?;
            let (r2, s) = sequence_set(r2)?;
            return Ok((r2, CommandBody::UidExpunge(s)));
        }
        return selected_command(r, &u2, l2, r2, true);
    }
    let known_selected = [
        &b"SEARCH"[..],
        b"FETCH",
        b"STORE",
        b"COPY",
        b"MOVE",
        b"SORT",
        b"THREAD",
    ];
    if known_selected.iter().any(|k| is(&u, l, k)) {
        return selected_command(input, &u, l, r, false);
    }
    // Everything else takes arguments after SP.
    let args = match r.first() {
        None => return Err(nom::Err::Incomplete(nom::Needed::new(1))),
        Some(b' ') => &r[1..],
        Some(_) => {
            let known = [
                &b"AUTHENTICATE"[..],
                b"LOGIN",
                b"ENABLE",
                b"SELECT",
                b"EXAMINE",
                b"CREATE",
                b"DELETE",
                b"RENAME",
                b"SUBSCRIBE",
                b"UNSUBSCRIBE",
                b"LIST",
                b"LSUB",
                b"STATUS",
                b"APPEND",
                b"ID",
                b"COMPRESS",
                b"GETQUOTA",
                b"GETQUOTAROOT",
                b"SETQUOTA",
            ];
            return if known.iter().any(|k| is(&u, l, k)) {
                fail(r, "SP")
            } else {
                fail(input, "command name")
            };
        }
    };
    if is(&u, l, b"AUTHENTICATE") {
        let (r, mechanism) = atom(args)?;
        if let Some(b' ') = r.first() {
            let r = &r[1..];
            if let (_, b'=') = peek(r)? {
                return Ok((
                    &r[1..],
                    CommandBody::Authenticate {
                        mechanism,
                        initial_response: Some(InitialResponse::Empty),
                    },
                ));
            }
            let (r2, b) = base64(r)?;
            let Ok(data) = base64::engine::general_purpose::STANDARD.decode(b) else {
                return fail(r, "base64");
            };
            return Ok((
                r2,
                CommandBody::Authenticate {
                    mechanism,
                    initial_response: Some(InitialResponse::Data(Secret(Cow::Owned(data)))),
                },
            ));
        }
        return Ok((
            r,
            CommandBody::Authenticate {
                mechanism,
                initial_response: None,
            },
        ));
    }
    if is(&u, l, b"LOGIN") {
        let (r, username) = astring(args)?;
        let (r, ()) = sp(r)?;
        let (r, password) = astring(r)?;
        return Ok((
            r,
            CommandBody::Login {
                username,
                password: Secret(password),
            },
        ));
    }
    if is(&u, l, b"ENABLE") {
        let (r, caps) = crate::primitive::sp_list1(capability)(args)?;
        return Ok((r, CommandBody::Enable(caps)));
    }
    if is(&u, l, b"SELECT") || is(&u, l, b"EXAMINE") {
        let (r, mailbox) = mailbox(args)?;
        let (r, params) = select_params(r)?;
        return Ok((
            r,
            if l == 6 {
                CommandBody::Select { mailbox, params }
            } else {
                CommandBody::Examine { mailbox, params }
            },
        ));
    }
    if is(&u, l, b"CREATE") {
        let (r, mailbox) = mailbox(args)?;
        let (r, special_use) = create_params(r)?;
        return Ok((
            r,
            CommandBody::Create {
                mailbox,
                special_use,
            },
        ));
    }
    if is(&u, l, b"DELETE") {
        let (r, m) = mailbox(args)?;
        return Ok((r, CommandBody::Delete(m)));
    }
    if is(&u, l, b"RENAME") {
        let (r, from) = mailbox(args)?;
        let (r, ()) = sp(r)?;
        let (r, to) = mailbox(r)?;
        return Ok((r, CommandBody::Rename { from, to }));
    }
    if is(&u, l, b"SUBSCRIBE") {
        let (r, m) = mailbox(args)?;
        return Ok((r, CommandBody::Subscribe(m)));
    }
    if is(&u, l, b"UNSUBSCRIBE") {
        let (r, m) = mailbox(args)?;
        return Ok((r, CommandBody::Unsubscribe(m)));
    }
    if is(&u, l, b"LIST") {
        return list(args);
    }
    if is(&u, l, b"LSUB") {
        let (r, reference) = mailbox(args)?;
        let (r, ()) = sp(r)?;
        let (r, pattern) = list_mailbox(r)?;
        return Ok((r, CommandBody::Lsub { reference, pattern }));
    }
    if is(&u, l, b"STATUS") {
        let (r, mailbox) = mailbox(args)?;
        let (r, ()) = sp(r)?;
        let (r, items) = status_att_list(r)?;
        return Ok((r, CommandBody::Status { mailbox, items }));
    }
    if is(&u, l, b"APPEND") {
        return append(args);
    }
    if is(&u, l, b"ID") {
        return id(args);
    }
    if is(&u, l, b"COMPRESS") {
        let (r, a) = atom(args)?;
        return Ok((r, CommandBody::Compress(a)));
    }
    if is(&u, l, b"GETQUOTA") {
        let (r, a) = astring(args)?;
        return Ok((r, CommandBody::GetQuota(a)));
    }
    if is(&u, l, b"GETQUOTAROOT") {
        let (r, m) = mailbox(args)?;
        return Ok((r, CommandBody::GetQuotaRoot(m)));
    }
    if is(&u, l, b"SETQUOTA") {
        let (r, root) = astring(args)?;
        let (r, ()) = sp(r)?;
        let (r, limits) = paren_list(|i| {
            let (i, a) = atom(i)?;
            let (i, ()) = sp(i)?;
            let (i, n) = number64(i)?;
            Ok((i, (a, n)))
        })(r)?;
        return Ok((r, CommandBody::SetQuota { root, limits }));
    }
    fail(input, "command name")
}

/// SEARCH, FETCH, STORE, COPY, MOVE, SORT, THREAD (with or without UID).
/// `r` is the input after the name.
fn selected_command<'a>(
    name_start: &'a [u8],
    u: &[u8; 16],
    l: usize,
    r: &'a [u8],
    uid: bool,
) -> PResult<'a, CommandBody<'a>> {
    let known = [
        &b"SEARCH"[..],
        b"FETCH",
        b"STORE",
        b"COPY",
        b"MOVE",
        b"SORT",
        b"THREAD",
    ];
    if !known.iter().any(|k| is(u, l, k)) {
        return fail(
            name_start,
            if uid {
                "COPY, MOVE, FETCH, SEARCH, STORE, EXPUNGE, SORT or THREAD after UID"
            } else {
                "command name"
            },
        );
    }
    let (r, ()) = sp(r)?;
    if is(u, l, b"SEARCH") {
        let (r, return_opts) =
            if r.len() >= 6 && r[..6].eq_ignore_ascii_case(b"RETURN") && r.get(6) == Some(&b' ') {
                let (r, o) = search_return_options(&r[7..])?;
                let (r, ()) = sp(r)?;
                (r, Some(o))
            } else {
                (r, None)
            };
        let (r, charset) = opt_charset(r)?;
        let (r, keys) = search_keys(r)?;
        return Ok((
            r,
            CommandBody::Search {
                uid,
                return_opts,
                charset,
                keys,
            },
        ));
    }
    if is(u, l, b"SORT") {
        let (r, criteria) = sort_criteria(r)?;
        let (r, ()) = sp(r)?;
        let (r, cs) = charset(r)?;
        let (r, ()) = sp(r)?;
        let (r, keys) = search_keys(r)?;
        return Ok((
            r,
            CommandBody::Sort {
                uid,
                criteria,
                charset: cs,
                keys,
            },
        ));
    }
    if is(u, l, b"THREAD") {
        let (r, algorithm) = thread_algorithm(r)?;
        let (r, ()) = sp(r)?;
        let (r, cs) = charset(r)?;
        let (r, ()) = sp(r)?;
        let (r, keys) = search_keys(r)?;
        return Ok((
            r,
            CommandBody::Thread {
                uid,
                algorithm,
                charset: cs,
                keys,
            },
        ));
    }
    let (r, set) = sequence_set(r)?;
    let (r, ()) = sp(r)?;
    if is(u, l, b"FETCH") {
        let (r, items) = fetch_items(r)?;
        let (r, modifiers) = if let Some(b' ') = r.first() {
            paren_list1(fetch_modifier)(&r[1..]).map(|(r, v)| (r, v.into_vec()))?
        } else {
            (r, Vec::new())
        };
        return Ok((
            r,
            CommandBody::Fetch {
                uid,
                set,
                items,
                modifiers,
            },
        ));
    }
    if is(u, l, b"STORE") {
        let (r, modifiers) = if let (_, b'(') = peek(r)? {
            let (r, v) = paren_list1(store_modifier)(r)?;
            let (r, ()) = sp(r)?;
            (r, v.into_vec())
        } else {
            (r, Vec::new())
        };
        let (r, kind) = match peek(r)? {
            (_, b'+') => (&r[1..], StoreKind::Add),
            (_, b'-') => (&r[1..], StoreKind::Remove),
            _ => (r, StoreKind::Replace),
        };
        let (r2, k) = keyword(r)?;
        let silent = if k.eq_ignore_ascii_case(b"FLAGS") {
            false
        } else if k.eq_ignore_ascii_case(b"FLAGS.SILENT") {
            true
        } else {
            return fail(r, "FLAGS or FLAGS.SILENT");
        };
        let (r, ()) = sp(r2)?;
        let (r, flags) = if let (_, b'(') = peek(r)? {
            flag_list(r)?
        } else {
            let (r, v) = crate::primitive::sp_list1(flag)(r)?;
            (r, v.into_vec())
        };
        return Ok((
            r,
            CommandBody::Store {
                uid,
                set,
                modifiers,
                kind,
                silent,
                flags,
            },
        ));
    }
    let (r, mailbox) = mailbox(r)?;
    Ok((
        r,
        if is(u, l, b"COPY") {
            CommandBody::Copy { uid, set, mailbox }
        } else {
            CommandBody::Move { uid, set, mailbox }
        },
    ))
}

fn opt_charset(r: &[u8]) -> PResult<'_, Option<Charset<'_>>> {
    // "CHARSET" SP charset SP; a prefix of "CHARSET" could also be a prefix of
    // another key ("CC"), so only commit when the whole word and SP are there.
    const K: &[u8] = b"CHARSET ";
    let n = r.len().min(K.len());
    if r[..n].eq_ignore_ascii_case(&K[..n]) {
        if r.len() < K.len() {
            return Err(nom::Err::Incomplete(nom::Needed::new(K.len() - r.len())));
        }
        let (r, c) = charset(&r[K.len()..])?;
        let (r, ()) = sp(r)?;
        return Ok((r, Some(c)));
    }
    Ok((r, None))
}

/// `name [SP tagged-ext-val]` of a generic extension parameter (RFC 4466):
/// a value follows only if it looks like one.
fn ext_param<'a>(name: Atom<'a>, r: &'a [u8]) -> PResult<'a, (Atom<'a>, Option<TaggedExtVal<'a>>)> {
    if r.first() == Some(&b' ')
        && let (_, b'(' | b'0'..=b'9' | b'*' | b'$') = peek(&r[1..])?
    {
        let (r, v) = tagged_ext_val(&r[1..])?;
        return Ok((r, (name, Some(v))));
    }
    Ok((r, (name, None)))
}

fn fetch_modifier(input: &[u8]) -> PResult<'_, FetchModifier<'_>> {
    let (r, k) = match atom(input) {
        Err(nom::Err::Error(_)) => return fail(input, "fetch modifier"),
        other => other?,
    };
    if k.as_str().eq_ignore_ascii_case("CHANGEDSINCE") {
        let (r, ()) = sp(r)?;
        let (r, n) = nz_number64(r)?;
        Ok((r, FetchModifier::ChangedSince(n)))
    } else if k.as_str().eq_ignore_ascii_case("VANISHED") {
        Ok((r, FetchModifier::Vanished))
    } else {
        let (r, (name, value)) = ext_param(k, r)?;
        Ok((r, FetchModifier::Other { name, value }))
    }
}

fn store_modifier(input: &[u8]) -> PResult<'_, StoreModifier<'_>> {
    let (r, k) = match atom(input) {
        Err(nom::Err::Error(_)) => return fail(input, "store modifier"),
        other => other?,
    };
    if k.as_str().eq_ignore_ascii_case("UNCHANGEDSINCE") {
        let (r, ()) = sp(r)?;
        let (r, n) = number64(r)?;
        Ok((r, StoreModifier::UnchangedSince(n)))
    } else {
        let (r, (name, value)) = ext_param(k, r)?;
        Ok((r, StoreModifier::Other { name, value }))
    }
}

fn select_params(r: &[u8]) -> PResult<'_, Vec<SelectParam<'_>>> {
    if r.first() != Some(&b' ') {
        return Ok((r, Vec::new()));
    }
    let (r, v) = paren_list1(select_param)(&r[1..])?;
    Ok((r, v.into_vec()))
}

fn select_param(input: &[u8]) -> PResult<'_, SelectParam<'_>> {
    let (r, k) = match atom(input) {
        Err(nom::Err::Error(_)) => return fail(input, "select parameter"),
        other => other?,
    };
    if k.as_str().eq_ignore_ascii_case("CONDSTORE") {
        return Ok((r, SelectParam::CondStore));
    }
    if !k.as_str().eq_ignore_ascii_case("QRESYNC") {
        // A value follows only if it looks like one (RFC 4466 tagged-ext-val).
        if r.first() == Some(&b' ')
            && let (_, b'(' | b'0'..=b'9' | b'*' | b'$') = peek(&r[1..])?
        {
            let (r, v) = tagged_ext_val(&r[1..])?;
            return Ok((
                r,
                SelectParam::Other {
                    name: k,
                    value: Some(v),
                },
            ));
        }
        return Ok((
            r,
            SelectParam::Other {
                name: k,
                value: None,
            },
        ));
    }
    let (r, ()) = sp(r)?;
    let (r, ()) = byte(b'(', "(")(r)?;
    let (r, uid_validity) = nz_number(r)?;
    let (r, ()) = sp(r)?;
    let (mut r, mod_seq) = nz_number64(r)?;
    let mut known_uids = None;
    let mut seq_match = None;
    if let (_, b' ') = peek(r)? {
        if let (_, b'(') = peek(&r[1..])? {
        } else {
            let (r2, s) = sequence_set(&r[1..])?;
            known_uids = Some(s);
            r = r2;
        }
    }
    if let (_, b' ') = peek(r)? {
        let (r2, ()) = byte(b'(', "(")(&r[1..])?;
        let (r2, a) = sequence_set(r2)?;
        let (r2, ()) = sp(r2)?;
        let (r2, b) = sequence_set(r2)?;
        let (r2, ()) = byte(b')', ")")(r2)?;
        seq_match = Some((a, b));
        r = r2;
    }
    let (r, ()) = byte(b')', ")")(r)?;
    Ok((
        r,
        SelectParam::QResync {
            uid_validity,
            mod_seq,
            known_uids,
            seq_match,
        },
    ))
}

fn create_params(r: &[u8]) -> PResult<'_, Option<Vec<MailboxAttribute<'_>>>> {
    if r.first() != Some(&b' ') {
        return Ok((r, None));
    }
    let (r, ()) = byte(b'(', "(")(&r[1..])?;
    let (r, k) = keyword(r)?;
    if !k.eq_ignore_ascii_case(b"USE") {
        return fail(r, "USE");
    }
    let (r, ()) = sp(r)?;
    let (r, v) = paren_list(mailbox_attribute)(r)?;
    let (r, ()) = byte(b')', ")")(r)?;
    Ok((r, Some(v)))
}

fn list(args: &[u8]) -> PResult<'_, CommandBody<'_>> {
    let (r, select) = if let (_, b'(') = peek(args)? {
        let (r, v) = paren_list(|i| {
            let (r, a) = atom(i)?;
            let o = match a.as_str().to_ascii_uppercase().as_str() {
                "SUBSCRIBED" => ListSelectOption::Subscribed,
                "REMOTE" => ListSelectOption::Remote,
                "RECURSIVEMATCH" => ListSelectOption::RecursiveMatch,
                "SPECIAL-USE" => ListSelectOption::SpecialUse,
                _ => ListSelectOption::Other(a),
            };
            Ok((r, o))
        })(args)?;
        let (r, ()) = sp(r)?;
        (r, Some(v))
    } else {
        (args, None)
    };
    let (r, reference) = mailbox(r)?;
    let (r, ()) = sp(r)?;
    let (r, patterns) = if let (_, b'(') = peek(r)? {
        paren_list1(list_mailbox)(r)?
    } else {
        let (r, p) = list_mailbox(r)?;
        (r, Vec1::one(p))
    };
    let (r, return_opts) =
        if r.len() >= 8 && r.first() == Some(&b' ') && r[1..7].eq_ignore_ascii_case(b"RETURN") {
            let (r, ()) = sp(&r[7..])?;
            let (r, v) = paren_list(|i| {
                let (r, a) = atom(i)?;
                let o = match a.as_str().to_ascii_uppercase().as_str() {
                    "SUBSCRIBED" => ListReturnOption::Subscribed,
                    "CHILDREN" => ListReturnOption::Children,
                    "SPECIAL-USE" => ListReturnOption::SpecialUse,
                    "STATUS" => {
                        let (r, ()) = sp(r)?;
                        let (r, s) = status_att_list(r)?;
                        return Ok((r, ListReturnOption::Status(s)));
                    }
                    _ => ListReturnOption::Other(a),
                };
                Ok((r, o))
            })(r)?;
            (r, Some(v))
        } else if r.first() == Some(&b' ')
            && r.len() < 8
            && b" RETURN "[..r.len()].eq_ignore_ascii_case(r)
        {
            return Err(nom::Err::Incomplete(nom::Needed::Unknown));
        } else {
            (r, None)
        };
    Ok((
        r,
        CommandBody::List {
            select,
            reference,
            patterns,
            return_opts,
        },
    ))
}

/// Most messages one APPEND may carry (MULTIAPPEND).
pub const MAX_APPEND_MESSAGES: usize = 1000;

fn append(args: &[u8]) -> PResult<'_, CommandBody<'_>> {
    let (mut r, mailbox) = mailbox(args)?;
    let mut messages = Vec::new();
    while let Some(b' ') = r.first() {
        if messages.len() >= MAX_APPEND_MESSAGES {
            return Err(nom::Err::Failure(NomError::limit(
                r,
                "too many messages in one APPEND",
            )));
        }
        let (r2, m) = append_message(&r[1..])?;
        messages.push(m);
        r = r2;
    }
    match Vec1::new(messages) {
        Some(messages) => Ok((r, CommandBody::Append { mailbox, messages })),
        None => match r.first() {
            None => Err(nom::Err::Incomplete(nom::Needed::new(1))),
            Some(_) => fail(r, "SP"),
        },
    }
}

fn append_message(input: &[u8]) -> PResult<'_, AppendMessage<'_>> {
    let mut r = input;
    let mut flags = Vec::new();
    if let (_, b'(') = peek(r)? {
        let (r2, f) = flag_list(r)?;
        let (r2, ()) = sp(r2)?;
        flags = f;
        r = r2;
    }
    let mut date = None;
    if let (_, b'"') = peek(r)? {
        let (r2, d) = date_time(r)?;
        let (r2, ()) = sp(r2)?;
        date = Some(d);
        r = r2;
    }
    let (r, data) = match peek(r)? {
        (_, b'{') => {
            let (r, l) = literal(r)?;
            (r, AppendData::Literal(IString::unchecked(Cow::Borrowed(l))))
        }
        (_, b'~') => {
            let (r, l) = literal8(r)?;
            (r, AppendData::Binary(Literal8(Cow::Borrowed(l))))
        }
        (_, b'U' | b'u') => {
            let (r, ()) = crate::primitive::kw("UTF8")(r)?;
            let (r, ()) = sp(r)?;
            let (r, ()) = byte(b'(', "(")(r)?;
            let (r, l) = literal8(r)?;
            let (r, ()) = byte(b')', ")")(r)?;
            (r, AppendData::Utf8(Literal8(Cow::Borrowed(l))))
        }
        _ => return fail(r, "literal"),
    };
    Ok((r, AppendMessage { flags, date, data }))
}

fn id(args: &[u8]) -> PResult<'_, CommandBody<'_>> {
    if let (_, b'N' | b'n') = peek(args)? {
        let (r, ()) = nil(args)?;
        return Ok((r, CommandBody::Id(None)));
    }
    let (r, v) = paren_list(|i| {
        let (i, k) = string(i)?;
        let (i, ()) = sp(i)?;
        let (i, v) = crate::primitive::nstring(i)?;
        Ok((i, (k, v)))
    })(args)?;
    if v.len() > 30 {
        return Err(nom::Err::Failure(NomError::limit(
            args,
            "more than 30 ID fields",
        )));
    }
    Ok((r, CommandBody::Id(Some(v))))
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

fn write_ext_param(enc: &mut Encoder, name: &Atom<'_>, value: Option<&TaggedExtVal<'_>>) {
    enc.raw(name.as_str().as_bytes());
    if let Some(v) = value {
        enc.raw(b" ");
        v.write(enc);
    }
}

fn write_body(enc: &mut Encoder, body: &CommandBody<'_>) {
    use CommandBody as C;
    match body {
        C::Capability
        | C::Noop
        | C::Logout
        | C::StartTls
        | C::Namespace
        | C::Idle
        | C::Check
        | C::Close
        | C::Unselect
        | C::Expunge => enc.raw(body.name().as_bytes()),
        C::Authenticate {
            mechanism,
            initial_response,
        } => {
            enc.raw(b"AUTHENTICATE ");
            enc.raw(mechanism.as_str().as_bytes());
            match initial_response {
                None => {}
                Some(InitialResponse::Empty) => enc.raw(b" ="),
                Some(InitialResponse::Data(d)) if d.expose().is_empty() => enc.raw(b" ="),
                Some(InitialResponse::Data(d)) => {
                    enc.raw(b" ");
                    enc.raw(
                        base64::engine::general_purpose::STANDARD
                            .encode(d.expose())
                            .as_bytes(),
                    );
                }
            }
        }
        C::Login { username, password } => {
            enc.raw(b"LOGIN ");
            enc.astring(username.as_bytes());
            enc.raw(b" ");
            enc.astring(password.expose().as_bytes());
        }
        C::Enable(caps) => {
            enc.raw(b"ENABLE");
            for c in caps {
                enc.raw(b" ");
                c.write(enc);
            }
        }
        C::Select { mailbox, params } | C::Examine { mailbox, params } => {
            enc.raw(body.name().as_bytes());
            enc.raw(b" ");
            mailbox.write(enc);
            if !params.is_empty() {
                enc.raw(b" (");
                for (i, p) in params.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    match p {
                        SelectParam::CondStore => enc.raw(b"CONDSTORE"),
                        SelectParam::QResync {
                            uid_validity,
                            mod_seq,
                            known_uids,
                            seq_match,
                        } => {
                            enc.raw(b"QRESYNC (");
                            enc.number(u64::from(uid_validity.get()));
                            enc.raw(b" ");
                            enc.number(mod_seq.get());
                            if let Some(k) = known_uids {
                                enc.raw(b" ");
                                k.write(enc);
                            }
                            if let Some((a, b)) = seq_match {
                                enc.raw(b" (");
                                a.write(enc);
                                enc.raw(b" ");
                                b.write(enc);
                                enc.raw(b")");
                            }
                            enc.raw(b")");
                        }
                        SelectParam::Other { name, value } => {
                            enc.raw(name.as_str().as_bytes());
                            if let Some(v) = value {
                                enc.raw(b" ");
                                v.write(enc);
                            }
                        }
                    }
                }
                enc.raw(b")");
            }
        }
        C::Create {
            mailbox,
            special_use,
        } => {
            enc.raw(b"CREATE ");
            mailbox.write(enc);
            if let Some(attrs) = special_use {
                enc.raw(b" (USE (");
                for (i, a) in attrs.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    a.write(enc);
                }
                enc.raw(b"))");
            }
        }
        C::Delete(m) | C::Subscribe(m) | C::Unsubscribe(m) | C::GetQuotaRoot(m) => {
            enc.raw(body.name().as_bytes());
            enc.raw(b" ");
            m.write(enc);
        }
        C::Rename { from, to } => {
            enc.raw(b"RENAME ");
            from.write(enc);
            enc.raw(b" ");
            to.write(enc);
        }
        C::List {
            select,
            reference,
            patterns,
            return_opts,
        } => {
            enc.raw(b"LIST ");
            if let Some(sel) = select {
                enc.raw(b"(");
                for (i, o) in sel.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    enc.raw(match o {
                        ListSelectOption::Subscribed => b"SUBSCRIBED",
                        ListSelectOption::Remote => b"REMOTE",
                        ListSelectOption::RecursiveMatch => b"RECURSIVEMATCH",
                        ListSelectOption::SpecialUse => b"SPECIAL-USE",
                        ListSelectOption::Other(a) => a.as_str().as_bytes(),
                    });
                }
                enc.raw(b") ");
            }
            reference.write(enc);
            enc.raw(b" ");
            if patterns.len() == 1 {
                patterns.first().write(enc);
            } else {
                enc.raw(b"(");
                for (i, p) in patterns.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    p.write(enc);
                }
                enc.raw(b")");
            }
            if let Some(ret) = return_opts {
                enc.raw(b" RETURN (");
                for (i, o) in ret.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    match o {
                        ListReturnOption::Subscribed => enc.raw(b"SUBSCRIBED"),
                        ListReturnOption::Children => enc.raw(b"CHILDREN"),
                        ListReturnOption::SpecialUse => enc.raw(b"SPECIAL-USE"),
                        ListReturnOption::Status(s) => {
                            enc.raw(b"STATUS ");
                            write_status_att_list(enc, s);
                        }
                        ListReturnOption::Other(a) => enc.raw(a.as_str().as_bytes()),
                    }
                }
                enc.raw(b")");
            }
        }
        C::Lsub { reference, pattern } => {
            enc.raw(b"LSUB ");
            reference.write(enc);
            enc.raw(b" ");
            pattern.write(enc);
        }
        C::Status { mailbox, items } => {
            enc.raw(b"STATUS ");
            mailbox.write(enc);
            enc.raw(b" ");
            write_status_att_list(enc, items);
        }
        C::Append { mailbox, messages } => {
            enc.raw(b"APPEND ");
            mailbox.write(enc);
            for m in messages {
                enc.raw(b" ");
                if !m.flags.is_empty() {
                    write_flag_list(enc, &m.flags);
                    enc.raw(b" ");
                }
                if let Some(d) = &m.date {
                    d.write(enc);
                    enc.raw(b" ");
                }
                match &m.data {
                    AppendData::Literal(s) => enc.literal(s.as_bytes()),
                    AppendData::Binary(l) => enc.literal8(&l.0),
                    AppendData::Utf8(l) => {
                        enc.raw(b"UTF8 (");
                        enc.literal8(&l.0);
                        enc.raw(b")");
                    }
                }
            }
        }
        C::UidExpunge(s) => {
            enc.raw(b"UID EXPUNGE ");
            s.write(enc);
        }
        C::Search {
            uid: _,
            return_opts,
            charset,
            keys,
        } => {
            enc.raw(body.name().as_bytes());
            enc.raw(b" ");
            if let Some(o) = return_opts {
                write_return_options(enc, o);
                enc.raw(b" ");
            }
            if let Some(c) = charset {
                enc.raw(b"CHARSET ");
                c.write(enc);
                enc.raw(b" ");
            }
            write_keys(enc, keys);
        }
        C::Fetch {
            uid: _,
            set,
            items,
            modifiers,
        } => {
            enc.raw(body.name().as_bytes());
            enc.raw(b" ");
            set.write(enc);
            enc.raw(b" ");
            items.write(enc);
            if !modifiers.is_empty() {
                enc.raw(b" (");
                for (i, m) in modifiers.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    match m {
                        FetchModifier::ChangedSince(n) => {
                            enc.raw(b"CHANGEDSINCE ");
                            enc.number(n.get());
                        }
                        FetchModifier::Vanished => enc.raw(b"VANISHED"),
                        FetchModifier::Other { name, value } => {
                            write_ext_param(enc, name, value.as_ref());
                        }
                    }
                }
                enc.raw(b")");
            }
        }
        C::Store {
            uid: _,
            set,
            modifiers,
            kind,
            silent,
            flags,
        } => {
            enc.raw(body.name().as_bytes());
            enc.raw(b" ");
            set.write(enc);
            enc.raw(b" ");
            if !modifiers.is_empty() {
                enc.raw(b"(");
                for (i, m) in modifiers.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    match m {
                        StoreModifier::UnchangedSince(n) => {
                            enc.raw(b"UNCHANGEDSINCE ");
                            enc.number(*n);
                        }
                        StoreModifier::Other { name, value } => {
                            write_ext_param(enc, name, value.as_ref());
                        }
                    }
                }
                enc.raw(b") ");
            }
            enc.raw(match kind {
                StoreKind::Replace => b"",
                StoreKind::Add => b"+",
                StoreKind::Remove => b"-",
            });
            enc.raw(if *silent { b"FLAGS.SILENT " } else { b"FLAGS " });
            write_flag_list(enc, flags);
        }
        C::Copy {
            uid: _,
            set,
            mailbox,
        }
        | C::Move {
            uid: _,
            set,
            mailbox,
        } => {
            enc.raw(body.name().as_bytes());
            enc.raw(b" ");
            set.write(enc);
            enc.raw(b" ");
            mailbox.write(enc);
        }
        C::Id(None) => enc.raw(b"ID NIL"),
        C::Id(Some(params)) => {
            enc.raw(b"ID (");
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    enc.raw(b" ");
                }
                enc.string(k.as_bytes());
                enc.raw(b" ");
                enc.nstring(v.as_ref().map(IString::as_bytes));
            }
            enc.raw(b")");
        }
        C::Compress(a) => {
            enc.raw(b"COMPRESS ");
            enc.raw(a.as_str().as_bytes());
        }
        C::GetQuota(root) => {
            enc.raw(b"GETQUOTA ");
            enc.astring(root.as_bytes());
        }
        C::SetQuota { root, limits } => {
            enc.raw(b"SETQUOTA ");
            enc.astring(root.as_bytes());
            enc.raw(b" (");
            for (i, (a, n)) in limits.iter().enumerate() {
                if i > 0 {
                    enc.raw(b" ");
                }
                enc.raw(a.as_str().as_bytes());
                enc.raw(b" ");
                enc.number(*n);
            }
            enc.raw(b")");
        }
        C::Sort {
            uid: _,
            criteria,
            charset,
            keys,
        } => {
            enc.raw(body.name().as_bytes());
            enc.raw(b" ");
            write_sort_criteria(enc, criteria);
            enc.raw(b" ");
            charset.write(enc);
            enc.raw(b" ");
            write_keys(enc, keys);
        }
        C::Thread {
            uid: _,
            algorithm,
            charset,
            keys,
        } => {
            enc.raw(body.name().as_bytes());
            enc.raw(b" ");
            algorithm.write(enc);
            enc.raw(b" ");
            charset.write(enc);
            enc.raw(b" ");
            write_keys(enc, keys);
        }
    }
}

impl fmt::Display for Command<'_> {
    /// The command as text (literals inline; lossy for non-UTF-8 bytes).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn rt(s: &str) {
        let (c, n) = Command::parse(s.as_bytes()).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        assert_eq!(n, s.len(), "{s:?}");
        let again = c.to_bytes();
        let (c2, _) =
            Command::parse(&again).unwrap_or_else(|e| panic!("{s:?} rewritten {again:?}: {e}"));
        assert_eq!(c, c2, "{s:?}");
    }

    #[test]
    fn basic_round_trips() {
        for s in [
            "a CAPABILITY\r\n",
            "a1 LOGIN joe \"pass word\"\r\n",
            "a UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n",
            "a STORE 1 (UNCHANGEDSINCE 5) +FLAGS.SILENT (\\Seen)\r\n",
            "a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))\r\n",
            "a SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541 (1:5,10 1:5,100)))\r\n",
            "a SEARCH RETURN (MIN COUNT) CHARSET UTF-8 OR SEEN FLAGGED\r\n",
            "a LIST (SUBSCRIBED) \"\" (\"%\" INBOX/*) RETURN (CHILDREN STATUS (MESSAGES))\r\n",
            "a APPEND saved-messages (\\Seen) \"05-Jan-1999 20:55:23 +0000\" {3}\r\nabc\r\n",
            "a APPEND x {1+}\r\na ~{2}\r\n\0b\r\n",
            "a ID (\"name\" \"x\" \"version\" NIL)\r\n",
            "a AUTHENTICATE PLAIN AGpvZQBwYXNz\r\n",
            "a AUTHENTICATE PLAIN =\r\n",
            "a FETCH 1 (FLAGS) (CHANGEDSINCE 5 X-FOO (1 (a \"b c\")) X-BAR 1:3,5 X-BAZ)\r\n",
            "a STORE 1 (UNCHANGEDSINCE 5 X-A 7) FLAGS ()\r\n",
        ] {
            rt(s);
        }
    }

    #[test]
    fn syntax_errors_name_position() {
        let e = Command::parse(b"a1 FETCH x FLAGS\r\n").unwrap_err();
        assert_eq!(
            e.bad_text(),
            "syntax error at offset 9: expected sequence set"
        );
        let e = Command::parse(b"a1 FROB\r\n").unwrap_err();
        assert_eq!(e.offset(), Some(3));
        assert!(Command::parse(b"a1 NOOP").unwrap_err().is_incomplete());
    }
}
