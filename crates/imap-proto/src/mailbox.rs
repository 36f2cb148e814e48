//! Mailbox names: INBOX, modified UTF-7 (RFC 3501 §5.1.3), UTF-8 names under UTF8=ACCEPT (RFC 6855).
