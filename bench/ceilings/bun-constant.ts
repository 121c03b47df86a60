// S1: the runtime's ceiling on this machine — raw Bun.serve answering a constant.
const body = JSON.stringify({ data: [], next_cursor: null });
const server = Bun.serve({
  port: Number(process.env.PORT ?? 4810),
  hostname: "127.0.0.1",
  fetch: () => new Response(body, { headers: { "content-type": "application/json" } }),
});
console.log(`listening on ${server.port}`);
process.on("SIGTERM", () => process.exit(0));
