import net from 'node:net';
import { HttpDriver } from '../../drivers/http-driver.js';
import { delay, eventually } from '../../probes/deferred.js';
import type { ServerCheck } from './check.js';

/** Whether a fresh connection still gets an answer (after close() it must not). */
async function stillServes(driver: HttpDriver, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(driver.address);
    let data = '';
    const done = (served: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(served);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('error', () => done(false));
    socket.on('close', () => done(/^HTTP\/1\.[01] [1-5]\d\d/.test(data) && !data.startsWith('HTTP/1.1 503')));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
    });
    socket.on('connect', () => socket.write(`GET /after-close HTTP/1.1\r\nHost: ${driver.address.host}:${driver.address.port}\r\nConnection: close\r\n\r\n`));
  });
}

/**
 * Graceful shutdown, through the factory's close(): no new requests, requests in progress
 * run to their end, work passed to tsgi.wait_until settles first. It closes the host, so it
 * runs last.
 */
export const shutdownCheck: ServerCheck = {
  name: 'graceful shutdown',
  clauses: ['HOST-30', 'HOST-32'],
  drivers: ['http'],
  async run(ctx) {
    const driver = ctx.driver as HttpDriver;
    if (!ctx.closeHost) {
      ctx.skip(['HOST-30', 'HOST-32'], 'not-checked', 'the host under test has no close()');
      return;
    }
    const slow = ctx.newCase('slow');
    const inProgress = driver.open(ctx.request(slow));
    await inProgress.head(ctx.timeoutMs);
    await inProgress.nextChunk(ctx.timeoutMs);
    const work = ctx.newCase('late-work');
    await ctx.send(work);
    let closed = false;
    const closing = ctx.closeHost().then(() => {
      closed = true;
    });
    closing.catch(() => {});
    await delay(100);
    ctx.expect(!(await stillServes(driver, 500)), 'HOST-30', 'a new request after close()', 'must not be served: a graceful shutdown stops accepting');
    ctx.expect(!closed, 'HOST-30', 'close()', 'must wait for the requests in progress');
    slow.open('finish');
    const finished = await inProgress.readAll(ctx.timeoutMs).catch((error: unknown) => error);
    const body = finished instanceof Error ? finished.message : new TextDecoder().decode((finished as { body: Uint8Array }).body);
    ctx.expect(!(finished instanceof Error) && (finished as { complete: boolean }).complete && body === 'done', 'HOST-30', 'a request in progress at close()', 'must run to its end', body);
    await delay(100);
    ctx.expect(!closed || work.notes.workDone === true, 'HOST-32', 'close()', 'must wait for the promises passed to tsgi.wait_until', 'resolved with the work pending');
    work.open('work');
    const done = await eventually(() => closed, ctx.timeoutMs);
    ctx.expect(done, 'HOST-30', 'close()', `must resolve once the requests in progress and the pending work are done (still pending after ${ctx.timeoutMs} ms)`);
  },
};

/** Forwarding headers from an untrusted peer change nothing, and stay visible (HOST-33, HOST-35). */
export const forwardingCheck: ServerCheck = {
  name: 'forwarding headers from an untrusted peer',
  clauses: ['HOST-33', 'HOST-35'],
  drivers: ['http', 'memory'],
  async run(ctx) {
    const c = ctx.newCase('record');
    await ctx.send(c, {
      headers: [
        ['X-Forwarded-For', '203.0.113.9'],
        ['X-Forwarded-Proto', 'https'],
        ['X-Forwarded-Host', 'forged.example'],
        ['X-Forwarded-Port', '8443'],
        ['Forwarded', 'for=203.0.113.9;proto=https;host=forged.example'],
      ],
    });
    const cgi = c.environ?.cgi;
    if (!cgi) {
      ctx.skip(['HOST-33', 'HOST-35'], 'not-checked', 'the probe app was not called');
      return;
    }
    ctx.expect(cgi.REMOTE_ADDR !== '203.0.113.9', 'HOST-33', 'environ.REMOTE_ADDR', 'must not come from X-Forwarded-For or Forwarded sent by an untrusted peer', cgi.REMOTE_ADDR);
    ctx.expect(c.environ?.scheme !== 'https', 'HOST-33', "environ['tsgi.url_scheme']", 'must not come from X-Forwarded-Proto sent by an untrusted peer', c.environ?.scheme);
    ctx.expect(cgi.SERVER_NAME !== 'forged.example' && cgi.SERVER_PORT !== '8443', 'HOST-33', 'environ.SERVER_NAME and SERVER_PORT', 'must not come from forwarding headers sent by an untrusted peer', `${String(cgi.SERVER_NAME)}:${String(cgi.SERVER_PORT)}`);
    ctx.expect(cgi.HTTP_X_FORWARDED_FOR === '203.0.113.9' && cgi.HTTP_FORWARDED === 'for=203.0.113.9;proto=https;host=forged.example', 'HOST-35', 'HTTP_X_FORWARDED_FOR and HTTP_FORWARDED', 'must keep the forwarding headers', `${String(cgi.HTTP_X_FORWARDED_FOR)} | ${String(cgi.HTTP_FORWARDED)}`);
  },
};
