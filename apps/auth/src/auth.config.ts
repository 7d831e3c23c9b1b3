import { Transform } from 'class-transformer';
import { IsEmail } from 'class-validator';
import { GrpcServiceConfig, IntSetting } from '@convene/common';

export class AuthConfig extends GrpcServiceConfig {
  override HTTP_PORT = 3001;

  override GRPC_PORT = 50051;

  /**
   * Accounts with these emails get `admin` when they register or log in: the bootstrap path for the
   * first admin, who can then grant roles through GrantRole.
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((email) => email.trim())
          .filter((email) => email.length > 0)
      : value,
  )
  @IsEmail({}, { each: true, message: '$property must be a comma-separated list of emails' })
  ADMIN_EMAILS: string[] = [];

  @IntSetting(1, 365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  @IntSetting(1, 1_000_000)
  LOGIN_MAX_FAILURES_PER_ACCOUNT_IP = 10;

  @IntSetting(1, 1_000_000)
  LOGIN_MAX_FAILURES_PER_IP = 100;

  @IntSetting(1, 86_400)
  LOGIN_FAILURE_WINDOW_SECONDS = 900;

  /**
   * After a rotation, how long the new signing key is only published before it signs. Must exceed the
   * gateways' JWKS_CACHE_SECONDS (default 300) so every gateway knows the key before meeting a token.
   */
  @IntSetting(0, 86_400)
  SIGNING_KEY_ACTIVATION_DELAY_SECONDS = 360;
}
