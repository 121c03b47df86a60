// API key schemas: one source for the API body, the settings form and OpenAPI.
import { z } from "zod";
import { pageQuery } from "../../platform/pagination";

// A key acts without a person: it may be a member or an admin, never an owner.
export const API_KEY_ROLES = ["member", "admin"] as const;

// Forms send "" for "never expires".
const expiresAt = z.preprocess(
  (value) => (value === "" ? null : value),
  z.iso
    .datetime({ offset: true, local: false, message: "must be an ISO 8601 date-time" })
    .refine((value) => Date.parse(value) > Date.now(), "must be in the future")
    .nullable()
    .optional(),
);

export const createApiKeyBody = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    role: z.enum(API_KEY_ROLES).default("member"),
    expires_at: expiresAt,
  })
  .strict();

export const apiKeyParams = z.object({ id: z.uuid() });
export const listApiKeysQuery = z.object(pageQuery);

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(API_KEY_ROLES),
  prefix: z.string().describe("The first characters of the key, to tell keys apart."),
  created_at: z.iso.datetime(),
  expires_at: z.iso.datetime().nullable(),
  last_used_at: z.iso.datetime().nullable(),
});

export const createdApiKeySchema = apiKeySchema.extend({
  key: z.string().describe("The secret, `agk_…`. Shown in this response only: store it now."),
});

export const apiKeyListSchema = z.object({ data: z.array(apiKeySchema), next_cursor: z.string().nullable() });

export type CreateApiKeyInput = z.infer<typeof createApiKeyBody>;
