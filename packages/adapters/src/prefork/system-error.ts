import { getSystemErrorName } from 'node:util';

const MESSAGES: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'address not available on this machine',
  EACCES: 'permission denied',
  EINVAL: 'invalid argument',
  ENOENT: 'no such file or directory',
  ENOTFOUND: 'host name not found',
};

/** `EADDRINUSE (address already in use)` for a libuv error number or an error code. */
export function getSystemErrorMessage(errno: number | string): string {
  let name: string;
  try {
    name = typeof errno === 'string' ? errno : getSystemErrorName(errno);
  } catch {
    return `error ${errno}`;
  }
  return MESSAGES[name] ? `${name} (${MESSAGES[name]})` : name;
}
