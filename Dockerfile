# syntax=docker/dockerfile:1
#
# The Aggios image: one Bun process serving the sites, the dashboard and the
# JSON API. docker-compose.yml runs the same image three ways: `app` (the web
# process, N replicas), `migrate` (one-shot, before the app starts) and
# `backup` (pg_dump on a schedule) — so it carries the PostgreSQL client too.

ARG BUN_VERSION=1.4.5
# pg_dump refuses to dump a server newer than itself, so this must equal the
# major version of the postgres image in docker-compose.yml (test/stack checks).
ARG PG_MAJOR=16

# ---- deps: production dependencies only, resolved exactly from bun.lock -----
FROM oven/bun:${BUN_VERSION}-alpine AS deps
WORKDIR /app
COPY package.json bun.lock ./
RUN bun install --frozen-lockfile --production

# ---- build: full install, then the static assets (CSS) ----------------------
FROM oven/bun:${BUN_VERSION}-alpine AS build
WORKDIR /app
COPY package.json bun.lock ./
RUN bun install --frozen-lockfile
COPY . .
# Dev dependencies are dropped here so the runtime copy below cannot pick them
# up: `COPY` merges directories, it never replaces them.
RUN bun run build && rm -rf node_modules

# ---- runtime ----------------------------------------------------------------
FROM oven/bun:${BUN_VERSION}-alpine AS runtime
ARG PG_MAJOR
# A dedicated unprivileged user with a fixed numeric id: Kubernetes'
# runAsNonRoot can only verify a numeric USER.
RUN apk add --no-cache "postgresql${PG_MAJOR}-client" \
 && addgroup -S -g 10001 aggios \
 && adduser -S -D -H -u 10001 -G aggios aggios
ENV NODE_ENV=production \
    PORT=3000 \
    PATH="/usr/libexec/postgresql${PG_MAJOR}:${PATH}"
WORKDIR /app
# Code and dependencies stay owned by root: a compromised process cannot
# rewrite the application it runs.
COPY --from=build /app ./
COPY --from=deps /app/node_modules ./node_modules
# ./data is the local-disk storage driver's default; compose uses S3 instead.
RUN mkdir -p /app/data && chown aggios:aggios /app/data
USER 10001:10001

EXPOSE 3000
# Liveness only. /ready checks Postgres, Redis and storage; using it here would
# mark every replica unhealthy during a database blip and Traefik would drop
# them all, turning a 503-for-a-moment into a full outage.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD wget -q -T 2 -O /dev/null "http://127.0.0.1:${PORT}/health" || exit 1
CMD ["bun", "src/main.ts"]
