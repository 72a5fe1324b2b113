// Starts a server in a child process (so the load generator and the server do not share an
// event loop) and stops it by pid. The child prints one JSON line `{"url": ...}` once it
// listens.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Starts `node script ...args`; resolves to `{ url, pid, stop() }` once it listens. */
export function startChildServer(script, args = [], { timeoutMs = 20_000, nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} ${args.join(' ')} exited with ${code} before listening`));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const { url } = JSON.parse(line);
      resolve({
        url,
        pid: child.pid,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
