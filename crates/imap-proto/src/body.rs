//! BODY and BODYSTRUCTURE, extensible and non-extensible forms (RFC 9051 §7.5.2, §9 body).
//!
//! One type, [`Body`], serves both: the non-extensible `BODY` form simply has
//! no extension data (`extension` is `None` everywhere). The optional trailing
//! extension fields (`body-ext-1part`, `body-ext-mpart`) are modelled as a
//! chain of nested options, so that only the shapes the grammar allows can be
//! built: a language can only be present when a disposition field is, and so on.
//!
//! Nesting (multipart children, `message/rfc822` bodies, extension lists) is
//! bounded by [`ResponseOptions::max_depth`](crate::response::ResponseOptions::max_depth).

use crate::primitive::{Encoder, IString};

use crate::envelope::{Envelope, NString};
use crate::response::lex::{Cursor, PResult};

fn owned(c: IString<'_>) -> IString<'static> {
    c.into_owned()
}

fn nowned(c: NString<'_>) -> NString<'static> {
    c.map(owned)
}

/// A body structure: one part or a multipart (RFC 9051 §9 `body`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Body<'a> {
    /// A non-multipart body part.
    Single(SinglePart<'a>),
    /// A multipart body part with one or more children.
    Multi(MultiPart<'a>),
}

/// A non-multipart body part (`body-type-1part`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinglePart<'a> {
    /// What kind of part this is, with the fields that depend on the kind.
    pub kind: SingleKind<'a>,
    /// The fields every single part has.
    pub fields: BodyFields<'a>,
    /// BODYSTRUCTURE extension data (`body-ext-1part`); `None` for `BODY`.
    pub extension: Option<SinglePartExtension<'a>>,
}

/// The media type of a single part and the fields specific to it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SingleKind<'a> {
    /// Any type other than TEXT and MESSAGE/RFC822 (`body-type-basic`).
    Basic {
        /// The media type, e.g. `APPLICATION`.
        media_type: IString<'a>,
        /// The media subtype, e.g. `PDF`.
        subtype: IString<'a>,
    },
    /// A TEXT part (`body-type-text`).
    Text {
        /// The subtype, e.g. `PLAIN`.
        subtype: IString<'a>,
        /// Size of the body in text lines.
        lines: u64,
    },
    /// A MESSAGE/RFC822 or MESSAGE/GLOBAL part (`body-type-msg`).
    Message {
        /// The subtype: `RFC822` or `GLOBAL`.
        subtype: IString<'a>,
        /// The envelope of the encapsulated message.
        envelope: Box<Envelope<'a>>,
        /// The body structure of the encapsulated message.
        body: Box<Body<'a>>,
        /// Size of the encapsulated message in text lines.
        lines: u64,
    },
}

/// `body-fields`: parameters, id, description, encoding, size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyFields<'a> {
    /// Content-Type parameters as (attribute, value) pairs; empty is `NIL`.
    pub params: Vec<(IString<'a>, IString<'a>)>,
    /// Content-ID.
    pub id: NString<'a>,
    /// Content-Description.
    pub description: NString<'a>,
    /// Content-Transfer-Encoding, e.g. `7BIT`, `BASE64`.
    pub encoding: IString<'a>,
    /// Size of the body in octets (in its transfer encoding).
    pub octets: u32,
}

/// `body-ext-1part`: MD5 then optional disposition/language/location/extensions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SinglePartExtension<'a> {
    /// Content-MD5.
    pub md5: NString<'a>,
    /// The remaining fields, if sent.
    pub tail: Option<DispositionExtension<'a>>,
}

/// `body-ext-mpart`: parameters then optional disposition/language/location/extensions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MultiPartExtension<'a> {
    /// Content-Type parameters of the multipart; empty is `NIL`.
    pub params: Vec<(IString<'a>, IString<'a>)>,
    /// The remaining fields, if sent.
    pub tail: Option<DispositionExtension<'a>>,
}

/// `body-fld-dsp` and what may follow it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DispositionExtension<'a> {
    /// Content-Disposition; `None` is `NIL`.
    pub disposition: Option<Disposition<'a>>,
    /// The remaining fields, if sent.
    pub tail: Option<LanguageExtension<'a>>,
}

/// `body-fld-lang` and what may follow it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LanguageExtension<'a> {
    /// Content-Language tags; empty is `NIL`.
    pub language: Vec<IString<'a>>,
    /// The remaining fields, if sent.
    pub tail: Option<LocationExtension<'a>>,
}

/// `body-fld-loc` and any further `body-extension`s.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocationExtension<'a> {
    /// Content-Location.
    pub location: NString<'a>,
    /// Future extension fields, kept as sent.
    pub extensions: Vec<BodyExtension<'a>>,
}

/// Content-Disposition (`body-fld-dsp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disposition<'a> {
    /// The disposition type, e.g. `attachment`.
    pub kind: IString<'a>,
    /// Its parameters; empty is `NIL`.
    pub params: Vec<(IString<'a>, IString<'a>)>,
}

/// A future extension field (`body-extension`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyExtension<'a> {
    /// A string or `NIL`.
    NString(NString<'a>),
    /// A number.
    Number(u64),
    /// A parenthesized, non-empty list.
    List(Vec<BodyExtension<'a>>),
}

// ---------------------------------------------------------------------------
// into_owned

fn params_owned(p: Vec<(IString<'_>, IString<'_>)>) -> Vec<(IString<'static>, IString<'static>)> {
    p.into_iter().map(|(a, b)| (owned(a), owned(b))).collect()
}

impl Body<'_> {
    /// Converts into a value that owns all its data.
    pub fn into_owned(self) -> Body<'static> {
        match self {
            Body::Single(s) => Body::Single(SinglePart {
                kind: match s.kind {
                    SingleKind::Basic {
                        media_type,
                        subtype,
                    } => SingleKind::Basic {
                        media_type: owned(media_type),
                        subtype: owned(subtype),
                    },
                    SingleKind::Text { subtype, lines } => SingleKind::Text {
                        subtype: owned(subtype),
                        lines,
                    },
                    SingleKind::Message {
                        subtype,
                        envelope,
                        body,
                        lines,
                    } => SingleKind::Message {
                        subtype: owned(subtype),
                        envelope: Box::new(envelope.into_owned()),
                        body: Box::new(body.into_owned()),
                        lines,
                    },
                },
                fields: s.fields.into_owned(),
                extension: s.extension.map(|e| SinglePartExtension {
                    md5: nowned(e.md5),
                    tail: e.tail.map(|t| t.into_owned()),
                }),
            }),
            Body::Multi(m) => Body::Multi(MultiPart {
                parts: m.parts.into_iter().map(Body::into_owned).collect(),
                subtype: owned(m.subtype),
                extension: m.extension.map(|e| MultiPartExtension {
                    params: params_owned(e.params),
                    tail: e.tail.map(|t| t.into_owned()),
                }),
            }),
        }
    }
}

impl BodyFields<'_> {
    /// Converts into a value that owns all its data.
    pub fn into_owned(self) -> BodyFields<'static> {
        BodyFields {
            params: params_owned(self.params),
            id: nowned(self.id),
            description: nowned(self.description),
            encoding: owned(self.encoding),
            octets: self.octets,
        }
    }
}

impl DispositionExtension<'_> {
    /// Converts into a value that owns all its data.
    pub fn into_owned(self) -> DispositionExtension<'static> {
        DispositionExtension {
            disposition: self.disposition.map(|d| Disposition {
                kind: owned(d.kind),
                params: params_owned(d.params),
            }),
            tail: self.tail.map(|l| LanguageExtension {
                language: l.language.into_iter().map(owned).collect(),
                tail: l.tail.map(|t| LocationExtension {
                    location: nowned(t.location),
                    extensions: t
                        .extensions
                        .into_iter()
                        .map(BodyExtension::into_owned)
                        .collect(),
                }),
            }),
        }
    }
}

impl BodyExtension<'_> {
    /// Converts into a value that owns all its data.
    pub fn into_owned(self) -> BodyExtension<'static> {
        match self {
            BodyExtension::NString(s) => BodyExtension::NString(nowned(s)),
            BodyExtension::Number(n) => BodyExtension::Number(n),
            BodyExtension::List(l) => {
                BodyExtension::List(l.into_iter().map(BodyExtension::into_owned).collect())
            }
        }
    }
}

/// A multipart body part (`body-type-mpart`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiPart<'a> {
    /// The children, at least one.
    pub parts: Vec<Body<'a>>,
    /// The multipart subtype, e.g. `MIXED`.
    pub subtype: IString<'a>,
    /// BODYSTRUCTURE extension data (`body-ext-mpart`); `None` for `BODY`.
    pub extension: Option<MultiPartExtension<'a>>,
}

// ---------------------------------------------------------------------------
// Parsing

/// A MESSAGE/GLOBAL part (RFC 6532 §3.7) is `body-type-msg` in IMAP4rev2
/// (RFC 9051 `media-message`), but RFC 3501 knows only MESSAGE/RFC822, so an
/// IMAP4rev1 server (Dovecot 2.3, for one) describes it as `body-type-basic`.
/// The two are told apart without guessing: an envelope follows as `SP "("`,
/// while basic extension data starts with an md5 `nstring`.
fn global_has_envelope(c: &mut Cursor<'_>) -> PResult<bool> {
    let start = c.pos;
    let envelope = c.eat(b' ')? && c.peek()? == b'(';
    c.pos = start;
    Ok(envelope)
}

fn parse_params<'a>(c: &mut Cursor<'a>) -> PResult<Vec<(IString<'a>, IString<'a>)>> {
    if c.nil()? {
        return Ok(Vec::new());
    }
    c.byte(b'(', "body-fld-param")?;
    let mut v = Vec::new();
    if c.opts.empty_lists && c.eat(b')')? {
        return Ok(v);
    }
    loop {
        let k = c.string()?;
        c.sp()?;
        let val = c.string()?;
        v.push((k, val));
        if c.eat(b')')? {
            return Ok(v);
        }
        c.sp()?;
    }
}

fn parse_disposition<'a>(c: &mut Cursor<'a>) -> PResult<Option<Disposition<'a>>> {
    if c.nil()? {
        return Ok(None);
    }
    c.byte(b'(', "body-fld-dsp")?;
    let kind = c.string()?;
    c.sp()?;
    let params = parse_params(c)?;
    c.byte(b')', ")")?;
    Ok(Some(Disposition { kind, params }))
}

fn parse_language<'a>(c: &mut Cursor<'a>) -> PResult<Vec<IString<'a>>> {
    if c.peek()? == b'(' {
        c.pos += 1;
        let mut v = vec![c.string()?];
        while !c.eat(b')')? {
            c.sp()?;
            v.push(c.string()?);
        }
        Ok(v)
    } else {
        Ok(c.nstring()?.into_iter().collect())
    }
}

fn parse_extension<'a>(c: &mut Cursor<'a>) -> PResult<BodyExtension<'a>> {
    match c.peek()? {
        b'(' => {
            c.enter()?;
            c.pos += 1;
            let mut v = vec![parse_extension(c)?];
            while !c.eat(b')')? {
                c.sp()?;
                v.push(parse_extension(c)?);
            }
            c.leave();
            Ok(BodyExtension::List(v))
        }
        b'0'..=b'9' => Ok(BodyExtension::Number(c.number64()?)),
        _ => Ok(BodyExtension::NString(c.nstring()?)),
    }
}

/// `[SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]`
fn parse_dsp_tail<'a>(c: &mut Cursor<'a>) -> PResult<Option<DispositionExtension<'a>>> {
    if !c.eat(b' ')? {
        return Ok(None);
    }
    let disposition = parse_disposition(c)?;
    let tail = if c.eat(b' ')? {
        let language = parse_language(c)?;
        let tail = if c.eat(b' ')? {
            let location = c.nstring()?;
            let mut extensions = Vec::new();
            while c.eat(b' ')? {
                extensions.push(parse_extension(c)?);
            }
            Some(LocationExtension {
                location,
                extensions,
            })
        } else {
            None
        };
        Some(LanguageExtension { language, tail })
    } else {
        None
    };
    Ok(Some(DispositionExtension { disposition, tail }))
}

fn parse_fields<'a>(c: &mut Cursor<'a>) -> PResult<BodyFields<'a>> {
    let params = parse_params(c)?;
    c.sp()?;
    let id = c.nstring()?;
    c.sp()?;
    let description = c.nstring()?;
    c.sp()?;
    let encoding = if c.opts.nil_as_empty_string {
        c.nstring()?
            .unwrap_or_else(|| IString::unchecked(Default::default()))
    } else {
        c.string()?
    };
    c.sp()?;
    let octets = c.number()?;
    Ok(BodyFields {
        params,
        id,
        description,
        encoding,
        octets,
    })
}

impl<'a> Body<'a> {
    /// Parses a body structure, e.g. the value after `BODYSTRUCTURE `, with
    /// the default limits. Returns it and the number of bytes consumed.
    ///
    /// ```
    /// use mailwire_imap_proto::body::{Body, SingleKind};
    /// let (b, n) = Body::parse(b"(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)").unwrap();
    /// assert_eq!(n, 62);
    /// let Body::Single(part) = b else { panic!("not a single part") };
    /// assert!(matches!(part.kind, SingleKind::Text { lines: 92, .. }));
    /// assert_eq!(part.fields.octets, 3028);
    /// ```
    pub fn parse(input: &'a [u8]) -> Result<(Self, usize), crate::error::ParseError> {
        let mut c = Cursor::new(input, crate::response::ResponseOptions::default());
        match Self::parse_at(&mut c) {
            Ok(b) => Ok((b, c.pos)),
            Err(e) => Err(crate::response::lex_to_error(e)),
        }
    }

    /// Parses `body` at the cursor (starting at its opening parenthesis).
    pub(crate) fn parse_at(c: &mut Cursor<'a>) -> PResult<Self> {
        c.byte(b'(', "body")?;
        c.enter()?;
        let body = if c.peek()? == b'(' {
            let mut parts = Vec::new();
            while c.peek()? == b'(' {
                parts.push(Body::parse_at(c)?);
                // Some servers put a space between the parts.
                if c.opts.empty_lists && c.peek()? == b' ' && c.peek2()? == b'(' {
                    c.pos += 1;
                }
            }
            c.sp()?;
            let subtype = c.string()?;
            let extension = if c.eat(b' ')? {
                let params = parse_params(c)?;
                let tail = parse_dsp_tail(c)?;
                Some(MultiPartExtension { params, tail })
            } else {
                None
            };
            Body::Multi(MultiPart {
                parts,
                subtype,
                extension,
            })
        } else {
            let media_type = c.string()?;
            c.sp()?;
            let subtype = c.string()?;
            c.sp()?;
            let fields = parse_fields(c)?;
            let kind = if media_type.as_bytes().eq_ignore_ascii_case(b"TEXT") {
                c.sp()?;
                let lines = c.number64()?;
                SingleKind::Text { subtype, lines }
            } else if media_type.as_bytes().eq_ignore_ascii_case(b"MESSAGE")
                && (subtype.as_bytes().eq_ignore_ascii_case(b"RFC822")
                    || (subtype.as_bytes().eq_ignore_ascii_case(b"GLOBAL")
                        && global_has_envelope(c)?))
            {
                c.sp()?;
                let envelope = Box::new(Envelope::parse_at(c)?);
                c.sp()?;
                let body = Box::new(Body::parse_at(c)?);
                c.sp()?;
                let lines = c.number64()?;
                SingleKind::Message {
                    subtype,
                    envelope,
                    body,
                    lines,
                }
            } else {
                SingleKind::Basic {
                    media_type,
                    subtype,
                }
            };
            let extension = if c.eat(b' ')? {
                let md5 = c.nstring()?;
                let tail = parse_dsp_tail(c)?;
                Some(SinglePartExtension { md5, tail })
            } else {
                None
            };
            Body::Single(SinglePart {
                kind,
                fields,
                extension,
            })
        };
        c.byte(b')', ")")?;
        c.leave();
        Ok(body)
    }

    /// Writes the body structure in IMAP syntax. Extension data is written
    /// when present, so a `BODY` value must not carry any.
    pub fn write(&self, enc: &mut Encoder) {
        enc.raw(b"(");
        match self {
            Body::Multi(m) => {
                for p in &m.parts {
                    p.write(enc);
                }
                enc.raw(b" ");
                enc.string(m.subtype.as_bytes());
                if let Some(e) = &m.extension {
                    enc.raw(b" ");
                    write_params(enc, &e.params);
                    write_dsp_tail(enc, e.tail.as_ref());
                }
            }
            Body::Single(s) => {
                match &s.kind {
                    SingleKind::Basic {
                        media_type,
                        subtype,
                    } => {
                        enc.string(media_type.as_bytes());
                        enc.raw(b" ");
                        enc.string(subtype.as_bytes());
                    }
                    SingleKind::Text { subtype, .. } => {
                        enc.raw(b"\"TEXT\" ");
                        enc.string(subtype.as_bytes());
                    }
                    SingleKind::Message { subtype, .. } => {
                        enc.raw(b"\"MESSAGE\" ");
                        enc.string(subtype.as_bytes());
                    }
                }
                enc.raw(b" ");
                write_fields(enc, &s.fields);
                match &s.kind {
                    SingleKind::Basic { .. } => {}
                    SingleKind::Text { lines, .. } => {
                        enc.raw(b" ");
                        enc.number(*lines);
                    }
                    SingleKind::Message {
                        envelope,
                        body,
                        lines,
                        ..
                    } => {
                        enc.raw(b" ");
                        envelope.write(enc);
                        enc.raw(b" ");
                        body.write(enc);
                        enc.raw(b" ");
                        enc.number(*lines);
                    }
                }
                if let Some(e) = &s.extension {
                    enc.raw(b" ");
                    enc.nstring(e.md5.as_ref().map(IString::as_bytes));
                    write_dsp_tail(enc, e.tail.as_ref());
                }
            }
        }
        enc.raw(b")");
    }
}

fn write_params(enc: &mut Encoder, p: &[(IString<'_>, IString<'_>)]) {
    if p.is_empty() {
        enc.raw(b"NIL");
        return;
    }
    enc.raw(b"(");
    for (i, (k, v)) in p.iter().enumerate() {
        if i > 0 {
            enc.raw(b" ");
        }
        enc.string(k.as_bytes());
        enc.raw(b" ");
        enc.string(v.as_bytes());
    }
    enc.raw(b")");
}

fn write_fields(enc: &mut Encoder, f: &BodyFields<'_>) {
    write_params(enc, &f.params);
    enc.raw(b" ");
    enc.nstring(f.id.as_ref().map(IString::as_bytes));
    enc.raw(b" ");
    enc.nstring(f.description.as_ref().map(IString::as_bytes));
    enc.raw(b" ");
    enc.string(f.encoding.as_bytes());
    enc.raw(b" ");
    enc.number(u64::from(f.octets));
}

fn write_extension(enc: &mut Encoder, e: &BodyExtension<'_>) {
    match e {
        BodyExtension::NString(s) => enc.nstring(s.as_ref().map(IString::as_bytes)),
        BodyExtension::Number(n) => enc.number(*n),
        BodyExtension::List(l) => {
            enc.raw(b"(");
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    enc.raw(b" ");
                }
                write_extension(enc, x);
            }
            enc.raw(b")");
        }
    }
}

fn write_dsp_tail(enc: &mut Encoder, t: Option<&DispositionExtension<'_>>) {
    let Some(t) = t else { return };
    enc.raw(b" ");
    match &t.disposition {
        None => enc.raw(b"NIL"),
        Some(d) => {
            enc.raw(b"(");
            enc.string(d.kind.as_bytes());
            enc.raw(b" ");
            write_params(enc, &d.params);
            enc.raw(b")");
        }
    }
    let Some(l) = &t.tail else { return };
    enc.raw(b" ");
    match l.language.as_slice() {
        [] => enc.raw(b"NIL"),
        [one] => enc.string(one.as_bytes()),
        many => {
            enc.raw(b"(");
            for (i, s) in many.iter().enumerate() {
                if i > 0 {
                    enc.raw(b" ");
                }
                enc.string(s.as_bytes());
            }
            enc.raw(b")");
        }
    }
    let Some(loc) = &l.tail else { return };
    enc.raw(b" ");
    enc.nstring(loc.location.as_ref().map(IString::as_bytes));
    for e in &loc.extensions {
        enc.raw(b" ");
        write_extension(enc, e);
    }
}
