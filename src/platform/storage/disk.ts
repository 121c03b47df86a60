// The embedded default: one file per object under a root directory. Writes go
// to a temporary name and are renamed into place, so readers never see half a file.
import { createWriteStream } from "node:fs";
import { access, mkdir, rename, rm } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { assertKey, type Storage } from "./index";

export function createDiskStorage(directory: string): Storage {
  const root = resolve(directory);

  function pathOf(key: string) {
    const path = resolve(root, assertKey(key));
    if (!path.startsWith(root + sep)) throw new Error("object path escapes the storage root");
    return path;
  }

  return {
    driver: "disk",
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${crypto.randomUUID()}.part`;
      try {
        await pipeline(body, createWriteStream(temporary, { flags: "wx" }));
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async get(key) {
      const file = Bun.file(pathOf(key));
      return (await file.exists()) ? file.stream() : null;
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    async check() {
      await mkdir(root, { recursive: true });
      await access(root);
    },
  };
}

/** Where the disk driver keeps a key (tests look there for leftovers). */
export const diskPath = (directory: string, key: string) => join(resolve(directory), assertKey(key));
