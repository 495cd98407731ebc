//! Vendors' update texts as HTML that is safe to put in our pages. The texts are Markdown or
//! plain text written by someone else, so the rendered HTML always goes through ammonia,
//! which keeps formatting and links and drops scripts, event handlers and styles.

use pulldown_cmark::{Event, Options, Parser, html};

pub fn to_safe_html(text: &str) -> String {
    // Plain-text updates break lines where they mean it; Markdown would join them.
    let events = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(
        |event| match event {
            Event::SoftBreak => Event::HardBreak,
            other => other,
        },
    );
    let mut rendered = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut rendered, events);
    // Images would load from the vendor's hosts, which the site's CSP refuses: left out
    // rather than shown broken.
    ammonia::Builder::default()
        .rm_tags(["img"])
        .clean(&rendered)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn markdown_is_rendered() {
        let html =
            to_safe_html("We are **investigating**.\nSee [the docs](https://example.com/a).");
        assert_eq!(
            html,
            "<p>We are <strong>investigating</strong>.<br>\nSee \
             <a href=\"https://example.com/a\" rel=\"noopener noreferrer\">the docs</a>.</p>\n"
        );
    }

    #[test]
    fn scripts_and_handlers_are_dropped() {
        let html = to_safe_html(
            "Fixed <script>alert(1)</script><img src=x onerror=\"alert(2)\"> \
             [x](javascript:alert(3)) <a href=\"#\" onclick=\"alert(4)\">y</a>",
        );
        for bad in [
            "<script",
            "alert(1)",
            "<img",
            "onerror",
            "javascript:",
            "onclick",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.starts_with("<p>Fixed "), "{html}");
    }
}
