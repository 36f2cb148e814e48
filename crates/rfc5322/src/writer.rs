//! Writing header fields: folding at 78 (soft) / 998 (hard) characters,
//! RFC 2047 encoding for 7-bit output or raw UTF-8 for RFC 6532 output.
//!
//! Header injection is impossible by construction: every piece of text goes
//! through one layout routine that replaces any CR or LF with a space, and
//! every line break the writer emits is followed by whitespace (a fold) or
//! ends the field.
//!
//! ```
//! use mailwire_rfc5322::writer::{HeaderWriter, Mode};
//! use mailwire_rfc5322::address::AddressList;
//! use mailwire_rfc5322::Message;
//!
//! let to = AddressList::parse(b"\"Doe, Jane\" <jane@example.com>, bob@example.org").value;
//! let mut w = HeaderWriter::new(Mode::SevenBit);
//! w.unstructured("Subject", "Grüße\r\nBcc: evil@example.com")?;
//! w.addresses("To", &to)?;
//! let bytes = w.finish();
//! assert_eq!(
//!     String::from_utf8_lossy(&bytes),
//!     "Subject: =?utf-8?B?R3LDvMOfZQ==?=  Bcc: evil@example.com\r\n\
//!      To: \"Doe, Jane\" <jane@example.com>, bob@example.org\r\n"
//! );
//! let msg = Message::parse(&bytes)?;
//! assert_eq!(msg.headers().len(), 2); // no injected Bcc field
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::address::{Address, AddressList, Group, Mailbox, is_dot_atom_text};
use crate::datetime::DateTime;
use crate::encoded_word::{MAX_WORD_LEN, encode_words};
use crate::error::WriteError;
use crate::lexical::is_atext;
use crate::msgid::MsgId;

/// Preferred maximum line length, excluding CRLF (RFC 5322 §2.1.1).
pub const SOFT_LIMIT: usize = 78;
/// Maximum line length, excluding CRLF (RFC 5322 §2.1.1).
pub const HARD_LIMIT: usize = 998;
/// Longest word written literally; longer words are encoded (and so can
/// be split) to stay under [`HARD_LIMIT`].
const MAX_LITERAL_WORD: usize = 800;
const MAX_NAME: usize = 100;

/// How non-ASCII text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Mode {
    /// 7-bit output: non-ASCII text becomes RFC 2047 encoded words;
    /// non-ASCII addresses are an error.
    #[default]
    SevenBit,
    /// RFC 6532 output: UTF-8 is written as is.
    Utf8,
}

/// A piece of a field value for layout.
enum Piece {
    /// Literal text, preceded by whitespace (a fold point) or glued to the
    /// previous piece.
    Text { ws: String, text: String },
    /// Text to write as encoded words (preceded by `ws`, and the words
    /// separated by single spaces).
    Encode { ws: String, text: String },
}

/// Writes header fields into a buffer.
#[derive(Debug, Clone, Default)]
pub struct HeaderWriter {
    mode: Mode,
    out: Vec<u8>,
}

impl HeaderWriter {
    /// A writer for `mode`.
    #[must_use]
    pub const fn new(mode: Mode) -> Self {
        Self {
            mode,
            out: Vec::new(),
        }
    }

    /// The bytes written so far.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.out
    }

    /// The bytes written.
    #[must_use]
    pub fn finish(self) -> Vec<u8> {
        self.out
    }

    /// Write an unstructured field (Subject, Comments, …). Leading and
    /// trailing whitespace is dropped, CR and LF become spaces, other
    /// whitespace is kept exactly; words that need it (non-ASCII in 7-bit
    /// mode, control characters, text that looks like an encoded word,
    /// words too long for a line) become encoded words.
    ///
    /// # Errors
    /// [`WriteError::InvalidFieldName`].
    pub fn unstructured(&mut self, name: &str, value: &str) -> Result<&mut Self, WriteError> {
        check_name(name)?;
        let value = value.replace(['\r', '\n'], " ");
        let pieces = self.text_pieces(value.trim_matches([' ', '\t']));
        self.layout(name, &pieces);
        Ok(self)
    }

    /// Write an address-list field.
    ///
    /// # Errors
    /// [`WriteError::InvalidFieldName`], [`WriteError::InvalidAddress`].
    pub fn addresses(
        &mut self,
        name: &str,
        list: &AddressList<'_>,
    ) -> Result<&mut Self, WriteError> {
        self.address_slice(name, &list.addresses)
    }

    /// Write an address-list field from a slice of addresses.
    ///
    /// # Errors
    /// [`WriteError::InvalidFieldName`], [`WriteError::InvalidAddress`].
    pub fn address_slice(
        &mut self,
        name: &str,
        list: &[Address<'_>],
    ) -> Result<&mut Self, WriteError> {
        check_name(name)?;
        let mut pieces = Vec::new();
        for (i, a) in list.iter().enumerate() {
            if i > 0 {
                glue(&mut pieces, ",");
            }
            match a {
                Address::Mailbox(m) => self.mailbox_pieces(&mut pieces, m)?,
                Address::Group(g) => self.group_pieces(&mut pieces, g)?,
            }
        }
        self.layout(name, &pieces);
        Ok(self)
    }

    /// Write a single-mailbox field (Sender).
    ///
    /// # Errors
    /// [`WriteError::InvalidFieldName`], [`WriteError::InvalidAddress`].
    pub fn mailbox(&mut self, name: &str, m: &Mailbox<'_>) -> Result<&mut Self, WriteError> {
        check_name(name)?;
        let mut pieces = Vec::new();
        self.mailbox_pieces(&mut pieces, m)?;
        self.layout(name, &pieces);
        Ok(self)
    }

    /// Write a date field.
    ///
    /// # Errors
    /// [`WriteError::InvalidFieldName`].
    pub fn date(&mut self, name: &str, d: &DateTime) -> Result<&mut Self, WriteError> {
        check_name(name)?;
        let s = d.to_string();
        let pieces = s
            .split(' ')
            .map(|w| Piece::Text {
                ws: " ".into(),
                text: w.into(),
            })
            .collect::<Vec<_>>();
        self.layout(name, &pieces);
        Ok(self)
    }

    /// Write a msg-id list field (Message-ID, In-Reply-To, References).
    ///
    /// # Errors
    /// [`WriteError::InvalidFieldName`], [`WriteError::InvalidMsgId`].
    pub fn msg_ids(&mut self, name: &str, ids: &[MsgId<'_>]) -> Result<&mut Self, WriteError> {
        check_name(name)?;
        let mut pieces = Vec::new();
        for id in ids {
            let right_ok = is_dot_atom_text(&id.right)
                || (id.right.starts_with('[')
                    && id.right.ends_with(']')
                    && id.right.len() >= 2
                    && id.right[1..id.right.len() - 1]
                        .bytes()
                        .all(|b| (33..=126).contains(&b) && !matches!(b, b'[' | b']' | b'\\')));
            if id.left.len() + id.right.len() > MAX_LITERAL_WORD
                || !is_dot_atom_text(&id.left)
                || !right_ok
                || (self.mode == Mode::SevenBit && !id.to_string().is_ascii())
            {
                return Err(WriteError::InvalidMsgId);
            }
            pieces.push(Piece::Text {
                ws: " ".into(),
                text: id.to_string(),
            });
        }
        self.layout(name, &pieces);
        Ok(self)
    }

    /// Write a field whose value is already in its final syntax (for
    /// example a MIME `Content-Type` with parameters): folded at its spaces
    /// and tabs, never encoded. CR and LF become spaces; other control
    /// characters are refused, and so is a word too long to fit a line.
    ///
    /// ```
    /// use mailwire_rfc5322::writer::{HeaderWriter, Mode};
    /// let mut w = HeaderWriter::new(Mode::SevenBit);
    /// w.structured("Content-Type", "text/plain; charset=utf-8")?;
    /// assert_eq!(w.as_bytes(), b"Content-Type: text/plain; charset=utf-8\r\n");
    /// # Ok::<(), mailwire_rfc5322::WriteError>(())
    /// ```
    ///
    /// # Errors
    /// [`WriteError::InvalidFieldName`], [`WriteError::InvalidValue`].
    pub fn structured(&mut self, name: &str, value: &str) -> Result<&mut Self, WriteError> {
        check_name(name)?;
        let value = value.replace(['\r', '\n'], " ");
        if value.chars().any(|c| c.is_control() && c != '\t')
            || (self.mode == Mode::SevenBit && !value.is_ascii())
        {
            return Err(WriteError::InvalidValue {
                reason: "control or (in 7-bit mode) non-ascii character",
            });
        }
        let mut pieces = Vec::new();
        let mut rest = value.trim_matches([' ', '\t']);
        while !rest.is_empty() {
            let ws_len = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let (ws, after) = rest.split_at(ws_len);
            let word_len = after.find([' ', '\t']).unwrap_or(after.len());
            let (word, tail) = after.split_at(word_len);
            if word.len() > MAX_LITERAL_WORD {
                return Err(WriteError::InvalidValue {
                    reason: "word too long for a line",
                });
            }
            pieces.push(Piece::Text {
                ws: ws.into(),
                text: word.into(),
            });
            rest = tail;
        }
        self.layout(name, &pieces);
        Ok(self)
    }

    fn needs_encoding(&self, word: &str) -> bool {
        word.contains("=?")
            || word.len() > MAX_LITERAL_WORD
            || word
                .chars()
                .any(|c| c.is_control() || (self.mode == Mode::SevenBit && !c.is_ascii()))
    }

    /// Split unstructured text at whitespace; runs of words that need
    /// encoding become one encoded piece (the whitespace between them goes
    /// inside the encoded text, since a decoder drops whitespace between
    /// adjacent encoded words).
    fn text_pieces(&self, value: &str) -> Vec<Piece> {
        let mut pieces: Vec<Piece> = Vec::new();
        let mut rest = value;
        let mut prev_encoded = false;
        while !rest.is_empty() {
            let ws_len = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let (ws, after) = rest.split_at(ws_len);
            let word_len = after.find([' ', '\t']).unwrap_or(after.len());
            let (word, tail) = after.split_at(word_len);
            rest = tail;
            if word.is_empty() {
                break;
            }
            if self.needs_encoding(word) {
                if prev_encoded && let Some(Piece::Encode { text, .. }) = pieces.last_mut() {
                    text.push_str(ws);
                    text.push_str(word);
                    continue;
                }
                pieces.push(Piece::Encode {
                    ws: ws.into(),
                    text: word.into(),
                });
                prev_encoded = true;
            } else {
                pieces.push(Piece::Text {
                    ws: ws.into(),
                    text: word.into(),
                });
                prev_encoded = false;
            }
        }
        if let Some(Piece::Text { ws, .. } | Piece::Encode { ws, .. }) = pieces.first_mut() {
            ws.clear();
        }
        pieces
    }

    fn phrase_pieces(&self, pieces: &mut Vec<Piece>, name: &str) {
        let name = name.replace(['\r', '\n'], " ");
        let atoms = !name.is_empty()
            && name
                .split(' ')
                .all(|w| !w.is_empty() && w.bytes().all(is_atext))
            && !name.contains("=?")
            && (self.mode == Mode::Utf8 || name.is_ascii());
        let quotable = !name.contains("=?")
            && !name.chars().any(|c| c.is_control() && c != '\t')
            && (self.mode == Mode::Utf8 || name.is_ascii())
            && name.len() <= MAX_LITERAL_WORD;
        if atoms {
            for w in name.split(' ') {
                pieces.push(Piece::Text {
                    ws: " ".into(),
                    text: w.into(),
                });
            }
        } else if quotable {
            let mut q = String::with_capacity(name.len() + 2);
            q.push('"');
            for c in name.chars() {
                if c == '"' || c == '\\' {
                    q.push('\\');
                }
                q.push(c);
            }
            q.push('"');
            pieces.push(Piece::Text {
                ws: " ".into(),
                text: q,
            });
        } else {
            pieces.push(Piece::Encode {
                ws: " ".into(),
                text: name,
            });
        }
    }

    fn addr_spec(&self, m: &Mailbox<'_>) -> Result<String, WriteError> {
        let bad = |s: &str| s.chars().any(char::is_control);
        if bad(&m.local_part) {
            return Err(WriteError::InvalidAddress {
                reason: "control character in local part",
            });
        }
        if self.mode == Mode::SevenBit
            && (!m.local_part.is_ascii() || m.domain.as_deref().is_some_and(|d| !d.is_ascii()))
        {
            return Err(WriteError::InvalidAddress {
                reason: "non-ascii address in 7-bit mode",
            });
        }
        if m.local_part.len() + m.domain.as_deref().map_or(0, str::len) > MAX_LITERAL_WORD {
            return Err(WriteError::InvalidAddress {
                reason: "address too long",
            });
        }
        let mut s = String::new();
        crate::address::write_local_part(&mut s, &m.local_part);
        if let Some(d) = &m.domain {
            let literal = d.len() >= 2
                && d.starts_with('[')
                && d.ends_with(']')
                && d[1..d.len() - 1]
                    .bytes()
                    .all(|b| (33..=126).contains(&b) && !matches!(b, b'[' | b']' | b'\\'));
            if !literal && !is_dot_atom_text(d) {
                return Err(WriteError::InvalidAddress {
                    reason: "malformed domain",
                });
            }
            s.push('@');
            s.push_str(d);
        }
        Ok(s)
    }

    fn mailbox_pieces(&self, pieces: &mut Vec<Piece>, m: &Mailbox<'_>) -> Result<(), WriteError> {
        let spec = self.addr_spec(m)?;
        match &m.name {
            Some(n) => {
                self.phrase_pieces(pieces, n);
                pieces.push(Piece::Text {
                    ws: " ".into(),
                    text: format!("<{spec}>"),
                });
            }
            None if m.domain.is_none() || spec.is_empty() => pieces.push(Piece::Text {
                ws: " ".into(),
                text: format!("<{spec}>"),
            }),
            None => pieces.push(Piece::Text {
                ws: " ".into(),
                text: spec,
            }),
        }
        Ok(())
    }

    fn group_pieces(&self, pieces: &mut Vec<Piece>, g: &Group<'_>) -> Result<(), WriteError> {
        self.phrase_pieces(pieces, &g.name);
        glue(pieces, ":");
        for (i, m) in g.members.iter().enumerate() {
            if i > 0 {
                glue(pieces, ",");
            }
            self.mailbox_pieces(pieces, m)?;
        }
        glue(pieces, ";");
        Ok(())
    }

    /// Lay out `name: pieces` with folding. The single place bytes are
    /// appended: CR and LF in any piece become spaces here.
    fn layout(&mut self, name: &str, pieces: &[Piece]) {
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b':');
        let mut l = Layout {
            out: &mut self.out,
            line: name.len() + 1,
            has_content: false,
        };
        for p in pieces {
            match p {
                Piece::Text { ws, text } => l.put(ws, text),
                Piece::Encode { ws, text } => {
                    let room = SOFT_LIMIT.saturating_sub(l.line + ws.len().max(1));
                    let first = if room >= 16 {
                        room.min(MAX_WORD_LEN)
                    } else {
                        MAX_WORD_LEN
                    };
                    for (i, w) in encode_words(text, first, MAX_WORD_LEN).iter().enumerate() {
                        l.put(if i == 0 { ws } else { " " }, w);
                    }
                }
            }
        }
        self.out.extend_from_slice(b"\r\n");
    }
}

struct Layout<'o> {
    out: &'o mut Vec<u8>,
    line: usize,
    has_content: bool,
}

impl Layout<'_> {
    /// Append `ws` and `text`, folding before `ws` when the line would pass
    /// the soft limit. The line break goes before existing whitespace, so
    /// unfolding gives the same text back; CR and LF never pass.
    fn put(&mut self, ws: &str, text: &str) {
        let ws = if self.has_content { ws } else { " " };
        let len = ws.len() + text.len();
        if self.has_content && !ws.is_empty() && self.line + len > SOFT_LIMIT {
            self.out.extend_from_slice(b"\r\n");
            self.line = 0;
        }
        for b in ws.bytes().chain(text.bytes()) {
            self.out
                .push(if b == b'\r' || b == b'\n' { b' ' } else { b });
        }
        self.line += len;
        self.has_content = true;
    }
}

/// Append `s` to the previous piece (no fold point before it).
fn glue(pieces: &mut Vec<Piece>, s: &str) {
    match pieces.last_mut() {
        Some(Piece::Text { text, .. }) => text.push_str(s),
        _ => pieces.push(Piece::Text {
            ws: String::new(),
            text: s.into(),
        }),
    }
}

fn check_name(name: &str) -> Result<(), WriteError> {
    if name.is_empty()
        || name.len() > MAX_NAME
        || !name.bytes().all(|b| (33..=126).contains(&b) && b != b':')
    {
        return Err(WriteError::InvalidFieldName);
    }
    Ok(())
}

/// Write a mailbox without folding (used by `Display`): RFC 6532 form when
/// `utf8`; if the mailbox cannot be written safely its addr-spec is written
/// with control characters replaced.
pub(crate) fn write_mailbox(out: &mut String, m: &Mailbox<'_>, utf8: bool) {
    let w = HeaderWriter::new(if utf8 { Mode::Utf8 } else { Mode::SevenBit });
    let mut pieces = Vec::new();
    if w.mailbox_pieces(&mut pieces, m).is_err() {
        let spec: String = format!("{}@{}", m.local_part, m.domain.as_deref().unwrap_or(""))
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        out.push_str(&spec);
        return;
    }
    for (i, p) in pieces.iter().enumerate() {
        let (ws, text, enc) = match p {
            Piece::Text { ws, text } => (ws, text, false),
            Piece::Encode { ws, text } => (ws, text, true),
        };
        if i > 0 {
            out.push_str(ws);
        }
        if enc {
            out.push_str(&encode_words(text, MAX_WORD_LEN, MAX_WORD_LEN).join(" "));
        } else {
            out.push_str(text);
        }
    }
}
