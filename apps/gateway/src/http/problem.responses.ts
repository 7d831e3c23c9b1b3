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
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'Request body too large.',
  415: 'Unsupported content type.',
  422: 'Well-formed but not allowed now.',
  503: 'A service behind the gateway is unavailable.',
  504: 'A service behind the gateway did not answer in time.',
};

/** Documents the problem+json responses of an operation. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...[...statuses, 503, 504].map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error.',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
      }),
    ),
  );
}
