//! FETCH attributes on the command side, with the ALL/FAST/FULL macros (RFC 9051 §6.4.5).
//!
//! Also covers BINARY / BINARY.PEEK / BINARY.SIZE (RFC 3516), MODSEQ
//! (RFC 7162) and EMAILID / THREADID (RFC 8474).
//!
//! ```
//! use mailwire_imap_proto::fetch::{fetch_items, FetchItems, FetchAttribute};
//! let (_, items) = fetch_items(b"(FLAGS BODY.PEEK[HEADER.FIELDS (DATE)]<0.2048>)\r\n").unwrap();
//! let FetchItems::Attributes(atts) = &items else { panic!() };
//! assert_eq!(atts[0], FetchAttribute::Flags);
//! assert_eq!(items.to_string(), "(FLAGS BODY.PEEK[HEADER.FIELDS (DATE)]<0.2048>)");
//! ```

use std::fmt;

use crate::primitive::{Encoder, PResult, Vec1, fail, keyword, paren_list1, peek};
use crate::section::{
    Part, Partial, Section, opt_partial, section, section_binary, write_section_binary,
};

/// One `fetch-att`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FetchAttribute<'a> {
    /// `ENVELOPE`.
    Envelope,
    /// `FLAGS`.
    Flags,
    /// `INTERNALDATE`.
    InternalDate,
    /// `RFC822` (IMAP4rev1; same as `BODY[]`).
    Rfc822,
    /// `RFC822.HEADER` (IMAP4rev1).
    Rfc822Header,
    /// `RFC822.SIZE`.
    Rfc822Size,
    /// `RFC822.TEXT` (IMAP4rev1).
    Rfc822Text,
    /// `BODY` (non-extensible BODYSTRUCTURE).
    Body,
    /// `BODYSTRUCTURE`.
    BodyStructure,
    /// `UID`.
    Uid,
    /// `BODY[section]<partial>` or `BODY.PEEK[section]<partial>`.
    BodySection {
        /// `BODY.PEEK`: don't set `\Seen`.
        peek: bool,
        /// The section.
        section: Section<'a>,
        /// `<offset.length>`.
        partial: Option<Partial>,
    },
    /// `BINARY[part]<partial>` or `BINARY.PEEK[part]<partial>` (RFC 3516).
    Binary {
        /// `BINARY.PEEK`.
        peek: bool,
        /// The part (`None` for `[]`).
        part: Option<Part>,
        /// `<offset.length>`.
        partial: Option<Partial>,
    },
    /// `BINARY.SIZE[part]` (RFC 3516).
    BinarySize {
        /// The part (`None` for `[]`).
        part: Option<Part>,
    },
    /// `MODSEQ` (RFC 7162).
    ModSeq,
    /// `EMAILID` (RFC 8474).
    EmailId,
    /// `THREADID` (RFC 8474).
    ThreadId,
}

impl FetchAttribute<'_> {
    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> FetchAttribute<'static> {
        match self {
            FetchAttribute::Envelope => FetchAttribute::Envelope,
            FetchAttribute::Flags => FetchAttribute::Flags,
            FetchAttribute::InternalDate => FetchAttribute::InternalDate,
            FetchAttribute::Rfc822 => FetchAttribute::Rfc822,
            FetchAttribute::Rfc822Header => FetchAttribute::Rfc822Header,
            FetchAttribute::Rfc822Size => FetchAttribute::Rfc822Size,
            FetchAttribute::Rfc822Text => FetchAttribute::Rfc822Text,
            FetchAttribute::Body => FetchAttribute::Body,
            FetchAttribute::BodyStructure => FetchAttribute::BodyStructure,
            FetchAttribute::Uid => FetchAttribute::Uid,
            FetchAttribute::BodySection {
                peek,
                section,
                partial,
            } => FetchAttribute::BodySection {
                peek,
                section: section.into_owned(),
                partial,
            },
            FetchAttribute::Binary {
                peek,
                part,
                partial,
            } => FetchAttribute::Binary {
                peek,
                part,
                partial,
            },
            FetchAttribute::BinarySize { part } => FetchAttribute::BinarySize { part },
            FetchAttribute::ModSeq => FetchAttribute::ModSeq,
            FetchAttribute::EmailId => FetchAttribute::EmailId,
            FetchAttribute::ThreadId => FetchAttribute::ThreadId,
        }
    }

    /// Writes the attribute.
    pub fn write(&self, enc: &mut Encoder) {
        let simple: &[u8] = match self {
            FetchAttribute::Envelope => b"ENVELOPE",
            FetchAttribute::Flags => b"FLAGS",
            FetchAttribute::InternalDate => b"INTERNALDATE",
            FetchAttribute::Rfc822 => b"RFC822",
            FetchAttribute::Rfc822Header => b"RFC822.HEADER",
            FetchAttribute::Rfc822Size => b"RFC822.SIZE",
            FetchAttribute::Rfc822Text => b"RFC822.TEXT",
            FetchAttribute::Body => b"BODY",
            FetchAttribute::BodyStructure => b"BODYSTRUCTURE",
            FetchAttribute::Uid => b"UID",
            FetchAttribute::ModSeq => b"MODSEQ",
            FetchAttribute::EmailId => b"EMAILID",
            FetchAttribute::ThreadId => b"THREADID",
            FetchAttribute::BodySection {
                peek,
                section,
                partial,
            } => {
                enc.raw(if *peek { b"BODY.PEEK" } else { b"BODY" });
                section.write(enc);
                if let Some(p) = partial {
                    p.write(enc);
                }
                return;
            }
            FetchAttribute::Binary {
                peek,
                part,
                partial,
            } => {
                enc.raw(if *peek { b"BINARY.PEEK" } else { b"BINARY" });
                write_section_binary(enc, part.as_ref());
                if let Some(p) = partial {
                    p.write(enc);
                }
                return;
            }
            FetchAttribute::BinarySize { part } => {
                enc.raw(b"BINARY.SIZE");
                write_section_binary(enc, part.as_ref());
                return;
            }
        };
        enc.raw(simple);
    }
}

impl fmt::Display for FetchAttribute<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut e = Encoder::default();
        self.write(&mut e);
        f.write_str(&String::from_utf8_lossy(e.as_bytes()))
    }
}

/// What a FETCH asks for: a macro or a list of attributes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FetchItems<'a> {
    /// `ALL` = `(FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)`.
    All,
    /// `FAST` = `(FLAGS INTERNALDATE RFC822.SIZE)`.
    Fast,
    /// `FULL` = `(FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY)`.
    Full,
    /// One attribute (written bare) or a parenthesized list.
    Attributes(Vec1<FetchAttribute<'a>>),
}

impl<'a> FetchItems<'a> {
    /// The attributes, with macros expanded (RFC 9051 §6.4.5).
    #[must_use]
    pub fn expand(&self) -> Vec<FetchAttribute<'a>> {
        use FetchAttribute as A;
        match self {
            FetchItems::All => vec![A::Flags, A::InternalDate, A::Rfc822Size, A::Envelope],
            FetchItems::Fast => vec![A::Flags, A::InternalDate, A::Rfc822Size],
            FetchItems::Full => vec![
                A::Flags,
                A::InternalDate,
                A::Rfc822Size,
                A::Envelope,
                A::Body,
            ],
            FetchItems::Attributes(v) => v.to_vec(),
        }
    }

    /// Detaches from the input buffer.
    #[must_use]
    pub fn into_owned(self) -> FetchItems<'static> {
        match self {
            FetchItems::All => FetchItems::All,
            FetchItems::Fast => FetchItems::Fast,
            FetchItems::Full => FetchItems::Full,
            FetchItems::Attributes(v) => FetchItems::Attributes(v.map(FetchAttribute::into_owned)),
        }
    }

    /// Writes the macro, a bare attribute, or a parenthesized list.
    pub fn write(&self, enc: &mut Encoder) {
        match self {
            FetchItems::All => enc.raw(b"ALL"),
            FetchItems::Fast => enc.raw(b"FAST"),
            FetchItems::Full => enc.raw(b"FULL"),
            FetchItems::Attributes(v) if v.len() == 1 => v.first().write(enc),
            FetchItems::Attributes(v) => {
                enc.raw(b"(");
                for (i, a) in v.iter().enumerate() {
                    if i > 0 {
                        enc.raw(b" ");
                    }
                    a.write(enc);
                }
                enc.raw(b")");
            }
        }
    }
}

impl fmt::Display for FetchItems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut e = Encoder::default();
        self.write(&mut e);
        f.write_str(&String::from_utf8_lossy(e.as_bytes()))
    }
}

/// `fetch-att`.
pub fn fetch_attribute(input: &[u8]) -> PResult<'_, FetchAttribute<'_>> {
    let (r, k) = match keyword(input) {
        Err(nom::Err::Error(_)) => return fail(input, "fetch attribute"),
        other => other?,
    };
    let up = crate::primitive::Upper::new(k);
    let up = up.as_slice();
    let simple = match up {
        b"ENVELOPE" => Some(FetchAttribute::Envelope),
        b"FLAGS" => Some(FetchAttribute::Flags),
        b"INTERNALDATE" => Some(FetchAttribute::InternalDate),
        b"RFC822" => Some(FetchAttribute::Rfc822),
        b"RFC822.HEADER" => Some(FetchAttribute::Rfc822Header),
        b"RFC822.SIZE" => Some(FetchAttribute::Rfc822Size),
        b"RFC822.TEXT" => Some(FetchAttribute::Rfc822Text),
        b"BODYSTRUCTURE" => Some(FetchAttribute::BodyStructure),
        b"UID" => Some(FetchAttribute::Uid),
        b"MODSEQ" => Some(FetchAttribute::ModSeq),
        b"EMAILID" => Some(FetchAttribute::EmailId),
        b"THREADID" => Some(FetchAttribute::ThreadId),
        _ => None,
    };
    if let Some(a) = simple {
        return Ok((r, a));
    }
    match up {
        b"BODY" | b"BODY.PEEK" => {
            let peek_kw = up.len() == 9;
            match peek(r)? {
                (_, b'[') => {
                    let (r, section) = section(r)?;
                    let (r, partial) = opt_partial(r)?;
                    Ok((
                        r,
                        FetchAttribute::BodySection {
                            peek: peek_kw,
                            section,
                            partial,
                        },
                    ))
                }
                _ if !peek_kw => Ok((r, FetchAttribute::Body)),
                _ => fail(r, "["),
            }
        }
        b"BINARY" | b"BINARY.PEEK" => {
            let (r, part) = section_binary(r)?;
            let (r, partial) = opt_partial(r)?;
            Ok((
                r,
                FetchAttribute::Binary {
                    peek: up.len() == 11,
                    part,
                    partial,
                },
            ))
        }
        b"BINARY.SIZE" => {
            let (r, part) = section_binary(r)?;
            Ok((r, FetchAttribute::BinarySize { part }))
        }
        _ => fail(input, "fetch attribute"),
    }
}

/// `"ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")"`.
pub fn fetch_items(input: &[u8]) -> PResult<'_, FetchItems<'_>> {
    if let (_, b'(') = peek(input)? {
        let (r, v) = paren_list1(fetch_attribute)(input)?;
        return Ok((r, FetchItems::Attributes(v)));
    }
    let (r, k) = match keyword(input) {
        Err(nom::Err::Error(_)) => return fail(input, "fetch attribute or macro"),
        other => other?,
    };
    let m = if k.eq_ignore_ascii_case(b"ALL") {
        Some(FetchItems::All)
    } else if k.eq_ignore_ascii_case(b"FAST") {
        Some(FetchItems::Fast)
    } else if k.eq_ignore_ascii_case(b"FULL") {
        Some(FetchItems::Full)
    } else {
        None
    };
    match m {
        Some(m) => Ok((r, m)),
        None => {
            let (r, a) = crate::error::expect("fetch attribute or macro", fetch_attribute)(input)?;
            Ok((r, FetchItems::Attributes(Vec1::one(a))))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_attribute_round_trips() {
        for s in [
            "ENVELOPE",
            "FLAGS",
            "INTERNALDATE",
            "RFC822",
            "RFC822.HEADER",
            "RFC822.SIZE",
            "RFC822.TEXT",
            "BODY",
            "BODYSTRUCTURE",
            "UID",
            "BODY[]",
            "BODY.PEEK[1.2.MIME]",
            "BODY[TEXT]<0.100>",
            "BINARY[]",
            "BINARY.PEEK[1.2]<10.20>",
            "BINARY.SIZE[3]",
            "MODSEQ",
            "EMAILID",
            "THREADID",
        ] {
            let input = format!("{s} ");
            let (r, a) = fetch_attribute(input.as_bytes()).unwrap();
            assert_eq!(r, b" ", "{s}");
            assert_eq!(a.to_string(), s);
        }
    }

    #[test]
    fn macros_and_lists() {
        let (_, m) = fetch_items(b"fast ").unwrap();
        assert_eq!(m, FetchItems::Fast);
        assert_eq!(FetchItems::Full.expand().len(), 5);
        let (_, m) = fetch_items(b"(UID) ").unwrap();
        assert_eq!(m.to_string(), "UID");
        assert!(fetch_items(b"() ").is_err());
        assert!(fetch_items(b"BOGUS ").is_err());
        assert!(fetch_items(b"BODY.PEEK ").is_err());
        assert!(matches!(
            fetch_items(b"(UID FL"),
            Err(nom::Err::Incomplete(_))
        ));
        assert!(matches!(fetch_items(b"BODY"), Err(nom::Err::Incomplete(_))));
    }
}
