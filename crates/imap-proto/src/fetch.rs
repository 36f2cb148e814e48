//! FETCH attributes on the command side, with the ALL/FAST/FULL macros (RFC 9051 §6.4.5).
