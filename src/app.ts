// Builds the Elysia app from its parts. Tests call createApp(deps).handle().
import { cors } from "@elysiajs/cors";
import { Elysia } from "elysia";
import type Redis from "ioredis";
import type { Config } from "./config";
import { apiKeyPages, apiKeySection } from "./features/api-keys/pages";
import { apiKeyRoutes } from "./features/api-keys/routes";
import { auditPages } from "./features/audit/pages";
import { auditRoutes } from "./features/audit/routes";
import { authRoutes } from "./features/auth/routes";
import { docsRoutes } from "./features/docs/routes";
import { createDeliveryWorker, type WorkerOptions } from "./features/webhooks/delivery";
import { createWebhookEvents } from "./features/webhooks/events";
import { createDeliveryQueue } from "./features/webhooks/queue";
import { webhookPages, webhookSection } from "./features/webhooks/pages";
import { webhookRoutes } from "./features/webhooks/routes";
import { twoFactorPages } from "./features/mfa/pages";
import { mfaRoutes } from "./features/mfa/routes";
import { passwordResetPages } from "./features/password-reset/pages";
import { passwordResetRoutes } from "./features/password-reset/routes";
import { clientPages } from "./features/clients/pages";
import { clientRoutes } from "./features/clients/routes";
import { documentPages } from "./features/documents/pages";
import { documentRoutes } from "./features/documents/routes";
import { healthRoutes } from "./features/health/routes";
import { userRoutes } from "./features/users/routes";
import { accountRoutes } from "./features/account/routes";
import { invitationRoutes } from "./features/invitations/routes";
import { sessionRoutes } from "./features/sessions/routes";
import { settingsRoutes } from "./features/settings/routes";
import { siteRoutes } from "./features/site/routes";
import { teamRoutes } from "./features/team/routes";
import { staticFiles } from "./platform/static";
import { renderHtmlError } from "../views/errors";
import { createApiKeys } from "./identity/api-keys";
import { authPlugin } from "./identity/auth";
import { createMfa } from "./identity/mfa";
import { createRateLimits, type RateLimitSettings } from "./identity/rate-limits";
import { createAccessTokens } from "./identity/tokens";
import { createHandoffs } from "./identity/handoff";
import { createPageAuth } from "./identity/page-auth";
import { createSessions } from "./identity/sessions";
import { createMailer } from "./platform/mail";
import { resolveTxt } from "node:dns/promises";
import { createDatabase, type Database } from "./platform/db";
import { httpPlugin } from "./platform/http";
import { createMetrics, metricsRoutes } from "./platform/metrics";
import type { RequestTracing } from "./platform/tracing";
import { customDomainRoutes } from "./tenancy/custom-domains";
import { createLogger, type Logger } from "./platform/log";
import { createRedis } from "./platform/redis";
import { createSecretBox } from "./platform/secret-box";
import { createStorage, type Storage } from "./platform/storage";
import { createTenancy } from "./tenancy/hosts";

export type Deps = ReturnType<typeof createDeps>;

export function createDeps(config: Config, options: { log?: Logger; redis?: Redis; db?: Database; rateLimits?: Partial<RateLimitSettings>; storage?: Storage; resolveTxt?: (name: string) => Promise<string[][]>; tracing?: RequestTracing | null; webhooks?: WorkerOptions & { queueKey?: string } } = {}) {
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const db = options.db ?? createDatabase(config);
  const redis = options.redis ?? createRedis(config.REDIS_URL);
  const storage = options.storage ?? createStorage(config);
  const accessTokens = createAccessTokens({ secret: config.JWT_SECRET, ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS, sql: db.sql, withTenant: db.withTenant, redis });
  const sessions = createSessions({ redis, scheme: config.publicScheme });
  const secretBox = createSecretBox(config.SESSION_SECRET, "webhooks");
  const webhookQueue = createDeliveryQueue(redis, options.webhooks?.queueKey);
  return {
    config,
    log,
    db,
    redis,
    sessions,
    pageAuth: createPageAuth({ sessions, db }),
    handoffs: createHandoffs(redis),
    mailer: createMailer({ smtpUrl: config.SMTP_URL, from: `Aggios <no-reply@${config.BASE_DOMAIN}>`, log }),
    // Injectable so custom-domain verification is testable without real DNS.
    resolveTxt: options.resolveTxt ?? resolveTxt,
    tenancy: createTenancy({ sql: db.sql, redis, baseDomain: config.BASE_DOMAIN }),
    accessTokens,
    mfa: createMfa({ redis, withTenant: db.withTenant, sessionSecret: config.SESSION_SECRET }),
    apiKeys: createApiKeys({ sql: db.sql, withTenant: db.withTenant, redis }),
    rateLimits: createRateLimits(redis, options.rateLimits),
    secretBox,
    webhookQueue,
    // `webhooks.emit(tx, tenantId, type, object)` inside the transaction of a change.
    webhooks: createWebhookEvents(webhookQueue),
    webhookWorker: createDeliveryWorker({ db, queue: webhookQueue, config, log, secretBox, options: options.webhooks }),
    webhookResolver: options.webhooks?.resolver,
    storage,
    metrics: createMetrics({ config, db, redis }),
    // null unless OTEL_EXPORTER_OTLP_ENDPOINT is set (main.ts starts it).
    tracing: options.tracing ?? null,
    readinessChecks: { storage: () => storage.check() } as Record<string, () => Promise<unknown>>,
  };
}

export function createApp(deps: Deps) {
  const auth = authPlugin(deps);
  return new Elysia()
    .use(httpPlugin({ metrics: deps.metrics, tracing: deps.tracing, config: deps.config, log: deps.log, renderHtmlError }))
    .use(staticFiles())
    .use(
      cors({
        // Explicit allow-list only: never `*`, never reflecting any origin with credentials.
        origin: deps.config.CORS_ORIGINS.length > 0 ? deps.config.CORS_ORIGINS : false,
        credentials: deps.config.CORS_ORIGINS.length > 0,
        allowedHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-API-Version", "X-Request-Id"],
        exposeHeaders: ["X-Request-Id", "Retry-After", "X-API-Version", "Idempotent-Replayed"],
      }),
    )
    .use(healthRoutes(deps))
    .use(metricsRoutes(deps))
    .use(customDomainRoutes(deps))
    .use(authRoutes(deps, auth))
    .use(mfaRoutes(deps, auth))
    .use(passwordResetRoutes(deps, auth))
    .use(apiKeyRoutes(deps, auth))
    .use(webhookRoutes(deps, auth))
    .use(userRoutes(deps, auth))
    .use(invitationRoutes(deps, auth))
    .use(siteRoutes(deps, auth))
    .use(sessionRoutes(deps, auth))
    .use(teamRoutes(deps, auth))
    .use(clientPages(deps, auth))
    .use(documentPages(deps, auth))
    .use(auditPages(deps, auth))
    .use(accountRoutes(deps, auth))
    .use(twoFactorPages(deps, auth))
    .use(passwordResetPages(deps, auth))
    .use(settingsRoutes(deps, auth, [apiKeySection(deps), webhookSection(deps)]))
    .use(apiKeyPages(deps, auth))
    .use(webhookPages(deps, auth))
    .use(clientRoutes(deps, auth))
    .use(documentRoutes(deps, auth))
    .use(auditRoutes(deps, auth))
    .use(docsRoutes(deps));
}

export type App = ReturnType<typeof createApp>;
