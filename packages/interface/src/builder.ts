import { compose } from './compose.js';
import { mount, notFoundApp } from './mount.js';
import type { App, Middleware } from './types.js';

/**
 * Rack::Builder for tsgi: `builder().use(logger).mount('/api', api).run(site)`.
 * Middleware added with `use` wraps everything built after it, mounts included.
 */
export class Builder {
  readonly #middleware: Middleware[] = [];
  readonly #mounts = new Map<string, App>();

  /** Adds a middleware; the first one added is the outermost (MW-2). */
  use(middleware: Middleware): this {
    if (typeof middleware !== 'function') throw new TypeError('use: middleware must be a function');
    this.#middleware.push(middleware);
    return this;
  }

  /** Mounts an app under a path prefix; the longest prefix wins (MW-13). */
  mount(prefix: string, app: App): this {
    if (typeof app !== 'function') throw new TypeError('mount: app must be a function');
    if (this.#mounts.has(prefix)) throw new TypeError(`mount: prefix ${JSON.stringify(prefix)} is mounted twice`);
    this.#mounts.set(prefix, app);
    return this;
  }

  /** Finishes the stack with the app for everything not mounted; returns the whole app. */
  run(app?: App): App {
    let inner: App;
    if (this.#mounts.size === 0) {
      if (!app) throw new TypeError('run: give an app, or mount at least one');
      inner = app;
    } else inner = mount(this.#mounts, app ?? notFoundApp);
    return compose(...this.#middleware)(inner);
  }
}

export function builder(): Builder {
  return new Builder();
}
