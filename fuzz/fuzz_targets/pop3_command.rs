#![no_main]
//! Command parser: never panics; what parses writes back to a line that
//! parses to the same command.
use libfuzzer_sys::fuzz_target;
use mailwire_pop3_proto::Command;

fuzz_target!(|data: &[u8]| {
    if let Ok((cmd, used)) = Command::parse(data) {
        assert!(used <= data.len());
        let mut wire = Vec::new();
        cmd.write_to(&mut wire);
        let (again, n) = Command::parse(&wire).expect("written command parses");
        assert_eq!(n, wire.len());
        assert_eq!(again, cmd);
    }
});
