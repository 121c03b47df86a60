import { z } from "zod";

// A public DNS name of at least two labels; the platform's own domain is not a custom domain.
const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a domain name like clients.example.com");

export const agencyName = z.string().trim().min(1, "is required").max(200);

export const updateTenantBody = z
  .object({ name: agencyName.optional(), domain: hostname.nullable().optional() })
  .strict()
  .refine((body) => body.name !== undefined || body.domain !== undefined, "give `name` or `domain`");

export const generalForm = z.object({ name: agencyName });
export const domainForm = z.object({ domain: hostname });

export type UpdateTenantInput = z.infer<typeof updateTenantBody>;
