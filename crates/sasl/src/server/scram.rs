//! SCRAM-SHA-1/-256 and -PLUS, RFC 5802 and RFC 7677 (server side).

use super::{Answer, Config, Mech, Outcome, Request, Step, utf8};
use crate::scram::{
    CbFlag, ScramCredentials, ScramHash, b64, b64_encode, is_attr_val, is_printable_nonce,
    parse_gs2_header, parts, unescape_saslname,
};
use crate::{Error, Mechanism, crypto};

#[derive(Debug)]
struct First {
    /// The gs2 header plus channel binding data: what `c=` must decode to.
    cbind_input: Vec<u8>,
    authcid: String,
    authzid: Option<String>,
    client_first_bare: String,
    nonce: String,
}

#[derive(Debug)]
struct Final {
    cbind_input: Vec<u8>,
    authcid: String,
    authzid: Option<String>,
    nonce: String,
    /// `client-first-message-bare "," server-first-message ","`.
    auth_prefix: String,
    credentials: ScramCredentials,
    /// The user was unknown: the exchange continues with made-up
    /// credentials so that a client cannot tell, and fails at the end.
    unknown_user: bool,
}

#[derive(Debug)]
enum State {
    Initial,
    AwaitCredentials(Box<First>),
    AwaitFinal(Box<Final>),
    Done,
}

#[derive(Debug)]
pub(super) struct Scram {
    mechanism: Mechanism,
    hash: ScramHash,
    state: State,
}

impl Scram {
    pub(super) fn new(mechanism: Mechanism) -> Self {
        Self {
            mechanism,
            hash: ScramHash::of(mechanism).unwrap_or(ScramHash::Sha256),
            state: State::Initial,
        }
    }

    fn client_first(&self, config: &Config, input: &[u8]) -> Result<First, Error> {
        let m = self.mechanism;
        let msg = utf8(m, input, 0)?;
        let header = parse_gs2_header(m, msg)?;
        let mut cbind_input = header.text.as_bytes().to_vec();
        match header.flag {
            CbFlag::Used(name) => {
                if !m.uses_channel_binding() {
                    return Err(Error::ChannelBindingFlag {
                        reason: "p= (channel binding) with a non-PLUS mechanism",
                    });
                }
                if config.channel_bindings.is_empty() {
                    return Err(Error::Misconfigured("channel binding data"));
                }
                let Some(cb) = config
                    .channel_bindings
                    .iter()
                    .find(|cb| cb.kind().as_str() == name)
                else {
                    return Err(Error::ChannelBindingMismatch);
                };
                cbind_input.extend_from_slice(cb.data());
            }
            CbFlag::No | CbFlag::Yes if m.uses_channel_binding() => {
                return Err(Error::ChannelBindingFlag {
                    reason: "a -PLUS mechanism requires the p= flag",
                });
            }
            CbFlag::Yes if config.has_channel_binding() => {
                return Err(Error::ChannelBindingFlag {
                    reason: "client chose no channel binding (y) although the server offers it",
                });
            }
            CbFlag::No | CbFlag::Yes => {}
        }
        let base = header.text.len();
        let bare = &msg[base..];
        let mut it = parts(bare);
        let username = match it.next() {
            Some((_, p)) if p.starts_with("m=") => return Err(Error::UnsupportedExtension),
            Some((at, p)) => match p.strip_prefix("n=") {
                Some(name) => unescape_saslname(m, name, base + at + 2)?,
                None => {
                    return Err(Error::malformed(
                        m,
                        base + at,
                        "expected username \"n=\" saslname",
                    ));
                }
            },
            None => return Err(Error::malformed(m, base, "expected username")),
        };
        let cnonce = match it.next() {
            Some((at, p)) => match p.strip_prefix("r=") {
                Some(n) if is_printable_nonce(n) => n,
                _ => {
                    return Err(Error::malformed(
                        m,
                        base + at,
                        "expected nonce \"r=\" printable",
                    ));
                }
            },
            None => return Err(Error::malformed(m, msg.len(), "expected \",r=\" nonce")),
        };
        for (at, ext) in it {
            if !is_attr_val(ext) {
                return Err(Error::malformed(
                    m,
                    base + at,
                    "expected extension ALPHA \"=\" value",
                ));
            }
        }
        let snonce = server_nonce(config, bare)?;
        Ok(First {
            cbind_input,
            authcid: username,
            authzid: header.authzid,
            client_first_bare: bare.to_owned(),
            nonce: format!("{cnonce}{snonce}"),
        })
    }

    fn server_first(
        &mut self,
        first: First,
        credentials: ScramCredentials,
        unknown_user: bool,
    ) -> Step {
        let server_first = format!(
            "r={},s={},i={}",
            first.nonce,
            b64_encode(credentials.salt()),
            credentials.iterations()
        );
        let auth_prefix = format!("{},{},", first.client_first_bare, server_first);
        self.state = State::AwaitFinal(Box::new(Final {
            cbind_input: first.cbind_input,
            authcid: first.authcid,
            authzid: first.authzid,
            nonce: first.nonce,
            auth_prefix,
            credentials,
            unknown_user,
        }));
        Step::Challenge(server_first.into_bytes())
    }

    fn client_final(&self, f: &Final, input: &[u8]) -> Result<Outcome, Error> {
        let m = self.mechanism;
        let msg = utf8(m, input, 0)?;
        let all: Vec<(usize, &str)> = parts(msg).collect();
        let [(_, cb), (r_at, r), middle @ .., (p_at, p)] = all.as_slice() else {
            return Err(Error::malformed(m, msg.len(), "expected c=...,r=...,p=..."));
        };
        let Some(cb) = cb.strip_prefix("c=") else {
            return Err(Error::malformed(
                m,
                0,
                "expected channel-binding \"c=\" base64",
            ));
        };
        let Some(nonce) = r.strip_prefix("r=") else {
            return Err(Error::malformed(m, *r_at, "expected nonce \"r=\""));
        };
        for (at, ext) in middle {
            if !is_attr_val(ext) {
                return Err(Error::malformed(
                    m,
                    *at,
                    "expected extension ALPHA \"=\" value",
                ));
            }
        }
        let Some(proof) = p.strip_prefix("p=") else {
            return Err(Error::malformed(
                m,
                *p_at,
                "expected proof \"p=\" base64 last",
            ));
        };
        if b64(m, cb)? != f.cbind_input {
            return Err(Error::ChannelBindingMismatch);
        }
        if nonce != f.nonce {
            return Err(Error::NonceMismatch);
        }
        let proof = b64(m, proof)?;
        let without_proof = &msg[..p_at - 1];
        let auth_message = format!("{}{}", f.auth_prefix, without_proof);
        let c = &f.credentials;
        let client_signature = crypto::hmac(self.hash, c.stored_key(), auth_message.as_bytes());
        let client_key = crypto::xor(&proof, &client_signature);
        let ok = proof.len() == self.hash.output_len()
            && crypto::ct_eq(&crypto::h(self.hash, &client_key), c.stored_key());
        if f.unknown_user {
            return Err(Error::AuthenticationFailed);
        }
        if !ok {
            return Err(Error::InvalidProof);
        }
        let server_signature = crypto::hmac(self.hash, c.server_key(), auth_message.as_bytes());
        let mut outcome = Outcome::new(f.authcid.clone(), f.authzid.clone());
        outcome.additional_data = Some(format!("v={}", b64_encode(&server_signature)).into_bytes());
        Ok(outcome)
    }
}

/// The server nonce: configured verbatim; or HMAC-SHA-256 keyed with the
/// connection's random bytes and fresh OS randomness (`getrandom`
/// feature), over the client's first message; or, without the feature,
/// keyed with the random bytes alone.
fn server_nonce(config: &Config, client_first_bare: &str) -> Result<String, Error> {
    if let Some(n) = &config.nonce {
        if !is_printable_nonce(n) {
            return Err(Error::Misconfigured("printable server nonce without ','"));
        }
        return Ok(n.clone());
    }
    let mut key = match &config.random {
        Some(seed) if seed.len() >= 16 => seed.expose().to_vec(),
        Some(_) => return Err(Error::Misconfigured("Config::with_random needs 16+ bytes")),
        None => Vec::new(),
    };
    if let Some(os) = crypto::os_random(24) {
        key.extend_from_slice(&os);
    }
    if key.is_empty() {
        return Err(Error::Misconfigured(
            "server nonce (Config::with_random, 16+ bytes)",
        ));
    }
    let mac = crypto::hmac(ScramHash::Sha256, &key, client_first_bare.as_bytes());
    key.fill(0);
    Ok(b64_encode(&mac).trim_end_matches('=').to_owned())
}

impl Mech for Scram {
    fn start(&mut self, _: &Config) -> Step {
        Step::Challenge(Vec::new())
    }

    fn step(&mut self, config: &Config, input: &[u8]) -> Step {
        match core::mem::replace(&mut self.state, State::Done) {
            State::Initial => match self.client_first(config, input) {
                Ok(first) => {
                    let request = Request::ScramCredentials {
                        authcid: first.authcid.clone(),
                        authzid: first.authzid.clone(),
                        hash: self.hash,
                    };
                    self.state = State::AwaitCredentials(Box::new(first));
                    Step::Need(request)
                }
                Err(e) => Step::Failure(e),
            },
            State::AwaitFinal(f) => match self.client_final(&f, input) {
                Ok(outcome) => Step::Success(outcome),
                Err(e) => Step::Failure(e),
            },
            State::AwaitCredentials(_) | State::Done => {
                Step::Failure(Error::InvalidState("scram: unexpected response"))
            }
        }
    }

    fn answer(&mut self, config: &Config, answer: Answer) -> Step {
        let State::AwaitCredentials(first) = core::mem::replace(&mut self.state, State::Done)
        else {
            return Step::Failure(Error::InvalidState("no pending scram request"));
        };
        match answer {
            Answer::ScramCredentials(c) if c.hash() == self.hash => {
                self.server_first(*first, c, false)
            }
            Answer::ScramCredentials(_) => {
                Step::Failure(Error::InvalidState("scram credentials for the wrong hash"))
            }
            Answer::Reject => {
                // Made-up credentials (RFC 5802 §5.1 lets the server
                // simulate an unknown user). The salt is stable per user
                // for as long as `Config::with_random` is, so that two
                // attempts look alike; best effort, since the real salts
                // live in the application.
                let key = config
                    .random
                    .as_ref()
                    .map_or(&b"mailwire-sasl"[..], |r| r.expose());
                let salt = crypto::hmac(ScramHash::Sha256, key, first.authcid.as_bytes());
                let key = crypto::hmac(self.hash, &salt, b"unknown user");
                let fake = ScramCredentials::from_parts(
                    self.hash,
                    salt.get(..16).unwrap_or(&salt).to_vec(),
                    4096,
                    key.clone(),
                    key,
                );
                match fake {
                    Ok(c) => self.server_first(*first, c, true),
                    Err(_) => Step::Failure(Error::AuthenticationFailed),
                }
            }
            _ => Step::Failure(Error::InvalidState(
                "ScramCredentials takes Answer::ScramCredentials or Answer::Reject",
            )),
        }
    }
}
