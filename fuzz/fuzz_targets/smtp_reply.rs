#![no_main]
//! Reply parser: never panics; whatever parses writes back to a reply with
//! the same code, enhanced code and number of lines.
use libfuzzer_sys::fuzz_target;
use mailwire_smtp_proto::{EhloReply, Reply};

fuzz_target!(|data: &[u8]| {
    if let Ok((r, n)) = Reply::parse_with(data, 512, 64) {
        assert!(n <= data.len());
        let wire = r.to_bytes();
        let (again, m) = Reply::parse_with(&wire, usize::MAX, usize::MAX).expect("written reply must parse");
        assert_eq!(m, wire.len());
        assert_eq!(again.code(), r.code());
        assert_eq!(again.enhanced(), r.enhanced());
        assert_eq!(again.lines().len(), r.lines().len());
        if let Some(e) = EhloReply::from_reply(&r) {
            let _ = e.to_reply().to_bytes();
        }
    }
});
