import type { App, Body, StartResponse } from '@tsgi/interface';
import type { ResponsePlan } from '../arbitraries/response.js';

export interface PlanHooks {
  /** Called when the body is released (its close()), to count releases. */
  onClose?: () => void;
  /** Called before the response starts, with the environ (to record it). */
  onCall?: (environ: Parameters<App>[0]) => void | Promise<void>;
}

/** The body of a plan, in the plan's style. */
export function bodyFromPlan(plan: ResponsePlan, startResponse: StartResponse, hooks: PlanHooks = {}): Body | Promise<Body> {
  const start = () => startResponse(plan.status, plan.headers.map(([n, v]) => [n, v] as [string, string]));
  const close = plan.closable ? () => hooks.onClose?.() : undefined;
  const withClose = <T extends object>(body: T): T => (close ? Object.assign(body, { close }) : body);
  switch (plan.style) {
    case 'array':
      start();
      return withClose([...plan.chunks]);
    case 'sync':
      start();
      return withClose({
        *[Symbol.iterator]() {
          yield* plan.chunks;
        },
      });
    case 'async':
      start();
      return withClose({
        async *[Symbol.asyncIterator]() {
          for (const chunk of plan.chunks) yield chunk;
        },
      });
    case 'lazy':
      // startResponse from inside the iteration, before the first chunk (APP-2).
      return withClose({
        async *[Symbol.asyncIterator]() {
          start();
          for (const chunk of plan.chunks) yield chunk;
        },
      });
    case 'write':
      return (async () => {
        const write = start();
        for (const chunk of plan.chunks) await write(chunk);
        return withClose([] as Uint8Array[]);
      })();
  }
}

/** An app that answers every request with the plan's response. */
export function appFromPlan(plan: ResponsePlan, hooks: PlanHooks = {}): App {
  return async (environ, startResponse) => {
    await hooks.onCall?.(environ);
    return bodyFromPlan(plan, startResponse, hooks);
  };
}
