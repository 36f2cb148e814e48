//! STATUS data item names (RFC 9051 §6.3.11, RFC 7162, RFC 8438, RFC 8474).
