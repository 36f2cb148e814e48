//! TLS channel binding data for the SCRAM `-PLUS` mechanisms.

use core::fmt;

/// A channel binding type (RFC 5929, RFC 9266).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelBindingType {
    /// `tls-exporter` (RFC 9266): the TLS exporter with label
    /// `EXPORTER-Channel-Binding`, empty context, 32 bytes. The one to use
    /// with TLS 1.3.
    TlsExporter,
    /// `tls-server-end-point` (RFC 5929 §4): the hash of the server's
    /// certificate.
    TlsServerEndPoint,
    /// `tls-unique` (RFC 5929 §3): TLS 1.2 only, deprecated.
    TlsUnique,
}

impl ChannelBindingType {
    /// The cb-name used in the gs2 header (`p=tls-exporter`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::TlsExporter => "tls-exporter",
            Self::TlsServerEndPoint => "tls-server-end-point",
            Self::TlsUnique => "tls-unique",
        }
    }
}

impl fmt::Display for ChannelBindingType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Channel binding data obtained by the driver from the TLS layer (with
/// rustls: `export_keying_material(.., b"EXPORTER-Channel-Binding", None)`
/// for `tls-exporter`).
#[derive(Clone, PartialEq, Eq)]
pub struct ChannelBinding {
    kind: ChannelBindingType,
    data: Vec<u8>,
}

impl ChannelBinding {
    /// Binding data of the given type.
    #[must_use]
    pub fn new(kind: ChannelBindingType, data: impl Into<Vec<u8>>) -> Self {
        Self {
            kind,
            data: data.into(),
        }
    }

    /// The type.
    #[must_use]
    pub fn kind(&self) -> ChannelBindingType {
        self.kind
    }

    /// The binding data.
    #[must_use]
    pub fn data(&self) -> &[u8] {
        &self.data
    }
}

impl fmt::Debug for ChannelBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChannelBinding")
            .field("kind", &self.kind)
            .field("len", &self.data.len())
            .finish()
    }
}
