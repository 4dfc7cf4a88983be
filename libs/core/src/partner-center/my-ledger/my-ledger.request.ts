import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { PartnerLedgerRequest } from '../../reports/shared/report-range.request';
import { IsResourceId } from '../../configuration/configuration.validation';

/** The ledger of the signed-in partner, as JSON or a printable PDF; `partnerId` may only name it. */
export class MyLedgerRequest extends PartnerLedgerRequest {
  @ApiPropertyOptional({ description: "The signed-in partner's own id; another partner's is 403" })
  @IsOptional()
  @IsString()
  @IsResourceId()
  partnerId?: string;
}
