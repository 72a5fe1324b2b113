import type { HeaderList, StartResponse, Status, Write } from '@tsgi/interface';
import type { RequestMonitor } from './request-monitor.js';
import { checkHeaderList, checkStatus } from './response-checks.js';
import { lintWrite } from './write-proxy.js';

/**
 * The startResponse the wrapped app receives: checks what the app passes (SR-1 ..
 * SR-8, SR-9), forwards the call unchanged, and checks the host's answer against
 * what the spec says it must do at that point of the exchange (SR-10,
 * SR-11, SR-12, SR-13).
 */
export function lintStartResponse(startResponse: StartResponse, monitor: RequestMonitor): StartResponse {
  const fail = monitor.fail;
  let writeProxy: Write | undefined;
  return function startResponseProxy(status: Status, headers: HeaderList, excInfo?: unknown): Write {
    const withExc = excInfo !== undefined;
    const repeated = monitor.started;
    if (repeated && !withExc) {
      fail('app', 'SR-9', 'startResponse', 'must not be called a second time without excInfo', status);
    }
    const statusOk = checkStatus(status, fail);
    const { valid: headersOk, declaredLength } = checkHeaderList(headers, status, fail);
    const ended = monitor.bodyEnded || monitor.releasing;
    const committed = monitor.committed;
    let write: Write;
    try {
      write = startResponse(status, headers, excInfo);
    } catch (error) {
      if (ended) {
        if (!(error instanceof Error)) fail('host', 'SR-13', 'startResponse after the body ended or was released', 'must throw an Error', error);
      } else if (withExc && committed && error !== excInfo) {
        fail('host', 'SR-12', 'startResponse with excInfo after the commit', 'must throw excInfo itself, not a wrapper', error);
      } else if (withExc && !committed && !ended && statusOk && headersOk) {
        fail('host', 'SR-11', 'startResponse with excInfo before the commit', 'must replace the status and headers, not throw', error);
      }
      throw error;
    }
    if (ended) {
      fail('host', 'SR-13', 'startResponse after the body ended or was released', 'must throw an Error', status);
    } else if (repeated && !withExc) {
      fail('host', 'SR-10', 'a second startResponse without excInfo', 'must throw an Error', status);
    } else if (withExc && committed) {
      fail('host', 'SR-12', 'startResponse with excInfo after the commit', 'must throw excInfo', excInfo);
    }
    if (!repeated || withExc) {
      monitor.started = true;
      monitor.status = typeof status === 'string' ? status : undefined;
      monitor.declaredLength = declaredLength;
    }
    if (typeof write !== 'function') {
      fail('host', 'SR-18', 'the value startResponse returns', 'must be the write function', write);
      return write;
    }
    writeProxy ??= lintWrite(write, monitor);
    return writeProxy;
  };
}
