//! mailwire imap-proto (skeleton: being written).
#![forbid(unsafe_code)]
