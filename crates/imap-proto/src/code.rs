//! Response codes in status responses (RFC 9051 §7.1, RFC 5530, RFC 4315, RFC 7162, RFC 9208, ...).
//!
//! A response code is the bracketed part of `resp-text`:
//! `a1 NO [TRYCREATE] Mailbox doesn't exist`. Every code defined by the RFCs
//! this crate implements has its own variant; any other code is kept as
//! [`Code::Other`] with its name and raw argument text, so nothing is lost.

use std::borrow::Cow;

use crate::capability::Capability;
use crate::flag::FlagPerm;
use crate::primitive::{Encoder, IString};
use crate::response::lex::{Cursor, LexError, PResult, is_atom};
use crate::sequence::SequenceSet;
use crate::status::ObjectId;

/// A response code (`resp-text-code`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Code<'a> {
    /// `ALERT`: the text must be shown to the user (RFC 9051 §7.1).
    Alert,
    /// `BADCHARSET`, optionally with the supported charsets.
    BadCharset(Vec<IString<'a>>),
    /// `CAPABILITY ...`: the capability list, sent with a greeting or after login.
    Capability(Vec<Capability<'a>>),
    /// `PARSE`: a message header could not be parsed.
    Parse,
    /// `PERMANENTFLAGS (...)`: flags the client can change permanently;
    /// `\*` appears as a flag named `*`.
    PermanentFlags(Vec<FlagPerm<'a>>),
    /// `READ-ONLY`.
    ReadOnly,
    /// `READ-WRITE`.
    ReadWrite,
    /// `TRYCREATE`: the target mailbox doesn't exist but can be created.
    TryCreate,
    /// `UIDNEXT n`.
    UidNext(u32),
    /// `UIDVALIDITY n`.
    UidValidity(u32),
    /// `UNSEEN n` (IMAP4rev1): first unseen message.
    Unseen(u32),
    /// `APPENDUID uidvalidity uid-set` (RFC 4315).
    AppendUid {
        /// UIDVALIDITY of the target mailbox.
        uid_validity: u32,
        /// UID(s) of the appended message(s) (a set with MULTIAPPEND).
        uids: SequenceSet,
    },
    /// `COPYUID uidvalidity source-set dest-set` (RFC 4315).
    CopyUid {
        /// UIDVALIDITY of the target mailbox.
        uid_validity: u32,
        /// Source UIDs.
        source: SequenceSet,
        /// Corresponding UIDs in the target mailbox.
        destination: SequenceSet,
    },
    /// `UIDNOTSTICKY` (RFC 4315).
    UidNotSticky,
    /// `UNAVAILABLE` (RFC 5530).
    Unavailable,
    /// `AUTHENTICATIONFAILED` (RFC 5530).
    AuthenticationFailed,
    /// `AUTHORIZATIONFAILED` (RFC 5530).
    AuthorizationFailed,
    /// `EXPIRED` (RFC 5530).
    Expired,
    /// `PRIVACYREQUIRED` (RFC 5530).
    PrivacyRequired,
    /// `CONTACTADMIN` (RFC 5530).
    ContactAdmin,
    /// `NOPERM` (RFC 5530).
    NoPerm,
    /// `INUSE` (RFC 5530).
    InUse,
    /// `EXPUNGEISSUED` (RFC 5530).
    ExpungeIssued,
    /// `CORRUPTION` (RFC 5530).
    Corruption,
    /// `SERVERBUG` (RFC 5530).
    ServerBug,
    /// `CLIENTBUG` (RFC 5530).
    ClientBug,
    /// `CANNOT` (RFC 5530).
    Cannot,
    /// `LIMIT` (RFC 5530).
    Limit,
    /// `OVERQUOTA` (RFC 5530, RFC 9208).
    OverQuota,
    /// `ALREADYEXISTS` (RFC 5530).
    AlreadyExists,
    /// `NONEXISTENT` (RFC 5530).
    NonExistent,
    /// `NOTSAVED` (RFC 5182).
    NotSaved,
    /// `HASCHILDREN` (RFC 9051).
    HasChildren,
    /// `CLOSED` (RFC 7162).
    Closed,
    /// `UNKNOWN-CTE` (RFC 3516).
    UnknownCte,
    /// `HIGHESTMODSEQ n` (RFC 7162).
    HighestModSeq(u64),
    /// `NOMODSEQ` (RFC 7162).
    NoModSeq,
    /// `MODIFIED sequence-set` (RFC 7162).
    Modified(SequenceSet),
    /// `TOOBIG` (RFC 4469, RFC 7889).
    TooBig,
    /// `MAILBOXID (objectid)` (RFC 8474).
    MailboxId(ObjectId<'a>),
    /// `COMPRESSIONACTIVE` (RFC 4978).
    CompressionActive,
    /// `USEATTR` (RFC 6154).
    UseAttr,
    /// `BADURL url` (RFC 4469).
    BadUrl(Cow<'a, [u8]>),
    /// `REFERRAL url` (RFC 2221).
    Referral(Cow<'a, [u8]>),
    /// Any other code: its atom and the raw text after `SP`, if any.
    Other {
        /// The code's name (an atom).
        name: Cow<'a, [u8]>,
        /// Everything between the name's trailing space and `]`.
        data: Option<Cow<'a, [u8]>>,
    },
}

/// Simple (argument-less) codes, with their names.
const SIMPLE: &[(&str, Code<'static>)] = &[
    ("ALERT", Code::Alert),
    ("PARSE", Code::Parse),
    ("READ-ONLY", Code::ReadOnly),
    ("READ-WRITE", Code::ReadWrite),
    ("TRYCREATE", Code::TryCreate),
    ("UIDNOTSTICKY", Code::UidNotSticky),
    ("UNAVAILABLE", Code::Unavailable),
    ("AUTHENTICATIONFAILED", Code::AuthenticationFailed),
    ("AUTHORIZATIONFAILED", Code::AuthorizationFailed),
    ("EXPIRED", Code::Expired),
    ("PRIVACYREQUIRED", Code::PrivacyRequired),
    ("CONTACTADMIN", Code::ContactAdmin),
    ("NOPERM", Code::NoPerm),
    ("INUSE", Code::InUse),
    ("EXPUNGEISSUED", Code::ExpungeIssued),
    ("CORRUPTION", Code::Corruption),
    ("SERVERBUG", Code::ServerBug),
    ("CLIENTBUG", Code::ClientBug),
    ("CANNOT", Code::Cannot),
    ("LIMIT", Code::Limit),
    ("OVERQUOTA", Code::OverQuota),
    ("ALREADYEXISTS", Code::AlreadyExists),
    ("NONEXISTENT", Code::NonExistent),
    ("NOTSAVED", Code::NotSaved),
    ("HASCHILDREN", Code::HasChildren),
    ("CLOSED", Code::Closed),
    ("UNKNOWN-CTE", Code::UnknownCte),
    ("NOMODSEQ", Code::NoModSeq),
    ("TOOBIG", Code::TooBig),
    ("COMPRESSIONACTIVE", Code::CompressionActive),
    ("USEATTR", Code::UseAttr),
];

/// `1*<any TEXT-CHAR except "]">`
fn code_text_char(b: u8) -> bool {
    b != b']' && b != b'\r' && b != b'\n' && b != 0
}

impl<'a> Code<'a> {
    /// The code's name as it appears on the wire, e.g. `"TRYCREATE"`.
    pub fn name(&self) -> &[u8] {
        for (n, c) in SIMPLE {
            if c == self {
                return n.as_bytes();
            }
        }
        match self {
            Code::BadCharset(_) => b"BADCHARSET",
            Code::Capability(_) => b"CAPABILITY",
            Code::PermanentFlags(_) => b"PERMANENTFLAGS",
            Code::UidNext(_) => b"UIDNEXT",
            Code::UidValidity(_) => b"UIDVALIDITY",
            Code::Unseen(_) => b"UNSEEN",
            Code::AppendUid { .. } => b"APPENDUID",
            Code::CopyUid { .. } => b"COPYUID",
            Code::HighestModSeq(_) => b"HIGHESTMODSEQ",
            Code::Modified(_) => b"MODIFIED",
            Code::MailboxId(_) => b"MAILBOXID",
            Code::BadUrl(_) => b"BADURL",
            Code::Referral(_) => b"REFERRAL",
            Code::Other { name, .. } => name,
            _ => b"",
        }
    }

    /// Converts into a value that owns all its data.
    pub fn into_owned(self) -> Code<'static> {
        let own = |c: Cow<'a, [u8]>| -> Cow<'static, [u8]> { Cow::Owned(c.into_owned()) };
        match self {
            Code::Alert => Code::Alert,
            Code::BadCharset(v) => {
                Code::BadCharset(v.into_iter().map(IString::into_owned).collect())
            }
            Code::Capability(v) => {
                Code::Capability(v.into_iter().map(Capability::into_owned).collect())
            }
            Code::Parse => Code::Parse,
            Code::PermanentFlags(v) => {
                Code::PermanentFlags(v.into_iter().map(FlagPerm::into_owned).collect())
            }
            Code::ReadOnly => Code::ReadOnly,
            Code::ReadWrite => Code::ReadWrite,
            Code::TryCreate => Code::TryCreate,
            Code::UidNext(n) => Code::UidNext(n),
            Code::UidValidity(n) => Code::UidValidity(n),
            Code::Unseen(n) => Code::Unseen(n),
            Code::AppendUid { uid_validity, uids } => Code::AppendUid { uid_validity, uids },
            Code::CopyUid {
                uid_validity,
                source,
                destination,
            } => Code::CopyUid {
                uid_validity,
                source,
                destination,
            },
            Code::UidNotSticky => Code::UidNotSticky,
            Code::Unavailable => Code::Unavailable,
            Code::AuthenticationFailed => Code::AuthenticationFailed,
            Code::AuthorizationFailed => Code::AuthorizationFailed,
            Code::Expired => Code::Expired,
            Code::PrivacyRequired => Code::PrivacyRequired,
            Code::ContactAdmin => Code::ContactAdmin,
            Code::NoPerm => Code::NoPerm,
            Code::InUse => Code::InUse,
            Code::ExpungeIssued => Code::ExpungeIssued,
            Code::Corruption => Code::Corruption,
            Code::ServerBug => Code::ServerBug,
            Code::ClientBug => Code::ClientBug,
            Code::Cannot => Code::Cannot,
            Code::Limit => Code::Limit,
            Code::OverQuota => Code::OverQuota,
            Code::AlreadyExists => Code::AlreadyExists,
            Code::NonExistent => Code::NonExistent,
            Code::NotSaved => Code::NotSaved,
            Code::HasChildren => Code::HasChildren,
            Code::Closed => Code::Closed,
            Code::UnknownCte => Code::UnknownCte,
            Code::HighestModSeq(n) => Code::HighestModSeq(n),
            Code::NoModSeq => Code::NoModSeq,
            Code::Modified(s) => Code::Modified(s),
            Code::TooBig => Code::TooBig,
            Code::MailboxId(s) => Code::MailboxId(s.into_owned()),
            Code::CompressionActive => Code::CompressionActive,
            Code::UseAttr => Code::UseAttr,
            Code::BadUrl(s) => Code::BadUrl(own(s)),
            Code::Referral(s) => Code::Referral(own(s)),
            Code::Other { name, data } => Code::Other {
                name: own(name),
                data: data.map(own),
            },
        }
    }

    /// Parses the code after `[`, up to but excluding `]`.
    pub(crate) fn parse_at(c: &mut Cursor<'a>) -> PResult<Self> {
        let start = c.pos;
        match Self::parse_known(c) {
            // A known code with unexpected arguments: keep it raw instead of failing.
            Err(LexError::Syntax { .. }) if c.opts.unknown_code_arguments => {
                c.pos = start;
                let name = c.atom()?;
                let data = if c.eat(b' ')? {
                    Some(Cow::Borrowed(
                        c.take_while1(code_text_char, "response code text")?,
                    ))
                } else {
                    None
                };
                Ok(Code::Other {
                    name: Cow::Borrowed(name),
                    data,
                })
            }
            r => r,
        }
    }

    fn parse_known(c: &mut Cursor<'a>) -> PResult<Self> {
        let name = c.atom()?;
        for (n, code) in SIMPLE {
            if name.eq_ignore_ascii_case(n.as_bytes()) {
                // Unknown trailing text on a known simple code is kept by treating
                // it as an `Other` code, so nothing is silently dropped.
                if c.peek()? == b' ' {
                    break;
                }
                return Ok(code.clone());
            }
        }
        let upper = |s: &str| name.eq_ignore_ascii_case(s.as_bytes());
        let code = if upper("BADCHARSET") {
            let mut v = Vec::new();
            if c.peek()? == b' ' && c.peek2()? == b'(' {
                c.pos += 2;
                loop {
                    v.push(c.astring()?);
                    if c.eat(b')')? {
                        break;
                    }
                    c.sp()?;
                }
            }
            Code::BadCharset(v)
        } else if upper("CAPABILITY") {
            let mut v = Vec::new();
            while c.eat(b' ')? {
                v.push(crate::response::parse_capability(c)?);
            }
            Code::Capability(v)
        } else if upper("PERMANENTFLAGS") {
            c.sp()?;
            Code::PermanentFlags(crate::response::parse_perm_flags(c)?)
        } else if upper("UIDNEXT") {
            c.sp()?;
            Code::UidNext(c.number()?)
        } else if upper("UIDVALIDITY") {
            c.sp()?;
            Code::UidValidity(c.number()?)
        } else if upper("UNSEEN") {
            c.sp()?;
            Code::Unseen(c.number()?)
        } else if upper("APPENDUID") {
            c.sp()?;
            let uid_validity = c.number()?;
            c.sp()?;
            let uids = crate::response::parse_uid_set(c)?;
            Code::AppendUid { uid_validity, uids }
        } else if upper("COPYUID") {
            c.sp()?;
            let uid_validity = c.number()?;
            c.sp()?;
            let source = crate::response::parse_uid_set(c)?;
            c.sp()?;
            let destination = crate::response::parse_uid_set(c)?;
            Code::CopyUid {
                uid_validity,
                source,
                destination,
            }
        } else if upper("HIGHESTMODSEQ") {
            c.sp()?;
            Code::HighestModSeq(c.number64()?)
        } else if upper("MODIFIED") {
            c.sp()?;
            Code::Modified(crate::response::parse_seq_set(c)?)
        } else if upper("MAILBOXID") {
            c.sp()?;
            c.byte(b'(', "(")?;
            let id = crate::response::parse_objectid(c)?;
            c.byte(b')', ")")?;
            Code::MailboxId(id)
        } else if upper("BADURL") || upper("REFERRAL") {
            c.sp()?;
            let url = Cow::Borrowed(c.take_while1(code_text_char, "url")?);
            if upper("BADURL") {
                Code::BadUrl(url)
            } else {
                Code::Referral(url)
            }
        } else {
            let data = if c.peek()? == b' ' {
                c.pos += 1;
                Some(Cow::Borrowed(
                    c.take_while1(code_text_char, "response code text")?,
                ))
            } else {
                None
            };
            return Ok(Code::Other {
                name: Cow::Borrowed(name),
                data,
            });
        };
        if c.peek()? != b']' {
            return c.err("]");
        }
        Ok(code)
    }

    /// Writes the code (without the brackets).
    pub fn write(&self, enc: &mut Encoder) {
        match self {
            Code::BadCharset(v) => {
                enc.raw(b"BADCHARSET");
                if !v.is_empty() {
                    enc.raw(b" (");
                    for (i, s) in v.iter().enumerate() {
                        if i > 0 {
                            enc.raw(b" ");
                        }
                        // charset = atom / quoted
                        if is_atom(s.as_bytes()) {
                            enc.raw(s.as_bytes());
                        } else {
                            enc.string(s.as_bytes());
                        }
                    }
                    enc.raw(b")");
                }
            }
            Code::Capability(v) => {
                enc.raw(b"CAPABILITY");
                for cap in v {
                    enc.raw(b" ");
                    cap.write(enc);
                }
            }
            Code::PermanentFlags(v) => {
                enc.raw(b"PERMANENTFLAGS ");
                crate::response::write_perm_flags(enc, v);
            }
            Code::UidNext(n) | Code::UidValidity(n) | Code::Unseen(n) => {
                enc.raw(self.name());
                enc.raw(b" ");
                enc.number(u64::from(*n));
            }
            Code::AppendUid { uid_validity, uids } => {
                enc.raw(b"APPENDUID ");
                enc.number(u64::from(*uid_validity));
                enc.raw(b" ");
                uids.write(enc);
            }
            Code::CopyUid {
                uid_validity,
                source,
                destination,
            } => {
                enc.raw(b"COPYUID ");
                enc.number(u64::from(*uid_validity));
                enc.raw(b" ");
                source.write(enc);
                enc.raw(b" ");
                destination.write(enc);
            }
            Code::HighestModSeq(n) => {
                enc.raw(b"HIGHESTMODSEQ ");
                enc.number(*n);
            }
            Code::Modified(s) => {
                enc.raw(b"MODIFIED ");
                s.write(enc);
            }
            Code::MailboxId(id) => {
                enc.raw(b"MAILBOXID (");
                enc.raw(id.as_str().as_bytes());
                enc.raw(b")");
            }
            Code::BadUrl(u) | Code::Referral(u) => {
                enc.raw(self.name());
                enc.raw(b" ");
                crate::response::lex::write_text(enc, u, true);
            }
            Code::Other { name, data } => {
                crate::response::lex::write_text(enc, name, true);
                if let Some(d) = data {
                    enc.raw(b" ");
                    crate::response::lex::write_text(enc, d, true);
                }
            }
            simple => enc.raw(simple.name()),
        }
    }
}
