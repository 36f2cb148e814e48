//! Every server response example of RFC 3501, RFC 9051 and the extension
//! RFCs (extracted from the `S:` lines of the RFC texts, continuation lines
//! joined), parsed, written back, and parsed again to the same value.
//!
//! `tests/data/rfc_responses.txt` marks each example: unmarked ones must
//! parse with the default (strict) options, `L ` ones only with
//! [`ResponseOptions::lenient`], and `X ` ones (elisions such as `...`,
//! doubled spaces, truncated lines, typos in the RFC) must fail both ways.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use mailwire_imap_proto::response::{Response, ResponseOptions};

fn check(rfc: &str, line: &[u8], opts: &ResponseOptions) -> Result<(), String> {
    let (r, used) = Response::parse_with(line, opts).map_err(|e| e.to_string())?;
    if used != line.len() {
        return Err(format!("used {used} of {}", line.len()));
    }
    let w = r.to_bytes();
    // Written back, it parses the same way with the same options (a code kept
    // as `Code::Other` because its arguments were invalid stays so).
    let (again, n) = Response::parse_with(&w, opts)
        .unwrap_or_else(|e| panic!("{rfc}: {e}: {:?}", String::from_utf8_lossy(&w)));
    assert_eq!(n, w.len());
    assert_eq!(again, r, "{rfc}");
    for cut in 0..line.len() {
        assert!(
            Response::parse_with(&line[..cut], opts)
                .unwrap_err()
                .is_incomplete(),
            "{rfc}: prefix {cut} of {:?}",
            String::from_utf8_lossy(line)
        );
    }
    Ok(())
}

#[test]
fn rfc_response_examples() {
    let data = include_str!("data/rfc_responses.txt");
    let strict = ResponseOptions::default();
    let lenient = ResponseOptions::lenient();
    let mut rfc = "";
    let (mut ok, mut len, mut bad) = (0, 0, 0);
    let mut failures = Vec::new();
    for l in data.lines() {
        if let Some(r) = l.strip_prefix("# ") {
            rfc = r;
            continue;
        }
        let (mark, text) = match l.get(..2) {
            Some("L ") => ('L', &l[2..]),
            Some("X ") => ('X', &l[2..]),
            _ => (' ', l),
        };
        let line = format!("{text}\r\n");
        let line = line.as_bytes();
        let res = match mark {
            ' ' => check(rfc, line, &strict).map(|()| {
                ok += 1;
            }),
            'L' => match (check(rfc, line, &strict), check(rfc, line, &lenient)) {
                (Err(_), Ok(())) => {
                    len += 1;
                    Ok(())
                }
                (s, l) => Err(format!(
                    "lenient-only expected, strict {s:?}, lenient {l:?}"
                )),
            },
            _ => match (
                Response::parse_with(line, &strict),
                Response::parse_with(line, &lenient),
            ) {
                (Err(_), Err(_)) => {
                    bad += 1;
                    Ok(())
                }
                _ => Err("expected to fail".to_owned()),
            },
        };
        if let Err(e) = res {
            failures.push(format!("{rfc}: {e}: {text}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(ok > 1300, "{ok}");
    assert_eq!((len, bad), (27, 49));
}
