//! The client state machine: greeting, EHLO (HELO fallback), STARTTLS,
//! AUTH, and mail transactions with PIPELINING and CHUNKING when offered.
//!
//! Drive it like the server: after [`Client::feed`] and after
//! [`Client::send`]/[`Client::quit`], drain [`Client::poll_transmit`] (send
//! the bytes), then [`Client::poll_event`]. When
//! [`Client::wants_tls_upgrade`] turns true, run the TLS handshake and call
//! [`Client::tls_established`].
//!
//! Message bodies come whole ([`Client::send`]) or in pieces
//! ([`Client::send_streaming`], [`Client::body_chunk`],
//! [`Client::body_end`]), with bounded buffering
//! ([`Config::stream_high_water`]).

use std::collections::VecDeque;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use bytes::{BufMut, Bytes, BytesMut};
use mailwire_sasl::Mechanism;
use mailwire_sasl::client::{self as sasl_client, Credentials};

use crate::capability::{Capabilities, EhloView, Keyword, KeywordSet};
use crate::command::{Command, InitialResponse};
use crate::data::{BareLineEndings, BodyEncoder, EncodeError, encode_body};
use crate::error::UsageError;
use crate::param::{Body, MailParam, MailParams, RcptParams};
use crate::path::{ForwardPath, Host, ReversePath};
use crate::reply::{DEFAULT_MAX_REPLY_LINE, DEFAULT_MAX_REPLY_LINES, Reply, ReplyError};

/// When to use STARTTLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TlsMode {
    /// Never.
    Disabled,
    /// When the server offers it.
    #[default]
    Opportunistic,
    /// Always; a server that does not offer it is an error.
    Required,
}

/// Client configuration. Build with [`Config::new`] and adjust the fields.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// The name sent with EHLO/HELO/LHLO.
    pub helo_name: Host<'static>,
    /// Speak LMTP (LHLO, one reply per recipient after the data).
    pub lmtp: bool,
    /// STARTTLS policy.
    pub tls: TlsMode,
    /// The connection is already TLS (port 465).
    pub implicit_tls: bool,
    /// Credentials for AUTH (PLAIN, LOGIN for passwords; XOAUTH2 for tokens).
    pub credentials: Option<Credentials>,
    /// SASL client configuration.
    pub sasl: sasl_client::Config,
    /// Allow mechanisms that send a password or token without TLS.
    pub allow_plaintext_auth_insecure: bool,
    /// Use PIPELINING when offered.
    pub pipelining: bool,
    /// Use BDAT when CHUNKING is offered.
    pub chunking: bool,
    /// Bare CR/LF in a body: normalized to CRLF (default) or an error.
    pub bare_line_endings: BareLineEndings,
    /// Add `SIZE=` to MAIL when the server supports SIZE, and refuse
    /// locally a body above the advertised limit (RFC 1870). Default on.
    pub declare_size: bool,
    /// Maximum reply line length.
    pub max_reply_line: usize,
    /// Maximum lines per reply.
    pub max_reply_lines: usize,
    /// Flow control for streamed bodies ([`Client::body_chunk`]): body
    /// octets are accepted only while the untransmitted output plus the
    /// body octets waiting for the data phase stay below this many octets.
    /// Default 64 KiB.
    pub stream_high_water: usize,
}

impl Config {
    /// Defaults: opportunistic STARTTLS, pipelining and chunking when offered.
    pub fn new(helo_name: Host<'static>) -> Config {
        Config {
            helo_name,
            lmtp: false,
            tls: TlsMode::Opportunistic,
            implicit_tls: false,
            credentials: None,
            sasl: sasl_client::Config::new(),
            allow_plaintext_auth_insecure: false,
            pipelining: true,
            chunking: true,
            bare_line_endings: BareLineEndings::Normalize,
            declare_size: true,
            max_reply_line: DEFAULT_MAX_REPLY_LINE,
            max_reply_lines: DEFAULT_MAX_REPLY_LINES,
            stream_high_water: 64 * 1024,
        }
    }
}

/// A message to send: the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// MAIL FROM.
    pub from: ReversePath<'static>,
    /// MAIL parameters.
    pub params: MailParams<'static>,
    /// RCPT TO, each with its parameters.
    pub recipients: Vec<(ForwardPath<'static>, RcptParams<'static>)>,
}

impl Envelope {
    /// An envelope without parameters.
    pub fn new(
        from: ReversePath<'static>,
        recipients: impl IntoIterator<Item = ForwardPath<'static>>,
    ) -> Envelope {
        Envelope {
            from,
            params: MailParams::default(),
            recipients: recipients
                .into_iter()
                .map(|r| (r, RcptParams::default()))
                .collect(),
        }
    }
}

/// Names one queued message in events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageHandle(u64);

/// The outcome of one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageResult {
    /// Which message.
    pub handle: MessageHandle,
    /// The MAIL reply (`None` if not reached).
    pub mail: Option<Reply>,
    /// Each recipient with its RCPT reply (`None` if not reached).
    pub recipients: Vec<(ForwardPath<'static>, Option<Reply>)>,
    /// The replies after the data: one for SMTP, one per accepted recipient
    /// for LMTP (in the order of the accepted recipients). Empty if the data
    /// phase was not reached or abandoned.
    pub data: Vec<Reply>,
    /// A local error that prevented sending (bare line ending with `Reject`).
    pub local_error: Option<LocalError>,
}

impl MessageResult {
    /// The recipients the message was delivered to.
    pub fn delivered(&self) -> Vec<&ForwardPath<'static>> {
        let accepted = self
            .recipients
            .iter()
            .filter(|(_, r)| r.as_ref().is_some_and(Reply::is_positive))
            .map(|(p, _)| p);
        if self.data.len() == 1 && self.mail.as_ref().is_some_and(Reply::is_positive) {
            if self.data[0].is_positive() {
                accepted.collect()
            } else {
                Vec::new()
            }
        } else {
            accepted
                .zip(&self.data)
                .filter(|(_, r)| r.is_positive())
                .map(|(p, _)| p)
                .collect()
        }
    }
    /// Whether every recipient got the message.
    pub fn is_complete_success(&self) -> bool {
        !self.recipients.is_empty() && self.delivered().len() == self.recipients.len()
    }
}

/// Why a message was not sent at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LocalError {
    /// The body has a bare CR or LF and the config says `Reject`.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The body exceeds the server's advertised `SIZE` (RFC 1870 §6).
    #[error("message of {size} octets exceeds the server limit of {limit}")]
    TooLarge {
        /// Body size.
        size: u64,
        /// The server's SIZE.
        limit: u64,
    },
}

/// A fatal session error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The greeting was not 220.
    #[error("server refused the connection: {0}")]
    Greeting(Reply),
    /// EHLO and HELO both failed.
    #[error("hello refused: {0}")]
    Hello(Reply),
    /// STARTTLS required but not offered.
    #[error("STARTTLS required but not offered")]
    StartTlsNotOffered,
    /// STARTTLS refused while required.
    #[error("STARTTLS refused: {0}")]
    StartTls(Reply),
    /// Bytes followed the 220 to STARTTLS before the handshake (a
    /// plaintext injection); the connection must be dropped.
    #[error("unexpected data after the STARTTLS reply")]
    DataAfterStartTls,
    /// No usable AUTH mechanism.
    #[error("no usable AUTH mechanism offered")]
    AuthNotAvailable,
    /// AUTH failed.
    #[error("authentication failed: {0}")]
    Auth(Reply),
    /// The SASL mechanism failed locally.
    #[error("sasl: {0}")]
    Sasl(mailwire_sasl::Error),
    /// A malformed reply.
    #[error("malformed reply: {0}")]
    MalformedReply(ReplyError),
    /// A reply arrived when none was expected.
    #[error("unexpected reply: {0}")]
    UnexpectedReply(Reply),
    /// The server is closing the connection (421).
    #[error("server closing: {0}")]
    ServiceClosing(Reply),
    /// A streamed DATA body could not be encoded after the data phase
    /// began (bare CR/LF with `Reject`): the terminating `.` was not sent,
    /// so the server never takes the truncated message; drop the
    /// connection.
    #[error("message body: {0}")]
    Body(LocalError),
}

/// What the application learns.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The 220 greeting.
    Greeting(Reply),
    /// TLS is active (after [`Client::tls_established`]).
    TlsEstablished,
    /// AUTH succeeded.
    Authenticated {
        /// The mechanism used.
        mechanism: Mechanism,
    },
    /// The session is ready for mail; queued messages are being sent.
    Ready {
        /// The server's capabilities (empty after a HELO fallback).
        capabilities: Capabilities,
    },
    /// A transaction finished.
    Message(MessageResult),
    /// A fatal error; the machine sends QUIT if it still can, then closes.
    Error(ClientError),
    /// The session is over; close the connection after draining
    /// [`Client::poll_transmit`].
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    Auth,
    Mail,
    Rcpt(usize),
    Data,
    DataEnd,
    Bdat,
    BdatChunk,
    /// The reply to a BDAT of an abandoned streamed message: ignored.
    Discard,
    Rset,
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Setup,
    TlsPending,
    Ready,
    Closed,
}

/// The body of a queued message.
#[derive(Debug)]
enum Source {
    Whole(Bytes),
    Stream,
}

/// A streamed body ([`Client::send_streaming`]).
#[derive(Debug)]
struct Stream {
    handle: MessageHandle,
    /// Raw body octets waiting for the data phase.
    staged: BytesMut,
    /// `body_end` was called.
    ended: bool,
    /// Set when the data phase begins.
    encoder: Option<BodyEncoder>,
    /// BDAT (else DATA).
    bdat: bool,
    /// BODY=BINARYMIME: octets go out untouched.
    binary: bool,
    /// The transaction ended without the body (refused, failed): further
    /// chunks are accepted and dropped.
    abandoned: bool,
}

#[derive(Debug)]
struct Txn {
    handle: MessageHandle,
    envelope: Envelope,
    body: Bytes,
    streaming: bool,
    result: MessageResult,
    pipelined: bool,
    bdat: bool,
    data_expected: usize,
}

/// An SMTP/LMTP client session. See the [module documentation](self).
#[derive(Debug)]
pub struct Client {
    config: Config,
    phase: Phase,
    rx: BytesMut,
    tx: BytesMut,
    events: VecDeque<Event>,
    expect: VecDeque<Expect>,
    caps: Capabilities,
    /// The known keywords of `caps`, for the checks on the hot path.
    keywords: KeywordSet,
    esmtp: bool,
    tls: bool,
    authenticated: bool,
    sasl: Option<sasl_client::Client>,
    sasl_failed: Option<mailwire_sasl::Error>,
    queue: VecDeque<(MessageHandle, Envelope, Source)>,
    stream: Option<Stream>,
    current: Option<Txn>,
    next_handle: u64,
    quit_requested: bool,
}

impl Client {
    /// A new session; the first thing expected is the server greeting.
    pub fn new(config: Config) -> Client {
        let tls = config.implicit_tls;
        let mut expect = VecDeque::new();
        expect.push_back(Expect::Greeting);
        Client {
            config,
            phase: Phase::Setup,
            rx: BytesMut::new(),
            tx: BytesMut::new(),
            events: VecDeque::new(),
            expect,
            caps: Capabilities::new(),
            keywords: KeywordSet::new(),
            esmtp: false,
            tls,
            authenticated: false,
            sasl: None,
            sasl_failed: None,
            queue: VecDeque::new(),
            current: None,
            stream: None,
            next_handle: 0,
            quit_requested: false,
        }
    }

    /// Queues a message; it is sent once the session is ready. The body is
    /// the message as bytes (line endings normalized per the config).
    pub fn send(&mut self, envelope: Envelope, body: impl Into<Bytes>) -> MessageHandle {
        let handle = MessageHandle(self.next_handle);
        self.next_handle += 1;
        self.queue
            .push_back((handle, envelope, Source::Whole(body.into())));
        self.maybe_start();
        handle
    }

    /// Queues a message whose body the application supplies in pieces with
    /// [`Client::body_chunk`] and ends with [`Client::body_end`], so that
    /// no buffer ever holds the whole message (large messages, messages
    /// produced on the fly).
    ///
    /// With DATA, the pieces are dot-stuffed and their line endings
    /// normalized (or rejected) exactly as [`Client::send`] does for a
    /// whole body, across piece boundaries. With CHUNKING, each accepted
    /// piece goes out as one `BDAT n` (pipelined, RFC 3030 §4.2) and
    /// [`Client::body_end`] sends the final `BDAT n LAST`.
    ///
    /// Unlike [`Client::send`], the size is unknown in advance: no `SIZE=`
    /// and no `BODY=8BITMIME` are added; put them in `envelope.params`
    /// when you know them. One streamed body at a time:
    /// [`UsageError::InvalidState`] until the previous one is ended and
    /// out of the client (its data phase reached, or its transaction
    /// over); [`Client::send`] messages can be queued meanwhile.
    ///
    /// ```
    /// use mailwire_smtp_proto::client::{Client, Config, Envelope};
    /// use mailwire_smtp_proto::path::{Domain, ForwardPath, Host, Mailbox, ReversePath};
    ///
    /// let name = Host::Domain(Domain::parse("c.example").unwrap().into_owned());
    /// let mut config = Config::new(name);
    /// config.stream_high_water = 8;
    /// let mut client = Client::new(config);
    /// let bob = ForwardPath::Mailbox(Mailbox::parse("bob@mx.example").unwrap().into_owned());
    /// let h = client.send_streaming(Envelope::new(ReversePath::Null, [bob])).unwrap();
    /// // No server reply yet: at most 8 octets wait in the client.
    /// assert_eq!(client.body_chunk(h, b"Subject: hi\r\n").unwrap(), 8);
    /// assert_eq!(client.body_chunk(h, b"\r\n").unwrap(), 0);
    /// // A driver now feeds replies, drains poll_transmit, offers the rest
    /// // again, and finally calls body_end(h).
    /// ```
    pub fn send_streaming(&mut self, envelope: Envelope) -> Result<MessageHandle, UsageError> {
        if self.phase == Phase::Closed || self.stream.is_some() {
            return Err(UsageError::InvalidState);
        }
        let handle = MessageHandle(self.next_handle);
        self.next_handle += 1;
        self.stream = Some(Stream {
            handle,
            staged: BytesMut::new(),
            ended: false,
            encoder: None,
            bdat: false,
            binary: envelope.params.body() == Some(Body::BinaryMime),
            abandoned: false,
        });
        self.queue.push_back((handle, envelope, Source::Stream));
        self.maybe_start();
        Ok(handle)
    }

    /// Supplies the next piece of a streamed body; returns how many octets
    /// were taken (a prefix of `chunk`).
    ///
    /// Flow control: octets are taken only while the untransmitted output
    /// ([`Client::poll_transmit`]) plus the octets waiting for the data
    /// phase (before the server's 354 or the RCPT replies) stay under
    /// [`Config::stream_high_water`]. `Ok(0)` for a non-empty chunk means
    /// "full": drain [`Client::poll_transmit`], [`Client::feed`] the
    /// server's replies, and offer the rest again. Output stays below
    /// about twice the high-water mark (dot stuffing and CRLF
    /// normalization at most double a piece).
    ///
    /// Once the transaction has ended without the body (MAIL or every RCPT
    /// refused; the [`Event::Message`] says so) the octets are taken and
    /// dropped. A bare CR/LF with [`BareLineEndings::Reject`] abandons the
    /// message: with BDAT it is reset (`RSET`) and reported with
    /// [`MessageResult::local_error`]; with DATA after the 354 the session
    /// ends with [`ClientError::Body`] (the terminating `.` is never sent).
    pub fn body_chunk(&mut self, handle: MessageHandle, chunk: &[u8]) -> Result<usize, UsageError> {
        let blocked = self.bdat_blocked();
        let tx_len = self.tx.len();
        let high = self.config.stream_high_water;
        let Some(st) = self.stream.as_mut().filter(|s| s.handle == handle) else {
            return Err(UsageError::InvalidState);
        };
        if st.ended {
            return Err(UsageError::InvalidState);
        }
        if st.abandoned {
            return Ok(chunk.len());
        }
        if self.phase == Phase::Closed {
            return Err(UsageError::InvalidState);
        }
        let room = if blocked {
            0
        } else {
            high.saturating_sub(tx_len + st.staged.len())
        };
        let take = chunk.len().min(room);
        let piece = chunk.get(..take).unwrap_or_default();
        if st.encoder.is_some() {
            self.stream_out(piece, false);
        } else {
            st.staged.extend_from_slice(piece);
        }
        Ok(take)
    }

    /// Ends a streamed body (the final `.` or `BDAT n LAST` goes out once
    /// the data phase has begun).
    pub fn body_end(&mut self, handle: MessageHandle) -> Result<(), UsageError> {
        let Some(st) = self.stream.as_mut().filter(|s| s.handle == handle) else {
            return Err(UsageError::InvalidState);
        };
        if st.ended {
            return Err(UsageError::InvalidState);
        }
        st.ended = true;
        if st.abandoned {
            self.stream = None;
        } else if st.encoder.is_some() && !self.bdat_blocked() {
            self.stream_out(&[], true);
        }
        Ok(())
    }

    /// Without PIPELINING, each BDAT waits for the previous one's reply
    /// (RFC 3030 §2, §4.2).
    fn bdat_blocked(&self) -> bool {
        self.stream
            .as_ref()
            .is_some_and(|s| s.bdat && s.encoder.is_some())
            && self.current.as_ref().is_some_and(|t| !t.pipelined)
            && self.expect.contains(&Expect::BdatChunk)
    }

    /// The data phase of the current streamed message begins: flush what
    /// was staged, and end it if the application already did.
    fn stream_begin(&mut self, bdat: bool) {
        let bare = self.config.bare_line_endings;
        let current = self.current.as_ref().map(|t| t.handle);
        let Some(st) = self.stream.as_mut().filter(|s| Some(s.handle) == current) else {
            return;
        };
        st.bdat = bdat;
        st.encoder = Some(BodyEncoder::new(bare, !bdat));
        let staged = st.staged.split().freeze();
        let ended = st.ended;
        self.stream_out(&staged, ended);
    }

    /// Encodes `piece` of the current stream to the output; with `end`,
    /// terminates the body.
    fn stream_out(&mut self, piece: &[u8], end: bool) {
        let Some(st) = self.stream.as_mut() else {
            return;
        };
        let bdat = st.bdat;
        let Some(enc) = st.encoder.as_mut() else {
            return;
        };
        let mut result = Ok(());
        if bdat {
            let mut body = BytesMut::new();
            if st.binary {
                body.put_slice(piece);
            } else {
                result = enc.encode(piece, &mut body);
                if end && result.is_ok() {
                    result = enc.finish(&mut body);
                }
            }
            if result.is_ok() && (end || !body.is_empty()) {
                let size = body.len() as u64;
                let expect = if end { Expect::Bdat } else { Expect::BdatChunk };
                self.write(&Command::Bdat { size, last: end }, expect);
                self.tx.put_slice(&body);
            }
        } else {
            result = enc.encode(piece, &mut self.tx);
            if end && result.is_ok() {
                result = enc.finish(&mut self.tx);
            }
            if end && result.is_ok() {
                self.expect.push_back(Expect::DataEnd);
            }
        }
        if end || result.is_err() {
            self.stream = None;
        }
        if let Err(e) = result {
            if bdat {
                if let Some(mut t) = self.current.take() {
                    t.result.local_error = Some(e.into());
                    self.finish(t, true);
                }
            } else {
                if let Some(mut t) = self.current.take() {
                    t.result.local_error = Some(e.into());
                    self.events.push_back(Event::Message(t.result));
                }
                self.fatal_close(ClientError::Body(e.into()));
            }
        }
    }

    /// Sends QUIT once the queued messages are done.
    pub fn quit(&mut self) -> Result<(), UsageError> {
        if self.phase == Phase::Closed {
            return Err(UsageError::InvalidState);
        }
        self.quit_requested = true;
        self.maybe_start();
        Ok(())
    }

    /// The server's capabilities (after EHLO).
    pub fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    /// Whether the session is over.
    pub fn is_closed(&self) -> bool {
        self.phase == Phase::Closed
    }

    /// True once the STARTTLS command and its 220 are done and the output
    /// is drained: run the TLS handshake now.
    pub fn wants_tls_upgrade(&self) -> bool {
        self.phase == Phase::TlsPending && self.tx.is_empty()
    }

    /// The TLS handshake completed: EHLO is sent again.
    pub fn tls_established(&mut self) -> Result<(), UsageError> {
        if self.phase != Phase::TlsPending {
            return Err(UsageError::InvalidState);
        }
        self.tls = true;
        self.phase = Phase::Setup;
        self.set_caps(Capabilities::new());
        self.events.push_back(Event::TlsEstablished);
        self.hello();
        Ok(())
    }

    /// The next bytes to send.
    #[must_use]
    pub fn poll_transmit(&mut self) -> Option<Bytes> {
        if self.tx.is_empty() {
            None
        } else {
            Some(self.tx.split().freeze())
        }
    }

    /// The next event.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Feeds bytes received from the server.
    pub fn feed(&mut self, input: &[u8]) {
        if matches!(self.phase, Phase::Closed | Phase::TlsPending) {
            if self.phase == Phase::TlsPending && !input.is_empty() {
                self.fatal_close(ClientError::DataAfterStartTls);
            }
            return;
        }
        self.rx.extend_from_slice(input);
        while self.phase != Phase::Closed && self.phase != Phase::TlsPending {
            if self.expect.front() == Some(&Expect::Ehlo) {
                // Fast path: a 250 EHLO reply read in place (no `Reply`
                // built); anything else goes through `Reply::parse`.
                if let Ok((Some(view), used)) = EhloView::parse_with(
                    &self.rx,
                    self.config.max_reply_line,
                    self.config.max_reply_lines,
                ) {
                    let caps = view.into_owned().capabilities;
                    let _ = self.rx.split_to(used);
                    self.expect.pop_front();
                    self.on_ehlo(caps);
                    continue;
                }
            }
            match Reply::parse_with(
                &self.rx,
                self.config.max_reply_line,
                self.config.max_reply_lines,
            ) {
                Ok((reply, used)) => {
                    let _ = self.rx.split_to(used);
                    self.on_reply(reply);
                }
                Err(ReplyError::Incomplete) => break,
                Err(e) => {
                    self.fatal_close(ClientError::MalformedReply(e));
                    break;
                }
            }
        }
    }

    fn write(&mut self, cmd: &Command<'_>, expect: Expect) {
        cmd.write_to(&mut self.tx);
        self.expect.push_back(expect);
    }

    fn fatal_close(&mut self, e: ClientError) {
        self.events.push_back(Event::Error(e));
        self.close();
    }

    fn close(&mut self) {
        if let Some(h) = self.stream.as_ref().map(|s| s.handle) {
            self.abandon_stream(h);
        }
        if self.phase != Phase::Closed {
            self.phase = Phase::Closed;
            self.expect.clear();
            self.events.push_back(Event::Closed);
        }
    }

    /// A fatal error while the connection is usable: QUIT politely.
    fn fatal_quit(&mut self, e: ClientError) {
        self.events.push_back(Event::Error(e));
        self.expect.clear();
        self.write(&Command::Quit, Expect::Quit);
        self.phase = Phase::Setup;
        self.queue.clear();
        self.current = None;
        if let Some(h) = self.stream.as_ref().map(|s| s.handle) {
            self.abandon_stream(h);
        }
        self.quit_requested = true;
    }

    fn hello(&mut self) {
        let name = self.config.helo_name.clone();
        if self.config.lmtp {
            self.write(&Command::Lhlo(name), Expect::Ehlo);
        } else {
            self.write(&Command::Ehlo(name), Expect::Ehlo);
        }
    }

    fn on_reply(&mut self, reply: Reply) {
        let Some(expect) = self.expect.pop_front() else {
            if reply.code().get() == 421 {
                self.fatal_close(ClientError::ServiceClosing(reply));
            } else {
                self.fatal_close(ClientError::UnexpectedReply(reply));
            }
            return;
        };
        if reply.code().get() == 421 && expect != Expect::Quit {
            // §3.8: the server is going away; finish what we can.
            self.fail_current(Some(reply.clone()));
            self.fatal_close(ClientError::ServiceClosing(reply));
            return;
        }
        match expect {
            Expect::Greeting => {
                if reply.code().get() == 220 {
                    self.events.push_back(Event::Greeting(reply));
                    self.hello();
                } else {
                    self.fatal_quit(ClientError::Greeting(reply));
                }
            }
            Expect::Ehlo => {
                if let Some(e) = crate::EhloReply::from_reply(&reply) {
                    self.on_ehlo(e.capabilities);
                } else if reply.code().is_permanent() && !self.config.lmtp {
                    let name = self.config.helo_name.clone();
                    self.write(&Command::Helo(name), Expect::Helo);
                } else {
                    self.fatal_quit(ClientError::Hello(reply));
                }
            }
            Expect::Helo => {
                if reply.is_positive() {
                    self.set_caps(Capabilities::new());
                    self.esmtp = false;
                    self.after_hello();
                } else {
                    self.fatal_quit(ClientError::Hello(reply));
                }
            }
            Expect::StartTls => {
                if reply.code().get() == 220 {
                    if !self.rx.is_empty() {
                        self.rx.clear();
                        self.fatal_close(ClientError::DataAfterStartTls);
                    } else {
                        self.phase = Phase::TlsPending;
                    }
                } else if self.config.tls == TlsMode::Required {
                    self.fatal_quit(ClientError::StartTls(reply));
                } else {
                    self.after_tls();
                }
            }
            Expect::Auth => self.on_auth_reply(reply),
            Expect::Quit => self.close(),
            Expect::Rset => self.maybe_start(),
            Expect::Discard => {}
            Expect::BdatChunk => {
                if reply.is_positive() {
                    // A LAST held back for this reply (no PIPELINING).
                    if self
                        .stream
                        .as_ref()
                        .is_some_and(|s| s.ended && s.encoder.is_some())
                        && !self.bdat_blocked()
                    {
                        self.stream_out(&[], true);
                    }
                } else if let Some(mut t) = self.current.take() {
                    // RFC 3030 §2: the transaction failed; send no more BDAT.
                    t.result.data.push(reply);
                    for e in &mut self.expect {
                        if matches!(e, Expect::BdatChunk | Expect::Bdat) {
                            *e = Expect::Discard;
                        }
                    }
                    self.finish(t, true);
                }
            }
            Expect::Mail | Expect::Rcpt(_) | Expect::Data | Expect::DataEnd | Expect::Bdat => {
                self.on_txn_reply(expect, reply);
            }
        }
    }

    fn set_caps(&mut self, caps: Capabilities) {
        self.keywords = caps.iter().filter_map(|c| c.keyword()).collect();
        self.caps = caps;
    }

    fn on_ehlo(&mut self, caps: Capabilities) {
        self.set_caps(caps);
        self.esmtp = true;
        self.after_hello();
    }

    fn after_hello(&mut self) {
        if !self.tls && self.config.tls != TlsMode::Disabled {
            if self.keywords.contains(Keyword::StartTls) {
                self.write(&Command::StartTls, Expect::StartTls);
                return;
            }
            if self.config.tls == TlsMode::Required {
                self.fatal_quit(ClientError::StartTlsNotOffered);
                return;
            }
        }
        self.after_tls();
    }

    fn after_tls(&mut self) {
        if self.config.credentials.is_some() && !self.authenticated {
            self.start_auth();
        } else {
            self.ready();
        }
    }

    fn start_auth(&mut self) {
        let Some(creds) = self.config.credentials.clone() else {
            return self.ready();
        };
        let prefs = [
            Mechanism::Plain,
            Mechanism::Login,
            Mechanism::XOAuth2,
            Mechanism::OAuthBearer,
        ];
        let mut chosen = None;
        for m in prefs {
            if !self.caps.supports_auth(m.as_str()) {
                continue;
            }
            if m.requires_tls() && !self.tls && !self.config.allow_plaintext_auth_insecure {
                continue;
            }
            if let Ok(c) = sasl_client::Client::new(m, creds.clone(), &self.config.sasl) {
                chosen = Some((m, c));
                break;
            }
        }
        let Some((mech, mut client)) = chosen else {
            self.fatal_quit(ClientError::AuthNotAvailable);
            return;
        };
        let ir = client.initial_response().map(|ir| {
            if ir.is_empty() {
                InitialResponse::Empty
            } else {
                InitialResponse::Base64(B64.encode(ir).into())
            }
        });
        self.sasl = Some(client);
        self.sasl_failed = None;
        self.write(
            &Command::Auth {
                mechanism: mech.as_str().into(),
                initial_response: ir,
            },
            Expect::Auth,
        );
    }

    fn on_auth_reply(&mut self, reply: Reply) {
        match reply.code().get() {
            235 => {
                let mechanism = self.sasl.take().map_or(Mechanism::Plain, |c| c.mechanism());
                self.authenticated = true;
                self.events.push_back(Event::Authenticated { mechanism });
                self.ready();
            }
            334 => {
                let Some(client) = self.sasl.as_mut() else {
                    self.fatal_quit(ClientError::UnexpectedReply(reply));
                    return;
                };
                let text = reply.text();
                let step = B64
                    .decode(text.trim().as_bytes())
                    .map_err(|_| {
                        mailwire_sasl::Error::InvalidState("server challenge is not base64")
                    })
                    .and_then(|c| client.step(&c));
                match step {
                    Ok(resp) => {
                        let line = B64.encode(resp);
                        self.tx.put_slice(line.as_bytes());
                        self.tx.put_slice(b"\r\n");
                    }
                    Err(e) => {
                        self.sasl_failed = Some(e);
                        self.tx.put_slice(b"*\r\n");
                    }
                }
                self.expect.push_back(Expect::Auth);
            }
            _ => {
                self.sasl = None;
                match self.sasl_failed.take() {
                    Some(e) => self.fatal_quit(ClientError::Sasl(e)),
                    None => self.fatal_quit(ClientError::Auth(reply)),
                }
            }
        }
    }

    fn ready(&mut self) {
        self.phase = Phase::Ready;
        self.events.push_back(Event::Ready {
            capabilities: self.caps.clone(),
        });
        self.maybe_start();
    }

    fn maybe_start(&mut self) {
        if self.phase != Phase::Ready || self.current.is_some() || !self.expect.is_empty() {
            return;
        }
        let Some((handle, envelope, source)) = self.queue.pop_front() else {
            if self.quit_requested {
                self.write(&Command::Quit, Expect::Quit);
            }
            return;
        };
        let pipelined = self.config.pipelining && self.keywords.contains(Keyword::Pipelining);
        let bdat = self.config.chunking && self.keywords.contains(Keyword::Chunking);
        let result = MessageResult {
            handle,
            mail: None,
            recipients: envelope
                .recipients
                .iter()
                .map(|(p, _)| (p.clone(), None))
                .collect(),
            data: Vec::new(),
            local_error: None,
        };
        let (body, streaming) = match source {
            Source::Whole(b) => (b, false),
            Source::Stream => (Bytes::new(), true),
        };
        let mut txn = Txn {
            handle,
            envelope,
            body,
            streaming,
            result,
            pipelined,
            bdat,
            data_expected: 0,
        };
        // Check the body before saying anything.
        if self.config.bare_line_endings == BareLineEndings::Reject
            && !streaming
            && txn.envelope.params.body() != Some(Body::BinaryMime)
        {
            let mut sink = BytesMut::new();
            if let Err(e) = encode_body(&txn.body, BareLineEndings::Reject, false, &mut sink) {
                txn.result.local_error = Some(e.into());
                self.events.push_back(Event::Message(txn.result));
                return self.maybe_start();
            }
        }
        let mut params = txn.envelope.params.clone();
        if self.config.declare_size
            && !streaming
            && let Some(limit) = self.caps.size()
        {
            {
                let size = txn.body.len() as u64;
                if let Some(limit) = limit.filter(|&l| l > 0 && size > l) {
                    txn.result.local_error = Some(LocalError::TooLarge { size, limit });
                    self.events.push_back(Event::Message(txn.result));
                    return self.maybe_start();
                }
                if params.size().is_none() {
                    // Always valid, and not given yet.
                    let _ = params.push(MailParam::Size(size));
                }
            }
        }
        // RFC 6531 §3.4 / RFC 6152: declare what the message needs when the
        // server offers it (a server without them will refuse on its own).
        let needs_utf8 = txn.envelope.from.mailbox().is_some_and(|m| !m.is_ascii())
            || txn.envelope.recipients.iter().any(|(r, _)| !r.is_ascii());
        if needs_utf8 && !params.smtputf8() && self.keywords.contains(Keyword::SmtpUtf8) {
            // Always valid, and not given yet.
            let _ = params.push(MailParam::SmtpUtf8);
        }
        if params.body().is_none()
            && !streaming
            && self.keywords.contains(Keyword::EightBitMime)
            && !txn.body.is_ascii()
        {
            // Always valid, and not given yet.
            let _ = params.push(MailParam::Body(Body::EightBitMime));
        }
        let mail = Command::Mail {
            from: txn.envelope.from.clone(),
            params,
        };
        self.write(&mail, Expect::Mail);
        if pipelined {
            for i in 0..txn.envelope.recipients.len() {
                let (to, params) = txn.envelope.recipients[i].clone();
                self.write(&Command::Rcpt { to, params }, Expect::Rcpt(i));
            }
            if !bdat {
                self.write(&Command::Data, Expect::Data);
            }
        }
        let _ = txn.handle;
        self.current = Some(txn);
    }

    fn accepted_rcpts(t: &Txn) -> usize {
        t.result
            .recipients
            .iter()
            .filter(|(_, r)| r.as_ref().is_some_and(Reply::is_positive))
            .count()
    }

    fn on_txn_reply(&mut self, expect: Expect, reply: Reply) {
        let Some(mut t) = self.current.take() else {
            self.fatal_close(ClientError::UnexpectedReply(reply));
            return;
        };
        let nrcpt = t.envelope.recipients.len();
        match expect {
            Expect::Mail => {
                let ok = reply.is_positive();
                t.result.mail = Some(reply);
                if !t.pipelined {
                    if ok && nrcpt > 0 {
                        let (to, params) = t.envelope.recipients[0].clone();
                        self.write(&Command::Rcpt { to, params }, Expect::Rcpt(0));
                    } else if ok {
                        // No recipients at all: end the transaction.
                        return self.finish(t, true);
                    } else {
                        return self.finish(t, false);
                    }
                } else if nrcpt == 0 && !t.bdat {
                    // DATA reply still to come.
                } else if nrcpt == 0 {
                    return self.finish(t, ok);
                }
            }
            Expect::Rcpt(i) => {
                if let Some(slot) = t.result.recipients.get_mut(i) {
                    slot.1 = Some(reply);
                }
                let last = i + 1 == nrcpt;
                let mail_ok = t.result.mail.as_ref().is_some_and(Reply::is_positive);
                if !t.pipelined && !last {
                    let (to, params) = t.envelope.recipients[i + 1].clone();
                    self.write(&Command::Rcpt { to, params }, Expect::Rcpt(i + 1));
                } else if last && (t.bdat || !t.pipelined) {
                    if mail_ok && Self::accepted_rcpts(&t) > 0 {
                        if t.bdat {
                            self.send_bdat(&mut t);
                            if t.streaming {
                                self.current = Some(t);
                                self.stream_begin(true);
                                return;
                            }
                        } else {
                            self.write(&Command::Data, Expect::Data);
                        }
                    } else {
                        return self.finish(t, mail_ok);
                    }
                }
            }
            Expect::Data => {
                let usable = t.result.mail.as_ref().is_some_and(Reply::is_positive)
                    && Self::accepted_rcpts(&t) > 0;
                if reply.code().get() == 354 {
                    if usable && t.streaming {
                        t.data_expected = if self.config.lmtp {
                            Self::accepted_rcpts(&t)
                        } else {
                            1
                        };
                        // DataEnd is expected once the final dot is written.
                        self.current = Some(t);
                        self.stream_begin(false);
                        return;
                    }
                    if usable {
                        let bare = self.config.bare_line_endings;
                        if let Err(e) = encode_body(&t.body, bare, true, &mut self.tx) {
                            // Checked before; cannot happen. Abandon safely.
                            t.result.local_error = Some(e.into());
                            self.tx.put_slice(b".\r\n");
                        }
                        t.data_expected = if self.config.lmtp {
                            Self::accepted_rcpts(&t)
                        } else {
                            1
                        };
                    } else {
                        // All recipients failed but DATA was accepted: send an
                        // empty message and ignore the outcome (RFC 2920 §3.1).
                        if t.streaming {
                            self.abandon_stream(t.handle);
                        }
                        self.tx.put_slice(b".\r\n");
                        t.data_expected = 1;
                        t.result.data.clear();
                    }
                    self.expect.push_back(Expect::DataEnd);
                    if !usable {
                        t.data_expected = usize::MAX;
                    }
                } else {
                    if usable {
                        t.result.data.push(reply);
                    }
                    let mail_ok = t.result.mail.as_ref().is_some_and(Reply::is_positive);
                    return self.finish(t, mail_ok);
                }
            }
            Expect::DataEnd => {
                if t.data_expected == usize::MAX {
                    // Abandoned transaction: outcome ignored.
                    return self.finish(t, true);
                }
                t.result.data.push(reply);
                if t.result.data.len() < t.data_expected {
                    self.expect.push_back(Expect::DataEnd);
                } else {
                    return self.finish(t, false);
                }
            }
            Expect::Bdat => {
                // BDAT LAST: one reply (SMTP) or one per accepted recipient (LMTP).
                t.result.data.push(reply);
                if t.result.data.len() < t.data_expected {
                    self.expect.push_back(Expect::Bdat);
                } else {
                    return self.finish(t, false);
                }
            }
            _ => {}
        }
        self.current = Some(t);
    }

    fn send_bdat(&mut self, t: &mut Txn) {
        if t.streaming {
            t.data_expected = if self.config.lmtp {
                Self::accepted_rcpts(t)
            } else {
                1
            };
            return;
        }
        let mut body = BytesMut::new();
        if t.envelope.params.body() == Some(Body::BinaryMime) {
            body.put_slice(&t.body);
        } else if let Err(e) = encode_body(&t.body, self.config.bare_line_endings, false, &mut body)
        {
            t.result.local_error = Some(e.into());
            body.clear();
        }
        let size = body.len() as u64;
        self.write(&Command::Bdat { size, last: true }, Expect::Bdat);
        self.tx.put_slice(&body);
        t.data_expected = if self.config.lmtp {
            Self::accepted_rcpts(t)
        } else {
            1
        };
    }

    /// The streamed body of `handle` will not be sent: drop what is staged
    /// and take (and drop) what still comes.
    fn abandon_stream(&mut self, handle: MessageHandle) {
        if let Some(st) = self.stream.as_mut().filter(|s| s.handle == handle) {
            if st.ended {
                self.stream = None;
            } else {
                st.abandoned = true;
                st.encoder = None;
                st.staged = BytesMut::new();
            }
        }
    }

    fn finish(&mut self, t: Txn, rset: bool) {
        if t.streaming {
            self.abandon_stream(t.handle);
        }
        self.events.push_back(Event::Message(t.result));
        if rset && self.expect.is_empty() {
            self.write(&Command::Rset, Expect::Rset);
        } else if rset {
            // Pipelined replies still outstanding: RSET after them.
            self.expect.push_back(Expect::Rset);
            Command::Rset.write_to(&mut self.tx);
        }
        self.maybe_start();
    }

    fn fail_current(&mut self, reply: Option<Reply>) {
        if let Some(mut t) = self.current.take() {
            if let Some(r) = reply
                && t.result.mail.is_none()
            {
                t.result.mail = Some(r);
            }
            self.events.push_back(Event::Message(t.result));
        }
    }
}
