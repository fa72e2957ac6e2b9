/**
 * controller-runtime's bind-address flags (`--metrics-bind-address`, `--health-probe-bind-address`)
 * parsed the way Go's net.Listen reads them. Pure.
 */

/** Where a server listens. */
export interface BindAddress {
  /** undefined: every interface (IPv6 and IPv4 where available), as Go does for `:8081`. */
  host: string | undefined;
  /** 0 picks a free port (tests). */
  port: number;
}

/**
 * Parses `:8081`, `127.0.0.1:8081`, `localhost:8081` or `[::1]:8081`. `0` and the empty string
 * mean "disabled" (controller-runtime's convention) and give undefined. Anything else, including
 * a bare port (`8081`) that Go would also reject, throws an Error naming the flag value.
 */
export function parseBindAddress(value: string): BindAddress | undefined {
  if (value === '' || value === '0') return undefined;
  const colon = value.lastIndexOf(':');
  if (colon < 0) throw invalid(value, 'missing port (use ":PORT" or "HOST:PORT")');
  let host = value.slice(0, colon);
  const portText = value.slice(colon + 1);
  if (host.startsWith('[')) {
    if (!host.endsWith(']')) throw invalid(value, 'unterminated "[" in IPv6 host');
    host = host.slice(1, -1);
  } else if (host.includes(':')) {
    throw invalid(value, 'IPv6 hosts must be in brackets, e.g. "[::1]:8081"');
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65_535) {
    throw invalid(value, `port ${JSON.stringify(portText)} is not a number from 0 to 65535`);
  }
  return { host: host === '' ? undefined : host, port: Number(portText) };
}

/** The inverse of {@link parseBindAddress}, for logs: `:8081`, `[::1]:8081`. */
export function formatBindAddress(address: BindAddress): string {
  const host = address.host ?? '';
  return `${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

function invalid(value: string, why: string): Error {
  return new Error(`invalid bind address ${JSON.stringify(value)}: ${why}`);
}
