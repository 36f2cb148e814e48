//! RFC 2047 encoded words: decoding unstructured text and phrases, and
//! encoding text for 7-bit headers.
//!
//! ```
//! use mailwire_rfc5322::encoded_word::decode_unstructured;
//!
//! // Adjacent encoded words are joined, whitespace between them dropped,
//! // and their bytes joined before charset decoding (the split "é" survives).
//! let d = decode_unstructured(b"=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?= ok");
//! assert_eq!(d.value, "café ok");
//! assert!(d.defects.is_empty());
//!
//! // Invalid words are left as written, with a defect.
//! let d = decode_unstructured(b"=?x-bogus?Q?abc?= tail");
//! assert_eq!(d.value, "=?x-bogus?Q?abc?= tail");
//! assert_eq!(d.defects.len(), 1);
//! ```

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::charset::Charset;
use crate::error::{Defect, DefectKind, Parsed};
use crate::header::unfold;

/// Maximum length of an encoded word (RFC 2047 §2).
pub const MAX_WORD_LEN: usize = 75;

const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// A syntactically valid encoded word found in text.
struct Word<'a> {
    /// Length of the whole `=?...?=` token.
    len: usize,
    charset: &'a [u8],
    encoding: u8,
    text: &'a [u8],
}

/// Recognise `=?charset?X?text?=` at the start of `s`; with `eight_bit`,
/// raw bytes >= 0x80 may appear in the encoded text.
fn scan_word(s: &[u8], eight_bit: bool) -> Option<Word<'_>> {
    let rest = s.strip_prefix(b"=?")?;
    let q1 = rest.iter().position(|&b| b == b'?')?;
    let charset = &rest[..q1];
    if charset.is_empty() || charset.iter().any(|&b| b <= b' ' || b >= 0x7f) {
        return None;
    }
    let rest = &rest[q1 + 1..];
    let encoding = *rest.first()?;
    if !matches!(encoding, b'B' | b'b' | b'Q' | b'q') || rest.get(1) != Some(&b'?') {
        return None;
    }
    let rest = &rest[2..];
    // The encoded text has no '?', space or control, so the first byte
    // that is one of those must start the closing "?=" (this bounds the
    // scan, keeping the whole decode linear). Raw 8-bit bytes are not
    // allowed by RFC 2047 §5 but broken mailers send them; they stay part
    // of the word, to be decoded in its charset.
    let end = rest
        .iter()
        .position(|&b| b <= b' ' || b == 0x7f || b == b'?' || (b > 0x7f && !eight_bit))?;
    if rest.get(end) != Some(&b'?') || rest.get(end + 1) != Some(&b'=') {
        return None;
    }
    let text = &rest[..end];
    Some(Word {
        len: 2 + q1 + 1 + 2 + end + 2,
        charset,
        encoding,
        text,
    })
}

/// Offset of the first `a` immediately followed by `b` (cheaper than
/// building a substring searcher for short header values).
pub(crate) fn find_pair(s: &[u8], a: u8, b: u8) -> Option<usize> {
    memchr::memchr_iter(a, s).find(|&i| s.get(i + 1) == Some(&b))
}

/// Whether `s` contains `=?` (a possible encoded word).
pub(crate) fn has_ew_start(s: &str) -> bool {
    find_pair(s.as_bytes(), b'=', b'?').is_some()
}

/// Decode the `Q` encoding (RFC 2047 §4.2). `None` on a bad `=XX` escape.
fn decode_q(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'_' => out.push(b' '),
            b'=' => {
                let h = hex(*text.get(i + 1)?)?;
                let l = hex(*text.get(i + 2)?)?;
                out.push(h << 4 | l);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Some(out)
}

const fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

fn decode_payload(w: &Word<'_>) -> Option<Vec<u8>> {
    match w.encoding {
        b'B' | b'b' => LENIENT_B64.decode(w.text).ok(),
        _ => decode_q(w.text),
    }
}

/// Accumulates decoded text: pending encoded-word bytes of one charset are
/// joined before charset decoding.
struct Out<'d> {
    text: String,
    pending: Option<(Charset, Vec<u8>, usize)>,
    defects: &'d mut Vec<Defect>,
    /// Charset for literal bytes that are not UTF-8 (`None`: U+FFFD).
    fallback: Option<Charset>,
}

impl Out<'_> {
    fn flush(&mut self) {
        if let Some((cs, bytes, offset)) = self.pending.take() {
            let (s, errors) = cs.decode(&bytes);
            if errors {
                self.defects
                    .push(Defect::new(DefectKind::CharsetDecodeError, offset));
            }
            self.text.push_str(&s);
        }
    }

    fn literal(&mut self, bytes: &[u8], offset: usize) {
        self.flush();
        push_literal(&mut self.text, bytes, offset, self.defects, self.fallback);
    }
}

/// Append literal header bytes: UTF-8 (RFC 6532) where valid; every byte
/// that is not part of a valid UTF-8 sequence is decoded in `fallback`, or
/// becomes U+FFFD without one. Either way one [`DefectKind::InvalidUtf8`]
/// marks the first such byte.
fn push_literal(
    out: &mut String,
    bytes: &[u8],
    offset: usize,
    defects: &mut Vec<Defect>,
    fallback: Option<Charset>,
) {
    let e = match core::str::from_utf8(bytes) {
        Ok(s) => {
            out.push_str(s);
            return;
        }
        Err(e) => e,
    };
    defects.push(Defect::new(
        DefectKind::InvalidUtf8,
        offset + e.valid_up_to(),
    ));
    let Some(cs) = fallback else {
        out.push_str(&String::from_utf8_lossy(bytes));
        return;
    };
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            out.push_str(&cs.decode(chunk.invalid()).0);
        }
    }
}

/// Whether `cs` decodes ASCII bytes as ASCII (so a whole encoded-word
/// token written in it can be decoded in it).
fn ascii_compatible(cs: Charset) -> bool {
    match cs {
        Charset::Whatwg(e) => e.is_ascii_compatible(),
        Charset::Utf7 => false,
    }
}

const fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Decode an unstructured header value (RFC 5322 §3.2.5, RFC 2047 §5(1)):
/// unfold, trim, decode encoded words.
///
/// Adjacent encoded words are joined: whitespace between them is dropped
/// (RFC 2047 §6.2) and, when they share a charset, their bytes are joined
/// before charset decoding, so a multibyte character split across two words
/// survives. Words that cannot be decoded (bad base64, unknown charset) are
/// left as written with a defect. Encoded words glued to other text are
/// decoded too, with [`DefectKind::EncodedWordNotDelimited`].
///
/// Decoding works on the raw bytes: raw 8-bit bytes inside an encoded word
/// (which RFC 2047 §5 forbids but broken mailers send) are decoded in the
/// word's charset, with [`DefectKind::EightBitInEncodedWord`]. In a `Q`
/// word they are taken as themselves; a `B` word with them is not base64,
/// so it is left as written, the raw bytes of the token decoded in its
/// charset (when that charset is ASCII-compatible), with
/// [`DefectKind::InvalidEncodedWord`].
///
/// Raw bytes outside encoded words that are not UTF-8 (RFC 6532 allows
/// UTF-8 only) become U+FFFD with [`DefectKind::InvalidUtf8`]; use
/// [`decode_unstructured_with_fallback`] to decode them in a fallback
/// charset instead.
///
/// Defect offsets are relative to the unfolded, trimmed value.
///
/// ```
/// use mailwire_rfc5322::encoded_word::decode_unstructured;
///
/// let d = decode_unstructured(b"=?iso-8859-1?Q?Fr\xf6sche?=");
/// assert_eq!(d.value, "Fr\u{f6}sche");
/// ```
#[must_use]
pub fn decode_unstructured(raw: &[u8]) -> Parsed<Cow<'_, str>> {
    decode_unstructured_impl(raw, None)
}

/// [`decode_unstructured`], except that raw bytes outside encoded words
/// that are not part of a valid UTF-8 sequence are decoded in `fallback`
/// instead of becoming U+FFFD: valid UTF-8 sequences stay UTF-8, every other
/// byte run is decoded in `fallback` (still with one
/// [`DefectKind::InvalidUtf8`] at the first such byte). With
/// [`Charset::WINDOWS_1252`] no byte is lost, which is what Python's
/// `email` package effectively does for 8-bit headers.
///
/// ```
/// use mailwire_rfc5322::charset::Charset;
/// use mailwire_rfc5322::encoded_word::decode_unstructured_with_fallback;
///
/// let d = decode_unstructured_with_fallback(b"caf\xe9 \xe2\x82\xac", Charset::WINDOWS_1252);
/// assert_eq!(d.value, "caf\u{e9} \u{20ac}");
/// assert_eq!(d.defects.len(), 1);
/// ```
#[must_use]
pub fn decode_unstructured_with_fallback(raw: &[u8], fallback: Charset) -> Parsed<Cow<'_, str>> {
    decode_unstructured_impl(raw, Some(fallback))
}

fn decode_unstructured_impl(raw: &[u8], fallback: Option<Charset>) -> Parsed<Cow<'_, str>> {
    let text = unfold(raw);
    let mut defects = Vec::new();
    if find_pair(&text, b'=', b'?').is_none() {
        let value = match text {
            Cow::Borrowed(b) => match core::str::from_utf8(b) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => {
                    let mut s = String::with_capacity(b.len() + 8);
                    push_literal(&mut s, b, 0, &mut defects, fallback);
                    Cow::Owned(s)
                }
            },
            Cow::Owned(v) => {
                let mut s = String::with_capacity(v.len() + 8);
                push_literal(&mut s, &v, 0, &mut defects, fallback);
                Cow::Owned(s)
            }
        };
        return Parsed { value, defects };
    }
    let value = decode_words_with(&text, &mut defects, false, fallback, true);
    Parsed {
        value: Cow::Owned(value),
        defects,
    }
}

/// Decode encoded words in `text` (already unfolded). With `phrase`, only
/// whole whitespace-separated words are candidates (RFC 2047 §5(3)), as in
/// a display name; otherwise encoded words inside other text are decoded
/// with a defect.
///
/// `text` here is already text (a phrase's tokens, decoded from UTF-8 by
/// the address lexer), so non-ASCII characters in it are not the raw bytes
/// a sender wrote: words with them are not decoded (a word's charset must
/// not be applied to UTF-8 or to U+FFFD).
pub(crate) fn decode_words(text: &[u8], defects: &mut Vec<Defect>, phrase: bool) -> String {
    decode_words_with(text, defects, phrase, None, false)
}

/// [`decode_words`] on raw value bytes, with a fallback charset for
/// literal non-UTF-8 bytes; with `eight_bit`, raw 8-bit bytes inside
/// encoded words are decoded in the word's charset.
fn decode_words_with(
    text: &[u8],
    defects: &mut Vec<Defect>,
    phrase: bool,
    fallback: Option<Charset>,
    eight_bit: bool,
) -> String {
    let mut out = Out {
        text: String::with_capacity(text.len()),
        pending: None,
        defects,
        fallback,
    };
    // Start of literal text not yet written.
    let mut lit = 0;
    // End of the last decoded encoded word, if no literal text was written
    // since.
    let mut after_word: Option<usize> = None;
    let mut i = 0;
    while let Some(p) = find_pair(&text[i..], b'=', b'?') {
        let start = i + p;
        let Some(w) = scan_word(&text[start..], eight_bit) else {
            i = start + 2;
            continue;
        };
        let end = start + w.len;
        let delimited_before = start == 0 || is_wsp(text[start - 1]) || after_word == Some(start);
        let delimited_after =
            end == text.len() || is_wsp(text[end]) || text[end..].starts_with(b"=?");
        if phrase && !(delimited_before && delimited_after) {
            i = start + 2;
            continue;
        }
        let Some(cs) = Charset::for_label(w.charset) else {
            out.defects
                .push(Defect::new(DefectKind::UnknownCharset, start));
            i = end;
            continue;
        };
        let eight_bit = !w.text.is_ascii();
        if eight_bit {
            out.defects
                .push(Defect::new(DefectKind::EightBitInEncodedWord, start));
        }
        let Some(bytes) = decode_payload(&w) else {
            out.defects
                .push(Defect::new(DefectKind::InvalidEncodedWord, start));
            if eight_bit && ascii_compatible(cs) {
                // Left as written, but its raw bytes are most likely in the
                // charset the word names.
                out.literal(&text[lit..start], lit);
                let (s, errors) = cs.decode(&text[start..end]);
                if errors {
                    out.defects
                        .push(Defect::new(DefectKind::CharsetDecodeError, start));
                }
                out.text.push_str(&s);
                lit = end;
                after_word = None;
            }
            i = end;
            continue;
        };
        if !(delimited_before && delimited_after) {
            out.defects
                .push(Defect::new(DefectKind::EncodedWordNotDelimited, start));
        }
        if w.len > MAX_WORD_LEN {
            out.defects
                .push(Defect::new(DefectKind::EncodedWordTooLong, start));
        }
        let between = &text[lit..start];
        let joinable = after_word.is_some() && between.iter().all(|&b| is_wsp(b));
        if !joinable {
            out.literal(between, lit);
        }
        match &mut out.pending {
            Some((pcs, buf, _)) if *pcs == cs && joinable => buf.extend_from_slice(&bytes),
            _ => {
                out.flush();
                out.pending = Some((cs, bytes, start));
            }
        }
        lit = end;
        i = end;
        after_word = Some(end);
    }
    out.literal(&text[lit..], lit);
    out.flush();
    out.text
}

/// Whether `text` can be written as-is in a 7-bit header: printable ASCII
/// and whitespace only, and nothing a decoder would take for an encoded
/// word.
#[must_use]
pub fn needs_encoding(text: &str) -> bool {
    text.bytes()
        .any(|b| !(b == b' ' || b == b'\t' || (0x21..0x7f).contains(&b)))
        || has_ew_start(text)
}

/// Encode `text` as RFC 2047 encoded words in UTF-8, each at most
/// `max_len` characters long (clamped to 16..=75), the first at most
/// `first_max_len`. Characters are never split across words; whitespace is
/// encoded inside the words, so the words must be written separated by
/// folding whitespace only. Chooses `Q` or `B`, whichever is shorter.
///
/// ```
/// use mailwire_rfc5322::encoded_word::{encode_words, decode_unstructured};
/// let words = encode_words("Grüße aus Köln", 75, 75);
/// assert_eq!(words, ["=?utf-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?="]);
/// assert_eq!(encode_words("a café", 75, 75), ["=?utf-8?Q?a_caf=C3=A9?="]);
/// assert_eq!(decode_unstructured(words.join(" ").as_bytes()).value, "Grüße aus Köln");
/// ```
#[must_use]
pub fn encode_words(text: &str, first_max_len: usize, max_len: usize) -> Vec<String> {
    let q_len: usize = text.bytes().map(q_cost).sum();
    let b_len = text.len().div_ceil(3) * 4;
    let use_q = q_len <= b_len;
    let mut words = Vec::new();
    let mut limit = first_max_len.clamp(16, MAX_WORD_LEN);
    let max_len = max_len.clamp(16, MAX_WORD_LEN);
    let overhead = "=?utf-8?Q??=".len();
    let mut chunk_start = 0;
    let mut cost = 0;
    for (idx, ch) in text.char_indices() {
        let mut buf = [0u8; 4];
        let bytes = ch.encode_utf8(&mut buf).as_bytes();
        let next_cost = if use_q {
            cost + bytes.iter().copied().map(q_cost).sum::<usize>()
        } else {
            (idx + bytes.len() - chunk_start).div_ceil(3) * 4
        };
        if next_cost + overhead > limit && idx > chunk_start {
            words.push(encode_one(&text[chunk_start..idx], use_q));
            chunk_start = idx;
            limit = max_len;
            cost = if use_q {
                bytes.iter().copied().map(q_cost).sum()
            } else {
                0
            };
        } else {
            cost = next_cost;
        }
    }
    if chunk_start < text.len() || words.is_empty() {
        words.push(encode_one(&text[chunk_start..], use_q));
    }
    words
}

const fn q_safe(b: u8) -> bool {
    // RFC 2047 §5(3): the most restrictive set, safe everywhere.
    b.is_ascii_alphanumeric() || matches!(b, b'!' | b'*' | b'+' | b'-' | b'/')
}

const fn q_cost(b: u8) -> usize {
    if q_safe(b) || b == b' ' { 1 } else { 3 }
}

fn encode_one(s: &str, use_q: bool) -> String {
    let mut w = String::with_capacity(MAX_WORD_LEN);
    if use_q {
        w.push_str("=?utf-8?Q?");
        for b in s.bytes() {
            if b == b' ' {
                w.push('_');
            } else if q_safe(b) {
                w.push(b as char);
            } else {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                w.push('=');
                w.push(HEX[usize::from(b >> 4)] as char);
                w.push(HEX[usize::from(b & 15)] as char);
            }
        }
    } else {
        w.push_str("=?utf-8?B?");
        w.push_str(&base64::engine::general_purpose::STANDARD.encode(s));
    }
    w.push_str("?=");
    w
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn dec(s: &str) -> (String, Vec<DefectKind>) {
        let p = decode_unstructured(s.as_bytes());
        (
            p.value.into_owned(),
            p.defects.iter().map(|d| d.kind).collect(),
        )
    }

    #[test]
    fn rfc2047_section8_examples() {
        assert_eq!(dec("(=?ISO-8859-1?Q?a?=)").0, "(a)");
        assert_eq!(dec("=?ISO-8859-1?Q?a?= b").0, "a b");
        assert_eq!(dec("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=").0, "ab");
        assert_eq!(dec("=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=").0, "ab");
        assert_eq!(dec("=?ISO-8859-1?Q?a?=\r\n   =?ISO-8859-1?Q?b?=").0, "ab");
        assert_eq!(dec("=?ISO-8859-1?Q?a_b?=").0, "a b");
        assert_eq!(dec("=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=").0, "a b");
        assert_eq!(dec("=?US-ASCII?Q?Keith_Moore?=").0, "Keith Moore");
        assert_eq!(dec("=?ISO-8859-1?Q?Andr=E9?= Pirard").0, "André Pirard");
        assert_eq!(
            dec("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=").0,
            "If you can read this you understand the example."
        );
    }

    #[test]
    fn split_multibyte_joined() {
        // "é" = C3 A9 split across two B words.
        assert_eq!(dec("=?utf-8?B?w6k=?=").0, "é");
        assert_eq!(dec("=?utf-8?B?4oI=?= =?utf-8?B?rA==?=").0, "€");
        let (t, d) = dec("=?utf-8?q?=C3?= =?UTF-8?Q?=A9x?=");
        assert_eq!(t, "éx");
        assert!(d.is_empty());
    }

    #[test]
    fn invalid_words_left_as_written() {
        let (t, d) = dec("=?utf-8?B?###?= x");
        assert_eq!(t, "=?utf-8?B?###?= x");
        assert_eq!(d, [DefectKind::InvalidEncodedWord]);
        let (t, d) = dec("a =?nope?Q?x?= b");
        assert_eq!(t, "a =?nope?Q?x?= b");
        assert_eq!(d, [DefectKind::UnknownCharset]);
        // Not an encoded word at all: no defect.
        assert_eq!(dec("=?utf-8?X?abc?=").0, "=?utf-8?X?abc?=");
        assert_eq!(dec("a =? b").0, "a =? b");
        let (t, d) = dec("=?utf-8?Q?=C3?=");
        assert_eq!(t, "\u{fffd}");
        assert_eq!(d, [DefectKind::CharsetDecodeError]);
    }

    #[test]
    fn undelimited_and_mixed() {
        let (t, d) = dec("foo=?utf-8?Q?bar?=baz");
        assert_eq!(t, "foobarbaz");
        assert_eq!(d, [DefectKind::EncodedWordNotDelimited]);
        assert_eq!(dec("x =?utf-8?Q?a?= y =?utf-8?Q?b?= z").0, "x a y b z");
        // Literal text between words keeps its whitespace.
        assert_eq!(dec("=?utf-8?Q?a?=  y").0, "a  y");
        assert_eq!(
            dec("=?utf-8?Q?a?= =?bogus?Q?b?= =?utf-8?Q?c?=").0,
            "a =?bogus?Q?b?= c"
        );
        // RFC 2231 language in the charset.
        assert_eq!(dec("=?utf-8*de?Q?Stra=C3=9Fe?=").0, "Straße");
        assert_eq!(dec("=?utf-7?Q?+AOk-?=").0, "é");
    }

    #[test]
    fn encode_limits() {
        let long = "ä".repeat(100) + &"x".repeat(50) + "😀";
        for first in [16, 30, 75] {
            let words = encode_words(&long, first, 75);
            assert!(words[0].len() <= first.max(16), "{}", words[0]);
            for w in &words {
                assert!(w.len() <= MAX_WORD_LEN);
            }
            assert_eq!(
                decode_unstructured(words.join("\r\n ").as_bytes()).value,
                long
            );
        }
        assert_eq!(encode_words("", 75, 75), ["=?utf-8?Q??="]);
        assert!(needs_encoding("a=?b"));
        assert!(needs_encoding("é"));
        assert!(!needs_encoding("plain text"));
    }
}
