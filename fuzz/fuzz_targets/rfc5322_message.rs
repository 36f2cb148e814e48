#![no_main]
//! Message split: no panic, raw ranges consistent, strict never accepts
//! what lenient flags, and every field value parser survives every field.
use libfuzzer_sys::fuzz_target;
use mailwire_rfc5322::{Message, ParseOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(msg) = Message::parse(data) else {
        return;
    };
    assert_eq!(msg.body_offset() + msg.body().len(), data.len());
    let mut end = 0;
    for f in msg.headers() {
        assert_eq!(&data[f.range()], f.raw());
        assert!(f.offset() >= end);
        end = f.range().end;
        assert!(f.value_offset() >= f.offset());
        let _ = f.unfolded();
        let _ = f.text();
        let _ = f.decoded();
    }
    let strict = Message::parse_with(data, &ParseOptions::strict());
    assert_eq!(strict.is_ok(), msg.defects().is_empty());
});
