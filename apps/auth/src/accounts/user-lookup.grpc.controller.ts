import type { Metadata } from '@grpc/grpc-js';
import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { GrpcCorrelationInterceptor, GrpcErrorFilter, GrpcMetricsInterceptor, requireIdentity } from '@convene/common';
import type {
  FindUserByEmailRequest,
  GetUsersRequest,
  UserSummariesMessage,
  UserSummaryMessage,
} from '@convene/contracts';
import { UserLookupService } from './user-lookup.service';

/** Signed-in callers only (the gateway's verified identity, from metadata). */
@Controller()
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCorrelationInterceptor, GrpcMetricsInterceptor)
export class UserLookupGrpcController {
  constructor(private readonly lookup: UserLookupService) {}

  @GrpcMethod('AuthService', 'GetUsers')
  async getUsers(request: GetUsersRequest, metadata: Metadata): Promise<UserSummariesMessage> {
    requireIdentity(metadata);
    return { users: await this.lookup.getUsers(request.ids ?? []) };
  }

  @GrpcMethod('AuthService', 'FindUserByEmail')
  findUserByEmail(request: FindUserByEmailRequest, metadata: Metadata): Promise<UserSummaryMessage> {
    return this.lookup.findByEmail(requireIdentity(metadata), request.email ?? '');
  }
}
