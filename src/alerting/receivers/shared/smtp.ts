/**
 * SMTP stage: one nodemailer transport per email receiver, created on first use and closed by
 * {@link SmtpStage.close}. Classifies SMTP replies: 5xx permanent, 4xx and connection errors
 * transient. The SMTP host is checked by the URL guard's rules for literal addresses and
 * `localhost` (no DNS check: nodemailer resolves it itself).
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { checkUrl, SsrfError } from '../../../security/ssrf.js';
import type { EmailReceiverConfig } from '../config.js';
import type { MailMessage } from '../types.js';
import { type AttemptOutcome, failure, SUCCESS } from './outcome.js';

/** Sends mails through the SMTP servers of email receivers. */
export class SmtpStage {
  private readonly transports = new Map<string, Transporter>();

  constructor(private readonly options: { readonly timeoutMs: number; readonly allowPrivate: boolean }) {}

  private transport(config: EmailReceiverConfig): Transporter {
    let t = this.transports.get(config.name);
    if (!t) {
      t = nodemailer.createTransport({
        host: config.smtp.host,
        port: config.smtp.port,
        secure: config.smtp.secure,
        requireTLS: config.smtp.requireTLS,
        ...(config.smtp.auth ? { auth: { user: config.smtp.auth.user, pass: config.smtp.auth.pass } } : {}),
        connectionTimeout: this.options.timeoutMs,
        greetingTimeout: this.options.timeoutMs,
        socketTimeout: this.options.timeoutMs,
      });
      this.transports.set(config.name, t);
    }
    return t;
  }

  /** Sends one mail; never throws. */
  async send(config: EmailReceiverConfig, mail: MailMessage): Promise<AttemptOutcome> {
    try {
      const host = config.smtp.host.includes(':') ? `[${config.smtp.host}]` : config.smtp.host;
      checkUrl(`http://${host}/`, { allowPrivate: this.options.allowPrivate });
      await this.transport(config).sendMail({
        from: mail.from,
        to: [...mail.to],
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
      return SUCCESS;
    } catch (err) {
      if (err instanceof SsrfError) return failure(`${err.name}: ${err.message}`, true);
      const code = (err as { responseCode?: unknown }).responseCode;
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return failure(message, typeof code === 'number' && code >= 500 && code < 600);
    }
  }

  /** Closes every SMTP connection. */
  close(): void {
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
  }
}
