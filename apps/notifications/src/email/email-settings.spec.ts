import { ConfigError, loadConfig } from '@convene/common';
import { NotificationsConfig } from '../notifications.config';
import { emailSettingsFrom, parseMailbox } from './email-settings';
import { messageIdOf } from './email-record';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(NotificationsConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('email settings from the environment', () => {
  it('defaults to the local mail catcher, without authentication', () => {
    const settings = emailSettingsFrom(loadConfig(NotificationsConfig, {}));
    expect(settings.smtp).toEqual({ host: '127.0.0.1', port: 1025, secure: false });
    expect(settings.composer).toEqual({
      webBaseUrl: 'http://localhost:5173',
      from: { name: 'Convene', address: 'no-reply@convene.test' },
    });
    expect(settings.sender.retry).toEqual({ baseMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 10 });
  });

  it('reads a real server’s settings', () => {
    const settings = emailSettingsFrom(
      loadConfig(NotificationsConfig, {
        SMTP_HOST: 'smtp.example.com',
        SMTP_PORT: '465',
        SMTP_SECURE: 'true',
        SMTP_USER: 'mailer',
        SMTP_PASSWORD: 's3cret',
        MAIL_FROM: '"Convene Events" <events@convene.example>',
        WEB_BASE_URL: 'https://convene.example/',
        EMAIL_MAX_ATTEMPTS: '3',
      }),
    );
    expect(settings.smtp).toEqual({
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      auth: { user: 'mailer', password: 's3cret' },
    });
    expect(settings.composer.from).toEqual({ name: 'Convene Events', address: 'events@convene.example' });
    expect(settings.composer.webBaseUrl).toBe('https://convene.example');
    expect(settings.sender.retry.maxAttempts).toBe(3);
  });

  it('stops the boot naming each bad variable, and never prints the password', () => {
    const error = configError({
      SMTP_PORT: '0',
      SMTP_SECURE: 'yes',
      MAIL_FROM: 'not an address',
      WEB_BASE_URL: 'ftp://x',
      SMTP_PASSWORD: 'hunter2',
      EMAIL_MAX_ATTEMPTS: '0',
    });
    expect(error.variables).toEqual(
      expect.arrayContaining(['SMTP_PORT', 'SMTP_SECURE', 'MAIL_FROM', 'WEB_BASE_URL', 'EMAIL_MAX_ATTEMPTS']),
    );
    expect(error.message).not.toContain('hunter2');
  });

  it('wants a password with a user', () => {
    const error = configError({ SMTP_USER: 'mailer' });
    expect(error.variables).toEqual(['SMTP_PASSWORD']);
    expect(error.message).toContain('SMTP_PASSWORD');
  });
});

describe('parseMailbox and messageIdOf', () => {
  it('reads a bare address and a named one', () => {
    expect(parseMailbox('a@b.example')).toEqual({ name: 'Convene', address: 'a@b.example' });
    expect(parseMailbox('Team <a@b.example>')).toEqual({ name: 'Team', address: 'a@b.example' });
    expect(() => parseMailbox('nobody')).toThrow(TypeError);
  });

  it('derives the same Message-ID from the same record id, valid whatever the id holds', () => {
    const id = '3f2a9c1e-0b7d-8e4f-9a6b-1c2d3e4f5a6b';
    expect(messageIdOf(id, 'convene.test')).toBe(`<${id}@convene.test>`);
    expect(messageIdOf('a b:c', 'convene.test')).toBe(messageIdOf('a b:c', 'convene.test'));
    expect(messageIdOf('a b:c', 'convene.test')).toMatch(/^<[0-9a-f]+@convene\.test>$/);
  });
});
