import { ApiPropertyOptional } from '@nestjs/swagger';
import { Command } from '@nestjs/cqrs';

export class RetryAcceptedView {
  @ApiPropertyOptional()
  deliveryId!: string;

  @ApiPropertyOptional({ enum: ['pending'] })
  status!: 'pending';
}

/** Sends the delivery again with the same id (also one that succeeded or failed), with a new retry window. */
export class RetryDeliveryCommand extends Command<RetryAcceptedView> {
  constructor(
    readonly endpointId: string,
    readonly deliveryId: string,
  ) {
    super();
  }
}
