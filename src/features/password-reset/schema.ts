import { z } from "zod";
import { email, password } from "../auth/schema";

export const forgotBody = z.object({ email: z.string().trim().max(254) }).strict();
export const resetBody = z.object({ token: z.string().min(1).max(200), password }).strict();
export const emailChangeBody = z.object({ password: z.string().min(1).max(256), new_email: email }).strict();
export const emailConfirmBody = z.object({ token: z.string().min(1).max(200) }).strict();
export { email };
