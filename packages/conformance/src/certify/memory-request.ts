import type { MemoryRequest } from '@tsgi/interface';
import type { RequestSample } from '../arbitraries/request.js';

/** A generated request as the in-memory host takes it: Host first, Content-Length when framed so. */
export function memoryRequestOf(sample: RequestSample, signal?: AbortSignal): MemoryRequest {
  const headers: Array<[string, string]> = [['Host', 'localhost'], ...sample.headers.map((h) => [h.name, h.value] as [string, string])];
  const hasBody = sample.body.length > 0 || sample.method === 'POST' || sample.method === 'PUT';
  if (hasBody && sample.framing === 'length') headers.push(['Content-Length', String(sample.body.length)]);
  if (hasBody && sample.framing === 'chunked') headers.push(['Transfer-Encoding', 'chunked']);
  const request: MemoryRequest = { method: sample.method, target: sample.target.target, headers };
  if (hasBody) request.body = sample.chunks.length ? sample.chunks : [sample.body];
  if (signal) request.signal = signal;
  return request;
}
