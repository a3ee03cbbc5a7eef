//! The hosted checkout page in a real browser (API.md "Hosted checkout"): a customer sees the
//! merchant and amount, is declined and retries, pays, and lands on `success_url`; an expired
//! intent sends them to `cancel_url`, as does "Back to <merchant>"; a wrong secret gets a 403
//! page. The amount reads as a customer expects, with the description and the test cards.

use kassa_sdk::types::{CreateMerchantRequest, CreatePaymentIntentRequest, PaymentIntentStatus, PaymentMethodType};

use crate::browser::{Browser, available};
use crate::harness::Server;

async fn merchant_key(server: &Server) -> kassa_sdk::Client {
    use kassa_sdk::types::{CreateApiKeyRequest, LoginRequest, RegisterRequest};
    let kassa = kassa_sdk::builder(&server.base_url).build().unwrap();
    let (email, password) = ("page@example.com".to_owned(), "correct-horse-42".to_owned());
    kassa
        .register(&RegisterRequest { email: email.clone(), password: password.clone(), name: "P".into() })
        .await
        .unwrap();
    let token =
        kassa.login(&LoginRequest { email, password, ..Default::default() }).await.unwrap().into_inner().access_token;
    let dashboard = kassa_sdk::authenticated(&server.base_url, &token).unwrap();
    let merchant = dashboard
        .create_merchant(&CreateMerchantRequest { name: "Acme <Books> & Co".into(), webhook_url: None })
        .await
        .unwrap();
    let key = dashboard.create_api_key(&merchant.id, &CreateApiKeyRequest { name: "k".into() }).await.unwrap();
    kassa_sdk::authenticated(&server.base_url, &key.into_inner().key).unwrap()
}

fn intent(server: &Server, expires_in: Option<i64>) -> CreatePaymentIntentRequest {
    CreatePaymentIntentRequest {
        amount: 1999,
        currency: "eur".into(),
        // Pages of this same server, so the browser can land somewhere on loopback.
        success_url: format!("{}/healthz?order=7", server.base_url),
        cancel_url: format!("{}/healthz?cancelled=7", server.base_url),
        description: Some("2 × <Notebook> & pen".into()),
        expires_in,
        ..Default::default()
    }
}

#[tokio::test]
async fn a_customer_is_declined_retries_and_lands_on_the_success_url() {
    if !available(true) {
        return;
    }
    let server = Server::start(None).await;
    let shop = merchant_key(&server).await;
    let pi = shop.create_payment_intent(&intent(&server, None)).await.unwrap().into_inner();
    let browser = Browser::start().await;
    browser.goto(pi.checkout_url.as_deref().unwrap()).await;
    assert_eq!(browser.text("h1").await, "Acme <Books> & Co", "the merchant's name, as text");
    assert_eq!(browser.text("#amount").await, "€19.99", "as a customer reads an amount");
    assert_eq!(browser.text("#description").await, "2 × <Notebook> & pen", "the description, as text");
    assert_eq!(browser.text("#test-mode").await, "Test mode");
    assert!(browser.text("#test-cards").await.contains("4242 4242 4242 4242"), "the test cards are listed");
    browser.screenshot("checkout").await;

    browser.pay_at_checkout("4000 0000 0000 9995").await;
    browser
        .wait_for("the decline message", || async { browser.text("#message").await.contains("insufficient funds") })
        .await;

    browser.fill("#number", "4242 4242 4242 4242").await;
    browser.click("#submit").await;
    let expected = format!("{}/healthz?order=7&payment_intent={}", server.base_url, pi.id);
    browser.wait_for("the redirect to success_url", || async { browser.url().await == expected }).await;

    let paid = shop.get_payment_intent(&pi.id).await.unwrap().into_inner();
    assert!(matches!(paid.status, PaymentIntentStatus::Succeeded), "{paid:?}");
    assert_eq!(paid.attempts, 2);
    assert!(!server.log_text().contains("4242424242424242") && !server.log_text().contains("4242 4242"));
}

#[tokio::test]
async fn an_expired_intent_sends_the_customer_to_the_cancel_url_and_a_wrong_secret_gets_403() {
    if !available(true) {
        return;
    }
    let server = Server::start(None).await;
    let shop = merchant_key(&server).await;
    let pi = shop.create_payment_intent(&intent(&server, Some(1))).await.unwrap().into_inner();
    let browser = Browser::start().await;

    let forged = pi.checkout_url.as_deref().unwrap().replace("_secret_", "_secret_00");
    browser.goto(&forged).await;
    assert_eq!(browser.text("#title").await, "This payment link is not valid");
    let status = reqwest::get(&forged).await.unwrap().status();
    assert_eq!(status, 403);

    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    browser.goto(pi.checkout_url.as_deref().unwrap()).await;
    let expected = format!("{}/healthz?cancelled=7&payment_intent={}", server.base_url, pi.id);
    browser.wait_for("the redirect to cancel_url", || async { browser.url().await == expected }).await;
}

#[tokio::test]
async fn back_to_the_merchant_goes_to_the_cancel_url_and_leaves_the_intent_open() {
    if !available(true) {
        return;
    }
    let server = Server::start(None).await;
    let shop = merchant_key(&server).await;
    let mut request = intent(&server, None);
    request.currency = "jpy".into();
    request.amount = 1000;
    let pi = shop.create_payment_intent(&request).await.unwrap().into_inner();
    let browser = Browser::start().await;
    browser.goto(pi.checkout_url.as_deref().unwrap()).await;
    assert_eq!(browser.text("#amount").await, "¥1,000", "yen have no decimals");
    assert_eq!(browser.text("#back").await, "← Back to Acme <Books> & Co");
    browser.click("#back").await;
    let expected = format!("{}/healthz?cancelled=7&payment_intent={}", server.base_url, pi.id);
    browser.wait_for("the cancel_url", || async { browser.url().await == expected }).await;
    // As with a Stripe Checkout Session, the customer may still come back and pay.
    let open = shop.get_payment_intent(&pi.id).await.unwrap().into_inner();
    assert!(matches!(open.status, PaymentIntentStatus::RequiresPaymentMethod), "{open:?}");
    browser.goto(pi.checkout_url.as_deref().unwrap()).await;
    assert_eq!(browser.text("#amount").await, "¥1,000");
}

#[tokio::test]
async fn a_card_that_asks_for_3d_secure_is_authenticated_on_kassas_page_failed_once_then_completed() {
    if !available(true) {
        return;
    }
    let server = Server::start(None).await;
    let shop = merchant_key(&server).await;
    let pi = shop.create_payment_intent(&intent(&server, None)).await.unwrap().into_inner();
    let browser = Browser::start().await;
    browser.goto(pi.checkout_url.as_deref().unwrap()).await;

    // The card asks for authentication: Kassa's page, where the customer fails it.
    browser.pay_at_checkout("4000 0027 6000 3184").await;
    browser.wait_for("the authentication page", || async { browser.count("#complete").await == 1 }).await;
    assert_eq!(browser.text("#amount").await, "€19.99");
    assert_eq!(browser.text("#card").await, "Card ending in 3184");
    browser.screenshot("checkout-authentication").await;
    browser.click("#fail").await;
    // Back on the checkout, with what happened, and another try.
    browser
        .wait_for("the checkout with the failure", || async {
            browser.text("#message").await.contains("could not be authenticated")
        })
        .await;
    let failed = shop.get_payment_intent(&pi.id).await.unwrap().into_inner();
    assert!(matches!(failed.status, PaymentIntentStatus::RequiresPaymentMethod), "{failed:?}");
    assert_eq!(failed.attempts, 1);

    browser.pay_at_checkout("4000 0027 6000 3184").await;
    browser.wait_for("the authentication page again", || async { browser.count("#complete").await == 1 }).await;
    browser.click("#complete").await;
    let expected = format!("{}/healthz?order=7&payment_intent={}", server.base_url, pi.id);
    browser.wait_for("the redirect to success_url", || async { browser.url().await == expected }).await;
    let paid = shop.get_payment_intent(&pi.id).await.unwrap().into_inner();
    assert!(matches!(paid.status, PaymentIntentStatus::Succeeded), "{paid:?}");
    let charges = shop.list_charges(None, Some(&pi.id), None).await.unwrap().into_inner();
    assert_eq!(charges.data.len(), 2, "the failed authentication and the payment are both attempts");
    let log = server.log_text();
    assert!(
        !log.contains("4000002760003184") && !log.contains("4000 0027 6000 3184"),
        "the card number is never logged"
    );
}

#[tokio::test]
async fn a_customer_pays_by_sepa_debit_which_is_processing_then_settles() {
    if !available(true) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The default delay is a few seconds; one is enough to see `processing` first.
    let server = Server::start_with(dir, None, &["--debit-settlement-delay", "1s"]).await;
    let shop = merchant_key(&server).await;
    let request = CreatePaymentIntentRequest {
        payment_method_types: Some(vec![PaymentMethodType::Card, PaymentMethodType::SepaDebit]),
        ..intent(&server, None)
    };
    let pi = shop.create_payment_intent(&request).await.unwrap().into_inner();
    let browser = Browser::start().await;
    browser.goto(pi.checkout_url.as_deref().unwrap()).await;

    // Card first, as the intent lists it; the customer chooses SEPA Direct Debit.
    let visible = |css: &str| format!("return !document.querySelector('{css}').hidden");
    assert_eq!(browser.execute(&visible("#methods")).await, true, "a choice of methods");
    assert_eq!(browser.execute(&visible("label[data-method=au_becs_debit]")).await, false, "only the intent's");
    assert_eq!(browser.execute(&visible("#card-fields")).await, true);
    browser.click("input[value=sepa_debit]").await;
    assert_eq!(browser.execute(&visible("#sepa-fields")).await, true);
    assert_eq!(browser.execute(&visible("#card-fields")).await, false);
    assert!(browser.text("#test-cards").await.contains("DE89 3704 0044 0532 0130 00"), "the test accounts");

    // A mistyped IBAN is refused next to the field, and counts nothing.
    browser.fill("#iban", "DE89 3704 0044 0532 0130 01").await;
    browser.click("#submit").await;
    browser.wait_for("the IBAN's error", || async { browser.text("#iban-error").await.contains("IBAN") }).await;
    assert_eq!(browser.attribute("#iban", "aria-invalid").await.as_deref(), Some("true"));
    assert_eq!(browser.text("#message").await, "", "nothing below the button");
    browser.screenshot("checkout-sepa-invalid").await;
    let untouched = shop.get_payment_intent(&pi.id).await.unwrap().into_inner();
    assert_eq!(untouched.attempts, 0);

    browser.fill("#iban", "DE89 3704 0044 0532 0130 00").await;
    browser.click("#submit").await;
    let expected = format!("{}/healthz?order=7&payment_intent={}", server.base_url, pi.id);
    browser.wait_for("the redirect to success_url", || async { browser.url().await == expected }).await;
    let submitted = shop.get_payment_intent(&pi.id).await.unwrap().into_inner();
    // Processing until the sweeper settles it, a second or so later.
    if !matches!(submitted.status, PaymentIntentStatus::Succeeded) {
        assert!(matches!(submitted.status, PaymentIntentStatus::Processing), "{submitted:?}");
    }
    let method = submitted.payment_method.as_ref().unwrap();
    assert_eq!((method.bank.as_deref(), method.last4.as_str()), (Some("DE"), "3000"));

    browser.goto(pi.checkout_url.as_deref().unwrap()).await;
    let settled = || async {
        matches!(shop.get_payment_intent(&pi.id).await.unwrap().into_inner().status, PaymentIntentStatus::Succeeded)
    };
    browser.wait_for("the debit to settle", settled).await;
    let events = shop.list_events(None, Some(&pi.id), None, None).await.unwrap().into_inner();
    let types: Vec<String> = events.data.iter().rev().map(|e| e.type_.to_string()).collect();
    assert_eq!(types, ["payment_intent.created", "payment_intent.processing", "payment_intent.succeeded"]);
    let text = String::from_utf8_lossy(&server.database_bytes()).into_owned() + &server.log_text();
    assert!(!text.contains("370400440532013000") && !text.contains("3704 0044 0532"), "the IBAN is never kept");
}
