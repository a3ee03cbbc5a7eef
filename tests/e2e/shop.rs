//! The sample shop (`examples/shop`) against a real `kassa serve`, as a newcomer runs it: "Pay
//! $10" → the hosted checkout (a decline, then 4242) → "Thanks for your payment!", with the
//! payment verified server-side and the order marked paid by the webhook, delivered both to the
//! merchant's `webhook_url` and through `kassa listen --forward-to`.

use std::process::Command;

use kassa_testkit::Api;
use reqwest::StatusCode;
use serde_json::json;

use crate::browser::{Browser, available};
use crate::harness::{Server, Watched, free_port, shop_bin};
use crate::listen::listen;

/// Starts the shop on `port`, configured by the environment as its README says.
async fn start_shop(server: &Server, key: &str, secret: &str, port: u16) -> Watched {
    let mut command = Command::new(shop_bin());
    command
        .env("KASSA_API_KEY", key)
        .env("KASSA_BASE_URL", &server.base_url)
        .env("SHOP_PORT", port.to_string())
        .env("KASSA_WEBHOOK_SECRET", secret);
    let shop = Watched::spawn(command, "the shop");
    shop.line_with("Shop running at").await;
    shop
}

#[tokio::test]
async fn a_customer_pays_10_dollars_and_the_webhook_fulfils_the_order() {
    if !available(true) {
        return;
    }
    let server = Server::start(None).await;
    let api = Api::new(&server.base_url);
    let (_, _, token) = api.user().await;
    let port = free_port();
    let merchant = api
        .post(
            "/v1/merchants",
            Some(&token),
            json!({"name": "Kassa Books", "webhook_url": format!("http://127.0.0.1:{port}/webhook")}),
        )
        .await;
    assert_eq!(merchant.status, StatusCode::CREATED, "{}", merchant.body);
    let secret = merchant.body["webhook_secret"].as_str().unwrap().to_owned();
    let (_, key) = api.api_key(&token, merchant.body["id"].as_str().unwrap()).await;
    let shop = start_shop(&server, &key, &secret, port).await;

    let browser = Browser::start().await;
    browser.resize(1000, 900).await;
    browser.goto(&format!("http://127.0.0.1:{port}/")).await;
    assert_eq!(browser.text("#pay").await, "Pay $10");
    browser.click("#pay").await;
    browser.wait_for("the checkout", || async { browser.count("#number").await == 1 }).await;
    assert_eq!(browser.text("#amount").await, "$10.00");
    assert_eq!(browser.text("#description").await, "The Rust Handbook");
    browser.pay_at_checkout("4000 0000 0000 0002").await;
    browser.wait_for("the decline", || async { browser.text("#message").await.contains("declined") }).await;
    browser.fill("#number", "4242 4242 4242 4242").await;
    browser.click("#submit").await;
    browser
        .wait_for("the shop's thanks", || async { browser.text("#thanks").await == "Thanks for your payment!" })
        .await;
    assert!(browser.url().await.starts_with(&format!("http://127.0.0.1:{port}/success?payment_intent=pi_")));
    browser.screenshot("shop-thanks").await;

    shop.line_with("Verified payment: amount=1000 cents, status=succeeded").await;
    let paid = shop.line_with("paid: fulfilling it").await;
    let webhook = shop.line_with("Webhook payment_intent.succeeded: pi_").await;
    assert!(webhook.ends_with("is succeeded"), "{webhook}");
    assert!(paid.starts_with("Order order_"), "{paid}");
    let output = shop.output();
    assert!(output.iter().any(|l| l.starts_with("Webhook payment_intent.payment_failed")), "{output:?}");
}

#[tokio::test]
async fn the_shop_fulfils_from_kassa_listen_too() {
    let server = Server::start(None).await;
    let api = Api::new(&server.base_url);
    let key = api.shop().await;
    let port = free_port();
    let listener = listen(&server.base_url, &key, &format!("http://127.0.0.1:{port}/webhook"));
    let ready = listener.line_with("Ready!").await;
    let secret = ready.split_whitespace().find(|w| w.starts_with("whsec_")).expect("a secret").to_owned();
    let shop = start_shop(&server, &key, &secret, port).await;

    // "Pay $10" without a browser: the shop answers with the checkout to send the customer to.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let answer = http.post(format!("http://127.0.0.1:{port}/checkout")).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let checkout = answer.headers()["location"].to_str().unwrap().to_owned();
    let (id, secret) = checkout.split_once("/checkout/").unwrap().1.split_once("?client_secret=").unwrap();
    let intent = json!({"id": id, "client_secret": secret});
    assert_eq!(api.pay(&intent, "4242 4242 4242 4242").await.status, StatusCode::OK);

    shop.line_with(&format!("Webhook payment_intent.succeeded: {id} is succeeded")).await;
    shop.line_with("paid: fulfilling it").await;
    listener.line_with(&format!("<-- [200] POST http://127.0.0.1:{port}/webhook")).await;
}
