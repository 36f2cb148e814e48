//! Commands: every RFC 1939 command, CAPA (RFC 2449), STLS (RFC 2595), AUTH
//! (RFC 5034) and UTF8 (RFC 6856).

use std::borrow::Cow;

use bytes::BufMut;

use crate::error::ParseError;
use crate::response::{decode_base64, encode_base64};

pub use mailwire_sasl::Secret;

/// A POP3 command. Arguments borrow from the parsed input; use
/// [`Command::into_owned`] to keep one.
///
/// ```
/// use mailwire_pop3_proto::Command;
/// let (cmd, used) = Command::parse(b"top 1 10\r\nQUIT\r\n").unwrap();
/// assert_eq!(cmd, Command::Top { msg: 1, lines: 10 });
/// assert_eq!(used, 10);
/// let mut out = Vec::new();
/// cmd.write_to(&mut out);
/// assert_eq!(out, b"TOP 1 10\r\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command<'a> {
    /// `USER name` (RFC 1939 section 7).
    User {
        /// The mailbox name.
        name: Cow<'a, str>,
    },
    /// `PASS string`: the rest of the line, spaces included (RFC 1939 section 7).
    Pass {
        /// The password.
        password: Secret,
    },
    /// `APOP name digest` (RFC 1939 section 7).
    Apop {
        /// The mailbox name.
        name: Cow<'a, str>,
        /// 32 lower-case hex digits (upper case accepted).
        digest: Cow<'a, str>,
    },
    /// `STAT`
    Stat,
    /// `LIST [msg]`
    List {
        /// One message, or all.
        msg: Option<u32>,
    },
    /// `RETR msg`
    Retr {
        /// Message number.
        msg: u32,
    },
    /// `DELE msg`
    Dele {
        /// Message number.
        msg: u32,
    },
    /// `NOOP`
    Noop,
    /// `RSET`
    Rset,
    /// `QUIT`
    Quit,
    /// `TOP msg n`
    Top {
        /// Message number.
        msg: u32,
        /// Body lines after the header.
        lines: u32,
    },
    /// `UIDL [msg]`
    Uidl {
        /// One message, or all.
        msg: Option<u32>,
    },
    /// `CAPA` (RFC 2449 section 5).
    Capa,
    /// `STLS` (RFC 2595 section 4).
    Stls,
    /// `AUTH mechanism [initial-response]` (RFC 5034 section 4).
    Auth {
        /// The SASL mechanism name, as sent.
        mechanism: Cow<'a, str>,
        /// The decoded initial response (`=` is an empty one).
        initial_response: Option<Secret>,
    },
    /// `UTF8` (RFC 6856 section 2.1).
    Utf8,
}

const MSG: &str = "message number";

/// Up to three space-separated arguments, without allocating.
#[derive(Clone, Copy)]
struct Args<'a> {
    items: [(usize, &'a [u8]); 3],
    len: usize,
}

impl<'a> Args<'a> {
    fn as_slice(&self) -> &[(usize, &'a [u8])] {
        &self.items[..self.len]
    }
}

impl<'a> std::ops::Index<usize> for Args<'a> {
    type Output = (usize, &'a [u8]);
    fn index(&self, i: usize) -> &Self::Output {
        &self.as_slice()[i]
    }
}

fn syntax(offset: usize, expected: &'static str) -> ParseError {
    ParseError::Syntax { offset, expected }
}

/// A positive decimal number fitting in u32.
fn number(
    arg: &[u8],
    offset: usize,
    allow_zero: bool,
    expected: &'static str,
) -> Result<u32, ParseError> {
    if arg.is_empty() || arg.len() > 10 || !arg.iter().all(u8::is_ascii_digit) {
        return Err(syntax(offset, expected));
    }
    let n = arg
        .iter()
        .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
    match u32::try_from(n) {
        Ok(n) if n > 0 || allow_zero => Ok(n),
        _ => Err(syntax(offset, expected)),
    }
}

fn text(arg: &[u8], offset: usize) -> Result<Cow<'_, str>, ParseError> {
    match std::str::from_utf8(arg) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => Err(ParseError::Utf8 {
            offset: offset + e.valid_up_to(),
        }),
    }
}

fn visible(arg: &[u8]) -> bool {
    // VCHAR, plus UTF-8 octets (RFC 6856 section 2.2).
    arg.iter().all(|&b| b > 0x20 && b != 0x7f)
}

impl<'a> Command<'a> {
    /// Parses one command line, CRLF (or bare LF) included; returns the
    /// command and the octets consumed.
    ///
    /// # Errors
    /// [`ParseError::Incomplete`] without a line end, otherwise see
    /// [`Command::parse_line`].
    pub fn parse(input: &'a [u8]) -> Result<(Self, usize), ParseError> {
        let lf = memchr::memchr(b'\n', input).ok_or(ParseError::Incomplete)?;
        let line = &input[..lf];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        Ok((Self::parse_line(line)?, lf + 1))
    }

    /// Parses a command line without its line ending. Keywords are
    /// case-insensitive; arguments are separated by single spaces
    /// (`command = keyword *(SP param)`, RFC 2449 section 3).
    ///
    /// # Errors
    /// [`ParseError::UnknownCommand`], [`ParseError::Syntax`] with the
    /// offset and expected syntax, or [`ParseError::Utf8`].
    pub fn parse_line(line: &'a [u8]) -> Result<Self, ParseError> {
        let kw_end = memchr::memchr(b' ', line).unwrap_or(line.len());
        let keyword = &line[..kw_end];
        if !(3..=4).contains(&keyword.len()) || !visible(keyword) {
            return Err(ParseError::UnknownCommand { offset: 0 });
        }
        let mut kw = [0u8; 4];
        kw[..keyword.len()].copy_from_slice(keyword);
        kw.make_ascii_uppercase();
        let kw = &kw[..keyword.len()];
        let rest_start = (kw_end + 1).min(line.len());
        let rest = &line[rest_start..];
        let has_rest = kw_end < line.len();

        // Split the arguments on single SP.
        let args = || -> Result<Args<'a>, ParseError> {
            let mut v = Args {
                items: [(0, &[][..]); 3],
                len: 0,
            };
            if !has_rest {
                return Ok(v);
            }
            let mut off = rest_start;
            for a in rest.split(|&b| b == b' ') {
                if a.is_empty() || !visible(a) {
                    return Err(syntax(off, "argument (1*VCHAR) after single SP"));
                }
                v.items[v.len] = (off, a);
                v.len += 1;
                if v.len == v.items.len() {
                    // More than any command takes: enough to report it.
                    break;
                }
                off += a.len() + 1;
            }
            Ok(v)
        };
        let end = line.len();
        let exact = |n: usize, expected: &'static str| -> Result<Args<'a>, ParseError> {
            let a = args()?;
            if a.len == n {
                Ok(a)
            } else if a.len > n {
                Err(syntax(a[n].0 - 1, "CRLF"))
            } else {
                Err(syntax(end, expected))
            }
        };
        let optional_msg = || -> Result<Option<u32>, ParseError> {
            let a = args()?;
            match a.as_slice() {
                [] => Ok(None),
                [(o, n)] => number(n, *o, false, MSG).map(Some),
                [_, (o, _), ..] => Err(syntax(o - 1, "CRLF")),
            }
        };
        let one_msg = || -> Result<u32, ParseError> {
            let a = exact(1, "SP message number")?;
            number(a[0].1, a[0].0, false, MSG)
        };
        let no_args = |cmd: Self| -> Result<Self, ParseError> {
            if has_rest {
                Err(syntax(kw_end, "CRLF"))
            } else {
                Ok(cmd)
            }
        };

        match kw {
            b"USER" => {
                let a = exact(1, "SP name")?;
                Ok(Self::User {
                    name: text(a[0].1, a[0].0)?,
                })
            }
            b"PASS" => {
                if !has_rest || rest.is_empty() {
                    return Err(syntax(end, "SP password"));
                }
                if rest.iter().any(|&b| b == 0 || b == b'\r' || b == b'\n') {
                    return Err(syntax(rest_start, "password"));
                }
                Ok(Self::Pass {
                    password: Secret::new(rest),
                })
            }
            b"APOP" => {
                let a = exact(2, "SP name SP digest")?;
                let digest = a[1].1;
                if digest.len() != 32 || !digest.iter().all(u8::is_ascii_hexdigit) {
                    return Err(syntax(a[1].0, "32 hex digits"));
                }
                Ok(Self::Apop {
                    name: text(a[0].1, a[0].0)?,
                    digest: text(digest, a[1].0)?,
                })
            }
            b"STAT" => no_args(Self::Stat),
            b"LIST" => Ok(Self::List {
                msg: optional_msg()?,
            }),
            b"RETR" => Ok(Self::Retr { msg: one_msg()? }),
            b"DELE" => Ok(Self::Dele { msg: one_msg()? }),
            b"NOOP" => no_args(Self::Noop),
            b"RSET" => no_args(Self::Rset),
            b"QUIT" => no_args(Self::Quit),
            b"TOP" => {
                let a = exact(2, "SP message number SP lines")?;
                Ok(Self::Top {
                    msg: number(a[0].1, a[0].0, false, MSG)?,
                    lines: number(a[1].1, a[1].0, true, "number of lines")?,
                })
            }
            b"UIDL" => Ok(Self::Uidl {
                msg: optional_msg()?,
            }),
            b"CAPA" => no_args(Self::Capa),
            b"STLS" => no_args(Self::Stls),
            b"UTF8" => no_args(Self::Utf8),
            b"AUTH" => {
                let a = args()?;
                let (mech, ir) = match a.as_slice() {
                    [] => return Err(syntax(end, "SP mechanism")),
                    [m] => (m, None),
                    [m, ir] => (m, Some(ir)),
                    [_, _, (o, _), ..] => return Err(syntax(o - 1, "CRLF")),
                };
                // sasl-mech = 1*20(UPPER-ALPHA / DIGIT / "-" / "_") (RFC 4422 3.1),
                // case-insensitive here.
                if mech.1.len() > 20
                    || !mech
                        .1
                        .iter()
                        .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                {
                    return Err(syntax(mech.0, "sasl mechanism name"));
                }
                let initial_response = match ir {
                    None => None,
                    Some((_, b"=")) => Some(Secret::default()),
                    Some((o, b)) => Some(Secret::new(
                        decode_base64(b).ok_or(syntax(*o, "base64 or \"=\""))?,
                    )),
                };
                Ok(Self::Auth {
                    mechanism: text(mech.1, mech.0)?,
                    initial_response,
                })
            }
            _ => Err(ParseError::UnknownCommand { offset: 0 }),
        }
    }

    /// The keyword, upper case.
    #[must_use]
    pub fn keyword(&self) -> &'static str {
        match self {
            Self::User { .. } => "USER",
            Self::Pass { .. } => "PASS",
            Self::Apop { .. } => "APOP",
            Self::Stat => "STAT",
            Self::List { .. } => "LIST",
            Self::Retr { .. } => "RETR",
            Self::Dele { .. } => "DELE",
            Self::Noop => "NOOP",
            Self::Rset => "RSET",
            Self::Quit => "QUIT",
            Self::Top { .. } => "TOP",
            Self::Uidl { .. } => "UIDL",
            Self::Capa => "CAPA",
            Self::Stls => "STLS",
            Self::Auth { .. } => "AUTH",
            Self::Utf8 => "UTF8",
        }
    }

    /// Writes the command, CRLF included.
    pub fn write_to<B: BufMut>(&self, out: &mut B) {
        out.put_slice(self.keyword().as_bytes());
        let num = |out: &mut B, n: u32| {
            out.put_u8(b' ');
            out.put_slice(n.to_string().as_bytes());
        };
        match self {
            Self::User { name } => {
                out.put_u8(b' ');
                out.put_slice(name.as_bytes());
            }
            Self::Pass { password } => {
                out.put_u8(b' ');
                out.put_slice(password.expose());
            }
            Self::Apop { name, digest } => {
                out.put_u8(b' ');
                out.put_slice(name.as_bytes());
                out.put_u8(b' ');
                out.put_slice(digest.as_bytes());
            }
            Self::List { msg: Some(m) }
            | Self::Uidl { msg: Some(m) }
            | Self::Retr { msg: m }
            | Self::Dele { msg: m } => {
                num(out, *m);
            }
            Self::Top { msg, lines } => {
                num(out, *msg);
                num(out, *lines);
            }
            Self::Auth {
                mechanism,
                initial_response,
            } => {
                out.put_u8(b' ');
                out.put_slice(mechanism.as_bytes());
                if let Some(ir) = initial_response {
                    out.put_u8(b' ');
                    if ir.is_empty() {
                        out.put_u8(b'=');
                    } else {
                        out.put_slice(encode_base64(ir.expose()).as_bytes());
                    }
                }
            }
            _ => {}
        }
        out.put_slice(b"\r\n");
    }

    /// Converts to an owned value.
    #[must_use]
    pub fn into_owned(self) -> Command<'static> {
        fn own(c: Cow<'_, str>) -> Cow<'static, str> {
            Cow::Owned(c.into_owned())
        }
        match self {
            Self::User { name } => Command::User { name: own(name) },
            Self::Pass { password } => Command::Pass { password },
            Self::Apop { name, digest } => Command::Apop {
                name: own(name),
                digest: own(digest),
            },
            Self::Stat => Command::Stat,
            Self::List { msg } => Command::List { msg },
            Self::Retr { msg } => Command::Retr { msg },
            Self::Dele { msg } => Command::Dele { msg },
            Self::Noop => Command::Noop,
            Self::Rset => Command::Rset,
            Self::Quit => Command::Quit,
            Self::Top { msg, lines } => Command::Top { msg, lines },
            Self::Uidl { msg } => Command::Uidl { msg },
            Self::Capa => Command::Capa,
            Self::Stls => Command::Stls,
            Self::Auth {
                mechanism,
                initial_response,
            } => Command::Auth {
                mechanism: own(mechanism),
                initial_response,
            },
            Self::Utf8 => Command::Utf8,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn p(s: &str) -> Result<Command<'_>, ParseError> {
        Command::parse_line(s.as_bytes())
    }

    #[test]
    fn known_answers() {
        assert_eq!(
            p("USER mrose").unwrap(),
            Command::User {
                name: "mrose".into()
            }
        );
        assert_eq!(
            p("pass secret with spaces").unwrap(),
            Command::Pass {
                password: "secret with spaces".into()
            }
        );
        assert_eq!(
            p("APOP mrose c4c9334bac560ecc979e58001b3e22fb").unwrap(),
            Command::Apop {
                name: "mrose".into(),
                digest: "c4c9334bac560ecc979e58001b3e22fb".into()
            }
        );
        assert_eq!(p("STAT").unwrap(), Command::Stat);
        assert_eq!(p("LIST").unwrap(), Command::List { msg: None });
        assert_eq!(p("list 2").unwrap(), Command::List { msg: Some(2) });
        assert_eq!(p("RETR 1").unwrap(), Command::Retr { msg: 1 });
        assert_eq!(
            p("DELE 4294967295").unwrap(),
            Command::Dele { msg: u32::MAX }
        );
        assert_eq!(p("TOP 1 0").unwrap(), Command::Top { msg: 1, lines: 0 });
        assert_eq!(p("UIDL").unwrap(), Command::Uidl { msg: None });
        assert_eq!(p("Capa").unwrap(), Command::Capa);
        assert_eq!(p("STLS").unwrap(), Command::Stls);
        assert_eq!(p("UTF8").unwrap(), Command::Utf8);
        assert_eq!(
            p("AUTH PLAIN").unwrap(),
            Command::Auth {
                mechanism: "PLAIN".into(),
                initial_response: None
            }
        );
        assert_eq!(
            p("AUTH plain =").unwrap(),
            Command::Auth {
                mechanism: "plain".into(),
                initial_response: Some(Secret::default())
            }
        );
        assert_eq!(
            p("AUTH PLAIN AHRlc3QAdGVzdA==").unwrap(),
            Command::Auth {
                mechanism: "PLAIN".into(),
                initial_response: Some(Secret::new(&b"\0test\0test"[..]))
            }
        );
    }

    #[test]
    fn errors_carry_offsets() {
        assert_eq!(p("FOO"), Err(ParseError::UnknownCommand { offset: 0 }));
        assert_eq!(p("XY"), Err(ParseError::UnknownCommand { offset: 0 }));
        assert_eq!(p(""), Err(ParseError::UnknownCommand { offset: 0 }));
        assert_eq!(p("RETR"), Err(syntax(4, "SP message number")));
        assert_eq!(p("RETR 0"), Err(syntax(5, MSG)));
        assert_eq!(p("RETR 4294967296"), Err(syntax(5, MSG)));
        assert_eq!(p("RETR 1 2"), Err(syntax(6, "CRLF")));
        assert_eq!(
            p("RETR  1"),
            Err(syntax(5, "argument (1*VCHAR) after single SP"))
        );
        assert_eq!(p("STAT x"), Err(syntax(4, "CRLF")));
        assert_eq!(p("LIST 1 2"), Err(syntax(6, "CRLF")));
        assert_eq!(p("APOP a b"), Err(syntax(7, "32 hex digits")));
        assert_eq!(p("AUTH PLAIN =AAA"), Err(syntax(11, "base64 or \"=\"")));
        assert_eq!(p("AUTH PL@IN"), Err(syntax(5, "sasl mechanism name")));
        assert_eq!(p("PASS"), Err(syntax(4, "SP password")));
        assert_eq!(
            Command::parse_line(b"USER \xff"),
            Err(ParseError::Utf8 { offset: 5 })
        );
        assert_eq!(Command::parse(b"NOOP"), Err(ParseError::Incomplete));
    }

    #[test]
    fn secret_debug_is_redacted() {
        let c = p("PASS hunter2").unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
