//! The initialization playground's WebAssembly module: the study's runs, trained by the
//! harness library and the core compiled to `wasm32-unknown-unknown`, behind a thin
//! `extern "C"` API over linear memory.
//!
//! Plain exports rather than `wasm-bindgen`: the page passes one JSON request in and reads
//! JSON or bytes out, which needs no generated glue, no `wasm-bindgen-cli` matching the crate's
//! version, and no JavaScript dependency; the module is one `.wasm` file any worker can
//! instantiate with `WebAssembly.instantiate`.
//!
//! # Calls
//!
//! Each module instance (one per Web Worker) holds one [`Session`]: its share of a study's runs.
//!
//! | export | does |
//! |---|---|
//! | `pg_input(len) → ptr` | makes the input buffer `len` bytes long; the page writes its request there |
//! | `pg_open() → status` | opens a session from the input's JSON [`OpenRequest`]; output: the [`session::Plan`] |
//! | `pg_step() → status` | one epoch of every run still training; output: [`session::Stepped`] |
//! | `pg_finished() → status` | output: the finished runs, [`session::Finished`] |
//! | `pg_checkpoint(run) → status` | output: run `run`'s final checkpoint (bytes) |
//! | `pg_boundary(run, n, x0, x1, y0, y1) → status` | output: the decision boundary on an `n × n` grid, [`Session::boundary`] |
//! | `pg_panic() → ptr`, `pg_panic_len() → len` | the message of a panic that trapped a call |
//! | `pg_output() → ptr`, `pg_output_len() → len` | where the last call's output is |
//!
//! A status is 0 for success; 1 for an error, whose message (UTF-8) is the output.

pub mod session;
pub mod settings;

use serde::Deserialize;
pub use session::Session;
use settings::Settings;
use std::cell::RefCell;

/// What `pg_open` reads: the study's settings and this worker's share of its runs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenRequest {
    /// The study.
    #[serde(default)]
    pub settings: Settings,
    /// This worker's position, from 0.
    #[serde(default)]
    pub part: usize,
    /// The number of workers sharing the runs.
    #[serde(default = "one")]
    pub parts: usize,
    /// Whether to compute chance and the Bayes ceiling (one worker does).
    #[serde(default)]
    pub thresholds: bool,
}

fn one() -> usize {
    1
}

/// A module instance's state: the session, the input the page wrote, the last output.
#[derive(Default)]
pub struct Playground {
    session: Option<Session>,
    input: Vec<u8>,
    output: Vec<u8>,
}

/// The result of a call: the output bytes, or an error message.
pub type Reply = Result<Vec<u8>, String>;

fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("plain data serializes")
}

impl Playground {
    fn session(&mut self) -> Result<&mut Session, String> {
        self.session.as_mut().ok_or_else(|| "no study is open".to_string())
    }

    /// `pg_open`: opens the session `request` (JSON) describes; replies with its plan.
    pub fn open(&mut self, request: &[u8]) -> Reply {
        self.session = None;
        let r: OpenRequest = serde_json::from_slice(request).map_err(|e| format!("settings: {e}"))?;
        let (session, plan) = Session::open(&r.settings, r.part, r.parts, r.thresholds)?;
        self.session = Some(session);
        Ok(json(&plan))
    }

    /// `pg_step`: one epoch of every run still training.
    pub fn step(&mut self) -> Reply {
        Ok(json(&self.session()?.step()))
    }

    /// `pg_finished`: the finished runs.
    pub fn finished(&mut self) -> Reply {
        Ok(json(&self.session()?.finished()))
    }

    /// `pg_checkpoint`: run `run`'s final checkpoint.
    pub fn checkpoint(&mut self, run: usize) -> Reply {
        let s = self.session()?;
        s.checkpoint(run).map(<[u8]>::to_vec).ok_or_else(|| format!("run {run} has not finished here"))
    }

    /// `pg_boundary`: run `run`'s decision boundary on an `n × n` grid.
    pub fn boundary(&mut self, run: usize, n: usize, rect: [f32; 4]) -> Reply {
        let mut out = Vec::new();
        self.session()?
            .boundary(run, n.min(1024), rect, &mut out)
            .ok_or_else(|| format!("no boundary for run {run}: not here, or the data is not 2-D"))?;
        Ok(out)
    }

    /// Keeps a call's reply as the output and returns its status.
    fn reply(&mut self, r: Reply) -> u32 {
        match r {
            Ok(bytes) => {
                self.output = bytes;
                0
            }
            Err(message) => {
                self.output = message.into_bytes();
                1
            }
        }
    }
}

thread_local! {
    static STATE: RefCell<Playground> = RefCell::new(Playground::default());
    static PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `f` on the instance's state and keeps its reply. A panic (a bug: none is expected)
/// traps the call; its message is kept for `pg_panic_message`.
fn call(f: impl FnOnce(&mut Playground) -> Reply) -> u32 {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            PANIC.with(|p| {
                if let Ok(mut p) = p.try_borrow_mut() {
                    *p = info.to_string();
                }
            });
        }));
    });
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let r = f(&mut s);
        s.reply(r)
    })
}

/// Makes the input buffer `len` bytes long (zeros) and returns where it is.
#[unsafe(no_mangle)]
pub extern "C" fn pg_input(len: usize) -> *mut u8 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.input.clear();
        s.input.resize(len, 0);
        s.input.as_mut_ptr()
    })
}

/// Where the last call's output is.
#[unsafe(no_mangle)]
pub extern "C" fn pg_output() -> *const u8 {
    STATE.with(|s| s.borrow().output.as_ptr())
}

/// The last call's output's length in bytes.
#[unsafe(no_mangle)]
pub extern "C" fn pg_output_len() -> usize {
    STATE.with(|s| s.borrow().output.len())
}

/// Opens a session from the input's JSON [`OpenRequest`].
#[unsafe(no_mangle)]
pub extern "C" fn pg_open() -> u32 {
    call(|s| {
        let input = std::mem::take(&mut s.input);
        s.open(&input)
    })
}

/// One epoch of every run still training.
#[unsafe(no_mangle)]
pub extern "C" fn pg_step() -> u32 {
    call(Playground::step)
}

/// The finished runs.
#[unsafe(no_mangle)]
pub extern "C" fn pg_finished() -> u32 {
    call(Playground::finished)
}

/// Run `run`'s final checkpoint.
#[unsafe(no_mangle)]
pub extern "C" fn pg_checkpoint(run: u32) -> u32 {
    call(|s| s.checkpoint(run as usize))
}

/// Run `run`'s decision boundary on an `n × n` grid over `[x0, x1] × [y0, y1]`.
#[unsafe(no_mangle)]
pub extern "C" fn pg_boundary(run: u32, n: u32, x0: f32, x1: f32, y0: f32, y1: f32) -> u32 {
    call(|s| s.boundary(run as usize, n as usize, [x0, x1, y0, y1]))
}

/// Where the message of the panic that trapped a call is (a trap does not unwind: the
/// instance is then unusable and the page starts another).
#[unsafe(no_mangle)]
pub extern "C" fn pg_panic() -> *const u8 {
    PANIC.with(|p| p.borrow().as_ptr())
}

/// The length of [`pg_panic`]'s message in bytes (0: no panic).
#[unsafe(no_mangle)]
pub extern "C" fn pg_panic_len() -> usize {
    PANIC.with(|p| p.borrow().len())
}
