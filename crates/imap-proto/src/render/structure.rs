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
//!   and clients decode); RFC 2047 words in a plain Content-Type parameter
//!   value are kept as written (as Dovecot does), while values the MIME
//!   crate has to take apart (comments, escapes, RFC 2231) come decoded;
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

use mailwire_mime::{ContentDisposition, ContentType, Param, Part, PartKind};

use super::envelope::{envelope, unstructured};
use super::write::{write_envelope, write_nstring, write_string, write_upper, write_upper_bytes};
use crate::body::{
    Body, BodyFields, Disposition, DispositionExtension, LanguageExtension, LocationExtension,
    MultiPart, MultiPartExtension, SingleKind, SinglePart, SinglePartExtension,
};
use crate::primitive::{Encoder, IString};

type Params<'a> = Vec<(IString<'a>, IString<'a>)>;

fn s(v: &'static [u8]) -> IString<'static> {
    IString::unchecked(Cow::Borrowed(v))
}

/// Upper-cases a token; common values come from static strings.
fn upper(v: &str) -> IString<'static> {
    match known_upper(v) {
        Some(k) => s(k),
        None => header_string_owned(v.to_ascii_uppercase().into_bytes()),
    }
}

/// [`upper`] for bytes.
fn upper_bytes(v: &[u8]) -> IString<'static> {
    match std::str::from_utf8(v).ok().and_then(known_upper) {
        Some(k) => s(k),
        None => header_string_owned(v.to_ascii_uppercase()),
    }
}

fn known_upper(v: &str) -> Option<&'static [u8]> {
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
    KNOWN
        .iter()
        .find(|k| k.eq_ignore_ascii_case(v))
        .map(|k| k.as_bytes())
}

fn header_string_owned(v: Vec<u8>) -> IString<'static> {
    if v.contains(&0) {
        IString::unchecked(Cow::Owned(v.into_iter().filter(|&b| b != 0).collect()))
    } else {
        IString::unchecked(Cow::Owned(v))
    }
}

/// RFC 2231 `attribute-char`: kept as is in an extended value.
fn attribute_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b)
}

/// One parameter as IMAP shows it: the upper-cased name (with `*` for an
/// RFC 2231 value with a charset) and the value.
///
/// RFC 2231 continuations are joined. A value that came with a charset
/// (`name*=utf-8''...`) is given as `NAME*` with the value converted to
/// UTF-8 and written back in RFC 2231 form, `utf-8'lang'%XX...` (RFC 9051
/// §7.5.2 asks for the joined, UTF-8 value under `foo*`; the RFC 2231 form
/// is what clients decode, and what Dovecot sends).
fn param_value<'p>(p: &'p Param<'static>) -> Cow<'p, [u8]> {
    let v = p.value.as_bytes();
    if p.charset.is_some() {
        let mut out = b"utf-8'".to_vec();
        out.extend_from_slice(p.language.as_deref().unwrap_or("").as_bytes());
        out.push(b'\'');
        for &b in v {
            if attribute_char(b) {
                out.push(b);
            } else {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push(b'%');
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 15)]);
            }
        }
        Cow::Owned(out)
    } else if memchr::memchr3(0, b'\r', b'\n', v).is_some() {
        Cow::Owned(
            v.iter()
                .copied()
                .filter(|&b| !matches!(b, 0 | b'\r' | b'\n'))
                .collect(),
        )
    } else {
        Cow::Borrowed(v)
    }
}

fn params(list: &[Param<'static>], text_default: bool) -> Params<'static> {
    let mut out = Vec::with_capacity(list.len() + 1);
    if text_default {
        out.push((s(b"CHARSET"), s(b"US-ASCII")));
    }
    for p in list {
        let mut name = upper(&p.name);
        if p.charset.is_some() {
            let mut n = name.into_inner().into_owned();
            n.push(b'*');
            name = header_string_owned(n);
        }
        out.push((name, header_string_owned(param_value(p).into_owned())));
    }
    out
}

fn write_params(enc: &mut Encoder, list: &[Param<'static>], text_default: bool) {
    if list.is_empty() && !text_default {
        enc.raw(b"NIL");
        return;
    }
    enc.raw(b"(");
    if text_default {
        enc.raw(b"\"CHARSET\" \"US-ASCII\"");
        if !list.is_empty() {
            enc.raw(b" ");
        }
    }
    for (i, p) in list.iter().enumerate() {
        if i > 0 {
            enc.raw(b" ");
        }
        if p.charset.is_some() {
            let mut n = p.name.to_ascii_uppercase().into_bytes();
            n.retain(|&b| b != 0);
            n.push(b'*');
            write_string(enc, &n);
        } else {
            write_upper(enc, &p.name);
        }
        enc.raw(b" ");
        write_string(enc, &param_value(p));
    }
    enc.raw(b")");
}

/// The MIME header fields of one part, found in one pass.
#[derive(Default)]
struct MimeFields<'a> {
    content_type: Option<&'a [u8]>,
    encoding: Option<&'a [u8]>,
    id: Option<&'a [u8]>,
    description: Option<&'a [u8]>,
    md5: Option<&'a [u8]>,
    disposition: Option<&'a [u8]>,
    language: Option<&'a [u8]>,
    location: Option<&'a [u8]>,
}

impl<'a> MimeFields<'a> {
    fn of(part: Part<'a>) -> Self {
        let mut m = MimeFields::default();
        for f in part.headers() {
            let name = f.name_bytes();
            let Some(rest) = name
                .get(..8)
                .filter(|p| p.eq_ignore_ascii_case(b"content-"))
                .and_then(|_| name.get(8..))
            else {
                continue;
            };
            let slot = if rest.eq_ignore_ascii_case(b"type") {
                &mut m.content_type
            } else if rest.eq_ignore_ascii_case(b"transfer-encoding") {
                &mut m.encoding
            } else if rest.eq_ignore_ascii_case(b"id") {
                &mut m.id
            } else if rest.eq_ignore_ascii_case(b"description") {
                &mut m.description
            } else if rest.eq_ignore_ascii_case(b"md5") {
                &mut m.md5
            } else if rest.eq_ignore_ascii_case(b"disposition") {
                &mut m.disposition
            } else if rest.eq_ignore_ascii_case(b"language") {
                &mut m.language
            } else if rest.eq_ignore_ascii_case(b"location") {
                &mut m.location
            } else {
                continue;
            };
            if slot.is_none() {
                *slot = Some(f.raw_value());
            }
        }
        m
    }

    /// The Content-Type (the parser's default when absent: text/plain, or
    /// message/rfc822 in a digest).
    fn content_type(&self, part: Part<'_>) -> ContentType {
        match self.content_type {
            Some(v) => ContentType::parse(v),
            None => part.content_type(),
        }
    }

    fn disposition(&self) -> Option<ContentDisposition> {
        self.disposition
            .map(ContentDisposition::parse)
            .filter(|d| !d.kind().is_empty())
    }

    fn languages(&self) -> impl Iterator<Item = IString<'a>> {
        self.language
            .into_iter()
            .flat_map(|v| v.split(|&b| b == b','))
            .map(unstructured)
            .filter(|t| !t.as_bytes().is_empty())
    }
}

const FAST_PARAMS: usize = 8;

/// A Content-Type value in the plain form most messages use, read without
/// allocating: `type/subtype` and up to eight `name=token` or
/// `name="text"` parameters, 7-bit, without comments, escapes or RFC 2231
/// syntax, and without repeated names. For such a value the MIME crate's
/// [`ContentType::parse`] gives the same type, subtype, parameters and
/// values, except that RFC 2047 words in a value are kept as written (as
/// Dovecot sends them; the client decodes them) where the MIME crate
/// decodes them; anything else goes through it.
struct FastCt<'a> {
    main: &'a [u8],
    sub: &'a [u8],
    params: [(&'a [u8], &'a [u8]); FAST_PARAMS],
    n: usize,
}

fn fast_ct(v: &[u8]) -> Option<FastCt<'_>> {
    if v.iter().any(|&b| {
        !(matches!(b, b'\t' | b'\r' | b'\n' | 0x20..=0x7e)) || matches!(b, b'(' | b'\\' | b'*')
    }) {
        return None;
    }
    let ws = |mut i: usize| {
        while v
            .get(i)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            i += 1;
        }
        i
    };
    let tok = |mut i: usize| {
        // 7-bit only here (checked above), where the MIME parser's
        // token octets are exactly RFC 2045's.
        while v.get(i).is_some_and(|&b| mailwire_mime::is_token_byte(b)) {
            i += 1;
        }
        i
    };
    let i = ws(0);
    let j = tok(i);
    let main = v.get(i..j)?;
    let k = ws(j);
    if v.get(k) != Some(&b'/') {
        return None;
    }
    let i = ws(k + 1);
    let j = tok(i);
    let sub = v.get(i..j)?;
    if main.is_empty() || sub.is_empty() {
        return None;
    }
    let mut ct = FastCt {
        main,
        sub,
        params: [(&b""[..], &b""[..]); FAST_PARAMS],
        n: 0,
    };
    let mut i = j;
    loop {
        i = ws(i);
        match v.get(i) {
            None => break,
            Some(b';') => i = ws(i + 1),
            Some(_) => return None,
        }
        if matches!(v.get(i), None | Some(b';')) {
            continue;
        }
        let e = tok(i);
        let name = v.get(i..e)?;
        if name.is_empty() {
            return None;
        }
        i = ws(e);
        if v.get(i) != Some(&b'=') {
            return None;
        }
        i = ws(i + 1);
        let value = if v.get(i) == Some(&b'"') {
            let close = i + 1 + memchr::memchr(b'"', v.get(i + 1..)?)?;
            let value = v.get(i + 1..close)?;
            if memchr::memchr2(b'\r', b'\n', value).is_some() {
                return None;
            }
            i = close + 1;
            value
        } else {
            let e = tok(i);
            let value = v.get(i..e)?;
            if value.is_empty() {
                return None;
            }
            i = e;
            value
        };
        let seen = ct.params.get(..ct.n)?;
        if ct.n == FAST_PARAMS || seen.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            return None;
        }
        *ct.params.get_mut(ct.n)? = (name, value);
        ct.n += 1;
    }
    Some(ct)
}

/// A Content-Type for the writer: borrowed when simple, else parsed.
// On the stack on purpose: boxing the fast form would cost the allocation
// it is there to avoid.
#[allow(clippy::large_enum_variant)]
enum Ct<'a> {
    Fast(FastCt<'a>),
    Full(ContentType),
}

impl<'a> Ct<'a> {
    fn of(m: &MimeFields<'a>, part: Part<'_>) -> Self {
        match m.content_type.and_then(fast_ct) {
            Some(f) => Ct::Fast(f),
            None => Ct::Full(m.content_type(part)),
        }
    }

    fn main(&self) -> &[u8] {
        match self {
            Ct::Fast(f) => f.main,
            Ct::Full(c) => c.main_type().as_bytes(),
        }
    }

    fn sub(&self) -> &[u8] {
        match self {
            Ct::Fast(f) => f.sub,
            Ct::Full(c) => c.subtype().as_bytes(),
        }
    }

    fn text_default(&self) -> bool {
        match self {
            Ct::Fast(f) => {
                f.main.eq_ignore_ascii_case(b"text")
                    && !f
                        .params
                        .iter()
                        .take(f.n)
                        .any(|(n, _)| n.eq_ignore_ascii_case(b"charset"))
            }
            Ct::Full(c) => text_default(c),
        }
    }

    /// The parameters as typed values (borrowed from the header for the
    /// plain form).
    fn params(&self, text_default: bool) -> Params<'a> {
        let f = match self {
            Ct::Full(c) => return params(c.params(), text_default),
            Ct::Fast(f) => f,
        };
        let mut out = Vec::with_capacity(f.n + 1);
        if text_default {
            out.push((s(b"CHARSET"), s(b"US-ASCII")));
        }
        for (n, v) in f.params.iter().take(f.n) {
            out.push((upper_bytes(n), IString::unchecked(Cow::Borrowed(*v))));
        }
        out
    }

    fn write_params(&self, enc: &mut Encoder, text_default: bool) {
        let f = match self {
            Ct::Full(c) => return write_params(enc, c.params(), text_default),
            Ct::Fast(f) => f,
        };
        if f.n == 0 && !text_default {
            enc.raw(b"NIL");
            return;
        }
        enc.raw(b"(");
        if text_default {
            enc.raw(b"\"CHARSET\" \"US-ASCII\"");
            if f.n > 0 {
                enc.raw(b" ");
            }
        }
        for (i, (n, v)) in f.params.iter().take(f.n).enumerate() {
            if i > 0 {
                enc.raw(b" ");
            }
            write_upper_bytes(enc, n);
            enc.raw(b" ");
            write_string(enc, v);
        }
        enc.raw(b")");
    }
}

/// The Content-Transfer-Encoding token as written (upper-cased), `7BIT`
/// when absent.
fn encoding(raw: Option<&[u8]>) -> IString<'static> {
    let Some(v) = raw else { return s(b"7BIT") };
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

fn disposition_tail<'a>(m: &MimeFields<'a>) -> DispositionExtension<'a> {
    let disposition = m.disposition().map(|d| Disposition {
        kind: upper(d.kind()),
        params: params(d.params(), false),
    });
    DispositionExtension {
        disposition,
        tail: Some(LanguageExtension {
            language: m.languages().collect(),
            tail: Some(LocationExtension {
                location: m.location.map(unstructured),
                extensions: Vec::new(),
            }),
        }),
    }
}

fn write_disposition_tail(enc: &mut Encoder, m: &MimeFields<'_>) {
    enc.raw(b" ");
    match m.disposition() {
        None => enc.raw(b"NIL"),
        Some(d) => {
            enc.raw(b"(");
            write_upper(enc, d.kind());
            enc.raw(b" ");
            write_params(enc, d.params(), false);
            enc.raw(b")");
        }
    }
    enc.raw(b" ");
    let mut langs = m.languages();
    match (langs.next(), langs.next()) {
        (None, _) => enc.raw(b"NIL"),
        (Some(one), None) => write_string(enc, one.as_bytes()),
        (Some(a), Some(b)) => {
            enc.raw(b"(");
            write_string(enc, a.as_bytes());
            enc.raw(b" ");
            write_string(enc, b.as_bytes());
            for l in langs {
                enc.raw(b" ");
                write_string(enc, l.as_bytes());
            }
            enc.raw(b")");
        }
    }
    enc.raw(b" ");
    write_nstring(
        enc,
        m.location.map(unstructured).as_ref().map(IString::as_bytes),
    );
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

/// What kind of `body` a part is written as.
enum Shape<'a> {
    /// Too deep: a basic APPLICATION/OCTET-STREAM.
    Cut,
    /// A multipart (`broken`: the boundary was never found, no children).
    Multi,
    /// message/rfc822 or message/global with its encapsulated message.
    Message(Part<'a>),
    /// A text part.
    Text,
    /// Anything else.
    Basic,
}

fn shape<'a>(part: Part<'a>, main: &[u8], depth_left: usize) -> Shape<'a> {
    let kind = part.kind();
    if depth_left <= 1 && kind != PartKind::Leaf {
        return Shape::Cut;
    }
    let broken_multipart = kind == PartKind::Leaf && main.eq_ignore_ascii_case(b"multipart");
    if kind == PartKind::Multipart || broken_multipart {
        return Shape::Multi;
    }
    match (kind, part.encapsulated()) {
        (PartKind::Message, Some(inner)) => Shape::Message(inner),
        _ if main.eq_ignore_ascii_case(b"text") => Shape::Text,
        _ => Shape::Basic,
    }
}

/// RFC 2045 §5.2 / RFC 2046 §4.1.2: text without a charset parameter is
/// US-ASCII; said explicitly, as Dovecot does.
fn text_default(ct: &ContentType) -> bool {
    ct.main_type().eq_ignore_ascii_case("text") && ct.charset().is_none()
}

/// The structure of `part` (the root for the whole message). `extensible`
/// selects BODYSTRUCTURE (with extension data) over BODY.
pub(crate) fn body<'a>(part: Part<'a>, extensible: bool, max_depth: usize) -> Body<'a> {
    build(part, extensible, max_depth.max(1))
}

fn build<'a>(part: Part<'a>, ext: bool, depth_left: usize) -> Body<'a> {
    let m = MimeFields::of(part);
    let ct = Ct::of(&m, part);
    let fields = |params| BodyFields {
        params,
        id: m.id.map(unstructured),
        description: m.description.map(unstructured),
        encoding: encoding(m.encoding),
        octets: u32_size(part.body_size()),
    };
    let single = |kind, fields| {
        Body::Single(SinglePart {
            kind,
            fields,
            extension: ext.then(|| SinglePartExtension {
                md5: m.md5.map(unstructured),
                tail: Some(disposition_tail(&m)),
            }),
        })
    };
    match shape(part, ct.main(), depth_left) {
        Shape::Cut => Body::Single(SinglePart {
            kind: SingleKind::Basic {
                media_type: s(b"APPLICATION"),
                subtype: s(b"OCTET-STREAM"),
            },
            fields: BodyFields {
                params: Vec::new(),
                id: None,
                description: None,
                encoding: encoding(m.encoding),
                octets: u32_size(part.body_size()),
            },
            extension: ext.then(|| SinglePartExtension {
                md5: None,
                tail: Some(disposition_tail(&m)),
            }),
        }),
        Shape::Multi => {
            let mut parts: Vec<Body<'a>> = part
                .children()
                .map(|c| build(c, ext, depth_left - 1))
                .collect();
            if parts.is_empty() {
                parts.push(empty_text(ext));
            }
            Body::Multi(MultiPart {
                parts,
                subtype: upper_bytes(ct.sub()),
                extension: ext.then(|| MultiPartExtension {
                    params: ct.params(false),
                    tail: Some(disposition_tail(&m)),
                }),
            })
        }
        Shape::Message(inner) => single(
            SingleKind::Message {
                subtype: upper_bytes(ct.sub()),
                envelope: Box::new(envelope(inner)),
                body: Box::new(build(inner, ext, depth_left - 1)),
                lines: lines(part.body()),
            },
            fields(ct.params(ct.text_default())),
        ),
        Shape::Text => single(
            SingleKind::Text {
                subtype: upper_bytes(ct.sub()),
                lines: lines(part.body()),
            },
            fields(ct.params(ct.text_default())),
        ),
        Shape::Basic => {
            let (media_type, subtype) = if basic_type_bytes(ct.main(), ct.sub()).is_some() {
                (s(b"APPLICATION"), s(b"OCTET-STREAM"))
            } else {
                (upper_bytes(ct.main()), upper_bytes(ct.sub()))
            };
            single(
                SingleKind::Basic {
                    media_type,
                    subtype,
                },
                fields(ct.params(false)),
            )
        }
    }
}

/// Writes what [`body`] builds, without building it (the FETCH fast path).
pub(crate) fn write_body(enc: &mut Encoder, part: Part<'_>, ext: bool, max_depth: usize) {
    write(enc, part, ext, max_depth.max(1));
}

fn write(enc: &mut Encoder, part: Part<'_>, ext: bool, depth_left: usize) {
    let m = MimeFields::of(part);
    let ct = Ct::of(&m, part);
    let shape = shape(part, ct.main(), depth_left);
    enc.raw(b"(");
    if let Shape::Multi = shape {
        let mut any = false;
        for c in part.children() {
            write(enc, c, ext, depth_left - 1);
            any = true;
        }
        if !any {
            enc.raw(EMPTY_TEXT);
            if ext {
                enc.raw(b" NIL NIL NIL NIL");
            }
            enc.raw(b")");
        }
        enc.raw(b" ");
        write_upper_bytes(enc, ct.sub());
        if ext {
            enc.raw(b" ");
            ct.write_params(enc, false);
            write_disposition_tail(enc, &m);
        }
        enc.raw(b")");
        return;
    }
    // Type and subtype.
    match &shape {
        Shape::Cut => enc.raw(b"\"APPLICATION\" \"OCTET-STREAM\""),
        Shape::Message(_) => {
            enc.raw(b"\"MESSAGE\" ");
            write_upper_bytes(enc, ct.sub());
        }
        Shape::Text => {
            enc.raw(b"\"TEXT\" ");
            write_upper_bytes(enc, ct.sub());
        }
        _ => {
            if basic_type_bytes(ct.main(), ct.sub()).is_some() {
                enc.raw(b"\"APPLICATION\" \"OCTET-STREAM\"");
            } else {
                write_upper_bytes(enc, ct.main());
                enc.raw(b" ");
                write_upper_bytes(enc, ct.sub());
            }
        }
    }
    enc.raw(b" ");
    // body-fields
    match &shape {
        Shape::Cut => enc.raw(b"NIL NIL NIL"),
        Shape::Basic => ct.write_params(enc, false),
        _ => ct.write_params(enc, ct.text_default()),
    }
    if !matches!(shape, Shape::Cut) {
        enc.raw(b" ");
        write_nstring(enc, m.id.map(unstructured).as_ref().map(IString::as_bytes));
        enc.raw(b" ");
        write_nstring(
            enc,
            m.description
                .map(unstructured)
                .as_ref()
                .map(IString::as_bytes),
        );
    }
    enc.raw(b" ");
    write_string(enc, encoding(m.encoding).as_bytes());
    enc.raw(b" ");
    enc.number(u64::from(u32_size(part.body_size())));
    match &shape {
        Shape::Message(inner) => {
            enc.raw(b" ");
            write_envelope(enc, *inner);
            enc.raw(b" ");
            write(enc, *inner, ext, depth_left - 1);
            enc.raw(b" ");
            enc.number(lines(part.body()));
        }
        Shape::Text => {
            enc.raw(b" ");
            enc.number(lines(part.body()));
        }
        _ => {}
    }
    if ext {
        enc.raw(b" ");
        if matches!(shape, Shape::Cut) {
            enc.raw(b"NIL");
        } else {
            write_nstring(enc, m.md5.map(unstructured).as_ref().map(IString::as_bytes));
        }
        write_disposition_tail(enc, &m);
    }
    enc.raw(b")");
}

/// The one body part given to a multipart that has none.
const EMPTY_TEXT: &[u8] = b"(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 0 0";

/// Type and subtype of a basic part. `message/rfc822` and `message/global`
/// must not be described as basic (a client would expect an envelope), so
/// a leaf of that type (which the MIME parser could not open) becomes
/// `APPLICATION/OCTET-STREAM`.
/// `Some` when the type must be shown as APPLICATION/OCTET-STREAM.
fn basic_type_bytes(main: &[u8], sub: &[u8]) -> Option<()> {
    (main.eq_ignore_ascii_case(b"message")
        && (sub.eq_ignore_ascii_case(b"rfc822") || sub.eq_ignore_ascii_case(b"global"))
        || main.eq_ignore_ascii_case(b"multipart"))
    .then_some(())
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
