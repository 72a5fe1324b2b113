/** Test support: a node:http client that sends the request target byte for byte. */
import { request, type IncomingMessage } from 'node:http';

export interface HttpResult {
  status: number;
  statusMessage: string;
  /** Header lines as received: names in the case sent, repeats kept. */
  headers: Array<[string, string]>;
  body: string;
}

/** One request with node:http, which sends `path` byte for byte (no URL normalisation). */
export function send(port: number, path: string, init: { method?: string; headers?: Record<string, string | string[]>; body?: AsyncIterable<string> | string } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers }, (res: IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => void (body += chunk));
      res.on('end', () => {
        const headers: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode!, statusMessage: res.statusMessage!, headers, body });
      });
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${path} within 10 s`)));
    req.on('error', reject);
    const body = init.body;
    if (body === undefined) req.end();
    else if (typeof body === 'string') req.end(body);
    else
      void (async () => {
        for await (const part of body) req.write(part);
        req.end();
      })();
  });
}

/** Reads the first chunk of a streamed response, then drops the connection. */
export function firstChunkThenHangUp(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      res.once('data', (chunk: Buffer) => {
        req.destroy();
        resolve(chunk.toString('latin1'));
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no data from ${path} within 10 s`)));
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}

/** Polls `probe` every 20 ms until it returns true; bounded by `timeoutMs`. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}
