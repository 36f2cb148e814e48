//! mailwire smtp-proto (skeleton: being written).
#![forbid(unsafe_code)]
