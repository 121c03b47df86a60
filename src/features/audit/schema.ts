import { z } from "zod";
import { pageQuery } from "../../platform/pagination";

const DAY_MS = 86_400_000;
// A date alone means the whole day: `to=2026-01-31` includes the 31st.
const dateOrTime = (endOfDay: boolean) =>
  z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((value) => {
    const instant = new Date(value);
    return endOfDay && value.length === 10 ? new Date(instant.getTime() + DAY_MS) : instant;
  });

export const listAuditQuery = z.object({
  // "clients.update" matches that action; "clients" matches every clients.* action.
  action: z.string().trim().regex(/^[a-z_]+(\.[a-z_]+)?$/, "is an action like clients.update, or a noun like clients").max(64).optional(),
  actor_id: z.uuid().optional(),
  from: dateOrTime(false).optional(),
  to: dateOrTime(true).optional(),
  ...pageQuery,
});

export type ListAuditInput = z.infer<typeof listAuditQuery>;
