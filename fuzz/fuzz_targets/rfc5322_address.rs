#![no_main]
//! Address lists: no panic; writing what was parsed and parsing it again
//! keeps every well-formed address.
use libfuzzer_sys::fuzz_target;
use mailwire_rfc5322::Message;
use mailwire_rfc5322::address::{AddressList, Mailbox};
use mailwire_rfc5322::writer::{HeaderWriter, Mode};

fuzz_target!(|data: &[u8]| {
    let list = AddressList::parse(data).value;
    let _ = Mailbox::parse(data);
    let _ = Mailbox::parse_return_path(data);
    let mut w = HeaderWriter::new(Mode::Utf8);
    if w.addresses("To", &list).is_ok() {
        let out = w.finish();
        let msg = Message::parse(&out).expect("writer output parses");
        assert_eq!(msg.headers().len(), 1, "{}", String::from_utf8_lossy(&out));
        let again = msg.headers().get("to").expect("field").addresses().value;
        let specs = |l: &AddressList<'_>| {
            l.mailboxes()
                .filter(|m| m.domain.is_some())
                .map(|m| m.addr_spec())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            specs(&list),
            specs(&again),
            "{}",
            String::from_utf8_lossy(&out)
        );
    }
});
