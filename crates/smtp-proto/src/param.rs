//! ESMTP parameters of MAIL and RCPT as typed values (RFC 5321 §4.1.2,
//! 1870, 6152, 3030, 6531, 4954, 3461, 8689, 6710, 4865, 2852, 7293).

use std::borrow::Cow;
use std::fmt;

use crate::error::{SyntaxError, SyntaxErrorKind};
use crate::path::{Cursor, Mailbox, to_str};
use crate::scan::fold_key_const;

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
#[inline]
pub fn xtext_decode(s: &str) -> Option<Cow<'_, str>> {
    // Fast path: no escape, every octet stands for itself.
    if crate::scan::all_xchar(s.as_bytes()) {
        return Some(Cow::Borrowed(s));
    }
    xtext_decode_escaped(s)
}

/// [`xtext_decode`] past its fast path.
fn xtext_decode_escaped(s: &str) -> Option<Cow<'_, str>> {
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

/// Whether an ORCPT value is `addr-type ";" xtext` with a non-empty xtext
/// that has no escape: then all of it is ASCII and [`type_rcpt`] accepts
/// it as is (`Orcpt` with the address borrowed).
fn plain_orcpt(v: &[u8]) -> bool {
    let Some(i) = crate::scan::find_byte(v, b';') else {
        return false;
    };
    let (t, a) = (v.get(..i).unwrap_or(&[]), v.get(i + 1..).unwrap_or(&[]));
    !t.is_empty()
        && t.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        && !a.is_empty()
        && crate::scan::all_xchar(a)
}

/// `s` split at its first `;` (a word-at-a-time byte search: values are
/// short, and a vector search costs more to set up).
fn split_semicolon(s: &str) -> Option<(&str, &str)> {
    let i = crate::scan::find_byte(s.as_bytes(), b';')?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// Whether `v` is 1 to 8 digits (a word at a time: every octet is
/// 0x30..=0x3F, and still is with 6 added).
fn short_digits(v: &[u8]) -> bool {
    const F0: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const D0: u64 = 0x3030_3030_3030_3030;
    let n = v.len();
    if n == 0 || n > 8 {
        return false;
    }
    // Loaded into a register, padded with "0"s above the digits (copying
    // into a stack array and reading it back stalls store forwarding).
    let pad = if n == 8 { 0 } else { D0 << (8 * n) };
    let w = crate::scan::load_upto8(v) | pad;
    w & F0 == D0 && (w + 0x0606_0606_0606_0606) & F0 == D0
}

/// `1*max_digits DIGIT` as a number (no overflow).
fn parse_u64(v: &[u8], max_digits: usize) -> Option<u64> {
    if v.is_empty() || v.len() > max_digits {
        return None;
    }
    if v.len() <= 19 {
        // Cannot overflow: below 10^19.
        let mut n = 0u64;
        for &b in v {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            n = n * 10 + u64::from(d);
        }
        return Some(n);
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
#[inline]
fn word_key(w: &[u8]) -> u128 {
    const FOLD: u128 = 0x2020_2020_2020_2020_2020_2020_2020_2020;
    let n = w.len();
    let le8 = |at: usize| {
        let mut b = [0u8; 8];
        if let Some(s) = w.get(at..at + 8) {
            b.copy_from_slice(s);
        }
        u128::from(u64::from_le_bytes(b))
    };
    let le4 = |at: usize| {
        let mut b = [0u8; 4];
        if let Some(s) = w.get(at..at + 4) {
            b.copy_from_slice(s);
        }
        u128::from(u32::from_le_bytes(b))
    };
    // The octets, zero-padded to 16, little-endian (overlapping loads).
    let v = match n {
        0..=3 => w
            .iter()
            .enumerate()
            .fold(0, |v, (j, &b)| v | u128::from(b) << (8 * j)),
        4..=7 => le4(0) | le4(n - 4) << (8 * (n - 4)),
        8 => le8(0),
        9..=16 => le8(0) | (le8(n - 8) >> (8 * (16 - n))) << 64,
        _ => return 0,
    };
    FOLD | v
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
#[inline(always)]
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

fn duplicate_error(p: &RawParam<'_>) -> SyntaxError {
    SyntaxError::new(
        SyntaxErrorKind::DuplicateParameter {
            keyword: String::from_utf8_lossy(p.keyword).into_owned(),
        },
        p.offset,
    )
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

/// An unknown parameter's keyword and value as text (both checked when
/// split), shared by MAIL and RCPT.
fn unknown<'a>(
    c: &Cursor<'a>,
    p: &RawParam<'a>,
) -> Result<(Cow<'a, str>, Option<Cow<'a, str>>), SyntaxError> {
    let keyword = Cow::Borrowed(p.keyword_str()?);
    let value = match p.value {
        Some(_) => Some(Cow::Borrowed(need(c, p, "esmtp-value")?)),
        None => None,
    };
    Ok((keyword, value))
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

/// Known MAIL keywords, one bit each ([`MailParams`]' presence set).
pub(crate) const M_SIZE: u16 = 1 << 0;
pub(crate) const M_BODY: u16 = 1 << 1;
pub(crate) const M_SMTPUTF8: u16 = 1 << 2;
pub(crate) const M_REQUIRETLS: u16 = 1 << 3;
pub(crate) const M_AUTH: u16 = 1 << 4;
pub(crate) const M_RET: u16 = 1 << 5;
pub(crate) const M_ENVID: u16 = 1 << 6;
pub(crate) const M_MT_PRIORITY: u16 = 1 << 7;
pub(crate) const M_HOLDFOR: u16 = 1 << 8;
pub(crate) const M_HOLDUNTIL: u16 = 1 << 9;
pub(crate) const M_BY: u16 = 1 << 10;
/// At least one unknown keyword.
pub(crate) const M_UNKNOWN: u16 = 1 << 15;

/// The bit of a known MAIL keyword, 0 for an unknown one.
fn mail_bit(keyword: &[u8]) -> u16 {
    match word_key(keyword) {
        K_SIZE => M_SIZE,
        K_BODY => M_BODY,
        K_SMTPUTF8 => M_SMTPUTF8,
        K_REQUIRETLS => M_REQUIRETLS,
        K_AUTH => M_AUTH,
        K_RET => M_RET,
        K_ENVID => M_ENVID,
        K_MT_PRIORITY => M_MT_PRIORITY,
        K_HOLDFOR => M_HOLDFOR,
        K_HOLDUNTIL => M_HOLDUNTIL,
        K_BY => M_BY,
        _ => 0,
    }
}

/// Known RCPT keywords, one bit each ([`RcptParams`]' presence set).
const R_NOTIFY: u8 = 1 << 0;
const R_ORCPT: u8 = 1 << 1;
const R_RRVS: u8 = 1 << 2;
/// At least one unknown keyword.
const R_UNKNOWN: u8 = 1 << 7;

/// The bit of a known RCPT keyword, 0 for an unknown one.
fn rcpt_bit(keyword: &[u8]) -> u8 {
    match word_key(keyword) {
        K_NOTIFY => R_NOTIFY,
        K_ORCPT => R_ORCPT,
        K_RRVS => R_RRVS,
        _ => 0,
    }
}

/// Marks keyword bit `bit` as seen (a second one is a duplicate), or, for
/// an unknown keyword (`bit == 0`), compares it with the unknown keywords
/// before it, re-split from `start` (rare: only unknown keywords pay).
fn seen_once<'a>(
    c: &Cursor<'a>,
    start: usize,
    bit: u16,
    unknown: u16,
    present: &mut u16,
    p: &RawParam<'a>,
    is_known: impl Fn(&[u8]) -> bool,
) -> Result<(), SyntaxError> {
    if bit != 0 {
        if *present & bit != 0 {
            return Err(duplicate_error(p));
        }
        *present |= bit;
        return Ok(());
    }
    if *present & unknown != 0 {
        let mut d = c.at(start);
        while let Ok(Some(q)) = next_param(&mut d) {
            if q.offset >= p.offset {
                break;
            }
            if !is_known(q.keyword) && q.keyword.eq_ignore_ascii_case(p.keyword) {
                return Err(duplicate_error(p));
            }
        }
    }
    *present |= unknown;
    Ok(())
}

/// Types one MAIL parameter whose keyword bit is `bit` (0: unknown).
#[inline(always)]
fn type_mail<'a>(c: &Cursor<'a>, p: &RawParam<'a>, bit: u16) -> Result<MailParam<'a>, SyntaxError> {
    Ok(match bit {
        M_SIZE => MailParam::Size(
            parse_u64(need_bytes(p, "SIZE=1*20DIGIT")?, 20)
                .ok_or_else(|| invalid("SIZE=1*20DIGIT", p.offset))?,
        ),
        M_BODY => {
            let v = need_bytes(p, "BODY=7BIT|8BITMIME|BINARYMIME")?;
            MailParam::Body(match word_key(v) {
                K_7BIT => Body::SevenBit,
                K_8BITMIME => Body::EightBitMime,
                K_BINARYMIME => Body::BinaryMime,
                _ => return Err(invalid("BODY=7BIT|8BITMIME|BINARYMIME", p.offset)),
            })
        }
        M_SMTPUTF8 => {
            no_value(p)?;
            MailParam::SmtpUtf8
        }
        M_REQUIRETLS => {
            no_value(p)?;
            MailParam::RequireTls
        }
        M_AUTH => {
            let v = need(c, p, "AUTH=<> or AUTH=xtext-mailbox")?;
            if v == "<>" {
                MailParam::Auth(None)
            } else {
                let d = xtext_decode(v)
                    .ok_or_else(|| invalid("AUTH=<> or AUTH=xtext-mailbox", p.offset))?;
                MailParam::Auth(Some(d))
            }
        }
        M_RET => {
            let v = need(c, p, "RET=FULL|HDRS")?;
            MailParam::Ret(match word_key(v.as_bytes()) {
                K_FULL => Ret::Full,
                K_HDRS => Ret::Headers,
                _ => return Err(invalid("RET=FULL|HDRS", p.offset)),
            })
        }
        M_ENVID => {
            let v = need(c, p, "ENVID=xtext (max 100)")?;
            let d = xtext_decode(v).ok_or_else(|| invalid("ENVID=xtext (max 100)", p.offset))?;
            if d.len() > 100 {
                return Err(invalid("ENVID=xtext (max 100)", p.offset));
            }
            MailParam::EnvId(d)
        }
        M_MT_PRIORITY => {
            const E: &str = "MT-PRIORITY=[+|-]DIGIT (-9..9)";
            let v = need(c, p, E)?;
            let n: i8 = v.parse().map_err(|_| invalid(E, p.offset))?;
            if !(-9..=9).contains(&n) || v.len() > 2 {
                return Err(invalid(E, p.offset));
            }
            MailParam::MtPriority(n)
        }
        M_HOLDFOR => {
            const E: &str = "HOLDFOR=1*9DIGIT";
            let v = parse_u64(need_bytes(p, E)?, 9).ok_or_else(|| invalid(E, p.offset))?;
            MailParam::HoldFor(u32::try_from(v).map_err(|_| invalid(E, p.offset))?)
        }
        M_HOLDUNTIL => {
            const E: &str = "HOLDUNTIL=date-time";
            let v = need(c, p, E)?;
            if v.len() < 20 || !v.as_bytes().iter().take(4).all(u8::is_ascii_digit) {
                return Err(invalid(E, p.offset));
            }
            MailParam::HoldUntil(Cow::Borrowed(v))
        }
        M_BY => {
            const E: &str = "BY=[-]time;N|R[T]";
            let v = need(c, p, E)?;
            let (t, m) = v.split_once(';').ok_or_else(|| invalid(E, p.offset))?;
            let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
            let mag = parse_u64(digits.as_bytes(), 9).ok_or_else(|| invalid(E, p.offset))?;
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
            let (keyword, value) = unknown(c, p)?;
            MailParam::Unknown { keyword, value }
        }
    })
}

/// The ESMTP parameters of a MAIL command (RFC 5321 §4.1.2), in order.
///
/// Allocation-free: the parameter text is kept as sent (borrowed from the
/// command line), after it was checked in full when the command was parsed
/// (every syntax error and duplicate keyword is reported by
/// [`Command::parse`](crate::Command::parse), with its offset). `SIZE`,
/// `BODY`, `SMTPUTF8` and `REQUIRETLS` are read at parse time and cost
/// nothing to ask for; [`iter`](Self::iter) types the parameters again on
/// demand (for `AUTH`, `ENVID`, unknown ones, ...).
///
/// Build one with [`from_params`](Self::from_params) or
/// [`push`](Self::push), which apply the same checks as parsing.
///
/// ```
/// use mailwire_smtp_proto::Command;
/// use mailwire_smtp_proto::param::{Body, MailParam};
/// let Command::Mail { params, .. } =
///     Command::parse(b"MAIL FROM:<a@b.c> SIZE=1000 BODY=8BITMIME ENVID=x+2By\r\n")?.0
/// else { unreachable!() };
/// assert_eq!(params.size(), Some(1000));
/// assert_eq!(params.body(), Some(Body::EightBitMime));
/// assert_eq!(params.iter().nth(2), Some(MailParam::EnvId("x+y".into())));
/// # Ok::<(), mailwire_smtp_proto::ParseError>(())
/// ```
#[derive(Clone, Default)]
pub struct MailParams<'a> {
    /// `*(SP esmtp-param)`, checked (so UTF-8); empty when there are none.
    text: Cow<'a, [u8]>,
    /// Offset in `text` of the checked `SIZE=` digits, 0 when absent (the
    /// text starts with a space), so [`size`](Self::size) reads at most 20
    /// digits and `Command` does not grow for a `u64`.
    size_at: u32,
    /// Known keywords present, plus `M_UNKNOWN`.
    present: u16,
    body: Option<Body>,
}

/// What a parameter list scan found (see [`MailParams::scan`]).
struct MailScan {
    size_at: u32,
    present: u16,
    body: Option<Body>,
}

impl<'a> MailParams<'a> {
    #[inline(always)]
    pub(crate) fn parse(c: &mut Cursor<'a>) -> Result<MailParams<'a>, SyntaxError> {
        if c.at_end() {
            return Ok(Self::default());
        }
        let start = c.pos;
        let s = Self::scan(c)?;
        // Checked by the scan, and UTF-8 (keywords and spaces are ASCII,
        // values were checked).
        let rest = c.input.get(start..).unwrap_or(&[]);
        Ok(MailParams {
            text: Cow::Borrowed(rest),
            size_at: s.size_at,
            present: s.present,
            body: s.body,
        })
    }

    /// Checks `*(SP esmtp-param)` to the end of the line, keeping only the
    /// scalars.
    fn scan(c: &mut Cursor<'a>) -> Result<MailScan, SyntaxError> {
        let start = c.pos;
        let mut out = MailScan {
            size_at: 0,
            present: 0,
            body: None,
        };
        while let Some(p) = next_param(c)? {
            let bit = mail_bit(p.keyword);
            // A duplicate is reported before its value is typed.
            seen_once(c, start, bit, M_UNKNOWN, &mut out.present, &p, |k| {
                mail_bit(k) != 0
            })?;
            if bit == M_SIZE {
                // Only checked here (the same check as `type_mail`'s);
                // `size()` reads the digits. A longer line than u32
                // offsets can say is refused long before (line limits).
                let v = need_bytes(&p, "SIZE=1*20DIGIT")?;
                if !short_digits(v) && parse_u64(v, 20).is_none() {
                    return Err(invalid("SIZE=1*20DIGIT", p.offset));
                }
                out.size_at = u32::try_from(p.value_offset - start).unwrap_or(0);
                continue;
            }
            match type_mail(c, &p, bit)? {
                MailParam::Body(b) => out.body = Some(b),
                // Nothing borrowed needs dropping.
                MailParam::Auth(None | Some(Cow::Borrowed(_)))
                | MailParam::EnvId(Cow::Borrowed(_))
                | MailParam::HoldUntil(Cow::Borrowed(_))
                | MailParam::SmtpUtf8
                | MailParam::RequireTls => {}
                other => drop(other),
            }
        }
        Ok(out)
    }

    /// Parameters from typed values, checked as if parsed (a keyword given
    /// twice or an invalid value is an error).
    ///
    /// ```
    /// use mailwire_smtp_proto::param::{Body, MailParam, MailParams};
    /// let p = MailParams::from_params([MailParam::Size(10), MailParam::Body(Body::SevenBit)])?;
    /// assert_eq!(p.to_string(), " SIZE=10 BODY=7BIT");
    /// assert!(MailParams::from_params([MailParam::Size(1), MailParam::Size(2)]).is_err());
    /// # Ok::<(), mailwire_smtp_proto::SyntaxError>(())
    /// ```
    pub fn from_params<'b>(
        params: impl IntoIterator<Item = MailParam<'b>>,
    ) -> Result<MailParams<'static>, SyntaxError> {
        use std::fmt::Write;
        let mut text = String::new();
        for p in params {
            let _ = write!(text, " {p}");
        }
        MailParams::from_text(text)
    }

    fn from_text(text: String) -> Result<MailParams<'static>, SyntaxError> {
        let s = MailParams::scan(&mut Cursor::new(text.as_bytes()))?;
        Ok(MailParams {
            text: Cow::Owned(text.into_bytes()),
            size_at: s.size_at,
            present: s.present,
            body: s.body,
        })
    }

    /// Appends a parameter, checked as if parsed; on error `self` is
    /// unchanged.
    #[allow(clippy::needless_pass_by_value)] // taken like `Vec::push`
    pub fn push(&mut self, param: MailParam<'_>) -> Result<(), SyntaxError> {
        use std::fmt::Write;
        let mut text = String::with_capacity(self.text.len() + 16);
        text.push_str(std::str::from_utf8(&self.text).unwrap_or_default());
        let _ = write!(text, " {param}");
        let p = MailParams::from_text(text)?;
        self.text = p.text;
        self.size_at = p.size_at;
        self.present = p.present;
        self.body = p.body;
        Ok(())
    }

    /// The parameters, typed, in order (typed again from the checked text:
    /// `AUTH`/`ENVID` values with `+HH` escapes are decoded into new
    /// strings).
    pub fn iter(&self) -> MailParamsIter<'_> {
        MailParamsIter {
            c: Cursor::new(&self.text),
        }
    }

    /// No parameters.
    pub fn is_empty(&self) -> bool {
        self.present == 0
    }

    /// The parameter text as sent (checked), without the leading space.
    pub fn as_str(&self) -> &str {
        // Always UTF-8 (checked when parsed or built).
        std::str::from_utf8(&self.text)
            .unwrap_or_default()
            .trim_start_matches(' ')
    }

    /// `SIZE=`, if given (read at parse time).
    pub fn size(&self) -> Option<u64> {
        let at = usize::try_from(self.size_at).ok().filter(|&a| a != 0)?;
        let v = self.text.get(at..)?;
        let n = v.iter().take(20).take_while(|b| b.is_ascii_digit()).count();
        parse_u64(v.get(..n)?, 20)
    }
    /// `BODY=`, if given (read at parse time).
    pub fn body(&self) -> Option<Body> {
        self.body
    }
    /// Whether `SMTPUTF8` was given.
    pub fn smtputf8(&self) -> bool {
        self.present & M_SMTPUTF8 != 0
    }
    /// Whether `REQUIRETLS` was given.
    pub fn requiretls(&self) -> bool {
        self.present & M_REQUIRETLS != 0
    }
    /// Whether a parameter this crate does not know was given.
    pub fn has_unknown(&self) -> bool {
        self.present & M_UNKNOWN != 0
    }
    /// Unknown parameters.
    pub fn unknown(&self) -> impl Iterator<Item = MailParam<'_>> {
        self.iter()
            .filter(|p| matches!(p, MailParam::Unknown { .. }))
    }
    /// Whether only parameters of `allowed` (bits of the known keywords)
    /// and, if `unknown`, unknown ones were given (the server's check).
    pub(crate) fn only(&self, allowed: u16, unknown: bool) -> bool {
        let allowed = allowed | if unknown { M_UNKNOWN } else { 0 };
        self.present & !allowed == 0
    }
    /// Detaches from the input.
    pub fn into_owned(self) -> MailParams<'static> {
        MailParams {
            text: Cow::Owned(self.text.into_owned()),
            size_at: self.size_at,
            present: self.present,
            body: self.body,
        }
    }
}

/// Bits for [`MailParams::only`].
pub(crate) mod mail_bits {
    pub(crate) use super::{
        M_AUTH as AUTH, M_BODY as BODY, M_ENVID as ENVID, M_REQUIRETLS as REQUIRETLS, M_RET as RET,
        M_SIZE as SIZE, M_SMTPUTF8 as SMTPUTF8,
    };
}
/// The iterator and the trait impls shared by [`MailParams`] and
/// [`RcptParams`]: both keep their checked text and type it on demand.
macro_rules! params_impls {
    ($params:ident, $param:ident, $iter:ident, $type_fn:ident, $bit_fn:ident) => {
        /// The typed parameters of a parameter list, from its `iter` method.
        pub struct $iter<'p> {
            c: Cursor<'p>,
        }

        impl fmt::Debug for $iter<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($iter)).finish_non_exhaustive()
            }
        }

        impl<'p> Iterator for $iter<'p> {
            type Item = $param<'p>;
            fn next(&mut self) -> Option<$param<'p>> {
                let p = next_param(&mut self.c).ok()??;
                let t = $type_fn(&self.c, &p, $bit_fn(p.keyword));
                if t.is_err() {
                    // Not reached: the text was checked. Stop for good.
                    self.c.pos = self.c.input.len();
                }
                t.ok()
            }
        }

        impl<'p> IntoIterator for &'p $params<'_> {
            type Item = $param<'p>;
            type IntoIter = $iter<'p>;
            fn into_iter(self) -> $iter<'p> {
                self.iter()
            }
        }

        impl fmt::Debug for $params<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($params))
                    .field(&self.iter().collect::<Vec<_>>())
                    .finish()
            }
        }

        /// Each parameter in its canonical form, each after a space.
        impl fmt::Display for $params<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.iter().try_for_each(|p| write!(f, " {p}"))
            }
        }

        /// Equal when the typed parameters are (case and spacing as sent do not
        /// count).
        impl PartialEq for $params<'_> {
            fn eq(&self, other: &Self) -> bool {
                self.present == other.present && self.iter().eq(other.iter())
            }
        }

        impl Eq for $params<'_> {}

        impl std::hash::Hash for $params<'_> {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.iter().for_each(|p| p.hash(state));
            }
        }
    };
}

params_impls!(MailParams, MailParam, MailParamsIter, type_mail, mail_bit);

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

/// Types one RCPT parameter whose keyword bit is `bit` (0: unknown).
#[inline(always)]
fn type_rcpt<'a>(c: &Cursor<'a>, p: &RawParam<'a>, bit: u8) -> Result<RcptParam<'a>, SyntaxError> {
    Ok(match bit {
        R_NOTIFY => {
            const E: &str = "NOTIFY=NEVER|SUCCESS,FAILURE,DELAY";
            let v = need_bytes(p, E)?;
            let mut n = Notify::default();
            if !v.eq_ignore_ascii_case(b"NEVER") {
                // Items split at "," (a word-at-a-time search; an empty
                // item matches no keyword).
                let mut rest = Some(v);
                while let Some(r) = rest {
                    let (item, next) = match crate::scan::find_byte(r, b',') {
                        Some(i) => (r.get(..i).unwrap_or(&[]), r.get(i + 1..)),
                        None => (r, None),
                    };
                    rest = next;
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
            }
            RcptParam::Notify(n)
        }
        R_ORCPT => {
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
        R_RRVS => {
            const E: &str = "RRVS=date-time[;C|R]";
            let v = need(c, p, E)?;
            let (time, action) = match v.split_once(';') {
                Some((t, "C" | "c")) => (t, Some('C')),
                Some((t, "R" | "r")) => (t, Some('R')),
                Some(_) => return Err(invalid(E, p.offset)),
                None => (v, None),
            };
            if time.len() < 20 || !time.as_bytes().iter().take(4).all(u8::is_ascii_digit) {
                return Err(invalid(E, p.offset));
            }
            RcptParam::Rrvs {
                time: Cow::Borrowed(time),
                action,
            }
        }
        _ => {
            let (keyword, value) = unknown(c, p)?;
            RcptParam::Unknown { keyword, value }
        }
    })
}

/// The ESMTP parameters of a RCPT command (RFC 5321 §4.1.2), in order.
///
/// Allocation-free like [`MailParams`]: the checked parameter text is kept
/// as sent; `NOTIFY` is read at parse time, the others are typed on demand
/// by [`iter`](Self::iter).
///
/// ```
/// use mailwire_smtp_proto::Command;
/// use mailwire_smtp_proto::param::RcptParam;
/// let Command::Rcpt { params, .. } =
///     Command::parse(b"RCPT TO:<a@b.c> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;a+40b\r\n")?.0
/// else { unreachable!() };
/// assert!(params.notify().is_some_and(|n| n.success && n.delay && !n.failure));
/// assert!(matches!(params.iter().nth(1), Some(RcptParam::Orcpt { addr, .. }) if addr == "a@b"));
/// # Ok::<(), mailwire_smtp_proto::ParseError>(())
/// ```
#[derive(Clone, Default)]
pub struct RcptParams<'a> {
    /// `*(SP esmtp-param)`, checked (so UTF-8); empty when there are none.
    text: Cow<'a, [u8]>,
    /// Known keywords present, plus `R_UNKNOWN`.
    present: u8,
    notify: Option<Notify>,
}

impl<'a> RcptParams<'a> {
    #[inline(always)]
    pub(crate) fn parse(c: &mut Cursor<'a>) -> Result<RcptParams<'a>, SyntaxError> {
        if c.at_end() {
            return Ok(Self::default());
        }
        let start = c.pos;
        let (present, notify) = Self::scan(c)?;
        // Checked by the scan, and UTF-8 (keywords and spaces are ASCII,
        // values were checked).
        let rest = c.input.get(start..).unwrap_or(&[]);
        Ok(RcptParams {
            text: Cow::Borrowed(rest),
            present,
            notify,
        })
    }

    /// Checks `*(SP esmtp-param)` to the end of the line, keeping only the
    /// presence bits and `NOTIFY`.
    fn scan(c: &mut Cursor<'a>) -> Result<(u8, Option<Notify>), SyntaxError> {
        let start = c.pos;
        let mut present = 0u16;
        let mut notify = None;
        while let Some(p) = next_param(c)? {
            let bit = rcpt_bit(p.keyword);
            // A duplicate is reported before its value is typed.
            seen_once(
                c,
                start,
                u16::from(bit),
                u16::from(R_UNKNOWN),
                &mut present,
                &p,
                |k| rcpt_bit(k) != 0,
            )?;
            // The usual ORCPT (`type;xtext` without escapes) is checked
            // in place; anything else is typed, for the exact error.
            if bit == R_ORCPT && p.value.is_some_and(plain_orcpt) {
                continue;
            }
            match type_rcpt(c, &p, bit)? {
                RcptParam::Notify(n) => notify = Some(n),
                // Borrowed (the usual case): nothing to drop.
                RcptParam::Orcpt {
                    addr: Cow::Borrowed(_),
                    ..
                } => {}
                other => drop(other),
            }
        }
        Ok((present as u8, notify))
    }

    /// Parameters from typed values, checked as if parsed (a keyword given
    /// twice or an invalid value is an error).
    pub fn from_params<'b>(
        params: impl IntoIterator<Item = RcptParam<'b>>,
    ) -> Result<RcptParams<'static>, SyntaxError> {
        use std::fmt::Write;
        let mut text = String::new();
        for p in params {
            let _ = write!(text, " {p}");
        }
        RcptParams::from_text(text)
    }

    fn from_text(text: String) -> Result<RcptParams<'static>, SyntaxError> {
        let (present, notify) = RcptParams::scan(&mut Cursor::new(text.as_bytes()))?;
        Ok(RcptParams {
            text: Cow::Owned(text.into_bytes()),
            present,
            notify,
        })
    }

    /// Appends a parameter, checked as if parsed; on error `self` is
    /// unchanged.
    #[allow(clippy::needless_pass_by_value)] // taken like `Vec::push`
    pub fn push(&mut self, param: RcptParam<'_>) -> Result<(), SyntaxError> {
        use std::fmt::Write;
        let mut text = String::with_capacity(self.text.len() + 16);
        text.push_str(std::str::from_utf8(&self.text).unwrap_or_default());
        let _ = write!(text, " {param}");
        *self = RcptParams::from_text(text)?;
        Ok(())
    }

    /// The parameters, typed, in order (typed again from the checked text).
    pub fn iter(&self) -> RcptParamsIter<'_> {
        RcptParamsIter {
            c: Cursor::new(&self.text),
        }
    }

    /// No parameters.
    pub fn is_empty(&self) -> bool {
        self.present == 0
    }

    /// The parameter text as sent (checked), without the leading space.
    pub fn as_str(&self) -> &str {
        // Always UTF-8 (checked when parsed or built).
        std::str::from_utf8(&self.text)
            .unwrap_or_default()
            .trim_start_matches(' ')
    }

    /// `NOTIFY=`, if given (read at parse time).
    pub fn notify(&self) -> Option<Notify> {
        self.notify
    }
    /// Whether `ORCPT=` was given.
    pub fn has_orcpt(&self) -> bool {
        self.present & R_ORCPT != 0
    }
    /// Whether a parameter this crate does not know was given.
    pub fn has_unknown(&self) -> bool {
        self.present & R_UNKNOWN != 0
    }
    /// Unknown parameters.
    pub fn unknown(&self) -> impl Iterator<Item = RcptParam<'_>> {
        self.iter()
            .filter(|p| matches!(p, RcptParam::Unknown { .. }))
    }
    /// Whether only DSN parameters (if `dsn`) and unknown ones (if
    /// `unknown`) were given (the server's check; `RRVS` counts as unknown
    /// there).
    pub(crate) fn only(&self, dsn: bool, unknown: bool) -> bool {
        let mut allowed = 0;
        if dsn {
            allowed |= R_NOTIFY | R_ORCPT;
        }
        if unknown {
            allowed |= R_RRVS | R_UNKNOWN;
        }
        self.present & !allowed == 0
    }
    /// Detaches from the input.
    pub fn into_owned(self) -> RcptParams<'static> {
        RcptParams {
            text: Cow::Owned(self.text.into_owned()),
            present: self.present,
            notify: self.notify,
        }
    }
}
params_impls!(RcptParams, RcptParam, RcptParamsIter, type_rcpt, rcpt_bit);

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
        assert_eq!(
            p.iter().nth(3).unwrap(),
            MailParam::Auth(Some(Cow::Borrowed("a+b@c")))
        );
        assert_eq!(
            p.iter().nth(5).unwrap(),
            MailParam::EnvId(Cow::Borrowed("x y"))
        );
        assert_eq!(p.iter().nth(7).unwrap(), MailParam::MtPriority(-3));
        assert_eq!(
            p.iter().nth(9).unwrap(),
            MailParam::By {
                time: 120,
                mode: ByMode::Return,
                trace: true
            }
        );
        assert_eq!(p.unknown().count(), 2);
        let s: Vec<String> = p.iter().map(|x| x.to_string()).collect();
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
            p.iter().nth(1).unwrap(),
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
    fn borrowed_params_api() {
        let p = mail(" size=18446744073709551615  BODY=binarymime X-A=1 SMTPUTF8").unwrap();
        assert!(matches!(p.text, Cow::Borrowed(_)));
        assert_eq!(p.size(), Some(u64::MAX));
        assert_eq!(p.body(), Some(Body::BinaryMime));
        assert!(p.smtputf8() && !p.requiretls() && p.has_unknown());
        assert_eq!(p.iter().count(), 4);
        assert_eq!(p.unknown().count(), 1);
        assert_eq!(
            p.as_str(),
            "size=18446744073709551615  BODY=binarymime X-A=1 SMTPUTF8"
        );
        assert_eq!(
            p.to_string(),
            " SIZE=18446744073709551615 BODY=BINARYMIME X-A=1 SMTPUTF8"
        );
        // Equality is on the typed parameters, not on case and spacing.
        let q = MailParams::from_params(p.iter()).unwrap();
        assert_eq!(p, q);
        assert_eq!(q.clone().into_owned(), p.clone().into_owned());
        // 20 digits above u64::MAX: refused at parse time.
        assert!(mail(" SIZE=18446744073709551616").is_err());
        // push: checked, and unchanged on error.
        let mut q = q;
        assert!(q.push(MailParam::Size(1)).is_err());
        assert!(q.push(MailParam::HoldUntil("x".into())).is_err());
        assert_eq!(q, p);
        q.push(MailParam::RequireTls).unwrap();
        assert!(q.requiretls());
        assert_eq!(MailParams::default().size(), None);
        assert!(MailParams::default().is_empty());

        let r = rcpt(" NOTIFY=never ORCPT=rfc822;a+2Bb X-Y").unwrap();
        assert_eq!(r.notify(), Some(Notify::default()));
        assert!(r.has_orcpt() && r.has_unknown());
        assert_eq!(
            r.iter().nth(1),
            Some(RcptParam::Orcpt {
                addr_type: "rfc822".into(),
                addr: "a+b".into()
            })
        );
        let mut r2 = RcptParams::from_params(r.iter()).unwrap();
        assert_eq!(r, r2);
        assert!(r2.push(RcptParam::Notify(Notify::default())).is_err());
        assert!(
            r2.push(RcptParam::Unknown {
                keyword: "x-y".into(),
                value: None
            })
            .is_err()
        );
        assert_eq!(r, r2);
    }

    #[test]
    fn plain_orcpt_is_accepted_as_typed() {
        // Every value up to 5 octets over an alphabet with the separators,
        // escapes, excluded octets and non-ASCII: whenever the in-place
        // check passes, typing gives the borrowed ORCPT it stands for.
        let alphabet: &[u8] = b"a-;+=1F \xc3";
        let mut count = 0;
        for len in 0..=5u32 {
            for mut k in 0..alphabet.len().pow(len) {
                let mut v = Vec::new();
                for _ in 0..len {
                    v.push(alphabet[k % alphabet.len()]);
                    k /= alphabet.len();
                }
                if !plain_orcpt(&v) {
                    continue;
                }
                count += 1;
                let c = Cursor::new(&v);
                let p = RawParam {
                    keyword: b"ORCPT",
                    value: Some(&v),
                    offset: 0,
                    value_offset: 0,
                };
                let semi = v.iter().position(|&b| b == b';').unwrap();
                match type_rcpt(&c, &p, R_ORCPT) {
                    Ok(RcptParam::Orcpt {
                        addr_type,
                        addr: Cow::Borrowed(a),
                    }) => {
                        assert_eq!(addr_type.as_bytes(), &v[..semi]);
                        assert_eq!(a.as_bytes(), &v[semi + 1..]);
                    }
                    other => panic!("{v:?}: {other:?}"),
                }
            }
        }
        assert!(count > 100, "{count}");
    }

    #[test]
    fn short_digits_matches_loop() {
        for n in 0..=9 {
            for at in 0..n.max(1) {
                for b in 0..=255u8 {
                    let mut v = vec![b'5'; n];
                    if let Some(x) = v.get_mut(at) {
                        *x = b;
                    }
                    let want = (1..=8).contains(&n) && v.iter().all(u8::is_ascii_digit);
                    assert_eq!(short_digits(&v), want, "{v:?}");
                }
            }
        }
    }

    #[test]
    fn word_key_matches_fold_key() {
        for n in 0..=17 {
            for b in [b'a', b'Z', b'7', b'-', 0xff] {
                let w: Vec<u8> = (0..n).map(|i| b.wrapping_add(i as u8)).collect();
                let want = if n > 16 {
                    0
                } else {
                    let [a, b, _] = crate::scan::fold_key(&w);
                    u128::from(a) | u128::from(b) << 64
                };
                assert_eq!(word_key(&w), want, "{w:?}");
            }
        }
        assert_eq!(word_key(b"size"), K_SIZE);
        assert_eq!(word_key(b"Mt-Priority"), K_MT_PRIORITY);
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
        assert_eq!(p.iter().count(), 4);
        assert_eq!(p.unknown().count(), 3);
        let p = rcpt(" NOTIFY=NEVER X-NOTIFY ORCPT=rfc822;a").unwrap();
        assert_eq!(p.iter().count(), 3);
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
            params.iter().next().unwrap(),
            MailParam::Unknown {
                keyword: "X-A".into(),
                value: Some("\u{e9}t\u{e9}".into())
            }
        );
        assert_eq!(params.iter().nth(1).unwrap().to_string(), "X-B=\u{e9}");
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
