// The document's introduction (rendered at the top of /api/docs). The webhook
// guide lives in docs/webhooks.md so it is read on GitHub too, and its
// verification snippet is the one the tests run.
import { readFileSync } from "node:fs";

const webhookGuide = readFileSync(new URL("../../../docs/webhooks.md", import.meta.url), "utf8");

export const overview = `Aggios' JSON API, for integrations: sync clients and documents, and receive signed webhooks.

## Authentication

Send \`Authorization: Bearer <credential>\`, where the credential is either

- an **API key** (\`agk_…\`): created by an admin under **Settings → API keys** (or \`POST /api/api-keys\`), shown once.
  It acts for its workspace with its own role (\`member\` or \`admin\`), may expire, and can be revoked at any time; or
- an **access token** from \`POST /api/auth/login\` (15 minutes; renew with \`POST /api/auth/refresh\`).

Call \`api.<domain>\` (the workspace comes from the credential) or your workspace's own address.
Each credential is rate-limited; a 429 carries \`Retry-After\`.

## Conventions

- **Versioning**: \`X-API-Version: v1\` (the default). An unknown version is a 400 listing the supported ones; every response says which version answered.
- **Errors**: always \`{"error": {"code", "message", "details"?, "request_id"}}\`; branch on \`code\`.
- **Lists**: \`?limit=\` (1–100, default 20) and \`?cursor=\`; they answer \`{"data": [...], "next_cursor": "…" | null}\`. Pass \`next_cursor\` back until it is null.
- **Idempotency**: send \`Idempotency-Key: <uuid>\` on creates; retrying with the same key and body within 24 h returns the first response (\`Idempotent-Replayed: true\`) instead of creating a duplicate.

${webhookGuide}`;
