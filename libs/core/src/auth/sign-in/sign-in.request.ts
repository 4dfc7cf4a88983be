import { IsString, Length } from 'class-validator';

export class LoginRequest {
  @IsString()
  @Length(1, 128)
  code!: string;

  @IsString()
  @Length(1, 200)
  password!: string;
}
