#!/usr/bin/env python3
"""Reference values for core/tests/init.rs.

Run: python3 core/tests/reference/init_reference.py
(Python 3.11.7 produced the values quoted in the test; only the standard
library: integers and math.log/cos/sin/sqrt.)

Independent of the Rust code: the PCG32 below is the PCG reference C code
(pcg_basic.c: pcg32_srandom_r / pcg32_random_r, XSH RR 64/32) transcribed
into Python integers, not rand_pcg's formulation; next_u64 joins two 32-bit
outputs low word first (rand_core's next_u64_via_u32); the Box-Muller step is
the formula in core/src/init.rs's Sampler docs.
"""
import math

M64 = (1 << 64) - 1
MULT = 6364136223846793005


class Pcg32:
    def __init__(self, initstate, initseq):  # pcg32_srandom_r
        self.state = 0
        self.inc = ((initseq << 1) | 1) & M64
        self.next_u32()
        self.state = (self.state + initstate) & M64
        self.next_u32()

    def next_u32(self):  # pcg32_random_r
        old = self.state
        self.state = (old * MULT + self.inc) & M64
        xorshifted = (((old >> 18) ^ old) >> 27) & 0xFFFFFFFF
        rot = old >> 59
        return ((xorshifted >> rot) | (xorshifted << ((-rot) & 31))) & 0xFFFFFFFF

    def next_u64(self):
        lo = self.next_u32()
        hi = self.next_u32()
        return (hi << 32) | lo


# pcg32_matches_the_reference_demo: the PCG demo's pcg32_srandom_r(&rng, 42, 54).
r = Pcg32(42, 54)
print("pcg32(42, 54):", ", ".join(hex(r.next_u32()) for _ in range(6)))

# normals_match_an_independent_implementation: rng_from_seed(0) =
# pcg32_srandom_r(0, DEFAULT_STREAM), Box-Muller with both outputs.
DEFAULT_STREAM = 1442695040888963407 >> 1
print("DEFAULT_STREAM =", DEFAULT_STREAM, "=", hex(DEFAULT_STREAM))
r = Pcg32(0, DEFAULT_STREAM)
TWO_M53 = 2.0 ** -53
normals = []
while len(normals) < 6:
    u1 = ((r.next_u64() >> 11) + 1) * TWO_M53
    u2 = (r.next_u64() >> 11) * TWO_M53
    rad = math.sqrt(-2.0 * math.log(u1))
    normals += [rad * math.cos(2.0 * math.pi * u2), rad * math.sin(2.0 * math.pi * u2)]
print("normals(seed 0):", ", ".join(repr(z) for z in normals))

# every_method_has_the_stated_mean_and_std: standard errors for n = 100 000
# draws: of the mean sigma/sqrt(n), of the SD about sigma/sqrt(2(n-1)).
n = 100_000
print(f"sqrt(n) = {math.sqrt(n)!r} (test uses 316), sqrt(2(n-1)) = {math.sqrt(2 * (n - 1))!r} (447)")
for fan_in, fan_out in [(64, 32)]:
    print(f"glorot normal std = sqrt(2/96) = {math.sqrt(2 / (fan_in + fan_out))!r}; "
          f"glorot uniform std = sqrt(6/96)/sqrt(3) = {math.sqrt(6 / 96) / math.sqrt(3)!r}")

# below_is_uniform_and_in_range: each count Binomial(70000, 1/7).
p = 1 / 7
print(f"Binomial(70000, 1/7): mean {70000 * p!r}, sd {math.sqrt(70000 * p * (1 - p))!r}; "
      f"the test's band 9500..10500 is +-{500 / math.sqrt(70000 * p * (1 - p)):.2f} sd")
