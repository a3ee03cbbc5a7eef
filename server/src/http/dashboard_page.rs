//! `/dashboard`: the merchant's window (API.md "Dashboard access"). Three files compiled into
//! the binary (a page, its script, its stylesheet) and nothing else: the script uses only the
//! public API, with the user's token and `Kassa-Merchant`, so the dashboard has no private
//! routes and no build step. The CSP allows scripts and styles from this origin only, which
//! forbids inline code, and connections to this origin only.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::app::AppState;

const PAGE: &str = include_str!("pages/dashboard/index.html");
const SCRIPT: &str = include_str!("pages/dashboard/app.js");
const STYLE: &str = include_str!("pages/dashboard/app.css");

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; \
                   form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(|| async { asset("text/html; charset=utf-8", PAGE) }))
        .route("/dashboard/", get(|| async { asset("text/html; charset=utf-8", PAGE) }))
        .route("/dashboard/app.js", get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }))
        .route("/dashboard/app.css", get(|| async { asset("text/css; charset=utf-8", STYLE) }))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // Revalidated every time, so a new binary's dashboard is never mixed with an old script.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
