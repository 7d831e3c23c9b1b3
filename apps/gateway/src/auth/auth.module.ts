import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GatewayConfig } from '../gateway.config';
import { AccessTokenGuard } from './access-token.guard';
import { AccessTokenVerifier } from './access-token.verifier';
import { AuthController } from './auth.controller';
import { GrpcJwksSource } from './grpc-jwks.source';
import { JwksCache, JwksSource } from './jwks-cache';
import { JwksController } from './jwks.controller';

/** Authentication at the edge: session routes, the JWKS, and the global guard every route passes. */
@Module({
  controllers: [AuthController, JwksController],
  providers: [
    { provide: JwksSource, useClass: GrpcJwksSource },
    {
      provide: JwksCache,
      inject: [JwksSource, GatewayConfig],
      useFactory: (source: JwksSource, config: GatewayConfig) =>
        new JwksCache(source, { ttlSeconds: config.JWKS_CACHE_SECONDS }),
    },
    {
      provide: AccessTokenVerifier,
      inject: [JwksCache],
      useFactory: (keys: JwksCache) => new AccessTokenVerifier(keys),
    },
    { provide: APP_GUARD, useClass: AccessTokenGuard },
  ],
})
export class AuthModule {}
