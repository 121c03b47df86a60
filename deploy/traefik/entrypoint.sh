#!/bin/sh
# Starts Traefik with traefik/traefik.yml after filling in its ${NAME} and
# ${NAME:-default} placeholders from the environment.
#
# Why: Traefik takes its static configuration from exactly one source (file,
# CLI flags or environment) and does not expand variables inside the file, yet
# the file needs values that live in .env (the ACME e-mail, the DNS provider,
# the bearer token for the app's dynamic-config endpoint). Rendering keeps
# traefik.yml the single, reviewable source and keeps secrets out of git.
#
#   entrypoint.sh [traefik flags...]   render, then exec traefik
#   entrypoint.sh --render-only        render and stop (used by test/stack)
set -eu

template="${TRAEFIK_TEMPLATE:-/etc/traefik/traefik.yml}"
rendered="${TRAEFIK_RENDERED:-/tmp/traefik.yml}"

awk '
  # Comment lines are copied as they are: they may talk about placeholders.
  /^[[:space:]]*#/ { print; next }
  {
    line = $0; out = ""
    while (match(line, /\$\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}/)) {
      expr = substr(line, RSTART + 2, RLENGTH - 3)
      name = expr; fallback = ""; has_fallback = 0
      split_at = index(expr, ":-")
      if (split_at > 0) {
        name = substr(expr, 1, split_at - 1)
        fallback = substr(expr, split_at + 2)
        has_fallback = 1
      }
      value = (name in ENVIRON) ? ENVIRON[name] : ""
      if (value == "") {
        if (!has_fallback) {
          printf "traefik config: %s is not set (see .env.example)\n", name > "/dev/stderr"
          failed = 1
        }
        value = fallback
      }
      # Values land inside double-quoted YAML strings: refuse anything that
      # could close the string or start an escape, rather than mis-parse.
      if (value ~ /["\\]/ || value ~ /[[:cntrl:]]/) {
        printf "traefik config: %s contains a quote, backslash or control character\n", name > "/dev/stderr"
        failed = 1
      }
      out = out substr(line, 1, RSTART - 1) value
      line = substr(line, RSTART + RLENGTH)
    }
    print out line
  }
  END { if (failed) exit 1 }
' "$template" > "$rendered.tmp"
mv "$rendered.tmp" "$rendered"

if [ "${1:-}" = "--render-only" ]; then
  exit 0
fi
exec traefik --configFile="$rendered" "$@"
