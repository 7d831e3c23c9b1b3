import { Metadata } from '@grpc/grpc-js';
import { readIdentity, writeIdentity } from './identity';

describe('identity in gRPC metadata', () => {
  it('travels from the gateway to a service, display name included in any script', () => {
    const metadata = new Metadata();
    writeIdentity(metadata, { userId: 'u-1', roles: ['attendee', 'organizer'], displayName: 'Zoë 大野' }, '10.0.0.1');
    expect(readIdentity(metadata)).toEqual({
      userId: 'u-1',
      roles: ['attendee', 'organizer'],
      displayName: 'Zoë 大野',
    });
  });

  it('leaves the display name out when the token had none, and is anonymous without a user', () => {
    const metadata = new Metadata();
    writeIdentity(metadata, { userId: 'u-2', roles: [] });
    expect(readIdentity(metadata)).toEqual({ userId: 'u-2', roles: [] });
    expect(readIdentity(new Metadata())).toBeUndefined();
  });
});
