"""A webhook endpoint that trusts only verified deliveries: each POST is checked with
kassa_webhooks.construct_event and answered 200 (verified) or 400 (refused, with the reason).

    KASSA_WEBHOOK_SECRET=whsec_… python sdk-python/examples/webhook_receiver.py 8000

then set the merchant's `webhook_url` to http://127.0.0.1:8000/. The secret is the merchant's
`webhook_secret`, shown when it is created or rolled.
"""

from __future__ import annotations

import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

import kassa_webhooks

SECRET = os.environ["KASSA_WEBHOOK_SECRET"]


class Endpoint(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            event = kassa_webhooks.construct_event(body, self.headers.get("Kassa-Signature", ""), SECRET)
        except kassa_webhooks.WebhookVerificationError as err:
            print(f"Refused delivery: {err}", flush=True)
            self.send_response(400)
            self.end_headers()
            return
        # Handle the event here; answer quickly, since Kassa waits at most 10 s.
        print(f"Verified event {event.id} {event.type_}", flush=True)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # One line per delivery is printed above.


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    server = HTTPServer(("127.0.0.1", port), Endpoint)
    print(f"Listening on http://127.0.0.1:{port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
