import { retryDelay } from './retry-policy';
import { classifySmtpFailure } from './smtp-failure';

/** Errors shaped as nodemailer raises them (code, responseCode, response, command). */
function smtpError(
  fields: { code?: string; responseCode?: number; response?: string; command?: string },
  message = 'x',
) {
  return Object.assign(new Error(message), fields);
}

describe('classifySmtpFailure', () => {
  it.each([
    [
      'mailbox unknown',
      smtpError({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 No such user', command: 'RCPT TO' }),
    ],
    ['address refused', smtpError({ code: 'EENVELOPE', responseCode: 553, response: '553 5.1.3 Bad address' })],
    ['message refused', smtpError({ code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 Rejected' })],
    ['no valid recipient, before any reply', smtpError({ code: 'EENVELOPE' }, 'No recipients defined')],
  ])('gives up at once on a permanent failure: %s', (_, error) => {
    expect(classifySmtpFailure(error).permanent).toBe(true);
  });

  it.each([
    ['greylisting', smtpError({ code: 'EENVELOPE', responseCode: 451, response: '451 4.7.1 Try again later' })],
    ['mailbox busy', smtpError({ code: 'EENVELOPE', responseCode: 450, response: '450 Mailbox busy' })],
    ['server not up', smtpError({ code: 'ESOCKET' }, 'connect ECONNREFUSED 127.0.0.1:2525')],
    ['connection failed', smtpError({ code: 'ECONNECTION' }, 'Connection closed unexpectedly')],
    ['timeout', smtpError({ code: 'ETIMEDOUT' }, 'Greeting never received')],
    ['DNS', smtpError({ code: 'EDNS' }, 'getaddrinfo ENOTFOUND smtp.example')],
    ['our credentials (535)', smtpError({ code: 'EAUTH', responseCode: 535, response: '535 Authentication failed' })],
    ['authentication required (530)', smtpError({ responseCode: 530, response: '530 Authentication required' })],
    ['something unknown', new Error('boom')],
    ['not even an Error', 'boom'],
  ])('retries a transient failure: %s', (_, error) => {
    expect(classifySmtpFailure(error).permanent).toBe(false);
  });

  it('keeps the server’s reply, and the command it answered, as the reason', () => {
    const failure = classifySmtpFailure(
      smtpError({
        code: 'EENVELOPE',
        responseCode: 550,
        response: '550 5.1.1 <bob@example.com>: no such user',
        command: 'RCPT TO',
      }),
    );
    expect(failure.reason).toBe('EENVELOPE RCPT TO: 550 5.1.1 <bob@example.com>: no such user');
  });

  it('keeps the reason to one bounded line', () => {
    const failure = classifySmtpFailure(new Error(`line one\nline two ${'x'.repeat(1000)}`));
    expect(failure.reason).not.toContain('\n');
    expect(failure.reason.length).toBeLessThanOrEqual(501);
  });
});

describe('retryDelay', () => {
  const policy = { baseMs: 1000, maxDelayMs: 60_000 };

  it('doubles per attempt, between half and all of the step', () => {
    expect(retryDelay(1, policy, () => 0)).toBe(500);
    expect(retryDelay(1, policy, () => 1)).toBe(1000);
    expect(retryDelay(2, policy, () => 0)).toBe(1000);
    expect(retryDelay(3, policy, () => 1)).toBe(4000);
  });

  it('spreads retries of emails that failed together', () => {
    const delays = new Set([0.1, 0.5, 0.9].map((r) => retryDelay(4, policy, () => r)));
    expect(delays.size).toBe(3);
  });

  it('never exceeds the maximum, however many attempts', () => {
    expect(retryDelay(10, policy, () => 1)).toBe(60_000);
    expect(retryDelay(10_000, policy, () => 1)).toBe(60_000);
    expect(retryDelay(10_000, policy, () => 0)).toBe(30_000);
  });
});
