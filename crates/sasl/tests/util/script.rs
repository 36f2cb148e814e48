//! Interprets arbitrary bytes as a SASL exchange script. Shared by the
//! proptests (`tests/no_panic.rs`) and the fuzz targets
//! (`fuzz/fuzz_targets/sasl_*.rs`, via `#[path]`), so both explore the same
//! input space. The invariants checked here must hold for any input.
#![allow(dead_code, unreachable_pub, clippy::panic)]

use mailwire_sasl::client::{self, Client, Credentials};
use mailwire_sasl::server::{self, Answer, OAuthError, ScramCredentials, ScramHash, Server, Step};
use mailwire_sasl::{ChannelBinding, ChannelBindingType, Limits, Mechanism};

fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let n = n.min(data.len());
    let (head, tail) = data.split_at(n);
    *data = tail;
    head
}

fn byte(data: &mut &[u8]) -> u8 {
    take(data, 1).first().copied().unwrap_or(0)
}

/// Runs the server side of `mechanism` on a script; panics only if an
/// invariant of the API is broken.
pub fn server(mechanism: Mechanism, mut data: &[u8]) {
    let flags = byte(&mut data);
    let mut limits = Limits::default();
    limits.max_message_len = 512;
    limits.max_round_trips = 6;
    let mut config = server::Config::new()
        .with_limits(limits)
        .with_cram_md5_challenge("<1.2@host>");
    if flags & 1 != 0 {
        config = config.with_random(&[3; 16]);
    }
    if flags & 2 != 0 {
        config = config.with_nonce("snonce");
    }
    if flags & 4 != 0 {
        config = config.with_channel_binding(ChannelBinding::new(
            ChannelBindingType::TlsExporter,
            [1u8; 4],
        ));
    }
    let mut s = Server::new(mechanism, &config);
    if flags & 8 != 0 {
        s = s.final_data_as_challenge();
    }
    let mut ops = 0;
    while !data.is_empty() && ops < 16 {
        ops += 1;
        let op = byte(&mut data);
        let step = match op % 5 {
            0 => s.start(),
            1 | 2 => {
                let len = usize::from(byte(&mut data)) * 3;
                let msg = take(&mut data, len);
                s.step(msg)
            }
            3 => {
                let kind = byte(&mut data);
                let len = usize::from(byte(&mut data) % 32);
                let arg = take(&mut data, len);
                let text = String::from_utf8_lossy(arg).into_owned();
                let answer = match kind % 7 {
                    0 => Answer::Accept,
                    1 => Answer::AcceptAs(text),
                    2 => Answer::Reject,
                    3 => Answer::Secret(arg.into()),
                    4 => Answer::ScramCredentials(ScramCredentials::derive(
                        ScramHash::Sha1,
                        arg,
                        b"salt",
                        1,
                    )),
                    5 => Answer::ScramCredentials(ScramCredentials::derive(
                        ScramHash::Sha256,
                        arg,
                        b"salt",
                        1,
                    )),
                    _ => Answer::TokenRejected(OAuthError::new(text)),
                };
                s.answer(answer)
            }
            _ => s.cancel(),
        };
        match step {
            Step::Success(o) => {
                assert!(s.is_finished());
                let _ = o.identity();
            }
            Step::Failure(e) => {
                assert!(s.is_finished());
                let _ = (e.to_string(), e.category());
            }
            Step::Challenge(c) => {
                assert!(!s.is_finished());
                assert!(c.len() <= 4096);
            }
            Step::Need(_) => assert!(!s.is_finished()),
            _ => {}
        }
    }
}

/// Runs the client side of `mechanism` against arbitrary challenges.
pub fn client(mechanism: Mechanism, mut data: &[u8]) {
    let flags = byte(&mut data);
    let mut config = client::Config::new()
        .with_random(&[4; 18])
        .with_iteration_range(1, 64);
    if flags & 1 != 0 {
        config = config.with_channel_binding(ChannelBinding::new(
            ChannelBindingType::TlsExporter,
            [1u8; 4],
        ));
    }
    let credentials = match mechanism {
        Mechanism::XOAuth2 | Mechanism::OAuthBearer => Credentials::token("u@x", "tok"),
        Mechanism::External => Credentials::external(),
        Mechanism::Anonymous => Credentials::anonymous("trace"),
        _ => Credentials::password("u,=", "pw").with_authzid("z"),
    };
    let Ok(mut c) = Client::new(mechanism, credentials, &config) else {
        return;
    };
    if flags & 2 != 0 {
        let _ = c.initial_response();
    }
    let mut ops = 0;
    while !data.is_empty() && ops < 8 {
        ops += 1;
        let len = usize::from(byte(&mut data)) * 2;
        let challenge = take(&mut data, len);
        if byte(&mut data).is_multiple_of(4) {
            let _ = c.finish(Some(challenge));
        } else {
            let _ = c.step(challenge);
        }
        let _ = c.is_complete();
    }
}
