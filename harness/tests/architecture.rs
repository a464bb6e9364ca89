//! The code's shape, as `docs/ARCHITECTURE.md` describes it: the modules of the core and of the
//! harness import each other without a cycle, no source file is over 700 lines (its test module
//! excepted), and the binary's `main.rs` stays a thin front end (under 200 lines).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The top-level module a file of `src` belongs to (`kernels/dense.rs` → `kernels`), or `None`
/// for the crate root and the binary.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (!matches!(name.as_str(), "lib" | "main" | "cli")).then_some(name)
}

/// The lines of a file before its `#[cfg(test)]` module.
fn code_lines(text: &str) -> usize {
    text.lines().take_while(|l| !l.starts_with("#[cfg(test)]")).count()
}

/// The top-level modules each module of `src` names as `crate::<module>`.
fn imports(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in sources(src) {
        let Some(me) = module_of(src, &file) else { continue };
        let text = std::fs::read_to_string(&file).unwrap();
        let code = &text[..text.find("#[cfg(test)]").unwrap_or(text.len())];
        let edges = graph.entry(me.clone()).or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            let mut rest = line;
            while let Some(k) = rest.find("crate::") {
                rest = &rest[k + "crate::".len()..];
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && name != me {
                    edges.insert(name);
                }
            }
            // `use crate::{a, b::c}` lists.
            if let Some(k) = line.find("crate::{") {
                let list = &line[k + "crate::{".len()..];
                for item in list.split(',') {
                    let name: String =
                        item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                    if !name.is_empty() && name != me {
                        edges.insert(name);
                    }
                }
            }
        }
    }
    graph
}

/// A cycle of `graph`, if it has one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(1) => {
                let start = path.iter().position(|p| p == n).unwrap();
                let mut c = path[start..].to_vec();
                c.push(n.to_string());
                return Some(c);
            }
            Some(_) => return None,
            None => {}
        }
        state.insert(n.to_string(), 1);
        path.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    graph.keys().find_map(|n| visit(n, graph, &mut state, &mut Vec::new()))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn modules_import_each_other_without_a_cycle() {
    for krate in ["core/src", "harness/src"] {
        let graph = imports(&root().join(krate));
        assert!(graph.len() > 5, "{krate}: {graph:?}");
        assert_eq!(cycle(&graph), None, "{krate} has an import cycle");
    }
    // The checker finds a cycle when there is one.
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    g.entry("c".into()).or_default().insert("a".into());
    assert_eq!(cycle(&g), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
}

#[test]
fn no_source_file_is_over_700_lines_and_main_stays_thin() {
    for krate in ["core/src", "harness/src"] {
        for file in sources(&root().join(krate)) {
            let n = code_lines(&std::fs::read_to_string(&file).unwrap());
            let is_tests = file.file_name().is_some_and(|f| f == "tests.rs");
            assert!(is_tests || n <= 700, "{}: {n} lines (tests excepted)", file.display());
        }
    }
    let main = std::fs::read_to_string(root().join("harness/src/main.rs")).unwrap();
    assert!(main.lines().count() < 200, "main.rs: {} lines", main.lines().count());
}
