import type { Role } from "./tokens";

const RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };

/** Whether `role` includes everything `minimum` may do. */
export function hasRole(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}
