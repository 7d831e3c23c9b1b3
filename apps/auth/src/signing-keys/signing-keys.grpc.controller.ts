import type { Metadata } from '@grpc/grpc-js';
import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { GrpcCorrelationInterceptor, GrpcErrorFilter, GrpcMetricsInterceptor, requireIdentity } from '@convene/common';
import type { Empty, JwksMessage, SigningKeyInfoMessage } from '@convene/contracts';
import { SigningKeysService } from './signing-keys.service';

@Controller()
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCorrelationInterceptor, GrpcMetricsInterceptor)
export class SigningKeysGrpcController {
  constructor(private readonly signingKeys: SigningKeysService) {}

  @GrpcMethod('AuthService', 'RotateSigningKey')
  rotateSigningKey(_request: Empty, metadata: Metadata): Promise<SigningKeyInfoMessage> {
    return this.signingKeys.rotate(requireIdentity(metadata));
  }

  @GrpcMethod('AuthService', 'GetJwks')
  async getJwks(): Promise<JwksMessage> {
    return { keys: await this.signingKeys.jwks() };
  }
}
