//! A form body or query string as the web reads it (URL-encoded pairs), each field given to
//! the parser its handler gives it to; and the trusted proxies' list.
#![no_main]

libfuzzer_sys::fuzz_target!(|body: &[u8]| {
    vw_fuzz::web_form(body);
});
