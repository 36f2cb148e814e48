//! BODY and BODYSTRUCTURE, extensible and non-extensible forms (RFC 9051 §7.5.2, §9 body).
