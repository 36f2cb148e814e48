//! EHLO keywords (RFC 5321 §4.1.1.1) as a typed capability set.

use std::fmt;

use crate::reply::{
    DEFAULT_MAX_REPLY_LINE, DEFAULT_MAX_REPLY_LINES, Reply, ReplyCode, ReplyError, walk_lines,
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
        let mut it = Words(line);
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
        let kind = keyword_kind(kw);
        Some(match kind {
            Some(Kw::Size) if at_most_one => match first {
                None => Capability::Size(None),
                Some(n) => Capability::Size(Some(n.parse().ok()?)),
            },
            Some(Kw::Auth) => Capability::Auth(params.map(str::to_ascii_uppercase).collect()),
            Some(Kw::Pipelining) if no_params => Capability::Pipelining,
            Some(Kw::EightBitMime) if no_params => Capability::EightBitMime,
            Some(Kw::StartTls) if no_params => Capability::StartTls,
            Some(Kw::EnhancedStatusCodes) if no_params => Capability::EnhancedStatusCodes,
            Some(Kw::SmtpUtf8) if no_params => Capability::SmtpUtf8,
            Some(Kw::Chunking) if no_params => Capability::Chunking,
            Some(Kw::BinaryMime) if no_params => Capability::BinaryMime,
            Some(Kw::Dsn) if no_params => Capability::Dsn,
            Some(Kw::RequireTls) if no_params => Capability::RequireTls,
            Some(Kw::Help) if no_params => Capability::Help,
            Some(Kw::MtPriority) if at_most_one => {
                Capability::MtPriority(first.map(str::to_string))
            }
            Some(Kw::FutureRelease) => {
                Capability::FutureRelease(params.map(str::to_string).collect())
            }
            Some(Kw::DeliverBy) if at_most_one => match first {
                None => Capability::DeliverBy(None),
                Some(n) => Capability::DeliverBy(Some(n.parse().ok()?)),
            },
            _ => Capability::Unknown {
                keyword: kw.to_string(),
                params: params.map(str::to_string).collect(),
            },
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

/// Known EHLO keywords, matched case-insensitively in place (no upper-cased
/// copy).
#[derive(Clone, Copy)]
enum Kw {
    Size,
    Auth,
    Pipelining,
    EightBitMime,
    StartTls,
    EnhancedStatusCodes,
    SmtpUtf8,
    Chunking,
    BinaryMime,
    Dsn,
    RequireTls,
    Help,
    MtPriority,
    FutureRelease,
    DeliverBy,
}

/// Finds a known keyword: one case-insensitive comparison, picked by length
/// and first letter.
fn keyword_kind(kw: &str) -> Option<Kw> {
    let b = kw.as_bytes();
    let (name, kind) = match (b.len(), b.first()?.to_ascii_uppercase()) {
        (3, b'D') => ("DSN", Kw::Dsn),
        (4, b'S') => ("SIZE", Kw::Size),
        (4, b'A') => ("AUTH", Kw::Auth),
        (4, b'H') => ("HELP", Kw::Help),
        (8, b'8') => ("8BITMIME", Kw::EightBitMime),
        (8, b'S') if b.get(1).is_some_and(|c| c.eq_ignore_ascii_case(&b'T')) => {
            ("STARTTLS", Kw::StartTls)
        }
        (8, b'S') => ("SMTPUTF8", Kw::SmtpUtf8),
        (8, b'C') => ("CHUNKING", Kw::Chunking),
        (9, b'D') => ("DELIVERBY", Kw::DeliverBy),
        (10, b'P') => ("PIPELINING", Kw::Pipelining),
        (10, b'B') => ("BINARYMIME", Kw::BinaryMime),
        (10, b'R') => ("REQUIRETLS", Kw::RequireTls),
        (11, b'M') => ("MT-PRIORITY", Kw::MtPriority),
        (13, b'F') => ("FUTURERELEASE", Kw::FutureRelease),
        (19, b'E') => ("ENHANCEDSTATUSCODES", Kw::EnhancedStatusCodes),
        _ => return None,
    };
    name.eq_ignore_ascii_case(kw).then_some(kind)
}

/// The space-separated words of an ehlo-line, empty words skipped (what
/// `split(' ').filter(|s| !s.is_empty())` yields, without the char searcher).
#[derive(Clone, Copy)]
struct Words<'a>(&'a str);

impl<'a> Iterator for Words<'a> {
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
fn text_str<'t>(input: &[u8], valid: &'t str, text: &'t [u8]) -> std::borrow::Cow<'t, str> {
    let off = (text.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
    match valid.get(off..off.saturating_add(text.len())) {
        Some(t) if t.as_ptr() == text.as_ptr() => std::borrow::Cow::Borrowed(t),
        _ => lossy(text),
    }
}

/// UTF-8 text as is, or with replacement characters (as [`Reply`] stores it).
fn lossy(text: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(text) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(text),
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
