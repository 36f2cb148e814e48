//! SEARCH evaluation (RFC 9051 §6.4.4, RFC 3501 §6.4.4, RFC 7162 §3.1.5,
//! RFC 8474 §5) and the `* SEARCH` / `* ESEARCH` answers (RFC 4731).
//!
//! [`Query::new`] compiles the keys once: search strings are converted from
//! the command's CHARSET to UTF-8 and case-folded, `NEW`/`OLD`/`UN*` are
//! rewritten, and the members of every AND/OR are ordered cheapest first
//! (flags, sets, sizes and INTERNALDATE before the `Date:` header, header
//! fields before bodies), so text is only scanned when the cheap keys let
//! the message through. [`Query::matches`] then tests one message.
//!
//! String keys match case-insensitively after decoding: header fields are
//! unfolded and their RFC 2047 words decoded; bodies are decoded from their
//! Content-Transfer-Encoding and charset. `BODY` searches every text part
//! (`text/*` and non-RFC 822 `message/*` leaves) and the headers of
//! attached messages; `TEXT` searches the top-level header too. Binary
//! attachments are not searched. ASCII search strings scan raw bytes
//! without allocating wherever that is exact (7bit/8bit parts in UTF-8,
//! US-ASCII or a single-byte charset; header fields without encoded words).
//!
//! Dates compare by date only, as written, ignoring time and zone:
//! `BEFORE`/`ON`/`SINCE` use the INTERNALDATE, `SENT*` the `Date:` header
//! (the INTERNALDATE when that is missing or invalid, as RFC 5256 §2.2 does
//! for sorting).
//!
//! ```
//! use mailwire_imap_proto::query::search::{Context, Query};
//! use mailwire_imap_proto::response::{Data, EsearchItem};
//! use mailwire_imap_proto::search::{search_keys, SearchReturnOption};
//! # use mailwire_imap_proto::datetime::DateTime;
//! # use mailwire_imap_proto::flag::Flag;
//! # use mailwire_imap_proto::message::{MessageMeta, StoredMessage};
//! # let raw: &[u8] = b"Subject: x\r\n\r\nbody\r\n";
//! # let parsed = mailwire_mime::Message::parse(raw).unwrap();
//! # let (internal_date, _) = DateTime::parse(b"\"17-Jul-1996 02:44:25 -0700\"").unwrap();
//! # let seen = [Flag::Seen];
//! # let msgs: Vec<StoredMessage<'_>> = (1..=5).map(|i| StoredMessage { raw, parsed: &parsed,
//! #     meta: MessageMeta { seq: i, uid: i * 10, flags: if i % 2 == 0 { &seen } else { &[] },
//! #     recent: false, internal_date, modseq: u64::from(i) } }).collect();
//! let (_, keys) = search_keys(b"UNSEEN\r\n").unwrap();
//! let query = Query::new(&keys, None).unwrap();
//! let result = query.evaluate(msgs.iter().copied(), &Context::new(5, 50));
//! assert_eq!(result.ids(false), vec![1, 3, 5]);
//! let data = result.to_esearch(Some("a1"), true, &[SearchReturnOption::Min, SearchReturnOption::Count]);
//! let Data::Esearch(e) = data else { unreachable!() };
//! assert_eq!(e.items, vec![EsearchItem::Min(10), EsearchItem::Count(3)]);
//! ```

use std::borrow::Cow;
use std::fmt;
use std::num::NonZeroU32;

use mailwire_mime::{Part, PartKind, TransferEncoding};
use mailwire_rfc5322::charset::Charset as Cs;

use super::QueryError;
use super::text::Needle;
use crate::datetime::Date;
use crate::flag::Flag;
use crate::message::{MessageMeta, StoredMessage};
use crate::primitive::{IString, Vec1};
use crate::response::{Data, Esearch, EsearchItem};
use crate::search::{Charset, SearchKey, SearchReturnOption};
use crate::sequence::{SeqItem, SeqNumber, SequenceSet};

/// Which RFC 8474 object identifier an `EMAILID`/`THREADID` key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ObjectIdKind {
    /// `EMAILID`.
    Email,
    /// `THREADID`.
    Thread,
}

/// Decides whether a message has the given EMAILID/THREADID.
pub type ObjectIdMatcher<'a> = &'a dyn Fn(ObjectIdKind, &MessageMeta<'_>, &str) -> bool;

/// What a search needs to know about the mailbox besides the messages.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    messages: u32,
    max_uid: u32,
    saved: Option<&'a [u32]>,
    object_ids: Option<ObjectIdMatcher<'a>>,
}

impl fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("messages", &self.messages)
            .field("max_uid", &self.max_uid)
            .field("saved", &self.saved)
            .field("object_ids", &self.object_ids.is_some())
            .finish()
    }
}

impl<'a> Context<'a> {
    /// A mailbox of `messages` messages whose largest UID is `max_uid`: what
    /// `*` stands for in a sequence set and in a UID set.
    #[must_use]
    pub fn new(messages: u32, max_uid: u32) -> Self {
        Context {
            messages,
            max_uid,
            saved: None,
            object_ids: None,
        }
    }

    /// The saved search result (RFC 5182 `$`), as UIDs. Without it `$`
    /// matches nothing.
    #[must_use]
    pub fn with_saved(mut self, uids: &'a [u32]) -> Self {
        self.saved = Some(uids);
        self
    }

    /// How to answer `EMAILID`/`THREADID` (RFC 8474). Without it those keys
    /// match nothing.
    #[must_use]
    pub fn with_object_ids(mut self, matcher: ObjectIdMatcher<'a>) -> Self {
        self.object_ids = Some(matcher);
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Before,
    On,
    Since,
}

impl Cmp {
    fn test(self, d: (u32, u8, u8), key: Date) -> bool {
        let k = (u32::from(key.year()), key.month(), key.day());
        match self {
            Cmp::Before => d < k,
            Cmp::On => d == k,
            Cmp::Since => d >= k,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Const(bool),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Box<Node>, Box<Node>),
    Flag(Flag<'static>),
    Recent,
    Larger(u64),
    Smaller(u64),
    Internal(Cmp, Date),
    Sent(Cmp, Date),
    Seq(SequenceSet),
    Uid(SequenceSet),
    ModSeq(u64),
    ObjectId(ObjectIdKind, String),
    /// Fields named so (lowercase) contain the needle.
    Header(String, Needle),
    Body(Needle),
    Text(Needle),
}

impl Node {
    /// A rough evaluation cost, for ordering AND/OR members.
    fn cost(&self) -> u32 {
        match self {
            Node::Const(_) => 0,
            Node::Flag(_)
            | Node::Recent
            | Node::Larger(_)
            | Node::Smaller(_)
            | Node::Seq(_)
            | Node::Uid(_)
            | Node::ModSeq(_) => 1,
            Node::Internal(..) => 2,
            Node::ObjectId(..) => 5,
            Node::Sent(..) => 20,
            Node::Header(..) => 50,
            Node::Body(_) | Node::Text(_) => 1000,
            Node::Not(n) => n.cost(),
            Node::And(v) => v.iter().map(Node::cost).sum(),
            Node::Or(a, b) => a.cost() + b.cost(),
        }
    }
}

/// Compiled search keys, ready to test messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    root: Node,
    modseq: bool,
}

impl Query {
    /// Compiles `keys` (all must match). `charset` is the command's CHARSET
    /// (`None`: US-ASCII; US-ASCII and UTF-8 strings are read as UTF-8);
    /// any charset the encoding tables know is accepted.
    ///
    /// # Errors
    /// [`QueryError::BadCharset`] for an unknown charset.
    pub fn new(keys: &[SearchKey<'_>], charset: Option<&Charset<'_>>) -> Result<Query, QueryError> {
        let cs = match charset {
            None => None,
            Some(c) => {
                let name = c.as_str();
                if name.eq_ignore_ascii_case("us-ascii")
                    || name.eq_ignore_ascii_case("utf-8")
                    || name.eq_ignore_ascii_case("ascii")
                {
                    None
                } else {
                    match Cs::for_label(name.as_bytes()) {
                        Some(Cs::Whatwg(e)) if e.name() == "replacement" => {
                            return Err(QueryError::BadCharset {
                                charset: name.to_string(),
                            });
                        }
                        Some(cs) => Some(cs),
                        None => {
                            return Err(QueryError::BadCharset {
                                charset: name.to_string(),
                            });
                        }
                    }
                }
            }
        };
        let mut modseq = false;
        let mut nodes: Vec<Node> = keys.iter().map(|k| compile(k, cs, &mut modseq)).collect();
        let root = if nodes.len() == 1 {
            nodes.pop().unwrap_or(Node::Const(true))
        } else {
            and(nodes)
        };
        Ok(Query { root, modseq })
    }

    /// True when the keys include `MODSEQ` (the answer then carries the
    /// highest mod-sequence, RFC 7162 §3.1.5).
    #[must_use]
    pub fn uses_modseq(&self) -> bool {
        self.modseq
    }

    /// Whether `msg` matches.
    #[must_use]
    pub fn matches(&self, msg: &StoredMessage<'_>, ctx: &Context<'_>) -> bool {
        eval(&self.root, msg, ctx)
    }

    /// Tests every message; the hits come in the iteration order.
    pub fn evaluate<'m>(
        &self,
        messages: impl IntoIterator<Item = StoredMessage<'m>>,
        ctx: &Context<'_>,
    ) -> SearchResult {
        let hits = messages
            .into_iter()
            .filter(|m| self.matches(m, ctx))
            .map(|m| Hit {
                seq: m.meta.seq,
                uid: m.meta.uid,
                modseq: m.meta.modseq,
            })
            .collect();
        SearchResult {
            hits,
            modseq_requested: self.modseq,
        }
    }
}

/// Whether `msg` matches one key (search strings read as UTF-8).
#[must_use]
pub fn matches(key: &SearchKey<'_>, msg: &StoredMessage<'_>, ctx: &Context<'_>) -> bool {
    let mut modseq = false;
    eval(&compile(key, None, &mut modseq), msg, ctx)
}

/// Compiles `keys` with `charset` and tests every message.
///
/// # Errors
/// [`QueryError::BadCharset`] for an unknown charset.
pub fn evaluate<'m>(
    keys: &[SearchKey<'_>],
    charset: Option<&Charset<'_>>,
    messages: impl IntoIterator<Item = StoredMessage<'m>>,
    ctx: &Context<'_>,
) -> Result<SearchResult, QueryError> {
    Ok(Query::new(keys, charset)?.evaluate(messages, ctx))
}

fn and(mut v: Vec<Node>) -> Node {
    // Flatten nested ANDs, then cheapest first.
    let mut flat = Vec::with_capacity(v.len());
    for n in v.drain(..) {
        match n {
            Node::And(inner) => flat.extend(inner),
            Node::Const(true) => {}
            other => flat.push(other),
        }
    }
    if flat.contains(&Node::Const(false)) {
        return Node::Const(false);
    }
    flat.sort_by_key(Node::cost);
    match flat.len() {
        0 => Node::Const(true),
        1 => flat.pop().unwrap_or(Node::Const(true)),
        _ => Node::And(flat),
    }
}

fn needle(s: &IString<'_>, cs: Option<Cs>) -> Needle {
    let text: Cow<'_, str> = match cs {
        None => String::from_utf8_lossy(s.as_bytes()),
        Some(cs) => cs.decode(s.as_bytes()).0,
    };
    Needle::new(&text)
}

fn compile(k: &SearchKey<'_>, cs: Option<Cs>, modseq: &mut bool) -> Node {
    use SearchKey as K;
    let not = |n: Node| Node::Not(Box::new(n));
    let hdr = |name: &str, s: &IString<'_>| Node::Header(name.to_string(), needle(s, cs));
    match k {
        K::All => Node::Const(true),
        K::Answered => Node::Flag(Flag::Answered),
        K::Deleted => Node::Flag(Flag::Deleted),
        K::Draft => Node::Flag(Flag::Draft),
        K::Flagged => Node::Flag(Flag::Flagged),
        K::Seen => Node::Flag(Flag::Seen),
        K::Unanswered => not(Node::Flag(Flag::Answered)),
        K::Undeleted => not(Node::Flag(Flag::Deleted)),
        K::Undraft => not(Node::Flag(Flag::Draft)),
        K::Unflagged => not(Node::Flag(Flag::Flagged)),
        K::Unseen => not(Node::Flag(Flag::Seen)),
        K::Keyword(a) => Node::Flag(Flag::Keyword(a.clone().into_owned())),
        K::Unkeyword(a) => not(Node::Flag(Flag::Keyword(a.clone().into_owned()))),
        K::Recent => Node::Recent,
        // RFC 3501: NEW is "RECENT UNSEEN", OLD is "NOT RECENT".
        K::New => and(vec![Node::Recent, not(Node::Flag(Flag::Seen))]),
        K::Old => not(Node::Recent),
        K::Larger(n) => Node::Larger(*n),
        K::Smaller(n) => Node::Smaller(*n),
        K::Before(d) => Node::Internal(Cmp::Before, *d),
        K::On(d) => Node::Internal(Cmp::On, *d),
        K::Since(d) => Node::Internal(Cmp::Since, *d),
        K::SentBefore(d) => Node::Sent(Cmp::Before, *d),
        K::SentOn(d) => Node::Sent(Cmp::On, *d),
        K::SentSince(d) => Node::Sent(Cmp::Since, *d),
        K::Bcc(s) => hdr("bcc", s),
        K::Cc(s) => hdr("cc", s),
        K::From(s) => hdr("from", s),
        K::To(s) => hdr("to", s),
        K::Subject(s) => hdr("subject", s),
        K::Header(name, s) => Node::Header(
            String::from_utf8_lossy(name.as_bytes()).to_ascii_lowercase(),
            needle(s, cs),
        ),
        K::Body(s) => Node::Body(needle(s, cs)),
        K::Text(s) => Node::Text(needle(s, cs)),
        K::Uid(set) => Node::Uid(set.clone()),
        K::SequenceSet(set) => Node::Seq(set.clone()),
        K::ModSeq { modseq: m, .. } => {
            // No per-flag mod-sequences are kept: the entry is ignored
            // (RFC 7162 §3.1.5).
            *modseq = true;
            Node::ModSeq(*m)
        }
        K::EmailId(o) => Node::ObjectId(ObjectIdKind::Email, o.as_str().to_string()),
        K::ThreadId(o) => Node::ObjectId(ObjectIdKind::Thread, o.as_str().to_string()),
        K::Not(inner) => match compile(inner, cs, modseq) {
            Node::Not(n) => *n,
            Node::Const(b) => Node::Const(!b),
            n => not(n),
        },
        K::Or(a, b) => {
            let (a, b) = (compile(a, cs, modseq), compile(b, cs, modseq));
            match (a, b) {
                (Node::Const(true), _) | (_, Node::Const(true)) => Node::Const(true),
                (Node::Const(false), n) | (n, Node::Const(false)) => n,
                (a, b) if b.cost() < a.cost() => Node::Or(Box::new(b), Box::new(a)),
                (a, b) => Node::Or(Box::new(a), Box::new(b)),
            }
        }
        K::And(v) => and(v.iter().map(|k| compile(k, cs, modseq)).collect()),
    }
}

fn eval(n: &Node, msg: &StoredMessage<'_>, ctx: &Context<'_>) -> bool {
    let meta = &msg.meta;
    match n {
        Node::Const(b) => *b,
        Node::Not(n) => !eval(n, msg, ctx),
        Node::And(v) => v.iter().all(|n| eval(n, msg, ctx)),
        Node::Or(a, b) => eval(a, msg, ctx) || eval(b, msg, ctx),
        Node::Flag(f) => msg.has_flag(f),
        Node::Recent => meta.recent,
        Node::Larger(s) => msg.size() > *s,
        Node::Smaller(s) => msg.size() < *s,
        Node::Internal(c, d) => {
            let i = meta.internal_date.date();
            c.test((u32::from(i.year()), i.month(), i.day()), *d)
        }
        Node::Sent(c, d) => {
            let written = match super::date_header(msg) {
                Some(h) => (h.year, h.month, h.day),
                None => {
                    let i = meta.internal_date.date();
                    (u32::from(i.year()), i.month(), i.day())
                }
            };
            c.test(written, *d)
        }
        Node::Seq(set) => in_set(set, meta.seq, ctx.messages, meta.uid, ctx),
        Node::Uid(set) => in_set(set, meta.uid, ctx.max_uid, meta.uid, ctx),
        Node::ModSeq(m) => meta.modseq >= *m,
        Node::ObjectId(kind, id) => ctx.object_ids.is_some_and(|f| f(*kind, meta, id)),
        Node::Header(name, needle) => header_matches(msg.parsed.root(), name, needle),
        Node::Body(needle) => body_matches(msg, needle),
        Node::Text(needle) => {
            whole_header_matches(msg.parsed.root(), needle) || body_matches(msg, needle)
        }
    }
}

fn in_set(set: &SequenceSet, n: u32, largest: u32, uid: u32, ctx: &Context<'_>) -> bool {
    match set {
        SequenceSet::Saved => ctx.saved.is_some_and(|s| s.contains(&uid)),
        SequenceSet::Items(_) => set.contains(n, largest),
    }
}

fn has_space(n: &Needle) -> bool {
    n.folded().bytes().any(|b| b == b' ' || b == b'\t')
}

/// Matches one header field value (unfolded, words decoded).
fn value_matches(raw: &[u8], field: &mailwire_mime::HeaderField<'_>, needle: &Needle) -> bool {
    if needle.is_empty() {
        return true;
    }
    // Raw bytes are exact for an ASCII needle when there are no encoded
    // words and the needle cannot span a fold.
    if needle.is_ascii() && memchr::memmem::find(raw, b"=?").is_none() && !has_space(needle) {
        return needle.is_match_bytes(raw);
    }
    needle.is_match_str(&field.text())
}

/// `HEADER name string` (and FROM, TO, ...): any field of that name
/// matches; an empty string matches any message having the field.
fn header_matches(part: Part<'_>, name: &str, needle: &Needle) -> bool {
    part.headers()
        .filter(|f| f.name().eq_ignore_ascii_case(name))
        .any(|f| value_matches(f.raw_value(), &f, needle))
}

/// The whole header of an entity: field names and values.
fn whole_header_matches(part: Part<'_>, needle: &Needle) -> bool {
    if needle.is_empty() {
        return true;
    }
    let raw = part.header_bytes();
    if needle.is_ascii() && !has_space(needle) {
        let has_words = memchr::memmem::find(raw, b"=?").is_some();
        if !needle.is_match_bytes(raw) {
            // Fields without encoded words cannot match: only the decoded
            // text of the others can.
            return has_words
                && part.headers().any(|f| {
                    memchr::memmem::find(f.raw_value(), b"=?").is_some()
                        && needle.is_match_str(&f.text())
                });
        }
        if !has_words {
            return true;
        }
        // A hit, maybe inside an encoded word's raw text: check per field.
    }
    part.headers().any(|f| {
        needle.is_match_bytes(f.name().as_bytes()) || value_matches(f.raw_value(), &f, needle)
    })
}

/// Raw bytes of a text can be searched for an ASCII needle when every ASCII
/// byte means that ASCII character and nothing else does.
fn ascii_transparent(charset: Option<&[u8]>) -> bool {
    let Some(label) = charset else {
        return true;
    };
    let label = label.trim_ascii();
    if label.eq_ignore_ascii_case(b"us-ascii") {
        return true;
    }
    match Cs::for_label(label) {
        Some(Cs::Whatwg(e)) => e.name() == "UTF-8" || e.is_single_byte(),
        Some(_) => false,
        // The mime crate reads unknown charsets as UTF-8 or windows-1252.
        None => true,
    }
}

/// The leaf's media type class and charset label read from the raw
/// Content-Type without allocating: `Some((is_text, charset))`, or `None`
/// when the value needs the full parser (comments, RFC 2231 parameters,
/// anything unusual).
fn quick_type<'m>(part: &Part<'m>) -> Option<(bool, Option<&'m [u8]>)> {
    let Some(f) = part.header("content-type") else {
        // text/plain by default (a multipart/digest default makes a
        // message part, never a leaf).
        return Some((true, None));
    };
    let v = f.raw_value();
    if v.iter().any(|&b| matches!(b, b'(' | b'*' | b'%' | b'\\')) {
        return None;
    }
    let slash = memchr::memchr(b'/', v)?;
    let main = v[..slash].trim_ascii();
    if main.is_empty() || !main.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-') {
        return None;
    }
    let is_text = main.eq_ignore_ascii_case(b"text") || main.eq_ignore_ascii_case(b"message");
    let mut charset = None;
    let mut quoted = false;
    for semi in memchr::memchr_iter(b';', v) {
        let seg = v[semi + 1..].trim_ascii_start();
        let Some(rest) = seg
            .get(..7)
            .filter(|h| h.eq_ignore_ascii_case(b"charset"))
            .map(|_| seg[7..].trim_ascii_start())
        else {
            continue;
        };
        let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
        let value = if let Some(q) = rest.strip_prefix(b"\"") {
            quoted = true;
            &q[..memchr::memchr(b'"', q)?]
        } else {
            let end = rest
                .iter()
                .position(|&b| b == b';' || b.is_ascii_whitespace())
                .unwrap_or(rest.len());
            &rest[..end]
        };
        if charset.is_some() {
            // Repeated parameter: let the parser decide.
            return None;
        }
        charset = Some(value);
    }
    // Quotes elsewhere may hide a ';': let the parser decide.
    let quotes = memchr::memchr_iter(b'"', v).count();
    if quotes != if quoted { 2 } else { 0 } {
        return None;
    }
    Some((is_text, charset))
}

fn leaf_matches(part: Part<'_>, needle: &Needle) -> bool {
    let owned;
    let (is_text, charset) = match quick_type(&part) {
        Some(t) => t,
        None => {
            owned = part.content_type();
            let main = owned.main_type();
            (
                main.eq_ignore_ascii_case("text") || main.eq_ignore_ascii_case("message"),
                owned.charset().map(str::as_bytes),
            )
        }
    };
    if !is_text {
        return false;
    }
    if needle.is_empty() {
        return true;
    }
    if needle.is_ascii() && ascii_transparent(charset) {
        return match part.transfer_encoding() {
            TransferEncoding::SevenBit
            | TransferEncoding::EightBit
            | TransferEncoding::Binary
            | TransferEncoding::Unknown => needle.is_match_bytes(part.body()),
            _ => needle.is_match_bytes(&part.decoded().bytes),
        };
    }
    needle.is_match_str(&part.text().text)
}

/// BODY: every text leaf, and the header of every attached message.
fn body_matches(msg: &StoredMessage<'_>, needle: &Needle) -> bool {
    if needle.is_empty() {
        return true;
    }
    msg.parsed.parts().any(|p| {
        let attached_header = p.parent().is_some_and(|q| q.kind() == PartKind::Message);
        (attached_header && whole_header_matches(p, needle))
            || (p.kind() == PartKind::Leaf && leaf_matches(p, needle))
    })
}

/// One matching message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Its sequence number.
    pub seq: u32,
    /// Its UID.
    pub uid: u32,
    /// Its mod-sequence.
    pub modseq: u64,
}

/// The messages a search matched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchResult {
    /// The matches, in the order the messages were given.
    pub hits: Vec<Hit>,
    /// The search had a MODSEQ key: answers carry the highest mod-sequence.
    pub modseq_requested: bool,
}

impl SearchResult {
    /// Sequence numbers (or UIDs when `uid`), ascending.
    #[must_use]
    pub fn ids(&self, uid: bool) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .hits
            .iter()
            .map(|h| if uid { h.uid } else { h.seq })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The highest mod-sequence of the matches, when the search used MODSEQ
    /// and matched something (RFC 7162 §3.1.5).
    #[must_use]
    pub fn highest_modseq(&self) -> Option<u64> {
        if self.modseq_requested {
            self.hits.iter().map(|h| h.modseq).max()
        } else {
            None
        }
    }

    /// `* SEARCH ids [(MODSEQ n)]`.
    #[must_use]
    pub fn to_search(&self, uid: bool) -> Data<'static> {
        Data::Search {
            ids: self.ids(uid),
            modseq: self.highest_modseq(),
        }
    }

    /// `* ESEARCH [(TAG "t")] [UID] ...` for the return options `opts`
    /// (empty means ALL, RFC 4731 §3.1): MIN, MAX and ALL only when
    /// something matched, COUNT always, and MODSEQ per RFC 4731 §3.2 when
    /// the search used MODSEQ. SAVE and unknown options add nothing.
    #[must_use]
    pub fn to_esearch(
        &self,
        tag: Option<&str>,
        uid: bool,
        opts: &[SearchReturnOption<'_>],
    ) -> Data<'static> {
        let want = |o: &SearchReturnOption<'_>| opts.iter().any(|x| x == o);
        let (min, max, count) = (
            want(&SearchReturnOption::Min),
            want(&SearchReturnOption::Max),
            want(&SearchReturnOption::Count),
        );
        let all = opts.is_empty() || want(&SearchReturnOption::All);
        let mut sorted: Vec<&Hit> = self.hits.iter().collect();
        sorted.sort_unstable_by_key(|h| if uid { h.uid } else { h.seq });
        let id = |h: &Hit| if uid { h.uid } else { h.seq };
        let mut items = Vec::new();
        if let (true, Some(h)) = (min, sorted.first()) {
            items.push(EsearchItem::Min(id(h)));
        }
        if let (true, Some(h)) = (max, sorted.last()) {
            items.push(EsearchItem::Max(id(h)));
        }
        if all {
            let ids: Vec<u32> = sorted.iter().map(|h| id(h)).collect();
            if let Some(set) = compact_set(&ids) {
                items.push(EsearchItem::All(set));
            }
        }
        if count {
            items.push(EsearchItem::Count(
                u32::try_from(sorted.len()).unwrap_or(u32::MAX),
            ));
        }
        if self.modseq_requested && !sorted.is_empty() {
            let m = if (min || max) && !all && !count {
                let mut m = 0;
                if let (true, Some(h)) = (min, sorted.first()) {
                    m = m.max(h.modseq);
                }
                if let (true, Some(h)) = (max, sorted.last()) {
                    m = m.max(h.modseq);
                }
                m
            } else {
                sorted.iter().map(|h| h.modseq).max().unwrap_or(0)
            };
            items.push(EsearchItem::ModSeq(m));
        }
        Data::Esearch(Esearch {
            tag: tag.and_then(|t| IString::new(t.as_bytes().to_vec()).ok()),
            uid,
            items,
        })
    }

    /// The untagged answer to `SEARCH`/`UID SEARCH`: `* SEARCH` without a
    /// RETURN clause, `* ESEARCH` with one, nothing for `RETURN (SAVE)`
    /// alone (RFC 5182 §2.1).
    #[must_use]
    pub fn response(
        &self,
        tag: Option<&str>,
        uid: bool,
        return_opts: Option<&[SearchReturnOption<'_>]>,
    ) -> Option<Data<'static>> {
        match return_opts {
            None => Some(self.to_search(uid)),
            Some([SearchReturnOption::Save]) => None,
            Some(opts) => Some(self.to_esearch(tag, uid, opts)),
        }
    }

    /// The UIDs `RETURN (SAVE ...)` saves for `$` (RFC 5182 §2.1): only the
    /// MIN and/or MAX message when those are the only other options, else
    /// every match.
    #[must_use]
    pub fn saved_uids(&self, opts: &[SearchReturnOption<'_>]) -> Vec<u32> {
        let uids = self.ids(true);
        let others: Vec<&SearchReturnOption<'_>> = opts
            .iter()
            .filter(|o| **o != SearchReturnOption::Save)
            .collect();
        let min = others.contains(&&SearchReturnOption::Min);
        let max = others.contains(&&SearchReturnOption::Max);
        let only_min_max = !others.is_empty()
            && others
                .iter()
                .all(|o| matches!(o, SearchReturnOption::Min | SearchReturnOption::Max));
        if !only_min_max {
            return uids;
        }
        let mut v = Vec::new();
        if let (true, Some(&f)) = (min, uids.first()) {
            v.push(f);
        }
        if let (true, Some(&l)) = (max, uids.last())
            && v.last() != Some(&l)
        {
            v.push(l);
        }
        v
    }
}

/// The shortest sequence set for ascending, distinct `ids` (`2,10:11`);
/// `None` when there are none. Zeros are skipped.
#[must_use]
pub fn compact_set(ids: &[u32]) -> Option<SequenceSet> {
    let mut items: Vec<SeqItem> = Vec::new();
    let mut run: Option<(NonZeroU32, NonZeroU32)> = None;
    let push = |items: &mut Vec<SeqItem>, (a, b): (NonZeroU32, NonZeroU32)| {
        items.push(if a == b {
            SeqItem::Single(SeqNumber::Value(a))
        } else {
            SeqItem::Range(SeqNumber::Value(a), SeqNumber::Value(b))
        });
    };
    for &id in ids {
        let Some(n) = NonZeroU32::new(id) else {
            continue;
        };
        run = match run {
            Some((a, b)) if b.get().checked_add(1) == Some(n.get()) => Some((a, n)),
            Some((_, b)) if b >= n => run,
            Some(r) => {
                push(&mut items, r);
                Some((n, n))
            }
            None => Some((n, n)),
        };
    }
    if let Some(r) = run {
        push(&mut items, r);
    }
    Vec1::new(items).map(SequenceSet::Items)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn quick_type_agrees_with_the_parser() {
        for ct in [
            "text/plain",
            "TEXT/HTML; charset=UTF-8",
            "text/plain; charset=\"iso-8859-1\"",
            "text/plain;charset=us-ascii; format=flowed",
            "text/plain; format=flowed; Charset = koi8-r ",
            "application/pdf; name=x.pdf",
            "image/png",
            "message/delivery-status",
            "text/plain; charset*=utf-8''x",
            "text/plain (comment); charset=utf-8",
            "garbage",
            "text/plain; charset=a; charset=b",
            "multipart/mixed; boundary=\"x;charset=y\"",
            "text/plain; name=\"a;charset=b\"; charset=utf-8",
            "text/plain; charset=\"utf-8\"; name=\"q\"",
        ] {
            let raw = format!("Content-Type: {ct}\r\n\r\nx\r\n");
            let msg = mailwire_mime::Message::parse(raw.as_bytes()).unwrap();
            let part = msg.root();
            let parsed = part.content_type();
            let main = parsed.main_type();
            let want_text = main == "text" || main == "message";
            if let Some((is_text, cs)) = quick_type(&part) {
                assert_eq!(is_text, want_text, "{ct}");
                assert_eq!(
                    cs.map(|c| String::from_utf8_lossy(c).to_ascii_lowercase()),
                    parsed.charset().map(str::to_ascii_lowercase),
                    "{ct}"
                );
            }
        }
    }
}
