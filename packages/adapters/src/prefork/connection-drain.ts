import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/**
 * How long a stopping worker keeps its keep-alive connections open so that each client's
 * next request is answered, with `Connection: close`, instead of racing a close. Under load
 * every connection carries a request well within this; a connection idle for longer is
 * closed as any idle keep-alive connection would be.
 */
export const LINGER_MS = 1000;

/**
 * The polite end of an HTTP/1.1 worker's connections during a rolling reload or a graceful
 * stop. Closing idle keep-alive connections at once loses the requests clients are sending
 * on them at that moment (they see a reset); instead the worker stops accepting, answers
 * every request still arriving on an open connection with `Connection: close`, and hands
 * over to the host's graceful `close()` once the clients have left or LINGER_MS passed.
 */
export class ConnectionDrain {
  private readonly sockets = new Set<Socket>();
  private readonly responses = new Set<ServerResponse>();
  private draining = false;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      if (this.draining) res.shouldKeepAlive = false;
      this.responses.add(res);
      res.once('close', () => this.responses.delete(res));
    });
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  /** Stops accepting and waits for the clients to leave, for at most `lingerMs`. */
  async drain(lingerMs: number): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    // Responses whose headers are not out yet will say `Connection: close` too.
    for (const res of this.responses) if (!res.headersSent) res.shouldKeepAlive = false;
    // net.Server's close stops accepting; http.Server's would also drop idle keep-alive
    // connections at once, which is what this class exists to avoid.
    NetServer.prototype.close.call(this.server);
    const deadline = Date.now() + lingerMs;
    while (this.sockets.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
