//! BODY and BODYSTRUCTURE from the MIME tree (RFC 9051 §7.5.2, RFC 3501
//! §7.4.2).
//!
//! Choices, each the common server practice:
//! - media type and subtype are upper-cased (as in the RFC examples);
//!   parameter names are upper-cased, values kept;
//! - a part without a Content-Type field is `text/plain` (RFC 2045 §5.2),
//!   or message/rfc822 inside multipart/digest (RFC 2046 §5.1.5);
//! - RFC 2231 parameters are joined and decoded; a value that had a charset
//!   is returned under the name with a `*`, converted to UTF-8 and written
//!   in RFC 2231 form `utf-8'lang'%XX` (RFC 9051 §7.5.2; what Dovecot sends
//!   and clients decode);
//! - Content-ID, Content-Description, Content-MD5 and Content-Location are
//!   the field values as written (unfolded, trimmed; encoded words left);
//! - body size is the encoded size in octets, lines are counted in the
//!   encoded body (RFC 9051 §7.5.2);
//! - a multipart without any body part (a missing or wrong boundary) is
//!   given one empty `text/plain` part, since the grammar needs at least one
//!   (as Dovecot does); `BODY[1]` of it is then the empty string;
//! - text parts without a charset parameter get `("CHARSET" "US-ASCII")`
//!   (RFC 2046 §4.1.2 default), first in the list;
//! - structure deeper than [`RenderOptions::max_depth`] is cut: the part at
//!   the limit is described as `APPLICATION/OCTET-STREAM`, so that the
//!   output stays within what a client parser accepts.
//!
//! [`RenderOptions::max_depth`]: super::RenderOptions::max_depth

use std::borrow::Cow;

use mailwire_mime::{Param, Part, PartKind};

use super::envelope::{envelope, unstructured};
use crate::body::{
    Body, BodyFields, Disposition, DispositionExtension, LanguageExtension, LocationExtension,
    MultiPart, MultiPartExtension, SingleKind, SinglePart, SinglePartExtension,
};
use crate::primitive::IString;

type Params<'a> = Vec<(IString<'a>, IString<'a>)>;

fn s(v: &'static [u8]) -> IString<'static> {
    IString::unchecked(Cow::Borrowed(v))
}

/// Upper-cases a token; common values come from static strings.
fn upper(v: &str) -> IString<'static> {
    const KNOWN: &[&str] = &[
        "TEXT",
        "PLAIN",
        "HTML",
        "APPLICATION",
        "OCTET-STREAM",
        "PDF",
        "IMAGE",
        "JPEG",
        "PNG",
        "GIF",
        "MESSAGE",
        "RFC822",
        "GLOBAL",
        "MIXED",
        "ALTERNATIVE",
        "RELATED",
        "DIGEST",
        "CHARSET",
        "BOUNDARY",
        "NAME",
        "FILENAME",
        "ATTACHMENT",
        "INLINE",
        "AUDIO",
        "VIDEO",
        "US-ASCII",
        "UTF-8",
        "FORMAT",
        "DELSP",
        "TYPE",
    ];
    for k in KNOWN {
        if k.eq_ignore_ascii_case(v) {
            return s(k.as_bytes());
        }
    }
    header_string_owned(v.to_ascii_uppercase().into_bytes())
}

fn header_string_owned(v: Vec<u8>) -> IString<'static> {
    IString::unchecked(Cow::Owned(v.into_iter().filter(|&b| b != 0).collect()))
}

/// RFC 2231 `attribute-char`: kept as is in an extended value.
fn attribute_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b)
}

/// Parameters, RFC 2231 continuations joined. A value that came with a
/// charset (`name*=utf-8''...`) is given as `NAME*` with the value converted
/// to UTF-8 and written back in RFC 2231 form, `utf-8'lang'%XX...` (RFC 9051
/// §7.5.2 asks for the joined, UTF-8 value under `foo*`; the RFC 2231 form
/// is what clients decode, and what Dovecot sends).
fn params(list: &[Param<'static>]) -> Params<'static> {
    list.iter()
        .map(|p| {
            let mut name = upper(&p.name);
            let v = p.value.as_bytes();
            let value = if p.charset.is_some() {
                let mut n = name.into_inner().into_owned();
                n.push(b'*');
                name = header_string_owned(n);
                let mut out = b"utf-8'".to_vec();
                out.extend_from_slice(p.language.as_deref().unwrap_or("").as_bytes());
                out.push(b'\'');
                for &b in v {
                    if attribute_char(b) {
                        out.push(b);
                    } else {
                        out.extend_from_slice(format!("%{b:02X}").as_bytes());
                    }
                }
                header_string_owned(out)
            } else if memchr::memchr3(0, b'\r', b'\n', v).is_some() {
                header_string_owned(
                    v.iter()
                        .copied()
                        .filter(|&b| !matches!(b, 0 | b'\r' | b'\n'))
                        .collect(),
                )
            } else {
                header_string_owned(v.to_vec())
            };
            (name, value)
        })
        .collect()
}

fn field<'a>(part: Part<'a>, name: &str) -> Option<&'a [u8]> {
    part.header(name).map(|f| f.raw_value())
}

/// The Content-Transfer-Encoding token as written (upper-cased), `7BIT`
/// when absent.
fn encoding<'a>(part: Part<'a>) -> IString<'a> {
    match field(part, "content-transfer-encoding") {
        None => s(b"7BIT"),
        Some(v) => {
            let t = unstructured(v);
            let b = t.as_bytes();
            for k in [
                &b"7BIT"[..],
                b"8BIT",
                b"BINARY",
                b"BASE64",
                b"QUOTED-PRINTABLE",
            ] {
                if b.eq_ignore_ascii_case(k) {
                    return s(k);
                }
            }
            if b.is_empty() {
                return s(b"7BIT");
            }
            header_string_owned(b.to_ascii_uppercase())
        }
    }
}

fn disposition_tail<'a>(part: Part<'a>) -> DispositionExtension<'a> {
    let disposition = part.disposition().and_then(|d| {
        (!d.kind().is_empty()).then(|| Disposition {
            kind: upper(d.kind()),
            params: params(d.params()),
        })
    });
    let language = match field(part, "content-language") {
        None => Vec::new(),
        Some(v) => v
            .split(|&b| b == b',')
            .map(unstructured)
            .filter(|t| !t.as_bytes().is_empty())
            .collect(),
    };
    let location = field(part, "content-location").map(unstructured);
    DispositionExtension {
        disposition,
        tail: Some(LanguageExtension {
            language,
            tail: Some(LocationExtension {
                location,
                extensions: Vec::new(),
            }),
        }),
    }
}

/// `body-fld-lines`: the number of line breaks in the encoded body (a last
/// line without a line break does not count, as in Dovecot and Cyrus; the
/// CRLF before a boundary belongs to the delimiter, RFC 2046 §5.1.1).
fn lines(body: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', body).count() as u64
}

fn u32_size(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The structure of `part` (the root for the whole message). `extensible`
/// selects BODYSTRUCTURE (with extension data) over BODY.
pub(crate) fn body<'a>(part: Part<'a>, extensible: bool, max_depth: usize) -> Body<'a> {
    build(part, extensible, max_depth.max(1))
}

fn build<'a>(part: Part<'a>, ext: bool, depth_left: usize) -> Body<'a> {
    let kind = part.kind();
    if depth_left <= 1 && kind != PartKind::Leaf {
        return octet_stream(part, ext);
    }
    let ct = part.content_type();
    let broken_multipart = kind == PartKind::Leaf && ct.main_type() == "multipart";
    match kind {
        _ if kind == PartKind::Multipart || broken_multipart => {
            let mut parts: Vec<Body<'a>> = part
                .children()
                .map(|c| build(c, ext, depth_left - 1))
                .collect();
            if parts.is_empty() {
                parts.push(empty_text(ext));
            }
            Body::Multi(MultiPart {
                parts,
                subtype: upper(ct.subtype()),
                extension: ext.then(|| MultiPartExtension {
                    params: params(ct.params()),
                    tail: Some(disposition_tail(part)),
                }),
            })
        }
        _ => {
            let mut p = params(ct.params());
            // RFC 2045 §5.2 / RFC 2046 §4.1.2: text without a charset
            // parameter is US-ASCII; said explicitly, as Dovecot does.
            if ct.main_type().eq_ignore_ascii_case("text") && ct.charset().is_none() {
                p.insert(0, (s(b"CHARSET"), s(b"US-ASCII")));
            }
            let fields = BodyFields {
                params: p,
                id: field(part, "content-id").map(unstructured),
                description: field(part, "content-description").map(unstructured),
                encoding: encoding(part),
                octets: u32_size(part.body_size()),
            };
            let lines = lines(part.body());
            let kind = match (kind, part.encapsulated()) {
                (PartKind::Message, Some(inner)) => SingleKind::Message {
                    subtype: upper(ct.subtype()),
                    envelope: Box::new(envelope(inner)),
                    body: Box::new(build(inner, ext, depth_left - 1)),
                    lines,
                },
                _ if ct.main_type().eq_ignore_ascii_case("text") => SingleKind::Text {
                    subtype: upper(ct.subtype()),
                    lines,
                },
                _ => {
                    let (media_type, subtype) = basic_type(ct.main_type(), ct.subtype());
                    SingleKind::Basic {
                        media_type,
                        subtype,
                    }
                }
            };
            Body::Single(SinglePart {
                kind,
                fields,
                extension: ext.then(|| SinglePartExtension {
                    md5: field(part, "content-md5").map(unstructured),
                    tail: Some(disposition_tail(part)),
                }),
            })
        }
    }
}

/// Type and subtype of a basic part. `message/rfc822` and `message/global`
/// must not be described as basic (a client would expect an envelope), so
/// a leaf of that type (which the MIME parser could not open) becomes
/// `APPLICATION/OCTET-STREAM`.
fn basic_type(main: &str, sub: &str) -> (IString<'static>, IString<'static>) {
    if main.eq_ignore_ascii_case("message")
        && (sub.eq_ignore_ascii_case("rfc822") || sub.eq_ignore_ascii_case("global"))
        || main.eq_ignore_ascii_case("multipart")
    {
        return (s(b"APPLICATION"), s(b"OCTET-STREAM"));
    }
    (upper(main), upper(sub))
}

fn octet_stream<'a>(part: Part<'a>, ext: bool) -> Body<'a> {
    Body::Single(SinglePart {
        kind: SingleKind::Basic {
            media_type: s(b"APPLICATION"),
            subtype: s(b"OCTET-STREAM"),
        },
        fields: BodyFields {
            params: Vec::new(),
            id: None,
            description: None,
            encoding: encoding(part),
            octets: u32_size(part.body_size()),
        },
        extension: ext.then(|| SinglePartExtension {
            md5: None,
            tail: Some(disposition_tail(part)),
        }),
    })
}

fn empty_text(ext: bool) -> Body<'static> {
    Body::Single(SinglePart {
        kind: SingleKind::Text {
            subtype: s(b"PLAIN"),
            lines: 0,
        },
        fields: BodyFields {
            params: vec![(s(b"CHARSET"), s(b"US-ASCII"))],
            id: None,
            description: None,
            encoding: s(b"7BIT"),
            octets: 0,
        },
        extension: ext.then(|| SinglePartExtension {
            md5: None,
            tail: Some(DispositionExtension {
                disposition: None,
                tail: Some(LanguageExtension {
                    language: Vec::new(),
                    tail: Some(LocationExtension {
                        location: None,
                        extensions: Vec::new(),
                    }),
                }),
            }),
        }),
    })
}
