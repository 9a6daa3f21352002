/** The nodemailer transport for SMTP_URL. */
import nodemailer, { Transporter } from 'nodemailer';

export type Mailer = Transporter;

export function createMailer(smtpUrl: string): Mailer {
  const u = new URL(smtpUrl);
  return nodemailer.createTransport({
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)),
    secure: u.protocol === 'smtps:',
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    // Loopback catchers offer no TLS; a real relay negotiates STARTTLS when it offers it.
    ignoreTLS: ['127.0.0.1', 'localhost', '::1'].includes(u.hostname),
    // Connections kept open and reused: a storm of alarm and notice mails would otherwise pay a connect +
    // greeting + EHLO for every message (bench/alarmLatency.ts measures reading → mail). 20 per process (the
    // worker's and the web app's pools): with 5, a 500-warning storm queued sendMail to p50 282 ms (157 ms with 20).
    pool: true,
    maxConnections: 20,
    maxMessages: 100,
    connectionTimeout: 10000,
    greetingTimeout: 10000,
    socketTimeout: 20000,
  });
}
