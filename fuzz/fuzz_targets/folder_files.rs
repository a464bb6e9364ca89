#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| saorsa_nn_fuzz::folder_files(data));
