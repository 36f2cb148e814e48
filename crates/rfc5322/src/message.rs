//! Splitting a message into header fields and body (RFC 5322 §2.1, §2.2).

use crate::error::{Defect, DefectKind, Error};
use crate::header::{HeaderField, Headers};
use crate::limits::ParseOptions;

/// A message split into header fields and body, borrowing the input.
///
/// Works for a MIME body part too (a part is header fields, a blank line and
/// a body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<'a> {
    input: &'a [u8],
    unix_from: Option<&'a [u8]>,
    headers: Headers<'a>,
    body_offset: usize,
    defects: Vec<Defect>,
}

impl<'a> Message<'a> {
    /// Parse leniently with default [`crate::Limits`]: deviations are
    /// recorded as [`Message::defects`].
    ///
    /// # Errors
    /// A limit was exceeded ([`Error::TooManyHeaders`],
    /// [`Error::LineTooLong`], [`Error::HeaderSectionTooLarge`]).
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        Self::parse_with(input, &ParseOptions::new())
    }

    /// Parse with explicit options (limits, strict mode).
    ///
    /// # Errors
    /// A limit was exceeded, or in strict mode the first defect, as
    /// [`Error::Defect`].
    pub fn parse_with(input: &'a [u8], options: &ParseOptions) -> Result<Self, Error> {
        Splitter {
            input,
            options,
            defects: Vec::new(),
            bare_lf_seen: false,
        }
        .run()
    }

    /// The header fields, in order.
    #[must_use]
    pub const fn headers(&self) -> &Headers<'a> {
        &self.headers
    }

    /// The body: every byte after the blank line that ends the header
    /// section (empty when there is none).
    #[must_use]
    pub fn body(&self) -> &'a [u8] {
        self.input.get(self.body_offset..).unwrap_or_default()
    }

    /// Offset of the body in the input.
    #[must_use]
    pub const fn body_offset(&self) -> usize {
        self.body_offset
    }

    /// The raw header section: every byte before the body, including the
    /// blank separator line.
    #[must_use]
    pub fn header_section(&self) -> &'a [u8] {
        self.input.get(..self.body_offset).unwrap_or_default()
    }

    /// The whole input.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.input
    }

    /// An mbox `From ` line found before the first field, without its line
    /// break.
    #[must_use]
    pub const fn unix_from(&self) -> Option<&'a [u8]> {
        self.unix_from
    }

    /// Defects found while splitting (offsets relative to the input).
    #[must_use]
    pub fn defects(&self) -> &[Defect] {
        &self.defects
    }
}

struct Splitter<'a, 'o> {
    input: &'a [u8],
    options: &'o ParseOptions,
    defects: Vec<Defect>,
    bare_lf_seen: bool,
}

/// A field being collected: start offset, name, offset of the value, end
/// of the last line's content and end of its line break.
struct Pending<'a> {
    start: usize,
    name: &'a str,
    value_start: usize,
    content_end: usize,
    next: usize,
}

impl<'a> Splitter<'a, '_> {
    fn defect(&mut self, kind: DefectKind, offset: usize) -> Result<(), Error> {
        let d = Defect::new(kind, offset);
        if self.options.strict {
            return Err(Error::Defect(d));
        }
        self.defects.push(d);
        Ok(())
    }

    /// Returns (end of line content, start of next line).
    fn line(&mut self, pos: usize) -> Result<(usize, usize), Error> {
        let input = self.input;
        let rest = &input[pos..];
        let (content_end, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => {
                if i > 0 && rest[i - 1] == b'\r' {
                    (pos + i - 1, pos + i + 1)
                } else {
                    if !self.bare_lf_seen {
                        self.bare_lf_seen = true;
                        self.defect(DefectKind::BareLf, pos + i)?;
                    }
                    (pos + i, pos + i + 1)
                }
            }
            None => (input.len(), input.len()),
        };
        let len = content_end - pos;
        let limits = &self.options.limits;
        if len > limits.max_line_length {
            return Err(Error::LineTooLong {
                limit: limits.max_line_length,
                offset: pos,
            });
        }
        if next > limits.max_header_section {
            return Err(Error::HeaderSectionTooLarge {
                limit: limits.max_header_section,
            });
        }
        if len > 998 {
            self.defect(DefectKind::LineTooLong, pos)?;
        }
        Ok((content_end, next))
    }

    fn run(mut self) -> Result<Message<'a>, Error> {
        let input = self.input;
        let mut pos = 0;
        let mut unix_from = None;
        // An mbox `From ` line, unless it is a `From :` field (obs-optional
        // whitespace before the colon, RFC 5322 §4.5).
        if input.starts_with(b"From ")
            && input[4..].iter().find(|&&b| b != b' ' && b != b'\t') != Some(&b':')
        {
            let (end, next) = self.line(0)?;
            unix_from = Some(&input[..end]);
            pos = next;
        }
        let mut fields: Vec<HeaderField<'a>> = Vec::with_capacity(16);
        let mut pending: Option<Pending<'a>> = None;
        let body_offset;
        loop {
            if pos >= input.len() {
                body_offset = input.len();
                break;
            }
            let (content_end, next) = self.line(pos)?;
            if content_end == pos {
                // The blank line that separates header section and body.
                body_offset = next;
                break;
            }
            let first = input[pos];
            if first == b' ' || first == b'\t' {
                if let Some(p) = pending.as_mut() {
                    p.content_end = content_end;
                    p.next = next;
                } else {
                    self.defect(DefectKind::FirstLineIsContinuation, pos)?;
                }
                pos = next;
                continue;
            }
            let line = &input[pos..content_end];
            let name_len = line
                .iter()
                .position(|&b| !(33..=126).contains(&b) || b == b':')
                .unwrap_or(line.len());
            let mut colon = name_len;
            while colon < line.len() && (line[colon] == b' ' || line[colon] == b'\t') {
                colon += 1;
            }
            if line.get(colon) != Some(&b':') {
                self.defect(DefectKind::MissingHeaderBodySeparator, pos)?;
                body_offset = pos;
                break;
            }
            if colon != name_len {
                self.defect(DefectKind::WhitespaceBeforeColon, pos + name_len)?;
            }
            if name_len == 0 {
                self.defect(DefectKind::EmptyFieldName, pos)?;
            }
            if let Some(p) = pending.take() {
                fields.push(finish(input, &p));
            }
            if fields.len() >= self.options.limits.max_header_count {
                return Err(Error::TooManyHeaders {
                    limit: self.options.limits.max_header_count,
                    offset: pos,
                });
            }
            // Names are printable ASCII by construction.
            let name = core::str::from_utf8(&line[..name_len]).unwrap_or_default();
            pending = Some(Pending {
                start: pos,
                name,
                value_start: pos + colon + 1,
                content_end,
                next,
            });
            pos = next;
        }
        if let Some(p) = pending.take() {
            fields.push(finish(input, &p));
        }
        // One pass over the whole header section for CRs not followed by
        // LF (cheaper than a search per line).
        let section = &input[..body_offset];
        if let Some(i) =
            memchr::memchr_iter(b'\r', section).find(|&i| section.get(i + 1) != Some(&b'\n'))
        {
            self.defect(DefectKind::BareCr, i)?;
            self.defects.sort_by_key(|d| d.offset);
        }
        Ok(Message {
            input,
            unix_from,
            headers: Headers::from_vec(fields),
            body_offset,
            defects: self.defects,
        })
    }
}

fn finish<'a>(input: &'a [u8], p: &Pending<'a>) -> HeaderField<'a> {
    HeaderField::new(
        p.name,
        &input[p.value_start..p.content_end],
        &input[p.start..p.next],
        p.start,
        p.value_start,
    )
}
