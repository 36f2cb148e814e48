//! ESMTP parameters of MAIL and RCPT as typed values (RFC 5321 §4.1.2,
//! 1870, 6152, 3030, 6531, 4954, 3461, 8689, 6710, 4865, 2852, 7293).

use std::borrow::Cow;
use std::fmt;

use crate::error::{SyntaxError, SyntaxErrorKind};
use crate::path::{Cursor, Mailbox, to_str};
use crate::scan::{fold_key, fold_key_const};

/// `BODY=` values (RFC 6152, RFC 3030).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Body {
    /// `7BIT`
    SevenBit,
    /// `8BITMIME`
    EightBitMime,
    /// `BINARYMIME` (requires BDAT)
    BinaryMime,
}

impl Body {
    /// The keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            Body::SevenBit => "7BIT",
            Body::EightBitMime => "8BITMIME",
            Body::BinaryMime => "BINARYMIME",
        }
    }
}

/// `RET=` values (RFC 3461 §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Ret {
    /// `FULL`
    Full,
    /// `HDRS`
    Headers,
}

/// `BY=` mode (RFC 2852 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ByMode {
    /// `N`: notify if not delivered in time.
    Notify,
    /// `R`: return if not delivered in time.
    Return,
}

/// A MAIL FROM parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MailParam<'a> {
    /// `SIZE=n` (RFC 1870).
    Size(u64),
    /// `BODY=` (RFC 6152, RFC 3030).
    Body(Body),
    /// `SMTPUTF8` (RFC 6531).
    SmtpUtf8,
    /// `AUTH=` (RFC 4954 §5): `None` for `<>`, else the xtext-decoded mailbox.
    Auth(Option<Cow<'a, str>>),
    /// `RET=` (RFC 3461).
    Ret(Ret),
    /// `ENVID=` (RFC 3461), xtext-decoded.
    EnvId(Cow<'a, str>),
    /// `REQUIRETLS` (RFC 8689).
    RequireTls,
    /// `MT-PRIORITY=` -9..=9 (RFC 6710).
    MtPriority(i8),
    /// `HOLDFOR=` seconds (RFC 4865).
    HoldFor(u32),
    /// `HOLDUNTIL=` RFC 3339 date-time (RFC 4865), as sent.
    HoldUntil(Cow<'a, str>),
    /// `BY=time;mode[T]` (RFC 2852).
    By {
        /// Seconds (may be negative for mode R... per RFC 2852 §4).
        time: i64,
        /// The mode.
        mode: ByMode,
        /// Trace requested.
        trace: bool,
    },
    /// A parameter this crate does not know, preserved.
    Unknown {
        /// Keyword as sent.
        keyword: Cow<'a, str>,
        /// Value, if any.
        value: Option<Cow<'a, str>>,
    },
}

/// `NOTIFY=` (RFC 3461 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Notify {
    /// `SUCCESS`
    pub success: bool,
    /// `FAILURE`
    pub failure: bool,
    /// `DELAY`
    pub delay: bool,
}

impl Notify {
    /// `NEVER` (no flags set).
    pub fn is_never(self) -> bool {
        !self.success && !self.failure && !self.delay
    }
}

/// A RCPT TO parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RcptParam<'a> {
    /// `NOTIFY=` (RFC 3461).
    Notify(Notify),
    /// `ORCPT=addr-type;xtext` (RFC 3461 §4.2), value xtext-decoded.
    Orcpt {
        /// Address type, e.g. `rfc822` or `utf-8`.
        addr_type: Cow<'a, str>,
        /// The original recipient.
        addr: Cow<'a, str>,
    },
    /// `RRVS=date-time[;C|R]` (RFC 7293).
    Rrvs {
        /// The date-time as sent.
        time: Cow<'a, str>,
        /// `Some('C')` continue or `Some('R')` reject.
        action: Option<char>,
    },
    /// A parameter this crate does not know, preserved.
    Unknown {
        /// Keyword as sent.
        keyword: Cow<'a, str>,
        /// Value, if any.
        value: Option<Cow<'a, str>>,
    },
}

/// Decodes RFC 3461 §4 xtext (`+HH` escapes).
pub fn xtext_decode(s: &str) -> Option<Cow<'_, str>> {
    // Fast path: no escape, every octet stands for itself.
    if crate::scan::run(s.as_bytes(), crate::scan::XCHAR) == s.len() {
        return Some(Cow::Borrowed(s));
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => {
                let h = b.get(i + 1..i + 3)?;
                let hex = |c: u8| match c {
                    b'0'..=b'9' => Some(c - b'0'),
                    b'A'..=b'F' => Some(c - b'A' + 10),
                    _ => None,
                };
                out.push(hex(h[0])? * 16 + hex(h[1])?);
                i += 3;
            }
            c if (33..=126).contains(&c) && c != b'=' => {
                out.push(c);
                i += 1;
            }
            _ => return None,
        }
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

/// Encodes a string as RFC 3461 xtext.
pub fn xtext_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if (33..=126).contains(&b) && b != b'+' && b != b'=' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("+{b:02X}"));
        }
    }
    out
}

/// `s` split at its first `;` (a word-at-a-time byte search: values are
/// short, and a vector search costs more to set up).
fn split_semicolon(s: &str) -> Option<(&str, &str)> {
    let i = crate::scan::find_byte(s.as_bytes(), b';')?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// `1*max_digits DIGIT` as a number (no overflow).
fn parse_u64(v: &[u8], max_digits: usize) -> Option<u64> {
    if v.is_empty() || v.len() > max_digits {
        return None;
    }
    v.iter().try_fold(0u64, |acc, &b| {
        if b.is_ascii_digit() {
            acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

/// Case-folded keys of the keywords and values matched below (see
/// [`word_key`]).
const K_7BIT: u128 = key_const("7BIT");
const K_8BITMIME: u128 = key_const("8BITMIME");
const K_AUTH: u128 = key_const("AUTH");
const K_BINARYMIME: u128 = key_const("BINARYMIME");
const K_BODY: u128 = key_const("BODY");
const K_BY: u128 = key_const("BY");
const K_DELAY: u128 = key_const("DELAY");
const K_ENVID: u128 = key_const("ENVID");
const K_FAILURE: u128 = key_const("FAILURE");
const K_FULL: u128 = key_const("FULL");
const K_HDRS: u128 = key_const("HDRS");
const K_HOLDFOR: u128 = key_const("HOLDFOR");
const K_HOLDUNTIL: u128 = key_const("HOLDUNTIL");
const K_MT_PRIORITY: u128 = key_const("MT-PRIORITY");
const K_N: u128 = key_const("N");
const K_NOTIFY: u128 = key_const("NOTIFY");
const K_NT: u128 = key_const("NT");
const K_ORCPT: u128 = key_const("ORCPT");
const K_R: u128 = key_const("R");
const K_REQUIRETLS: u128 = key_const("REQUIRETLS");
const K_RET: u128 = key_const("RET");
const K_RRVS: u128 = key_const("RRVS");
const K_RT: u128 = key_const("RT");
const K_SIZE: u128 = key_const("SIZE");
const K_SMTPUTF8: u128 = key_const("SMTPUTF8");
const K_SUCCESS: u128 = key_const("SUCCESS");

/// The case-folded key of a keyword or value octet run (ALPHA / DIGIT /
/// "-", or octets from 33 but "="): bit 5 folds only letters into letters
/// for these octets, and no such octet folds to the padding, so equal keys
/// mean equal words up to ASCII case. Longer than 16 octets matches no key
/// (no name here is that long).
fn word_key(w: &[u8]) -> u128 {
    if w.len() > 16 {
        return 0;
    }
    let [a, b, _] = fold_key(w);
    u128::from(a) | u128::from(b) << 64
}

/// [`word_key`] at compile time (names of at most 16 octets).
const fn key_const(s: &str) -> u128 {
    let [a, b, _] = fold_key_const(s);
    a as u128 | (b as u128) << 64
}

/// One raw `keyword[=value]` item, split from the parameter list.
#[derive(Clone, Copy)]
struct RawParam<'a> {
    /// ALPHA / DIGIT / "-" (so ASCII).
    keyword: &'a [u8],
    /// Checked to be UTF-8 when split.
    value: Option<&'a [u8]>,
    offset: usize,
    value_offset: usize,
}

impl<'a> RawParam<'a> {
    fn keyword_str(&self) -> Result<&'a str, SyntaxError> {
        to_str(self.keyword, self.offset)
    }
}

/// The next `SP esmtp-param` of `SP esmtp-param *(SP esmtp-param)` (RFC
/// 5321 §4.1.2; extra spaces tolerated), or `None` at the end of the line.
/// Parameters are read and typed one at a time, so the first error from
/// the left is the one reported.
fn next_param<'a>(c: &mut Cursor<'a>) -> Result<Option<RawParam<'a>>, SyntaxError> {
    use crate::scan::KEYWORD;
    if c.at_end() {
        return Ok(None);
    }
    if !c.eat(b' ') {
        return Err(c.err("SP esmtp-param"));
    }
    while c.eat(b' ') {}
    if c.at_end() {
        return Ok(None);
    }
    let offset = c.pos;
    if !c.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
        return Err(c.err("esmtp-keyword"));
    }
    let keyword = c.take_class(KEYWORD);
    let value = if c.eat(b'=') {
        let value_offset = c.pos;
        let v = c.take_value();
        if v.is_empty() {
            return Err(c.err("esmtp-value"));
        }
        if !v.is_ascii() {
            c.to_str(v, value_offset)?;
        }
        Some((v, value_offset))
    } else {
        None
    };
    if !c.at_end() && c.peek() != Some(b' ') {
        return Err(c.err("SP esmtp-param"));
    }
    Ok(Some(RawParam {
        keyword,
        value: value.map(|v| v.0),
        offset,
        value_offset: value.map_or(0, |v| v.1),
    }))
}

/// A keyword given twice (compared with the keywords of the parameters
/// already typed, case-insensitively).
fn duplicate<'k>(
    p: &RawParam<'_>,
    mut earlier: impl Iterator<Item = &'k str>,
) -> Result<(), SyntaxError> {
    if earlier.any(|k| k.as_bytes().eq_ignore_ascii_case(p.keyword)) {
        return Err(duplicate_error(p));
    }
    Ok(())
}

fn duplicate_error(p: &RawParam<'_>) -> SyntaxError {
    SyntaxError::new(
        SyntaxErrorKind::DuplicateParameter {
            keyword: String::from_utf8_lossy(p.keyword).into_owned(),
        },
        p.offset,
    )
}

/// Marks known keyword number `bit` as seen; a second one is a duplicate.
fn once(seen: &mut u32, bit: u32, p: &RawParam<'_>) -> Result<(), SyntaxError> {
    let b = 1u32 << bit;
    if *seen & b != 0 {
        return Err(duplicate_error(p));
    }
    *seen |= b;
    Ok(())
}

fn invalid(expected: &'static str, offset: usize) -> SyntaxError {
    SyntaxError::new(SyntaxErrorKind::InvalidParameter { expected }, offset)
}

/// The value as text (checked when split).
fn need<'a>(
    c: &Cursor<'a>,
    p: &RawParam<'a>,
    expected: &'static str,
) -> Result<&'a str, SyntaxError> {
    c.to_str(need_bytes(p, expected)?, p.value_offset)
}

fn need_bytes<'a>(p: &RawParam<'a>, expected: &'static str) -> Result<&'a [u8], SyntaxError> {
    p.value.ok_or_else(|| invalid(expected, p.offset))
}

fn no_value(p: &RawParam<'_>) -> Result<(), SyntaxError> {
    match p.value {
        None => Ok(()),
        Some(_) => Err(invalid("no value", p.offset)),
    }
}

/// The parameters of a MAIL command, in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct MailParams<'a>(pub Vec<MailParam<'a>>);

impl<'a> MailParams<'a> {
    pub(crate) fn parse(c: &mut Cursor<'a>) -> Result<MailParams<'a>, SyntaxError> {
        if c.at_end() {
            return Ok(Self(Vec::new()));
        }
        // Room for the usual few parameters up front (one allocation, no
        // growth on the first pushes).
        let mut out: Vec<MailParam<'a>> = Vec::with_capacity(4);
        // Known keywords seen so far, one bit each (an unknown keyword
        // never equals a known one: they differ in their folded key).
        let mut seen = 0u32;
        while let Some(p) = next_param(c)? {
            let p = &p;
            let param = match word_key(p.keyword) {
                K_SIZE => {
                    once(&mut seen, 0, p)?;
                    MailParam::Size(
                        parse_u64(need_bytes(p, "SIZE=1*20DIGIT")?, 20)
                            .ok_or_else(|| invalid("SIZE=1*20DIGIT", p.offset))?,
                    )
                }
                K_BODY => {
                    once(&mut seen, 1, p)?;
                    let v = need_bytes(p, "BODY=7BIT|8BITMIME|BINARYMIME")?;
                    MailParam::Body(match word_key(v) {
                        K_7BIT => Body::SevenBit,
                        K_8BITMIME => Body::EightBitMime,
                        K_BINARYMIME => Body::BinaryMime,
                        _ => return Err(invalid("BODY=7BIT|8BITMIME|BINARYMIME", p.offset)),
                    })
                }
                K_SMTPUTF8 => {
                    once(&mut seen, 2, p)?;
                    no_value(p)?;
                    MailParam::SmtpUtf8
                }
                K_REQUIRETLS => {
                    once(&mut seen, 3, p)?;
                    no_value(p)?;
                    MailParam::RequireTls
                }
                K_AUTH => {
                    once(&mut seen, 4, p)?;
                    let v = need(c, p, "AUTH=<> or AUTH=xtext-mailbox")?;
                    if v == "<>" {
                        MailParam::Auth(None)
                    } else {
                        let d = xtext_decode(v)
                            .ok_or_else(|| invalid("AUTH=<> or AUTH=xtext-mailbox", p.offset))?;
                        MailParam::Auth(Some(d))
                    }
                }
                K_RET => {
                    once(&mut seen, 5, p)?;
                    let v = need(c, p, "RET=FULL|HDRS")?;
                    MailParam::Ret(match word_key(v.as_bytes()) {
                        K_FULL => Ret::Full,
                        K_HDRS => Ret::Headers,
                        _ => return Err(invalid("RET=FULL|HDRS", p.offset)),
                    })
                }
                K_ENVID => {
                    once(&mut seen, 6, p)?;
                    let v = need(c, p, "ENVID=xtext (max 100)")?;
                    let d = xtext_decode(v)
                        .ok_or_else(|| invalid("ENVID=xtext (max 100)", p.offset))?;
                    if d.len() > 100 {
                        return Err(invalid("ENVID=xtext (max 100)", p.offset));
                    }
                    MailParam::EnvId(d)
                }
                K_MT_PRIORITY => {
                    once(&mut seen, 7, p)?;
                    const E: &str = "MT-PRIORITY=[+|-]DIGIT (-9..9)";
                    let v = need(c, p, E)?;
                    let n: i8 = v.parse().map_err(|_| invalid(E, p.offset))?;
                    if !(-9..=9).contains(&n) || v.len() > 2 {
                        return Err(invalid(E, p.offset));
                    }
                    MailParam::MtPriority(n)
                }
                K_HOLDFOR => {
                    once(&mut seen, 8, p)?;
                    const E: &str = "HOLDFOR=1*9DIGIT";
                    let v = parse_u64(need_bytes(p, E)?, 9).ok_or_else(|| invalid(E, p.offset))?;
                    MailParam::HoldFor(u32::try_from(v).map_err(|_| invalid(E, p.offset))?)
                }
                K_HOLDUNTIL => {
                    once(&mut seen, 9, p)?;
                    const E: &str = "HOLDUNTIL=date-time";
                    let v = need(c, p, E)?;
                    if v.len() < 20 || !v.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
                        return Err(invalid(E, p.offset));
                    }
                    MailParam::HoldUntil(Cow::Borrowed(v))
                }
                K_BY => {
                    once(&mut seen, 10, p)?;
                    const E: &str = "BY=[-]time;N|R[T]";
                    let v = need(c, p, E)?;
                    let (t, m) = v.split_once(';').ok_or_else(|| invalid(E, p.offset))?;
                    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
                    let mag =
                        parse_u64(digits.as_bytes(), 9).ok_or_else(|| invalid(E, p.offset))?;
                    let time = if t.starts_with('-') {
                        -(mag as i64)
                    } else {
                        mag as i64
                    };
                    let (mode, trace) = match word_key(m.as_bytes()) {
                        K_N => (ByMode::Notify, false),
                        K_R => (ByMode::Return, false),
                        K_NT => (ByMode::Notify, true),
                        K_RT => (ByMode::Return, true),
                        _ => return Err(invalid(E, p.offset)),
                    };
                    MailParam::By { time, mode, trace }
                }
                _ => {
                    duplicate(
                        p,
                        out.iter()
                            .filter(|q| matches!(q, MailParam::Unknown { .. }))
                            .map(MailParam::keyword),
                    )?;
                    MailParam::Unknown {
                        keyword: Cow::Borrowed(p.keyword_str()?),
                        value: match p.value {
                            Some(_) => Some(Cow::Borrowed(need(c, p, "esmtp-value")?)),
                            None => None,
                        },
                    }
                }
            };
            out.push(param);
        }
        Ok(MailParams(out))
    }

    /// `SIZE=`, if given.
    pub fn size(&self) -> Option<u64> {
        self.0.iter().find_map(|p| match p {
            MailParam::Size(n) => Some(*n),
            _ => None,
        })
    }
    /// `BODY=`, if given.
    pub fn body(&self) -> Option<Body> {
        self.0.iter().find_map(|p| match p {
            MailParam::Body(b) => Some(*b),
            _ => None,
        })
    }
    /// Whether `SMTPUTF8` was given.
    pub fn smtputf8(&self) -> bool {
        self.0.contains(&MailParam::SmtpUtf8)
    }
    /// Whether `REQUIRETLS` was given.
    pub fn requiretls(&self) -> bool {
        self.0.contains(&MailParam::RequireTls)
    }
    /// Unknown parameters.
    pub fn unknown(&self) -> impl Iterator<Item = &MailParam<'a>> {
        self.0
            .iter()
            .filter(|p| matches!(p, MailParam::Unknown { .. }))
    }
    /// Detaches from the input.
    pub fn into_owned(self) -> MailParams<'static> {
        MailParams(self.0.into_iter().map(MailParam::into_owned).collect())
    }
}

fn own(c: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(c.into_owned())
}

impl MailParam<'_> {
    /// The keyword (as sent for an unknown parameter).
    pub fn keyword(&self) -> &str {
        match self {
            MailParam::Size(_) => "SIZE",
            MailParam::Body(_) => "BODY",
            MailParam::SmtpUtf8 => "SMTPUTF8",
            MailParam::Auth(_) => "AUTH",
            MailParam::Ret(_) => "RET",
            MailParam::EnvId(_) => "ENVID",
            MailParam::RequireTls => "REQUIRETLS",
            MailParam::MtPriority(_) => "MT-PRIORITY",
            MailParam::HoldFor(_) => "HOLDFOR",
            MailParam::HoldUntil(_) => "HOLDUNTIL",
            MailParam::By { .. } => "BY",
            MailParam::Unknown { keyword, .. } => keyword,
        }
    }

    /// Detaches from the input.
    pub fn into_owned(self) -> MailParam<'static> {
        match self {
            MailParam::Size(n) => MailParam::Size(n),
            MailParam::Body(b) => MailParam::Body(b),
            MailParam::SmtpUtf8 => MailParam::SmtpUtf8,
            MailParam::Auth(a) => MailParam::Auth(a.map(own)),
            MailParam::Ret(r) => MailParam::Ret(r),
            MailParam::EnvId(e) => MailParam::EnvId(own(e)),
            MailParam::RequireTls => MailParam::RequireTls,
            MailParam::MtPriority(p) => MailParam::MtPriority(p),
            MailParam::HoldFor(n) => MailParam::HoldFor(n),
            MailParam::HoldUntil(s) => MailParam::HoldUntil(own(s)),
            MailParam::By { time, mode, trace } => MailParam::By { time, mode, trace },
            MailParam::Unknown { keyword, value } => MailParam::Unknown {
                keyword: own(keyword),
                value: value.map(own),
            },
        }
    }
}

impl fmt::Display for MailParam<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailParam::Size(n) => write!(f, "SIZE={n}"),
            MailParam::Body(b) => write!(f, "BODY={}", b.as_str()),
            MailParam::SmtpUtf8 => f.write_str("SMTPUTF8"),
            MailParam::Auth(None) => f.write_str("AUTH=<>"),
            // A mailbox literally named "<>" must not read back as the null AUTH.
            MailParam::Auth(Some(a)) if a == "<>" => f.write_str("AUTH=+3C+3E"),
            MailParam::Auth(Some(a)) => write!(f, "AUTH={}", xtext_encode(a)),
            MailParam::Ret(Ret::Full) => f.write_str("RET=FULL"),
            MailParam::Ret(Ret::Headers) => f.write_str("RET=HDRS"),
            MailParam::EnvId(e) => write!(f, "ENVID={}", xtext_encode(e)),
            MailParam::RequireTls => f.write_str("REQUIRETLS"),
            MailParam::MtPriority(p) => write!(f, "MT-PRIORITY={p}"),
            MailParam::HoldFor(n) => write!(f, "HOLDFOR={n}"),
            MailParam::HoldUntil(s) => write!(f, "HOLDUNTIL={s}"),
            MailParam::By { time, mode, trace } => write!(
                f,
                "BY={time};{}{}",
                match mode {
                    ByMode::Notify => "N",
                    ByMode::Return => "R",
                },
                if *trace { "T" } else { "" }
            ),
            MailParam::Unknown {
                keyword,
                value: None,
            } => f.write_str(keyword),
            MailParam::Unknown {
                keyword,
                value: Some(v),
            } => write!(f, "{keyword}={v}"),
        }
    }
}

/// The parameters of a RCPT command, in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct RcptParams<'a>(pub Vec<RcptParam<'a>>);

impl<'a> RcptParams<'a> {
    pub(crate) fn parse(c: &mut Cursor<'a>) -> Result<RcptParams<'a>, SyntaxError> {
        if c.at_end() {
            return Ok(Self(Vec::new()));
        }
        // Room for the usual few parameters up front (one allocation, no
        // growth on the first pushes).
        let mut out: Vec<RcptParam<'a>> = Vec::with_capacity(4);
        // Known keywords seen so far, one bit each (an unknown keyword
        // never equals a known one: they differ in their folded key).
        let mut seen = 0u32;
        while let Some(p) = next_param(c)? {
            let p = &p;
            let param = match word_key(p.keyword) {
                K_NOTIFY => {
                    once(&mut seen, 0, p)?;
                    const E: &str = "NOTIFY=NEVER|SUCCESS,FAILURE,DELAY";
                    let v = need_bytes(p, E)?;
                    let mut n = Notify::default();
                    if v.eq_ignore_ascii_case(b"NEVER") {
                        RcptParam::Notify(n)
                    } else {
                        for item in v.split(|&b| b == b',') {
                            let flag = match word_key(item) {
                                K_SUCCESS => &mut n.success,
                                K_FAILURE => &mut n.failure,
                                K_DELAY => &mut n.delay,
                                _ => return Err(invalid(E, p.offset)),
                            };
                            if *flag {
                                return Err(invalid(E, p.offset));
                            }
                            *flag = true;
                        }
                        RcptParam::Notify(n)
                    }
                }
                K_ORCPT => {
                    once(&mut seen, 1, p)?;
                    const E: &str = "ORCPT=addr-type;xtext";
                    let v = need(c, p, E)?;
                    let (t, a) = split_semicolon(v).ok_or_else(|| invalid(E, p.offset))?;
                    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                        return Err(invalid(E, p.offset));
                    }
                    let addr = xtext_decode(a).ok_or_else(|| invalid(E, p.offset))?;
                    if addr.is_empty() {
                        return Err(invalid(E, p.offset));
                    }
                    RcptParam::Orcpt {
                        addr_type: Cow::Borrowed(t),
                        addr,
                    }
                }
                K_RRVS => {
                    once(&mut seen, 2, p)?;
                    const E: &str = "RRVS=date-time[;C|R]";
                    let v = need(c, p, E)?;
                    let (time, action) = match v.split_once(';') {
                        Some((t, "C" | "c")) => (t, Some('C')),
                        Some((t, "R" | "r")) => (t, Some('R')),
                        Some(_) => return Err(invalid(E, p.offset)),
                        None => (v, None),
                    };
                    if time.len() < 20 || !time.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
                        return Err(invalid(E, p.offset));
                    }
                    RcptParam::Rrvs {
                        time: Cow::Borrowed(time),
                        action,
                    }
                }
                _ => {
                    duplicate(
                        p,
                        out.iter()
                            .filter(|q| matches!(q, RcptParam::Unknown { .. }))
                            .map(RcptParam::keyword),
                    )?;
                    RcptParam::Unknown {
                        keyword: Cow::Borrowed(p.keyword_str()?),
                        value: match p.value {
                            Some(_) => Some(Cow::Borrowed(need(c, p, "esmtp-value")?)),
                            None => None,
                        },
                    }
                }
            };
            out.push(param);
        }
        Ok(RcptParams(out))
    }

    /// `NOTIFY=`, if given.
    pub fn notify(&self) -> Option<Notify> {
        self.0.iter().find_map(|p| match p {
            RcptParam::Notify(n) => Some(*n),
            _ => None,
        })
    }
    /// Unknown parameters.
    pub fn unknown(&self) -> impl Iterator<Item = &RcptParam<'a>> {
        self.0
            .iter()
            .filter(|p| matches!(p, RcptParam::Unknown { .. }))
    }
    /// Detaches from the input.
    pub fn into_owned(self) -> RcptParams<'static> {
        RcptParams(self.0.into_iter().map(RcptParam::into_owned).collect())
    }
}

impl RcptParam<'_> {
    /// The keyword (as sent for an unknown parameter).
    pub fn keyword(&self) -> &str {
        match self {
            RcptParam::Notify(_) => "NOTIFY",
            RcptParam::Orcpt { .. } => "ORCPT",
            RcptParam::Rrvs { .. } => "RRVS",
            RcptParam::Unknown { keyword, .. } => keyword,
        }
    }

    /// Detaches from the input.
    pub fn into_owned(self) -> RcptParam<'static> {
        match self {
            RcptParam::Notify(n) => RcptParam::Notify(n),
            RcptParam::Orcpt { addr_type, addr } => RcptParam::Orcpt {
                addr_type: own(addr_type),
                addr: own(addr),
            },
            RcptParam::Rrvs { time, action } => RcptParam::Rrvs {
                time: own(time),
                action,
            },
            RcptParam::Unknown { keyword, value } => RcptParam::Unknown {
                keyword: own(keyword),
                value: value.map(own),
            },
        }
    }
}

impl fmt::Display for RcptParam<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RcptParam::Notify(n) => {
                if n.is_never() {
                    return f.write_str("NOTIFY=NEVER");
                }
                let mut v = Vec::new();
                if n.success {
                    v.push("SUCCESS");
                }
                if n.failure {
                    v.push("FAILURE");
                }
                if n.delay {
                    v.push("DELAY");
                }
                write!(f, "NOTIFY={}", v.join(","))
            }
            RcptParam::Orcpt { addr_type, addr } => {
                write!(f, "ORCPT={addr_type};{}", xtext_encode(addr))
            }
            RcptParam::Rrvs { time, action: None } => write!(f, "RRVS={time}"),
            RcptParam::Rrvs {
                time,
                action: Some(a),
            } => write!(f, "RRVS={time};{a}"),
            RcptParam::Unknown {
                keyword,
                value: None,
            } => f.write_str(keyword),
            RcptParam::Unknown {
                keyword,
                value: Some(v),
            } => write!(f, "{keyword}={v}"),
        }
    }
}

/// Helper used by [`MailParam::Auth`] users: parse the decoded AUTH= value as a mailbox.
pub fn auth_mailbox<'b>(value: &'b str) -> Option<Mailbox<'b>> {
    Mailbox::parse(value).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn mail(s: &str) -> Result<MailParams<'_>, SyntaxError> {
        MailParams::parse(&mut Cursor::new(s.as_bytes()))
    }
    fn rcpt(s: &str) -> Result<RcptParams<'_>, SyntaxError> {
        RcptParams::parse(&mut Cursor::new(s.as_bytes()))
    }

    #[test]
    fn mail_params() {
        let p = mail(" SIZE=1000 BODY=8bitmime SMTPUTF8 AUTH=a+2Bb@c RET=HDRS ENVID=x+20y REQUIRETLS MT-PRIORITY=-3 HOLDFOR=60 BY=120;RT X-FOO=bar X-FLAG").unwrap();
        assert_eq!(p.size(), Some(1000));
        assert_eq!(p.body(), Some(Body::EightBitMime));
        assert!(p.smtputf8() && p.requiretls());
        assert_eq!(p.0[3], MailParam::Auth(Some(Cow::Borrowed("a+b@c"))));
        assert_eq!(p.0[5], MailParam::EnvId(Cow::Borrowed("x y")));
        assert_eq!(p.0[7], MailParam::MtPriority(-3));
        assert_eq!(
            p.0[9],
            MailParam::By {
                time: 120,
                mode: ByMode::Return,
                trace: true
            }
        );
        assert_eq!(p.unknown().count(), 2);
        let s: Vec<String> = p.0.iter().map(ToString::to_string).collect();
        assert_eq!(s[3], "AUTH=a+2Bb@c");
        for bad in [
            " SIZE=x",
            " SIZE",
            " BODY=9BIT",
            " SMTPUTF8=1",
            " MT-PRIORITY=10",
            " SIZE=1 size=2",
            " =x",
            " A=",
            "SIZE=1",
        ] {
            assert!(mail(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            mail(" SIZE=1 size=2").unwrap_err().kind,
            SyntaxErrorKind::DuplicateParameter { .. }
        ));
    }

    #[test]
    fn rcpt_params() {
        let p =
            rcpt(" NOTIFY=SUCCESS,DELAY ORCPT=rfc822;a+40b RRVS=2014-04-03T23:01:00Z;C").unwrap();
        assert_eq!(
            p.notify(),
            Some(Notify {
                success: true,
                failure: false,
                delay: true
            })
        );
        assert_eq!(
            p.0[1],
            RcptParam::Orcpt {
                addr_type: "rfc822".into(),
                addr: "a@b".into()
            }
        );
        assert!(rcpt(" NOTIFY=NEVER").unwrap().notify().unwrap().is_never());
        assert!(rcpt(" NOTIFY=SUCCESS,SUCCESS").is_err());
        assert!(rcpt(" NOTIFY=BOGUS").is_err());
        assert!(rcpt(" ORCPT=rfc822").is_err());
    }

    #[test]
    fn duplicates_known_and_unknown() {
        fn dup<T>(r: Result<T, SyntaxError>) -> bool {
            matches!(
                r.map(|_| ()).unwrap_err().kind,
                SyntaxErrorKind::DuplicateParameter { .. }
            )
        }
        // Known keywords, any case; the duplicate is found before the
        // value is typed (leftmost error).
        assert!(dup(mail(" SIZE=1 BODY=7BIT size=x")));
        assert!(dup(mail(" BY=1;R by=2;N")));
        assert!(dup(rcpt(" NOTIFY=NEVER notify=SUCCESS")));
        assert!(dup(rcpt(" ORCPT=rfc822;a ORCPT=rfc822;b")));
        // Unknown keywords among themselves.
        assert!(dup(mail(" X-A=1 SIZE=2 x-a")));
        assert!(dup(rcpt(
            " X-LONG-KEYWORD-OVER-16 NOTIFY=NEVER x-long-keyword-over-16=1"
        )));
        // A known keyword and an unknown one that only shares a prefix,
        // and keywords longer than the 16 octets of a key.
        let p = mail(" SIZE=1 SIZEX=2 X-LONG-KEYWORD-OVER-16 X-LONG-KEYWORD-OVER-17").unwrap();
        assert_eq!(p.0.len(), 4);
        assert_eq!(p.unknown().count(), 3);
        let p = rcpt(" NOTIFY=NEVER X-NOTIFY ORCPT=rfc822;a").unwrap();
        assert_eq!(p.0.len(), 3);
    }

    #[test]
    fn utf8_checked_once_per_line() {
        use crate::Command;
        // Invalid UTF-8 in a later parameter is reported at its octet,
        // after a valid path and valid parameters.
        let e = Command::parse(b"RCPT TO:<a@b.example> NOTIFY=NEVER X-A=\xff ORCPT=rfc822;a\r\n")
            .unwrap_err();
        let e = e.syntax().unwrap();
        assert_eq!(e.kind, SyntaxErrorKind::InvalidUtf8);
        assert_eq!(e.offset, 39);
        // Valid UTF-8 after it is still borrowed as text.
        let c = Command::parse(
            "MAIL FROM:<\u{e9}@b.example> X-A=\u{e9}t\u{e9} X-B=\u{e9}\r\n".as_bytes(),
        )
        .unwrap();
        let (Command::Mail { params, .. }, _) = c else {
            panic!()
        };
        assert_eq!(
            params.0[0],
            MailParam::Unknown {
                keyword: "X-A".into(),
                value: Some("\u{e9}t\u{e9}".into())
            }
        );
        assert_eq!(params.0[1].to_string(), "X-B=\u{e9}");
        // A NOTIFY value that is not ASCII is still checked, then refused.
        assert!(rcpt(" NOTIFY=NEVER\u{e9}").is_err());
        assert!(rcpt(" NOTIFY=\u{e9}").is_err());
    }

    #[test]
    fn xtext() {
        assert_eq!(xtext_decode("a+2Bb").unwrap(), "a+b");
        assert!(xtext_decode("a+2").is_none());
        assert!(xtext_decode("a+zz").is_none());
        assert_eq!(xtext_encode("a+b=c d"), "a+2Bb+3Dc+20d");
    }
}
