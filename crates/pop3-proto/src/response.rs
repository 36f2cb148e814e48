//! Responses: `+OK` / `-ERR` status lines with RFC 2449 response codes,
//! the APOP greeting timestamp, SASL continuations (RFC 5034) and the typed
//! contents of STAT, LIST and UIDL answers.

use std::borrow::Cow;
use std::fmt;

use bytes::BufMut;

use crate::error::ParseError;

/// The status indicator of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// `+OK`
    Ok,
    /// `-ERR`
    Err,
}

impl Status {
    /// The wire form.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "+OK",
            Self::Err => "-ERR",
        }
    }
}

/// An extended response code (RFC 2449 section 8, RFC 3206, RFC 6856).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseCode<'a> {
    /// `[IN-USE]`: the maildrop is locked by another session (RFC 2449 8.1.2).
    InUse,
    /// `[LOGIN-DELAY]`: logged in too recently (RFC 2449 8.1.1).
    LoginDelay,
    /// `[SYS/TEMP]`: temporary system failure (RFC 3206).
    SysTemp,
    /// `[SYS/PERM]`: permanent system failure (RFC 3206).
    SysPerm,
    /// `[AUTH]`: the credentials are at fault (RFC 3206).
    Auth,
    /// `[UTF8]`: the message needs UTF-8 mode (RFC 6856 section 5).
    Utf8,
    /// Any other code, as its `resp-level *("/" resp-level)` text.
    Other(Cow<'a, str>),
}

impl ResponseCode<'_> {
    /// Parses the text between the brackets (case-insensitive for the
    /// known codes).
    fn from_text(text: &str) -> ResponseCode<'_> {
        const KNOWN: [(&str, ResponseCode<'static>); 6] = [
            ("IN-USE", ResponseCode::InUse),
            ("LOGIN-DELAY", ResponseCode::LoginDelay),
            ("SYS/TEMP", ResponseCode::SysTemp),
            ("SYS/PERM", ResponseCode::SysPerm),
            ("AUTH", ResponseCode::Auth),
            ("UTF8", ResponseCode::Utf8),
        ];
        for (name, code) in KNOWN {
            if text.eq_ignore_ascii_case(name) {
                return code;
            }
        }
        ResponseCode::Other(Cow::Borrowed(text))
    }

    /// The code's text, without brackets.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::InUse => "IN-USE",
            Self::LoginDelay => "LOGIN-DELAY",
            Self::SysTemp => "SYS/TEMP",
            Self::SysPerm => "SYS/PERM",
            Self::Auth => "AUTH",
            Self::Utf8 => "UTF8",
            Self::Other(s) => s,
        }
    }

    /// Converts to an owned value.
    #[must_use]
    pub fn into_owned(self) -> ResponseCode<'static> {
        match self {
            Self::InUse => ResponseCode::InUse,
            Self::LoginDelay => ResponseCode::LoginDelay,
            Self::SysTemp => ResponseCode::SysTemp,
            Self::SysPerm => ResponseCode::SysPerm,
            Self::Auth => ResponseCode::Auth,
            Self::Utf8 => ResponseCode::Utf8,
            Self::Other(s) => ResponseCode::Other(Cow::Owned(s.into_owned())),
        }
    }
}

/// Whether `s` is a valid `resp-code` body: `resp-level *("/" resp-level)`
/// with `rchar = %x21-2E / %x30-5C / %x5E-7F`.
fn valid_code(s: &str) -> bool {
    !s.is_empty()
        && s.split('/').all(|level| {
            !level.is_empty()
                && level
                    .bytes()
                    .all(|b| (0x21..=0x7f).contains(&b) && b != b'/' && b != b']')
        })
}

/// A single-line response (or the first line of a multi-line one).
///
/// ```
/// use mailwire_pop3_proto::{Response, ResponseCode, Status};
/// let (r, n) = Response::parse(b"-ERR [IN-USE] maildrop locked\r\n").unwrap();
/// assert_eq!(n, 31);
/// assert_eq!(r.status, Status::Err);
/// assert_eq!(r.code, Some(ResponseCode::InUse));
/// assert_eq!(r.text, "maildrop locked");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Response<'a> {
    /// `+OK` or `-ERR`.
    pub status: Status,
    /// The extended response code, if any.
    pub code: Option<ResponseCode<'a>>,
    /// The human-readable text (may be empty).
    pub text: Cow<'a, str>,
}

impl<'a> Response<'a> {
    /// A `+OK` response with text.
    pub fn ok(text: impl Into<Cow<'a, str>>) -> Self {
        Self {
            status: Status::Ok,
            code: None,
            text: text.into(),
        }
    }

    /// An `-ERR` response with text.
    pub fn err(text: impl Into<Cow<'a, str>>) -> Self {
        Self {
            status: Status::Err,
            code: None,
            text: text.into(),
        }
    }

    /// The same response with a response code.
    #[must_use]
    pub fn with_code(mut self, code: ResponseCode<'a>) -> Self {
        self.code = Some(code);
        self
    }

    /// Whether this is `+OK`.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }

    /// Parses one response line, CRLF included; returns the response and
    /// the octets consumed. A bare LF is accepted as line end.
    ///
    /// # Errors
    /// [`ParseError::Incomplete`] without a line end; [`ParseError::Syntax`]
    /// when the line does not start with `+OK` or `-ERR`.
    pub fn parse(input: &'a [u8]) -> Result<(Self, usize), ParseError> {
        let lf = memchr::memchr(b'\n', input).ok_or(ParseError::Incomplete)?;
        let line = &input[..lf];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        Ok((Self::parse_line(line)?, lf + 1))
    }

    /// Parses a response line without its line ending.
    ///
    /// # Errors
    /// [`ParseError::Syntax`] when the line does not start with a status.
    pub fn parse_line(line: &'a [u8]) -> Result<Self, ParseError> {
        let (status, rest) = if line.len() >= 3 && line[..3].eq_ignore_ascii_case(b"+OK") {
            (Status::Ok, &line[3..])
        } else if line.len() >= 4 && line[..4].eq_ignore_ascii_case(b"-ERR") {
            (Status::Err, &line[4..])
        } else {
            return Err(ParseError::Syntax {
                offset: 0,
                expected: "\"+OK\" or \"-ERR\"",
            });
        };
        let skip = line.len() - rest.len();
        let rest = match rest.first() {
            None => &[][..],
            Some(b' ') => &rest[1..],
            Some(_) => {
                return Err(ParseError::Syntax {
                    offset: skip,
                    expected: "SP or CRLF after status",
                });
            }
        };
        let text = String::from_utf8_lossy(rest);
        let (code, text) = split_code(text);
        Ok(Self { status, code, text })
    }

    /// Writes the line, CRLF included. CR and LF in the text are replaced
    /// by spaces so a reply can never inject a second line.
    pub fn write_to<B: BufMut>(&self, out: &mut B) {
        out.put_slice(self.status.as_str().as_bytes());
        if self.code.is_some() || !self.text.is_empty() {
            out.put_u8(b' ');
        }
        if let Some(code) = &self.code {
            out.put_u8(b'[');
            for b in code.as_str().bytes() {
                out.put_u8(if b == b'\r' || b == b'\n' { b' ' } else { b });
            }
            out.put_u8(b']');
            if !self.text.is_empty() {
                out.put_u8(b' ');
            }
        }
        for b in self.text.bytes() {
            out.put_u8(if b == b'\r' || b == b'\n' { b' ' } else { b });
        }
        out.put_slice(b"\r\n");
    }

    /// Converts to an owned value.
    #[must_use]
    pub fn into_owned(self) -> Response<'static> {
        Response {
            status: self.status,
            code: self.code.map(ResponseCode::into_owned),
            text: Cow::Owned(self.text.into_owned()),
        }
    }
}

/// Splits a leading `[resp-code]` off the text. A `[` that does not open a
/// valid code is kept as text.
fn split_code(text: Cow<'_, str>) -> (Option<ResponseCode<'_>>, Cow<'_, str>) {
    let Some(inner) = text.strip_prefix('[') else {
        return (None, text);
    };
    let Some(close) = inner.find(']') else {
        return (None, text);
    };
    if !valid_code(&inner[..close]) {
        return (None, text);
    }
    let code_end = close + 2; // '[' + code + ']'
    let after = text[code_end..]
        .strip_prefix(' ')
        .unwrap_or(&text[code_end..]);
    let after_start = text.len() - after.len();
    match text {
        Cow::Borrowed(s) => (
            Some(ResponseCode::from_text(&s[1..code_end - 1])),
            Cow::Borrowed(&s[after_start..]),
        ),
        Cow::Owned(s) => (
            Some(ResponseCode::from_text(&s[1..code_end - 1]).into_owned()),
            Cow::Owned(s[after_start..].to_owned()),
        ),
    }
}

impl fmt::Display for Response<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut v = Vec::new();
        self.write_to(&mut v);
        v.truncate(v.len() - 2);
        f.write_str(&String::from_utf8_lossy(&v))
    }
}

/// The APOP timestamp (`"<" *VCHAR ">"`, RFC 1939 section 7) in a greeting's
/// text, brackets included.
///
/// ```
/// use mailwire_pop3_proto::response::apop_timestamp;
/// assert_eq!(
///     apop_timestamp("POP3 server ready <1896.697170952@dbc.mtview.ca.us>"),
///     Some("<1896.697170952@dbc.mtview.ca.us>")
/// );
/// assert_eq!(apop_timestamp("ready <no end"), None);
/// ```
#[must_use]
pub fn apop_timestamp(text: &str) -> Option<&str> {
    let start = text.find('<')?;
    let len = text[start..].find('>')?;
    let ts = &text[start..=start + len];
    (ts.len() > 2 && ts.bytes().all(|b| (0x21..=0x7e).contains(&b))).then_some(ts)
}

/// A SASL server challenge line: `"+" SP [base64]` (RFC 5034 section 4).
/// Returns the decoded challenge, or `None` if `line` is not a continuation.
///
/// # Errors
/// [`ParseError::Syntax`] when the line starts with `+ ` but the rest is
/// not strict base64.
pub fn parse_continuation(line: &[u8]) -> Option<Result<Vec<u8>, ParseError>> {
    let rest = if line == b"+" {
        &[][..]
    } else {
        line.strip_prefix(b"+ ")?
    };
    Some(decode_base64(rest).ok_or(ParseError::Syntax {
        offset: 2,
        expected: "base64",
    }))
}

/// Strict base64 (RFC 4648 section 4, padding required).
pub(crate) fn decode_base64(s: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

/// Base64 encoding.
pub(crate) fn encode_base64(s: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn parse_u64(s: &str, offset: usize, expected: &'static str) -> Result<u64, ParseError> {
    if s.is_empty() || s.len() > 19 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::Syntax { offset, expected });
    }
    s.parse()
        .map_err(|_| ParseError::Syntax { offset, expected })
}

/// The answer to STAT: `+OK nn mm` (RFC 1939 section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stat {
    /// Messages in the maildrop (not marked deleted).
    pub count: u32,
    /// Their total size in octets.
    pub size: u64,
}

impl Stat {
    /// Parses the text of a `+OK` STAT response.
    ///
    /// # Errors
    /// [`ParseError::Syntax`] if it is not `count SP size`.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let mut it = text.splitn(3, ' ');
        let count = it.next().unwrap_or("");
        let size = it.next().unwrap_or("");
        let count = parse_u64(count, 0, "message count")?;
        let count = u32::try_from(count).map_err(|_| ParseError::Syntax {
            offset: 0,
            expected: "message count",
        })?;
        let size = parse_u64(
            size,
            text.find(' ').map_or(text.len(), |i| i + 1),
            "size in octets",
        )?;
        Ok(Self { count, size })
    }
}

/// One LIST scan listing: `msg SP size` (RFC 1939 section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScanListing {
    /// Message number (1-based).
    pub msg: u32,
    /// Size in octets.
    pub size: u64,
}

impl ScanListing {
    /// Parses one listing (a LIST body line or the text of `+OK` to `LIST n`).
    ///
    /// # Errors
    /// [`ParseError::Syntax`] if it is not `msg SP size`.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let stat = Stat::parse(text)?;
        if stat.count == 0 {
            return Err(ParseError::Syntax {
                offset: 0,
                expected: "message number",
            });
        }
        Ok(Self {
            msg: stat.count,
            size: stat.size,
        })
    }
}

/// One UIDL listing: `msg SP unique-id` (RFC 1939 section 7).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UidListing {
    /// Message number (1-based).
    pub msg: u32,
    /// Unique id: 1 to 70 characters in `%x21-7E`.
    pub uid: String,
}

impl UidListing {
    /// Parses one listing.
    ///
    /// # Errors
    /// [`ParseError::Syntax`] if it is not `msg SP unique-id`.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let (n, uid) = text.split_once(' ').ok_or(ParseError::Syntax {
            offset: text.len(),
            expected: "SP unique-id",
        })?;
        let msg = parse_u64(n, 0, "message number")?;
        let msg = u32::try_from(msg)
            .ok()
            .filter(|m| *m > 0)
            .ok_or(ParseError::Syntax {
                offset: 0,
                expected: "message number",
            })?;
        if !valid_uid(uid) {
            return Err(ParseError::Syntax {
                offset: n.len() + 1,
                expected: "unique-id (1*70 %x21-7E)",
            });
        }
        Ok(Self {
            msg,
            uid: uid.to_owned(),
        })
    }
}

/// Whether `uid` is a valid unique-id: 1 to 70 octets in `%x21-7E`
/// (RFC 1939 section 7).
#[must_use]
pub fn valid_uid(uid: &str) -> bool {
    (1..=70).contains(&uid.len()) && uid.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn known_answers() {
        let table: &[(&[u8], Status, Option<ResponseCode<'_>>, &str)] = &[
            (b"+OK\r\n", Status::Ok, None, ""),
            (b"+OK \r\n", Status::Ok, None, ""),
            (
                b"+ok dewey POP3 server signing off\r\n",
                Status::Ok,
                None,
                "dewey POP3 server signing off",
            ),
            (
                b"-ERR [SYS/TEMP] try later\r\n",
                Status::Err,
                Some(ResponseCode::SysTemp),
                "try later",
            ),
            (
                b"-ERR [LOGIN-DELAY]\r\n",
                Status::Err,
                Some(ResponseCode::LoginDelay),
                "",
            ),
            (
                b"-ERR [auth] bad\n",
                Status::Err,
                Some(ResponseCode::Auth),
                "bad",
            ),
            (
                b"-ERR [FOO/BAR] x\r\n",
                Status::Err,
                Some(ResponseCode::Other("FOO/BAR".into())),
                "x",
            ),
            (
                b"-ERR [not a code] x\r\n",
                Status::Err,
                None,
                "[not a code] x",
            ),
            (b"-ERR [] x\r\n", Status::Err, None, "[] x"),
            (
                b"-ERR [UTF8]message\r\n",
                Status::Err,
                Some(ResponseCode::Utf8),
                "message",
            ),
        ];
        for (input, status, code, text) in table {
            let (r, n) = Response::parse(input).unwrap();
            assert_eq!(n, input.len());
            assert_eq!(r.status, *status, "{input:?}");
            assert_eq!(&r.code, code, "{input:?}");
            assert_eq!(r.text, *text, "{input:?}");
        }
        assert_eq!(Response::parse(b"+OK"), Err(ParseError::Incomplete));
        assert!(matches!(
            Response::parse(b"OK\r\n"),
            Err(ParseError::Syntax { offset: 0, .. })
        ));
        assert!(matches!(
            Response::parse(b"+OKAY\r\n"),
            Err(ParseError::Syntax { offset: 3, .. })
        ));
    }

    #[test]
    fn write_never_injects_lines() {
        let r = Response::err("a\r\n+OK b");
        assert_eq!(r.to_string(), "-ERR a  +OK b");
        let r = Response::err("busy").with_code(ResponseCode::InUse);
        assert_eq!(r.to_string(), "-ERR [IN-USE] busy");
        let r = Response::err("x").with_code(ResponseCode::Other("A\r\n+OK".into()));
        assert_eq!(r.to_string(), "-ERR [A  +OK] x");
    }

    #[test]
    fn listings() {
        assert_eq!(
            Stat::parse("2 320").unwrap(),
            Stat {
                count: 2,
                size: 320
            }
        );
        assert_eq!(
            Stat::parse("2 320 octets").unwrap(),
            Stat {
                count: 2,
                size: 320
            }
        );
        assert!(Stat::parse("2").is_err());
        assert!(Stat::parse("x 1").is_err());
        assert_eq!(
            ScanListing::parse("1 120").unwrap(),
            ScanListing { msg: 1, size: 120 }
        );
        assert!(ScanListing::parse("0 120").is_err());
        assert_eq!(
            UidListing::parse("2 QhdPYR:00WBw1Ph7x7").unwrap().uid,
            "QhdPYR:00WBw1Ph7x7"
        );
        assert!(UidListing::parse("2 a b").is_err());
        assert!(UidListing::parse(&format!("1 {}", "x".repeat(71))).is_err());
        assert!(UidListing::parse(&format!("1 {}", "x".repeat(70))).is_ok());
    }

    #[test]
    fn continuation() {
        assert_eq!(parse_continuation(b"+ "), Some(Ok(vec![])));
        assert_eq!(parse_continuation(b"+"), Some(Ok(vec![])));
        assert_eq!(parse_continuation(b"+ AAE="), Some(Ok(vec![0, 1])));
        assert!(matches!(parse_continuation(b"+ =AAA"), Some(Err(_))));
        assert!(matches!(parse_continuation(b"+ AAA=BBB"), Some(Err(_))));
        assert_eq!(parse_continuation(b"+OK"), None);
    }
}
