"""Checks deliveries kept by receiver.py with the libraries receivers already use:
Stripe's `stripe.Webhook.construct_event` (given the Kassa-Signature header) and
`standardwebhooks.Webhook.verify` (given the three Standard Webhooks headers).

    python verify_with_libraries.py SECRET DUMP_FILE...

Also checks that each library refuses the delivery once one byte of its body is changed, so a
pass means something. Prints one line per delivery; exits 1 on any failure.
"""
import json, sys

import stripe
from standardwebhooks.webhooks import Webhook

secret, files = sys.argv[1], sys.argv[2:]
failed = False
for path in files:
    with open(path) as f:
        kept = json.load(f)
    headers = {k.lower(): v for k, v in kept["headers"].items()}
    body = kept["body"]
    tampered = body.replace("payment_intent", "payment_intenT", 1)
    try:
        event = stripe.Webhook.construct_event(body, headers["kassa-signature"], secret, tolerance=300)
        standard = {k: headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
        Webhook(secret).verify(body.encode(), standard)
        for check in (
            lambda: stripe.Webhook.construct_event(tampered, headers["kassa-signature"], secret, tolerance=300),
            lambda: Webhook(secret).verify(tampered.encode(), standard),
        ):
            try:
                check()
            except Exception:
                continue
            raise AssertionError("a tampered body verified")
        print(f"verified {event['id']} {event['type']} with stripe and standardwebhooks")
    except Exception as err:
        failed = True
        print(f"FAILED {path}: {type(err).__name__}: {err}")
sys.exit(1 if failed else 0)
