import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConfigurationModule } from '../configuration/configuration.module';
import { ReportsModule } from '../reports/reports.module';
import { MeController } from './me.controller';
import { SignupRateLimiter } from './signup/signup-rate-limiter';
import { SignupController } from './signup/signup.controller';

@Module({
  imports: [AuthModule, ConfigurationModule, ReportsModule],
  controllers: [MeController, SignupController],
  providers: [SignupRateLimiter],
})
export class PartnerCenterModule {}
