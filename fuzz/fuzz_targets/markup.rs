//! A vendor's update text made safe HTML (measured, then Markdown through ammonia, or
//! escaped text past any bound), on any text.
#![no_main]

libfuzzer_sys::fuzz_target!(|text: &str| {
    vw_fuzz::markup(text);
});
