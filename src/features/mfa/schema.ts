import { z } from "zod";
import { PASSWORD_MAX_LENGTH } from "../../identity/passwords";

const code = z.string().trim().min(6, "is a 6-digit code or a recovery code").max(32);

export const mfaAnswerBody = z.object({ challenge: z.string().min(1).max(200), code }).strict();
export const mfaConfirmBody = z.object({ code }).strict();
// Turning the second factor off needs both factors again (re-authentication).
export const mfaDisableBody = z.object({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH), code }).strict();
