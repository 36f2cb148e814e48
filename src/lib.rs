//! # mailwire
//!
//! Email protocol libraries: the Internet Message Format, MIME, SASL, and
//! sans-IO SMTP, POP3 and IMAP state machines. Each protocol lives in its own
//! crate; this facade re-exports them behind features of the same name.
#![forbid(unsafe_code)]

#[cfg(feature = "rfc5322")]
#[doc(inline)]
pub use mailwire_rfc5322 as rfc5322;

#[cfg(feature = "mime")]
#[doc(inline)]
pub use mailwire_mime as mime;

#[cfg(feature = "sasl")]
#[doc(inline)]
pub use mailwire_sasl as sasl;

#[cfg(feature = "smtp")]
#[doc(inline)]
pub use mailwire_smtp_proto as smtp;

#[cfg(feature = "pop3")]
#[doc(inline)]
pub use mailwire_pop3_proto as pop3;

#[cfg(feature = "imap")]
#[doc(inline)]
pub use mailwire_imap_proto as imap;
