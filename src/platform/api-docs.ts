// Shared pieces of the OpenAPI contract: the one error shape (SPEC §5) and the
// two ways to authenticate. Routes reference these; the document builder
// (features/docs) adds the standard error responses to every operation.
import { z } from "zod";

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().describe("Stable, snake_case: branch on this."),
      message: z.string().describe("Human-readable; may change."),
      details: z.unknown().optional().describe("For 422: the fields and what is wrong with each."),
      request_id: z.string().describe("Quote it when asking for help."),
    }),
  });

/** An access token from /api/auth/login, or an API key (`agk_…`): both as `Authorization: Bearer`. */
export const AUTH_SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiKey: [] }];

export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from `POST /api/auth/login` (15 minutes; renew with `POST /api/auth/refresh`).",
  },
  apiKey: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "agk_…",
    description: "An API key created under Settings → API keys or `POST /api/api-keys`, sent as `Authorization: Bearer agk_…`.",
  },
} as const;
