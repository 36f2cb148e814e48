//! Command parser: no panics on any input; whatever parses writes back to
//! bytes that parse to the same command; proper prefixes are incomplete.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailwire_imap_proto::command::Command;
use mailwire_imap_proto::primitive::{EncodeOptions, Encoder, LiteralMode};

fuzz_target!(|data: &[u8]| {
    let Ok((cmd, used)) = Command::parse(data) else {
        return;
    };
    assert!(used <= data.len());
    // Proper prefixes of a valid unit are incomplete, never errors.
    for cut in [0, used / 2, used.saturating_sub(1)] {
        if cut < used {
            assert!(Command::parse(&data[..cut]).unwrap_err().is_incomplete());
        }
    }
    for opts in [
        EncodeOptions::default(),
        EncodeOptions { literal: LiteralMode::NonSync, utf8_quoted: true },
    ] {
        let mut enc = Encoder::new(opts);
        cmd.encode(&mut enc);
        let bytes = enc.as_bytes();
        let (again, n) = match Command::parse(bytes) {
            Ok(x) => x,
            Err(e) => panic!("rewritten {:?} failed: {e}", String::from_utf8_lossy(bytes)),
        };
        assert_eq!(n, bytes.len());
        assert_eq!(again, cmd);
    }
    let _ = cmd.into_owned();
});
