import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthServiceClient } from '@convene/contracts';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { AUTH_SERVICE } from '../grpc/grpc-clients.module';
import { NoStore } from '../http/no-store';
import { ApiProblemResponses } from '../http/problem.responses';
import { Public } from './access-policy.decorators';
import { CurrentCaller } from './current-identity.decorator';
import { LoginDto } from './dto/login.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { RegisterDto } from './dto/register.dto';
import { SessionResponse } from './dto/session.response';

/** Sessions: public by nature (they are how a client gets a token); the client address goes along for throttling. */
@ApiTags('auth')
@Public()
@Controller('v1/auth')
export class AuthController {
  constructor(
    @Inject(AUTH_SERVICE) private readonly auth: AuthServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Post('register')
  @NoStore()
  @ApiOperation({ summary: 'Create an account (attendee) and sign in', operationId: 'register' })
  @ApiCreatedResponse({ type: SessionResponse })
  @ApiProblemResponses(400, 409, 413, 415, 429)
  async register(@Body() body: RegisterDto, @CurrentCaller() caller: Caller): Promise<SessionResponse> {
    const { email, password, displayName } = body;
    return SessionResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.auth.register({ email, password, displayName }, metadata, options),
      ),
    );
  }

  @Post('login')
  @HttpCode(200)
  @NoStore()
  @ApiOperation({ summary: 'Sign in with email and password', operationId: 'login' })
  @ApiOkResponse({ type: SessionResponse })
  @ApiProblemResponses(400, 401, 413, 415, 429)
  async login(@Body() body: LoginDto, @CurrentCaller() caller: Caller): Promise<SessionResponse> {
    const { email, password } = body;
    return SessionResponse.from(
      await this.grpc.call(caller, (metadata, options) => this.auth.login({ email, password }, metadata, options)),
    );
  }

  @Post('refresh')
  @HttpCode(200)
  @NoStore()
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair (the old refresh token stops working)',
    operationId: 'refresh',
  })
  @ApiOkResponse({ type: SessionResponse })
  @ApiProblemResponses(400, 401, 413, 415, 429)
  async refresh(@Body() body: RefreshTokenDto, @CurrentCaller() caller: Caller): Promise<SessionResponse> {
    const { refreshToken } = body;
    return SessionResponse.from(
      await this.grpc.call(caller, (metadata, options) => this.auth.refresh({ refreshToken }, metadata, options)),
    );
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session of a refresh token', operationId: 'logout' })
  @ApiNoContentResponse({ description: 'Signed out (also when the token was already revoked).' })
  @ApiProblemResponses(400, 401, 413, 415)
  async logout(@Body() body: RefreshTokenDto, @CurrentCaller() caller: Caller): Promise<void> {
    const { refreshToken } = body;
    await this.grpc.call(caller, (metadata, options) => this.auth.logout({ refreshToken }, metadata, options));
  }
}
