//! The hosted checkout page (API.md "Hosted checkout"): `GET /checkout/{id}?client_secret=…`,
//! the HTML a customer pays on. Self-contained (inline CSS and script, no external asset, works
//! offline); it pays through the public checkout API with the intent's client secret, shows
//! declines and lets the customer retry, sends the browser to `success_url` when approved and to
//! `cancel_url` when the intent has expired. A wrong secret gets a 403 page. Outside the JSON
//! contract: a page for people, not an endpoint for programs.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};

use super::payment_intents::authentication_url;
use crate::app::AppState;
use crate::domain::payment_intent::redirect_url;
use crate::domain::{PaymentIntent, Status, random_base62};
use crate::store::MerchantRow;

const PAGE: &str = include_str!("pages/checkout.html");
const NOTICE: &str = include_str!("pages/notice.html");
const AUTHENTICATE: &str = include_str!("pages/authenticate.html");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/checkout/{payment_intent_id}", get(checkout_page))
        .route("/checkout/{payment_intent_id}/authenticate", get(authentication_page))
}

/// Escapes text for HTML element content and double-quoted attributes: merchant names and
/// URLs are other people's input.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Braces too, so nobody's text can look like a `{{placeholder}}` of the template.
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            c => out.push(c),
        }
    }
    out
}

/// A page with headers fit for a page that carries a secret: never cached, never sent as a
/// referrer, scripts and styles only its own (by nonce), framed by nobody.
fn page(status: StatusCode, template: &str, values: &[(&str, String)], nonce: &str) -> Response {
    let mut html = template.replace("{{nonce}}", nonce);
    for (name, value) in values {
        html = html.replace(&format!("{{{{{name}}}}}"), &escape(value));
    }
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    let csp = format!(
        "default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; \
         form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
    );
    if let Ok(csp) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

fn notice(status: StatusCode, title: &str, detail: &str) -> Response {
    page(status, NOTICE, &[("title", title.into()), ("detail", detail.into())], &random_base62(22))
}

/// The intent a page's `client_secret` opens, its merchant, and the merchant's now (its test
/// clock's, if it has one); or the page to answer instead: 403 for a wrong secret, 500 when the
/// store fails.
async fn opened(
    app: &AppState,
    id: &str,
    query: &HashMap<String, String>,
) -> Result<(PaymentIntent, MerchantRow, DateTime<Utc>), Response> {
    let secret = query.get("client_secret").map(String::as_str).unwrap_or_default();
    let id = super::checkout::verified_id(id, secret, app).map_err(|_| {
        notice(StatusCode::FORBIDDEN, "This payment link is not valid", "Ask the merchant for a new link.")
    })?;
    let row = app.store.get_payment_intent(None, &id).await.map_err(|err| unavailable(err.into()))?;
    let merchant = app.store.get_merchant(row.merchant_id).await.map_err(|err| unavailable(err.into()))?;
    let now = app.store.now_for(row.merchant_id).await.map_err(|err| unavailable(err.into()))?;
    Ok((row, merchant, now))
}

async fn checkout_page(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (row, merchant, now) = match opened(&app, &id, &query).await {
        Ok(opened) => opened,
        Err(page) => return page,
    };
    let secret = query.get("client_secret").map(String::as_str).unwrap_or_default();
    // A read: an intent past its deadline is shown as expired; the sweeper writes it down.
    match row.status_at(now) {
        Status::RequiresPaymentMethod => {
            let values = [
                ("merchant", merchant.name),
                ("amount", row.currency.display(row.amount)),
                ("description", row.description.clone().unwrap_or_default()),
                // Why the last attempt failed, when the customer comes back from elsewhere (a
                // failed authentication).
                ("error", row.last_payment_error.map(|d| d.code.message().to_owned()).unwrap_or_default()),
                ("intent", row.id.to_string()),
                ("secret", secret.to_owned()),
                (
                    "methods",
                    row.payment_method_types.as_slice().iter().map(|m| m.as_str()).collect::<Vec<_>>().join(","),
                ),
                // Going back is the customer cancelling: the shop's cancel page learns which
                // payment, and the intent stays open until it expires, as a Stripe Checkout
                // Session does, so the customer may still come back and pay.
                ("cancel", redirect_url(&row.cancel_url, row.id.as_ref())),
            ];
            page(StatusCode::OK, PAGE, &values, &random_base62(22))
        }
        Status::RequiresAction => secret_redirect(&authentication_url(&app.wire, &row.id, secret)),
        Status::Expired => Redirect::to(&redirect_url(&row.cancel_url, row.id.as_ref())).into_response(),
        Status::Succeeded | Status::Authorized => {
            notice(StatusCode::OK, "This payment is complete", "Nothing more to pay. You can close this page.")
        }
        Status::Processing => notice(
            StatusCode::OK,
            "This payment is processing",
            "Your bank has the debit; it settles shortly. Nothing more to do. You can close this page.",
        ),
        Status::Canceled | Status::Failed => notice(
            StatusCode::OK,
            "This payment can no longer be completed",
            "Ask the merchant to start a new payment.",
        ),
    }
}

/// Kassa's test 3-D Secure page: the customer completes or fails the authentication their
/// card asked for. Any other state goes back to the checkout, which knows what to show.
async fn authentication_page(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (row, merchant, now) = match opened(&app, &id, &query).await {
        Ok(opened) => opened,
        Err(page) => return page,
    };
    let secret = query.get("client_secret").map(String::as_str).unwrap_or_default();
    let checkout = format!("/checkout/{}?client_secret={secret}", row.id);
    if row.status_at(now) != Status::RequiresAction {
        return secret_redirect(&checkout);
    }
    let values = [
        ("merchant", merchant.name),
        ("amount", row.currency.display(row.amount)),
        ("last4", row.payment_method.as_ref().map(|card| card.last4().to_owned()).unwrap_or_default()),
        ("intent", row.id.to_string()),
        ("secret", secret.to_owned()),
        ("checkout", checkout),
    ];
    page(StatusCode::OK, AUTHENTICATE, &values, &random_base62(22))
}

/// A redirect to a URL that carries the client secret: never cached, never a referrer.
fn secret_redirect(to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

fn unavailable(err: anyhow::Error) -> Response {
    tracing::error!(error = format!("{err:#}"), "checkout page");
    notice(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", "Please try again in a moment.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_peoples_text_is_escaped() {
        assert_eq!(escape("<script>\"x\"&'y'"), "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;");
    }
}
