//! Trace fields: Received (RFC 5322 §3.6.7, RFC 5321 §4.4).
//!
//! ```
//! use mailwire_rfc5322::received::Received;
//! let r = Received::parse(
//!     b"from x.y.test\r\n   by example.net\r\n   via TCP\r\n   with ESMTP\r\n   id ABC12345\r\n   for <mary@example.net>;  21 Nov 1997 10:05:43 -0600",
//! ).value;
//! assert_eq!(r.get("from"), Some("x.y.test"));
//! assert_eq!(r.get("id"), Some("ABC12345"));
//! assert_eq!(r.get("for"), Some("<mary@example.net>"));
//! assert_eq!(r.date.unwrap().day, 21);
//! ```

use std::borrow::Cow;

use crate::datetime::DateTime;
use crate::error::{Defect, DefectKind, Parsed};
use crate::lexical::{Cursor, is_atext};

/// A parsed Received field: `*received-token ";" date-time`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Received<'a> {
    /// The received-tokens in order (words, domains, addr-specs; an
    /// angle-addr keeps its brackets), comments removed.
    pub tokens: Vec<Cow<'a, str>>,
    /// The comments, in order (e.g. `(from [192.0.2.1])`'s content).
    pub comments: Vec<Cow<'a, str>>,
    /// The date after the last `;`, if present and valid.
    pub date: Option<DateTime>,
}

impl<'a> Received<'a> {
    /// Parse a Received value. A missing or invalid date is a defect.
    #[must_use]
    pub fn parse(value: &'a [u8]) -> Parsed<Self> {
        let mut c = Cursor::new(value);
        let mut tokens = Vec::new();
        let mut comments = Vec::new();
        let mut date = None;
        loop {
            c.cfws_comments(&mut comments);
            let before = c.pos();
            match c.peek() {
                None => {
                    c.defect(DefectKind::UnexpectedText);
                    break;
                }
                Some(b';') => {
                    c.advance(1);
                    let off = c.pos();
                    match DateTime::parse(c.rest()) {
                        Ok(p) => {
                            date = Some(p.value);
                            c.defects.extend(
                                p.defects
                                    .into_iter()
                                    .map(|d| Defect::new(d.kind, d.offset + off)),
                            );
                        }
                        Err(_) => c.defect_at(DefectKind::UnexpectedText, off),
                    }
                    break;
                }
                Some(b'<') => {
                    let input = c.input();
                    let end = input[before..]
                        .iter()
                        .position(|&b| b == b'>')
                        .map_or(input.len(), |p| before + p + 1);
                    c.advance(end - before);
                    tokens.push(String::from_utf8_lossy(&input[before..end]));
                }
                Some(b'"') => {
                    if let Some(q) = c.quoted_string() {
                        tokens.push(q);
                    }
                }
                Some(b'[') => {
                    let input = c.input();
                    let end = input[before..]
                        .iter()
                        .position(|&b| b == b']')
                        .map_or(input.len(), |p| before + p + 1);
                    c.advance(end - before);
                    tokens.push(String::from_utf8_lossy(&input[before..end]));
                }
                Some(b) if is_atext(b) || matches!(b, b'.' | b'@') => {
                    let input = c.input();
                    let mut end = before;
                    while end < input.len()
                        && (is_atext(input[end]) || matches!(input[end], b'.' | b'@'))
                    {
                        end += 1;
                    }
                    c.advance(end - before);
                    tokens.push(String::from_utf8_lossy(&input[before..end]));
                }
                Some(_) => {
                    c.defect(DefectKind::UnexpectedText);
                    c.advance(1);
                }
            }
        }
        Parsed {
            value: Self {
                tokens,
                comments,
                date,
            },
            defects: c.defects,
        }
    }

    /// The token after the clause keyword `name` (`from`, `by`, `via`,
    /// `with`, `id`, `for`; ASCII case-insensitive), if any.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.tokens
            .windows(2)
            .find(|w| w[0].eq_ignore_ascii_case(name))
            .map(|w| &*w[1])
    }

    /// A value that owns its data.
    #[must_use]
    pub fn into_owned(self) -> Received<'static> {
        Received {
            tokens: self
                .tokens
                .into_iter()
                .map(|t| Cow::Owned(t.into_owned()))
                .collect(),
            comments: self
                .comments
                .into_iter()
                .map(|t| Cow::Owned(t.into_owned()))
                .collect(),
            date: self.date,
        }
    }
}

/// Parse a Keywords value (RFC 5322 §3.6.5): `phrase *("," phrase)`, each
/// phrase's words joined by one space, encoded words decoded, empty
/// elements dropped with a defect.
///
/// ```
/// use mailwire_rfc5322::received::keywords;
/// assert_eq!(keywords(b" urgent, \"project x\" , =?utf-8?Q?caf=C3=A9?=").value, ["urgent", "project x", "café"]);
/// ```
#[must_use]
pub fn keywords(value: &[u8]) -> Parsed<Vec<Cow<'_, str>>> {
    // A keyword phrase has the same shape as a display name: reuse the
    // address-list phrase machinery by parsing each element as text.
    let mut c = Cursor::new(value);
    let mut out = Vec::new();
    loop {
        c.skip_cfws();
        if c.at_end() {
            break;
        }
        let start = c.pos();
        let mut words: Vec<(Cow<'_, str>, bool)> = Vec::new();
        loop {
            let ws = c.skip_cfws();
            match c.peek() {
                Some(b'"') => {
                    if let Some(q) = c.quoted_string() {
                        words.push((q, ws));
                    }
                }
                Some(b) if is_atext(b) || b == b'.' => {
                    let input = c.input();
                    let s = c.pos();
                    let mut e = s;
                    while e < input.len() && (is_atext(input[e]) || input[e] == b'.') {
                        e += 1;
                    }
                    c.advance(e - s);
                    words.push((String::from_utf8_lossy(&input[s..e]), ws));
                }
                _ => break,
            }
        }
        if words.is_empty() {
            if !c.eat(b',') {
                c.recover_to(b",");
            } else {
                c.defect_at(DefectKind::EmptyListElement, start);
            }
            continue;
        }
        let text: Cow<'_, str> = if words.len() == 1 {
            words.into_iter().next().map(|w| w.0).unwrap_or_default()
        } else {
            let mut s = String::new();
            for (i, (w, ws)) in words.iter().enumerate() {
                if i > 0 && *ws {
                    s.push(' ');
                }
                s.push_str(w);
            }
            Cow::Owned(s)
        };
        let text = if crate::encoded_word::has_ew_start(&text) {
            let mut defects = Vec::new();
            let t = crate::encoded_word::decode_words(text.as_bytes(), &mut defects, true);
            for d in defects {
                c.defect_at(d.kind, start);
            }
            Cow::Owned(t)
        } else {
            text
        };
        out.push(text);
        c.skip_cfws();
        if !c.at_end() && !c.eat(b',') {
            c.recover_to(b",");
            c.eat(b',');
        }
    }
    Parsed {
        value: out,
        defects: c.defects,
    }
}
