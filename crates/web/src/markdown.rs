//! A safe subset of Markdown for text that comes from elsewhere, such as the
//! descriptions a Pol.is import brings: paragraphs, emphasis, lists, quotes,
//! code and links. Raw HTML in the text is shown as text, never passed through;
//! headings become bold paragraphs (the page has its own heading structure) and
//! images become their description (no outside images load on a page). A link
//! keeps only an `http`, `https` or `mailto` address, gets
//! `rel="nofollow noopener"`, and anything else (`javascript:`, `data:`, …)
//! becomes plain text.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_href;

/// Whether a link target may be followed from our pages.
fn allowed_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

/// The text as HTML, safe to put in a page unescaped.
pub fn to_safe_html(text: &str) -> String {
    let mut events = vec![];
    // Per open link, whether it was kept: a link left out (a forbidden target)
    // leaves out its closing tag too, and keeps its text.
    let mut open_links = vec![];
    let mut in_image = 0usize;
    for event in Parser::new(text) {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            // A block of raw HTML is shown as a paragraph of its text.
            Event::Start(Tag::HtmlBlock) => events.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => events.push(Event::End(TagEnd::Paragraph)),
            Event::Start(Tag::Heading { .. }) => {
                events.push(Event::Start(Tag::Paragraph));
                events.push(Event::Start(Tag::Strong));
            }
            Event::End(TagEnd::Heading(_)) => {
                events.push(Event::End(TagEnd::Strong));
                events.push(Event::End(TagEnd::Paragraph));
            }
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => {
                if allowed_link(&dest_url) {
                    let mut a = String::from("<a class=\"koers-link\" href=\"");
                    // Writing to a String cannot fail.
                    let _ = escape_href(&mut a, dest_url.trim());
                    a.push_str("\" rel=\"nofollow noopener\">");
                    events.push(Event::InlineHtml(a.into()));
                    open_links.push(true);
                } else {
                    open_links.push(false);
                }
            }
            Event::End(TagEnd::Link) => {
                if open_links.pop() == Some(true) {
                    events.push(Event::InlineHtml("</a>".into()));
                }
            }
            Event::Text(t) if in_image > 0 => events.push(Event::Text(t)),
            other if in_image > 0 => drop(other),
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn markdown_becomes_html() {
        assert_eq!(
            to_safe_html("Hoe *snel* en **goed**?\n\n- een\n- twee"),
            "<p>Hoe <em>snel</em> en <strong>goed</strong>?</p>\n<ul>\n<li>een</li>\n<li>twee</li>\n</ul>\n"
        );
        assert_eq!(
            to_safe_html("# Kop"),
            "<p><strong>Kop</strong></p>\n",
            "a heading does not break the page's heading order"
        );
    }

    #[test]
    fn links_get_rel_and_only_safe_schemes() {
        assert_eq!(
            to_safe_html("[Pol.is](https://pol.is/abc \"t\")"),
            "<p><a class=\"koers-link\" href=\"https://pol.is/abc\" rel=\"nofollow noopener\">Pol.is</a></p>\n"
        );
        for bad in [
            "[klik](javascript:alert(1))",
            "[klik](JavaScript:alert(1))",
            "[klik]( javascript:alert(1))",
            "[klik](data:text/html,<script>alert(1)</script>)",
            "[klik](vbscript:x)",
            "<javascript:alert(1)>",
            "[klik][r]\n\n[r]: javascript:alert(1)",
        ] {
            let html = to_safe_html(bad);
            assert!(!html.contains("href"), "{bad}: {html}");
            assert!(!html.to_lowercase().contains("<a "), "{bad}: {html}");
        }
        assert!(to_safe_html("[klik](javascript:alert(1))").contains("klik"));
    }

    #[test]
    fn raw_html_never_comes_through() {
        for bad in [
            "<script>alert(1)</script>",
            "tekst <script>alert(1)</script> tekst",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<div onclick=\"alert(1)\">x</div>",
            "![plaatje](https://example.org/x.png\" onerror=\"alert(1))",
        ] {
            let html = to_safe_html(bad);
            assert!(!html.contains("<script"), "{bad}: {html}");
            assert!(!html.contains("<img"), "{bad}: {html}");
            assert!(!html.contains("<div"), "{bad}: {html}");
            assert!(!html.contains("<a "), "{bad}: {html}");
        }
        assert_eq!(
            to_safe_html("<script>alert(1)</script>"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        );
        assert_eq!(
            to_safe_html("![een kaart](https://example.org/kaart.png)"),
            "<p>een kaart</p>\n"
        );
    }
}
