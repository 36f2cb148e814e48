//! IMAP date and date-time values (RFC 9051 §9 date, date-time).
