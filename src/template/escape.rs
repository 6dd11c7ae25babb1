//! Escapers: `html/template`'s HTML-text-context escaping and the
//! `html`, `js` and `urlquery` builtins of `text/template`.
//!
//! Only the HTML *text* context is modelled: an action inside an attribute,
//! a `<script>`/`<style>` element or a URL is escaped as text here, where Go's
//! `html/template` would switch to attribute, JS, CSS or URL escaping (and may
//! write `#ZgotmplZ`). HTML comments in template text are kept (Go strips them).

/// `html/template`'s escaper for an action's output in HTML text context.
pub fn html_text(s: &str) -> String {
    escape_html(s, true)
}

/// `text/template`'s `html` function (`template.HTMLEscapeString`): like
/// [`html_text`] but leaves `+` alone.
pub fn html_builtin(s: &str) -> String {
    escape_html(s, false)
}

fn escape_html(s: &str, escape_plus: bool) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '+' if escape_plus => out.push_str("&#43;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// `text/template`'s `js` function (`template.JSEscapeString`).
pub fn js(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if !c.is_ascii() && c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `text/template`'s `urlquery` function (`url.QueryEscape`).
pub fn urlquery(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
