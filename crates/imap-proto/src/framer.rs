//! The framer: splits input into command or response units (lines plus literals) before any grammar runs.
