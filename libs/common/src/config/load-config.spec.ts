import { IsString, Matches } from 'class-validator';
import { BaseServiceConfig } from './base-service.config';
import { ConfigError } from './config-error';
import { exitOnConfigError } from './exit-on-config-error';
import { loadConfig } from './load-config';

class EventsConfig extends BaseServiceConfig {
  override HTTP_PORT = 3001;

  @IsString()
  @Matches(/^.{32,}$/, { message: '$property must be at least 32 characters' })
  SIGNING_SECRET!: string;
}

class NoDefaultPortConfig extends BaseServiceConfig {}

const secret = 'x'.repeat(32);

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults, converts numbers and ignores unrelated variables', () => {
    const config = loadConfig(EventsConfig, { SIGNING_SECRET: secret, PATH: '/bin', SHUTDOWN_GRACE_MS: '500' });
    expect(config).toBeInstanceOf(EventsConfig);
    expect(config).toMatchObject({
      LOG_LEVEL: 'info',
      GCP_PROJECT_ID: 'convene-local',
      HTTP_HOST: '0.0.0.0',
      HTTP_PORT: 3001,
      SHUTDOWN_GRACE_MS: 500,
    });
    expect(config.FIRESTORE_EMULATOR_HOST).toBeUndefined();
    expect(config).not.toHaveProperty('PATH');
  });

  it('reads overrides', () => {
    const config = loadConfig(EventsConfig, {
      SIGNING_SECRET: secret,
      HTTP_PORT: '8080',
      LOG_LEVEL: 'debug',
      FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080',
      PUBSUB_EMULATOR_HOST: 'localhost:8085',
    });
    expect(config).toMatchObject({ HTTP_PORT: 8080, LOG_LEVEL: 'debug', FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080' });
  });

  it('names every bad and missing variable with the reason, in one error', () => {
    const error = configError(() =>
      loadConfig(NoDefaultPortConfig, {
        LOG_LEVEL: 'chatty',
        GCP_PROJECT_ID: 'Not_A_Project',
        SHUTDOWN_GRACE_MS: '-1',
        FIRESTORE_EMULATOR_HOST: 'localhost',
        PUBSUB_EMULATOR_HOST: 'localhost:99999',
      }),
    );
    expect(error.variables.sort()).toEqual(
      [
        'FIRESTORE_EMULATOR_HOST',
        'GCP_PROJECT_ID',
        'HTTP_PORT',
        'LOG_LEVEL',
        'PUBSUB_EMULATOR_HOST',
        'SHUTDOWN_GRACE_MS',
      ].sort(),
    );
    expect(error.message).toMatch(/^Invalid configuration: /);
    expect(error.message).toContain('HTTP_PORT is required');
    expect(error.message).toContain('LOG_LEVEL must be one of debug, info, warn, error (got "chatty")');
    expect(error.message).toContain('GCP_PROJECT_ID must be a GCP project id (got "Not_A_Project")');
    expect(error.message).toContain('SHUTDOWN_GRACE_MS must be an integer between 0 and 120000 (got "-1")');
    expect(error.message).toContain('FIRESTORE_EMULATOR_HOST must be host:port');
    expect(error.message).toContain('PUBSUB_EMULATOR_HOST must be host:port');
  });

  it('says what is wrong with a port, quoting the raw value', () => {
    const error = configError(() => loadConfig(EventsConfig, { SIGNING_SECRET: secret, HTTP_PORT: 'abc' }));
    expect(error.message).toBe('Invalid configuration: HTTP_PORT must be an integer between 1 and 65535 (got "abc")');
    expect(error.variables).toEqual(['HTTP_PORT']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(EventsConfig, { SIGNING_SECRET: secret, LOG_LEVEL: '' }).LOG_LEVEL).toBe('info');
    expect(configError(() => loadConfig(EventsConfig, { SIGNING_SECRET: '' })).message).toContain(
      'SIGNING_SECRET is required',
    );
  });

  it('never echoes the value of a secret', () => {
    const error = configError(() => loadConfig(EventsConfig, { SIGNING_SECRET: 'hunter2' }));
    expect(error.message).toContain('SIGNING_SECRET must be at least 32 characters');
    expect(error.message).not.toContain('hunter2');
  });
});

describe('exitOnConfigError', () => {
  it('returns the config when it is valid', () => {
    expect(exitOnConfigError(() => loadConfig(EventsConfig, { SIGNING_SECRET: secret })).HTTP_PORT).toBe(3001);
  });

  it('writes one JSON line naming the variables to stderr and exits with 1', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => {
      throw new Error('exited');
    }) as never);
    try {
      expect(() => exitOnConfigError(() => loadConfig(EventsConfig, { HTTP_PORT: '0' }))).toThrow('exited');
      expect(exit).toHaveBeenCalledWith(1);
      expect(write).toHaveBeenCalledTimes(1);
      const line = JSON.parse(String(write.mock.calls[0][0]));
      expect(line).toMatchObject({
        severity: 'ERROR',
        variables: expect.arrayContaining(['HTTP_PORT', 'SIGNING_SECRET']),
      });
      expect(line.message).toContain('HTTP_PORT must be an integer between 1 and 65535 (got "0")');
    } finally {
      write.mockRestore();
      exit.mockRestore();
    }
  });

  it('lets other errors through', () => {
    expect(() =>
      exitOnConfigError(() => {
        throw new TypeError('bug');
      }),
    ).toThrow(TypeError);
  });
});
