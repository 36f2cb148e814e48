//! Internet Message Format (RFC 5322) with RFC 6532 UTF-8 headers and
//! RFC 2047 encoded words: a zero-copy, lenient parser that reports
//! *defects* instead of failing, and a header writer that cannot produce a
//! header injection.
//!
//! Sans-IO: no I/O, no clock, no threads; every type borrows the input.
//!
//! # Parsing
//!
//! ```
//! use mailwire_rfc5322::{Message, ParseOptions, DefectKind};
//!
//! let raw = b"From: Mary Smith <mary@example.net>\r\n\
//! Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= from\r\n Berlin\r\n\
//! Received: from a by b; Fri, 21 Nov 1997 09:55:06 -0600\r\n\
//! Received: from c by a; Fri, 21 Nov 1997 09:54:00 -0600\r\n\
//! \r\n\
//! Hello.\r\n";
//! let msg = Message::parse(raw)?;
//!
//! // Fields keep their exact wire bytes and offsets...
//! let subject = msg.headers().get("subject").unwrap();
//! assert_eq!(subject.name(), "Subject");
//! assert_eq!(subject.value(), b" =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= from\r\n Berlin");
//! assert_eq!(&raw[subject.range()], subject.raw());
//! // ...and decode on demand: unfolded, encoded words decoded.
//! assert_eq!(subject.decoded(), "Grüße from Berlin");
//! assert_eq!(msg.headers().get_all("received").count(), 2);
//! assert_eq!(msg.body(), b"Hello.\r\n");
//! assert!(msg.defects().is_empty());
//!
//! // Bare LF line endings are accepted, and reported as a defect...
//! let lf = Message::parse(b"Subject: hi\n\nbody")?;
//! assert_eq!(lf.defects()[0].kind, DefectKind::BareLf);
//! // ...which strict mode turns into an error.
//! assert!(Message::parse_with(b"Subject: hi\n\nbody", &ParseOptions::strict()).is_err());
//! # Ok::<(), mailwire_rfc5322::Error>(())
//! ```
//!
//! # Typed fields and writing
//!
//! ```
//! use mailwire_rfc5322::Message;
//! use mailwire_rfc5322::writer::{HeaderWriter, Mode};
//!
//! let raw = b"To: A Group:Ed Jones <c@a.test>,joe@where.test;, \"Doe, Jane\" <jane@x.test>\r\n\
//! Date: 21 Nov 97 09:55:06 GMT\r\n\r\n";
//! let msg = Message::parse(raw)?;
//! let to = msg.headers().get("to").unwrap().addresses();
//! let names: Vec<_> = to.value.mailboxes().map(|m| m.addr_spec()).collect();
//! assert_eq!(names, ["c@a.test", "joe@where.test", "jane@x.test"]);
//! let date = msg.headers().get("date").unwrap().date()?;
//! assert_eq!(date.value.year, 1997); // obsolete two-digit year, with a defect
//! assert_eq!(date.defects.len(), 2);
//!
//! // Write them back: folded, and 7-bit safe.
//! let mut w = HeaderWriter::new(Mode::SevenBit);
//! w.addresses("To", &to.value)?.date("Date", &date.value)?.unstructured("Subject", "Grüße")?;
//! assert_eq!(
//!     String::from_utf8(w.finish()).unwrap(),
//!     "To: A Group: Ed Jones <c@a.test>, joe@where.test;, \"Doe, Jane\" <jane@x.test>\r\n\
//!      Date: Fri, 21 Nov 1997 09:55:06 +0000\r\n\
//!      Subject: =?utf-8?B?R3LDvMOfZQ==?=\r\n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # API stability
//!
//! These items are stable (other mailwire crates, `mailwire-mime` first,
//! build on them; they will only grow, never change shape):
//! [`Message`] (`parse`, `parse_with`, `headers`, `body`, `body_offset`,
//! `header_section`, `defects`, `unix_from`), [`Headers`] (`get`, `get_all`,
//! `iter`, `len`), [`HeaderField`] (`name`, `value`, `raw`, `offset`,
//! `raw_name`, `value_offset`, `range`, `unfolded`, `text`, `decoded`,
//! `addresses`, `mailbox`, `return_path`, `date`, `msg_ids`, `received`,
//! `keywords`), [`ParseOptions`], [`Limits`], [`Error`],
//! [`WriteError`], [`Defect`], [`DefectKind`], [`Parsed`], [`charset`]
//! (`Charset`, `decode`, `decode_utf7`, `UnknownCharset`),
//! [`encoded_word`] (`decode_unstructured`, `encode_words`), [`address`]
//! (`AddressList`, `Address`, `Mailbox`, `Group`), [`datetime::DateTime`],
//! [`msgid`] (`MsgId`, `parse_msg_id`, `parse_msg_id_list`) and
//! [`writer`] (`HeaderWriter`: `unstructured`, `structured`, `addresses`,
//! `mailbox`, `date`, `msg_ids`; `Mode`). [`lexical`] is public for reuse but
//! may still change.
#![forbid(unsafe_code)]

pub mod address;
pub mod charset;
pub mod datetime;
pub mod encoded_word;
mod error;
mod header;
pub mod lexical;
mod limits;
mod message;
pub mod msgid;
pub mod received;
pub mod writer;

pub use error::{Defect, DefectKind, Error, Parsed, WriteError};
pub use header::{HeaderField, Headers, unfold};
pub use limits::{Limits, ParseOptions};
pub use message::Message;
