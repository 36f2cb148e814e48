//! Configuration of the server machine.

use std::time::Duration;

use mailwire_sasl::server::Config as SaslConfig;
use mailwire_sasl::{Mechanism, Policy};

use crate::capability::Capability;
use crate::framer::FramerConfig;

/// How the session starts (RFC 9051 §7.1: `OK`, `PREAUTH` or `BYE` greeting).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Greeting {
    /// `* OK`: the client must authenticate.
    Ok,
    /// `* PREAUTH`: the connection is already authenticated (e.g. by the
    /// transport) as this user; the session starts in the authenticated state.
    PreAuth {
        /// Who the session acts as.
        user: String,
    },
    /// `* BYE`: the server refuses the connection; nothing is read.
    Bye,
}

/// Server configuration. Start from [`Config::default`] and change fields.
///
/// ```
/// use mailwire_imap_proto::server::Config;
/// let mut config = Config::default();
/// config.greeting_text = "example.org IMAP ready".into();
/// config.starttls = true;
/// assert!(!config.allow_plaintext_auth);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// The greeting's kind.
    pub greeting: Greeting,
    /// The greeting's text.
    pub greeting_text: String,
    /// The text of the `* BYE` sent in answer to LOGOUT.
    pub logout_text: String,
    /// Capabilities announced in every state (before and after login). The
    /// machine adds, before authentication, `STARTTLS` (if offered and not
    /// under TLS), `LOGINDISABLED` (without TLS unless
    /// [`Config::allow_plaintext_auth`]), one `AUTH=` per mechanism of
    /// [`Config::sasl`] usable now, and `SASL-IR` ([`Config::sasl_ir`]).
    /// `LITERAL+` / `LITERAL-` here also set what the framer accepts.
    ///
    /// Default: `IMAP4rev1 IMAP4rev2 LITERAL+ ENABLE IDLE`.
    pub capabilities: Vec<Capability<'static>>,
    /// Capabilities added after authentication: what the application
    /// implements. Only extensions listed here or in
    /// [`Config::capabilities`] can be turned on with ENABLE.
    ///
    /// Default: `NAMESPACE UNSELECT UIDPLUS MOVE`.
    pub capabilities_authenticated: Vec<Capability<'static>>,
    /// Put the capability list in the greeting and in the OK of LOGIN /
    /// AUTHENTICATE as a `[CAPABILITY ...]` code (RFC 9051 §7.1), so clients
    /// need not ask. Default `true`.
    pub capability_codes: bool,
    /// Offer and accept STARTTLS (the driver can run a TLS handshake).
    /// Default `false`.
    pub starttls: bool,
    /// The connection is already under TLS (implicit TLS, port 993,
    /// RFC 8314). Default `false`.
    pub tls_active: bool,
    /// **Insecure**: accept LOGIN and password SASL mechanisms without TLS
    /// (no `LOGINDISABLED`). Default `false`: they are refused with
    /// `NO [PRIVACYREQUIRED]` until TLS is active (RFC 9051 §6.2.3).
    pub allow_plaintext_auth: bool,
    /// Which SASL mechanisms AUTHENTICATE offers before and after TLS.
    /// PLAIN and LOGIN come to the application as [`Event::Login`]
    /// (a password check); others as [`Event::Sasl`].
    /// Default: PLAIN and LOGIN after TLS.
    ///
    /// [`Event::Login`]: super::Event::Login
    /// [`Event::Sasl`]: super::Event::Sasl
    pub sasl: Policy,
    /// SASL exchange configuration (randomness for SCRAM, the CRAM-MD5
    /// challenge, channel binding): fresh per connection.
    pub sasl_config: SaslConfig,
    /// Announce and accept an initial response with AUTHENTICATE (SASL-IR,
    /// RFC 4959). Default `true`. When `false`, an initial response gets a
    /// tagged BAD unless IMAP4rev2 (which includes it) is offered.
    pub sasl_ir: bool,
    /// Framer limits (line, unit and literal sizes, literals per unit).
    /// The LITERAL+/LITERAL- limit is derived from the capabilities.
    pub framer: FramerConfig,
    /// Synchronizing literals: `None` (default) asks the application with
    /// [`Event::LiteralAnnounced`]; `Some(n)` lets the machine answer: `+`
    /// up to `n` octets, `NO [TOOBIG]` above. Literals larger than the
    /// framer's unit budget are always refused by the machine.
    ///
    /// [`Event::LiteralAnnounced`]: super::Event::LiteralAnnounced
    pub auto_literal_limit: Option<u64>,
    /// APPEND message literals of at least this many octets are streamed
    /// to the application ([`Event::AppendStart`], [`Event::AppendData`],
    /// [`Event::AppendEnd`]) instead of arriving whole in an
    /// [`Event::Command`]; smaller ones are buffered as before. Only the
    /// plain `{n}`/`{n+}` and `~{n}` forms are streamed; the RFC 6855
    /// `UTF8 (~{n})` form and CATENATE (which the command grammar does not
    /// parse) are not. Once the first message of a MULTIAPPEND is streamed,
    /// every following message is too. The framer's unit budget still
    /// limits each literal. `u64::MAX` turns streaming off. Default 64 KiB.
    ///
    /// [`Event::AppendStart`]: super::Event::AppendStart
    /// [`Event::AppendData`]: super::Event::AppendData
    /// [`Event::AppendEnd`]: super::Event::AppendEnd
    /// [`Event::Command`]: super::Event::Command
    pub append_stream_threshold: u64,
    /// Inactivity before autologout in the not-authenticated state.
    /// Default 5 minutes.
    pub autologout_not_authenticated: Duration,
    /// Inactivity before autologout once authenticated. RFC 9051 §5.4
    /// requires at least 30 minutes, the default.
    pub autologout_authenticated: Duration,
    /// NOOP comes to the application as [`Event::Command`] (to poll the
    /// mailbox) instead of being answered by the machine, which only sends
    /// the queued updates. Default `false`.
    ///
    /// [`Event::Command`]: super::Event::Command
    pub relay_noop: bool,
    /// Input buffered while a command is in progress (pipelined commands
    /// wait, one command runs at a time). Above it the connection is closed
    /// with `BYE`. Default: one unit plus one line of the framer budget.
    pub max_buffered_input: usize,
    /// Input an unauthenticated client may make the machine hold: pipelined
    /// commands and the unit being read, literals included. Above it the
    /// connection is closed with `BYE`; a synchronizing literal announced
    /// larger is refused with `NO [TOOBIG]` before any byte is read (even if
    /// the application or [`Config::auto_literal_limit`] would take it), and
    /// a larger non-synchronizing one gets `BAD [TOOBIG]` and is skipped
    /// without being buffered. Bounds the memory a connection costs before
    /// LOGIN/AUTHENTICATE succeeds. Default 128 KiB.
    pub max_input_not_authenticated: usize,
    /// Output waiting for `poll_transmit` above which the machine stops
    /// reading commands and keeps pushed updates queued while no command is
    /// in progress or the client idles (backpressure against a client that
    /// does not read; `push_update` then fills up to
    /// [`Config::max_queued_updates`]). Default 1 MiB.
    pub max_pending_output: usize,
    /// Bad commands in a row (syntax errors, wrong state, empty lines)
    /// before `BYE`. Default 20.
    pub max_bad_commands: usize,
    /// Failed LOGIN / AUTHENTICATE attempts before `BYE`. Default 3.
    pub max_auth_failures: usize,
    /// Client responses in one AUTHENTICATE exchange. Default 8.
    pub max_auth_steps: usize,
    /// Untagged updates waiting to be sent. Default 10,000.
    pub max_queued_updates: usize,
}

impl Default for Config {
    fn default() -> Self {
        let framer = FramerConfig::server();
        Config {
            greeting: Greeting::Ok,
            greeting_text: "IMAP server ready".into(),
            logout_text: "Logging out".into(),
            capabilities: vec![
                Capability::Imap4Rev1,
                Capability::Imap4Rev2,
                Capability::LiteralPlus,
                Capability::Enable,
                Capability::Idle,
            ],
            capabilities_authenticated: vec![
                Capability::Namespace,
                Capability::Unselect,
                Capability::UidPlus,
                Capability::Move,
            ],
            capability_codes: true,
            starttls: false,
            tls_active: false,
            allow_plaintext_auth: false,
            sasl: Policy::none()
                .allow_after_tls(Mechanism::Plain)
                .allow_after_tls(Mechanism::Login),
            sasl_config: SaslConfig::new(),
            sasl_ir: true,
            framer,
            auto_literal_limit: None,
            append_stream_threshold: 64 * 1024,
            autologout_not_authenticated: Duration::from_secs(5 * 60),
            autologout_authenticated: Duration::from_secs(30 * 60),
            relay_noop: false,
            max_buffered_input: framer.max_unit_size.saturating_add(framer.max_line_length),
            max_input_not_authenticated: 128 * 1024,
            max_pending_output: 1024 * 1024,
            max_bad_commands: 20,
            max_auth_failures: 3,
            max_auth_steps: 8,
            max_queued_updates: 10_000,
        }
    }
}

impl Config {
    /// The default configuration.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
}
