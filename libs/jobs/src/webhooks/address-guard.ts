import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppError, errorMessage } from '@ocr/domain';

/**
 * SSRF guard for callback URLs: a webhook must not reach the service's own network. Every address
 * a host name resolves to is checked, and the connection is made to the checked address (the
 * lookup below is the one the HTTP client uses), so DNS cannot hand out a public address to the
 * check and a private one to the connection. Refused: loopback, private, link-local (the cloud
 * metadata address 169.254.169.254 is one), carrier-grade NAT, unspecified, multicast and reserved
 * ranges, in IPv4 and IPv6 (IPv4-mapped IPv6 as its IPv4 address). The operator may allow
 * addresses or ranges anyway (WEBHOOK_ALLOWED_ADDRESSES, e.g. a receiver on the same host).
 */
const REFUSED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const REFUSED_V6: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
];

export class AddressPolicy {
  private readonly refused = new BlockList();
  private readonly allowed = new BlockList();

  /** `allow`: IP addresses or CIDR ranges (`127.0.0.1`, `10.1.0.0/16`, `::1`) reachable even though private. */
  constructor(allow: readonly string[]) {
    for (const [net, prefix] of REFUSED_V4) this.refused.addSubnet(net, prefix, 'ipv4');
    for (const [net, prefix] of REFUSED_V6) this.refused.addSubnet(net, prefix, 'ipv6');
    for (const entry of allow) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address);
      if (family === 0) throw new Error(`WEBHOOK_ALLOWED_ADDRESSES: '${entry}' is not an IP address or CIDR range`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.allowed.addAddress(address, type);
      else this.allowed.addSubnet(address, Number(prefix), type);
    }
  }

  static parse(setting: string): AddressPolicy {
    return new AddressPolicy(setting.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  }

  /** Why the address may not be called, or null when it may. */
  refusal(address: string): string | null {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const ip = mapped ?? address;
    const type = isIP(ip) === 4 ? 'ipv4' : isIP(ip) === 6 ? 'ipv6' : null;
    if (!type) return `'${address}' is not an IP address`;
    if (this.allowed.check(ip, type)) return null;
    return this.refused.check(ip, type) ? `${ip} is a loopback, private, link-local or reserved address` : null;
  }

  /** Resolves the host and throws a 400 naming callback_url when any of its addresses is refused. */
  async check(url: URL): Promise<void> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch (err) {
      throw new AppError('invalid_field', `callback_url: ${host} does not resolve (${errorMessage(err)})`, { field: 'callback_url' });
    }
    for (const address of addresses) {
      const why = this.refusal(address);
      if (why) throw new AppError('invalid_field', `callback_url refused: ${host} resolves to ${why}`, { field: 'callback_url' });
    }
  }

  /** A `lookup` for node:http that resolves and refuses, so the socket only ever opens to a checked address. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    lookup(hostname, { all: true, verbatim: true, family: typeof options.family === 'number' ? options.family : 0 })
      .then((found) => {
        for (const a of found) {
          const why = this.refusal(a.address);
          if (why) throw new Error(`refused: ${hostname} resolves to ${why}`);
        }
        if (options.all) callback(null, found);
        else callback(null, found[0]?.address ?? '', found[0]?.family ?? 4);
      })
      .catch((err: unknown) => callback(err instanceof Error ? (err as NodeJS.ErrnoException) : new Error(String(err)), '', 4));
  };
}
