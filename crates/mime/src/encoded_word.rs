//! Header value text: unfolding (RFC 5322 §2.2.3) and RFC 2047 encoded
//! words, decoded through [`crate::charset`].

use std::borrow::Cow;

use crate::charset;
use crate::transfer::decode_base64;

/// Removes the line breaks of a folded header value (a CRLF or LF followed
/// by whitespace; a stray line break is removed too) and trims surrounding
/// whitespace.
pub fn unfold(raw: &[u8]) -> Cow<'_, [u8]> {
    let v = trim_wsp(raw);
    if memchr::memchr2(b'\r', b'\n', v).is_none() {
        return Cow::Borrowed(v);
    }
    let mut out = Vec::with_capacity(v.len());
    for &c in v {
        if c != b'\r' && c != b'\n' {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn trim_wsp(v: &[u8]) -> &[u8] {
    let is_ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let start = v.iter().position(|c| !is_ws(c)).unwrap_or(v.len());
    let end = v.iter().rposition(|c| !is_ws(c)).map_or(start, |e| e + 1);
    &v[start..end.max(start)]
}

/// Bytes that are not an encoded word: UTF-8 when valid (RFC 6532),
/// windows-1252 otherwise.
pub(crate) fn bytes_to_text(b: &[u8]) -> Cow<'_, str> {
    charset::decode(None, b).text
}

/// One encoded word found in a value.
struct Word<'a> {
    start: usize,
    end: usize,
    charset: &'a str,
    bytes: Vec<u8>,
}

fn parse_word(v: &[u8], start: usize) -> Option<Word<'_>> {
    // =?charset?E?text?=
    let rest = v.get(start + 2..)?;
    let q1 = memchr::memchr(b'?', rest)?;
    let cs = &rest[..q1];
    if cs.is_empty() || !cs.iter().all(|&c| c.is_ascii_graphic() && c != b'?') {
        return None;
    }
    let enc = *rest.get(q1 + 1)?;
    if rest.get(q1 + 2) != Some(&b'?') {
        return None;
    }
    let text_start = q1 + 3;
    let tail = rest.get(text_start..)?;
    let mut end = None;
    let mut i = 0;
    while i + 1 < tail.len() {
        let c = tail[i];
        if c == b'?' && tail[i + 1] == b'=' {
            end = Some(i);
            break;
        }
        if c == b' ' || c == b'\t' || c == b'\r' || c == b'\n' {
            return None;
        }
        i += 1;
    }
    let end = end?;
    let text = &tail[..end];
    let bytes = match enc {
        b'B' | b'b' => decode_base64(text).0,
        b'Q' | b'q' => decode_q(text),
        _ => return None,
    };
    let charset = std::str::from_utf8(cs).ok()?;
    Some(Word {
        start,
        end: start + 2 + text_start + end + 2,
        charset,
        bytes,
    })
}

fn decode_q(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'_' => out.push(b' '),
            b'=' => {
                let h = |c: u8| (c as char).to_digit(16);
                match (
                    text.get(i + 1).and_then(|&c| h(c)),
                    text.get(i + 2).and_then(|&c| h(c)),
                ) {
                    (Some(a), Some(b)) => {
                        out.push((a * 16 + b) as u8);
                        i += 2;
                    }
                    _ => out.push(b'='),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Unfolds a raw header value and decodes the RFC 2047 encoded words in
/// it. Whitespace between two adjacent encoded words is dropped (§6.2);
/// adjacent words in the same charset are joined as bytes before charset
/// decoding, so a character split across words comes out whole.
///
/// ```
/// use mailwire_mime::encoded_word::decode_header_text;
/// let v = b" =?UTF-8?Q?Caf=C3?=\r\n =?UTF-8?Q?=A9?= ok";
/// assert_eq!(decode_header_text(v), "Café ok");
/// ```
pub fn decode_header_text(raw: &[u8]) -> Cow<'_, str> {
    let v = unfold(raw);
    if memchr::memmem::find(&v, b"=?").is_none() {
        return match v {
            Cow::Borrowed(b) => bytes_to_text(b),
            Cow::Owned(b) => Cow::Owned(bytes_to_text(&b).into_owned()),
        };
    }
    Cow::Owned(decode_words(&v))
}

fn decode_words(v: &[u8]) -> String {
    let mut out = String::with_capacity(v.len());
    let mut pos = 0;
    // Pending bytes of adjacent encoded words in one charset.
    let mut pending: Option<(String, Vec<u8>)> = None;
    let flush = |pending: &mut Option<(String, Vec<u8>)>, out: &mut String| {
        if let Some((cs, bytes)) = pending.take() {
            out.push_str(&charset::decode(Some(&cs), &bytes).text);
        }
    };
    let mut search = 0;
    while let Some(i) = memchr::memmem::find(&v[search..], b"=?").map(|i| i + search) {
        match parse_word(v, i) {
            Some(w) => {
                let between = &v[pos..w.start];
                let only_ws = between.iter().all(|c| matches!(c, b' ' | b'\t'));
                if !(only_ws && pending.is_some()) {
                    flush(&mut pending, &mut out);
                    out.push_str(&bytes_to_text(between));
                }
                let cs = w
                    .charset
                    .split('*')
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                match &mut pending {
                    Some((pcs, pbytes)) if *pcs == cs => pbytes.extend_from_slice(&w.bytes),
                    _ => {
                        flush(&mut pending, &mut out);
                        pending = Some((cs, w.bytes));
                    }
                }
                pos = w.end;
                search = w.end;
            }
            None => search = i + 2,
        }
    }
    flush(&mut pending, &mut out);
    out.push_str(&bytes_to_text(&v[pos..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2047_section8_examples() {
        let cases: &[(&str, &str)] = &[
            ("(=?ISO-8859-1?Q?a?=)", "(a)"),
            ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
            ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"),
            ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
            ("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"),
            ("=?US-ASCII?Q?Keith_Moore?=", "Keith Moore"),
            ("=?ISO-8859-1?Q?Andr=E9?= Pirard", "André Pirard"),
            (
                "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
                "If you can read this you understand the example.",
            ),
            ("=?utf-8*en?q?hi?=", "hi"),
            ("=?bogus", "=?bogus"),
            ("a =?utf-8?x?y?= b", "a =?utf-8?x?y?= b"),
            ("=?utf-8?q?has space?=", "=?utf-8?q?has space?="),
        ];
        for (raw, want) in cases {
            assert_eq!(decode_header_text(raw.as_bytes()), *want, "{raw}");
        }
    }

    #[test]
    fn unfolding_and_8bit() {
        assert_eq!(decode_header_text(b" a\r\n b\r\n"), "a b");
        assert_eq!(decode_header_text("  Grüße ".as_bytes()), "Grüße");
        assert_eq!(decode_header_text(b"caf\xe9"), "café");
    }
}
