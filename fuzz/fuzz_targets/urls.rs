//! Every URL a person pastes: a status page's, and each kind of integration's, under both
//! target rules.
#![no_main]

libfuzzer_sys::fuzz_target!(|input: &str| {
    vw_fuzz::urls(input);
});
