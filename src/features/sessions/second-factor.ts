// The sign-in step after a correct password (SPEC §4, ASVS 6.3.3).
//
// Enrolled users get an opaque challenge (mfa.createChallenge, kept in Redis:
// 5 minutes, 5 wrong codes, single use) carried in a hidden field; the session
// is created only once a code is accepted, with a new id.
//
// When the agency requires 2FA and the user has none, enrolment happens here,
// inside sign-in, before any session exists — rather than a "restricted"
// session that every route would have to remember to refuse. The ticket is the
// same kind of opaque, short-lived, attempt-limited token in its own key space.
import { z } from "zod";
import type { Deps } from "../../app";
import { assertSameOrigin, type TenantSite } from "../../identity/page-auth";
import { INVALID_CODE } from "../../identity/mfa";
import { HttpError } from "../../platform/errors";
import { html, type HtmlSet } from "../../../views/render";
import { auditContext, recordAudit } from "../audit/record";
import type { UserRow } from "../auth/present";
import { findUser } from "../auth/queries";
import type { AuthService } from "../auth/service";
import { EnrolAtLoginPage, EnrolledAtLoginPage, MfaChallengePage } from "./second-factor-views";

const codeForm = z.object({ code: z.string().trim().max(32).default(""), next: z.string().max(500).optional() });
const challengeForm = codeForm.extend({ challenge: z.string().max(200).default("") });
const enrolForm = codeForm.extend({ ticket: z.string().max(200).default("") });

type OpenSession = (set: HtmlSet, request: Request, user: UserRow) => Promise<unknown>;

export function createSecondFactorHandlers(deps: Deps, authService: AuthService, openSession: OpenSession, safeNext: (next?: string) => string) {
  const { db, mfa } = deps;

  /** Step two begins: the code form, or enrolment when the agency requires it. */
  async function begin(set: HtmlSet, site: TenantSite, user: UserRow, step: "challenge" | "enrolment_required", next: string) {
    const tenantName = site.tenant.name;
    if (step === "challenge") return html(set, MfaChallengePage({ tenantName, next, challenge: await mfa.createChallenge(user) }));
    const ticket = await mfa.createEnrolmentTicket(user);
    const enrolment = await db.withTenant(user.tenant_id, (tx) => mfa.beginEnrolment(tx, user));
    return html(set, EnrolAtLoginPage({ tenantName, next, ticket, enrolment }));
  }

  async function answerChallenge(request: Request, set: HtmlSet, site: TenantSite, body: unknown) {
    assertSameOrigin(request);
    const parsed = challengeForm.safeParse(body ?? {});
    // Only a tampered form fails this shape; start the sign-in over.
    if (!parsed.success) return restart(set, "/");
    const form = parsed.data;
    const next = safeNext(form.next);
    const tenantName = site.tenant.name;
    const again = (error: string, status: number) => html(set, MfaChallengePage({ tenantName, next, challenge: form.challenge, error }), { status });
    let record;
    try {
      record = await mfa.answerChallenge(form.challenge, form.code);
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 401) throw error;
      // A dead challenge (expired, used, too many wrong codes) means starting over.
      return error.message === INVALID_CODE ? again("The code is not valid. Check your authenticator app and try again.", 401) : restart(set, next);
    }
    // A challenge from tenant A's sign-in is worthless on tenant B's host.
    if (record.tenant_id !== site.tenant.id) return restart(set, next);
    if (!(await finish(request, set, site, record.user_id))) return restart(set, next);
    set.status = 303;
    set.headers["location"] = next;
    return "";
  }

  async function answerEnrolment(request: Request, set: HtmlSet, site: TenantSite, body: unknown) {
    assertSameOrigin(request);
    const parsed = enrolForm.safeParse(body ?? {});
    if (!parsed.success) return restart(set, "/");
    const form = parsed.data;
    const next = safeNext(form.next);
    const record = form.ticket ? await mfa.readEnrolmentTicket(form.ticket) : null;
    if (!record || record.tenant_id !== site.tenant.id) return restart(set, next);
    let codes: string[];
    try {
      ({ recoveryCodes: codes } = await mfa.answerEnrolmentTicket(form.ticket, form.code, (tx, ticket) =>
        recordAudit(tx, ticket.tenant_id, auditContext(request, { type: "user", id: ticket.user_id }), { action: "mfa.enable", target: { type: "user", id: ticket.user_id } }),
      ));
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 401) throw error;
      const user = await db.withTenant(record.tenant_id, (tx) => findUser(tx, record.tenant_id, record.user_id));
      if (!user || error.message !== INVALID_CODE) return restart(set, next);
      // Show the same QR code again: the user may not have scanned it yet.
      const enrolment = await db.withTenant(record.tenant_id, (tx) => mfa.pendingEnrolment(tx, user));
      const message = "The code is not valid. Check that your phone's clock is right and try again.";
      return html(set, EnrolAtLoginPage({ tenantName: site.tenant.name, next, ticket: form.ticket, enrolment, error: message }), { status: 401 });
    }
    if (!(await finish(request, set, site, record.user_id))) return restart(set, next);
    return html(set, EnrolledAtLoginPage({ tenantName: site.tenant.name, next, codes }));
  }

  /** The code was right: record the login and open a session (always a new id). */
  async function finish(request: Request, set: HtmlSet, site: TenantSite, userId: string): Promise<boolean> {
    const user = await db.withTenant(site.tenant.id, (tx) => findUser(tx, site.tenant.id, userId));
    if (!user) return false;
    await authService.completeLogin(user, request, async () => undefined);
    await openSession(set, request, user);
    return true;
  }

  return { begin, answerChallenge, answerEnrolment };
}

/** Back to the password step, saying why (the login page maps the notice to a fixed message). */
function restart(set: HtmlSet, next: string) {
  set.status = 303;
  set.headers["location"] = `/login?notice=expired${next !== "/" ? `&next=${encodeURIComponent(next)}` : ""}`;
  return "";
}
