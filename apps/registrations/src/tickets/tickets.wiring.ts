import { AttendeesService } from './attendees.service';
import { CheckInCodes } from './check-in-codes';
import { CheckInsService } from './check-ins.service';
import { TicketKeys } from './ticket-keys';
import { TicketsGrpcController } from './tickets.grpc.controller';
import { TicketsService } from './tickets.service';

/**
 * Tickets, check-in and the attendee list, spread into the registrations module. They need from it:
 * `Firestore`, `Outbox`, `Clock` and `EventDirectory`.
 */
export const ticketsControllers = [TicketsGrpcController];

export const ticketsProviders = [TicketKeys, CheckInCodes, TicketsService, CheckInsService, AttendeesService];
