//! Sans-IO SASL (RFC 4422) mechanisms, client and server side, shared by
//! the SMTP, POP3 and IMAP crates of mailwire.
//!
//! Mechanisms: PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195), SCRAM-SHA-1,
//! SCRAM-SHA-256 and their `-PLUS` variants (RFC 5802, RFC 7677),
//! XOAUTH2, OAUTHBEARER (RFC 7628), EXTERNAL (RFC 4422 App. A) and
//! ANONYMOUS (RFC 4505).
//!
//! This crate does no I/O, no base64 framing and calls no RNG or clock:
//! the protocol crates base64-decode client responses (and handle `*`
//! cancellation and the `=` empty initial response), encode challenges
//! after `334 `/`+ `, and pass randomness in through the configs.
//!
//! * [`server::Server`]: one exchange on the server side, driven by
//!   [`server::Step`]s; the application decides through
//!   [`server::Request`] / [`server::Answer`] (or a
//!   [`server::CredentialStore`] with [`server::drive`]).
//! * [`client::Client`]: one exchange on the client side.
//! * [`Policy`]: which mechanisms to offer before and after TLS.
//!
//! # The server run loop
//!
//! What an SMTP, POP3 or IMAP server crate does for `AUTH <mechanism>
//! [initial-response]` (here with an in-memory client standing in for the
//! network, and base64 left out):
//!
//! ```
//! use mailwire_sasl::server::{self, Answer, Request, Server, Step};
//! use mailwire_sasl::client::{self, Client, Credentials};
//! use mailwire_sasl::{Mechanism, Policy};
//!
//! let policy = Policy::new();
//! let tls = true;
//! let mechanism: Mechanism = "login".parse()?; // from the AUTH command
//! assert!(policy.allows(mechanism, tls));      // else: reply "504"/"NO"
//!
//! let config = server::Config::new().with_random(&[42; 32]);
//! let mut server = Server::new(mechanism, &config).final_data_as_challenge();
//! let mut client = Client::new(mechanism, Credentials::password("tim", "tanstaaf"), &client::Config::new())?;
//!
//! // `AUTH LOGIN` came without an initial response, so: start().
//! // (With one: `server.step(&decoded_initial_response)`.)
//! let mut step = match client.initial_response() {
//!     Some(ir) => server.step(&ir),
//!     None => server.start(),
//! };
//! let identity = loop {
//!     step = match step {
//!         // Send "334 " + base64(challenge); read a line; "*" means
//!         // server.cancel(); otherwise base64-decode and step().
//!         Step::Challenge(challenge) => {
//!             let response = client.step(&challenge)?;
//!             server.step(&response)
//!         }
//!         // Ask the application (an event of the protocol crate).
//!         Step::Need(Request::VerifyPassword { authcid, password, .. }) => {
//!             let ok = authcid == "tim" && password == "tanstaaf".into();
//!             server.answer(if ok { Answer::Accept } else { Answer::Reject })
//!         }
//!         Step::Need(_) => server.answer(Answer::Reject),
//!         // "235 2.7.0 Authentication successful"
//!         Step::Success(outcome) => break outcome.identity().to_owned(),
//!         // Map error.category() to "535"/"501"/"454".
//!         Step::Failure(error) => panic!("{error}"),
//!         _ => unreachable!(),
//!     };
//! };
//! client.finish(None)?;
//! assert_eq!(identity, "tim");
//! # Ok::<(), mailwire_sasl::Error>(())
//! ```
#![forbid(unsafe_code)]

mod channel_binding;
pub mod client;
mod crypto;
mod error;
mod limits;
mod mechanism;
mod policy;
mod scram;
mod secret;
pub mod server;

pub use channel_binding::{ChannelBinding, ChannelBindingType};
pub use error::{Error, ErrorCategory};
pub use limits::Limits;
pub use mechanism::Mechanism;
pub use policy::Policy;
pub use secret::Secret;
