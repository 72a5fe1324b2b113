import { request } from 'node:http';
import type { HostRequest, HostResponse, Send } from './host-checks.js';

/** `Send` over HTTP/1.1 with node:http, so the test sees the bytes as sent (no decompression). */
export function httpSend(base: string): Send {
  return ({ method = 'GET', target, headers = [], body, chunked = false }: HostRequest) =>
    new Promise<HostResponse>((resolve, reject) => {
      const url = new URL(target, base);
      // With headers given as a list, node:http adds no Host; HTTP/1.1 requires one.
      const flat = headers.some(([name]) => name.toLowerCase() === 'host') ? headers.flat() : ['host', url.host, ...headers.flat()];
      if (body && !chunked) flat.push('content-length', String(body.length));
      const req = request(url, { method, headers: flat, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const pairs: Array<[string, string]> = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
          resolve({ status: res.statusCode!, headers: pairs, body: new Uint8Array(Buffer.concat(chunks)) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body && chunked) {
        // Without Content-Length node:http frames the body in chunks, a piece at a time.
        for (let i = 0; i < body.length; i += 1000) req.write(body.subarray(i, i + 1000));
        req.end();
      } else req.end(body);
    });
}
