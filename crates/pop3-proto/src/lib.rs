//! mailwire pop3-proto (skeleton: being written).
#![forbid(unsafe_code)]
