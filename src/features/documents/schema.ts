import { z } from "zod";
import { pageQuery } from "../../platform/pagination";

export const documentParams = z.object({ id: z.uuid() });

export const listDocumentsQuery = z.object({ client_id: z.uuid().optional(), ...pageQuery });

// The multipart text fields next to `file`; validated after the bytes arrive.
export const uploadFields = z.object({
  client_id: z.preprocess((value) => (value === "" ? undefined : value), z.uuid("must be a client id").optional()),
});

export type ListDocumentsInput = z.infer<typeof listDocumentsQuery>;
