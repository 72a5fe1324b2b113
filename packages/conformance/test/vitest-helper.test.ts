import { describe } from 'vitest';
import { certify } from '../src/vitest.js';
import hello from './fixtures/hello-app.js';
import { poweredBy } from './fixtures/powered-by.mjs';
import { REFERENCE_CAPABILITIES, startReferenceHost } from './reference-host.js';

// What a framework author writes: three lines per certification.
describe('certify helpers for vitest', () => {
  certify.app(hello, { runs: 20 });
  certify.middleware(poweredBy, { runs: 20 });
  certify.server((app) => startReferenceHost(app), { capabilities: REFERENCE_CAPABILITIES, runs: 10, title: 'HOST-1: the reference host passes through certify.server' });
});
