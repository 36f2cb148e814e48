//! Answering requests from an in-memory credential store.

use std::collections::BTreeMap;

use super::{Answer, Request, ScramCredentials, ScramHash, Server, Step};
use crate::{Secret, crypto};

/// Where the application keeps its users, for [`drive`]. Every method has
/// a default that refuses, so implement only what your mechanisms need.
pub trait CredentialStore {
    /// PLAIN, LOGIN: is `password` right for `authcid`? Compare in constant
    /// time ([`Secret`]'s `==` does).
    fn verify_password(&self, authcid: &str, password: &Secret) -> bool {
        let _ = (authcid, password);
        false
    }

    /// CRAM-MD5: the plaintext shared secret of `authcid`.
    fn secret(&self, authcid: &str) -> Option<Secret> {
        let _ = authcid;
        None
    }

    /// SCRAM: the stored credentials of `authcid` for `hash`.
    fn scram_credentials(&self, authcid: &str, hash: ScramHash) -> Option<ScramCredentials> {
        let _ = (authcid, hash);
        None
    }

    /// XOAUTH2, OAUTHBEARER: the identity a valid bearer token belongs to
    /// (`user` is what the client claimed, if anything), `None` if the
    /// token is not valid for it.
    fn verify_token(&self, user: Option<&str>, token: &Secret) -> Option<String> {
        let _ = (user, token);
        None
    }

    /// EXTERNAL: the identity established outside SASL (TLS client
    /// certificate), `None` if there is none.
    fn external_identity(&self) -> Option<String> {
        None
    }

    /// ANONYMOUS: allow it? (`trace` is for logging.)
    fn allow_anonymous(&self, trace: &str) -> bool {
        let _ = trace;
        false
    }

    /// May `authcid` act as `authzid`? Default: only as itself.
    fn authorize(&self, authcid: &str, authzid: &str) -> bool {
        authcid == authzid
    }
}

/// The answer `store` gives to `request`.
pub fn answer<S: CredentialStore + ?Sized>(store: &S, request: &Request) -> Answer {
    let authorized = |authcid: &str, authzid: &Option<String>| match authzid {
        Some(z) => store.authorize(authcid, z),
        None => true,
    };
    let yes_no = |ok: bool| if ok { Answer::Accept } else { Answer::Reject };
    match request {
        Request::VerifyPassword {
            authcid,
            authzid,
            password,
        } => yes_no(store.verify_password(authcid, password) && authorized(authcid, authzid)),
        Request::Secret { authcid } => store.secret(authcid).map_or(Answer::Reject, Answer::Secret),
        Request::ScramCredentials {
            authcid,
            authzid,
            hash,
        } => match store.scram_credentials(authcid, *hash) {
            Some(c) if authorized(authcid, authzid) => Answer::ScramCredentials(c),
            _ => Answer::Reject,
        },
        Request::VerifyToken { user, token, .. } => {
            match store.verify_token(user.as_deref(), token) {
                Some(identity) => Answer::AcceptAs(identity),
                None => Answer::Reject,
            }
        }
        Request::External { authzid } => match store.external_identity() {
            Some(identity) if authorized(&identity, authzid) => Answer::AcceptAs(identity),
            _ => Answer::Reject,
        },
        Request::Anonymous { trace } => yes_no(store.allow_anonymous(trace)),
    }
}

/// Answers every [`Step::Need`] in `step` from `store` and returns the
/// first step that is not a `Need` (a challenge to send, success or
/// failure).
///
/// ```
/// use mailwire_sasl::server::{drive, Config, PasswordMap, Server, Step};
/// use mailwire_sasl::Mechanism;
///
/// let mut users = PasswordMap::new(b"per-deployment secret salt key");
/// users.insert("tim", "tanstaaftanstaaf");
/// let mut server = Server::new(Mechanism::Plain, &Config::new());
/// let step = server.step(b"\0tim\0tanstaaftanstaaf");
/// let Step::Success(outcome) = drive(&mut server, &users, step) else { panic!() };
/// assert_eq!(outcome.authcid, "tim");
/// ```
pub fn drive<S: CredentialStore + ?Sized>(server: &mut Server, store: &S, step: Step) -> Step {
    let mut step = step;
    while let Step::Need(request) = &step {
        let a = answer(store, request);
        step = server.answer(a);
    }
    step
}

/// A [`CredentialStore`] of plaintext passwords in memory, for examples and
/// tests: serves PLAIN, LOGIN, CRAM-MD5 and SCRAM (credentials derived on
/// each request from the password, a salt computed as
/// HMAC-SHA-256(salt key, user name) and 4096 iterations by default).
#[derive(Debug, Clone)]
pub struct PasswordMap {
    users: BTreeMap<String, Secret>,
    salt_key: Secret,
    iterations: u32,
}

impl PasswordMap {
    /// An empty map. `salt_key` makes the derived SCRAM salts differ from
    /// those of other deployments; keep it stable so salts are too.
    #[must_use]
    pub fn new(salt_key: &[u8]) -> Self {
        Self {
            users: BTreeMap::new(),
            salt_key: Secret::new(salt_key),
            iterations: 4096,
        }
    }

    /// Sets the SCRAM iteration count (default 4096).
    #[must_use]
    pub fn with_iterations(mut self, iterations: u32) -> Self {
        self.iterations = iterations.max(1);
        self
    }

    /// Adds or replaces a user.
    pub fn insert(&mut self, user: impl Into<String>, password: impl Into<Secret>) {
        self.users.insert(user.into(), password.into());
    }
}

impl CredentialStore for PasswordMap {
    fn verify_password(&self, authcid: &str, password: &Secret) -> bool {
        self.users.get(authcid).is_some_and(|p| p == password)
    }

    fn secret(&self, authcid: &str) -> Option<Secret> {
        self.users.get(authcid).cloned()
    }

    fn scram_credentials(&self, authcid: &str, hash: ScramHash) -> Option<ScramCredentials> {
        let password = self.users.get(authcid)?;
        let salt = crypto::hmac(
            ScramHash::Sha256,
            self.salt_key.expose(),
            authcid.as_bytes(),
        );
        let salt = salt.get(..16).unwrap_or(&salt);
        Some(ScramCredentials::derive(
            hash,
            password.expose(),
            salt,
            self.iterations,
        ))
    }
}
