#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| saorsa_nn_fuzz::state_decode(data));
