import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyService } from './api-key.service';
import { ApiKeysController } from './api-keys.controller';
import { AuthGuard, PartnerTokenVerifier } from './auth.guard';
import { LoginController } from './login.controller';
import { LoginRateLimiter } from './login-rate-limiter';
import { PartnerTokenService } from './partner-token.service';

@Module({
  controllers: [ApiKeysController, LoginController],
  providers: [
    ApiKeyService,
    PartnerTokenService,
    LoginRateLimiter,
    { provide: PartnerTokenVerifier, useExisting: PartnerTokenService },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [ApiKeyService, PartnerTokenService],
})
export class AuthModule {}
