import { BROKEN_APPS } from './broken-apps.js';
import { BROKEN_HOSTS } from './broken-hosts.js';
import { BROKEN_MIDDLEWARE } from './broken-middleware.js';
import type { CatalogueEntry } from './entry.js';

/** Every broken party the suite must reject, each with the clause it must cite. */
export const CATALOGUE: readonly CatalogueEntry[] = [...BROKEN_HOSTS, ...BROKEN_APPS, ...BROKEN_MIDDLEWARE];
export type { CatalogueEntry };
