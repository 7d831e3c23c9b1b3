// Demo data, created through the public API like any client would.
const DAY = 24 * 3600 * 1000;

interface SeedEvent {
  body: Record<string, unknown>;
  publish: boolean;
}

function at(daysAhead: number, hourUtc: number): string {
  const date = new Date(Date.now() + daysAhead * DAY);
  date.setUTCHours(hourUtc, 0, 0, 0);
  return date.toISOString();
}

const EVENTS: SeedEvent[] = [
  {
    publish: true,
    body: {
      title: 'NestJS Paris meetup',
      description: 'Talks on microservices with **Pub/Sub** and Firestore, then pizza.',
      startsAt: at(14, 17),
      endsAt: at(14, 20),
      timezone: 'Europe/Paris',
      venue: { name: 'Station F', address: '5 Parvis Alan Turing, 75013 Paris', lat: 48.8346, lng: 2.3707 },
      category: 'meetup',
      tags: ['nestjs', 'typescript'],
      capacity: 120,
    },
  },
  {
    publish: true,
    body: {
      title: 'Cloud Run and GKE in practice (webinar)',
      startsAt: at(7, 16),
      endsAt: at(7, 17),
      timezone: 'America/New_York',
      onlineUrl: 'https://meet.example.com/gke-in-practice',
      category: 'webinar',
      tags: ['gcp', 'kubernetes'],
      capacity: 500,
    },
  },
  {
    publish: false,
    body: {
      title: 'Spring hackathon (draft)',
      startsAt: at(60, 8),
      endsAt: at(61, 18),
      timezone: 'Europe/Berlin',
      venue: { name: 'betahaus', address: 'Rudi-Dutschke-Str. 23, 10969 Berlin' },
      category: 'workshop',
      capacity: 80,
      waitlistEnabled: true,
    },
  },
];

/** The demo organizer `npm start` prints, so a person can sign in right away. */
export const DEMO_ORGANIZER = {
  email: 'organizer@convene.local',
  password: 'convene-demo-organizer',
  displayName: 'Demo Organizer',
} as const;

export interface Seeded {
  organizerEmail: string;
  organizerPassword: string;
  eventIds: string[];
}

export async function seed(gatewayUrl: string): Promise<Seeded> {
  const session = await post<{ accessToken: string }>(`${gatewayUrl}/v1/auth/register`, DEMO_ORGANIZER);
  const { accessToken } = await post<{ accessToken: string }>(
    `${gatewayUrl}/v1/me/organizer`,
    undefined,
    session.accessToken,
  );
  const eventIds: string[] = [];
  for (const event of EVENTS) {
    const created = await post<{ id: string }>(`${gatewayUrl}/v1/events`, event.body, accessToken);
    eventIds.push(created.id);
    if (event.publish) await post(`${gatewayUrl}/v1/events/${created.id}/publish`, undefined, accessToken);
  }
  return { organizerEmail: DEMO_ORGANIZER.email, organizerPassword: DEMO_ORGANIZER.password, eventIds };
}

async function post<T = unknown>(url: string, body?: unknown, accessToken?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body) headers['content-type'] = 'application/json';
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  const response = await fetch(url, { method: 'POST', headers, body: body ? JSON.stringify(body) : undefined });
  if (!response.ok) throw new Error(`seed: POST ${url} → ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
