//! GIF's LZW coding of a frame's palette indices, byte for byte as the `gif` crate (0.14)
//! codes them through `weezl` (0.1.12), over ten times as fast on figure 6's frames (their
//! 54 MB of indices: 58 ms against 680 ms on one core). Coding them took most of the
//! report's time; `weezl` has no faster setting, and its general dictionary (a short list
//! of continuations per string, searched one by one) is what costs. Here: a hash table
//! small enough for the fastest cache, and runs of one index (nine tenths of figure 6's
//! frames) followed without a look-up per byte. The tests compare every output with
//! the `gif` crate's.
//!
//! The codes are `weezl`'s, including two choices of its own that a decoder never sees:
//! - the code size grows once the table holds a code that needs it (as a decoder, one
//!   entry behind, expects), and the table is cleared, with a clear code at the current
//!   size, as soon as it passes 4096 entries;
//! - a string's 17th continuation gets a code that is never used (`weezl` keeps up to 16
//!   continuations of a string in a short list; moving them into a full table, it drops the
//!   17th), so the same continuation, met again, gets another code.

use std::cell::RefCell;

/// Codes of at most 12 bits: 4096 entries.
const MAX_ENTRIES: usize = 1 << 12;
/// Continuations a string keeps before `weezl` moves them to a full table, dropping the next.
const SHORT: u8 = 16;
/// Slots of the dictionary's hash table: twice the entries, so that a look-up probes few.
const SLOTS: usize = 2 * MAX_ENTRIES;

/// The dictionary: a string is the code of its prefix and its last byte, and the strings
/// in the table are found by hashing (open addressing, linear probing). Small enough to
/// stay in the fastest cache, which a table of every code and byte (2 MB) does not.
///
/// Runs of one byte, most of figure 6's frames, are followed without a look-up per byte:
/// the codes of the strings `b`, `bb`, `bbb`, … that the table holds are kept in order per
/// byte `b` (`runs`).
struct Table {
    /// `(prefix << 8 | byte) << 12 | code` of each string in the table; 0: an empty slot
    /// (no string has code 0).
    slots: Vec<u32>,
    /// Continuations added per code (the 17th is dropped).
    added: Vec<u8>,
    /// Per byte `b`, from `b · RUNS`: the codes of `b`, `bb`, … (`run_count[b]` of them).
    runs: Vec<u16>,
    run_count: [u16; 256],
}

/// Room for each byte's run codes: at most one per entry.
const RUNS: usize = MAX_ENTRIES + 1;

impl Table {
    fn new() -> Table {
        Table {
            slots: vec![0; SLOTS],
            added: vec![0; MAX_ENTRIES + 1],
            runs: vec![0; 256 * RUNS],
            run_count: [0; 256],
        }
    }

    /// Starts a table of the bytes alone, each a run of length 1.
    fn start(&mut self) {
        self.slots.fill(0);
        self.added.fill(0);
        for b in 0..256 {
            self.runs[b * RUNS] = b as u16;
            self.run_count[b] = 1;
        }
    }

    /// The code of string `key` (`prefix << 8 | byte`), else the empty slot for it.
    fn find(&self, key: u32) -> Result<usize, usize> {
        let mut slot = (key.wrapping_mul(0x9E37_79B1) >> (32 - SLOTS.trailing_zeros())) as usize;
        loop {
            let s = self.slots[slot];
            if s == 0 {
                return Err(slot);
            }
            if s >> 12 == key {
                return Ok((s & 0xFFF) as usize);
            }
            slot = (slot + 1) % SLOTS;
        }
    }
}

thread_local! {
    /// Each thread's table, allocated once.
    static TABLE: RefCell<Table> = RefCell::new(Table::new());
}

/// Codes, least significant bit first, into whole bytes.
struct Bits<'a> {
    out: &'a mut Vec<u8>,
    buffer: u64,
    count: u32,
    size: u32,
}

impl Bits<'_> {
    fn put(&mut self, code: usize) {
        self.buffer |= (code as u64) << self.count;
        self.count += self.size;
        if self.count >= 32 {
            self.out.extend_from_slice(&(self.buffer as u32).to_le_bytes());
            self.buffer >>= 32;
            self.count -= 32;
        }
    }

    /// Pads to a whole byte and writes what is left.
    fn finish(self) {
        let bytes = self.count.div_ceil(8) as usize;
        self.out.extend_from_slice(&self.buffer.to_le_bytes()[..bytes]);
    }
}

/// How many bytes `b` `s` starts with.
fn run_length(s: &[u8], b: u8) -> usize {
    let pattern = u64::from_le_bytes([b; 8]);
    let mut chunks = s.chunks_exact(8);
    let mut k = 0;
    for c in chunks.by_ref() {
        let other = u64::from_le_bytes(c.try_into().expect("8 bytes")) ^ pattern;
        if other != 0 {
            return k + (other.trailing_zeros() / 8) as usize;
        }
        k += 8;
    }
    k + chunks.remainder().iter().take_while(|&&x| x == b).count()
}

/// The minimum code size the `gif` crate chooses for `data`: bits for its largest index
/// (at least 2; the scan stops at the first index above 127, which needs 8).
fn min_code_size(data: &[u8]) -> u8 {
    let mut max = 0;
    for &b in data {
        if b > max {
            max = b;
            if b > 127 {
                break;
            }
        }
    }
    (u32::from(max) + 1).max(4).next_power_of_two().trailing_zeros() as u8
}

/// `data` (palette indices) as a GIF image's LZW data, appended to `out`: the minimum code
/// size, then the codes (without the image's sub-block framing). The bytes of `gif`'s
/// `Frame::make_lzw_pre_encoded`.
pub(crate) fn encode(data: &[u8], out: &mut Vec<u8>) {
    let min = min_code_size(data);
    out.reserve(data.len() / 4 + 16);
    out.push(min);
    TABLE.with_borrow_mut(|t| code(t, data, min, out));
}

fn code(t: &mut Table, data: &[u8], min: u8, out: &mut Vec<u8>) {
    let clear = 1usize << min;
    let (end, first) = (clear + 1, clear + 2);
    let mut bits = Bits { out, buffer: 0, count: 0, size: u32::from(min) + 1 };
    bits.put(clear);
    let Some((&b, rest)) = data.split_first() else {
        bits.put(end);
        bits.finish();
        return;
    };
    t.start();
    // The code of the string read so far, its length if it is a run of byte `run_byte`
    // (else 0), and the next free code.
    let (mut current, mut run, mut run_byte, mut free) = (usize::from(b), 1, usize::from(b), first);
    let mut i = 0;
    while let Some(&b) = rest.get(i) {
        let b = usize::from(b);
        // Whether the string followed by `b` is a run.
        let longer_run = run > 0 && b == run_byte;
        if longer_run && run < usize::from(t.run_count[b]) {
            // The table holds longer runs of `b`: take as many more `b` as it has runs for
            // (what the look-ups byte by byte would find).
            let more = usize::from(t.run_count[b]) - run;
            let k = run_length(&rest[i..(i + more).min(rest.len())], b as u8);
            current = usize::from(t.runs[b * RUNS + run - 1 + k]);
            run += k;
            i += k;
            continue;
        }
        i += 1;
        let key = (current << 8 | b) as u32;
        let empty = match t.find(key) {
            Ok(found) => {
                current = found;
                run = if longer_run { run + 1 } else { 0 };
                continue;
            }
            Err(empty) => empty,
        };
        // A new string: `current`'s followed by `b` gets the next code (unused if it is the
        // 17th continuation of `current`, or the 4097th entry: the table is cleared);
        // `current` is written and `b` starts the next.
        if t.added[current] != SHORT && free < MAX_ENTRIES {
            t.slots[empty] = key << 12 | free as u32;
            if longer_run {
                // The run one longer than the table had (`run` is `run_count[b]`).
                t.runs[b * RUNS + run] = free as u16;
                t.run_count[b] += 1;
            }
        }
        t.added[current] = t.added[current].saturating_add(1);
        free += 1;
        bits.put(current);
        if free > 1 << bits.size && bits.size < 12 {
            bits.size += 1;
        }
        if free > MAX_ENTRIES {
            bits.put(clear);
            t.start();
            free = first;
            bits.size = u32::from(min) + 1;
        }
        (current, run, run_byte) = (b, 1, b);
    }
    bits.put(current);
    // A decoder adds an entry when it reads this code, before the end code.
    if free >= 1 << bits.size && bits.size < 12 {
        bits.size += 1;
    }
    bits.put(end);
    bits.finish();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::borrow::Cow;

    /// The `gif` crate's coding of `data` (through `weezl`).
    fn reference(data: &[u8]) -> Vec<u8> {
        let mut f = gif::Frame { buffer: Cow::Borrowed(data), ..gif::Frame::default() };
        f.make_lzw_pre_encoded();
        f.buffer.into_owned()
    }

    fn ours(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        encode(data, &mut out);
        out
    }

    /// Deterministic pseudo-random bytes below `alphabet`.
    fn noise(len: usize, alphabet: u32, seed: u64) -> Vec<u8> {
        let mut s = seed | 1;
        (0..len)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                ((s >> 11) % u64::from(alphabet)) as u8
            })
            .collect()
    }

    #[test]
    fn edge_cases_match_gif() {
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            vec![0],
            vec![255],
            vec![3, 3],
            vec![4],
            vec![0; 100_000],
            vec![200; 70_000],
            (0..=255).collect(),
            (0..=255).rev().cycle().take(5000).collect(),
        ];
        for d in cases {
            assert_eq!(ours(&d), reference(&d), "{} bytes, first {:?}", d.len(), d.first());
        }
    }

    #[test]
    fn a_string_with_many_continuations_matches_gif() {
        // Code 7 (and the strings starting with it) gets 40 continuations, three times over:
        // the 17th is dropped, and met again later.
        for alphabet in [64u8, 255] {
            let d: Vec<u8> = (0..3).flat_map(|_| (0..40u8).flat_map(move |x| [7, x % alphabet])).collect();
            assert_eq!(ours(&d), reference(&d));
        }
    }

    #[test]
    fn every_prefix_matches_gif() {
        // Data ending at every state of the table, among them right where the code size is
        // about to grow (the end code may need the larger size).
        for (alphabet, seed) in [(4, 1), (4, 2), (3, 3), (2, 4), (8, 5), (6, 6)] {
            let d = noise(2500, alphabet, seed);
            for len in 0..=d.len() {
                assert!(
                    ours(&d[..len]) == reference(&d[..len]),
                    "alphabet {alphabet}, seed {seed}, {len} bytes"
                );
            }
        }
    }

    #[test]
    fn tables_that_fill_and_clear_match_gif() {
        // Noise fills the 4096 entries again and again (in every code size).
        for (alphabet, len) in
            [(2, 300_000), (3, 200_000), (4, 200_000), (16, 150_000), (130, 100_000), (256, 100_000)]
        {
            for seed in 1..4 {
                let d = noise(len, alphabet, seed);
                assert!(ours(&d) == reference(&d), "alphabet {alphabet}, seed {seed}");
            }
        }
    }

    fn runs() -> impl Strategy<Value = Vec<u8>> {
        (1u32..=256).prop_flat_map(|alphabet| {
            prop::collection::vec((0..alphabet, 1usize..400), 0..300).prop_map(|runs| {
                runs.into_iter().flat_map(|(b, n)| std::iter::repeat_n(b as u8, n)).collect()
            })
        })
    }

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        (1u32..=256)
            .prop_flat_map(|alphabet| prop::collection::vec((0..alphabet).prop_map(|b| b as u8), 0..20_000))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_match_gif(d in bytes()) {
            prop_assert_eq!(ours(&d), reference(&d));
        }

        #[test]
        fn runs_match_gif(d in runs()) {
            prop_assert_eq!(ours(&d), reference(&d));
        }

        #[test]
        fn runs_and_noise_match_gif(a in runs(), b in bytes(), c in runs()) {
            let d: Vec<u8> = a.into_iter().chain(b).chain(c).collect();
            prop_assert_eq!(ours(&d), reference(&d));
        }
    }
}
