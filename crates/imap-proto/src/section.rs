//! BODY[section]<partial> and BINARY[section] specifiers (RFC 9051 §6.4.5, RFC 3516).
