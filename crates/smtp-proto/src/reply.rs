//! SMTP replies (RFC 5321 §4.2) with RFC 3463 enhanced status codes, single
//! and multi-line, parsed and written.

use std::fmt;

use bytes::BufMut;

/// Default maximum length of one reply line, CRLF included. RFC 5321
/// §4.5.3.1.5 sets 512 as the minimum; real servers send longer lines.
pub const DEFAULT_MAX_REPLY_LINE: usize = 4096;
/// Default maximum number of lines in one reply.
pub const DEFAULT_MAX_REPLY_LINES: usize = 256;

/// A three-digit reply code, `%x32-35 %x30-35 %x30-39` (RFC 5321 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplyCode(u16);

/// The first digit of a reply code (RFC 5321 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReplyClass {
    /// 2yz: positive completion.
    PositiveCompletion,
    /// 3yz: positive intermediate (354, 334).
    PositiveIntermediate,
    /// 4yz: transient negative.
    TransientNegative,
    /// 5yz: permanent negative.
    PermanentNegative,
}

impl ReplyCode {
    /// 220 service ready.
    pub const SERVICE_READY: ReplyCode = ReplyCode(220);
    /// 221 closing.
    pub const CLOSING: ReplyCode = ReplyCode(221);
    /// 235 authentication succeeded.
    pub const AUTH_SUCCEEDED: ReplyCode = ReplyCode(235);
    /// 250 OK.
    pub const OK: ReplyCode = ReplyCode(250);
    /// 252 cannot verify.
    pub const CANNOT_VRFY: ReplyCode = ReplyCode(252);
    /// 334 SASL challenge.
    pub const AUTH_CHALLENGE: ReplyCode = ReplyCode(334);
    /// 354 start mail input.
    pub const START_MAIL_INPUT: ReplyCode = ReplyCode(354);
    /// 421 service not available, closing.
    pub const SERVICE_NOT_AVAILABLE: ReplyCode = ReplyCode(421);
    /// 450 mailbox unavailable (transient).
    pub const MAILBOX_BUSY: ReplyCode = ReplyCode(450);
    /// 451 local error.
    pub const LOCAL_ERROR: ReplyCode = ReplyCode(451);
    /// 452 insufficient storage / too many recipients.
    pub const INSUFFICIENT_STORAGE: ReplyCode = ReplyCode(452);
    /// 500 syntax error, command unrecognized.
    pub const SYNTAX_ERROR: ReplyCode = ReplyCode(500);
    /// 501 syntax error in parameters.
    pub const PARAMETER_SYNTAX_ERROR: ReplyCode = ReplyCode(501);
    /// 502 command not implemented.
    pub const NOT_IMPLEMENTED: ReplyCode = ReplyCode(502);
    /// 503 bad sequence of commands.
    pub const BAD_SEQUENCE: ReplyCode = ReplyCode(503);
    /// 504 parameter not implemented.
    pub const PARAMETER_NOT_IMPLEMENTED: ReplyCode = ReplyCode(504);
    /// 530 authentication required.
    pub const AUTH_REQUIRED: ReplyCode = ReplyCode(530);
    /// 535 authentication credentials invalid.
    pub const AUTH_FAILED: ReplyCode = ReplyCode(535);
    /// 550 mailbox unavailable.
    pub const MAILBOX_UNAVAILABLE: ReplyCode = ReplyCode(550);
    /// 552 exceeded storage allocation.
    pub const EXCEEDED_STORAGE: ReplyCode = ReplyCode(552);
    /// 553 mailbox name not allowed.
    pub const MAILBOX_NAME_NOT_ALLOWED: ReplyCode = ReplyCode(553);
    /// 554 transaction failed / no service.
    pub const TRANSACTION_FAILED: ReplyCode = ReplyCode(554);
    /// 555 MAIL/RCPT parameters not recognized.
    pub const PARAMETERS_NOT_RECOGNIZED: ReplyCode = ReplyCode(555);

    /// A checked reply code; `None` outside the grammar of RFC 5321 §4.2.
    pub const fn new(code: u16) -> Option<ReplyCode> {
        let a = code / 100;
        let b = (code / 10) % 10;
        if code >= 200 && code <= 599 && a >= 2 && a <= 5 && b <= 5 {
            Some(ReplyCode(code))
        } else {
            None
        }
    }

    pub(crate) const fn new_or_500(code: u16) -> ReplyCode {
        match ReplyCode::new(code) {
            Some(c) => c,
            None => ReplyCode(500),
        }
    }

    /// The numeric value.
    pub const fn get(self) -> u16 {
        self.0
    }

    /// The class (first digit).
    pub const fn class(self) -> ReplyClass {
        match self.0 / 100 {
            2 => ReplyClass::PositiveCompletion,
            3 => ReplyClass::PositiveIntermediate,
            4 => ReplyClass::TransientNegative,
            _ => ReplyClass::PermanentNegative,
        }
    }

    /// 2yz.
    pub const fn is_positive_completion(self) -> bool {
        self.0 / 100 == 2
    }
    /// 3yz.
    pub const fn is_positive_intermediate(self) -> bool {
        self.0 / 100 == 3
    }
    /// 4yz.
    pub const fn is_transient(self) -> bool {
        self.0 / 100 == 4
    }
    /// 5yz.
    pub const fn is_permanent(self) -> bool {
        self.0 / 100 == 5
    }
    /// 4yz or 5yz.
    pub const fn is_negative(self) -> bool {
        self.0 >= 400
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An RFC 3463 enhanced status code `class.subject.detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnhancedCode {
    class: u8,
    subject: u16,
    detail: u16,
}

impl EnhancedCode {
    /// Builds a code. `class` should be 2, 4 or 5 and `subject`/`detail`
    /// at most 999 (RFC 3463 §2); out of range values are clamped.
    pub const fn new(class: u8, subject: u16, detail: u16) -> EnhancedCode {
        let class = match class {
            2 | 4 | 5 => class,
            _ => 5,
        };
        let subject = if subject > 999 { 999 } else { subject };
        let detail = if detail > 999 { 999 } else { detail };
        EnhancedCode {
            class,
            subject,
            detail,
        }
    }
    /// The class digit (2, 4 or 5).
    pub const fn class(self) -> u8 {
        self.class
    }
    /// The subject number.
    pub const fn subject(self) -> u16 {
        self.subject
    }
    /// The detail number.
    pub const fn detail(self) -> u16 {
        self.detail
    }

    /// Parses `class "." subject "." detail` at the start of `s`; returns the
    /// code and the bytes consumed (not counting the following space).
    pub fn parse_prefix(s: &[u8]) -> Option<(EnhancedCode, usize)> {
        let class = *s.first()?;
        if !matches!(class, b'2' | b'4' | b'5') || s.get(1) != Some(&b'.') {
            return None;
        }
        let (subject, n1) = digits_1_3(&s[2..])?;
        let pos = 2 + n1;
        if s.get(pos) != Some(&b'.') {
            return None;
        }
        let (detail, n2) = digits_1_3(&s[pos + 1..])?;
        let end = pos + 1 + n2;
        match s.get(end) {
            None | Some(b' ') => {}
            Some(_) => return None,
        }
        Some((
            EnhancedCode {
                class: class - b'0',
                subject,
                detail,
            },
            end,
        ))
    }
}

fn digits_1_3(s: &[u8]) -> Option<(u16, usize)> {
    let n = s.iter().take(4).take_while(|b| b.is_ascii_digit()).count();
    if n == 0 || n > 3 {
        return None;
    }
    let mut v = 0u16;
    for b in &s[..n] {
        v = v * 10 + u16::from(b - b'0');
    }
    Some((v, n))
}

impl fmt::Display for EnhancedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// A complete reply: code, optional enhanced code, one or more text lines.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reply {
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    lines: Vec<String>,
}

/// Why a reply could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplyError {
    /// More input is needed.
    #[error("incomplete reply")]
    Incomplete,
    /// The reply is malformed.
    #[error("malformed reply at offset {offset}, expected {expected}")]
    Syntax {
        /// Byte offset of the problem.
        offset: usize,
        /// The expected syntax.
        expected: &'static str,
    },
    /// A line or the number of lines exceeds the limit.
    #[error("reply too long at offset {offset}")]
    TooLong {
        /// Byte offset where the limit was crossed.
        offset: usize,
    },
}

impl Reply {
    /// A reply with one line of text (newlines in `text` start new lines).
    pub fn new(code: ReplyCode, text: impl Into<String>) -> Reply {
        let text = text.into();
        Reply {
            code,
            enhanced: None,
            lines: split_text(&text),
        }
    }

    /// A reply with an enhanced status code.
    pub fn new_enhanced(code: ReplyCode, enhanced: EnhancedCode, text: impl Into<String>) -> Reply {
        let text = text.into();
        Reply {
            code,
            enhanced: Some(enhanced),
            lines: split_text(&text),
        }
    }

    /// A multi-line reply. An empty list gives one empty line.
    pub fn multiline<I, S>(code: ReplyCode, enhanced: Option<EnhancedCode>, lines: I) -> Reply
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut v: Vec<String> = lines
            .into_iter()
            .flat_map(|l| split_text(&l.into()))
            .collect();
        if v.is_empty() {
            v.push(String::new());
        }
        Reply {
            code,
            enhanced,
            lines: v,
        }
    }

    /// Convenience: `Reply::new` from a raw number (500 when invalid).
    pub fn from_code(
        code: u16,
        enhanced: Option<(u8, u16, u16)>,
        text: impl Into<String>,
    ) -> Reply {
        let code = ReplyCode::new_or_500(code);
        match enhanced {
            Some((a, b, c)) => Reply::new_enhanced(code, EnhancedCode::new(a, b, c), text),
            None => Reply::new(code, text),
        }
    }

    /// The reply code.
    pub fn code(&self) -> ReplyCode {
        self.code
    }
    /// The enhanced status code, if any.
    pub fn enhanced(&self) -> Option<EnhancedCode> {
        self.enhanced
    }
    /// The text lines (without code and enhanced code).
    pub fn lines(&self) -> &[String] {
        &self.lines
    }
    /// The text lines joined with `\n`.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
    /// Whether the code is 2yz.
    pub fn is_positive(&self) -> bool {
        self.code.is_positive_completion()
    }

    /// Drops the enhanced code (for peers that did not negotiate
    /// ENHANCEDSTATUSCODES).
    pub fn without_enhanced(mut self) -> Reply {
        self.enhanced = None;
        self
    }

    /// Parses one complete reply from the start of `input` with the default
    /// limits; returns it and the number of bytes consumed.
    ///
    /// ```
    /// use mailwire_smtp_proto::Reply;
    /// let (r, n) = Reply::parse(b"250-2.0.0 first\r\n250 2.0.0 OK\r\n").unwrap();
    /// assert_eq!((r.code().get(), n), (250, 31));
    /// assert_eq!(r.lines(), ["first", "OK"]);
    /// assert_eq!(r.enhanced().unwrap().to_string(), "2.0.0");
    /// ```
    pub fn parse(input: &[u8]) -> Result<(Reply, usize), ReplyError> {
        Reply::parse_with(input, DEFAULT_MAX_REPLY_LINE, DEFAULT_MAX_REPLY_LINES)
    }

    /// Parses with explicit limits on line length (CRLF included) and line count.
    pub fn parse_with(
        input: &[u8],
        max_line: usize,
        max_lines: usize,
    ) -> Result<(Reply, usize), ReplyError> {
        let mut lines: Vec<String> = Vec::new();
        let (code, enhanced, pos) = walk_lines(input, max_line, max_lines, |_, text| {
            lines.push(match std::str::from_utf8(text) {
                Ok(t) => t.to_owned(),
                Err(_) => String::from_utf8_lossy(text).into_owned(),
            });
        })?;
        Ok((
            Reply {
                code,
                enhanced,
                lines,
            },
            pos,
        ))
    }

    /// Writes the reply, CRLF-terminated, every line carrying the enhanced
    /// code when there is one. Control characters in the text are replaced,
    /// so a reply can never inject a line.
    pub fn write_to(&self, out: &mut impl BufMut) {
        let code = self.code.0.to_string();
        let n = self.lines.len();
        for (i, line) in self.lines.iter().enumerate() {
            out.put_slice(code.as_bytes());
            out.put_u8(if i + 1 == n { b' ' } else { b'-' });
            if let Some(e) = self.enhanced {
                out.put_slice(e.to_string().as_bytes());
                if !line.is_empty() {
                    out.put_u8(b' ');
                }
            }
            for b in line.bytes() {
                // '?' rather than a space, so a replaced byte can never
                // create an enhanced code prefix that was not there.
                out.put_u8(if b == b'\r' || b == b'\n' || b == 0 {
                    b'?'
                } else {
                    b
                });
            }
            out.put_slice(b"\r\n");
        }
    }

    /// The wire form as a `Vec`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.write_to(&mut v);
        v
    }
}

/// Walks the lines of one complete reply at the start of `input`, checking
/// the grammar and the limits, and calls `line` with each line's index and
/// its text (code, separator and enhanced code removed). Returns the code,
/// the enhanced code and the bytes consumed. Shared by [`Reply::parse_with`]
/// and the allocation-light `EhloReply::parse`, so both accept exactly the
/// same input.
pub(crate) fn walk_lines<'i>(
    input: &'i [u8],
    max_line: usize,
    max_lines: usize,
    mut line: impl FnMut(usize, &'i [u8]),
) -> Result<(ReplyCode, Option<EnhancedCode>, usize), ReplyError> {
    let mut pos = 0;
    let mut code: Option<ReplyCode> = None;
    let mut count = 0usize;
    let mut enhanced: Option<EnhancedCode> = None;
    // The first line's code octets (only read once `code` is set), compared
    // one by one: a slice compare against an array built from the line's
    // octets goes through the stack and stalls store-to-load forwarding.
    let head: [u8; 3] = input.first_chunk().copied().unwrap_or([0; 3]);
    loop {
        let rest = input.get(pos..).unwrap_or(&[]);
        // Fast path: one scan finds the line's CRLF when the line is clean;
        // anything else is re-checked below with the precise rules.
        let quick = match crate::scan::find_cr_or_lf(rest) {
            Some(cr) if rest.get(cr) == Some(&b'\r') && rest.get(cr + 1) == Some(&b'\n') => {
                Some(cr + 1)
            }
            _ => None,
        };
        let Some(lf) = quick.or_else(|| memchr::memchr(b'\n', rest)) else {
            if rest.len() > max_line {
                return Err(ReplyError::TooLong {
                    offset: pos + max_line,
                });
            }
            return Err(ReplyError::Incomplete);
        };
        if lf + 1 > max_line {
            return Err(ReplyError::TooLong {
                offset: pos + max_line,
            });
        }
        if lf == 0 || rest[lf - 1] != b'\r' {
            return Err(ReplyError::Syntax {
                offset: pos + lf,
                expected: "CRLF",
            });
        }
        let text_line = &rest[..lf - 1];
        if quick.is_none() && memchr::memchr(b'\r', text_line).is_some() {
            return Err(ReplyError::Syntax {
                offset: pos,
                expected: "CRLF",
            });
        }
        let (this, last, text) = match *text_line {
            // A line repeating the first line's code (already checked).
            [a, b, c, ref tail @ ..]
                if code.is_some() && (a == head[0]) & (b == head[1]) & (c == head[2]) =>
            {
                let this = code.unwrap_or(ReplyCode::OK);
                match tail {
                    [] => (this, true, tail),
                    [b' ', text @ ..] => (this, true, text),
                    [b'-', text @ ..] => (this, false, text),
                    _ => {
                        return Err(ReplyError::Syntax {
                            offset: pos + 3,
                            expected: "SP or \"-\"",
                        });
                    }
                }
            }
            [a, b, c, ref tail @ ..]
                if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() =>
            {
                let n = u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0');
                let this = ReplyCode::new(n).ok_or(ReplyError::Syntax {
                    offset: pos,
                    expected: "reply code 200-559",
                })?;
                if let Some(c) = code
                    && c != this
                {
                    return Err(ReplyError::Syntax {
                        offset: pos,
                        expected: "same reply code",
                    });
                }
                match tail {
                    [] => (this, true, tail),
                    [b' ', text @ ..] => (this, true, text),
                    [b'-', text @ ..] => (this, false, text),
                    _ => {
                        return Err(ReplyError::Syntax {
                            offset: pos + 3,
                            expected: "SP or \"-\"",
                        });
                    }
                }
            }
            _ => {
                return Err(ReplyError::Syntax {
                    offset: pos,
                    expected: "reply code",
                });
            }
        };
        code = Some(this);
        if count == 0 {
            // An enhanced code is recognised when the first line carries
            // one whose class matches the reply class (RFC 2034 §4,
            // RFC 3463 §2); it is then stripped from every line.
            enhanced = EnhancedCode::parse_prefix(text)
                .and_then(|(e, _)| (u16::from(e.class) == this.get() / 100).then_some(e));
        }
        let text = match enhanced {
            Some(e) => match EnhancedCode::parse_prefix(text) {
                Some((e2, n)) if e2 == e => text.get(n + 1..).unwrap_or(&[]),
                _ => text,
            },
            None => text,
        };
        line(count, text);
        count += 1;
        pos += lf + 1;
        if last {
            return Ok((this, enhanced, pos));
        }
        if count >= max_lines {
            return Err(ReplyError::TooLong { offset: pos });
        }
    }
}

fn split_text(text: &str) -> Vec<String> {
    let v: Vec<String> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).replace(['\r', '\0'], "?"))
        .collect();
    if v.is_empty() { vec![String::new()] } else { v }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn codes() {
        assert!(ReplyCode::new(250).is_some());
        assert!(ReplyCode::new(199).is_none());
        assert!(ReplyCode::new(260).is_none());
        assert!(ReplyCode::new(600).is_none());
        assert!(ReplyCode::new(559).is_some());
    }

    #[test]
    fn parse_forms() {
        let (r, n) = Reply::parse(b"250\r\n").unwrap();
        assert_eq!((r.code().get(), n, r.lines().len()), (250, 5, 1));
        assert_eq!(Reply::parse(b"250 OK\r"), Err(ReplyError::Incomplete));
        assert!(matches!(
            Reply::parse(b"250 OK\n"),
            Err(ReplyError::Syntax { .. })
        ));
        assert!(matches!(
            Reply::parse(b"250-a\r\n251 b\r\n"),
            Err(ReplyError::Syntax { .. })
        ));
        assert!(matches!(
            Reply::parse(b"25x OK\r\n"),
            Err(ReplyError::Syntax { .. })
        ));
        assert!(matches!(
            Reply::parse(b"250_OK\r\n"),
            Err(ReplyError::Syntax { .. })
        ));
        let (r, _) = Reply::parse(b"550 5.1.1 no such user\r\n").unwrap();
        assert_eq!(r.enhanced(), Some(EnhancedCode::new(5, 1, 1)));
        assert_eq!(r.text(), "no such user");
        // class mismatch: not an enhanced code
        let (r, _) = Reply::parse(b"250 5.1.1 x\r\n").unwrap();
        assert_eq!(r.enhanced(), None);
        assert_eq!(r.text(), "5.1.1 x");
    }

    #[test]
    fn limits() {
        let long = format!("250 {}\r\n", "a".repeat(20));
        assert!(Reply::parse_with(long.as_bytes(), long.len(), 1).is_ok());
        assert!(matches!(
            Reply::parse_with(long.as_bytes(), long.len() - 1, 1),
            Err(ReplyError::TooLong { .. })
        ));
        assert!(Reply::parse_with(b"250-a\r\n250 b\r\n", 100, 2).is_ok());
        assert!(matches!(
            Reply::parse_with(b"250-a\r\n250 b\r\n", 100, 1),
            Err(ReplyError::TooLong { .. })
        ));
    }

    #[test]
    fn write_no_injection() {
        let r = Reply::new(ReplyCode::OK, "a\r\nb");
        assert_eq!(r.to_bytes(), b"250-a\r\n250 b\r\n");
        let r = Reply::new_enhanced(ReplyCode::OK, EnhancedCode::new(2, 0, 0), "ok");
        assert_eq!(r.to_bytes(), b"250 2.0.0 ok\r\n");
    }
}
