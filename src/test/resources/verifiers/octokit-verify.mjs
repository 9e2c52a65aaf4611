// The stock @octokit/webhooks-methods verify(secret, payload, signature), given the X-Signature-256 header unchanged.
// Usage: SECRET=whsec_... SIGNATURE='sha256=...' node octokit-verify.mjs body.json  → exit 0 when it verifies.
import { verify } from "@octokit/webhooks-methods";
import { readFileSync } from "node:fs";

const payload = readFileSync(process.argv[2], "utf8");
const ok = await verify(process.env.SECRET, payload, process.env.SIGNATURE);
process.stdout.write(`verify: ${ok}\n`);
process.exit(ok ? 0 : 1);
