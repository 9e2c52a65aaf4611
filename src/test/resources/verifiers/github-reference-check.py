# The check that GitHub documents for X-Hub-Signature-256 ("Validating webhook deliveries"): HMAC-SHA256 of the raw
# body keyed with the secret string, "sha256=" + lowercase hex, compared in constant time with the WHOLE header value.
# Usage: SECRET=whsec_... SIGNATURE='sha256=...' python3 github-reference-check.py body.json  → exit 0 when it verifies.
import hashlib
import hmac
import os
import sys


def verify_signature(payload_body, secret_token, signature_header):
    if not signature_header:
        return False
    expected = "sha256=" + hmac.new(secret_token.encode("utf-8"), msg=payload_body, digestmod=hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature_header)


with open(sys.argv[1], "rb") as body:
    ok = verify_signature(body.read(), os.environ["SECRET"], os.environ["SIGNATURE"])
print(f"verify: {ok}")
sys.exit(0 if ok else 1)
