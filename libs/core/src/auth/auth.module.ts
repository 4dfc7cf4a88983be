import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyService } from './api-key.service';
import { ApiKeysController } from './api-keys.controller';
import { AuthGuard, PartnerTokenVerifier } from './auth.guard';
import { LoginController } from './login.controller';
import { AttemptLimiter } from './attempt-limiter';
import { PartnerTokenService } from './partner-token.service';

@Module({
  controllers: [ApiKeysController, LoginController],
  providers: [
    ApiKeyService,
    PartnerTokenService,
    AttemptLimiter,
    { provide: PartnerTokenVerifier, useExisting: PartnerTokenService },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [ApiKeyService, PartnerTokenService, AttemptLimiter],
})
export class AuthModule {}
