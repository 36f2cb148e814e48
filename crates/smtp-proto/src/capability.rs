//! EHLO keywords (RFC 5321 §4.1.1.1) as a typed capability set.

use std::fmt;

use crate::reply::{Reply, ReplyCode};

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
        let mut it = line.split(' ').filter(|s| !s.is_empty());
        let kw = it.next()?;
        if !kw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return None;
        }
        let params: Vec<&str> = it.collect();
        let mut kb = [0u8; 24];
        let up = crate::param::upper(kw, &mut kb);
        let no_params = params.is_empty();
        Some(match up {
            "SIZE" if params.len() <= 1 => match params.first() {
                None => Capability::Size(None),
                Some(n) => Capability::Size(Some(n.parse().ok()?)),
            },
            "AUTH" => Capability::Auth(params.iter().map(|m| m.to_ascii_uppercase()).collect()),
            "PIPELINING" if no_params => Capability::Pipelining,
            "8BITMIME" if no_params => Capability::EightBitMime,
            "STARTTLS" if no_params => Capability::StartTls,
            "ENHANCEDSTATUSCODES" if no_params => Capability::EnhancedStatusCodes,
            "SMTPUTF8" if no_params => Capability::SmtpUtf8,
            "CHUNKING" if no_params => Capability::Chunking,
            "BINARYMIME" if no_params => Capability::BinaryMime,
            "DSN" if no_params => Capability::Dsn,
            "REQUIRETLS" if no_params => Capability::RequireTls,
            "HELP" if no_params => Capability::Help,
            "MT-PRIORITY" if params.len() <= 1 => {
                Capability::MtPriority(params.first().map(|s| (*s).to_string()))
            }
            "FUTURERELEASE" => {
                Capability::FutureRelease(params.iter().map(|s| (*s).to_string()).collect())
            }
            "DELIVERBY" if params.len() <= 1 => match params.first() {
                None => Capability::DeliverBy(None),
                Some(n) => Capability::DeliverBy(Some(n.parse().ok()?)),
            },
            _ => Capability::Unknown {
                keyword: kw.to_string(),
                params: params.iter().map(|s| (*s).to_string()).collect(),
            },
        })
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
