//! API.md "Hosted checkout": an implementation serves the page itself, at
//! `/checkout/{id}?client_secret=…`, with no external assets (it works offline), showing the
//! merchant and a card form; a wrong secret gets the 403 page.

use anyhow::{Result, ensure};

use super::case;
use super::payments::{new_intent, secret};
use crate::Case;
use crate::ctx::{Ctx, Raw};

pub fn cases() -> Vec<Case> {
    vec![
        case!("checkout page: 200 HTML with the merchant and a card form, and no external assets", [], serves_the_page),
        case!("checkout page: 403 HTML page for a wrong client secret", [], refuses_a_wrong_secret),
    ]
}

async fn serves_the_page(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = shop.sdk.create_payment_intent(&new_intent(1999, false)).await?.into_inner();
    let page = cx.get(&format!("/checkout/{}?client_secret={}", intent.id, secret(&intent)?), None).await?;
    let html = expect_html(&page, 200)?;
    ensure!(html.contains("Conformance Books"), "the page does not name the merchant");
    ensure!(html.contains("<form"), "the page has no form");
    let external = external_assets(html);
    ensure!(external.is_empty(), "the page loads assets from elsewhere: {external:?}");
    Ok(())
}

async fn refuses_a_wrong_secret(cx: Ctx) -> Result<()> {
    let shop = cx.shop().await?;
    let intent = shop.sdk.create_payment_intent(&new_intent(1999, false)).await?.into_inner();
    let wrong = format!("{}_secret_{}", intent.id, "0".repeat(32));
    let page = cx.get(&format!("/checkout/{}?client_secret={wrong}", intent.id), None).await?;
    let html = expect_html(&page, 403)?;
    ensure!(!html.contains("Conformance Books"), "the 403 page names the merchant to a stranger");
    Ok(())
}

fn expect_html(page: &Raw, status: u16) -> Result<&str> {
    ensure!(page.status.as_u16() == status, "expected {status}, got {}: {:.300}", page.status, page.text);
    let content_type = page.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    ensure!(content_type.starts_with("text/html"), "Content-Type {content_type:?}, not text/html");
    Ok(&page.text)
}

/// What the page would fetch from another origin: the `src` of any element, a `<link href>`
/// (stylesheets, icons, fonts), and CSS `url(…)` and `@import`, when absolute or
/// protocol-relative. Plain links (`<a href>`) load nothing and are allowed.
fn external_assets(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let remote = |value: &str| {
        let value = value.trim_start_matches(['"', '\'', ' ']);
        value.starts_with("http:") || value.starts_with("https:") || value.starts_with("//")
    };
    let mut found = Vec::new();
    let mut attribute = |needle: &str, within_tag: Option<&str>| {
        for (at, _) in lower.match_indices(needle) {
            let tag_start = lower[..at].rfind('<').unwrap_or(0);
            if within_tag.is_some_and(|tag| !lower[tag_start..].starts_with(tag)) {
                continue;
            }
            let value = &lower[at + needle.len()..];
            if remote(value) {
                found.push(value.chars().take(80).collect());
            }
        }
    };
    attribute(" src=", None);
    attribute(" href=", Some("<link"));
    attribute("url(", None);
    attribute("@import ", None);
    found
}

#[cfg(test)]
mod tests {
    use super::external_assets;

    #[test]
    fn assets_from_elsewhere_are_found_and_links_are_not() {
        let page = r#"<html><head><link rel="stylesheet" href="//fonts.example/a.css">
            <style>body { background: url( https://img.example/bg.png) } @import "https://x.example/y.css";</style>
            <script src='https://cdn.example/app.js'></script></head>
            <body><a href="https://shop.example/cart">Back</a><img src="/static/logo.svg">
            <script src="/checkout.js"></script></body></html>"#;
        let found = external_assets(page);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(
            external_assets(r#"<a href="https://shop.example/cart">Back</a><img src="data:image/png;base64,AA">"#)
                .is_empty()
        );
    }
}
