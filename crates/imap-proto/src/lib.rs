//! mailwire imap-proto: sans-IO IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051).
//!
//! The crate frames first and parses second:
//!
//! 1. [`framer::Framer`] splits the byte stream into units (a command or a
//!    response: lines plus literals) under size budgets, reports literal
//!    announcements so a server can answer `+` or refuse before the bytes
//!    arrive, and skips poisoned units so the connection goes on.
//! 2. [`command::Command::parse`] and [`response::Response`] parse one unit
//!    into borrowed types (`Cow`), with `into_owned()` to detach.
//! 3. Writers ([`primitive::Encoder`]) pick the cheapest correct form for
//!    every string (atom, quoted, literal) and record where a client must
//!    wait for a continuation request.
//!
//! Parse errors ([`error::ParseError`]) tell "incomplete" (every proper prefix
//! of a valid unit) apart from syntax errors, which carry the byte offset and
//! what was expected, ready for a tagged `BAD`.
//!
//! A server's read loop:
//!
//! ```
//! use mailwire_imap_proto::command::{tag_of, Command, CommandBody};
//! use mailwire_imap_proto::framer::{FrameEvent, Framer, FramerConfig};
//!
//! let mut framer = Framer::new(FramerConfig::server());
//! let mut out: Vec<u8> = Vec::new();
//! framer.feed(b"a1 LOGIN joe {6}\r\n");
//! loop {
//!     match framer.poll() {
//!         Some(FrameEvent::Literal(ann)) if ann.needs_continuation => {
//!             if ann.length <= 1024 {
//!                 framer.accept_literal();
//!                 out.extend_from_slice(b"+ Ready for literal data\r\n");
//!             } else {
//!                 framer.reject_literal();
//!                 out.extend_from_slice(b"a1 NO [TOOBIG] literal too large\r\n");
//!             }
//!         }
//!         Some(FrameEvent::Literal(_)) => {}
//!         Some(FrameEvent::Unit(unit)) => match Command::parse(&unit) {
//!             Ok((cmd, _)) => {
//!                 assert!(matches!(cmd.body, CommandBody::Login { .. }));
//!                 out.extend_from_slice(cmd.tag.as_str().as_bytes());
//!                 out.extend_from_slice(b" OK LOGIN completed\r\n");
//!             }
//!             Err(e) => {
//!                 let tag = tag_of(&unit).map_or("*".to_string(), |t| t.to_string());
//!                 out.extend_from_slice(format!("{tag} BAD {}\r\n", e.bad_text()).as_bytes());
//!             }
//!         },
//!         Some(FrameEvent::Error(e)) => {
//!             let tag = e.tag.as_deref().map_or("*".into(), String::from_utf8_lossy);
//!             out.extend_from_slice(format!("{tag} BAD {}\r\n", e.reply_text()).as_bytes());
//!         }
//!         Some(_) => {}
//!         None if framer.buffered() == 0 => break,
//!         // The client sends the literal after our "+".
//!         None => framer.feed(b"secret\r\n"),
//!     }
//! }
//! assert_eq!(out, b"+ Ready for literal data\r\na1 OK LOGIN completed\r\n");
//! ```
//!
//! Modules by concern: [`primitive`] (atoms, strings, literals, numbers,
//! the encoder), [`mailbox`] (INBOX, modified UTF-7), [`flag`],
//! [`sequence`], [`datetime`], [`section`], [`fetch`], [`search`],
//! [`status`], [`capability`], [`command`], [`framer`]; and on the response
//! side [`response`], [`code`], [`envelope`], [`body`].
#![forbid(unsafe_code)]

pub mod body;
pub mod capability;
pub mod client;
pub mod code;
pub mod command;
pub mod datetime;
pub mod envelope;
pub mod error;
pub mod fetch;
pub mod flag;
pub mod framer;
pub mod mailbox;
pub mod message;
pub mod primitive;
pub mod query;
pub mod render;
pub mod response;
pub mod search;
pub mod section;
pub mod sequence;
pub mod server;
pub mod status;
pub mod view;

pub use command::{Command, CommandBody};
pub use error::ParseError;
pub use framer::{FrameEvent, Framer, FramerConfig};
pub use response::{Response, ResponseOptions};
