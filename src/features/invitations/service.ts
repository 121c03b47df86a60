// Inviting, revoking and accepting, shared by the JSON API and the team and
// acceptance pages.
import type { Deps } from "../../app";
import type { Actor } from "../../identity/auth";
import { hashPassword } from "../../identity/passwords";
import { digest, randomToken } from "../../identity/secrets";
import { Conflict, NotFound } from "../../platform/errors";
import { tenantOrigin } from "../../tenancy/urls";
import { auditActorOf, auditContext, recordAudit } from "../audit/record";
import { presentUser } from "../auth/present";
import { presentInvitation } from "./present";
import { findLoginCandidate, insertUser } from "../auth/queries";
import { authorizeInvitation } from "./policy";
import { findOpenInvitationByToken, insertInvitation, markAccepted, revokeInvitation } from "./queries";
import type { AcceptInvitationInput, CreateInvitationInput } from "./schema";

export function invitationService(deps: Deps) {
  const { db, config, mailer } = deps;

  async function create(actor: Actor, request: Request, input: CreateInvitationInput) {
    authorizeInvitation(actor, "create");
    // users.email is unique platform-wide (SPEC §3): an address with an account cannot join another tenant.
    if (await findLoginCandidate(db.sql, input.email)) throw Conflict("email_taken", "An account with that email already exists.");
    const token = randomToken(32);
    const { invitation, tenant } = await db.withTenant(actor.tenantId, async (tx) => {
      const [tenant] = await tx<{ name: string; subdomain: string }[]>`select name, subdomain from tenants where id = ${actor.tenantId}`;
      const invitation = await insertInvitation(tx, actor.tenantId, {
        email: input.email,
        role: input.role,
        tokenHash: digest(token),
        invitedBy: actor.kind === "api_key" ? null : actor.userId,
      });
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), {
        action: "invitations.create",
        target: { type: "invitation", id: invitation.id },
        details: { email: input.email, role: input.role },
      });
      await deps.webhooks.emit(tx, actor.tenantId, "user.invited", presentInvitation(invitation));
      return { invitation, tenant: tenant! };
    });
    const link = `${tenantOrigin(config, tenant.subdomain, request)}/invite/${token}`;
    await mailer.send({
      to: invitation.email,
      subject: `You're invited to ${tenant.name} on Aggios`,
      text: `You have been invited to join ${tenant.name} on Aggios as ${invitation.role}.\n\nAccept the invitation (valid for 7 days):\n${link}\n`,
    });
    return { invitation, link };
  }

  async function revoke(actor: Actor, request: Request, id: string) {
    authorizeInvitation(actor, "revoke");
    await db.withTenant(actor.tenantId, async (tx) => {
      const invitation = await revokeInvitation(tx, actor.tenantId, id);
      if (!invitation) throw NotFound("No such open invitation.");
      await recordAudit(tx, actor.tenantId, auditContext(request, auditActorOf(actor)), { action: "invitations.revoke", target: { type: "invitation", id } });
    });
  }

  /** The invitation a link points to on this tenant, if it is still open. */
  function find(tenantId: string, token: string) {
    return db.withTenant(tenantId, (tx) => findOpenInvitationByToken(tx, tenantId, digest(token)));
  }

  /** Creates the invited user (once: the row lock serializes two acceptances). */
  async function accept(tenantId: string, token: string, input: AcceptInvitationInput, request: Request) {
    const passwordHash = await hashPassword(input.password);
    try {
      return await db.withTenant(tenantId, async (tx) => {
        const invitation = await findOpenInvitationByToken(tx, tenantId, digest(token), { lock: true });
        if (!invitation) throw NotFound("This invitation is invalid, expired or already used.");
        const user = await insertUser(tx, tenantId, {
          email: invitation.email,
          passwordHash,
          firstName: input.first_name,
          lastName: input.last_name,
          role: invitation.role,
        });
        await markAccepted(tx, tenantId, invitation.id);
        await recordAudit(tx, tenantId, auditContext(request, { type: "user", id: user.id, label: user.email }), {
          action: "invitations.accept",
          target: { type: "invitation", id: invitation.id },
        });
        await deps.webhooks.emit(tx, tenantId, "user.joined", presentUser(user));
        return user;
      });
    } catch (error) {
      if ((error as { code?: string }).code === "23505") throw Conflict("email_taken", "An account with that email already exists.");
      throw error;
    }
  }

  return { create, revoke, find, accept };
}
