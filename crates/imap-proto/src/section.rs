//! `BODY[section]<partial>` and `BINARY[section]` specifiers (RFC 9051 §6.4.5, RFC 3516).
//!
//! ```
//! use mailwire_imap_proto::section::{section, Section};
//! let (_, s) = section(b"[1.2.HEADER.FIELDS (DATE FROM)] ").unwrap();
//! assert!(matches!(s, Section::HeaderFields(Some(_), _)));
//! assert_eq!(s.to_string(), "[1.2.HEADER.FIELDS (DATE FROM)]");
//! ```

use std::fmt;
use std::num::NonZeroU32;

use crate::primitive::{
    Encoder, IString, PResult, Vec1, astring, byte, fail, keyword, number, nz_number, paren_list1,
    peek, sp,
};

/// `section-part`: `1.2.3`, a path of non-zero part numbers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Part(pub Vec1<NonZeroU32>);

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, n) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

/// The content of `[...]` in `BODY[...]` (`section-spec`).
/// Each variant is one form of the grammar; `MIME` requires a part.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Section<'a> {
    /// `[]`: the whole message.
    Full,
    /// `[1.2]`: one body part.
    Part(Part),
    /// `[HEADER]` / `[1.2.HEADER]`.
    Header(Option<Part>),
    /// `[HEADER.FIELDS (A B)]`, optionally of a part.
    HeaderFields(Option<Part>, Vec1<IString<'a>>),
    /// `[HEADER.FIELDS.NOT (A B)]`, optionally of a part.
    HeaderFieldsNot(Option<Part>, Vec1<IString<'a>>),
    /// `[TEXT]` / `[1.2.TEXT]`.
    Text(Option<Part>),
    /// `[1.2.MIME]`.
    Mime(Part),
}

impl Section<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> Section<'static> {
        let own = |v: Vec1<IString<'_>>| v.map(IString::into_owned);
        match self {
            Section::Full => Section::Full,
            Section::Part(p) => Section::Part(p),
            Section::Header(p) => Section::Header(p),
            Section::HeaderFields(p, v) => Section::HeaderFields(p, own(v)),
            Section::HeaderFieldsNot(p, v) => Section::HeaderFieldsNot(p, own(v)),
            Section::Text(p) => Section::Text(p),
            Section::Mime(p) => Section::Mime(p),
        }
    }

    /// Writes `[...]`.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(b"[");
        let part = |enc: &mut Encoder, p: &Option<Part>| {
            if let Some(p) = p {
                enc.raw(p.to_string().as_bytes());
                enc.raw(b".");
            }
        };
        let fields = |enc: &mut Encoder, v: &Vec1<IString<'_>>| {
            enc.raw(b" (");
            for (i, f) in v.iter().enumerate() {
                if i > 0 {
                    enc.raw(b" ");
                }
                enc.astring(f.as_bytes());
            }
            enc.raw(b")");
        };
        match self {
            Section::Full => {}
            Section::Part(p) => enc.raw(p.to_string().as_bytes()),
            Section::Header(p) => {
                part(enc, p);
                enc.raw(b"HEADER");
            }
            Section::HeaderFields(p, v) => {
                part(enc, p);
                enc.raw(b"HEADER.FIELDS");
                fields(enc, v);
            }
            Section::HeaderFieldsNot(p, v) => {
                part(enc, p);
                enc.raw(b"HEADER.FIELDS.NOT");
                fields(enc, v);
            }
            Section::Text(p) => {
                part(enc, p);
                enc.raw(b"TEXT");
            }
            Section::Mime(p) => {
                enc.raw(p.to_string().as_bytes());
                enc.raw(b".MIME");
            }
        }
        enc.raw(b"]");
    }
}

impl fmt::Display for Section<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut e = Encoder::default();
        self.write(&mut e);
        f.write_str(&String::from_utf8_lossy(e.as_bytes()))
    }
}

/// `<offset.length>` on the command side (`partial`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Partial {
    /// First octet (0-based).
    pub offset: u32,
    /// Number of octets.
    pub length: NonZeroU32,
}

impl Partial {
    /// Writes `<offset.length>`.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(b"<");
        enc.number(u64::from(self.offset));
        enc.raw(b".");
        enc.number(u64::from(self.length.get()));
        enc.raw(b">");
    }
}

/// `partial`: `"<" number "." nz-number ">"`.
pub fn partial(input: &[u8]) -> PResult<'_, Partial> {
    let (r, ()) = byte(b'<', "<")(input)?;
    let (r, offset) = number(r)?;
    let (r, ()) = byte(b'.', ".")(r)?;
    let (r, length) = nz_number(r)?;
    let (r, ()) = byte(b'>', ">")(r)?;
    Ok((r, Partial { offset, length }))
}

/// Optional `partial`.
pub fn opt_partial(input: &[u8]) -> PResult<'_, Option<Partial>> {
    match input.first() {
        Some(b'<') => {
            let (r, p) = partial(input)?;
            Ok((r, Some(p)))
        }
        _ => Ok((input, None)),
    }
}

fn section_part(input: &[u8]) -> PResult<'_, (Part, bool)> {
    // Returns the part and whether a "." follows that introduces section-text.
    let (mut r, first) = nz_number(input)?;
    let mut v = vec![first];
    loop {
        match peek(r)? {
            (_, b'.') => match peek(&r[1..])? {
                (_, b'0'..=b'9') => {
                    let (r2, n) = nz_number(&r[1..])?;
                    v.push(n);
                    r = r2;
                    if v.len() > 100 {
                        return Err(nom::Err::Failure(crate::error::NomError::limit(
                            r,
                            "section part too deep",
                        )));
                    }
                }
                _ => {
                    return Ok((
                        &r[1..],
                        (Part(Vec1::new(v).unwrap_or_else(|| Vec1::one(first))), true),
                    ));
                }
            },
            _ => {
                return Ok((
                    r,
                    (
                        Part(Vec1::new(v).unwrap_or_else(|| Vec1::one(first))),
                        false,
                    ),
                ));
            }
        }
    }
}

fn header_list(input: &[u8]) -> PResult<'_, Vec1<IString<'_>>> {
    paren_list1(astring)(input)
}

fn section_text<'a>(input: &'a [u8], part: Option<Part>) -> PResult<'a, Section<'a>> {
    let (r, k) = keyword(input)?;
    let up = crate::primitive::Upper::new(k);
    let up = up.as_slice();
    match up {
        b"HEADER" => Ok((r, Section::Header(part))),
        b"TEXT" => Ok((r, Section::Text(part))),
        b"MIME" => match part {
            Some(p) => Ok((r, Section::Mime(p))),
            None => fail(input, "HEADER, TEXT or HEADER.FIELDS"),
        },
        b"HEADER.FIELDS" | b"HEADER.FIELDS.NOT" => {
            let (r, ()) = sp(r)?;
            let (r, v) = header_list(r)?;
            if up.len() == 13 {
                Ok((r, Section::HeaderFields(part, v)))
            } else {
                Ok((r, Section::HeaderFieldsNot(part, v)))
            }
        }
        _ => fail(input, "section text (HEADER, HEADER.FIELDS, TEXT, MIME)"),
    }
}

/// `section`: `"[" [section-spec] "]"`.
pub fn section(input: &[u8]) -> PResult<'_, Section<'_>> {
    let (r, ()) = byte(b'[', "[")(input)?;
    let (r, s) = match peek(r)? {
        (_, b']') => (r, Section::Full),
        (_, b'0'..=b'9') => {
            let (r2, (part, more)) = section_part(r)?;
            if more {
                section_text(r2, Some(part))?
            } else {
                (r2, Section::Part(part))
            }
        }
        _ => section_text(r, None)?,
    };
    let (r, ()) = byte(b']', "]")(r)?;
    Ok((r, s))
}

/// `section-binary`: `"[" [section-part] "]"` (RFC 3516). `None` is `[]`.
pub fn section_binary(input: &[u8]) -> PResult<'_, Option<Part>> {
    let (r, ()) = byte(b'[', "[")(input)?;
    if let (_, b']') = peek(r)? {
        return Ok((&r[1..], None));
    }
    let (r2, (part, more)) = section_part(r)?;
    if more {
        return fail(r2, "]");
    }
    let (r, ()) = byte(b']', "]")(r2)?;
    Ok((r, Some(part)))
}

/// Writes `section-binary`.
pub fn write_section_binary(enc: &mut Encoder, part: Option<&Part>) {
    enc.raw(b"[");
    if let Some(p) = part {
        enc.raw(p.to_string().as_bytes());
    }
    enc.raw(b"]");
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_form_round_trips() {
        for s in [
            "[]",
            "[1]",
            "[1.2.3]",
            "[HEADER]",
            "[TEXT]",
            "[1.HEADER]",
            "[1.2.TEXT]",
            "[2.MIME]",
            "[HEADER.FIELDS (DATE FROM)]",
            "[1.HEADER.FIELDS.NOT (X-A \"a b\")]",
        ] {
            let input = format!("{s} ");
            let (r, sec) = section(input.as_bytes()).unwrap();
            assert_eq!(r, b" ", "{s}");
            assert_eq!(sec.to_string(), s);
        }
    }

    #[test]
    fn rejects_and_prefixes() {
        assert!(section(b"[MIME] ").is_err());
        assert!(section(b"[0] ").is_err());
        assert!(section(b"[HEADER.FIELDS ()] ").is_err());
        assert!(section(b"[BOGUS] ").is_err());
        assert!(matches!(section(b"[1.2"), Err(nom::Err::Incomplete(_))));
        assert!(matches!(section(b"[1."), Err(nom::Err::Incomplete(_))));
        assert!(matches!(
            section(b"[HEADER.FIELDS (A"),
            Err(nom::Err::Incomplete(_))
        ));
        assert_eq!(
            section_binary(b"[1.2] ").unwrap().1.unwrap().to_string(),
            "1.2"
        );
        assert_eq!(section_binary(b"[] ").unwrap().1, None);
        assert!(section_binary(b"[1.TEXT] ").is_err());
        assert_eq!(
            partial(b"<0.1024> ").unwrap().1,
            Partial {
                offset: 0,
                length: NonZeroU32::new(1024).unwrap()
            }
        );
        assert!(partial(b"<0.0> ").is_err());
    }
}
