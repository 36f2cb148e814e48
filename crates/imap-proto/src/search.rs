//! SEARCH keys: the full key grammar with OR/NOT/parentheses, and ESEARCH return options (RFC 9051 §6.4.4, RFC 4731).
