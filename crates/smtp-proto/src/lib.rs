//! Sans-IO SMTP, ESMTP and LMTP (RFC 5321 and extensions).
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
pub mod server;

pub use capability::{Capabilities, Capability, EhloReply};
pub use command::{Command, Quirks};
pub use error::{ParseError, SyntaxError, SyntaxErrorKind, UsageError};
pub use limits::Limits;
pub use reply::{EnhancedCode, Reply, ReplyCode};
