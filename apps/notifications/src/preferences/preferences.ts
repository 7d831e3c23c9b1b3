import { invalidField } from '@convene/common';
import {
  NOTIFICATION_CATEGORIES,
  NOTIFICATION_CHANNELS,
  type ChannelSwitchMessage,
  type NotificationCategory,
  type NotificationChannel,
} from '@convene/contracts';

/** Per category, per channel: on or off. Everything is on until the person says otherwise. */
export type Preferences = Record<NotificationCategory, Record<NotificationChannel, boolean>>;

export function defaultPreferences(): Preferences {
  return Object.fromEntries(
    NOTIFICATION_CATEGORIES.map((category) => [
      category,
      Object.fromEntries(NOTIFICATION_CHANNELS.map((channel) => [channel, true])),
    ]),
  ) as Preferences;
}

/** Stored switches over the defaults (a category added later starts on). */
export function withDefaults(
  stored: Partial<Record<string, Partial<Record<string, boolean>>>> | undefined,
): Preferences {
  const preferences = defaultPreferences();
  for (const category of NOTIFICATION_CATEGORIES) {
    for (const channel of NOTIFICATION_CHANNELS) {
      const value = stored?.[category]?.[channel];
      if (typeof value === 'boolean') preferences[category][channel] = value;
    }
  }
  return preferences;
}

/** Applies switches, refusing an unknown category or channel (naming the entry). */
export function applySwitches(preferences: Preferences, switches: ChannelSwitchMessage[]): Preferences {
  if (switches.length === 0) throw invalidField('switches', 'give at least one switch');
  const next = structuredClone(preferences);
  switches.forEach((s, i) => {
    if (!(NOTIFICATION_CATEGORIES as readonly string[]).includes(s.category)) {
      throw invalidField(`switches.${i}.category`, `category must be one of ${NOTIFICATION_CATEGORIES.join(', ')}`);
    }
    if (!(NOTIFICATION_CHANNELS as readonly string[]).includes(s.channel)) {
      throw invalidField(`switches.${i}.channel`, `channel must be one of ${NOTIFICATION_CHANNELS.join(', ')}`);
    }
    if (typeof s.enabled !== 'boolean') throw invalidField(`switches.${i}.enabled`, 'enabled must be a boolean');
    next[s.category][s.channel] = s.enabled;
  });
  return next;
}

export function toSwitches(preferences: Preferences): ChannelSwitchMessage[] {
  return NOTIFICATION_CATEGORIES.flatMap((category) =>
    NOTIFICATION_CHANNELS.map((channel) => ({ category, channel, enabled: preferences[category][channel] })),
  );
}
