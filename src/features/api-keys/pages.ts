// The API keys section of /settings and its actions, through the same service
// as POST/DELETE /api/api-keys. htmx swaps the section; without JavaScript a
// create answers with the section as a page (the key must be shown once,
// never stored for a redirect) and a revoke redirects back to /settings.
import { Elysia } from "elysia";
import { z } from "zod";
import type { Deps } from "../../app";
import type { AuthPlugin } from "../../identity/auth";
import type { SessionActor } from "../../identity/page-auth";
import { hasRole } from "../../identity/roles";
import { HttpError } from "../../platform/errors";
import { parseForm } from "../../platform/forms";
import type { Shell } from "../../../views/layout";
import { isHtmx, page, redirect, type HtmlSet } from "../../../views/render";
import type { SettingsSection } from "../settings/views";
import { listApiKeys } from "./queries";
import { apiKeyParams, createApiKeyBody } from "./schema";
import { apiKeyService } from "./service";
import { type ApiKeysView, ApiKeysSection, EXPIRY_OPTIONS } from "./views";

const createForm = z.object({
  name: z.string().max(200).default(""),
  role: z.string().max(20).default("member"),
  expires_in: z.enum(EXPIRY_OPTIONS.map((option) => option.value) as [string, ...string[]]).default("never"),
});

async function sectionView(deps: Deps, tenantId: string, csrfToken: string, extra: Partial<ApiKeysView> = {}): Promise<ApiKeysView> {
  const keys = await deps.db.withTenantRead(tenantId, (tx) => listApiKeys(tx, tenantId, { limit: 100 }));
  return { keys: keys.slice(0, 100), csrfToken, ...extra };
}

export function apiKeySection(deps: Deps): SettingsSection {
  return {
    id: "api-keys",
    render: async ({ tenantId, csrfToken, role }) => (hasRole(role, "admin") ? String(ApiKeysSection({ view: await sectionView(deps, tenantId, csrfToken) })) : ""),
  };
}

export function apiKeyPages(deps: Deps, auth: AuthPlugin) {
  const keys = apiKeyService(deps);

  async function render(request: Request, set: HtmlSet, actor: SessionActor, shell: Shell, extra: Partial<ApiKeysView> = {}) {
    const view = await sectionView(deps, actor.tenantId, shell.csrfToken, extra);
    return page(request, set, { ...shell, title: "API keys", active: "settings" }, ApiKeysSection({ view }));
  }

  return new Elysia({ prefix: "/settings/api-keys" })
    .use(auth)
    .post(
      "/",
      async ({ request, set, actor, shell, body }) => {
        const form = createForm.safeParse(body ?? {});
        const values = form.success ? form.data : { name: "", role: "member", expires_in: "never" };
        const days = values.expires_in === "never" ? null : Number(values.expires_in);
        const input = { name: values.name, role: values.role, expires_at: days ? new Date(Date.now() + days * 86_400_000).toISOString() : null };
        const parsed = parseForm(createApiKeyBody, input);
        if (!parsed.ok) {
          set.status = isHtmx(request) ? 200 : 422;
          return render(request, set, actor, shell, { errors: parsed.errors, values });
        }
        try {
          const created = await keys.create(actor, request, parsed.data);
          const flash = [{ kind: "success" as const, message: `API key “${created.name}” created.` }];
          return render(request, set, actor, { ...shell, flash }, { created: { name: created.name, key: created.key } });
        } catch (error) {
          if (!(error instanceof HttpError) || error.status !== 403) throw error;
          set.status = isHtmx(request) ? 200 : 403;
          return render(request, set, actor, shell, { errors: { role: error.message }, values });
        }
      },
      { page: "admin" },
    )
    .post(
      "/:id/revoke",
      async ({ request, set, actor, shell, params }) => {
        await keys.revoke(actor, request, params.id);
        const flash = { kind: "success" as const, message: "API key revoked." };
        if (isHtmx(request)) return render(request, set, actor, { ...shell, flash: [flash] });
        await deps.sessions.setFlash(actor.session.id, flash);
        return redirect(request, set, "/settings#api-keys");
      },
      { page: "admin", params: apiKeyParams },
    );
}
