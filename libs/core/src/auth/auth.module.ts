import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyService } from './api-key.service';
import { AttemptLimiter } from './attempt-limiter';
import { AuthGuard, PartnerTokenVerifier } from './auth.guard';
import { CreateApiKeyController } from './create-api-key/create-api-key.controller';
import { CreateApiKeyHandler } from './create-api-key/create-api-key.handler';
import { ListApiKeysController } from './list-api-keys/list-api-keys.controller';
import { ListApiKeysHandler } from './list-api-keys/list-api-keys.handler';
import { PartnerTokenService } from './partner-token.service';
import { RevokeApiKeyController } from './revoke-api-key/revoke-api-key.controller';
import { RevokeApiKeyHandler } from './revoke-api-key/revoke-api-key.handler';
import { LoginController } from './sign-in/sign-in.controller';
import { SignInHandler } from './sign-in/sign-in.handler';

@Module({
  // In this order: the OpenAPI document lists the paths as the controllers come.
  controllers: [CreateApiKeyController, ListApiKeysController, RevokeApiKeyController, LoginController],
  providers: [
    ApiKeyService,
    PartnerTokenService,
    AttemptLimiter,
    { provide: PartnerTokenVerifier, useExisting: PartnerTokenService },
    { provide: APP_GUARD, useClass: AuthGuard },
    CreateApiKeyHandler,
    ListApiKeysHandler,
    RevokeApiKeyHandler,
    SignInHandler,
  ],
  exports: [ApiKeyService, PartnerTokenService, AttemptLimiter],
})
export class AuthModule {}
