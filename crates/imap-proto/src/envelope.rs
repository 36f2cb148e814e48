//! The ENVELOPE structure (RFC 9051 §7.5.2).
