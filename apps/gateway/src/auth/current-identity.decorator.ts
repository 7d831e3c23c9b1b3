import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Identity } from '@convene/common';
import type { Caller } from '../grpc/grpc-caller';
import { missingAccessToken } from './authentication-errors';
import { identityOf } from './request-identity';

/** The identity the guard verified from the access token. Only on routes that require one. */
export const CurrentIdentity = createParamDecorator((_data: unknown, context: ExecutionContext): Identity => {
  const identity = identityOf(context.switchToHttp().getRequest<FastifyRequest>());
  // Reached only if a public route asks for it: refuse rather than act for nobody.
  if (!identity) throw missingAccessToken();
  return identity;
});

/** Who a gRPC call is made for: the verified identity (if any) and the client address. */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return { identity: identityOf(request), clientIp: request.ip };
});
