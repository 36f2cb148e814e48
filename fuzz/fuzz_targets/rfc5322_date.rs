#![no_main]
//! Dates: no panic; an accepted date written back parses to the same
//! instant.
use libfuzzer_sys::fuzz_target;
use mailwire_rfc5322::datetime::DateTime;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = DateTime::parse(data) {
        let d = p.value;
        let s = d.to_string();
        let back = DateTime::parse(s.as_bytes())
            .expect("display reparses")
            .value;
        assert_eq!(back.unix_timestamp(), d.unix_timestamp(), "{s}");
    }
});
