//! Fuzzes the SASL server side (and where noted the client side) with the
//! script interpreter shared with the proptests in crates/sasl/tests.
#![no_main]

#[path = "../../crates/sasl/tests/util/script.rs"]
mod script;

use libfuzzer_sys::fuzz_target;
use mailwire_sasl::Mechanism;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let m = [
        Mechanism::ScramSha1,
        Mechanism::ScramSha1Plus,
        Mechanism::ScramSha256,
        Mechanism::ScramSha256Plus,
    ][usize::from(pick % 4)];
    if pick & 0x80 == 0 {
        script::server(m, rest);
    } else {
        script::client(m, rest);
    }
});
