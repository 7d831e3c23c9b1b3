import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import {
  GrpcCorrelationInterceptor,
  GrpcErrorFilter,
  GrpcMetricsInterceptor,
  readIdentity,
  requireIdentity,
} from '@convene/common';
import type { CreateEventRequest, EventMessage, GetEventRequest, PublishEventRequest } from '@convene/contracts';
import type { Event } from './event';
import { EventsService } from './events.service';

@Controller()
@UseFilters(GrpcErrorFilter)
@UseInterceptors(GrpcCorrelationInterceptor, GrpcMetricsInterceptor)
export class EventsGrpcController {
  constructor(private readonly events: EventsService) {}

  @GrpcMethod('EventsService', 'CreateEvent')
  async createEvent(request: CreateEventRequest, metadata: Metadata): Promise<EventMessage> {
    return toMessage(
      await this.events.create(
        {
          title: request.title,
          description: request.description,
          startsAt: request.startsAt,
          endsAt: request.endsAt,
          timezone: request.timezone,
          venue: request.venue,
          onlineUrl: request.onlineUrl,
          category: request.category,
          tags: request.tags,
          capacity: request.capacity,
          waitlistEnabled: request.waitlistEnabled,
          visibility: request.visibility,
        },
        requireIdentity(metadata),
      ),
    );
  }

  @GrpcMethod('EventsService', 'GetEvent')
  async getEvent(request: GetEventRequest, metadata: Metadata): Promise<EventMessage> {
    return toMessage(await this.events.get(request.id, readIdentity(metadata)));
  }

  @GrpcMethod('EventsService', 'PublishEvent')
  async publishEvent(request: PublishEventRequest, metadata: Metadata): Promise<EventMessage> {
    return toMessage(await this.events.publish(request.id, requireIdentity(metadata)));
  }
}

function toMessage(event: Event): EventMessage {
  return { ...event, tags: [...event.tags] };
}
