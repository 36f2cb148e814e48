//! SASL mechanism names.

use core::fmt;
use core::str::FromStr;

use crate::Error;

/// A SASL mechanism this crate implements, client and server side.
///
/// Names parse case-insensitively ([RFC 4422 §3.1]); [`Mechanism::as_str`]
/// gives the IANA-registered spelling (upper case), which is also what
/// [`Display`](fmt::Display) prints.
///
/// ```
/// use mailwire_sasl::Mechanism;
/// let m: Mechanism = "scram-sha-256".parse()?;
/// assert_eq!(m, Mechanism::ScramSha256);
/// assert_eq!(m.to_string(), "SCRAM-SHA-256");
/// assert!(Mechanism::parse(b"KERBEROS_V4").is_err());
/// # Ok::<(), mailwire_sasl::Error>(())
/// ```
///
/// [RFC 4422 §3.1]: https://www.rfc-editor.org/rfc/rfc4422#section-3.1
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mechanism {
    /// `PLAIN`, RFC 4616: authzid, authcid and password in one message.
    Plain,
    /// `LOGIN` (draft-murchison-sasl-login): user name and password in two
    /// messages, after `Username:` and `Password:` prompts.
    Login,
    /// `CRAM-MD5`, RFC 2195: HMAC-MD5 over a server challenge. The server
    /// speaks first; no initial response.
    CramMd5,
    /// `SCRAM-SHA-1`, RFC 5802.
    ScramSha1,
    /// `SCRAM-SHA-1-PLUS`, RFC 5802 with TLS channel binding.
    ScramSha1Plus,
    /// `SCRAM-SHA-256`, RFC 7677.
    ScramSha256,
    /// `SCRAM-SHA-256-PLUS`, RFC 7677 with TLS channel binding.
    ScramSha256Plus,
    /// `XOAUTH2` (Google/Microsoft): an OAuth 2.0 bearer token.
    XOAuth2,
    /// `OAUTHBEARER`, RFC 7628: an OAuth 2.0 bearer token.
    OAuthBearer,
    /// `EXTERNAL`, RFC 4422 Appendix A: identity from outside SASL (a TLS
    /// client certificate).
    External,
    /// `ANONYMOUS`, RFC 4505: no identity, only a trace string.
    Anonymous,
}

impl Mechanism {
    /// Every mechanism, strongest first: the order in which servers
    /// advertise and clients prefer them.
    pub const ALL: [Self; 11] = [
        Self::ScramSha256Plus,
        Self::ScramSha1Plus,
        Self::ScramSha256,
        Self::ScramSha1,
        Self::OAuthBearer,
        Self::XOAuth2,
        Self::External,
        Self::CramMd5,
        Self::Plain,
        Self::Login,
        Self::Anonymous,
    ];

    /// The IANA name, upper case (`"SCRAM-SHA-256-PLUS"`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Plain => "PLAIN",
            Self::Login => "LOGIN",
            Self::CramMd5 => "CRAM-MD5",
            Self::ScramSha1 => "SCRAM-SHA-1",
            Self::ScramSha1Plus => "SCRAM-SHA-1-PLUS",
            Self::ScramSha256 => "SCRAM-SHA-256",
            Self::ScramSha256Plus => "SCRAM-SHA-256-PLUS",
            Self::XOAuth2 => "XOAUTH2",
            Self::OAuthBearer => "OAUTHBEARER",
            Self::External => "EXTERNAL",
            Self::Anonymous => "ANONYMOUS",
        }
    }

    /// Parses a mechanism name, case-insensitively, from protocol bytes
    /// (the argument of `AUTH`/`AUTHENTICATE`, an `AUTH=` capability).
    ///
    /// # Errors
    /// [`Error::UnknownMechanism`] for anything else, including names that
    /// are valid SASL names but not implemented here.
    pub fn parse(name: &[u8]) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().as_bytes().eq_ignore_ascii_case(name))
            .ok_or(Error::UnknownMechanism)
    }

    /// `true` for PLAIN and LOGIN, which send the password itself: never
    /// offer them on a connection without TLS.
    #[must_use]
    pub const fn sends_plaintext_password(self) -> bool {
        matches!(self, Self::Plain | Self::Login)
    }

    /// `true` for mechanisms that hand the server a reusable credential
    /// (a password or a bearer token), which TLS must protect: PLAIN,
    /// LOGIN, XOAUTH2, OAUTHBEARER (RFC 7628 §3 requires TLS).
    #[must_use]
    pub const fn requires_tls(self) -> bool {
        matches!(
            self,
            Self::Plain | Self::Login | Self::XOAuth2 | Self::OAuthBearer
        )
    }

    /// `true` for the `-PLUS` variants, which need TLS channel binding data.
    #[must_use]
    pub const fn uses_channel_binding(self) -> bool {
        matches!(self, Self::ScramSha1Plus | Self::ScramSha256Plus)
    }

    /// `true` for the SCRAM family.
    #[must_use]
    pub const fn is_scram(self) -> bool {
        matches!(
            self,
            Self::ScramSha1 | Self::ScramSha1Plus | Self::ScramSha256 | Self::ScramSha256Plus
        )
    }

    /// `false` only for server-first mechanisms (CRAM-MD5), which the
    /// client must not start with an initial response (`AUTH x <ir>`,
    /// SASL-IR).
    #[must_use]
    pub const fn allows_initial_response(self) -> bool {
        !matches!(self, Self::CramMd5)
    }

    pub(crate) const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mechanism {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[test]
    fn names_round_trip_case_insensitively() {
        for m in Mechanism::ALL {
            assert_eq!(Mechanism::parse(m.as_str().as_bytes()).unwrap(), m);
            let lower = m.as_str().to_ascii_lowercase();
            assert_eq!(lower.parse::<Mechanism>().unwrap(), m);
            assert_eq!(m.to_string(), m.as_str());
        }
        assert_eq!(Mechanism::parse(b"Cram-Md5").unwrap(), Mechanism::CramMd5);
    }

    #[test]
    fn unknown_names_are_typed_errors() {
        for bad in [&b""[..], b"GSSAPI", b"PLAIN ", b"SCRAM-SHA-512", b"PLAI"] {
            assert_eq!(Mechanism::parse(bad), Err(Error::UnknownMechanism));
        }
    }

    #[test]
    fn bits_are_distinct() {
        let mut all = 0u16;
        for m in Mechanism::ALL {
            assert_eq!(all & m.bit(), 0);
            all |= m.bit();
        }
        assert_eq!(all.count_ones(), 11);
    }
}
