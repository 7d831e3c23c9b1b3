import { isRole, withRole } from './roles';

describe('roles', () => {
  it('adds a role once, in canonical order', () => {
    expect(withRole(['attendee'], 'organizer')).toEqual(['attendee', 'organizer']);
    expect(withRole(['admin', 'attendee'], 'organizer')).toEqual(['attendee', 'organizer', 'admin']);
    expect(withRole(['attendee', 'organizer'], 'organizer')).toEqual(['attendee', 'organizer']);
  });

  it('knows only attendee, organizer and admin', () => {
    expect(['attendee', 'organizer', 'admin'].every(isRole)).toBe(true);
    expect(isRole('root')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
