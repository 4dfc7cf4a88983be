import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { PartnerLedgerRequest } from '../../reports/shared/report-range.request';
import { PARTNER_ID } from '../signed-in-partner';

/** The ledger of the signed-in partner, as JSON or a printable PDF; `partnerId` may only name it. */
export class MyLedgerRequest extends PartnerLedgerRequest {
  @ApiPropertyOptional({ description: "The signed-in partner's own id; another partner's is 403" })
  @IsOptional()
  @IsString()
  @Matches(PARTNER_ID, { message: 'must be an id (1..128 characters of A-Za-z0-9._:-)' })
  partnerId?: string;
}
