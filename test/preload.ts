// Runs once before the suite: points the app at its own database and Redis
// index (never the development ones), and brings the schema up to date.
process.env.NODE_ENV = "test";
process.env.DATABASE_URL ??= "postgres://aggios_app:aggios_app@127.0.0.1:5432/aggios_test";
process.env.MIGRATION_DATABASE_URL ??= "postgres://aggios_owner:aggios_owner@127.0.0.1:5432/aggios_test";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379/9";
process.env.LOG_LEVEL ??= "silent";
process.env.TRUST_PROXY ??= "true";
process.env.STORAGE_DIR ??= "./data/test-storage";

const { config } = await import("../src/config");
const { prepareDatabase } = await import("../src/platform/prepare");
await prepareDatabase(config, () => {});

export {};
