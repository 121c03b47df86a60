// s3rver ships no types; the tests use a small, typed slice of it (test/s3.ts).
declare module "s3rver";
