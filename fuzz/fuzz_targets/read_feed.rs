//! The feed reader (Atom and RSS, every platform's history feed), as polls call it, on any
//! bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    vw_fuzz::read(vw_domain::Platform::Atom, body);
});
