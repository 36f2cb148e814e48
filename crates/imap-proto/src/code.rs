//! Response codes in status responses (RFC 9051 §7.1, RFC 5530, RFC 4315, RFC 7162, RFC 9208, ...).
