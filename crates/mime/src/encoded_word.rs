//! Header value text: unfolding (RFC 5322 §2.2.3) and RFC 2047 encoded
//! words, decoded through `mailwire-rfc5322`.

use std::borrow::Cow;

use crate::charset;
use crate::transfer::decode_base64;

/// Header bytes that are not an encoded word: UTF-8 (RFC 6532), invalid
/// sequences replaced by U+FFFD (as `mailwire-rfc5322` and Python's
/// `email` package do).
pub(crate) fn bytes_to_text(b: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(b)
}

/// Unfolds a raw header value and decodes the RFC 2047 encoded words in
/// it, through `mailwire_rfc5322::encoded_word::decode_unstructured`:
/// whitespace between adjacent encoded words is dropped (§6.2), adjacent
/// words in one charset are joined as bytes before charset decoding.
///
/// Encoded words in a charset nobody knows are left as written by
/// `mailwire-rfc5322`; here they are decoded as UTF-8 (or windows-1252),
/// as Python's `email` package and most mail readers do.
pub(crate) fn decode_header_text(raw: &[u8]) -> Cow<'_, str> {
    let text = mailwire_rfc5322::encoded_word::decode_unstructured(raw).value;
    if !text.contains("=?") {
        return text;
    }
    Cow::Owned(decode_unknown_charset_words(&text))
}

/// Decodes the `=?charset?B|Q?text?=` words left in `text`.
fn decode_unknown_charset_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("=?") {
        let (before, word) = rest.split_at(start);
        out.push_str(before);
        let parsed = (|| {
            let inner = word.get(2..)?;
            let (cs, tail) = inner.split_once('?')?;
            let (enc, tail) = tail.split_once('?')?;
            let end = tail.find("?=")?;
            let payload = &tail[..end];
            if cs.is_empty() || payload.contains(char::is_whitespace) {
                return None;
            }
            let bytes = match enc {
                "B" | "b" => decode_base64(payload.as_bytes()).0,
                "Q" | "q" => decode_q(payload.as_bytes()),
                _ => return None,
            };
            let consumed = 2 + cs.len() + 1 + enc.len() + 1 + end + 2;
            Some((
                charset::decode(Some(cs), &bytes).text.into_owned(),
                consumed,
            ))
        })();
        match parsed {
            Some((decoded, consumed)) => {
                out.push_str(&decoded);
                rest = &word[consumed..];
            }
            None => {
                out.push_str("=?");
                rest = &word[2..];
            }
        }
    }
    out.push_str(rest);
    out
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
    fn unknown_charset_words_decode_leniently() {
        assert_eq!(
            decode_header_text(b"=?x-klingon?Q?tlhIngan_Hol?= and =?utf-8?q?ok?="),
            "tlhIngan Hol and ok"
        );
        assert_eq!(decode_header_text(b"=?unknown-8bit?B?w6k=?="), "\u{e9}");
        assert_eq!(decode_header_text(b"a =? b ?= c"), "a =? b ?= c");
    }

    #[test]
    fn raw_8bit_inside_encoded_word() {
        assert_eq!(
            decode_header_text(b"=?iso-8859-1?Q?Die_Fr\xf6sche?="),
            "Die Fr\u{f6}sche"
        );
        assert_eq!(
            decode_header_text(b" caf\xe9\r\n =?utf-8?q?ok?= "),
            "caf\u{fffd} ok"
        );
    }

    #[test]
    fn unfolding_and_8bit() {
        assert_eq!(decode_header_text(b" a\r\n b\r\n"), "a b");
        assert_eq!(decode_header_text("  Grüße ".as_bytes()), "Grüße");
    }
}
