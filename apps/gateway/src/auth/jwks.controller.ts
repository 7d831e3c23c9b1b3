import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../http/problem.responses';
import { Public } from './access-policy.decorators';
import { JwksResponse } from './dto/jwks.response';
import { JwksCache } from './jwks-cache';

@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly jwks: JwksCache) {}

  @Get('jwks.json')
  @Public()
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that verify access tokens (RFC 7517)', operationId: 'getJwks' })
  @ApiOkResponse({ type: JwksResponse })
  @ApiProblemResponses()
  async get(): Promise<JwksResponse> {
    return JwksResponse.from(await this.jwks.publicKeys());
  }
}
