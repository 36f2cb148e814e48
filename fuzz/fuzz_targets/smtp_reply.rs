#![no_main]
//! Reply parser: never panics; whatever parses writes back to a reply with
//! the same code, enhanced code and number of lines. The in-place EHLO
//! parsers (`EhloReply::parse`, `EhloView::parse`) agree with
//! `Reply::parse` + `EhloReply::from_reply`.
use libfuzzer_sys::fuzz_target;
use mailwire_smtp_proto::{EhloReply, EhloView, Reply};

fuzz_target!(|data: &[u8]| {
    let via = Reply::parse_with(data, 512, 64).map(|(r, n)| (EhloReply::from_reply(&r), n));
    let direct = EhloReply::parse_with(data, 512, 64);
    assert_eq!(direct, via);
    let view = EhloView::parse_with(data, 512, 64);
    match (&view, &direct) {
        (Ok((Some(v), n)), Ok((Some(o), m))) => {
            assert_eq!(n, m);
            assert_eq!(v.domain(), o.domain);
            assert_eq!(v.greeting(), o.greeting.as_deref());
            assert_eq!(v.size(), o.capabilities.size());
            for name in o.capabilities.auth_mechanisms() {
                assert!(v.supports_auth(name), "{name}");
            }
            let _ = v.unknown().count();
            assert_eq!(&v.clone().into_owned(), o);
        }
        (Ok((None, n)), Ok((None, m))) => assert_eq!(n, m),
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!("EhloView {view:?} vs EhloReply {direct:?}"),
    }
    if let Ok((r, n)) = Reply::parse_with(data, 512, 64) {
        assert!(n <= data.len());
        let wire = r.to_bytes();
        let (again, m) = Reply::parse_with(&wire, usize::MAX, usize::MAX).expect("written reply must parse");
        assert_eq!(m, wire.len());
        assert_eq!(again.code(), r.code());
        assert_eq!(again.enhanced(), r.enhanced());
        assert_eq!(again.lines().len(), r.lines().len());
        if let Some(e) = EhloReply::from_reply(&r) {
            let _ = e.to_reply().to_bytes();
        }
    }
});
