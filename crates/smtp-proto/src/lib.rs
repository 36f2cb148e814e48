//! Sans-IO SMTP, ESMTP and LMTP (RFC 5321 and extensions): command and
//! reply parsers and writers, a DATA/BDAT receiver that resists SMTP
//! smuggling, and server and client state machines that own no socket.
//!
//! * Vocabulary: [`Command`] (every RFC 5321 §4.1 command, STARTTLS, AUTH,
//!   BDAT, LHLO), [`Reply`] with [`EnhancedCode`], typed paths
//!   ([`path`]), typed MAIL/RCPT parameters ([`param`]), EHLO capabilities
//!   ([`capability`]). Parse errors keep "need more input"
//!   ([`ParseError::Incomplete`]) apart from [`SyntaxError`]s, which carry
//!   an offset and the expected syntax and map to the 500/501/504/555 reply
//!   a server owes ([`SyntaxError::reply`]).
//! * Framing: [`line::LineFramer`] (bounded command lines) and
//!   [`data::DataDecoder`] (dot-unstuffing; only `CRLF.CRLF` ends the data;
//!   bare CR/LF rejected or normalized, never a line end).
//! * Machines: [`server::Server`] and [`client::Client`]. Feed bytes in,
//!   drain `poll_transmit` (send it) then `poll_event` (decide), after every
//!   `feed` and every answer.
//!
//! # Fast paths and performance
//!
//! [`EhloView`] reads an EHLO reply without allocating (borrowed text,
//! [`capability::KeywordSet`] / [`capability::MechanismSet`] bit sets;
//! [`EhloView::into_owned`] gives the [`EhloReply`]), and
//! [`data::DataDecoder::decode_bytes`] hands message content out as
//! zero-copy `Bytes` slices of the input. Measured against Stalwart's
//! `smtp-proto` 0.2.5 on the same input (`benches/smtp.rs`; instructions
//! from `valgrind --tool=callgrind` on `examples/perf_probe.rs`, see the
//! README for the exact commands):
//!
//! | bench | mailwire | Stalwart | instructions, mailwire / Stalwart |
//! |---|---|---|---|
//! | 10 commands | 580 ns | 728 ns | 6.76k / 8.46k |
//! | EHLO reply, [`EhloView::parse`] | 314 ns | 344 ns | 4.67k / 5.16k |
//! | DATA 1 MiB, `decode_bytes` | 18.3 GiB/s | 15.2 GiB/s | 0.84M / 0.53M |
//!
//! The DATA receiver checks every CR and LF for bare line endings; Stalwart's
//! does not. Times are criterion medians on a quiet 2-core machine; the
//! README has the exact commands and more rows (each command alone, DATA
//! through the whole server machine).
//!
//! # The run loop
//!
//! A server and a client talking in memory; a real driver moves the bytes
//! over a socket instead (with the TLS handshake where
//! `wants_tls_upgrade()` says so).
//!
//! ```
//! use mailwire_smtp_proto::server::{self, Event, Server};
//! use mailwire_smtp_proto::client::{self, Client, Envelope, Event as ClientEvent};
//! use mailwire_smtp_proto::path::{Domain, ForwardPath, Host, Mailbox, ReversePath};
//!
//! let mut server = Server::new(server::Config::new("mx.example"));
//! let name = Host::Domain(Domain::parse("client.example").unwrap().into_owned());
//! let mut client = Client::new(client::Config::new(name));
//! let bob = ForwardPath::Mailbox(Mailbox::parse("bob@mx.example").unwrap().into_owned());
//! client.send(Envelope::new(ReversePath::Null, [bob]), &b"Subject: hi\r\n\r\nHello\r\n"[..]);
//! client.quit().unwrap();
//!
//! let mut message = Vec::new();
//! let mut results = Vec::new();
//! loop {
//!     let mut progress = false;
//!     while let Some(bytes) = server.poll_transmit() {
//!         client.feed(&bytes); // a driver would write to the socket
//!         progress = true;
//!     }
//!     while let Some(event) = server.poll_event() {
//!         progress = true;
//!         match event {
//!             // Decisions: accept or reject(Reply).
//!             Event::Connect | Event::Helo { .. } | Event::MailFrom { .. } | Event::RcptTo { .. } => {
//!                 server.accept().unwrap()
//!             }
//!             Event::MessageChunk(chunk) => message.extend_from_slice(&chunk),
//!             Event::MessageEnd { .. } => server.accept().unwrap(), // queue it first
//!             _ => {}
//!         }
//!     }
//!     while let Some(bytes) = client.poll_transmit() {
//!         server.feed(&bytes);
//!         progress = true;
//!     }
//!     while let Some(event) = client.poll_event() {
//!         if let ClientEvent::Message(result) = event {
//!             results.push(result);
//!         }
//!         progress = true;
//!     }
//!     if !progress {
//!         break;
//!     }
//! }
//! assert_eq!(message, b"Subject: hi\r\n\r\nHello\r\n");
//! assert!(results[0].is_complete_success());
//! assert!(server.is_closed() && client.is_closed());
//! ```
#![forbid(unsafe_code)]

pub mod capability;
pub mod client;
pub mod command;
pub mod data;
pub mod error;
pub mod limits;
pub mod line;
pub mod param;
pub mod path;
pub mod reply;
mod scan;
pub mod server;

pub use capability::{Capabilities, Capability, EhloReply, EhloView};
pub use command::{Command, Quirks};
pub use error::{ParseError, SyntaxError, SyntaxErrorKind, UsageError};
pub use limits::Limits;
pub use reply::{EnhancedCode, Reply, ReplyCode};
