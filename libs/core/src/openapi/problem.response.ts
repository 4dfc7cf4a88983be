/** The problem+json body every error answers with (RFC 9457), as the OpenAPI document declares it. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorResponse {
  @ApiProperty({
    example: 'events[3].data.items[0].unitPrice',
    description: 'The field, as a path into the request',
  })
  path!: string;

  @ApiProperty({ example: 'must not be less than 0' })
  message!: string;
}

export class ProblemResponse {
  @ApiProperty({ format: 'uri', example: 'https://referral-ledger.dev/problems/invalid-request' })
  type!: string;

  @ApiProperty({ example: 'Invalid request' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  status!: number;

  @ApiPropertyOptional({ example: 'The request is not valid' })
  detail?: string;

  @ApiPropertyOptional({
    type: [FieldErrorResponse],
    description: 'One entry per invalid field (400, some 422)',
  })
  errors?: readonly FieldErrorResponse[];

  @ApiPropertyOptional({
    example: 'already-collected',
    description:
      'A stable code for the rule or conflict (422, 409), e.g. `unknown-partner`, `event-id-conflict`',
  })
  code?: string;
}
