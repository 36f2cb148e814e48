//! Sequence sets and UID sets, with `*` and the SEARCHRES `$` marker (RFC 9051 §9 sequence-set; RFC 5182).
