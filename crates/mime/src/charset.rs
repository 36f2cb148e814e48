//! Charset decoding to UTF-8: every WHATWG label through `encoding_rs`,
//! plus UTF-7 (RFC 2152), which WHATWG leaves out but mail still uses.

use std::borrow::Cow;

/// The result of decoding text in a named charset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedText<'a> {
    /// The text. Malformed sequences are replaced with U+FFFD.
    pub text: Cow<'a, str>,
    /// True when the label was not recognised; the text was then decoded
    /// as UTF-8 if valid, else as windows-1252, and the raw bytes are still
    /// available from the part.
    pub unknown_charset: bool,
    /// True when malformed sequences were replaced.
    pub had_errors: bool,
}

/// Decodes `bytes` in the charset named by `label` (case-insensitive,
/// surrounding whitespace ignored; RFC 2231 language suffixes such as
/// `utf-8*en` are dropped). `None` or an ASCII label means "US-ASCII as
/// sent in practice": UTF-8 when valid, windows-1252 otherwise.
///
/// ```
/// use mailwire_mime::charset::decode;
/// assert_eq!(decode(Some("ISO-8859-1"), b"caf\xe9").text, "café");
/// assert_eq!(decode(Some("utf-7"), b"Hi +ZeVnLIqe-").text, "Hi 日本語");
/// assert!(decode(Some("x-klingon"), b"abc").unknown_charset);
/// ```
pub fn decode<'a>(label: Option<&str>, bytes: &'a [u8]) -> DecodedText<'a> {
    let label = label.map(|l| {
        let l = l.trim();
        match l.find('*') {
            Some(i) => &l[..i],
            None => l,
        }
    });
    let label = match label {
        None | Some("") => None,
        Some(l)
            if l.eq_ignore_ascii_case("us-ascii")
                || l.eq_ignore_ascii_case("ascii")
                || l.eq_ignore_ascii_case("ansi_x3.4-1968") =>
        {
            None
        }
        Some(l) => Some(l),
    };
    let Some(label) = label else {
        return fallback(bytes, false);
    };
    if label.eq_ignore_ascii_case("utf-7") || label.eq_ignore_ascii_case("utf7") {
        let (text, had_errors) = decode_utf7(bytes);
        return DecodedText {
            text: Cow::Owned(text),
            unknown_charset: false,
            had_errors,
        };
    }
    match encoding_rs::Encoding::for_label(label.as_bytes()) {
        Some(enc) => {
            // `replacement` (ISO-2022-KR etc.) would drop the text entirely;
            // treat those labels as unknown and keep the text readable.
            if enc == encoding_rs::REPLACEMENT {
                return fallback(bytes, true);
            }
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            DecodedText {
                text,
                unknown_charset: false,
                had_errors,
            }
        }
        None => fallback(bytes, true),
    }
}

fn fallback(bytes: &[u8], unknown: bool) -> DecodedText<'_> {
    match std::str::from_utf8(bytes) {
        Ok(s) => DecodedText {
            text: Cow::Borrowed(s),
            unknown_charset: unknown,
            had_errors: false,
        },
        Err(_) => {
            let (text, had_errors) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            DecodedText {
                text,
                unknown_charset: unknown,
                had_errors,
            }
        }
    }
}

/// True when `label` names a charset this module can decode.
pub fn is_known(label: &str) -> bool {
    let l = label.trim();
    l.eq_ignore_ascii_case("utf-7")
        || l.eq_ignore_ascii_case("us-ascii")
        || encoding_rs::Encoding::for_label(l.as_bytes())
            .is_some_and(|e| e != encoding_rs::REPLACEMENT)
}

fn b64_value(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decodes UTF-7 (RFC 2152). Returns the text and whether it was malformed.
pub(crate) fn decode_utf7(bytes: &[u8]) -> (String, bool) {
    let mut out = String::with_capacity(bytes.len());
    let mut errors = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c != b'+' {
            if c < 0x80 {
                out.push(char::from(c));
            } else {
                out.push('\u{FFFD}');
                errors = true;
            }
            i += 1;
            continue;
        }
        i += 1;
        if bytes.get(i) == Some(&b'-') {
            out.push('+');
            i += 1;
            continue;
        }
        let mut units: Vec<u16> = Vec::new();
        let mut acc: u32 = 0;
        let mut bits = 0u32;
        while let Some(v) = bytes.get(i).and_then(|&c| b64_value(c)) {
            acc = ((acc << 6) | v) & 0xFF_FFFF;
            bits += 6;
            if bits >= 16 {
                bits -= 16;
                units.push((acc >> bits) as u16);
            }
            i += 1;
        }
        if bits >= 6 || (acc & ((1 << bits) - 1)) != 0 {
            errors = true;
        }
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        for ch in char::decode_utf16(units.iter().copied()) {
            match ch {
                Ok(ch) => out.push(ch),
                Err(_) => {
                    errors = true;
                    out.push('\u{FFFD}');
                }
            }
        }
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(decode(Some("latin1"), b"\xe9").text, "é");
        assert_eq!(decode(Some(" Windows-1252 "), b"\x80").text, "€");
        assert_eq!(decode(Some("koi8-r"), b"\xc1").text, "а");
        assert_eq!(
            decode(Some("ISO-2022-JP"), b"\x1b$B$3$s\x1b(B").text,
            "こん"
        );
        assert_eq!(decode(Some("gb2312"), b"\xc4\xe3").text, "你");
        assert_eq!(decode(Some("utf-8*en"), "é".as_bytes()).text, "é");
        assert_eq!(decode(None, "é".as_bytes()).text, "é");
        assert_eq!(decode(Some("us-ascii"), b"\xe9").text, "é");
        let d = decode(Some("x-unknown"), b"raw");
        assert!(d.unknown_charset);
        assert_eq!(d.text, "raw");
    }

    #[test]
    fn utf7() {
        assert_eq!(
            decode_utf7(b"A+ImIDkQ."),
            ("A\u{2262}\u{391}.".to_string(), false)
        );
        assert_eq!(
            decode_utf7(b"Hi Mom -+Jjo--!"),
            ("Hi Mom -\u{263a}-!".to_string(), false)
        );
        assert_eq!(decode_utf7(b"1 +- 1"), ("1 + 1".to_string(), false));
        assert_eq!(decode_utf7(b"+2D3cAQ-"), ("\u{1F401}".to_string(), false));
        assert!(decode_utf7(b"+2D3-").1);
    }
}
