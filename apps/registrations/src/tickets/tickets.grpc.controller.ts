import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { GrpcCorrelationInterceptor, GrpcErrorFilter, GrpcMetricsInterceptor, requireIdentity } from '@convene/common';
import type {
  AttendeePageMessage,
  CheckInMessage,
  CheckInRequest,
  GetTicketKeysRequest,
  GetTicketRequest,
  ListAttendeesRequest,
  TicketKeysMessage,
  TicketMessage,
} from '@convene/contracts';
import { AttendeesService } from './attendees.service';
import { CheckInsService } from './check-ins.service';
import { TicketsService } from './tickets.service';

@Controller()
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCorrelationInterceptor, GrpcMetricsInterceptor)
export class TicketsGrpcController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly checkIns: CheckInsService,
    private readonly attendees: AttendeesService,
  ) {}

  @GrpcMethod('RegistrationsService', 'GetTicket')
  async getTicket(request: GetTicketRequest, metadata: Metadata): Promise<TicketMessage> {
    return this.tickets.getTicket(request.registrationId, requireIdentity(metadata));
  }

  @GrpcMethod('RegistrationsService', 'GetTicketKeys')
  async getTicketKeys(request: GetTicketKeysRequest): Promise<TicketKeysMessage> {
    const { keys } = await this.tickets.ticketKeys(request.eventId);
    // Only the public members, named explicitly.
    return { keys: keys.map(({ kid, kty, crv, x, y, alg, use }) => ({ kid, kty, crv, x, y, alg, use })) };
  }

  @GrpcMethod('RegistrationsService', 'CheckIn')
  async checkIn(request: CheckInRequest, metadata: Metadata): Promise<CheckInMessage> {
    // proto3 strings arrive absent or empty: empty means "not given".
    return this.checkIns.checkIn(
      {
        eventId: request.eventId,
        ticket: request.ticket || undefined,
        code: request.code || undefined,
        nonce: request.nonce || undefined,
      },
      requireIdentity(metadata),
    );
  }

  @GrpcMethod('RegistrationsService', 'ListAttendees')
  async listAttendees(request: ListAttendeesRequest, metadata: Metadata): Promise<AttendeePageMessage> {
    // proto3 optional fields arrive absent when unset; an empty status or cursor also means "none".
    return this.attendees.list(
      {
        eventId: request.eventId,
        status: request.status || undefined,
        checkedIn: request.checkedIn ?? undefined,
        limit: request.limit,
        cursor: request.cursor || undefined,
      },
      requireIdentity(metadata),
    );
  }
}
