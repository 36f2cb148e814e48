//! mailwire imap-proto: sans-IO IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051).
//!
//! Skeleton: the modules below are being written.
#![forbid(unsafe_code)]

pub mod error;
pub mod primitive;
pub mod mailbox;
pub mod flag;
pub mod sequence;
pub mod datetime;
pub mod section;
pub mod fetch;
pub mod search;
pub mod status;
pub mod capability;
pub mod command;
pub mod framer;
pub mod code;
pub mod envelope;
pub mod body;
pub mod response;
