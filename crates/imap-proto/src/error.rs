//! Parse errors for the whole crate: where the input went wrong and what was expected.
