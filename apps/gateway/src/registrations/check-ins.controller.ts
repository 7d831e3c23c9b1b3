import { Body, Controller, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type RegistrationsServiceClient } from '@convene/contracts';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { REGISTRATIONS_SERVICE } from '../grpc/grpc-clients.module';
import { ApiProblemResponses } from '../http/problem.responses';
import { CheckInDto } from './dto/check-in.dto';
import { CheckInResponse } from './dto/check-in.response';
import { EventId } from '../http/uuid-path-param';

@ApiTags('attendees')
@ApiBearerAuth()
@Controller('v1/events/:id/checkins')
export class CheckInsController {
  constructor(
    @Inject(REGISTRATIONS_SERVICE) private readonly registrations: RegistrationsServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Check a ticket holder in at the door (the organizer or check-in staff)',
    description:
      'Send the scanned `ticket`, or the `code` printed with it (typed; exactly one of the two). Codes work ' +
      'only for the organizer, admins and check-in staff of this event, and only for its own registrations. ' +
      'A registration checks in once: a second scan or code gets 409 ALREADY_CHECKED_IN with the first time, ' +
      'but a retry with the same `nonce` gets the first 201 again. Otherwise 422 TICKET_INVALID with its ' +
      '`reason`: `forged` (a ticket this event did not issue), `other-event` (a genuine ticket of another ' +
      'event), `cancelled`, `not-confirmed` (waitlisted), `unknown-code` (no registration of this event has ' +
      'the code) or `ambiguous-code` (two have it: scan the QR code instead).',
    operationId: 'checkIn',
  })
  @ApiCreatedResponse({ type: CheckInResponse })
  @ApiProblemResponses(400, 401, 403, 404, 409, 413, 415, 422)
  async checkIn(
    @Param('id', EventId) eventId: string,
    @Body() body: CheckInDto,
    @CurrentCaller() caller: Caller,
  ): Promise<CheckInResponse> {
    return CheckInResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.registrations.checkIn(
          { eventId, ticket: body.ticket, code: body.code, nonce: body.nonce },
          metadata,
          options,
        ),
      ),
    );
  }
}
