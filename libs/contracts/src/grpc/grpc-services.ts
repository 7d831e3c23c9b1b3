import { join } from 'node:path';
import type { Observable } from 'rxjs';
import type { EventCategory, EventStatus, EventVisibility } from '../events/event-fields';

/**
 * Where the .proto files are. The build copies libs/contracts/proto next to the compiled sources,
 * so this relative path holds both in the source tree and in dist/.
 */
export const PROTO_DIR = join(__dirname, '..', '..', 'proto');

/** proto-loader options shared by every gRPC server and client, so both sides decode alike. */
export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  arrays: true,
  oneofs: true,
} as const;

export interface GrpcServiceDefinition {
  readonly package: string;
  readonly service: string;
  readonly protoPath: string;
}

export const EventsGrpc: GrpcServiceDefinition = {
  package: 'convene.events.v1',
  service: 'EventsService',
  protoPath: join(PROTO_DIR, 'events.proto'),
};

/** Metadata keys that travel with every gRPC call. */
export const GrpcMetadataKeys = {
  correlationId: 'x-correlation-id',
  /** Set by a service on an error: the stable domain error code (e.g. EVENT_NOT_FOUND). */
  errorCode: 'convene-error-code',
  /** Set by a service on an error: JSON of the error's details (e.g. field errors). */
  errorDetails: 'convene-error-details-bin',
  /**
   * The acting user, set by the gateway only after it verified the caller's access token. Services
   * take identity from here and nowhere else (never from a request field).
   */
  userId: 'x-convene-user-id',
  /** The verified token's roles, comma-separated. */
  userRoles: 'x-convene-user-roles',
  /** The verified token's display name, UTF-8 (binary metadata). */
  userName: 'x-convene-user-name-bin',
  /** The client's address as the gateway saw it (login throttling). */
  clientIp: 'x-convene-client-ip',
} as const;

export interface VenueMessage {
  name: string;
  address: string;
  lat?: number;
  lng?: number;
}

export interface CreateEventRequest {
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  venue?: VenueMessage;
  onlineUrl?: string;
  category: EventCategory;
  tags: string[];
  capacity: number;
  waitlistEnabled: boolean;
  visibility: EventVisibility;
}

export interface GetEventRequest {
  id: string;
}

export interface PublishEventRequest {
  id: string;
}

export interface UpdateEventRequest {
  id: string;
  title?: string;
  description?: string;
  startsAt?: string;
  endsAt?: string;
  timezone?: string;
  venue?: VenueMessage;
  onlineUrl?: string;
  category?: EventCategory;
  tags?: { values: string[] };
  waitlistEnabled?: boolean;
  visibility?: EventVisibility;
  capacity?: number;
}

export interface CancelEventRequest {
  id: string;
  reason: string;
}

export interface ListEventsRequest {
  q?: string;
  category?: EventCategory;
  organizerId?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
  hasSeats?: boolean;
}

export interface ListMyEventsRequest {
  limit: number;
  cursor?: string;
}

export interface EventPageMessage {
  items: EventMessage[];
  nextCursor?: string;
}

/** An event as the events service returns it: what was asked for, plus what the service decided. */
export interface EventMessage extends CreateEventRequest {
  id: string;
  organizerId: string;
  status: EventStatus;
  createdAt: string;
  updatedAt: string;
  publishedAt?: string;
  cancelledAt?: string;
  cancellationReason?: string;
  capacityVersion: number;
  staffIds: string[];
  confirmedCount?: number;
  waitlistedCount?: number;
  seatsLeft?: number;
  rating?: RatingSummaryMessage;
}

/** An event's visible reviews at a glance: how many, their mean, and how many of each star. */
export interface RatingSummaryMessage {
  count: number;
  /** Absent while `count` is 0; rounded to 2 decimals. */
  average?: number;
  /** Five counts: reviews of 1, 2, 3, 4 and 5 stars. */
  histogram: number[];
}

export interface StaffRequest {
  eventId: string;
  userId: string;
}

export interface ListStaffRequest {
  eventId: string;
}

export interface StaffListMessage {
  /** In the order they were granted. */
  userIds: string[];
}

/** The client side of EventsService as @nestjs/microservices' ClientGrpc exposes it. */
export interface EventsServiceClient {
  createEvent(request: CreateEventRequest, metadata?: unknown, options?: unknown): Observable<EventMessage>;
  getEvent(request: GetEventRequest, metadata?: unknown, options?: unknown): Observable<EventMessage>;
  publishEvent(request: PublishEventRequest, metadata?: unknown, options?: unknown): Observable<EventMessage>;
  cancelEvent(request: CancelEventRequest, metadata?: unknown, options?: unknown): Observable<EventMessage>;
  updateEvent(request: UpdateEventRequest, metadata?: unknown, options?: unknown): Observable<EventMessage>;
  listEvents(request: ListEventsRequest, metadata?: unknown, options?: unknown): Observable<EventPageMessage>;
  listMyEvents(request: ListMyEventsRequest, metadata?: unknown, options?: unknown): Observable<EventPageMessage>;
  addStaff(request: StaffRequest, metadata?: unknown, options?: unknown): Observable<EventMessage>;
  removeStaff(request: StaffRequest, metadata?: unknown, options?: unknown): Observable<EventMessage>;
  listStaff(request: ListStaffRequest, metadata?: unknown, options?: unknown): Observable<StaffListMessage>;
}
