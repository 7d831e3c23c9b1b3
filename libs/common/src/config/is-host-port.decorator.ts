import { ValidateBy, type ValidationOptions } from 'class-validator';

// `host:port` as the Google client libraries expect in *_EMULATOR_HOST; IPv6 hosts in brackets.
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export function isHostPort(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = HOST_PORT.exec(value);
  if (!match) return false;
  const port = Number(match[2]);
  return port >= 1 && port <= 65535;
}

/** The value is `host:port` with a port in 1–65535. */
export function IsHostPort(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHostPort',
      validator: {
        validate: isHostPort,
        defaultMessage: () => '$property must be host:port (e.g. 127.0.0.1:8080)',
      },
    },
    options,
  );
}
