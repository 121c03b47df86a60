// Rate limits shared by every replica through Redis (rate-limiter-flexible).
import type Redis from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { TooManyRequests } from "../platform/errors";

export type RateLimitSettings = {
  loginPerIp: { points: number; duration: number };
  loginFailuresPerEmail: { points: number; duration: number };
  passwordResetPerIp: { points: number; duration: number };
  passwordResetPerEmail: { points: number; duration: number };
  signupPerIp: { points: number; duration: number };
  /** JSON API requests per credential (an API key, or a user across their tokens). */
  apiPerCredential: { points: number; duration: number };
};

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  loginPerIp: { points: 30, duration: 300 },
  // Failures per account within the hour: the first `points` are free, then
  // each failure doubles a delay (1 s, 2 s, 4 s … capped at 15 min) instead of
  // a hard lock, so an attacker cannot lock a victim out for long (ASVS 6.3.1).
  loginFailuresPerEmail: { points: 5, duration: 3600 },
  passwordResetPerIp: { points: 10, duration: 3600 },
  passwordResetPerEmail: { points: 3, duration: 3600 },
  signupPerIp: { points: 10, duration: 3600 },
  apiPerCredential: { points: 600, duration: 60 },
};

const MAX_LOGIN_DELAY_MS = 15 * 60 * 1000;

export function createRateLimits(redis: Redis, overrides: Partial<RateLimitSettings> = {}) {
  const settings = { ...DEFAULT_RATE_LIMITS, ...overrides };
  const make = (keyPrefix: string, limit: { points: number; duration: number }) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix, points: limit.points, duration: limit.duration, rejectIfRedisNotReady: true });
  const loginIp = make("rl:login:ip", settings.loginPerIp);
  // Counts only; the delay below decides.
  const loginEmail = make("rl:login:email", { points: Number.MAX_SAFE_INTEGER, duration: settings.loginFailuresPerEmail.duration });
  const resetIp = make("rl:reset:ip", settings.passwordResetPerIp);
  const resetEmail = make("rl:reset:email", settings.passwordResetPerEmail);
  const delayKey = (email: string) => `rl:login:delay:${email.toLowerCase()}`;
  const signupIp = make("rl:signup:ip", settings.signupPerIp);
  const apiCredential = make("rl:api", settings.apiPerCredential);

  return {
    /** Counts one login attempt from `ip`; refuses when the IP or the email is over its limit. */
    async beforeLogin(ip: string, email: string) {
      await consume(loginIp, ip);
      const waitMs = await redis.pttl(delayKey(email));
      if (waitMs > 0) throw TooManyRequests(waitMs / 1000);
    },
    async loginFailed(email: string) {
      const failures = await loginEmail.penalty(email.toLowerCase(), 1);
      const beyondFree = failures.consumedPoints - settings.loginFailuresPerEmail.points;
      if (beyondFree > 0) await redis.set(delayKey(email), "1", "PX", Math.min(1000 * 2 ** (beyondFree - 1), MAX_LOGIN_DELAY_MS));
    },
    async loginSucceeded(email: string) {
      await Promise.all([loginEmail.delete(email.toLowerCase()), redis.del(delayKey(email))]);
    },
    async beforePasswordReset(ip: string, email: string) {
      await consume(resetIp, ip);
      await consume(resetEmail, email.toLowerCase());
    },
    beforeSignup: (ip: string) => consume(signupIp, ip),
    /** One API request by `credential` ("key:<id>" or "user:<id>"). */
    beforeApiRequest: (credential: string) => consume(apiCredential, credential),
    /** Gives back the point of a request that turned out not to be the credential's own (a revoked token). */
    refundApiRequest: async (credential: string) => {
      await apiCredential.reward(credential, 1);
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;

async function consume(limiter: RateLimiterRedis, key: string) {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw TooManyRequests(rejection.msBeforeNext / 1000);
    throw rejection; // Redis itself failed: the error handler answers 503
  }
}
