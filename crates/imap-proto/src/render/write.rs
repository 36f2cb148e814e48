//! The FETCH fast path: ENVELOPE, BODY/BODYSTRUCTURE and strings written
//! straight into the [`Encoder`], without building the typed values first.
//! The output is byte for byte what writing the typed values gives (tested
//! in `tests/render_roundtrip.rs`).

use mailwire_mime::Part;

use super::envelope::{EnvelopeFields, for_each_address, unstructured};
use crate::envelope::Address;
use crate::primitive::{Encoder, IString};

/// Bytes that go into a quoted string unescaped (7-bit text except `"`,
/// `\`, CR, LF and NUL).
fn plain_quotable(b: u8) -> bool {
    matches!(b, 0x01..=0x7f) && !matches!(b, b'"' | b'\\' | b'\r' | b'\n')
}

/// Writes a `string` exactly as [`Encoder::string`] does, with a fast path
/// for the common short plain text.
pub(crate) fn write_string(enc: &mut Encoder, v: &[u8]) {
    if v.len() <= 1024 && v.iter().all(|&b| plain_quotable(b)) {
        enc.raw(b"\"");
        enc.raw(v);
        enc.raw(b"\"");
    } else {
        enc.string(v);
    }
}

/// Writes an `nstring`.
pub(crate) fn write_nstring(enc: &mut Encoder, v: Option<&[u8]>) {
    match v {
        None => enc.raw(b"NIL"),
        Some(v) => write_string(enc, v),
    }
}

/// Writes `v` upper-cased as a `string`.
pub(crate) fn write_upper(enc: &mut Encoder, v: &str) {
    write_upper_bytes(enc, v.as_bytes());
}

/// Writes `b` upper-cased as a `string`.
pub(crate) fn write_upper_bytes(enc: &mut Encoder, b: &[u8]) {
    let mut buf = [0u8; 66];
    if b.len() <= 64 && b.iter().all(|&c| plain_quotable(c)) {
        if let Some(slot) = buf.get_mut(1..=b.len()) {
            for (d, s) in slot.iter_mut().zip(b) {
                *d = s.to_ascii_uppercase();
            }
        }
        buf[0] = b'"';
        if let Some(q) = buf.get_mut(b.len() + 1) {
            *q = b'"';
        }
        enc.raw(buf.get(..b.len() + 2).unwrap_or_default());
    } else {
        // NUL cannot be in an IMAP string: dropped, as the typed values do.
        let up: Vec<u8> = b
            .iter()
            .filter(|&&c| c != 0)
            .map(u8::to_ascii_uppercase)
            .collect();
        write_string(enc, &up);
    }
}

fn write_address(enc: &mut Encoder, a: &Address<'_>) {
    enc.raw(b"(");
    write_nstring(enc, a.name.as_ref().map(IString::as_bytes));
    enc.raw(b" ");
    write_nstring(enc, a.adl.as_ref().map(IString::as_bytes));
    enc.raw(b" ");
    write_nstring(enc, a.mailbox.as_ref().map(IString::as_bytes));
    enc.raw(b" ");
    write_nstring(enc, a.host.as_ref().map(IString::as_bytes));
    enc.raw(b")");
}

/// Writes the address list of `v` as `(...)`; writes nothing and returns
/// false when it has no address.
fn write_list(enc: &mut Encoder, v: Option<&[u8]>) -> bool {
    let Some(v) = v else { return false };
    let mut any = false;
    for_each_address(v, &mut |a| {
        if !any {
            enc.raw(b"(");
            any = true;
        }
        write_address(enc, &a);
    });
    if any {
        enc.raw(b")");
    }
    any
}

/// Writes the ENVELOPE of the message whose header `part` holds.
pub(crate) fn write_envelope(enc: &mut Encoder, part: Part<'_>) {
    fn un(v: Option<&[u8]>) -> Option<std::borrow::Cow<'_, [u8]>> {
        v.map(|v| unstructured(v).into_inner())
    }
    let f = EnvelopeFields::of(part);
    enc.raw(b"(");
    write_nstring(enc, un(f.date).as_deref());
    enc.raw(b" ");
    write_nstring(enc, un(f.subject).as_deref());
    enc.raw(b" ");
    let (start, waits) = (enc.as_bytes().len(), enc.sync_points().len());
    let from_present = write_list(enc, f.from);
    // The From list as written, to repeat it below without parsing it again
    // (unless it holds a literal, which the encoder must record itself).
    let from_bytes = (from_present && enc.sync_points().len() == waits)
        .then(|| enc.as_bytes().get(start..).unwrap_or_default().to_vec());
    if !from_present {
        enc.raw(b"NIL");
    }
    // RFC 9051 §7.5.2: Sender and Reply-To default to From.
    for v in [f.sender, f.reply_to] {
        enc.raw(b" ");
        if write_list(enc, v) {
            continue;
        }
        match &from_bytes {
            Some(b) => enc.raw(b),
            None if from_present => {
                write_list(enc, f.from);
            }
            None => enc.raw(b"NIL"),
        }
    }
    for v in [f.to, f.cc, f.bcc] {
        enc.raw(b" ");
        if !write_list(enc, v) {
            enc.raw(b"NIL");
        }
    }
    enc.raw(b" ");
    write_nstring(enc, un(f.in_reply_to).as_deref());
    enc.raw(b" ");
    write_nstring(enc, un(f.message_id).as_deref());
    enc.raw(b")");
}
