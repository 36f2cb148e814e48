//! Credentials that must not leak through `Debug` or timing.

use core::fmt;

use subtle::ConstantTimeEq;

/// A password, shared secret or token.
///
/// `Debug` prints `Secret(..)`; equality is constant-time in the contents
/// (only the length may leak); the bytes are overwritten with zeros when
/// the value is dropped (best effort: without `unsafe` volatile writes this
/// crate cannot guarantee the compiler keeps the wipe, nor wipe copies made
/// by reallocation elsewhere).
///
/// ```
/// use mailwire_sasl::Secret;
/// let s = Secret::from("hunter2");
/// assert_eq!(format!("{s:?}"), "Secret(..)");
/// assert_eq!(s.expose(), b"hunter2");
/// assert_eq!(s, Secret::from("hunter2"));
/// ```
#[derive(Clone, Default)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps bytes.
    #[must_use]
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// The secret bytes. Named so that every use is easy to find.
    #[must_use]
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The secret as UTF-8 text, if it is.
    #[must_use]
    pub fn expose_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.0).ok()
    }

    /// Length in bytes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `true` if empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Constant-time comparison with raw bytes (the length may leak).
    #[must_use]
    pub fn ct_eq_bytes(&self, other: &[u8]) -> bool {
        self.0.ct_eq(other).into()
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        for b in &mut self.0 {
            *b = 0;
        }
        core::hint::black_box(&mut self.0);
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq_bytes(&other.0)
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self(s.as_bytes().to_vec())
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s.into_bytes())
    }
}

impl From<Vec<u8>> for Secret {
    fn from(v: Vec<u8>) -> Self {
        Self(v)
    }
}

impl From<&[u8]> for Secret {
    fn from(v: &[u8]) -> Self {
        Self(v.to_vec())
    }
}
