import { IsIn, IsString, Length, Matches } from 'class-validator';
import type { KeyRole } from '../api-key.service';

export class CreateApiKeyRequest {
  @IsString()
  @Length(1, 100)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'must use only A-Za-z0-9._:-' })
  name!: string;

  @IsIn(['admin', 'ingest', 'auditor'])
  role!: KeyRole;
}
