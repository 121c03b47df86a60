import { z } from "zod";
import { pageQuery } from "../../platform/pagination";

/** Roles an admin may give: ownership is not handed out through the team page. */
export const assignableRole = z.enum(["admin", "member"]);

export const memberParams = z.object({ id: z.uuid("must be a user id") });
export const listMembersQuery = z.object(pageQuery);

export const updateMemberBody = z
  .object({ role: assignableRole.optional(), is_active: z.literal(true).optional() })
  .strict()
  .refine((body) => body.role !== undefined || body.is_active !== undefined, "give `role` or `is_active: true`");

export const roleForm = z.object({ role: assignableRole });

export type UpdateMemberInput = z.infer<typeof updateMemberBody>;
