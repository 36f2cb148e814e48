//! `BODY[section]<partial>` and `BINARY[part]` data (RFC 9051 §6.4.5,
//! §6.4.5.1, §7.5.2; RFC 3516).
//!
//! Every value is a slice of the stored message (or of the decoded copy of
//! a transfer-encoded message/rfc822 part the MIME parser made), except
//! `HEADER.FIELDS` subsets that are not one contiguous run of lines and
//! decoded BINARY data.

use std::borrow::Cow;

use mailwire_mime::{Message, Part, PartKind, TransferEncoding};

use super::RenderError;
use crate::primitive::IString;
use crate::section::{Part as PartSpec, Partial, Section};

/// Finds the entity a part number names (RFC 9051 §6.4.5.1); `None` when
/// the message has no such part.
///
/// Numbering: the numbers of a multipart are its body parts; a message that
/// is not multipart has the single part 1, its body; the numbers after a
/// message/rfc822 (or message/global) part continue into the encapsulated
/// message. Like Dovecot, `n.1` of a leaf inside a multipart is the leaf
/// itself, while a top-level non-multipart message has no `1.1`.
pub(crate) fn find<'a>(msg: &'a Message<'a>, spec: &PartSpec) -> Option<Part<'a>> {
    let mut cur = msg.root();
    let count = spec.0.len();
    for (i, n) in spec.0.iter().enumerate() {
        let n = n.get() as usize;
        let more = i + 1 < count;
        if cur.kind() == PartKind::Multipart {
            cur = cur.children().nth(n - 1)?;
        } else if is_broken_multipart(cur) {
            // multipart/* without its boundary: no body parts at all.
            return None;
        } else if n != 1 || (more && cur.kind() != PartKind::Message) {
            return None;
        }
        if more && cur.kind() == PartKind::Message {
            cur = cur.encapsulated()?;
        }
    }
    Some(cur)
}

/// The message whose header `HEADER`, `HEADER.FIELDS`, `TEXT` name: the
/// root without a part number, else the encapsulated message of the
/// message/rfc822 (or message/global) part the number names. `None` for a
/// part that does not exist or is not a message (RFC 9051 §6.4.5.1: those
/// specifiers need a MESSAGE part).
fn message_of<'a>(msg: &'a Message<'a>, spec: Option<&PartSpec>) -> Option<Part<'a>> {
    match spec {
        None => Some(msg.root()),
        Some(p) => find(msg, p)?.encapsulated(),
    }
}

/// The bytes a section names; the empty string when the part does not
/// exist, or when `HEADER`/`TEXT` name a part that is not a message (what
/// Dovecot and Cyrus answer; RFC 9051 leaves it open).
pub(crate) fn section_data<'a>(
    raw: &'a [u8],
    msg: &'a Message<'a>,
    section: &Section<'_>,
) -> Cow<'a, [u8]> {
    section_data_opt(raw, msg, section).unwrap_or(Cow::Borrowed(b""))
}

fn section_data_opt<'a>(
    raw: &'a [u8],
    msg: &'a Message<'a>,
    section: &Section<'_>,
) -> Option<Cow<'a, [u8]>> {
    Some(match section {
        Section::Full => Cow::Borrowed(raw),
        Section::Part(p) => Cow::Borrowed(find(msg, p)?.body()),
        Section::Mime(p) => Cow::Borrowed(find(msg, p)?.header_bytes()),
        Section::Header(p) => Cow::Borrowed(message_of(msg, p.as_ref())?.header_bytes()),
        Section::Text(p) => Cow::Borrowed(message_of(msg, p.as_ref())?.body()),
        Section::HeaderFields(p, names) => {
            header_fields(message_of(msg, p.as_ref())?, names.as_slice(), false)
        }
        Section::HeaderFieldsNot(p, names) => {
            header_fields(message_of(msg, p.as_ref())?, names.as_slice(), true)
        }
    })
}

/// The header lines of `part` whose name is (or, with `not`, is not) in
/// `names`, ASCII case-insensitively, each line kept as written, then the
/// blank line if the header has one (RFC 9051 §6.4.5.1).
pub(crate) fn header_fields<'a>(part: Part<'a>, names: &[IString<'_>], not: bool) -> Cow<'a, [u8]> {
    let hb = part.header_bytes();
    let base = part.header_range().start;
    let fields_end = if hb.ends_with(b"\r\n\r\n") {
        hb.len() - 2
    } else if hb.ends_with(b"\n\n") {
        hb.len() - 1
    } else if hb == b"\r\n" || hb == b"\n" {
        0
    } else {
        hb.len()
    };
    // Selected line runs, merged when adjacent.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut fields = part.headers().peekable();
    while let Some(f) = fields.next() {
        let start = f.offset().saturating_sub(base).min(fields_end);
        let end = fields.peek().map_or(fields_end, |n| {
            n.offset().saturating_sub(base).min(fields_end)
        });
        let name = f.name_bytes();
        let listed = names
            .iter()
            .any(|n| n.as_bytes().eq_ignore_ascii_case(name));
        if listed != not && end > start {
            match runs.last_mut() {
                Some(last) if last.1 == start => last.1 = end,
                _ => runs.push((start, end)),
            }
        }
    }
    // The blank line.
    if fields_end < hb.len() {
        match runs.last_mut() {
            Some(last) if last.1 == fields_end => last.1 = hb.len(),
            _ => runs.push((fields_end, hb.len())),
        }
    }
    match runs.as_slice() {
        [] => Cow::Borrowed(b""),
        [(s, e)] => Cow::Borrowed(hb.get(*s..*e).unwrap_or_default()),
        many => {
            let mut out = Vec::with_capacity(many.iter().map(|(s, e)| e - s).sum());
            for (s, e) in many {
                out.extend_from_slice(hb.get(*s..*e).unwrap_or_default());
            }
            Cow::Owned(out)
        }
    }
}

/// Applies `<offset.length>`: past the end is the empty string, a range
/// reaching beyond the end is cut (RFC 9051 §6.4.5).
pub(crate) fn apply_partial(data: Cow<'_, [u8]>, p: Option<Partial>) -> Cow<'_, [u8]> {
    let Some(p) = p else { return data };
    let len = data.len();
    let start = (p.offset as usize).min(len);
    let end = start.saturating_add(p.length.get() as usize).min(len);
    match data {
        Cow::Borrowed(b) => Cow::Borrowed(b.get(start..end).unwrap_or_default()),
        Cow::Owned(mut v) => {
            v.truncate(end);
            v.drain(..start);
            Cow::Owned(v)
        }
    }
}

/// `BINARY[part]` data: the section with its Content-Transfer-Encoding
/// removed (RFC 3516 §4.2, RFC 9051 §7.5.2). `BINARY[]` is the whole message
/// as stored (a message as such has no transfer encoding; its body is
/// `BINARY[1]`). A part that does not exist is the empty string. A
/// multipart or message/rfc822 part (RFC 9051 §6.4.5: BINARY is meant for
/// leaf parts; their encoding is 7bit, 8bit or binary, RFC 2045 §6.4) is
/// returned as it is, as Dovecot does. Text parts are sent with CRLF line
/// ends (RFC 9051 §7.5.2).
pub(crate) fn binary_data<'a>(
    raw: &'a [u8],
    msg: &'a Message<'a>,
    spec: Option<&PartSpec>,
) -> Result<Cow<'a, [u8]>, RenderError> {
    let Some(spec) = spec else {
        return Ok(Cow::Borrowed(raw));
    };
    let Some(part) = find(msg, spec) else {
        return Ok(Cow::Borrowed(b""));
    };
    if part.kind() != PartKind::Leaf {
        return Ok(Cow::Borrowed(part.body()));
    }
    let cte = part.transfer_encoding();
    if cte == TransferEncoding::Unknown {
        return Err(RenderError::UnknownCte {
            part: spec.to_string(),
        });
    }
    let decoded = part.decoded().bytes;
    if is_text(part) {
        return Ok(crlf(decoded));
    }
    Ok(decoded)
}

/// A multipart/* entity the MIME parser could not split (no boundary
/// parameter, or the boundary never occurs): it has no body parts.
pub(crate) fn is_broken_multipart(part: Part<'_>) -> bool {
    part.kind() == PartKind::Leaf
        && part.header("content-type").is_some()
        && part
            .content_type()
            .main_type()
            .eq_ignore_ascii_case("multipart")
}

fn is_text(part: Part<'_>) -> bool {
    part.content_type().main_type().eq_ignore_ascii_case("text")
}

/// Bare LF to CRLF (borrowed when there is none).
fn crlf(data: Cow<'_, [u8]>) -> Cow<'_, [u8]> {
    let bare = memchr::memchr_iter(b'\n', &data).any(|i| i == 0 || data.get(i - 1) != Some(&b'\r'));
    if !bare {
        return data;
    }
    let mut out = Vec::with_capacity(data.len() + data.len() / 32);
    let mut prev = 0u8;
    for &b in data.iter() {
        if b == b'\n' && prev != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        prev = b;
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use std::num::NonZeroU32;

    #[test]
    fn partial_edges() {
        let p = |o, l| {
            Some(Partial {
                offset: o,
                length: NonZeroU32::new(l).unwrap(),
            })
        };
        let d = || Cow::Borrowed(&b"0123456789"[..]);
        assert_eq!(&*apply_partial(d(), p(0, 4)), b"0123");
        assert_eq!(&*apply_partial(d(), p(8, 4)), b"89");
        assert_eq!(&*apply_partial(d(), p(10, 4)), b"");
        assert_eq!(&*apply_partial(d(), p(u32::MAX, u32::MAX)), b"");
        assert_eq!(&*apply_partial(d(), None), b"0123456789");
        let owned: Cow<'_, [u8]> = Cow::Owned(b"abcdef".to_vec());
        assert_eq!(&*apply_partial(owned, p(2, 2)), b"cd");
    }

    #[test]
    fn crlf_normalises_bare_lf_only() {
        assert!(matches!(
            crlf(Cow::Borrowed(&b"a\r\nb"[..])),
            Cow::Borrowed(_)
        ));
        assert_eq!(&*crlf(Cow::Borrowed(&b"\na\nb\r\n"[..])), b"\r\na\r\nb\r\n");
    }
}
