// Row → API JSON for team members.
import type { MemberRow } from "./queries";

export const presentMember = (user: MemberRow) => ({
  id: user.id,
  email: user.email,
  first_name: user.first_name,
  last_name: user.last_name,
  role: user.role,
  is_active: user.is_active,
  tenant_id: user.tenant_id,
  created_at: user.created_at.toISOString(),
});
