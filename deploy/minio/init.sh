#!/bin/sh
# One-shot MinIO set-up, run by the `minio-init` service (minio/mc image) on
# every `docker compose up`; each step is safe to repeat.
#
# The root credentials stay here: the app and the backup job get their own
# users, each limited to its own bucket, so a compromised web process can
# neither read the database dumps nor erase them.
set -eu

: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}"
: "${S3_BUCKET:?}" "${S3_BACKUP_BUCKET:?}"
: "${S3_ACCESS_KEY:?}" "${S3_SECRET_KEY:?}"
: "${BACKUP_S3_ACCESS_KEY:?}" "${BACKUP_S3_SECRET_KEY:?}"

mc alias set aggios http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null

for bucket in "$S3_BUCKET" "$S3_BACKUP_BUCKET"; do
  mc mb --ignore-existing "aggios/$bucket"
  # Versioning turns an overwrite or delete into a new version, so a bad
  # deploy, a bug or a stolen key cannot destroy a document or a dump outright.
  mc version enable "aggios/$bucket"
done

# grant USER SECRET POLICY_NAME POLICY_TEMPLATE BUCKET
grant() {
  policy_file="/tmp/$3.json"
  sed "s/@BUCKET@/$5/g" "$4" > "$policy_file"
  # `policy create` replaces an existing policy of the same name.
  mc admin policy create aggios "$3" "$policy_file"
  # `user add` creates the user or updates its secret.
  mc admin user add aggios "$1" "$2"
  # `policy attach` fails when already attached, so look first.
  if ! mc admin user info aggios "$1" | grep -q "$3"; then
    mc admin policy attach aggios "$3" --user "$1"
  fi
}
grant "$S3_ACCESS_KEY" "$S3_SECRET_KEY" aggios-app /deploy/minio/app-policy.json "$S3_BUCKET"
grant "$BACKUP_S3_ACCESS_KEY" "$BACKUP_S3_SECRET_KEY" aggios-backup /deploy/minio/backup-policy.json "$S3_BACKUP_BUCKET"

echo "minio-init: buckets $S3_BUCKET and $S3_BACKUP_BUCKET ready (versioned)"
