//! The MIME tree: parsing a message into entities with byte ranges.

use std::borrow::Cow;
use std::ops::Range;

use crate::charset::{self, DecodedText};
use crate::encoded_word::decode_header_text;
use crate::error::{Defect, DefectKind, Error, LimitKind, ParseOptions};
use crate::params::{self, ContentDisposition, ContentType};
use crate::transfer::{DecodeIssue, TransferEncoding};

/// Identifies an entity of a [`Message`]: its index in depth-first order
/// (the root is 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartId(u32);

impl PartId {
    /// The index in depth-first pre-order ([`Message::parts`] order).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What an entity contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PartKind {
    /// A leaf: its body is content.
    Leaf,
    /// multipart/*: its children are the body parts.
    Multipart,
    /// message/rfc822 or message/global: its one child is the encapsulated
    /// message (header and body), see [`Part::encapsulated`].
    Message,
}

#[derive(Debug, Clone)]
struct Field {
    name: Range<usize>,
    value: Range<usize>,
}

#[derive(Debug, Clone)]
struct Node {
    source: u32,
    start: usize,
    body_start: usize,
    end: usize,
    fields: Range<u32>,
    kind: PartKind,
    cte: TransferEncoding,
    digest_default: bool,
    parent: Option<u32>,
    first_child: Option<u32>,
    last_child: Option<u32>,
    next_sibling: Option<u32>,
    depth: u32,
    /// For multiparts: preamble and epilogue ranges in the source.
    preamble: Range<usize>,
    epilogue: Range<usize>,
}

/// A parsed message: the tree of MIME entities over the input bytes.
///
/// Parsing finds the structure only (header fields, Content-Type,
/// boundaries); bodies are decoded on demand by [`Part::decoded`] and
/// [`Part::text`]. The one exception is a base64 or quoted-printable encoded
/// message/rfc822 part, which has to be decoded to be parsed; its entities
/// live in that decoded copy (see [`Part::in_input`]).
///
/// ```
/// use mailwire_mime::Message;
/// let raw = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>two</p>\r\n--b--\r\n";
/// let msg = Message::parse(raw).unwrap();
/// let root = msg.root();
/// let kids: Vec<_> = root.children().collect();
/// assert_eq!(kids.len(), 2);
/// assert_eq!(kids[0].text().text, "one");
/// assert_eq!(kids[1].content_type().mime_type(), "text/html");
/// assert_eq!(kids[1].imap_path(), vec![2]);
/// ```
#[derive(Debug, Clone)]
pub struct Message<'a> {
    sources: Vec<Cow<'a, [u8]>>,
    nodes: Vec<Node>,
    fields: Vec<Field>,
    defects: Vec<Defect>,
}

#[derive(Clone, Copy)]
struct Task {
    source: u32,
    start: usize,
    end: usize,
    parent: Option<u32>,
    depth: usize,
    digest_default: bool,
    encoded_nesting: usize,
    skip_from: bool,
}

enum Limit {
    Hit(LimitKind, usize, usize),
}

impl<'a> Message<'a> {
    /// Parses with default [`ParseOptions`] (limits are errors).
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        Self::parse_with(input, &ParseOptions::default())
    }

    /// Parses with explicit options.
    pub fn parse_with(input: &'a [u8], options: &ParseOptions) -> Result<Self, Error> {
        let mut msg = Message {
            sources: vec![Cow::Borrowed(input)],
            nodes: Vec::new(),
            fields: Vec::new(),
            defects: Vec::new(),
        };
        let mut stack = vec![Task {
            source: 0,
            start: 0,
            end: input.len(),
            parent: None,
            depth: 0,
            digest_default: false,
            encoded_nesting: 0,
            skip_from: true,
        }];
        while let Some(task) = stack.pop() {
            match msg.expand(task, options, &mut stack) {
                Ok(()) => {}
                Err(Limit::Hit(kind, limit, offset)) => {
                    return Err(Error::LimitExceeded {
                        kind,
                        limit,
                        offset,
                    });
                }
            }
        }
        Ok(msg)
    }

    fn limit(
        &mut self,
        options: &ParseOptions,
        part: u32,
        kind: LimitKind,
        limit: usize,
        offset: usize,
    ) -> Result<(), Limit> {
        if options.truncate_at_limits {
            let d = Defect {
                part: PartId(part),
                kind: DefectKind::LimitReached(kind),
                offset,
            };
            if !self.defects.contains(&d) {
                self.defects.push(d);
            }
            Ok(())
        } else {
            Err(Limit::Hit(kind, limit, offset))
        }
    }

    fn expand(
        &mut self,
        task: Task,
        options: &ParseOptions,
        stack: &mut Vec<Task>,
    ) -> Result<(), Limit> {
        let limits = &options.limits;
        if self.nodes.len() >= limits.max_parts {
            let parent = task.parent.unwrap_or(0);
            return self.limit(
                options,
                parent,
                LimitKind::Parts,
                limits.max_parts,
                task.start,
            );
        }
        let id = self.nodes.len() as u32;
        let src = &self.sources[task.source as usize];
        let mut start = task.start;
        if task.skip_from && src[start..task.end].starts_with(b"From ") {
            // An mbox "From " line before the header.
            start = match memchr::memchr(b'\n', &src[start..task.end]) {
                Some(i) => start + i + 1,
                None => task.end,
            };
        }
        let field_start = self.fields.len();
        let split = split_header(
            src,
            start,
            task.end,
            &mut self.fields,
            limits.max_header_fields,
        );
        let mut defects: Vec<(DefectKind, usize)> = Vec::new();
        let body_start = match split {
            HeaderSplit::Ok {
                body_start,
                missing_separator,
                orphan_continuation,
            } => {
                if let Some(off) = orphan_continuation {
                    defects.push((DefectKind::ContinuationWithoutField, off));
                }
                if missing_separator {
                    defects.push((DefectKind::MissingHeaderBodySeparator, body_start));
                }
                body_start
            }
            HeaderSplit::TooMany { offset, body_start } => {
                if !options.truncate_at_limits {
                    return Err(Limit::Hit(
                        LimitKind::HeaderFields,
                        limits.max_header_fields,
                        offset,
                    ));
                }
                defects.push((DefectKind::LimitReached(LimitKind::HeaderFields), offset));
                body_start
            }
        };
        let field_end = self.fields.len();
        // Content-Type and Content-Transfer-Encoding.
        let mut ct_value: Option<Range<usize>> = None;
        let mut cte_value: Option<Range<usize>> = None;
        for f in &self.fields[field_start..field_end] {
            let name = &src[f.name.clone()];
            if ct_value.is_none() && name.eq_ignore_ascii_case(b"content-type") {
                ct_value = Some(f.value.clone());
            } else if cte_value.is_none() && name.eq_ignore_ascii_case(b"content-transfer-encoding")
            {
                cte_value = Some(f.value.clone());
            }
        }
        let cte = match &cte_value {
            Some(r) => TransferEncoding::parse(&src[r.clone()]),
            None => TransferEncoding::SevenBit,
        };
        if cte == TransferEncoding::Unknown
            && let Some(r) = &cte_value
        {
            defects.push((DefectKind::UnknownTransferEncoding, r.start));
        }
        let mut kind = PartKind::Leaf;
        let mut boundary: Option<Vec<u8>> = None;
        let mut is_digest = false;
        match &ct_value {
            Some(r) => match params::quick_type(&src[r.clone()]) {
                Some((main, sub)) => {
                    if main.eq_ignore_ascii_case(b"multipart") {
                        match params::raw_boundary(&src[r.clone()]) {
                            Some(b) if !b.is_empty() => {
                                kind = PartKind::Multipart;
                                boundary = Some(b.into_owned());
                                is_digest = sub.eq_ignore_ascii_case(b"digest");
                            }
                            _ => defects.push((DefectKind::MissingBoundary, r.start)),
                        }
                    } else if main.eq_ignore_ascii_case(b"message")
                        && (sub.eq_ignore_ascii_case(b"rfc822")
                            || sub.eq_ignore_ascii_case(b"global"))
                    {
                        kind = PartKind::Message;
                    }
                }
                None => {
                    defects.push((DefectKind::InvalidContentType, r.start));
                }
            },
            None => {
                if task.digest_default {
                    kind = PartKind::Message;
                }
            }
        }
        let encoded = matches!(
            cte,
            TransferEncoding::Base64 | TransferEncoding::QuotedPrintable
        );
        if encoded && kind != PartKind::Leaf {
            defects.push((DefectKind::EncodedComposite, body_start));
        }
        // Depth of children.
        if kind != PartKind::Leaf && task.depth + 1 > limits.max_depth {
            self.limit(options, id, LimitKind::Depth, limits.max_depth, body_start)?;
            kind = PartKind::Leaf;
        }
        let node = Node {
            source: task.source,
            start,
            body_start,
            end: task.end,
            fields: field_start as u32..field_end as u32,
            kind,
            cte,
            digest_default: task.digest_default,
            parent: task.parent,
            first_child: None,
            last_child: None,
            next_sibling: None,
            depth: task.depth as u32,
            preamble: body_start..body_start,
            epilogue: task.end..task.end,
        };
        self.nodes.push(node);
        if let Some(p) = task.parent {
            let p = p as usize;
            match self.nodes[p].last_child {
                Some(lc) => self.nodes[lc as usize].next_sibling = Some(id),
                None => self.nodes[p].first_child = Some(id),
            }
            self.nodes[p].last_child = Some(id);
        }
        for (k, off) in defects {
            self.defects.push(Defect {
                part: PartId(id),
                kind: k,
                offset: off,
            });
        }
        match kind {
            PartKind::Leaf => {}
            PartKind::Multipart => {
                let boundary = boundary.unwrap_or_default();
                let src = &self.sources[task.source as usize];
                let split = split_multipart(src, body_start, task.end, &boundary);
                let n = &mut self.nodes[id as usize];
                n.preamble = body_start..split.preamble_end;
                n.epilogue = split.epilogue.clone();
                if !split.found || split.parts.is_empty() {
                    // No parts at all: keep it a leaf (IMAP cannot describe
                    // an empty multipart) whose body is the raw text.
                    self.nodes[id as usize].kind = PartKind::Leaf;
                    self.defects.push(Defect {
                        part: PartId(id),
                        kind: DefectKind::StartBoundaryNotFound,
                        offset: body_start,
                    });
                } else if !split.closed {
                    self.defects.push(Defect {
                        part: PartId(id),
                        kind: DefectKind::MissingCloseDelimiter,
                        offset: task.end,
                    });
                }
                for r in split.parts.iter().rev() {
                    stack.push(Task {
                        source: task.source,
                        start: r.start,
                        end: r.end,
                        parent: Some(id),
                        depth: task.depth + 1,
                        digest_default: is_digest,
                        encoded_nesting: task.encoded_nesting,
                        skip_from: false,
                    });
                }
            }
            PartKind::Message => {
                if encoded {
                    if task.encoded_nesting + 1 > limits.max_encoded_nesting {
                        self.limit(
                            options,
                            id,
                            LimitKind::EncodedNesting,
                            limits.max_encoded_nesting,
                            body_start,
                        )?;
                        self.nodes[id as usize].kind = PartKind::Leaf;
                        return Ok(());
                    }
                    let src = &self.sources[task.source as usize];
                    let (bytes, _) = cte.decode(&src[body_start..task.end]);
                    let bytes = bytes.into_owned();
                    let len = bytes.len();
                    self.sources.push(Cow::Owned(bytes));
                    stack.push(Task {
                        source: (self.sources.len() - 1) as u32,
                        start: 0,
                        end: len,
                        parent: Some(id),
                        depth: task.depth + 1,
                        digest_default: false,
                        encoded_nesting: task.encoded_nesting + 1,
                        skip_from: false,
                    });
                } else {
                    stack.push(Task {
                        source: task.source,
                        start: body_start,
                        end: task.end,
                        parent: Some(id),
                        depth: task.depth + 1,
                        digest_default: false,
                        encoded_nesting: task.encoded_nesting,
                        skip_from: false,
                    });
                }
            }
        }
        Ok(())
    }

    /// The root entity: the message itself (its header is the message
    /// header).
    pub fn root(&self) -> Part<'_> {
        Part { msg: self, id: 0 }
    }

    /// Every entity in depth-first pre-order, root first.
    pub fn parts(&self) -> impl Iterator<Item = Part<'_>> + '_ {
        (0..self.nodes.len() as u32).map(move |id| Part { msg: self, id })
    }

    /// Number of entities.
    pub fn part_count(&self) -> usize {
        self.nodes.len()
    }

    /// The entity with this id, if it exists.
    pub fn part(&self, id: PartId) -> Option<Part<'_>> {
        (id.index() < self.nodes.len()).then_some(Part {
            msg: self,
            id: id.0,
        })
    }

    /// Structural defects (decoding defects come from the decode calls).
    pub fn defects(&self) -> &[Defect] {
        &self.defects
    }

    /// The input bytes.
    pub fn input(&self) -> &[u8] {
        &self.sources[0]
    }

    /// Converts into a message that owns its input.
    pub fn into_owned(self) -> Message<'static> {
        Message {
            sources: self
                .sources
                .into_iter()
                .map(|s| Cow::Owned(s.into_owned()))
                .collect(),
            nodes: self.nodes,
            fields: self.fields,
            defects: self.defects,
        }
    }

    /// Finds the entity an IMAP section part number names (RFC 3501
    /// §6.4.5): `[]` is the whole message, `[1]` the first part (or the
    /// body of a non-multipart message), `[2, 1]` the first part inside part
    /// 2. For a message/rfc822 part the message/rfc822 entity itself is
    /// returned (its MIME header is `BODY[n.MIME]`); use
    /// [`Part::encapsulated`] for `n.HEADER` and `n.TEXT`.
    ///
    /// ```
    /// use mailwire_mime::Message;
    /// let raw = b"Content-Type: text/plain\r\n\r\nhi\r\n";
    /// let msg = Message::parse(raw).unwrap();
    /// assert_eq!(msg.find_imap(&[1]).unwrap().body(), b"hi\r\n");
    /// assert!(msg.find_imap(&[2]).is_none());
    /// ```
    pub fn find_imap(&self, path: &[u32]) -> Option<Part<'_>> {
        let mut cur = self.root();
        if path.is_empty() {
            return Some(cur);
        }
        // `cur` is the entity whose "children" the next number indexes:
        // a multipart's body parts, or for a non-multipart, part 1 is its body.
        for (i, &n) in path.iter().enumerate() {
            if n == 0 {
                return None;
            }
            // Step into an encapsulated message first (except at the very
            // beginning, where the root plays that role already).
            if i > 0 && cur.kind() == PartKind::Message {
                cur = cur.encapsulated()?;
            }
            if cur.kind() == PartKind::Multipart {
                cur = cur.children().nth(n as usize - 1)?;
            } else if n == 1 {
                // Part 1 of a non-multipart message is its body: the entity
                // itself.
            } else {
                return None;
            }
        }
        Some(cur)
    }
}

/// A handle to one entity of a [`Message`].
#[derive(Clone, Copy)]
pub struct Part<'m> {
    msg: &'m Message<'m>,
    id: u32,
}

impl std::fmt::Debug for Part<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Part")
            .field("id", &self.id)
            .field("kind", &self.kind())
            .field("header", &self.header_range())
            .field("body", &self.body_range())
            .finish()
    }
}

/// A header field of an entity, borrowed from the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderField<'m> {
    name: &'m [u8],
    value: &'m [u8],
    offset: usize,
}

impl<'m> HeaderField<'m> {
    /// The field name as written (printable ASCII).
    pub fn name(&self) -> &'m str {
        std::str::from_utf8(self.name).unwrap_or("")
    }

    /// The field name as written, as bytes (no UTF-8 check: cheaper than
    /// [`HeaderField::name`] in hot loops).
    pub fn name_bytes(&self) -> &'m [u8] {
        self.name
    }

    /// The raw value after the colon, folding included, without the final
    /// line break.
    pub fn raw_value(&self) -> &'m [u8] {
        self.value
    }

    /// The value unfolded, trimmed, and with RFC 2047 words decoded.
    pub fn text(&self) -> Cow<'m, str> {
        decode_header_text(self.value)
    }

    /// Offset of the field name in the entity's source.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

/// The transfer-decoded body of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'m> {
    /// The bytes (borrowed for 7bit/8bit/binary).
    pub bytes: Cow<'m, [u8]>,
    /// The first problem met while decoding, if any.
    pub issue: Option<DecodeIssue>,
}

/// The text of a part, decoded from its transfer encoding and charset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<'m> {
    /// The text.
    pub text: Cow<'m, str>,
    /// A transfer-decoding problem, if any.
    pub issue: Option<DecodeIssue>,
    /// True when the charset was not recognised (raw bytes stay available
    /// through [`Part::decoded`]).
    pub unknown_charset: bool,
    /// True when malformed byte sequences were replaced by U+FFFD.
    pub had_errors: bool,
}

impl<'m> Part<'m> {
    fn node(&self) -> &'m Node {
        &self.msg.nodes[self.id as usize]
    }

    fn src(&self) -> &'m [u8] {
        &self.msg.sources[self.node().source as usize]
    }

    fn at(&self, id: Option<u32>) -> Option<Part<'m>> {
        id.map(|id| Part { msg: self.msg, id })
    }

    /// This entity's id.
    pub fn id(&self) -> PartId {
        PartId(self.id)
    }

    /// Leaf, multipart or message.
    pub fn kind(&self) -> PartKind {
        self.node().kind
    }

    /// True for multipart/* entities with a boundary.
    pub fn is_multipart(&self) -> bool {
        self.kind() == PartKind::Multipart
    }

    /// Nesting depth (the root is 0).
    pub fn depth(&self) -> usize {
        self.node().depth as usize
    }

    /// The parent entity.
    pub fn parent(&self) -> Option<Part<'m>> {
        self.at(self.node().parent)
    }

    /// Children: body parts of a multipart, or the encapsulated message of
    /// a message/rfc822 part.
    pub fn children(&self) -> Children<'m> {
        Children {
            msg: self.msg,
            next: self.node().first_child,
        }
    }

    /// For message/rfc822 and message/global: the encapsulated message's
    /// root entity.
    pub fn encapsulated(&self) -> Option<Part<'m>> {
        if self.kind() == PartKind::Message {
            self.at(self.node().first_child)
        } else {
            None
        }
    }

    /// True when this entity's bytes are in the original input; false
    /// inside a base64/QP-encoded message/rfc822, whose decoded copy the
    /// ranges then refer to.
    pub fn in_input(&self) -> bool {
        self.node().source == 0
    }

    /// Byte range of the header, including the blank line that ends it,
    /// in the entity's source (the input when [`Part::in_input`]).
    pub fn header_range(&self) -> Range<usize> {
        let n = self.node();
        n.start..n.body_start
    }

    /// Byte range of the body.
    pub fn body_range(&self) -> Range<usize> {
        let n = self.node();
        n.body_start..n.end
    }

    /// The whole entity (header and body).
    pub fn raw(&self) -> &'m [u8] {
        let n = self.node();
        &self.src()[n.start..n.end]
    }

    /// The header bytes, blank line included (IMAP `BODY[n.MIME]`, or
    /// `BODY[HEADER]` for a message root).
    pub fn header_bytes(&self) -> &'m [u8] {
        &self.src()[self.header_range()]
    }

    /// The body bytes still transfer-encoded (IMAP `BODY[n]`, `BODY[TEXT]`).
    pub fn body(&self) -> &'m [u8] {
        &self.src()[self.body_range()]
    }

    /// Size of the body in octets, as IMAP BODYSTRUCTURE reports it.
    pub fn body_size(&self) -> usize {
        self.body_range().len()
    }

    /// Size of the body in octets if every bare LF were CRLF (what an IMAP
    /// server storing LF-only mail announces).
    pub fn body_size_crlf(&self) -> usize {
        let b = self.body();
        let lf = memchr::memchr_iter(b'\n', b).count();
        let crlf = memchr::memmem::find_iter(b, b"\r\n").count();
        b.len() + lf - crlf
    }

    /// Number of lines in the body (IMAP body-fld-lines): the number of
    /// line breaks, plus one for a final line without a line break.
    pub fn body_lines(&self) -> usize {
        let b = self.body();
        let n = memchr::memchr_iter(b'\n', b).count();
        n + usize::from(b.last().is_some_and(|&c| c != b'\n'))
    }

    /// For multiparts: the preamble (before the first delimiter).
    pub fn preamble(&self) -> &'m [u8] {
        &self.src()[self.node().preamble.clone()]
    }

    /// For multiparts: the epilogue (after the close-delimiter line).
    pub fn epilogue(&self) -> &'m [u8] {
        &self.src()[self.node().epilogue.clone()]
    }

    /// Header fields in order.
    pub fn headers(&self) -> impl Iterator<Item = HeaderField<'m>> + 'm {
        let src = self.src();
        let r = self.node().fields.clone();
        self.msg.fields[r.start as usize..r.end as usize]
            .iter()
            .map(move |f| HeaderField {
                name: &src[f.name.clone()],
                value: &src[f.value.clone()],
                offset: f.name.start,
            })
    }

    /// The first field with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<HeaderField<'m>> {
        self.headers()
            .find(|f| f.name.eq_ignore_ascii_case(name.as_bytes()))
    }

    /// The first field with this name, unfolded and RFC 2047-decoded.
    pub fn header_text(&self, name: &str) -> Option<Cow<'m, str>> {
        self.header(name).map(|f| f.text())
    }

    /// The Content-Type: parsed from the field, or the default
    /// (`text/plain`, or `message/rfc822` inside multipart/digest).
    pub fn content_type(&self) -> ContentType {
        match self.header("content-type") {
            Some(f) => ContentType::parse(f.raw_value()),
            None if self.node().digest_default => ContentType::message_rfc822(),
            None => ContentType::text_plain(),
        }
    }

    /// The Content-Disposition, if present.
    pub fn disposition(&self) -> Option<ContentDisposition> {
        self.header("content-disposition")
            .map(|f| ContentDisposition::parse(f.raw_value()))
    }

    /// The Content-Transfer-Encoding (7bit when absent).
    pub fn transfer_encoding(&self) -> TransferEncoding {
        self.node().cte
    }

    /// The Content-ID without angle brackets.
    pub fn content_id(&self) -> Option<Cow<'m, str>> {
        self.header("content-id").map(|f| strip_angles(f.text()))
    }

    /// Content-Description, decoded.
    pub fn description(&self) -> Option<Cow<'m, str>> {
        self.header_text("content-description")
    }

    /// Content-Language tags (RFC 3282), comma-separated list split.
    pub fn languages(&self) -> Vec<String> {
        self.header_text("content-language")
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Content-Location (RFC 2557), unfolded.
    pub fn location(&self) -> Option<Cow<'m, str>> {
        self.header_text("content-location")
    }

    /// Content-MD5 (RFC 1864), as written.
    pub fn md5(&self) -> Option<Cow<'m, str>> {
        self.header_text("content-md5")
    }

    /// MIME-Version, unfolded (normally `1.0`).
    pub fn mime_version(&self) -> Option<Cow<'m, str>> {
        self.header_text("mime-version")
    }

    /// The file name: Content-Disposition `filename*`/`filename`, then
    /// Content-Type `name*`/`name` (RFC 2183 §2.3, RFC 2231).
    pub fn filename(&self) -> Option<String> {
        if let Some(cd) = self.disposition()
            && let Some(f) = cd.filename()
        {
            return Some(f.into_owned());
        }
        self.content_type().param("name").map(Cow::into_owned)
    }

    /// The charset parameter of the Content-Type.
    pub fn charset(&self) -> Option<String> {
        self.content_type().charset().map(str::to_string)
    }

    /// The body decoded from its transfer encoding.
    pub fn decoded(&self) -> Decoded<'m> {
        let (bytes, issue) = self.node().cte.decode(self.body());
        Decoded { bytes, issue }
    }

    /// The body decoded to text: transfer encoding, then the charset
    /// parameter (US-ASCII, read leniently as UTF-8 or windows-1252, when
    /// absent).
    pub fn text(&self) -> Text<'m> {
        let d = self.decoded();
        let cs = self.charset();
        let (text, unknown, errs) = match d.bytes {
            Cow::Borrowed(b) => {
                let DecodedText {
                    text,
                    unknown_charset,
                    had_errors,
                } = charset::decode(cs.as_deref(), b);
                (text, unknown_charset, had_errors)
            }
            Cow::Owned(v) => {
                let DecodedText {
                    text,
                    unknown_charset,
                    had_errors,
                } = charset::decode(cs.as_deref(), &v);
                let text = match text {
                    Cow::Borrowed(_) => Cow::Owned(String::from_utf8(v).unwrap_or_default()),
                    Cow::Owned(s) => Cow::Owned(s),
                };
                (text, unknown_charset, had_errors)
            }
        };
        Text {
            text,
            issue: d.issue,
            unknown_charset: unknown,
            had_errors: errs,
        }
    }

    /// The IMAP part number (RFC 3501 §6.4.5): empty for the root when it
    /// is multipart, `[1]` for a non-multipart root body; the
    /// encapsulated message of a message/rfc822 part `p` numbers as `p`
    /// when multipart, `p.1` otherwise.
    pub fn imap_path(&self) -> Vec<u32> {
        let mut rev: Vec<u32> = Vec::new();
        let mut cur = *self;
        loop {
            let parent = cur.parent();
            match parent {
                None => {
                    if cur.kind() != PartKind::Multipart {
                        rev.push(1);
                    }
                    break;
                }
                Some(p) if p.kind() == PartKind::Multipart => {
                    let idx = p.children().position(|c| c.id == cur.id).unwrap_or(0) + 1;
                    rev.push(idx as u32);
                }
                Some(_) => {
                    // Encapsulated message root.
                    if cur.kind() != PartKind::Multipart {
                        rev.push(1);
                    }
                }
            }
            cur = match parent {
                Some(p) => p,
                None => break,
            };
        }
        rev.reverse();
        rev
    }

    /// [`Part::imap_path`] as a dotted string (`"1.2"`, `""` for the root
    /// multipart).
    pub fn imap_path_string(&self) -> String {
        let p = self.imap_path();
        let v: Vec<String> = p.iter().map(u32::to_string).collect();
        v.join(".")
    }
}

fn strip_angles(v: Cow<'_, str>) -> Cow<'_, str> {
    let t = v.trim();
    if t.starts_with('<') && t.ends_with('>') && t.len() >= 2 {
        Cow::Owned(t[1..t.len() - 1].trim().to_string())
    } else if t.len() != v.len() {
        Cow::Owned(t.to_string())
    } else {
        v
    }
}

/// Iterator over a part's children.
#[derive(Debug, Clone)]
pub struct Children<'m> {
    msg: &'m Message<'m>,
    next: Option<u32>,
}

impl<'m> Iterator for Children<'m> {
    type Item = Part<'m>;
    fn next(&mut self) -> Option<Part<'m>> {
        let id = self.next?;
        self.next = self.msg.nodes[id as usize].next_sibling;
        Some(Part { msg: self.msg, id })
    }
}

enum HeaderSplit {
    Ok {
        body_start: usize,
        missing_separator: bool,
        orphan_continuation: Option<usize>,
    },
    TooMany {
        offset: usize,
        body_start: usize,
    },
}

/// Splits the header section of the entity in `src[start..end]` into
/// fields (RFC 5322 §2.2). Returns where the body starts.
fn split_header(
    src: &[u8],
    start: usize,
    end: usize,
    fields: &mut Vec<Field>,
    max_fields: usize,
) -> HeaderSplit {
    let mut pos = start;
    let mut count = 0usize;
    let mut orphan = None;
    let mut have_field = false;
    while pos < end {
        let line_end = memchr::memchr(b'\n', &src[pos..end]).map_or(end, |i| pos + i + 1);
        let mut content_end = line_end;
        if content_end > pos && src[content_end - 1] == b'\n' {
            content_end -= 1;
        }
        if content_end > pos && src[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        if content_end == pos {
            return HeaderSplit::Ok {
                body_start: line_end,
                missing_separator: false,
                orphan_continuation: orphan,
            };
        }
        let first = src[pos];
        if first == b' ' || first == b'\t' {
            if have_field {
                if let Some(f) = fields.last_mut() {
                    f.value.end = content_end;
                }
            } else if orphan.is_none() {
                orphan = Some(pos);
            }
            pos = line_end;
            continue;
        }
        let line = &src[pos..content_end];
        let colon = memchr::memchr(b':', line);
        let valid = colon.is_some_and(|c| {
            let name = trim_end_wsp(&line[..c]);
            !name.is_empty() && name.iter().all(|&b| (33..=126).contains(&b))
        });
        let Some(colon) = colon.filter(|_| valid) else {
            return HeaderSplit::Ok {
                body_start: pos,
                missing_separator: true,
                orphan_continuation: orphan,
            };
        };
        if count >= max_fields {
            // Skip to the end of the header without recording more fields.
            let body_start = find_blank_line(src, pos, end);
            return HeaderSplit::TooMany {
                offset: pos,
                body_start,
            };
        }
        let name_len = trim_end_wsp(&line[..colon]).len();
        fields.push(Field {
            name: pos..pos + name_len,
            value: pos + colon + 1..content_end,
        });
        have_field = true;
        count += 1;
        pos = line_end;
    }
    HeaderSplit::Ok {
        body_start: end,
        missing_separator: false,
        orphan_continuation: orphan,
    }
}

fn find_blank_line(src: &[u8], mut pos: usize, end: usize) -> usize {
    while pos < end {
        let line_end = memchr::memchr(b'\n', &src[pos..end]).map_or(end, |i| pos + i + 1);
        let l = &src[pos..line_end];
        if l == b"\n" || l == b"\r\n" {
            return line_end;
        }
        pos = line_end;
    }
    end
}

fn trim_end_wsp(v: &[u8]) -> &[u8] {
    let mut e = v.len();
    while e > 0 && (v[e - 1] == b' ' || v[e - 1] == b'\t') {
        e -= 1;
    }
    &v[..e]
}

pub(crate) struct MultipartSplit {
    pub(crate) preamble_end: usize,
    pub(crate) parts: Vec<Range<usize>>,
    pub(crate) epilogue: Range<usize>,
    pub(crate) found: bool,
    pub(crate) closed: bool,
}

/// Splits a multipart body (RFC 2046 §5.1.1). A delimiter is a whole line:
/// `--boundary`, optionally `--` (close), optional spaces/tabs, then a line
/// break or the end. The line break before a delimiter belongs to it.
pub(crate) fn split_multipart(
    src: &[u8],
    start: usize,
    end: usize,
    boundary: &[u8],
) -> MultipartSplit {
    let body = &src[start..end];
    let mut delim = Vec::with_capacity(boundary.len() + 2);
    delim.extend_from_slice(b"--");
    delim.extend_from_slice(boundary);
    let finder = memchr::memmem::Finder::new(&delim);
    let mut out = MultipartSplit {
        preamble_end: end,
        parts: Vec::new(),
        epilogue: end..end,
        found: false,
        closed: false,
    };
    let mut part_start: Option<usize> = None;
    let mut search = 0;
    while let Some(rel) = finder.find(&body[search..]) {
        let p = search + rel;
        search = p + 1;
        if p > 0 && body[p - 1] != b'\n' {
            continue;
        }
        let mut q = p + delim.len();
        let close = body[q..].starts_with(b"--");
        if close {
            q += 2;
        }
        while q < body.len() && (body[q] == b' ' || body[q] == b'\t') {
            q += 1;
        }
        let line_end = if q == body.len() {
            q
        } else if body[q] == b'\n' {
            q + 1
        } else if body[q] == b'\r' && body.get(q + 1) == Some(&b'\n') {
            q + 2
        } else if body[q] == b'\r' && q + 1 == body.len() {
            q + 1
        } else {
            continue;
        };
        // The line break before the delimiter belongs to it.
        let line_start = if p >= 2 && &body[p - 2..p] == b"\r\n" {
            p - 2
        } else if p >= 1 {
            p - 1
        } else {
            p
        };
        match part_start {
            None => out.preamble_end = start + line_start,
            Some(ps) => out.parts.push(start + ps..start + line_start.max(ps)),
        }
        out.found = true;
        if close {
            out.closed = true;
            out.epilogue = start + line_end..end;
            return out;
        }
        part_start = Some(line_end);
        search = line_end;
    }
    if let Some(ps) = part_start {
        // Without a close-delimiter, the final line break still belongs to
        // the (missing) delimiter, as Python's `email` package reads it.
        let mut e = body.len();
        if body[..e].ends_with(b"\r\n") {
            e -= 2;
        } else if body[..e].ends_with(b"\n") {
            e -= 1;
        }
        out.parts.push(start + ps..start + e.max(ps));
    } else {
        out.preamble_end = end;
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn split(body: &str, b: &str) -> (String, Vec<String>, String, bool, bool) {
        let s = split_multipart(body.as_bytes(), 0, body.len(), b.as_bytes());
        (
            body[..s.preamble_end].to_string(),
            s.parts
                .iter()
                .map(|r| body[r.clone()].to_string())
                .collect(),
            body[s.epilogue.clone()].to_string(),
            s.found,
            s.closed,
        )
    }

    #[test]
    fn delimiter_rules() {
        let (pre, parts, epi, found, closed) = split(
            "pre\r\n--b\r\none\r\n--b \t\r\ntwo\r\n--b--\r\nepi\r\n",
            "b",
        );
        assert_eq!(pre, "pre");
        assert_eq!(parts, vec!["one", "two"]);
        assert_eq!(epi, "epi\r\n");
        assert!(found && closed);
        // Prefix-only and mid-line matches are not delimiters.
        let (_, parts, _, _, _) = split("--b\none\n--bb\nx --b\n--b-\n--b--\n", "b");
        assert_eq!(parts, vec!["one\n--bb\nx --b\n--b-"]);
        // Missing close delimiter.
        let (_, parts, _, found, closed) = split("--b\none\n--b\ntwo\n", "b");
        assert_eq!(parts, vec!["one", "two"]);
        assert!(found && !closed);
        // No delimiter at all.
        let (pre, parts, _, found, _) = split("just text\n", "b");
        assert_eq!(pre, "just text\n");
        assert!(parts.is_empty() && !found);
        // Empty parts.
        let (_, parts, _, _, _) = split("--b\r\n--b\r\n\r\n--b--", "b");
        assert_eq!(parts, vec!["", ""]);
    }

    #[test]
    fn header_split() {
        let src = b"A: 1\r\nB:\r\n 2\r\n\r\nbody";
        let mut f = Vec::new();
        match split_header(src, 0, src.len(), &mut f, 10) {
            HeaderSplit::Ok {
                body_start,
                missing_separator,
                ..
            } => {
                assert_eq!(&src[body_start..], b"body");
                assert!(!missing_separator);
            }
            HeaderSplit::TooMany { .. } => panic!(),
        }
        assert_eq!(f.len(), 2);
        assert_eq!(&src[f[1].value.clone()], b"\r\n 2");
        let src = b"A: 1\nnot a header\n";
        let mut f = Vec::new();
        match split_header(src, 0, src.len(), &mut f, 10) {
            HeaderSplit::Ok {
                body_start,
                missing_separator,
                ..
            } => {
                assert_eq!(&src[body_start..], b"not a header\n");
                assert!(missing_separator);
            }
            HeaderSplit::TooMany { .. } => panic!(),
        }
    }
}
