//! The client state machine (RFC 9051 §3, RFC 3501): greeting, capabilities,
//! STARTTLS, authentication, commands in flight, IDLE.
