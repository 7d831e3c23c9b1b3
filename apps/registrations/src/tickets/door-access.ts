import { DomainError, type Identity } from '@convene/common';
import { checksInAtEvent, type EventDirectory, type EventInfo } from '../events/event-info';

/**
 * The event, if `actor` may work its door (check people in, see who registered): its organizer, an
 * admin, or its staff. Asked of events fresh each time: losing staff rights takes effect at once.
 */
export async function requireDoorAccess(
  directory: EventDirectory,
  eventId: string,
  actor: Identity,
): Promise<EventInfo> {
  const event = await directory.getFresh(eventId, actor);
  if (!checksInAtEvent(event, actor)) {
    throw new DomainError('FORBIDDEN', `only the organizer or staff of event ${eventId} may do this`);
  }
  return event;
}
