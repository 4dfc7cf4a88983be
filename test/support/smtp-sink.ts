/** A real SMTP server (smtp-server) inside the test: it accepts every message and keeps it parsed. */
import { type ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly to: string[];
  readonly from: string;
  readonly subject: string;
  readonly text: string;
  readonly notificationId: string | null;
  readonly parsed: ParsedMail;
}

export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** While > 0, each message is refused with a temporary error (and the count goes down). */
  refuseNext = 0;
  /** While > 0, each message is held without an answer (the sender waits) and the count goes down. */
  holdNext = 0;
  held = 0;
  private server: SMTPServer | null = null;
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 500,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (this.holdNext > 0) {
            this.holdNext--;
            this.held++;
            return; // never answered: the sender is stuck in the middle of sending
          }
          if (this.refuseNext > 0) {
            this.refuseNext--;
            const error = Object.assign(new Error('try again later'), { responseCode: 451 });
            return callback(error);
          }
          simpleParser(Buffer.concat(chunks)).then(
            (parsed) => {
              this.messages.push({
                to: session.envelope.rcptTo.map((r) => r.address),
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                notificationId: (parsed.headers.get('x-notification-id') as string | undefined) ?? null,
                parsed,
              });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    // A sender that dies (the crash tests SIGKILL it) resets its connections: not an error of the sink.
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    // close() waits for open connections; held ones are cut after its grace period.
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
