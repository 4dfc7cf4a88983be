import { ApiProperty } from '@nestjs/swagger';

export class ProjectionStateResponse {
  @ApiProperty({ example: 'ledger' })
  name!: string;

  @ApiProperty({ example: '812-4711', description: 'The last position applied' })
  position!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description:
      'Events committed after the checkpoint, in log order, whether readers can see them yet or not: a log ' +
      'stalled behind an open writing transaction shows as a lag that does not go down (exact up to 10,000)',
  })
  lag!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description:
      'Committed events of the whole log that no reader can see yet (an older transaction is open)',
  })
  notReadable!: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'The longest apply transaction of this projection in the answering process, in ms',
  })
  longestTransactionMs!: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The last apply transaction, in ms' })
  lastTransactionMs!: number | null;

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
