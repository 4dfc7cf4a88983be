import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConfigurationModule } from '../configuration/configuration.module';
import { ReportsModule } from '../reports/reports.module';
import { CreateMyAdController } from './create-my-ad/create-my-ad.controller';
import { MyAdsController } from './my-ads/my-ads.controller';
import { MyLedgerController } from './my-ledger/my-ledger.controller';
import { MyLinkStatsController } from './my-link-stats/my-link-stats.controller';
import { MyLinksController } from './my-links/my-links.controller';
import { MyProductsSoldController } from './my-products-sold/my-products-sold.controller';
import { MyCommissionsController } from './my-commissions/my-commissions.controller';
import { MyCommissionsHandler } from './my-commissions/my-commissions.handler';
import { MyProfileController } from './my-profile/my-profile.controller';
import { MyProfileHandler } from './my-profile/my-profile.handler';
import { SignupRateLimiter } from './signup/signup-rate-limiter';
import { SignupController } from './signup/signup.controller';
import { SignUpHandler } from './signup/signup.handler';

@Module({
  imports: [AuthModule, ConfigurationModule, ReportsModule],
  // In this order: the OpenAPI document lists the paths as the controllers come.
  controllers: [
    MyProfileController,
    MyLinksController,
    MyAdsController,
    CreateMyAdController,
    MyLinkStatsController,
    MyProductsSoldController,
    MyLedgerController,
    MyCommissionsController,
    SignupController,
  ],
  providers: [SignupRateLimiter, SignUpHandler, MyProfileHandler, MyCommissionsHandler],
})
export class PartnerCenterModule {}
