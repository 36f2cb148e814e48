//! Building messages: text, HTML, alternatives, related parts with inline
//! Content-IDs, attachments and nested messages, written as CRLF lines of at
//! most 998 octets that [`crate::Message`] reads back to the same tree.
//!
//! The transfer encoding of each leaf is chosen from its content: `7bit`
//! when it already fits, `8bit` for UTF-8 text in RFC 6532 mode,
//! quoted-printable for mostly-ASCII text, base64 otherwise. Text parts are
//! written in canonical form (every line break becomes CRLF); other parts
//! come back byte for byte. Boundaries are checked against the content
//! they enclose. No clock: `Date` and `Message-ID` are inputs.
//!
//! ```
//! use mailwire_mime::builder::{MessageBuilder, PartBuilder};
//! use mailwire_mime::Message;
//!
//! let bytes = MessageBuilder::new()
//!     .from(Some("Alice Lidén"), "alice@example.org")?
//!     .to(None, "bob@example.net")?
//!     .subject("Grüße")
//!     .text("Hello Bob,\nsee the attachment.\n")
//!     .html("<p>Hello Bob,</p>")
//!     .attachment(PartBuilder::attachment("application/pdf", "résumé.pdf", b"%PDF-1.4".to_vec()))
//!     .build()?;
//! let msg = Message::parse(&bytes)?;
//! let body = msg.body_parts();
//! assert_eq!(body.text[0].text().text, "Hello Bob,\r\nsee the attachment.\r\n");
//! assert_eq!(body.attachments[0].filename().as_deref(), Some("résumé.pdf"));
//! assert_eq!(msg.root().header_text("subject").as_deref(), Some("Grüße"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use mailwire_rfc5322::address::{Address, Mailbox};
use mailwire_rfc5322::datetime::DateTime;
use mailwire_rfc5322::msgid::MsgId;
use mailwire_rfc5322::writer::HeaderWriter;
pub use mailwire_rfc5322::writer::Mode;

use crate::transfer::{encode_base64, encode_quoted_printable};

/// Why a message could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A header could not be written (bad name, address or msg-id).
    #[error("header field {name}: {source}")]
    Header {
        /// The field name.
        name: String,
        /// The writer's error.
        source: mailwire_rfc5322::WriteError,
    },
    /// An address without `@`, or with characters no address may contain.
    #[error("invalid address: {0:?}")]
    InvalidAddress(String),
    /// A MIME type that is not `type/subtype` made of token characters.
    #[error("invalid media type: {0:?}")]
    InvalidMediaType(String),
    /// A Content-ID that is not a printable ASCII msg-id.
    #[error("invalid content-id: {0:?}")]
    InvalidContentId(String),
    /// A parameter name that is not a token.
    #[error("invalid parameter name: {0:?}")]
    InvalidParameter(String),
    /// Nesting deeper than the parser's default depth limit.
    #[error("nesting deeper than {0}")]
    TooDeep(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Content {
    Leaf {
        media: String,
        text: bool,
        data: Vec<u8>,
    },
    Multipart {
        subtype: String,
        parts: Vec<PartBuilder>,
    },
    Message(Box<MessageBuilder>),
}

/// One MIME entity to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartBuilder {
    content: Content,
    disposition: Option<String>,
    filename: Option<String>,
    content_id: Option<String>,
    description: Option<String>,
    params: Vec<(String, String)>,
}

impl PartBuilder {
    fn new(content: Content) -> Self {
        PartBuilder {
            content,
            disposition: None,
            filename: None,
            content_id: None,
            description: None,
            params: Vec::new(),
        }
    }

    /// `text/plain; charset=utf-8`.
    pub fn text(text: &str) -> Self {
        Self::new(Content::Leaf {
            media: "text/plain".into(),
            text: true,
            data: text.as_bytes().to_vec(),
        })
    }

    /// `text/html; charset=utf-8`.
    pub fn html(html: &str) -> Self {
        Self::new(Content::Leaf {
            media: "text/html".into(),
            text: true,
            data: html.as_bytes().to_vec(),
        })
    }

    /// A leaf of any type. `text/*` data must be UTF-8 text (it gets
    /// `charset=utf-8` and canonical CRLF line breaks); anything else is
    /// kept byte for byte.
    pub fn data(media_type: &str, data: Vec<u8>) -> Self {
        let media = media_type.trim().to_ascii_lowercase();
        let text = media.starts_with("text/");
        Self::new(Content::Leaf { media, text, data })
    }

    /// An attachment: `Content-Disposition: attachment` with a file name
    /// (RFC 2231-encoded when needed).
    pub fn attachment(media_type: &str, filename: &str, data: Vec<u8>) -> Self {
        Self::data(media_type, data)
            .disposition("attachment")
            .filename(filename)
    }

    /// An inline part referenced by `cid:` URLs from HTML (RFC 2392), for
    /// multipart/related.
    pub fn inline(media_type: &str, content_id: &str, data: Vec<u8>) -> Self {
        Self::data(media_type, data)
            .disposition("inline")
            .content_id(content_id)
    }

    /// A multipart of the given subtype (`mixed`, `alternative`, ...).
    pub fn multipart(subtype: &str, parts: Vec<PartBuilder>) -> Self {
        Self::new(Content::Multipart {
            subtype: subtype.trim().to_ascii_lowercase(),
            parts,
        })
    }

    /// multipart/mixed.
    pub fn mixed(parts: Vec<PartBuilder>) -> Self {
        Self::multipart("mixed", parts)
    }

    /// multipart/alternative (least preferred first, RFC 2046 §5.1.4).
    pub fn alternative(parts: Vec<PartBuilder>) -> Self {
        Self::multipart("alternative", parts)
    }

    /// multipart/related (RFC 2387); the first part is the root.
    pub fn related(parts: Vec<PartBuilder>) -> Self {
        Self::multipart("related", parts)
    }

    /// A nested message (message/rfc822).
    pub fn message(message: MessageBuilder) -> Self {
        Self::new(Content::Message(Box::new(message)))
    }

    /// Sets Content-Disposition (`inline`, `attachment`).
    #[must_use]
    pub fn disposition(mut self, kind: &str) -> Self {
        self.disposition = Some(kind.trim().to_ascii_lowercase());
        self
    }

    /// Sets the file name (Content-Disposition `filename`, and Content-Type
    /// `name` for old readers).
    #[must_use]
    pub fn filename(mut self, name: &str) -> Self {
        self.filename = Some(name.to_string());
        self
    }

    /// Sets the Content-ID (without angle brackets).
    #[must_use]
    pub fn content_id(mut self, id: &str) -> Self {
        self.content_id = Some(id.trim_matches(['<', '>']).to_string());
        self
    }

    /// Sets the Content-Description.
    #[must_use]
    pub fn description(mut self, text: &str) -> Self {
        self.description = Some(text.to_string());
        self
    }

    /// Adds a Content-Type parameter.
    #[must_use]
    pub fn param(mut self, name: &str, value: &str) -> Self {
        self.params
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }
}

/// A message to build: header fields and a body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageBuilder {
    mode: Mode,
    from: Vec<Mailbox<'static>>,
    sender: Option<Mailbox<'static>>,
    reply_to: Vec<Mailbox<'static>>,
    to: Vec<Mailbox<'static>>,
    cc: Vec<Mailbox<'static>>,
    bcc: Vec<Mailbox<'static>>,
    subject: Option<String>,
    date: Option<DateTime>,
    message_id: Option<MsgId<'static>>,
    headers: Vec<(String, String)>,
    text: Option<String>,
    html: Option<String>,
    inline: Vec<PartBuilder>,
    attachments: Vec<PartBuilder>,
    body: Option<PartBuilder>,
}

fn mailbox(name: Option<&str>, address: &str) -> Result<Mailbox<'static>, BuildError> {
    let address = address.trim();
    let Some(at) = address.rfind('@') else {
        return Err(BuildError::InvalidAddress(address.to_string()));
    };
    let (local, domain) = (&address[..at], &address[at + 1..]);
    if local.is_empty()
        || domain.is_empty()
        || address
            .chars()
            .any(|c| c.is_control() || c == ' ' || c == '<' || c == '>')
    {
        return Err(BuildError::InvalidAddress(address.to_string()));
    }
    Ok(Mailbox {
        name: name.map(|n| n.to_string().into()),
        local_part: local.to_string().into(),
        domain: Some(domain.to_string().into()),
        route: Vec::new(),
    })
}

impl MessageBuilder {
    /// An empty message (7-bit output).
    pub fn new() -> Self {
        Self::default()
    }

    /// 7-bit output (RFC 2047/2231 for non-ASCII, the default) or RFC 6532
    /// UTF-8 output (UTF-8 headers, `8bit` UTF-8 text bodies).
    #[must_use]
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Adds a From mailbox.
    pub fn from(mut self, name: Option<&str>, address: &str) -> Result<Self, BuildError> {
        self.from.push(mailbox(name, address)?);
        Ok(self)
    }

    /// Sets Sender.
    pub fn sender(mut self, name: Option<&str>, address: &str) -> Result<Self, BuildError> {
        self.sender = Some(mailbox(name, address)?);
        Ok(self)
    }

    /// Adds a Reply-To mailbox.
    pub fn reply_to(mut self, name: Option<&str>, address: &str) -> Result<Self, BuildError> {
        self.reply_to.push(mailbox(name, address)?);
        Ok(self)
    }

    /// Adds a To mailbox.
    pub fn to(mut self, name: Option<&str>, address: &str) -> Result<Self, BuildError> {
        self.to.push(mailbox(name, address)?);
        Ok(self)
    }

    /// Adds a Cc mailbox.
    pub fn cc(mut self, name: Option<&str>, address: &str) -> Result<Self, BuildError> {
        self.cc.push(mailbox(name, address)?);
        Ok(self)
    }

    /// Adds a Bcc mailbox (written as a field: drop it before relaying).
    pub fn bcc(mut self, name: Option<&str>, address: &str) -> Result<Self, BuildError> {
        self.bcc.push(mailbox(name, address)?);
        Ok(self)
    }

    /// Sets Subject.
    #[must_use]
    pub fn subject(mut self, subject: &str) -> Self {
        self.subject = Some(subject.to_string());
        self
    }

    /// Sets Date (the caller owns the clock).
    #[must_use]
    pub fn date(mut self, date: DateTime) -> Self {
        self.date = Some(date);
        self
    }

    /// Sets Message-ID from `left@right` (angle brackets optional).
    pub fn message_id(mut self, id: &str) -> Result<Self, BuildError> {
        let id = id.trim().trim_start_matches('<').trim_end_matches('>');
        let Some(at) = id.rfind('@') else {
            return Err(BuildError::Header {
                name: "Message-ID".into(),
                source: mailwire_rfc5322::WriteError::InvalidMsgId,
            });
        };
        self.message_id = Some(MsgId {
            left: id[..at].to_string().into(),
            right: id[at + 1..].to_string().into(),
        });
        Ok(self)
    }

    /// Adds an unstructured header field (RFC 2047-encoded as needed).
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the plain-text body.
    #[must_use]
    pub fn text(mut self, text: &str) -> Self {
        self.text = Some(text.to_string());
        self
    }

    /// Sets the HTML body (with a text body, they form multipart/alternative).
    #[must_use]
    pub fn html(mut self, html: &str) -> Self {
        self.html = Some(html.to_string());
        self
    }

    /// Adds an inline part for the HTML body (multipart/related).
    #[must_use]
    pub fn inline(mut self, part: PartBuilder) -> Self {
        self.inline.push(part);
        self
    }

    /// Adds an attachment (multipart/mixed around the body).
    #[must_use]
    pub fn attachment(mut self, part: PartBuilder) -> Self {
        self.attachments.push(part);
        self
    }

    /// Sets the whole body tree explicitly (text, html, inline parts and
    /// attachments are then ignored).
    #[must_use]
    pub fn body(mut self, part: PartBuilder) -> Self {
        self.body = Some(part);
        self
    }

    fn body_tree(&self) -> PartBuilder {
        if let Some(b) = &self.body {
            return b.clone();
        }
        let text = self.text.as_deref().map(PartBuilder::text);
        let mut html = self.html.as_deref().map(PartBuilder::html);
        if !self.inline.is_empty()
            && let Some(h) = html.take()
        {
            let mut parts = vec![h];
            parts.extend(self.inline.iter().cloned());
            html = Some(PartBuilder::related(parts));
        }
        let mut core = match (text, html) {
            (Some(t), Some(h)) => PartBuilder::alternative(vec![t, h]),
            (Some(t), None) => t,
            (None, Some(h)) => h,
            (None, None) => PartBuilder::text(""),
        };
        if !self.inline.is_empty() && self.html.is_none() {
            let mut parts = vec![core];
            parts.extend(self.inline.iter().cloned());
            core = PartBuilder::related(parts);
        }
        if !self.attachments.is_empty() {
            let mut parts = vec![core];
            parts.extend(self.attachments.iter().cloned());
            core = PartBuilder::mixed(parts);
        }
        core
    }

    /// Writes the message.
    pub fn build(&self) -> Result<Vec<u8>, BuildError> {
        self.build_at(0)
    }

    fn build_at(&self, depth: usize) -> Result<Vec<u8>, BuildError> {
        let mut w = HeaderWriter::new(self.mode);
        fn err(name: &str) -> impl Fn(mailwire_rfc5322::WriteError) -> BuildError + '_ {
            move |source| BuildError::Header {
                name: name.to_string(),
                source,
            }
        }
        if let Some(d) = &self.date {
            w.date("Date", d).map_err(err("Date"))?;
        }
        let list =
            |v: &[Mailbox<'static>]| v.iter().cloned().map(Address::Mailbox).collect::<Vec<_>>();
        if !self.from.is_empty() {
            w.address_slice("From", &list(&self.from))
                .map_err(err("From"))?;
        }
        if let Some(s) = &self.sender {
            w.mailbox("Sender", s).map_err(err("Sender"))?;
        }
        if !self.reply_to.is_empty() {
            w.address_slice("Reply-To", &list(&self.reply_to))
                .map_err(err("Reply-To"))?;
        }
        if !self.to.is_empty() {
            w.address_slice("To", &list(&self.to)).map_err(err("To"))?;
        }
        if !self.cc.is_empty() {
            w.address_slice("Cc", &list(&self.cc)).map_err(err("Cc"))?;
        }
        if !self.bcc.is_empty() {
            w.address_slice("Bcc", &list(&self.bcc))
                .map_err(err("Bcc"))?;
        }
        if let Some(s) = &self.subject {
            w.unstructured("Subject", s).map_err(err("Subject"))?;
        }
        if let Some(id) = &self.message_id {
            w.msg_ids("Message-ID", std::slice::from_ref(id))
                .map_err(err("Message-ID"))?;
        }
        for (n, v) in &self.headers {
            w.unstructured(n, v).map_err(err(n))?;
        }
        let mut out = w.finish();
        out.extend_from_slice(b"MIME-Version: 1.0\r\n");
        write_entity(&self.body_tree(), self.mode, depth, &mut out)?;
        Ok(out)
    }
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(crate::is_token_byte)
}

fn check_media(media: &str) -> Result<(), BuildError> {
    match media.split_once('/') {
        Some((a, b)) if is_token(a) && is_token(b) => Ok(()),
        _ => Err(BuildError::InvalidMediaType(media.to_string())),
    }
}

/// Writes `;\r\n\tname=value` with quoting or RFC 2231 encoding as needed.
fn write_param(out: &mut Vec<u8>, name: &str, value: &str, mode: Mode) -> Result<(), BuildError> {
    if !is_token(name) || name.contains('*') || name.contains('\'') || name.contains('%') {
        return Err(BuildError::InvalidParameter(name.to_string()));
    }
    let printable = |c: char| !c.is_control();
    let ascii = value.is_ascii();
    if value.len() <= 70 && is_token(value) {
        out.extend_from_slice(format!(";\r\n\t{name}={value}").as_bytes());
    } else if value.len() <= 70
        && value.chars().all(printable)
        && (ascii || mode == Mode::Utf8)
        && !value.contains("=?")
    {
        let mut q = String::with_capacity(value.len() + 2);
        for c in value.chars() {
            if c == '"' || c == '\\' {
                q.push('\\');
            }
            q.push(c);
        }
        out.extend_from_slice(format!(";\r\n\t{name}=\"{q}\"").as_bytes());
    } else {
        // RFC 2231: percent-encode UTF-8, split into sections of at most
        // ~60 characters (never inside a %XX triplet; UTF-8 sequences may
        // be split, the reader joins bytes before decoding).
        let mut enc = String::new();
        let mut pieces: Vec<String> = Vec::new();
        for &b in value.as_bytes() {
            let lit = b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'&'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                );
            let piece = if lit {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            };
            if enc.len() + piece.len() > 60 {
                pieces.push(std::mem::take(&mut enc));
            }
            enc.push_str(&piece);
        }
        pieces.push(enc);
        if pieces.len() == 1 {
            out.extend_from_slice(format!(";\r\n\t{name}*=utf-8''{}", pieces[0]).as_bytes());
        } else {
            for (i, p) in pieces.iter().enumerate() {
                let prefix = if i == 0 { "utf-8''" } else { "" };
                out.extend_from_slice(format!(";\r\n\t{name}*{i}*={prefix}{p}").as_bytes());
            }
        }
    }
    Ok(())
}

/// CRLF-normalises text: lone LF and lone CR become CRLF.
fn canonical_text(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 32);
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'\r' => {
                out.extend_from_slice(b"\r\n");
                if data.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => out.extend_from_slice(b"\r\n"),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Lines are CRLF-terminated, at most 998 octets, no NUL; with `ascii`
/// also no byte above 127.
fn fits_lines(data: &[u8], ascii: bool) -> bool {
    let mut col = 0usize;
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'\r' => {
                if data.get(i + 1) != Some(&b'\n') {
                    return false;
                }
                col = 0;
                i += 2;
                continue;
            }
            b'\n' | 0 => return false,
            c if ascii && c >= 0x80 => return false,
            _ => {}
        }
        col += 1;
        if col > 998 {
            return false;
        }
        i += 1;
    }
    true
}

fn boundary_for(children: &[Vec<u8>], depth: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in children {
        for &b in c.iter().take(4096) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        h = (h ^ c.len() as u64).wrapping_mul(0x0100_0000_01b3);
    }
    let mut attempt = 0u64;
    loop {
        let b = format!(
            "=_mw{depth}_{:016x}",
            h.wrapping_add(attempt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        );
        let delim = format!("--{b}");
        let finder = memchr::memmem::Finder::new(delim.as_bytes());
        if children.iter().all(|c| finder.find(c).is_none()) {
            return b;
        }
        attempt += 1;
    }
}

fn write_entity(
    part: &PartBuilder,
    mode: Mode,
    depth: usize,
    out: &mut Vec<u8>,
) -> Result<(), BuildError> {
    if depth >= 60 {
        return Err(BuildError::TooDeep(60));
    }
    let mut ct_params: Vec<(String, String)> = Vec::new();
    let (media, cte, body): (String, &str, Vec<u8>) = match &part.content {
        Content::Leaf { media, text, data } => {
            check_media(media)?;
            if *text {
                ct_params.push(("charset".into(), "utf-8".into()));
                let canon = canonical_text(data);
                if fits_lines(&canon, true) {
                    (media.clone(), "7bit", canon)
                } else if mode == Mode::Utf8
                    && std::str::from_utf8(&canon).is_ok()
                    && fits_lines(&canon, false)
                {
                    (media.clone(), "8bit", canon)
                } else {
                    let special = canon
                        .iter()
                        .filter(|&&c| c >= 0x80 || (c < 0x20 && c != b'\r' && c != b'\n'))
                        .count();
                    if special * 6 <= canon.len() {
                        (
                            media.clone(),
                            "quoted-printable",
                            encode_quoted_printable(&canon),
                        )
                    } else {
                        (media.clone(), "base64", encode_base64(&canon))
                    }
                }
            } else if fits_lines(data, true) {
                (media.clone(), "7bit", data.clone())
            } else {
                (media.clone(), "base64", encode_base64(data))
            }
        }
        Content::Multipart { subtype, parts } => {
            let media = format!("multipart/{subtype}");
            check_media(&media)?;
            let mut children = Vec::with_capacity(parts.len());
            for p in parts {
                let mut c = Vec::new();
                write_entity(p, mode, depth + 1, &mut c)?;
                children.push(c);
            }
            let boundary = boundary_for(&children, depth);
            ct_params.push(("boundary".into(), boundary.clone()));
            let mut body = Vec::new();
            for c in &children {
                body.extend_from_slice(b"--");
                body.extend_from_slice(boundary.as_bytes());
                body.extend_from_slice(b"\r\n");
                body.extend_from_slice(c);
                body.extend_from_slice(b"\r\n");
            }
            body.extend_from_slice(b"--");
            body.extend_from_slice(boundary.as_bytes());
            body.extend_from_slice(b"--\r\n");
            (media, "7bit", body)
        }
        Content::Message(m) => {
            let inner = m.build_at(depth + 1)?;
            if fits_lines(&inner, true) {
                ("message/rfc822".to_string(), "7bit", inner)
            } else if fits_lines(&inner, false) && m.mode == Mode::Utf8 {
                ("message/global".to_string(), "8bit", inner)
            } else {
                (
                    "message/rfc822".to_string(),
                    "base64",
                    encode_base64(&inner),
                )
            }
        }
    };
    let _ = depth;
    out.extend_from_slice(b"Content-Type: ");
    out.extend_from_slice(media.as_bytes());
    for (n, v) in &ct_params {
        write_param(out, n, v, mode)?;
    }
    if let (Some(f), Content::Leaf { .. }) = (&part.filename, &part.content) {
        write_param(out, "name", f, mode)?;
    }
    for (n, v) in &part.params {
        if n == "charset" || n == "boundary" || n == "name" {
            continue;
        }
        write_param(out, n, v, mode)?;
    }
    out.extend_from_slice(b"\r\n");
    if cte != "7bit" {
        out.extend_from_slice(format!("Content-Transfer-Encoding: {cte}\r\n").as_bytes());
    }
    if part.disposition.is_some() || part.filename.is_some() {
        let kind = part
            .disposition
            .clone()
            .unwrap_or_else(|| "attachment".into());
        if !is_token(&kind) {
            return Err(BuildError::InvalidParameter(kind));
        }
        out.extend_from_slice(format!("Content-Disposition: {kind}").as_bytes());
        if let Some(f) = &part.filename {
            write_param(out, "filename", f, mode)?;
        }
        out.extend_from_slice(b"\r\n");
    }
    if let Some(id) = &part.content_id {
        if id.is_empty()
            || id.len() > 900
            || !id
                .bytes()
                .all(|c| (33..=126).contains(&c) && c != b'<' && c != b'>')
        {
            return Err(BuildError::InvalidContentId(id.clone()));
        }
        out.extend_from_slice(format!("Content-ID: <{id}>\r\n").as_bytes());
    }
    if let Some(d) = &part.description {
        let mut w = HeaderWriter::new(mode);
        w.unstructured("Content-Description", d)
            .map_err(|source| BuildError::Header {
                name: "Content-Description".into(),
                source,
            })?;
        out.extend_from_slice(&w.finish());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&body);
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{Message, PartKind};

    #[test]
    fn lines_are_crlf_and_short() {
        let long = "x".repeat(5000);
        let bytes = MessageBuilder::new()
            .subject(&long)
            .text(&format!("{long}\nnon-ascii é\n"))
            .attachment(PartBuilder::attachment(
                "application/octet-stream",
                &"ü".repeat(200),
                vec![0, 1, 2, 255],
            ))
            .build()
            .unwrap();
        for line in bytes.split(|&c| c == b'\n') {
            assert!(line.len() <= 999, "{}", line.len());
            assert!(line.is_ascii());
        }
        assert!(!bytes.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r'));
        let msg = Message::parse(&bytes).unwrap();
        assert!(msg.defects().is_empty(), "{:?}", msg.defects());
        let kids: Vec<_> = msg.root().children().collect();
        assert_eq!(kids[1].filename().unwrap(), "ü".repeat(200));
        assert_eq!(kids[1].decoded().bytes.as_ref(), &[0, 1, 2, 255]);
        assert_eq!(kids[0].text().text, format!("{long}\r\nnon-ascii é\r\n"));
    }

    #[test]
    fn boundary_avoids_content() {
        // Content that contains what the first candidate boundary would be.
        let a = PartBuilder::text("hello");
        let children = vec![b"--=_mw0_".to_vec()];
        let b = boundary_for(&children, 0);
        assert!(
            !children[0]
                .windows(b.len() + 2)
                .any(|w| w == format!("--{b}").as_bytes())
        );
        let first = boundary_for(&[b"x".to_vec()], 0);
        let tricky = PartBuilder::data("text/plain", format!("--{first}\r\n").into_bytes());
        let bytes = MessageBuilder::new()
            .body(PartBuilder::mixed(vec![a, tricky]))
            .build()
            .unwrap();
        let msg = Message::parse(&bytes).unwrap();
        assert_eq!(msg.root().children().count(), 2);
    }

    #[test]
    fn related_alternative_structure_and_utf8_mode() {
        let bytes = MessageBuilder::new()
            .mode(Mode::Utf8)
            .from(Some("Jörg"), "jörg@example.org")
            .unwrap()
            .subject("Grüße")
            .text("plain ü")
            .html("<img src=cid:logo@x>")
            .inline(PartBuilder::inline(
                "image/png",
                "logo@x",
                vec![0x89, b'P', b'N', b'G'],
            ))
            .attachment(PartBuilder::message(
                MessageBuilder::new().subject("inner").text("inner body"),
            ))
            .build()
            .unwrap();
        let s = String::from_utf8(bytes.clone()).unwrap();
        assert!(s.contains("Subject: Grüße\r\n"));
        assert!(s.contains("Content-Transfer-Encoding: 8bit"));
        let msg = Message::parse(&bytes).unwrap();
        let root = msg.root();
        assert_eq!(root.content_type().mime_type(), "multipart/mixed");
        let alt = root.children().next().unwrap();
        assert_eq!(alt.content_type().mime_type(), "multipart/alternative");
        let rel = alt.children().nth(1).unwrap();
        assert_eq!(rel.content_type().mime_type(), "multipart/related");
        let img = rel.children().nth(1).unwrap();
        assert_eq!(img.content_id().as_deref(), Some("logo@x"));
        let nested = root.children().nth(1).unwrap();
        assert_eq!(nested.kind(), PartKind::Message);
        let inner = nested.encapsulated().unwrap();
        assert_eq!(inner.header_text("subject").as_deref(), Some("inner"));
        assert_eq!(inner.text().text, "inner body");
        let b = msg.body_parts();
        assert_eq!(b.text.len(), 1);
        assert_eq!(b.html.len(), 1);
        assert_eq!(b.attachments.len(), 2);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            MessageBuilder::new().from(None, "no-at"),
            Err(BuildError::InvalidAddress(_))
        ));
        let r = MessageBuilder::new()
            .body(PartBuilder::data("bad type", vec![]))
            .build();
        assert!(matches!(r, Err(BuildError::InvalidMediaType(_))));
        let r = MessageBuilder::new()
            .body(PartBuilder::inline("image/png", "a b", vec![]))
            .build();
        assert!(matches!(r, Err(BuildError::InvalidContentId(_))));
        // Non-ASCII address in 7-bit mode.
        let r = MessageBuilder::new()
            .from(None, "jörg@example.org")
            .unwrap()
            .build();
        assert!(matches!(r, Err(BuildError::Header { .. })));
    }
}
