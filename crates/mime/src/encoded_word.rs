//! Header value text: unfolding (RFC 5322 §2.2.3) and RFC 2047 encoded
//! words, decoded through `mailwire-rfc5322`.

use std::borrow::Cow;

use crate::charset;

/// Bytes that are not an encoded word: UTF-8 when valid (RFC 6532),
/// windows-1252 otherwise.
pub(crate) fn bytes_to_text(b: &[u8]) -> Cow<'_, str> {
    charset::decode(None, b).text
}

/// Unfolds a raw header value and decodes the RFC 2047 encoded words in
/// it, through `mailwire_rfc5322::encoded_word::decode_unstructured`:
/// whitespace between adjacent encoded words is dropped (§6.2), adjacent
/// words in one charset are joined as bytes before charset decoding.
pub(crate) fn decode_header_text(raw: &[u8]) -> Cow<'_, str> {
    mailwire_rfc5322::encoded_word::decode_unstructured(raw).value
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
    }
}
