import type { InvitationRow } from "./queries";

export const presentInvitation = (row: InvitationRow) => ({
  id: row.id,
  email: row.email,
  role: row.role,
  invited_by: row.invited_by,
  expires_at: row.expires_at.toISOString(),
  created_at: row.created_at.toISOString(),
});
