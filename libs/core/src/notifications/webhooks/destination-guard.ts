/**
 * Refuses webhook destinations on private, loopback, link-local and other non-public addresses (a
 * webhook must not become a way to reach the merchant's internal network), at registration and again
 * at send time after DNS resolution: the connection is made to the very address that was checked, so
 * a name that resolves differently later cannot slip through. WEBHOOK_ALLOW_PRIVATE=true turns it off.
 */
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup } from 'node:dns';

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED.addSubnet(network, prefix, 'ipv6');

export class DestinationRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefusedError';
  }
}

/** True for an address that is not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is the IPv4 address.
  const [, mappedIpv4] = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address) ?? [];
  if (mappedIpv4 !== undefined) return BLOCKED.check(mappedIpv4, 'ipv4');
  return BLOCKED.check(address, 'ipv6');
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Resolves `url`'s host and throws unless every address is public (or private ones are allowed). */
export async function checkDestination(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = hostOf(url);
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve, reject) =>
        lookup(host, { all: true }, (error, found) =>
          error
            ? reject(new DestinationRefusedError(`${host} does not resolve`))
            : resolve(found.map((a) => a.address)),
        ),
      );
  const refused = addresses.find(isPrivateAddress);
  if (refused !== undefined)
    throw new DestinationRefusedError(`${host} is a private or loopback address (${refused})`);
}

/**
 * A DNS lookup for http.request that fails on private addresses, so the connection goes only to an
 * address that passed the check. (IP literals never reach it: check them with checkDestination.)
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const usable = allowPrivate ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      const [first] = usable;
      if (first === undefined)
        return callback(
          new DestinationRefusedError(`${hostname} resolves only to private or loopback addresses`),
          '',
          0,
        );
      if (options.all) return (callback as unknown as (e: null, a: typeof usable) => void)(null, usable);
      callback(null, first.address, first.family);
    });
  };
}
