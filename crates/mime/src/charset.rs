//! Charset decoding to UTF-8 through `mailwire_rfc5322::charset` (every
//! WHATWG label via `encoding_rs`, plus UTF-7), with the fallbacks MIME
//! bodies need: a missing or US-ASCII charset reads 8-bit bytes as UTF-8
//! when valid, else windows-1252; an unknown label is reported.

use std::borrow::Cow;

use mailwire_rfc5322::charset::Charset;

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
    match Charset::for_label(label.as_bytes()) {
        // `replacement` (ISO-2022-KR etc.) would drop the text entirely;
        // treat those labels as unknown and keep the text readable.
        Some(Charset::Whatwg(enc)) if enc == encoding_rs::REPLACEMENT => fallback(bytes, true),
        Some(cs) => {
            let (text, had_errors) = cs.decode(bytes);
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
    l.eq_ignore_ascii_case("us-ascii")
        || Charset::for_label(l.as_bytes())
            .is_some_and(|c| c != Charset::Whatwg(encoding_rs::REPLACEMENT))
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
            decode(Some("utf-7"), b"A+ImIDkQ.").text,
            "A\u{2262}\u{391}."
        );
        assert_eq!(decode(Some("UTF-7"), b"1 +- 1").text, "1 + 1");
        assert_eq!(decode(Some("utf-7"), b"+2D3cAQ-").text, "\u{1F401}");
        assert!(decode(Some("utf-7"), b"+2D3-").had_errors);
        assert!(is_known("utf-7") && is_known("latin1") && !is_known("x-bogus"));
    }
}
