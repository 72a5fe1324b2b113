import { spawn } from 'node:child_process';
import { request, type IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/** A runtime process serving on loopback, started and stopped by the test. */
export interface RuntimeServer {
  port: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `command` and resolves once it reports its port: workerd writes
 * `{"event":"listen","port":N}` to its control descriptor (fd 3); the Deno and Bun examples
 * print `listening on http://HOST:PORT/`. Bounded: rejects with the process output after
 * `timeoutMs`.
 */
export function startServer(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RuntimeServer> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let output = '';
  let control = '';
  let announce: (() => void) | undefined;
  child.stdout!.on('data', (data) => {
    output += data;
    announce?.();
  });
  child.stderr!.on('data', (data) => void (output += data));
  (child.stdio[3] as Readable).on('data', (data) => {
    control += data;
    announce?.();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${command} did not report a port within ${options.timeoutMs ?? 30000} ms:\n${output}`));
    }, options.timeoutMs ?? 30000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before listening:\n${output}`));
    });
    announce = () => {
      const match = /"port":(\d+)/.exec(control) ?? /listening on http:\/\/[^\s]+:(\d+)\//.exec(output);
      if (!match) return;
      announce = undefined;
      clearTimeout(timer);
      resolve({ port: Number(match[1]), output: () => output, stop });
    };
  });
}

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
