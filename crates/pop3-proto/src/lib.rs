//! Sans-IO POP3 (RFC 1939) with CAPA and response codes (RFC 2449), STLS
//! (RFC 2595), SASL AUTH (RFC 5034) and UTF8 (RFC 6856).
//!
//! Parsers ([`Command`], [`Response`], [`Capability`]) work alone; the
//! [`Server`] and [`Client`] machines own no socket: feed them bytes,
//! drain `poll_transmit` then `poll_event`, answer events with typed methods.
//!
//! A complete server run loop over any byte transport:
//!
//! ```
//! use mailwire_pop3_proto::server::{Config, Event, MessageInfo, Server};
//!
//! let mut config = Config::default();
//! config.insecure_allow_plaintext_auth = true; // a test without TLS
//! let mut server = Server::new(config);
//! let client_bytes: &[&[u8]] = &[b"USER a\r\n", b"PASS b\r\nRETR 1\r\nQUIT\r\n"];
//! let mut sent = Vec::new();
//! let mut input = client_bytes.iter();
//! loop {
//!     while let Some(bytes) = server.poll_transmit() {
//!         sent.extend_from_slice(&bytes); // socket.write_all(&bytes)
//!     }
//!     match server.poll_event() {
//!         Some(Event::VerifyPassword { .. }) => server.accept_credentials().unwrap(),
//!         Some(Event::OpenMaildrop { .. }) => server
//!             .open_maildrop(vec![MessageInfo { size: 9, uid: "u1".into() }])
//!             .unwrap(),
//!         Some(Event::Message { .. }) => {
//!             server.message_data(b"Hi: x\r\n\r\n").unwrap();
//!             server.message_end().unwrap();
//!         }
//!         Some(Event::Update { .. }) => server.update_done().unwrap(),
//!         Some(Event::Closed) => break,
//!         Some(_) => {}
//!         None => match input.next() {
//!             Some(bytes) => server.feed(bytes), // socket.read(..)
//!             None => break,
//!         },
//!     }
//! }
//! assert!(sent.ends_with(b"+OK 9 octets\r\nHi: x\r\n\r\n.\r\n+OK POP3 server signing off (1 message left)\r\n"));
//! ```
//!
//! The client, driven the same way (here fed a canned server):
//!
//! ```
//! use mailwire_pop3_proto::client::{Client, Config, Event, TlsPolicy};
//! use mailwire_pop3_proto::Secret;
//!
//! let mut config = Config::default();
//! config.tls = TlsPolicy::Implicit; // port 995; STLS is the default
//! let mut client = Client::new(config);
//! let login = client.login("alice", Secret::from("secret")).unwrap(); // queued until Ready
//! let server: &[&[u8]] = &[
//!     b"+OK ready\r\n",
//!     b"+OK\r\nUSER\r\nPIPELINING\r\n.\r\n",
//!     b"+OK\r\n",
//!     b"+OK alice's maildrop has 1 messages (5 octets)\r\n",
//!     b"+OK 5 octets\r\n..hi\r\n.\r\n",
//! ];
//! let mut body = Vec::new();
//! for bytes in server {
//!     client.feed(bytes);
//!     while let Some(_out) = client.poll_transmit() { /* socket.write_all(&_out) */ }
//!     while let Some(ev) = client.poll_event() {
//!         match ev {
//!             Event::Authenticated { handle } => {
//!                 assert_eq!(handle, login);
//!                 client.retr(1).unwrap();
//!             }
//!             Event::MessageChunk { data, .. } => body.extend_from_slice(&data),
//!             _ => {}
//!         }
//!     }
//! }
//! assert_eq!(body, b".hi\r\n");
//! ```
#![forbid(unsafe_code)]

pub mod capability;
pub mod client;
pub mod command;
pub mod error;
pub mod limits;
pub mod line;
pub mod multiline;
pub mod response;
pub mod server;

pub use capability::{Capabilities, Capability};
pub use client::Client;
pub use command::{Command, Secret};
pub use error::{MisuseError, ParseError, ProtocolError};
pub use limits::Limits;
pub use response::{Response, ResponseCode, Status};
pub use server::Server;
