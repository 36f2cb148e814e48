//! mailwire sasl (skeleton: being written).
#![forbid(unsafe_code)]
