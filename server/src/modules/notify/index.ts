/**
 * Messages to people (R-AUTHN-3): an enrollment link goes to the invited address and nowhere else,
 * never back to the inviter in an API response, never to a log. SMTP when WARD_SMTP_URL is set;
 * otherwise a file outbox under the data directory (mode 0600) that the operator, the demo and the
 * tests read.
 */
import { createFileOutbox } from './outbox.ts';
import { createSmtpTransport } from './smtp.ts';
import type { Message, Transport } from './types.ts';

export type { Message, Transport } from './types.ts';
export { createFileOutbox } from './outbox.ts';

export interface Notifier {
  sendEnrollmentLink(input: { to: string; link: string; expiresAt: Date }, now: Date): Promise<void>;
}

export function createNotifier(opts: { smtpUrl: string | null; outboxDir: string; from: string; transport?: Transport }): Notifier {
  const transport = opts.transport ?? (opts.smtpUrl ? createSmtpTransport(opts.smtpUrl, opts.from) : createFileOutbox(opts.outboxDir));
  return {
    async sendEnrollmentLink(input, now) {
      const message: Message = {
        to: input.to,
        subject: 'Your Ward enrollment link',
        text:
          'You were invited to Ward.\n\n' +
          `Open this link on the device you will use, and create a passkey when asked:\n${input.link}\n\n` +
          `The link works once and expires ${input.expiresAt.toISOString()}. If you did not expect it, ignore this message.\n`,
        sentAt: now,
      };
      await transport.send(message);
    },
  };
}
