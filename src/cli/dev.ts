// `bun run dev`: migrate, then run the server with file watching.
import { config } from "../config";
import { prepareDatabase } from "../platform/prepare";

await prepareDatabase(config, (line) => console.log(`dev: ${line}`));
const server = Bun.spawn(["bun", "--watch", "src/main.ts"], { stdio: ["inherit", "inherit", "inherit"] });
console.log(`dev: open ${config.publicScheme}://${config.BASE_DOMAIN}:${config.PORT}/`);
process.on("SIGINT", () => server.kill("SIGINT"));
process.on("SIGTERM", () => server.kill("SIGTERM"));
process.exit(await server.exited);
