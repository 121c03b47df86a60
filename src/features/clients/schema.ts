// Client schemas: one source for the API body, the dashboard form and OpenAPI.
import { z } from "zod";
import { pageQuery } from "../../platform/pagination";

export const CLIENT_STATUSES = ["lead", "active", "inactive"] as const;

// Forms send "" for an empty optional field; store that as null, not "".
const optionalText = (max: number) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? null : value), z.string().trim().max(max).nullable().optional());

const tag = z.string().trim().min(1).max(40);
// Accept an array (API) or a comma-separated string (form); store a small, de-duplicated list.
const tags = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",") : value),
  z.array(z.string()).max(40).transform((list) => [...new Set(list.map((item) => item.trim()).filter(Boolean))]).pipe(z.array(tag).max(20)),
);

const fields = {
  name: z.string().trim().min(1, "is required").max(200),
  email: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? null : value),
    z.string().trim().toLowerCase().max(254).pipe(z.email("must be an email address")).nullable().optional(),
  ),
  phone: optionalText(50),
  company: optionalText(200),
  status: z.enum(CLIENT_STATUSES),
  notes: z.string().max(10_000),
  tags,
};

export const createClientBody = z
  .object({ ...fields, status: fields.status.default("lead"), notes: fields.notes.default(""), tags: tags.default([]) })
  .strict();

export const updateClientBody = z
  .object({
    name: fields.name.optional(),
    email: fields.email,
    phone: fields.phone,
    company: fields.company,
    status: fields.status.optional(),
    notes: fields.notes.optional(),
    tags: tags.optional(),
  })
  .strict();

export const clientParams = z.object({ id: z.uuid() });

export const listClientsQuery = z.object({
  q: z.string().trim().max(200).optional(),
  status: z.enum(CLIENT_STATUSES).optional(),
  ...pageQuery,
});

export type CreateClientInput = z.infer<typeof createClientBody>;
export type UpdateClientInput = z.infer<typeof updateClientBody>;
export type ListClientsInput = z.infer<typeof listClientsQuery>;
