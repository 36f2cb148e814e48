//! The CAPA response as a typed set (RFC 2449 section 6, RFC 2595, RFC 6856).

use std::fmt;

use bytes::BufMut;

use crate::error::ParseError;

/// The EXPIRE policy (RFC 2449 section 6.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Expire {
    /// `NEVER`: messages are never deleted by the server.
    Never,
    /// Messages may be deleted after this many days.
    Days(u32),
}

/// One capability.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Capability {
    /// `TOP`
    Top,
    /// `USER`
    User,
    /// `SASL mech...`: mechanisms, as sent.
    Sasl(Vec<String>),
    /// `RESP-CODES`
    RespCodes,
    /// `LOGIN-DELAY seconds [USER]`
    LoginDelay {
        /// Minimum seconds between logins.
        seconds: u32,
        /// The value may change per user after login.
        per_user: bool,
    },
    /// `PIPELINING`
    Pipelining,
    /// `EXPIRE policy [USER]`
    Expire {
        /// The policy.
        policy: Expire,
        /// The value may change per user after login.
        per_user: bool,
    },
    /// `UIDL`
    Uidl,
    /// `IMPLEMENTATION text`
    Implementation(String),
    /// `STLS` (RFC 2595 section 4).
    Stls,
    /// `UTF8 [USER]` (RFC 6856 section 2).
    Utf8 {
        /// UTF-8 user names and passwords are accepted.
        user: bool,
    },
    /// `LANG` (RFC 6856 section 3).
    Lang,
    /// Any other capability: tag and parameters, as sent.
    Other {
        /// The capa-tag.
        tag: String,
        /// Its parameters.
        params: Vec<String>,
    },
}

fn num(s: &str, offset: usize, expected: &'static str) -> Result<u32, ParseError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::Syntax { offset, expected });
    }
    s.parse()
        .map_err(|_| ParseError::Syntax { offset, expected })
}

impl Capability {
    /// Parses one capability line (without CRLF):
    /// `capa-tag *(SP param)`, tag case-insensitive.
    ///
    /// # Errors
    /// [`ParseError::Syntax`] for an empty tag, a tag with `.`, or bad
    /// arguments to a known capability.
    pub fn parse(line: &[u8]) -> Result<Self, ParseError> {
        let line = std::str::from_utf8(line).map_err(|e| ParseError::Utf8 {
            offset: e.valid_up_to(),
        })?;
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        if tag.is_empty() || !tag.bytes().all(|b| (0x21..=0x7f).contains(&b) && b != b'.') {
            return Err(ParseError::Syntax {
                offset: 0,
                expected: "capa-tag",
            });
        }
        let params: Vec<&str> = rest.split(' ').filter(|p| !p.is_empty()).collect();
        let off = tag.len() + 1;
        let per_user = |i: usize| -> Result<bool, ParseError> {
            match params.get(i) {
                None => Ok(false),
                Some(p) if p.eq_ignore_ascii_case("USER") && params.len() == i + 1 => Ok(true),
                Some(_) => Err(ParseError::Syntax {
                    offset: off,
                    expected: "\"USER\" or CRLF",
                }),
            }
        };
        let upper = tag.to_ascii_uppercase();
        Ok(match upper.as_str() {
            "TOP" => Self::Top,
            "USER" => Self::User,
            "SASL" => Self::Sasl(params.iter().map(|p| (*p).to_owned()).collect()),
            "RESP-CODES" => Self::RespCodes,
            "PIPELINING" => Self::Pipelining,
            "UIDL" => Self::Uidl,
            "STLS" => Self::Stls,
            "LANG" => Self::Lang,
            "IMPLEMENTATION" => Self::Implementation(rest.to_owned()),
            "LOGIN-DELAY" => Self::LoginDelay {
                seconds: num(
                    params.first().copied().unwrap_or(""),
                    off,
                    "delay in seconds",
                )?,
                per_user: per_user(1)?,
            },
            "EXPIRE" => {
                let p = params.first().copied().unwrap_or("");
                let policy = if p.eq_ignore_ascii_case("NEVER") {
                    Expire::Never
                } else {
                    Expire::Days(num(p, off, "\"NEVER\" or days")?)
                };
                Self::Expire {
                    policy,
                    per_user: per_user(1)?,
                }
            }
            "UTF8" => Self::Utf8 { user: per_user(0)? },
            _ => Self::Other {
                tag: tag.to_owned(),
                params: params.iter().map(|p| (*p).to_owned()).collect(),
            },
        })
    }

    /// Writes the capability line, CRLF included.
    pub fn write_to<B: BufMut>(&self, out: &mut B) {
        out.put_slice(self.to_string().as_bytes());
        out.put_slice(b"\r\n");
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let user = |b: bool| if b { " USER" } else { "" };
        match self {
            Self::Top => f.write_str("TOP"),
            Self::User => f.write_str("USER"),
            Self::Sasl(m) => {
                f.write_str("SASL")?;
                for m in m {
                    write!(f, " {m}")?;
                }
                Ok(())
            }
            Self::RespCodes => f.write_str("RESP-CODES"),
            Self::LoginDelay { seconds, per_user } => {
                write!(f, "LOGIN-DELAY {seconds}{}", user(*per_user))
            }
            Self::Pipelining => f.write_str("PIPELINING"),
            Self::Expire {
                policy: Expire::Never,
                per_user,
            } => write!(f, "EXPIRE NEVER{}", user(*per_user)),
            Self::Expire {
                policy: Expire::Days(d),
                per_user,
            } => write!(f, "EXPIRE {d}{}", user(*per_user)),
            Self::Uidl => f.write_str("UIDL"),
            Self::Implementation(t) => {
                let t: String = t
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                write!(f, "IMPLEMENTATION {t}")
            }
            Self::Stls => f.write_str("STLS"),
            Self::Utf8 { user: u } => write!(f, "UTF8{}", user(*u)),
            Self::Lang => f.write_str("LANG"),
            Self::Other { tag, params } => {
                f.write_str(tag)?;
                for p in params {
                    write!(f, " {p}")?;
                }
                Ok(())
            }
        }
    }
}

/// The set of capabilities from a CAPA response.
///
/// ```
/// use mailwire_pop3_proto::{Capabilities, Capability};
/// let mut caps = Capabilities::new();
/// caps.insert(Capability::Sasl(vec!["PLAIN".into()]));
/// caps.insert(Capability::Pipelining);
/// assert!(caps.pipelining());
/// assert!(caps.sasl_supports("plain"));
/// assert!(!caps.stls());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    items: Vec<Capability>,
}

impl Capabilities {
    /// An empty set.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a capability, replacing one with the same tag.
    pub fn insert(&mut self, cap: Capability) {
        let d = std::mem::discriminant(&cap);
        let same = |c: &Capability| match (c, &cap) {
            (Capability::Other { tag: a, .. }, Capability::Other { tag: b, .. }) => {
                a.eq_ignore_ascii_case(b)
            }
            _ => std::mem::discriminant(c) == d,
        };
        if let Some(slot) = self.items.iter_mut().find(|c| same(c)) {
            *slot = cap;
        } else {
            self.items.push(cap);
        }
    }

    /// Removes every capability matching the predicate.
    pub fn retain(&mut self, f: impl FnMut(&Capability) -> bool) {
        self.items.retain(f);
    }

    /// The capabilities, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Capability> {
        self.items.iter()
    }

    /// Number of capabilities.
    #[must_use]
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn has(&self, c: &Capability) -> bool {
        self.items.contains(c)
    }

    /// `TOP`
    #[must_use]
    pub fn top(&self) -> bool {
        self.has(&Capability::Top)
    }
    /// `USER`
    #[must_use]
    pub fn user(&self) -> bool {
        self.has(&Capability::User)
    }
    /// `STLS`
    #[must_use]
    pub fn stls(&self) -> bool {
        self.has(&Capability::Stls)
    }
    /// `PIPELINING`
    #[must_use]
    pub fn pipelining(&self) -> bool {
        self.has(&Capability::Pipelining)
    }
    /// `UIDL`
    #[must_use]
    pub fn uidl(&self) -> bool {
        self.has(&Capability::Uidl)
    }
    /// `RESP-CODES`
    #[must_use]
    pub fn resp_codes(&self) -> bool {
        self.has(&Capability::RespCodes)
    }
    /// `UTF8`, with whether UTF-8 user names are accepted.
    #[must_use]
    pub fn utf8(&self) -> Option<bool> {
        self.items.iter().find_map(|c| {
            if let Capability::Utf8 { user } = c {
                Some(*user)
            } else {
                None
            }
        })
    }
    /// The SASL mechanisms offered.
    #[must_use]
    pub fn sasl(&self) -> &[String] {
        self.items
            .iter()
            .find_map(|c| {
                if let Capability::Sasl(m) = c {
                    Some(m.as_slice())
                } else {
                    None
                }
            })
            .unwrap_or(&[])
    }
    /// Whether a SASL mechanism is offered (case-insensitive).
    #[must_use]
    pub fn sasl_supports(&self, mechanism: &str) -> bool {
        self.sasl()
            .iter()
            .any(|m| m.eq_ignore_ascii_case(mechanism))
    }
    /// `LOGIN-DELAY` seconds.
    #[must_use]
    pub fn login_delay(&self) -> Option<u32> {
        self.items.iter().find_map(|c| {
            if let Capability::LoginDelay { seconds, .. } = c {
                Some(*seconds)
            } else {
                None
            }
        })
    }
    /// `EXPIRE` policy.
    #[must_use]
    pub fn expire(&self) -> Option<Expire> {
        self.items.iter().find_map(|c| {
            if let Capability::Expire { policy, .. } = c {
                Some(*policy)
            } else {
                None
            }
        })
    }
    /// `IMPLEMENTATION` text.
    #[must_use]
    pub fn implementation(&self) -> Option<&str> {
        self.items.iter().find_map(|c| {
            if let Capability::Implementation(t) = c {
                Some(t.as_str())
            } else {
                None
            }
        })
    }

    /// Writes every capability line (not the status line, not the `.`).
    pub fn write_to<B: BufMut>(&self, out: &mut B) {
        for c in &self.items {
            c.write_to(out);
        }
    }
}

impl FromIterator<Capability> for Capabilities {
    fn from_iter<T: IntoIterator<Item = Capability>>(iter: T) -> Self {
        let mut s = Self::new();
        for c in iter {
            s.insert(c);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rfc2449_example() {
        // RFC 2449 section 5 example.
        let lines = [
            "TOP",
            "USER",
            "SASL CRAM-MD5 KERBEROS_V4",
            "RESP-CODES",
            "LOGIN-DELAY 900",
            "PIPELINING",
            "EXPIRE 60",
            "UIDL",
            "IMPLEMENTATION Shlemazle-Plotz-v302",
        ];
        let caps: Capabilities = lines
            .iter()
            .map(|l| Capability::parse(l.as_bytes()).unwrap())
            .collect();
        assert!(caps.top() && caps.user() && caps.resp_codes() && caps.pipelining() && caps.uidl());
        assert_eq!(caps.sasl(), ["CRAM-MD5", "KERBEROS_V4"]);
        assert_eq!(caps.login_delay(), Some(900));
        assert_eq!(caps.expire(), Some(Expire::Days(60)));
        assert_eq!(caps.implementation(), Some("Shlemazle-Plotz-v302"));
        let mut out = Vec::new();
        caps.write_to(&mut out);
        let expected: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn arguments() {
        assert_eq!(
            Capability::parse(b"expire never user").unwrap(),
            Capability::Expire {
                policy: Expire::Never,
                per_user: true
            }
        );
        assert_eq!(
            Capability::parse(b"UTF8 USER").unwrap(),
            Capability::Utf8 { user: true }
        );
        assert!(Capability::parse(b"LOGIN-DELAY").is_err());
        assert!(Capability::parse(b"LOGIN-DELAY x").is_err());
        assert!(Capability::parse(b"EXPIRE 1 BOGUS").is_err());
        assert!(Capability::parse(b".").is_err());
        assert_eq!(
            Capability::parse(b"X-FOO a b").unwrap(),
            Capability::Other {
                tag: "X-FOO".into(),
                params: vec!["a".into(), "b".into()]
            }
        );
    }
}
