import { z } from "zod";
import { password } from "../auth/schema";

const personName = z.string().trim().min(1, "is required").max(100);

export const profileForm = z.object({ first_name: personName, last_name: personName });
export const passwordForm = z
  .object({ current_password: z.string().min(1, "is required").max(256), new_password: password, confirm_password: z.string().max(256) })
  .refine((form) => form.new_password === form.confirm_password, { path: ["confirm_password"], message: "does not match the new password" });
export const sessionParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{22}$/, "is not a session id") });
