//! Flags, keywords, permanent flags and mailbox (LIST) attributes (RFC 9051 §2.3.2, §7.3.1; RFC 6154; RFC 3348).
