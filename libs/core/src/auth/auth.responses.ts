import { ApiProperty } from '@nestjs/swagger';
import { ApiInstant } from '../openapi/api-docs';

const KEY_ROLES = ['admin', 'ingest', 'auditor'];

export class ApiKeyCreatedResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'rl_3q2…', description: 'Shown only in this answer; stored as a SHA-256 hash' })
  key!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: KEY_ROLES })
  role!: string;
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: KEY_ROLES })
  role!: string;

  @ApiInstant()
  createdAt!: string;

  @ApiInstant({ type: String, nullable: true })
  revokedAt!: string | null;
}

export class PartnerTokenResponse {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>` to the /v1/me endpoints' })
  token!: string;

  @ApiInstant({ description: '8 hours after the sign-in' })
  expiresAt!: string;
}
