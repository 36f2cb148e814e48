//! SMTP commands (RFC 5321 §4.1.1, RFC 3207, 4954, 3030, 2033): parsing and
//! writing.

use std::borrow::Cow;
use std::fmt;

use bytes::BufMut;

use crate::error::{ParseError, SyntaxError, SyntaxErrorKind};
use crate::param::{MailParams, RcptParams};
use crate::path::{
    Cursor, ForwardPath, Host, Pattern, ReversePath, parse_forward_path, parse_host,
    parse_reverse_path,
};

/// Opt-in leniencies for real-world clients. All off by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Quirks {
    /// Accept spaces after `FROM:` / `TO:` (`MAIL FROM: <a@b>`).
    pub space_after_colon: bool,
    /// Accept a path without angle brackets (`MAIL FROM:a@b`).
    pub path_without_brackets: bool,
    /// Accept a bare LF as a command line terminator.
    pub bare_lf_line_end: bool,
}

impl Quirks {
    /// Every leniency on.
    pub fn lenient() -> Quirks {
        Quirks {
            space_after_colon: true,
            path_without_brackets: true,
            bare_lf_line_end: true,
        }
    }
}

/// The AUTH initial response (RFC 4954 §4): `=` for empty, or base64 text.
/// `Debug` never prints the credential.
#[derive(Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InitialResponse<'a> {
    /// `=`: an empty initial response.
    Empty,
    /// Base64 text as sent (not yet decoded).
    Base64(Cow<'a, str>),
}

impl fmt::Debug for InitialResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitialResponse::Empty => f.write_str("Empty"),
            InitialResponse::Base64(_) => f.write_str("Base64(<redacted>)"),
        }
    }
}

impl InitialResponse<'_> {
    /// Detaches from the input.
    pub fn into_owned(self) -> InitialResponse<'static> {
        match self {
            InitialResponse::Empty => InitialResponse::Empty,
            InitialResponse::Base64(s) => InitialResponse::Base64(Cow::Owned(s.into_owned())),
        }
    }
}

/// An SMTP command.
///
/// ```
/// use mailwire_smtp_proto::{Command, path::ReversePath};
/// let (cmd, used) = Command::parse(b"MAIL FROM:<> SIZE=100\r\nRCPT").unwrap();
/// assert_eq!(used, 23);
/// match cmd {
///     Command::Mail { from, params } => {
///         assert_eq!(from, ReversePath::Null);
///         assert_eq!(params.size(), Some(100));
///     }
///     _ => unreachable!(),
/// }
/// let mut out = Vec::new();
/// Command::Quit.write_to(&mut out);
/// assert_eq!(out, b"QUIT\r\n");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Command<'a> {
    /// `EHLO domain` (§4.1.1.1).
    Ehlo(Host<'a>),
    /// `HELO domain` (§4.1.1.1).
    Helo(Host<'a>),
    /// `LHLO domain` (RFC 2033).
    Lhlo(Host<'a>),
    /// `MAIL FROM:<reverse-path> [params]` (§4.1.1.2).
    Mail {
        /// The reverse path.
        from: ReversePath<'a>,
        /// ESMTP parameters.
        params: MailParams<'a>,
    },
    /// `RCPT TO:<forward-path> [params]` (§4.1.1.3).
    Rcpt {
        /// The forward path.
        to: ForwardPath<'a>,
        /// ESMTP parameters.
        params: RcptParams<'a>,
    },
    /// `DATA` (§4.1.1.4).
    Data,
    /// `BDAT size [LAST]` (RFC 3030).
    Bdat {
        /// Chunk size in octets.
        size: u64,
        /// Last chunk.
        last: bool,
    },
    /// `RSET` (§4.1.1.5).
    Rset,
    /// `VRFY string` (§4.1.1.6).
    Vrfy(Cow<'a, str>),
    /// `EXPN string` (§4.1.1.7).
    Expn(Cow<'a, str>),
    /// `HELP [string]` (§4.1.1.8).
    Help(Option<Cow<'a, str>>),
    /// `NOOP [string]` (§4.1.1.9).
    Noop(Option<Cow<'a, str>>),
    /// `QUIT` (§4.1.1.10).
    Quit,
    /// `STARTTLS` (RFC 3207).
    StartTls,
    /// `AUTH mechanism [initial-response]` (RFC 4954).
    Auth {
        /// The SASL mechanism name, as sent.
        mechanism: Cow<'a, str>,
        /// The initial response.
        initial_response: Option<InitialResponse<'a>>,
    },
}

/// A verb as a case-folded little-endian word (see `parse_clean_line`).
const fn verb_key(v: &[u8]) -> u64 {
    let mut k = 0u64;
    let mut i = 0;
    while i < v.len() {
        k |= ((v[i] | 0x20) as u64) << (8 * i);
        i += 1;
    }
    k
}
const V_EHLO: u64 = verb_key(b"EHLO");
const V_HELO: u64 = verb_key(b"HELO");
const V_LHLO: u64 = verb_key(b"LHLO");
const V_MAIL: u64 = verb_key(b"MAIL");
const V_RCPT: u64 = verb_key(b"RCPT");
const V_DATA: u64 = verb_key(b"DATA");
const V_RSET: u64 = verb_key(b"RSET");
const V_QUIT: u64 = verb_key(b"QUIT");
const V_STARTTLS: u64 = verb_key(b"STARTTLS");
const V_BDAT: u64 = verb_key(b"BDAT");
const V_VRFY: u64 = verb_key(b"VRFY");
const V_EXPN: u64 = verb_key(b"EXPN");
const V_HELP: u64 = verb_key(b"HELP");
const V_NOOP: u64 = verb_key(b"NOOP");
const V_AUTH: u64 = verb_key(b"AUTH");

const FROM: Pattern = Pattern::new(b" FROM:");
const TO: Pattern = Pattern::new(b" TO:");
const LAST: Pattern = Pattern::new(b" LAST");

const EHLO_SYNTAX: &str = "EHLO SP domain-or-address-literal";
const HELO_SYNTAX: &str = "HELO SP domain";
const LHLO_SYNTAX: &str = "LHLO SP domain";
const MAIL_SYNTAX: &str = "MAIL FROM:<reverse-path> [SP <mail-parameters>]";
const RCPT_SYNTAX: &str = "RCPT TO:<forward-path> [SP <rcpt-parameters>]";
const BDAT_SYNTAX: &str = "BDAT SP chunk-size [SP LAST]";
const AUTH_SYNTAX: &str = "AUTH SP mechanism [SP initial-response]";

impl<'a> Command<'a> {
    /// Parses one CRLF-terminated command at the start of `input`, returning
    /// it and the bytes consumed (CRLF included). `Incomplete` when there is
    /// no line terminator yet.
    pub fn parse(input: &'a [u8]) -> Result<(Command<'a>, usize), ParseError> {
        Command::parse_with(input, Quirks::default())
    }

    /// [`Command::parse`] with quirks.
    pub fn parse_with(input: &'a [u8], quirks: Quirks) -> Result<(Command<'a>, usize), ParseError> {
        // Fast path: one scan finds a clean line's CRLF; the line then holds
        // no CR or LF, so `parse_line`'s own scan is not repeated.
        if let Some(cr) = crate::scan::find_cr_or_lf(input)
            && input.get(cr) == Some(&b'\r')
            && input.get(cr + 1) == Some(&b'\n')
        {
            let line = input.get(..cr).unwrap_or(&[]);
            // The commands that are a bare verb, before the full parser
            // (and its large stack frame). Folding bit 5 maps only a letter
            // to a letter, so a match is exact.
            if let Some(v4) = line.first_chunk::<4>()
                && line.len() == 4
            {
                let cmd = match u64::from(u32::from_le_bytes(*v4) | 0x2020_2020) {
                    V_DATA => Some(Command::Data),
                    V_RSET => Some(Command::Rset),
                    V_QUIT => Some(Command::Quit),
                    V_NOOP => Some(Command::Noop(None)),
                    V_HELP => Some(Command::Help(None)),
                    _ => None,
                };
                if let Some(cmd) = cmd {
                    return Ok((cmd, cr + 2));
                }
            }
            return Command::parse_clean_line(line, quirks, cr + 2);
        }
        let lf = memchr::memchr(b'\n', input).ok_or(ParseError::Incomplete)?;
        let line = if lf > 0 && input[lf - 1] == b'\r' {
            &input[..lf - 1]
        } else if quirks.bare_lf_line_end {
            &input[..lf]
        } else {
            return Err(SyntaxError::new(SyntaxErrorKind::BareLineEnding, lf).into());
        };
        Ok((Command::parse_line(line, quirks)?, lf + 1))
    }

    /// Parses one command line without its CRLF.
    pub fn parse_line(line: &'a [u8], quirks: Quirks) -> Result<Command<'a>, SyntaxError> {
        if let Some(i) = memchr::memchr2(b'\r', b'\n', line) {
            return Err(SyntaxError::new(SyntaxErrorKind::BareLineEnding, i));
        }
        Command::parse_clean_line(line, quirks, 0)
            .map(|(c, _)| c)
            .map_err(|e| match e {
                ParseError::Syntax(e) => e,
                // Not produced for a complete line.
                ParseError::Incomplete => SyntaxError::new(SyntaxErrorKind::UnknownCommand, 0),
            })
    }

    /// [`Command::parse_line`] for a line known to hold no CR or LF, with
    /// `used` (the octets the line takes with its terminator) put in the
    /// result.
    fn parse_clean_line(
        line: &'a [u8],
        quirks: Quirks,
        used: usize,
    ) -> Result<(Command<'a>, usize), ParseError> {
        Command::parse_clean_body(line, quirks, used)
    }

    /// The parser proper. Every check runs before the command is built, and
    /// the command goes straight into the returned tuple: building it in a
    /// local and moving it (or re-wrapping a `Result<Command, _>`) copies
    /// ~120 bytes through the stack, field loads that straddle the stores
    /// and stall store-to-load forwarding.
    #[inline(always)]
    fn parse_clean_body(
        line: &'a [u8],
        quirks: Quirks,
        used: usize,
    ) -> Result<(Command<'a>, usize), ParseError> {
        let mut c = Cursor::new(line);
        // The verb: a run of letters ending at SP or the end of the line,
        // matched as one case-folded word (bit 5 folds only letters into
        // letters, so a match also proves the octets are letters).
        let verb = match line.get(..4) {
            Some(v4) if matches!(line.get(4), None | Some(b' ')) => {
                c.pos = 4;
                let mut w = [0u8; 4];
                w.copy_from_slice(v4);
                u64::from(u32::from_le_bytes(w) | 0x2020_2020)
            }
            _ => {
                let verb = c.take_while(|b| b.is_ascii_alphabetic());
                if verb.len() != 8 || (!c.at_end() && c.peek() != Some(b' ')) {
                    return Err(SyntaxError::new(SyntaxErrorKind::UnknownCommand, 0).into());
                }
                let mut w = [0u8; 8];
                w.copy_from_slice(verb);
                u64::from_le_bytes(w) | 0x2020_2020_2020_2020
            }
        };
        // Each command with arguments is parsed by its own function, which
        // builds the result in the caller's return slot (a tail call with
        // the same return type): small frames, nothing copied.
        match verb {
            V_EHLO => Command::hello(c, used, Command::Ehlo, EHLO_SYNTAX),
            V_HELO => Command::hello(c, used, Command::Helo, HELO_SYNTAX),
            V_LHLO => Command::hello(c, used, Command::Lhlo, LHLO_SYNTAX),
            V_MAIL => Command::mail(c, quirks, used),
            V_RCPT => Command::rcpt(c, quirks, used),
            V_DATA => Ok((end(&c, "DATA", Command::Data)?, used)),
            V_RSET => Ok((end(&c, "RSET", Command::Rset)?, used)),
            V_QUIT => Ok((end(&c, "QUIT", Command::Quit)?, used)),
            V_STARTTLS => Ok((end(&c, "STARTTLS", Command::StartTls)?, used)),
            V_BDAT => Command::bdat(c, used),
            V_VRFY | V_EXPN | V_HELP | V_NOOP => Command::string_command(c, verb, used),
            V_AUTH => Command::auth(c, used),
            _ => Err(SyntaxError::new(SyntaxErrorKind::UnknownCommand, 0).into()),
        }
    }

    /// EHLO, HELO or LHLO (`make` builds which) after the verb.
    #[inline(never)]
    fn hello(
        mut c: Cursor<'a>,
        used: usize,
        make: fn(Host<'a>) -> Command<'a>,
        expected: &'static str,
    ) -> Result<(Command<'a>, usize), ParseError> {
        let h = hello_arg(&mut c, expected)?;
        Ok((make(end(&c, expected, h)?), used))
    }

    /// MAIL after the verb.
    #[inline(never)]
    fn mail(
        mut c: Cursor<'a>,
        quirks: Quirks,
        used: usize,
    ) -> Result<(Command<'a>, usize), ParseError> {
        path_intro(&mut c, &FROM, MAIL_SYNTAX, quirks)?;
        let from = parse_reverse_path(&mut c, quirks.path_without_brackets)
            .map_err(|e| path_err(e, MAIL_SYNTAX))?;
        let params = MailParams::parse(&mut c)?;
        let params = end(&c, MAIL_SYNTAX, params)?;
        Ok((Command::Mail { from, params }, used))
    }

    /// RCPT after the verb.
    #[inline(never)]
    fn rcpt(
        mut c: Cursor<'a>,
        quirks: Quirks,
        used: usize,
    ) -> Result<(Command<'a>, usize), ParseError> {
        path_intro(&mut c, &TO, RCPT_SYNTAX, quirks)?;
        let to = parse_forward_path(&mut c, quirks.path_without_brackets)
            .map_err(|e| path_err(e, RCPT_SYNTAX))?;
        let params = RcptParams::parse(&mut c)?;
        let params = end(&c, RCPT_SYNTAX, params)?;
        Ok((Command::Rcpt { to, params }, used))
    }

    /// BDAT after the verb.
    #[inline(never)]
    fn bdat(mut c: Cursor<'a>, used: usize) -> Result<(Command<'a>, usize), ParseError> {
        if !c.eat(b' ') {
            return Err(c.err(BDAT_SYNTAX).into());
        }
        let digits = c.take_while(|b| b.is_ascii_digit());
        if digits.is_empty() || digits.len() > 20 {
            return Err(c.err(BDAT_SYNTAX).into());
        }
        let size = digits
            .iter()
            .try_fold(0u64, |n, &d| {
                n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
            })
            .ok_or_else(|| c.err(BDAT_SYNTAX))?;
        let last = if c.at_end() {
            false
        } else if c.eat_pattern(&LAST) && c.at_end() {
            true
        } else {
            return Err(c.err(BDAT_SYNTAX).into());
        };
        Ok((Command::Bdat { size, last }, used))
    }

    /// VRFY, EXPN, HELP or NOOP after the verb: the string argument takes
    /// the rest of the line.
    #[inline(never)]
    fn string_command(
        mut c: Cursor<'a>,
        verb: u64,
        used: usize,
    ) -> Result<(Command<'a>, usize), ParseError> {
        Ok((
            match verb {
                V_VRFY => Command::Vrfy(string_arg(&mut c, "VRFY SP string")?),
                V_EXPN => Command::Expn(string_arg(&mut c, "EXPN SP string")?),
                V_HELP => Command::Help(opt_string_arg(&mut c, "HELP [SP string]")?),
                _ => Command::Noop(opt_string_arg(&mut c, "NOOP [SP string]")?),
            },
            used,
        ))
    }

    /// AUTH after the verb: the mechanism and the initial response take the
    /// rest of the line.
    #[inline(never)]
    fn auth(mut c: Cursor<'a>, used: usize) -> Result<(Command<'a>, usize), ParseError> {
        if !c.eat(b' ') {
            return Err(c.err(AUTH_SYNTAX).into());
        }
        let start = c.pos;
        // Mechanism and initial response: one UTF-8 check.
        c.check_rest_utf8();
        let mech = c.take_while(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if mech.is_empty() || mech.len() > 20 {
            return Err(SyntaxError::expected(AUTH_SYNTAX, start).into());
        }
        let mechanism = Cow::Borrowed(c.to_str(mech, start)?);
        let initial_response = if c.at_end() {
            None
        } else {
            if !c.eat(b' ') {
                return Err(c.err(AUTH_SYNTAX).into());
            }
            let start = c.pos;
            let ir = c.rest();
            c.pos = c.input.len();
            if ir == b"=" {
                Some(InitialResponse::Empty)
            } else if !ir.is_empty() && crate::scan::run(ir, crate::scan::BASE64) == ir.len() {
                Some(InitialResponse::Base64(Cow::Borrowed(c.to_str(ir, start)?)))
            } else {
                return Err(
                    SyntaxError::expected("base64 initial response or \"=\"", start).into(),
                );
            }
        };
        Ok((
            Command::Auth {
                mechanism,
                initial_response,
            },
            used,
        ))
    }

    /// The verb, upper-case.
    pub fn verb(&self) -> &'static str {
        match self {
            Command::Ehlo(_) => "EHLO",
            Command::Helo(_) => "HELO",
            Command::Lhlo(_) => "LHLO",
            Command::Mail { .. } => "MAIL",
            Command::Rcpt { .. } => "RCPT",
            Command::Data => "DATA",
            Command::Bdat { .. } => "BDAT",
            Command::Rset => "RSET",
            Command::Vrfy(_) => "VRFY",
            Command::Expn(_) => "EXPN",
            Command::Help(_) => "HELP",
            Command::Noop(_) => "NOOP",
            Command::Quit => "QUIT",
            Command::StartTls => "STARTTLS",
            Command::Auth { .. } => "AUTH",
        }
    }

    /// Writes the command with its CRLF.
    pub fn write_to(&self, out: &mut impl BufMut) {
        out.put_slice(self.to_string().as_bytes());
        out.put_slice(b"\r\n");
    }

    /// Detaches from the input.
    pub fn into_owned(self) -> Command<'static> {
        let own = |s: Cow<'_, str>| Cow::Owned(s.into_owned());
        match self {
            Command::Ehlo(h) => Command::Ehlo(h.into_owned()),
            Command::Helo(h) => Command::Helo(h.into_owned()),
            Command::Lhlo(h) => Command::Lhlo(h.into_owned()),
            Command::Mail { from, params } => Command::Mail {
                from: from.into_owned(),
                params: params.into_owned(),
            },
            Command::Rcpt { to, params } => Command::Rcpt {
                to: to.into_owned(),
                params: params.into_owned(),
            },
            Command::Data => Command::Data,
            Command::Bdat { size, last } => Command::Bdat { size, last },
            Command::Rset => Command::Rset,
            Command::Vrfy(s) => Command::Vrfy(own(s)),
            Command::Expn(s) => Command::Expn(own(s)),
            Command::Help(s) => Command::Help(s.map(own)),
            Command::Noop(s) => Command::Noop(s.map(own)),
            Command::Quit => Command::Quit,
            Command::StartTls => Command::StartTls,
            Command::Auth {
                mechanism,
                initial_response,
            } => Command::Auth {
                mechanism: own(mechanism),
                initial_response: initial_response.map(InitialResponse::into_owned),
            },
        }
    }
}

fn path_err(e: SyntaxError, expected: &'static str) -> SyntaxError {
    match e.kind {
        SyntaxErrorKind::Expected { .. } => SyntaxError::expected(expected, e.offset),
        _ => e,
    }
}

fn hello_arg<'a>(c: &mut Cursor<'a>, expected: &'static str) -> Result<Host<'a>, SyntaxError> {
    if !c.eat(b' ') {
        return Err(c.err(expected));
    }
    parse_host(c).map_err(|e| path_err(e, expected))
}

/// `" FROM:"` or `" TO:"` (`p`), and with the quirk the spaces after it.
#[inline(always)]
fn path_intro(
    c: &mut Cursor<'_>,
    p: &Pattern,
    expected: &'static str,
    quirks: Quirks,
) -> Result<(), SyntaxError> {
    if !c.eat_pattern(p) {
        return Err(c.err(expected));
    }
    if quirks.space_after_colon {
        while c.eat(b' ') {}
    }
    Ok(())
}

/// `v` when the cursor is at the end of the line, else the syntax error
/// `expected` at the cursor.
#[inline(always)]
fn end<T>(c: &Cursor<'_>, expected: &'static str, v: T) -> Result<T, SyntaxError> {
    if c.at_end() {
        Ok(v)
    } else {
        Err(c.err(expected))
    }
}

fn string_arg<'a>(c: &mut Cursor<'a>, expected: &'static str) -> Result<Cow<'a, str>, SyntaxError> {
    match opt_string_arg(c, expected)? {
        Some(s) => Ok(s),
        None => Err(c.err(expected)),
    }
}

fn opt_string_arg<'a>(
    c: &mut Cursor<'a>,
    expected: &'static str,
) -> Result<Option<Cow<'a, str>>, SyntaxError> {
    if c.at_end() {
        return Ok(None);
    }
    if !c.eat(b' ') {
        return Err(c.err(expected));
    }
    let start = c.pos;
    let rest = c.rest();
    // The whole argument is text: one UTF-8 check.
    c.check_rest_utf8();
    c.pos = c.input.len();
    if rest.is_empty() {
        return Err(SyntaxError::expected(expected, start));
    }
    Ok(Some(Cow::Borrowed(c.to_str(rest, start)?)))
}

impl fmt::Display for Command<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Ehlo(h) => write!(f, "EHLO {h}"),
            Command::Helo(h) => write!(f, "HELO {h}"),
            Command::Lhlo(h) => write!(f, "LHLO {h}"),
            Command::Mail { from, params } => {
                write!(f, "MAIL FROM:{from}{params}")
            }
            Command::Rcpt { to, params } => {
                write!(f, "RCPT TO:{to}{params}")
            }
            Command::Data => f.write_str("DATA"),
            Command::Bdat { size, last: false } => write!(f, "BDAT {size}"),
            Command::Bdat { size, last: true } => write!(f, "BDAT {size} LAST"),
            Command::Rset => f.write_str("RSET"),
            Command::Vrfy(s) => write!(f, "VRFY {s}"),
            Command::Expn(s) => write!(f, "EXPN {s}"),
            Command::Help(None) => f.write_str("HELP"),
            Command::Help(Some(s)) => write!(f, "HELP {s}"),
            Command::Noop(None) => f.write_str("NOOP"),
            Command::Noop(Some(s)) => write!(f, "NOOP {s}"),
            Command::Quit => f.write_str("QUIT"),
            Command::StartTls => f.write_str("STARTTLS"),
            Command::Auth {
                mechanism,
                initial_response: None,
            } => write!(f, "AUTH {mechanism}"),
            Command::Auth {
                mechanism,
                initial_response: Some(InitialResponse::Empty),
            } => {
                write!(f, "AUTH {mechanism} =")
            }
            Command::Auth {
                mechanism,
                initial_response: Some(InitialResponse::Base64(s)),
            } => {
                write!(f, "AUTH {mechanism} {s}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::path::Mailbox;

    fn p(s: &str) -> Result<Command<'_>, SyntaxError> {
        Command::parse_line(s.as_bytes(), Quirks::default())
    }

    #[test]
    fn known_answers() {
        assert_eq!(p("quit").unwrap(), Command::Quit);
        assert_eq!(p("StartTLS").unwrap(), Command::StartTls);
        assert_eq!(
            p("BDAT 100 last").unwrap(),
            Command::Bdat {
                size: 100,
                last: true
            }
        );
        assert_eq!(
            p("BDAT 0").unwrap(),
            Command::Bdat {
                size: 0,
                last: false
            }
        );
        assert_eq!(p("NOOP").unwrap(), Command::Noop(None));
        assert_eq!(p("HELP MAIL").unwrap(), Command::Help(Some("MAIL".into())));
        assert_eq!(p("VRFY Smith").unwrap(), Command::Vrfy("Smith".into()));
        match p("RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>").unwrap() {
            Command::Rcpt { to, .. } => assert_eq!(to.to_string(), "<userc@d.bar.org>"),
            _ => unreachable!(),
        }
        match p("AUTH PLAIN =").unwrap() {
            Command::Auth {
                mechanism,
                initial_response,
            } => {
                assert_eq!(mechanism, "PLAIN");
                assert_eq!(initial_response, Some(InitialResponse::Empty));
            }
            _ => unreachable!(),
        }
        match p("EHLO [IPv6:::1]").unwrap() {
            Command::Ehlo(h) => assert_eq!(h.to_string(), "[IPv6:::1]"),
            _ => unreachable!(),
        }
        match p("MAIL FROM:<用户@例子.广告> SMTPUTF8").unwrap() {
            Command::Mail { from, params } => {
                assert!(!from.mailbox().unwrap().is_ascii());
                assert!(params.smtputf8());
            }
            _ => unreachable!(),
        }
    }

    #[test]
    fn errors_map_to_replies() {
        let code = |s: &str| p(s).unwrap_err().reply().code().get();
        assert_eq!(code("FOO"), 500);
        assert_eq!(code("MAILX FROM:<>"), 500);
        assert_eq!(code("MAIL FROM:a@b"), 501);
        assert_eq!(code("MAIL FROM: <a@b>"), 501);
        assert_eq!(code("MAIL TO:<a@b>"), 501);
        assert_eq!(code("RCPT TO:<a@b> FOO=1 FOO=2"), 501);
        assert_eq!(code("DATA x"), 501);
        assert_eq!(code("BDAT x"), 501);
        assert_eq!(code("BDAT 1 LASTX"), 501);
        assert_eq!(code("EHLO"), 501);
        assert_eq!(code("AUTH PLAIN a b"), 501);
        assert_eq!(code("MAIL FROM:<a@b> SIZE=x"), 501);
        let e = p("MAIL FROM:a@b").unwrap_err();
        assert!(e.reply().text().contains("MAIL FROM:<reverse-path>"));
        assert_eq!(e.offset, 10);
    }

    #[test]
    fn quirks() {
        let q = Quirks::lenient();
        let c = Command::parse_line(b"MAIL FROM: <a@b>", q).unwrap();
        assert!(matches!(c, Command::Mail { .. }));
        let c = Command::parse_line(b"RCPT TO:a@b", q).unwrap();
        assert_eq!(
            c,
            Command::Rcpt {
                to: ForwardPath::Mailbox(Mailbox::parse("a@b").unwrap()),
                params: RcptParams::default()
            }
        );
        assert!(Command::parse_with(b"NOOP\n", q).is_ok());
        assert!(Command::parse(b"NOOP\n").is_err());
        assert_eq!(Command::parse(b"NOOP"), Err(ParseError::Incomplete));
    }

    #[test]
    fn ir_is_redacted() {
        let c = p("AUTH PLAIN AGZvbwBiYXI=").unwrap();
        assert!(!format!("{c:?}").contains("AGZv"));
        assert_eq!(c.to_string(), "AUTH PLAIN AGZvbwBiYXI=");
    }
}
