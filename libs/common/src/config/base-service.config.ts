import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsHostPort } from './is-host-port.decorator';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const PORT_MESSAGE = '$property must be an integer between 1 and 65535';
const GRACE_MESSAGE = '$property must be an integer between 0 and 120000';
const RATIO_MESSAGE = '$property must be a number between 0 and 1';

/** Variables every service reads. Each app extends this and overrides HTTP_PORT's default. */
export class BaseServiceConfig {
  @IsIn(LOG_LEVELS, { message: `$property must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  // GCP project ids: 6–30 chars, lowercase letters, digits and hyphens, starting with a letter.
  @Matches(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { message: '$property must be a GCP project id' })
  GCP_PROJECT_ID: string = 'convene-local';

  @IsString()
  @IsNotEmpty()
  HTTP_HOST: string = '0.0.0.0';

  @Type(() => Number)
  @IsInt({ message: PORT_MESSAGE })
  @Min(1, { message: PORT_MESSAGE })
  @Max(65535, { message: PORT_MESSAGE })
  HTTP_PORT!: number;

  @IsOptional()
  @IsHostPort()
  FIRESTORE_EMULATOR_HOST?: string;

  @IsOptional()
  @IsHostPort()
  PUBSUB_EMULATOR_HOST?: string;

  @Type(() => Number)
  @IsInt({ message: GRACE_MESSAGE })
  @Min(0, { message: GRACE_MESSAGE })
  @Max(120000, { message: GRACE_MESSAGE })
  SHUTDOWN_GRACE_MS: number = 10000;

  /**
   * Fault injection for the resilience suite only (test/resilience/faults/redelivery): the share (0..1)
   * of Pub/Sub messages whose first delivery this service's consumers nack before any handler runs, to
   * prove that redelivered messages take effect once. 0, off, everywhere else; never set in a deployment.
   */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: RATIO_MESSAGE })
  @Min(0, { message: RATIO_MESSAGE })
  @Max(1, { message: RATIO_MESSAGE })
  PUBSUB_FAULT_NACK_RATIO: number = 0;
}
