//! SEARCH evaluation, SORT and THREAD (RFC 9051 §6.4.4, RFC 4731, RFC 5256)
//! over messages a server holds.
