import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import type { Observable } from 'rxjs';
import { GrpcCorrelationInterceptor, GrpcErrorFilter, GrpcMetricsInterceptor, requireIdentity } from '@convene/common';
import type {
  AvailabilityMessage,
  CancelRegistrationRequest,
  GetAvailabilityRequest,
  GetRegistrationRequest,
  InventoryResizeMessage,
  ListMyRegistrationsRequest,
  RegisterForEventRequest,
  RegistrationMessage,
  RegistrationPageMessage,
  ResizeInventoryRequest,
} from '@convene/contracts';
import { toRegistrationMessage } from './registration-message';
import { RegistrationsService } from './registrations.service';

@Controller()
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCorrelationInterceptor, GrpcMetricsInterceptor)
export class RegistrationsGrpcController {
  constructor(private readonly registrations: RegistrationsService) {}

  @GrpcMethod('RegistrationsService', 'Register')
  async register(request: RegisterForEventRequest, metadata: Metadata): Promise<RegistrationMessage> {
    return toRegistrationMessage(
      await this.registrations.register(request.eventId, requireIdentity(metadata), request.requestKey),
    );
  }

  @GrpcMethod('RegistrationsService', 'GetRegistration')
  async getRegistration(request: GetRegistrationRequest, metadata: Metadata): Promise<RegistrationMessage> {
    return toRegistrationMessage(await this.registrations.get(request.id, requireIdentity(metadata)));
  }

  @GrpcMethod('RegistrationsService', 'ListMyRegistrations')
  async listMyRegistrations(request: ListMyRegistrationsRequest, metadata: Metadata): Promise<RegistrationPageMessage> {
    const page = await this.registrations.listMine(requireIdentity(metadata), request);
    return { items: page.items.map(toRegistrationMessage), nextCursor: page.nextCursor };
  }

  @GrpcMethod('RegistrationsService', 'CancelRegistration')
  async cancelRegistration(request: CancelRegistrationRequest, metadata: Metadata): Promise<RegistrationMessage> {
    return toRegistrationMessage(await this.registrations.cancel(request.id, requireIdentity(metadata)));
  }

  @GrpcMethod('RegistrationsService', 'GetAvailability')
  getAvailability(request: GetAvailabilityRequest): Promise<AvailabilityMessage> {
    return this.registrations.availability(request.eventId);
  }

  @GrpcMethod('RegistrationsService', 'WatchAvailability')
  watchAvailability(request: GetAvailabilityRequest): Observable<AvailabilityMessage> {
    return this.registrations.watchAvailability(request.eventId);
  }

  @GrpcMethod('RegistrationsService', 'ResizeInventory')
  resizeInventory(request: ResizeInventoryRequest, metadata: Metadata): Promise<InventoryResizeMessage> {
    const { event } = request;
    return this.registrations.resize(
      {
        eventId: event.id,
        organizerId: event.organizerId,
        capacity: event.capacity,
        capacityVersion: event.capacityVersion,
      },
      request.capacity,
      requireIdentity(metadata),
    );
  }
}
