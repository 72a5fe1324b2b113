import { lookup } from 'node:dns/promises';
import { fstatSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { getSystemErrorMessage } from './system-error.js';
import { stringFromBind, urlFromBind, type Bind } from './bind.js';
import type { WorkerListener } from './worker-protocol.js';

/** The few members of libuv's TCP and Pipe handles that the master uses. */
interface RawServerHandle {
  readonly fd: number;
  getsockname?(out: { address?: string; port?: number; family?: string }): number;
  close(): void;
}

/**
 * `net._createServerHandle` binds a socket without listening on it: the master owns the
 * address, and the socket enters the listening state only when a worker calls listen() on
 * its inherited copy. The master never polls it, so it never accepts a connection (PF-2).
 * Node's own cluster module has used this function for the same purpose since Node 0.12;
 * no public API binds without listening.
 */
type CreateServerHandle = (address: string | null, port: number, addressType: number, fd?: number, flags?: number) => RawServerHandle | number;
const createServerHandle = (net as unknown as { _createServerHandle?: CreateServerHandle })._createServerHandle;

/** libuv's UV_TCP_REUSEPORT bind flag (libuv 1.49, Node 22.12 and 23.1). */
const UV_TCP_REUSEPORT = 2;

export class BindError extends Error {
  override readonly name = 'BindError';
}

/** A socket the master holds for its workers. */
export interface BoundListener {
  readonly bind: Bind;
  /** `127.0.0.1:8000` with the real port when the bind asked for port 0. */
  readonly label: string;
  readonly url: string | undefined;
  /** How a worker gets it: an inherited fd, or its own SO_REUSEPORT socket. */
  readonly worker: (childFd: number) => WorkerListener;
  /** The descriptor to pass down, or undefined when workers bind their own (reuse-port). */
  readonly fd: number | undefined;
  close(): void;
}

/** Whether this Node can give each worker its own SO_REUSEPORT socket. */
export function nodeSupportsReusePort(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major >= 24 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

function fail(bind: Bind, code: number | string): BindError {
  const name = getSystemErrorMessage(code);
  return new BindError(`cannot bind ${stringFromBind(bind)}: ${name}`);
}

async function bindTcp(bind: Extract<Bind, { kind: 'tcp' }>, reusePort: boolean, scheme: 'http' | 'https'): Promise<BoundListener> {
  if (!createServerHandle) throw new BindError('this Node version has no net._createServerHandle; run tsgi serve on Node 20 to 24');
  let address: string;
  let family: number;
  try {
    ({ address, family } = await lookup(bind.host, { verbatim: true }));
  } catch (error) {
    throw fail(bind, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  const handle = createServerHandle(address, bind.port, family, undefined, reusePort ? UV_TCP_REUSEPORT : 0);
  if (typeof handle === 'number') throw fail(bind, handle);
  // libuv defers EADDRINUSE from bind() to listen() (uv_tcp_bind's delayed_error), and a
  // worker's listen() on a socket left unbound would pick a random port. An unbound socket
  // reports port 0 here; so does a failed bind.
  const out: { port?: number } = {};
  const status = handle.getsockname?.(out) ?? 0;
  if (status !== 0 || !out.port) {
    handle.close();
    throw fail(bind, 'EADDRINUSE');
  }
  const port = out.port;
  const label = stringFromBind({ ...bind, port });
  return {
    bind,
    label,
    url: urlFromBind(bind, port, scheme),
    fd: reusePort ? undefined : handle.fd,
    worker: (childFd) => (reusePort ? { kind: 'reuse-port', host: address, port, label } : { kind: 'fd', fd: childFd, label }),
    close: () => handle.close(),
  };
}

/** Removes a socket file left by a server that is gone; refuses to touch anything else. */
async function clearStaleSocket(bind: Extract<Bind, { kind: 'unix' }>): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(bind.path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new BindError(`cannot bind ${stringFromBind(bind)}: the path exists and is not a socket`);
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect(bind.path, () => {
      probe.destroy();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
  });
  if (alive) throw new BindError(`cannot bind ${stringFromBind(bind)}: another server is listening there`);
  unlinkSync(bind.path);
}

async function bindUnix(bind: Extract<Bind, { kind: 'unix' }>): Promise<BoundListener> {
  if (!createServerHandle) throw new BindError('this Node version has no net._createServerHandle; run tsgi serve on Node 20 to 24');
  await clearStaleSocket(bind);
  const handle = createServerHandle(bind.path, -1, -1);
  if (typeof handle === 'number') throw fail(bind, handle);
  const label = stringFromBind(bind);
  return {
    bind,
    label,
    url: undefined,
    fd: handle.fd,
    worker: (childFd) => ({ kind: 'fd', fd: childFd, label }),
    close: () => {
      handle.close();
      try {
        unlinkSync(bind.path);
      } catch {
        // Already gone: nothing to clean.
      }
    },
  };
}

function inherited(bind: Extract<Bind, { kind: 'fd' }>): BoundListener {
  let socket = false;
  try {
    socket = fstatSync(bind.fd).isSocket();
  } catch {
    // Not open: reported below.
  }
  if (!socket) throw new BindError(`cannot use ${stringFromBind(bind)}: it is not an open socket in this process`);
  const label = stringFromBind(bind);
  return { bind, label, url: undefined, fd: bind.fd, worker: (childFd) => ({ kind: 'fd', fd: childFd, label }), close: () => {} };
}

/** Binds every address, or closes what it bound and throws BindError. */
export async function bindListeners(binds: readonly Bind[], reusePort: boolean, scheme: 'http' | 'https' = 'http'): Promise<BoundListener[]> {
  const bound: BoundListener[] = [];
  try {
    for (const bind of binds) {
      if (bind.kind === 'tcp') bound.push(await bindTcp(bind, reusePort, scheme));
      else if (bind.kind === 'unix') bound.push(await bindUnix(bind));
      else bound.push(inherited(bind));
    }
  } catch (error) {
    for (const listener of bound) listener.close();
    throw error;
  }
  return bound;
}
