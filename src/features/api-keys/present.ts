// Row → API JSON. Explicit fields only: the digest never leaves the database.
import type { ApiKeyRole } from "../../identity/api-keys";

export type ApiKeyRow = {
  id: string;
  name: string;
  role: ApiKeyRole;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  cursor_at: string;
};

export const presentApiKey = (key: ApiKeyRow) => ({
  id: key.id,
  name: key.name,
  role: key.role,
  prefix: key.prefix,
  created_at: key.created_at.toISOString(),
  expires_at: key.expires_at?.toISOString() ?? null,
  last_used_at: key.last_used_at?.toISOString() ?? null,
});
