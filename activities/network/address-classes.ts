import { BlockList, isIP } from 'node:net';

/**
 * What kind of address a connection would reach. Link-local addresses (the cloud metadata
 * services at 169.254.169.254 and fd00:ec2::254's link-local cousins), unspecified,
 * multicast and reserved ones are never reached by a run; loopback and private ones only for
 * hosts the worker's policy lists; public ones always. IPv4-mapped IPv6 addresses count as
 * the IPv4 address they carry.
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'never';

const NEVER = new BlockList();
NEVER.addSubnet('0.0.0.0', 8, 'ipv4');
NEVER.addSubnet('169.254.0.0', 16, 'ipv4');
NEVER.addSubnet('224.0.0.0', 4, 'ipv4');
NEVER.addSubnet('240.0.0.0', 4, 'ipv4');
NEVER.addAddress('::', 'ipv6');
NEVER.addSubnet('fe80::', 10, 'ipv6');
NEVER.addSubnet('ff00::', 8, 'ipv6');
// NAT64 addresses carry an IPv4 address the gateway would reach: judged as never, not guessed.
NEVER.addSubnet('64:ff9b::', 96, 'ipv6');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const PRIVATE = new BlockList();
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
// Carrier-grade NAT; some clouds put their metadata services there (100.100.100.200).
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4');
PRIVATE.addSubnet('198.18.0.0', 15, 'ipv4');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

/** The class of an IP address; undefined when `address` is not an IP address. */
export function addressClassOf(address: string): AddressClass | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const version = isIP(bare);
  if (version === 0) return undefined;
  const type = version === 4 ? 'ipv4' : 'ipv6';
  if (NEVER.check(bare, type)) return 'never';
  if (LOOPBACK.check(bare, type)) return 'loopback';
  if (PRIVATE.check(bare, type)) return 'private';
  return 'public';
}

/** Why a connection to `address` is refused, or undefined when it may be made. */
export function addressRefusal(address: string, listed: boolean): string | undefined {
  const found = addressClassOf(address);
  if (found === 'never') return `${address} is a link-local, unspecified, multicast or reserved address`;
  if ((found === 'loopback' || found === 'private') && !listed) {
    return `${address} is a ${found} address, which runs reach only at endpoints the worker's policy lists`;
  }
  return undefined;
}
