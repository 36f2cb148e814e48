#![no_main]
//! Command parser: never panics; whatever parses writes back to an
//! equivalent command.
use libfuzzer_sys::fuzz_target;
use mailwire_smtp_proto::{Command, Quirks};

fuzz_target!(|data: &[u8]| {
    for quirks in [Quirks::default(), Quirks::lenient()] {
        if let Ok((cmd, n)) = Command::parse_with(data, quirks) {
            assert!(n <= data.len());
            let mut wire = Vec::new();
            cmd.write_to(&mut wire);
            let (again, m) = Command::parse(&wire).expect("written command must parse");
            assert_eq!(m, wire.len());
            assert_eq!(again, cmd);
        } else if let Err(e) = Command::parse_with(data, quirks) {
            if let Some(s) = e.syntax() {
                let r = s.reply();
                assert!(r.code().is_permanent());
            }
        }
    }
});
