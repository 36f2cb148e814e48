//! mailwire imap-proto: sans-IO IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051).
//!
//! Skeleton: the modules below are being written.
#![forbid(unsafe_code)]

pub mod body;
pub mod capability;
pub mod code;
pub mod command;
pub mod datetime;
pub mod envelope;
pub mod error;
pub mod fetch;
pub mod flag;
pub mod framer;
pub mod mailbox;
pub mod primitive;
pub mod response;
pub mod search;
pub mod section;
pub mod sequence;
pub mod status;
