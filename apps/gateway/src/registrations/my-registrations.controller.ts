import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type RegistrationsServiceClient } from '@convene/contracts';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { REGISTRATIONS_SERVICE } from '../grpc/grpc-clients.module';
import { ApiProblemResponses } from '../http/problem.responses';
import { MyRegistrationsQuery } from './dto/my-registrations.query';
import { RegistrationPageResponse } from './dto/registration-page.response';

@ApiTags('registrations')
@ApiBearerAuth()
@Controller('v1/me/registrations')
export class MyRegistrationsController {
  constructor(
    @Inject(REGISTRATIONS_SERVICE) private readonly registrations: RegistrationsServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The signed-in user's registrations",
    description:
      '`upcoming` (default): events that have not ended, soonest first; `past`: ended events, most recent ' +
      'first; cursor pagination.',
    operationId: 'listMyRegistrations',
  })
  @ApiOkResponse({ type: RegistrationPageResponse })
  @ApiProblemResponses(400, 401)
  async list(@Query() query: MyRegistrationsQuery, @CurrentCaller() caller: Caller): Promise<RegistrationPageResponse> {
    return RegistrationPageResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.registrations.listMyRegistrations(
          { when: query.when ?? 'upcoming', limit: query.limit ?? 20, cursor: query.cursor },
          metadata,
          options,
        ),
      ),
    );
  }
}
