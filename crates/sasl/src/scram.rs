//! SCRAM pieces shared by client and server (RFC 5802, RFC 7677).

use core::fmt;
use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use crate::{Error, Mechanism, crypto};

/// The hash function of a SCRAM mechanism.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScramHash {
    /// SHA-1 (SCRAM-SHA-1, RFC 5802).
    Sha1,
    /// SHA-256 (SCRAM-SHA-256, RFC 7677).
    Sha256,
}

impl ScramHash {
    /// Output length in bytes (20 or 32).
    #[must_use]
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
        }
    }

    /// The hash of a SCRAM mechanism, `None` for other mechanisms.
    #[must_use]
    pub const fn of(mechanism: Mechanism) -> Option<Self> {
        match mechanism {
            Mechanism::ScramSha1 | Mechanism::ScramSha1Plus => Some(Self::Sha1),
            Mechanism::ScramSha256 | Mechanism::ScramSha256Plus => Some(Self::Sha256),
            _ => None,
        }
    }
}

/// What a SCRAM server stores per user and hash (RFC 5802 §3): salt,
/// iteration count, `StoredKey` and `ServerKey`. `Debug` shows neither
/// key.
///
/// ```
/// use mailwire_sasl::server::{ScramCredentials, ScramHash};
/// let c = ScramCredentials::derive(ScramHash::Sha256, b"pencil", b"salt-1234", 4096);
/// assert_eq!(c.stored_key().len(), 32);
/// assert_eq!(c.iterations(), 4096);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ScramCredentials {
    hash: ScramHash,
    salt: Vec<u8>,
    iterations: u32,
    stored_key: Vec<u8>,
    server_key: Vec<u8>,
}

impl ScramCredentials {
    /// Derives the credentials from a password:
    /// `SaltedPassword = Hi(Normalize(password), salt, i)`,
    /// `StoredKey = H(HMAC(SaltedPassword, "Client Key"))`,
    /// `ServerKey = HMAC(SaltedPassword, "Server Key")`.
    ///
    /// `Normalize` is SASLprep (RFC 4013); a password that is not UTF-8
    /// or that SASLprep rejects (prohibited characters) is used as it is,
    /// as PostgreSQL does. The client side of this crate does the same.
    /// Use at least 4096 iterations (RFC 7677 §4) and a random salt of at
    /// least 16 bytes. An iteration count of 0 is treated as 1.
    #[must_use]
    pub fn derive(hash: ScramHash, password: &[u8], salt: &[u8], iterations: u32) -> Self {
        let iterations = iterations.max(1);
        let salted = crypto::hi(hash, &normalize(password), salt, iterations);
        let keys = Keys::from_salted(hash, &salted);
        Self {
            hash,
            salt: salt.to_vec(),
            iterations,
            stored_key: keys.stored_key,
            server_key: keys.server_key,
        }
    }

    /// Credentials from stored parts (e.g. a Dovecot `{SCRAM-SHA-256}`
    /// entry, decoded).
    ///
    /// # Errors
    /// [`Error::Misconfigured`] if a key has the wrong length for `hash`,
    /// the salt is empty or `iterations` is 0.
    pub fn from_parts(
        hash: ScramHash,
        salt: Vec<u8>,
        iterations: u32,
        stored_key: Vec<u8>,
        server_key: Vec<u8>,
    ) -> Result<Self, Error> {
        if stored_key.len() != hash.output_len()
            || server_key.len() != hash.output_len()
            || salt.is_empty()
            || iterations == 0
        {
            return Err(Error::Misconfigured("valid scram credentials"));
        }
        Ok(Self {
            hash,
            salt,
            iterations,
            stored_key,
            server_key,
        })
    }

    /// The hash function.
    #[must_use]
    pub fn hash(&self) -> ScramHash {
        self.hash
    }

    /// The salt.
    #[must_use]
    pub fn salt(&self) -> &[u8] {
        &self.salt
    }

    /// The iteration count.
    #[must_use]
    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    /// `StoredKey`.
    #[must_use]
    pub fn stored_key(&self) -> &[u8] {
        &self.stored_key
    }

    /// `ServerKey`.
    #[must_use]
    pub fn server_key(&self) -> &[u8] {
        &self.server_key
    }
}

impl fmt::Debug for ScramCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScramCredentials")
            .field("hash", &self.hash)
            .field("iterations", &self.iterations)
            .field("salt_len", &self.salt.len())
            .finish_non_exhaustive()
    }
}

/// Keys derived from a salted password (client side needs `client_key`).
pub(crate) struct Keys {
    pub(crate) client_key: Vec<u8>,
    pub(crate) stored_key: Vec<u8>,
    pub(crate) server_key: Vec<u8>,
}

impl Keys {
    pub(crate) fn from_salted(hash: ScramHash, salted: &[u8]) -> Self {
        let client_key = crypto::hmac(hash, salted, b"Client Key");
        let stored_key = crypto::h(hash, &client_key);
        let server_key = crypto::hmac(hash, salted, b"Server Key");
        Self {
            client_key,
            stored_key,
            server_key,
        }
    }
}

/// `Normalize(str)` of RFC 5802 §2.2: SASLprep (RFC 4013) when the
/// password is UTF-8 and SASLprep accepts it, the bytes unchanged
/// otherwise.
pub(crate) fn normalize(password: &[u8]) -> Cow<'_, [u8]> {
    match core::str::from_utf8(password) {
        Ok(s) if !s.is_ascii() || s.bytes().any(|b| b.is_ascii_control()) => {
            match stringprep::saslprep(s) {
                Ok(Cow::Borrowed(b)) => Cow::Borrowed(b.as_bytes()),
                Ok(Cow::Owned(o)) if !o.is_empty() => Cow::Owned(o.into_bytes()),
                _ => Cow::Borrowed(password),
            }
        }
        _ => Cow::Borrowed(password),
    }
}

/// Escapes a name for `saslname` (RFC 5802 §5.1): `,` → `=2C`, `=` →
/// `=3D`.
pub(crate) fn escape_saslname(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            ',' => out.push_str("=2C"),
            '=' => out.push_str("=3D"),
            c => out.push(c),
        }
    }
    out
}

/// Unescapes a `saslname`: `1*(value-safe-char / "=2C" / "=3D")`.
/// `offset` is where `s` starts in the message, for the error.
pub(crate) fn unescape_saslname(m: Mechanism, s: &str, offset: usize) -> Result<String, Error> {
    if s.is_empty() {
        return Err(Error::malformed(m, offset, "empty saslname"));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['=', '\0']) {
        out.push_str(&rest[..i]);
        let at = offset + (s.len() - rest.len()) + i;
        let tail = &rest[i..];
        if tail.starts_with('\0') {
            return Err(Error::malformed(m, at, "NUL in saslname"));
        } else if tail.starts_with("=2C") {
            out.push(',');
        } else if tail.starts_with("=3D") {
            out.push('=');
        } else {
            return Err(Error::malformed(
                m,
                at,
                "'=' in saslname must be =2C or =3D",
            ));
        }
        rest = &tail[3..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The gs2 channel binding flag (RFC 5802 §7, RFC 5801 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CbFlag<'a> {
    /// `n`: client does not support channel binding.
    No,
    /// `y`: client supports it but thinks the server does not.
    Yes,
    /// `p=cb-name`: client uses channel binding of this type.
    Used(&'a str),
}

/// A parsed gs2 header.
#[derive(Debug)]
pub(crate) struct Gs2Header<'a> {
    pub(crate) flag: CbFlag<'a>,
    pub(crate) authzid: Option<String>,
    /// The header text, including its final `,`.
    pub(crate) text: &'a str,
}

/// Parses `gs2-header = gs2-cbind-flag "," [ authzid ] ","` at the start
/// of `msg`.
pub(crate) fn parse_gs2_header(m: Mechanism, msg: &str) -> Result<Gs2Header<'_>, Error> {
    let Some(c1) = msg.find(',') else {
        return Err(Error::malformed(
            m,
            msg.len(),
            "expected gs2-cbind-flag \",\"",
        ));
    };
    let flag = match &msg[..c1] {
        "n" => CbFlag::No,
        "y" => CbFlag::Yes,
        f => match f.strip_prefix("p=") {
            Some(name)
                if !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') =>
            {
                CbFlag::Used(name)
            }
            _ => {
                return Err(Error::malformed(
                    m,
                    0,
                    "expected gs2-cbind-flag n, y or p=cb-name",
                ));
            }
        },
    };
    let rest = &msg[c1 + 1..];
    let Some(c2) = rest.find(',') else {
        return Err(Error::malformed(
            m,
            msg.len(),
            "expected [authzid] \",\" after gs2-cbind-flag",
        ));
    };
    let authzid = match &rest[..c2] {
        "" => None,
        a => match a.strip_prefix("a=") {
            Some(name) => Some(unescape_saslname(m, name, c1 + 3)?),
            None => {
                return Err(Error::malformed(
                    m,
                    c1 + 1,
                    "expected authzid \"a=\" saslname",
                ));
            }
        },
    };
    let len = c1 + 1 + c2 + 1;
    Ok(Gs2Header {
        flag,
        authzid,
        text: &msg[..len],
    })
}

/// `printable = %x21-2B / %x2D-7E` (nonce characters).
pub(crate) fn is_printable_nonce(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b',')
}

/// Checks an extension attribute `attr-val = ALPHA "=" value`.
pub(crate) fn is_attr_val(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b'=' && !s.contains('\0')
}

/// Decodes standard padded base64 inside a SCRAM attribute.
pub(crate) fn b64(m: Mechanism, s: &str) -> Result<Vec<u8>, Error> {
    B64.decode(s).map_err(|_| Error::BadEncoding {
        mechanism: m,
        what: "base64",
    })
}

/// Encodes standard padded base64.
pub(crate) fn b64_encode(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// Splits `s` at commas, yielding each part with its byte offset.
pub(crate) fn parts(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    s.split(',').map(move |p| {
        let at = offset;
        offset += p.len() + 1;
        (at, p)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    const M: Mechanism = Mechanism::ScramSha256;

    #[test]
    fn saslprep_examples_of_rfc4013() {
        // RFC 4013 §3: "I<U+00AD>X" → "IX", "user" → "user",
        // "<U+00AA>" → "a", "<U+2168>" → "IX"; "<U+0007>" is prohibited
        // (used unchanged here).
        assert_eq!(&*normalize("I\u{AD}X".as_bytes()), b"IX");
        assert_eq!(&*normalize(b"user"), b"user");
        assert_eq!(&*normalize("\u{AA}".as_bytes()), b"a");
        assert_eq!(&*normalize("\u{2168}".as_bytes()), b"IX");
        assert_eq!(&*normalize(b"\x07"), b"\x07");
        assert_eq!(&*normalize(b"\xff\xfe"), b"\xff\xfe");
        // Non-ASCII space is mapped to SPACE.
        assert_eq!(&*normalize("a\u{A0}b".as_bytes()), b"a b");
    }

    #[test]
    fn saslname_escaping_round_trips() {
        for name in ["user", "a,b", "a=b", "=,=,", "ünï"] {
            let e = escape_saslname(name);
            assert!(!e.contains(','));
            assert_eq!(unescape_saslname(M, &e, 0).unwrap(), name);
        }
        assert_eq!(escape_saslname("a,b=c"), "a=2Cb=3Dc");
    }

    #[test]
    fn saslname_rejects_bad_escapes() {
        for bad in ["", "a=2", "a=2c", "=", "a=41", "a\0b"] {
            assert!(unescape_saslname(M, bad, 0).is_err(), "{bad:?}");
        }
        let Err(Error::MalformedMessage { offset, .. }) = unescape_saslname(M, "ab=xx", 10) else {
            panic!()
        };
        assert_eq!(offset, 12);
    }

    #[test]
    fn gs2_headers() {
        let h = parse_gs2_header(M, "n,,n=user,r=abc").unwrap();
        assert_eq!(h.flag, CbFlag::No);
        assert_eq!(h.authzid, None);
        assert_eq!(h.text, "n,,");
        let h = parse_gs2_header(M, "p=tls-exporter,a=admin=2Cx,rest").unwrap();
        assert_eq!(h.flag, CbFlag::Used("tls-exporter"));
        assert_eq!(h.authzid.as_deref(), Some("admin,x"));
        assert_eq!(h.text, "p=tls-exporter,a=admin=2Cx,");
        assert_eq!(parse_gs2_header(M, "y,,").unwrap().flag, CbFlag::Yes);
        for bad in [
            "", "n", "n,", "x,,", "p=,,", "p=a_b,,", "n,u=x,", "F,n,,", "N,,",
        ] {
            assert!(parse_gs2_header(M, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rfc5802_keys() {
        // RFC 5802 §5: user "user", password "pencil", salt
        // QSXCR+Q6sek8bf92, 4096 iterations.
        let salt = b64(M, "QSXCR+Q6sek8bf92").unwrap();
        let c = ScramCredentials::derive(ScramHash::Sha1, b"pencil", &salt, 4096);
        assert_eq!(c.stored_key().len(), 20);
        assert!(!format!("{c:?}").contains("stored"));
    }
}
