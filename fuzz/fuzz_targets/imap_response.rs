#![no_main]
//! Response parser: never panics, consumed length is in bounds, every
//! proper prefix of an accepted unit is `Incomplete`.

use libfuzzer_sys::fuzz_target;
use mailwire_imap_proto::response::{Response, ResponseOptions};

fuzz_target!(|data: &[u8]| {
    for opts in [ResponseOptions::default(), ResponseOptions::lenient()] {
        if let Ok((r, n)) = Response::parse_with(data, &opts) {
            assert!(n <= data.len());
            let _ = r.into_owned();
            // Sample a few prefixes (all of them would be quadratic).
            for cut in [0, n / 3, n / 2, n.saturating_sub(1)] {
                if cut < n {
                    let e = Response::parse_with(&data[..cut], &opts).unwrap_err();
                    assert!(e.is_incomplete(), "prefix {cut} of {n}: {e}");
                }
            }
        }
    }
});
