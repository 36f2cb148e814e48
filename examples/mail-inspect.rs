//! `mail-inspect`: print a parsed message as one JSON object.
//!
//! ```sh
//! cargo run --release --example mail-inspect -- FILE.eml
//! cargo run --release --example mail-inspect < FILE.eml      # or `-` for stdin
//! ```
//!
//! # Output format (stable: scripts compare it with other parsers)
//!
//! One JSON object, pretty-printed with two-space indentation, keys always
//! present and always in this order:
//!
//! | key | value |
//! |---|---|
//! | `subject` | the first `Subject` field, unfolded and RFC 2047-decoded, or `null` |
//! | `from`, `to`, `cc`, `bcc`, `reply_to`, `sender` | the first field of that name as a list of `{"name", "address"}`; group members are flattened into the list (the group name is dropped); `name` is the decoded display name or `null`; `address` is `local@domain` (just the local part if the domain is missing); `[]` when the field is absent |
//! | `date` | the first `Date` field in RFC 3339 with the original offset (`2026-11-22T09:15:00+01:00`; an unknown zone `-0000` is written `-00:00`), or `null` when absent or unparseable |
//! | `message_id` | the first `Message-ID` without angle brackets (the trimmed raw value if it does not parse), or `null` |
//! | `headers` | every top-level header field in order, as `{"name", "value"}`: the name as written, the value unfolded, trimmed and RFC 2047-decoded |
//! | `parts` | one entry per leaf part, depth-first, descending into message/rfc822 and message/global parts (also base64/QP-encoded ones); see below |
//! | `text_body` | the decoded text of the RFC 8621 §4.1.4 `textBody` parts that are `text/*`, joined with `"\n"`; line breaks are kept as they are in the message |
//! | `defects` | a list of strings, `"part PATH: DESCRIPTION"` (`PATH` is `root` for a multipart root), structural defects first, then decoding problems of the leaf parts in order |
//!
//! Each `parts` entry has, in order: `path` (IMAP part number, RFC 3501
//! §6.4.5, e.g. `"1.2"`; `"1"` for a single-part message), `content_type`
//! (lowercased `type/subtype`; the default `text/plain` when absent or
//! invalid, `message/rfc822` inside multipart/digest), `charset` (the
//! Content-Type `charset` parameter as written, or `null`), `disposition`
//! (lowercased Content-Disposition type or `null`), `filename` (from
//! `filename*`, `filename`, then `name`, RFC 2231/2047-decoded, or `null`),
//! `content_id` (without angle brackets, or `null`), `transfer_encoding`
//! (the lowercased Content-Transfer-Encoding token, `"7bit"` when absent),
//! `decoded_size` (octets after transfer decoding) and `sha256` (lowercase
//! hex of the transfer-decoded bytes).
//!
//! Any input that is a message at all exits with status 0 (malformed
//! messages are reported in `defects`; limits are applied in truncating
//! mode). Unreadable input (a missing file, a directory, an I/O error)
//! prints `mail-inspect: ERROR` on stderr and exits with status 1; bad usage
//! exits with status 2.
#![forbid(unsafe_code)]

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::process::ExitCode;

use mailwire_mime::{Message, ParseOptions, Part, PartKind};
use mailwire_rfc5322::address::{Address, AddressList, Mailbox};
use mailwire_rfc5322::datetime::DateTime;
use sha2::{Digest, Sha256};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (label, input) = match args.as_slice() {
        [] => ("stdin".to_string(), read_stdin()),
        [a] if a == "-" => ("stdin".to_string(), read_stdin()),
        [a] if a == "-h" || a == "--help" => {
            let _ = writeln!(std::io::stdout(), "usage: mail-inspect [FILE.eml | -]");
            return ExitCode::SUCCESS;
        }
        [path] => (path.clone(), std::fs::read(path)),
        _ => {
            let _ = writeln!(std::io::stderr(), "usage: mail-inspect [FILE.eml | -]");
            return ExitCode::from(2);
        }
    };
    let input = match input {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "mail-inspect: cannot read {label}: {e}");
            return ExitCode::from(1);
        }
    };
    let out = inspect(&input);
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn read_stdin() -> std::io::Result<Vec<u8>> {
    let mut v = Vec::new();
    std::io::stdin().lock().read_to_end(&mut v)?;
    Ok(v)
}

/// A tiny JSON value whose objects keep their key order.
enum J {
    Null,
    Num(u64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

fn opt(s: Option<String>) -> J {
    s.map_or(J::Null, J::Str)
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_json(out: &mut String, v: &J, indent: usize) {
    let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
    match v {
        J::Null => out.push_str("null"),
        J::Num(n) => {
            let _ = write!(out, "{n}");
        }
        J::Str(s) => write_str(out, s),
        J::Arr(items) if items.is_empty() => out.push_str("[]"),
        J::Arr(items) => {
            out.push_str("[\n");
            for (i, it) in items.iter().enumerate() {
                pad(out, indent + 2);
                write_json(out, it, indent + 2);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push(']');
        }
        J::Obj(items) if items.is_empty() => out.push_str("{}"),
        J::Obj(items) => {
            out.push_str("{\n");
            for (i, (k, it)) in items.iter().enumerate() {
                pad(out, indent + 2);
                write_str(out, k);
                out.push_str(": ");
                write_json(out, it, indent + 2);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push('}');
        }
    }
}

fn mailbox_json(m: &Mailbox<'_>) -> J {
    let address = match &m.domain {
        Some(_) => m.addr_spec(),
        None => m.local_part.to_string(),
    };
    J::Obj(vec![
        ("name", opt(m.name.as_ref().map(|n| n.to_string()))),
        ("address", J::Str(address)),
    ])
}

fn addresses(root: &Part<'_>, name: &str) -> J {
    let Some(field) = root.header(name) else {
        return J::Arr(Vec::new());
    };
    let raw = escape_8bit_in_q_words(field.raw_value());
    let list = AddressList::parse(&raw).value;
    let mut out = Vec::new();
    for a in &list.addresses {
        match a {
            Address::Mailbox(m) => out.push(mailbox_json(m)),
            Address::Group(g) => out.extend(g.members.iter().map(mailbox_json)),
            _ => {}
        }
    }
    J::Arr(out)
}

/// Raw 8-bit bytes inside `Q` encoded words (`=?iso-8859-1?Q?M\xfcller?=`,
/// written by old mailers) are escaped as `=XX`, so the word decodes in
/// its own charset instead of as invalid UTF-8.
fn escape_8bit_in_q_words(raw: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if raw.is_ascii() {
        return std::borrow::Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len() + 16);
    let mut in_q_word = false;
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        if !in_q_word && raw[i..].starts_with(b"=?") {
            // =?charset?Q?
            let rest = &raw[i + 2..];
            let q = rest.iter().position(|&b| b == b'?').unwrap_or(rest.len());
            if rest
                .get(q + 1)
                .is_some_and(|b| b.eq_ignore_ascii_case(&b'q'))
                && rest.get(q + 2) == Some(&b'?')
            {
                out.extend_from_slice(&raw[i..i + 2 + q + 3]);
                i += 2 + q + 3;
                in_q_word = true;
                continue;
            }
        } else if in_q_word
            && (raw[i..].starts_with(b"?=") || matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        {
            in_q_word = false;
        }
        if in_q_word && c >= 0x80 {
            out.extend_from_slice(format!("={c:02X}").as_bytes());
        } else {
            out.push(c);
        }
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

fn rfc3339(d: &DateTime) -> String {
    let sign = if d.offset_minutes < 0 || d.offset_unknown {
        '-'
    } else {
        '+'
    };
    let off = d.offset_minutes.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}",
        d.year,
        d.month,
        d.day,
        d.hour,
        d.minute,
        d.second,
        sign,
        off / 60,
        off % 60
    )
}

fn path_label(p: &Part<'_>) -> String {
    let s = p.imap_path_string();
    if s.is_empty() { "root".to_string() } else { s }
}

fn leaves<'m>(p: Part<'m>, out: &mut Vec<Part<'m>>) {
    match p.kind() {
        PartKind::Leaf => out.push(p),
        PartKind::Multipart => p.children().for_each(|c| leaves(c, out)),
        PartKind::Message => match p.encapsulated() {
            Some(inner) => leaves(inner, out),
            None => out.push(p),
        },
        _ => out.push(p),
    }
}

/// Parses `input` and renders the JSON document described in the module
/// documentation (with a final newline).
pub fn inspect(input: &[u8]) -> String {
    let mut options = ParseOptions::default();
    options.truncate_at_limits = true;
    // Truncating limits make parsing infallible; an error would render as
    // an empty message.
    let Ok(msg) = Message::parse_with(input, &options) else {
        return inspect(b"");
    };
    let root = msg.root();
    let mut defects: Vec<J> = msg
        .defects()
        .iter()
        .map(|d| {
            let p = msg
                .part(d.part)
                .map_or_else(|| "?".to_string(), |p| path_label(&p));
            J::Str(format!("part {p}: {d}"))
        })
        .collect();

    let subject = opt(root.header_text("subject").map(|s| s.into_owned()));
    let date = root
        .header("date")
        .and_then(|f| DateTime::parse(f.raw_value()).ok())
        .map_or(J::Null, |d| J::Str(rfc3339(&d.value)));
    let message_id = root.header("message-id").map_or(J::Null, |f| {
        let parsed = mailwire_rfc5322::msgid::parse_msg_id(f.raw_value()).value;
        J::Str(match parsed {
            Some(id) => format!("{}@{}", id.left, id.right),
            None => {
                let t = f.text();
                let t = t.trim();
                t.strip_prefix('<')
                    .and_then(|t| t.strip_suffix('>'))
                    .unwrap_or(t)
                    .to_string()
            }
        })
    });
    let headers = J::Arr(
        root.headers()
            .map(|f| {
                J::Obj(vec![
                    ("name", J::Str(f.name().to_string())),
                    ("value", J::Str(f.text().into_owned())),
                ])
            })
            .collect(),
    );

    let mut leaf_parts = Vec::new();
    leaves(root, &mut leaf_parts);
    let mut parts = Vec::new();
    for p in &leaf_parts {
        let ct = p.content_type();
        let decoded = p.decoded();
        let label = path_label(p);
        if let Some(issue) = decoded.issue {
            defects.push(J::Str(format!("part {label}: {issue}")));
        }
        if let Some(cs) = ct
            .charset()
            .filter(|cs| !mailwire_mime::charset::is_known(cs))
        {
            defects.push(J::Str(format!("part {label}: unknown charset {cs:?}")));
        }
        let cte = p
            .header("content-transfer-encoding")
            .map(|f| f.text().trim().to_ascii_lowercase())
            .unwrap_or_else(|| "7bit".to_string());
        parts.push(J::Obj(vec![
            ("path", J::Str(p.imap_path_string())),
            ("content_type", J::Str(ct.mime_type())),
            ("charset", opt(ct.charset().map(str::to_string))),
            (
                "disposition",
                opt(p
                    .disposition()
                    .map(|d| d.kind().to_string())
                    .filter(|k| !k.is_empty())),
            ),
            ("filename", opt(p.filename())),
            ("content_id", opt(p.content_id().map(|c| c.into_owned()))),
            ("transfer_encoding", J::Str(cte)),
            ("decoded_size", J::Num(decoded.bytes.len() as u64)),
            (
                "sha256",
                J::Str(hex::encode(Sha256::digest(&decoded.bytes))),
            ),
        ]));
    }

    let body = msg.body_parts();
    let texts: Vec<String> = body
        .text
        .iter()
        .filter(|p| p.content_type().main_type() == "text")
        .map(|p| p.text().text.into_owned())
        .collect();

    let doc = J::Obj(vec![
        ("subject", subject),
        ("from", addresses(&root, "from")),
        ("to", addresses(&root, "to")),
        ("cc", addresses(&root, "cc")),
        ("bcc", addresses(&root, "bcc")),
        ("reply_to", addresses(&root, "reply-to")),
        ("sender", addresses(&root, "sender")),
        ("date", date),
        ("message_id", message_id),
        ("headers", headers),
        ("parts", J::Arr(parts)),
        ("text_body", J::Str(texts.join("\n"))),
        ("defects", J::Arr(defects)),
    ]);
    let mut out = String::new();
    write_json(&mut out, &doc, 0);
    out.push('\n');
    out
}
