//! Parse options and limits.

/// Limits on sizes a peer controls. Exceeding one is an [`crate::Error`]
/// even in lenient mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Maximum number of header fields (default 1000).
    pub max_header_count: usize,
    /// Maximum length of one header line in bytes, excluding the line break
    /// (default 65 536). Lines over the RFC 5322 limit of 998 but under this
    /// one are a [`crate::DefectKind::LineTooLong`] defect.
    pub max_line_length: usize,
    /// Maximum size of the header section in bytes, including line breaks
    /// and the blank separator line (default 1 MiB).
    pub max_header_section: usize,
}

impl Limits {
    /// The default limits.
    pub const DEFAULT: Self = Self {
        max_header_count: 1000,
        max_line_length: 65_536,
        max_header_section: 1 << 20,
    };

    /// Set [`Limits::max_header_count`].
    #[must_use]
    pub const fn max_header_count(mut self, n: usize) -> Self {
        self.max_header_count = n;
        self
    }

    /// Set [`Limits::max_line_length`].
    #[must_use]
    pub const fn max_line_length(mut self, n: usize) -> Self {
        self.max_line_length = n;
        self
    }

    /// Set [`Limits::max_header_section`].
    #[must_use]
    pub const fn max_header_section(mut self, n: usize) -> Self {
        self.max_header_section = n;
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// How to parse a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ParseOptions {
    /// Size limits.
    pub limits: Limits,
    /// Strict mode: the first defect is returned as [`crate::Error::Defect`]
    /// instead of being recorded. Default: lenient.
    pub strict: bool,
}

impl ParseOptions {
    /// Lenient parsing with default limits.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            limits: Limits::DEFAULT,
            strict: false,
        }
    }

    /// Strict parsing with default limits.
    #[must_use]
    pub const fn strict() -> Self {
        Self {
            limits: Limits::DEFAULT,
            strict: true,
        }
    }

    /// Replace the limits.
    #[must_use]
    pub const fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Turn strict mode on or off.
    #[must_use]
    pub const fn with_strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }
}
