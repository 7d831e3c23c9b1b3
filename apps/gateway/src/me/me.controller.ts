import { Body, Controller, Delete, Get, HttpCode, Inject, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthServiceClient } from '@convene/contracts';
import { UserResponse } from '../auth/dto/user.response';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { AUTH_SERVICE } from '../grpc/grpc-clients.module';
import { NoStore } from '../http/no-store';
import { ApiProblemResponses } from '../http/problem.responses';
import { RoleChangeResponse } from './dto/role-change.response';
import { UpdateMeDto } from './dto/update-me.dto';

/** The signed-in user's own account; "me" is whoever the access token says, never an id in the request. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(
    @Inject(AUTH_SERVICE) private readonly auth: AuthServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user', operationId: 'getMe' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblemResponses(401, 404)
  async get(@CurrentCaller() caller: Caller): Promise<UserResponse> {
    return UserResponse.from(
      await this.grpc.call(caller, (metadata, options) => this.auth.getMe({}, metadata, options)),
    );
  }

  @Patch()
  @ApiOperation({ summary: 'Change the signed-in user’s profile', operationId: 'updateMe' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblemResponses(400, 401, 404, 413, 415)
  async update(@Body() body: UpdateMeDto, @CurrentCaller() caller: Caller): Promise<UserResponse> {
    const request = body.displayName === undefined ? {} : { displayName: body.displayName };
    return UserResponse.from(
      await this.grpc.call(caller, (metadata, options) => this.auth.updateMe(request, metadata, options)),
    );
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Erase the signed-in user’s account and their personal data across Convene',
    operationId: 'deleteMe',
  })
  @ApiNoContentResponse({ description: 'Erased; every session of the account has ended.' })
  @ApiProblemResponses(401, 404)
  async delete(@CurrentCaller() caller: Caller): Promise<void> {
    await this.grpc.call(caller, (metadata, options) => this.auth.deleteMe({}, metadata, options));
  }

  @Post('organizer')
  @HttpCode(200)
  @NoStore()
  @ApiOperation({ summary: 'Become an organizer (self-service)', operationId: 'becomeOrganizer' })
  @ApiOkResponse({ type: RoleChangeResponse, description: 'Use the new access token: it carries the role.' })
  @ApiProblemResponses(401, 404)
  async becomeOrganizer(@CurrentCaller() caller: Caller): Promise<RoleChangeResponse> {
    return RoleChangeResponse.from(
      await this.grpc.call(caller, (metadata, options) => this.auth.becomeOrganizer({}, metadata, options)),
    );
  }
}
