import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  Clock,
  decodePositionCursor,
  DomainError,
  encodePositionCursor,
  type FieldError,
  hasRole,
  type Identity,
  invalidField,
  requireUuid,
} from '@convene/common';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@convene/contracts';
import { generateWebhookSecret, MAX_ENDPOINTS_PER_OWNER, type WebhookDelivery, type WebhookEndpoint } from './webhook';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookSettings } from './webhook-settings';
import { WebhookTargetGuard, WebhookTargetRefused } from './webhook-target-guard';
import { parseWebhookUrl } from './webhook-url';
import { WebhooksStore } from './webhooks.store';

export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 500;

export interface NewWebhook {
  url: string;
  eventTypes: string[];
  description?: string;
}

export interface WebhookDeliveryPage {
  items: WebhookDelivery[];
  nextCursor?: string;
}

/**
 * Organizers' webhook endpoints. Only organizers (and admins) create them; every other operation is
 * the owner's alone, and someone else's endpoint answers exactly like an unknown one (404), so ids
 * reveal nothing.
 */
@Injectable()
export class WebhookService {
  private readonly logger = new Logger(WebhookService.name);

  constructor(
    private readonly store: WebhooksStore,
    private readonly guard: WebhookTargetGuard,
    private readonly settings: WebhookSettings,
    private readonly dispatcher: WebhookDispatcher,
    private readonly clock: Clock,
  ) {}

  /** Creates an endpoint; the result carries the secret, which is never shown again. */
  async create(input: NewWebhook, owner: Identity): Promise<WebhookEndpoint> {
    if (!hasRole(owner, 'organizer', 'admin')) {
      throw new DomainError('FORBIDDEN', 'only organizers create webhooks; become one with POST /v1/me/organizer');
    }
    const errors: FieldError[] = [];
    const url = collect(errors, () => parseWebhookUrl(input.url, { allowHttp: this.settings.allowPrivateTargets }));
    const eventTypes = collect(errors, () => validEventTypes(input.eventTypes));
    const description = collect(errors, () => validDescription(input.description));
    if (url && errors.length === 0) {
      try {
        await this.guard.resolve(url);
      } catch (error) {
        if (!(error instanceof WebhookTargetRefused)) throw error;
        errors.push({ field: 'url', message: `url is not allowed: ${error.message}` });
      }
    }
    if (errors.length > 0 || !url || !eventTypes || description === undefined) throw validationFailed(errors);

    const now = this.clock.now().toISOString();
    const endpoint: WebhookEndpoint = {
      id: randomUUID(),
      ownerId: owner.userId,
      url: url.href,
      eventTypes,
      description,
      secret: generateWebhookSecret(),
      status: 'active',
      consecutiveFailures: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.createEndpoint(endpoint, MAX_ENDPOINTS_PER_OWNER);
    this.logger.log({ message: 'webhook endpoint created', endpointId: endpoint.id, ownerId: owner.userId });
    return endpoint;
  }

  async list(owner: Identity): Promise<WebhookEndpoint[]> {
    return this.store.listEndpoints(owner.userId);
  }

  /** Deletes the endpoint and its deliveries; pending ones are never sent. */
  async remove(id: string, owner: Identity): Promise<WebhookEndpoint> {
    const endpoint = await this.owned('id', id, owner);
    await this.store.deleteEndpoint(endpoint.id);
    this.logger.log({ message: 'webhook endpoint deleted', endpointId: endpoint.id, ownerId: owner.userId });
    return endpoint;
  }

  /** The endpoint's deliveries, newest first. */
  async deliveries(
    webhookId: string,
    request: { limit: number; cursor?: string },
    owner: Identity,
  ): Promise<WebhookDeliveryPage> {
    const limit = request.limit || 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw invalidField('limit', 'limit must be an integer from 1 to 100');
    }
    const after = request.cursor ? decodePositionCursor(request.cursor) : undefined;
    const endpoint = await this.owned('webhookId', webhookId, owner);
    const found = await this.store.listDeliveries(endpoint.id, limit + 1, after);
    const items = found.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor: found.length > limit && last ? encodePositionCursor(last.createdAt, last.id) : undefined,
    };
  }

  /**
   * Sends the delivery again now, whatever its state, with a fresh retry window; re-enables its
   * endpoint (an organizer who fixed their receiver says so by redelivering).
   */
  async redeliver(webhookId: string, deliveryId: string, owner: Identity): Promise<WebhookDelivery> {
    requireUuid('deliveryId', deliveryId);
    const endpoint = await this.owned('webhookId', webhookId, owner);
    const delivery = await this.store.redeliver(endpoint.id, deliveryId, this.clock.now());
    if (!delivery) {
      throw new DomainError('WEBHOOK_DELIVERY_NOT_FOUND', `webhook ${webhookId} has no delivery ${deliveryId}`);
    }
    this.dispatcher.kick();
    this.logger.log({ message: 'webhook delivery redelivered', endpointId: endpoint.id, deliveryId });
    return delivery;
  }

  private async owned(field: string, id: string, owner: Identity): Promise<WebhookEndpoint> {
    requireUuid(field, id);
    const endpoint = await this.store.getEndpoint(id);
    if (!endpoint || endpoint.ownerId !== owner.userId) {
      throw new DomainError('WEBHOOK_NOT_FOUND', `webhook ${id} does not exist`);
    }
    return endpoint;
  }
}

function validEventTypes(raw: unknown): WebhookEventType[] {
  const known: readonly string[] = WEBHOOK_EVENT_TYPES;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw invalidField('eventTypes', `eventTypes must list at least one of ${known.join(', ')}`);
  }
  const unknown = raw.find((type) => typeof type !== 'string' || !known.includes(type));
  if (unknown !== undefined) {
    throw invalidField('eventTypes', `${JSON.stringify(unknown)} is not a webhook event type; use ${known.join(', ')}`);
  }
  // Kept in the registry's order, once each.
  return WEBHOOK_EVENT_TYPES.filter((type) => raw.includes(type));
}

function validDescription(raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') throw invalidField('description', 'description must be a string');
  if (raw.length > MAX_WEBHOOK_DESCRIPTION_LENGTH) {
    throw invalidField('description', `description must be at most ${MAX_WEBHOOK_DESCRIPTION_LENGTH} characters`);
  }
  return raw;
}

/** VALIDATION_FAILED naming every bad field, as the gateway's own validation answers. */
function validationFailed(errors: FieldError[]): DomainError {
  const summary = errors.map((error) => `${error.field}: ${error.message}`).join('; ');
  return new DomainError('VALIDATION_FAILED', summary, { errors });
}

/** Runs a field check, adding its field errors to `errors` instead of throwing them. */
function collect<T>(errors: FieldError[], check: () => T): T | undefined {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED' || !error.details.errors) throw error;
    errors.push(...error.details.errors);
    return undefined;
  }
}
