import { DomainError } from '@convene/common';
import { applySwitches, defaultPreferences, toSwitches, withDefaults } from './preferences';

describe('notification preferences', () => {
  it('starts with every channel of every category on', () => {
    expect(toSwitches(defaultPreferences()).every((s) => s.enabled)).toBe(true);
  });

  it('switches one channel of one category, keeping the rest', () => {
    const next = applySwitches(defaultPreferences(), [{ category: 'reminders', channel: 'email', enabled: false }]);
    expect(next.reminders).toEqual({ in_app: true, email: false });
    expect(next.registrations.email).toBe(true);
  });

  it('refuses an unknown category or channel, naming the entry', () => {
    const refuse = (s: object) => {
      try {
        applySwitches(defaultPreferences(), [s as never]);
      } catch (error) {
        return (error as DomainError).details.errors?.[0]?.field;
      }
      return undefined;
    };
    expect(refuse({ category: 'gossip', channel: 'email', enabled: true })).toBe('switches.0.category');
    expect(refuse({ category: 'reviews', channel: 'sms', enabled: true })).toBe('switches.0.channel');
  });

  it('reads stored switches over the defaults, ignoring junk', () => {
    const read = withDefaults({ reviews: { email: false, in_app: 'no' as never }, gossip: { email: false } });
    expect(read.reviews).toEqual({ in_app: true, email: false });
  });
});
