#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (/docker-entrypoint-initdb.d): one login role per
# service, with the password from deploy/compose/init-secrets.sh. `onderop migrate` then finds the roles, creates the
# schemas they own, and migrates each service as its role (shared/db.py bootstrap_schemas).
# A role added later (e.g. after the volume exists):  ALTER ROLE onderop_<service> LOGIN PASSWORD '…';
# No `set -u`: should the file lose its executable bit, the image's entrypoint sources it into its own shell.
set -e
for service in registry knowledge rewards funding partners; do
  var="ONDEROP_$(printf '%s' "$service" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  password=$(printenv "$var" || true)
  if [ -z "$password" ]; then
    echo "postgres-init-roles: $var is not set; run deploy/compose/init-secrets.sh" >&2
    exit 1
  fi
  psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v role="onderop_$service" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'role', :'password') \gexec
SQL
done
