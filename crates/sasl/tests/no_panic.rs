//! Property tests: no server or client mechanism panics on any input.
#![allow(clippy::unwrap_used, clippy::panic)]

#[path = "util/script.rs"]
mod script;

use mailwire_sasl::Mechanism;
use proptest::prelude::*;

fn mechanism() -> impl Strategy<Value = Mechanism> {
    (0..Mechanism::ALL.len()).prop_map(|i| Mechanism::ALL[i])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn server_never_panics(m in mechanism(), data in proptest::collection::vec(any::<u8>(), 0..600)) {
        script::server(m, &data);
    }

    #[test]
    fn client_never_panics(m in mechanism(), data in proptest::collection::vec(any::<u8>(), 0..400)) {
        script::client(m, &data);
    }

    /// Raw single messages (the common fuzz shape) for every mechanism,
    /// as an initial response and after start().
    #[test]
    fn first_message_never_panics(m in mechanism(), msg in proptest::collection::vec(any::<u8>(), 0..300)) {
        let config = mailwire_sasl::server::Config::new().with_random(&[1; 16]).with_cram_md5_challenge("<x@y>");
        let mut s = mailwire_sasl::server::Server::new(m, &config);
        let _ = s.step(&msg);
        let mut s = mailwire_sasl::server::Server::new(m, &config);
        let _ = s.start();
        let _ = s.step(&msg);
    }

    /// Structured-ish SCRAM messages: near-valid shapes reach deeper code.
    #[test]
    fn scram_shapes_never_panic(
        flag in "(n|y|p=tls-exporter|p=x|F)",
        authz in "(|a=[a-z=,2CD]{0,6})",
        user in "[a-z=,2CD\u{0}é]{0,8}",
        nonce in "[!-~]{0,10}",
        ext in "(|,[a-zA-Z0-9]=[a-z]{0,3})",
    ) {
        let msg = format!("{flag},{authz},n={user},r={nonce}{ext}");
        let config = mailwire_sasl::server::Config::new().with_random(&[1; 16]);
        for m in [Mechanism::ScramSha1, Mechanism::ScramSha256Plus] {
            let mut s = mailwire_sasl::server::Server::new(m, &config);
            let _ = s.step(msg.as_bytes());
        }
    }
}
