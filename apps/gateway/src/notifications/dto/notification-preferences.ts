import { NOTIFICATION_CHANNELS, type NotificationChannel } from '@convene/contracts';

/** The API's names of the channels (JSON style) and the contract's. */
export const API_CHANNELS = { inApp: 'in_app', email: 'email' } as const satisfies Record<string, NotificationChannel>;
export type ApiChannel = keyof typeof API_CHANNELS;

const API_NAME_OF = Object.fromEntries(
  Object.entries(API_CHANNELS).map(([api, contract]) => [contract, api]),
) as Record<NotificationChannel, ApiChannel>;

/** The API's name of a contract channel; undefined for one the API does not show. */
export function apiChannelOf(channel: string): ApiChannel | undefined {
  return (NOTIFICATION_CHANNELS as readonly string[]).includes(channel)
    ? API_NAME_OF[channel as NotificationChannel]
    : undefined;
}
