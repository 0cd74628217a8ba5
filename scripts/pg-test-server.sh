#!/usr/bin/env bash
# Make sure a local PostgreSQL server is installed, running and set up for
# Prospector's tests, then print its connection URL on stdout (and nothing
# else: all other output goes to stderr).
#
#   export TEST_DATABASE_URL="$(scripts/pg-test-server.sh)"
#
# Idempotent: a second run changes nothing and prints the same URL.
# Needs root (or passwordless sudo) the first time, to install the Debian
# `postgresql` package and start the cluster; works without systemd (CI).
#
# What it sets up:
#   * the first Debian cluster (pg_lsclusters), or a new "main" cluster of the
#     newest installed version if there is none; started with pg_ctlcluster;
#   * conf.d/90-prospector-test.conf: listen on localhost, and trade crash
#     safety for speed (fsync=off...): this is a throwaway test server;
#   * pg_hba lines giving the test roles password (scram) auth on 127.0.0.1;
#   * a plain login role (NOSUPERUSER NOBYPASSRLS CREATEDB: the tests create
#     one database per package) and a database owned by it;
#   * a second plain login role, "<role>_app" with the same password and no
#     other attribute, that tests of DATABASE_OWNER_URL connect as: the
#     first role owns and migrates their databases, this one only gets the
#     grants the application needs (see internal/store/storetest).
#
# Environment overrides: PROSPECTOR_PG_USER, PROSPECTOR_PG_APP_USER,
# PROSPECTOR_PG_PASSWORD, PROSPECTOR_PG_DB (no URL-special characters),
# PROSPECTOR_PG_CLUSTER ("15/main"), PROSPECTOR_PG_TUNE=0 to leave the server
# settings alone.
set -euo pipefail

# Everything goes to stderr; only the final URL is written to the saved stdout.
exec 3>&1 1>&2

log() { printf 'pg-test-server: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# libpq settings from the caller's environment must not steer our own calls.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGPASSFILE \
      PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE PGCONNECT_TIMEOUT PGTARGETSESSIONATTRS || true
# initdb (first install) fails on a locale that is set but not generated.
export LANG=C.UTF-8 LC_ALL=C.UTF-8

ROLE=${PROSPECTOR_PG_USER:-prospector}
APP_ROLE=${PROSPECTOR_PG_APP_USER:-${ROLE}_app}
PASSWORD=${PROSPECTOR_PG_PASSWORD:-prospector}
DB=${PROSPECTOR_PG_DB:-prospector_test}
HOST=127.0.0.1
TUNE=${PROSPECTOR_PG_TUNE:-1}

if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
    as_postgres() { (cd / && runuser -u postgres -- "$@"); }
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo -n)
    as_postgres() { (cd / && sudo -n -u postgres -- "$@"); }
else
    die "run as root (or install sudo): installing and starting PostgreSQL needs it"
fi

# detached CMD...: run CMD with stdin from /dev/null, stdout to stderr and no
# other descriptor of ours. The server it may start (apt's postinst,
# pg_ctlcluster) outlives this script; had it inherited fd 3 (the caller's
# stdout, usually a $(...) pipe), the caller would wait for it forever.
detached() {
    (
        for fd in /proc/$BASHPID/fd/*; do
            fd=${fd##*/}
            if [[ $fd -gt 2 ]]; then eval "exec $fd>&-" 2>/dev/null || true; fi
        done
        exec "$@" </dev/null >&2
    )
}
ctlcluster() { detached "${SUDO[@]}" pg_ctlcluster "$@"; }

# --- 1. install --------------------------------------------------------------
have_server() {
    command -v pg_lsclusters >/dev/null 2>&1 &&
        compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}
if have_server; then
    log "PostgreSQL server already installed"
else
    log "installing PostgreSQL server from apt (package postgresql)..."
    start=$SECONDS
    export DEBIAN_FRONTEND=noninteractive
    apt_opts=(-o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    "${SUDO[@]}" apt-get "${apt_opts[@]}" update -q ||
        log "WARNING: apt-get update failed; trying the install anyway"
    detached "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get "${apt_opts[@]}" install -y -q --no-install-recommends postgresql
    have_server || die "postgresql installed but no server binary found"
    log "installed PostgreSQL in $((SECONDS - start)) s"
fi

# --- 2. cluster ---------------------------------------------------------------
# pg_lsclusters -h: "VER NAME PORT STATUS OWNER DATADIR LOGFILE"
pick_cluster() {
    local all
    all=$(pg_lsclusters -h 2>/dev/null || true)
    if [[ -n ${PROSPECTOR_PG_CLUSTER:-} ]]; then
        awk -v want="$PROSPECTOR_PG_CLUSTER" '$1"/"$2 == want {print; exit}' <<<"$all"
    else
        # Prefer a cluster that is already online, else the first one listed.
        awk 'NF && first == "" {first = $0}
             $4 ~ /^online/ {print; found = 1; exit}
             END {if (!found && first != "") print first}' <<<"$all"
    fi
}
cluster_line=$(pick_cluster)
if [[ -z $cluster_line ]]; then
    if [[ -n ${PROSPECTOR_PG_CLUSTER:-} ]]; then
        ver=${PROSPECTOR_PG_CLUSTER%%/*} name=${PROSPECTOR_PG_CLUSTER#*/}
    else
        # newest installed server version
        ver=$(for d in /usr/lib/postgresql/*/bin/postgres; do d=${d%/bin/postgres}; echo "${d##*/}"; done | sort -V | tail -n 1)
        name=main
    fi
    log "no cluster found: creating $ver/$name"
    detached "${SUDO[@]}" pg_createcluster "$ver" "$name"
    cluster_line=$(pg_lsclusters -h | awk -v want="$ver/$name" '$1"/"$2 == want {print; exit}')
    [[ -n $cluster_line ]] || die "pg_createcluster $ver $name did not create a cluster"
fi
read -r ver name port status _ <<<"$cluster_line"
confdir=/etc/postgresql/$ver/$name
log "using cluster $ver/$name on port $port ($status)"

changed_conf=0   # needs a restart
changed_hba=0    # needs a reload

# Settings for a test server. conf.d is included at the end of Debian's
# postgresql.conf, so these win over it.
if [[ $TUNE != 0 ]]; then
    conf_file=$confdir/conf.d/90-prospector-test.conf
    want_conf="# Written by prospector scripts/pg-test-server.sh (a test server: speed over
# crash safety). Delete this file, or set PROSPECTOR_PG_TUNE=0, to opt out.
listen_addresses = 'localhost'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
"
    if [[ ! -f $conf_file || $(cat "$conf_file") != "$(printf '%s' "$want_conf")" ]]; then
        log "writing $conf_file"
        "${SUDO[@]}" install -d -o postgres -g postgres "$confdir/conf.d"
        printf '%s' "$want_conf" | "${SUDO[@]}" tee "$conf_file" >/dev/null
        "${SUDO[@]}" chown postgres:postgres "$conf_file"
        changed_conf=1
    fi
fi

# pg_hba is first-match: put a password line for each of our roles on
# 127.0.0.1 first.
hba_file=$confdir/pg_hba.conf
for r in "$ROLE" "$APP_ROLE"; do
    hba_line="host    all             $r      127.0.0.1/32            scram-sha-256"
    if ! "${SUDO[@]}" grep -qxF "$hba_line" "$hba_file"; then
        log "adding to $hba_file: $hba_line"
        tmp=$(mktemp)
        { printf '# prospector tests (scripts/pg-test-server.sh)\n%s\n' "$hba_line"
          "${SUDO[@]}" cat "$hba_file"; } >"$tmp"
        "${SUDO[@]}" install -o postgres -g postgres -m 640 "$tmp" "$hba_file"
        rm -f "$tmp"
        changed_hba=1
    fi
done

# --- 3. start -------------------------------------------------------------------
# The socket directory lives on a tmpfs that may be fresh.
socket_dir=$(pg_conftool -s "$ver" "$name" show unix_socket_directories 2>/dev/null | cut -d, -f1 | tr -d " '" || true)
socket_dir=${socket_dir:-/var/run/postgresql}
"${SUDO[@]}" install -d -m 2775 -o postgres -g postgres "$socket_dir"

if [[ $status == online* ]]; then
    if [[ $changed_conf == 1 ]]; then
        log "restarting $ver/$name for the new settings"
        ctlcluster "$ver" "$name" restart
    elif [[ $changed_hba == 1 ]]; then
        log "reloading $ver/$name for pg_hba.conf"
        ctlcluster "$ver" "$name" reload
    fi
else
    log "starting $ver/$name"
    ctlcluster "$ver" "$name" start
fi

ready=0
for _ in $(seq 1 60); do
    if pg_isready -q -h "$HOST" -p "$port" -t 2; then ready=1; break; fi
    sleep 0.5
done
if [[ $ready != 1 ]]; then
    "${SUDO[@]}" tail -n 30 "/var/log/postgresql/postgresql-$ver-$name.log" >&2 || true
    die "PostgreSQL $ver/$name is not accepting connections on $HOST:$port"
fi

# --- 4. role and database -----------------------------------------------------
psql_admin() {
    as_postgres psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$socket_dir" -p "$port" -d postgres \
        -v role="$ROLE" -v pw="$PASSWORD" -v db="$DB" "$@"
}

# ensure_role NAME WANT ATTRIBUTES: create the login role NAME with our
# password and ATTRIBUTES, or set ATTRIBUTES when its current ones
# (login,super,bypassrls,createdb,createrole,replication) are not WANT.
ensure_role() {
    local name=$1 want=$2 attributes=$3 attrs
    attrs=$(psql_admin -v name="$name" <<'SQL'
SELECT concat_ws(',', rolcanlogin, rolsuper, rolbypassrls, rolcreatedb, rolcreaterole, rolreplication)
FROM pg_roles WHERE rolname = :'name';
SQL
)
    if [[ -z $attrs ]]; then
        log "creating role $name"
        psql_admin -v name="$name" <<SQL
SET password_encryption = 'scram-sha-256';
CREATE ROLE :"name" LOGIN PASSWORD :'pw' $attributes;
SQL
    elif [[ $attrs != "$want" ]]; then
        log "fixing attributes of role $name (was login,super,bypassrls,createdb,createrole,replication=$attrs)"
        psql_admin -v name="$name" <<SQL
ALTER ROLE :"name" LOGIN $attributes;
SQL
    fi
}
ensure_role "$ROLE" "t,f,f,t,f,f" "NOSUPERUSER NOBYPASSRLS CREATEDB NOCREATEROLE NOREPLICATION"
# The application's role in DATABASE_OWNER_URL tests: it may only log in.
ensure_role "$APP_ROLE" "t,f,f,f,f,f" "NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION"

owner=$(psql_admin <<'SQL'
SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = :'db';
SQL
)
if [[ -z $owner ]]; then
    log "creating database $DB owned by $ROLE"
    psql_admin <<'SQL'
CREATE DATABASE :"db" OWNER :"role";
SQL
elif [[ $owner != "$ROLE" ]]; then
    log "changing owner of database $DB from $owner to $ROLE"
    psql_admin <<'SQL'
ALTER DATABASE :"db" OWNER TO :"role";
SQL
fi

url="postgres://$ROLE:$PASSWORD@$HOST:$port/$DB?sslmode=disable"

# Password login over TCP, exactly as the tests will connect, for both roles.
try_login() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c 'SELECT 1' >/dev/null 2>&1; }
for r in "$ROLE" "$APP_ROLE"; do
    role_url="postgres://$r:$PASSWORD@$HOST:$port/$DB?sslmode=disable"
    if ! try_login "$role_url"; then
        log "setting the password of role $r"
        psql_admin -v name="$r" <<'SQL'
SET password_encryption = 'scram-sha-256';
ALTER ROLE :"name" PASSWORD :'pw';
SQL
        try_login "$role_url" || {
            psql -X -d "$role_url" -c 'SELECT 1' >&2 || true
            die "cannot log in as $r over TCP on $HOST:$port"
        }
    fi
done

log "ready: PostgreSQL $ver/$name on $HOST:$port, database $DB, roles $ROLE and $APP_ROLE"
printf '%s\n' "$url" >&3
