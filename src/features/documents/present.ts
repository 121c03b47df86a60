// Row → API JSON. The storage key stays internal: clients download through us.
export type DocumentRow = {
  id: string;
  tenant_id: string;
  client_id: string | null;
  filename: string;
  content_type: string;
  size: string | number;
  sha256: string;
  storage_key: string;
  uploaded_by: string | null;
  created_at: Date;
  cursor_at: string;
};

export const presentDocument = (document: DocumentRow) => ({
  id: document.id,
  filename: document.filename,
  content_type: document.content_type,
  size: Number(document.size),
  sha256: document.sha256,
  client_id: document.client_id,
  created_at: document.created_at.toISOString(),
});
