import { Metadata } from '@grpc/grpc-js';
import { DomainError } from '@convene/common';
import type { AttendeesService } from './attendees.service';
import type { CheckInsService } from './check-ins.service';
import { TicketsGrpcController } from './tickets.grpc.controller';
import type { TicketsService } from './tickets.service';

const EVENT_ID = '6f1c2b1e-0d1f-4c39-9c43-2b8a8c7b4a11';

function metadataOf(userId?: string): Metadata {
  const metadata = new Metadata();
  if (userId) {
    metadata.set('x-convene-user-id', userId);
    metadata.set('x-convene-user-roles', 'attendee,organizer');
  }
  return metadata;
}

function controllerWith() {
  const tickets = { getTicket: jest.fn(), ticketKeys: jest.fn() };
  const checkIns = { checkIn: jest.fn().mockResolvedValue({}) };
  const attendees = { list: jest.fn().mockResolvedValue({ items: [] }) };
  const controller = new TicketsGrpcController(
    tickets as unknown as TicketsService,
    checkIns as unknown as CheckInsService,
    attendees as unknown as AttendeesService,
  );
  return { controller, tickets, checkIns, attendees };
}

describe('TicketsGrpcController', () => {
  it('takes the actor from metadata only, and refuses an anonymous check-in', async () => {
    const { controller, checkIns } = controllerWith();
    await controller.checkIn({ eventId: EVENT_ID, ticket: 't', nonce: '' }, metadataOf('staff-1'));
    expect(checkIns.checkIn).toHaveBeenCalledWith(
      { eventId: EVENT_ID, ticket: 't', code: undefined, nonce: undefined },
      { userId: 'staff-1', roles: ['attendee', 'organizer'] },
    );
    await expect(controller.checkIn({ eventId: EVENT_ID, ticket: 't' }, metadataOf())).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    } satisfies Partial<DomainError>);
  });

  it('reads an empty proto3 ticket as "no ticket" when a code is typed', async () => {
    const { controller, checkIns } = controllerWith();
    await controller.checkIn({ eventId: EVENT_ID, ticket: '', code: 'abcd-2345', nonce: 'n' }, metadataOf('staff-1'));
    expect(checkIns.checkIn).toHaveBeenCalledWith(
      { eventId: EVENT_ID, ticket: undefined, code: 'abcd-2345', nonce: 'n' },
      expect.objectContaining({ userId: 'staff-1' }),
    );
  });

  it('reads empty proto3 strings of the attendee list as "no filter" and keeps checkedIn: false', async () => {
    const { controller, attendees } = controllerWith();
    await controller.listAttendees(
      { eventId: EVENT_ID, status: '' as never, checkedIn: false, limit: 0, cursor: '' },
      metadataOf('organizer-1'),
    );
    expect(attendees.list).toHaveBeenCalledWith(
      { eventId: EVENT_ID, status: undefined, checkedIn: false, limit: 0, cursor: undefined },
      expect.objectContaining({ userId: 'organizer-1' }),
    );
  });

  it('copies only the public members of a key into the JWKS', async () => {
    const { controller, tickets } = controllerWith();
    const key = { kid: 'k', kty: 'EC', crv: 'P-256', x: 'x', y: 'y', alg: 'ES256', use: 'sig' };
    tickets.ticketKeys.mockResolvedValue({ keys: [{ ...key, d: 'private' }] });
    expect(await controller.getTicketKeys({ eventId: EVENT_ID })).toEqual({ keys: [key] });
  });
});
