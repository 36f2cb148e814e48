//! Golden corpus: every `tests/corpus/*.eml` is rendered by the
//! `mail-inspect` example's `inspect` function in LF and in CRLF form and
//! compared with `NAME.lf.json` / `NAME.crlf.json`.
//!
//! To regenerate after an intended change:
//! `MAILWIRE_BLESS=1 cargo test -p mailwire-mime --test golden`, then review
//! the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code, unreachable_pub)]
#[path = "../../../examples/mail-inspect.rs"]
mod mail_inspect;

use std::path::PathBuf;

fn to_lf(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn to_crlf(b: &[u8]) -> Vec<u8> {
    let lf = to_lf(b);
    let mut out = Vec::with_capacity(lf.len() + lf.len() / 20);
    for &c in &lf {
        if c == b'\n' {
            out.push(b'\r');
        }
        out.push(c);
    }
    out
}

#[test]
fn golden_corpus() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let bless = std::env::var_os("MAILWIRE_BLESS").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    names.sort();
    assert!(names.len() >= 15, "corpus went missing");
    let mut failures = Vec::new();
    for path in &names {
        let raw = std::fs::read(path).unwrap();
        for (form, bytes) in [("lf", to_lf(&raw)), ("crlf", to_crlf(&raw))] {
            let got = mail_inspect::inspect(&bytes);
            // The output is valid JSON.
            serde_json::from_str::<serde_json::Value>(&got).unwrap();
            let expected_path = path.with_extension(format!("{form}.json"));
            if bless {
                std::fs::write(&expected_path, &got).unwrap();
                continue;
            }
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if expected != got {
                failures.push(format!("{} ({form})", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "golden mismatches (MAILWIRE_BLESS=1 to regenerate): {failures:#?}"
    );
}
