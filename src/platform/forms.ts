// HTML forms validate with the same zod schemas as the API, but a failure
// re-renders the form with messages beside each field instead of a JSON 422.
import type { z } from "zod";

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: Record<string, string>; values: Record<string, string> };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const input = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message.replace(/^Invalid input: /, "");
  }
  // Echo back what was typed, never passwords.
  const values = Object.fromEntries(
    Object.entries(input).filter(([key, value]) => typeof value === "string" && !/password|_csrf/.test(key)).map(([key, value]) => [key, String(value).slice(0, 500)]),
  );
  return { ok: false, errors, values };
}
