import type { ErrorStream } from '@tsgi/interface';

/**
 * `tsgi.errors` on a fetch runtime: `console.error`, the one log sink every runtime has
 * (Workers' `wrangler tail`, Deno Deploy and Vercel logs read it). One record per write,
 * without the trailing newline that console.error adds again.
 */
export const consoleErrorStream: ErrorStream = Object.freeze({
  write(text: string): void {
    console.error(text.endsWith('\n') ? text.slice(0, -1) : text);
  },
  flush(): void {},
});
