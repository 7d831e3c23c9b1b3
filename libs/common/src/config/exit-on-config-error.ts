import { ConfigError } from './config-error';

/**
 * Runs the config loader as the first line of bootstrap. A ConfigError stops the process with one
 * JSON line on stderr (the logger is not built yet: it needs the config), so the pod's crash log says
 * exactly which variables to fix.
 */
export function exitOnConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `${JSON.stringify({
        severity: 'ERROR',
        message: error.message,
        timestamp: new Date().toISOString(),
        variables: error.variables,
      })}\n`,
    );
    process.exit(1);
  }
}
