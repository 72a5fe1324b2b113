import type { App, Middleware } from '@tsgi/interface';
import type { HostHooks } from '../reference-host.js';

/** One deliberately broken party, and the clause the suite must reject it with. */
export type CatalogueEntry =
  | { kind: 'host'; name: string; expect: string; hooks: HostHooks }
  | { kind: 'app'; name: string; expect: string; app: App }
  | { kind: 'middleware'; name: string; expect: string; middleware: Middleware };
