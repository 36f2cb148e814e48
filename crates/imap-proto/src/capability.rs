//! Capabilities and ENABLE-able extensions (RFC 9051 §7.2.2 and the extension RFCs).
