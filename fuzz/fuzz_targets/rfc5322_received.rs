#![no_main]
//! Received, Keywords and comments: no panic.
use libfuzzer_sys::fuzz_target;
use mailwire_rfc5322::lexical::comments;
use mailwire_rfc5322::received::{Received, keywords};

fuzz_target!(|data: &[u8]| {
    let r = Received::parse(data).value;
    let _ = r.get("from");
    let _ = r.into_owned();
    let _ = keywords(data);
    let _ = comments(data);
});
