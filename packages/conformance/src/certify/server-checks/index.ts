import type { ServerCheck } from './check.js';
import {
  appErrorCheck,
  backpressureCheck,
  chunkTypesCheck,
  closeRejectsCheck,
  headCheck,
  iteratorChoiceCheck,
  lengthCheck,
  nomutateCheck,
  releaseCheck,
  streamingCheck,
  writeBadCheck,
  writeLateCheck,
  writePathCheck,
} from './body-checks.js';
import { forwardingCheck, shutdownCheck } from './shutdown-checks.js';
import { concurrencyCheck, disconnectCheck, signalQuietCheck, waitUntilCheck } from './lifecycle-checks.js';
import { badSizeCheck, breakCheck, busyCheck, expectContinueCheck, malformedCheck, pullCheck, targetFormsCheck, truncatedCheck } from './request-checks.js';
import {
  afterEndCheck,
  commitCheck,
  copyCheck,
  errorsPrivateCheck,
  excInfoAfterCheck,
  excInfoBeforeCheck,
  hopByHopCheck,
  invalidResponseCheck,
  ownHeadersCheck,
  reasonCheck,
  twiceCheck,
} from './response-checks.js';

/** Every fixed check of certifyServer, in the order they run. */
export const SERVER_CHECKS: readonly ServerCheck[] = [
  commitCheck,
  excInfoBeforeCheck,
  excInfoAfterCheck,
  twiceCheck,
  afterEndCheck,
  copyCheck,
  invalidResponseCheck,
  hopByHopCheck,
  ownHeadersCheck,
  reasonCheck,
  errorsPrivateCheck,
  writePathCheck,
  writeBadCheck,
  writeLateCheck,
  iteratorChoiceCheck,
  chunkTypesCheck,
  streamingCheck,
  releaseCheck,
  headCheck,
  lengthCheck,
  closeRejectsCheck,
  appErrorCheck,
  nomutateCheck,
  signalQuietCheck,
  disconnectCheck,
  waitUntilCheck,
  concurrencyCheck,
  truncatedCheck,
  busyCheck,
  badSizeCheck,
  breakCheck,
  targetFormsCheck,
  malformedCheck,
  expectContinueCheck,
  pullCheck,
  backpressureCheck,
  forwardingCheck,
];

/** Checks that end the host's life: they run after everything else. */
export const FINAL_CHECKS: readonly ServerCheck[] = [shutdownCheck];

export type { ServerCheck };
