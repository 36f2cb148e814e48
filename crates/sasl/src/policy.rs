//! Which mechanisms a server offers, before and after TLS.

use crate::Mechanism;

/// Which mechanisms a server offers on a connection without TLS and on
/// one with TLS. The protocol crates advertise [`Policy::offered`] and
/// refuse any `AUTH`/`AUTHENTICATE` for which [`Policy::allows`] is false.
///
/// The default ([`Policy::new`]) offers, after TLS, SCRAM-SHA-256,
/// SCRAM-SHA-1, PLAIN and LOGIN; before TLS only SCRAM-SHA-256 and
/// SCRAM-SHA-1, which never send the password. Nothing that sends a
/// password or a bearer token in the clear is ever in the default set
/// before TLS, and ANONYMOUS is never in a default set.
///
/// ```
/// use mailwire_sasl::{Mechanism, Policy};
/// let policy = Policy::new();
/// assert!(!policy.allows(Mechanism::Plain, false));
/// assert!(policy.allows(Mechanism::Plain, true));
/// let names: Vec<_> = policy.offered(true).map(|m| m.as_str()).collect();
/// assert_eq!(names, ["SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "LOGIN"]);
///
/// // Nothing at all before TLS (the `mailserver` example's default):
/// let strict = Policy::tls_only();
/// assert_eq!(strict.offered(false).count(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Policy {
    before_tls: u16,
    after_tls: u16,
}

impl Default for Policy {
    fn default() -> Self {
        Self::new()
    }
}

impl Policy {
    /// The default policy (see the type's documentation).
    #[must_use]
    pub const fn new() -> Self {
        let scram = Mechanism::ScramSha256.bit() | Mechanism::ScramSha1.bit();
        Self {
            before_tls: scram,
            after_tls: scram | Mechanism::Plain.bit() | Mechanism::Login.bit(),
        }
    }

    /// Like [`Policy::new`] but offers nothing before TLS.
    #[must_use]
    pub const fn tls_only() -> Self {
        let p = Self::new();
        Self {
            before_tls: 0,
            after_tls: p.after_tls,
        }
    }

    /// Offers nothing at all; add mechanisms with the `allow_*` methods.
    #[must_use]
    pub const fn none() -> Self {
        Self {
            before_tls: 0,
            after_tls: 0,
        }
    }

    /// Offers `m` on connections with TLS.
    ///
    /// Only allow a `-PLUS` mechanism if the driver supplies channel binding
    /// data in [`server::Config`](crate::server::Config).
    #[must_use]
    pub const fn allow_after_tls(mut self, m: Mechanism) -> Self {
        self.after_tls |= m.bit();
        self
    }

    /// Offers `m` on connections without TLS too (and with TLS).
    ///
    /// For a mechanism that sends a password or token in the clear
    /// ([`Mechanism::requires_tls`]) this exposes the credential to anyone
    /// on the path: hence the long name.
    #[must_use]
    pub const fn allow_before_tls_even_if_insecure(mut self, m: Mechanism) -> Self {
        self.before_tls |= m.bit();
        self.after_tls |= m.bit();
        self
    }

    /// Offers `m` on connections without TLS too, unless it sends a
    /// credential in the clear ([`Mechanism::requires_tls`]) or needs TLS
    /// channel binding, in which case only after TLS.
    #[must_use]
    pub const fn allow(mut self, m: Mechanism) -> Self {
        if !m.requires_tls() && !m.uses_channel_binding() {
            self.before_tls |= m.bit();
        }
        self.after_tls |= m.bit();
        self
    }

    /// Never offers `m`.
    #[must_use]
    pub const fn deny(mut self, m: Mechanism) -> Self {
        self.before_tls &= !m.bit();
        self.after_tls &= !m.bit();
        self
    }

    /// Whether `m` may be used on a connection with (`tls = true`) or
    /// without TLS.
    #[must_use]
    pub const fn allows(&self, m: Mechanism, tls: bool) -> bool {
        let set = if tls { self.after_tls } else { self.before_tls };
        set & m.bit() != 0
    }

    /// The mechanisms to advertise, strongest first (the order of
    /// [`Mechanism::ALL`]). `-PLUS` variants are only listed with `tls`.
    pub fn offered(&self, tls: bool) -> impl Iterator<Item = Mechanism> + use<> {
        let this = *self;
        Mechanism::ALL
            .into_iter()
            .filter(move |m| this.allows(*m, tls) && (tls || !m.uses_channel_binding()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_never_offers_cleartext_before_tls() {
        let p = Policy::default();
        for m in p.offered(false) {
            assert!(!m.requires_tls(), "{m}");
        }
        for m in Mechanism::ALL {
            assert!(!p.allows(Mechanism::Anonymous, true));
            if m.requires_tls() {
                assert!(!p.allows(m, false));
            }
        }
    }

    #[test]
    fn allow_and_deny() {
        let p = Policy::none()
            .allow(Mechanism::Plain)
            .allow(Mechanism::Anonymous)
            .allow(Mechanism::ScramSha256Plus);
        assert!(!p.allows(Mechanism::Plain, false));
        assert!(p.allows(Mechanism::Plain, true));
        assert!(p.allows(Mechanism::Anonymous, false));
        assert!(!p.allows(Mechanism::ScramSha256Plus, false));
        let v: Vec<_> = p.offered(true).collect();
        assert_eq!(
            v,
            [
                Mechanism::ScramSha256Plus,
                Mechanism::Plain,
                Mechanism::Anonymous
            ]
        );
        let p = p.deny(Mechanism::Plain);
        assert!(!p.allows(Mechanism::Plain, true));
        let p = p.allow_before_tls_even_if_insecure(Mechanism::Login);
        assert!(p.allows(Mechanism::Login, false));
    }
}
