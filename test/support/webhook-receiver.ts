/**
 * A real HTTP receiver of webhooks that verifies every signature with the standardwebhooks library
 * (the way a merchant's system would) and records each request, verified or not.
 */
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  readonly path: string;
  readonly webhookId: string;
  readonly timestamp: string;
  readonly body: string;
  readonly payload: {
    id: string;
    type: string;
    position: string;
    occurredAt: string;
    data: Record<string, unknown>;
  };
  /** Null when the signature verified; the library's error otherwise. */
  readonly verificationError: string | null;
  readonly answered: number;
}

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** The secret of each endpoint, by the path its URL uses. */
  readonly secrets = new Map<string, string>();
  /** Decides the status code of each request (default 200). */
  answer: (request: { path: string; webhookId: string; attempt: number }) => number = () => 200;
  /** While > 0, each request is held without an answer (the sender waits) and the count goes down. */
  holdNext = 0;
  held = 0;
  private server: Server | null = null;
  port = 0;

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      // A sender that dies (the crash tests SIGKILL it) resets its connections: not an error here.
      req.on('error', () => undefined);
      res.on('error', () => undefined);
      void this.handle(req).then(
        (status) => {
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(status < 300 ? 'ok' : 'not now');
        },
        () => res.destroy(), // the sender went away before its body arrived
      );
    });
    server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private async handle(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const headers = {
      'webhook-id': String(req.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
    };
    let verificationError: string | null = null;
    const secret = this.secrets.get(path);
    try {
      if (!secret) throw new Error(`no secret for ${path}`);
      new Webhook(secret).verify(body, headers);
    } catch (error) {
      verificationError = error instanceof Error ? error.message : String(error);
    }
    if (this.holdNext > 0) {
      this.holdNext--;
      this.held++;
      return new Promise<number>(() => undefined); // never answered
    }
    const attempt = this.received.filter((r) => r.webhookId === headers['webhook-id']).length + 1;
    const answered = this.answer({ path, webhookId: headers['webhook-id'], attempt });
    this.received.push({
      path,
      webhookId: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      body,
      payload: JSON.parse(body) as ReceivedWebhook['payload'],
      verificationError,
      answered,
    });
    return answered;
  }

  on(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Polls until `check` holds (or fails the test after `timeoutMs`, with what it last saw). */
export async function eventually<T>(
  read: () => T | Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2000)}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}
