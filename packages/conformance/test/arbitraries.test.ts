import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isToken, isValidFieldValue, isValidStatus, percentDecodeByteString } from '@tsgi/interface';
import {
  bodyArbitrary,
  headersArbitrary,
  hostileHeaderNameArbitrary,
  invalidStatusArbitrary,
  pathArbitrary,
  queryArbitrary,
  requestArbitrary,
  responsePlanArbitrary,
  splitBytes,
  statusArbitrary,
  targetArbitrary,
  certifyApp,
  appFromPlan,
} from '../src/index.js';
import { concatBytes } from '../src/drivers/wire.js';

describe('arbitraries', () => {
  it('ENV-8: every generated path decodes to the PATH_INFO it promises', () => {
    fc.assert(
      fc.property(pathArbitrary(), (path) => {
        expect(percentDecodeByteString(path.raw)).toBe(path.decoded);
      }),
    );
  });

  it('covers encoded slashes, encoded percent signs, UTF-8, malformed escapes and dot segments', () => {
    const samples = fc.sample(pathArbitrary(), { numRuns: 2000, seed: 1 });
    const raw = samples.map((p) => p.raw).join(' ');
    for (const needle of ['%2F', '%25', '%C3', '%zz', '/../', '//']) expect(raw, needle).toContain(needle);
    expect(samples.some((p) => /[\x80-\xff]/.test(p.decoded))).toBe(true);
  });

  it('raw high bytes appear only when asked for', () => {
    const hasRaw = (p: { raw: string }) => /[\x80-\xff]/.test(p.raw);
    expect(fc.sample(pathArbitrary(), { numRuns: 500, seed: 2 }).some(hasRaw)).toBe(false);
    expect(fc.sample(pathArbitrary({ rawHighBytes: true }), { numRuns: 500, seed: 2 }).some(hasRaw)).toBe(true);
  });

  it('ENV-12: targets carry their query raw, after the first "?"', () => {
    fc.assert(
      fc.property(targetArbitrary({ forms: ['origin', 'absolute', 'asterisk'] }), (t) => {
        if (t.form === 'asterisk') {
          expect(t.target).toBe('*');
          return;
        }
        const q = t.target.indexOf('?');
        expect(q === -1 ? '' : t.target.slice(q + 1)).toBe(t.queryString);
      }),
    );
    fc.assert(
      fc.property(queryArbitrary(), (q) => {
        expect(q).not.toMatch(/[#\s]/);
      }),
    );
  });

  it('header names are tokens, values are field values trimmed as a host must show them', () => {
    fc.assert(
      fc.property(headersArbitrary(), (lines) => {
        for (const line of lines) {
          expect(isToken(line.name), line.name).toBe(true);
          expect(isValidFieldValue(line.raw)).toBe(true);
          expect(line.value).toBe(line.raw.replace(/^[ \t]+|[ \t]+$/g, ''));
        }
        expect(lines.filter((l) => l.name.toLowerCase() === 'content-type').length).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('ENV-21: hostile names include underscores and case variants that collide once mapped', () => {
    const names = fc.sample(hostileHeaderNameArbitrary(), { numRuns: 300, seed: 3 });
    expect(names.some((n) => n.includes('_'))).toBe(true);
    expect(names.some((n) => n.includes('.'))).toBe(true);
    const lists = fc.sample(headersArbitrary(), { numRuns: 300, seed: 3 });
    expect(lists.some((l) => new Set(l.map((h) => h.name.toLowerCase())).size < l.length)).toBe(true);
    expect(lists.some((l) => l.filter((h) => h.name.toLowerCase() === 'cookie').length > 1)).toBe(true);
  });

  it('a body is its chunks, concatenated, in any chunking', () => {
    fc.assert(
      fc.property(bodyArbitrary(), fc.array(fc.nat()), (body, cuts) => {
        expect(concatBytes(body.chunks)).toEqual(body.bytes);
        expect(concatBytes(splitBytes(body.bytes, cuts))).toEqual(body.bytes);
      }),
    );
  });

  it('SR-1: statuses are valid; invalid ones are not', () => {
    fc.assert(
      fc.property(statusArbitrary(), (status) => {
        expect(isValidStatus(status)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(invalidStatusArbitrary(), (status) => {
        expect(isValidStatus(status)).toBe(false);
      }),
    );
  });

  it('requests: bodiless methods carry no body, chunked framing only with a body', () => {
    fc.assert(
      fc.property(requestArbitrary(), (r) => {
        if (r.method === 'GET' || r.method === 'HEAD') expect(r.body.length).toBe(0);
        if (r.framing === 'chunked') expect(r.body.length).toBeGreaterThan(0);
        expect(concatBytes(r.chunks)).toEqual(r.body);
      }),
    );
  });

  it('APP-2, BODY-14, BODY-19: every response plan makes a compliant app', async () => {
    const plans = fc.sample(responsePlanArbitrary(), { numRuns: 40, seed: 4 });
    for (const plan of plans) {
      const report = await certifyApp(appFromPlan(plan), { runs: 3, seed: 4 });
      expect(report.violations, JSON.stringify(plan.status)).toEqual([]);
    }
  });
});
