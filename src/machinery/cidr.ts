/** IPv4 addresses and CIDRs as integers (service IP allocation, node IPAM, the pod network). */

export const ipToInt = (ip: string): number => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
export const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** Parses `a.b.c.d/len` into its network address, size and prefix length. Throws Error on bad syntax. */
export function parseCIDR(cidr: string): { base: number; size: number; prefix: number } {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
  if (!m || Number(m[2]) > 32) throw new Error(`invalid CIDR ${cidr}`);
  const prefix = Number(m[2]);
  const size = 2 ** (32 - prefix);
  return { base: ipToInt(m[1]) - (ipToInt(m[1]) % size), size, prefix };
}

/** Whether CIDR `inner` lies wholly inside CIDR `outer`. Throws Error on bad syntax. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCIDR(outer);
  const i = parseCIDR(inner);
  return i.base >= o.base && i.base + i.size <= o.base + o.size;
}
