// `bun run dev`: migrate, then run the server with file watching and rebuild
// the CSS/JS assets whenever a view or route changes.
import { config } from "../config";
import { prepareDatabase } from "../platform/prepare";

await prepareDatabase(config, (line) => console.log(`dev: ${line}`));
const assets = Bun.spawn(["bun", "scripts/build-assets.ts", "--watch"], { stdio: ["inherit", "inherit", "inherit"] });
const server = Bun.spawn(["bun", "--watch", "src/main.ts"], { stdio: ["inherit", "inherit", "inherit"] });
console.log(`dev: open ${config.publicScheme}://${config.BASE_DOMAIN}:${config.PORT}/`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    assets.kill(signal);
    server.kill(signal);
  });
}
const code = await server.exited;
assets.kill();
process.exit(code);
