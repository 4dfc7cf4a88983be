import { ApiProperty } from '@nestjs/swagger';

export class ProjectionStateResponse {
  @ApiProperty({ example: 'ledger' })
  name!: string;

  @ApiProperty({ example: '812-4711', description: 'The last position applied' })
  position!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Events behind the log head' })
  lag!: number;

  @ApiProperty({ enum: ['starting', 'running', 'rebuilding', 'standby', 'failed', 'stopped'] })
  status!: string;

  @ApiProperty({ type: String, nullable: true, description: 'While rebuilding: how far the shadow copy is' })
  rebuildPosition!: string | null;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;
}

export class RebuildStartedResponse {
  @ApiProperty({ example: 'ledger' })
  name!: string;

  @ApiProperty({ enum: ['rebuilding'] })
  status!: string;
}
