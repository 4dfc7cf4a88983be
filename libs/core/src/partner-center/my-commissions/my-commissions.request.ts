import { IsOptional } from 'class-validator';
import { IsDay } from '../../validation/calendar.validation';
import { MeRequest } from '../signed-in-partner';

export class MyCommissionsRequest extends MeRequest {
  @IsOptional()
  @IsDay()
  from?: string;

  @IsOptional()
  @IsDay()
  to?: string;
}
