import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@convene/common';
import { type NotificationsServiceClient } from '@convene/contracts';
import { PageQuery } from '../events/dto/page.query';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { NOTIFICATIONS_SERVICE } from '../grpc/grpc-clients.module';
import { NoStore } from '../http/no-store';
import { ApiProblemResponses } from '../http/problem.responses';
import { uuidPathParam } from '../http/uuid-path-param';
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { WebhookDeliveryPageResponse, WebhookDeliveryResponse } from './dto/webhook-delivery.response';
import { CreatedWebhookResponse, WebhookListResponse, WebhookResponse } from './dto/webhook.response';

const WebhookId = uuidPathParam('id');
const DeliveryId = uuidPathParam('deliveryId');

/**
 * Organizers' webhook endpoints (docs/webhooks.md). Who may create one and whose endpoint is whose is
 * the notifications service's rule, from the verified identity: someone else's endpoint is 404.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    @Inject(NOTIFICATIONS_SERVICE) private readonly notifications: NotificationsServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  // Not @Idempotent(): a replayed answer would be a stored copy of the secret.
  @Post()
  @NoStore()
  @ApiOperation({
    summary: 'Create a webhook endpoint (organizers and admins)',
    description:
      'The answer carries the signing `secret`, shown this once. 403 for anyone who is not an organizer; ' +
      '400 naming `url` for a URL that is not https or points at a private, loopback or link-local address; ' +
      '409 WEBHOOK_LIMIT_REACHED past 20 endpoints.',
    operationId: 'createWebhook',
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponse, description: 'The endpoint; `Location` points at it.' })
  @ApiProblemResponses(400, 401, 403, 409, 413, 415)
  async create(
    @Body() body: CreateWebhookDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreatedWebhookResponse> {
    const webhook = await this.grpc.call(caller, (metadata, options) =>
      this.notifications.createWebhook(
        { url: body.url, eventTypes: body.eventTypes, description: body.description },
        metadata,
        options,
      ),
    );
    void reply.header('location', `/v1/webhooks/${webhook.id}`);
    return CreatedWebhookResponse.withSecret(webhook);
  }

  @Get()
  @ApiOperation({
    summary: "The signed-in user's webhook endpoints",
    description: 'Without their secrets.',
    operationId: 'listWebhooks',
  })
  @ApiOkResponse({ type: WebhookListResponse })
  @ApiProblemResponses(401)
  async list(@CurrentCaller() caller: Caller): Promise<WebhookListResponse> {
    return WebhookListResponse.from(await this.listOf(caller));
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Get a webhook endpoint',
    description: 'Without its secret. Anyone else’s is 404, as an unknown one.',
    operationId: 'getWebhook',
  })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiProblemResponses(400, 401, 404)
  async get(@Param('id', WebhookId) id: string, @CurrentCaller() caller: Caller): Promise<WebhookResponse> {
    // An organizer has at most 20: their list is the lookup.
    const webhook = (await this.listOf(caller)).items?.find((item) => item.id === id);
    if (!webhook) throw new DomainError('WEBHOOK_NOT_FOUND', `webhook ${id} does not exist`);
    return WebhookResponse.from(webhook);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a webhook endpoint',
    description: 'With its delivery history; nothing more is sent to it. Anyone else’s is 404.',
    operationId: 'deleteWebhook',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblemResponses(400, 401, 404)
  async delete(@Param('id', WebhookId) id: string, @CurrentCaller() caller: Caller): Promise<void> {
    await this.grpc.call(caller, (metadata, options) => this.notifications.deleteWebhook({ id }, metadata, options));
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'A webhook endpoint’s deliveries',
    description: 'Newest first, each with its latest attempts; cursor pagination. Anyone else’s endpoint is 404.',
    operationId: 'listWebhookDeliveries',
  })
  @ApiOkResponse({ type: WebhookDeliveryPageResponse })
  @ApiProblemResponses(400, 401, 404)
  async deliveries(
    @Param('id', WebhookId) webhookId: string,
    @Query() query: PageQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<WebhookDeliveryPageResponse> {
    return WebhookDeliveryPageResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.notifications.listWebhookDeliveries(
          { webhookId, limit: query.limit ?? 20, cursor: query.cursor },
          metadata,
          options,
        ),
      ),
    );
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a delivery again now',
    description:
      'Whatever its state, with a fresh retry window; it also enables a disabled endpoint again (its ' +
      'receiver was fixed). Answers the delivery, pending until the attempt is made.',
    operationId: 'redeliverWebhookDelivery',
  })
  @ApiOkResponse({ type: WebhookDeliveryResponse })
  @ApiProblemResponses(400, 401, 404)
  async redeliver(
    @Param('id', WebhookId) webhookId: string,
    @Param('deliveryId', DeliveryId) deliveryId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<WebhookDeliveryResponse> {
    return WebhookDeliveryResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.notifications.redeliverWebhook({ webhookId, deliveryId }, metadata, options),
      ),
    );
  }

  private listOf(caller: Caller) {
    return this.grpc.call(caller, (metadata, options) => this.notifications.listWebhooks({}, metadata, options));
  }
}
