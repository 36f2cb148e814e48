#![no_main]
//! Response, capability, listing and continuation parsers and the body
//! unstuffer: never panic; responses round-trip through write_to.
use libfuzzer_sys::fuzz_target;
use mailwire_pop3_proto::capability::Capability;
use mailwire_pop3_proto::multiline::Unstuffer;
use mailwire_pop3_proto::response::{ScanListing, Stat, UidListing, apop_timestamp, parse_continuation};
use mailwire_pop3_proto::Response;

fuzz_target!(|data: &[u8]| {
    if let Ok((r, used)) = Response::parse(data) {
        assert!(used <= data.len());
        let mut wire = Vec::new();
        r.write_to(&mut wire);
        let (again, n) = Response::parse(&wire).expect("written response parses");
        assert_eq!(n, wire.len());
        assert_eq!(again.status, r.status);
        let _ = Stat::parse(&r.text);
        let _ = ScanListing::parse(&r.text);
        let _ = UidListing::parse(&r.text);
        let _ = apop_timestamp(&r.text);
    }
    if let Ok(c) = Capability::parse(data) {
        let _ = Capability::parse(c.to_string().as_bytes());
    }
    let _ = parse_continuation(data);
    let mut out = Vec::new();
    let mut u = Unstuffer::new();
    if let Some(n) = u.decode(data, &mut out) {
        assert!(n <= data.len());
    }
    assert!(out.len() <= data.len());
});
