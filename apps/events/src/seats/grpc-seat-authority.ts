import { callAs, type Identity } from '@convene/common';
import type { RegistrationsServiceClient } from '@convene/contracts';
import { SeatAuthority, type CapacityResize, type CapacitySnapshot } from './seat-authority';

/**
 * SeatAuthority over registrations' gRPC API. The call acts for the organizer (their identity and the
 * correlation id travel as metadata, as from the gateway) and a refusal comes back as the same
 * DomainError registrations raised, details included, so the gateway answers it unchanged.
 */
export class GrpcSeatAuthority extends SeatAuthority {
  constructor(
    private readonly registrations: RegistrationsServiceClient,
    private readonly deadlineMs: number,
  ) {
    super();
  }

  async resize(event: CapacitySnapshot, capacity: number, actor: Identity): Promise<CapacityResize> {
    const resized = await callAs(actor, this.deadlineMs, (metadata, options) =>
      this.registrations.resizeInventory({ event, capacity }, metadata, options),
    );
    return {
      capacity: resized.capacity,
      capacityVersion: resized.capacityVersion,
      confirmed: resized.confirmed,
      promoted: resized.promoted,
    };
  }
}
