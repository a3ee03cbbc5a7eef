//! `/dashboard` in a real browser (headless Chromium; nothing but loopback resolves): a newcomer
//! signs up, creates a merchant and a key, sees payments made with that key in the charts and
//! the table, refunds one and sees the timeline and the webhook attempt; a viewer gets no refund
//! button and the API refuses the viewer as well. A screenshot of each final page is saved under
//! `target/screenshots/`.

use kassa_testkit::{Api, assert_error};
use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::browser::{Browser, available};
use crate::harness::Server;

const VISA: &str = "4242 4242 4242 4242";
const DECLINED: &str = "4000 0000 0000 0002";
/// Text a merchant controls, which the page must show as text and never run.
const HOSTILE: &str = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">Gift card";

async fn intent(api: &Api, key: &str, amount: i64, currency: &str, description: &str) -> Value {
    let mut body = Api::intent_body(amount, false);
    body["currency"] = json!(currency);
    body["description"] = json!(description);
    let reply = api.post("/v1/payment-intents", Some(key), body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body
}

async fn sign_in(browser: &Browser, server: &Server, email: &str) {
    browser.goto(&format!("{}/dashboard", server.base_url)).await;
    browser.wait_for("the sign-in form", || async { browser.count("#login").await == 1 }).await;
    browser.fill("#email", email).await;
    browser.fill("#password", kassa_testkit::PASSWORD).await;
    browser.click("#login button[type=submit]").await;
}

#[tokio::test]
async fn a_newcomer_signs_up_takes_payments_refunds_one_and_sees_it_all() {
    if !available(true) {
        return;
    }
    let server = Server::start(None).await;
    let api = Api::new(&server.base_url);
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let browser = Browser::start().await;
    browser.resize(1280, 1000).await;

    // Sign up, and create a merchant whose name is hostile too.
    browser.goto(&format!("{}/dashboard", server.base_url)).await;
    browser.wait_for("the sign-in page", || async { browser.count("#to-register").await == 1 }).await;
    browser.click("#to-register").await;
    browser.wait_for("the register form", || async { browser.count("#register").await == 1 }).await;
    let email = format!("ada-{}@example.com", uuid::Uuid::new_v4().simple());
    browser.fill("#name", "Ada").await;
    browser.fill("#email", &email).await;
    browser.fill("#password", kassa_testkit::PASSWORD).await;
    browser.click("#register button[type=submit]").await;
    browser.wait_for("the new merchant form", || async { browser.count("#new-merchant").await == 1 }).await;
    browser.fill("#merchant-name", "Acme <b>Books</b>").await;
    browser.click("#new-merchant button[type=submit]").await;

    // A key, shown once.
    browser.wait_for("the API keys page", || async { browser.count("#create-key").await == 1 }).await;
    assert!(browser.text("#webhook-secret").await.starts_with("whsec_"), "the new merchant's webhook secret");
    browser.fill("#key-name", "server").await;
    browser.click("#create-key button[type=submit]").await;
    browser.wait_for("the new key", || async { browser.text("#new-key-secret").await.starts_with("sk_test_") }).await;
    let key = browser.text("#new-key-secret").await;
    assert_eq!(browser.count("#keys tbody tr").await, 1);
    let merchant = browser.url().await.split("#/m/").nth(1).unwrap().split('/').next().unwrap().to_owned();

    // The webhook endpoint, set on its page.
    browser.goto(&format!("{}/dashboard#/m/{merchant}/webhooks", server.base_url)).await;
    browser.wait_for("the webhooks page", || async { browser.count("#webhook-url").await == 1 }).await;
    browser.fill("#url", &receiver.uri()).await;
    browser.click("#webhook-url button[type=submit]").await;
    let token = browser.execute("return sessionStorage.getItem('kassa.token')").await;
    let token = token.as_str().unwrap().to_owned();
    browser
        .wait_for("the saved URL", || async {
            let saved = api.get(&format!("/v1/merchants/{merchant}"), Some(&token)).await;
            saved.body["webhook_url"] == receiver.uri().as_str()
        })
        .await;

    // Three payments through the API, one declined, and one in yen.
    let paid = intent(&api, &key, 1000, "usd", HOSTILE).await;
    assert_eq!(api.pay(&paid, VISA).await.status, StatusCode::OK);
    let second = intent(&api, &key, 2500, "usd", "Two books").await;
    assert_eq!(api.pay(&second, VISA).await.status, StatusCode::OK);
    let declined = intent(&api, &key, 700, "usd", "Declined").await;
    assert_eq!(api.pay(&declined, DECLINED).await.status, StatusCode::PAYMENT_REQUIRED);
    let yen = intent(&api, &key, 1000, "jpy", "Tea").await;
    assert_eq!(api.pay(&yen, VISA).await.status, StatusCode::OK);

    // Home: today's figures, the charts, the table.
    browser.goto(&format!("{}/dashboard#/m/{merchant}/home", server.base_url)).await;
    browser.wait_for("today's volume", || async { browser.text("#today-volume").await == "$35.00" }).await;
    assert_eq!(browser.text("#today-counts").await, "2 succeeded · 1 failed");
    assert_eq!(browser.text("h1").await, "Acme <b>Books</b>", "the merchant's name, as text");
    let last_bar = |chart: &'static str| {
        let browser = &browser;
        async move { browser.attribute(&format!("#{chart} rect:last-of-type"), "data-value").await }
    };
    assert_eq!(last_bar("net-chart").await.as_deref(), Some("3500"));
    assert_eq!(last_bar("failed-chart").await.as_deref(), Some("1"));
    assert_eq!(browser.count("#net-chart rect").await, 30, "a bar a day for 30 days");
    assert_eq!(browser.count("#payments tbody tr").await, 4);
    let amounts =
        browser.execute("return [...document.querySelectorAll('#payments td.amount')].map(td => td.textContent)").await;
    assert_eq!(amounts, json!(["¥1,000", "$7.00", "$25.00", "$10.00"]), "formatted per currency, newest first");
    let description = browser
        .execute(&format!(
            "return document.querySelector('#payments tr[data-id=\"{}\"] td.description').textContent",
            paid["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(description, json!(HOSTILE), "a description is shown as text");
    assert_eq!(browser.execute("return window.pwned === undefined").await, json!(true), "nothing ran");
    assert_eq!(browser.count("#view img").await + browser.count("#view script").await, 0);

    // A new payment appears without a reload.
    let fifth = intent(&api, &key, 1200, "usd", "Arrived while watching").await;
    assert_eq!(api.pay(&fifth, VISA).await.status, StatusCode::OK);
    browser.wait_for("the new payment", || async { browser.count("#payments tbody tr").await == 5 }).await;
    browser.wait_for("today's new volume", || async { browser.text("#today-volume").await == "$47.00" }).await;
    browser.screenshot("dashboard-home").await;

    // The payments table: filter, find by id.
    browser.goto(&format!("{}/dashboard#/m/{merchant}/payments", server.base_url)).await;
    browser.wait_for("the payments page", || async { browser.count("#status-filter").await == 1 }).await;
    browser.click("#status-filter option[value=requires_payment_method]").await;
    browser.wait_for("the filtered table", || async { browser.count("#payments tbody tr").await == 1 }).await;
    assert_eq!(browser.text("#payments td.description").await, "Declined");
    browser.click("#payments tbody tr").await;
    browser.wait_for("the declined payment's attempts", || async { browser.count("#charges li").await == 1 }).await;
    assert!(browser.text("#charges li[data-status=failed]").await.contains("generic decline (05)"));
    browser.goto(&format!("{}/dashboard#/m/{merchant}/payments", server.base_url)).await;
    browser.wait_for("the payments page", || async { browser.count("#search").await == 1 }).await;
    browser.fill("#search-id", paid["id"].as_str().unwrap()).await;
    browser.click("#search button[type=submit]").await;

    // Its page: refund part of it, and see the refund on the timeline with its webhook attempt.
    browser.wait_for("the payment's page", || async { browser.count("#refund").await == 1 }).await;
    assert_eq!(browser.text("#payment-description").await, HOSTILE);
    browser.fill("#refund-amount", "400").await;
    browser.click("#refund-button").await;
    browser.wait_for("the refund", || async { browser.text("#payment-refunded").await == "$4.00" }).await;
    browser
        .wait_for("the refund's webhook attempt", || async {
            browser.reload().await;
            browser.wait_for("the timeline", || async { browser.count("#timeline li").await > 0 }).await;
            let text = browser.text("#timeline li[data-type=\"refund.created\"]").await;
            text.contains("Webhook attempt 1 (scheduled)") && text.contains("200")
        })
        .await;
    assert_eq!(browser.count("#timeline li").await, 3, "created, succeeded, refund.created");
    assert!(
        browser.text("#charges li[data-status=succeeded]").await.contains("$4.00 refunded"),
        "the charge follows the refund"
    );
    let refunded = api.get(&format!("/v1/payment-intents/{}", paid["id"].as_str().unwrap()), Some(&key)).await;
    assert_eq!(refunded.body["amount_refunded"], 400);
    browser.screenshot("dashboard-payment").await;

    // Request logs, bodies redacted.
    browser.goto(&format!("{}/dashboard#/m/{merchant}/logs", server.base_url)).await;
    browser.wait_for("the logs", || async { browser.count("#logs tbody tr.link").await > 0 }).await;
    browser.fill("#log-path", "/v1/payment-intents").await;
    browser.click("#log-filter option[value=POST]").await;
    browser.click("#log-filter button[type=submit]").await;
    browser
        .wait_for("the filtered logs", || async {
            browser.text("#logs tbody tr.link").await.contains("POST /v1/payment-intents")
        })
        .await;
    browser.click("#logs tbody tr.link").await;
    let request_body = browser.text("#logs tr.detail pre.request-body").await;
    assert!(request_body.contains("\"amount\": 1200"), "{request_body}");
    let response_body = browser.text("#logs tr.detail pre.response-body").await;
    assert!(response_body.contains("[redacted]") && !response_body.contains("_secret_"), "{response_body}");
    browser.screenshot("dashboard-logs").await;

    // Team, and the page at a phone's width.
    browser.goto(&format!("{}/dashboard#/m/{merchant}/team", server.base_url)).await;
    browser.wait_for("the team", || async { browser.count("#members tbody tr").await == 1 }).await;
    assert!(browser.text("#members").await.contains("owner"));
    browser.resize(390, 844).await;
    browser.goto(&format!("{}/dashboard#/m/{merchant}/payments", server.base_url)).await;
    browser.wait_for("the payments page", || async { browser.count("#status-filter").await == 1 }).await;
    browser.click("#status-filter option[value='']").await;
    browser.wait_for("every payment", || async { browser.count("#payments tbody tr").await == 5 }).await;
    let overflow = browser.execute("return document.documentElement.scrollWidth - window.innerWidth").await;
    assert!(overflow.as_i64().unwrap_or(1) <= 0, "the page scrolls sideways at phone width by {overflow}px");
    browser.screenshot("dashboard-phone").await;
    assert!(!server.log_text().contains(&key), "the key is never logged");
}

#[tokio::test]
async fn a_viewer_sees_no_refund_button_and_the_api_refuses_the_viewer_too() {
    if !available(true) {
        return;
    }
    let server = Server::start(None).await;
    let api = Api::new(&server.base_url);
    let (owner, merchant) = api.owner().await;
    let (_, key) = api.api_key(&owner, &merchant).await;
    let paid = intent(&api, &key, 1000, "usd", "A book").await;
    assert_eq!(api.pay(&paid, VISA).await.status, StatusCode::OK);
    let (_, email, _) = api.user().await;
    let added = api
        .post(&format!("/v1/merchants/{merchant}/members"), Some(&owner), json!({"email": email, "role": "viewer"}))
        .await;
    assert_eq!(added.status, StatusCode::CREATED);

    let browser = Browser::start().await;
    browser.resize(1280, 1000).await;
    sign_in(&browser, &server, &email).await;
    browser.wait_for("the home page", || async { browser.text("#today-volume").await == "$10.00" }).await;
    let id = paid["id"].as_str().unwrap();
    browser.goto(&format!("{}/dashboard#/m/{merchant}/payments/{id}", server.base_url)).await;
    browser.wait_for("the payment's page", || async { browser.text("#payment-id").await == id }).await;
    browser.wait_for("the timeline", || async { browser.count("#timeline li").await == 2 }).await;
    assert_eq!(browser.count("#refund").await, 0, "no refund form for a viewer");
    assert_eq!(browser.count("#payment-actions").await, 0);
    assert_eq!(browser.count(".redeliver").await, 0, "no redeliver button either");
    browser.goto(&format!("{}/dashboard#/m/{merchant}/keys", server.base_url)).await;
    browser.wait_for("the keys page", || async { browser.count("#keys tbody tr").await == 1 }).await;
    assert_eq!(browser.count("#create-key").await + browser.count("#keys button").await, 0);
    browser.screenshot("dashboard-viewer").await;

    // The page is not the guard: the API refuses the viewer's token itself.
    let token = browser.execute("return sessionStorage.getItem('kassa.token')").await;
    let token = token.as_str().unwrap();
    let refund =
        api.on_merchant(&merchant).post(&format!("/v1/payment-intents/{id}/refunds"), Some(token), json!({})).await;
    assert_error(&refund, StatusCode::FORBIDDEN, "insufficient_role");
}

#[tokio::test]
async fn an_owner_pages_switches_merchants_and_manages_keys_webhooks_and_the_team() {
    if !available(true) {
        return;
    }
    let server = Server::start(None).await;
    let api = Api::new(&server.base_url);
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let (_, email, owner) = api.user().await;
    let first =
        api.post("/v1/merchants", Some(&owner), json!({"name": "First Shop", "webhook_url": receiver.uri()})).await;
    let first = first.body["id"].as_str().unwrap().to_owned();
    let second = api.merchant(&owner).await;
    let (_, key) = api.api_key(&owner, &first).await;
    let mut body = Api::intent_body(1000, false);
    body["metadata"] = json!({"note": HOSTILE});
    let tagged = api.post("/v1/payment-intents", Some(&key), body).await.body;
    assert_eq!(api.pay(&tagged, VISA).await.status, StatusCode::OK);
    for amount in 1..=21 {
        intent(&api, &key, 100 * amount, "usd", &format!("Order {amount}")).await;
    }
    let (_, colleague) = api.register().await;

    let browser = Browser::start().await;
    browser.resize(1280, 1000).await;
    sign_in(&browser, &server, &email).await;
    browser.wait_for("the home page", || async { browser.count("#today-volume").await == 1 }).await;

    // Two merchants: switch to the other one and back.
    let shown = browser.text("h1").await;
    let other = if shown == "First Shop" { &second } else { &first };
    browser.click(&format!("#merchant-switch option[value='{other}']")).await;
    browser.wait_for("the other merchant", || async { browser.url().await.contains(other.as_str()) }).await;
    browser.click(&format!("#merchant-switch option[value='{first}']")).await;
    browser.wait_for("the first merchant", || async { browser.text("h1").await == "First Shop" }).await;

    // Pages of 20, newest first.
    browser.goto(&format!("{}/dashboard#/m/{first}/payments", server.base_url)).await;
    browser.wait_for("the first page", || async { browser.count("#payments tbody tr").await == 20 }).await;
    assert_eq!(browser.text("#payments td.description").await, "Order 21");
    browser.click("#next").await;
    browser.wait_for("the second page", || async { browser.count("#payments tbody tr").await == 2 }).await;
    assert_eq!(browser.attribute("#next", "disabled").await.as_deref(), Some("true"));
    browser.click("#previous").await;
    browser
        .wait_for("the first page again", || async { browser.text("#payments td.description").await == "Order 21" })
        .await;

    // Metadata is text too; redeliver makes a manual attempt.
    let id = tagged["id"].as_str().unwrap();
    browser.goto(&format!("{}/dashboard#/m/{first}/payments/{id}", server.base_url)).await;
    browser.wait_for("the payment's page", || async { browser.count("#payment-metadata").await == 1 }).await;
    assert_eq!(browser.text("#payment-metadata").await, format!("note: {HOSTILE}"));
    assert_eq!(browser.execute("return window.pwned === undefined").await, json!(true));
    browser
        .wait_for("the scheduled delivery", || async {
            browser.reload().await;
            browser.wait_for("the timeline", || async { browser.count("#timeline li").await == 2 }).await;
            browser.text("#timeline li[data-type=\"payment_intent.succeeded\"]").await.contains("(scheduled)")
        })
        .await;
    browser.click("#timeline li[data-type=\"payment_intent.succeeded\"] .redeliver").await;
    browser
        .wait_for("the manual attempt", || async {
            browser.text("#timeline li[data-type=\"payment_intent.succeeded\"]").await.contains("(manual)")
        })
        .await;

    // Keys: create a second, revoke the first, which the API refuses at once.
    browser.goto(&format!("{}/dashboard#/m/{first}/keys", server.base_url)).await;
    browser.wait_for("the keys", || async { browser.count("#keys tbody tr").await == 1 }).await;
    browser.fill("#key-name", "second").await;
    browser.click("#create-key button[type=submit]").await;
    browser.wait_for("two keys", || async { browser.count("#keys tbody tr").await == 2 }).await;
    let old = api.get("/v1/payment-intents?limit=1", Some(&key)).await;
    assert_eq!(old.status, StatusCode::OK);
    browser.accept_confirms().await;
    browser.click("#keys tbody tr:last-child button").await;
    browser.wait_for("one key", || async { browser.count("#keys tbody tr").await == 1 }).await;
    assert_error(&api.get("/v1/payment-intents", Some(&key)).await, StatusCode::UNAUTHORIZED, "invalid_api_key");

    // Webhooks: recent deliveries, and a rolled secret shown once.
    browser.goto(&format!("{}/dashboard#/m/{first}/webhooks", server.base_url)).await;
    browser.wait_for("the deliveries", || async { browser.count("#deliveries tbody tr").await == 10 }).await;
    assert!(browser.text("#deliveries").await.contains("delivered"), "{}", browser.text("#deliveries").await);
    browser.accept_confirms().await;
    browser.click("#view .card button.secondary").await;
    browser
        .wait_for("the rolled secret", || async { browser.text("#rolled-secret").await.starts_with("whsec_") })
        .await;

    // Team: add a colleague as a viewer.
    browser.goto(&format!("{}/dashboard#/m/{first}/team", server.base_url)).await;
    browser.wait_for("the team", || async { browser.count("#members tbody tr").await == 1 }).await;
    browser.fill("#member-email", &colleague).await;
    browser.click("#member-role option[value=viewer]").await;
    browser.click("#add-member button[type=submit]").await;
    browser.wait_for("two members", || async { browser.count("#members tbody tr").await == 2 }).await;
    assert!(browser.text("#members").await.contains(&colleague));
    browser.screenshot("dashboard-team").await;
}
