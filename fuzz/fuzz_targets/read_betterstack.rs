//! The Betterstack reader, as polls call it (`vw_sources::parse`: the platform's parser, then
//! the snapshot made safe to store and show), on any bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    vw_fuzz::read(vw_domain::Platform::Betterstack, body);
});
