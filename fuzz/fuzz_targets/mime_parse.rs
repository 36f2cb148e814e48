//! Structure parse of arbitrary bytes, default and truncating limits, with
//! every structural accessor exercised (no body decoding).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_mime::{Message, ParseOptions};

fuzz_target!(|data: &[u8]| {
    let mut opts = ParseOptions::default();
    opts.limits.max_depth = 16;
    opts.limits.max_parts = 500;
    let _ = Message::parse_with(data, &opts);
    opts.truncate_at_limits = true;
    let Ok(msg) = Message::parse_with(data, &opts) else {
        panic!("truncating parse must not fail");
    };
    for p in msg.parts() {
        let h = p.header_range();
        let b = p.body_range();
        assert!(h.start <= h.end && h.end == b.start && b.start <= b.end);
        if p.in_input() {
            assert!(b.end <= data.len());
        }
        let _ = p.header_bytes();
        let _ = p.body_lines();
        let _ = p.body_size_crlf();
        let _ = p.preamble();
        let _ = p.epilogue();
        for f in p.headers() {
            let _ = f.name();
        }
        let path = p.imap_path();
        assert!(msg.find_imap(&path).is_some());
    }
    for d in msg.defects() {
        let _ = d.to_string();
    }
});
