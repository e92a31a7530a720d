/**
 * Messages to people (R-AUTHN-3, R-AUTHN-4): an enrollment or recovery link goes to the invited address and nowhere else,
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
  /** R-AUTHN-4: a lost-device recovery link, to the member's own address only, once two people agreed. */
  sendRecoveryLink(input: { to: string; link: string; expiresAt: Date }, now: Date): Promise<void>;
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
    async sendRecoveryLink(input, now) {
      await transport.send({
        to: input.to,
        subject: 'Your Ward account recovery link',
        text:
          'Two administrators of your organisation approved the recovery of your Ward account.\n\n' +
          `Open this link on your new device, and create a passkey when asked:\n${input.link}\n\n` +
          `The link works once and expires ${input.expiresAt.toISOString()}. Your previous passkeys stop working when you use it, ` +
          'and your account stays restricted until an administrator lifts the restriction. If you did not ask for this, tell your administrator at once.\n',
        sentAt: now,
      });
    },
  };
}
