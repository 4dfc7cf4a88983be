import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBooleanString, IsOptional } from 'class-validator';

export class ListCollateralRequest {
  @ApiPropertyOptional({ description: 'Also list removed collateral', default: 'false' })
  @IsOptional()
  @IsBooleanString()
  includeRemoved?: string;
}
