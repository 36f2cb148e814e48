//! SCRAM client (RFC 5802 §3, §7).

use super::{Config, Credentials};
use crate::scram::{
    Keys, ScramHash, b64, b64_encode, escape_saslname, is_attr_val, is_printable_nonce, parts,
};
use crate::{Error, Mechanism, crypto};

#[derive(Debug)]
enum State {
    AwaitServerFirst,
    AwaitServerFinal { server_signature: Vec<u8> },
    Verified,
}

#[derive(Debug)]
pub(super) struct ScramClient {
    mechanism: Mechanism,
    hash: ScramHash,
    password: crate::Secret,
    cnonce: String,
    client_first_bare: String,
    cbind_input: Vec<u8>,
    min_iterations: u32,
    max_iterations: u32,
    state: State,
}

pub(super) fn check_config(m: Mechanism, config: &Config) -> Result<(), Error> {
    match &config.nonce {
        Some(n) if is_printable_nonce(n) => {}
        Some(_) => return Err(Error::Misconfigured("printable client nonce without ','")),
        None if cfg!(feature = "getrandom") => {}
        None => return Err(Error::Misconfigured("client nonce (Config::with_random)")),
    }
    if m.uses_channel_binding() && config.channel_binding.is_none() {
        return Err(Error::Misconfigured("channel binding data"));
    }
    Ok(())
}

impl ScramClient {
    /// Builds `client-first-message`.
    pub(super) fn start(
        m: Mechanism,
        credentials: &Credentials,
        config: &Config,
    ) -> Result<(Self, Vec<u8>), Error> {
        check_config(m, config)?;
        let cnonce = match &config.nonce {
            Some(n) => n.clone(),
            None => match crypto::os_random(18) {
                Some(r) => b64_encode(&r),
                None => return Err(Error::Misconfigured("client nonce (Config::with_random)")),
            },
        };
        let mut header = match (&config.channel_binding, m.uses_channel_binding()) {
            (Some(cb), true) => format!("p={},", cb.kind()),
            (Some(_), false) => "y,".to_owned(),
            (None, _) => "n,".to_owned(),
        };
        if let Some(z) = &credentials.authzid {
            header.push_str("a=");
            header.push_str(&escape_saslname(z));
        }
        header.push(',');
        let mut cbind_input = header.clone().into_bytes();
        if m.uses_channel_binding()
            && let Some(cb) = &config.channel_binding
        {
            cbind_input.extend_from_slice(cb.data());
        }
        let bare = format!("n={},r={cnonce}", escape_saslname(&credentials.authcid));
        let first = format!("{header}{bare}").into_bytes();
        Ok((
            Self {
                mechanism: m,
                hash: ScramHash::of(m).unwrap_or(ScramHash::Sha256),
                password: credentials.secret.clone().unwrap_or_default(),
                cnonce,
                client_first_bare: bare,
                cbind_input,
                min_iterations: config.min_iterations,
                max_iterations: config.max_iterations,
                state: State::AwaitServerFirst,
            },
            first,
        ))
    }

    pub(super) fn step(&mut self, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        match &self.state {
            State::AwaitServerFirst => self.client_final(challenge),
            State::AwaitServerFinal { .. } => {
                self.verify(challenge)?;
                Ok(Vec::new())
            }
            State::Verified => Err(Error::malformed(
                self.mechanism,
                0,
                "unexpected challenge after server-final",
            )),
        }
    }

    /// Parses `server-first-message` and builds `client-final-message`.
    fn client_final(&mut self, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        let m = self.mechanism;
        let msg = crate::server::utf8(m, challenge, 0)?;
        let mut it = parts(msg);
        let nonce = match it.next() {
            Some((_, p)) if p.starts_with("m=") => return Err(Error::UnsupportedExtension),
            Some((_, p)) => match p.strip_prefix("r=") {
                Some(n) if is_printable_nonce(n) => n,
                _ => return Err(Error::malformed(m, 0, "expected nonce \"r=\" printable")),
            },
            None => return Err(Error::malformed(m, 0, "expected nonce")),
        };
        if !nonce.starts_with(&self.cnonce) || nonce.len() == self.cnonce.len() {
            return Err(Error::NonceMismatch);
        }
        let salt = match it.next() {
            Some((_, p)) => match p.strip_prefix("s=") {
                Some(s) if !s.is_empty() => b64(m, s)?,
                _ => return Err(Error::malformed(m, 0, "expected salt \"s=\" base64")),
            },
            None => return Err(Error::malformed(m, msg.len(), "expected \",s=\" salt")),
        };
        let iterations = match it.next() {
            Some((at, p)) => match p.strip_prefix("i=") {
                Some(i) if !i.starts_with('0') && i.bytes().all(|b| b.is_ascii_digit()) => {
                    i.parse::<u32>().map_err(|_| Error::IterationCount {
                        iterations: u32::MAX,
                        min: self.min_iterations,
                        max: self.max_iterations,
                    })?
                }
                _ => {
                    return Err(Error::malformed(
                        m,
                        at,
                        "expected iteration-count \"i=\" posit-number",
                    ));
                }
            },
            None => {
                return Err(Error::malformed(
                    m,
                    msg.len(),
                    "expected \",i=\" iteration count",
                ));
            }
        };
        for (at, ext) in it {
            if !is_attr_val(ext) {
                return Err(Error::malformed(
                    m,
                    at,
                    "expected extension ALPHA \"=\" value",
                ));
            }
        }
        if !(self.min_iterations..=self.max_iterations).contains(&iterations) {
            return Err(Error::IterationCount {
                iterations,
                min: self.min_iterations,
                max: self.max_iterations,
            });
        }
        let password = crate::scram::normalize(self.password.expose());
        let salted = crypto::hi(self.hash, &password, &salt, iterations);
        let keys = Keys::from_salted(self.hash, &salted);
        let without_proof = format!("c={},r={nonce}", b64_encode(&self.cbind_input));
        let auth_message = format!("{},{msg},{without_proof}", self.client_first_bare);
        let client_signature = crypto::hmac(self.hash, &keys.stored_key, auth_message.as_bytes());
        let proof = crypto::xor(&keys.client_key, &client_signature);
        let server_signature = crypto::hmac(self.hash, &keys.server_key, auth_message.as_bytes());
        self.state = State::AwaitServerFinal { server_signature };
        Ok(format!("{without_proof},p={}", b64_encode(&proof)).into_bytes())
    }

    /// Checks `server-final-message = (server-error / verifier) ["," extensions]`.
    fn verify(&mut self, data: &[u8]) -> Result<(), Error> {
        let m = self.mechanism;
        let State::AwaitServerFinal { server_signature } = &self.state else {
            return Err(Error::InvalidState("no server-final expected"));
        };
        let msg = crate::server::utf8(m, data, 0)?;
        let first = msg.split(',').next().unwrap_or("");
        if let Some(e) = first.strip_prefix("e=") {
            return Err(Error::ServerError(e.to_owned()));
        }
        let Some(v) = first.strip_prefix("v=") else {
            return Err(Error::malformed(
                m,
                0,
                "expected verifier \"v=\" or server-error \"e=\"",
            ));
        };
        if !crypto::ct_eq(&b64(m, v)?, server_signature) {
            return Err(Error::InvalidServerSignature);
        }
        self.state = State::Verified;
        Ok(())
    }

    pub(super) fn is_complete(&self) -> bool {
        !matches!(self.state, State::AwaitServerFirst)
    }

    pub(super) fn finish(&mut self, data: Option<&[u8]>) -> Result<(), Error> {
        match (&self.state, data) {
            (State::Verified, None | Some([])) => Ok(()),
            (State::Verified, Some(_)) => Err(Error::malformed(
                self.mechanism,
                0,
                "server-final sent twice",
            )),
            (State::AwaitServerFinal { .. }, Some(d)) if !d.is_empty() => self.verify(d),
            (State::AwaitServerFinal { .. }, _) => Err(Error::InvalidServerSignature),
            (State::AwaitServerFirst, _) => Err(Error::InvalidState(
                "finish before the exchange is complete",
            )),
        }
    }
}
