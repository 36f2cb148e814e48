//! Agreement with Python's `email` package (`policy=default`) on the golden
//! corpus. Where the two differ, the difference is listed in `KNOWN` with
//! the RFC text that makes our answer the right one; anything else is a bug.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr,
    missing_docs
)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use mailwire_rfc5322::Message;
use serde_json::Value;

const DUMP: &str = r#"
import sys, json, email
from email import policy
def fix(s):
    return s.encode('utf-8', 'surrogateescape').decode('utf-8', 'replace')
out = {}
for path in sys.argv[1:]:
    raw = open(path, 'rb').read()
    msg = email.message_from_bytes(raw, policy=policy.default)
    hs = []
    for name, value in msg.items():
        e = {"name": name, "str": fix(str(value))}
        if hasattr(value, "addresses"):
            e["addresses"] = [[fix(a.display_name), fix(a.addr_spec)] for a in value.addresses]
        if hasattr(value, "datetime"):
            d = value.datetime
            e["unix"] = int(d.timestamp()) if d is not None and d.tzinfo is not None else None
        hs.append(e)
    out[path.split('/')[-1]] = hs
print(json.dumps(out))
"#;

/// Differences where we follow the RFC and Python does not:
/// (file, field name, what differs, why).
const KNOWN: &[(&str, &str, &str)] = &[
    // RFC 5322 §4.5 obs-optional: `field-name *WSP ":"` is a field. Python
    // takes "From  :" as the start of the body (MissingHeaderBodySeparator).
    ("03_obsolete.eml", "*", "python ends the header at `Name :`"),
    // RFC 2047 §6.3: a word in an unknown charset, or one that cannot be
    // decoded, may be shown as written; Python drops it.
    (
        "02_encoded_words.eml",
        "X-Invalid",
        "invalid encoded words kept as written",
    ),
    // RFC 5322 §4.3: a three-digit year is added to 1900 (103 → 2003);
    // Python reads year 103.
    ("11_dates.eml", "Resent-Date#1", "three-digit year"),
    // RFC 5322 §3.3: second = 2DIGIT, 60 allowed for a leap second; Python
    // rejects it.
    ("11_dates.eml", "Resent-Date#6", "leap second"),
    // An empty field name: Python drops the line with a defect; we keep the
    // field (name "") with DefectKind::EmptyFieldName so nothing is lost.
    ("08_malformed.eml", "", "empty field name kept"),
];

fn python(files: &[std::path::PathBuf]) -> Option<Value> {
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(DUMP)
        .args(files)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .stdin(Stdio::piped())
        .spawn()
        .ok()?;
    drop(child.stdin.take().map(|mut s| s.flush()));
    let start = Instant::now();
    loop {
        if child.try_wait().ok()?.is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("python3 timed out");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().ok()?;
    assert!(out.status.success(), "python3 failed");
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

fn known(file: &str, key: &str) -> bool {
    KNOWN
        .iter()
        .any(|(f, k, _)| *f == file && (*k == "*" || *k == key))
}

#[test]
fn agrees_with_python_email_policy_default() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    let Some(py) = python(&files) else {
        eprintln!("python3 not available: comparison skipped");
        return;
    };
    let mut checked = 0;
    let mut skipped = 0;
    let mut problems = Vec::new();
    for path in &files {
        let file = path.file_name().unwrap().to_str().unwrap();
        if known(file, "*") {
            continue;
        }
        let raw = std::fs::read(path).unwrap();
        let msg = Message::parse(&raw).unwrap();
        let py_fields = py[file].as_array().unwrap();
        let ours: Vec<_> = msg
            .headers()
            .iter()
            .filter(|f| !(f.name().is_empty() && known(file, "")))
            .collect();
        let theirs: Vec<_> = py_fields.iter().collect();
        let names = |v: &[&Value]| {
            v.iter()
                .map(|e| e["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        let our_names: Vec<String> = ours.iter().map(|f| f.name().to_owned()).collect();
        if our_names != names(&theirs) {
            problems.push(format!(
                "{file}: field names {our_names:?} vs {:?}",
                names(&theirs)
            ));
            continue;
        }
        let mut seen = std::collections::HashMap::<String, usize>::new();
        for (f, p) in ours.iter().zip(&theirs) {
            let n = seen.entry(f.name().to_owned()).or_default();
            *n += 1;
            let key = format!("{}#{}", f.name(), n);
            if known(file, f.name()) || known(file, &key) {
                skipped += 1;
                continue;
            }
            checked += 1;
            if let Some(addrs) = p.get("addresses") {
                let ours: Vec<(String, String)> = f
                    .addresses()
                    .value
                    .mailboxes()
                    .map(|m| (m.name.as_deref().unwrap_or("").to_owned(), m.addr_spec()))
                    .collect();
                let theirs: Vec<(String, String)> = addrs
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| {
                        (
                            a[0].as_str().unwrap().to_owned(),
                            a[1].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect();
                if ours != theirs {
                    problems.push(format!("{file} {key}: {ours:?} vs {theirs:?}"));
                }
            } else if let Some(unix) = p.get("unix") {
                let ours = f.date().ok().map(|d| d.value).filter(|d| !d.offset_unknown);
                let ours = ours.map(|d| d.unix_timestamp());
                if ours != unix.as_i64() {
                    problems.push(format!("{file} {key}: {ours:?} vs {unix}"));
                }
            } else {
                // Unstructured (and everything Python keeps as text):
                // compare the decoded, whitespace-normalised text.
                let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                let ours = norm(&f.decoded());
                let theirs = norm(p["str"].as_str().unwrap());
                if ours != theirs {
                    problems.push(format!("{file} {key}: {ours:?} vs {theirs:?}"));
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} fields compared");
    assert_eq!(skipped, 3, "every known difference is met");
    assert!(
        problems.is_empty(),
        "differences from Python:\n{}",
        problems.join("\n")
    );
}

/// The documented differences really are differences (so `KNOWN` cannot
/// hide a case that has since started to agree, or a typo).
#[test]
fn known_differences_are_real() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let file = dir.join("03_obsolete.eml");
    let Some(py) = python(std::slice::from_ref(&file)) else {
        return;
    };
    assert!(py["03_obsolete.eml"].as_array().unwrap().is_empty());
    let raw = std::fs::read(&file).unwrap();
    assert_eq!(Message::parse(&raw).unwrap().headers().len(), 8);

    let file = dir.join("11_dates.eml");
    let py = python(std::slice::from_ref(&file)).unwrap();
    let fields = py["11_dates.eml"].as_array().unwrap();
    // Python: year 103; RFC 5322 §4.3: 2003.
    assert!(fields[1]["str"].as_str().unwrap().contains("0103"));
    let raw = std::fs::read(&file).unwrap();
    let msg = Message::parse(&raw).unwrap();
    let ours: Vec<_> = msg.headers().get_all("resent-date").collect();
    assert_eq!(ours[0].date().unwrap().value.year, 2003);
    // Python: no datetime for the leap second; RFC 5322 §3.3 allows it.
    assert!(fields[6]["unix"].is_null());
    assert_eq!(ours[5].date().unwrap().value.second, 60);
}
