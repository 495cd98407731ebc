//! Telling a document's platform from its bytes (a pasted URL's answer), on any bytes; and
//! the reader of the platform it names, on the same bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    if let Some(platform) = vw_sources::detect::platform_of(body) {
        vw_fuzz::read(platform, body);
    }
});
