import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { ConfigError } from './config-error';
import { isSecretVariable } from './secret-variable';

/**
 * Builds a validated config object from the environment. Schemas convert types explicitly
 * (`@Type(() => Number)`, `@Transform`), and property initializers are the defaults.
 * Throws one ConfigError naming every bad or missing variable, so a broken deployment is fixed in one go.
 */
export function loadConfig<T extends object>(
  schema: new () => T,
  env: Record<string, string | undefined> = process.env,
): T {
  const plain = pickSchemaVariables(schema, env);
  const config = plainToInstance(schema, plain, { exposeDefaultValues: true });
  // Not whitelisting: only the schema's own variables were picked above.
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length === 0) return config;

  const problems = errors.map((error) => describe(error, plain));
  throw new ConfigError(
    `Invalid configuration: ${problems.join('; ')}`,
    errors.map((error) => error.property),
  );
}

/** Only the variables the schema declares: the environment holds many unrelated ones. */
function pickSchemaVariables(
  schema: new () => object,
  env: Record<string, string | undefined>,
): Record<string, string> {
  const names = new Set<string>(Object.keys(new schema()));
  for (const metadata of getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false)) {
    names.add(metadata.propertyName);
  }
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    // An empty variable (`FOO=` in a manifest) means "not set": the default applies, or it is required.
    if (value !== undefined && value !== '') picked[name] = value;
  }
  return picked;
}

function describe(error: ValidationError, plain: Record<string, string>): string {
  const name = error.property;
  const raw = plain[name];
  if (raw === undefined && error.value === undefined) return `${name} is required`;
  const reasons = [...new Set(Object.values(error.constraints ?? {}))].join(', ');
  const got = raw === undefined ? '' : ` (got ${isSecretVariable(name) ? 'a redacted value' : JSON.stringify(raw)})`;
  return `${reasons || `${name} is invalid`}${got}`;
}
