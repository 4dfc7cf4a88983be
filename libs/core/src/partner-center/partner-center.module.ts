import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConfigurationModule } from '../configuration/configuration.module';
import { ReportsModule } from '../reports/reports.module';
import { MeController } from './me.controller';
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
  controllers: [MyProfileController, MeController, MyCommissionsController, SignupController],
  providers: [SignupRateLimiter, SignUpHandler, MyProfileHandler, MyCommissionsHandler],
})
export class PartnerCenterModule {}
