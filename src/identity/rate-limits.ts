// Rate limits shared by every replica through Redis (rate-limiter-flexible).
import type Redis from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { TooManyRequests } from "../platform/errors";

export type RateLimitSettings = {
  loginPerIp: { points: number; duration: number };
  loginFailuresPerEmail: { points: number; duration: number };
  signupPerIp: { points: number; duration: number };
  /** JSON API requests per credential (an API key, or a user across their tokens). */
  apiPerCredential: { points: number; duration: number };
};

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  loginPerIp: { points: 30, duration: 300 },
  // Counts failures only, so a victim's own correct password still works
  // unless an attacker is actively guessing; the window is short.
  loginFailuresPerEmail: { points: 10, duration: 900 },
  signupPerIp: { points: 10, duration: 3600 },
  apiPerCredential: { points: 600, duration: 60 },
};

export function createRateLimits(redis: Redis, overrides: Partial<RateLimitSettings> = {}) {
  const settings = { ...DEFAULT_RATE_LIMITS, ...overrides };
  const make = (keyPrefix: string, limit: { points: number; duration: number }) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix, points: limit.points, duration: limit.duration, rejectIfRedisNotReady: true });
  const loginIp = make("rl:login:ip", settings.loginPerIp);
  const loginEmail = make("rl:login:email", settings.loginFailuresPerEmail);
  const signupIp = make("rl:signup:ip", settings.signupPerIp);
  const apiCredential = make("rl:api", settings.apiPerCredential);

  return {
    /** Counts one login attempt from `ip`; refuses when the IP or the email is over its limit. */
    async beforeLogin(ip: string, email: string) {
      await consume(loginIp, ip);
      const failures = await loginEmail.get(email.toLowerCase());
      if (failures && failures.consumedPoints >= settings.loginFailuresPerEmail.points) {
        throw TooManyRequests(failures.msBeforeNext / 1000);
      }
    },
    async loginFailed(email: string) {
      await loginEmail.penalty(email.toLowerCase(), 1);
    },
    async loginSucceeded(email: string) {
      await loginEmail.delete(email.toLowerCase());
    },
    beforeSignup: (ip: string) => consume(signupIp, ip),
    /** One API request by `credential` ("key:<id>" or "user:<id>"). */
    beforeApiRequest: (credential: string) => consume(apiCredential, credential),
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
