//! The server side: one [`Server`] per exchange.
//!
//! A [`Server`] is a sans-IO state machine. The protocol crate creates one
//! when the client sends `AUTH`/`AUTHENTICATE` with a mechanism the
//! [`Policy`](crate::Policy) allows, then:
//!
//! 1. with an initial response (SASL-IR, `AUTH PLAIN <ir>`; `=` means an
//!    empty one): calls [`Server::step`] with the decoded bytes;
//!    without: calls [`Server::start`];
//! 2. acts on the returned [`Step`]:
//!    * [`Step::Challenge`]: base64-encode it, send it (`334 `, `+ `),
//!      read the client's line; `*` → [`Server::cancel`], otherwise decode
//!      and [`Server::step`] again;
//!    * [`Step::Need`]: ask the application (an event of the protocol
//!      crate); pass its decision to [`Server::answer`];
//!    * [`Step::Success`]: authenticated as [`Outcome::authcid`], acting
//!      as [`Outcome::identity`]. If [`Outcome::additional_data`] is set
//!      (SCRAM's server-final message), send it with the success reply if
//!      the protocol can, or create the server with
//!      [`Server::final_data_as_challenge`] so that it arrives as one more
//!      challenge instead (SMTP, RFC 4954 §4; IMAP4rev1);
//!    * [`Step::Failure`]: failed; [`Error::category`] picks the reply.
//!
//! [`drive`] answers [`Step::Need`] from a [`CredentialStore`] for
//! applications that keep their users in memory.

mod anonymous;
mod cram_md5;
mod external;
mod login;
mod oauth;
mod plain;
mod scram;
mod store;

pub use crate::scram::{ScramCredentials, ScramHash};
use crate::{ChannelBinding, Error, Limits, Mechanism, Secret};
pub use oauth::OAuthError;
pub use store::{CredentialStore, PasswordMap, answer, drive};

/// Server configuration, shared by all exchanges of a connection (or a
/// whole server). Sans-IO: randomness and time come in as values.
///
/// ```
/// use mailwire_sasl::server::{cram_md5_challenge, Config};
/// let config = Config::new()
///     .with_random(&[7u8; 32]) // fresh per connection, from the OS RNG
///     .with_cram_md5_challenge(cram_md5_challenge(4711, 1_700_000_000, "mx.example.org"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Config {
    limits: Limits,
    nonce: Option<String>,
    random: Option<Secret>,
    cram_md5_challenge: Option<String>,
    channel_bindings: Vec<ChannelBinding>,
    oauth_error: OAuthError,
}

impl Config {
    /// Default limits, no randomness, no channel binding.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The SCRAM server nonce (`s-nonce`) to use, verbatim. It must be
    /// fresh for every exchange and printable ASCII without `,`
    /// (RFC 5802 §7); a bad nonce fails the exchange with
    /// [`Error::Misconfigured`]. Prefer [`Config::with_random`].
    #[must_use]
    pub fn with_nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(nonce.into());
        self
    }

    /// Secret random bytes (at least 16, from a CSPRNG), fresh for every
    /// connection. Without [`Config::with_nonce`], SCRAM derives its server
    /// nonce as HMAC-SHA-256(random ‖ OS randomness,
    /// client-first-message-bare). With the default `getrandom` feature the
    /// OS randomness alone makes every nonce fresh and this is optional;
    /// without it, these bytes are the only source, and reusing them
    /// across connections lets an eavesdropper replay a recorded SCRAM
    /// exchange of a client that reuses its nonce.
    #[must_use]
    pub fn with_random(mut self, random: &[u8]) -> Self {
        self.random = Some(Secret::new(random));
        self
    }

    /// The CRAM-MD5 challenge, verbatim (RFC 2195 §2: a msg-id such as
    /// `<1896.697170952@postoffice.reston.mci.net>`); see
    /// [`cram_md5_challenge`]. Must be unique per exchange.
    #[must_use]
    pub fn with_cram_md5_challenge(mut self, challenge: impl Into<String>) -> Self {
        self.cram_md5_challenge = Some(challenge.into());
        self
    }

    /// Adds channel binding data of the TLS connection, for the SCRAM
    /// `-PLUS` mechanisms. Supplying any also tells SCRAM that this server
    /// offers the `-PLUS` variants, so a client that answers with the `y`
    /// flag (RFC 5802 §6) is treated as a downgrade attack.
    #[must_use]
    pub fn with_channel_binding(mut self, binding: ChannelBinding) -> Self {
        self.channel_bindings.push(binding);
        self
    }

    /// The OAuth error document sent (as a challenge) when a token is
    /// rejected with [`Answer::Reject`] or is empty: typically with the
    /// `scope` and `openid-configuration` discovery values of RFC 7628
    /// §3.2.2. Default: `{"status":"invalid_token"}`.
    #[must_use]
    pub fn with_oauth_error(mut self, error: OAuthError) -> Self {
        self.oauth_error = error;
        self
    }

    /// The limits.
    #[must_use]
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Whether channel binding data was supplied.
    #[must_use]
    pub fn has_channel_binding(&self) -> bool {
        !self.channel_bindings.is_empty()
    }
}

/// Builds an RFC 2195 style challenge `<random.time@hostname>` from a
/// random number, the current Unix time and the server's host name.
#[must_use]
pub fn cram_md5_challenge(random: u64, unix_time: u64, hostname: &str) -> String {
    format!("<{random}.{unix_time}@{hostname}>")
}

/// What the server mechanism wants next.
#[must_use = "a Step must be acted on"]
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Send this challenge to the client (base64-encoded, after `334 ` or
    /// `+ `; it may be empty) and pass its response to [`Server::step`].
    Challenge(Vec<u8>),
    /// The application must decide; pass its decision to
    /// [`Server::answer`].
    Need(Request),
    /// Authenticated.
    Success(Outcome),
    /// Authentication failed; the exchange is over.
    Failure(Error),
}

/// A question for the application. Answer with [`Server::answer`]; each
/// variant says which [`Answer`]s fit.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// PLAIN, LOGIN: is `password` right for `authcid`, and (if `authzid`
    /// is set and differs) may `authcid` act as `authzid`?
    /// [`Answer::Accept`] or [`Answer::Reject`].
    VerifyPassword {
        /// Authentication identity (user name).
        authcid: String,
        /// Requested authorization identity, if any.
        authzid: Option<String>,
        /// The password the client sent.
        password: Secret,
    },
    /// CRAM-MD5: the shared secret (plaintext password) of `authcid`.
    /// [`Answer::Secret`], or [`Answer::Reject`] for an unknown user.
    Secret {
        /// Authentication identity.
        authcid: String,
    },
    /// SCRAM: the stored credentials of `authcid` for `hash`, after
    /// checking that `authcid` may act as `authzid` if set.
    /// [`Answer::ScramCredentials`], or [`Answer::Reject`] (unknown user,
    /// not authorized).
    ScramCredentials {
        /// Authentication identity (after `=2C`/`=3D` unescaping).
        authcid: String,
        /// Requested authorization identity, if any.
        authzid: Option<String>,
        /// The hash function of the mechanism.
        hash: ScramHash,
    },
    /// XOAUTH2, OAUTHBEARER: is this bearer token valid (for `user` if
    /// set)? [`Answer::Accept`] (identity `user`), [`Answer::AcceptAs`]
    /// (identity taken from the token; required when `user` is `None`),
    /// [`Answer::Reject`] or [`Answer::TokenRejected`].
    VerifyToken {
        /// XOAUTH2 `user=`, or OAUTHBEARER's gs2 authzid `a=`.
        user: Option<String>,
        /// The bearer token.
        token: Secret,
        /// OAUTHBEARER `host=`, to compare with the server's own name
        /// (RFC 7628 §3.2).
        host: Option<String>,
        /// OAUTHBEARER `port=`.
        port: Option<u16>,
    },
    /// EXTERNAL: who is the client according to the external channel (TLS
    /// client certificate), and may it act as `authzid`?
    /// [`Answer::AcceptAs`] with the external identity, [`Answer::Accept`]
    /// (identity = `authzid`, which must then be set) or [`Answer::Reject`].
    External {
        /// Requested authorization identity; `None` means "derive it from
        /// the external credentials".
        authzid: Option<String>,
    },
    /// ANONYMOUS: allow anonymous access? The trace string is for logging
    /// only (RFC 4505 §3). [`Answer::Accept`] or [`Answer::Reject`].
    Anonymous {
        /// The client's trace information (may be empty).
        trace: String,
    },
}

/// The application's decision on a [`Request`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Yes.
    Accept,
    /// Yes, and the authentication identity is this (EXTERNAL, OAuth).
    AcceptAs(String),
    /// No (wrong password, unknown user, not authorized).
    Reject,
    /// The stored secret for [`Request::Secret`].
    Secret(Secret),
    /// The stored credentials for [`Request::ScramCredentials`].
    ScramCredentials(ScramCredentials),
    /// OAuth: no, with this error document instead of the configured one.
    TokenRejected(OAuthError),
}

/// A successful authentication.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The authentication identity (for ANONYMOUS: `"anonymous"`).
    pub authcid: String,
    /// The authorization identity the client asked to act as, if any.
    pub authzid: Option<String>,
    /// Data to send with the success reply (SCRAM server-final
    /// `v=...`), unless the server was created with
    /// [`Server::final_data_as_challenge`].
    pub additional_data: Option<Vec<u8>>,
}

impl Outcome {
    pub(crate) fn new(authcid: String, authzid: Option<String>) -> Self {
        Self {
            authcid,
            authzid,
            additional_data: None,
        }
    }

    /// The identity the session acts as: the authzid if given, else the
    /// authcid.
    #[must_use]
    pub fn identity(&self) -> &str {
        self.authzid.as_deref().unwrap_or(&self.authcid)
    }
}

/// The mechanism-specific part of a server exchange.
trait Mech {
    fn start(&mut self, config: &Config) -> Step;
    fn step(&mut self, config: &Config, input: &[u8]) -> Step;
    fn answer(&mut self, config: &Config, answer: Answer) -> Step;
}

#[derive(Debug)]
enum Inner {
    Plain(plain::Plain),
    Login(login::Login),
    CramMd5(cram_md5::CramMd5),
    Scram(scram::Scram),
    OAuth(oauth::OAuth),
    External(external::External),
    Anonymous(anonymous::Anonymous),
}

impl Inner {
    fn mech(&mut self) -> &mut dyn Mech {
        match self {
            Self::Plain(m) => m,
            Self::Login(m) => m,
            Self::CramMd5(m) => m,
            Self::Scram(m) => m,
            Self::OAuth(m) => m,
            Self::External(m) => m,
            Self::Anonymous(m) => m,
        }
    }
}

#[derive(Debug)]
enum Phase {
    Initial,
    AwaitResponse,
    AwaitAnswer,
    AwaitFinalAck(Outcome),
    Done,
}

/// One server-side SASL exchange. See the [module documentation](self)
/// for the run loop; every method returns the next [`Step`].
#[derive(Debug)]
pub struct Server {
    mechanism: Mechanism,
    config: Config,
    inner: Inner,
    phase: Phase,
    responses: u32,
    final_as_challenge: bool,
}

impl Server {
    /// A new exchange for `mechanism`. Configuration this mechanism needs
    /// but lacks is reported as [`Step::Failure`] with
    /// [`Error::Misconfigured`] by the first call.
    #[must_use]
    pub fn new(mechanism: Mechanism, config: &Config) -> Self {
        let inner = match mechanism {
            Mechanism::Plain => Inner::Plain(plain::Plain::default()),
            Mechanism::Login => Inner::Login(login::Login::default()),
            Mechanism::CramMd5 => Inner::CramMd5(cram_md5::CramMd5::default()),
            Mechanism::ScramSha1
            | Mechanism::ScramSha1Plus
            | Mechanism::ScramSha256
            | Mechanism::ScramSha256Plus => Inner::Scram(scram::Scram::new(mechanism)),
            Mechanism::XOAuth2 | Mechanism::OAuthBearer => {
                Inner::OAuth(oauth::OAuth::new(mechanism))
            }
            Mechanism::External => Inner::External(external::External::default()),
            Mechanism::Anonymous => Inner::Anonymous(anonymous::Anonymous::default()),
        };
        Self {
            mechanism,
            config: config.clone(),
            inner,
            phase: Phase::Initial,
            responses: 0,
            final_as_challenge: false,
        }
    }

    /// Sends data that accompanies success ([`Outcome::additional_data`],
    /// SCRAM's server-final message) as a last [`Step::Challenge`]
    /// instead; the client must answer it with an empty response, after
    /// which [`Step::Success`] comes without additional data. Use this for
    /// protocols whose success reply cannot carry data (SMTP, IMAP4rev1,
    /// POP3 per RFC 4422 §5 item 7).
    #[must_use]
    pub fn final_data_as_challenge(mut self) -> Self {
        self.final_as_challenge = true;
        self
    }

    /// The mechanism of this exchange.
    #[must_use]
    pub fn mechanism(&self) -> Mechanism {
        self.mechanism
    }

    /// `true` once [`Step::Success`] or [`Step::Failure`] was returned.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        matches!(self.phase, Phase::Done)
    }

    /// Starts an exchange without an initial response: the first
    /// challenge (CRAM-MD5's `<...>` string, LOGIN's `Username:`, empty
    /// for the others).
    pub fn start(&mut self) -> Step {
        if !matches!(self.phase, Phase::Initial) {
            return self.fail(Error::InvalidState("start called twice or after step"));
        }
        let step = self.inner.mech().start(&self.config);
        self.after(step)
    }

    /// Feeds the client's next (base64-decoded) response, or the initial
    /// response if called before [`Server::start`].
    pub fn step(&mut self, response: &[u8]) -> Step {
        match core::mem::replace(&mut self.phase, Phase::AwaitResponse) {
            Phase::Initial => {
                if !self.mechanism.allows_initial_response() {
                    return self.fail(Error::UnexpectedInitialResponse(self.mechanism));
                }
            }
            Phase::AwaitResponse => {}
            Phase::AwaitAnswer => {
                return self.fail(Error::InvalidState("step called while an answer is due"));
            }
            Phase::AwaitFinalAck(outcome) => {
                if let Some(step) = self.check_limits(response.len()) {
                    return step;
                }
                if !response.is_empty() {
                    return self.fail(Error::malformed(
                        self.mechanism,
                        0,
                        "expected an empty response after the final server message",
                    ));
                }
                self.phase = Phase::Done;
                return Step::Success(outcome);
            }
            Phase::Done => return self.fail(Error::InvalidState("exchange already finished")),
        }
        if let Some(step) = self.check_limits(response.len()) {
            return step;
        }
        let step = self.inner.mech().step(&self.config, response);
        self.after(step)
    }

    /// The application's answer to the last [`Step::Need`].
    pub fn answer(&mut self, answer: Answer) -> Step {
        if !matches!(self.phase, Phase::AwaitAnswer) {
            return self.fail(Error::InvalidState(
                "answer called without a pending request",
            ));
        }
        let step = self.inner.mech().answer(&self.config, answer);
        self.after(step)
    }

    /// The client cancelled (`*`). Always returns
    /// `Step::Failure(Error::Cancelled)` and ends the exchange.
    pub fn cancel(&mut self) -> Step {
        self.fail(Error::Cancelled)
    }

    fn check_limits(&mut self, len: usize) -> Option<Step> {
        self.responses = self.responses.saturating_add(1);
        let limits = self.config.limits;
        if self.responses > limits.max_round_trips {
            return Some(self.fail(Error::TooManyRoundTrips {
                max: limits.max_round_trips,
            }));
        }
        if len > limits.max_message_len {
            return Some(self.fail(Error::TooLarge {
                len,
                max: limits.max_message_len,
            }));
        }
        None
    }

    fn fail(&mut self, error: Error) -> Step {
        self.phase = Phase::Done;
        Step::Failure(error)
    }

    fn after(&mut self, step: Step) -> Step {
        match step {
            Step::Challenge(c) => {
                self.phase = Phase::AwaitResponse;
                Step::Challenge(c)
            }
            Step::Need(r) => {
                self.phase = Phase::AwaitAnswer;
                Step::Need(r)
            }
            Step::Success(mut outcome) => {
                if self.final_as_challenge
                    && let Some(data) = outcome.additional_data.take()
                {
                    self.phase = Phase::AwaitFinalAck(outcome);
                    return Step::Challenge(data);
                }
                self.phase = Phase::Done;
                Step::Success(outcome)
            }
            Step::Failure(e) => self.fail(e),
        }
    }
}

/// Splits off UTF-8 text, reporting the offset of a bad byte relative to
/// `base` within the whole message.
pub(crate) fn utf8(mechanism: Mechanism, bytes: &[u8], base: usize) -> Result<&str, Error> {
    core::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
        mechanism,
        offset: base + e.valid_up_to(),
    })
}
