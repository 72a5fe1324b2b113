/** Test support: a `tsgi serve` master run as a child process, with bounded waits. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface TsgiProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything the master and its workers wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the match once the output matches `pattern` (counting from `from`). */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  /** Resolves when `count` matches of a global `pattern` are in the output. */
  waitForCount(pattern: RegExp, count: number, timeoutMs?: number): Promise<void>;
  /** The exit status (or signal name) once the master exited. */
  exited(timeoutMs?: number): Promise<number | string>;
  /** Worker pids the master reported starting (needs --log-level debug). */
  workerPids(): number[];
  signal(signal: NodeJS.Signals): void;
  /** Kills the master and every worker it reported, by pid. */
  kill(): void;
}

const WORKER_STARTED = /started worker (\d+)/g;

export function startTsgi(bin: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; extraFds?: number[] } = {}): TsgiProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    // Descriptors from 3 on are inherited as they are (fd://3 binds).
    stdio: ['ignore', 'pipe', 'pipe', ...(options.extraFds ?? [])],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let exitValue: number | string | undefined;
  const exit = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      exitValue = code ?? signal ?? -1;
      for (const listener of listeners) listener();
      resolve(exitValue);
    }),
  );

  function until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value !== undefined) {
          done();
          resolve(value);
        } else if (exitValue !== undefined) {
          done();
          reject(new Error(`tsgi exited (${exitValue}) before ${what}; output:\n${text}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; output:\n${text}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(attempt);
      };
      listeners.add(attempt);
      attempt();
    });
  }

  return {
    child,
    pid: child.pid!,
    output: () => text,
    waitFor: (pattern, timeoutMs = 20_000, from = 0) => until(() => text.slice(from).match(pattern) ?? undefined, timeoutMs, String(pattern)),
    waitForCount: (pattern, count, timeoutMs = 20_000) =>
      until(() => ((text.match(pattern)?.length ?? 0) >= count ? true : undefined), timeoutMs, `${count} × ${pattern}`).then(() => undefined),
    exited: (timeoutMs = 20_000) =>
      Promise.race([
        exit,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`tsgi did not exit within ${timeoutMs} ms; output:\n${text}`)), timeoutMs).unref()),
      ]),
    workerPids: () => [...text.matchAll(WORKER_STARTED)].map((m) => Number(m[1])),
    signal: (signal) => {
      if (exitValue === undefined) child.kill(signal);
    },
    kill() {
      if (exitValue === undefined) child.kill('SIGKILL');
      for (const pid of [...text.matchAll(WORKER_STARTED)].map((m) => Number(m[1]))) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    },
  };
}
