import { describe, expect, test } from "bun:test";
import { checkTarget, isPublicAddress, TargetRefused } from "./ssrf";

describe("SSRF guard", () => {
  test("classifies private, loopback, link-local, ULA, multicast and unspecified addresses as not public", () => {
    const refused = [
      "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
      "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
      "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "::ffff:169.254.169.254", "not-an-ip",
    ];
    for (const address of refused) expect([address, isPublicAddress(address)]).toEqual([address, false]);
    for (const address of ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) {
      expect([address, isPublicAddress(address)]).toEqual([address, true]);
    }
  });

  test("refuses a name that resolves to any private address, unless the host is allow-listed", async () => {
    const resolver = async (host: string) =>
      host === "rebind.example" ? [{ address: "93.184.216.34", family: 4 }, { address: "10.0.0.7", family: 4 }] : [{ address: "93.184.216.34", family: 4 }];
    await expect(checkTarget("https://rebind.example/hook", [], resolver)).rejects.toBeInstanceOf(TargetRefused);
    await expect(checkTarget("https://good.example/hook", [], resolver)).resolves.toMatchObject({ address: "93.184.216.34" });
    await expect(checkTarget("https://rebind.example/hook", ["rebind.example"], resolver)).resolves.toBeDefined();
  });

  test("refuses literal private targets, odd schemes and embedded credentials", async () => {
    for (const url of [
      "http://127.0.0.1:3000/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/", "http://2130706433/",
      "http://[::ffff:127.0.0.1]/", "ftp://93.184.216.34/", "http://user:pass@93.184.216.34/", "not a url", "http://localhost/",
    ]) {
      await expect(checkTarget(url, [])).rejects.toBeInstanceOf(TargetRefused);
    }
  });
});
