//! The one shell, escaper and table of the self-contained HTML pages (the
//! study's `report.html` and the claims' `claims.html`).

use std::fmt::Write as _;

/// What differs between the pages' heads: each page keeps its own title,
/// style sheet and head layout.
pub(crate) struct Page {
    /// The `<title>` (plain text: escaped when written).
    pub title: &'static str,
    /// The `<style>` sheet (written as given).
    pub css: &'static str,
    /// Whether the head has a viewport `<meta>` for narrow screens, and a
    /// line break before `<style>` (the study's report has both).
    pub viewport: bool,
}

impl Page {
    /// The page from `<!doctype html>` up to and including `<body>` and its
    /// line break.
    pub(crate) fn open(&self) -> String {
        let mut h = String::from("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        if self.viewport {
            h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        }
        let _ = write!(h, "<title>{}</title>", escape(self.title));
        if self.viewport {
            h.push('\n');
        }
        let _ = writeln!(h, "<style>{}</style></head><body>", self.css);
        h
    }

    /// The end of the page, after the body.
    pub(crate) fn close(&self) -> &'static str {
        "</body></html>\n"
    }
}

/// `s` with `&`, `<`, `>` and `"` replaced by their entities: safe both as
/// element text and inside a double-quoted attribute value. (`'` is kept:
/// no attribute here is single-quoted.)
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// A `<table>` with one header row and then `rows`, every cell escaped,
/// each row on its own line.
pub(crate) fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut h = String::from("<table>\n");
    let mut row = |tag: &str, cells: &[String]| {
        h.push_str("<tr>");
        for c in cells {
            let _ = write!(h, "<{tag}>{}</{tag}>", escape(c));
        }
        h.push_str("</tr>\n");
    };
    row("th", header);
    for r in rows {
        row("td", r);
    }
    h.push_str("</table>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_is_safe_in_text_and_in_double_quoted_attributes() {
        assert_eq!(escape("a < b && c > \"d\" 'e'"), "a &lt; b &amp;&amp; c &gt; &quot;d&quot; 'e'");
        assert_eq!(escape("σ = 0.01 — ‖ΔW‖"), "σ = 0.01 — ‖ΔW‖");
    }

    #[test]
    fn the_shell_keeps_each_pages_head() {
        let plain = Page { title: "Claims", css: "b{}", viewport: false };
        assert_eq!(
            plain.open(),
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Claims</title><style>b{}</style></head><body>\n"
        );
        let wide = Page { title: "A & B", css: "", viewport: true };
        assert_eq!(
            wide.open(),
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>A &amp; B</title>\n<style></style></head><body>\n"
        );
    }

    #[test]
    fn a_table_has_a_header_row_then_its_rows() {
        let s = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            table(&s(&["a", "b"]), &[s(&["1 < 2", "x"])]),
            "<table>\n<tr><th>a</th><th>b</th></tr>\n<tr><td>1 &lt; 2</td><td>x</td></tr>\n</table>\n"
        );
    }
}
