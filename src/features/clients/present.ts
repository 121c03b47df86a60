// Row → API JSON. Explicit fields only, so a new column never leaks by accident.
import type { CLIENT_STATUSES } from "./schema";

export type ClientRow = {
  id: string;
  tenant_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  status: (typeof CLIENT_STATUSES)[number];
  notes: string;
  tags: string[];
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
};

export const presentClient = (client: ClientRow) => ({
  id: client.id,
  name: client.name,
  email: client.email,
  phone: client.phone,
  company: client.company,
  status: client.status,
  notes: client.notes,
  tags: client.tags,
  created_at: client.created_at.toISOString(),
  updated_at: client.updated_at.toISOString(),
});
