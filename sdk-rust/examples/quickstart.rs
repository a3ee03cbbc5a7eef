//! The Kassa quick start, end to end against a running server:
//! register → log in → merchant → API key → payment intent of 1000 cents → the customer pays
//! with 4242 4242 4242 4242 at the checkout → the merchant's server verifies the payment.
//!
//! ```sh
//! cargo run --release --bin kassa -- serve &
//! cargo run -p kassa-sdk --example quickstart            # KASSA_BASE_URL overrides the URL
//! ```

use kassa_sdk::types::{
    Card, ConfirmCheckoutRequest, CreateApiKeyRequest, CreateMerchantRequest, CreatePaymentIntentRequest, LoginRequest,
    RegisterRequest,
};

type Error = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let base_url = std::env::var("KASSA_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:4242".into());
    let kassa = kassa_sdk::builder(&base_url).build()?;

    // 1–2. A user, logged in. (A fresh email each run, so the example can run again.)
    let email = format!("quickstart-{}@example.com", std::process::id());
    let password = "correct-horse-42".to_owned();
    kassa.register(&RegisterRequest { email: email.clone(), password: password.clone(), name: "Ada".into() }).await?;
    let token = kassa.login(&LoginRequest { email, password, ..Default::default() }).await?.into_inner().access_token;
    let dashboard = kassa_sdk::authenticated(&base_url, &token)?;

    // 3–4. A merchant, and a secret API key for its server.
    let merchant =
        dashboard.create_merchant(&CreateMerchantRequest { name: "Acme Books".into(), webhook_url: None }).await?;
    let key =
        dashboard.create_api_key(&merchant.id, &CreateApiKeyRequest { name: "quickstart".into() }).await?.into_inner();
    let server = kassa_sdk::authenticated(&base_url, &key.key)?;

    // 5. The merchant's server asks for 1000 cents ($10.00).
    let intent = server
        .with_idempotency_key(&format!("quickstart-order-{}", std::process::id()))
        .create_payment_intent(&CreatePaymentIntentRequest {
            amount: 1000,
            currency: "usd".into(),
            success_url: "https://shop.example/thanks".into(),
            cancel_url: "https://shop.example/cart".into(),
            description: Some("Quick start order".into()),
            ..Default::default()
        })
        .await?
        .into_inner();
    // An API key's view of an intent carries its client secret and checkout URL.
    let (Some(client_secret), Some(checkout_url)) = (intent.client_secret, intent.checkout_url) else {
        return Err("the new intent came without its client secret".into());
    };
    println!("Created {} — checkout at {checkout_url}", intent.id);

    // 6–8. The customer's browser pays at the checkout, with the intent's client secret.
    let card = Card {
        number: kassa_sdk::test_cards::VISA.into(),
        exp_month: 12,
        exp_year: 2034,
        cvc: "123".into(),
        name: "Ada Lovelace".into(),
    };
    let paid =
        kassa.confirm_checkout(&intent.id, &ConfirmCheckoutRequest::with_card(client_secret, card)).await?.into_inner();
    println!("Checkout approved; the browser goes to {}", paid.redirect_url);

    // 9. The merchant's server trusts its own read of the intent, never the redirect.
    let verified = server.get_payment_intent(&intent.id).await?.into_inner();
    println!("Verified payment: amount={} cents, status={}", verified.amount_received, verified.status);
    Ok(())
}
