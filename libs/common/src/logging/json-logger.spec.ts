import { CorrelationContext } from './correlation-context';
import { JsonLogger } from './json-logger';

describe('JsonLogger', () => {
  let lines: string[];

  beforeEach(() => {
    lines = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
  });

  afterEach(() => jest.restoreAllMocks());

  const entries = () => lines.map((line) => JSON.parse(line));

  it('writes one JSON line with severity, message, timestamp, service and context', () => {
    new JsonLogger({ service: 'events' }).log('Listening', 'Bootstrap');
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(lines[0].trimEnd()).not.toContain('\n');
    const [entry] = entries();
    expect(entry).toEqual({
      severity: 'INFO',
      message: 'Listening',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'events',
      context: 'Bootstrap',
    });
    expect(entry).not.toHaveProperty('correlationId');
  });

  it('adds the current correlation id', () => {
    CorrelationContext.run('req-7', () => new JsonLogger({ service: 'events' }).warn('slow'));
    expect(entries()[0]).toMatchObject({ severity: 'WARNING', correlationId: 'req-7' });
  });

  it('spreads an object message into fields without letting it forge reserved ones', () => {
    new JsonLogger({ service: 'events' }).log({ message: 'registered', eventId: 'e1', service: 'forged' });
    expect(entries()[0]).toMatchObject({ message: 'registered', eventId: 'e1', service: 'events' });
  });

  it('maps Nest levels to Cloud Logging severities', () => {
    const logger = new JsonLogger({ service: 's', level: 'debug' });
    logger.debug('a');
    logger.verbose('b');
    logger.log('c');
    logger.warn('d');
    logger.error('e');
    logger.fatal('f');
    expect(entries().map((entry) => entry.severity)).toEqual([
      'DEBUG',
      'DEBUG',
      'INFO',
      'WARNING',
      'ERROR',
      'CRITICAL',
    ]);
  });

  it('filters below the configured level', () => {
    const logger = new JsonLogger({ service: 's', level: 'warn' });
    logger.debug('no');
    logger.log('no');
    logger.warn('yes');
    logger.fatal('yes');
    expect(entries().map((entry) => entry.message)).toEqual(['yes', 'yes']);
  });

  it('takes Nest’s error(message, stack, context) form', () => {
    const stack = new Error('boom').stack!;
    new JsonLogger({ service: 's' }).error('Request failed', stack, 'ExceptionsHandler');
    expect(entries()[0]).toMatchObject({
      severity: 'ERROR',
      message: 'Request failed',
      stack,
      context: 'ExceptionsHandler',
    });
  });

  it('serializes Error objects with name, message and stack', () => {
    new JsonLogger({ service: 's' }).error(new TypeError('bad input'));
    expect(entries()[0]).toMatchObject({
      message: 'bad input',
      error: { name: 'TypeError', message: 'bad input', stack: expect.stringContaining('TypeError: bad input') },
    });
  });

  it('never throws on circular objects or bigints', () => {
    const circular: Record<string, unknown> = { name: 'loop', shared: { n: 1n } };
    circular.self = circular;
    expect(() => new JsonLogger({ service: 's' }).log({ message: 'odd', circular })).not.toThrow();
    expect(entries()[0]).toMatchObject({
      message: 'odd',
      circular: { name: 'loop', self: '[Circular]', shared: { n: '1' } },
    });
  });
});
