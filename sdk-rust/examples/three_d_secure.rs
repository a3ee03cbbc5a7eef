//! A card that asks for 3-D Secure (`4000 0027 6000 3184`): the confirm answers
//! `requires_action` with the authentication page, where the customer completes it (here the
//! example presses Complete for them, as Kassa's test page would), and the payment succeeds.
//!
//! ```sh
//! cargo run -p kassa-sdk --example three_d_secure        # against http://127.0.0.1:4242
//! ```

use kassa_sdk::types::{
    AuthenticateCheckoutRequest, AuthenticationResult, Card, ConfirmCheckoutRequest, CreateApiKeyRequest,
    CreateMerchantRequest, CreatePaymentIntentRequest, LoginRequest, PaymentIntentStatus, RegisterRequest,
};

type Error = Box<dyn std::error::Error>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let base_url = std::env::var("KASSA_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:4242".into());
    let kassa = kassa_sdk::builder(&base_url).build()?;
    let email = format!("three-d-secure-{}@example.com", std::process::id());
    let password = "correct-horse-42".to_owned();
    kassa.register(&RegisterRequest { email: email.clone(), password: password.clone(), name: "Ada".into() }).await?;
    let token = kassa.login(&LoginRequest { email, password, ..Default::default() }).await?.into_inner().access_token;
    let dashboard = kassa_sdk::authenticated(&base_url, &token)?;
    let merchant =
        dashboard.create_merchant(&CreateMerchantRequest { name: "Acme Books".into(), webhook_url: None }).await?;
    let key = dashboard.create_api_key(&merchant.id, &CreateApiKeyRequest { name: "3ds".into() }).await?;
    let server = kassa_sdk::authenticated(&base_url, &key.into_inner().key)?;

    let intent = server
        .create_payment_intent(&CreatePaymentIntentRequest {
            amount: 4200,
            currency: "eur".into(),
            success_url: "https://shop.example/thanks".into(),
            cancel_url: "https://shop.example/cart".into(),
            description: Some("Authenticated order".into()),
            ..Default::default()
        })
        .await?
        .into_inner();
    let client_secret = intent.client_secret.ok_or("the new intent came without its client secret")?;

    // The browser confirms with a card whose issuer asks for authentication.
    let card = Card {
        number: kassa_sdk::test_cards::AUTHENTICATION_REQUIRED.into(),
        exp_month: 12,
        exp_year: 2034,
        cvc: "123".into(),
        name: "Ada Lovelace".into(),
    };
    let confirm = ConfirmCheckoutRequest::with_card(client_secret.clone(), card);
    let answer = kassa.confirm_checkout(&intent.id, &confirm).await?.into_inner();
    println!("Confirm answered {}: authenticate at {}", answer.status, answer.redirect_url);
    let waiting = server.get_payment_intent(&intent.id).await?.into_inner();
    if !matches!(waiting.status, PaymentIntentStatus::RequiresAction) {
        return Err(format!("expected requires_action, got {}", waiting.status).into());
    }

    // On that page the customer presses Complete.
    let complete = AuthenticateCheckoutRequest { client_secret, result: AuthenticationResult::Complete };
    let done = kassa.authenticate_checkout(&intent.id, &complete).await?.into_inner();
    println!("Authenticated; the browser goes to {}", done.redirect_url);

    let paid = server.get_payment_intent(&intent.id).await?.into_inner();
    println!("Verified payment: amount={} cents, status={}", paid.amount_received, paid.status);
    Ok(())
}
