import { Controller, Get, Query, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { PartnerLedgerPdfQuery } from '../../reports/ledger/ledger-pdf.query';
import { sendPdf } from '../../reports/ledger/ledger-pdf.service';
import { type PartnerLedger, PartnerLedgerQuery } from '../../reports/ledger/ledger.query';
import { PartnerLedgerResponse } from '../../reports/ledger/ledger.responses';
import { OnlyMyPartnerId, me } from '../signed-in-partner';
import { MyLedgerRequest } from './my-ledger.request';

/** The signed-in partner's ledger; `format=pdf` for the printable ledger of the same range. */
@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(OnlyMyPartnerId)
export class MyLedgerController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({ operationId: 'Me_ledger', summary: 'My ledger entries' })
  @ApiOkResponse({ type: PartnerLedgerResponse })
  @Roles('partner')
  @Get('ledger')
  @ApiProduces('application/json', 'application/pdf')
  async ledger(
    @Query() request: MyLedgerRequest,
    @Res({ passthrough: true }) response: Response,
    @CurrentCaller() caller?: Caller,
  ): Promise<PartnerLedger | StreamableFile> {
    const partnerId = me(caller);
    const { format, partnerId: _mine, ...window } = request;
    if (format === 'pdf') {
      const pdf = await this.queries.execute(new PartnerLedgerPdfQuery(partnerId, window));
      return new StreamableFile(sendPdf(response, pdf, `ledger-${window.from}-${window.to}.pdf`));
    }
    return this.queries.execute(new PartnerLedgerQuery(partnerId, window));
  }
}
