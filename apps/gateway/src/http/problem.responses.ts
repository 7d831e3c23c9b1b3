import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'capacity' }) field!: string;
  @ApiProperty({ example: 'capacity must be an integer number' }) message!: string;
}

/** RFC 9457 problem details, as every error of the API is answered. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'https://convene.dev/problems/validation-failed' }) type!: string;
  @ApiProperty({ example: 'Request validation failed' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'capacity: capacity must be an integer number' }) detail!: string;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code.' }) code!: string;
  @ApiPropertyOptional({ example: '/v1/events' }) instance?: string;
  @ApiPropertyOptional() correlationId?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ description: 'Present on 500: quote it when reporting the problem.' }) errorId?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `errors` names each bad field.',
  401:
    'No access token, or one that is invalid or expired (`WWW-Authenticate: Bearer error="invalid_token"`), ' +
    'or wrong credentials.',
  403: 'The access token lacks a role this operation needs.',
  404: 'Not found.',
  409: 'Conflicts with the current state (e.g. the email is already registered).',
  413: 'Request body too large.',
  415: 'Unsupported content type.',
  422: 'Well-formed but not allowed now.',
  429: 'Too many attempts: retry after the `Retry-After` header’s seconds.',
  503: 'A service behind the gateway is unavailable.',
  504: 'A service behind the gateway did not answer in time.',
};

const HEADERS: Record<number, Record<string, { description: string; schema: { type: 'string' | 'integer' } }>> = {
  401: { 'WWW-Authenticate': { description: 'The Bearer challenge (RFC 6750).', schema: { type: 'string' } } },
  429: { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } } },
};

/** Documents the problem+json responses of an operation. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...[...statuses, 503, 504].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error.',
        ...(HEADERS[status] ? { headers: HEADERS[status] } : {}),
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
}
