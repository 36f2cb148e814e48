//! The client side: one [`Client`] per exchange.
//!
//! 1. `Client::new(mechanism, credentials, &config)`;
//! 2. if the protocol allows an initial response (SMTP `AUTH x <ir>`,
//!    IMAP SASL-IR, POP3 `AUTH x <ir>`), send [`Client::initial_response`]
//!    with the command (an empty one is sent as `=`); otherwise send the
//!    command alone;
//! 3. for every challenge (`334 `, `+ `), base64-decode it and send the
//!    encoded result of [`Client::step`]; on `Err`, cancel with `*`;
//! 4. on the success reply, call [`Client::finish`] with the success data
//!    if the protocol carries any: SCRAM fails here if the server never
//!    proved that it knows the password.

mod scram;

use crate::{ChannelBinding, Error, Limits, Mechanism, Secret};

/// What the client authenticates with. Which constructor fits which
/// mechanism: [`Credentials::password`] for PLAIN, LOGIN, CRAM-MD5 and
/// SCRAM; [`Credentials::token`] for XOAUTH2 and OAUTHBEARER;
/// [`Credentials::external`] for EXTERNAL; [`Credentials::anonymous`] for
/// ANONYMOUS.
#[derive(Debug, Clone)]
pub struct Credentials {
    authcid: String,
    authzid: Option<String>,
    secret: Option<Secret>,
    kind: Kind,
    host: Option<(String, u16)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Password,
    Token,
    External,
    Anonymous,
}

impl Credentials {
    /// A user name and password.
    #[must_use]
    pub fn password(authcid: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            authcid: authcid.into(),
            authzid: None,
            secret: Some(password.into()),
            kind: Kind::Password,
            host: None,
        }
    }

    /// An OAuth 2.0 bearer token for `user` (XOAUTH2 requires the user;
    /// for OAUTHBEARER it is sent as the gs2 authzid if not empty).
    #[must_use]
    pub fn token(user: impl Into<String>, token: impl Into<Secret>) -> Self {
        Self {
            authcid: user.into(),
            authzid: None,
            secret: Some(token.into()),
            kind: Kind::Token,
            host: None,
        }
    }

    /// EXTERNAL: the identity comes from the TLS client certificate; set an
    /// authzid with [`Credentials::with_authzid`] to act as someone else.
    #[must_use]
    pub fn external() -> Self {
        Self {
            authcid: String::new(),
            authzid: None,
            secret: None,
            kind: Kind::External,
            host: None,
        }
    }

    /// ANONYMOUS with a trace string (an email address or an opaque token
    /// without `@`, at most 255 characters; may be empty).
    #[must_use]
    pub fn anonymous(trace: impl Into<String>) -> Self {
        Self {
            authcid: trace.into(),
            authzid: None,
            secret: None,
            kind: Kind::Anonymous,
            host: None,
        }
    }

    /// The authorization identity to act as (PLAIN, SCRAM, EXTERNAL).
    #[must_use]
    pub fn with_authzid(mut self, authzid: impl Into<String>) -> Self {
        self.authzid = Some(authzid.into());
        self
    }

    /// OAUTHBEARER: the host name and port the client connected to, sent
    /// as `host=` and `port=`.
    #[must_use]
    pub fn with_host(mut self, host: impl Into<String>, port: u16) -> Self {
        self.host = Some((host.into(), port));
        self
    }

    fn fits(&self, m: Mechanism) -> bool {
        match m {
            Mechanism::XOAuth2 | Mechanism::OAuthBearer => self.kind == Kind::Token,
            Mechanism::External => self.kind == Kind::External,
            Mechanism::Anonymous => self.kind == Kind::Anonymous,
            _ => self.kind == Kind::Password,
        }
    }

    /// Values that would break the mechanism's framing are a caller error.
    fn check(&self, m: Mechanism) -> Result<(), Error> {
        let has = |s: &str, bad: fn(char) -> bool| s.chars().any(bad);
        let authzid = self.authzid.as_deref().unwrap_or("");
        let ok = match m {
            Mechanism::Plain => !has(&self.authcid, |c| c == '\0') && !has(authzid, |c| c == '\0'),
            Mechanism::XOAuth2 | Mechanism::OAuthBearer => {
                let host = self.host.as_ref().map_or("", |(h, _)| h.as_str());
                !has(&self.authcid, char::is_control)
                    && !has(host, |c| c.is_control() || c == ' ')
                    && !self
                        .secret()
                        .iter()
                        .any(|b| b.is_ascii_control() || *b == b' ')
            }
            _ => !has(&self.authcid, |c| c == '\0') && !has(authzid, |c| c == '\0'),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::Misconfigured(
                "credentials without NUL (or, for OAuth, control characters and spaces)",
            ))
        }
    }

    fn secret(&self) -> &[u8] {
        self.secret.as_ref().map_or(&[][..], Secret::expose)
    }
}

/// Client configuration. Sans-IO: the SCRAM client nonce comes in as a
/// value.
#[derive(Debug, Clone)]
pub struct Config {
    limits: Limits,
    nonce: Option<String>,
    channel_binding: Option<ChannelBinding>,
    min_iterations: u32,
    max_iterations: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            nonce: None,
            channel_binding: None,
            min_iterations: 4096,
            max_iterations: 1_000_000,
        }
    }
}

impl Config {
    /// Defaults: no nonce (with the default `getrandom` feature SCRAM then
    /// draws one from the OS), no channel binding, SCRAM iteration counts
    /// 4096..=1,000,000 accepted.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the limits on server challenges.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The SCRAM client nonce, verbatim: fresh per exchange, printable
    /// ASCII without `,`. Prefer [`Config::with_random`].
    #[must_use]
    pub fn with_nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(nonce.into());
        self
    }

    /// Fresh random bytes (at least 16, from a CSPRNG) for this exchange;
    /// the SCRAM client nonce is their base64 encoding.
    #[must_use]
    pub fn with_random(mut self, random: &[u8]) -> Self {
        self.nonce = Some(crate::scram::b64_encode(random));
        self
    }

    /// Channel binding data of the TLS connection. Required for the
    /// `-PLUS` mechanisms; with a non-PLUS SCRAM mechanism it makes the
    /// client send the `y` flag (RFC 5802 §6), so only supply it when the
    /// server's list really lacked the `-PLUS` variant.
    #[must_use]
    pub fn with_channel_binding(mut self, binding: ChannelBinding) -> Self {
        self.channel_binding = Some(binding);
        self
    }

    /// The SCRAM iteration counts the client accepts from a server (a
    /// huge count is a denial of service on the client).
    #[must_use]
    pub fn with_iteration_range(mut self, min: u32, max: u32) -> Self {
        self.min_iterations = min.max(1);
        self.max_iterations = max.max(self.min_iterations);
        self
    }
}

/// Picks the strongest mechanism (in [`Mechanism::ALL`] order) that the
/// server `offered` and that these credentials and config can do: `-PLUS`
/// only with channel binding data, and on a connection without `tls`
/// nothing that sends a password or token in the clear
/// ([`Mechanism::requires_tls`]).
///
/// ```
/// use mailwire_sasl::client::{choose, Config, Credentials};
/// use mailwire_sasl::Mechanism;
/// let offered = [Mechanism::Plain, Mechanism::Login, Mechanism::ScramSha1Plus, Mechanism::ScramSha1];
/// let creds = Credentials::password("tim", "secret");
/// assert_eq!(choose(offered, &creds, &Config::new(), true), Some(Mechanism::ScramSha1));
/// assert_eq!(choose([Mechanism::Plain], &creds, &Config::new(), true), Some(Mechanism::Plain));
/// assert_eq!(choose([Mechanism::Plain], &creds, &Config::new(), false), None);
/// ```
pub fn choose(
    offered: impl IntoIterator<Item = Mechanism>,
    credentials: &Credentials,
    config: &Config,
    tls: bool,
) -> Option<Mechanism> {
    let mut set = 0u16;
    for m in offered {
        set |= m.bit();
    }
    Mechanism::ALL.into_iter().find(|m| {
        set & m.bit() != 0
            && credentials.fits(*m)
            && (!m.uses_channel_binding() || config.channel_binding.is_some())
            && (tls || !m.requires_tls())
    })
}

#[derive(Debug)]
enum State {
    /// Nothing sent yet.
    Initial,
    /// LOGIN: user name sent, password next.
    LoginPassword,
    /// SCRAM in progress.
    Scram(Box<scram::ScramClient>),
    /// OAuth: the server sent an error document.
    OAuthError(String),
    /// Everything sent; waiting for the outcome.
    Sent,
}

/// One client-side SASL exchange. See the [module documentation](self).
///
/// ```
/// use mailwire_sasl::client::{Client, Config, Credentials};
/// use mailwire_sasl::Mechanism;
/// let mut c = Client::new(Mechanism::Plain, Credentials::password("tim", "tanstaaf"), &Config::new())?;
/// assert_eq!(c.initial_response().as_deref(), Some(&b"\0tim\0tanstaaf"[..]));
/// assert!(c.is_complete());
/// c.finish(None)?;
/// # Ok::<(), mailwire_sasl::Error>(())
/// ```
#[derive(Debug)]
pub struct Client {
    mechanism: Mechanism,
    credentials: Credentials,
    config: Config,
    state: State,
    challenges: u32,
    failed: bool,
}

impl Client {
    /// A new exchange.
    ///
    /// # Errors
    /// [`Error::Misconfigured`] if the credentials do not fit the mechanism
    /// (a token for PLAIN, ...), SCRAM lacks a client nonce (only without
    /// the `getrandom` feature), or a `-PLUS`
    /// mechanism lacks channel binding data.
    pub fn new(
        mechanism: Mechanism,
        credentials: Credentials,
        config: &Config,
    ) -> Result<Self, Error> {
        if !credentials.fits(mechanism) {
            return Err(Error::Misconfigured(
                "credentials of the kind this mechanism needs",
            ));
        }
        if mechanism.is_scram() {
            scram::check_config(mechanism, config)?;
        }
        credentials.check(mechanism)?;
        Ok(Self {
            mechanism,
            credentials,
            config: config.clone(),
            state: State::Initial,
            challenges: 0,
            failed: false,
        })
    }

    /// The mechanism of this exchange.
    #[must_use]
    pub fn mechanism(&self) -> Mechanism {
        self.mechanism
    }

    /// The initial response to send with the command, or `None` for
    /// mechanisms that have none (CRAM-MD5, LOGIN). `Some(empty)` must be
    /// sent as `=`. Call at most once, before [`Client::step`]; if the
    /// protocol cannot send it, don't call this: the first (empty)
    /// challenge then makes [`Client::step`] return it.
    pub fn initial_response(&mut self) -> Option<Vec<u8>> {
        if !matches!(self.state, State::Initial)
            || matches!(self.mechanism, Mechanism::CramMd5 | Mechanism::Login)
        {
            return None;
        }
        self.first_message().ok()
    }

    fn first_message(&mut self) -> Result<Vec<u8>, Error> {
        let c = &self.credentials;
        let msg = match self.mechanism {
            Mechanism::Plain => {
                let mut v = Vec::new();
                v.extend_from_slice(c.authzid.as_deref().unwrap_or("").as_bytes());
                v.push(0);
                v.extend_from_slice(c.authcid.as_bytes());
                v.push(0);
                v.extend_from_slice(c.secret());
                v
            }
            Mechanism::External => c.authzid.clone().unwrap_or_default().into_bytes(),
            Mechanism::Anonymous => c.authcid.clone().into_bytes(),
            Mechanism::XOAuth2 => {
                let mut v = format!("user={}\u{1}auth=Bearer ", c.authcid).into_bytes();
                v.extend_from_slice(c.secret());
                v.extend_from_slice(b"\x01\x01");
                v
            }
            Mechanism::OAuthBearer => {
                let mut v = b"n,".to_vec();
                if !c.authcid.is_empty() {
                    v.extend_from_slice(b"a=");
                    v.extend_from_slice(crate::scram::escape_saslname(&c.authcid).as_bytes());
                }
                v.extend_from_slice(b",\x01");
                if let Some((host, port)) = &c.host {
                    v.extend_from_slice(format!("host={host}\u{1}port={port}\u{1}").as_bytes());
                }
                v.extend_from_slice(b"auth=Bearer ");
                v.extend_from_slice(c.secret());
                v.extend_from_slice(b"\x01\x01");
                v
            }
            m if m.is_scram() => {
                let (client, first) = scram::ScramClient::start(m, c, &self.config)?;
                self.state = State::Scram(Box::new(client));
                return Ok(first);
            }
            _ => return Err(Error::InvalidState("mechanism has no initial response")),
        };
        self.state = State::Sent;
        Ok(msg)
    }

    /// The response to a (base64-decoded) server challenge.
    ///
    /// # Errors
    /// A typed error if the challenge is malformed, too large, one too
    /// many, or (SCRAM) fails verification; the protocol crate then
    /// cancels the exchange (`*`).
    pub fn step(&mut self, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        if self.failed {
            return Err(Error::InvalidState("exchange already failed"));
        }
        let r = self.step_inner(challenge);
        if r.is_err() {
            self.failed = true;
        }
        r
    }

    fn step_inner(&mut self, challenge: &[u8]) -> Result<Vec<u8>, Error> {
        self.challenges = self.challenges.saturating_add(1);
        let limits = self.config.limits;
        if self.challenges > limits.max_round_trips {
            return Err(Error::TooManyRoundTrips {
                max: limits.max_round_trips,
            });
        }
        if challenge.len() > limits.max_message_len {
            return Err(Error::TooLarge {
                len: challenge.len(),
                max: limits.max_message_len,
            });
        }
        let m = self.mechanism;
        match core::mem::replace(&mut self.state, State::Sent) {
            State::Initial => match m {
                Mechanism::Login => {
                    // Any prompt is accepted: servers differ ("Username:",
                    // "User Name", ...).
                    self.state = State::LoginPassword;
                    Ok(self.credentials.authcid.clone().into_bytes())
                }
                Mechanism::CramMd5 => {
                    if challenge.is_empty() {
                        return Err(Error::malformed(m, 0, "empty cram-md5 challenge"));
                    }
                    let hex = crate::crypto::hex(&crate::crypto::hmac_md5(
                        self.credentials.secret(),
                        challenge,
                    ));
                    Ok(format!("{} {hex}", self.credentials.authcid).into_bytes())
                }
                _ => {
                    if !challenge.is_empty() {
                        return Err(Error::malformed(m, 0, "expected an empty first challenge"));
                    }
                    self.state = State::Initial;
                    self.first_message()
                }
            },
            State::LoginPassword => Ok(self.credentials.secret().to_vec()),
            State::Scram(mut client) => {
                let r = client.step(challenge);
                self.state = State::Scram(client);
                r
            }
            State::Sent if matches!(m, Mechanism::XOAuth2 | Mechanism::OAuthBearer) => {
                let json = String::from_utf8_lossy(challenge).into_owned();
                self.state = State::OAuthError(json);
                // RFC 7628 §3.2.3: the dummy response; XOAUTH2 uses empty.
                Ok(if m == Mechanism::OAuthBearer {
                    vec![1]
                } else {
                    Vec::new()
                })
            }
            State::Sent | State::OAuthError(_) => Err(Error::malformed(
                m,
                0,
                "unexpected challenge after the last response",
            )),
        }
    }

    /// `true` once every message of the mechanism has been produced (the
    /// outcome is up to the server).
    #[must_use]
    pub fn is_complete(&self) -> bool {
        match &self.state {
            State::Sent | State::OAuthError(_) => true,
            State::Scram(s) => s.is_complete(),
            State::Initial | State::LoginPassword => false,
        }
    }

    /// The OAuth error document the server sent, if any.
    #[must_use]
    pub fn oauth_error(&self) -> Option<&str> {
        match &self.state {
            State::OAuthError(json) => Some(json),
            _ => None,
        }
    }

    /// The server reported success, with `additional_data` if its reply
    /// carried some (SCRAM server-final).
    ///
    /// # Errors
    /// SCRAM: [`Error::InvalidServerSignature`] if the server's signature
    /// is missing or wrong, [`Error::ServerError`] for `e=`. Others:
    /// [`Error::InvalidState`] if the exchange is not complete.
    pub fn finish(&mut self, additional_data: Option<&[u8]>) -> Result<(), Error> {
        match &mut self.state {
            State::Scram(s) => s.finish(additional_data),
            State::Sent => match additional_data {
                None | Some([]) => Ok(()),
                Some(_) => Err(Error::malformed(
                    self.mechanism,
                    0,
                    "unexpected success data",
                )),
            },
            _ => Err(Error::InvalidState(
                "finish before the exchange is complete",
            )),
        }
    }
}
