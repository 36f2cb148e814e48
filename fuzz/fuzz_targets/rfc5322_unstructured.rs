#![no_main]
//! Unstructured text and encoded words: no panic; any decoded text
//! written (7-bit and UTF-8) and parsed again is unchanged.
use libfuzzer_sys::fuzz_target;
use mailwire_rfc5322::Message;
use mailwire_rfc5322::charset;
use mailwire_rfc5322::encoded_word::decode_unstructured;
use mailwire_rfc5322::writer::{HeaderWriter, Mode};

fuzz_target!(|data: &[u8]| {
    let _ = charset::decode_utf7(data);
    let text = decode_unstructured(data).value;
    // The writer drops outer whitespace and turns CR/LF into spaces.
    let want = text.replace(['\r', '\n'], " ");
    let want = want.trim_matches([' ', '\t']);
    for mode in [Mode::SevenBit, Mode::Utf8] {
        let mut w = HeaderWriter::new(mode);
        w.unstructured("Subject", &text).expect("valid name");
        let out = w.finish();
        if mode == Mode::SevenBit {
            assert!(out.is_ascii());
        }
        let msg = Message::parse(&out).expect("writer output parses");
        assert_eq!(msg.headers().len(), 1);
        assert!(msg.defects().is_empty());
        let back = msg.headers().get("subject").expect("field").decoded();
        assert_eq!(back, want, "{}", String::from_utf8_lossy(&out));
    }
});
