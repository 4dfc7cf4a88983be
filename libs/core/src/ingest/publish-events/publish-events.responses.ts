/** What POST /v1/events answers: one result per envelope, in order. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProblemResponse } from '../../openapi/problem.response';

export class IngestResultResponse {
  @ApiProperty({ example: 'clk-1' })
  eventId!: string;

  @ApiProperty({
    enum: ['accepted', 'duplicate', 'rejected'],
    description: 'accepted and duplicate: stored durably; rejected: undone alone (see `error`)',
  })
  status!: string;

  @ApiPropertyOptional({ example: '812-4711', description: 'Where the event is in the log' })
  position?: string;

  @ApiPropertyOptional({ type: () => ProblemResponse, description: 'Why it was rejected: 409 or 422' })
  error?: ProblemResponse;
}

export class IngestResponse {
  @ApiProperty({ type: [IngestResultResponse] })
  results!: IngestResultResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'The last position of the request (null: none)' })
  position!: string | null;
}
