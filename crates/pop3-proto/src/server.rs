//! The server state machine: AUTHORIZATION → TRANSACTION → UPDATE
//! (RFC 1939 section 3).

use std::collections::VecDeque;

use bytes::{BufMut, Bytes, BytesMut};
use md5::{Digest as _, Md5};
use subtle::ConstantTimeEq as _;

use crate::capability::{Capabilities, Capability, Expire};
use crate::command::{Command, Secret};
use crate::error::{MisuseError, ParseError, auth_failed};
use crate::limits::Limits;
use crate::line::{Line, LineReader};
use crate::multiline::{Stuffer, put_line};
use crate::response::{Response, ResponseCode, decode_base64, encode_base64};
use mailwire_sasl::server::{Answer, Config as SaslConfig, Request, Server as SaslServer, Step};
use mailwire_sasl::{ErrorCategory, Mechanism, Policy};

/// Server configuration.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// Greeting text after `+OK` (the APOP timestamp is appended).
    pub greeting: String,
    /// The APOP timestamp, e.g. `<1896.697170952@dbc.mtview.ca.us>`: unique
    /// per connection, supplied by the application (the machine has no
    /// clock and no RNG). `None` disables APOP.
    pub apop_timestamp: Option<String>,
    /// `IMPLEMENTATION` capability text.
    pub implementation: Option<String>,
    /// STLS is offered (the driver can run a TLS handshake).
    pub stls: bool,
    /// The connection is already under TLS (implicit TLS, port 995).
    pub tls_active: bool,
    /// **Insecure**: allow USER/PASS without TLS, and offer AUTH
    /// mechanisms as if the connection were under TLS.
    pub insecure_allow_plaintext_auth: bool,
    /// Which SASL mechanisms AUTH offers before and after TLS (default:
    /// PLAIN after TLS only).
    pub sasl: Policy,
    /// Configuration of the SASL exchanges (randomness for SCRAM, the
    /// CRAM-MD5 challenge, channel binding): fresh per connection.
    pub sasl_config: SaslConfig,
    /// Advertise `PIPELINING` (the machine always answers in order).
    pub pipelining: bool,
    /// Advertise and accept `UTF8`; `Some(true)` also announces `USER`
    /// (UTF-8 user names and passwords).
    pub utf8: Option<bool>,
    /// `LOGIN-DELAY` to announce.
    pub login_delay: Option<u32>,
    /// `EXPIRE` to announce.
    pub expire: Option<Expire>,
    /// Limits.
    pub limits: Limits,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            greeting: "POP3 server ready".into(),
            apop_timestamp: None,
            implementation: None,
            stls: false,
            tls_active: false,
            insecure_allow_plaintext_auth: false,
            sasl: Policy::none().allow_after_tls(Mechanism::Plain),
            sasl_config: SaslConfig::new(),
            pipelining: true,
            utf8: None,
            login_delay: None,
            expire: None,
            limits: Limits::default(),
        }
    }
}

/// A message of the maildrop, as the application lists it when opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageInfo {
    /// Size in octets, as it will be sent (CRLF line ends, before stuffing).
    pub size: u64,
    /// Unique id (RFC 1939 section 7: 1 to 70 characters in `%x21-7E`).
    pub uid: String,
}

/// A message marked deleted, handed over in [`Event::Update`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    /// Message number (1-based, as in the session).
    pub msg: u32,
    /// Its unique id.
    pub uid: String,
}

/// How a password reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PasswordSource {
    /// `USER` / `PASS`.
    UserPass,
    /// AUTH with a password mechanism (PLAIN, LOGIN).
    Sasl(Mechanism),
}

/// Something the application must decide or know.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// Verify a password. Answer [`Server::accept_credentials`] or
    /// [`Server::reject`].
    VerifyPassword {
        /// The authentication identity (USER name or PLAIN authcid).
        user: String,
        /// The PLAIN authorization identity, if one was given.
        authzid: Option<String>,
        /// The password.
        password: Secret,
        /// Where it came from.
        source: PasswordSource,
    },
    /// APOP: supply the user's shared secret with [`Server::apop_secret`]
    /// (the machine computes and compares the digest), or [`Server::reject`]
    /// an unknown user.
    ApopSecret {
        /// The user.
        user: String,
    },
    /// An AUTH exchange needs the application (CRAM-MD5 secret, SCRAM
    /// credentials, token, EXTERNAL, ANONYMOUS): answer with
    /// [`Server::sasl_answer`] or [`Server::reject`]. Password mechanisms
    /// come as [`Event::VerifyPassword`] instead.
    Sasl {
        /// The mechanism.
        mechanism: Mechanism,
        /// What the mechanism needs.
        request: Request,
    },
    /// Authenticated: open and lock the maildrop. Answer
    /// [`Server::open_maildrop`], [`Server::maildrop_in_use`] or
    /// [`Server::reject`].
    OpenMaildrop {
        /// The user whose maildrop to open.
        user: String,
    },
    /// Send a message (RETR) or its header and first lines (TOP). Before
    /// UTF8 mode ([`Server::is_utf8`]) a message with raw UTF-8 headers
    /// must not be sent as is (RFC 6856 section 2.1): send a surrogate or
    /// reject with [`ResponseCode::Utf8`]. Call
    /// [`Server::message_data`] with chunks, then [`Server::message_end`];
    /// or [`Server::reject`] before the first chunk.
    Message {
        /// Message number (1-based).
        msg: u32,
        /// Index into the list given to [`Server::open_maildrop`].
        index: usize,
        /// Its unique id.
        uid: String,
        /// `Some(n)` for TOP: the machine cuts after the header and `n`
        /// body lines, and reports when it has enough.
        top_lines: Option<u32>,
    },
    /// UPDATE state after QUIT: delete these messages and release the
    /// maildrop, then [`Server::update_done`] (or [`Server::reject`]).
    /// This is the only way deletions reach the application: a dropped
    /// connection deletes nothing.
    Update {
        /// The user.
        user: String,
        /// Messages marked deleted.
        deleted: Vec<Deleted>,
    },
    /// UTF-8 mode was enabled (RFC 6856).
    Utf8Enabled,
    /// STLS was accepted; drain [`Server::poll_transmit`], then run the TLS
    /// handshake once [`Server::wants_tls_upgrade`] is true.
    StartTls,
    /// A command was refused with `-ERR` (informational).
    BadCommand {
        /// Why.
        error: ParseError,
    },
    /// A command came in a state where it is not allowed (informational).
    WrongState {
        /// Its keyword.
        keyword: &'static str,
    },
    /// The session is over: send what [`Server::poll_transmit`] still has,
    /// then close the connection.
    Closed,
}

#[derive(Debug)]
enum Pending {
    Credentials {
        user: String,
    },
    ApopSecret {
        user: String,
        digest: String,
    },
    Sasl(Box<SaslServer>),
    Maildrop {
        user: String,
    },
    Message {
        stuffer: Stuffer,
        started: bool,
        /// `None` for TOP.
        size: Option<u64>,
    },
    Update,
}

#[derive(Debug)]
enum Stage {
    Authorization {
        user: Option<String>,
    },
    Transaction {
        user: String,
        messages: Vec<MessageInfo>,
        deleted: Vec<bool>,
    },
    Update,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tls {
    Plain,
    /// `+OK` to STLS queued, not yet taken by poll_transmit.
    ReplyQueued,
    /// Waiting for the driver's handshake.
    Upgrading,
    Active,
}

/// The POP3 server state machine for one connection.
///
/// After [`Server::new`] (which queues the greeting) and after every
/// [`Server::feed`] or answer, drain [`Server::poll_transmit`] and then
/// [`Server::poll_event`]. One decision is outstanding at a time;
/// pipelined commands wait in the (bounded) input buffer and their replies
/// leave in order.
///
/// ```
/// use mailwire_pop3_proto::server::{Config, Event, MessageInfo, Server};
///
/// let mut config = Config::default();
/// config.insecure_allow_plaintext_auth = true;
/// let mut server = Server::new(config);
/// let mut wire = Vec::new();
/// server.feed(b"USER alice\r\nPASS secret\r\nSTAT\r\nQUIT\r\n");
/// loop {
///     while let Some(bytes) = server.poll_transmit() {
///         wire.extend_from_slice(&bytes);
///     }
///     match server.poll_event() {
///         Some(Event::VerifyPassword { password, .. }) => {
///             assert_eq!(password.expose(), b"secret");
///             server.accept_credentials().unwrap();
///         }
///         Some(Event::OpenMaildrop { .. }) => {
///             server.open_maildrop(vec![MessageInfo { size: 120, uid: "a1".into() }]).unwrap();
///         }
///         Some(Event::Update { deleted, .. }) => {
///             assert!(deleted.is_empty());
///             server.update_done().unwrap();
///         }
///         Some(Event::Closed) | None => break,
///         Some(_) => {}
///     }
/// }
/// let wire = String::from_utf8(wire).unwrap();
/// assert!(wire.contains("+OK 1 120\r\n"));
/// ```
#[derive(Debug)]
pub struct Server {
    config: Config,
    reader: LineReader,
    out: BytesMut,
    events: VecDeque<Event>,
    stage: Stage,
    pending: Option<Pending>,
    tls: Tls,
    /// An AUTH exchange waiting for the client's next line.
    auth: Option<Box<SaslServer>>,
    auth_steps: usize,
    utf8: bool,
    bad_commands: usize,
    auth_failures: usize,
    /// Messages left after UPDATE (for the QUIT reply).
    update_left: usize,
}

impl Server {
    /// A machine for a new connection; the greeting is queued.
    #[must_use]
    pub fn new(config: Config) -> Self {
        let tls = if config.tls_active {
            Tls::Active
        } else {
            Tls::Plain
        };
        let reader = LineReader::new(config.limits.max_command_line);
        let mut s = Self {
            config,
            reader,
            out: BytesMut::with_capacity(1024),
            events: VecDeque::new(),
            stage: Stage::Authorization { user: None },
            pending: None,
            tls,
            auth: None,
            auth_steps: 0,
            utf8: false,
            bad_commands: 0,
            auth_failures: 0,
            update_left: 0,
        };
        let text = match &s.config.apop_timestamp {
            Some(ts) => format!("{} {ts}", s.config.greeting),
            None => s.config.greeting.clone(),
        };
        s.reply(&Response::ok(text));
        s
    }

    /// Feeds bytes received from the client.
    pub fn feed(&mut self, input: &[u8]) {
        match (&self.stage, self.tls) {
            // Nothing after QUIT is read; nothing before the TLS handshake survives.
            (Stage::Closed | Stage::Update, _) | (_, Tls::ReplyQueued | Tls::Upgrading) => return,
            _ => {}
        }
        self.reader.push(input);
        self.process();
    }

    /// The next bytes to send.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        if self.out.is_empty() {
            return None;
        }
        if self.tls == Tls::ReplyQueued {
            self.tls = Tls::Upgrading;
        }
        Some(self.out.split().freeze())
    }

    /// The next event.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// True once the `+OK` to STLS has been taken by
    /// [`Server::poll_transmit`]: run the TLS handshake now, then call
    /// [`Server::tls_established`].
    #[must_use]
    pub fn wants_tls_upgrade(&self) -> bool {
        self.tls == Tls::Upgrading
    }

    /// The TLS handshake completed: the session restarts in AUTHORIZATION
    /// with nothing of the plaintext phase kept (RFC 2595 section 4).
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no upgrade was requested.
    pub fn tls_established(&mut self) -> Result<(), MisuseError> {
        if self.tls != Tls::Upgrading {
            return Err(MisuseError::NotPending);
        }
        self.tls = Tls::Active;
        self.reader.clear();
        self.stage = Stage::Authorization { user: None };
        self.auth = None;
        Ok(())
    }

    /// Whether the connection runs under TLS.
    #[must_use]
    pub fn is_tls(&self) -> bool {
        self.tls == Tls::Active
    }

    /// Whether the session is over (after the last bytes are sent).
    #[must_use]
    pub fn is_closed(&self) -> bool {
        matches!(self.stage, Stage::Closed)
    }

    /// Whether UTF-8 mode is on.
    #[must_use]
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// The authenticated user, in TRANSACTION.
    #[must_use]
    pub fn user(&self) -> Option<&str> {
        match &self.stage {
            Stage::Transaction { user, .. } => Some(user),
            _ => None,
        }
    }

    /// The capabilities CAPA announces in the current state.
    #[must_use]
    pub fn capabilities(&self) -> Capabilities {
        let c = &self.config;
        let mut caps = Capabilities::new();
        caps.insert(Capability::Top);
        caps.insert(Capability::Uidl);
        caps.insert(Capability::RespCodes);
        if c.pipelining {
            caps.insert(Capability::Pipelining);
        }
        if let Some(d) = c.login_delay {
            caps.insert(Capability::LoginDelay {
                seconds: d,
                per_user: false,
            });
        }
        if let Some(e) = c.expire {
            caps.insert(Capability::Expire {
                policy: e,
                per_user: false,
            });
        }
        if let Some(user) = c.utf8 {
            caps.insert(Capability::Utf8 { user });
        }
        if matches!(self.stage, Stage::Authorization { .. }) {
            let plain_ok = self.plaintext_allowed();
            if plain_ok {
                caps.insert(Capability::User);
            }
            let mechs: Vec<String> = c
                .sasl
                .offered(plain_ok)
                .map(|m| m.as_str().to_owned())
                .collect();
            if !mechs.is_empty() {
                caps.insert(Capability::Sasl(mechs));
            }
            if c.stls && self.tls == Tls::Plain && !self.utf8 {
                caps.insert(Capability::Stls);
            }
        }
        if let Some(i) = &c.implementation {
            caps.insert(Capability::Implementation(i.clone()));
        }
        caps
    }

    fn plaintext_allowed(&self) -> bool {
        self.tls == Tls::Active || self.config.insecure_allow_plaintext_auth
    }

    // ---- answers -------------------------------------------------------

    /// Accepts the credentials of [`Event::VerifyPassword`] or a relayed
    /// SASL exchange; the machine asks to [`Event::OpenMaildrop`] next.
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no such decision is outstanding.
    pub fn accept_credentials(&mut self) -> Result<(), MisuseError> {
        match self.pending.take() {
            Some(Pending::Credentials { user }) => {
                self.auth = None;
                self.open(user);
            }
            Some(Pending::Sasl(sm)) => self.sasl_step(sm, |sm| sm.answer(Answer::Accept)),
            other => {
                self.pending = other;
                return Err(MisuseError::NotPending);
            }
        }
        self.process();
        Ok(())
    }

    /// Supplies the shared secret for [`Event::ApopSecret`]; the machine
    /// compares `MD5(timestamp secret)` with the client's digest in
    /// constant time (RFC 1939 section 7).
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no such decision is outstanding.
    pub fn apop_secret(&mut self, secret: &Secret) -> Result<(), MisuseError> {
        let Some(Pending::ApopSecret { user, digest }) = self.pending.take() else {
            return Err(MisuseError::NotPending);
        };
        let ts = self.config.apop_timestamp.clone().unwrap_or_default();
        let mut h = Md5::new();
        h.update(ts.as_bytes());
        h.update(secret.expose());
        let expected = hex_lower(&h.finalize());
        let given = digest.to_ascii_lowercase();
        if bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
            self.open(user);
        } else {
            self.auth_failed(&auth_failed());
        }
        self.process();
        Ok(())
    }

    /// Answers [`Event::Sasl`] with the SASL crate's [`Answer`].
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no SASL request is outstanding.
    pub fn sasl_answer(&mut self, answer: Answer) -> Result<(), MisuseError> {
        let Some(Pending::Sasl(sm)) = self.pending.take() else {
            return Err(MisuseError::NotPending);
        };
        self.sasl_step(sm, |sm| sm.answer(answer));
        self.process();
        Ok(())
    }

    /// Answers [`Event::OpenMaildrop`]: the maildrop is open and locked,
    /// with these messages (numbered from 1 in this order).
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no such decision is outstanding.
    pub fn open_maildrop(&mut self, messages: Vec<MessageInfo>) -> Result<(), MisuseError> {
        let Some(Pending::Maildrop { user }) = self.pending.take() else {
            return Err(MisuseError::NotPending);
        };
        let total: u64 = messages.iter().map(|m| m.size).sum();
        self.reply(&Response::ok(format!(
            "{user}'s maildrop has {} messages ({total} octets)",
            messages.len()
        )));
        let deleted = vec![false; messages.len()];
        self.stage = Stage::Transaction {
            user,
            messages,
            deleted,
        };
        self.process();
        Ok(())
    }

    /// Answers [`Event::OpenMaildrop`]: another session holds the lock
    /// (`-ERR [IN-USE]`, RFC 2449 section 8.1.2).
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no such decision is outstanding.
    pub fn maildrop_in_use(&mut self) -> Result<(), MisuseError> {
        if !matches!(self.pending, Some(Pending::Maildrop { .. })) {
            return Err(MisuseError::NotPending);
        }
        self.reject(Response::err("maildrop already locked").with_code(ResponseCode::InUse))
    }

    /// Streams a chunk of the message of [`Event::Message`] (drain
    /// [`Server::poll_transmit`] between chunks so memory stays bounded by
    /// the chunk size). Content should use CRLF line ends (bare LF is sent
    /// as CRLF, so sizes announced in LIST should count CRLF). Returns
    /// `false` once TOP has all it needs (further chunks are ignored; call
    /// [`Server::message_end`]).
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no message is being sent.
    pub fn message_data(&mut self, chunk: &[u8]) -> Result<bool, MisuseError> {
        let Some(Pending::Message {
            stuffer,
            started,
            size,
        }) = &mut self.pending
        else {
            return Err(MisuseError::NotPending);
        };
        if !*started {
            *started = true;
            message_ok(*size).write_to(&mut self.out);
        }
        Ok(stuffer.write(chunk, &mut self.out))
    }

    /// Ends the message of [`Event::Message`] (writes the `.` line).
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no message is being sent.
    pub fn message_end(&mut self) -> Result<(), MisuseError> {
        let Some(Pending::Message {
            mut stuffer,
            started,
            size,
        }) = self.pending.take()
        else {
            return Err(MisuseError::NotPending);
        };
        if !started {
            message_ok(size).write_to(&mut self.out);
        }
        stuffer.finish(&mut self.out);
        self.process();
        Ok(())
    }

    /// Answers [`Event::Update`]: deletions done, maildrop released.
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if no such decision is outstanding.
    pub fn update_done(&mut self) -> Result<(), MisuseError> {
        if !matches!(self.pending, Some(Pending::Update)) {
            return Err(MisuseError::NotPending);
        }
        self.pending = None;
        let left = match std::mem::replace(&mut self.update_left, 0) {
            0 => "maildrop empty".to_owned(),
            1 => "1 message left".to_owned(),
            n => format!("{n} messages left"),
        };
        self.reply(&Response::ok(format!("POP3 server signing off ({left})")));
        self.close();
        Ok(())
    }

    /// Refuses the outstanding decision with `-ERR` and this response's
    /// code and text (the status is forced to `-ERR`). For credentials this
    /// counts as a failed attempt; for a message already started the
    /// connection is closed (POP3 cannot abort a multi-line response).
    ///
    /// # Errors
    /// [`MisuseError::NotPending`] if nothing is outstanding.
    pub fn reject(&mut self, response: Response<'_>) -> Result<(), MisuseError> {
        let mut response = response;
        response.status = crate::response::Status::Err;
        match self.pending.take() {
            None => return Err(MisuseError::NotPending),
            Some(Pending::Credentials { .. } | Pending::ApopSecret { .. } | Pending::Sasl(_)) => {
                self.auth = None;
                self.auth_failed(&response);
            }
            Some(Pending::Maildrop { .. }) => {
                self.stage = Stage::Authorization { user: None };
                self.reply(&response);
            }
            Some(Pending::Message { started: true, .. }) => self.close(),
            Some(Pending::Message { started: false, .. }) => self.reply(&response),
            Some(Pending::Update) => {
                self.reply(&response);
                self.close();
            }
        }
        self.process();
        Ok(())
    }

    // ---- internals -----------------------------------------------------

    fn reply(&mut self, r: &Response<'_>) {
        r.write_to(&mut self.out);
    }

    fn challenge(&mut self, data: &[u8]) {
        self.out.put_slice(b"+ ");
        self.out.put_slice(encode_base64(data).as_bytes());
        self.out.put_slice(b"\r\n");
    }

    fn close(&mut self) {
        if !matches!(self.stage, Stage::Closed) {
            self.stage = Stage::Closed;
            self.pending = None;
            self.reader.clear();
            self.events.push_back(Event::Closed);
        }
    }

    fn open(&mut self, user: String) {
        self.stage = Stage::Authorization { user: None };
        self.events
            .push_back(Event::OpenMaildrop { user: user.clone() });
        self.pending = Some(Pending::Maildrop { user });
    }

    fn auth_failed(&mut self, response: &Response<'_>) {
        self.stage = Stage::Authorization { user: None };
        self.auth_failures += 1;
        self.reply(response);
        if self.auth_failures >= self.config.limits.max_auth_failures {
            self.reply(&Response::err("too many authentication failures"));
            self.close();
        }
    }

    fn bad(&mut self, error: ParseError) {
        self.bad_commands += 1;
        if self.bad_commands > self.config.limits.max_bad_commands {
            self.reply(&Response::err("too many bad commands, closing"));
            self.close();
            return;
        }
        self.reply(&error.to_response());
        self.events.push_back(Event::BadCommand { error });
    }

    fn wrong_state(&mut self, keyword: &'static str) {
        self.bad_commands += 1;
        if self.bad_commands > self.config.limits.max_bad_commands {
            self.reply(&Response::err("too many bad commands, closing"));
            self.close();
            return;
        }
        self.reply(&Response::err("command not valid in this state"));
        self.events.push_back(Event::WrongState { keyword });
    }

    fn process(&mut self) {
        while self.pending.is_none()
            && !matches!(self.stage, Stage::Closed | Stage::Update)
            && self.tls != Tls::ReplyQueued
        {
            let Some(line) = self.reader.next_line() else {
                break;
            };
            match line {
                Line::TooLong => {
                    if self.auth.take().is_some() {
                        self.reader.set_max(self.config.limits.max_command_line);
                        self.auth_failed(&Response::err("authentication line too long"));
                    } else {
                        let limit = self.reader.max();
                        self.bad(ParseError::LineTooLong { limit });
                    }
                }
                Line::Complete(line) => {
                    if let Some(ex) = self.auth.take() {
                        self.reader.set_max(self.config.limits.max_command_line);
                        self.auth_line(ex, &line);
                    } else {
                        match Command::parse_line(&line) {
                            Ok(cmd) => self.command(cmd),
                            Err(e) => self.bad(e),
                        }
                    }
                }
            }
        }
        if self.reader.buffered() > self.config.limits.max_buffered_input
            && !matches!(self.stage, Stage::Closed)
        {
            self.reply(&Response::err("too much pipelined input, closing"));
            self.close();
        }
    }

    fn auth_line(&mut self, mut sm: Box<SaslServer>, line: &[u8]) {
        if line == b"*" {
            self.sasl_step(sm, |sm| sm.cancel());
            return;
        }
        let Some(decoded) = decode_base64(line) else {
            self.auth_failed(&Response::err("invalid base64"));
            return;
        };
        self.auth_steps += 1;
        if self.auth_steps > self.config.limits.max_auth_steps {
            self.auth_failed(&Response::err("too many authentication steps"));
            return;
        }
        let step = sm.step(&decoded);
        self.handle_step(sm, step);
    }

    fn sasl_step(&mut self, mut sm: Box<SaslServer>, f: impl FnOnce(&mut SaslServer) -> Step) {
        let step = f(&mut sm);
        self.handle_step(sm, step);
    }

    /// Acts on what the SASL exchange wants next.
    fn handle_step(&mut self, sm: Box<SaslServer>, step: Step) {
        match step {
            Step::Challenge(data) => {
                self.challenge(&data);
                self.reader.set_max(self.config.limits.max_auth_line);
                self.auth = Some(sm);
            }
            Step::Need(Request::VerifyPassword {
                authcid,
                authzid,
                password,
            }) => {
                let mechanism = sm.mechanism();
                self.pending = Some(Pending::Sasl(sm));
                self.events.push_back(Event::VerifyPassword {
                    user: authcid,
                    authzid,
                    password,
                    source: PasswordSource::Sasl(mechanism),
                });
            }
            Step::Need(request) => {
                let mechanism = sm.mechanism();
                self.pending = Some(Pending::Sasl(sm));
                self.events.push_back(Event::Sasl { mechanism, request });
            }
            Step::Success(outcome) => {
                self.auth = None;
                self.open(outcome.identity().to_owned());
            }
            Step::Failure(error) => {
                self.auth = None;
                let r = match error.category() {
                    ErrorCategory::Cancelled => Response::err("authentication cancelled"),
                    ErrorCategory::Rejected => auth_failed(),
                    ErrorCategory::Temporary => {
                        Response::err("authentication unavailable").with_code(ResponseCode::SysTemp)
                    }
                    _ => Response::err(error.to_string()),
                };
                self.auth_failed(&r);
            }
            _ => {
                self.auth = None;
                self.auth_failed(&Response::err("authentication failed"));
            }
        }
    }

    fn command(&mut self, cmd: Command<'_>) {
        let keyword = cmd.keyword();
        match (&mut self.stage, cmd) {
            (_, Command::Capa) => {
                let caps = self.capabilities();
                self.reply(&Response::ok("Capability list follows"));
                let mut line = Vec::new();
                for c in caps.iter() {
                    line.clear();
                    line.extend_from_slice(c.to_string().as_bytes());
                    put_line(&mut self.out, &line);
                }
                self.out.put_slice(b".\r\n");
            }
            (Stage::Transaction { .. }, Command::Noop) => self.reply(&Response::ok("")),
            (Stage::Authorization { .. }, Command::Quit) => {
                self.reply(&Response::ok("POP3 server signing off"));
                self.close();
            }
            (Stage::Authorization { .. }, Command::Stls) => {
                if !self.config.stls || self.tls != Tls::Plain {
                    self.wrong_state(keyword);
                } else if self.utf8 {
                    // RFC 6856 section 2.1: no STLS after UTF8.
                    self.wrong_state(keyword);
                } else {
                    self.reply(&Response::ok("Begin TLS negotiation"));
                    // Nothing received in plaintext survives the upgrade.
                    self.reader.clear();
                    self.tls = Tls::ReplyQueued;
                    self.events.push_back(Event::StartTls);
                }
            }
            (Stage::Authorization { .. }, Command::Utf8) => {
                if self.config.utf8.is_some() {
                    self.utf8 = true;
                    self.reply(&Response::ok("UTF8 enabled"));
                    self.events.push_back(Event::Utf8Enabled);
                } else {
                    self.wrong_state(keyword);
                }
            }
            (Stage::Authorization { user }, Command::User { name }) => {
                if !(self.tls == Tls::Active || self.config.insecure_allow_plaintext_auth) {
                    *user = None;
                    self.reply(&plaintext_refused());
                } else if !name.is_ascii() && self.config.utf8 != Some(true) {
                    *user = None;
                    self.reply(
                        &Response::err("non-ASCII user name not accepted")
                            .with_code(ResponseCode::Utf8),
                    );
                } else {
                    *user = Some(name.into_owned());
                    self.reply(&Response::ok("send PASS"));
                }
            }
            (Stage::Authorization { user }, Command::Pass { password }) => match user.take() {
                None => self.wrong_state(keyword),
                Some(user) => {
                    if std::str::from_utf8(password.expose()).is_err() {
                        self.auth_failed(&auth_failed());
                        return;
                    }
                    self.pending = Some(Pending::Credentials { user: user.clone() });
                    self.events.push_back(Event::VerifyPassword {
                        user,
                        authzid: None,
                        password,
                        source: PasswordSource::UserPass,
                    });
                }
            },
            (Stage::Authorization { user }, Command::Apop { name, digest }) => {
                *user = None;
                if self.config.apop_timestamp.is_none() {
                    self.wrong_state(keyword);
                } else {
                    let name = name.into_owned();
                    self.pending = Some(Pending::ApopSecret {
                        user: name.clone(),
                        digest: digest.into_owned(),
                    });
                    self.events.push_back(Event::ApopSecret { user: name });
                }
            }
            (
                Stage::Authorization { user },
                Command::Auth {
                    mechanism,
                    initial_response,
                },
            ) => {
                *user = None;
                self.auth_steps = 0;
                let tls = self.plaintext_allowed();
                match Mechanism::parse(mechanism.as_bytes()) {
                    Ok(m) if self.config.sasl.allows(m, tls) => {
                        let sm = Box::new(
                            SaslServer::new(m, &self.config.sasl_config).final_data_as_challenge(),
                        );
                        match initial_response {
                            Some(ir) => self.sasl_step(sm, |sm| sm.step(ir.expose())),
                            None => self.sasl_step(sm, SaslServer::start),
                        }
                    }
                    Ok(m) if self.config.sasl.allows(m, true) => self.reply(&plaintext_refused()),
                    _ => self.reply(&Response::err("unsupported authentication mechanism")),
                }
            }
            (
                Stage::Transaction {
                    messages, deleted, ..
                },
                Command::Stat,
            ) => {
                let (n, size) = live(messages, deleted);
                self.reply(&Response::ok(format!("{n} {size}")));
            }
            (
                Stage::Transaction {
                    messages, deleted, ..
                },
                Command::List { msg: None },
            ) => {
                let (n, size) = live(messages, deleted);
                let mut out = std::mem::take(&mut self.out);
                Response::ok(format!("{n} messages ({size} octets)")).write_to(&mut out);
                for (i, m) in messages.iter().enumerate() {
                    if !deleted[i] {
                        put_line(&mut out, format!("{} {}", i + 1, m.size).as_bytes());
                    }
                }
                out.put_slice(b".\r\n");
                self.out = out;
            }
            (
                Stage::Transaction {
                    messages, deleted, ..
                },
                Command::Uidl { msg: None },
            ) => {
                let mut out = std::mem::take(&mut self.out);
                Response::ok("").write_to(&mut out);
                for (i, m) in messages.iter().enumerate() {
                    if !deleted[i] {
                        put_line(&mut out, format!("{} {}", i + 1, m.uid).as_bytes());
                    }
                }
                out.put_slice(b".\r\n");
                self.out = out;
            }
            (
                Stage::Transaction {
                    messages, deleted, ..
                },
                cmd @ (Command::List { msg: Some(n) }
                | Command::Uidl { msg: Some(n) }
                | Command::Retr { msg: n }
                | Command::Top { msg: n, .. }
                | Command::Dele { msg: n }),
            ) => {
                let idx = (n as usize).wrapping_sub(1);
                let Some(m) = messages.get(idx).filter(|_| !deleted[idx]) else {
                    let text = if messages.get(idx).is_some() {
                        format!("message {n} already deleted")
                    } else {
                        format!(
                            "no such message, only {} messages in maildrop",
                            messages.len()
                        )
                    };
                    self.reply(&Response::err(text));
                    return;
                };
                match cmd {
                    Command::List { .. } => {
                        let r = Response::ok(format!("{n} {}", m.size));
                        self.reply(&r);
                    }
                    Command::Uidl { .. } => {
                        let r = Response::ok(format!("{n} {}", m.uid));
                        self.reply(&r);
                    }
                    Command::Dele { .. } => {
                        deleted[idx] = true;
                        self.reply(&Response::ok(format!("message {n} deleted")));
                    }
                    Command::Retr { .. } | Command::Top { .. } => {
                        let top_lines = if let Command::Top { lines, .. } = cmd {
                            Some(lines)
                        } else {
                            None
                        };
                        let stuffer = top_lines.map_or_else(Stuffer::new, Stuffer::top);
                        let uid = m.uid.clone();
                        self.pending = Some(Pending::Message {
                            stuffer,
                            started: false,
                            size: top_lines.is_none().then_some(m.size),
                        });
                        self.events.push_back(Event::Message {
                            msg: n,
                            index: idx,
                            uid,
                            top_lines,
                        });
                    }
                    _ => {}
                }
            }
            (
                Stage::Transaction {
                    messages, deleted, ..
                },
                Command::Rset,
            ) => {
                deleted.iter_mut().for_each(|d| *d = false);
                let (n, size) = live(messages, deleted);
                self.reply(&Response::ok(format!(
                    "maildrop has {n} messages ({size} octets)"
                )));
            }
            (Stage::Transaction { .. }, Command::Quit) => {
                let Stage::Transaction {
                    user,
                    messages,
                    deleted,
                } = std::mem::replace(&mut self.stage, Stage::Update)
                else {
                    return;
                };
                self.update_left = deleted.iter().filter(|d| !**d).count();
                let deleted = messages
                    .into_iter()
                    .zip(deleted)
                    .enumerate()
                    .filter(|(_, (_, d))| *d)
                    .map(|(i, (m, _))| Deleted {
                        msg: u32::try_from(i + 1).unwrap_or(u32::MAX),
                        uid: m.uid,
                    })
                    .collect();
                self.pending = Some(Pending::Update);
                self.events.push_back(Event::Update { user, deleted });
            }
            (_, _) => self.wrong_state(keyword),
        }
    }
}

/// `+OK n octets` for RETR, a bare `+OK` for TOP (its size is unknown).
fn message_ok(size: Option<u64>) -> Response<'static> {
    match size {
        Some(n) => Response::ok(format!("{n} octets")),
        None => Response::ok(""),
    }
}

fn plaintext_refused() -> Response<'static> {
    Response::err("plaintext authentication disallowed without TLS (use STLS)")
        .with_code(ResponseCode::Auth)
}

fn live(messages: &[MessageInfo], deleted: &[bool]) -> (usize, u64) {
    messages
        .iter()
        .zip(deleted)
        .filter(|(_, d)| !**d)
        .fold((0, 0), |(n, s), (m, _)| (n + 1, s + m.size))
}

fn hex_lower(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
    s
}

/// The APOP digest: lower-case hex `MD5(timestamp secret)` (RFC 1939
/// section 7). Clients use it; the server machine computes it itself.
///
/// ```
/// use mailwire_pop3_proto::server::apop_digest;
/// // RFC 1939 section 7 example.
/// assert_eq!(
///     apop_digest("<1896.697170952@dbc.mtview.ca.us>", b"tanstaaf"),
///     "c4c9334bac560ecc979e58001b3e22fb"
/// );
/// ```
#[must_use]
pub fn apop_digest(timestamp: &str, secret: &[u8]) -> String {
    let mut h = Md5::new();
    h.update(timestamp.as_bytes());
    h.update(secret);
    hex_lower(&h.finalize())
}
