//! How close the zero-skipping kernels are to what this core can do:
//! `cargo run --release -p benches --example row_limit` (x86-64 with AVX2
//! and FMA only).
//!
//! The trainer's three zero-skipping kernels spend their time in one loop:
//! for each non-zero input, a 64-wide row of weights (eight 256-bit loads
//! and a broadcast) is multiplied by the input and added to eight
//! accumulators — 64 multiply-adds per "row". This example times, in core
//! cycles per row:
//!
//! 1. that loop alone, in assembly, separate `vmulps` + `vaddps` (what the
//!    kernels compile to: Rust never fuses `a * b + c`), the rows cycling
//!    through a 16 KiB weight matrix;
//! 2. the same loop with `vfmadd231ps` — what an FMA feature would run;
//! 3. `kernels::sparse_affine_forward` on 900 samples × 64 inputs, half of
//!    them zero, as after a ReLU (the whole kernel: masks, bias, stores).
//!
//! The clock is estimated around each timing with a chain of dependent
//! integer adds (one per cycle), because this machine is a shared virtual
//! machine whose frequency varies. Prints the best of `ROUNDS` (default 5).

#[cfg(all(target_arch = "x86_64", target_feature = "avx2", target_feature = "fma"))]
mod x86 {
    use std::arch::asm;
    use std::time::Instant;

    /// Cycles per second, from 4·10⁸ dependent integer adds (one cycle
    /// each).
    pub fn clock_hz() -> f64 {
        let n = 100_000_000u64;
        let start = Instant::now();
        let mut x = 0u64;
        for _ in 0..n {
            // SAFETY: register-only arithmetic on a value we own.
            unsafe { asm!("add {0}, 1", "add {0}, 1", "add {0}, 1", "add {0}, 1", inout(reg) x) };
        }
        std::hint::black_box(x);
        (4 * n) as f64 / start.elapsed().as_secs_f64()
    }

    /// Runs `rows` iterations of the row loop over `w` (64 × 64 f32), with
    /// FMA or with a separate multiply and add; returns the seconds taken.
    pub fn row_loop(w: &[f32; 64 * 64], rows: u64, fma: bool) -> f64 {
        let start = Instant::now();
        macro_rules! run {
            ($($body:literal),*) => {
                // SAFETY: every load reads `w[r..r + 64]` for a row offset
                // `r` kept below 64·64·4 bytes by the mask; only vector
                // registers declared as clobbered are written.
                unsafe {
                    asm!(
                        "vxorps ymm0, ymm0, ymm0", "vxorps ymm1, ymm1, ymm1",
                        "vxorps ymm2, ymm2, ymm2", "vxorps ymm3, ymm3, ymm3",
                        "vxorps ymm4, ymm4, ymm4", "vxorps ymm5, ymm5, ymm5",
                        "vxorps ymm6, ymm6, ymm6", "vxorps ymm7, ymm7, ymm7",
                        "2:",
                        "vbroadcastss ymm15, [{p} + {r}]",
                        $($body,)*
                        "add {r}, 768",
                        "and {r}, 0x3f00",
                        "dec {n}",
                        "jnz 2b",
                        n = inout(reg) rows => _,
                        p = in(reg) w.as_ptr(),
                        r = inout(reg) 0usize => _,
                        out("ymm0") _, out("ymm1") _, out("ymm2") _, out("ymm3") _,
                        out("ymm4") _, out("ymm5") _, out("ymm6") _, out("ymm7") _,
                        out("ymm8") _, out("ymm9") _, out("ymm10") _, out("ymm11") _,
                        out("ymm15") _,
                        options(nostack, readonly),
                    )
                }
            };
        }
        if fma {
            run!(
                "vfmadd231ps ymm0, ymm15, [{p} + {r}]",
                "vfmadd231ps ymm1, ymm15, [{p} + {r} + 32]",
                "vfmadd231ps ymm2, ymm15, [{p} + {r} + 64]",
                "vfmadd231ps ymm3, ymm15, [{p} + {r} + 96]",
                "vfmadd231ps ymm4, ymm15, [{p} + {r} + 128]",
                "vfmadd231ps ymm5, ymm15, [{p} + {r} + 160]",
                "vfmadd231ps ymm6, ymm15, [{p} + {r} + 192]",
                "vfmadd231ps ymm7, ymm15, [{p} + {r} + 224]"
            );
        } else {
            run!(
                "vmulps ymm8, ymm15, [{p} + {r}]",
                "vaddps ymm0, ymm0, ymm8",
                "vmulps ymm9, ymm15, [{p} + {r} + 32]",
                "vaddps ymm1, ymm1, ymm9",
                "vmulps ymm10, ymm15, [{p} + {r} + 64]",
                "vaddps ymm2, ymm2, ymm10",
                "vmulps ymm11, ymm15, [{p} + {r} + 96]",
                "vaddps ymm3, ymm3, ymm11",
                "vmulps ymm8, ymm15, [{p} + {r} + 128]",
                "vaddps ymm4, ymm4, ymm8",
                "vmulps ymm9, ymm15, [{p} + {r} + 160]",
                "vaddps ymm5, ymm5, ymm9",
                "vmulps ymm10, ymm15, [{p} + {r} + 192]",
                "vaddps ymm6, ymm6, ymm10",
                "vmulps ymm11, ymm15, [{p} + {r} + 224]",
                "vaddps ymm7, ymm7, ymm11"
            );
        }
        start.elapsed().as_secs_f64()
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx2", target_feature = "fma"))]
fn main() {
    use saorsa_nn::kernels;
    use std::time::Instant;

    let rounds: usize = std::env::args().nth(1).map_or(5, |a| a.parse().expect("ROUNDS"));
    let w: Box<[f32; 64 * 64]> = Box::new(std::array::from_fn(|i| (i as f32 * 0.01).sin()));
    let bias = [0.1f32; 64];
    // 900 samples × 64 inputs, half exactly zero (xorshift).
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    let x: Vec<f32> = (0..900 * 64)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            if s & 1 == 0 { 0.0 } else { (s >> 40) as f32 / (1u64 << 24) as f32 + 1e-3 }
        })
        .collect();
    let nonzero = x.iter().filter(|&&v| v != 0.0).count() as f64;
    let mut y = vec![0.0f32; 900 * 64];
    let rows = 20_000_000u64;
    let (mut best_mul_add, mut best_fma, mut best_kernel) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let hz = x86::clock_hz();
        best_mul_add = best_mul_add.min(x86::row_loop(&w, rows, false) * hz / rows as f64);
        best_fma = best_fma.min(x86::row_loop(&w, rows, true) * hz / rows as f64);
        let reps = 500;
        let start = Instant::now();
        for _ in 0..reps {
            kernels::sparse_affine_forward(std::hint::black_box(&x), &w[..], &bias, &mut y);
        }
        let secs = start.elapsed().as_secs_f64() / reps as f64;
        best_kernel = best_kernel.min(secs * hz / nonzero);
        std::hint::black_box(&y);
    }
    println!("cycles per 64-wide row (best of {rounds}):");
    println!("  row loop, vmulps + vaddps:           {best_mul_add:.2}");
    println!("  row loop, vfmadd231ps:               {best_fma:.2}");
    println!("  sparse_affine_forward, 900×64, ½ zero: {best_kernel:.2}");
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "avx2", target_feature = "fma")))]
fn main() {
    eprintln!("row_limit needs x86-64 with AVX2 and FMA (build with -C target-cpu=native)");
    std::process::exit(2);
}
