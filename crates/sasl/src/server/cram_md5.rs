//! CRAM-MD5, RFC 2195.

use super::{Answer, Config, Mech, Outcome, Request, Step, utf8};
use crate::{Error, Mechanism, crypto};

const M: Mechanism = Mechanism::CramMd5;

#[derive(Debug, Default)]
pub(super) struct CramMd5 {
    challenge: Option<String>,
    pending: Option<(String, [u8; 16])>,
}

/// Parses the response `user SP digest` (RFC 2195 §2), digest being 32
/// hex digits (lower case per the RFC; upper case accepted).
pub(crate) fn parse(input: &[u8]) -> Result<(String, [u8; 16]), Error> {
    let Some(space) = input.iter().rposition(|b| *b == b' ') else {
        return Err(Error::malformed(M, input.len(), "expected user SP digest"));
    };
    let (user, hexdigest) = (&input[..space], &input[space + 1..]);
    if user.is_empty() {
        return Err(Error::malformed(M, 0, "empty user name"));
    }
    if let Some(i) = user.iter().position(|b| *b == 0) {
        return Err(Error::malformed(M, i, "NUL in user name"));
    }
    let user = utf8(M, user, 0)?;
    if hexdigest.len() != 32 {
        return Err(Error::malformed(M, space + 1, "expected 32 hex digits"));
    }
    let mut digest = [0u8; 16];
    for (i, pair) in hexdigest.chunks_exact(2).enumerate() {
        let (Some(hi), Some(lo)) = (hex_val(pair[0]), hex_val(pair[1])) else {
            return Err(Error::BadEncoding {
                mechanism: M,
                what: "hex",
            });
        };
        digest[i] = hi << 4 | lo;
    }
    Ok((user.to_owned(), digest))
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl Mech for CramMd5 {
    fn start(&mut self, config: &Config) -> Step {
        match &config.cram_md5_challenge {
            Some(c) if !c.is_empty() => {
                self.challenge = Some(c.clone());
                Step::Challenge(c.as_bytes().to_vec())
            }
            _ => Step::Failure(Error::Misconfigured("cram-md5 challenge")),
        }
    }

    fn step(&mut self, _: &Config, input: &[u8]) -> Step {
        if self.challenge.is_none() || self.pending.is_some() {
            return Step::Failure(Error::InvalidState("cram-md5: unexpected response"));
        }
        match parse(input) {
            Ok((authcid, digest)) => {
                self.pending = Some((authcid.clone(), digest));
                Step::Need(Request::Secret { authcid })
            }
            Err(e) => Step::Failure(e),
        }
    }

    fn answer(&mut self, _: &Config, answer: Answer) -> Step {
        let (Some((authcid, digest)), Some(challenge)) = (self.pending.take(), &self.challenge)
        else {
            return Step::Failure(Error::InvalidState("no pending cram-md5 request"));
        };
        match answer {
            Answer::Secret(secret) => {
                let expected = crypto::hmac_md5(secret.expose(), challenge.as_bytes());
                if crypto::ct_eq(&expected, &digest) {
                    Step::Success(Outcome::new(authcid, None))
                } else {
                    Step::Failure(Error::AuthenticationFailed)
                }
            }
            Answer::Reject => Step::Failure(Error::AuthenticationFailed),
            _ => Step::Failure(Error::InvalidState(
                "Secret takes Answer::Secret or Answer::Reject",
            )),
        }
    }
}
