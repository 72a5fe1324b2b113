import { randomInt } from 'node:crypto';
import type { BoundListener } from './listeners.js';
import type { PreforkSettings } from './settings.js';
import type { WorkerBootConfig } from './worker-protocol.js';

/** Four beats per timeout, at most one a second: a late beat or two never looks like a hang. */
export function heartbeatInterval(timeoutMs: number): number {
  if (timeoutMs <= 0) return 1000;
  return Math.max(25, Math.min(1000, Math.floor(timeoutMs / 4)));
}

/** This worker's max-requests: the setting plus 0..jitter, so workers do not all restart together (PF-6). */
export function maxRequestsWithJitter(maxRequests: number, jitter: number, random: (bound: number) => number = (bound) => randomInt(0, bound)): number {
  return maxRequests > 0 ? maxRequests + random(jitter + 1) : 0;
}

/**
 * What a new worker is told, and which of the master's descriptors it inherits: fd 3 is the
 * IPC channel, the listening sockets follow from 4 in `listeners` order.
 */
export function workerBootConfig(
  settings: PreforkSettings,
  listeners: readonly BoundListener[],
  ids: { serial: number; generation: number; configFile: string | undefined },
): { config: WorkerBootConfig; fds: number[] } {
  const fds: number[] = [];
  const workerListeners = listeners.map((listener) => {
    if (listener.fd === undefined) return listener.worker(-1);
    fds.push(listener.fd);
    return listener.worker(3 + fds.length);
  });
  return {
    fds,
    config: {
      serial: ids.serial,
      generation: ids.generation,
      app: settings.app,
      listeners: workerListeners,
      configFile: ids.configFile,
      heartbeatMs: heartbeatInterval(settings.timeoutMs),
      gracefulTimeoutMs: settings.gracefulTimeoutMs,
      keepAliveMs: settings.keepAliveMs,
      requestDeadlineMs: settings.requestDeadlineMs,
      maxRequests: maxRequestsWithJitter(settings.maxRequests, settings.maxRequestsJitter),
      limits: settings.limits,
      forwardedAllowIps: settings.forwardedAllowIps,
      tls: settings.tls,
      accessLogfile: settings.accessLogfile,
      accessLogformat: settings.accessLogformat,
      errorLogfile: settings.errorLogfile,
      logLevel: settings.logLevel,
      name: settings.name,
    },
  };
}
