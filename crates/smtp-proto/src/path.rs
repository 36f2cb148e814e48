//! Mailboxes, domains, address literals and the reverse and forward paths of
//! RFC 5321 §4.1.2, with SMTPUTF8 (RFC 6531) and the limits of §4.5.3.1.

use core::net::{Ipv4Addr, Ipv6Addr};

use std::borrow::Cow;
use std::fmt;

use crate::error::{SyntaxError, SyntaxErrorKind};

/// Maximum local-part length in octets (§4.5.3.1.1).
pub const MAX_LOCAL_PART: usize = 64;
/// Maximum domain length in octets (§4.5.3.1.2).
pub const MAX_DOMAIN: usize = 255;
/// Maximum path length in octets including the angle brackets (§4.5.3.1.3).
pub const MAX_PATH: usize = 256;

const PATH_SYNTAX: &str = "<local-part@domain>";

/// A byte cursor with offsets relative to the start of the parsed input.
pub(crate) struct Cursor<'a> {
    pub(crate) input: &'a [u8],
    pub(crate) pos: usize,
    /// The input from some offset on, as far as it is valid UTF-8: checked
    /// once, when the first piece of text is taken (the verb and other
    /// keywords before it are never checked).
    valid: std::cell::Cell<Option<(usize, &'a str)>>,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Cursor {
            input,
            pos: 0,
            valid: std::cell::Cell::new(None),
        }
    }
    /// A cursor over the same input at `pos`, sharing what was checked.
    pub(crate) fn at(&self, pos: usize) -> Cursor<'a> {
        Cursor {
            input: self.input,
            pos,
            valid: std::cell::Cell::new(self.valid.get()),
        }
    }
    pub(crate) fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.input.get(self.pos..).unwrap_or(&[])
    }
    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.input.len()
    }
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    /// Eats `p` (see [`Pattern`]).
    pub(crate) fn eat_pattern(&mut self, p: &Pattern) -> bool {
        if p.matches(self.rest()) {
            self.pos += p.len;
            true
        } else {
            false
        }
    }
    pub(crate) fn take_while(&mut self, f: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if !f(b) {
                break;
            }
            self.pos += 1;
        }
        &self.input[start..self.pos]
    }
    /// The run of `class` octets (see [`crate::scan::CLASS`]) at the cursor.
    pub(crate) fn take_class(&mut self, class: u8) -> &'a [u8] {
        let rest = self.rest();
        let n = crate::scan::run(rest, class);
        self.pos += n;
        rest.get(..n).unwrap_or(&[])
    }
    /// Checks the rest of the line for UTF-8 now (one check for several
    /// pieces of text to come), unless a check was already made.
    pub(crate) fn check_rest_utf8(&self) {
        if self.valid.get().is_none() {
            let rest = self.rest();
            let v = match std::str::from_utf8(rest) {
                Ok(v) => v,
                Err(e) => {
                    std::str::from_utf8(rest.get(..e.valid_up_to()).unwrap_or(&[])).unwrap_or("")
                }
            };
            self.valid.set(Some((self.pos, v)));
        }
    }
    /// The run of `esmtp-value` octets at the cursor (see
    /// [`crate::scan::run_value`]).
    pub(crate) fn take_value(&mut self) -> &'a [u8] {
        let rest = self.rest();
        let n = crate::scan::run_value(rest);
        self.pos += n;
        rest.get(..n).unwrap_or(&[])
    }
    /// `bytes`, a part of the input starting at `offset`, as a `str`:
    /// borrowed from the once-checked rest of the input when it lies in it,
    /// else checked with [`to_str`] (same result and same error).
    #[inline(always)]
    pub(crate) fn to_str(&self, bytes: &'a [u8], offset: usize) -> Result<&'a str, SyntaxError> {
        // The usual case, inline: the piece lies in the checked run.
        if let Some((base, valid)) = self.valid.get()
            && let Some(from) = offset.checked_sub(base)
            && let Some(t) = valid.get(from..from.saturating_add(bytes.len()))
            && t.as_ptr() == bytes.as_ptr()
        {
            return Ok(t);
        }
        self.to_str_checking(bytes, offset)
    }

    /// [`Cursor::to_str`] past its inline case: makes the first check of
    /// the line, or a check beyond the checked run.
    #[inline(never)]
    fn to_str_checking(&self, bytes: &'a [u8], offset: usize) -> Result<&'a str, SyntaxError> {
        let (base, valid) = match self.valid.get() {
            Some(v) => v,
            None => {
                // Up to the next space: the rest of a path or word (a
                // piece beyond it, rare, is checked on its own).
                let rest = self.input.get(offset..).unwrap_or(&[]);
                let v = match std::str::from_utf8(rest) {
                    Ok(v) => v,
                    Err(e) => std::str::from_utf8(rest.get(..e.valid_up_to()).unwrap_or(&[]))
                        .unwrap_or(""),
                };
                self.valid.set(Some((offset, v)));
                (offset, v)
            }
        };
        if let Some(from) = offset.checked_sub(base)
            && let Some(t) = valid.get(from..from.saturating_add(bytes.len()))
            && t.as_ptr() == bytes.as_ptr()
        {
            return Ok(t);
        }
        // A piece beyond the checked run (an ESMTP parameter after the
        // path): check the rest of the line from here once, so the pieces
        // after it are borrowed too. The checked start only moves forward,
        // so the whole line is checked at most about once.
        if offset >= base.saturating_add(valid.len()) {
            let rest = self.input.get(offset..).unwrap_or(&[]);
            let v = match std::str::from_utf8(rest) {
                Ok(v) => v,
                Err(e) => {
                    std::str::from_utf8(rest.get(..e.valid_up_to()).unwrap_or(&[])).unwrap_or("")
                }
            };
            self.valid.set(Some((offset, v)));
            if let Some(t) = v.get(..bytes.len())
                && t.as_ptr() == bytes.as_ptr()
            {
                return Ok(t);
            }
        }
        to_str(bytes, offset)
    }
    pub(crate) fn err(&self, expected: &'static str) -> SyntaxError {
        SyntaxError::expected(expected, self.pos)
    }
}

/// A short literal matched case-insensitively a word at a time: letters
/// are compared with bit 5 set (which folds only letters into letters),
/// other octets exactly.
pub(crate) struct Pattern {
    len: usize,
    mask: [u64; 2],
    value: [u64; 2],
}

impl Pattern {
    /// `lit` (at most 16 octets) as a pattern.
    pub(crate) const fn new(lit: &[u8]) -> Pattern {
        let mut mask = [0u64; 2];
        let mut value = [0u64; 2];
        let mut i = 0;
        while i < lit.len() && i < 16 {
            let b = lit[i];
            let fold = if b.is_ascii_alphabetic() { 0x20u8 } else { 0 };
            mask[i / 8] |= (fold as u64) << (8 * (i % 8));
            value[i / 8] |= ((b | fold) as u64) << (8 * (i % 8));
            i += 1;
        }
        Pattern {
            len: lit.len(),
            mask,
            value,
        }
    }
    fn matches(&self, s: &[u8]) -> bool {
        let Some(s) = s.get(..self.len) else {
            return false;
        };
        let mut words = [0u64; 2];
        let (full, tail) = s.as_chunks::<8>();
        for (w, c) in words.iter_mut().zip(full) {
            *w = u64::from_le_bytes(*c);
        }
        if let Some(w) = words.get_mut(full.len()) {
            *w = tail
                .iter()
                .enumerate()
                .fold(0, |v, (j, &b)| v | u64::from(b) << (8 * j));
        }
        words
            .iter()
            .zip(self.mask)
            .zip(self.value)
            .all(|((w, m), v)| w | m == v)
    }
}

pub(crate) const NULL_PATH: Pattern = Pattern::new(b"<>");
pub(crate) const POSTMASTER: Pattern = Pattern::new(b"<postmaster>");

pub(crate) fn to_str(bytes: &[u8], offset: usize) -> Result<&str, SyntaxError> {
    std::str::from_utf8(bytes)
        .map_err(|e| SyntaxError::new(SyntaxErrorKind::InvalidUtf8, offset + e.valid_up_to()))
}

/// A domain name (sequence of sub-domains; U-labels allowed per RFC 6531).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain<'a>(Cow<'a, str>);

impl<'a> Domain<'a> {
    /// Parses a whole string as a domain.
    pub fn parse(s: &'a str) -> Result<Domain<'a>, SyntaxError> {
        let mut c = Cursor::new(s.as_bytes());
        let d = parse_domain(&mut c)?;
        if !c.at_end() {
            return Err(c.err("domain"));
        }
        Ok(d)
    }
    /// The domain as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Whether it is pure ASCII.
    pub fn is_ascii(&self) -> bool {
        self.0.is_ascii()
    }
    /// Detaches from the input.
    pub fn into_owned(self) -> Domain<'static> {
        Domain(Cow::Owned(self.0.into_owned()))
    }
}

impl fmt::Display for Domain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[inline(always)]
pub(crate) fn parse_domain<'a>(c: &mut Cursor<'a>) -> Result<Domain<'a>, SyntaxError> {
    let start = c.pos;
    let bytes = domain_bytes(c)?;
    Ok(Domain(Cow::Borrowed(c.to_str(bytes, start)?)))
}

/// The octets of a domain at the cursor, its grammar and length checked
/// (not yet its UTF-8).
#[inline(always)]
fn domain_bytes<'a>(c: &mut Cursor<'a>) -> Result<&'a [u8], SyntaxError> {
    use crate::scan::{LDH, LET_DIG, is};
    let start = c.pos;
    let rest = c.rest();
    // sub-domain *("." sub-domain), each Let-dig [Ldh-str], at most 63
    // octets, not ending in "-".
    let mut i = 0;
    loop {
        let label_start = i;
        if !rest.get(i).is_some_and(|&b| is(b, LET_DIG)) {
            return Err(SyntaxError::expected("domain", start + i));
        }
        i += crate::scan::run(rest.get(i..).unwrap_or(&[]), LDH);
        if rest.get(i - 1) == Some(&b'-') || i - label_start > 63 {
            return Err(SyntaxError::expected("domain", start + label_start));
        }
        if rest.get(i) != Some(&b'.') {
            break;
        }
        i += 1;
    }
    c.pos = start + i;
    let bytes = rest.get(..i).unwrap_or(&[]);
    if bytes.len() > MAX_DOMAIN {
        return Err(SyntaxError::new(SyntaxErrorKind::PathTooLong, start));
    }
    Ok(bytes)
}

/// An address literal (RFC 5321 §4.1.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddressLiteral<'a> {
    /// `[192.0.2.1]`
    Ipv4(Ipv4Addr),
    /// `[IPv6:2001:db8::1]`
    Ipv6(Ipv6Addr),
    /// `[tag:content]`
    General {
        /// The standardized tag.
        tag: Cow<'a, str>,
        /// The content after the colon.
        content: Cow<'a, str>,
    },
}

impl AddressLiteral<'_> {
    /// Detaches from the input.
    pub fn into_owned(self) -> AddressLiteral<'static> {
        match self {
            AddressLiteral::Ipv4(a) => AddressLiteral::Ipv4(a),
            AddressLiteral::Ipv6(a) => AddressLiteral::Ipv6(a),
            AddressLiteral::General { tag, content } => AddressLiteral::General {
                tag: Cow::Owned(tag.into_owned()),
                content: Cow::Owned(content.into_owned()),
            },
        }
    }
}

impl fmt::Display for AddressLiteral<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressLiteral::Ipv4(a) => write!(f, "[{a}]"),
            AddressLiteral::Ipv6(a) => write!(f, "[IPv6:{a}]"),
            AddressLiteral::General { tag, content } => write!(f, "[{tag}:{content}]"),
        }
    }
}

fn parse_address_literal<'a>(c: &mut Cursor<'a>) -> Result<AddressLiteral<'a>, SyntaxError> {
    const EXP: &str = "address literal [a.b.c.d] or [IPv6:...]";
    let start = c.pos;
    if !c.eat(b'[') {
        return Err(c.err(EXP));
    }
    let inner = c.take_while(|b| b != b']' && (33..=126).contains(&b) && b != b'[' && b != b'\\');
    if !c.eat(b']') {
        return Err(c.err(EXP));
    }
    let inner_s = c.to_str(inner, start + 1)?;
    if let Some(v6) = inner_s.get(..5).filter(|p| p.eq_ignore_ascii_case("IPv6:")) {
        let _ = v6;
        return inner_s[5..]
            .parse::<Ipv6Addr>()
            .map(AddressLiteral::Ipv6)
            .map_err(|_| SyntaxError::expected(EXP, start + 6));
    }
    if inner.first().is_some_and(u8::is_ascii_digit) && !inner.contains(&b':') {
        return inner_s
            .parse::<Ipv4Addr>()
            .map(AddressLiteral::Ipv4)
            .map_err(|_| SyntaxError::expected(EXP, start + 1));
    }
    // General-address-literal = Standardized-tag ":" 1*dcontent
    match inner_s.split_once(':') {
        Some((tag, content))
            if !tag.is_empty()
                && !content.is_empty()
                && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && tag.as_bytes().last() != Some(&b'-') =>
        {
            Ok(AddressLiteral::General {
                tag: Cow::Borrowed(tag),
                content: Cow::Borrowed(content),
            })
        }
        _ => Err(SyntaxError::expected(EXP, start + 1)),
    }
}

/// The host part of a mailbox or an EHLO argument: a domain or an address literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Host<'a> {
    /// A domain name.
    Domain(Domain<'a>),
    /// An address literal.
    Literal(AddressLiteral<'a>),
}

impl Host<'_> {
    /// Detaches from the input.
    pub fn into_owned(self) -> Host<'static> {
        match self {
            Host::Domain(d) => Host::Domain(d.into_owned()),
            Host::Literal(l) => Host::Literal(l.into_owned()),
        }
    }
    /// Whether it is pure ASCII.
    pub fn is_ascii(&self) -> bool {
        match self {
            Host::Domain(d) => d.is_ascii(),
            Host::Literal(_) => true,
        }
    }
}

impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(d) => d.fmt(f),
            Host::Literal(l) => l.fmt(f),
        }
    }
}

#[inline(always)]
pub(crate) fn parse_host<'a>(c: &mut Cursor<'a>) -> Result<Host<'a>, SyntaxError> {
    if c.peek() == Some(b'[') {
        parse_address_literal(c).map(Host::Literal)
    } else {
        parse_domain(c).map(Host::Domain)
    }
}

/// A mailbox `local-part@host` (RFC 5321 §4.1.2). The local part is kept as
/// written (a dot-string, or a quoted string with its quotes).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox<'a> {
    local_part: Cow<'a, str>,
    host: Host<'a>,
}

impl<'a> Mailbox<'a> {
    /// Parses `local-part@domain` (without angle brackets).
    ///
    /// ```
    /// use mailwire_smtp_proto::path::Mailbox;
    /// let m = Mailbox::parse("\"john doe\"@[192.0.2.1]").unwrap();
    /// assert_eq!(m.local_part(), "\"john doe\"");
    /// assert_eq!(m.to_string(), "\"john doe\"@[192.0.2.1]");
    /// ```
    pub fn parse(s: &'a str) -> Result<Mailbox<'a>, SyntaxError> {
        let mut c = Cursor::new(s.as_bytes());
        let m = parse_mailbox(&mut c)?;
        if !c.at_end() {
            return Err(c.err("local-part@domain"));
        }
        Ok(m)
    }
    /// The local part as written.
    pub fn local_part(&self) -> &str {
        &self.local_part
    }
    /// The local part with quoting removed.
    pub fn local_part_unquoted(&self) -> Cow<'_, str> {
        let lp: &str = &self.local_part;
        match lp.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            None => Cow::Borrowed(lp),
            Some(inner) => {
                let mut out = String::with_capacity(inner.len());
                let mut esc = false;
                for ch in inner.chars() {
                    if !esc && ch == '\\' {
                        esc = true;
                    } else {
                        out.push(ch);
                        esc = false;
                    }
                }
                Cow::Owned(out)
            }
        }
    }
    /// The host part.
    pub fn host(&self) -> &Host<'a> {
        &self.host
    }
    /// Whether the address is pure ASCII (otherwise SMTPUTF8 is required).
    pub fn is_ascii(&self) -> bool {
        self.local_part.is_ascii() && self.host.is_ascii()
    }
    /// Detaches from the input.
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox {
            local_part: Cow::Owned(self.local_part.into_owned()),
            host: self.host.into_owned(),
        }
    }
}

impl fmt::Display for Mailbox<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local_part, self.host)
    }
}

#[inline(always)]
pub(crate) fn parse_mailbox<'a>(c: &mut Cursor<'a>) -> Result<Mailbox<'a>, SyntaxError> {
    let start = c.pos;
    if c.peek() == Some(b'"') {
        c.pos += 1;
        loop {
            match c.peek() {
                Some(b'"') => {
                    c.pos += 1;
                    break;
                }
                Some(b'\\') => {
                    c.pos += 1;
                    if !c.peek().is_some_and(|b| (32..=126).contains(&b)) {
                        return Err(c.err("quoted-pair"));
                    }
                    c.pos += 1;
                }
                Some(b)
                    if b == 32
                        || b == 33
                        || (35..=91).contains(&b)
                        || (93..=126).contains(&b)
                        || b >= 0x80 =>
                {
                    c.pos += 1;
                }
                _ => return Err(c.err("closing quote")),
            }
        }
    } else {
        loop {
            if c.take_class(crate::scan::ATEXT).is_empty() {
                return Err(c.err(PATH_SYNTAX));
            }
            if !c.eat(b'.') {
                break;
            }
        }
    }
    let lp = &c.input[start..c.pos];
    if lp.len() > MAX_LOCAL_PART {
        return Err(SyntaxError::new(SyntaxErrorKind::PathTooLong, start));
    }
    if c.peek() == Some(b'@') && c.input.get(c.pos + 1) != Some(&b'[') {
        // `local-part@domain`: one UTF-8 check for both, split at the "@"
        // (an ASCII octet, so a boundary). Errors are those of checking
        // the local part first, then the domain: the leftmost.
        c.pos += 1;
        if let Err(e) = domain_bytes(c) {
            c.to_str(lp, start)?;
            return Err(e);
        }
        let whole = c.input.get(start..c.pos).unwrap_or(&[]);
        let text = to_str(whole, start)?;
        let (local_part, domain) = (
            text.get(..lp.len()).unwrap_or(""),
            text.get(lp.len() + 1..).unwrap_or(""),
        );
        return Ok(Mailbox {
            local_part: Cow::Borrowed(local_part),
            host: Host::Domain(Domain(Cow::Borrowed(domain))),
        });
    }
    let local_part = c.to_str(lp, start)?;
    if !c.eat(b'@') {
        return Err(c.err(PATH_SYNTAX));
    }
    let host = parse_host(c)?;
    Ok(Mailbox {
        local_part: Cow::Borrowed(local_part),
        host,
    })
}

/// Parses `"<" [ A-d-l ":" ] Mailbox ">"`; the source route is accepted and
/// ignored (§4.1.1.3 and Appendix C). `lenient` accepts a path without
/// angle brackets.
#[inline(always)]
pub(crate) fn parse_path<'a>(
    c: &mut Cursor<'a>,
    lenient: bool,
) -> Result<Mailbox<'a>, SyntaxError> {
    let start = c.pos;
    let bracket = c.eat(b'<');
    if !bracket && !lenient {
        return Err(c.err(PATH_SYNTAX));
    }
    if bracket && c.peek() == Some(b'@') {
        // A-d-l = At-domain *( "," At-domain ) ":"
        loop {
            if !c.eat(b'@') {
                return Err(c.err("source route @domain"));
            }
            parse_domain(c)?;
            if !c.eat(b',') {
                break;
            }
        }
        if !c.eat(b':') {
            return Err(c.err("\":\" after source route"));
        }
    }
    let m = parse_mailbox(c)?;
    if bracket && !c.eat(b'>') {
        return Err(c.err(PATH_SYNTAX));
    }
    if c.pos - start + if bracket { 0 } else { 2 } > MAX_PATH {
        return Err(SyntaxError::new(SyntaxErrorKind::PathTooLong, start));
    }
    Ok(m)
}

/// The MAIL FROM path: a mailbox or the null path `<>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReversePath<'a> {
    /// `<>`, used for bounces.
    Null,
    /// A mailbox.
    Mailbox(Mailbox<'a>),
}

impl ReversePath<'_> {
    /// Detaches from the input.
    pub fn into_owned(self) -> ReversePath<'static> {
        match self {
            ReversePath::Null => ReversePath::Null,
            ReversePath::Mailbox(m) => ReversePath::Mailbox(m.into_owned()),
        }
    }
    /// The mailbox, unless null.
    pub fn mailbox(&self) -> Option<&Mailbox<'_>> {
        match self {
            ReversePath::Null => None,
            ReversePath::Mailbox(m) => Some(m),
        }
    }
}

impl fmt::Display for ReversePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReversePath::Null => f.write_str("<>"),
            ReversePath::Mailbox(m) => write!(f, "<{m}>"),
        }
    }
}

/// The RCPT TO path: `<Postmaster>` or a mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ForwardPath<'a> {
    /// `<Postmaster>` without a domain (§4.1.1.3), case-insensitive.
    Postmaster,
    /// A mailbox.
    Mailbox(Mailbox<'a>),
}

impl ForwardPath<'_> {
    /// Detaches from the input.
    pub fn into_owned(self) -> ForwardPath<'static> {
        match self {
            ForwardPath::Postmaster => ForwardPath::Postmaster,
            ForwardPath::Mailbox(m) => ForwardPath::Mailbox(m.into_owned()),
        }
    }
    /// The mailbox, unless `<Postmaster>`.
    pub fn mailbox(&self) -> Option<&Mailbox<'_>> {
        match self {
            ForwardPath::Postmaster => None,
            ForwardPath::Mailbox(m) => Some(m),
        }
    }
    /// Whether it is pure ASCII.
    pub fn is_ascii(&self) -> bool {
        self.mailbox().is_none_or(Mailbox::is_ascii)
    }
}

impl fmt::Display for ForwardPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ForwardPath::Postmaster => f.write_str("<Postmaster>"),
            ForwardPath::Mailbox(m) => write!(f, "<{m}>"),
        }
    }
}

#[inline(always)]
pub(crate) fn parse_reverse_path<'a>(
    c: &mut Cursor<'a>,
    lenient: bool,
) -> Result<ReversePath<'a>, SyntaxError> {
    if c.eat_pattern(&NULL_PATH) {
        return Ok(ReversePath::Null);
    }
    parse_path(c, lenient).map(ReversePath::Mailbox)
}

#[inline(always)]
pub(crate) fn parse_forward_path<'a>(
    c: &mut Cursor<'a>,
    lenient: bool,
) -> Result<ForwardPath<'a>, SyntaxError> {
    if c.eat_pattern(&POSTMASTER) {
        return Ok(ForwardPath::Postmaster);
    }
    parse_path(c, lenient).map(ForwardPath::Mailbox)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn mailbox_utf8_errors_are_leftmost() {
        use crate::Command;
        // (line, error offset): the local part is checked before the
        // domain, and before a syntax error in the domain.
        for (line, at) in [
            (&b"MAIL FROM:<\xffa@b>\r\n"[..], 11),
            (b"MAIL FROM:<a@\xff>\r\n", 13),
            (b"MAIL FROM:<ab@c.\xc3>\r\n", 16),
            (b"MAIL FROM:<\xff@-b>\r\n", 11),
            (b"MAIL FROM:<a\xc3@b>\r\n", 12),
            (b"RCPT TO:<\xe9\xe9@x\xff.y> NOTIFY=NEVER\r\n", 9),
            (b"MAIL FROM:<\xff@[1.2.3.4]>\r\n", 11),
        ] {
            let e = Command::parse(line).unwrap_err();
            let e = e.syntax().unwrap();
            assert_eq!(e.kind, SyntaxErrorKind::InvalidUtf8, "{line:?}");
            assert_eq!(e.offset, at, "{line:?}");
        }
        // A domain syntax error after a valid local part stays that.
        let e = Command::parse(b"MAIL FROM:<\xc3\xa9@-b>\r\n").unwrap_err();
        assert_ne!(e.syntax().unwrap().kind, SyntaxErrorKind::InvalidUtf8);
        // Valid UTF-8 on both sides splits at the "@".
        let (c, _) =
            Command::parse("RCPT TO:<j\u{f6}rg@b\u{fc}cher.example>\r\n".as_bytes()).unwrap();
        let to = match c {
            Command::Rcpt { to, .. } => to,
            other => unreachable!("{other:?}"),
        };
        let m = to.mailbox().unwrap();
        assert_eq!(m.local_part(), "j\u{f6}rg");
        assert_eq!(m.host().to_string(), "b\u{fc}cher.example");
    }

    #[test]
    fn mailboxes() {
        for ok in [
            "a@b",
            "a.b+c@example.com",
            "\"a b\"@x.y",
            "\"a\\\"b\"@x",
            "user@[192.0.2.1]",
            "user@[IPv6:2001:db8::1]",
            "user@[x-tag:stuff]",
            "用户@例子.广告",
        ] {
            assert!(Mailbox::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "a",
            "@b",
            "a@",
            "a..b@c",
            ".a@b",
            "a@-b",
            "a@b-",
            "a@b..c",
            "a@[1.2.3]",
            "a@[IPv6:zz]",
            "\"a@b",
            "a b@c",
            "a@[300.1.1.1]",
        ] {
            assert!(Mailbox::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Mailbox::parse("\"a\\\"b\"@x")
                .unwrap()
                .local_part_unquoted(),
            "a\"b"
        );
    }

    #[test]
    fn lengths() {
        let lp64 = "a".repeat(64);
        assert!(Mailbox::parse(&format!("{lp64}@x")).is_ok());
        let lp65 = "a".repeat(65);
        assert_eq!(
            Mailbox::parse(&format!("{lp65}@x")).unwrap_err().kind,
            SyntaxErrorKind::PathTooLong
        );
        let label = "a".repeat(63);
        let d = format!("{label}.{label}.{label}.{}", "b".repeat(63));
        assert_eq!(d.len(), 255);
        assert!(Domain::parse(&d).is_ok());
        let d256 = format!("{d}b");
        assert!(Domain::parse(&d256).is_err());
        assert!(Domain::parse(&"a".repeat(64)).is_err());
    }

    #[test]
    fn paths() {
        let mut c = Cursor::new(b"<@a.org,@b.org:user@c.org>");
        let m = parse_path(&mut c, false).unwrap();
        assert_eq!(m.to_string(), "user@c.org");
        let mut c = Cursor::new(b"<PostMaster>");
        assert_eq!(
            parse_forward_path(&mut c, false).unwrap(),
            ForwardPath::Postmaster
        );
        let mut c = Cursor::new(b"<>");
        assert_eq!(
            parse_reverse_path(&mut c, false).unwrap(),
            ReversePath::Null
        );
        let mut c = Cursor::new(b"a@b");
        assert!(parse_path(&mut c, false).is_err());
        let mut c = Cursor::new(b"a@b");
        assert!(parse_path(&mut c, true).is_ok());
    }
}
