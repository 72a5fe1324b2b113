import { closeSync, openSync, writeSync } from 'node:fs';
import { LOG_LEVELS } from './options.js';
import type { LogLevel } from './settings.js';

const two = (n: number): string => String(n).padStart(2, '0');

/** `2024-05-01 12:00:00 +0200`, gunicorn's error-log date. */
function logDate(d: Date): string {
  const offset = -d.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${zone}`;
}

/**
 * The error log of the master and of each worker: `[date] [pid] [LEVEL] message` lines, as
 * gunicorn writes them. Files are opened for appending, so the master and its workers can
 * share one, and reopened on SIGUSR1 for log rotation. Writes are synchronous: error lines
 * are rare, and a line written just before a crash must not be lost.
 */
export class ErrorLog {
  private fd: number | undefined;
  private readonly threshold: number;

  constructor(
    readonly destination: string,
    level: LogLevel = 'info',
  ) {
    this.threshold = LOG_LEVELS.indexOf(level);
    this.open();
  }

  private open(): void {
    if (this.destination !== '-') this.fd = openSync(this.destination, 'a');
  }

  /** Closes and reopens the file (after logrotate moved it); no-op for standard error. */
  reopen(): void {
    if (this.destination === '-') return;
    const old = this.fd;
    this.open();
    if (old !== undefined) closeSync(old);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.threshold;
  }

  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    this.write(`[${logDate(new Date())}] [${process.pid}] [${level.toUpperCase()}] ${message}\n`);
  }

  /** Writes text as it is (the app's `tsgi.errors` output). */
  write(text: string): void {
    if (this.fd === undefined) process.stderr.write(text);
    else writeSync(this.fd, text);
  }

  debug(message: string): void {
    this.log('debug', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  warning(message: string): void {
    this.log('warning', message);
  }
  error(message: string): void {
    this.log('error', message);
  }
  critical(message: string): void {
    this.log('critical', message);
  }
}
