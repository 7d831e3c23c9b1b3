import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { GrpcCorrelationInterceptor, GrpcErrorFilter, GrpcMetricsInterceptor } from '@convene/common';
import type { Empty, LogoutRequest, RefreshRequest, SessionMessage } from '@convene/contracts';
import { TokensService } from './tokens.service';

@Controller()
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCorrelationInterceptor, GrpcMetricsInterceptor)
export class TokensGrpcController {
  constructor(private readonly tokens: TokensService) {}

  @GrpcMethod('AuthService', 'Refresh')
  refresh(request: RefreshRequest): Promise<SessionMessage> {
    return this.tokens.refresh(request.refreshToken ?? '');
  }

  @GrpcMethod('AuthService', 'Logout')
  async logout(request: LogoutRequest): Promise<Empty> {
    await this.tokens.logout(request.refreshToken ?? '');
    return {};
  }
}
