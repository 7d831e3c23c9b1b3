import type { Firestore } from '@google-cloud/firestore';
import { Clock, type DomainError } from '@convene/common';
import type { Outbox } from '@convene/pubsub';
import { CheckInCodes } from './check-in-codes';
import { CheckInsService } from './check-ins.service';
import { anEvent, rejection, staffOf, StaticEventDirectory } from './testing/tickets-test-kit';
import type { TicketKeys } from './ticket-keys';

/** The event's codes from a table: which registrations hold each code (canonical). */
class CodesOfTest extends CheckInCodes {
  readonly asked: Array<{ eventId: string; code: string }> = [];
  constructor(private readonly holders: Record<string, string[]>) {
    super(undefined as unknown as Firestore);
  }
  override async registrationsWith(eventId: string, code: string): Promise<string[]> {
    this.asked.push({ eventId, code });
    return (this.holders[code] ?? []).slice(0, 2);
  }
}

/**
 * What check-in decides before its transaction: which credential was given, the code's form, who may
 * try a code, and what an unknown or ambiguous code gets. The transaction itself runs on the emulator
 * (test/integration/registrations/checkins.test.ts, check-in-codes.test.ts).
 */
function serviceWith(holders: Record<string, string[]> = {}) {
  const directory = new StaticEventDirectory();
  const event = directory.add(anEvent());
  const codes = new CodesOfTest(holders);
  // Nothing here may reach Firestore, the outbox or the keys: any use would throw.
  const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not expected')) });
  const service = new CheckInsService(
    unused as Firestore,
    unused as Outbox,
    unused as TicketKeys,
    codes,
    directory,
    new Clock(),
  );
  return { service, codes, event };
}

function fieldsOf(error: DomainError): string[] {
  return (error.details.errors as Array<{ field: string }>).map((e) => e.field);
}

describe('CheckInsService before the transaction', () => {
  it.each([
    ['neither ticket nor code', {}, 'ticket'],
    ['both a ticket and a code', { ticket: 't', code: 'ABCD-2345' }, 'code'],
    ['a code of 7 characters', { code: 'ABCD-234' }, 'code'],
    ['a code with U', { code: 'ABCD-234U' }, 'code'],
    ['a code with punctuation', { code: 'ABCD.2345' }, 'code'],
    ['an empty nonce', { code: 'ABCD-2345', nonce: '' }, 'nonce'],
  ])('refuses %s with VALIDATION_FAILED naming the field, looking nothing up', async (_case, input, field) => {
    const { service, codes, event } = serviceWith();
    const error = await rejection(service.checkIn({ eventId: event.id, ...input }, staffOf(event)));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(error)).toEqual([field]);
    expect(codes.asked).toEqual([]);
  });

  it('looks a typed code up in canonical form, within the event', async () => {
    const { service, codes, event } = serviceWith();
    await rejection(service.checkIn({ eventId: event.id, code: ' abcd 2345 ' }, staffOf(event)));
    await rejection(service.checkIn({ eventId: event.id, code: 'o1il-2345' }, staffOf(event)));
    expect(codes.asked).toEqual([
      { eventId: event.id, code: 'ABCD2345' },
      { eventId: event.id, code: '01112345' },
    ]);
  });

  it("answers an unknown code 422 TICKET_INVALID 'unknown-code'", async () => {
    const { service, event } = serviceWith();
    const error = await rejection(service.checkIn({ eventId: event.id, code: 'ABCD-2345' }, staffOf(event)));
    expect([error.code, error.details]).toEqual(['TICKET_INVALID', { reason: 'unknown-code' }]);
  });

  it("refuses a code two registrations hold (422 'ambiguous-code'): neither is checked in", async () => {
    const { service, event } = serviceWith({ ABCD2345: ['r-1', 'r-2'] });
    const error = await rejection(service.checkIn({ eventId: event.id, code: 'ABCD-2345' }, staffOf(event)));
    expect([error.code, error.details]).toEqual(['TICKET_INVALID', { reason: 'ambiguous-code' }]);
    expect(error.message).toContain('ambiguous code');
    // The service's Firestore is a trap (any use throws): nothing was read or written past the lookup.
  });

  it('tries no code for someone who does not work the event’s door (FORBIDDEN)', async () => {
    const { service, codes, event } = serviceWith({ ABCD2345: ['r-1'] });
    const attendee = { userId: 'someone', roles: ['attendee' as const] };
    const error = await rejection(service.checkIn({ eventId: event.id, code: 'ABCD-2345' }, attendee));
    expect(error.code).toBe('FORBIDDEN');
    expect(codes.asked).toEqual([]);
  });
});
