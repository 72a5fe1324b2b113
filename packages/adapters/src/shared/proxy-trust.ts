import type { Environ } from '@tsgi/interface';
export function compileProxyTrust(_options: { trust: unknown }): (peer: string | undefined, header: (name: string) => string | undefined) => object | undefined {
  throw new Error('pending');
}
export function environBehindProxy(environ: Environ, _view: object): Environ {
  return environ;
}
