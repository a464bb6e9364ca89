//! Every public item a user calls has a runnable doc example.
//!
//! Reads the crate's sources with `syn` (from `src/lib.rs`, following `mod`
//! declarations) and lists its public items: modules, types (structs,
//! enums, traits, type aliases), free functions and inherent methods, and
//! constants. Items hidden from the docs (`#[doc(hidden)]`, also on an
//! enclosing module) and test code (`#[cfg(test)]`) are left out; trait
//! implementations are documented by their trait. An item "has an example"
//! when its doc comment holds a Rust code block that rustdoc compiles and
//! runs (not `ignore`, `no_run`, `compile_fail` or another language).
//!
//! The test fails if a module, type, function or method lacks an example,
//! or if a function returning a `Result` lacks a `# Errors` section.
//! Constants need none (their doc states the value). Print the list with
//! `cargo test -p saorsa-nn --test doc_examples -- --nocapture`.

use std::path::{Path, PathBuf};
use syn::{Attribute, Expr, ImplItem, Item, Lit, Meta, ReturnType, Visibility};

/// What kind of public item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Module,
    Type,
    Function,
    Method,
    Constant,
}

/// One public item and what its doc comment holds.
#[derive(Debug)]
struct Entry {
    kind: Kind,
    path: String,
    example: bool,
    returns_result: bool,
    errors_section: bool,
}

/// The doc comment of `attrs`, line by line.
fn doc(attrs: &[Attribute]) -> String {
    let mut out = String::new();
    for a in attrs {
        if let Meta::NameValue(nv) = &a.meta
            && nv.path.is_ident("doc")
            && let Expr::Lit(e) = &nv.value
            && let Lit::Str(s) = &e.lit
        {
            out.push_str(&s.value());
            out.push('\n');
        }
    }
    out
}

/// Whether an attribute list says `#[doc(hidden)]` or `#[cfg(test)]`.
fn skipped(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        let text = quote_attr(a);
        text == "doc(hidden)" || text == "cfg(test)" || text == "cfg(doctest)"
    })
}

/// An attribute's meta as compact text, `doc(hidden)`.
fn quote_attr(a: &Attribute) -> String {
    match &a.meta {
        Meta::List(l) => {
            let path = l.path.get_ident().map(|i| i.to_string()).unwrap_or_default();
            format!("{path}({})", l.tokens.to_string().replace(' ', ""))
        }
        _ => String::new(),
    }
}

/// Whether a doc comment holds a code block that rustdoc compiles and runs.
fn has_example(doc: &str) -> bool {
    let mut in_block = false;
    for line in doc.lines() {
        let t = line.trim();
        if let Some(info) = t.strip_prefix("```") {
            if in_block {
                in_block = false;
                continue;
            }
            in_block = true;
            let runs = info
                .split(',')
                .map(str::trim)
                .all(|w| matches!(w, "" | "rust" | "should_panic" | "edition2021" | "edition2024"));
            if runs {
                return true;
            }
        }
    }
    false
}

/// Whether a doc comment has a `# Errors` section.
fn has_errors_section(doc: &str) -> bool {
    doc.lines().any(|l| l.trim() == "# Errors")
}

/// Whether a function's return type is a `Result`.
fn returns_result(output: &ReturnType) -> bool {
    match output {
        ReturnType::Default => false,
        ReturnType::Type(_, ty) => quote_type(ty).starts_with("Result"),
    }
}

fn quote_type(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

fn is_pub(v: &Visibility) -> bool {
    matches!(v, Visibility::Public(_))
}

/// The file of module `name` declared in `file` (`lib.rs`/`mod.rs` own
/// their folder; `a.rs` owns `a/`).
fn module_file(file: &Path, name: &str) -> PathBuf {
    let dir = match file.file_name().and_then(|n| n.to_str()) {
        Some("lib.rs" | "mod.rs") => file.parent().unwrap().to_path_buf(),
        _ => file.with_extension(""),
    };
    let flat = dir.join(format!("{name}.rs"));
    if flat.exists() { flat } else { dir.join(name).join("mod.rs") }
}

/// Collects the public items of `items` (in the module at `prefix`, read
/// from `file`).
fn collect(items: &[Item], file: &Path, prefix: &str, out: &mut Vec<Entry>) {
    let entry = |kind, name: &str, attrs: &[Attribute], result: bool| {
        let d = doc(attrs);
        Entry {
            kind,
            path: format!("{prefix}::{name}"),
            example: has_example(&d),
            returns_result: result,
            errors_section: has_errors_section(&d),
        }
    };
    for item in items {
        match item {
            Item::Mod(m) if !skipped(&m.attrs) => {
                let name = m.ident.to_string();
                // A private module's items are re-exported by its parent
                // (`pub use x::*` or by name): list them under the parent.
                let path = if is_pub(&m.vis) { format!("{prefix}::{name}") } else { prefix.to_string() };
                let (attrs, items, child) = match &m.content {
                    Some((_, items)) => (m.attrs.clone(), items.clone(), file.to_path_buf()),
                    None => {
                        let child = module_file(file, &name);
                        let text = std::fs::read_to_string(&child)
                            .unwrap_or_else(|e| panic!("{}: {e}", child.display()));
                        let parsed =
                            syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", child.display()));
                        let attrs: Vec<Attribute> = m.attrs.iter().chain(&parsed.attrs).cloned().collect();
                        (attrs, parsed.items, child)
                    }
                };
                if skipped(&attrs) {
                    continue;
                }
                if is_pub(&m.vis) {
                    out.push(entry(Kind::Module, &name, &attrs, false));
                }
                collect(&items, &child, &path, out);
            }
            Item::Fn(f) if is_pub(&f.vis) && !skipped(&f.attrs) => {
                let name = f.sig.ident.to_string();
                out.push(entry(Kind::Function, &name, &f.attrs, returns_result(&f.sig.output)));
            }
            Item::Struct(s) if is_pub(&s.vis) && !skipped(&s.attrs) => {
                out.push(entry(Kind::Type, &s.ident.to_string(), &s.attrs, false));
            }
            Item::Enum(e) if is_pub(&e.vis) && !skipped(&e.attrs) => {
                out.push(entry(Kind::Type, &e.ident.to_string(), &e.attrs, false));
            }
            Item::Trait(t) if is_pub(&t.vis) && !skipped(&t.attrs) => {
                out.push(entry(Kind::Type, &t.ident.to_string(), &t.attrs, false));
            }
            Item::Type(t) if is_pub(&t.vis) && !skipped(&t.attrs) => {
                out.push(entry(Kind::Type, &t.ident.to_string(), &t.attrs, false));
            }
            Item::Const(c) if is_pub(&c.vis) && !skipped(&c.attrs) => {
                out.push(entry(Kind::Constant, &c.ident.to_string(), &c.attrs, false));
            }
            Item::Static(s) if is_pub(&s.vis) && !skipped(&s.attrs) => {
                out.push(entry(Kind::Constant, &s.ident.to_string(), &s.attrs, false));
            }
            Item::Impl(i) if i.trait_.is_none() && !skipped(&i.attrs) => {
                let ty = quote_type(&i.self_ty);
                for it in &i.items {
                    match it {
                        ImplItem::Fn(f) if is_pub(&f.vis) && !skipped(&f.attrs) => {
                            let name = format!("{ty}::{}", f.sig.ident);
                            out.push(entry(Kind::Method, &name, &f.attrs, returns_result(&f.sig.output)));
                        }
                        ImplItem::Const(c) if is_pub(&c.vis) && !skipped(&c.attrs) => {
                            out.push(entry(Kind::Constant, &format!("{ty}::{}", c.ident), &c.attrs, false));
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

fn public_items() -> Vec<Entry> {
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs");
    let parsed = syn::parse_file(&std::fs::read_to_string(&lib).unwrap()).unwrap();
    let mut out = vec![Entry {
        kind: Kind::Module,
        path: "saorsa_nn".into(),
        example: has_example(&doc(&parsed.attrs)),
        returns_result: false,
        errors_section: false,
    }];
    collect(&parsed.items, &lib, "saorsa_nn", &mut out);
    out.sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
    out
}

#[test]
fn every_public_item_a_user_calls_has_a_runnable_example() {
    let items = public_items();
    let mut missing = Vec::new();
    let mut no_errors = Vec::new();
    for kind in [Kind::Module, Kind::Type, Kind::Function, Kind::Method, Kind::Constant] {
        let of_kind: Vec<&Entry> = items.iter().filter(|e| e.kind == kind).collect();
        let with = of_kind.iter().filter(|e| e.example).count();
        println!("{kind:?}: {with} of {} with an example", of_kind.len());
        for e in &of_kind {
            if !e.example {
                println!("    no example: {}", e.path);
                if kind != Kind::Constant {
                    missing.push(e.path.clone());
                }
            }
            if e.returns_result && !e.errors_section {
                no_errors.push(e.path.clone());
            }
        }
    }
    let required = items.iter().filter(|e| e.kind != Kind::Constant);
    let (total, with) = (required.clone().count(), required.filter(|e| e.example).count());
    println!("modules, types, functions and methods: {with} of {total} with an example");
    println!("functions returning a Result without `# Errors`: {}", no_errors.len());
    for p in &no_errors {
        println!("    no # Errors: {p}");
    }
    assert!(total > 150, "the scan found only {total} items: is it reading the sources?");
    assert!(
        missing.is_empty(),
        "{} public items lack a runnable example:\n{}",
        missing.len(),
        missing.join("\n")
    );
    assert!(no_errors.is_empty(), "{} functions lack `# Errors`:\n{}", no_errors.len(), no_errors.join("\n"));
}

#[test]
fn the_scan_recognizes_examples() {
    assert!(has_example("text\n\n```\nlet x = 1;\n```\n"));
    assert!(has_example("```rust\nlet x = 1;\n```"));
    assert!(has_example("```text\nnot code\n```\n```\nlet x = 1;\n```"));
    assert!(!has_example("```text\nnot code\n```"));
    assert!(!has_example("```no_run\nloop {}\n```"));
    assert!(!has_example("```ignore\nx\n```"));
    assert!(!has_example("no block at all"));
    // The scan sees the crate's own items, hidden ones excluded.
    let items = public_items();
    let find = |p: &str| items.iter().find(|e| e.path == p);
    assert!(find("saorsa_nn::model::Trainer::train_epoch").is_some_and(|e| e.returns_result));
    assert!(find("saorsa_nn::checkpoint::state::read_shape").is_some_and(|e| e.example));
    assert!(find("saorsa_nn::kernels::reference").is_none(), "a hidden module is listed");
    assert!(find("saorsa_nn::shape::MAX_LAYERS").is_some_and(|e| e.kind == Kind::Constant));
}
