/** Test support: small HTTP requests with a hard timeout. */
import http from 'node:http';

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

export function get(url: string, options: { agent?: http.Agent | false; timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: options.agent ?? false, headers: options.headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
      response.on('error', reject);
    });
    request.setTimeout(options.timeoutMs ?? 15_000, () => request.destroy(new Error(`no answer from ${url} in time`)));
    request.on('error', reject);
  });
}

/** The port a `tsgi serve -b 127.0.0.1:0` master reported binding. */
export function urlFromOutput(output: string): string {
  const match = /serving (http:\/\/[^\s,]+)/.exec(output) ?? /sockets? at (127\.0\.0\.1:\d+)/.exec(output);
  if (!match) throw new Error(`no address in output:\n${output}`);
  return match[1]!.startsWith('http') ? match[1]! : `http://${match[1]}`;
}

/**
 * Sends requests in a loop on `concurrency` connections until stopped; counts answers by
 * body and every failure (reset, refused, timeout, non-2xx).
 */
export function steadyLoad(url: string, options: { concurrency?: number; keepAlive?: boolean } = {}) {
  const agent = options.keepAlive ? new http.Agent({ keepAlive: true, maxSockets: options.concurrency ?? 4 }) : false;
  const bodies = new Map<string, number>();
  const failures: string[] = [];
  const timeline: Array<{ sentAt: number; at: number; body: string }> = [];
  let running = true;
  const loops = Array.from({ length: options.concurrency ?? 4 }, async () => {
    while (running) {
      const sentAt = Date.now();
      try {
        const reply = await get(url, { agent });
        if (reply.status !== 200) failures.push(`status ${reply.status}`);
        bodies.set(reply.body, (bodies.get(reply.body) ?? 0) + 1);
        timeline.push({ sentAt, at: Date.now(), body: reply.body });
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  });
  return {
    bodies,
    failures,
    timeline,
    get total() {
      return timeline.length;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      if (agent) agent.destroy();
    },
  };
}
