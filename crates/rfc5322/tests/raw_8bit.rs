//! Raw 8-bit bytes in unstructured header values: inside RFC 2047 encoded
//! words they are decoded in the word's charset; outside, U+FFFD or a
//! fallback charset, always with a defect.
#![allow(clippy::unwrap_used)]

use mailwire_rfc5322::DefectKind;
use mailwire_rfc5322::Message;
use mailwire_rfc5322::charset::Charset;
use mailwire_rfc5322::encoded_word::{decode_unstructured, decode_unstructured_with_fallback};

fn dec(raw: &[u8]) -> (String, Vec<DefectKind>) {
    let p = decode_unstructured(raw);
    (
        p.value.into_owned(),
        p.defects.iter().map(|d| d.kind).collect(),
    )
}

#[test]
fn raw_8bit_inside_q_words() {
    // ISO-8859-1: 0xF6 is "ö".
    let (t, d) = dec(b"=?iso-8859-1?Q?Fr\xf6sche?=");
    assert_eq!(t, "Fr\u{f6}sche");
    assert_eq!(d, [DefectKind::EightBitInEncodedWord]);
    // windows-1252: 0x80 is "€", 0x93/0x94 curly quotes; mixed with escapes.
    let (t, d) = dec(b"=?windows-1252?Q?\x93100_\x80=94?= ok");
    assert_eq!(t, "\u{201c}100 \u{20ac}\u{201d} ok");
    assert_eq!(d, [DefectKind::EightBitInEncodedWord]);
    // UTF-8 bytes written raw inside a UTF-8 word.
    let (t, d) = dec("=?utf-8?q?Gr\u{fc}\u{df}e_aus_K\u{f6}ln?=".as_bytes());
    assert_eq!(t, "Grüße aus Köln");
    assert_eq!(d, [DefectKind::EightBitInEncodedWord]);
    // UTF-8 bytes inside a Latin-1 word are read as Latin-1 (as Python does).
    assert_eq!(dec(b"=?iso-8859-1?q?\xc3\xa9?=").0, "\u{c3}\u{a9}");
    // Adjacent words: raw bytes join with escaped ones before decoding.
    let (t, d) = dec(b"=?utf-8?q?caf\xc3?= =?utf-8?q?=A9?=");
    assert_eq!(t, "café");
    assert_eq!(d, [DefectKind::EightBitInEncodedWord]);
    // Bytes invalid in the word's charset are still reported.
    let (t, d) = dec(b"=?utf-8?q?a\xff?=");
    assert_eq!(t, "a\u{fffd}");
    assert_eq!(
        d,
        [
            DefectKind::EightBitInEncodedWord,
            DefectKind::CharsetDecodeError
        ]
    );
}

#[test]
fn raw_8bit_inside_b_words() {
    // Not base64: the word is left as written, its bytes read in its charset.
    let (t, d) = dec(b"x =?iso-8859-1?B?Fr\xf6sche?= y");
    assert_eq!(t, "x =?iso-8859-1?B?Fr\u{f6}sche?= y");
    assert_eq!(
        d,
        [
            DefectKind::EightBitInEncodedWord,
            DefectKind::InvalidEncodedWord
        ]
    );
    assert_eq!(
        dec(b"=?windows-1252?B?\x80\x85?=").0,
        "=?windows-1252?B?\u{20ac}\u{2026}?="
    );
    assert_eq!(
        dec("=?UTF-8?B?ö?= =?utf-8?B?w6k=?=".as_bytes()).0,
        "=?UTF-8?B?ö?= é"
    );
    // A charset that is not ASCII-compatible: the token stays UTF-8/U+FFFD.
    let (t, d) = dec(b"=?utf-16le?B?\xf6?=");
    assert_eq!(t, "=?utf-16le?B?\u{fffd}?=");
    assert!(d.contains(&DefectKind::InvalidUtf8));
    // 8-bit bytes do not hide a valid word that follows.
    let (t, _) = dec(b"=?iso-8859-1?B?\xf6?= =?iso-8859-1?Q?=E9?=");
    assert_eq!(t, "=?iso-8859-1?B?\u{f6}?= \u{e9}");
}

#[test]
fn raw_8bit_outside_words() {
    // Default: U+FFFD with a defect (as before).
    let (t, d) = dec(b"caf\xe9 =?utf-8?q?ok?=");
    assert_eq!(t, "caf\u{fffd} ok");
    assert_eq!(d, [DefectKind::InvalidUtf8]);
    // With a fallback: valid UTF-8 stays UTF-8, other bytes in windows-1252.
    let p = decode_unstructured_with_fallback(
        b"caf\xc3\xa9/caf\xe9 \x80 =?utf-8?q?ok?= \xff",
        Charset::WINDOWS_1252,
    );
    assert_eq!(p.value, "café/café € ok \u{ff}");
    assert_eq!(p.defects.len(), 2);
    assert!(p.defects.iter().all(|d| d.kind == DefectKind::InvalidUtf8));
    assert_eq!(p.defects[0].offset, 9);
    // Without encoded words (fast path), folded and not.
    for (raw, want) in [
        (&b"  Fr\xf6sche "[..], "Frösche"),
        (b"Fr\xf6\r\n sche", "Frö sche"),
    ] {
        let p = decode_unstructured_with_fallback(raw, Charset::WINDOWS_1252);
        assert_eq!(p.value, want);
        assert_eq!(p.defects.len(), 1);
        assert_eq!(p.defects[0].kind, DefectKind::InvalidUtf8);
        assert_eq!(p.defects[0].offset, 2);
    }
    // Valid UTF-8 gets no defect and borrows.
    let p = decode_unstructured_with_fallback("Grüße".as_bytes(), Charset::WINDOWS_1252);
    assert!(matches!(p.value, std::borrow::Cow::Borrowed("Grüße")));
    assert!(p.defects.is_empty());
}

#[test]
fn split_multibyte_char_across_words_stays_whole() {
    // "€" = E2 82 AC split over three words, Q and B mixed, folded.
    let (t, d) = dec(b"=?utf-8?Q?=E2?=\r\n =?utf-8?B?gg==?= =?UTF-8?q?=AC!?=");
    assert_eq!(t, "€!");
    assert!(d.is_empty());
    // Split with raw 8-bit bytes on both sides.
    let (t, _) = dec(b"=?utf-8?q?\xe2\x82?= =?utf-8?q?\xac?=");
    assert_eq!(t, "€");
}

#[test]
fn through_header_field() {
    let m = Message::parse(b"Subject: =?iso-8859-1?Q?Die_Fr\xf6sche?= \xe9t\xe9\r\n\r\n").unwrap();
    let f = m.headers().get("subject").unwrap();
    assert_eq!(f.decoded(), "Die Frösche \u{fffd}t\u{fffd}");
    let p = f.decoded_with_fallback(Charset::WINDOWS_1252);
    assert_eq!(p.value, "Die Frösche été");
    let kinds: Vec<_> = p.defects.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [DefectKind::EightBitInEncodedWord, DefectKind::InvalidUtf8]
    );
}

#[test]
fn display_names_do_not_apply_word_charset_to_text() {
    // The address lexer hands the phrase over as text (raw 0xF6 already
    // U+FFFD): such a word is left as written, not turned into mojibake.
    let m = Message::parse(b"From: =?iso-8859-1?Q?Fr\xf6sche?= <f@x.test>\r\n\r\n").unwrap();
    let list = m.headers().get("from").unwrap().addresses();
    let mb = list.value.mailboxes().next().unwrap();
    assert_eq!(mb.name.as_deref(), Some("=?iso-8859-1?Q?Fr\u{fffd}sche?="));
    assert!(
        list.defects
            .iter()
            .any(|d| d.kind == DefectKind::InvalidUtf8)
    );
}
