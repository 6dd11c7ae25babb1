//! Fuzz target: parsing and checking arbitrary text must never panic or overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tickscript::check::{check_source, CheckOptions};

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = std::str::from_utf8(data) {
        let _ = check_source(source, &CheckOptions::default());
    }
});
