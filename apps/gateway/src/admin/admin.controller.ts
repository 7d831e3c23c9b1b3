import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@convene/common';
import { type AuthServiceClient } from '@convene/contracts';
import { Roles } from '../auth/access-policy.decorators';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { UserResponse } from '../auth/dto/user.response';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { AUTH_SERVICE } from '../grpc/grpc-clients.module';
import { ApiProblemResponses } from '../http/problem.responses';
import { GrantRoleDto } from './dto/grant-role.dto';
import { SigningKeyResponse } from './dto/signing-key.response';

const USER_ID = /^[A-Za-z0-9_-]{1,128}$/;

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(AUTH_SERVICE) private readonly auth: AuthServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Post('users/:userId/roles')
  @HttpCode(200)
  @ApiOperation({ summary: 'Grant a role to a user', operationId: 'grantRole' })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblemResponses(400, 401, 403, 404, 413, 415)
  async grantRole(
    @Param('userId') userId: string,
    @Body() body: GrantRoleDto,
    @CurrentCaller() caller: Caller,
  ): Promise<UserResponse> {
    if (!USER_ID.test(userId)) {
      throw new DomainError('VALIDATION_FAILED', 'userId: userId is not a user id', {
        errors: [{ field: 'userId', message: 'userId is not a user id' }],
      });
    }
    return UserResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.auth.grantRole({ userId, role: body.role }, metadata, options),
      ),
    );
  }

  @Post('signing-keys/rotate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start signing access tokens with a new key (old keys keep verifying until their tokens expire)',
    operationId: 'rotateSigningKey',
  })
  @ApiOkResponse({ type: SigningKeyResponse })
  @ApiProblemResponses(401, 403)
  async rotateSigningKey(@CurrentCaller() caller: Caller): Promise<SigningKeyResponse> {
    return SigningKeyResponse.from(
      await this.grpc.call(caller, (metadata, options) => this.auth.rotateSigningKey({}, metadata, options)),
    );
  }
}
