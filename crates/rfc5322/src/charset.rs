//! Charset decoding: every WHATWG encoding label (via `encoding_rs`) plus
//! UTF-7 (RFC 2152), which WHATWG leaves out but mail still uses.
//!
//! ```
//! use mailwire_rfc5322::charset;
//!
//! assert_eq!(charset::decode("ISO-8859-1", b"caf\xe9").unwrap(), "café");
//! assert_eq!(charset::decode("utf-7", b"Hi Mom -+Jjo--!").unwrap(), "Hi Mom -\u{263a}-!");
//! assert!(charset::decode("x-no-such-charset", b"abc").is_err());
//! ```

use std::borrow::Cow;

use encoding_rs::Encoding;

/// A charset we can decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Charset {
    /// An encoding of the WHATWG Encoding Standard.
    Whatwg(&'static Encoding),
    /// UTF-7 (RFC 2152).
    Utf7,
}

/// The charset label is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown charset")]
#[non_exhaustive]
pub struct UnknownCharset;

impl Charset {
    /// UTF-8.
    pub const UTF_8: Self = Self::Whatwg(encoding_rs::UTF_8);

    /// windows-1252 (WHATWG's decoding of `ISO-8859-1` and `US-ASCII`
    /// labels too): maps every byte to a character, so nothing is lost.
    pub const WINDOWS_1252: Self = Self::Whatwg(encoding_rs::WINDOWS_1252);

    /// Look up a charset label (ASCII case-insensitive, surrounding
    /// whitespace ignored; an RFC 2231 `*language` suffix is ignored too).
    #[must_use]
    pub fn for_label(label: &[u8]) -> Option<Self> {
        let label = match memchr::memchr(b'*', label) {
            Some(i) => &label[..i],
            None => label,
        };
        let trimmed = label.trim_ascii();
        if trimmed.eq_ignore_ascii_case(b"utf-7")
            || trimmed.eq_ignore_ascii_case(b"utf7")
            || trimmed.eq_ignore_ascii_case(b"unicode-1-1-utf-7")
            || trimmed.eq_ignore_ascii_case(b"csunicode11utf7")
        {
            return Some(Self::Utf7);
        }
        Encoding::for_label(trimmed).map(Self::Whatwg)
    }

    /// The canonical name (WHATWG name, or `UTF-7`).
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Whatwg(e) => e.name(),
            Self::Utf7 => "UTF-7",
        }
    }

    /// Decode `bytes`. Malformed sequences become U+FFFD; the flag says
    /// whether any did. A byte order mark is not treated specially. Borrows
    /// when the bytes are already valid UTF-8 in an ASCII-compatible
    /// charset and need no change.
    #[must_use]
    pub fn decode<'a>(&self, bytes: &'a [u8]) -> (Cow<'a, str>, bool) {
        match self {
            Self::Whatwg(e) => e.decode_without_bom_handling(bytes),
            Self::Utf7 => decode_utf7(bytes),
        }
    }
}

/// Decode `bytes` in the charset named by `label`; malformed sequences
/// become U+FFFD.
///
/// # Errors
/// [`UnknownCharset`] if the label is not known.
pub fn decode<'a>(
    label: impl AsRef<[u8]>,
    bytes: &'a [u8],
) -> Result<Cow<'a, str>, UnknownCharset> {
    Charset::for_label(label.as_ref())
        .map(|c| c.decode(bytes).0)
        .ok_or(UnknownCharset)
}

const fn b64_value(b: u8) -> Option<u32> {
    Some(match b {
        b'A'..=b'Z' => (b - b'A') as u32,
        b'a'..=b'z' => (b - b'a') as u32 + 26,
        b'0'..=b'9' => (b - b'0') as u32 + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

/// Decode UTF-7 (RFC 2152). Returns the text and whether anything was
/// malformed (replaced by U+FFFD).
#[must_use]
pub fn decode_utf7(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    if !bytes.contains(&b'+') && bytes.is_ascii() {
        // Only direct characters: the text is its own decoding.
        return (String::from_utf8_lossy(bytes), false);
    }
    let mut out = String::with_capacity(bytes.len());
    let mut errors = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != b'+' {
            if b.is_ascii() {
                out.push(b as char);
            } else {
                out.push('\u{fffd}');
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
        // A base64 run of UTF-16 code units.
        let mut bits: u32 = 0;
        let mut nbits = 0u32;
        let mut high: Option<u16> = None;
        while let Some(v) = bytes.get(i).and_then(|&c| b64_value(c)) {
            bits = (bits << 6) | v;
            nbits += 6;
            i += 1;
            if nbits >= 16 {
                nbits -= 16;
                let unit = ((bits >> nbits) & 0xffff) as u16;
                bits &= (1 << nbits) - 1;
                match (high.take(), unit) {
                    (None, 0xd800..=0xdbff) => high = Some(unit),
                    (None, 0xdc00..=0xdfff) => {
                        out.push('\u{fffd}');
                        errors = true;
                    }
                    (None, u) => out.push(char::from_u32(u32::from(u)).unwrap_or('\u{fffd}')),
                    (Some(h), 0xdc00..=0xdfff) => {
                        let c =
                            0x10000 + ((u32::from(h) - 0xd800) << 10) + (u32::from(unit) - 0xdc00);
                        out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                    }
                    (Some(_), 0xd800..=0xdbff) => {
                        out.push('\u{fffd}');
                        errors = true;
                        high = Some(unit);
                    }
                    (Some(_), u) => {
                        out.push('\u{fffd}');
                        errors = true;
                        out.push(char::from_u32(u32::from(u)).unwrap_or('\u{fffd}'));
                    }
                }
            }
        }
        if high.is_some() {
            out.push('\u{fffd}');
            errors = true;
        }
        // Leftover bits must be fewer than 6 and zero (RFC 2152, rule 2).
        if nbits >= 6 || bits != 0 {
            out.push('\u{fffd}');
            errors = true;
        }
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
    }
    (Cow::Owned(out), errors)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn utf7_rfc2152_examples() {
        assert_eq!(decode_utf7(b"A+ImIDkQ.").0, "A\u{2262}\u{391}.");
        assert_eq!(decode_utf7(b"Hi Mom -+Jjo--!").0, "Hi Mom -\u{263a}-!");
        assert_eq!(decode_utf7(b"+ZeVnLIqe-").0, "\u{65e5}\u{672c}\u{8a9e}");
        assert_eq!(decode_utf7(b"1 +- 1").0, "1 + 1");
        // A surrogate pair: U+1F600.
        assert_eq!(decode_utf7(b"+2D3eAA-").0, "\u{1f600}");
        assert_eq!(decode_utf7(b"plain").0, "plain");
    }

    #[test]
    fn utf7_malformed() {
        // Lone low surrogate.
        let (s, e) = decode_utf7(b"+3AA-");
        assert!(e);
        assert_eq!(s, "\u{fffd}");
        // Non-zero leftover bits.
        assert!(decode_utf7(b"+AGF").1);
        // Lone high surrogate at end of run.
        assert!(decode_utf7(b"+2D0-").1);
        assert!(decode_utf7(b"\xff").1);
    }

    #[test]
    fn labels() {
        assert_eq!(Charset::for_label(b" UTF-8 "), Some(Charset::UTF_8));
        assert_eq!(Charset::for_label(b"utf-8*en"), Some(Charset::UTF_8));
        assert_eq!(
            Charset::for_label(b"UNICODE-1-1-UTF-7"),
            Some(Charset::Utf7)
        );
        assert_eq!(
            Charset::for_label(b"latin1").unwrap().name(),
            "windows-1252"
        );
        assert_eq!(Charset::for_label(b"koi8-r").unwrap().name(), "KOI8-R");
        assert_eq!(Charset::for_label(b"bogus"), None);
        assert_eq!(
            decode("shift_jis", b"\x93\xfa\x96\x7b").unwrap(),
            "\u{65e5}\u{672c}"
        );
        assert!(matches!(
            decode("utf-8", b"abc").unwrap(),
            Cow::Borrowed("abc")
        ));
    }
}
