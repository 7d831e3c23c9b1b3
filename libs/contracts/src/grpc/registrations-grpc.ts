import { join } from 'node:path';
import type { Observable } from 'rxjs';
import { PROTO_DIR, type GrpcServiceDefinition } from './grpc-services';

export const RegistrationsGrpc: GrpcServiceDefinition = {
  package: 'convene.registrations.v1',
  service: 'RegistrationsService',
  protoPath: join(PROTO_DIR, 'registrations.proto'),
};

export const REGISTRATION_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export interface RegisterForEventRequest {
  eventId: string;
  /**
   * Identifies the client's request across its retries (the gateway sends sha256 hex of the
   * Idempotency-Key header): a retry of the request that created the registration gets it back as its
   * answer, not ALREADY_REGISTERED. Empty or absent: no such recognition.
   */
  requestKey?: string;
}

export interface GetRegistrationRequest {
  id: string;
}

export interface ListMyRegistrationsRequest {
  when: 'upcoming' | 'past';
  limit: number;
  cursor?: string;
}

export interface CancelRegistrationRequest {
  id: string;
}

export interface RegistrationMessage {
  id: string;
  eventId: string;
  userId: string;
  status: RegistrationStatus;
  waitlistPosition?: number;
  createdAt: string;
  updatedAt: string;
  confirmedAt?: string;
  cancelledAt?: string;
  cancellationReason?: string;
  checkedInAt?: string;
  eventTitle: string;
  eventStartsAt: string;
  eventEndsAt: string;
  holderName: string;
}

export interface RegistrationPageMessage {
  items: RegistrationMessage[];
  nextCursor?: string;
}

export interface GetTicketRequest {
  registrationId: string;
}

export interface TicketMessage {
  registrationId: string;
  eventId: string;
  holderName: string;
  token: string;
  qrSvg: string;
  qrPng: Buffer;
  /** The short check-in code to type at the door, "ABCD-EFGH". */
  code: string;
}

export interface GetTicketKeysRequest {
  eventId: string;
}

export interface TicketKeyMessage {
  kid: string;
  kty: string;
  crv: string;
  x: string;
  y: string;
  alg: string;
  use: string;
}

export interface TicketKeysMessage {
  keys: TicketKeyMessage[];
}

/** Exactly one of `ticket` (scanned) and `code` (typed). */
export interface CheckInRequest {
  eventId: string;
  /** Empty (or absent) when `code` is given. */
  ticket?: string;
  nonce?: string;
  code?: string;
}

export interface CheckInMessage {
  registrationId: string;
  eventId: string;
  holderName: string;
  checkedInAt: string;
  checkedInBy: string;
}

export interface ListAttendeesRequest {
  eventId: string;
  status?: RegistrationStatus;
  checkedIn?: boolean;
  limit: number;
  cursor?: string;
}

export interface AttendeeMessage {
  registrationId: string;
  userId: string;
  holderName: string;
  status: RegistrationStatus;
  registeredAt: string;
  checkedInAt?: string;
  waitlistPosition?: number;
}

export interface AttendeePageMessage {
  items: AttendeeMessage[];
  nextCursor?: string;
}

export interface GetAvailabilityRequest {
  eventId: string;
}

export interface AvailabilityMessage {
  eventId: string;
  capacity: number;
  confirmed: number;
  waitlisted: number;
  seatsLeft: number;
}

export interface EventSnapshotMessage {
  id: string;
  organizerId: string;
  capacity: number;
  capacityVersion: number;
}

export interface ResizeInventoryRequest {
  event: EventSnapshotMessage;
  capacity: number;
}

export interface InventoryResizeMessage {
  capacity: number;
  capacityVersion: number;
  confirmed: number;
  promoted: number;
}

/** The client side of RegistrationsService as @nestjs/microservices' ClientGrpc exposes it. */
export interface RegistrationsServiceClient {
  register(request: RegisterForEventRequest, metadata?: unknown, options?: unknown): Observable<RegistrationMessage>;
  getRegistration(
    request: GetRegistrationRequest,
    metadata?: unknown,
    options?: unknown,
  ): Observable<RegistrationMessage>;
  listMyRegistrations(
    request: ListMyRegistrationsRequest,
    metadata?: unknown,
    options?: unknown,
  ): Observable<RegistrationPageMessage>;
  cancelRegistration(
    request: CancelRegistrationRequest,
    metadata?: unknown,
    options?: unknown,
  ): Observable<RegistrationMessage>;
  getTicket(request: GetTicketRequest, metadata?: unknown, options?: unknown): Observable<TicketMessage>;
  getTicketKeys(request: GetTicketKeysRequest, metadata?: unknown, options?: unknown): Observable<TicketKeysMessage>;
  checkIn(request: CheckInRequest, metadata?: unknown, options?: unknown): Observable<CheckInMessage>;
  listAttendees(request: ListAttendeesRequest, metadata?: unknown, options?: unknown): Observable<AttendeePageMessage>;
  getAvailability(
    request: GetAvailabilityRequest,
    metadata?: unknown,
    options?: unknown,
  ): Observable<AvailabilityMessage>;
  watchAvailability(
    request: GetAvailabilityRequest,
    metadata?: unknown,
    options?: unknown,
  ): Observable<AvailabilityMessage>;
  resizeInventory(
    request: ResizeInventoryRequest,
    metadata?: unknown,
    options?: unknown,
  ): Observable<InventoryResizeMessage>;
}
