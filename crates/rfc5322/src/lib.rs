//! mailwire rfc5322 (skeleton: being written).
#![forbid(unsafe_code)]
