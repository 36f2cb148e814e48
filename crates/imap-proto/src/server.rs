//! The server state machine (RFC 9051 §3, RFC 3501): states, tags, literal
//! continuations, AUTHENTICATE, STARTTLS, ENABLE, IDLE, untagged updates.
