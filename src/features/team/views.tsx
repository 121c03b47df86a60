// /team: members with their roles, open invitations, the invite form.
import { Badge, Button, buttonClass, Card, CsrfField, EmptyState, Field, type FieldErrors, formatDate, Monogram, PageHeader, SelectField } from "../../../views/components";
import type { Role } from "../../identity/tokens";
import type { InvitationRow } from "../invitations/queries";
import type { MemberRow } from "../users/queries";

export type TeamView = {
  members: MemberRow[];
  invitations: InvitationRow[];
  viewer: { id: string; role: Role };
  csrfToken: string;
  canManage: boolean;
  inviteErrors?: FieldErrors;
  inviteValues?: { email?: string; role?: string };
  newLink?: { email: string; link: string };
};

const ROLE_LABEL: Record<Role, string> = { owner: "Owner", admin: "Admin", member: "Member" };
const ROLE_OPTIONS = [
  { value: "member", label: "Member" },
  { value: "admin", label: "Admin" },
];

// Every action is an ordinary form (works without JavaScript) that htmx
// upgrades: the response is this same fragment, swapped into #content.
const hx = (action: string) => ({ "hx-post": action, "hx-target": "#content", "hx-swap": "innerHTML" });

function MemberActions({ member, view }: { member: MemberRow; view: TeamView }) {
  if (!view.canManage || member.role === "owner" || member.id === view.viewer.id) return <span class="hidden text-xs text-slate-500 md:inline">—</span>;
  const name = `${member.first_name} ${member.last_name}`;
  return (
    <div class="flex flex-wrap items-center justify-end gap-2">
      {member.is_active ? (
        <>
          <form method="post" action={`/team/members/${member.id}/role`} class="flex items-center gap-2" {...hx(`/team/members/${member.id}/role`)}>
            <CsrfField token={view.csrfToken} />
            <SelectField name="role" id={`role-${member.id}`} label={`Role of ${name}`} srOnlyLabel options={ROLE_OPTIONS} value={member.role} />
            <Button variant="secondary">Change role</Button>
          </form>
          <form method="post" action={`/team/members/${member.id}/sessions/end`} {...hx(`/team/members/${member.id}/sessions/end`)} hx-confirm={`Sign ${name} out of every device and app?`}>
            <CsrfField token={view.csrfToken} />
            <Button variant="secondary" aria-label={`End all sessions of ${name}`}>
              End sessions
            </Button>
          </form>
          <form method="post" action={`/team/members/${member.id}/deactivate`} {...hx(`/team/members/${member.id}/deactivate`)} hx-confirm={`Deactivate ${name}? They will be signed out everywhere.`}>
            <CsrfField token={view.csrfToken} />
            <Button variant="danger" aria-label={`Deactivate ${name}`}>
              Deactivate
            </Button>
          </form>
        </>
      ) : (
        <form method="post" action={`/team/members/${member.id}/activate`} {...hx(`/team/members/${member.id}/activate`)}>
          <CsrfField token={view.csrfToken} />
          <Button variant="secondary" aria-label={`Reactivate ${name}`}>
            Reactivate
          </Button>
        </form>
      )}
    </div>
  );
}

function MembersCard({ view }: { view: TeamView }) {
  return (
    <Card title="Members" description={`${view.members.filter((member) => member.is_active).length} active`}>
      <ul class="divide-y divide-slate-100" role="list" id="members">
        {view.members.map((member) => (
          <li class="flex flex-col gap-3 py-3 md:flex-row md:items-center md:justify-between" data-member={member.email}>
            <div class="flex min-w-0 items-center gap-3">
              <Monogram name={`${member.first_name} ${member.last_name}`} size="sm" />
              <div class="min-w-0">
                <p class="truncate text-sm font-medium text-slate-900">
                  <span safe>{`${member.first_name} ${member.last_name}`}</span>
                  {member.id === view.viewer.id ? <span class="ml-1 text-xs font-normal text-slate-500">(you)</span> : ""}
                </p>
                <p class="truncate text-xs text-slate-600" safe>
                  {member.email}
                </p>
              </div>
              <Badge color={member.role === "owner" ? "indigo" : member.role === "admin" ? "emerald" : "slate"}>{ROLE_LABEL[member.role] as "safe"}</Badge>
              {member.is_active ? "" : <Badge color="red">Deactivated</Badge>}
            </div>
            <MemberActions member={member} view={view} />
          </li>
        ))}
      </ul>
    </Card>
  );
}

function InvitationsCard({ view }: { view: TeamView }) {
  return (
    <Card title="Invite a team member" description="They get a link by email, valid for 7 days. You can also copy it and send it yourself.">
      <form method="post" action="/team/invitations" class="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end" {...hx("/team/invitations")}>
        <CsrfField token={view.csrfToken} />
        <Field name="email" type="email" label="Email address" value={view.inviteValues?.email} error={view.inviteErrors?.email} required autocomplete="off" maxlength={254} />
        <SelectField name="role" label="Role" options={ROLE_OPTIONS} value={view.inviteValues?.role ?? "member"} />
        <Button>Send invitation</Button>
      </form>
      {view.newLink ? (
        <div class="mt-4 rounded-lg border border-emerald-200 bg-emerald-50 p-3" x-data="copyable">
          <label for="invite-link" class="block text-sm font-medium text-emerald-900">
            Invitation link for <span safe>{view.newLink.email}</span>
          </label>
          <div class="mt-2 flex gap-2">
            <input id="invite-link" readonly value={view.newLink.link} class="block w-full min-w-0 flex-1 rounded-lg border border-emerald-300 bg-white px-3 py-2 font-mono text-xs text-slate-900" />
            <button type="button" class={buttonClass("secondary")} x-on:click="copy">
              <span x-text="copied ? 'Copied' : 'Copy link'">Copy link</span>
            </button>
          </div>
        </div>
      ) : (
        ""
      )}
      <h3 class="mt-6 text-sm font-semibold text-slate-900">Pending invitations</h3>
      {view.invitations.length === 0 ? (
        <div class="mt-2">
          <EmptyState title="No pending invitations" />
        </div>
      ) : (
        <ul class="mt-2 divide-y divide-slate-100" role="list" id="invitations">
          {view.invitations.map((invitation) => (
            <li class="flex flex-col gap-2 py-2.5 sm:flex-row sm:items-center sm:justify-between">
              <div class="min-w-0">
                <p class="truncate text-sm font-medium text-slate-900" safe>
                  {invitation.email}
                </p>
                <p class="text-xs text-slate-600">
                  <span safe>{ROLE_LABEL[invitation.role]}</span> · expires <span safe>{formatDate(invitation.expires_at)}</span>
                </p>
              </div>
              <form method="post" action={`/team/invitations/${invitation.id}/revoke`} {...hx(`/team/invitations/${invitation.id}/revoke`)}>
                <CsrfField token={view.csrfToken} />
                <Button variant="danger" aria-label={`Revoke the invitation for ${invitation.email}`}>
                  Revoke
                </Button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function TeamContent({ view }: { view: TeamView }) {
  return (
    <>
      <PageHeader title="Team" description="Who works in this workspace, and what they may do." />
      <div class="space-y-6">
        <MembersCard view={view} />
        {view.canManage ? <InvitationsCard view={view} /> : ""}
      </div>
    </>
  );
}
