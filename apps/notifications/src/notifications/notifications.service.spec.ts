import { plainToInstance } from 'class-transformer';
import { EventPublishedV1, UserDeletedV1, UserRegisteredV1, type Envelope } from '@convene/contracts';
import { InMemoryNotificationsRepository } from './in-memory-notifications.repository';
import { NotificationsService } from './notifications.service';

const message = plainToInstance(EventPublishedV1, {
  id: '9b2f6a8e-4c1d-4e7a-9f3b-2a1c5d6e7f80',
  title: 'NestJS Paris',
  startsAt: '2030-02-01T18:00:00.000Z',
  endsAt: '2030-02-01T21:00:00.000Z',
  timezone: 'Europe/Paris',
  capacity: 100,
  visibility: 'public',
  venue: { name: 'Station F', address: 'Paris' },
  publishedAt: '2030-01-02T00:00:00.000Z',
});

const envelope: Envelope = {
  eventId: '0d5c3f1e-1111-4222-8333-944455556666',
  eventType: 'event.published',
  schemaVersion: '1',
  occurredAt: '2030-01-02T00:00:00.000Z',
  correlationId: 'corr-1',
  source: 'events',
};

describe('NotificationsService.onEventPublished', () => {
  it('records one notification about the event, however often the message arrives', async () => {
    const repository = new InMemoryNotificationsRepository();
    const service = new NotificationsService(repository);

    await service.onEventPublished(message, envelope);
    await service.onEventPublished(message, envelope);
    await service.onEventPublished(message, envelope);

    expect(repository.stored).toHaveLength(1);
    expect(repository.stored[0]).toMatchObject({
      kind: 'event.published',
      eventId: message.id,
      sourceEventId: envelope.eventId,
      correlationId: 'corr-1',
      readAt: null,
    });
    expect(repository.stored[0].title).toContain('NestJS Paris');
    expect(repository.stored[0].body).toContain('Station F');
  });

  it('records a second notification for a different message', async () => {
    const repository = new InMemoryNotificationsRepository();
    const service = new NotificationsService(repository);
    await service.onEventPublished(message, envelope);
    await service.onEventPublished(message, { ...envelope, eventId: 'another' });
    expect(repository.stored).toHaveLength(2);
  });
});

describe('NotificationsService and accounts', () => {
  const userId = '5f0c2a9e-7a1b-4c3d-8e9f-0a1b2c3d4e5f';
  const registered = plainToInstance(UserRegisteredV1, {
    userId,
    email: 'ada@example.com',
    displayName: 'Ada',
    registeredAt: '2030-01-01T00:00:00.000Z',
  });
  const deleted = plainToInstance(UserDeletedV1, { userId, deletedAt: '2030-01-02T00:00:00.000Z' });
  const registeredEnvelope: Envelope = { ...envelope, eventId: 'reg-1', eventType: 'user.registered', source: 'auth' };

  it('welcomes a new user once, addressed to them', async () => {
    const repository = new InMemoryNotificationsRepository();
    const service = new NotificationsService(repository);
    await service.onUserRegistered(registered, registeredEnvelope);
    await service.onUserRegistered(registered, registeredEnvelope);
    expect(repository.stored).toEqual([expect.objectContaining({ recipientId: userId, kind: 'user.registered' })]);
    expect(repository.stored[0].title).toContain('Ada');
  });

  it('erases everything addressed to a deleted user, and keeps others’', async () => {
    const repository = new InMemoryNotificationsRepository();
    const service = new NotificationsService(repository);
    await service.onUserRegistered(registered, registeredEnvelope);
    await service.onEventPublished(message, envelope);
    await service.onUserDeleted(deleted);
    expect(repository.stored.map((n) => n.recipientId)).toEqual([null]);
  });

  it('never welcomes a user whose deletion arrived first', async () => {
    const repository = new InMemoryNotificationsRepository();
    const service = new NotificationsService(repository);
    await service.onUserDeleted(deleted);
    await service.onUserRegistered(registered, registeredEnvelope);
    expect(repository.stored).toEqual([]);
  });
});
