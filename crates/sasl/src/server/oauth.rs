//! XOAUTH2 and OAUTHBEARER (RFC 7628).

use super::{Answer, Config, Mech, Outcome, Request, Step, utf8};
use crate::scram::{CbFlag, parse_gs2_header};
use crate::{Error, Mechanism, Secret};

/// The JSON error document a server sends (as a challenge) when it rejects
/// an OAuth token (RFC 7628 §3.2.2; XOAUTH2 uses the same shape).
///
/// ```
/// use mailwire_sasl::server::OAuthError;
/// let e = OAuthError::new("invalid_token").with_scope("https://mail.example.com/");
/// assert_eq!(e.to_json(), r#"{"status":"invalid_token","scope":"https://mail.example.com/"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    status: String,
    schemes: Option<String>,
    scope: Option<String>,
    openid_configuration: Option<String>,
}

impl Default for OAuthError {
    fn default() -> Self {
        Self::new("invalid_token")
    }
}

impl OAuthError {
    /// An error with this `status` (an OAuth error code such as
    /// `invalid_token`, `insufficient_scope`; XOAUTH2 servers often use
    /// HTTP codes like `401`).
    #[must_use]
    pub fn new(status: impl Into<String>) -> Self {
        Self {
            status: status.into(),
            schemes: None,
            scope: None,
            openid_configuration: None,
        }
    }

    /// Adds the `scope` the client should request.
    #[must_use]
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Adds the `openid-configuration` discovery URL.
    #[must_use]
    pub fn with_openid_configuration(mut self, url: impl Into<String>) -> Self {
        self.openid_configuration = Some(url.into());
        self
    }

    /// Adds `schemes` (e.g. `"bearer"`).
    #[must_use]
    pub fn with_schemes(mut self, schemes: impl Into<String>) -> Self {
        self.schemes = Some(schemes.into());
        self
    }

    /// The status.
    #[must_use]
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The JSON document.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        let mut field = |name: &str, value: &str| {
            if out.len() > 1 {
                out.push(',');
            }
            json_string(&mut out, name);
            out.push(':');
            json_string(&mut out, value);
        };
        field("status", &self.status);
        if let Some(s) = &self.schemes {
            field("schemes", s);
        }
        if let Some(s) = &self.scope {
            field("scope", s);
        }
        if let Some(s) = &self.openid_configuration {
            field("openid-configuration", s);
        }
        out.push('}');
        out
    }
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A parsed client response.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TokenMessage {
    pub(crate) user: Option<String>,
    /// `None` when `auth=` is empty or not a Bearer token: the client asks
    /// for discovery information (RFC 7628 §4.3).
    pub(crate) token: Option<Secret>,
    pub(crate) host: Option<String>,
    pub(crate) port: Option<u16>,
}

const KVSEP: u8 = 0x01;

/// Parses `*kvpair kvsep` (RFC 7628 §3.1) starting at `base` in the
/// message: `key = 1*ALPHA`, `value = *(VCHAR / SP / HTAB / CR / LF)`.
fn parse_kvpairs(m: Mechanism, s: &str, base: usize) -> Result<Vec<(&str, &str)>, Error> {
    let mut pairs = Vec::new();
    let mut rest = s;
    let mut at = base;
    loop {
        let Some(end) = rest.bytes().position(|b| b == KVSEP) else {
            return Err(Error::malformed(
                m,
                at + rest.len(),
                "expected kvsep (0x01)",
            ));
        };
        let pair = &rest[..end];
        if pair.is_empty() {
            if end + 1 != rest.len() {
                return Err(Error::malformed(m, at + 1, "data after the final kvsep"));
            }
            return Ok(pairs);
        }
        let Some(eq) = pair.find('=') else {
            return Err(Error::malformed(m, at, "expected key \"=\" value"));
        };
        let (key, value) = (&pair[..eq], &pair[eq + 1..]);
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Error::malformed(m, at, "key must be 1*ALPHA"));
        }
        if let Some(i) = value
            .bytes()
            .position(|b| !(b.is_ascii_graphic() || matches!(b, b' ' | b'\t' | b'\r' | b'\n')))
        {
            return Err(Error::malformed(
                m,
                at + eq + 1 + i,
                "value must be VCHAR / SP / HTAB / CR / LF",
            ));
        }
        if pairs.iter().any(|(k, _)| *k == key) {
            return Err(Error::malformed(m, at, "duplicate key"));
        }
        pairs.push((key, value));
        at += end + 1;
        rest = &rest[end + 1..];
    }
}

/// `auth = "Bearer" 1*SP b64token` (RFC 6750 §2.1), scheme case-insensitive.
fn bearer(value: &str) -> Option<Secret> {
    let scheme = value.get(..6)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = value[6..].strip_prefix(' ')?.trim_start_matches(' ');
    let b64token = |b: u8| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b);
    let body = token.trim_end_matches('=');
    (!body.is_empty() && body.bytes().all(b64token)).then(|| Secret::from(token))
}

/// Parses an OAUTHBEARER client response (`gs2-header kvsep *kvpair
/// kvsep`, RFC 7628 §3.1).
pub(crate) fn parse_oauthbearer(input: &[u8]) -> Result<TokenMessage, Error> {
    const M: Mechanism = Mechanism::OAuthBearer;
    let s = utf8(M, input, 0)?;
    let header = parse_gs2_header(M, s)?;
    if let CbFlag::Used(_) = header.flag {
        return Err(Error::ChannelBindingFlag {
            reason: "oauthbearer does not support channel binding",
        });
    }
    let rest = &s[header.text.len()..];
    let Some(rest) = rest.strip_prefix('\u{1}') else {
        return Err(Error::malformed(
            M,
            header.text.len(),
            "expected kvsep after gs2-header",
        ));
    };
    let pairs = parse_kvpairs(M, rest, header.text.len() + 1)?;
    let find = |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let Some(auth) = find("auth") else {
        return Err(Error::malformed(M, s.len(), "missing auth key"));
    };
    let port = match find("port") {
        None => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && !p.starts_with('0') && p.bytes().all(|b| b.is_ascii_digit()) => {
                Some(n)
            }
            _ => {
                return Err(Error::malformed(
                    M,
                    0,
                    "port must be a decimal 1..=65535 without leading zeros",
                ));
            }
        },
    };
    Ok(TokenMessage {
        user: header.authzid,
        token: bearer(auth),
        host: find("host").map(str::to_owned),
        port,
    })
}

/// Parses an XOAUTH2 client response:
/// `"user=" user 0x01 "auth=Bearer " token 0x01 0x01`.
pub(crate) fn parse_xoauth2(input: &[u8]) -> Result<TokenMessage, Error> {
    const M: Mechanism = Mechanism::XOAuth2;
    let s = utf8(M, input, 0)?;
    let pairs = parse_kvpairs(M, s, 0)?;
    let find = |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let Some(user) = find("user").filter(|u| !u.is_empty()) else {
        return Err(Error::malformed(M, 0, "missing user key"));
    };
    let Some(auth) = find("auth") else {
        return Err(Error::malformed(M, s.len(), "missing auth key"));
    };
    Ok(TokenMessage {
        user: Some(user.to_owned()),
        token: bearer(auth),
        host: None,
        port: None,
    })
}

#[derive(Debug)]
enum State {
    Initial,
    Pending(Option<String>),
    ErrorSent(String),
    Done,
}

#[derive(Debug)]
pub(super) struct OAuth {
    mechanism: Mechanism,
    state: State,
}

impl OAuth {
    pub(super) fn new(mechanism: Mechanism) -> Self {
        Self {
            mechanism,
            state: State::Initial,
        }
    }

    fn reject(&mut self, error: &OAuthError) -> Step {
        let json = error.to_json();
        let challenge = json.as_bytes().to_vec();
        self.state = State::ErrorSent(json);
        Step::Challenge(challenge)
    }
}

impl Mech for OAuth {
    fn start(&mut self, _: &Config) -> Step {
        Step::Challenge(Vec::new())
    }

    fn step(&mut self, config: &Config, input: &[u8]) -> Step {
        match core::mem::replace(&mut self.state, State::Done) {
            State::Initial => {}
            State::ErrorSent(json) => {
                // RFC 7628 §3.2.3: the client's dummy response (0x01; XOAUTH2
                // clients send an empty one) ends the exchange with failure.
                return Step::Failure(Error::TokenRejected(json));
            }
            State::Pending(_) | State::Done => {
                return Step::Failure(Error::InvalidState("oauth: unexpected response"));
            }
        }
        if self.mechanism == Mechanism::OAuthBearer && input == [KVSEP] {
            return Step::Failure(Error::malformed(
                self.mechanism,
                0,
                "dummy response outside an error sequence",
            ));
        }
        let parsed = if self.mechanism == Mechanism::XOAuth2 {
            parse_xoauth2(input)
        } else {
            parse_oauthbearer(input)
        };
        match parsed {
            Ok(TokenMessage {
                user,
                token: Some(token),
                host,
                port,
            }) => {
                self.state = State::Pending(user.clone());
                Step::Need(Request::VerifyToken {
                    user,
                    token,
                    host,
                    port,
                })
            }
            Ok(TokenMessage { token: None, .. }) => self.reject(&config.oauth_error),
            Err(e) => Step::Failure(e),
        }
    }

    fn answer(&mut self, config: &Config, answer: Answer) -> Step {
        let State::Pending(user) = core::mem::replace(&mut self.state, State::Done) else {
            return Step::Failure(Error::InvalidState("no pending token request"));
        };
        match answer {
            Answer::Accept => match user {
                Some(u) => Step::Success(Outcome::new(u, None)),
                None => Step::Failure(Error::InvalidState(
                    "token without user needs Answer::AcceptAs(identity)",
                )),
            },
            Answer::AcceptAs(identity) => {
                let authzid = user.filter(|u| *u != identity);
                Step::Success(Outcome::new(identity, authzid))
            }
            Answer::Reject => self.reject(&config.oauth_error),
            Answer::TokenRejected(e) => self.reject(&e),
            _ => Step::Failure(Error::InvalidState(
                "VerifyToken takes Accept, AcceptAs, Reject or TokenRejected",
            )),
        }
    }
}
