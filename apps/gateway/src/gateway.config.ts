import { join } from 'node:path';
import { Transform } from 'class-transformer';
import { ArrayMinSize, IsArray, IsString, Matches } from 'class-validator';
import { BaseServiceConfig, IntSetting, IsHostPort } from '@convene/common';

export class GatewayConfig extends BaseServiceConfig {
  override HTTP_PORT = 3000;

  @IsHostPort()
  EVENTS_GRPC_URL = '127.0.0.1:50052';

  @IsHostPort()
  AUTH_GRPC_URL = '127.0.0.1:50051';

  @IsHostPort()
  REGISTRATIONS_GRPC_URL = '127.0.0.1:50053';

  @IsHostPort()
  REVIEWS_GRPC_URL = '127.0.0.1:50054';

  @IsHostPort()
  NOTIFICATIONS_GRPC_URL = '127.0.0.1:50055';

  /**
   * How long the auth service's public keys are trusted without asking again. A token naming an
   * unknown key refetches sooner (rotation), at most every 30 s.
   */
  @IntSetting(10, 86_400)
  JWKS_CACHE_SECONDS = 300;

  /**
   * How long this replica answers anonymous event reads (an event, a listing page) from memory (ms);
   * 0 turns it off. Anonymous readers may then see an event up to this much older than events serves.
   */
  @IntSetting(0, 60_000)
  ANONYMOUS_READ_CACHE_MS = 1000;

  /** Deadline of every gRPC call the gateway makes; past it the client gets 504. */
  @IntSetting(100, 60_000)
  GRPC_DEADLINE_MS = 5000;

  /** Largest request body accepted; larger gets 413. */
  @IntSetting(1024, 50 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  /** Comma-separated browser origins allowed by CORS. */
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  )
  @IsArray()
  @ArrayMinSize(0)
  @IsString({ each: true })
  @Matches(/^https?:\/\/[^/\s]+$/, {
    each: true,
    message: 'CORS_ORIGINS must be a comma-separated list of http(s)://host[:port] origins',
  })
  CORS_ORIGINS: string[] = ['http://localhost:5173', 'http://localhost:3000'];

  /**
   * How many proxies in front of the gateway append to X-Forwarded-For (GKE Ingress: 2, its load
   * balancer appends the client's address and its own). The client address is the entry that many hops
   * from the right; entries further left are client-supplied and never trusted (login throttling is
   * per address). 0: the socket's peer is the client.
   */
  @IntSetting(0, 5)
  TRUST_PROXY_HOPS = 0;

  /**
   * The built web app (apps/web) the gateway serves at /; `npm run build` puts it in the gateway's own
   * build, so the image carries it. Empty: serve no web app.
   */
  @IsString()
  WEB_APP_DIR = join(__dirname, '..', 'web');
}
