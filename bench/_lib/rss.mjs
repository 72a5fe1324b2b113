// Resident set size of a process, from /proc (Linux).
import { readFileSync } from 'node:fs';

/** Current RSS of `pid` in bytes, or NaN where /proc is not available. */
export function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
  } catch {
    return NaN;
  }
}

/** Samples the RSS of `pid` every `everyMs` until `stop()`; `stop()` returns the highest seen. */
export function sampleRss(pid, everyMs = 20) {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    const rss = rssOf(pid);
    if (rss > peak) peak = rss;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const rss = rssOf(pid);
      return rss > peak ? rss : peak;
    },
  };
}
