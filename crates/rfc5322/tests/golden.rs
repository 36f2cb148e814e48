//! Golden corpus: every `tests/golden/*.eml` is parsed in LF and in CRLF
//! form and rendered as JSON; both must equal `tests/golden/NAME.json`.
//! Line endings are normalised to LF in the JSON (and the `BareLf` defect,
//! which only the LF form has, is left out), so one file covers both forms.
//!
//! Set `GOLDEN_UPDATE=1` to rewrite the JSON files after a deliberate
//! change, then review the diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    missing_docs
)]

use std::path::{Path, PathBuf};

use mailwire_rfc5322::address::{Address, AddressList, Mailbox};
use mailwire_rfc5322::received::{Received, keywords};
use mailwire_rfc5322::{Defect, DefectKind, HeaderField, Message};
use serde_json::{Value, json};

fn defects(d: &[Defect]) -> Value {
    d.iter()
        .filter(|d| d.kind != DefectKind::BareLf)
        .map(|d| Value::String(format!("{:?}", d.kind)))
        .collect()
}

fn mailbox(m: &Mailbox<'_>) -> Value {
    let mut v = json!({ "name": m.name, "addr": m.addr_spec() });
    if m.domain.is_none() {
        v["no_domain"] = json!(true);
    }
    if !m.route.is_empty() {
        v["route"] = json!(m.route);
    }
    v
}

fn address_list(l: &AddressList<'_>) -> Value {
    l.addresses
        .iter()
        .map(|a| match a {
            Address::Mailbox(m) => mailbox(m),
            Address::Group(g) => json!({
                "group": g.name,
                "members": g.members.iter().map(mailbox).collect::<Vec<_>>(),
            }),
            _ => Value::Null,
        })
        .collect()
}

fn lf(b: &[u8]) -> String {
    String::from_utf8_lossy(b).replace("\r\n", "\n")
}

/// The typed parse of a field by its name, with the value parser's defects.
fn typed(f: &HeaderField<'_>) -> (Value, Value) {
    let name = f.name().to_ascii_lowercase();
    match name.as_str() {
        "from" | "to" | "cc" | "bcc" | "reply-to" | "resent-from" | "resent-to" | "resent-cc"
        | "resent-bcc" => {
            let p = f.addresses();
            (address_list(&p.value), defects(&p.defects))
        }
        "sender" | "resent-sender" => {
            let p = Mailbox::parse(f.value());
            (
                p.value.as_ref().map_or(Value::Null, mailbox),
                defects(&p.defects),
            )
        }
        "return-path" => {
            let p = Mailbox::parse_return_path(f.value());
            (
                p.value.as_ref().map_or(Value::Null, mailbox),
                defects(&p.defects),
            )
        }
        "date" | "resent-date" => match f.date() {
            Ok(p) => (
                json!({
                    "date": p.value.to_string(),
                    "unix": p.value.unix_timestamp(),
                    "offset_unknown": p.value.offset_unknown,
                }),
                defects(&p.defects),
            ),
            Err(e) => (json!({ "error": e.to_string() }), json!([])),
        },
        "message-id" | "in-reply-to" | "references" | "resent-message-id" | "content-id" => {
            let p = f.msg_ids();
            (
                p.value.iter().map(ToString::to_string).collect(),
                defects(&p.defects),
            )
        }
        "received" => {
            let p = Received::parse(f.value());
            (
                json!({
                    "tokens": p.value.tokens,
                    "comments": p.value.comments,
                    "date": p.value.date.map(|d| d.to_string()),
                }),
                defects(&p.defects),
            )
        }
        "keywords" => {
            let p = keywords(f.value());
            (json!(p.value), defects(&p.defects))
        }
        _ => {
            let p = f.decoded_with_defects();
            (json!(p.value), defects(&p.defects))
        }
    }
}

fn render(msg: &Message<'_>) -> Value {
    let headers: Vec<Value> = msg
        .headers()
        .iter()
        .map(|f| {
            let (parsed, d) = typed(f);
            let mut v = json!({
                "name": f.name(),
                "value": lf(f.value()),
                "parsed": parsed,
            });
            if d.as_array().is_some_and(|a| !a.is_empty()) {
                v["defects"] = d;
            }
            v
        })
        .collect();
    json!({
        "unix_from": msg.unix_from().map(lf),
        "headers": headers,
        "defects": defects(msg.defects()),
        "body": lf(msg.body()),
    })
}

fn to_crlf(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len() + b.len() / 20);
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' && (i == 0 || b[i - 1] != b'\r') {
            out.push(b'\r');
        }
        out.push(c);
    }
    out
}

fn to_lf(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    for (i, &c) in b.iter().enumerate() {
        if c == b'\r' && b.get(i + 1) == Some(&b'\n') {
            continue;
        }
        out.push(c);
    }
    out
}

/// A line diff (longest common subsequence) of two texts, `-` for
/// expected-only lines and `+` for actual-only lines, with context.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(format!("  {}", a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(format!("+ {}", b[j]));
            j += 1;
        } else {
            out.push(format!("- {}", a[i]));
            i += 1;
        }
    }
    // Keep changed lines with two lines of context.
    let changed: Vec<usize> = (0..out.len())
        .filter(|&k| !out[k].starts_with("  "))
        .collect();
    out.iter()
        .enumerate()
        .filter(|(k, _)| changed.iter().any(|c| c.abs_diff(*k) <= 2))
        .map(|(_, l)| l.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
}

#[test]
fn golden_corpus_lf_and_crlf() {
    let update = std::env::var_os("GOLDEN_UPDATE").is_some();
    let files = corpus();
    assert!(files.len() >= 10, "corpus missing");
    let mut failures = Vec::new();
    for path in files {
        let raw = std::fs::read(&path).unwrap();
        let json_path = path.with_extension("json");
        let lf_bytes = to_lf(&raw);
        let crlf_bytes = to_crlf(&lf_bytes);
        let lf_msg = Message::parse(&lf_bytes).unwrap();
        let crlf_msg = Message::parse(&crlf_bytes).unwrap();
        assert!(
            crlf_msg
                .defects()
                .iter()
                .all(|d| d.kind != DefectKind::BareLf)
        );
        let lf_json = serde_json::to_string_pretty(&render(&lf_msg)).unwrap() + "\n";
        let crlf_json = serde_json::to_string_pretty(&render(&crlf_msg)).unwrap() + "\n";
        // Both forms must also keep exact raw bytes per field.
        for m in [&lf_msg, &crlf_msg] {
            for f in m.headers() {
                assert_eq!(&m.as_bytes()[f.range()], f.raw());
            }
        }
        if update {
            std::fs::write(&json_path, &crlf_json).unwrap();
        }
        let expected = std::fs::read_to_string(&json_path).unwrap_or_default();
        for (form, got) in [("LF", &lf_json), ("CRLF", &crlf_json)] {
            if *got != expected {
                failures.push(format!(
                    "{} ({form} form) differs from {}:\n{}",
                    path.display(),
                    json_path.display(),
                    diff(&expected, got)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
