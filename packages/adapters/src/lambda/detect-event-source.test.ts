import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_EVENTS, loadSampleEvent } from './fixtures/sample-events.js';
import { detectEventSource } from './detect-event-source.js';
import { LAMBDA_EVENT_SOURCES } from './types.js';

describe('detectEventSource', () => {
  it('LAMBDA-1: is total: any value gives a source or a reason, and nothing is thrown', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue()), (value) => {
        const detection = detectEventSource(value);
        if (detection.source === undefined) expect(typeof detection.reason).toBe('string');
        else expect(LAMBDA_EVENT_SOURCES).toContain(detection.source);
      }),
    );
  });

  it('LAMBDA-1: an object that throws when read is an unknown event, not a crash', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('no'); }, has: () => { throw new Error('no'); } });
    expect(detectEventSource(hostile)).toEqual({ source: undefined, reason: expect.stringContaining('could not be inspected') });
  });

  it('LAMBDA-1: tells every sample event apart', () => {
    for (const sample of SAMPLE_EVENTS) expect(detectEventSource(loadSampleEvent(sample.file)).source, sample.file).toBe(sample.source);
  });

  it('LAMBDA-1: names what it found when no HTTP source matches', () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /got null/],
      ['GET /', /got string/],
      [[1, 2], /got an array/],
      [{ Records: [{ eventSource: 'aws:sqs' }] }, /Records event/],
      [{ Records: [{ cf: { config: { eventType: 'origin-response' }, request: {}, response: {} } }] }, /origin-response event carries a response/],
      [{ requestContext: { connectionId: 'abc', eventType: 'MESSAGE' } }, /WebSocket/],
      [{ source: 'aws.events', detail: {} }, /no HTTP event source has this shape \(keys source, detail\)/],
      [{}, /no keys/],
    ];
    for (const [event, reason] of cases) {
      const detection = detectEventSource(event);
      expect(detection.source).toBeUndefined();
      expect((detection as { reason: string }).reason).toMatch(reason);
    }
  });
});
