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

export async function seed(gatewayUrl: string): Promise<string[]> {
  const ids: string[] = [];
  for (const event of EVENTS) {
    const created = await post(`${gatewayUrl}/v1/events`, event.body);
    ids.push(created.id);
    if (event.publish) await post(`${gatewayUrl}/v1/events/${created.id}/publish`);
  }
  return ids;
}

async function post(url: string, body?: unknown): Promise<{ id: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`seed: POST ${url} → ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}
