import { z } from "zod";
import { pageQuery } from "../../platform/pagination";
import { email, password } from "../auth/schema";
import { assignableRole } from "../users/schema";

const personName = z.string().trim().min(1, "is required").max(100);
const token = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "is not a valid invitation token");

export const createInvitationBody = z.object({ email, role: assignableRole.default("member") }).strict();
export const invitationParams = z.object({ id: z.uuid("must be an invitation id") });
export const listInvitationsQuery = z.object(pageQuery);
export const acceptInvitationBody = z.object({ token, password, first_name: personName, last_name: personName }).strict();
/** The acceptance page's form: the token comes from the URL, not the body. */
export const acceptInvitationForm = z.object({ password, first_name: personName, last_name: personName });
export const invitationTokenParams = z.object({ token: z.string().max(100) });

export type CreateInvitationInput = z.infer<typeof createInvitationBody>;
export type AcceptInvitationInput = z.infer<typeof acceptInvitationForm>;
