//! Parse, then decode everything: every part's transfer encoding and
//! charset, header texts, parameters, file names and the RFC 8621 body
//! selection.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_mime::{Message, ParseOptions};

fuzz_target!(|data: &[u8]| {
    let mut opts = ParseOptions::default();
    opts.truncate_at_limits = true;
    opts.limits.max_parts = 500;
    let Ok(msg) = Message::parse_with(data, &opts) else {
        return;
    };
    for p in msg.parts() {
        let d = p.decoded();
        let _ = d.issue.map(|i| i.to_string());
        let _ = p.text();
        let ct = p.content_type();
        let _ = ct.mime_type();
        let _ = ct.charset();
        let _ = p.disposition();
        let _ = p.filename();
        let _ = p.content_id();
        let _ = p.languages();
        for f in p.headers() {
            let _ = f.text();
        }
    }
    let b = msg.body_parts();
    for p in b.text.iter().chain(&b.html).chain(&b.attachments) {
        let _ = p.imap_path_string();
    }
    // The decoders alone, on the raw input.
    let _ = mailwire_mime::transfer::decode_base64(data);
    let _ = mailwire_mime::transfer::decode_quoted_printable(data);
    let _ = mailwire_mime::transfer::decode_uuencode(data);
    let _ = mailwire_mime::ContentType::parse(data);
    let _ = mailwire_mime::ContentDisposition::parse(data);
});
