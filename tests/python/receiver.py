"""A webhook receiver in a few lines of the standard library, as a merchant might write one.

    python3 receiver.py PORT SECRET DUMP_DIR

Verifies `Kassa-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` within a 300 s
tolerance; answers 200 when it verifies and 400 when it does not, and keeps each request (its
headers and body) in DUMP_DIR for the official libraries to check too.
"""
import hashlib, hmac, json, os, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer

PORT, SECRET, DUMP = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]


def verified(header, body):
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    expected = hmac.new(SECRET, parts.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(parts.get("t", "0"))) <= 300
    return fresh and hmac.compare_digest(expected, parts.get("v1", ""))


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        ok = verified(self.headers.get("kassa-signature", ""), body)
        name = os.path.join(DUMP, f"{time.time_ns()}.json")
        with open(name, "w") as f:
            json.dump({"headers": dict(self.headers.items()), "body": body.decode(), "verified": ok}, f)
        self.send_response(200 if ok else 400)
        self.end_headers()
        self.wfile.write(b"verified" if ok else b"bad signature")

    def log_message(self, *args):
        pass


print("listening", flush=True)
HTTPServer(("127.0.0.1", PORT), Hook).serve_forever()
