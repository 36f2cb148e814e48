//! Lexical tokens of RFC 5322 §3.2 (and §4.1/§4.4 obsolete forms) as a
//! cursor over a field value that collects defects instead of failing.
//!
//! Exposed for crates that parse related grammars (MIME parameters reuse
//! CFWS, atoms and quoted strings); the cursor never panics and always
//! makes progress.

use std::borrow::Cow;

use nom::IResult;
use nom::Parser;
use nom::bytes::complete::take_while1;

use crate::error::{Defect, DefectKind};

/// `atext` (RFC 5322 §3.2.3) extended by RFC 6532 §3.2 with every non-ASCII
/// byte (UTF-8 is validated when the token is turned into text).
#[must_use]
pub const fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'/'
                | b'='
                | b'?'
                | b'^'
                | b'_'
                | b'`'
                | b'{'
                | b'|'
                | b'}'
                | b'~'
        )
        || b >= 0x80
}

/// Whether `b` is WSP or a line-break byte (folding whitespace).
#[must_use]
pub const fn is_fws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// nom parser for `1*atext`.
///
/// # Errors
/// A nom error when no atext byte is at the start.
pub fn atom(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(is_atext).parse(input)
}

/// A cursor over a field value.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    input: &'a [u8],
    pos: usize,
    /// Defects found so far (offsets relative to the value).
    pub defects: Vec<Defect>,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `input`.
    #[must_use]
    pub const fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            pos: 0,
            defects: Vec::new(),
        }
    }

    /// The current offset.
    #[must_use]
    pub const fn pos(&self) -> usize {
        self.pos
    }

    /// The whole input.
    #[must_use]
    pub const fn input(&self) -> &'a [u8] {
        self.input
    }

    /// The bytes not yet consumed.
    #[must_use]
    pub fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or_default()
    }

    /// Whether everything was consumed.
    #[must_use]
    pub const fn at_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    /// The next byte.
    #[must_use]
    pub fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// Consume `b` if it is next.
    pub fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Advance by `n` bytes (clamped to the end).
    pub fn advance(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.input.len());
    }

    /// Record a defect at the current offset.
    pub fn defect(&mut self, kind: DefectKind) {
        self.defect_at(kind, self.pos);
    }

    /// Record a defect at `offset`.
    pub fn defect_at(&mut self, kind: DefectKind, offset: usize) {
        self.defects.push(Defect::new(kind, offset));
    }

    /// Skip FWS (spaces, tabs, line breaks). Returns whether any was skipped.
    #[inline]
    pub fn skip_fws(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(is_fws) {
            self.pos += 1;
        }
        self.pos > start
    }

    /// Skip CFWS (RFC 5322 §3.2.2). Returns whether anything was skipped.
    #[inline]
    pub fn skip_cfws(&mut self) -> bool {
        match self.peek() {
            Some(b' ' | b'\t' | b'\r' | b'\n' | b'(') => self.cfws_inner(None),
            _ => false,
        }
    }

    /// Skip CFWS, collecting the text of each top-level comment (without
    /// its parentheses, quoted-pairs resolved, nested comments kept as
    /// written).
    pub fn cfws_comments(&mut self, out: &mut Vec<Cow<'a, str>>) -> bool {
        self.cfws_inner(Some(out))
    }

    fn cfws_inner(&mut self, mut out: Option<&mut Vec<Cow<'a, str>>>) -> bool {
        let start = self.pos;
        loop {
            self.skip_fws();
            if self.peek() != Some(b'(') {
                break;
            }
            let (content, unescape) = self.comment();
            if let Some(out) = out.as_deref_mut() {
                out.push(self.text(content, unescape));
            }
        }
        self.pos > start
    }

    /// Consume one comment starting at `(`; returns the content range and
    /// whether it holds quoted-pairs. Iterative, so nesting depth cannot
    /// exhaust the stack.
    fn comment(&mut self) -> ((usize, usize), bool) {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        let mut depth = 1usize;
        let mut escaped = false;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => {
                    escaped = true;
                    self.advance(2);
                    continue;
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        let end = self.pos;
                        self.pos += 1;
                        return ((start, end), escaped);
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        self.defect_at(DefectKind::Unterminated, open);
        ((start, self.input.len()), escaped)
    }

    /// Turn `range` of the input into text: line breaks removed (unfolded),
    /// quoted-pairs resolved when `unescape`, invalid UTF-8 replaced with a
    /// defect.
    fn text(&mut self, (s, e): (usize, usize), unescape: bool) -> Cow<'a, str> {
        let raw = self.input.get(s..e).unwrap_or_default();
        let needs_copy = unescape || raw.iter().any(|&b| b == b'\r' || b == b'\n');
        if !needs_copy {
            return match core::str::from_utf8(raw) {
                Ok(t) => Cow::Borrowed(t),
                Err(err) => {
                    self.defect_at(DefectKind::InvalidUtf8, s + err.valid_up_to());
                    String::from_utf8_lossy(raw)
                }
            };
        }
        let mut buf = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            match raw[i] {
                b'\\' if unescape && i + 1 < raw.len() => {
                    // quoted-pair (and obs-qp): the escaped byte stands for
                    // itself; an escaped line break is dropped like folding.
                    let c = raw[i + 1];
                    if c != b'\r' && c != b'\n' {
                        buf.push(c);
                    }
                    i += 2;
                    continue;
                }
                b'\r' | b'\n' => {}
                b => buf.push(b),
            }
            i += 1;
        }
        match String::from_utf8(buf) {
            Ok(t) => Cow::Owned(t),
            Err(err) => {
                self.defect_at(DefectKind::InvalidUtf8, s);
                Cow::Owned(String::from_utf8_lossy(err.as_bytes()).into_owned())
            }
        }
    }

    /// An atom's bytes (no CFWS skipped).
    pub fn atom(&mut self) -> Option<&'a [u8]> {
        let rest = self.rest();
        let (left, a) = atom(rest).ok()?;
        self.pos += rest.len() - left.len();
        Some(a)
    }

    /// An atom as text.
    pub fn atom_text(&mut self) -> Option<Cow<'a, str>> {
        let start = self.pos;
        let a = self.atom()?;
        Some(self.text((start, start + a.len()), false))
    }

    /// A quoted string starting at `"` (RFC 5322 §3.2.4): its content,
    /// unfolded and unescaped. An unterminated string runs to the end with
    /// a defect.
    pub fn quoted_string(&mut self) -> Option<Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        let mut escaped = false;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => {
                    escaped = true;
                    self.advance(2);
                }
                b'"' => {
                    let end = self.pos;
                    self.pos += 1;
                    return Some(self.text((start, end), escaped));
                }
                _ => self.pos += 1,
            }
        }
        self.defect_at(DefectKind::Unterminated, open);
        let end = self.input.len();
        Some(self.text((start, end), escaped))
    }

    /// A dot-atom-text or obs form `atom *([CFWS] "." [CFWS] atom)`,
    /// returned with dots and without CFWS. `None` if no atom is next.
    pub fn dot_atom(&mut self) -> Option<Cow<'a, str>> {
        let start = self.pos;
        let first = self.atom()?;
        let mut end = start + first.len();
        let mut parts: Option<String> = None;
        loop {
            let save = self.pos;
            let saved_defects = self.defects.len();
            let ws_before = self.skip_cfws();
            if !self.eat(b'.') {
                // Not a dot: the CFWS is left for the caller (and its
                // defects, if any, are reported once, by the caller).
                self.pos = save;
                self.defects.truncate(saved_defects);
                break;
            }
            let ws_after = self.skip_cfws();
            let atom_start = self.pos;
            let Some(next) = self.atom() else {
                // A trailing or doubled dot (obs-local-part allows neither,
                // but it is common): keep it.
                self.defect_at(DefectKind::ObsoleteSyntax, atom_start);
                let s = parts.get_or_insert_with(|| lossy(&self.input[start..end]));
                s.push('.');
                end = atom_start;
                continue;
            };
            if ws_before || ws_after || parts.is_some() {
                if ws_before || ws_after {
                    self.defect_at(DefectKind::ObsoleteSyntax, save);
                }
                let s = parts.get_or_insert_with(|| lossy(&self.input[start..end]));
                s.push('.');
                s.push_str(&String::from_utf8_lossy(next));
            }
            end = atom_start + next.len();
        }
        match parts {
            Some(s) => Some(Cow::Owned(s)),
            None => Some(self.text((start, end), false)),
        }
    }

    /// Skip to the next byte of `stops` at nesting level zero (outside
    /// quotes, comments, angle brackets and domain literals), recording an
    /// [`DefectKind::UnexpectedText`] defect if anything was skipped.
    pub fn recover_to(&mut self, stops: &[u8]) {
        let start = self.pos;
        let mut angle = 0usize;
        while let Some(b) = self.peek() {
            if angle == 0 && stops.contains(&b) {
                break;
            }
            match b {
                b'"' => {
                    self.quoted_string();
                    continue;
                }
                b'(' => {
                    self.comment();
                    continue;
                }
                b'\\' => {
                    self.advance(2);
                    continue;
                }
                b'<' => angle += 1,
                b'>' => angle = angle.saturating_sub(1),
                _ => {}
            }
            self.pos += 1;
        }
        if self.pos > start {
            self.defect_at(DefectKind::UnexpectedText, start);
        }
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The text of every top-level comment in a structured field value.
///
/// ```
/// use mailwire_rfc5322::lexical::comments;
/// assert_eq!(comments(b"a (one) b (two (nested)) c"), ["one", "two (nested)"]);
/// ```
#[must_use]
pub fn comments(value: &[u8]) -> Vec<Cow<'_, str>> {
    let mut c = Cursor::new(value);
    let mut out = Vec::new();
    while !c.at_end() {
        c.cfws_comments(&mut out);
        match c.peek() {
            Some(b'"') => {
                c.quoted_string();
            }
            Some(b'\\') => c.advance(2),
            Some(_) => c.advance(1),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn cfws_and_comments() {
        let mut c = Cursor::new(b" (a (b) \\) c)\r\n (d) x");
        let mut out = Vec::new();
        assert!(c.cfws_comments(&mut out));
        assert_eq!(out, ["a (b) ) c", "d"]);
        assert_eq!(c.rest(), b"x");
        let mut c = Cursor::new(b"(unterminated (x)");
        c.skip_cfws();
        assert!(c.at_end());
        assert_eq!(c.defects[0].kind, DefectKind::Unterminated);
        // Deep nesting does not recurse.
        let deep = "(".repeat(100_000);
        let mut c = Cursor::new(deep.as_bytes());
        c.skip_cfws();
        assert!(c.at_end());
    }

    #[test]
    fn quoted_and_dot_atom() {
        let mut c = Cursor::new(b"\"a \\\"b\\\\\r\n c\"rest");
        assert_eq!(c.quoted_string().unwrap(), "a \"b\\ c");
        assert_eq!(c.rest(), b"rest");
        let mut c = Cursor::new(b"john.q.public@x");
        assert!(matches!(
            c.dot_atom().unwrap(),
            Cow::Borrowed("john.q.public")
        ));
        let mut c = Cursor::new(b"john . q (c) .public @");
        assert_eq!(c.dot_atom().unwrap(), "john.q.public");
        assert_eq!(c.rest(), b" @");
        assert!(!c.defects.is_empty());
        let mut c = Cursor::new(b"a..b@");
        assert_eq!(c.dot_atom().unwrap(), "a..b");
        let mut c = Cursor::new(b"a. @");
        assert_eq!(c.dot_atom().unwrap(), "a.");
        assert_eq!(c.rest(), b"@");
    }
}
