/**
 * One set of checks that the flagship must pass on every host. Each host's test supplies
 * `send`, which puts a request through that host the way a client would and returns what
 * the client got: status code, header lines (duplicates kept) and body bytes as sent.
 */
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';

export interface HostRequest {
  method?: string;
  /** Path and query, percent-encoded as on the wire. */
  target: string;
  headers?: Array<[string, string]>;
  body?: Uint8Array;
  /** Send the body without Content-Length (chunked on HTTP/1.1, a stream on fetch). */
  chunked?: boolean;
}

export interface HostResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array;
}

export type Send = (request: HostRequest) => Promise<HostResponse>;

export const header = (response: HostResponse, name: string): string | undefined =>
  response.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

const text = (response: HostResponse) => new TextDecoder().decode(response.body);
const json = (response: HostResponse) => JSON.parse(text(response)) as Record<string, unknown>;
const utf8 = (value: string) => new TextEncoder().encode(value);

/** Runs every check in turn; the flagship's store must be fresh (no likes yet). */
export async function checkFlagship(send: Send): Promise<void> {
  const add = await send({ target: '/add?a=5&b=6' });
  expect(add.status).toBe(200);
  expect(text(add)).toBe('{"status":"OK","sum":11}');
  expect(header(add, 'content-type')).toBe('application/json');

  const page = await send({ target: '/news?page=2&per_page=5' });
  expect((json(page).items as Array<{ id: number }>).map((story) => story.id)).toEqual([20, 19, 18, 17, 16]);
  expect(header(page, 'link')).toMatch(/\/news\?page=3&per_page=5>; rel="next", <.*\/news\?page=1&per_page=5>; rel="prev"$/);

  expect(json(await send({ target: '/news/7' })).story).toMatchObject({ id: 7, likes: 0 });

  const formBody = utf8('id=3');
  const liked = await send({ method: 'POST', target: '/like', headers: [['content-type', 'application/x-www-form-urlencoded']], body: formBody });
  expect(json(liked).story).toMatchObject({ id: 3, likes: 1 });
  const jsonLike = await send({ method: 'POST', target: '/like', headers: [['content-type', 'application/json']], body: utf8('{"id":3}') });
  expect(json(jsonLike).story).toMatchObject({ id: 3, likes: 2 });

  expect((await send({ target: '/nowhere' })).status).toBe(404);
  const notAllowed = await send({ method: 'DELETE', target: '/news' });
  expect(notAllowed.status).toBe(405);
  expect(header(notAllowed, 'allow')).toBe('GET, HEAD');

  const big = await send({ target: '/news?per_page=50', headers: [['accept-encoding', 'gzip']] });
  expect(header(big, 'content-encoding')).toBe('gzip');
  expect(header(big, 'vary')).toBe('Accept-Encoding');
  expect(JSON.parse(gunzipSync(big.body).toString()).total).toBe(25);

  const etag = header(add, 'etag');
  expect(etag).toMatch(/^W\/"/);
  const cached = await send({ target: '/add?a=5&b=6', headers: [['if-none-match', etag!]] });
  expect(cached.status).toBe(304);
  expect(cached.body.length).toBe(0);

  const preflight = await send({ method: 'OPTIONS', target: '/like', headers: [['origin', 'https://web.example'], ['access-control-request-method', 'POST']] });
  expect(preflight.status).toBe(204);
  expect(header(preflight, 'access-control-allow-origin')).toBe('*');

  const tooLarge = await send({ method: 'POST', target: '/like', headers: [['content-type', 'application/json']], body: new Uint8Array(70_000).fill(32) });
  expect(tooLarge.status).toBe(413);
}
