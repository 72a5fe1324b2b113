// Handlers that AWS's runtime interface client (aws-lambda-ric) loads in the end-to-end
// test: the same probe app, buffered and streamed, imported from the built package as a
// deployment would import it.
import { readBody, sendJson, sendText } from '@tsgi/interface';
import { toLambdaHandler, toStreamingLambdaHandler } from '@tsgi/adapters/lambda';

const harness = `http://${process.env.AWS_LAMBDA_RUNTIME_API}`;
const mark = (name) => fetch(`${harness}/test/${name}`, { method: 'POST' }).then((r) => r.arrayBuffer());

function environView(environ) {
  const view = {};
  for (const [key, value] of Object.entries(environ)) if (typeof value === 'string') view[key] = value;
  view['lambda.context.awsRequestId'] = environ['lambda.context']?.awsRequestId;
  view['lambda.event.present'] = environ['lambda.event'] !== undefined;
  return view;
}

async function app(environ, startResponse) {
  const path = environ.PATH_INFO;
  if (path === '/cookies') {
    return sendText(startResponse, '201 Created', 'two cookies\n', [
      ['set-cookie', 'a=1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT'],
      ['set-cookie', 'b=2; HttpOnly'],
      ['x-repeated', 'one'],
      ['x-repeated', 'two'],
    ]);
  }
  if (path === '/binary') {
    const bytes = new Uint8Array(256).map((_, i) => i);
    startResponse('200 OK', [['content-type', 'application/octet-stream']]);
    return [bytes];
  }
  if (path === '/empty') {
    startResponse('204 No Content', [['x-empty', 'yes']]);
    return [];
  }
  if (path === '/fail-before') throw new Error('the app failed before its response');
  if (path === '/fail-after') {
    startResponse('200 OK', [['content-type', 'text/plain']]);
    return (async function* () {
      yield new TextEncoder().encode('partial ');
      throw new Error('the app failed mid-body');
    })();
  }
  if (path === '/wait') {
    environ['tsgi.wait_until'](new Promise((resolve) => setTimeout(resolve, 100)).then(() => mark('waited')));
    return sendText(startResponse, '200 OK', 'answered\n');
  }
  if (path === '/stream') {
    const count = Number(new URLSearchParams(environ.QUERY_STRING).get('chunks') ?? '4');
    const size = Number(new URLSearchParams(environ.QUERY_STRING).get('size') ?? '16');
    startResponse('200 OK', [['content-type', 'application/octet-stream']]);
    return (async function* () {
      for (let i = 0; i < count; i++) {
        // Each pull is announced, so the test can see how far ahead of the reader the app got.
        console.log(`pull ${i}`);
        yield new Uint8Array(size).fill(i & 0xff);
      }
    })();
  }
  // Any other path: the environ the host built and the body the app read, for the test to check.
  const body = await readBody(environ);
  return sendJson(startResponse, '200 OK', { environ: environView(environ), body: Buffer.from(body).toString('base64') });
}

export const buffered = toLambdaHandler(app);
export const streaming = toStreamingLambdaHandler(app);
