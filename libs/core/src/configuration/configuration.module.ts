/** Settings, programs, partners, links and ads: the admin's configuration (api.md, issue 3). */
import { Module } from '@nestjs/common';
import { ApprovePartnerController } from './approve-partner/approve-partner.controller';
import { ApprovePartnerHandler } from './approve-partner/approve-partner.handler';
import { ChangePartnerController } from './change-partner/change-partner.controller';
import { ChangePartnerHandler } from './change-partner/change-partner.handler';
import { ChangeSettingsController } from './change-settings/change-settings.controller';
import { ChangeSettingsHandler } from './change-settings/change-settings.handler';
import { CreateAdController } from './create-ad/create-ad.controller';
import { CreateAdHandler } from './create-ad/create-ad.handler';
import { DefineLinkController } from './define-link/define-link.controller';
import { DefineLinkHandler } from './define-link/define-link.handler';
import { DefineProgramController } from './define-program/define-program.controller';
import { DefineProgramHandler } from './define-program/define-program.handler';
import { EnrollPartnerController } from './enroll-partner/enroll-partner.controller';
import { EnrollPartnerHandler } from './enroll-partner/enroll-partner.handler';
import { PartnerCredentials } from './partner-credentials';
import { CONFIGURATION_QUERY_HANDLERS } from './queries/configuration.query-handlers';
import { ReadLinksController } from './queries/read-links.controller';
import { ReadPartnersController } from './queries/read-partners.controller';
import { ReadProgramsController } from './queries/read-programs.controller';
import { ReadSettingsController } from './queries/read-settings.controller';

@Module({
  controllers: [
    ReadSettingsController,
    ChangeSettingsController,
    ReadProgramsController,
    DefineProgramController,
    ReadPartnersController,
    EnrollPartnerController,
    ChangePartnerController,
    ApprovePartnerController,
    ReadLinksController,
    DefineLinkController,
    CreateAdController,
  ],
  providers: [
    PartnerCredentials,
    ChangeSettingsHandler,
    DefineProgramHandler,
    EnrollPartnerHandler,
    ChangePartnerHandler,
    ApprovePartnerHandler,
    DefineLinkHandler,
    CreateAdHandler,
    ...CONFIGURATION_QUERY_HANDLERS,
  ],
  exports: [PartnerCredentials],
})
export class ConfigurationModule {}
