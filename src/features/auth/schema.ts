import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../identity/passwords";
import { isReservedSubdomain, SUBDOMAIN_PATTERN } from "../../tenancy/hosts";

export const email = z.string().trim().toLowerCase().max(254).pipe(z.email("must be an email address"));
export const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);
const personName = z.string().trim().min(1, "is required").max(100);

export const subdomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(SUBDOMAIN_PATTERN, "use 1 or 3–63 lower-case letters, digits or hyphens, not starting or ending with a hyphen")
  .refine((value) => !isReservedSubdomain(value), "is reserved");

export const signupBody = z
  .object({
    agency_name: z.string().trim().min(1, "is required").max(200),
    subdomain,
    email,
    password,
    first_name: personName,
    last_name: personName,
  })
  .strict();

export const loginBody = z.object({ email: z.string().trim().max(254), password: z.string().max(PASSWORD_MAX_LENGTH) }).strict();
export const refreshBody = z.object({ refresh_token: z.string().min(1).max(200) }).strict();

export type SignupInput = z.infer<typeof signupBody>;
export type LoginInput = z.infer<typeof loginBody>;
