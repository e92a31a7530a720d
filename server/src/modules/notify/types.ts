/** One outgoing message. Never PHI: enrollment links and notices only (R-DATA-4). */
export interface Message {
  to: string;
  subject: string;
  text: string;
  sentAt: Date;
}

/** Where messages go: SMTP, or the file outbox. A failure throws, and the caller's transaction rolls back. */
export interface Transport {
  send(message: Message): Promise<void>;
}
