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
import type {
  CancelEventRequest,
  CreateEventRequest,
  EventMessage,
  EventPageMessage,
  GetEventRequest,
  ListEventsRequest,
  ListMyEventsRequest,
  ListStaffRequest,
  PublishEventRequest,
  StaffListMessage,
  StaffRequest,
  UpdateEventRequest,
} from '@convene/contracts';
import type { EventView } from './event';
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

  @GrpcMethod('EventsService', 'CancelEvent')
  async cancelEvent(request: CancelEventRequest, metadata: Metadata): Promise<EventMessage> {
    return toMessage(await this.events.cancel(request.id, requireIdentity(metadata), request.reason));
  }

  @GrpcMethod('EventsService', 'ListEvents')
  async listEvents(request: ListEventsRequest, metadata: Metadata): Promise<EventPageMessage> {
    // proto3 leaves unset strings empty: empty means "no filter".
    const page = await this.events.list(
      {
        q: request.q || undefined,
        category: request.category || undefined,
        organizerId: request.organizerId || undefined,
        from: request.from || undefined,
        to: request.to || undefined,
        limit: request.limit,
        cursor: request.cursor || undefined,
        hasSeats: request.hasSeats || undefined,
      },
      readIdentity(metadata),
    );
    return { items: page.items.map(toMessage), nextCursor: page.nextCursor };
  }

  @GrpcMethod('EventsService', 'ListMyEvents')
  async listMyEvents(request: ListMyEventsRequest, metadata: Metadata): Promise<EventPageMessage> {
    const page = await this.events.listOwn(requireIdentity(metadata), {
      limit: request.limit,
      cursor: request.cursor || undefined,
    });
    return { items: page.items.map(toMessage), nextCursor: page.nextCursor };
  }

  @GrpcMethod('EventsService', 'UpdateEvent')
  async updateEvent(request: UpdateEventRequest, metadata: Metadata): Promise<EventMessage> {
    // proto3 optional fields arrive absent, or empty for strings: empty means "unchanged".
    const patch = Object.fromEntries(
      Object.entries({
        title: request.title || undefined,
        description: request.description ?? undefined,
        startsAt: request.startsAt || undefined,
        endsAt: request.endsAt || undefined,
        timezone: request.timezone || undefined,
        venue: request.venue?.name ? request.venue : undefined,
        onlineUrl: request.onlineUrl || undefined,
        category: request.category || undefined,
        tags: request.tags ? (request.tags.values ?? []) : undefined,
        waitlistEnabled: request.waitlistEnabled ?? undefined,
        visibility: request.visibility || undefined,
        capacity: request.capacity ?? undefined,
      }).filter(([, value]) => value !== undefined),
    );
    return toMessage(await this.events.update(request.id, requireIdentity(metadata), patch));
  }

  @GrpcMethod('EventsService', 'AddStaff')
  async addStaff(request: StaffRequest, metadata: Metadata): Promise<EventMessage> {
    return toMessage(await this.events.addStaff(request.eventId, requireIdentity(metadata), request.userId));
  }

  @GrpcMethod('EventsService', 'ListStaff')
  async listStaff(request: ListStaffRequest, metadata: Metadata): Promise<StaffListMessage> {
    return { userIds: await this.events.listStaff(request.eventId, requireIdentity(metadata)) };
  }

  @GrpcMethod('EventsService', 'RemoveStaff')
  async removeStaff(request: StaffRequest, metadata: Metadata): Promise<EventMessage> {
    return toMessage(await this.events.removeStaff(request.eventId, requireIdentity(metadata), request.userId));
  }
}

/** `hasSeats` is query support only; the counts are present on published events. */
function toMessage(event: EventView): EventMessage {
  const { hasSeats: _hasSeats, ...fields } = event;
  return { ...fields, tags: [...event.tags], staffIds: [...event.staffIds] };
}
