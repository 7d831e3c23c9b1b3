import { Controller, Get, Header, Headers, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type RegistrationsServiceClient } from '@convene/contracts';
import { Public } from '../auth/access-policy.decorators';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { REGISTRATIONS_SERVICE } from '../grpc/grpc-clients.module';
import { NoStore } from '../http/no-store';
import { ApiProblemResponses } from '../http/problem.responses';
import { TicketKeysResponse } from './dto/ticket-keys.response';
import { TicketResponse } from './dto/ticket.response';
import { notAcceptable, preferredMediaType } from './media-type';
import { EventId, RegistrationId } from '../http/uuid-path-param';

const TICKET_FORMATS = ['application/json', 'image/svg+xml', 'image/png'] as const;

@ApiTags('tickets')
@Controller('v1')
export class TicketsController {
  constructor(
    @Inject(REGISTRATIONS_SERVICE) private readonly registrations: RegistrationsServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Get('registrations/:id/ticket')
  @ApiBearerAuth()
  // The token is the ticket: no cache may keep a copy.
  @NoStore()
  @ApiOperation({
    summary: 'The signed ticket of a registration (its attendee only)',
    description:
      'JSON by default; `Accept: image/svg+xml` or `Accept: image/png` gives the QR code itself. ' +
      'Anyone but the attendee gets 404; a cancelled registration has no ticket.',
    operationId: 'getTicket',
  })
  @ApiExtraModels(TicketResponse)
  @ApiOkResponse({
    description: 'The ticket, in the format `Accept` asked for.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(TicketResponse) } },
      'image/svg+xml': { schema: { type: 'string' } },
      'image/png': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiProblemResponses(400, 401, 404, 406, 409)
  async ticket(
    @Param('id', RegistrationId) registrationId: string,
    @Headers('accept') accept: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse | string | Buffer> {
    void reply.header('vary', 'accept');
    const format = preferredMediaType(accept, TICKET_FORMATS);
    if (!format) throw notAcceptable(TICKET_FORMATS);
    const ticket = await this.grpc.call(caller, (metadata, options) =>
      this.registrations.getTicket({ registrationId }, metadata, options),
    );
    switch (format) {
      case 'image/svg+xml':
        void reply.type('image/svg+xml');
        return ticket.qrSvg;
      case 'image/png':
        void reply.type('image/png');
        return Buffer.from(ticket.qrPng);
      case 'application/json':
        return TicketResponse.from(ticket);
    }
  }

  @Get('events/:id/ticket-keys')
  @Public()
  // An event's keys change rarely: a check-in device may keep them for a few minutes.
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({
    summary: 'Public keys that verify the event’s tickets (RFC 7517 JWK Set)',
    description: 'For check-in devices that verify tickets offline.',
    operationId: 'getTicketKeys',
  })
  @ApiOkResponse({ type: TicketKeysResponse })
  @ApiProblemResponses(400, 404)
  async ticketKeys(
    @Param('id', EventId) eventId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<TicketKeysResponse> {
    return TicketKeysResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.registrations.getTicketKeys({ eventId }, metadata, options),
      ),
    );
  }
}
