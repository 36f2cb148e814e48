//! # mailwire-mime
//!
//! MIME (RFC 2045, 2046, 2047, 2049, 2183, 2231) over byte slices:
//!
//! - [`Message::parse`] finds the tree of entities — header fields,
//!   multipart boundaries (RFC 2046 §5.1.1), encapsulated messages
//!   (message/rfc822 and message/global, also when base64 or
//!   quoted-printable encoded) — with the byte ranges of every header and
//!   body, under configurable [`Limits`]. Bodies are not decoded until asked.
//! - [`Part::decoded`] and [`Part::text`] decode transfer encodings
//!   ([`transfer`]) and charsets ([`charset`]: every WHATWG label plus
//!   UTF-7); malformed input becomes a reported issue, never a failure.
//! - [`Message::body_parts`] picks textBody, htmlBody and attachments as
//!   RFC 8621 §4.1.4 does; [`Part::filename`] reads `filename*`, `filename`
//!   and `name`.
//! - [`Part::imap_path`], [`Message::find_imap`], [`Part::body_size`] and
//!   [`Part::body_lines`] give what IMAP BODYSTRUCTURE and `BODY[...]`
//!   sections need.
//! - [`builder::MessageBuilder`] writes messages the parser reads back to the
//!   same tree.
//!
//! ```
//! use mailwire_mime::Message;
//! let raw = b"Subject: =?UTF-8?Q?Caf=C3=A9?=\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9 cr=C3=A8me\r\n";
//! let msg = Message::parse(raw).unwrap();
//! let root = msg.root();
//! assert_eq!(root.header_text("subject").unwrap(), "Café");
//! assert_eq!(root.text().text, "Café crème\r\n");
//! assert_eq!(root.imap_path(), vec![1]);
//! ```
#![forbid(unsafe_code)]

mod body;
pub mod builder;
pub mod charset;
mod encoded_word;
mod error;
mod message;
mod params;
pub mod transfer;

pub use body::BodyParts;
pub use error::{Defect, DefectKind, Error, LimitKind, Limits, ParseOptions};
pub use message::{Children, Decoded, HeaderField, Message, Part, PartId, PartKind, Text};
pub use params::{ContentDisposition, ContentType, Param, is_token_byte};
pub use transfer::{DecodeIssue, TransferEncoding};
