//! EHLO keywords (RFC 5321 §4.1.1.1) as a typed capability set.

use std::borrow::Cow;
use std::fmt;

use mailwire_sasl::Mechanism;

use crate::reply::{
    DEFAULT_MAX_REPLY_LINE, DEFAULT_MAX_REPLY_LINES, EnhancedCode, Reply, ReplyCode, ReplyError,
    walk_lines,
};

/// One EHLO keyword with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability {
    /// `SIZE [n]` (RFC 1870); `None` or `Some(0)` means no fixed limit.
    Size(Option<u64>),
    /// `AUTH mech...` (RFC 4954), mechanism names upper-cased.
    Auth(Vec<String>),
    /// `PIPELINING` (RFC 2920).
    Pipelining,
    /// `8BITMIME` (RFC 6152).
    EightBitMime,
    /// `STARTTLS` (RFC 3207).
    StartTls,
    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    EnhancedStatusCodes,
    /// `SMTPUTF8` (RFC 6531).
    SmtpUtf8,
    /// `CHUNKING` (RFC 3030).
    Chunking,
    /// `BINARYMIME` (RFC 3030).
    BinaryMime,
    /// `DSN` (RFC 3461).
    Dsn,
    /// `REQUIRETLS` (RFC 8689).
    RequireTls,
    /// `MT-PRIORITY [profile]` (RFC 6710).
    MtPriority(Option<String>),
    /// `FUTURERELEASE max-interval max-datetime` (RFC 4865), as sent.
    FutureRelease(Vec<String>),
    /// `DELIVERBY [min]` (RFC 2852).
    DeliverBy(Option<u64>),
    /// `HELP`.
    Help,
    /// Any other keyword, preserved with its parameters.
    Unknown {
        /// Keyword as sent.
        keyword: String,
        /// Parameters, split on spaces.
        params: Vec<String>,
    },
}

impl Capability {
    /// Parses one ehlo-line (`keyword *(SP param)`).
    pub fn parse(line: &str) -> Option<Capability> {
        let mut it = StrWords(line);
        let kw = it.next()?;
        if !kw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return None;
        }
        // The parameters, walked lazily: no intermediate Vec.
        let params = it;
        let mut probe = params;
        let first = probe.next();
        let at_most_one = probe.next().is_none();
        let no_params = first.is_none();
        let kind = keyword_kind(kw.as_bytes());
        Some(match kind {
            Some(Keyword::Size) if at_most_one => match first {
                None => Capability::Size(None),
                Some(n) => Capability::Size(Some(n.parse().ok()?)),
            },
            Some(Keyword::Auth) => Capability::Auth(params.map(str::to_ascii_uppercase).collect()),
            Some(Keyword::Pipelining) if no_params => Capability::Pipelining,
            Some(Keyword::EightBitMime) if no_params => Capability::EightBitMime,
            Some(Keyword::StartTls) if no_params => Capability::StartTls,
            Some(Keyword::EnhancedStatusCodes) if no_params => Capability::EnhancedStatusCodes,
            Some(Keyword::SmtpUtf8) if no_params => Capability::SmtpUtf8,
            Some(Keyword::Chunking) if no_params => Capability::Chunking,
            Some(Keyword::BinaryMime) if no_params => Capability::BinaryMime,
            Some(Keyword::Dsn) if no_params => Capability::Dsn,
            Some(Keyword::RequireTls) if no_params => Capability::RequireTls,
            Some(Keyword::Help) if no_params => Capability::Help,
            Some(Keyword::MtPriority) if at_most_one => {
                Capability::MtPriority(first.map(str::to_string))
            }
            Some(Keyword::FutureRelease) => {
                Capability::FutureRelease(params.map(str::to_string).collect())
            }
            Some(Keyword::DeliverBy) if at_most_one => match first {
                None => Capability::DeliverBy(None),
                Some(n) => Capability::DeliverBy(Some(n.parse().ok()?)),
            },
            _ => Capability::Unknown {
                keyword: kw.to_string(),
                params: params.map(str::to_string).collect(),
            },
        })
    }

    /// The known keyword of this entry (`None` for `Unknown`).
    pub fn keyword(&self) -> Option<Keyword> {
        Some(match self {
            Capability::Size(_) => Keyword::Size,
            Capability::Auth(_) => Keyword::Auth,
            Capability::Pipelining => Keyword::Pipelining,
            Capability::EightBitMime => Keyword::EightBitMime,
            Capability::StartTls => Keyword::StartTls,
            Capability::EnhancedStatusCodes => Keyword::EnhancedStatusCodes,
            Capability::SmtpUtf8 => Keyword::SmtpUtf8,
            Capability::Chunking => Keyword::Chunking,
            Capability::BinaryMime => Keyword::BinaryMime,
            Capability::Dsn => Keyword::Dsn,
            Capability::RequireTls => Keyword::RequireTls,
            Capability::MtPriority(_) => Keyword::MtPriority,
            Capability::FutureRelease(_) => Keyword::FutureRelease,
            Capability::DeliverBy(_) => Keyword::DeliverBy,
            Capability::Help => Keyword::Help,
            Capability::Unknown { .. } => return None,
        })
    }

    /// A distinct bit per known keyword (`None` for `Unknown`).
    fn known_bit(&self) -> Option<u32> {
        let n = match self {
            Capability::Size(_) => 0,
            Capability::Auth(_) => 1,
            Capability::Pipelining => 2,
            Capability::EightBitMime => 3,
            Capability::StartTls => 4,
            Capability::EnhancedStatusCodes => 5,
            Capability::SmtpUtf8 => 6,
            Capability::Chunking => 7,
            Capability::BinaryMime => 8,
            Capability::Dsn => 9,
            Capability::RequireTls => 10,
            Capability::MtPriority(_) => 11,
            Capability::FutureRelease(_) => 12,
            Capability::DeliverBy(_) => 13,
            Capability::Help => 14,
            Capability::Unknown { .. } => return None,
        };
        Some(1 << n)
    }

    fn same_kind(&self, other: &Capability) -> bool {
        match (self, other) {
            (Capability::Unknown { keyword: a, .. }, Capability::Unknown { keyword: b, .. }) => {
                a.eq_ignore_ascii_case(b)
            }
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }
}

/// A known EHLO keyword (RFC 5321 §4.1.1.1 and the extensions listed on
/// [`Capability`]), matched case-insensitively in place (no upper-cased
/// copy). The members of a [`KeywordSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Keyword {
    /// `SIZE` (RFC 1870).
    Size,
    /// `AUTH` (RFC 4954).
    Auth,
    /// `PIPELINING` (RFC 2920).
    Pipelining,
    /// `8BITMIME` (RFC 6152).
    EightBitMime,
    /// `STARTTLS` (RFC 3207).
    StartTls,
    /// `ENHANCEDSTATUSCODES` (RFC 2034).
    EnhancedStatusCodes,
    /// `SMTPUTF8` (RFC 6531).
    SmtpUtf8,
    /// `CHUNKING` (RFC 3030).
    Chunking,
    /// `BINARYMIME` (RFC 3030).
    BinaryMime,
    /// `DSN` (RFC 3461).
    Dsn,
    /// `REQUIRETLS` (RFC 8689).
    RequireTls,
    /// `HELP`.
    Help,
    /// `MT-PRIORITY` (RFC 6710).
    MtPriority,
    /// `FUTURERELEASE` (RFC 4865).
    FutureRelease,
    /// `DELIVERBY` (RFC 2852).
    DeliverBy,
}

impl Keyword {
    /// Every keyword, in bit order.
    pub const ALL: [Keyword; 15] = [
        Keyword::Size,
        Keyword::Auth,
        Keyword::Pipelining,
        Keyword::EightBitMime,
        Keyword::StartTls,
        Keyword::EnhancedStatusCodes,
        Keyword::SmtpUtf8,
        Keyword::Chunking,
        Keyword::BinaryMime,
        Keyword::Dsn,
        Keyword::RequireTls,
        Keyword::Help,
        Keyword::MtPriority,
        Keyword::FutureRelease,
        Keyword::DeliverBy,
    ];

    /// The keyword as servers write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Keyword::Size => "SIZE",
            Keyword::Auth => "AUTH",
            Keyword::Pipelining => "PIPELINING",
            Keyword::EightBitMime => "8BITMIME",
            Keyword::StartTls => "STARTTLS",
            Keyword::EnhancedStatusCodes => "ENHANCEDSTATUSCODES",
            Keyword::SmtpUtf8 => "SMTPUTF8",
            Keyword::Chunking => "CHUNKING",
            Keyword::BinaryMime => "BINARYMIME",
            Keyword::Dsn => "DSN",
            Keyword::RequireTls => "REQUIRETLS",
            Keyword::Help => "HELP",
            Keyword::MtPriority => "MT-PRIORITY",
            Keyword::FutureRelease => "FUTURERELEASE",
            Keyword::DeliverBy => "DELIVERBY",
        }
    }

    /// Finds a known keyword, case-insensitively.
    pub fn parse(name: &[u8]) -> Option<Keyword> {
        if name.iter().all(|&b| is_keyword_byte(b)) {
            keyword_kind(name)
        } else {
            None
        }
    }

    const fn bit(self) -> u32 {
        1 << self as u32
    }

    const fn has_digit_or_dash(self) -> bool {
        matches!(
            self,
            Keyword::EightBitMime | Keyword::SmtpUtf8 | Keyword::MtPriority
        )
    }
}

/// A set of [`Keyword`]s: one bit each, `Copy`, no allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeywordSet(u32);

impl KeywordSet {
    /// The empty set.
    pub const fn new() -> KeywordSet {
        KeywordSet(0)
    }
    /// Whether `k` is in the set.
    pub const fn contains(self, k: Keyword) -> bool {
        self.0 & k.bit() != 0
    }
    /// Adds `k`.
    pub fn insert(&mut self, k: Keyword) {
        self.0 |= k.bit();
    }
    /// Removes `k`.
    pub fn remove(&mut self, k: Keyword) {
        self.0 &= !k.bit();
    }
    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The members, in [`Keyword::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Keyword> {
        Keyword::ALL.into_iter().filter(move |k| self.contains(*k))
    }
}

impl FromIterator<Keyword> for KeywordSet {
    fn from_iter<T: IntoIterator<Item = Keyword>>(iter: T) -> Self {
        let mut s = KeywordSet::new();
        for k in iter {
            s.insert(k);
        }
        s
    }
}

/// A set of the SASL mechanisms this workspace implements
/// ([`mailwire_sasl::Mechanism`]): one bit each, `Copy`, no allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MechanismSet(u16);

impl MechanismSet {
    /// The empty set.
    pub const fn new() -> MechanismSet {
        MechanismSet(0)
    }
    fn bit(m: Mechanism) -> u16 {
        Mechanism::ALL
            .iter()
            .position(|x| *x == m)
            .map_or(0, |i| 1 << i)
    }
    /// Whether `m` is in the set.
    pub fn contains(self, m: Mechanism) -> bool {
        self.0 & MechanismSet::bit(m) != 0
    }
    /// Adds `m`.
    pub fn insert(&mut self, m: Mechanism) {
        self.0 |= MechanismSet::bit(m);
    }
    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The members, in [`Mechanism::ALL`] order (strongest first).
    pub fn iter(self) -> impl Iterator<Item = Mechanism> {
        Mechanism::ALL
            .into_iter()
            .filter(move |m| self.contains(*m))
    }
}

/// Finds a known keyword by its case-folded key (one key computation and
/// a few word compares; no per-octet comparison).
fn keyword_kind(b: &[u8]) -> Option<Keyword> {
    if b.is_empty() || b.len() > 24 {
        return None;
    }
    let key = crate::scan::fold_key(b);
    // The candidate from the first folded word by a compare tree (which the
    // branch predictor runs ahead of), not a hash-table load: the table
    // entry's address then does not wait for the key.
    let i = keyword_index(key[0])?;
    let (kind, len, k) = KEYWORD_KEYS.get(i)?;
    (*len == b.len() && crate::scan::keys_eq(k, &key)).then_some(*kind)
}

/// The first folded word of [`Keyword::ALL`]`[i]`.
const fn first_word(i: usize) -> u64 {
    crate::scan::fold_key_const(Keyword::ALL[i].as_str())[0]
}

/// The index into [`KEYWORD_KEYS`] of the keyword whose first folded word
/// is `k0` (unique among the known keywords: checked at compile time
/// below).
fn keyword_index(k0: u64) -> Option<usize> {
    const K: [u64; 15] = {
        let mut t = [0u64; 15];
        let mut i = 0;
        while i < 15 {
            t[i] = first_word(i);
            let mut j = 0;
            while j < i {
                assert!(t[j] != t[i], "keywords share their first word");
                j += 1;
            }
            i += 1;
        }
        t
    };
    // A constant table searched by a loop that unrolls into compares
    // with immediates, which LLVM forms into a switch.
    K.iter().position(|&k| k == k0)
}

/// Each [`Keyword`] with its length and case-folded key.
static KEYWORD_KEYS: [(Keyword, usize, [u64; 3]); 15] = {
    let mut t = [(Keyword::Size, 0, [0u64; 3]); 15];
    let mut i = 0;
    while i < 15 {
        let k = Keyword::ALL[i];
        t[i] = (k, k.as_str().len(), crate::scan::fold_key_const(k.as_str()));
        i += 1;
    }
    t
};

/// The space-separated words of an ehlo-line, empty words skipped (what
/// `split(' ').filter(|s| !s.is_empty())` yields, without the char searcher).
#[derive(Clone, Copy)]
struct Words<'a>(&'a [u8]);

impl<'a> Iterator for Words<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        let start = self.0.iter().position(|&b| b != b' ')?;
        let s = self.0.get(start..).unwrap_or(&[]);
        let end = s.iter().position(|&b| b == b' ').unwrap_or(s.len());
        let (word, rest) = s.split_at(end);
        self.0 = rest;
        Some(word)
    }
}

/// [`Words`] of a `str`.
#[derive(Clone, Copy)]
struct StrWords<'a>(&'a str);

impl<'a> Iterator for StrWords<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        let s = self.0.trim_start_matches(' ');
        if s.is_empty() {
            self.0 = s;
            return None;
        }
        let end = s.bytes().position(|b| b == b' ').unwrap_or(s.len());
        let (word, rest) = s.split_at(end);
        self.0 = rest;
        Some(word)
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Capability::Size(None) => f.write_str("SIZE"),
            Capability::Size(Some(n)) => write!(f, "SIZE {n}"),
            Capability::Auth(m) if m.is_empty() => f.write_str("AUTH"),
            Capability::Auth(m) => write!(f, "AUTH {}", m.join(" ")),
            Capability::Pipelining => f.write_str("PIPELINING"),
            Capability::EightBitMime => f.write_str("8BITMIME"),
            Capability::StartTls => f.write_str("STARTTLS"),
            Capability::EnhancedStatusCodes => f.write_str("ENHANCEDSTATUSCODES"),
            Capability::SmtpUtf8 => f.write_str("SMTPUTF8"),
            Capability::Chunking => f.write_str("CHUNKING"),
            Capability::BinaryMime => f.write_str("BINARYMIME"),
            Capability::Dsn => f.write_str("DSN"),
            Capability::RequireTls => f.write_str("REQUIRETLS"),
            Capability::Help => f.write_str("HELP"),
            Capability::MtPriority(None) => f.write_str("MT-PRIORITY"),
            Capability::MtPriority(Some(p)) => write!(f, "MT-PRIORITY {p}"),
            Capability::FutureRelease(p) if p.is_empty() => f.write_str("FUTURERELEASE"),
            Capability::FutureRelease(p) => write!(f, "FUTURERELEASE {}", p.join(" ")),
            Capability::DeliverBy(None) => f.write_str("DELIVERBY"),
            Capability::DeliverBy(Some(n)) => write!(f, "DELIVERBY {n}"),
            Capability::Unknown { keyword, params } if params.is_empty() => f.write_str(keyword),
            Capability::Unknown { keyword, params } => write!(f, "{keyword} {}", params.join(" ")),
        }
    }
}

/// A set of capabilities (insertion-ordered; one entry per keyword).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Capabilities(Vec<Capability>);

impl Capabilities {
    /// An empty set.
    pub fn new() -> Capabilities {
        Capabilities(Vec::new())
    }
    /// Adds or replaces the entry of the same keyword.
    pub fn insert(&mut self, cap: Capability) {
        match self.0.iter_mut().find(|c| c.same_kind(&cap)) {
            Some(slot) => *slot = cap,
            None => self.0.push(cap),
        }
    }
    /// Removes the entry of the same keyword as `cap`.
    pub fn remove(&mut self, cap: &Capability) {
        self.0.retain(|c| !c.same_kind(cap));
    }
    /// Whether a keyword is present (parameters ignored).
    pub fn contains(&self, cap: &Capability) -> bool {
        self.0.iter().any(|c| c.same_kind(cap))
    }
    /// All entries.
    pub fn iter(&self) -> impl Iterator<Item = &Capability> {
        self.0.iter()
    }
    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `SIZE` limit: `Some(None)` when advertised without a number.
    pub fn size(&self) -> Option<Option<u64>> {
        self.0.iter().find_map(|c| match c {
            Capability::Size(n) => Some(*n),
            _ => None,
        })
    }
    /// Advertised SASL mechanisms (upper-case), empty if no AUTH.
    pub fn auth_mechanisms(&self) -> &[String] {
        self.0
            .iter()
            .find_map(|c| match c {
                Capability::Auth(m) => Some(m.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }
    /// Whether AUTH advertises `mech` (case-insensitive).
    pub fn supports_auth(&self, mech: &str) -> bool {
        self.auth_mechanisms()
            .iter()
            .any(|m| m.eq_ignore_ascii_case(mech))
    }
}

impl FromIterator<Capability> for Capabilities {
    fn from_iter<T: IntoIterator<Item = Capability>>(iter: T) -> Self {
        let mut s = Capabilities::new();
        for c in iter {
            s.insert(c);
        }
        s
    }
}

/// A parsed positive EHLO reply: the server's domain, greeting text and
/// capabilities.
///
/// ```
/// use mailwire_smtp_proto::{Reply, capability::{EhloReply, Capability}};
/// let (r, _) = Reply::parse(b"250-mx.example greets you\r\n250-SIZE 1000\r\n250 AUTH plain LOGIN\r\n").unwrap();
/// let e = EhloReply::from_reply(&r).unwrap();
/// assert_eq!(e.domain, "mx.example");
/// assert_eq!(e.capabilities.size(), Some(Some(1000)));
/// assert!(e.capabilities.supports_auth("PLAIN"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EhloReply {
    /// The server's domain (first word of the first line).
    pub domain: String,
    /// The rest of the first line.
    pub greeting: Option<String>,
    /// The capabilities.
    pub capabilities: Capabilities,
}

impl EhloReply {
    /// Interprets a 250 EHLO reply; `None` for other codes.
    pub fn from_reply(reply: &Reply) -> Option<EhloReply> {
        if reply.code() != ReplyCode::OK {
            return None;
        }
        let mut lines = reply.lines().iter();
        let first = lines.next()?;
        let (domain, greeting) = match first.split_once(' ') {
            Some((d, g)) => (d.to_string(), Some(g.to_string())),
            None => (first.clone(), None),
        };
        let capabilities = lines.filter_map(|l| Capability::parse(l)).collect();
        Some(EhloReply {
            domain,
            greeting,
            capabilities,
        })
    }

    /// Parses a complete EHLO reply straight from the wire, without building
    /// an intermediate [`Reply`]: the same grammar, limits and result as
    /// [`Reply::parse`] followed by [`EhloReply::from_reply`]. Returns the
    /// interpretation (`None` for a complete reply whose code is not 250;
    /// parse it with [`Reply::parse`] to read it) and the bytes consumed.
    ///
    /// ```
    /// use mailwire_smtp_proto::EhloReply;
    /// let wire = b"250-mx.example hi\r\n250-SIZE 1000\r\n250 AUTH plain\r\nNEXT";
    /// let (e, used) = EhloReply::parse(wire).unwrap();
    /// let e = e.unwrap();
    /// assert_eq!(used, wire.len() - 4);
    /// assert_eq!(e.domain, "mx.example");
    /// assert_eq!(e.capabilities.size(), Some(Some(1000)));
    /// assert!(e.capabilities.supports_auth("PLAIN"));
    /// ```
    pub fn parse(input: &[u8]) -> Result<(Option<EhloReply>, usize), ReplyError> {
        EhloReply::parse_with(input, DEFAULT_MAX_REPLY_LINE, DEFAULT_MAX_REPLY_LINES)
    }

    /// [`EhloReply::parse`] with explicit limits, as [`Reply::parse_with`].
    pub fn parse_with(
        input: &[u8],
        max_line: usize,
        max_lines: usize,
    ) -> Result<(Option<EhloReply>, usize), ReplyError> {
        let mut domain = String::new();
        let mut greeting = None;
        let mut caps = Capabilities(Vec::new());
        let mut ok = false;
        // Whole-input UTF-8 check once, instead of one per line.
        let valid = match std::str::from_utf8(input) {
            Ok(v) => v,
            Err(e) => {
                std::str::from_utf8(input.get(..e.valid_up_to()).unwrap_or(&[])).unwrap_or("")
            }
        };
        let mut seen = 0u32;
        let (code, _, used) = walk_lines(input, max_line, max_lines, |i, text| {
            if i == 0 {
                // The code is the same on every line (checked by the walker).
                ok = input.starts_with(b"250");
                if !ok {
                    return;
                }
                let first = text_str(input, valid, text);
                match first.split_once(' ') {
                    Some((d, g)) => {
                        domain = d.to_string();
                        greeting = Some(g.to_string());
                    }
                    None => domain = first.into_owned(),
                }
                caps.0.reserve(16);
            } else if ok && let Some(c) = Capability::parse(&text_str(input, valid, text)) {
                // A known keyword met for the first time cannot replace an
                // entry: append without the linear search of `insert`.
                match c.known_bit() {
                    Some(bit) if seen & bit == 0 => {
                        seen |= bit;
                        caps.0.push(c);
                    }
                    _ => caps.insert(c),
                }
            }
        })?;
        if code != ReplyCode::OK {
            return Ok((None, used));
        }
        Ok((
            Some(EhloReply {
                domain,
                greeting,
                capabilities: caps,
            }),
            used,
        ))
    }

    /// The reply a server sends (250, no enhanced code on EHLO lines).
    pub fn to_reply(&self) -> Reply {
        let mut first = self.domain.clone();
        if let Some(g) = &self.greeting {
            first.push(' ');
            first.push_str(g);
        }
        let lines = std::iter::once(first).chain(self.capabilities.iter().map(ToString::to_string));
        Reply::multiline(ReplyCode::OK, None, lines)
    }
}

/// `text` (a part of `input`) as a `str` borrowed from `valid` (the UTF-8
/// checked prefix of `input`) when it lies inside it, else [`lossy`].
fn text_str<'t>(input: &[u8], valid: &'t str, text: &'t [u8]) -> Cow<'t, str> {
    let off = (text.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
    match valid.get(off..off.saturating_add(text.len())) {
        Some(t) if t.as_ptr() == text.as_ptr() => Cow::Borrowed(t),
        _ => lossy(text),
    }
}

/// UTF-8 text as is, or with replacement characters (as [`Reply`] stores it).
fn lossy(text: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(text) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(text),
    }
}

/// A positive EHLO reply read in place: no allocation for a well-formed
/// reply. The domain, greeting and parameters borrow the input; known
/// keywords are a [`KeywordSet`], known AUTH mechanisms a
/// [`MechanismSet`], `SIZE` and `DELIVERBY` plain numbers. Unknown
/// keywords and unknown mechanism names are read from the input when asked
/// for ([`EhloView::unknown`], [`EhloView::auth_names`]).
///
/// It accepts exactly the input [`EhloReply::parse`] accepts and means the
/// same: [`EhloView::into_owned`] gives that [`EhloReply`] (the owned form,
/// whose types — `Capability::Auth(Vec<String>)`, `domain: String` — need
/// allocations). Parameters that break a keyword's grammar make it unknown,
/// a repeated keyword replaces the earlier one, and a `SIZE` or `DELIVERBY`
/// with a non-numeric parameter is ignored, as in [`Capability::parse`].
///
/// ```
/// use mailwire_smtp_proto::capability::{EhloView, Keyword};
/// use mailwire_sasl::Mechanism;
/// let wire = b"250-mx.example hi\r\n250-SIZE 1000\r\n250-AUTH plain X-TOKEN\r\n250 PIPELINING\r\n";
/// let (e, used) = EhloView::parse(wire).unwrap();
/// let e = e.unwrap();
/// assert_eq!(used, wire.len());
/// assert_eq!(e.domain(), "mx.example");
/// assert_eq!(e.size(), Some(Some(1000)));
/// assert!(e.contains(Keyword::Pipelining));
/// assert!(e.auth().contains(Mechanism::Plain));
/// assert!(e.supports_auth("x-token"));
/// assert_eq!(e.auth_names().collect::<Vec<_>>(), ["plain", "X-TOKEN"]);
/// // The owned form, equal to `EhloReply::parse`'s.
/// assert!(e.into_owned().capabilities.supports_auth("PLAIN"));
/// ```
///
/// A reply longer than 4 GiB (possible only with limits raised that far)
/// is read as far as its first 4 GiB.
#[derive(Clone, PartialEq, Eq)]
pub struct EhloView<'a> {
    // Kept under 128 bytes (parameters as offsets into `raw`, flags in one
    // octet), so returning a view is a few register-width copies rather
    // than a `memcpy` call.
    raw: &'a [u8],
    /// The first line's text; `sp` is the offset of its first space.
    first: Cow<'a, str>,
    size: u64,
    deliver_by: u64,
    auth_params: Span,
    mt_priority: Span,
    future_release: Span,
    sp: u32,
    keywords: KeywordSet,
    enhanced: Option<EnhancedCode>,
    auth: MechanismSet,
    flags: u8,
}

/// `AUTH` names a mechanism this crate does not know.
const AUTH_OTHER: u8 = 1;
/// A keyword is unknown (or breaks its grammar).
const UNKNOWN: u8 = 2;
/// `SIZE` came with a number.
const SIZE_NUMBER: u8 = 4;
/// `DELIVERBY` came with a number.
const DELIVER_BY_NUMBER: u8 = 8;
/// No space on the first line (`sp` value).
const NO_SPACE: u32 = u32::MAX;

/// Where a run of parameters lies in [`EhloView`]'s input (empty: none;
/// a parameter is never empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// `part`, a subslice of `input` within its first 4 GiB.
    fn of(input: &[u8], part: &[u8]) -> Span {
        if part.is_empty() {
            return Span::default();
        }
        let start = (part.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
        Span {
            start: u32::try_from(start).unwrap_or(0),
            len: u32::try_from(part.len()).unwrap_or(0),
        }
    }
    fn get(self, input: &[u8]) -> &[u8] {
        let start = self.start as usize;
        input.get(start..start + self.len as usize).unwrap_or(&[])
    }
}

impl fmt::Debug for EhloView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EhloView")
            .field("domain", &self.domain())
            .field("greeting", &self.greeting())
            .field("keywords", &self.keywords)
            .field("size", &self.size())
            .field("deliver_by", &self.deliver_by())
            .field("auth", &self.auth_names().collect::<Vec<_>>())
            .field("mt_priority", &self.mt_priority())
            .field("future_release", &self.future_release().collect::<Vec<_>>())
            .field("unknown", &(self.flags & UNKNOWN != 0))
            .field("enhanced", &self.enhanced)
            .finish()
    }
}

/// What one ehlo-line is, as [`Capability::parse`] decides it.
enum LineKind<'a> {
    /// Not a capability (no keyword, bad keyword, bad number): ignored.
    Ignored,
    /// A known keyword; `first` is its first parameter.
    Known(Keyword, Option<&'a [u8]>, Words<'a>),
    /// Any other keyword, with its parameters.
    Unknown(&'a [u8], Words<'a>),
}

#[inline(always)]
fn classify(text: &[u8]) -> LineKind<'_> {
    // The keyword: up to the first space (leading spaces skipped, as
    // `Words` does).
    let t = match text.first() {
        None => return LineKind::Ignored,
        Some(b' ') => match text.iter().position(|&b| b != b' ') {
            Some(n) => text.get(n..).unwrap_or(&[]),
            None => return LineKind::Ignored,
        },
        Some(_) => text,
    };
    let n = crate::scan::find_byte(t, b' ').unwrap_or(t.len());
    let (kw, params) = t.split_at(n);
    let valid = |kw: &[u8]| {
        kw.iter()
            .fold(true, |ok, &b| ok & KEYWORD_BYTE[usize::from(b)])
    };
    // A case-folded match with a known keyword made of letters only is
    // exact without the octet check: bit 5 folds only a letter into a
    // letter. Digits and "-" could match control octets, so those keywords
    // (and unknown ones) are checked.
    let Some(k) = keyword_kind(kw) else {
        return if valid(kw) {
            LineKind::Unknown(kw, Words(params))
        } else {
            LineKind::Ignored
        };
    };
    if k.has_digit_or_dash() && !valid(kw) {
        return LineKind::Ignored;
    }
    // Bit tests rather than a `match` (no jump table on the hot path).
    let mut w = Words(params);
    let bit = k.bit();
    if bit & ANY_PARAMS != 0 {
        LineKind::Known(k, None, Words(params))
    } else if bit & ONE_PARAM != 0 {
        let first = w.next();
        if w.next().is_some() {
            LineKind::Unknown(kw, Words(params))
        } else if bit & NUMBER_PARAM != 0 && first.is_some() && number(first).is_none() {
            LineKind::Ignored
        } else {
            LineKind::Known(k, first, Words(params))
        }
    } else if w.next().is_none() {
        LineKind::Known(k, None, Words(params))
    } else {
        LineKind::Unknown(kw, Words(params))
    }
}

/// Keywords with any number of parameters.
const ANY_PARAMS: u32 = Keyword::Auth.bit() | Keyword::FutureRelease.bit();
/// Keywords with at most one parameter.
const ONE_PARAM: u32 = Keyword::Size.bit() | Keyword::DeliverBy.bit() | Keyword::MtPriority.bit();
/// Keywords whose parameter is a number.
const NUMBER_PARAM: u32 = Keyword::Size.bit() | Keyword::DeliverBy.bit();

/// ALPHA / DIGIT / "-": the octets of an ehlo-keyword (RFC 5321 §4.1.1.1).
const fn is_keyword_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// [`is_keyword_byte`] as a table.
static KEYWORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = is_keyword_byte(i as u8);
        i += 1;
    }
    t
};

/// A mechanism of [`Mechanism::ALL`] by name, case-insensitively, by
/// case-folded key. Names are printable, so a printable match is exact
/// ("_" and DEL fold together, and no mechanism name has "_").
fn mechanism(name: &[u8]) -> Option<Mechanism> {
    if name.len() > 24 {
        return None;
    }
    let key = crate::scan::fold_key(name);
    MECHANISM_KEYS
        .iter()
        .find(|(_, len, fk)| *len == name.len() && crate::scan::keys_eq(fk, &key))
        .map(|(m, _, _)| *m)
        .filter(|_| name.iter().all(u8::is_ascii_graphic))
}

/// Each [`Mechanism`] with its length and case-folded key.
static MECHANISM_KEYS: [(Mechanism, usize, [u64; 3]); Mechanism::ALL.len()] = {
    let mut t = [(Mechanism::Plain, 0, [0u64; 3]); Mechanism::ALL.len()];
    let mut i = 0;
    while i < Mechanism::ALL.len() {
        let m = Mechanism::ALL[i];
        t[i] = (m, m.as_str().len(), crate::scan::fold_key_const(m.as_str()));
        i += 1;
    }
    t
};

/// A parameter as `u64::from_str` reads it (optional `+`, digits, no
/// overflow), without the UTF-8 check.
fn number(n: Option<&[u8]>) -> Option<u64> {
    let n = n?;
    let digits = n.strip_prefix(b"+").unwrap_or(n);
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |acc, &b| {
        if b.is_ascii_digit() {
            acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

/// UTF-8 text as is, or with replacement characters.
fn lossy_bytes(text: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(text) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(text),
    }
}

impl<'a> EhloView<'a> {
    /// Parses a complete EHLO reply at the start of `input`, with the
    /// default limits. Returns the view (`None` for a complete reply whose
    /// code is not 250) and the bytes consumed; errors as [`Reply::parse`].
    pub fn parse(input: &'a [u8]) -> Result<(Option<EhloView<'a>>, usize), ReplyError> {
        EhloView::parse_with(input, DEFAULT_MAX_REPLY_LINE, DEFAULT_MAX_REPLY_LINES)
    }

    /// [`EhloView::parse`] with explicit limits, as [`Reply::parse_with`].
    pub fn parse_with(
        input: &'a [u8],
        max_line: usize,
        max_lines: usize,
    ) -> Result<(Option<EhloView<'a>>, usize), ReplyError> {
        let input = input.get(..u32::MAX as usize).unwrap_or(input);
        let mut v = EhloView {
            raw: input,
            first: Cow::Borrowed(""),
            size: 0,
            deliver_by: 0,
            auth_params: Span::default(),
            mt_priority: Span::default(),
            future_release: Span::default(),
            sp: NO_SPACE,
            keywords: KeywordSet::new(),
            enhanced: None,
            auth: MechanismSet::new(),
            flags: 0,
        };
        let ok = input.starts_with(b"250");
        let (code, enhanced, used) = walk_lines(input, max_line, max_lines, |i, text| {
            if !ok {
                return;
            }
            if i == 0 {
                // One UTF-8 check for the line; split on the first space
                // when asked.
                let first = lossy_bytes(text);
                v.sp = crate::scan::find_byte(first.as_bytes(), b' ')
                    .and_then(|sp| u32::try_from(sp).ok())
                    .unwrap_or(NO_SPACE);
                v.first = first;
                return;
            }
            v.line(text);
        })?;
        if code != ReplyCode::OK {
            return Ok((None, used));
        }
        v.raw = input.get(..used).unwrap_or(&[]);
        v.enhanced = enhanced;
        Ok((Some(v), used))
    }

    fn line(&mut self, text: &'a [u8]) {
        match classify(text) {
            LineKind::Ignored => {}
            LineKind::Unknown(..) => self.flags |= UNKNOWN,
            LineKind::Known(k, first, params) => {
                self.keywords.insert(k);
                if k.bit() & (ANY_PARAMS | ONE_PARAM) == 0 {
                    return;
                }
                let number_flag = |n: Option<u64>, flag: u8, flags: &mut u8| {
                    *flags = (*flags & !flag) | if n.is_some() { flag } else { 0 };
                    n.unwrap_or(0)
                };
                match k {
                    Keyword::Size => {
                        self.size = number_flag(number(first), SIZE_NUMBER, &mut self.flags);
                    }
                    Keyword::DeliverBy => {
                        self.deliver_by =
                            number_flag(number(first), DELIVER_BY_NUMBER, &mut self.flags);
                    }
                    Keyword::MtPriority => {
                        self.mt_priority = Span::of(self.raw, first.unwrap_or(&[]));
                    }
                    Keyword::FutureRelease => self.future_release = Span::of(self.raw, params.0),
                    Keyword::Auth => {
                        self.auth = MechanismSet::new();
                        self.flags &= !AUTH_OTHER;
                        self.auth_params = Span::of(self.raw, params.0);
                        for name in params {
                            match mechanism(name) {
                                Some(m) => self.auth.insert(m),
                                None => self.flags |= AUTH_OTHER,
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// The server's domain (first word of the first line).
    pub fn domain(&self) -> &str {
        self.first.get(..self.sp as usize).unwrap_or(&self.first)
    }
    /// The rest of the first line.
    pub fn greeting(&self) -> Option<&str> {
        (self.sp != NO_SPACE).then(|| self.first.get(self.sp as usize + 1..).unwrap_or(""))
    }
    /// The known keywords advertised (with valid parameters).
    pub fn keywords(&self) -> KeywordSet {
        self.keywords
    }
    /// Whether a known keyword is advertised.
    pub fn contains(&self, k: Keyword) -> bool {
        self.keywords.contains(k)
    }
    /// `SIZE` limit: `Some(None)` when advertised without a number, as
    /// [`Capabilities::size`].
    pub fn size(&self) -> Option<Option<u64>> {
        self.contains(Keyword::Size)
            .then_some((self.flags & SIZE_NUMBER != 0).then_some(self.size))
    }
    /// `DELIVERBY` minimum: `Some(None)` when advertised without a number.
    pub fn deliver_by(&self) -> Option<Option<u64>> {
        self.contains(Keyword::DeliverBy)
            .then_some((self.flags & DELIVER_BY_NUMBER != 0).then_some(self.deliver_by))
    }
    /// The `MT-PRIORITY` profile, if advertised with one.
    pub fn mt_priority(&self) -> Option<Cow<'a, str>> {
        let p = self.mt_priority.get(self.raw);
        (!p.is_empty()).then(|| lossy_bytes(p))
    }
    /// The `FUTURERELEASE` parameters as sent.
    pub fn future_release(&self) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        Words(self.future_release.get(self.raw)).map(lossy_bytes)
    }
    /// The advertised AUTH mechanisms this workspace implements.
    pub fn auth(&self) -> MechanismSet {
        self.auth
    }
    /// Every advertised AUTH mechanism name, as sent (case preserved;
    /// [`Capabilities::auth_mechanisms`] gives them upper-cased).
    pub fn auth_names(&self) -> impl Iterator<Item = Cow<'a, str>> + 'a {
        Words(self.auth_params.get(self.raw)).map(lossy_bytes)
    }
    /// Whether AUTH advertises `mech` (case-insensitive), known or not.
    pub fn supports_auth(&self, mech: &str) -> bool {
        if let Some(m) = mechanism(mech.as_bytes()) {
            return self.auth.contains(m);
        }
        self.flags & AUTH_OTHER != 0
            && Words(self.auth_params.get(self.raw))
                .any(|n| lossy_bytes(n).eq_ignore_ascii_case(mech))
    }
    /// Keywords this crate does not know (or known ones whose parameters
    /// break their grammar), with their parameters, in order of first
    /// appearance; a repeated keyword gives its last parameters.
    pub fn unknown(&self) -> impl Iterator<Item = (Cow<'a, str>, Vec<Cow<'a, str>>)> + 'a {
        let lines = self.lines();
        let any = self.flags & UNKNOWN != 0;
        lines
            .clone()
            .enumerate()
            .filter(move |_| any)
            .filter_map(move |(i, text)| {
                let LineKind::Unknown(kw, _) = classify(text) else {
                    return None;
                };
                let same = |t: &[u8]| {
                    matches!(classify(t), LineKind::Unknown(k, _) if k.eq_ignore_ascii_case(kw))
                };
                if lines.clone().take(i).any(same) {
                    return None;
                }
                let last = lines.clone().filter(|t| same(t)).last().unwrap_or(text);
                match classify(last) {
                    LineKind::Unknown(k, params) => {
                        Some((lossy_bytes(k), params.map(lossy_bytes).collect()))
                    }
                    _ => None,
                }
            })
    }

    /// The capability lines (the first line, the greeting, excluded).
    fn lines(&self) -> ReplyLines<'a> {
        let mut l = ReplyLines {
            rest: self.raw,
            enhanced: self.enhanced,
        };
        l.next();
        l
    }

    /// The owned form, equal to what [`EhloReply::parse`] gives for the
    /// same input (capabilities in order, mechanism names upper-cased).
    pub fn into_owned(self) -> EhloReply {
        let mut caps = Capabilities::new();
        for text in self.lines() {
            if let Some(c) = Capability::parse(&lossy_bytes(text)) {
                caps.insert(c);
            }
        }
        EhloReply {
            domain: self.domain().to_string(),
            greeting: self.greeting().map(str::to_string),
            capabilities: caps,
        }
    }
}

/// The text of each line of a reply already checked by `walk_lines`
/// (code, separator and a repeated enhanced code removed, as there).
#[derive(Clone)]
struct ReplyLines<'a> {
    rest: &'a [u8],
    enhanced: Option<EnhancedCode>,
}

impl<'a> Iterator for ReplyLines<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        let lf = memchr::memchr(b'\n', self.rest)?;
        let line = self.rest.get(..lf.saturating_sub(1)).unwrap_or(&[]);
        self.rest = self.rest.get(lf + 1..).unwrap_or(&[]);
        let text = line.get(4..).unwrap_or(&[]);
        Some(match self.enhanced {
            Some(e) => match EnhancedCode::parse_prefix(text) {
                Some((e2, n)) if e2 == e => text.get(n + 1..).unwrap_or(&[]),
                _ => text,
            },
            None => text,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn roundtrip() {
        let caps: Capabilities = [
            Capability::Size(Some(10)),
            Capability::Auth(vec!["PLAIN".into(), "LOGIN".into()]),
            Capability::Pipelining,
            Capability::Unknown {
                keyword: "X-FOO".into(),
                params: vec!["a".into()],
            },
            Capability::DeliverBy(Some(5)),
        ]
        .into_iter()
        .collect();
        let e = EhloReply {
            domain: "d".into(),
            greeting: Some("hi".into()),
            capabilities: caps,
        };
        let (r, _) = Reply::parse(&e.to_reply().to_bytes()).unwrap();
        assert_eq!(EhloReply::from_reply(&r).unwrap(), e);
    }

    #[test]
    fn every_mechanism_and_keyword_is_found() {
        for m in Mechanism::ALL {
            assert_eq!(mechanism(m.as_str().as_bytes()), Some(m));
            assert_eq!(mechanism(m.as_str().to_lowercase().as_bytes()), Some(m));
        }
        assert_eq!(mechanism(b"PLAIM"), None);
        for k in Keyword::ALL {
            assert_eq!(Keyword::parse(k.as_str().as_bytes()), Some(k));
            assert_eq!(
                Keyword::parse(k.as_str().to_lowercase().as_bytes()),
                Some(k)
            );
        }
        assert_eq!(Keyword::parse(b"MT\rPRIORITY"), None);
        assert_eq!(Keyword::parse(b"SIZ\x05"), None);
    }

    #[test]
    fn parse_keywords() {
        assert_eq!(Capability::parse("size"), Some(Capability::Size(None)));
        assert_eq!(Capability::parse("SIZE x"), None);
        assert_eq!(
            Capability::parse("8bitmime"),
            Some(Capability::EightBitMime)
        );
        assert!(matches!(
            Capability::parse("PIPELINING x"),
            Some(Capability::Unknown { .. })
        ));
        assert_eq!(Capability::parse(""), None);
    }
}
