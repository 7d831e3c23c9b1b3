import type { Metadata } from '@grpc/grpc-js';
import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import {
  GrpcCorrelationInterceptor,
  GrpcErrorFilter,
  GrpcMetricsInterceptor,
  readClientIp,
  requireIdentity,
} from '@convene/common';
import type {
  Empty,
  GrantRoleRequest,
  LoginRequest,
  RegisterRequest,
  RoleChangeMessage,
  SessionMessage,
  UpdateMeRequest,
  UserMessage,
} from '@convene/contracts';
import { AccountsService } from './accounts.service';

/** The caller is whoever the gateway verified (gRPC metadata), never a request field. */
@Controller()
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCorrelationInterceptor, GrpcMetricsInterceptor)
export class AccountsGrpcController {
  constructor(private readonly accounts: AccountsService) {}

  @GrpcMethod('AuthService', 'Register')
  register(request: RegisterRequest): Promise<SessionMessage> {
    return this.accounts.register({
      email: request.email,
      password: request.password,
      displayName: request.displayName,
    });
  }

  @GrpcMethod('AuthService', 'Login')
  login(request: LoginRequest, metadata: Metadata): Promise<SessionMessage> {
    return this.accounts.login(
      { email: request.email, password: request.password },
      readClientIp(metadata) ?? 'unknown',
    );
  }

  @GrpcMethod('AuthService', 'GetMe')
  getMe(_request: Empty, metadata: Metadata): Promise<UserMessage> {
    return this.accounts.getMe(requireIdentity(metadata));
  }

  @GrpcMethod('AuthService', 'UpdateMe')
  updateMe(request: UpdateMeRequest, metadata: Metadata): Promise<UserMessage> {
    return this.accounts.updateMe(requireIdentity(metadata), { displayName: request.displayName });
  }

  @GrpcMethod('AuthService', 'DeleteMe')
  async deleteMe(_request: Empty, metadata: Metadata): Promise<Empty> {
    await this.accounts.deleteMe(requireIdentity(metadata));
    return {};
  }

  @GrpcMethod('AuthService', 'BecomeOrganizer')
  becomeOrganizer(_request: Empty, metadata: Metadata): Promise<RoleChangeMessage> {
    return this.accounts.becomeOrganizer(requireIdentity(metadata));
  }

  @GrpcMethod('AuthService', 'GrantRole')
  grantRole(request: GrantRoleRequest, metadata: Metadata): Promise<UserMessage> {
    return this.accounts.grantRole(requireIdentity(metadata), request.userId ?? '', request.role ?? '');
  }
}
