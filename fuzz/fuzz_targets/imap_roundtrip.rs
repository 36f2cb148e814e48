#![no_main]
//! Response write → parse round trip: whatever the response parser accepts
//! (strict or lenient) is written back, and the written form must parse to
//! the same value with the same options, and strictly too unless lenient
//! parsing kept a known response code with invalid arguments as
//! `Code::Other`. (Commands: see `imap_command`.)

use libfuzzer_sys::fuzz_target;
use mailwire_imap_proto::response::{Response, ResponseOptions};

fuzz_target!(|data: &[u8]| {
    for opts in [ResponseOptions::default(), ResponseOptions::lenient()] {
        if let Ok((r, _)) = Response::parse_with(data, &opts) {
            let bytes = r.to_bytes();
            let (again, n) = Response::parse_with(&bytes, &opts)
                .unwrap_or_else(|e| panic!("{e}: {:?}", String::from_utf8_lossy(&bytes)));
            assert_eq!(n, bytes.len());
            assert_eq!(again, r, "{:?}", String::from_utf8_lossy(&bytes));
        }
    }
});
