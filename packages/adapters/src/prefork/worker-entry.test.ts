import { describe, expect, it } from 'vitest';
import { workerExecArgv } from './worker-entry.js';

describe('workerExecArgv', () => {
  it("keeps the master's runtime flags", () => {
    expect(workerExecArgv(['--max-old-space-size=512', '--enable-source-maps', '--import', 'tsx'])).toEqual(['--max-old-space-size=512', '--enable-source-maps', '--import', 'tsx']);
  });

  it('drops what would make a worker run something else: -e/-p scripts (a fork loop), --test, --watch, the inspector', () => {
    expect(workerExecArgv(['-e', 'startMaster()', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
    expect(workerExecArgv(['--eval=startMaster()', '-p', '1', '-pe', '2', '--print=3'])).toEqual([]);
    expect(workerExecArgv(['--test', '--watch', '--watch-path=src', '-i', '--check'])).toEqual([]);
    expect(workerExecArgv(['--inspect', '--inspect-brk=9229', '--inspect-port=1', '--stack-size=2000'])).toEqual(['--stack-size=2000']);
  });
});
