import type { Body, Environ, StartResponse } from '@tsgi/interface';
import type { ProbeCase } from './registry.js';

/** A probe app: an app that takes its instructions and records its observations in a case. */
export type ProbeRun = (environ: Environ, startResponse: StartResponse, c: ProbeCase) => Body | Promise<Body>;

export interface Probe {
  run: ProbeRun;
  /** The probe breaks an app rule on purpose, to see the host contain it: the lint's app-side findings are expected. */
  breaksAppRules?: boolean;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a text. */
export function text(value: string): Uint8Array {
  return encoder.encode(value);
}
