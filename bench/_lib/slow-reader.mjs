// A client that downloads a response no faster than a given rate, so that the server must
// hold back (backpressure) rather than buffer what the client has not read yet.
import { connect } from 'node:net';

/**
 * GETs `url` over a raw socket, reading at most `bytesPerSecond`; resolves to
 * `{ bytes, seconds }` (bytes received, headers included) when the server closes or
 * `expectedBytes` have arrived.
 */
export function slowDownload(url, { bytesPerSecond, expectedBytes }) {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const started = performance.now();
    let bytes = 0;
    let timer;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes, seconds: (performance.now() - started) / 1000 });
    };
    socket.on('error', reject);
    socket.on('close', finish);
    socket.on('data', (data) => {
      bytes += data.length;
      if (bytes >= expectedBytes) return finish();
      const ahead = bytes / bytesPerSecond - (performance.now() - started) / 1000;
      if (ahead > 0) {
        socket.pause();
        timer = setTimeout(() => socket.resume(), ahead * 1000);
      }
    });
    socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
  });
}
