import { Module } from '@nestjs/common';
import { ConfigurationModule } from '../configuration/configuration.module';
import { ReportsModule } from '../reports/reports.module';
import { MeController } from './me.controller';
import { SignupRateLimiter } from './signup/signup-rate-limiter';
import { SignupController } from './signup/signup.controller';

@Module({
  imports: [ConfigurationModule, ReportsModule],
  controllers: [MeController, SignupController],
  providers: [SignupRateLimiter],
})
export class PartnerCenterModule {}
