import nodemailer from 'nodemailer';
import type { Transport } from './types.ts';

/** SMTP through nodemailer (WARD_SMTP_URL, e.g. smtps://user:pass@mail.example.org:465). */
export function createSmtpTransport(url: string, from: string): Transport {
  const transporter = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transporter.sendMail({ from, to: message.to, subject: message.subject, text: message.text, date: message.sentAt });
    },
  };
}
