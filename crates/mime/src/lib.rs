//! mailwire mime (skeleton: being written).
#![forbid(unsafe_code)]
