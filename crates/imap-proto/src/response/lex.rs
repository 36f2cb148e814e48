//! The response-side lexer: a byte cursor with the IMAP primitives the
//! response grammar needs, tuned for speed (no allocation unless a quoted
//! string carries escapes), and the matching cheapest-form writers.
//!
//! Every read that runs past the end of the input yields
//! [`LexError::Incomplete`], never a syntax error, so that every proper prefix
//! of a valid response is reported as incomplete.

use std::borrow::Cow;

use crate::primitive::IString;

use super::ResponseOptions;

/// Internal parse failure, converted to the crate's public error at the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LexError {
    /// More input is needed.
    Incomplete,
    /// The input does not match the grammar at `at`.
    Syntax { at: usize, expected: &'static str },
    /// A peer-controlled size exceeded a configured limit at `at`.
    Limit { at: usize, what: &'static str },
}

pub(crate) type PResult<T> = Result<T, LexError>;

/// A cursor over one response unit.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    pub(crate) buf: &'a [u8],
    pub(crate) pos: usize,
    pub(crate) opts: ResponseOptions,
    pub(crate) depth: usize,
}

#[inline]
pub(crate) fn is_atom_char(b: u8) -> bool {
    // ATOM-CHAR = <any CHAR except atom-specials>
    // atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
    !matches!(b, b'(' | b')' | b'{' | b' ' | b'%' | b'*' | b'"' | b'\\' | b']' | 0..=0x1f | 0x7f..=0xff)
}

/// Byte classes inside a quoted string: 0 plain, 1 `"`, 2 `\`, 3 not allowed (CR, LF, NUL).
static QUOTED_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'"' as usize] = 1;
    t[b'\\' as usize] = 2;
    t[b'\r' as usize] = 3;
    t[b'\n' as usize] = 3;
    t[0] = 3;
    t
};

#[inline]
pub(crate) fn is_astring_char(b: u8) -> bool {
    is_atom_char(b) || b == b']'
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(buf: &'a [u8], opts: ResponseOptions) -> Self {
        Cursor {
            buf,
            pos: 0,
            opts,
            depth: 0,
        }
    }

    #[inline]
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    #[inline]
    pub(crate) fn err<T>(&self, expected: &'static str) -> PResult<T> {
        Err(LexError::Syntax {
            at: self.pos,
            expected,
        })
    }

    #[inline]
    pub(crate) fn peek(&self) -> PResult<u8> {
        self.buf.get(self.pos).copied().ok_or(LexError::Incomplete)
    }

    /// The byte after the next one (Incomplete at the end).
    #[inline]
    pub(crate) fn peek2(&self) -> PResult<u8> {
        self.buf
            .get(self.pos + 1)
            .copied()
            .ok_or(LexError::Incomplete)
    }

    #[inline]
    pub(crate) fn byte(&mut self, b: u8, expected: &'static str) -> PResult<()> {
        if self.peek()? == b {
            self.pos += 1;
            Ok(())
        } else {
            self.err(expected)
        }
    }

    /// Consumes `b` if it is next; `Incomplete` at the end of input.
    #[inline]
    pub(crate) fn eat(&mut self, b: u8) -> PResult<bool> {
        if self.peek()? == b {
            self.pos += 1;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    #[inline]
    pub(crate) fn sp(&mut self) -> PResult<()> {
        self.byte(b' ', "SP")
    }

    #[inline]
    pub(crate) fn crlf(&mut self) -> PResult<()> {
        match self.peek()? {
            b'\r' => {
                self.pos += 1;
                self.byte(b'\n', "CRLF")
            }
            _ => self.err("CRLF"),
        }
    }

    /// Enters one nesting level (body structures, thread lists, extension lists).
    #[inline]
    pub(crate) fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > self.opts.max_depth {
            Err(LexError::Limit {
                at: self.pos,
                what: "nesting depth",
            })
        } else {
            Ok(())
        }
    }

    #[inline]
    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// 1*ATOM-CHAR. Incomplete if the atom runs to the end of input.
    pub(crate) fn atom(&mut self) -> PResult<&'a [u8]> {
        let rest = self.rest();
        let n = rest
            .iter()
            .position(|&b| !is_atom_char(b))
            .ok_or(LexError::Incomplete)?;
        if n == 0 {
            return self.err("atom");
        }
        let (a, _) = rest.split_at(n);
        self.pos += n;
        Ok(a)
    }

    /// Like [`atom`](Self::atom) but also accepting `]` (ASTRING-CHAR).
    pub(crate) fn astring_atom(&mut self) -> PResult<&'a [u8]> {
        let rest = self.rest();
        let n = rest
            .iter()
            .position(|&b| !is_astring_char(b))
            .ok_or(LexError::Incomplete)?;
        if n == 0 {
            return self.err("astring");
        }
        let (a, _) = rest.split_at(n);
        self.pos += n;
        Ok(a)
    }

    /// A run of bytes for which `f` holds, at least one. Incomplete at end of input.
    pub(crate) fn take_while1(
        &mut self,
        f: impl Fn(u8) -> bool,
        expected: &'static str,
    ) -> PResult<&'a [u8]> {
        let rest = self.rest();
        let n = rest
            .iter()
            .position(|&b| !f(b))
            .ok_or(LexError::Incomplete)?;
        if n == 0 {
            return self.err(expected);
        }
        let (a, _) = rest.split_at(n);
        self.pos += n;
        Ok(a)
    }

    /// Reads an atom and checks it case-insensitively against `kw`.
    pub(crate) fn keyword(&mut self, kw: &'static str) -> PResult<()> {
        let start = self.pos;
        let a = self.atom()?;
        if a.eq_ignore_ascii_case(kw.as_bytes()) {
            Ok(())
        } else {
            Err(LexError::Syntax {
                at: start,
                expected: kw,
            })
        }
    }

    /// number = 1*DIGIT, unsigned 32-bit.
    pub(crate) fn number(&mut self) -> PResult<u32> {
        let v = self.number64()?;
        u32::try_from(v).map_err(|_| LexError::Syntax {
            at: self.pos,
            expected: "number (32-bit)",
        })
    }

    /// nz-number.
    pub(crate) fn nz_number(&mut self) -> PResult<u32> {
        let start = self.pos;
        let v = self.number()?;
        if v == 0 {
            return Err(LexError::Syntax {
                at: start,
                expected: "nz-number",
            });
        }
        Ok(v)
    }

    /// number64 = 1*DIGIT, 0 ..= 2^63-1.
    pub(crate) fn number64(&mut self) -> PResult<u64> {
        let start = self.pos;
        let mut v: u64 = 0;
        let buf = self.buf;
        let mut i = self.pos;
        loop {
            let Some(&b) = buf.get(i) else {
                return Err(LexError::Incomplete);
            };
            if !b.is_ascii_digit() {
                break;
            }
            v = match v
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b - b'0')))
            {
                Some(v) if v <= i64::MAX as u64 => v,
                _ => {
                    return Err(LexError::Syntax {
                        at: start,
                        expected: "number64 (63-bit)",
                    });
                }
            };
            i += 1;
        }
        if i == start {
            return self.err("number");
        }
        self.pos = i;
        Ok(v)
    }

    /// quoted = DQUOTE *QUOTED-CHAR DQUOTE; borrowed unless escapes are present.
    pub(crate) fn quoted(&mut self) -> PResult<Cow<'a, [u8]>> {
        self.byte(b'"', "quoted string")?;
        let rest = self.rest();
        // Fast path: scan plain quoted characters with a class table; stop at
        // the closing quote, a backslash (slow path below) or a bad byte.
        let Some(i) = rest.iter().position(|&b| QUOTED_CLASS[usize::from(b)] != 0) else {
            return Err(LexError::Incomplete);
        };
        match rest.get(i).map(|&b| QUOTED_CLASS[usize::from(b)]) {
            Some(1) => {
                let raw = rest.get(..i).unwrap_or_default();
                self.pos += i + 1;
                return Ok(Cow::Borrowed(raw));
            }
            Some(2) => {}
            _ => {
                return Err(LexError::Syntax {
                    at: self.pos + i,
                    expected: "QUOTED-CHAR",
                });
            }
        }
        let mut i = 0;
        let mut escaped = false;
        loop {
            let Some(&b) = rest.get(i) else {
                return Err(LexError::Incomplete);
            };
            match b {
                b'"' => break,
                b'\\' => {
                    match rest.get(i + 1) {
                        None => return Err(LexError::Incomplete),
                        Some(b'"' | b'\\') => {}
                        Some(_) => {
                            return Err(LexError::Syntax {
                                at: self.pos + i + 1,
                                expected: "\\\" or \\\\ in quoted",
                            });
                        }
                    }
                    escaped = true;
                    i += 2;
                }
                b'\r' | b'\n' | 0 => {
                    return Err(LexError::Syntax {
                        at: self.pos + i,
                        expected: "QUOTED-CHAR",
                    });
                }
                _ => i += 1,
            }
        }
        let raw = rest.get(..i).unwrap_or_default();
        self.pos += i + 1;
        if !escaped {
            return Ok(Cow::Borrowed(raw));
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut it = raw.iter();
        while let Some(&b) = it.next() {
            if b == b'\\' {
                if let Some(&n) = it.next() {
                    out.push(n);
                }
            } else {
                out.push(b);
            }
        }
        Ok(Cow::Owned(out))
    }

    /// literal = "{" number64 ["+"] "}" CRLF *CHAR8 — the data is borrowed.
    /// With `binary`, the literal8 form `~{n}` is parsed instead.
    pub(crate) fn literal(&mut self, binary: bool) -> PResult<&'a [u8]> {
        if binary {
            self.byte(b'~', "literal8")?;
        }
        self.byte(b'{', "literal")?;
        let at = self.pos;
        let n = self.number64()?;
        self.eat(b'+')?;
        self.byte(b'}', "}")?;
        self.crlf()?;
        let n = usize::try_from(n).map_err(|_| LexError::Limit {
            at,
            what: "literal length",
        })?;
        if n > self.opts.max_literal {
            return Err(LexError::Limit {
                at,
                what: "literal length",
            });
        }
        let rest = self.rest();
        if rest.len() < n {
            return Err(LexError::Incomplete);
        }
        let (data, _) = rest.split_at(n);
        self.pos += n;
        Ok(data)
    }

    /// A literal whose bytes must not contain NUL (`CHAR8`).
    fn literal_char8(&mut self) -> PResult<&'a [u8]> {
        let d = self.literal(false)?;
        if let Some(p) = memchr::memchr(0, d) {
            return Err(LexError::Syntax {
                at: self.pos - d.len() + p,
                expected: "CHAR8 (no NUL in a literal)",
            });
        }
        Ok(d)
    }

    /// string = quoted / literal.
    pub(crate) fn string(&mut self) -> PResult<IString<'a>> {
        match self.peek()? {
            b'"' => Ok(IString::unchecked(self.quoted()?)),
            b'{' => Ok(IString::unchecked(Cow::Borrowed(self.literal_char8()?))),
            b'N' | b'n' if self.opts.nil_as_empty_string => {
                self.keyword("NIL")?;
                Ok(IString::unchecked(Cow::Borrowed(&[])))
            }
            _ => self.err("string"),
        }
    }

    /// nstring = string / nil.
    pub(crate) fn nstring(&mut self) -> PResult<Option<IString<'a>>> {
        match self.peek()? {
            b'"' => Ok(Some(IString::unchecked(self.quoted()?))),
            b'{' => Ok(Some(IString::unchecked(Cow::Borrowed(
                self.literal_char8()?,
            )))),
            b'N' | b'n' => {
                if self.nil_fast() != Some(true) {
                    self.keyword("NIL")?;
                }
                Ok(None)
            }
            _ => self.err("nstring"),
        }
    }

    /// nstring for message payloads (BODY[], RFC822, ...): a literal is
    /// borrowed as is, without scanning its bytes, so that a large literal costs
    /// nothing to parse. A NUL in such a literal is tolerated on the response side.
    pub(crate) fn nstring_payload(&mut self) -> PResult<Option<Cow<'a, [u8]>>> {
        match self.peek()? {
            b'"' => Ok(Some(self.quoted()?)),
            b'{' => Ok(Some(Cow::Borrowed(self.literal(false)?))),
            b'~' => Ok(Some(Cow::Borrowed(self.literal(true)?))),
            b'N' | b'n' => {
                self.keyword("NIL")?;
                Ok(None)
            }
            _ => self.err("nstring"),
        }
    }

    /// astring = 1*ASTRING-CHAR / string.
    pub(crate) fn astring(&mut self) -> PResult<IString<'a>> {
        match self.peek()? {
            b'"' | b'{' => self.string(),
            _ => self
                .astring_atom()
                .map(|a| IString::unchecked(Cow::Borrowed(a))),
        }
    }

    /// Fast path for `NIL` followed by a non-atom byte: `Some(true)` if
    /// consumed, `None` when the slow path must decide.
    #[inline]
    fn nil_fast(&mut self) -> Option<bool> {
        match self.rest() {
            [n, i, l, next, ..] if !is_atom_char(*next) => {
                if [*n, *i, *l].eq_ignore_ascii_case(b"NIL") {
                    self.pos += 3;
                    Some(true)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// nil check: consumes `NIL` if present (case-insensitive); Incomplete on a prefix of it.
    pub(crate) fn nil(&mut self) -> PResult<bool> {
        if self.nil_fast() == Some(true) {
            return Ok(true);
        }
        match self.peek()? {
            b'N' | b'n' => {
                let start = self.pos;
                let a = self.atom()?;
                if a.eq_ignore_ascii_case(b"NIL") {
                    Ok(true)
                } else {
                    self.pos = start;
                    Ok(false)
                }
            }
            _ => Ok(false),
        }
    }

    /// resp-text `text`: everything up to CRLF (not consumed). May be empty.
    pub(crate) fn text(&mut self) -> PResult<&'a [u8]> {
        let rest = self.rest();
        let n = memchr::memchr2(b'\r', b'\n', rest).ok_or(LexError::Incomplete)?;
        let (t, _) = rest.split_at(n);
        if t.contains(&0) {
            return self.err("TEXT-CHAR");
        }
        self.pos += n;
        Ok(t)
    }
}

/// True when the bytes are valid atom characters (and non-empty).
pub(crate) fn is_atom(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_atom_char(b))
}

/// Writes free text (`text`, the argument text of a response code) so that
/// it cannot end the line or the code early: CR, LF and NUL — and `]` when
/// `in_code` — become spaces. Text that came from the parser never contains
/// them, so parsed values are written unchanged.
pub(crate) fn write_text(enc: &mut crate::primitive::Encoder, text: &[u8], in_code: bool) {
    let bad = |b: u8| matches!(b, b'\r' | b'\n' | 0) || (in_code && b == b']');
    if !text.iter().any(|&b| bad(b)) {
        enc.raw(text);
        return;
    }
    let clean: Vec<u8> = text
        .iter()
        .map(|&b| if bad(b) { b' ' } else { b })
        .collect();
    enc.raw(&clean);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn cur(b: &[u8]) -> Cursor<'_> {
        Cursor::new(b, ResponseOptions::default())
    }

    #[test]
    fn numbers() {
        assert_eq!(cur(b"4294967295 ").number(), Ok(4_294_967_295));
        assert!(matches!(
            cur(b"4294967296 ").number(),
            Err(LexError::Syntax { .. })
        ));
        assert_eq!(cur(b"9223372036854775807)").number64(), Ok(i64::MAX as u64));
        assert!(matches!(
            cur(b"9223372036854775808)").number64(),
            Err(LexError::Syntax { .. })
        ));
        assert!(matches!(
            cur(b"0 ").nz_number(),
            Err(LexError::Syntax { .. })
        ));
        assert_eq!(cur(b"12").number(), Err(LexError::Incomplete));
        assert!(matches!(
            cur(b"x").number(),
            Err(LexError::Syntax { at: 0, .. })
        ));
    }

    #[test]
    fn quoted_strings() {
        let mut c = cur(b"\"a\\\"b\\\\c\" ");
        assert_eq!(c.quoted().unwrap().as_ref(), b"a\"b\\c");
        assert_eq!(c.pos, 9);
        assert!(matches!(
            cur(b"\"abc\" ").quoted(),
            Ok(Cow::Borrowed(b"abc"))
        ));
        assert_eq!(cur(b"\"ab").quoted(), Err(LexError::Incomplete));
        assert_eq!(cur(b"\"ab\\").quoted(), Err(LexError::Incomplete));
        assert!(matches!(
            cur(b"\"a\rb\"").quoted(),
            Err(LexError::Syntax { at: 2, .. })
        ));
        assert!(matches!(
            cur(b"\"a\\x\"").quoted(),
            Err(LexError::Syntax { at: 3, .. })
        ));
        assert_eq!(
            cur(b"\"caf\xc3\xa9\" ").quoted().unwrap().as_ref(),
            "café".as_bytes()
        );
    }

    #[test]
    fn literals_and_nil() {
        let mut c = cur(b"{3}\r\nabc)");
        assert_eq!(c.literal(false), Ok(&b"abc"[..]));
        assert_eq!(cur(b"{3}\r\nab").literal(false), Err(LexError::Incomplete));
        assert_eq!(cur(b"~{1+}\r\n\0 ").literal(true), Ok(&b"\0"[..]));
        assert!(matches!(
            cur(b"{1}\r\n\0 ").nstring(),
            Err(LexError::Syntax { .. })
        ));
        assert_eq!(cur(b"NIL ").nstring(), Ok(None));
        assert_eq!(cur(b"nil)").nstring(), Ok(None));
        assert_eq!(cur(b"NI").nstring(), Err(LexError::Incomplete));
        assert_eq!(cur(b"NIL").nstring(), Err(LexError::Incomplete));
        assert!(matches!(
            cur(b"NILS ").nstring(),
            Err(LexError::Syntax { .. })
        ));
        assert!(!cur(b"NOT ").nil().unwrap());
    }

    #[test]
    fn atoms_and_text() {
        assert_eq!(cur(b"FLAGS (").atom(), Ok(&b"FLAGS"[..]));
        assert_eq!(cur(b"FLAGS").atom(), Err(LexError::Incomplete));
        assert_eq!(cur(b"a]b ").astring_atom(), Ok(&b"a]b"[..]));
        assert_eq!(cur(b"a]b ").atom(), Ok(&b"a"[..]));
        assert_eq!(cur(b"hello world\r\n").text(), Ok(&b"hello world"[..]));
        assert!(matches!(
            cur(b"a\0b\r\n").text(),
            Err(LexError::Syntax { .. })
        ));
        assert_eq!(cur(b"no end").text(), Err(LexError::Incomplete));
    }
}
