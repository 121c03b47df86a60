// Outbound requests go to addresses a tenant chooses, so a webhook URL is an
// SSRF vector: `http://169.254.169.254/` (cloud metadata), `http://redis:6379/`
// or `http://localhost:3000/internal` would let a tenant probe our network.
// Every target is resolved and refused when ANY of its addresses is private,
// loopback, link-local, unique-local, multicast, reserved or unspecified —
// unless its host name is on the operator's allow-list (WEBHOOK_ALLOWED_HOSTS).
//
// DNS rebinding (a name that resolves public at the check and private at the
// request): for http we connect to the exact address we checked; for https we
// re-check right before sending and rely on TLS — a rebound private service
// cannot present a valid certificate for the attacker's host name.
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15],
  ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128], ["::1", 128], ["100::", 64], ["2001:db8::", 32], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
] as const) blocked.addSubnet(network, prefix, "ipv6");

/** The IPv4 address hidden in an IPv4-mapped (::ffff:a.b.c.d), -compatible or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIpv4(address: string): string | null {
  const match = /^(?:::ffff:(?:0:)?|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (match) return match[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, "ipv4");
  if (family !== 6) return false;
  const v4 = embeddedIpv4(address.toLowerCase());
  if (v4) return isPublicAddress(v4);
  return !blocked.check(address, "ipv6");
}

export class TargetRefused extends Error {}

export type CheckedTarget = { url: URL; address: string; family: 4 | 6 };

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;
const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** Throws TargetRefused (with a message fit for the tenant) or returns the address to connect to. */
export async function checkTarget(raw: string, allowedHosts: readonly string[], resolve: Resolver = systemResolver): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused("is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TargetRefused("must be an http or https URL");
  if (url.username || url.password) throw new TargetRefused("must not contain credentials");
  const hostname = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const allowed = allowedHosts.includes(hostname);
  let addresses: { address: string; family: number }[];
  if (isIP(hostname)) {
    addresses = [{ address: hostname, family: isIP(hostname) }];
  } else {
    try {
      addresses = await resolve(hostname);
    } catch {
      throw new TargetRefused("host name does not resolve");
    }
  }
  if (addresses.length === 0) throw new TargetRefused("host name does not resolve");
  if (!allowed && !addresses.every((entry) => isPublicAddress(entry.address))) {
    throw new TargetRefused("must point to a public internet address (private, loopback and link-local addresses are refused)");
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
