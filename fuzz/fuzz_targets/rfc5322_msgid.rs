#![no_main]
//! msg-id lists: no panic; valid ids written and parsed again are equal.
use libfuzzer_sys::fuzz_target;
use mailwire_rfc5322::Message;
use mailwire_rfc5322::msgid::{parse_msg_id, parse_msg_id_list};
use mailwire_rfc5322::writer::{HeaderWriter, Mode};

fuzz_target!(|data: &[u8]| {
    let _ = parse_msg_id(data);
    let ids = parse_msg_id_list(data).value;
    let mut w = HeaderWriter::new(Mode::Utf8);
    if w.msg_ids("References", &ids).is_ok() {
        let out = w.finish();
        let msg = Message::parse(&out).expect("writer output parses");
        let back = msg.headers().get("references").expect("field").msg_ids();
        assert_eq!(back.value, ids, "{}", String::from_utf8_lossy(&out));
    }
});
