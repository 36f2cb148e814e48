//! Mailbox names: INBOX, modified UTF-7 (RFC 3501 §5.1.3), UTF-8 names under UTF8=ACCEPT (RFC 6855).
//!
//! On the wire a mailbox is `"INBOX" / astring` (case-insensitive INBOX).
//! [`Mailbox`] keeps the wire bytes as they are (non-UTF-8 bytes included)
//! and normalises any spelling of INBOX to `INBOX`. [`encode_utf7`] and
//! [`decode_utf7`] convert between Unicode names and modified UTF-7.
//!
//! ```
//! use mailwire_imap_proto::mailbox::{decode_utf7, encode_utf7, Mailbox};
//! assert_eq!(encode_utf7("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
//! assert_eq!(decode_utf7("~peter/mail/&U,BTFw-/&ZeVnLIqe-").unwrap(), "~peter/mail/台北/日本語");
//! assert!(Mailbox::new(&b"inBox"[..]).unwrap().is_inbox());
//! ```

use std::borrow::Cow;
use std::fmt;

use crate::error::{ParseError, finish};
use crate::primitive::{
    Encoder, IString, InvalidValue, PResult, astring, is_list_char, peek, string,
};

/// A mailbox name as sent on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mailbox<'a>(Cow<'a, [u8]>);

impl<'a> Mailbox<'a> {
    /// `INBOX`.
    pub const INBOX: Mailbox<'static> = Mailbox(Cow::Borrowed(b"INBOX"));

    /// A mailbox from its wire bytes (any spelling of INBOX becomes `INBOX`).
    /// Fails on NUL.
    pub fn new(raw: impl Into<Cow<'a, [u8]>>) -> Result<Self, InvalidValue> {
        let s = IString::new(raw)?;
        Ok(Mailbox::from_istring(s))
    }

    /// A mailbox from an `astring` value.
    #[must_use]
    pub fn from_istring(s: IString<'a>) -> Self {
        if s.as_bytes().eq_ignore_ascii_case(b"INBOX") {
            Mailbox::INBOX
        } else {
            Mailbox(s.into_inner())
        }
    }

    /// A mailbox from a Unicode name: sent as UTF-8 when `utf8` (UTF8=ACCEPT
    /// enabled, RFC 6855 §3; IMAP4rev2), else in modified UTF-7.
    pub fn from_name(name: &str, utf8: bool) -> Result<Mailbox<'static>, InvalidValue> {
        let raw = if utf8 {
            name.as_bytes().to_vec()
        } else {
            encode_utf7(name).into_bytes()
        };
        Mailbox::new(raw)
    }

    /// `true` for INBOX.
    #[must_use]
    pub fn is_inbox(&self) -> bool {
        self.0.as_ref() == b"INBOX"
    }

    /// The wire bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The Unicode name: modified UTF-7 decoded if the bytes are valid
    /// modified UTF-7, else the bytes as UTF-8 (a UTF-8 name under
    /// UTF8=ACCEPT); `None` if neither.
    #[must_use]
    pub fn name(&self) -> Option<Cow<'_, str>> {
        let s = std::str::from_utf8(&self.0).ok()?;
        if s.is_ascii() {
            match decode_utf7(s) {
                Ok(d) => Some(d),
                Err(_) => Some(Cow::Borrowed(s)),
            }
        } else {
            Some(Cow::Borrowed(s))
        }
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> Mailbox<'static> {
        Mailbox(Cow::Owned(self.0.into_owned()))
    }

    /// Parses a `mailbox` (an `astring`).
    pub fn parse(input: &'a [u8]) -> Result<(Mailbox<'a>, usize), ParseError> {
        finish(input, mailbox(input))
    }

    /// Writes the name as an astring in the cheapest form.
    pub fn write(&self, enc: &mut Encoder) {
        enc.astring(&self.0);
    }
}

impl fmt::Display for Mailbox<'_> {
    /// The Unicode name where it decodes, else the bytes lossily.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(&n),
            None => f.write_str(&String::from_utf8_lossy(&self.0)),
        }
    }
}

/// `mailbox`: "INBOX" / astring.
pub fn mailbox(input: &[u8]) -> PResult<'_, Mailbox<'_>> {
    match astring(input) {
        Ok((r, s)) => Ok((r, Mailbox::from_istring(s))),
        Err(nom::Err::Error(_)) => crate::primitive::fail(input, "mailbox"),
        Err(e) => Err(e),
    }
}

/// A LIST pattern (`list-mailbox`: 1*list-char / string), with `*` and `%` wildcards.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListMailbox<'a>(IString<'a>);

impl<'a> ListMailbox<'a> {
    /// A pattern (fails on NUL).
    pub fn new(raw: impl Into<Cow<'a, [u8]>>) -> Result<Self, InvalidValue> {
        Ok(ListMailbox(IString::new(raw)?))
    }

    /// The bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> ListMailbox<'static> {
        ListMailbox(self.0.into_owned())
    }

    /// Writes the pattern: bare list-chars when possible, else a string.
    pub fn write(&self, enc: &mut Encoder) {
        let b = self.0.as_bytes();
        if !b.is_empty() && b.iter().all(|&c| is_list_char(c)) {
            enc.raw(b);
        } else {
            enc.string(b);
        }
    }
}

/// `list-mailbox`.
pub fn list_mailbox(input: &[u8]) -> PResult<'_, ListMailbox<'_>> {
    match peek(input)? {
        (_, b'"' | b'{') => {
            let (r, s) = string(input)?;
            Ok((r, ListMailbox(s)))
        }
        _ => {
            let (r, b) = match nom::bytes::streaming::take_while1::<_, _, crate::error::NomError>(
                is_list_char,
            )(input)
            {
                Err(nom::Err::Error(_)) => return crate::primitive::fail(input, "list-mailbox"),
                other => other?,
            };
            Ok((r, ListMailbox(IString::unchecked(Cow::Borrowed(b)))))
        }
    }
}

// ---------------------------------------------------------------------------
// Modified UTF-7 (RFC 3501 §5.1.3)
// ---------------------------------------------------------------------------

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/// Encodes a Unicode mailbox name in modified UTF-7.
#[must_use]
pub fn encode_utf7(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending: Vec<u16> = Vec::new();
    let flush = |pending: &mut Vec<u16>, out: &mut String| {
        if pending.is_empty() {
            return;
        }
        out.push('&');
        let mut bits: u32 = 0;
        let mut nbits = 0u32;
        for u in pending.drain(..) {
            bits = (bits << 16) | u32::from(u);
            nbits += 16;
            while nbits >= 6 {
                nbits -= 6;
                out.push(char::from(B64[((bits >> nbits) & 0x3f) as usize]));
            }
        }
        if nbits > 0 {
            out.push(char::from(B64[((bits << (6 - nbits)) & 0x3f) as usize]));
        }
        out.push('-');
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut pending, &mut out);
            if c == '&' {
                out.push_str("&-");
            } else {
                out.push(c);
            }
        } else {
            let mut buf = [0u16; 2];
            pending.extend_from_slice(c.encode_utf16(&mut buf));
        }
    }
    flush(&mut pending, &mut out);
    out
}

/// Why a name is not valid modified UTF-7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Utf7Error {
    /// A character outside printable US-ASCII.
    #[error("non-printable or 8-bit character at index {0}")]
    Char(usize),
    /// A bad shift sequence (unterminated, bad base64, non-zero padding bits,
    /// printable ASCII encoded, adjacent shifts, bad UTF-16).
    #[error("bad modified base64 at index {0}")]
    Shift(usize),
}

fn b64_value(c: u8) -> Option<u32> {
    B64.iter().position(|&x| x == c).map(|p| p as u32)
}

/// Decodes a modified UTF-7 mailbox name (strict: rejects non-canonical encodings).
pub fn decode_utf7(s: &str) -> Result<Cow<'_, str>, Utf7Error> {
    let b = s.as_bytes();
    if !b.contains(&b'&') {
        if let Some(i) = b.iter().position(|c| !(0x20..=0x7e).contains(c)) {
            return Err(Utf7Error::Char(i));
        }
        return Ok(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    let mut last_shift_end: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        if !(0x20..=0x7e).contains(&c) {
            return Err(Utf7Error::Char(i));
        }
        if c != b'&' {
            out.push(char::from(c));
            i += 1;
            continue;
        }
        let start = i;
        let Some(rel) = b[i + 1..].iter().position(|&x| x == b'-') else {
            return Err(Utf7Error::Shift(start));
        };
        let enc = &b[i + 1..i + 1 + rel];
        i = i + 1 + rel + 1;
        if enc.is_empty() {
            out.push('&');
            continue;
        }
        if last_shift_end == Some(start) {
            return Err(Utf7Error::Shift(start));
        }
        let mut bits: u32 = 0;
        let mut nbits = 0u32;
        let mut units: Vec<u16> = Vec::new();
        for &e in enc {
            let v = b64_value(e).ok_or(Utf7Error::Shift(start))?;
            bits = (bits << 6) | v;
            nbits += 6;
            if nbits >= 16 {
                nbits -= 16;
                units.push(((bits >> nbits) & 0xffff) as u16);
                bits &= (1 << nbits) - 1;
            }
        }
        if nbits >= 6 || bits != 0 {
            return Err(Utf7Error::Shift(start));
        }
        for r in char::decode_utf16(units.iter().copied()) {
            let ch = r.map_err(|_| Utf7Error::Shift(start))?;
            if (' '..='~').contains(&ch) {
                return Err(Utf7Error::Shift(start));
            }
            out.push(ch);
        }
        last_shift_end = Some(i);
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rfc3501_example() {
        let wire = "~peter/mail/&U,BTFw-/&ZeVnLIqe-";
        assert_eq!(decode_utf7(wire).unwrap(), "~peter/mail/台北/日本語");
        assert_eq!(encode_utf7("~peter/mail/台北/日本語"), wire);
    }

    #[test]
    fn vectors() {
        assert_eq!(encode_utf7("A&B"), "A&-B");
        assert_eq!(decode_utf7("A&-B").unwrap(), "A&B");
        assert_eq!(encode_utf7("Entwürfe"), "Entw&APw-rfe");
        assert_eq!(encode_utf7("😀"), "&2D3eAA-");
        assert_eq!(decode_utf7("&2D3eAA-").unwrap(), "😀");
        assert_eq!(encode_utf7("Ж"), "&BBY-");
        // Rejections: unterminated, bad char, ASCII encoded, adjacent shifts, lone surrogate, padding bits
        assert!(decode_utf7("&U,BTFw").is_err());
        assert!(decode_utf7("&U/BTFw-").is_err());
        assert!(decode_utf7("&AGE-").is_err());
        assert!(decode_utf7("&U,A-&U,A-").is_err());
        assert!(decode_utf7("&2D0-").is_err());
        assert!(decode_utf7("&U,B-").is_err());
        assert!(decode_utf7("a\tb").is_err());
    }

    #[test]
    fn mailbox_names() {
        let (m, _) = Mailbox::parse(b"inbox ").unwrap();
        assert_eq!(m, Mailbox::INBOX);
        let (m, _) = Mailbox::parse(b"\"INBOX.Sent Items\" ").unwrap();
        assert!(!m.is_inbox());
        assert_eq!(m.name().unwrap(), "INBOX.Sent Items");
        let m = Mailbox::from_name("Entwürfe", false).unwrap();
        assert_eq!(m.as_bytes(), b"Entw&APw-rfe");
        assert_eq!(m.to_string(), "Entwürfe");
        let m = Mailbox::from_name("Entwürfe", true).unwrap();
        assert_eq!(m.as_bytes(), "Entwürfe".as_bytes());
        let m = Mailbox::new(&b"\xff\xfe"[..]).unwrap();
        let mut e = Encoder::default();
        m.write(&mut e);
        assert_eq!(e.as_bytes(), b"{2}\r\n\xff\xfe");
        assert!(m.name().is_none());
    }

    #[test]
    fn list_patterns() {
        let (_, p) = list_mailbox(b"INBOX/% ").unwrap();
        assert_eq!(p.as_bytes(), b"INBOX/%");
        let (_, p) = list_mailbox(b"\"\" ").unwrap();
        assert_eq!(p.as_bytes(), b"");
    }
}
