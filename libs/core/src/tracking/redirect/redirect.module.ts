/** The tracking redirect records clicks through the ingest pipeline's group commit, hence its own module. */
import { Module } from '@nestjs/common';
import { IngestModule } from '../../ingest/ingest.module';
import { ClickTargets } from './click-targets';
import { RedirectController } from './redirect.controller';
import { RedirectHandler } from './redirect.handler';

@Module({
  imports: [IngestModule],
  controllers: [RedirectController],
  providers: [ClickTargets, RedirectHandler],
})
export class RedirectModule {}
