//! Header fields as they appear on the wire (RFC 5322 §2.2).

use std::borrow::Cow;
use std::ops::Range;

use crate::error::{Defect, Parsed};

/// One header field, borrowed from the message bytes.
///
/// Keeps the exact bytes seen on the wire (a DKIM verifier needs them):
/// [`HeaderField::raw`] is the whole field including folding and its final
/// line break, [`HeaderField::value`] the bytes after the colon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HeaderField<'a> {
    name: &'a str,
    value: &'a [u8],
    raw: &'a [u8],
    offset: usize,
    value_offset: usize,
}

impl<'a> HeaderField<'a> {
    pub(crate) const fn new(
        name: &'a str,
        value: &'a [u8],
        raw: &'a [u8],
        offset: usize,
        value_offset: usize,
    ) -> Self {
        Self {
            name,
            value,
            raw,
            offset,
            value_offset,
        }
    }

    /// The field name as written (case preserved, without any whitespace
    /// before the colon). Always printable ASCII.
    #[must_use]
    pub const fn name(&self) -> &'a str {
        self.name
    }

    /// The field name's bytes exactly as on the wire (without whitespace
    /// before the colon).
    #[must_use]
    pub const fn raw_name(&self) -> &'a [u8] {
        self.name.as_bytes()
    }

    /// Whether the field's name is `name`, ignoring ASCII case.
    #[must_use]
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The raw value: every byte after the colon up to, not including, the
    /// line break that ends the field; folding line breaks are kept.
    #[must_use]
    pub const fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The whole field exactly as on the wire: name, colon, value and the
    /// final line break (if the input had one).
    #[must_use]
    pub const fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Offset of the first byte of the field in the parsed input.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// Offset of the first byte of [`HeaderField::value`] in the parsed input.
    #[must_use]
    pub const fn value_offset(&self) -> usize {
        self.value_offset
    }

    /// Byte range of [`HeaderField::raw`] in the parsed input.
    #[must_use]
    pub const fn range(&self) -> Range<usize> {
        self.offset..self.offset + self.raw.len()
    }

    /// The value unfolded (RFC 5322 §2.2.3: line breaks removed, the
    /// whitespace after them kept) with leading and trailing whitespace
    /// trimmed. Borrows when the value was not folded.
    #[must_use]
    pub fn unfolded(&self) -> Cow<'a, [u8]> {
        unfold(self.value)
    }

    /// [`HeaderField::unfolded`] as text; bytes that are not UTF-8 become
    /// U+FFFD.
    #[must_use]
    pub fn text(&self) -> Cow<'a, str> {
        match self.unfolded() {
            Cow::Borrowed(b) => String::from_utf8_lossy(b),
            Cow::Owned(v) => Cow::Owned(match String::from_utf8(v) {
                Ok(s) => s,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            }),
        }
    }

    /// The value as unstructured text (RFC 5322 §3.2.5) with RFC 2047
    /// encoded words decoded; see [`crate::encoded_word::decode_unstructured`].
    #[must_use]
    pub fn decoded(&self) -> Cow<'a, str> {
        crate::encoded_word::decode_unstructured(self.value).value
    }

    /// Like [`HeaderField::decoded`], with the defects found.
    #[must_use]
    pub fn decoded_with_defects(&self) -> Parsed<Cow<'a, str>> {
        crate::encoded_word::decode_unstructured(self.value)
    }

    /// Like [`HeaderField::decoded_with_defects`], with raw bytes outside
    /// encoded words that are not UTF-8 decoded in `fallback` instead of
    /// becoming U+FFFD; see
    /// [`crate::encoded_word::decode_unstructured_with_fallback`].
    #[must_use]
    pub fn decoded_with_fallback(&self, fallback: crate::charset::Charset) -> Parsed<Cow<'a, str>> {
        crate::encoded_word::decode_unstructured_with_fallback(self.value, fallback)
    }

    /// Parse the value as an address list (From, To, Cc, Bcc, Reply-To, …).
    #[must_use]
    pub fn addresses(&self) -> Parsed<crate::address::AddressList<'a>> {
        crate::address::AddressList::parse(self.value)
    }

    /// Parse the value as a date-time (Date, Resent-Date).
    ///
    /// # Errors
    /// [`crate::Error::Syntax`] if the value is not a date.
    pub fn date(&self) -> Result<Parsed<crate::datetime::DateTime>, crate::Error> {
        crate::datetime::DateTime::parse(self.value)
    }

    /// Parse the value as a list of msg-ids (Message-ID, In-Reply-To,
    /// References).
    #[must_use]
    pub fn msg_ids(&self) -> Parsed<Vec<crate::msgid::MsgId<'a>>> {
        crate::msgid::parse_msg_id_list(self.value)
    }

    /// Parse the value as a single mailbox (Sender, Resent-Sender).
    #[must_use]
    pub fn mailbox(&self) -> Parsed<Option<crate::address::Mailbox<'a>>> {
        crate::address::Mailbox::parse(self.value)
    }

    /// Parse the value as a Return-Path (`None` for the null path `<>`).
    #[must_use]
    pub fn return_path(&self) -> Parsed<Option<crate::address::Mailbox<'a>>> {
        crate::address::Mailbox::parse_return_path(self.value)
    }

    /// Parse the value as a Received trace field.
    #[must_use]
    pub fn received(&self) -> Parsed<crate::received::Received<'a>> {
        crate::received::Received::parse(self.value)
    }

    /// Parse the value as a Keywords list.
    #[must_use]
    pub fn keywords(&self) -> Parsed<Vec<Cow<'a, str>>> {
        crate::received::keywords(self.value)
    }

    /// Shift the defects of a value parser to message offsets.
    #[must_use]
    pub fn to_message_offsets(&self, defects: &[Defect]) -> Vec<Defect> {
        defects
            .iter()
            .map(|d| Defect::new(d.kind, d.offset + self.value_offset))
            .collect()
    }
}

/// Unfold a raw header value: remove CR and LF bytes, trim leading and
/// trailing spaces and tabs. Borrows when nothing but trimming was needed.
#[must_use]
pub fn unfold(value: &[u8]) -> Cow<'_, [u8]> {
    let trimmed = trim_wsp(value);
    if memchr::memchr2(b'\r', b'\n', trimmed).is_none() {
        return Cow::Borrowed(trimmed);
    }
    let mut out = Vec::with_capacity(trimmed.len());
    // `trimmed` starts and ends with a byte that is not WSP, CR or LF, so
    // filtering cannot expose new outer whitespace.
    out.extend(
        trimmed
            .iter()
            .copied()
            .filter(|&b| b != b'\r' && b != b'\n'),
    );
    Cow::Owned(out)
}

pub(crate) fn trim_wsp(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&c| !is_wsp_or_eol(c)).unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| !is_wsp_or_eol(c))
        .map_or(start, |p| p + 1);
    &b[start..end.max(start)]
}

const fn is_wsp_or_eol(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// The header fields of a message, in order. Repeated fields are all kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers<'a> {
    fields: Vec<HeaderField<'a>>,
}

impl<'a> Headers<'a> {
    pub(crate) const fn from_vec(fields: Vec<HeaderField<'a>>) -> Self {
        Self { fields }
    }

    /// The first field named `name` (ASCII case-insensitive).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&HeaderField<'a>> {
        self.fields.iter().find(|f| f.is(name))
    }

    /// Every field named `name` (ASCII case-insensitive), in order.
    pub fn get_all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s HeaderField<'a>> + 's {
        self.fields.iter().filter(move |f| f.is(name))
    }

    /// Whether a field named `name` exists.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// All fields in order.
    pub fn iter(&self) -> core::slice::Iter<'_, HeaderField<'a>> {
        self.fields.iter()
    }

    /// All fields in order, as a slice.
    #[must_use]
    pub fn as_slice(&self) -> &[HeaderField<'a>] {
        &self.fields
    }

    /// Number of fields.
    #[must_use]
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are no fields.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

impl<'s, 'a> IntoIterator for &'s Headers<'a> {
    type Item = &'s HeaderField<'a>;
    type IntoIter = core::slice::Iter<'s, HeaderField<'a>>;
    fn into_iter(self) -> Self::IntoIter {
        self.fields.iter()
    }
}
