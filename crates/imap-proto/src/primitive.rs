//! IMAP string primitives: atoms, astrings, quoted strings, literals, nstrings, tags, numbers (RFC 9051 §4, §9).
