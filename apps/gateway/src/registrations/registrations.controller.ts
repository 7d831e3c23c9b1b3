import { createHash } from 'node:crypto';
import { Controller, Delete, Get, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError, domainErrorFromGrpc } from '@convene/common';
import { type RegistrationMessage, type RegistrationsServiceClient } from '@convene/contracts';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { REGISTRATIONS_SERVICE } from '../grpc/grpc-clients.module';
import { ApiProblemResponses } from '../http/problem.responses';
import { parseIdempotencyKey } from '../idempotency/idempotency-key';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { RegistrationResponse } from './dto/registration.response';
import { EventId, RegistrationId } from '../http/uuid-path-param';

@ApiTags('registrations')
@ApiBearerAuth()
@Controller('v1')
export class RegistrationsController {
  constructor(
    @Inject(REGISTRATIONS_SERVICE) private readonly registrations: RegistrationsServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Post('events/:id/registrations')
  @Idempotent()
  @ApiOperation({
    summary: 'Register the signed-in user for an event',
    description:
      'Takes a seat (`confirmed`), or a place in line (`waitlisted`, with `waitlistPosition`) when the event ' +
      'is full and its waitlist is on. 409 ALREADY_REGISTERED carries the existing `registration`; ' +
      '409 EVENT_FULL when full without a waitlist; 422 when the event is cancelled or over; 404 for a draft.',
    operationId: 'registerForEvent',
  })
  @ApiCreatedResponse({ type: RegistrationResponse, description: 'The registration; `Location` points at it.' })
  @ApiProblemResponses(400, 401, 404, 409, 422)
  async register(
    @Param('id', EventId) eventId: string,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegistrationResponse> {
    // @Idempotent validated it (400 for a malformed one) before this runs; read here, not with @Headers,
    // which would document it a second time, as required.
    const idempotencyKey = parseIdempotencyKey(reply.request.headers['idempotency-key']);
    const requestKey = idempotencyKey === undefined ? undefined : registrationRequestKey(idempotencyKey);
    const registration = await this.grpc
      .call(caller, (metadata, options) => this.registrations.register({ eventId, requestKey }, metadata, options))
      .catch((error: unknown) => {
        throw withPublicRegistration(domainErrorFromGrpc(error));
      });
    void reply.header('location', `/v1/registrations/${registration.id}`);
    return RegistrationResponse.from(registration);
  }

  @Get('registrations/:id')
  @ApiOperation({
    summary: 'Get a registration (its attendee, or the event’s organizer)',
    description: 'Anyone else gets 404, as for an unknown id.',
    operationId: 'getRegistration',
  })
  @ApiOkResponse({ type: RegistrationResponse })
  @ApiProblemResponses(400, 401, 404)
  async get(@Param('id', RegistrationId) id: string, @CurrentCaller() caller: Caller): Promise<RegistrationResponse> {
    return RegistrationResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.registrations.getRegistration({ id }, metadata, options),
      ),
    );
  }

  @Delete('registrations/:id')
  @ApiOperation({
    summary: 'Cancel a registration (its attendee, or the event’s organizer)',
    description: 'Frees the seat and lets the first person in line in. Answers the cancelled registration.',
    operationId: 'cancelRegistration',
  })
  @ApiOkResponse({ type: RegistrationResponse })
  @ApiProblemResponses(400, 401, 404, 409)
  async cancel(
    @Param('id', RegistrationId) id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<RegistrationResponse> {
    return RegistrationResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.registrations.cancelRegistration({ id }, metadata, options),
      ),
    );
  }
}

/**
 * What registrations keeps of the client's Idempotency-Key on the registration it creates, so that a
 * retry whose first attempt committed without the gateway hearing of it (a crash, a deadline: the 5xx
 * this gateway does not store) is answered with that registration rather than ALREADY_REGISTERED. A
 * hash: the key is the client's string, registrations needs only to compare it.
 */
function registrationRequestKey(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey, 'utf8').digest('hex');
}

/**
 * ALREADY_REGISTERED carries the existing registration (`details.registration`, from the service) so
 * the client can go on with it; it reaches the problem body in the API's shape, field by field, like
 * any registration the gateway answers.
 */
function withPublicRegistration(error: DomainError): DomainError {
  const registration = error.details.registration;
  if (error.code !== 'ALREADY_REGISTERED' || typeof registration !== 'object' || registration === null) return error;
  return new DomainError(error.code, error.message, {
    ...error.details,
    registration: RegistrationResponse.from(registration as RegistrationMessage),
  });
}
