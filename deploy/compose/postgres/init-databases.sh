#!/bin/sh
# One database and one role per service, on the one PostgreSQL server of the compose stack.
#
# The postgres image runs this once, when its data volume is new (`make reset` starts over).
# Each service gets a login role that owns its database and nothing else, and the other roles
# may not even connect to it: a service reaches another's data only through its API.
# Passwords come from <SERVICE>_DB_PASSWORD (deploy/compose/.env); psql's own variables carry
# names and passwords into the SQL, quoted by psql, never pasted into it by the shell.
set -eu

for service in auth catalog orders notify; do
    password_variable="$(echo "$service" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
    password="$(printenv "$password_variable" || true)"
    if [ -z "$password" ]; then
        echo "init-databases: $password_variable is not set" >&2
        exit 1
    fi
    psql --no-psqlrc --set ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
        --set name="$service" --set password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
    echo "init-databases: database and role $service created"
done
